package forms

import (
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pishkhan/pishkhan/rules"
)

// fieldRule holds the compiled rules of one field.
type fieldRule struct {
	path                           []string
	pointer                        string
	visible, required, calculation *rules.Program
}

// Rules returns the environment rules about this form compile in: `form`
// typed from its schema.
func (c *Compiled) Rules() *rules.Env { return c.env }

// FieldTree describes the form's fields as rules see them.
func (c *Compiled) FieldTree() *rules.Field { return c.tree }

// fieldTree builds the rules' view of a compiled schema. Names are checked
// against the properties a schema lists, even where additional properties
// are allowed: a rule should only read fields the form declares. An object
// that lists none is open.
func fieldTree(s *jsonschema.Schema, depth int) *rules.Field {
	if s == nil || depth > 32 {
		return &rules.Field{Type: rules.TypeUnknown}
	}
	if s.Ref != nil && s.Types == nil && len(s.Properties) == 0 {
		return fieldTree(s.Ref, depth+1)
	}
	f := &rules.Field{Type: rules.TypeUnknown}
	if s.Types != nil {
		var kinds []string
		for _, t := range s.Types.ToStrings() {
			if t != "null" {
				kinds = append(kinds, t)
			}
		}
		if len(kinds) == 1 {
			f.Type = map[string]rules.FieldType{"string": rules.TypeString, "integer": rules.TypeInteger, "number": rules.TypeNumber,
				"boolean": rules.TypeBoolean, "object": rules.TypeObject, "array": rules.TypeArray}[kinds[0]]
		}
	} else if len(s.Properties) > 0 {
		f.Type = rules.TypeObject
	}
	switch f.Type {
	case rules.TypeObject:
		f.Fields = map[string]*rules.Field{}
		addProps := func(from *jsonschema.Schema) {
			if from == nil {
				return
			}
			if from.Ref != nil {
				from = from.Ref
			}
			for name, sub := range from.Properties {
				if _, ok := f.Fields[name]; !ok {
					f.Fields[name] = fieldTree(sub, depth+1)
				}
			}
		}
		addProps(s)
		addProps(s.Ref)
		for _, branch := range append(append([]*jsonschema.Schema{s.Then, s.Else}, s.AllOf...), append(s.AnyOf, s.OneOf...)...) {
			addProps(branch)
		}
		if _, isSchema := s.AdditionalProperties.(*jsonschema.Schema); isSchema || len(f.Fields) == 0 {
			f.Open = true
		}
	case rules.TypeArray:
		switch items := s.Items.(type) {
		case *jsonschema.Schema:
			f.Items = fieldTree(items, depth+1)
		}
		if s.Items2020 != nil {
			f.Items = fieldTree(s.Items2020, depth+1)
		}
	}
	return f
}

// kindOf is what a calculation for a field must give.
func kindOf(f *rules.Field) rules.Kind {
	switch f.Type {
	case rules.TypeString:
		return rules.String
	case rules.TypeInteger, rules.TypeNumber:
		return rules.Number
	case rules.TypeBoolean:
		return rules.Bool
	}
	return rules.Any
}

// compileFieldRules compiles visibleWhen, requiredWhen and calculate of
// every field hint.
func compileFieldRules(ui UI, tree *rules.Field, env *rules.Env) ([]fieldRule, []FieldError) {
	var out []fieldRule
	var problems []FieldError
	keys := make([]string, 0, len(ui.Fields))
	for k := range ui.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		h := ui.Fields[key]
		if h.VisibleWhen == "" && h.RequiredWhen == "" && h.Calculate == "" {
			continue
		}
		at := "/ui/fields" + pointer(key)
		path := strings.Split(key, ".")
		field, inList := walkTree(tree, path)
		if inList {
			problems = append(problems, FieldError{Pointer: at, Code: "rule", Params: map[string]any{"detail": "visibleWhen, requiredWhen and calculate work on fields outside lists; a field inside a list cannot have them yet"}})
			continue
		}
		fr := fieldRule{path: path, pointer: pointer(path...)}
		compile := func(name, src string, want rules.Kind) *rules.Program {
			if src == "" {
				return nil
			}
			p, err := env.Compile(src, want)
			if err != nil {
				var ce *rules.CompileError
				detail := err.Error()
				if errors.As(err, &ce) {
					detail = ce.Error()
				}
				problems = append(problems, FieldError{Pointer: at + "/" + name, Code: "rule", Params: map[string]any{"detail": detail}})
			}
			return p
		}
		fr.visible = compile("visibleWhen", h.VisibleWhen, rules.Bool)
		fr.required = compile("requiredWhen", h.RequiredWhen, rules.Bool)
		want := rules.Any
		if field != nil {
			want = kindOf(field)
		}
		fr.calculation = compile("calculate", h.Calculate, want)
		out = append(out, fr)
	}
	if len(problems) > 0 {
		return out, problems
	}
	ordered, cycle := orderCalculations(out)
	if cycle != nil {
		return out, []FieldError{{Pointer: "/ui/fields" + pointer(strings.Join(cycle[0], ".")) + "/calculate", Code: "rule", Params: map[string]any{
			"detail": "calculated fields depend on each other in a circle: " + describeCycle(cycle),
		}}}
	}
	return ordered, nil
}

