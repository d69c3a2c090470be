package rules_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/rules"
)

// testForm is the type of a purchase-like form.
var testForm = &rules.Field{Type: rules.TypeObject, Fields: map[string]*rules.Field{
	"amount":    {Type: rules.TypeNumber},
	"qty":       {Type: rules.TypeInteger},
	"name":      {Type: rules.TypeString},
	"category":  {Type: rules.TypeString},
	"urgent":    {Type: rules.TypeBoolean},
	"birthDate": {Type: rules.TypeString},
	"extra":     {Type: rules.TypeUnknown},
	"address": {Type: rules.TypeObject, Fields: map[string]*rules.Field{
		"city": {Type: rules.TypeString}, "zip": {Type: rules.TypeString}}},
	"items": {Type: rules.TypeArray, Items: &rules.Field{Type: rules.TypeObject, Fields: map[string]*rules.Field{
		"qty": {Type: rules.TypeInteger}, "price": {Type: rules.TypeNumber}}}},
	"tags": {Type: rules.TypeArray, Items: &rules.Field{Type: rules.TypeString}},
}}

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func input(form string) rules.Input {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(form))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		panic(err)
	}
	return rules.Input{Form: m, Now: now, Request: rules.Request{Channel: "portal", Requester: rules.Requester{Segment: "gold", Manager: "maryam", Groups: []string{"it"}}}}
}

func TestStaticChecks(t *testing.T) {
	t.Parallel()
	env := rules.NewEnv(testForm)
	cases := []struct {
		src        string
		want       rules.Kind
		line, col  int
		path, text string
	}{
		{"form.amout > 1000", rules.Bool, 1, 6, "form.amout", "did you mean form.amount?"},
		{"form.address.cty == \"Tehran\"", rules.Bool, 1, 14, "form.address.cty", "did you mean form.address.city?"},
		{"form.amount > 1 &&\n  form.nme == \"x\"", rules.Bool, 2, 8, "form.nme", "did you mean form.name?"},
		{"form.name > 3", rules.Bool, 1, 11, "", "mismatched types string and int"},
		{"nosuch(form.amount)", rules.Bool, 1, 1, "", "unknown name nosuch"},
		{"form.amount >", rules.Bool, 1, 13, "", "unexpected token"},
		{"form.amount + 1", rules.Bool, 1, 1, "", "must give true or false"},
		{"form.name", rules.Number, 1, 1, "", "must give a number"},
		{"sum(form.items, .qtx)", rules.Number, 1, 18, "", "no field qtx"},
		{"repeat(\"x\", 10)", rules.String, 1, 1, "", "unknown name repeat"},
		{"now()", rules.Any, 1, 1, "", ""},
		{"", rules.Bool, 1, 1, "", "empty"},
		{strings.Repeat("1 + ", 1200) + "1 > 0", rules.Bool, 1, 1, "", "limit"},
		{strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300) + " > 0", rules.Bool, 0, 0, "", ""},
		{strings.Repeat("1+", 1100) + "1 > 0", rules.Bool, 0, 0, "", "exceeds maximum allowed nodes"},
	}
	for _, tc := range cases {
		t.Run(tc.src[:min(len(tc.src), 30)], func(t *testing.T) {
			_, err := env.Compile(tc.src, tc.want)
			if tc.line == 0 && tc.text == "" {
				if err != nil {
					t.Logf("compiles or not: %v", err) // deep nesting must not crash; either answer is fine
				}
				return
			}
			var ce *rules.CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a CompileError", err)
			}
			if tc.line > 0 && (ce.Line != tc.line || ce.Column != tc.col) {
				t.Errorf("at %d:%d, want %d:%d (%v)", ce.Line, ce.Column, tc.line, tc.col, ce)
			}
			if ce.Path != tc.path || !strings.Contains(ce.Error(), tc.text) {
				t.Errorf("error %q (path %q), want path %q and %q", ce.Error(), ce.Path, tc.path, tc.text)
			}
		})
	}
}

