// Package runtimeapi holds the HTTP handlers requesters and systems use at
// run time: submitting a request to a published form, reading it back, and
// following it by its tracking code; the desk's and the task inbox's
// routes for staff; and the KPIs supervisors read. Handlers are thin:
// decode, authorise, call the engine, encode.
package runtimeapi

import (
	"bytes"
	"context"
	"crypto/subtle"
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
	g.POST("/forms/:key/evaluate", h.evaluateForm)
	g.GET("/requests", h.listRequests)
	g.GET("/requests/:id", h.get)
	g.GET("/track/:code", h.track, trackLimit)
	g.POST("/track/:code", h.trackProven, trackLimit)
	g.POST("/track/:code/messages", h.trackMessage, trackLimit)
	g.POST("/track/:code/feedback", h.trackFeedback, trackLimit)
	g.POST("/track/:code/reopen", h.trackReopen, trackLimit)
	g.GET("/catalog", h.catalog)
	g.POST("/requests/:id/messages", h.postMessage)
	g.POST("/requests/:id/owner", h.setOwner)
	g.POST("/requests/:id/referrals", h.refer)
	g.POST("/requests/:id/feedback", h.feedback)
	g.POST("/requests/:id/reopen", h.reopen)
	g.GET("/customers/:id", h.customer)
	g.PUT("/customers/:id", h.putCustomer)
	g.POST("/requests/:id/retry", h.retry)
	g.GET("/tasks", h.tasks)
	for _, a := range []engine.SignalKind{engine.SignalClaim, engine.SignalUnclaim, engine.SignalComplete, engine.SignalReassign, engine.SignalDelegate} {
		g.POST("/tasks/:id/"+string(a), h.taskAction(a))
	}
	g.POST("/callbacks/:key", h.callback)
	g.GET("/notifications", h.notifications)
	g.POST("/notifications/read", h.markNotificationsRead)
	g.POST("/uploads", h.upload)
	g.GET("/uploads/:id", h.getUpload)
	g.DELETE("/uploads/:id", h.deleteUpload)
	g.GET("/requests/:id/attachments/:file", h.attachment)
	g.GET("/articles", h.searchArticles)
	g.POST("/articles", h.createArticle)
	g.GET("/articles/:id", h.getArticle)
	g.PUT("/articles/:id", h.putArticle)
	g.DELETE("/articles/:id", h.deleteArticle)
	g.POST("/requests/:id/articles", h.articleFromRequest)
	g.GET("/kpis", h.kpis)
}

type handlers struct {
	requests *engine.Requests
	defs     *engine.Definitions
	access   *access.Service
}

// submission is the body of POST /requests.
type submission struct {
	Type    string          `json:"type"`
	Form    string          `json:"form"`
	Data    json.RawMessage `json:"data"`
	Channel engine.Channel  `json:"channel"`
	// Requester is who staff enter the request for (phone, walk-in).
	Requester *onBehalf `json:"requester"`
	// Language is the requester's, en or fa (default: Accept-Language).
	Language string `json:"language"`
	// Contact is, for a system submitting for the person it talks to, how
	// to reach them (the notification webhook gets it back).
	Contact *engine.Contact `json:"contact"`
	// Attachments are ids of the caller's uploads to attach (besides
	// those the form's file fields hold).
	Attachments []string `json:"attachments"`
}

// receipt is the answer to a submission: what the requester needs to follow
// the request.
type receipt struct {
	ID           string          `json:"id"`
	TrackingCode string          `json:"trackingCode"`
	Status       engine.Status   `json:"status"`
	Type         *engine.FormRef `json:"type,omitempty"`
	Form         engine.FormRef  `json:"form"`
	Owner        string          `json:"owner,omitempty"`
	CreatedAt    time.Time       `json:"createdAt"`
}