// orderCalculations puts the field rules in an order in which every
// calculation runs after the calculations it reads, so that a calculated
// field never sees a value the client sent for another calculated field.
// Ties keep the path order. It returns the fields of a cycle if there is
// one.
func orderCalculations(frs []fieldRule) ([]fieldRule, [][]string) {
	deps := make([][]int, len(frs)) // deps[i]: calculations rule i reads
	for i, fr := range frs {
		if fr.calculation == nil {
			continue
		}
		reads, all := fr.calculation.Reads()
		if slices.ContainsFunc(reads, func(r []string) bool { return overlaps(r, fr.path) }) {
			return nil, [][]string{fr.path, fr.path}
		}
		for j, other := range frs {
			if j == i || other.calculation == nil {
				continue
			}
			if all || slices.ContainsFunc(reads, func(r []string) bool { return overlaps(r, other.path) }) {
				deps[i] = append(deps[i], j)
			}
		}
	}
	const (
		unseen = iota
		visiting
		done
	)
	state := make([]int, len(frs))
	var ordered []fieldRule
	var stack []int
	var cycle [][]string
	var visit func(i int) bool
	visit = func(i int) bool {
		switch state[i] {
		case done:
			return true
		case visiting:
			start := slices.Index(stack, i)
			for _, k := range stack[start:] {
				cycle = append(cycle, frs[k].path)
			}
			cycle = append(cycle, frs[i].path)
			return false
		}
		state[i] = visiting
		stack = append(stack, i)
		for _, j := range deps[i] {
			if !visit(j) {
				return false
			}
		}
		stack = stack[:len(stack)-1]
		state[i] = done
		ordered = append(ordered, frs[i])
		return true
	}
	for i := range frs {
		if !visit(i) {
			return nil, cycle
		}
	}
	return ordered, nil
}

// overlaps reports whether one path is the other or inside it: reading
// form.address depends on a calculated form.address.zone, and reading
// form.address.zone on a calculated form.address.
func overlaps(a, b []string) bool {
	n := min(len(a), len(b))
	return slices.Equal(a[:n], b[:n])
}

func describeCycle(cycle [][]string) string {
	names := make([]string, len(cycle))
	for i, p := range cycle {
		names[i] = strings.Join(p, ".")
	}
	return strings.Join(names, " → ")
}

// walkTree follows a dotted path; inList reports that it passed through an
// array.
func walkTree(f *rules.Field, path []string) (found *rules.Field, inList bool) {
	cur := f
	for _, name := range path {
		if cur == nil {
			return nil, false
		}
		if cur.Type == rules.TypeArray {
			return nil, true
		}
		if cur.Fields == nil {
			return nil, false
		}
		cur = cur.Fields[name]
	}
	return cur, false
}

// ruleOutcome is what the form's rules made of one rule-bearing field.
type ruleOutcome struct {
	hidden, required bool
	// failed lists the field's rules that could not be evaluated on the
	// data (code ruleFailed).
	failed []FieldError
}

// applyRules runs the form's rules on a copy of data in the order
// submission promises (docs/rules.md): calculated fields are computed, each
// after the calculations it reads (whatever the client sent for them is
// replaced); fields whose visibleWhen is false are dropped and the
// calculations run again without them; requiredWhen is evaluated for the
// visible fields. It is the one place rules run: Prepare turns its
// outcome into field errors, Evaluate into the fields' states, so that
// what the portal shows while the requester types is what submission
// decides. out keeps numbers exact for the schema; view is the same data
// with plain numbers, as the rules read it. outcomes is parallel to
// c.fieldRules.
func (c *Compiled) applyRules(data map[string]any, in rules.Input) (out, view map[string]any, outcomes []ruleOutcome) {
	out = deepCopy(data).(map[string]any)
	if len(c.fieldRules) == 0 {
		return out, nil, nil
	}
	// Rules read a copy whose numbers are converted once (rules cannot
	// compare json.Number); out keeps them exact for the schema. Every
	// change is made to both.
	view = rules.PlainNumbers(out).(map[string]any)
	in.Form = view
	set := func(path []string, v any) { setPath(out, path, v); setPath(view, path, v) }
	del := func(path []string) { deletePath(out, path); deletePath(view, path) }
	outcomes = make([]ruleOutcome, len(c.fieldRules))
	// Only the last pass's failed calculations count: a calculation that
	// failed on a field that is then hidden may succeed without it.
	calcFailed := make([]error, len(c.fieldRules))
	calculate := func() {
		for i, fr := range c.fieldRules {
			calcFailed[i] = nil
			if fr.calculation == nil || outcomes[i].hidden {
				continue
			}
			v, err := fr.calculation.Eval(in)
			if err != nil {
				calcFailed[i] = err
				del(fr.path) // never keep the client's value
				continue
			}
			set(fr.path, v)
		}
	}
	calculate()
	anyHidden := false
	for i, fr := range c.fieldRules {
		if fr.visible == nil {
			continue
		}
		v, err := fr.visible.Eval(in)
		if err != nil {
			outcomes[i].failed = append(outcomes[i].failed, ruleFailed(fr.pointer, err))
			continue
		}
		if v != true {
			outcomes[i].hidden, anyHidden = true, true
			del(fr.path)
		}
	}
	if anyHidden {
		// Calculations never count what the requester cannot see.
		calculate()
	}
	for i, fr := range c.fieldRules {
		if err := calcFailed[i]; err != nil {
			outcomes[i].failed = append(outcomes[i].failed, ruleFailed(fr.pointer, err))
		}
		if fr.required == nil || outcomes[i].hidden {
			continue
		}
		v, err := fr.required.Eval(in)
		if err != nil {
			outcomes[i].failed = append(outcomes[i].failed, ruleFailed(fr.pointer, err))
			continue
		}
		outcomes[i].required = v == true
	}
	return out, view, outcomes
}

