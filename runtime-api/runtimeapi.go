// Package runtimeapi holds the HTTP handlers requesters and systems use at
// run time: submitting a request to a published form and following it by
// its tracking code. Handlers are thin: decode, call the engine, encode.
package runtimeapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/server"
)

// Register adds the runtime routes to the API group.
func Register(g *echo.Group, requests *engine.Requests, defs *engine.Definitions) {
	h := &handlers{requests: requests, defs: defs}
	g.POST("/requests", h.submit)
	g.GET("/track/:code", h.track)
}

type handlers struct {
	requests *engine.Requests
	defs     *engine.Definitions
}

// submission is the body of POST /requests.
type submission struct {
	Form    string          `json:"form"`
	Data    json.RawMessage `json:"data"`
	Channel engine.Channel  `json:"channel"`
}

// receipt is the answer to a submission: what the requester needs to follow
// the request.
type receipt struct {
	ID           string         `json:"id"`
	TrackingCode string         `json:"trackingCode"`
	Status       engine.Status  `json:"status"`
	Form         engine.FormRef `json:"form"`
	CreatedAt    time.Time      `json:"createdAt"`
}

func (h *handlers) submit(c echo.Context) error {
	var s submission
	if err := server.DecodeJSON(c, &s); err != nil {
		return err
	}
	if s.Form == "" {
		return invalid("form: name the key of a published form")
	}
	if len(s.Data) == 0 {
		return invalid("data: send the form's fields as a JSON object")
	}
	data, err := forms.DecodeData(bytes.NewReader(s.Data))
	if err != nil {
		return invalid("data: " + err.Error())
	}
	req, err := h.requests.Submit(c.Request().Context(), engine.SubmitParams{Form: s.Form, Data: data, Channel: s.Channel})
	if err != nil {
		return server.AtPointer("/data", err)
	}
	c.Response().Header().Set(echo.HeaderLocation, server.APIPrefix+"/track/"+req.ID)
	return c.JSON(http.StatusCreated, receipt{ID: req.ID, TrackingCode: req.ID, Status: req.Status, Form: req.Form, CreatedAt: req.CreatedAt})
}

// tracking is what anyone holding a tracking code may see: where the
// request stands and what happened to it, never the data it carries.
type tracking struct {
	TrackingCode string         `json:"trackingCode"`
	Status       engine.Status  `json:"status"`
	Form         trackedForm    `json:"form"`
	Channel      engine.Channel `json:"channel"`
	CreatedAt    time.Time      `json:"createdAt"`
	UpdatedAt    time.Time      `json:"updatedAt"`
	History      []publicEvent  `json:"history"`
}

type trackedForm struct {
	Key     string     `json:"key"`
	Version int        `json:"version"`
	Title   forms.Text `json:"title,omitempty"`
}

type publicEvent struct {
	At     time.Time     `json:"at"`
	Type   string        `json:"type"`
	Status engine.Status `json:"status,omitempty"`
}

func (h *handlers) track(c echo.Context) error {
	ctx := c.Request().Context()
	req, err := h.requests.Track(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	t := tracking{
		TrackingCode: req.ID, Status: req.Status, Channel: req.Channel, CreatedAt: req.CreatedAt, UpdatedAt: req.UpdatedAt,
		Form:    trackedForm{Key: req.Form.Key, Version: req.Form.Version},
		History: make([]publicEvent, 0, len(req.History)),
	}
	if f, err := h.defs.FormVersion(ctx, req.Form.Key, req.Form.Version); err == nil {
		t.Form.Title = f.Title
	}
	for _, e := range req.History {
		t.History = append(t.History, publicEvent{At: e.At, Type: e.Type, Status: e.Status})
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, t)
}

func invalid(msg string) error { return &invalidError{msg} }

type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }
func (e *invalidError) Unwrap() error { return engine.ErrInvalid }
