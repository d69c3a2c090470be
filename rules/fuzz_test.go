package rules_test

import (
	"testing"

	"github.com/pishkhan/pishkhan/rules"
)

// FuzzCompileEval compiles and runs untrusted rules: whatever a process
// owner types, the answer is a compile error, an evaluation error or a
// value, never a panic or a hang.
//
//	go test -run '^$' -fuzz FuzzCompileEval -fuzztime 1m ./rules/
func FuzzCompileEval(f *testing.F) {
	for _, seed := range []string{
		`form.amount > 1000 && request.requester.segment in ["gold", "vip"]`,
		`sum(form.items, .qty * .price) > 100`, `form.address?.city ?? "x"`, `len(map(1..1000, # * 2))`,
		`1 / 0`, `form.qty % 0`, `"a" + "b"`, `now > addDays(now, -1)`, `{"a": 1}.a`, `[1,2,3][5]`,
		`form.tags[0]`, `filter(form.items, .qty > 1)`, `((((((1))))))`, `date("2026-01-01")`, `toJSON(form)`,
	} {
		f.Add(seed)
	}
	env := rules.NewEnv(testForm)
	in := input(`{"amount": 1500, "qty": 2, "name": "Sara", "tags": ["a"], "items": [{"qty": 1, "price": 2.5}], "address": {"city": "Tehran"}}`)
	f.Fuzz(func(t *testing.T, src string) {
		p, err := env.Compile(src, rules.Any)
		if err != nil {
			return
		}
		_, _ = p.Eval(in)
		_, _ = p.Eval(rules.Input{})
	})
}
