package engine

import (
	"context"
	"strings"
	"time"
)

// RequestQuery selects the requests a list shows, newest first: a
// requester's own ("my requests"), an owner's, or any for staff.
type RequestQuery struct {
	// Requester and Owner narrow to one requester's or one owner's
	// requests ("" any).
	Requester, Owner string
	// Types narrows to request types (a request filed by form alone
	// counts as its form's key).
	Types []string
	// Statuses narrows to requests in one of them.
	Statuses []Status
	// State is StateOpen, StateClosed or "" for both.
	State string
	// After is the cursor: the position of the last request of the page
	// before.
	After string
	Limit int
}

// The states a list may narrow to.
const (
	StateOpen   = "open"
	StateClosed = "closed"
)

// RequestSummary is a request as a list shows it: where it stands, not
// what it holds.
type RequestSummary struct {
	ID         string     `json:"id"`
	Type       *FormRef   `json:"type,omitempty"`
	Form       FormRef    `json:"form"`
	Channel    Channel    `json:"channel"`
	Status     Status     `json:"status"`
	Priority   string     `json:"priority,omitempty"`
	Closed     bool       `json:"closed"`
	Requester  string     `json:"requester,omitempty"`
	Owner      string     `json:"owner,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	ResolvedAt *time.Time `json:"resolvedAt,omitempty"`
	// Due is the earliest due time of its running SLA clocks.
	Due *time.Time `json:"due,omitempty"`
}

// RequestsListParams is what a store lists: the requests matching the
// filters, working and archived, created before Before (newest first, ties
// by id descending), at most Limit.
type RequestsListParams struct {
	Requester, Owner string
	Types            []string
	Statuses         []Status
	// Closed narrows to closed (true) or open (false) requests.
	Closed *bool
	Before *ListPosition
	Limit  int
}

// ListPosition is a request's place in a list: its creation time, then
// its id.
type ListPosition struct {
	CreatedAt time.Time
	ID        string
}

// positionLayout writes a position's time so that positions sort as text.
const positionLayout = "2006-01-02T15:04:05.000000000Z"

func (p ListPosition) String() string { return p.CreatedAt.UTC().Format(positionLayout) + "|" + p.ID }

func parseListPosition(s string) (*ListPosition, error) {
	at, id, ok := strings.Cut(s, "|")
	t, err := time.Parse(positionLayout, at)
	if !ok || err != nil || id == "" {
		return nil, invalidf("cursor is not one this server gave out")
	}
	return &ListPosition{CreatedAt: t, ID: id}, nil
}

// List returns the requests q selects, newest first, and the cursor of the
// next page ("" when this is the last).
func (r *Requests) List(ctx context.Context, q RequestQuery) ([]RequestSummary, string, error) {
	p := &RequestsListParams{Requester: q.Requester, Owner: q.Owner, Types: q.Types, Statuses: q.Statuses, Limit: q.Limit + 1}
	switch q.State {
	case "":
	case StateOpen, StateClosed:
		closed := q.State == StateClosed
		p.Closed = &closed
	default:
		return nil, "", invalidf("state %q: use open or closed, or leave it out for both", q.State)
	}
	for _, s := range q.Statuses {
		// Statuses are open-ended (a workflow's ends name their own), so
		// only their shape is checked.
		if !nodeID.MatchString(string(s)) {
			return nil, "", invalidf("status %q is not a status", s)
		}
	}
	for _, t := range q.Types {
		if !nodeID.MatchString(t) {
			return nil, "", invalidf("type %q is not a request type key", t)
		}
	}
	if q.Limit < 1 {
		return nil, "", invalidf("limit must be at least 1")
	}
	if q.After != "" {
		pos, err := parseListPosition(q.After)
		if err != nil {
			return nil, "", err
		}
		p.Before = pos
	}
	found, err := r.store.RequestsList(ctx, p)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(found) > q.Limit {
		found = found[:q.Limit]
		last := found[len(found)-1]
		next = ListPosition{CreatedAt: last.CreatedAt, ID: last.ID}.String()
	}
	out := make([]RequestSummary, 0, len(found))
	for _, req := range found {
		out = append(out, summarise(req))
	}
	return out, next, nil
}

func summarise(req *Request) RequestSummary {
	s := RequestSummary{
		ID: req.ID, Type: req.Type, Form: req.Form, Channel: req.Channel, Status: req.Status, Priority: req.Priority,
		Closed: req.Closed, Requester: req.Requester, Owner: req.Owner, CreatedAt: req.CreatedAt, UpdatedAt: req.UpdatedAt,
		ResolvedAt: req.ResolvedAt,
	}
	if req.SLA != nil {
		for _, c := range req.SLA.Clocks {
			if c.Due != nil && (s.Due == nil || c.Due.Before(*s.Due)) {
				s.Due = c.Due
			}
		}
	}
	return s
}
