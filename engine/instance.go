package engine

import (
	"maps"
	"slices"
	"time"

	"github.com/pishkhan/pishkhan/forms"
)

// Instance is where a request stands in its workflow. It lives in the
// request document, so that one atomic update moves it.
type Instance struct {
	Workflow string  `bson:"workflow" json:"workflow"`
	Version  int     `bson:"version" json:"version"`
	Tokens   []Token `bson:"tokens" json:"tokens"`
	Tasks    []Task  `bson:"tasks" json:"tasks"`
	Timers   []Timer `bson:"timers" json:"timers"`
	// Seq numbers the tasks, tokens, timers and outbox items it creates.
	Seq int `bson:"seq" json:"seq"`
}

// Token is one place the request is at: a node, and the parallel branches
// it is inside (innermost last).
type Token struct {
	ID    string    `bson:"id" json:"id"`
	Node  string    `bson:"node" json:"node"`
	Forks []ForkRef `bson:"forks,omitempty" json:"forks,omitempty"`
	// Joined is set while the token waits at a join for its siblings.
	Joined bool `bson:"joined,omitempty" json:"joined,omitempty"`
	// Key is the correlation key a wait for a message listens for.
	Key string `bson:"key,omitempty" json:"key,omitempty"`
	// Approval is the state of an approval the token is at.
	Approval *ApprovalState `bson:"approval,omitempty" json:"approval,omitempty"`
	// Incident is set when the node failed; the token waits for a retry.
	Incident string `bson:"incident,omitempty" json:"incident,omitempty"`
}

// ForkRef places a token in branch Branch of the Of branches a parallel
// split made.
type ForkRef struct {
	ID     string `bson:"id" json:"id"`
	Branch int    `bson:"branch" json:"branch"`
	Of     int    `bson:"of" json:"of"`
}

// ApprovalState is an approval in progress.
type ApprovalState struct {
	Approvers []string `bson:"approvers,omitempty" json:"approvers,omitempty"`
	Mode      string   `bson:"mode" json:"mode"`
	Quorum    int      `bson:"quorum,omitempty" json:"quorum,omitempty"`
	Approved  []string `bson:"approved,omitempty" json:"approved,omitempty"`
	Rejected  []string `bson:"rejected,omitempty" json:"rejected,omitempty"`
	// Returned is set while the request is back with its requester.
	Returned bool `bson:"returned,omitempty" json:"returned,omitempty"`
}

// Task kinds.
const (
	TaskWork     = "task"
	TaskApproval = "approval"
	// TaskResubmit is the requester's task after an approver returned the
	// request for changes.
	TaskResubmit = "resubmit"
	// TaskReferral is work the owner referred to another department
	// (referral.go), outside the workflow's graph.
	TaskReferral = "referral"
)

// Task states.
const (
	TaskOpen      = "open"
	TaskCompleted = "completed"
	TaskCancelled = "cancelled"
)

// Task is human work: done by its assignee, or claimed from its groups'
// queues.
type Task struct {
	ID            string         `bson:"id" json:"id"`
	Node          string         `bson:"node" json:"node"`
	Token         string         `bson:"token" json:"token"`
	Kind          string         `bson:"kind" json:"kind"`
	Title         forms.Text     `bson:"title,omitempty" json:"title,omitempty"`
	Status        string         `bson:"status" json:"status"`
	Assignee      string         `bson:"assignee,omitempty" json:"assignee,omitempty"`
	Groups        []string       `bson:"groups,omitempty" json:"groups,omitempty"`
	Outcomes      []string       `bson:"outcomes" json:"outcomes"`
	Priority      string         `bson:"priority,omitempty" json:"priority,omitempty"`
	Due           *time.Time     `bson:"due,omitempty" json:"due,omitempty"`
	Overdue       bool           `bson:"overdue,omitempty" json:"overdue,omitempty"`
	CreatedAt     time.Time      `bson:"createdAt" json:"createdAt"`
	ClaimedAt     *time.Time     `bson:"claimedAt,omitempty" json:"claimedAt,omitempty"`
	DelegatedFrom string         `bson:"delegatedFrom,omitempty" json:"delegatedFrom,omitempty"`
	Outcome       string         `bson:"outcome,omitempty" json:"outcome,omitempty"`
	Data          map[string]any `bson:"data,omitempty" json:"data,omitempty"`
	Comment       string         `bson:"comment,omitempty" json:"comment,omitempty"`
	CompletedBy   string         `bson:"completedBy,omitempty" json:"completedBy,omitempty"`
	CompletedAt   *time.Time     `bson:"completedAt,omitempty" json:"completedAt,omitempty"`
}

// Timer kinds.
const (
	TimerWait    = "wait"    // a wait node's duration or time
	TimerTimeout = "timeout" // a wait for a message gives up
	TimerDue     = "due"     // a task falls due
)

