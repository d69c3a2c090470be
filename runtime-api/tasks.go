package runtimeapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/server"
)

// worker is the principal behind a task action: a person (API keys do
// not work tasks: a task is done by someone who answers for it), allowed
// to work tasks, and whether they may also manage them.
func (h *handlers) worker(c echo.Context) (*access.Principal, bool, error) {
	p, err := h.access.Authorize(c.Request().Context(), "*", "tasks", "work")
	if err != nil {
		return nil, false, err
	}
	if p.User == nil {
		return nil, false, access.ErrForbidden
	}
	return p, h.access.Can(p, "*", "tasks", "manage"), nil
}

// inboxPage is the answer of GET /tasks.
type inboxPage = server.Page[engine.TaskItem]

func (h *handlers) tasks(c echo.Context) error {
	p, _, err := h.worker(c)
	if err != nil {
		return err
	}
	cursor, limit, err := server.PageParams(c)
	if err != nil {
		return err
	}
	q := engine.TaskQuery{
		User: p.Subject, Groups: p.User.Groups, View: c.QueryParam("view"), Form: c.QueryParam("form"), Node: c.QueryParam("node"),
		Overdue: c.QueryParam("overdue") == "true", Sort: c.QueryParam("sort"), After: cursor, Limit: limit,
	}
	items, next, err := h.requests.Tasks(c.Request().Context(), q)
	if err != nil {
		return err
	}
	page := inboxPage{Items: items}
	if page.Items == nil {
		page.Items = []engine.TaskItem{}
	}
	if next != "" {
		page.Next = server.Cursor(next)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSON(http.StatusOK, page)
}

// taskAction is the body of the task actions: what each needs of it.
type taskAction struct {
	Outcome string          `json:"outcome"`
	Data    json.RawMessage `json:"data"`
	Comment string          `json:"comment"`
	To      string          `json:"to"`
	Group   string          `json:"group"`
}

// taskResult is the answer to a task action: the task as it now is, and
// where its request stands.
type taskResult struct {
	Task    engine.Task `json:"task"`
	Request struct {
		ID     string        `json:"id"`
		Status engine.Status `json:"status"`
		Closed bool          `json:"closed"`
	} `json:"request"`
}

// maxComment bounds a comment on a task action.
const maxComment = 4000

func (h *handlers) taskAction(kind engine.SignalKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, manager, err := h.worker(c)
		if err != nil {
			return err
		}
		var body taskAction
		if c.Request().ContentLength != 0 {
			if err := server.DecodeJSON(c, &body); err != nil {
				return err
			}
		}
		if len(body.Comment) > maxComment {
			return &server.InputError{Msg: "comment: at most 4000 characters"}
		}
		id := c.Param("id")
		request, _, ok := strings.Cut(id, "-")
		if !ok {
			return &server.InputError{Msg: "task id " + id + " is not one this server gave out"}
		}
		sig := engine.Signal{
			Kind: kind, Task: id, Outcome: body.Outcome, Comment: body.Comment, To: body.To, ToGroup: body.Group,
			Actor: p.Subject, ActorGroups: p.User.Groups, Manager: manager,
		}
		if len(body.Data) > 0 {
			if sig.Data, err = server.DecodeObject(body.Data, "data"); err != nil {
				return err
			}
		}
		if (kind == engine.SignalReassign || kind == engine.SignalDelegate) && body.To != "" {
			if _, err := h.access.User(c.Request().Context(), body.To); err != nil {
				return &server.InputError{Msg: "to: there is no user " + body.To}
			}
		}
		if body.Group != "" {
			if _, err := h.access.Group(c.Request().Context(), body.Group); err != nil {
				return &server.InputError{Msg: "group: there is no group " + body.Group}
			}
		}
		req, err := h.requests.Apply(c.Request().Context(), request, sig)
		if err != nil {
			return server.AtPointer("/data", err)
		}
		var res taskResult
		for _, t := range req.Workflow.Tasks {
			if t.ID == id {
				res.Task = t
			}
		}
		res.Request.ID, res.Request.Status, res.Request.Closed = req.ID, req.Status, req.Closed
		return c.JSON(http.StatusOK, res)
	}
}

// retry retries a request's failed nodes and calls (a supervisor's job).
func (h *handlers) retry(c echo.Context) error {
	p, err := h.access.Authorize(c.Request().Context(), "*", "requests", "manage")
	if err != nil {
		return err
	}
	req, err := h.requests.Apply(c.Request().Context(), c.Param("id"), engine.Signal{Kind: engine.SignalRetry, Actor: p.Subject, Manager: true})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, req)
}

// callback delivers an external system's message to the request waiting
// for its correlation key.
func (h *handlers) callback(c echo.Context) error {
	p, err := h.access.Authorize(c.Request().Context(), "*", "callbacks", "deliver")
	if err != nil {
		return err
	}
	if !p.HasScope("callbacks:deliver") {
		return access.ErrForbidden
	}
	raw, err := server.ReadBody(c)
	if err != nil {
		return err
	}
	var payload map[string]any
	if len(bytes.TrimSpace(raw)) > 0 { // an empty body is a message without a payload
		if payload, err = server.DecodeObject(raw, "body"); err != nil {
			return err
		}
	}
	req, err := h.requests.Deliver(c.Request().Context(), c.Param("key"), payload, p.Subject)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"request": req.ID, "status": req.Status, "closed": req.Closed})
}
