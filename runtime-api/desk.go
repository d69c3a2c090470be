package runtimeapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/server"
)

// The service desk's routes: the catalog, the conversation, ownership,
// the requester's rating and reopening, customer profiles.

// caller describes p to a request type's audience.
func (h *handlers) caller(p *access.Principal) *engine.Caller {
	c := &engine.Caller{Subject: p.Subject, System: p.IsKey()}
	if roles, err := h.access.RolesOf(p.Subject); err == nil {
		for _, r := range roles {
			if !slices.Contains(c.Roles, r.Role) {
				c.Roles = append(c.Roles, r.Role)
			}
		}
	}
	if p.User != nil {
		c.Groups, c.Segment = slices.Clone(p.User.Groups), p.User.Segment
		if p.User.Department != "" {
			c.Groups = append(c.Groups, p.User.Department)
		}
	}
	return c
}

// isStaff reports whether p reads every request (agents, supervisors,
// admins): staff enter requests for others and write notes.
func (h *handlers) isStaff(p *access.Principal) bool {
	return p.User != nil && h.access.Can(p, "*", "requests", "read")
}

// catalog lists the request types the caller may submit. Staff asking
// for ?for=anyone see every type (to enter one for a caller on the
// phone); ?channel= narrows to channels.
func (h *handlers) catalog(c echo.Context) error {
	p, err := h.access.Authorize(c.Request().Context(), "*", "requests", "submit")
	if err != nil {
		return err
	}
	var channels []engine.Channel
	if q := c.QueryParam("channel"); q != "" {
		for _, ch := range strings.Split(q, ",") {
			if !engine.ValidChannel(engine.Channel(ch)) {
				return &server.InputError{Msg: "channel: " + ch + " is not a channel"}
			}
			channels = append(channels, engine.Channel(ch))
		}
	}
	caller := h.caller(p)
	switch c.QueryParam("for") {
	case "":
	case "anyone":
		if !h.isStaff(p) {
			return access.ErrForbidden
		}
		caller = nil
	default:
		return &server.InputError{Msg: "for: only anyone (staff) is known"}
	}
	items, err := h.requests.Catalog(c.Request().Context(), caller, channels)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// onBehalf is who a request entered by staff is for: a user, or a
// customer known by contact details.
type onBehalf struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Segment  string `json:"segment"`
}

// forRequester resolves who staff enter a request for. With lookOnly, a
// customer known by contact details is looked up and neither created nor
// changed: the live evaluation of a form's rules stores nothing.
func (h *handlers) forRequester(ctx context.Context, o *onBehalf, lookOnly bool) (subject string, params engine.SubmitParams, err error) {
	if o.Username != "" {
		u, err := h.access.User(ctx, o.Username)
		if err != nil {
			return "", params, &server.InputError{Msg: "requester.username: there is no user " + o.Username}
		}
		up := &access.Principal{Subject: u.Username, User: u}
		params.Profile, params.Caller = profile(up), h.caller(up)
		params.Contact = &engine.Contact{Name: u.Name, Email: u.Email, Phone: engine.NormalizePhone(o.Phone)}
		return u.Username, params, nil
	}
	details := engine.CustomerDetails{Name: o.Name, Email: o.Email, Phone: o.Phone, Segment: o.Segment}
	if lookOnly {
		prof, err := h.requests.CustomerProfile(ctx, details)
		if err != nil {
			return "", params, err
		}
		params.Profile, params.Caller = prof, &engine.Caller{Subject: prof.ID, Segment: prof.Segment}
		return prof.ID, params, nil
	}
	cust, err := h.requests.IntakeCustomer(ctx, details)
	if err != nil {
		return "", params, err
	}
	params.Profile = cust.Profile()
	params.Caller = &engine.Caller{Subject: cust.Subject(), Segment: cust.Segment}
	params.Contact = &engine.Contact{Name: cust.Name, Email: cust.Email, Phone: cust.Phone, Customer: cust.ID}
	return cust.Subject(), params, nil
}

// message is the body of POST /requests/{id}/messages.
type message struct {
	Kind  string `json:"kind"` // reply, note; a requester's own message needs none
	Body  string `json:"body"`
	Await bool   `json:"await"`
	// Attachments are ids of the caller's uploads to send with it.
	Attachments []string `json:"attachments"`
	// Article is the knowledge article a reply was written from.
	Article string `json:"article"`
}

// postMessage adds to a request's conversation: the owner's public reply,
// a staff member's internal note, or the requester's own message.
func (h *handlers) postMessage(c echo.Context) error {
	ctx := c.Request().Context()
	p := access.PrincipalFrom(ctx)
	if p == nil {
		return access.ErrUnauthenticated
	}
	var m message
	if err := server.DecodeJSON(c, &m); err != nil {
		return err
	}
	id := c.Param("id")
	var (
		req *engine.Request
		err error
	)
	if m.Article != "" && m.Kind != engine.MessageReply {
		return &server.InputError{Msg: "article: only a reply is written from a knowledge article"}
	}
	switch m.Kind {
	case engine.MessageReply, engine.MessageNote:
		if !h.isStaff(p) {
			return access.ErrForbidden
		}
		if m.Kind == engine.MessageReply {
			req, err = h.requests.Reply(ctx, id, engine.ReplyParams{Actor: p.Subject, Body: m.Body, Await: m.Await, Attachments: m.Attachments, Article: m.Article})
		} else {
			req, err = h.requests.Note(ctx, id, engine.NoteParams{Actor: p.Subject, Body: m.Body, Attachments: m.Attachments})
		}
	case "", engine.MessageRequester:
		if err := h.mayReadOwn(p); err != nil {
			return err
		}
		channel := engine.ChannelPortal
		if p.IsKey() {
			channel = engine.ChannelAPI
		}
		req, err = h.requests.RequesterMessage(ctx, id, engine.RequesterMessageParams{Actor: p.Subject, Body: m.Body, Channel: channel, Attachments: m.Attachments})
	default:
		return &server.InputError{Msg: "kind: reply or note (staff); leave it out for a requester's message"}
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"message": req.Messages[len(req.Messages)-1], "request": statusOf(req)})
}

