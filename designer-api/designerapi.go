// Package designerapi holds the HTTP handlers process owners use to write
// definitions: save drafts, publish immutable versions, and read any
// version back. Forms and reusable form fragments share one set of
// handlers, because every kind of definition is drafted, published and
// versioned the same way. Handlers are thin: decode, call the engine,
// encode; errors go to the server's problem+json handler.
package designerapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/server"
)

// collections maps a URL collection to the kind of definition it holds.
var collections = []struct {
	path string
	kind engine.Kind
}{
	{"forms", engine.KindForm},
	{"fragments", engine.KindFragment},
	{"rules", engine.KindRuleSet},
	{"workflows", engine.KindWorkflow},
	{"calendars", engine.KindCalendar},
	{"request-types", engine.KindRequestType},
	{"sla-policies", engine.KindSLAPolicy},
}

// Register adds the designer routes to the API group.
//
// Who may do what: drafts are read by anyone whose roles allow reading
// definitions somewhere (process owners of any category, agents,
// supervisors, admins); a draft is saved and published only by those allowed
// in its category ("category:it"), and moving a definition to another
// category needs the right in both. Published form and fragment versions
// are also readable by requesters and systems, who fill the forms in; rule
// sets are not (how work is routed is internal).
func Register(g *echo.Group, defs *engine.Definitions, requests *engine.Requests, acc *access.Service) {
	for _, col := range collections {
		h := &handlers{defs: defs, kind: col.kind, access: acc}
		p := "/" + col.path
		g.GET(p, h.list)
		g.GET(p+"/:key", h.get)
		g.PUT(p+"/:key", h.saveDraft)
		g.POST(p+"/:key/publish", h.publish)
		g.GET(p+"/:key/versions", h.versions)
		g.GET(p+"/:key/versions/:version", h.version)
	}
	r := &ruleHandlers{defs: defs, access: acc}
	g.POST("/rules/:key/evaluate", r.evaluate)
	g.POST("/expressions/check", r.check)
	w := &workflowHandlers{requests: requests, access: acc}
	g.POST("/workflows/:key/simulate", w.simulate)
	g.POST("/workflows/:key/migrate", w.migrate)
}

type handlers struct {
	defs   *engine.Definitions
	kind   engine.Kind
	access *access.Service
}

// mayReadDrafts allows reading heads and drafts.
func (h *handlers) mayReadDrafts(c echo.Context) error {
	_, err := h.access.AuthorizeSomewhere(c.Request().Context(), "definitions", "read")
	return err
}

// mayReadPublished allows reading published versions: staff, and whoever
// may fill forms in, who also needs the fragments the forms use (an API key
// needs the forms:read scope). Rule sets and workflows are internal (how
// work is routed is not the requester's business), as are calendars, SLA
// policies and request types (requesters see the catalog): staff only.
func (h *handlers) mayReadPublished(c echo.Context) error {
	err := h.mayReadDrafts(c)
	if err == nil || errors.Is(err, access.ErrUnauthenticated) || h.kind != engine.KindForm && h.kind != engine.KindFragment {
		return err
	}
	p, err := h.access.Authorize(c.Request().Context(), "*", "published-forms", "read")
	if err != nil {
		return err
	}
	if !p.HasScope("forms:read") {
		return access.ErrForbidden
	}
	return nil
}

func (h *handlers) mayIn(c echo.Context, category, act string) error {
	_, err := h.access.Authorize(c.Request().Context(), "category:"+category, "definitions", act)
	return err
}

// summary is a definition in a list: no draft body.
type summary struct {
	Key           string     `json:"key"`
	Title         forms.Text `json:"title"`
	Category      string     `json:"category"`
	Revision      int64      `json:"revision"`
	UpdatedAt     time.Time  `json:"updatedAt"`
	LatestVersion int        `json:"latestVersion"`
	PublishedAt   *time.Time `json:"publishedAt,omitempty"`
}

// head is a definition with its draft, as GET and PUT answer it.
type head struct {
	summary
	Draft    json.RawMessage       `json:"draft"`
	Problems []server.FieldProblem `json:"problems,omitempty"`
}

func summarize(d *engine.Definition) summary {
	return summary{Key: d.Key, Title: d.Title, Category: d.Category, Revision: d.Revision, UpdatedAt: d.UpdatedAt, LatestVersion: d.LatestVersion, PublishedAt: d.PublishedAt}
}

func (h *handlers) list(c echo.Context) error {
	if err := h.mayReadPublished(c); err != nil {
		return err
	}
	after, limit, err := server.PageParams(c)
	if err != nil {
		return err
	}
	defs, err := h.defs.List(c.Request().Context(), h.kind, after, limit+1)
	if err != nil {
		return err
	}
	page := server.Page[summary]{Items: make([]summary, 0, len(defs))}
	if len(defs) > limit {
		defs = defs[:limit]
		page.Next = server.Cursor(defs[limit-1].Key)
	}
	drafts := h.mayReadDrafts(c) == nil
	for _, d := range defs {
		if drafts || d.LatestVersion > 0 { // requesters see what they can fill in
			page.Items = append(page.Items, summarize(d))
		}
	}
	return c.JSON(http.StatusOK, page)
}

