package rules_test

import (
	"fmt"
	"time"

	"github.com/pishkhan/pishkhan/rules"
)

func ExampleEnv_Compile() {
	env := rules.NewEnv(&rules.Field{Type: rules.TypeObject, Fields: map[string]*rules.Field{
		"amount": {Type: rules.TypeNumber},
	}})
	if _, err := env.Compile(`form.amout > 1000`, rules.Bool); err != nil {
		fmt.Println(err)
	}
	big, _ := env.Compile(`form.amount > 1000 && request.requester.segment in ["gold", "vip"]`, rules.Bool)
	for _, amount := range []any{int64(1500), nil} {
		ok, _ := big.EvalBool(rules.Input{Form: map[string]any{"amount": amount},
			Request: rules.Request{Requester: rules.Requester{Segment: "gold"}}, Now: time.Now()})
		fmt.Println(amount, ok)
	}
	// Output:
	// line 1, column 6: the form has no field form.amout (did you mean form.amount?) in `form.amout > 1000`
	// 1500 true
	// <nil> false
}

func ExampleCompileTable() {
	table := rules.Table{
		Key: "routing", HitPolicy: "first",
		Inputs:  []rules.Column{{Name: "segment", Expr: "request.requester.segment"}, {Name: "channel", Expr: "request.channel"}},
		Outputs: []rules.OutputColumn{{Name: "group", Type: "string"}},
		Rows: []rules.Row{
			{When: []string{`in ["gold", "vip"]`, "-"}, Then: map[string]any{"group": "premium-desk"}},
			{When: []string{"-", `"phone"`}, Then: map[string]any{"group": "call-center"}},
			{When: []string{"-", "-"}, Then: map[string]any{"group": "service-desk"}},
		},
	}
	compiled, err := rules.CompileTable(table, rules.NewEnv(nil))
	if err != nil {
		panic(err)
	}
	d, _ := compiled.Evaluate(rules.Input{Request: rules.Request{Channel: "phone", Requester: rules.Requester{Segment: "standard"}}})
	fmt.Println(d.Outputs[0]["group"], d.Matched)
	// Output: call-center [1]
}
