package rules

import (
	"container/list"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/expr-lang/expr/vm/runtime"
)

// Kind is what a rule must produce.
type Kind int

// Result kinds.
const (
	Any Kind = iota
	Bool
	Number
	String
)

func (k Kind) String() string {
	return [...]string{"any value", "true or false", "a number", "text"}[k]
}

// Limits on what may be compiled and evaluated.
const (
	MaxSourceLength = 4 << 10
	MaxNodes        = 1000
	// MemoryBudget is expr's allowance per evaluation (roughly, list
	// elements and string pieces built).
	MemoryBudget = 100_000
)

// CompileError is a rule that cannot be compiled: where and why.
type CompileError struct {
	Source  string
	Line    int
	Column  int
	Path    string // the field it is about, e.g. "form.amout"
	Message string
}

func (e *CompileError) Error() string {
	src := e.Source
	if len(src) > 80 {
		src = src[:77] + "..."
	}
	return fmt.Sprintf("line %d, column %d: %s in `%s`", e.Line, e.Column, e.Message, src)
}

// EvalError is a rule that failed while running.
type EvalError struct {
	Source  string
	Message string
}

func (e *EvalError) Error() string { return fmt.Sprintf("rule `%s` failed: %s", e.Source, e.Message) }

// Env is a compilation environment: the type of the form that rules read.
// It is immutable and safe for concurrent use, and it caches what it
// compiles.
type Env struct {
	form  *Field
	cache *lru
}

var envIDs atomic.Uint64

// NewEnv returns an environment whose `form` has the type form (nil: an
// open object whose names are not checked).
func NewEnv(form *Field) *Env {
	if form == nil {
		form = &Field{Type: TypeObject, Open: true}
	}
	return &Env{form: form, cache: newLRU(4096)}
}

// Program is a compiled rule: concurrency-safe and reusable.
type Program struct {
	source  string
	want    Kind
	program *vm.Program
	output  reflect.Type // as the checker typed it
	reads   [][]string   // form paths the rule reads, without "form"
	readAll bool         // the rule reads form as a whole (keys(form), form[x])
}

// Reads returns the form fields the rule reads, as paths below form
// (["items"], ["address", "city"]); all is true when it reads the form as
// a whole, so that it may depend on any field.
func (p *Program) Reads() (paths [][]string, all bool) { return p.reads, p.readAll }

// Source returns the rule's text.
func (p *Program) Source() string { return p.source }

type cacheKey struct {
	source string
	want   Kind
	input  reflect.Type
}

// Compile checks source against the environment and compiles it. Compiling
// the same source again is a cache hit.
func (e *Env) Compile(source string, want Kind) (*Program, error) {
	return e.compile(source, want, nil)
}

func (e *Env) compile(source string, want Kind, input reflect.Type) (*Program, error) {
	key := cacheKey{source, want, input}
	if p, ok := e.cache.get(key); ok {
		return p, nil
	}
	p, err := e.compileFresh(source, want, input)
	if err != nil {
		return nil, err
	}
	e.cache.put(key, p)
	return p, nil
}

// functions are the helpers and the nil-safe comparisons, one list for
// checking and running.
func options(env any, patch bool) []expr.Option {
	opts := []expr.Option{
		expr.Env(env), expr.MaxNodes(MaxNodes),
		expr.DisableBuiltin("now"), expr.DisableBuiltin("repeat"), expr.DisableBuiltin("fromJSON"),
	}
	opts = append(opts, helperOptions...)
	if patch {
		opts = append(opts, expr.Patch(&nilSafe{}))
		opts = append(opts, compareOptions...)
	}
	return opts
}

func (e *Env) compileFresh(source string, want Kind, input reflect.Type) (p *Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, &CompileError{Source: source, Line: 1, Column: 1, Message: fmt.Sprintf("cannot be compiled: %v", r)}
		}
	}()
	if strings.TrimSpace(source) == "" {
		return nil, &CompileError{Source: source, Line: 1, Column: 1, Message: "the rule is empty"}
	}
	if len(source) > MaxSourceLength {
		return nil, &CompileError{Source: source, Line: 1, Column: 1, Message: fmt.Sprintf("the rule is %d bytes long; the limit is %d", len(source), MaxSourceLength)}
	}
	tree, err := parser.Parse(source)
	if err != nil {
		return nil, compileError(source, err)
	}
	reads, readAll, err := e.checkFields(source, tree.Node)
	if err != nil {
		return nil, err
	}
	checked, err := expr.Compile(source, options(checkEnv(e.form, input), false)...)
	if err != nil {
		return nil, compileError(source, err)
	}
	out := checked.Node().Type()
	if err := checkKind(source, want, out); err != nil {
		return nil, err
	}
	env := runtimeEnv{}
	run, err := expr.Compile(source, options(env, true)...)
	if err != nil {
		return nil, compileError(source, err)
	}
	return &Program{source: source, want: want, program: run, output: out, reads: reads, readAll: readAll}, nil
}