// Timer is a due time the engine acts on once.
type Timer struct {
	ID    string    `bson:"id" json:"id"`
	Kind  string    `bson:"kind" json:"kind"`
	Token string    `bson:"token,omitempty" json:"token,omitempty"`
	Task  string    `bson:"task,omitempty" json:"task,omitempty"`
	Due   time.Time `bson:"due" json:"due"`
}

// Outbox item kinds and states.
const (
	OutboxWebhook = "webhook"
	OutboxNotify  = "notify"

	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// OutboxItem is a side effect written with the step that caused it and
// sent afterwards, at least once; its ID is the idempotency key.
type OutboxItem struct {
	ID        string         `bson:"id" json:"id"`
	Kind      string         `bson:"kind" json:"kind"`
	Node      string         `bson:"node" json:"node"`
	URL       string         `bson:"url,omitempty" json:"url,omitempty"`
	To        []string       `bson:"to,omitempty" json:"to,omitempty"`
	Subject   forms.Text     `bson:"subject,omitempty" json:"subject,omitempty"`
	Body      forms.Text     `bson:"body,omitempty" json:"body,omitempty"`
	Payload   map[string]any `bson:"payload,omitempty" json:"payload,omitempty"`
	Status    string         `bson:"status" json:"status"`
	Attempts  int            `bson:"attempts" json:"attempts"`
	Next      time.Time      `bson:"next" json:"next"`
	LastError string         `bson:"lastError,omitempty" json:"lastError,omitempty"`
	SentAt    *time.Time     `bson:"sentAt,omitempty" json:"sentAt,omitempty"`
}

// Incident is something the engine could not do on its own: a node that
// failed, a call that kept failing. It stays on the request until resolved.
type Incident struct {
	ID       string     `bson:"id" json:"id"`
	At       time.Time  `bson:"at" json:"at"`
	Node     string     `bson:"node,omitempty" json:"node,omitempty"`
	Token    string     `bson:"token,omitempty" json:"token,omitempty"`
	Outbox   string     `bson:"outbox,omitempty" json:"outbox,omitempty"`
	Message  string     `bson:"message" json:"message"`
	Resolved *time.Time `bson:"resolved,omitempty" json:"resolved,omitempty"`
}

// RuleRef names the rule set version behind a decision and the rows that
// matched.
type RuleRef struct {
	Key     string `bson:"key" json:"key"`
	Version int    `bson:"version" json:"version"`
	Rows    []int  `bson:"rows,omitempty" json:"rows,omitempty"`
}

// clone returns a deep copy of the parts of r a step may change, so that
// a step never alters the request it was given.
func (r *Request) clone() *Request {
	c := *r
	c.Data = copyValue(r.Data).(map[string]any)
	c.History = slices.Clone(r.History)
	c.Outbox = slices.Clone(r.Outbox)
	for i := range c.Outbox {
		c.Outbox[i].To = slices.Clone(c.Outbox[i].To)
		c.Outbox[i].Payload = copyMap(c.Outbox[i].Payload)
	}
	c.Incidents = slices.Clone(r.Incidents)
	c.Messages = slices.Clone(r.Messages)
	c.Attachments = slices.Clone(r.Attachments)
	if r.SLA != nil {
		s := *r.SLA
		s.Clocks, s.Fired = slices.Clone(s.Clocks), slices.Clone(s.Fired)
		c.SLA = &s
	}
	c.WaitKeys = slices.Clone(r.WaitKeys)
	c.Received = slices.Clone(r.Received)
	c.TaskUsers = slices.Clone(r.TaskUsers)
	c.TaskGroups = slices.Clone(r.TaskGroups)
	if r.Workflow != nil {
		w := *r.Workflow
		w.Tokens = slices.Clone(w.Tokens)
		for i := range w.Tokens {
			t := &w.Tokens[i]
			t.Forks = slices.Clone(t.Forks)
			if t.Approval != nil {
				a := *t.Approval
				a.Approvers, a.Approved, a.Rejected = slices.Clone(a.Approvers), slices.Clone(a.Approved), slices.Clone(a.Rejected)
				t.Approval = &a
			}
		}
		w.Tasks = slices.Clone(w.Tasks)
		for i := range w.Tasks {
			w.Tasks[i].Groups = slices.Clone(w.Tasks[i].Groups)
			w.Tasks[i].Data = copyMap(w.Tasks[i].Data)
		}
		w.Timers = slices.Clone(w.Timers)
		c.Workflow = &w
	}
	return &c
}

func copyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	return copyValue(m).(map[string]any)
}

func copyValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := maps.Clone(v)
		for k, e := range out {
			out[k] = copyValue(e)
		}
		return out
	case []any:
		out := slices.Clone(v)
		for i, e := range out {
			out[i] = copyValue(e)
		}
		return out
	}
	return v
}
