package forms_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// orderForm: a purchase form whose total is calculated, whose company id
// shows only for businesses, and whose justification is required above a
// threshold.
func orderForm(hints map[string]forms.FieldHints) forms.Form {
	return forms.Form{Key: "order", Title: forms.Text{"en": "Order"}, Schema: json.RawMessage(`{
		"type": "object",
		"properties": {
			"kind": {"type": "string", "enum": ["personal", "business"]},
			"companyId": {"type": "string"},
			"items": {"type": "array", "items": {"type": "object", "properties": {"qty": {"type": "integer"}, "price": {"type": "number"}}}},
			"total": {"type": "number"},
			"justification": {"type": "string"},
			"address": {"type": "object", "properties": {"city": {"type": "string"}, "district": {"type": "string"}}}
		}}`), UI: forms.UI{Fields: hints}}
}

var orderHints = map[string]forms.FieldHints{
	"total":            {Calculate: "sum(form.items ?? [], .qty * .price)"},
	"companyId":        {VisibleWhen: `form.kind == "business"`, RequiredWhen: "true"},
	"justification":    {RequiredWhen: "form.total > 1000"},
	"address.district": {VisibleWhen: `form.address.city == "Tehran"`},
}

func prepare(t *testing.T, c *forms.Compiled, data string) (map[string]any, []string) {
	t.Helper()
	m := decode(t, data).(map[string]any)
	out, errs := c.Prepare(m, rules.Input{})
	if err := c.Validate(out); err != nil {
		var ve *forms.ValidationError
		if !errors.As(err, &ve) {
			t.Fatal(err)
		}
		errs = append(errs, ve.Errors...)
	}
	var list []string
	for _, e := range errs {
		list = append(list, e.Pointer+" "+e.Code)
	}
	sort.Strings(list)
	return out, list
}

func TestFormRulesAtSubmission(t *testing.T) {
	t.Parallel()
	c, err := forms.Compile(orderForm(orderHints), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, data, want string
		errs             []string
	}{
		{"calculated total replaces the client's", `{"kind": "personal", "items": [{"qty": 2, "price": 100}], "total": 1}`, `"total":200`, nil},
		{"hidden field dropped", `{"kind": "personal", "companyId": "123", "items": []}`, `"kind":"personal"`, nil},
		{"visible and required", `{"kind": "business", "items": []}`, ``, []string{"/companyId required"}},
		{"required above the threshold", `{"kind": "personal", "items": [{"qty": 20, "price": 100}]}`, ``, []string{"/justification required"}},
		{"blank is not a value", `{"kind": "personal", "justification": "  ", "items": [{"qty": 20, "price": 100}]}`, ``, []string{"/justification required"}},
		{"nested visibility", `{"kind": "personal", "address": {"city": "Shiraz", "district": "3"}}`, `"address":{"city":"Shiraz"}`, nil},
		{"nested visible", `{"kind": "personal", "address": {"city": "Tehran", "district": "3"}}`, `"district":"3"`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errs := prepare(t, c, tc.data)
			b, _ := json.Marshal(out)
			if !strings.Contains(string(b), tc.want) {
				t.Errorf("prepared %s, want it to contain %s", b, tc.want)
			}
			if tc.name == "hidden field dropped" && strings.Contains(string(b), "companyId") {
				t.Errorf("hidden field kept: %s", b)
			}
			if fmt.Sprint(errs) != fmt.Sprint(tc.errs) {
				t.Errorf("errors %v, want %v", errs, tc.errs)
			}
		})
	}
	// The caller's data is not changed.
	in := decode(t, `{"total": 1, "items": [{"qty": 1, "price": 5}]}`).(map[string]any)
	c.Prepare(in, rules.Input{})
	if fmt.Sprint(in["total"]) != "1" {
		t.Errorf("Prepare changed its input: %v", in)
	}
}

