package runtimeapi

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/server"
)

// requestPage is the answer of GET /requests.
type requestPage struct {
	Items []engine.RequestSummary `json:"items"`
	Next  string                  `json:"next,omitempty"`
}

// listParams are the query parameters of GET /requests.
var listParams = []string{"requester", "owner", "type", "status", "state", "cursor", "limit"}

// listRequests answers GET /requests: the caller's own requests, newest
// first, for anyone who may read their own; any requests, narrowed by
// requester, owner, type, status and state, for staff who may read
// requests.
func (h *handlers) listRequests(c echo.Context) error {
	p := access.PrincipalFrom(c.Request().Context())
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
	params := c.QueryParams()
	pe := &engine.ParamsError{}
	for _, name := range slices.Sorted(maps.Keys(params)) {
		if !slices.Contains(listParams, name) {
			pe.Add(name, "notAllowed", nil)
		}
	}
	if len(pe.Problems) > 0 {
		return pe
	}
	me := func(name string) string {
		if v := params.Get(name); v != "me" {
			return v
		}
		return p.Subject
	}
	q := engine.RequestQuery{Requester: me("requester"), Owner: me("owner"), Types: queryList(params, "type"), State: params.Get("state")}
	for _, s := range queryList(params, "status") {
		q.Statuses = append(q.Statuses, engine.Status(s))
	}
	if !staff {
		// Their own, whatever they ask: naming anyone else is refused
		// rather than quietly answered with their own.
		if (q.Requester != "" && q.Requester != p.Subject) || q.Owner != "" {
			return access.ErrForbidden
		}
		q.Requester = p.Subject
	}
	cursor, limit, err := server.PageParams(c)
	if err != nil {
		return err
	}
	q.After, q.Limit = cursor, limit
	items, next, err := h.requests.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	page := requestPage{Items: items}
	if next != "" {
		page.Next = server.Cursor(next)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSON(http.StatusOK, page)
}

// queryList reads a parameter that may be repeated or list values
// separated by commas.
func queryList(params url.Values, name string) []string {
	var out []string
	for _, v := range params[name] {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}
