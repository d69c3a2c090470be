package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Inbox views.
const (
	ViewAll    = ""       // mine and my groups' queues
	ViewMine   = "mine"   // assigned to me
	ViewQueues = "queues" // unclaimed, in one of my groups
)

// Inbox sort orders.
const (
	SortDue      = "due"      // soonest due first; no due time last
	SortPriority = "priority" // most urgent first, then by due
	SortCreated  = "created"  // oldest first
)

// TaskQuery selects a worker's open tasks.
type TaskQuery struct {
	User   string
	Groups []string
	View   string
	// Form and Node narrow to one request type or step; Overdue to tasks
	// past their due time.
	Form, Node string
	Overdue    bool
	Sort       string
	// After is the cursor: the position of the last task of the page
	// before.
	After string
	Limit int
}

// TaskItem is an open task in an inbox, with what the worker needs to
// pick it: the request it belongs to.
type TaskItem struct {
	Task
	Request       string  `json:"request"`
	Form          FormRef `json:"form"`
	RequestStatus Status  `json:"requestStatus"`
	position      string
}

// maxInboxRequests bounds the requests one inbox query reads. A worker
// with more open requests than this sees the first ones found; the queue
// is the place to narrow it (form, node, overdue).
const maxInboxRequests = 5000

// priorityRank orders priorities for the inbox; unknown ones sort with
// normal.
var priorityRank = map[string]int{"critical": 0, "urgent": 0, "high": 1, "normal": 2, "medium": 2, "low": 3}

// Tasks lists the open tasks q selects, sorted and paged: the page, and
// the cursor of the next one ("" at the end).
func (r *Requests) Tasks(ctx context.Context, q TaskQuery) ([]TaskItem, string, error) {
	switch q.View {
	case ViewAll, ViewMine, ViewQueues:
	default:
		return nil, "", invalidf("view %q: use mine or queues, or leave it out for both", q.View)
	}
	switch q.Sort {
	case "":
		q.Sort = SortDue
	case SortDue, SortPriority, SortCreated:
	default:
		return nil, "", invalidf("sort %q: use due, priority or created", q.Sort)
	}
	groups := q.Groups
	if q.View == ViewMine {
		groups = nil
	}
	found, err := r.store.RequestsWithTasks(ctx, q.User, groups, maxInboxRequests)
	if err != nil {
		return nil, "", err
	}
	var items []TaskItem
	for _, req := range found {
		if req.Workflow == nil || (q.Form != "" && req.Form.Key != q.Form) {
			continue
		}
		for _, t := range req.Workflow.Tasks {
			if t.Status != TaskOpen || (q.Node != "" && t.Node != q.Node) || (q.Overdue && !t.Overdue) {
				continue
			}
			mine := t.Assignee == q.User
			queued := t.Assignee == "" && slices.ContainsFunc(t.Groups, func(g string) bool { return slices.Contains(q.Groups, g) })
			if !(mine && q.View != ViewQueues || queued && q.View != ViewMine) {
				continue
			}
			item := TaskItem{Task: t, Request: req.ID, Form: req.Form, RequestStatus: req.Status}
			item.position = position(t, q.Sort)
			if item.position > q.After {
				items = append(items, item)
			}
		}
	}
	slices.SortFunc(items, func(a, b TaskItem) int { return strings.Compare(a.position, b.position) })
	next := ""
	if q.Limit > 0 && len(items) > q.Limit {
		items = items[:q.Limit]
		next = items[len(items)-1].position
	}
	return items, next, nil
}

// sortableTime is a fixed-width time format: it sorts as text.
const sortableTime = "2006-01-02T15:04:05.000Z"

// position is where a task sorts: a string that compares in the order
// asked for and ends with the task's id, so that it is unique and a page
// can start after it.
func position(t Task, sort string) string {
	due := "9999" // no due time sorts last
	if t.Due != nil {
		due = t.Due.UTC().Format(sortableTime)
	}
	switch sort {
	case SortPriority:
		rank, ok := priorityRank[t.Priority]
		if !ok {
			rank = 2
		}
		return fmt.Sprintf("%d|%s|%s", rank, due, t.ID)
	case SortCreated:
		return t.CreatedAt.UTC().Format(sortableTime) + "|" + t.ID
	}
	return due + "|" + t.ID
}