func TestFormRulesAreCheckedAtPublish(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		hints   map[string]forms.FieldHints
		pointer string
		text    string
	}{
		{"typo", map[string]forms.FieldHints{"companyId": {VisibleWhen: `form.knd == "business"`}}, "/ui/fields/companyId/visibleWhen", "did you mean form.kind"},
		{"not a condition", map[string]forms.FieldHints{"companyId": {RequiredWhen: `form.kind`}}, "/ui/fields/companyId/requiredWhen", "true or false"},
		{"calculation of the wrong type", map[string]forms.FieldHints{"total": {Calculate: `form.kind`}}, "/ui/fields/total/calculate", "number"},
		{"syntax", map[string]forms.FieldHints{"total": {Calculate: `sum(form.items,`}}, "/ui/fields/total/calculate", "column 15"},
		{"inside a list", map[string]forms.FieldHints{"items.qty": {VisibleWhen: `true`}}, "/ui/fields/items.qty", "lists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := forms.Compile(orderForm(tc.hints), nil)
			var de *forms.DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v", err)
			}
			for _, p := range de.Problems {
				if p.Pointer == tc.pointer && strings.Contains(p.Message("en"), tc.text) {
					return
				}
			}
			t.Errorf("no problem at %s mentioning %q: %+v", tc.pointer, tc.text, de.Problems)
		})
	}
}

// Rules see fields that come from fragments.
func TestRulesSeeFragmentFields(t *testing.T) {
	t.Parallel()
	store := fragmentStore{"contact": {`{"type": "object", "properties": {"email": {"type": "string"}, "vip": {"type": "boolean"}}}`}}
	f := forms.Form{Key: "t1", Title: forms.Text{"en": "T"}, Schema: json.RawMessage(`{"type": "object", "properties": {
		"contact": {"$ref": "fragment:contact"}, "note": {"type": "string"}}}`),
		UI: forms.UI{Fields: map[string]forms.FieldHints{"note": {VisibleWhen: "form.contact.vip == true"}}}}
	if _, err := forms.Compile(f, store); err != nil {
		t.Fatalf("a rule over a fragment field: %v", err)
	}
	f.UI.Fields["note"] = forms.FieldHints{VisibleWhen: "form.contact.vipp == true"}
	if _, err := forms.Compile(f, store); err == nil || !strings.Contains(err.Error(), "form.contact.vip") {
		t.Errorf("a typo in a fragment field: %v", err)
	}
}

// feeForm: calculations that read each other, listed so that path order
// would run them the wrong way round.
func feeForm(hints map[string]forms.FieldHints) forms.Form {
	return forms.Form{Key: "fees", Title: forms.Text{"en": "Fees"}, Schema: json.RawMessage(`{
		"type": "object",
		"properties": {
			"aFee": {"type": "number"}, "bBase": {"type": "number"}, "cTotal": {"type": "number"},
			"express": {"type": "boolean"}, "expressFee": {"type": "number"},
			"items": {"type": "array", "items": {"type": "object", "properties": {"price": {"type": "number"}}}}
		}}`), UI: forms.UI{Fields: hints}}
}