func TestEvaluation(t *testing.T) {
	t.Parallel()
	env := rules.NewEnv(testForm)
	cases := []struct {
		src, form string
		want      any
	}{
		{`form.amount > 1000 && request.requester.segment in ["gold", "vip"]`, `{"amount": 1500}`, true},
		{`form.amount > 1000`, `{"amount": 999.99}`, false},
		{`form.amount > 1000`, `{"amount": 1000.5}`, true},
		{`form.qty >= 2`, `{"qty": 2}`, true},
		{`sum(form.items, .qty * .price)`, `{"items": [{"qty": 2, "price": 3.5}, {"qty": 1, "price": 10}]}`, 17.0},
		{`form.name startsWith "Sa" && upper(form.name) == "SARA"`, `{"name": "Sara"}`, true},
		{`"urgent" in form.tags`, `{"tags": ["x", "urgent"]}`, true},
		{`daysBetween(date("2026-11-20"), now)`, `{}`, 3},
		{`addDays(now, 2) > now`, `{}`, true},
		{`age(form.birthDate, now) >= 18`, `{"birthDate": "2000-01-01"}`, true},
		{`request.requester.manager`, `{}`, "maryam"},
		{`7 / 2`, `{}`, 3.5},
		// Absent fields.
		{`form.amount > 1000`, `{}`, false},
		{`form.amount < 1000`, `{}`, false},
		{`form.amount == nil`, `{}`, true},
		{`form.amount != nil`, `{"amount": 1}`, true},
		{`form.address.city == "Tehran"`, `{}`, false},
		{`form.address.city == nil`, `{"address": {}}`, true},
		{`(form.qty ?? 0) + 1`, `{}`, 1},
		{`coalesce(form.name, "anonymous")`, `{}`, "anonymous"},
		{`isBlank(form.name)`, `{"name": "   "}`, true},
		{`form.extra.anything == 3`, `{"extra": {"anything": 3}}`, true},
	}
	for _, tc := range cases {
		t.Run(tc.src, func(t *testing.T) {
			t.Parallel()
			p, err := env.Compile(tc.src, rules.Any)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Eval(input(tc.form))
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("= %v (%T), want %v", got, got, tc.want)
			}
		})
	}
}

// Rules that go wrong at run time fail that evaluation with a clear error.
func TestEvaluationFailures(t *testing.T) {
	t.Parallel()
	env := rules.NewEnv(testForm)
	cases := map[string]string{
		`1 / (form.amount ?? 0) > 1`:                       "division by zero",
		`form.qty % 0 == 1`:                                "divide by zero",
		`form.qty * 2 > 1`:                                 "",
		`len(map(1..100000000, #)) > 0`:                    "memory budget",
		`len(toJSON(1..10000000)) > 0`:                     "memory budget",
		`len(join(map(1..1000000, "xxxxxxxxxx"), "")) > 0`: "memory budget",
		`age(form.name, now) > 1`:                          "not a date",
	}
	for src, want := range cases {
		t.Run(src, func(t *testing.T) {
			t.Parallel()
			p, err := env.Compile(src, rules.Bool)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.EvalBool(input(`{"qty": 3, "name": "x"}`))
			if src == `form.qty * 2 > 1` {
				_, err = p.EvalBool(input(`{}`)) // arithmetic with an absent field
			}
			var ee *rules.EvalError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want an EvalError mentioning %q", err, want)
			}
		})
	}
	p, _ := env.Compile(`form.name`, rules.Any)
	if _, err := p.EvalBool(input(`{"name": "x"}`)); err == nil {
		t.Error("EvalBool of text: no error")
	}
}

func TestCompileCache(t *testing.T) {
	t.Parallel()
	env := rules.NewEnv(testForm)
	a, _ := env.Compile("form.amount > 1", rules.Bool)
	b, _ := env.Compile("form.amount > 1", rules.Bool)
	if a != b {
		t.Error("the same rule compiled twice")
	}
}