// Prepare applies the form's rules to submitted data before validation
// (see applyRules for the order): a visible field whose requiredWhen is
// true and that has no value is a field error, and so is a rule that
// could not be evaluated. It returns a new map; data is not changed.
// in.Form is ignored: rules read the data being prepared.
func (c *Compiled) Prepare(data map[string]any, in rules.Input) (map[string]any, []FieldError) {
	out, view, outcomes := c.applyRules(data, in)
	var errs []FieldError
	for i, fr := range c.fieldRules {
		errs = append(errs, outcomes[i].failed...)
		if outcomes[i].required && isEmpty(getPath(view, fr.path)) {
			errs = append(errs, FieldError{Pointer: fr.pointer, Code: "required"})
		}
	}
	return out, errs
}

// FieldState is what the form's rules make of one field, given the data
// typed so far.
type FieldState struct {
	// Visible is false when the field's visibleWhen is not true: its value
	// would be dropped at submission. A visibleWhen that could not be
	// evaluated leaves the field visible, as submission does.
	Visible bool
	// Required is true when the field is visible and its requiredWhen is
	// true; false when it could not be evaluated.
	Required bool
	// Calculated tells that the field has a calculation; Value is its
	// result, nil when the field is hidden or the calculation could not
	// be computed on the data (an item without a price yet).
	Calculated bool
	Value      any
	// Failed lists the field's rules that could not be evaluated on the
	// data (code ruleFailed, pointer into the data). Data typed so far is
	// often incomplete, so this is information, not a refusal.
	Failed []FieldError
}

// Evaluate applies the form's rules to data exactly as submission does
// (see applyRules) and answers, for every field that has visibleWhen,
// requiredWhen or calculate, its state, keyed by the field's dotted path
// as in the form's ui.fields. Nothing is validated against the schema.
func (c *Compiled) Evaluate(data map[string]any, in rules.Input) map[string]FieldState {
	out, _, outcomes := c.applyRules(data, in)
	states := make(map[string]FieldState, len(c.fieldRules))
	for i, fr := range c.fieldRules {
		o := outcomes[i]
		s := FieldState{Visible: !o.hidden, Required: o.required, Calculated: fr.calculation != nil, Failed: o.failed}
		if s.Calculated && s.Visible {
			s.Value = getPath(out, fr.path)
		}
		states[strings.Join(fr.path, ".")] = s
	}
	return states
}

func ruleFailed(ptr string, err error) FieldError {
	return FieldError{Pointer: ptr, Code: "ruleFailed", Params: map[string]any{"detail": err.Error()}}
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	case []any:
		return len(v) == 0
	}
	return false
}

func getPath(m map[string]any, path []string) any {
	var cur any = m
	for _, p := range path {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[p]
	}
	return cur
}

func setPath(m map[string]any, path []string, v any) {
	cur := m
	for _, p := range path[:len(path)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	cur[path[len(path)-1]] = v
}

func deletePath(m map[string]any, path []string) {
	cur := m
	for _, p := range path[:len(path)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return
		}
		cur = next
	}
	delete(cur, path[len(path)-1])
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// Check prepares data with the form's rules (see Prepare) and validates the
// result against the schema, returning the data to store or a
// *ValidationError listing every failing field. When the schema already
// explains what is wrong, a rule that failed to evaluate on the same bad
// data (a sum over a quantity typed as text) is not reported beside it.
func (c *Compiled) Check(data map[string]any, in rules.Input) (map[string]any, error) {
	prepared, ruleErrs := c.Prepare(data, in)
	err := c.Validate(prepared)
	var ve *ValidationError
	if err != nil && !errors.As(err, &ve) {
		return nil, err
	}
	var errs []FieldError
	seen := map[string]bool{}
	if ve != nil {
		errs = ve.Errors
		for _, e := range errs {
			seen[e.Pointer+" "+e.Code] = true
		}
	}
	for _, e := range ruleErrs {
		if (e.Code == "ruleFailed" && ve != nil) || seen[e.Pointer+" "+e.Code] {
			continue
		}
		errs = append(errs, e)
	}
	if len(errs) > 0 {
		return nil, &ValidationError{Errors: sortErrors(errs)}
	}
	return prepared, nil
}
