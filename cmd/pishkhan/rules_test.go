package main

import (
	"fmt"
	"strings"
	"testing"
)

// putAndPublish saves a definition and publishes it.
func putAndPublish(t *testing.T, srv interface{ Close() }, call func(method, path string, body any) response, col, key, body string) {
	t.Helper()
	if r := call("PUT", "/api/v1/"+col+"/"+key, body); r.status != 200 {
		t.Fatalf("save %s %s: %d %s", col, key, r.status, r.raw)
	}
	if r := call("POST", "/api/v1/"+col+"/"+key+"/publish", nil); r.status != 201 {
		t.Fatalf("publish %s %s: %d %s", col, key, r.status, r.raw)
	}
}

func TestRuleSetsOverHTTP(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	publishDemo(t, srv, "it-support")
	c := func(method, path string, body any) response { return call(t, srv, method, path, body) }
	routing, _ := demoFiles.ReadFile("demo/rules/it-routing.json")
	putAndPublish(t, srv, c, "rules", "it-routing", string(routing))

	// The published table routes by the form and the requester's segment.
	cases := []struct {
		sample  string
		group   string
		matched string
	}{
		{`{"form": {"category": "software", "urgency": "high"}, "request": {"requester": {"segment": "vip"}}}`, "it-support", "[0]"},
		{`{"form": {"category": "access", "urgency": "low"}}`, "it-access", "[1]"},
		{`{"form": {"category": "network", "urgency": "high"}, "request": {"requester": {"segment": "standard"}}}`, "it-network", "[2]"},
		{`{"form": {"category": "hardware", "urgency": "medium"}}`, "it-support", "[4]"},
	}
	for _, tc := range cases {
		r := c("POST", "/api/v1/rules/it-routing/evaluate", tc.sample)
		outs, _ := r.body["outputs"].([]any)
		if r.status != 200 || len(outs) != 1 || outs[0].(map[string]any)["group"] != tc.group ||
			fmt.Sprint(r.body["matched"]) != strings.NewReplacer(",", " ").Replace(tc.matched) || r.body["version"] != 1.0 {
			t.Errorf("evaluate %s: %d %s", tc.sample, r.status, r.raw)
		}
	}

	// A mistake in a cell or an input is refused at save (as a problem) and
	// at publish (as 422), pointing at the cell.
	bad := strings.Replace(string(routing), `"expr": "form.urgency"`, `"expr": "form.urgncy"`, 1)
	r := c("PUT", "/api/v1/rules/it-routing", bad)
	if r.status != 200 || !strings.Contains(string(r.raw), `"/inputs/1/expr"`) || !strings.Contains(string(r.raw), `did you mean form.urgency`) {
		t.Errorf("save with a typo: %d %s", r.status, r.raw)
	}
	r = c("POST", "/api/v1/rules/it-routing/publish", nil)
	expectProblem(t, r, 422, "definition-invalid")
	if !strings.Contains(string(r.raw), `"/inputs/1/expr"`) {
		t.Errorf("publish with a typo: %s", r.raw)
	}
	// The draft can be tried before publishing; the published version is
	// still what runs by default.
	expectProblem(t, c("POST", "/api/v1/rules/it-routing/evaluate?version=draft", `{}`), 422, "definition-invalid")
	unique := strings.Replace(string(routing), `"hitPolicy": "first"`, `"hitPolicy": "collect"`, 1)
	if r := c("PUT", "/api/v1/rules/it-routing", unique); r.status != 200 || r.body["problems"] != nil {
		t.Fatalf("save collect: %d %s", r.status, r.raw)
	}
	r = c("POST", "/api/v1/rules/it-routing/evaluate?version=draft", `{"form": {"category": "access", "urgency": "high"}}`)
	if r.status != 200 || r.body["draft"] != true || fmt.Sprint(r.body["matched"]) != "[1 3 4]" {
		t.Errorf("draft with collect: %d %s", r.status, r.raw)
	}
	r = c("POST", "/api/v1/rules/it-routing/evaluate", `{"form": {"category": "access", "urgency": "high"}}`)
	if fmt.Sprint(r.body["matched"]) != "[1]" {
		t.Errorf("published first-hit after a collect draft: %s", r.raw)
	}

	// A unique table whose rows overlap is refused where the overlap can be
	// proven, and fails the evaluation clearly where it cannot.
	overlap := strings.Replace(string(routing), `"hitPolicy": "first"`, `"hitPolicy": "unique"`, 1)
	r = c("PUT", "/api/v1/rules/it-routing", overlap)
	if !strings.Contains(string(r.raw), "unique table forbids") {
		t.Errorf("unique with overlapping literal rows: %s", r.raw)
	}
	hidden := `{"title": {"en": "Amounts"}, "hitPolicy": "unique", "inputs": [{"name": "n", "expr": "form.n"}],
		"outputs": [{"name": "band", "type": "string"}],
		"rows": [{"when": ["> 10"], "then": {"band": "big"}}, {"when": ["< 100"], "then": {"band": "small"}}]}`
	putAndPublish(t, srv, c, "rules", "bands", hidden)
	r = c("POST", "/api/v1/rules/bands/evaluate", `{"form": {"n": 50}}`)
	expectProblem(t, r, 422, "rule-failed")
	if !strings.Contains(string(r.raw), "rows 1 and 2 both match") {
		t.Errorf("runtime overlap: %s", r.raw)
	}
	r = c("POST", "/api/v1/rules/bands/evaluate", `{"form": {"n": 5}}`)
	if outs, _ := r.body["outputs"].([]any); r.status != 200 || len(outs) != 1 {
		t.Errorf("one match: %d %s", r.status, r.raw)
	}

	// Bad input is a 4xx that says what is wrong.
	expectProblem(t, c("POST", "/api/v1/rules/bands/evaluate?version=zero", `{}`), 400, "invalid-input")
	expectProblem(t, c("POST", "/api/v1/rules/bands/evaluate", `{"from": {}}`), 400, "malformed-json")
	expectProblem(t, c("POST", "/api/v1/rules/bands/evaluate", `{"form": [1]}`), 400, "invalid-input")
	expectProblem(t, c("POST", "/api/v1/rules/nope/evaluate", `{}`), 404, "not-found")
	r = c("PUT", "/api/v1/rules/unknown-form", `{"title": {"en": "x"}, "form": "nope", "inputs": [{"name": "a", "expr": "1"}], "outputs": [], "rows": []}`)
	if r.status != 200 || !strings.Contains(string(r.raw), `"pointer":"/form"`) || !strings.Contains(string(r.raw), `form \"nope\" is not published`) {
		t.Errorf("rule set naming an unknown form: %d %s", r.status, r.raw)
	}
}