func checkKind(source string, want Kind, t reflect.Type) error {
	if want == Any || t == nil || t.Kind() == reflect.Interface {
		return nil
	}
	ok := false
	switch want {
	case Bool:
		ok = t.Kind() == reflect.Bool
	case Number:
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16,
			reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
			ok = true
		}
	case String:
		ok = t.Kind() == reflect.String
	}
	if !ok {
		return &CompileError{Source: source, Line: 1, Column: 1, Message: fmt.Sprintf("the rule must give %s, but gives %s", want, describe(t))}
	}
	return nil
}

func describe(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "text"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		if t == reflect.TypeOf(time.Time{}) {
			return "a time"
		}
		return "a group of fields"
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int64, reflect.Int32:
		return "a number"
	}
	return t.String()
}

// compileError turns an expr error into a CompileError, without the Go
// type names a process owner cannot read.
func compileError(source string, err error) error {
	var fe *file.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if i := strings.Index(msg, "struct {"); i >= 0 {
			msg = msg[:i] + "this group of fields" + msg[strings.LastIndex(msg, "}")+1:]
		}
		msg = strings.ReplaceAll(msg, "interface {}", "any")
		return &CompileError{Source: source, Line: fe.Line, Column: fe.Column + 1, Message: msg}
	}
	return &CompileError{Source: source, Line: 1, Column: 1, Message: err.Error()}
}

// checkFields reports the first reference to a form field the schema does
// not have, with a suggestion, and returns the fields the rule reads.
func (e *Env) checkFields(source string, node ast.Node) (reads [][]string, readAll bool, err error) {
	v := &fieldChecker{env: e, source: source}
	ast.Walk(&node, v)
	// Every use of the identifier form must be the base of a named member
	// (form.a); any other use reads the form as a whole.
	return v.reads, v.formIdents > v.namedBases, v.err
}

type fieldChecker struct {
	env    *Env
	source string
	err    error

	reads      [][]string
	formIdents int // uses of the identifier form
	namedBases int // of which as the base of form.name
}

func (v *fieldChecker) Visit(node *ast.Node) {
	if v.err != nil {
		return
	}
	if id, ok := (*node).(*ast.IdentifierNode); ok && id.Value == "form" {
		v.formIdents++
		return
	}
	m, ok := (*node).(*ast.MemberNode)
	if !ok {
		return
	}
	path, ok := memberPath(m)
	if !ok || len(path) < 2 || path[0] != "form" {
		return
	}
	if len(path) == 2 {
		v.namedBases++
	}
	v.reads = append(v.reads, path[1:])
	if _, ok, suggestion := v.env.form.lookup(path[1:]); !ok {
		line, col := position(v.source, m.Location().From)
		msg := fmt.Sprintf("the form has no field %s", strings.Join(path, "."))
		if suggestion != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", suggestion)
		}
		v.err = &CompileError{Source: v.source, Line: line, Column: col, Path: strings.Join(path, "."), Message: msg}
	}
}

// memberPath returns ["form", "a", "b"] for form.a.b (or form["a"].b).
func memberPath(m *ast.MemberNode) ([]string, bool) {
	prop, ok := m.Property.(*ast.StringNode)
	if !ok {
		return nil, false
	}
	switch n := m.Node.(type) {
	case *ast.IdentifierNode:
		return []string{n.Value, prop.Value}, true
	case *ast.MemberNode:
		p, ok := memberPath(n)
		if !ok {
			return nil, false
		}
		return append(p, prop.Value), true
	}
	return nil, false
}