// maySubmit authorises submitting requests: requesters, staff who enter
// requests for callers, and systems whose key has the requests:submit
// scope.
func (h *handlers) maySubmit(c echo.Context) (*access.Principal, error) {
	p, err := h.access.Authorize(c.Request().Context(), "*", "requests", "submit")
	if err != nil {
		return nil, err
	}
	if !p.HasScope("requests:submit") {
		return nil, access.ErrForbidden
	}
	return p, nil
}

// checkEntry refuses a channel p may not submit through, and a requester
// p may not enter a request for. channel "" is ChannelAPI.
func (h *handlers) checkEntry(p *access.Principal, channel engine.Channel, requester *onBehalf) error {
	if channel == "" {
		channel = engine.ChannelAPI
	}
	switch {
	case !engine.ValidChannel(channel):
		return &server.InputError{Msg: "channel: " + string(channel) + " is not a channel"}
	case channel == engine.ChannelEmail:
		return &server.InputError{Msg: "channel: requests by email arrive at the mail listener"}
	case p.IsKey() && (channel == engine.ChannelPortal || engine.OnBehalf(channel)):
		return &server.InputError{Msg: "channel: a system submits through api, chat, social, mobile or partner"}
	case engine.OnBehalf(channel) && requester == nil:
		return &server.InputError{Msg: "requester: say who the " + string(channel) + " request is for (username, or name with email or phone)"}
	case requester != nil && !engine.OnBehalf(channel):
		return &server.InputError{Msg: "requester: only requests entered by phone or walk-in are for someone else"}
	case requester != nil && !h.isStaff(p):
		return access.ErrForbidden
	}
	return nil
}

// entry decodes the data of a submission (or of an evaluation) and says
// who it is from and for: the caller, or the requester staff enter it
// for (lookOnly: see forRequester).
func (h *handlers) entry(ctx context.Context, p *access.Principal, requester *onBehalf, raw json.RawMessage, lookOnly bool) (engine.SubmitParams, error) {
	data, err := forms.DecodeData(bytes.NewReader(raw))
	if err != nil {
		return engine.SubmitParams{}, &server.InputError{Msg: "data: " + err.Error()}
	}
	params := engine.SubmitParams{Requester: p.Subject, Profile: profile(p), Caller: h.caller(p)}
	if requester != nil {
		subject, forParams, err := h.forRequester(ctx, requester, lookOnly)
		if err != nil {
			return params, server.AtPointer("/requester", err)
		}
		params = forParams
		params.Requester, params.EnteredBy = subject, p.Subject
	}
	params.Data = data
	return params, nil
}