func (h *handlers) get(c echo.Context) error {
	if err := h.mayReadDrafts(c); err != nil {
		return err
	}
	d, err := h.defs.Get(c.Request().Context(), h.kind, c.Param("key"))
	if err != nil {
		return err
	}
	server.SetRevisionETag(c, d.Revision)
	return c.JSON(http.StatusOK, head{summary: summarize(d), Draft: d.Draft})
}

// saveDraft stores the body as the draft. If-Match with the ETag of a
// previous GET or PUT makes the save fail with 412 if someone saved in
// between, instead of silently overwriting their work; If-None-Match: *
// makes it fail with 412 if the key exists, so that creating a new one
// never overwrites another's.
func (h *handlers) saveDraft(c echo.Context) error {
	expect, err := server.IfMatchRevision(c)
	if err != nil {
		return err
	}
	switch none := c.Request().Header.Get("If-None-Match"); {
	case none == "*" && c.Request().Header.Get("If-Match") != "":
		return &server.InputError{Msg: "send If-Match (to change a draft) or If-None-Match: * (to create one), not both"}
	case none == "*":
		expect = engine.DraftCreateOnly
	case none != "":
		return &server.InputError{Msg: "If-None-Match: only * (create, if the key does not exist) is understood here"}
	}
	var body json.RawMessage
	if err := server.DecodeJSON(c, &body); err != nil {
		return err
	}
	if err := h.mayIn(c, engine.CategoryOf(body), "write"); err != nil {
		return err
	}
	if old, err := h.defs.Get(c.Request().Context(), h.kind, c.Param("key")); err == nil {
		if err := h.mayIn(c, old.Category, "write"); err != nil {
			return err
		}
	} else if !errors.Is(err, engine.ErrNotFound) {
		return err
	}
	d, problems, err := h.defs.SaveDraft(c.Request().Context(), h.kind, c.Param("key"), body, expect)
	if err != nil {
		return err
	}
	server.SetRevisionETag(c, d.Revision)
	return c.JSON(http.StatusOK, head{summary: summarize(d), Draft: d.Draft, Problems: server.FieldProblems(c, problems)})
}

// published is the answer of publish.
type published struct {
	Key         string              `json:"key"`
	Version     int                 `json:"version"`
	PublishedAt time.Time           `json:"publishedAt"`
	Fragments   []forms.FragmentRef `json:"fragments,omitempty"`
}

func (h *handlers) publish(c echo.Context) error {
	head, err := h.defs.Get(c.Request().Context(), h.kind, c.Param("key"))
	if errors.Is(err, engine.ErrNotFound) {
		// Say "not found" only to those who may publish somewhere.
		if _, aerr := h.access.AuthorizeSomewhere(c.Request().Context(), "definitions", "publish"); aerr != nil {
			return aerr
		}
	}
	if err != nil {
		return err
	}
	if err := h.mayIn(c, head.Category, "publish"); err != nil {
		return err
	}
	v, err := h.defs.Publish(c.Request().Context(), h.kind, c.Param("key"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, fmt.Sprintf("%s%s/%d", c.Request().URL.Path[:len(c.Request().URL.Path)-len("publish")], "versions", v.Number))
	return c.JSON(http.StatusCreated, published{Key: v.Key, Version: v.Number, PublishedAt: v.PublishedAt, Fragments: v.Fragments})
}

func (h *handlers) versions(c echo.Context) error {
	if err := h.mayReadPublished(c); err != nil {
		return err
	}
	cursor, limit, err := server.PageParams(c)
	if err != nil {
		return err
	}
	before := 0
	if cursor != "" {
		if before, err = strconv.Atoi(cursor); err != nil {
			return fmt.Errorf("%w: cursor is not one this server gave out", engine.ErrInvalid)
		}
	}
	vs, err := h.defs.Versions(c.Request().Context(), h.kind, c.Param("key"), before, limit+1)
	if err != nil {
		return err
	}
	page := server.Page[*engine.Version]{Items: vs}
	if len(vs) > limit {
		page.Items = vs[:limit]
		page.Next = server.Cursor(strconv.Itoa(vs[limit-1].Number))
	}
	return c.JSON(http.StatusOK, page)
}

// version answers one version; "latest" names the newest.
func (h *handlers) version(c echo.Context) error {
	if err := h.mayReadPublished(c); err != nil {
		return err
	}
	n := 0
	if s := c.Param("version"); s != "latest" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			return fmt.Errorf("%w: version must be a positive number or \"latest\"", engine.ErrInvalid)
		}
	}
	v, err := h.defs.Version(c.Request().Context(), h.kind, c.Param("key"), n)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, max-age=31536000, immutable")
	if n == 0 {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-cache")
	}
	return c.JSON(http.StatusOK, v)
}