func TestCalculationsRunAfterWhatTheyRead(t *testing.T) {
	t.Parallel()
	c, err := forms.Compile(feeForm(map[string]forms.FieldHints{
		"aFee":       {Calculate: "form.bBase * 0.1"},
		"bBase":      {Calculate: "sum(form.items, .price) + (form.expressFee ?? 0)"},
		"cTotal":     {Calculate: "form.aFee + form.bBase"},
		"expressFee": {VisibleWhen: "form.express == true"},
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The client claims a huge base and fee; the server computes both from
	// the items, the fee after the base.
	out, errs := prepare(t, c, `{"items": [{"price": 60}, {"price": 40}], "bBase": 1000000, "aFee": 5, "cTotal": 1}`)
	if len(errs) != 0 || fmt.Sprint(out["bBase"], " ", out["aFee"], " ", out["cTotal"]) != "100 10 110" {
		t.Errorf("got base %v fee %v total %v, errors %v; want 100 10 110", out["bBase"], out["aFee"], out["cTotal"], errs)
	}
	// A hidden field counts in no calculation.
	out, _ = prepare(t, c, `{"items": [{"price": 100}], "express": false, "expressFee": 50}`)
	if fmt.Sprint(out["bBase"]) != "100" || out["expressFee"] != nil {
		t.Errorf("hidden express fee counted: %v", out)
	}
	out, _ = prepare(t, c, `{"items": [{"price": 100}], "express": true, "expressFee": 50}`)
	if fmt.Sprint(out["bBase"]) != "150" {
		t.Errorf("visible express fee not counted: %v", out)
	}
}

func TestCircularCalculationsAreRefused(t *testing.T) {
	t.Parallel()
	for name, hints := range map[string]map[string]forms.FieldHints{
		"two fields":    {"aFee": {Calculate: "form.bBase * 0.1"}, "bBase": {Calculate: "form.aFee * 10"}},
		"own value":     {"bBase": {Calculate: "form.bBase + 1"}},
		"form as whole": {"aFee": {Calculate: "isBlank(form) ? 0 : 1"}, "bBase": {Calculate: "form.aFee"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := forms.Compile(feeForm(hints), nil)
			if err == nil || !strings.Contains(err.Error(), "depend on each other in a circle") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// describe prints field states in path order: "field:v r =value !failed".
func describe(states map[string]forms.FieldState) string {
	keys := make([]string, 0, len(states))
	for k := range states {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		s := states[k]
		fmt.Fprintf(&b, "%s:", k)
		if s.Visible {
			b.WriteString("v")
		}
		if s.Required {
			b.WriteString("r")
		}
		if s.Calculated {
			fmt.Fprintf(&b, "=%v", s.Value)
		}
		for _, f := range s.Failed {
			fmt.Fprintf(&b, "!%s", f.Code)
		}
		b.WriteString(" ")
	}
	return strings.TrimSpace(b.String())
}

// Evaluate answers what submission would decide for each field, on data
// typed so far.
func TestEvaluateSaysWhatSubmissionDecides(t *testing.T) {
	t.Parallel()
	c, err := forms.Compile(orderForm(orderHints), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, data, want string }{
		{"nothing typed", `{}`, "address.district: companyId: justification:v total:v=0"},
		{"a business", `{"kind": "business"}`, "address.district: companyId:vr justification:v total:v=0"},
		{"above the threshold", `{"items": [{"qty": 20, "price": 100}]}`, "address.district: companyId: justification:vr total:v=2000"},
		{"the client's total is ignored", `{"items": [{"qty": 1, "price": 100}], "total": 5000}`, "address.district: companyId: justification:v total:v=100"},
		{"nested visible", `{"address": {"city": "Tehran"}}`, "address.district:v companyId: justification:v total:v=0"},
		// An item without a price yet: the total cannot be computed (it has
		// no value), and the justification is not required by a total that
		// does not exist.
		{"partial item", `{"items": [{"qty": 2}]}`, "address.district: companyId: justification:v total:v=<nil>!ruleFailed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := decode(t, tc.data).(map[string]any)
			if got := describe(c.Evaluate(data, rules.Input{})); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// Evaluate and Prepare share their rules run: on every sample the
// calculated values are the prepared ones, a hidden field is the one
// Prepare drops, and a required field without a value is the one Prepare
// reports.
func TestEvaluateAgreesWithPrepare(t *testing.T) {
	t.Parallel()
	c, err := forms.Compile(orderForm(orderHints), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{
		`{}`, `{"kind": "business", "companyId": "C1"}`, `{"kind": "personal", "companyId": "C1"}`,
		`{"items": [{"qty": 20, "price": 100}]}`, `{"items": [{"qty": 20, "price": 100}], "justification": "new team"}`,
		`{"address": {"city": "Shiraz", "district": "2"}}`, `{"items": [{"qty": "two", "price": 1}]}`,
	} {
		m := decode(t, data).(map[string]any)
		states := c.Evaluate(m, rules.Input{})
		out, errs := c.Prepare(m, rules.Input{})
		reported := map[string]bool{}
		for _, e := range errs {
			reported[e.Pointer+" "+e.Code] = true
		}
		for field, s := range states {
			path := strings.Split(field, ".")
			ptr := "/" + strings.Join(path, "/")
			var kept any = out
			for _, p := range path {
				m, _ := kept.(map[string]any)
				kept = m[p]
			}
			if s.Calculated && s.Visible && fmt.Sprint(kept) != fmt.Sprint(s.Value) {
				t.Errorf("%s: %s evaluated %v, prepared %v", data, field, s.Value, kept)
			}
			if !s.Visible && kept != nil {
				t.Errorf("%s: %s hidden but kept: %v", data, field, kept)
			}
			if missing := s.Required && kept == nil; missing != reported[ptr+" required"] {
				t.Errorf("%s: %s required %v, value %v, Prepare reported %v", data, field, s.Required, kept, errs)
			}
			if (len(s.Failed) > 0) != reported[ptr+" ruleFailed"] {
				t.Errorf("%s: %s failed %v, Prepare reported %v", data, field, s.Failed, errs)
			}
		}
	}
}
