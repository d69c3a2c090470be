package main

import (
	"fmt"
	"strings"
	"testing"
)

// purchaseData is purchase-request data (the demo form) with these items
// and extra fields.
func purchaseData(items, extra string) string {
	return `{"requester": {"name": "Sara Ahmadi", "email": "sara@example.com"}, "costCenter": "CC-1001", "items": [` + items + `]` + extra + `}`
}

// fieldStates prints an evaluation's fields in order: "name:v r =value !code".
func fieldStates(t *testing.T, r response) string {
	t.Helper()
	fields, ok := r.body["fields"].(map[string]any)
	if !ok {
		t.Fatalf("no fields: %s", r.raw)
	}
	var out []string
	for _, name := range []string{"total", "justification", "urgentReason"} {
		f := fields[name].(map[string]any)
		s := name + ":"
		if f["visible"] == true {
			s += "v"
		}
		if f["required"] == true {
			s += "r"
		}
		if v, ok := f["value"]; ok {
			s += fmt.Sprintf("=%v", v)
		}
		errs, _ := f["errors"].([]any)
		for _, e := range errs {
			s += "!" + e.(map[string]any)["code"].(string)
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// The portal asks, as the requester types, what the form's rules make of
// the data; the answer is what submission then decides.
func TestFormEvaluationOverHTTP(t *testing.T) {
	c := newCrew(t)
	evaluate := func(user, data string) response {
		return c.must(200, user, "POST", "/api/v1/forms/purchase-request/evaluate", `{"version": 1, "channel": "portal", "data": `+data+`}`)
	}
	cases := []struct{ name, data, want string }{
		{"nothing typed", `{}`, "total:v!ruleFailed justification:v urgentReason:"},
		{"small", purchaseData(`{"description": "Pens", "qty": 10, "price": 2}`, ""), "total:v=20 justification:v urgentReason:"},
		{"above the threshold", purchaseData(`{"description": "Laptop", "qty": 1, "price": 1500}`, ""), "total:v=1500 justification:vr urgentReason:"},
		{"urgent", purchaseData(`{"description": "Pens", "qty": 1, "price": 2}`, `, "urgent": true`), "total:v=2 justification:v urgentReason:vr"},
		{"the client's total is not believed", purchaseData(`{"description": "Pens", "qty": 1, "price": 2}`, `, "total": 99999`), "total:v=2 justification:v urgentReason:"},
		// A line without its price yet: the total has no value (and says
		// why), and nothing fails.
		{"half-typed line", purchaseData(`{"description": "Pens", "qty": 3}`, ""), "total:v!ruleFailed justification:v urgentReason:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := evaluate("sara", tc.data)
			if got := fieldStates(t, r); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if f := r.body["form"].(map[string]any); f["key"] != "purchase-request" || f["version"] != 1.0 {
				t.Errorf("form %v", f)
			}
		})
	}
	// Messages are in the caller's language.
	half := call(t, c.srv, "POST", "/api/v1/forms/purchase-request/evaluate", `{"data": `+purchaseData(`{"qty": 3}`, "")+`}`,
		append(bearer(c.tokens["sara"]), "Accept-Language", "fa")...)
	if !strings.Contains(string(half.raw), `"pointer":"/data/total"`) || !strings.Contains(string(half.raw), "قاعده") {
		t.Errorf("rule failure in Persian: %s", half.raw)
	}

	// What the evaluation said required, submission requires; the total
	// it computed is the one stored.
	big := purchaseData(`{"description": "Laptop", "qty": 1, "price": 1500}`, "")
	rejected := c.must(422, "sara", "POST", "/api/v1/requests", `{"type": "purchase-request", "channel": "portal", "data": `+big+`}`)
	if !strings.Contains(string(rejected.raw), `"/data/justification"`) {
		t.Errorf("submission without the justification: %s", rejected.raw)
	}
	good := purchaseData(`{"description": "Laptop", "qty": 1, "price": 1500}`, `, "justification": "The old one broke down.", "urgent": false, "urgentReason": "typed then unticked"`)
	if got := fieldStates(t, evaluate("sara", good)); got != "total:v=1500 justification:vr urgentReason:" {
		t.Errorf("complete data: %s", got)
	}
	filed := c.must(201, "sara", "POST", "/api/v1/requests", `{"type": "purchase-request", "channel": "portal", "data": `+good+`}`)
	data := c.request(filed.body["id"].(string))["data"].(map[string]any)
	if data["total"] != 1500.0 || data["urgentReason"] != nil {
		t.Errorf("stored %v: want the total evaluated and the hidden reason dropped", data)
	}
}

// Evaluation is authorised and checked as submission is, refuses bad
// input with a 4xx, and stores nothing.
func TestFormEvaluationRefusals(t *testing.T) {
	c := newCrew(t)
	// A form whose rules read the request: who it is for and how it came.
	form := `{"key": "callback", "title": {"en": "Call back"}, "schema": {"type": "object", "properties": {
		"note": {"type": "string"}, "via": {"type": "string"}}},
		"ui": {"fields": {"note": {"visibleWhen": "request.requester.segment == \"gold\""}, "via": {"calculate": "request.channel"}}}}`
	putAndPublish(t, c.srv, func(m, p string, b any) response { return c.as("admin", m, p, b) }, "forms", "callback", form)
	// Only agents may ask for IT support by this type.
	putAndPublish(t, c.srv, func(m, p string, b any) response { return c.as("admin", m, p, b) }, "request-types", "it-agents",
		`{"title": {"en": "IT for agents"}, "category": "it", "interaction": "support", "form": "it-support", "audience": {"roles": ["agent"]}}`)

	gold := `{"channel": "phone", "requester": {"name": "Gol", "email": "gold@example.com", "segment": "gold"}, "data": {}}`
	r := c.must(200, "reza", "POST", "/api/v1/forms/callback/evaluate", gold)
	fields := r.body["fields"].(map[string]any)
	if fields["note"].(map[string]any)["visible"] != true || fields["via"].(map[string]any)["value"] != "phone" {
		t.Errorf("the rules did not see the caller and the channel: %s", r.raw)
	}
	for who, want := range map[string]bool{"sara": true, "leila": false} { // sara is a gold customer
		r = c.must(200, who, "POST", "/api/v1/forms/callback/evaluate", `{"channel": "portal", "data": {}}`)
		if fields := r.body["fields"].(map[string]any); fields["note"].(map[string]any)["visible"] != want || fields["via"].(map[string]any)["value"] != "portal" {
			t.Errorf("%s, on the portal: %s", who, r.raw)
		}
	}
	// The caller's profile was looked up, not created.
	c.must(404, "reza", "GET", "/api/v1/customers/e-gold@example.com", nil)
	if mine := c.must(200, "sara", "GET", "/api/v1/requests?requester=me", nil); len(mine.body["items"].([]any)) != 0 {
		t.Errorf("an evaluation filed a request: %s", mine.raw)
	}

	path := "/api/v1/forms/purchase-request/evaluate"
	big := `{"data": {"x": "` + strings.Repeat("a", 1100*1024) + `"}}`
	cases := []struct {
		name, user, path, body string
		status                 int
		problem                string
	}{
		{"data not an object", "sara", path, `{"data": [1]}`, 400, "invalid-input"},
		{"no data", "sara", path, `{"version": 1}`, 400, "invalid-input"},
		{"unknown field", "sara", path, `{"data": {}, "fomr": 1}`, 400, "malformed-json"},
		{"negative version", "sara", path, `{"version": -1, "data": {}}`, 400, "invalid-input"},
		{"huge number", "sara", path, `{"data": {"total": 1e999999}}`, 400, "invalid-input"},
		{"not a channel", "sara", path, `{"channel": "fax", "data": {}}`, 400, "invalid-input"},
		{"a channel the type does not take", "reza", path, `{"channel": "phone", "requester": {"username": "sara"}, "data": {}}`, 400, "invalid-input"},
		{"a requester for a requester", "sara", path, `{"channel": "phone", "requester": {"username": "reza"}, "data": {}}`, 403, "forbidden"},
		{"a bad caller", "reza", "/api/v1/forms/callback/evaluate", `{"channel": "phone", "requester": {"email": "not-an-email"}, "data": {}}`, 400, "invalid-input"},
		{"a type that wraps another form", "sara", path, `{"type": "complaint", "data": {}}`, 400, "invalid-input"},
		{"outside the type's audience", "sara", "/api/v1/forms/it-support/evaluate", `{"type": "it-agents", "data": {}}`, 403, "not-yours"},
		{"no such version", "sara", path, `{"version": 7, "data": {}}`, 404, "not-found"},
		{"no such form", "sara", "/api/v1/forms/no-such-form/evaluate", `{"data": {}}`, 404, "not-found"},
		{"too large", "sara", path, big, 413, "payload-too-large"},
		{"process owners do not submit", "omid", path, `{"data": {}}`, 403, "forbidden"},
		{"nobody logged in", "anonymous", path, `{"data": {}}`, 401, "unauthenticated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectProblem(t, c.as(tc.user, "POST", tc.path, tc.body), tc.status, tc.problem)
		})
	}
	// The type the agents' audience admits: reza may evaluate it.
	c.must(200, "reza", "POST", "/api/v1/forms/it-support/evaluate", `{"type": "it-agents", "data": {}}`)
}
