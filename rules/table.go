package rules

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/vm/runtime"
)

// Table is a decision table as a process owner writes it.
type Table struct {
	Key       string            `json:"key"`
	Title     map[string]string `json:"title"`
	HitPolicy string            `json:"hitPolicy"` // first (default), unique or collect
	Inputs    []Column          `json:"inputs"`
	Outputs   []OutputColumn    `json:"outputs"`
	Rows      []Row             `json:"rows"`
}

// Column is an input column: a name and the expression that computes it.
type Column struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
}

// OutputColumn is a named output and its type: string, number, boolean or
// list.
type OutputColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Row is one rule of a table: a test per input column, and the outputs it
// gives when every test passes.
type Row struct {
	// When has one cell per input: "", "-" or "any" match anything; a
	// literal ("gold", 5, true) matches that value; a test that starts with
	// an operator uses the input implicitly ("> 1000", "in [\"a\", \"b\"]",
	// "not in [...]", "!= \"x\"", "matches \"^A\"", "startsWith \"PC-\"");
	// and an expression with ? for the input ("? > 10 && ? < 20").
	When []string       `json:"when"`
	Then map[string]any `json:"then"`
	Note string         `json:"note,omitempty"`
}

// Problem is one thing wrong with a table, pointing into it.
type Problem struct {
	Pointer string `json:"pointer"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// TableError lists everything wrong with a table.
type TableError struct{ Problems []Problem }

func (e *TableError) Error() string { return listProblems("invalid decision table", e.Problems) }

// listProblems joins problems into one message after what.
func listProblems(what string, problems []Problem) string {
	parts := make([]string, len(problems))
	for i, p := range problems {
		parts[i] = p.Pointer + ": " + p.Message
	}
	return what + ": " + strings.Join(parts, "; ")
}

// Table limits.
const (
	MaxInputs = 20
	MaxRows   = 2000
)

// CompiledTable is a checked table ready to evaluate; safe for concurrent
// use.
type CompiledTable struct {
	policy  string
	inputs  []*Program
	names   []string
	outputs []OutputColumn
	rows    [][]cell
	then    []map[string]any
}

// cell is a compiled test. Literal sets compare directly, without the VM.
type cell struct {
	any     bool
	negate  bool  // "not in [...]"
	set     []any // literal or in-list of literals
	program *Program
}

// CompileTable checks a table against env and compiles it, returning every
// problem at once in a *TableError.
func CompileTable(t Table, env *Env) (*CompiledTable, error) {
	var probs []Problem
	add := func(ptr, code, format string, args ...any) {
		probs = append(probs, Problem{Pointer: ptr, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	ct := &CompiledTable{policy: t.HitPolicy, outputs: t.Outputs}
	switch t.HitPolicy {
	case "":
		ct.policy = "first"
	case "first", "unique", "collect":
	default:
		add("/hitPolicy", "hitPolicy", "hit policy %q: use first, unique or collect", t.HitPolicy)
	}
	if len(t.Inputs) == 0 || len(t.Inputs) > MaxInputs {
		add("/inputs", "inputs", "a table needs 1 to %d input columns", MaxInputs)
	}
	if len(t.Rows) > MaxRows {
		add("/rows", "rows", "a table may have at most %d rows", MaxRows)
		return nil, &TableError{Problems: probs}
	}
	inputTypes := make([]reflect.Type, len(t.Inputs))
	seen := map[string]bool{}
	for i, in := range t.Inputs {
		ptr := fmt.Sprintf("/inputs/%d", i)
		if in.Name == "" || seen[in.Name] {
			add(ptr+"/name", "name", "each input needs its own name")
		}
		seen[in.Name] = true
		p, err := env.Compile(in.Expr, Any)
		if err != nil {
			add(ptr+"/expr", "expr", "%v", err)
			continue
		}
		ct.inputs = append(ct.inputs, p)
		ct.names = append(ct.names, in.Name)
		inputTypes[i] = p.output
	}
	outTypes := map[string]string{}
	for i, o := range t.Outputs {
		ptr := fmt.Sprintf("/outputs/%d", i)
		if o.Name == "" || outTypes[o.Name] != "" {
			add(ptr+"/name", "name", "each output needs its own name")
		}
		switch o.Type {
		case "string", "number", "boolean", "list":
		default:
			add(ptr+"/type", "type", "output type %q: use string, number, boolean or list", o.Type)
		}
		outTypes[o.Name] = o.Type
	}
	if len(t.Outputs) == 0 {
		add("/outputs", "outputs", "a table needs at least one output column")
	}
	for r, row := range t.Rows {
		rptr := fmt.Sprintf("/rows/%d", r)
		if len(row.When) != len(t.Inputs) {
			add(rptr+"/when", "cells", "row %d has %d cells for %d inputs", r+1, len(row.When), len(t.Inputs))
			continue
		}
		cells := make([]cell, len(row.When))
		for c, text := range row.When {
			compiled, err := compileCell(env, text, inputTypes[c])
			if err != nil {
				add(fmt.Sprintf("%s/when/%d", rptr, c), "cell", "%v", err)
			}
			cells[c] = compiled
		}
		for name, v := range row.Then {
			typ, ok := outTypes[name]
			if !ok {
				add(rptr+"/then/"+name, "output", "no output column is called %q", name)
				continue
			}
			if !valueFits(v, typ) {
				add(rptr+"/then/"+name, "outputType", "%v is not a %s, the type of output %q", v, typ, name)
			}
		}
		ct.rows = append(ct.rows, cells)
		ct.then = append(ct.then, row.Then)
	}
	if ct.policy == "unique" && len(probs) == 0 {
		for i := range ct.rows {
			for j := i + 1; j < len(ct.rows); j++ {
				if provablyOverlap(ct.rows[i], ct.rows[j]) {
					add(fmt.Sprintf("/rows/%d", j), "overlap", "rows %d and %d can both match, which a unique table forbids", i+1, j+1)
				}
			}
		}
	}
	if len(probs) > 0 {
		return nil, &TableError{Problems: probs}
	}
	return ct, nil
}

// bareWord is a cell that is one name, probably text without quotes.
var bareWord = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_-]*$`)

