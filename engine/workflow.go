package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pishkhan/pishkhan/forms"
)

// KindWorkflow is the definition kind of workflows.
const KindWorkflow Kind = "workflow"

// Workflow is a routing and approval graph, drafted and published like a
// form. Its expressions are checked against the form it names; requests of
// that form run it.
type Workflow struct {
	Key      string     `json:"key"`
	Title    forms.Text `json:"title"`
	Category string     `json:"category,omitempty"`
	// Form is the key of the form whose requests this workflow handles.
	Form  string `json:"form"`
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
}

// NodeKind says what a node does.
type NodeKind string

// The node kinds.
const (
	NodeStart    NodeKind = "start"
	NodeEnd      NodeKind = "end"
	NodeTask     NodeKind = "task"
	NodeApproval NodeKind = "approval"
	NodeDecision NodeKind = "decision"
	NodeParallel NodeKind = "parallel"
	NodeJoin     NodeKind = "join"
	NodeAction   NodeKind = "action"
	NodeWait     NodeKind = "wait"
)

var nodeKinds = []NodeKind{NodeStart, NodeEnd, NodeTask, NodeApproval, NodeDecision, NodeParallel, NodeJoin, NodeAction, NodeWait}

// Node is one step of a workflow. Which fields apply depends on Kind; the
// lint refuses fields a kind does not use.
type Node struct {
	ID    string     `json:"id"`
	Kind  NodeKind   `json:"kind"`
	Title forms.Text `json:"title,omitempty"`

	// Outcome is what an end sets as the request's status (resolved,
	// rejected, cancelled ...).
	Outcome string `json:"outcome,omitempty"`

	// Assignee (task) is an expression naming the user who does the task.
	Assignee string `json:"assignee,omitempty"`
	// Groups (task, approval) are the queues the task waits in, literally.
	Groups []string `json:"groups,omitempty"`
	// Group (task) is an expression naming the queue.
	Group string `json:"group,omitempty"`
	// RuleSet (task) is a decision table whose first matching row's
	// "assignee" and "group" outputs choose who does the task.
	RuleSet string `json:"ruleSet,omitempty"`
	// Form (task) is a JSON Schema for what the worker fills in.
	Form json.RawMessage `json:"form,omitempty"`
	// Outcomes (task) are what the worker chooses from; one edge each.
	Outcomes []string `json:"outcomes,omitempty"`
	// Due (task, approval) is how long the task may take ("48h", "3d").
	Due string `json:"due,omitempty"`
	// EscalateTo (task, approval) is a group that also gets the task when
	// it falls due.
	EscalateTo string `json:"escalateTo,omitempty"`

	// Approvers (approval) is an expression naming one user or a list.
	Approvers string `json:"approvers,omitempty"`
	// Mode (approval): any (default), all, quorum or sequence.
	Mode string `json:"mode,omitempty"`
	// Quorum (approval, mode quorum) is how many approvals are enough.
	Quorum int `json:"quorum,omitempty"`

	// Set (action) assigns form fields: field name -> expression.
	Set map[string]string `json:"set,omitempty"`
	// Priority (action) is an expression for the request's new priority.
	Priority string `json:"priority,omitempty"`
	// Status (action) is the request's new status, literally.
	Status string `json:"status,omitempty"`
	// Webhook (action) calls an external system.
	Webhook *Webhook `json:"webhook,omitempty"`
	// Notify (action) sends a notification.
	Notify *Notify `json:"notify,omitempty"`

	// Duration (wait) waits this long ("2h", "1d").
	Duration string `json:"duration,omitempty"`
	// Until (wait) is an expression for the time to wait until.
	Until string `json:"until,omitempty"`
	// Message (wait) is an expression for the correlation key an external
	// system's callback names; the wait ends when it arrives.
	Message string `json:"message,omitempty"`
	// Timeout (wait for a message) is how long to wait before following
	// the "timeout" edge.
	Timeout string `json:"timeout,omitempty"`
}

// Webhook is an outbound call: POSTed as JSON, signed with HMAC-SHA256,
// retried with backoff until it is answered 2xx.
type Webhook struct {
	URL string `json:"url"`
	// Body maps names to expressions; the call carries their values beside
	// the request's id, node and tracking code.
	Body map[string]string `json:"body,omitempty"`
}

// Notify is a notification: to whom and what.
type Notify struct {
	// To is an expression naming a user, a group ("group:it") or "requester".
	To      string     `json:"to"`
	Subject forms.Text `json:"subject"`
	Body    forms.Text `json:"body,omitempty"`
}

// Edge connects two nodes. Edges leaving a task, approval or wait name the
// outcome they follow; edges leaving a decision carry ordered conditions
// and one default.
type Edge struct {
	ID        string `json:"id,omitempty"`
	From      string `json:"from"`
	To        string `json:"to"`
	Outcome   string `json:"outcome,omitempty"`
	Condition string `json:"condition,omitempty"`
	Default   bool   `json:"default,omitempty"`
}

// name is how messages refer to an edge: its id or "from -> to".
func (e Edge) name() string {
	if e.ID != "" {
		return e.ID
	}
	return e.From + " -> " + e.To
}

// Approval outcomes. Return sends the request back to its requester, who
// edits and resubmits it; the approval then starts over.
const (
	OutcomeApprove = "approve"
	OutcomeReject  = "reject"
	OutcomeReturn  = "return"
	// Wait outcomes.
	OutcomeMessage = "message"
	OutcomeTimeout = "timeout"
)

// Approval modes.
const (
	ModeAny      = "any"
	ModeAll      = "all"
	ModeQuorum   = "quorum"
	ModeSequence = "sequence"
)

// ParseDuration reads a workflow duration: Go's units ("90m", "1h30m")
// plus days ("3d", "1d12h"). Calendar-aware business time comes with SLA
// calendars.
func ParseDuration(s string) (time.Duration, error) {
	rest, days := s, 0
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a duration such as 90m, 48h or 3d", s)
		}
		days, rest = n, s[i+1:]
	}
	var d time.Duration
	if rest != "" {
		var err error
		if d, err = time.ParseDuration(rest); err != nil {
			return 0, fmt.Errorf("%q is not a duration such as 90m, 48h or 3d", s)
		}
	}
	d += time.Duration(days) * 24 * time.Hour
	if d <= 0 || d > 5*365*24*time.Hour {
		return 0, fmt.Errorf("%q must be more than nothing and at most five years", s)
	}
	return d, nil
}