func TestExpressionCheckOverHTTP(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	publishDemo(t, srv, "it-support")
	cases := []struct {
		body, want string
	}{
		{`{"expr": "form.urgency == \"high\" && form.contact.email endsWith \"@example.com\"", "form": "it-support", "type": "boolean"}`, `{"valid":true}`},
		{`{"expr": "form.urgncy == \"high\"", "form": "it-support"}`, `"path":"form.urgncy"`},
		{`{"expr": "form.urgency > 3", "form": "it-support"}`, `"valid":false`},
		{`{"expr": "form.urgency == ", "form": "it-support"}`, `"line":1`},
		{`{"expr": "lenn(form.subject)", "form": "it-support"}`, `"valid":false`},
		{`{"expr": "form.subject", "form": "it-support", "type": "boolean"}`, `"valid":false`},
		{`{"expr": "addDays(now, 2) > now", "type": "boolean"}`, `{"valid":true}`},
		{`{"expr": "len(form.items ?? []) * 2", "sample": {"form": {"items": [1, 2, 3]}}}`, `"result":6`},
		{`{"expr": "request.requester.segment in [\"gold\"]", "sample": {"request": {"requester": {"segment": "gold"}}}}`, `"result":true`},
	}
	for _, tc := range cases {
		r := call(t, srv, "POST", "/api/v1/expressions/check", tc.body)
		if r.status != 200 || !strings.Contains(string(r.raw), tc.want) {
			t.Errorf("check %s: %d %s, want %s", tc.body, r.status, r.raw, tc.want)
		}
	}
	expectProblem(t, call(t, srv, "POST", "/api/v1/expressions/check", `{"expr": "1", "type": "date"}`), 400, "invalid-input")
	expectProblem(t, call(t, srv, "POST", "/api/v1/expressions/check", `{"expr": "1", "form": "nope"}`), 404, "not-found")
	expectProblem(t, call(t, srv, "POST", "/api/v1/expressions/check", `{"expr": "1 / form.n", "sample": {"form": {"n": 0}}}`), 422, "rule-failed")
}