func position(source string, offset int) (line, col int) {
	line, col = 1, 1
	for i, r := range source {
		if i >= offset {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// nilSafe rewrites the runtime program: every member access becomes
// optional (reading through nil gives nil) and ordering comparisons become
// calls that are false when a side is nil.
type nilSafe struct{}

var compareFns = map[string]string{"<": "__lt", "<=": "__le", ">": "__gt", ">=": "__ge"}

func (nilSafe) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.MemberNode:
		// Optional access only short-circuits inside a chain node.
		n.Optional = true
		ast.Patch(node, &ast.ChainNode{Node: n})
	case *ast.BinaryNode:
		if fn, ok := compareFns[n.Operator]; ok {
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: fn}, Arguments: []ast.Node{n.Left, n.Right}})
		} else if n.Operator == "/" {
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "__div"}, Arguments: []ast.Node{n.Left, n.Right}})
		}
	}
}

// divide is expr's "/" (always with fractions), except that dividing by
// zero is an error rather than an infinity that would flow into decisions.
func divide(params ...any) (any, error) {
	if params[0] == nil || params[1] == nil {
		return nil, errors.New("division with an absent value")
	}
	b := runtime.ToFloat64(params[1])
	if b == 0 {
		return nil, errors.New("division by zero")
	}
	return runtime.ToFloat64(params[0]) / b, nil
}

func nilSafeCompare(cmp func(a, b any) bool) func(params ...any) (any, error) {
	return func(params ...any) (any, error) {
		a, b := params[0], params[1]
		if a == nil || b == nil {
			return false, nil
		}
		return cmp(a, b), nil
	}
}

var compareOptions = []expr.Option{
	expr.Function("__lt", nilSafeCompare(runtime.Less), new(func(any, any) bool)),
	expr.Function("__le", nilSafeCompare(runtime.LessOrEqual), new(func(any, any) bool)),
	expr.Function("__gt", nilSafeCompare(runtime.More), new(func(any, any) bool)),
	expr.Function("__ge", nilSafeCompare(runtime.MoreOrEqual), new(func(any, any) bool)),
	expr.Function("__div", divide, new(func(any, any) float64)),
}

// Eval runs the rule on in.
func (p *Program) Eval(in Input) (any, error) {
	return p.run(runtimeEnv{Form: normalizeForm(in.Form), Request: in.Request, Now: in.Now})
}

func (p *Program) run(env runtimeEnv) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, &EvalError{Source: p.source, Message: fmt.Sprint(r)}
		}
	}()
	machine := vm.VM{MemoryBudget: MemoryBudget}
	out, err = machine.Run(p.program, env)
	if err != nil {
		msg := err.Error()
		if i := strings.Index(msg, "\n"); i > 0 {
			msg = msg[:i]
		}
		return nil, &EvalError{Source: p.source, Message: msg}
	}
	return out, nil
}

// EvalBool runs a condition. A result that is not true or false (nil
// included) is an error: conditions must decide.
func (p *Program) EvalBool(in Input) (bool, error) {
	v, err := p.Eval(in)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, &EvalError{Source: p.source, Message: fmt.Sprintf("gave %v, not true or false", v)}
	}
	return b, nil
}

// normalizeForm converts json.Number values, which rules cannot compare.
// Data as the engine stores it (int64, float64) passes through untouched
// and unallocated.
func normalizeForm(m map[string]any) map[string]any {
	if !hasNumber(m) {
		return m
	}
	return convertNumbers(m).(map[string]any)
}

func hasNumber(v any) bool {
	switch v := v.(type) {
	case json.Number:
		return true
	case map[string]any:
		for _, e := range v {
			if hasNumber(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if hasNumber(e) {
				return true
			}
		}
	}
	return false
}

// PlainNumbers returns v with every json.Number replaced by int64 (when
// whole and in range) or float64, copying only what it must, for callers
// that evaluate many rules over the same data.
func PlainNumbers(v any) any {
	if !hasNumber(v) {
		return v
	}
	return convertNumbers(v)
}

func convertNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = convertNumbers(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = convertNumbers(e)
		}
		return out
	}
	return v
}

// lru is a small bounded cache of compiled programs.
type lru struct {
	mu    sync.Mutex
	max   int
	order *list.List
	items map[cacheKey]*list.Element
}

type lruEntry struct {
	key cacheKey
	p   *Program
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), items: map[cacheKey]*list.Element{}}
}

func (c *lru) get(k cacheKey) (*Program, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry).p, true
	}
	return nil, false
}

func (c *lru) put(k cacheKey, p *Program) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; ok {
		return
	}
	c.items[k] = c.order.PushFront(&lruEntry{k, p})
	if c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*lruEntry).key)
	}
}
