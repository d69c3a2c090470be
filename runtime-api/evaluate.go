package runtimeapi

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/server"
)

// formEvaluation is the body of POST /forms/{key}/evaluate: the form data
// typed so far, and what a submission of it would say besides.
type formEvaluation struct {
	// Version is the published version the client renders (0: the newest).
	Version int `json:"version"`
	// Type is the request type being filled in, if it is not the form's
	// key.
	Type      string          `json:"type"`
	Channel   engine.Channel  `json:"channel"`
	Requester *onBehalf       `json:"requester"`
	Data      json.RawMessage `json:"data"`
}

// evaluatedForm answers an evaluation: the state of every field that has
// visibleWhen, requiredWhen or calculate, by its dotted path.
type evaluatedForm struct {
	Form   engine.FormRef        `json:"form"`
	Fields map[string]fieldState `json:"fields"`
}

type fieldState struct {
	Visible  bool `json:"visible"`
	Required bool `json:"required"`
	// Calculated fields carry their Value, absent when it could not be
	// computed on the data typed so far.
	Calculated bool `json:"calculated,omitempty"`
	Value      any  `json:"value,omitempty"`
	// Errors are the field's rules that could not be evaluated on the
	// data (ruleFailed), for information: partial data often cannot be.
	Errors []server.FieldProblem `json:"errors,omitempty"`
}

// evaluateForm applies a form's rules to the data typed so far, with the
// same code and inputs as submission, so that the portal shows, requires
// and computes fields as the server will decide. Whoever may submit the
// form may call it, with the same channel and requester checks; nothing
// is stored.
func (h *handlers) evaluateForm(c echo.Context) error {
	p, err := h.maySubmit(c)
	if err != nil {
		return err
	}
	var e formEvaluation
	if err := server.DecodeJSON(c, &e); err != nil {
		return err
	}
	if e.Version < 0 {
		return &server.InputError{Msg: "version: a published version number, or 0 for the newest"}
	}
	if len(e.Data) == 0 {
		return &server.InputError{Msg: "data: send the form's fields as a JSON object"}
	}
	if err := h.checkEntry(p, e.Channel, e.Requester); err != nil {
		return err
	}
	params, err := h.entry(c.Request().Context(), p, e.Requester, e.Data, true)
	if err != nil {
		return err
	}
	params.Type, params.Form, params.Channel = e.Type, c.Param("key"), e.Channel
	ev, err := h.requests.EvaluateForm(c.Request().Context(), params, e.Version)
	if err != nil {
		return err
	}
	out := evaluatedForm{Form: ev.Form, Fields: make(map[string]fieldState, len(ev.Fields))}
	for path, s := range ev.Fields {
		out.Fields[path] = fieldState{Visible: s.Visible, Required: s.Required, Calculated: s.Calculated, Value: s.Value,
			Errors: server.FieldProblemsAt(c, "/data", s.Failed)}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSON(http.StatusOK, out)
}