func (h *handlers) submit(c echo.Context) error {
	p, err := h.maySubmit(c)
	if err != nil {
		return err
	}
	var s submission
	if err := server.DecodeJSON(c, &s); err != nil {
		return err
	}
	if s.Form == "" && s.Type == "" {
		return &server.InputError{Msg: "type: name the request type (or form) to submit"}
	}
	if len(s.Data) == 0 {
		return &server.InputError{Msg: "data: send the form's fields as a JSON object"}
	}
	if s.Channel == "" {
		s.Channel = engine.ChannelAPI
	}
	if err := h.checkEntry(p, s.Channel, s.Requester); err != nil {
		return err
	}
	switch {
	case s.Language != "" && s.Language != "en" && s.Language != "fa":
		return &server.InputError{Msg: "language: en or fa"}
	case s.Contact != nil && !p.IsKey():
		return &server.InputError{Msg: "contact: only a system gives the contact of the person it submits for"}
	case s.Contact != nil && (s.Contact.Customer != "" || len(s.Contact.Name) > 200 || len(s.Contact.Handle) > 200 || len(s.Contact.Email) > 254 || len(s.Contact.Phone) > 40):
		return &server.InputError{Msg: "contact: name, email, phone and handle, each of a sensible length"}
	case s.Contact != nil && s.Contact.Email != "" && engine.NormalizeEmail(s.Contact.Email) == "":
		return &server.InputError{Msg: "contact: email " + s.Contact.Email + " is not an email address"}
	}
	ctx := c.Request().Context()
	params, err := h.entry(ctx, p, s.Requester, s.Data, false)
	if err != nil {
		return err
	}
	if s.Requester == nil && p.User != nil {
		params.Contact = &engine.Contact{Name: p.User.Name, Email: p.User.Email}
	}
	if s.Contact != nil {
		params.Contact = s.Contact
		params.Contact.Email = engine.NormalizeEmail(s.Contact.Email)
	}
	params.Type, params.Form, params.Channel = s.Type, s.Form, s.Channel
	params.Language = s.Language
	if params.Language == "" {
		params.Language = preferredLanguage(c.Request().Header.Get("Accept-Language"))
	}
	params.Attachments = s.Attachments
	params.IdempotencyKey = c.Request().Header.Get("Idempotency-Key")
	req, err := h.requests.Submit(ctx, params)
	if err != nil {
		return server.AtPointer("/data", err)
	}
	if req.Replayed {
		// The answer the first sending got (its status may have moved on).
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	c.Response().Header().Set(echo.HeaderLocation, server.APIPrefix+"/requests/"+req.ID)
	return c.JSON(http.StatusCreated, receipt{ID: req.ID, TrackingCode: req.ID, Status: req.Status, Type: req.Type, Form: req.Form, Owner: req.Owner, CreatedAt: req.CreatedAt})
}

// get answers the whole request to staff who may read requests, and to the
// requester who submitted it.
func (h *handlers) get(c echo.Context) error {
	req, err := h.readable(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSON(http.StatusOK, h.view(c.Request().Context(), req))
}

// readable loads request :id for a caller who may read it: whole for
// staff who may read requests, in the requester's view for its requester.
func (h *handlers) readable(c echo.Context) (*engine.Request, error) {
	ctx := c.Request().Context()
	p := access.PrincipalFrom(ctx)
	if p == nil {
		return nil, access.ErrUnauthenticated
	}
	if !p.HasScope("requests:read") {
		return nil, access.ErrForbidden
	}
	staff := h.access.Can(p, "*", "requests", "read")
	if !staff && !h.access.Can(p, "*", "requests", "read-own") {
		return nil, access.ErrForbidden
	}
	req, err := h.requests.Get(ctx, c.Param("id"))
	if err != nil {
		return nil, err
	}
	if !staff && req.Requester != p.Subject {
		return nil, access.ErrForbidden
	}
	if !staff {
		req = requesterView(req)
	}
	return req, nil
}

// tracking is what anyone holding a tracking code may see: where the
// request stands, its priority and deadlines, the units it was referred
// to, and what happened to it; never the data it carries, the
// conversation or who works on it.
type tracking struct {
	TrackingCode string          `json:"trackingCode"`
	Status       engine.Status   `json:"status"`
	Priority     string          `json:"priority,omitempty"`
	Closed       bool            `json:"closed"`
	Type         *engine.FormRef `json:"type,omitempty"`
	Form         trackedForm     `json:"form"`
	Channel      engine.Channel  `json:"channel"`
	CreatedAt    time.Time       `json:"createdAt"`
	UpdatedAt    time.Time       `json:"updatedAt"`
	ResolvedAt   *time.Time      `json:"resolvedAt,omitempty"`
	Deadlines    []deadline      `json:"deadlines"`
	Referrals    []referral      `json:"referrals"`
	History      []publicEvent   `json:"history"`
}

// deadline is one SLA goal as the requester follows it.
type deadline struct {
	Goal  string     `json:"goal"`
	State string     `json:"state"`
	Due   *time.Time `json:"due,omitempty"`
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

// internalEvents are history entries a requester is not shown at all.
var internalEvents = map[string]bool{"noted": true}

func (h *handlers) track(c echo.Context) error {
	ctx := c.Request().Context()
	req, err := h.requests.Track(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, h.tracking(ctx, req))
}

func (h *handlers) tracking(ctx context.Context, req *engine.Request) tracking {
	t := tracking{
		TrackingCode: req.ID, Status: req.Status, Priority: req.Priority, Closed: req.Closed, Type: req.Type, Channel: req.Channel,
		CreatedAt: req.CreatedAt, UpdatedAt: req.UpdatedAt, ResolvedAt: req.ResolvedAt,
		Form:      trackedForm{Key: req.Form.Key, Version: req.Form.Version},
		Deadlines: []deadline{}, Referrals: referrals(req),
		History: make([]publicEvent, 0, len(req.History)),
	}
	if f, err := h.defs.FormVersion(ctx, req.Form.Key, req.Form.Version); err == nil {
		t.Form.Title = f.Title
	}
	if v, err := h.requests.ViewSLA(ctx, req); err == nil && v != nil {
		for _, g := range v.Goals {
			t.Deadlines = append(t.Deadlines, deadline{Goal: g.Goal, State: g.State, Due: g.Due})
		}
	}
	for _, e := range req.History {
		if !internalEvents[e.Type] {
			t.History = append(t.History, publicEvent{At: e.At, Type: e.Type, Status: e.Status})
		}
	}
	return t
}

// proof is what a requester proves themselves with to see their request
// by its code without logging in: the email or phone it was filed with.
type proof struct {
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// provenTracking is tracking plus what only the requester may see: with
// the files they may see listed (their contents are read logged in).
type provenTracking struct {
	tracking
	Data        map[string]any      `json:"data"`
	Owner       string              `json:"owner,omitempty"`
	Messages    []engine.Message    `json:"messages"`
	Attachments []engine.Attachment `json:"attachments"`
}

// trackProven answers the requester's own view of a request to whoever
// proves to be its requester. A wrong proof is a 403 that says nothing
// about the request, and counts against the same rate limit as lookups.
func (h *handlers) trackProven(c echo.Context) error {
	ctx := c.Request().Context()
	var pr proof
	if err := server.DecodeJSON(c, &pr); err != nil {
		return err
	}
	if pr.Email == "" && pr.Phone == "" {
		return &server.InputError{Msg: "give the email or the phone number the request was filed with"}
	}
	req, err := h.requests.Track(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	if !proves(req.Contact, pr) {
		return errNoProof
	}
	v := requesterView(req)
	out := provenTracking{tracking: h.tracking(ctx, req), Data: v.Data, Owner: v.Owner, Messages: v.Messages, Attachments: v.Attachments}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, out)
}

var errNoProof = echo.NewHTTPError(http.StatusForbidden, "These contact details are not the ones the request was filed with.")

// proves compares the proof with the request's contact details in
// constant time.
func proves(ct *engine.Contact, pr proof) bool {
	if ct == nil {
		return false
	}
	same := func(have, given string) bool {
		return have != "" && given != "" && subtle.ConstantTimeCompare([]byte(have), []byte(given)) == 1
	}
	return same(ct.Email, engine.NormalizeEmail(pr.Email)) || same(engine.NormalizePhone(ct.Phone), engine.NormalizePhone(pr.Phone))
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
	v.Messages = make([]engine.Message, 0, len(req.Messages))
	for _, m := range req.Messages {
		if m.Kind != engine.MessageNote {
			m.Article = "" // the knowledge base is staff's
			v.Messages = append(v.Messages, m)
		}
	}
	v.Attachments = make([]engine.Attachment, 0, len(req.Attachments))
	for _, a := range req.Attachments {
		if a.Internal {
			continue // a note's file: as if it did not exist
		}
		if a.By != req.Requester {
			a.By = ""
		}
		v.Attachments = append(v.Attachments, a)
	}
	if req.SLA != nil {
		sla := *req.SLA
		sla.Fired = nil
		v.SLA = &sla
	}
	v.History = make([]engine.Event, 0, len(req.History))
	for _, e := range req.History {
		if internalEvents[e.Type] {
			continue
		}
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