func loadTable(t testing.TB) rules.Table {
	var tb rules.Table
	b, err := os.ReadFile("testdata/routing.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tb); err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestDecisionTables(t *testing.T) {
	t.Parallel()
	env := rules.NewEnv(testForm)
	tb := loadTable(t)
	ct, err := rules.CompileTable(tb, env)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		segment, channel, form string
		matched                []int
		group                  string
	}{
		{"gold", "portal", `{"category": "access"}`, []int{0}, "identity-team"},
		{"standard", "phone", `{"category": "network"}`, []int{1}, "network-oncall"},
		{"standard", "portal", `{"category": "network", "amount": 20000}`, []int{2}, "procurement"},
		{"standard", "portal", `{}`, []int{3}, "service-desk"},
	}
	for _, tc := range cases {
		in := input(tc.form)
		in.Request.Requester.Segment, in.Request.Channel = tc.segment, tc.channel
		d, err := ct.Evaluate(in)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(d.Matched) != fmt.Sprint(tc.matched) || d.Outputs[0]["group"] != tc.group {
			t.Errorf("%s/%s/%s: %+v", tc.segment, tc.channel, tc.form, d)
		}
	}
	// collect returns every matching row in order.
	tb.HitPolicy = "collect"
	ct, _ = rules.CompileTable(tb, env)
	d, _ := ct.Evaluate(input(`{"category": "access", "amount": 50000}`))
	if fmt.Sprint(d.Matched) != "[0 2 3]" {
		t.Errorf("collect matched %v", d.Matched)
	}
	// unique: the catch-all row overlaps every other; found at publish.
	tb.HitPolicy = "unique"
	_, err = rules.CompileTable(tb, env)
	var te *rules.TableError
	if !errors.As(err, &te) || te.Problems[0].Code != "overlap" {
		t.Fatalf("unique with a catch-all row: %v", err)
	}
	if len(te.Problems) != 5 {
		t.Errorf("problems %+v, want rows 1-3, 1-4, 2-3, 2-4 and 3-4", te.Problems)
	}
	// Overlap that only running shows (ranges) is a clear runtime error.
	ranges := rules.Table{Key: "r", HitPolicy: "unique",
		Inputs:  []rules.Column{{Name: "amount", Expr: "form.amount"}},
		Outputs: []rules.OutputColumn{{Name: "band", Type: "string"}},
		Rows: []rules.Row{{When: []string{"> 100"}, Then: map[string]any{"band": "mid"}},
			{When: []string{"> 1000"}, Then: map[string]any{"band": "high"}}}}
	ct, err = rules.CompileTable(ranges, env)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := ct.Evaluate(input(`{"amount": 500}`)); err != nil || d.Outputs[0]["band"] != "mid" {
		t.Errorf("one match: %+v %v", d, err)
	}
	if _, err := ct.Evaluate(input(`{"amount": 5000}`)); err == nil || !strings.Contains(err.Error(), "rows 1 and 2 both match") {
		t.Errorf("runtime overlap: %v", err)
	}
}

func TestTableRefusals(t *testing.T) {
	t.Parallel()
	env := rules.NewEnv(testForm)
	base := loadTable(t)
	cases := []struct {
		name    string
		mutate  func(*rules.Table)
		pointer string
		code    string
	}{
		{"hit policy", func(tb *rules.Table) { tb.HitPolicy = "any" }, "/hitPolicy", "hitPolicy"},
		{"input typo", func(tb *rules.Table) { tb.Inputs[1].Expr = "form.categry" }, "/inputs/1/expr", "expr"},
		{"cell type", func(tb *rules.Table) { tb.Rows[1].When[1] = `> 5` }, "/rows/1/when/1", "cell"},
		{"cell syntax", func(tb *rules.Table) { tb.Rows[0].When[0] = `in ["gold"` }, "/rows/0/when/0", "cell"},
		{"cells count", func(tb *rules.Table) { tb.Rows[1].When = tb.Rows[1].When[:2] }, "/rows/1/when", "cells"},
		{"unknown output", func(tb *rules.Table) { tb.Rows[0].Then["team"] = "x" }, "/rows/0/then/team", "output"},
		{"outputs disagree in type", func(tb *rules.Table) { tb.Rows[3].Then["priority"] = 3.0 }, "/rows/3/then/priority", "outputType"},
		{"output type", func(tb *rules.Table) { tb.Outputs[0].Type = "date" }, "/outputs/0/type", "type"},
		{"duplicate input", func(tb *rules.Table) { tb.Inputs[1].Name = "segment" }, "/inputs/1/name", "name"},
		{"text without quotes", func(tb *rules.Table) { tb.Rows[0].When[0] = `gold` }, "/rows/0/when/0", "cell"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var tb rules.Table
			b, _ := json.Marshal(base)
			_ = json.Unmarshal(b, &tb)
			tc.mutate(&tb)
			_, err := rules.CompileTable(tb, env)
			var te *rules.TableError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v", err)
			}
			for _, p := range te.Problems {
				if p.Pointer == tc.pointer && p.Code == tc.code {
					if tc.name == "text without quotes" && !strings.Contains(p.Message, `write it in quotes: "gold"`) {
						t.Errorf("no hint to quote: %s", p.Message)
					}
					return
				}
			}
			t.Errorf("no %s at %s: %+v", tc.code, tc.pointer, te.Problems)
		})
	}
}
