package rules_test

import (
	"fmt"
	"testing"

	"github.com/pishkhan/pishkhan/rules"
)

// go test -run '^$' -bench . -benchmem ./rules/
func BenchmarkEvalCondition(b *testing.B) {
	env := rules.NewEnv(testForm)
	p, err := env.Compile(`form.amount > 1000 && request.requester.segment in ["gold", "vip"]`, rules.Bool)
	if err != nil {
		b.Fatal(err)
	}
	in := rules.Input{Form: map[string]any{"amount": 1500.0}, Request: rules.Request{Requester: rules.Requester{Segment: "gold"}}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if ok, err := p.EvalBool(in); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkEvalConditionNativeGo is the baseline: the same condition
// written in Go, over the same map.
func BenchmarkEvalConditionNativeGo(b *testing.B) {
	in := rules.Input{Form: map[string]any{"amount": 1500.0}, Request: rules.Request{Requester: rules.Requester{Segment: "gold"}}}
	cond := func(in rules.Input) bool {
		amount, _ := in.Form["amount"].(float64)
		s := in.Request.Requester.Segment
		return amount > 1000 && (s == "gold" || s == "vip")
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !cond(in) {
			b.Fatal()
		}
	}
}

// BenchmarkTable50x4: 50 rows x 4 inputs, the matching row last.
func BenchmarkTable50x4(b *testing.B) {
	tb := rules.Table{Key: "t", HitPolicy: "first",
		Inputs: []rules.Column{{Name: "segment", Expr: "request.requester.segment"}, {Name: "channel", Expr: "request.channel"},
			{Name: "amount", Expr: "form.amount ?? 0"}, {Name: "category", Expr: "form.category"}},
		Outputs: []rules.OutputColumn{{Name: "group", Type: "string"}}}
	for i := 0; i < 49; i++ {
		tb.Rows = append(tb.Rows, rules.Row{When: []string{`in ["gold", "vip"]`, `"phone"`, fmt.Sprintf("> %d", 1000*i), fmt.Sprintf(`"cat-%d"`, i)},
			Then: map[string]any{"group": fmt.Sprint("g", i)}})
	}
	tb.Rows = append(tb.Rows, rules.Row{When: []string{"-", "-", "-", "-"}, Then: map[string]any{"group": "default"}})
	ct, err := rules.CompileTable(tb, rules.NewEnv(testForm))
	if err != nil {
		b.Fatal(err)
	}
	in := rules.Input{Form: map[string]any{"amount": 500.0, "category": "other"}, Request: rules.Request{Channel: "phone", Requester: rules.Requester{Segment: "gold"}}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if d, err := ct.Evaluate(in); err != nil || len(d.Matched) != 1 || d.Matched[0] != 49 {
			b.Fatal(d, err)
		}
	}
}

// BenchmarkCompileWorkflow30 compiles and type-checks 30 distinct rules
// with a fresh environment (cold cache), as publishing a workflow does.
func BenchmarkCompileWorkflow30(b *testing.B) {
	srcs := make([]string, 30)
	for i := range srcs {
		srcs[i] = fmt.Sprintf(`form.amount > %d && (form.category == "c%d" || request.channel in ["portal", "phone"]) && sum(form.items, .qty * .price) < %d`, i*100, i, i*1000+5)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		env := rules.NewEnv(testForm)
		for _, s := range srcs {
			if _, err := env.Compile(s, rules.Bool); err != nil {
				b.Fatal(err)
			}
		}
	}
}