// mayReadOwn allows a requester (or system) reading their own requests.
func (h *handlers) mayReadOwn(p *access.Principal) error {
	if !p.HasScope("requests:read") || !h.access.Can(p, "*", "requests", "read-own") {
		return access.ErrForbidden
	}
	return nil
}

type requestStatus struct {
	ID     string        `json:"id"`
	Status engine.Status `json:"status"`
	Closed bool          `json:"closed"`
	Owner  string        `json:"owner,omitempty"`
}

func statusOf(r *engine.Request) requestStatus {
	return requestStatus{ID: r.ID, Status: r.Status, Closed: r.Closed, Owner: r.Owner}
}

// ownerChange is the body of POST /requests/{id}/owner.
type ownerChange struct {
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// setOwner gives a request another owner (a supervisor), or lets an agent
// take an unowned request of their group.
func (h *handlers) setOwner(c echo.Context) error {
	p, manager, err := h.worker(c)
	if err != nil {
		return err
	}
	var b ownerChange
	if err := server.DecodeJSON(c, &b); err != nil {
		return err
	}
	if len(b.Reason) > maxComment {
		return &server.InputError{Msg: "reason: at most 4000 characters"}
	}
	ctx := c.Request().Context()
	manager = manager || h.access.Can(p, "*", "requests", "manage")
	if _, err := h.access.User(ctx, b.To); err != nil {
		return &server.InputError{Msg: "to: there is no user " + b.To}
	}
	req, err := h.requests.SetOwner(ctx, c.Param("id"), p.Subject, p.User.Groups, manager, b.To, b.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, statusOf(req))
}

// rating is the body of POST /requests/{id}/feedback.
type rating struct {
	CSAT    *int   `json:"csat"`
	NPS     *int   `json:"nps"`
	Comment string `json:"comment"`
}

func (h *handlers) feedback(c echo.Context) error {
	p, err := h.requester(c)
	if err != nil {
		return err
	}
	var b rating
	if err := server.DecodeJSON(c, &b); err != nil {
		return err
	}
	req, err := h.requests.Rate(c.Request().Context(), c.Param("id"), p.Subject, engine.RateParams{CSAT: b.CSAT, NPS: b.NPS, Comment: b.Comment})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, req.Feedback)
}

type reopening struct {
	Reason string `json:"reason"`
}

func (h *handlers) reopen(c echo.Context) error {
	p, err := h.requester(c)
	if err != nil {
		return err
	}
	var b reopening
	if err := server.DecodeJSON(c, &b); err != nil {
		return err
	}
	req, err := h.requests.Reopen(c.Request().Context(), c.Param("id"), p.Subject, b.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, statusOf(req))
}

// requester is the principal behind a requester's act on their own
// request (rating, reopening): the engine checks it is theirs.
func (h *handlers) requester(c echo.Context) (*access.Principal, error) {
	p := access.PrincipalFrom(c.Request().Context())
	if p == nil {
		return nil, access.ErrUnauthenticated
	}
	return p, h.mayReadOwn(p)
}

// customer answers a customer profile to staff.
func (h *handlers) customer(c echo.Context) error {
	if _, err := h.access.Authorize(c.Request().Context(), "*", "requests", "read"); err != nil {
		return err
	}
	cust, err := h.requests.Customer(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSON(http.StatusOK, cust)
}

// putCustomer replaces a profile's details (supervisors and admins).
func (h *handlers) putCustomer(c echo.Context) error {
	if _, err := h.access.Authorize(c.Request().Context(), "*", "requests", "manage"); err != nil {
		return err
	}
	var cust engine.Customer
	if err := server.DecodeJSON(c, &cust); err != nil {
		return err
	}
	if cust.ID != "" && cust.ID != c.Param("id") {
		return &server.InputError{Msg: "id: the body names another customer than the path"}
	}
	cust.ID = c.Param("id")
	out, err := h.requests.UpdateCustomer(c.Request().Context(), &cust)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// requestView is a request as GET answers it: the document and its SLA
// goals as they stand now (due, left, paused or breached).
type requestView struct {
	*engine.Request
	Goals *engine.SLAView `json:"slaStatus,omitempty"`
}

func (h *handlers) view(ctx context.Context, req *engine.Request) requestView {
	v := requestView{Request: req}
	v.Goals, _ = h.requests.ViewSLA(ctx, req) // a calendar gone missing leaves the goals out, not the request
	return v
}

// referral is a piece of the request's work handed to a unit, as the
// requester may follow it: which unit, since when, whether it is done.
type referral struct {
	Units     []string   `json:"units,omitempty"`
	Title     any        `json:"title,omitempty"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"createdAt"`
	Due       *time.Time `json:"due,omitempty"`
}

func referrals(req *engine.Request) []referral {
	out := []referral{}
	if req.Workflow == nil {
		return out
	}
	for _, t := range req.Workflow.Tasks {
		if t.Kind == engine.TaskResubmit || len(t.Groups) == 0 {
			continue
		}
		var title any = t.Title
		if t.Kind == engine.TaskReferral {
			// Its title quotes the owner's internal note: not for the requester.
			title = map[string]string{"en": "Referral", "fa": "ارجاع"}
		}
		out = append(out, referral{Units: t.Groups, Title: title, Status: t.Status, CreatedAt: t.CreatedAt, Due: t.Due})
	}
	return out
}
