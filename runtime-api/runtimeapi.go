// Package runtimeapi holds the HTTP handlers requesters and systems use at
// run time: submitting a request to a published form, reading it back, and
// following it by its tracking code. Handlers are thin: decode, authorise,
// call the engine, encode.
package runtimeapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
	"github.com/pishkhan/pishkhan/server"
)

// Register adds the runtime routes to the API group. trackLimit rate-limits
// the public tracking lookup.
func Register(g *echo.Group, requests *engine.Requests, defs *engine.Definitions, acc *access.Service, trackLimit echo.MiddlewareFunc) {
	h := &handlers{requests: requests, defs: defs, access: acc}
	g.POST("/requests", h.submit)
	g.GET("/requests/:id", h.get)
	g.GET("/track/:code", h.track, trackLimit)
	g.POST("/requests/:id/retry", h.retry)
	g.GET("/tasks", h.tasks)
	for _, a := range []engine.SignalKind{engine.SignalClaim, engine.SignalUnclaim, engine.SignalComplete, engine.SignalReassign, engine.SignalDelegate} {
		g.POST("/tasks/:id/"+string(a), h.taskAction(a))
	}
	g.POST("/callbacks/:key", h.callback)
}

type handlers struct {
	requests *engine.Requests
	defs     *engine.Definitions
	access   *access.Service
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
	p, err := h.access.Authorize(c.Request().Context(), "*", "requests", "submit")
	if err != nil {
		return err
	}
	if !p.HasScope("requests:submit") {
		return access.ErrForbidden
	}
	var s submission
	if err := server.DecodeJSON(c, &s); err != nil {
		return err
	}
	if s.Form == "" {
		return &server.InputError{Msg: "form: name the key of a published form"}
	}
	if len(s.Data) == 0 {
		return &server.InputError{Msg: "data: send the form's fields as a JSON object"}
	}
	if p.IsKey() && s.Channel == engine.ChannelPortal {
		return &server.InputError{Msg: "channel: a system submits through the api channel"}
	}
	data, err := forms.DecodeData(bytes.NewReader(s.Data))
	if err != nil {
		return &server.InputError{Msg: "data: " + err.Error()}
	}
	req, err := h.requests.Submit(c.Request().Context(), engine.SubmitParams{
		Form: s.Form, Data: data, Channel: s.Channel, Requester: p.Subject, Profile: profile(p),
	})
	if err != nil {
		return server.AtPointer("/data", err)
	}
	c.Response().Header().Set(echo.HeaderLocation, server.APIPrefix+"/requests/"+req.ID)
	return c.JSON(http.StatusCreated, receipt{ID: req.ID, TrackingCode: req.ID, Status: req.Status, Form: req.Form, CreatedAt: req.CreatedAt})
}

// get answers the whole request to staff who may read requests, and to the
// requester who submitted it.
func (h *handlers) get(c echo.Context) error {
	ctx := c.Request().Context()
	p := access.PrincipalFrom(ctx)
	if p == nil {
		return access.ErrUnauthenticated
	}
	if !p.HasScope("requests:read") {
		return access.ErrForbidden
	}
	staff := h.access.Can(p, "*", "requests", "read")
	if !staff && !h.access.Can(p, "*", "requests", "read-own") {
		return access.ErrForbidden
	}
	req, err := h.requests.Get(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if !staff && req.Requester != p.Subject {
		return access.ErrForbidden
	}
	if !staff {
		req = requesterView(req)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSON(http.StatusOK, req)
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

// profile describes the principal to the form's rules. A system (an API
// key) is known by its subject only; the person it submits for arrives
// with the customer profiles of the service desk.
func profile(p *access.Principal) rules.Requester {
	if p.User == nil {
		return rules.Requester{ID: p.Subject}
	}
	u := p.User
	return rules.Requester{
		ID: u.Username, Name: u.Name, Email: u.Email, Department: u.Department,
		Segment: u.Segment, Manager: u.Manager, Groups: u.Groups,
	}
}

// requesterView is a request as its requester sees it: their data, where
// it stands and what happened, and the tasks that are theirs (a return
// for changes); not the internal work (other people's tasks and what they
// wrote there, calls to other systems, incidents, the routing state).
func requesterView(req *engine.Request) *engine.Request {
	v := *req
	v.Outbox, v.Incidents = nil, nil
	v.History = make([]engine.Event, 0, len(req.History))
	for _, e := range req.History {
		e.Data, e.Rule, e.Condition, e.Edge = nil, nil, "", ""
		if e.Type != "returned" { // the approver's note on what to change is for the requester
			e.Detail = ""
		}
		if e.To != req.Requester {
			e.To = ""
		}
		if e.Actor != req.Requester {
			e.Actor = ""
		}
		v.History = append(v.History, e)
	}
	if req.Workflow != nil {
		w := *req.Workflow
		w.Tokens, w.Timers, w.Tasks = nil, nil, nil
		for _, t := range req.Workflow.Tasks {
			if t.Assignee == req.Requester && t.Kind == engine.TaskResubmit {
				w.Tasks = append(w.Tasks, t)
			}
		}
		v.Workflow = &w
	}
	return &v
}
