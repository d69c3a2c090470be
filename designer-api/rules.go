package designerapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/rules"
	"github.com/pishkhan/pishkhan/server"
)

// ruleHandlers try rules out: a decision table on a sample, an expression
// against a form. Both are for whoever may read definitions.
type ruleHandlers struct {
	defs   *engine.Definitions
	access *access.Service
}

func (h *ruleHandlers) mayTry(c echo.Context) error {
	_, err := h.access.AuthorizeSomewhere(c.Request().Context(), "definitions", "read")
	return err
}

// sample is what a rule sees, as a process owner writes it to try a rule.
type sample struct {
	Form    jsonObject    `json:"form"`
	Request rules.Request `json:"request"`
	Now     *time.Time    `json:"now"`
}

// jsonObject keeps a JSON value undecoded until forms.DecodeData reads it
// with its limits.
type jsonObject []byte

func (o *jsonObject) UnmarshalJSON(b []byte) error {
	*o = append((*o)[:0], b...)
	return nil
}

func (s *sample) input() (rules.Input, error) {
	in := rules.Input{Request: s.Request, Now: time.Now().UTC()}
	if s.Now != nil {
		in.Now = *s.Now
	}
	if len(s.Form) == 0 || string(s.Form) == "null" {
		return in, nil
	}
	m, err := server.DecodeObject(s.Form, "form")
	if err != nil {
		return in, err
	}
	in.Form = m
	return in, nil
}

// evaluation is the answer of evaluate: which version ran, the outputs of
// the rows that matched, and their indexes in the table's rows.
type evaluation struct {
	Key     string           `json:"key"`
	Version int              `json:"version,omitempty"`
	Draft   bool             `json:"draft,omitempty"`
	Outputs []map[string]any `json:"outputs"`
	Matched []int            `json:"matched"`
}

// evaluate runs a rule set on a sample: the newest published version, the
// one ?version= names, or the draft with ?version=draft.
func (h *ruleHandlers) evaluate(c echo.Context) error {
	if err := h.mayTry(c); err != nil {
		return err
	}
	var s sample
	if err := server.DecodeJSON(c, &s); err != nil {
		return err
	}
	in, err := s.input()
	if err != nil {
		return err
	}
	ctx, key := c.Request().Context(), c.Param("key")
	var rs *engine.PublishedRuleSet
	switch v := c.QueryParam("version"); v {
	case "draft":
		rs, err = h.defs.RuleSetDraft(ctx, key)
	case "", "latest":
		rs, err = h.defs.RuleSet(ctx, key, 0)
	default:
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 {
			return &server.InputError{Msg: `version: a positive number, "latest" or "draft"`}
		}
		rs, err = h.defs.RuleSet(ctx, key, n)
	}
	if err != nil {
		return err
	}
	d, err := rs.Table.Evaluate(in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, evaluation{Key: key, Version: rs.Version, Draft: rs.Version == 0, Outputs: d.Outputs, Matched: d.Matched})
}

// expressionCheck asks whether an expression compiles against a form.
type expressionCheck struct {
	Expr string `json:"expr"`
	// Form is the key of the form the expression reads; "" for none.
	Form string `json:"form"`
	// Draft checks against the form's draft instead of its newest version.
	Draft bool `json:"draft"`
	// Type is what the expression must give: any (default), boolean,
	// number or string.
	Type string `json:"type"`
	// Sample, if given, is evaluated after a successful check.
	Sample *sample `json:"sample"`
}

// checked is the answer of check: 200 whether or not the expression is
// valid, because an invalid expression is the expected answer of a live
// check, not a failed request.
type checked struct {
	Valid  bool          `json:"valid"`
	Error  *checkProblem `json:"error,omitempty"`
	Result any           `json:"result,omitempty"`
}

type checkProblem struct {
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Path    string `json:"path,omitempty"`
}

var kinds = map[string]rules.Kind{"": rules.Any, "any": rules.Any, "boolean": rules.Bool, "number": rules.Number, "string": rules.String}

// check compiles an expression the way publishing would, so that a
// designer can underline a mistake while the owner types.
func (h *ruleHandlers) check(c echo.Context) error {
	if err := h.mayTry(c); err != nil {
		return err
	}
	var q expressionCheck
	if err := server.DecodeJSON(c, &q); err != nil {
		return err
	}
	kind, ok := kinds[q.Type]
	if !ok {
		return &server.InputError{Msg: fmt.Sprintf("type %q: use any, boolean, number or string", q.Type)}
	}
	env, err := h.defs.RulesEnv(c.Request().Context(), q.Form, q.Draft)
	if err != nil {
		return err
	}
	p, err := env.Compile(q.Expr, kind)
	var ce *rules.CompileError
	switch {
	case errors.As(err, &ce):
		return c.JSON(http.StatusOK, checked{Error: &checkProblem{Message: ce.Message, Line: ce.Line, Column: ce.Column, Path: ce.Path}})
	case err != nil:
		return c.JSON(http.StatusOK, checked{Error: &checkProblem{Message: err.Error()}})
	}
	out := checked{Valid: true}
	if q.Sample != nil {
		in, err := q.Sample.input()
		if err != nil {
			return err
		}
		if out.Result, err = p.Eval(in); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, out)
}