var implicitOps = []string{"<=", ">=", "<", ">", "==", "!=", "in ", "not in ", "matches ", "startsWith ", "endsWith ", "contains "}

func compileCell(env *Env, text string, input reflect.Type) (cell, error) {
	if input == nil {
		input = anyType
	}
	src := strings.TrimSpace(text)
	switch src {
	case "", "-", "any":
		return cell{any: true}, nil
	}
	if v, ok := literal(src); ok {
		return cell{set: []any{v}}, nil
	}
	for _, prefix := range []string{"in ", "not in "} {
		if rest, ok := strings.CutPrefix(src, prefix); ok {
			if set, ok := literalList(rest); ok {
				return cell{set: set, negate: prefix == "not in "}, nil
			}
		}
	}
	var expr string
	switch {
	case strings.Contains(src, "?"):
		expr = replaceInput(src)
	case hasAnyPrefix(src, implicitOps):
		expr = "__input " + src
	default:
		expr = "__input == (" + src + ")"
	}
	p, err := env.compile(expr, Bool, input)
	if err != nil {
		if ce, ok := err.(*CompileError); ok {
			if bareWord.MatchString(src) && strings.HasPrefix(ce.Message, "unknown name") {
				return cell{}, fmt.Errorf("%q: %s; to match the text, write it in quotes: \"%s\"", text, strings.TrimSuffix(ce.Message, "."), src)
			}
			return cell{}, fmt.Errorf("%q: %s", text, ce.Message)
		}
		return cell{}, err
	}
	return cell{program: p}, nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// replaceInput replaces each ? outside string literals (and not part of
// ?. or ??) with the input.
func replaceInput(s string) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(s) {
				b.WriteByte(c)
				i++
				c = s[i]
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '?' && (i+1 >= len(s) || (s[i+1] != '.' && s[i+1] != '?')) && (i == 0 || s[i-1] != '?'):
			b.WriteString("__input")
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// literal reads a JSON string, number or boolean.
func literal(s string) (any, bool) {
	if s == "true" || s == "false" {
		return s == "true", true
	}
	if strings.HasPrefix(s, `"`) {
		var v string
		if json.Unmarshal([]byte(s), &v) == nil {
			return v, true
		}
		return nil, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, true
		}
		return f, true
	}
	return nil, false
}

func literalList(s string) ([]any, bool) {
	var raw []json.RawMessage
	if json.Unmarshal([]byte(s), &raw) != nil || len(raw) == 0 {
		return nil, false
	}
	out := make([]any, 0, len(raw))
	for _, r := range raw {
		v, ok := literal(strings.TrimSpace(string(r)))
		if !ok {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

func valueFits(v any, typ string) bool {
	switch v.(type) {
	case string:
		return typ == "string"
	case float64, int, int64, json.Number:
		return typ == "number"
	case bool:
		return typ == "boolean"
	case []any:
		return typ == "list"
	case nil:
		return true // "no value" fits every output
	}
	return false
}

// provablyOverlap reports whether two rows can match the same input, as far
// as literal cells show; cells with expressions are assumed not to overlap
// (a runtime check catches them).
func provablyOverlap(a, b []cell) bool {
	for c := range a {
		x, y := a[c], b[c]
		if x.any || y.any {
			continue
		}
		if x.program != nil || y.program != nil || x.negate || y.negate {
			return false
		}
		if !intersects(x.set, y.set) {
			return false
		}
	}
	return true
}

func intersects(a, b []any) bool {
	for _, x := range a {
		for _, y := range b {
			if equal(x, y) {
				return true
			}
		}
	}
	return false
}

func equal(a, b any) (eq bool) {
	defer func() {
		if recover() != nil {
			eq = false
		}
	}()
	return runtime.Equal(a, b)
}

// Decision is what a table decided: the outputs of the matching rows (at
// most one for first and unique) and which rows matched (0-based).
type Decision struct {
	Outputs []map[string]any `json:"outputs"`
	Matched []int            `json:"matched"`
}

// Evaluate runs the table on in.
func (t *CompiledTable) Evaluate(in Input) (*Decision, error) {
	env := runtimeEnv{Form: normalizeForm(in.Form), Request: in.Request, Now: in.Now}
	values := make([]any, len(t.inputs))
	for i, p := range t.inputs {
		v, err := p.run(env)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", t.names[i], err)
		}
		values[i] = v
	}
	d := &Decision{Outputs: []map[string]any{}, Matched: []int{}}
rows:
	for r, cells := range t.rows {
		for c, cl := range cells {
			ok, err := cl.test(env, values[c])
			if err != nil {
				return nil, fmt.Errorf("row %d, input %q: %w", r+1, t.names[c], err)
			}
			if !ok {
				continue rows
			}
		}
		d.Matched = append(d.Matched, r)
		d.Outputs = append(d.Outputs, t.then[r])
		if t.policy == "first" {
			break
		}
		if t.policy == "unique" && len(d.Matched) > 1 {
			return nil, &EvalError{Source: "decision table", Message: fmt.Sprintf("rows %d and %d both match, which a unique table forbids", d.Matched[0]+1, r+1)}
		}
	}
	return d, nil
}

func (c cell) test(env runtimeEnv, v any) (bool, error) {
	switch {
	case c.any:
		return true, nil
	case c.program != nil:
		env.Input = v
		out, err := c.program.run(env)
		if err != nil {
			return false, err
		}
		b, _ := out.(bool)
		return b, nil
	}
	for _, s := range c.set {
		if equal(v, s) {
			return !c.negate, nil
		}
	}
	return c.negate, nil
}
