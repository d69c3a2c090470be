package engine_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// The interpreter is a pure function, so these tests need no store: each
// compiles a small workflow against a small form and drives one request
// through it signal by signal.

const orderForm = `{"key": "order", "title": {"en": "Order"}, "schema": {"type": "object", "properties": {
	"amount": {"type": "number"}, "category": {"type": "string"}, "note": {"type": "string"},
	"approvers": {"type": "array", "items": {"type": "string"}}, "reference": {"type": "string"},
	"deliverBy": {"type": "string"}}}}`

func orderEnv(t *testing.T) *rules.Env {
	t.Helper()
	var f forms.Form
	if err := json.Unmarshal([]byte(orderForm), &f); err != nil {
		t.Fatal(err)
	}
	c, err := forms.Compile(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.Rules()
}

// compileWorkflow compiles nodes and edges given as JSON arrays.
func compileWorkflow(t *testing.T, nodes, edges string) *engine.CompiledWorkflow {
	t.Helper()
	w, err := lintWorkflow(t, nodes, edges)
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	return w
}

func lintWorkflow(t *testing.T, nodes, edges string) (*engine.CompiledWorkflow, error) {
	t.Helper()
	var def engine.Workflow
	src := fmt.Sprintf(`{"key": "order-flow", "title": {"en": "Order flow"}, "form": "order", "nodes": %s, "edges": %s}`, nodes, edges)
	if err := json.Unmarshal([]byte(src), &def); err != nil {
		t.Fatalf("workflow JSON: %v", err)
	}
	w, err := engine.CompileWorkflow(def, engine.LintDeps{Env: orderEnv(t)})
	if err == nil {
		w.Version = 1
	}
	return w, err
}

// run drives one request through a workflow.
type run struct {
	t   *testing.T
	w   *engine.CompiledWorkflow
	req *engine.Request
	env engine.StepEnv
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func start(t *testing.T, w *engine.CompiledWorkflow, data map[string]any) *run {
	t.Helper()
	r := &run{t: t, w: w, env: engine.StepEnv{Now: t0}, req: &engine.Request{
		ID: "REQ1", Form: engine.FormRef{Key: "order", Version: 1}, Channel: engine.ChannelPortal, Requester: "sara",
		Status: engine.StatusSubmitted, Data: data, CreatedAt: t0, UpdatedAt: t0, Revision: 1,
		Profile: rules.Requester{ID: "sara", Manager: "maryam", Segment: "gold"},
		History: []engine.Event{{At: t0, Type: engine.EventSubmitted}},
	}}
	r.must(engine.Signal{Kind: engine.SignalStart})
	return r
}

func (r *run) do(sig engine.Signal) error {
	r.t.Helper()
	next, err := r.w.Step(r.req, sig, r.env)
	if err != nil {
		return err
	}
	r.req = next
	return nil
}

func (r *run) must(sig engine.Signal) {
	r.t.Helper()
	if err := r.do(sig); err != nil {
		r.t.Fatalf("%s: %v", sig.Kind, err)
	}
}

// later moves the clock on and fires what fell due.
func (r *run) later(d time.Duration) {
	r.t.Helper()
	r.env.Now = r.env.Now.Add(d)
	r.must(engine.Signal{Kind: engine.SignalTimers})
}

// open returns the open tasks as "node:assignee/groups".
func (r *run) open() []string {
	var out []string
	for _, t := range r.req.Workflow.Tasks {
		if t.Status == engine.TaskOpen {
			out = append(out, t.Node+":"+t.Assignee+"/"+strings.Join(t.Groups, ","))
		}
	}
	return out
}

// taskAt returns the open task at node (for assignee, if given).
func (r *run) taskAt(node, assignee string) string {
	r.t.Helper()
	for _, t := range r.req.Workflow.Tasks {
		if t.Status == engine.TaskOpen && t.Node == node && (assignee == "" || t.Assignee == assignee) {
			return t.ID
		}
	}
	r.t.Fatalf("no open task at %s for %q; open: %v", node, assignee, r.open())
	return ""
}

// complete has actor complete the open task at node with outcome.
func (r *run) complete(node, actor, outcome string) {
	r.t.Helper()
	r.must(engine.Signal{Kind: engine.SignalComplete, Task: r.taskAt(node, ""), Outcome: outcome, Actor: actor, Manager: true})
}

// path is the history as "type node" lines, without the submission.
func (r *run) path() []string {
	var out []string
	for _, e := range r.req.History[1:] {
		s := e.Type
		if e.Node != "" {
			s += " " + e.Node
		}
		if e.Outcome != "" {
			s += " " + e.Outcome
		}
		out = append(out, s)
	}
	return out
}

func (r *run) wantPath(want ...string) {
	r.t.Helper()
	if got := r.path(); !slices.Equal(got, want) {
		r.t.Errorf("path:\n got %q\nwant %q", got, want)
	}
}

func (r *run) wantEnded(status engine.Status) {
	r.t.Helper()
	if !r.req.Closed || r.req.Status != status || len(r.req.Workflow.Tokens) != 0 || len(r.open()) != 0 {
		r.t.Errorf("want closed with %s, got closed=%v status=%s tokens=%v open=%v", status, r.req.Closed, r.req.Status, r.req.Workflow.Tokens, r.open())
	}
}

const simpleNodes = `[{"id": "start", "kind": "start"},
	{"id": "review", "kind": "task", "groups": ["sales"], "outcomes": ["accept", "decline"],
	 "form": {"type": "object", "properties": {"reason": {"type": "string", "minLength": 3}}, "required": ["reason"]}},
	{"id": "done", "kind": "end", "outcome": "resolved"},
	{"id": "declined", "kind": "end", "outcome": "rejected"}]`

const simpleEdges = `[{"from": "start", "to": "review"},
	{"from": "review", "to": "done", "outcome": "accept"},
	{"from": "review", "to": "declined", "outcome": "decline"}]`

func TestStepTaskToEnd(t *testing.T) {
	w := compileWorkflow(t, simpleNodes, simpleEdges)
	r := start(t, w, map[string]any{"amount": int64(10)})
	if got := r.open(); !slices.Equal(got, []string{"review:/sales"}) {
		t.Fatalf("open tasks %v", got)
	}
	if r.req.Status != engine.StatusInProgress || r.req.Priority != "normal" || r.req.Workflow.Version != 1 {
		t.Errorf("started request: status %s priority %s version %d", r.req.Status, r.req.Priority, r.req.Workflow.Version)
	}
	if !slices.Equal(r.req.TaskGroups, []string{"sales"}) || len(r.req.TaskUsers) != 0 {
		t.Errorf("inbox index: users %v groups %v", r.req.TaskUsers, r.req.TaskGroups)
	}
	task := r.taskAt("review", "")

	// The task form is validated; an outcome must be one of the task's.
	sig := engine.Signal{Kind: engine.SignalComplete, Task: task, Outcome: "accept", Actor: "ali", ActorGroups: []string{"sales"}}
	var verr *forms.ValidationError
	if err := r.do(sig); !errors.As(err, &verr) || verr.Errors[0].Pointer != "/reason" {
		t.Fatalf("complete without the task form's data: %v", err)
	}
	sig.Data = map[string]any{"reason": "fine"}
	sig.Outcome = "maybe"
	if err := r.do(sig); !errors.Is(err, engine.ErrInvalid) || !strings.Contains(err.Error(), "accept, decline") {
		t.Fatalf("unknown outcome: %v", err)
	}
	// Someone outside the task's queue may not do it.
	if err := r.do(engine.Signal{Kind: engine.SignalComplete, Task: task, Outcome: "accept", Actor: "bob", ActorGroups: []string{"it"}, Data: sig.Data}); !errors.Is(err, engine.ErrNotYours) {
		t.Fatalf("outsider completes: %v", err)
	}
	sig.Outcome = "accept"
	r.must(sig)
	r.wantEnded("resolved")
	r.wantPath("workflow-started", "task-created review", "task-completed review accept", "ended done resolved")
	done := r.req.Workflow.Tasks[0]
	if done.CompletedBy != "ali" || done.Data["reason"] != "fine" || done.Assignee != "ali" {
		t.Errorf("completed task %+v", done)
	}

	// Completing it again says who did it first.
	err := r.do(sig)
	if !errors.Is(err, engine.ErrConflict) || !strings.Contains(err.Error(), "already completed by ali") {
		t.Fatalf("second completion: %v", err)
	}
}

// Each step below changes the state a different way (a new task; form
// data, priority, outbox and an approval; a vote): none may reach the
// request the step was given.
func TestStepLeavesItsInputAlone(t *testing.T) {
	w := compileWorkflow(t, `[{"id": "start", "kind": "start"},
		{"id": "review", "kind": "task", "groups": ["sales"]},
		{"id": "mark", "kind": "action", "set": {"note": "'seen ' + string(form.amount)"}, "priority": "'high'",
		 "webhook": {"url": "http://erp.test/hook", "body": {"amount": "form.amount"}}},
		{"id": "approve", "kind": "approval", "approvers": "form.approvers", "mode": "all"},
		{"id": "done", "kind": "end", "outcome": "resolved"}, {"id": "no", "kind": "end", "outcome": "rejected"}]`,
		`[{"from": "start", "to": "review"}, {"from": "review", "to": "mark"}, {"from": "mark", "to": "approve"},
		{"from": "approve", "to": "done", "outcome": "approve"}, {"from": "approve", "to": "no", "outcome": "reject"}]`)
	r := &run{t: t, w: w, env: engine.StepEnv{Now: t0}, req: &engine.Request{ID: "REQ1", Requester: "sara",
		Data: map[string]any{"amount": int64(10), "approvers": []any{"a", "b"}}, History: []engine.Event{{Type: "submitted"}}}}
	step := func(sig engine.Signal) {
		t.Helper()
		before, _ := json.Marshal(r.req)
		next, err := w.Step(r.req, sig, r.env)
		if err != nil {
			t.Fatalf("%s: %v", sig.Kind, err)
		}
		if after, _ := json.Marshal(r.req); string(before) != string(after) {
			t.Fatalf("%s changed the request it was given:\nbefore %s\nafter  %s", sig.Kind, before, after)
		}
		r.req = next
	}
	step(engine.Signal{Kind: engine.SignalStart})
	step(engine.Signal{Kind: engine.SignalComplete, Task: r.taskAt("review", ""), Actor: "ali", ActorGroups: []string{"sales"}})
	if r.req.Data["note"] != "seen 10" || len(r.req.Outbox) != 1 {
		t.Fatalf("the action did not run: %v %v", r.req.Data, r.req.Outbox)
	}
	step(engine.Signal{Kind: engine.SignalComplete, Task: r.taskAt("approve", "a"), Outcome: "approve", Actor: "a"})
	step(engine.Signal{Kind: engine.SignalComplete, Task: r.taskAt("approve", "b"), Outcome: "approve", Actor: "b"})
	r.wantEnded("resolved")
}

func TestStepDecision(t *testing.T) {
	w := compileWorkflow(t, `[{"id": "start", "kind": "start"},
		{"id": "size", "kind": "decision"},
		{"id": "big", "kind": "end", "outcome": "big"},
		{"id": "medium", "kind": "end", "outcome": "medium"},
		{"id": "small", "kind": "end", "outcome": "small"}]`,
		`[{"from": "start", "to": "size"},
		{"id": "over-1000", "from": "size", "to": "big", "condition": "form.amount > 1000"},
		{"id": "over-100", "from": "size", "to": "medium", "condition": "form.amount > 100"},
		{"id": "otherwise", "from": "size", "to": "small", "default": true}]`)
	for _, tc := range []struct {
		amount    any
		want      engine.Status
		edge, why string
	}{
		{int64(5000), "big", "over-1000", "form.amount > 1000"},
		{int64(1000), "medium", "over-100", "form.amount > 100"}, // conditions are tried in order; 1000 is not > 1000
		{99.5, "small", "otherwise", ""},
		{nil, "small", "otherwise", ""}, // a missing amount makes no condition true
	} {
		data := map[string]any{}
		if tc.amount != nil {
			data["amount"] = tc.amount
		}
		r := start(t, w, data)
		r.wantEnded(tc.want)
		var d *engine.Event
		for i := range r.req.History {
			if r.req.History[i].Type == "decision" {
				d = &r.req.History[i]
			}
		}
		if d == nil || d.Edge != tc.edge || d.Condition != tc.why {
			t.Errorf("amount %v: decision %+v, want edge %s condition %q", tc.amount, d, tc.edge, tc.why)
		}
	}
}

func TestStepParallelJoin(t *testing.T) {
	w := compileWorkflow(t, `[{"id": "start", "kind": "start"},
		{"id": "split", "kind": "parallel"},
		{"id": "finance", "kind": "task", "groups": ["finance"]},
		{"id": "procurement", "kind": "task", "groups": ["procurement"]},
		{"id": "inner", "kind": "parallel"},
		{"id": "legal", "kind": "task", "groups": ["legal"]},
		{"id": "audit", "kind": "task", "groups": ["audit"]},
		{"id": "innerJoin", "kind": "join"},
		{"id": "join", "kind": "join"},
		{"id": "done", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "split"},
		{"from": "split", "to": "finance"}, {"from": "split", "to": "procurement"}, {"from": "split", "to": "inner"},
		{"from": "inner", "to": "legal"}, {"from": "inner", "to": "audit"},
		{"from": "legal", "to": "innerJoin"}, {"from": "audit", "to": "innerJoin"},
		{"from": "finance", "to": "join"}, {"from": "procurement", "to": "join"}, {"from": "innerJoin", "to": "join"},
		{"from": "join", "to": "done"}]`)
	r := start(t, w, map[string]any{})
	if got := r.open(); len(got) != 4 {
		t.Fatalf("open tasks after the splits: %v", got)
	}
	r.complete("legal", "l", "")
	r.complete("finance", "f", "")
	r.complete("audit", "a", "") // closes the inner split; the outer still waits for procurement
	if r.req.Closed || len(r.open()) != 1 {
		t.Fatalf("closed %v with %v open before the last branch", r.req.Closed, r.open())
	}
	r.complete("procurement", "p", "")
	r.wantEnded("resolved")
	joins := 0
	for _, e := range r.req.History {
		if e.Type == "joined" {
			joins++
		}
	}
	if joins != 2 {
		t.Errorf("%d joins recorded, want 2: %q", joins, r.path())
	}
}

const approvalEdges = `[{"from": "start", "to": "approve"},
	{"from": "approve", "to": "yes", "outcome": "approve"},
	{"from": "approve", "to": "no", "outcome": "reject"}]`

func approvalNodes(approval string) string {
	return `[{"id": "start", "kind": "start"}, ` + approval + `,
		{"id": "yes", "kind": "end", "outcome": "approved"}, {"id": "no", "kind": "end", "outcome": "rejected"}]`
}

func TestStepApprovalModes(t *testing.T) {
	abc := []any{"a", "b", "c"}
	for _, tc := range []struct {
		name, node string
		votes      []string // approver:outcome, in order
		want       engine.Status
		openAfter  int // open approval tasks before the last vote
	}{
		{"any: first approval decides", `"mode": "any"`, []string{"b:approve"}, "approved", 3},
		{"any: a rejection decides", `"mode": "any"`, []string{"c:reject"}, "rejected", 3},
		{"all: every approver", `"mode": "all"`, []string{"a:approve", "c:approve", "b:approve"}, "approved", 1},
		{"all: one rejection is enough", `"mode": "all"`, []string{"a:approve", "b:reject"}, "rejected", 2},
		{"quorum 2 of 3", `"mode": "quorum", "quorum": 2`, []string{"a:reject", "b:approve", "c:approve"}, "approved", 1},
		{"quorum 2 of 3 out of reach", `"mode": "quorum", "quorum": 2`, []string{"a:reject", "b:reject"}, "rejected", 2},
		{"sequence: in order", `"mode": "sequence"`, []string{"a:approve", "b:approve", "c:approve"}, "approved", 1},
		{"sequence: a rejection stops it", `"mode": "sequence"`, []string{"a:approve", "b:reject"}, "rejected", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := compileWorkflow(t, approvalNodes(`{"id": "approve", "kind": "approval", "approvers": "form.approvers", `+tc.node+`}`), approvalEdges)
			r := start(t, w, map[string]any{"approvers": abc})
			for i, v := range tc.votes {
				who, outcome, _ := strings.Cut(v, ":")
				if i == len(tc.votes)-1 && len(r.open()) != tc.openAfter {
					t.Errorf("before the last vote %d open, want %d: %v", len(r.open()), tc.openAfter, r.open())
				}
				// An approver may only vote on their own task.
				other := map[string]string{"a": "b", "b": "c", "c": "a"}[who]
				if err := r.do(engine.Signal{Kind: engine.SignalComplete, Task: r.taskAt("approve", who), Outcome: outcome, Actor: other}); !errors.Is(err, engine.ErrNotYours) {
					t.Fatalf("%s votes on %s's task: %v", other, who, err)
				}
				r.must(engine.Signal{Kind: engine.SignalComplete, Task: r.taskAt("approve", who), Outcome: outcome, Actor: who})
			}
			r.wantEnded(tc.want)
		})
	}
}

func TestStepApproverByExpressionAndGroup(t *testing.T) {
	w := compileWorkflow(t, approvalNodes(`{"id": "approve", "kind": "approval", "approvers": "request.requester.manager"}`), approvalEdges)
	r := start(t, w, map[string]any{})
	if got := r.open(); !slices.Equal(got, []string{"approve:maryam/"}) {
		t.Fatalf("manager approval: %v", got)
	}
	w = compileWorkflow(t, approvalNodes(`{"id": "approve", "kind": "approval", "groups": ["board"]}`), approvalEdges)
	r = start(t, w, map[string]any{})
	r.must(engine.Signal{Kind: engine.SignalComplete, Task: r.taskAt("approve", ""), Outcome: "reject", Actor: "member", ActorGroups: []string{"board"}})
	r.wantEnded("rejected")
}

func TestStepReturnForChanges(t *testing.T) {
	w := compileWorkflow(t, approvalNodes(`{"id": "approve", "kind": "approval", "approvers": "request.requester.manager"}`), approvalEdges)
	r := start(t, w, map[string]any{"amount": int64(5000)})
	r.must(engine.Signal{Kind: engine.SignalComplete, Task: r.taskAt("approve", "maryam"), Outcome: "return", Actor: "maryam", Comment: "split it in two"})
	if r.req.Status != engine.StatusReturned || !slices.Equal(r.open(), []string{"approve:sara/"}) {
		t.Fatalf("returned: status %s open %v", r.req.Status, r.open())
	}
	resubmit := r.taskAt("approve", "sara")
	if err := r.do(engine.Signal{Kind: engine.SignalComplete, Task: resubmit, Actor: "maryam", Manager: true, Data: map[string]any{}}); !errors.Is(err, engine.ErrNotYours) {
		t.Fatalf("someone else resubmits: %v", err)
	}
	if err := r.do(engine.Signal{Kind: engine.SignalReassign, Task: resubmit, Actor: "boss", Manager: true, To: "x"}); !errors.Is(err, engine.ErrConflict) {
		t.Fatalf("the requester's task is reassigned: %v", err)
	}
	r.must(engine.Signal{Kind: engine.SignalComplete, Task: resubmit, Actor: "sara", Data: map[string]any{"amount": int64(2500)}})
	if r.req.Status != engine.StatusInProgress || r.req.Data["amount"] != int64(2500) || !slices.Equal(r.open(), []string{"approve:maryam/"}) {
		t.Fatalf("resubmitted: status %s data %v open %v", r.req.Status, r.req.Data, r.open())
	}
	r.complete("approve", "maryam", "approve")
	r.wantEnded("approved")
	r.wantPath("workflow-started", "approval-requested approve", "task-completed approve return", "returned approve",
		"task-completed approve resubmit", "resubmitted approve", "approval-requested approve",
		"task-completed approve approve", "approval-decided approve approve", "ended yes approved")
}

func TestStepAction(t *testing.T) {
	w := compileWorkflow(t, `[{"id": "start", "kind": "start"},
		{"id": "review", "kind": "task", "groups": ["sales"], "outcomes": ["escalate"]},
		{"id": "act", "kind": "action", "set": {"note": "'over ' + string(form.amount)"}, "priority": "form.amount > 1000 ? 'high' : 'low'",
		 "status": "escalated", "webhook": {"url": "https://erp.test/orders", "body": {"total": "form.amount * 2"}},
		 "notify": {"to": "['requester', 'group:sales']", "subject": {"en": "Escalated", "fa": "ارجاع شد"}}},
		{"id": "handle", "kind": "task", "groups": ["managers"]},
		{"id": "done", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "review"}, {"from": "review", "to": "act", "outcome": "escalate"},
		{"from": "act", "to": "handle"}, {"from": "handle", "to": "done"}]`)
	r := start(t, w, map[string]any{"amount": int64(1500)})
	r.complete("review", "ali", "escalate")
	if r.req.Data["note"] != "over 1500" || r.req.Priority != "high" || r.req.Status != "escalated" {
		t.Errorf("after the action: data %v priority %s status %s", r.req.Data, r.req.Priority, r.req.Status)
	}
	if task := r.req.Workflow.Tasks[1]; task.Priority != "high" || task.Node != "handle" {
		t.Errorf("the next task carries the new priority: %+v", task)
	}
	if len(r.req.Outbox) != 2 {
		t.Fatalf("outbox %+v", r.req.Outbox)
	}
	hook, note := r.req.Outbox[0], r.req.Outbox[1]
	if hook.Kind != engine.OutboxWebhook || hook.URL != "https://erp.test/orders" || hook.Payload["total"] != int64(3000) ||
		hook.Payload["request"] != "REQ1" || hook.Status != engine.OutboxPending || !strings.HasPrefix(hook.ID, "REQ1-") {
		t.Errorf("webhook item %+v", hook)
	}
	if note.Kind != engine.OutboxNotify || !slices.Equal(note.To, []string{"sara", "group:sales"}) || note.Subject["fa"] != "ارجاع شد" {
		t.Errorf("notify item %+v", note)
	}
	if hook.ID == note.ID || r.req.OutboxDue == nil || !r.req.OutboxDue.Equal(t0) {
		t.Errorf("outbox ids %s %s, due %v", hook.ID, note.ID, r.req.OutboxDue)
	}
}

func TestStepWaits(t *testing.T) {
	waitNodes := func(wait string) string {
		return `[{"id": "start", "kind": "start"}, {"id": "wait", "kind": "wait", ` + wait + `},
			{"id": "done", "kind": "end", "outcome": "resolved"}, {"id": "late", "kind": "end", "outcome": "expired"}]`
	}
	t.Run("duration", func(t *testing.T) {
		w := compileWorkflow(t, `[{"id": "start", "kind": "start"}, {"id": "wait", "kind": "wait", "duration": "2d"},
			{"id": "done", "kind": "end", "outcome": "resolved"}]`,
			`[{"from": "start", "to": "wait"}, {"from": "wait", "to": "done"}]`)
		r := start(t, w, map[string]any{})
		if r.req.Due == nil || !r.req.Due.Equal(t0.Add(48*time.Hour)) {
			t.Fatalf("due %v", r.req.Due)
		}
		r.later(47 * time.Hour)
		if r.req.Closed {
			t.Fatal("fired early")
		}
		r.later(time.Hour)
		r.wantEnded("resolved")
		if r.req.Due != nil {
			t.Errorf("a fired timer leaves due %v", r.req.Due)
		}
	})
	t.Run("until", func(t *testing.T) {
		w := compileWorkflow(t, `[{"id": "start", "kind": "start"}, {"id": "wait", "kind": "wait", "until": "form.deliverBy"},
			{"id": "done", "kind": "end", "outcome": "resolved"}]`,
			`[{"from": "start", "to": "wait"}, {"from": "wait", "to": "done"}]`)
		r := start(t, w, map[string]any{"deliverBy": "2026-11-25T12:00:00Z"})
		if r.req.Due == nil || !r.req.Due.Equal(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)) {
			t.Fatalf("due %v", r.req.Due)
		}
		r.later(51 * time.Hour)
		r.wantEnded("resolved")

		// A time that cannot be read is an incident on the request, not a crash.
		r = start(t, w, map[string]any{"deliverBy": "soon"})
		if len(r.req.Incidents) != 1 || !strings.Contains(r.req.Incidents[0].Message, `"soon" is not a time`) {
			t.Errorf("incidents %+v", r.req.Incidents)
		}
	})
	msgEdges := `[{"from": "start", "to": "wait"}, {"from": "wait", "to": "done", "outcome": "message"}, {"from": "wait", "to": "late", "outcome": "timeout"}]`
	t.Run("message", func(t *testing.T) {
		w := compileWorkflow(t, waitNodes(`"message": "'erp-' + form.reference", "timeout": "1d"`), msgEdges)
		r := start(t, w, map[string]any{"reference": "77"})
		if !slices.Equal(r.req.WaitKeys, []string{"erp-77"}) {
			t.Fatalf("wait keys %v", r.req.WaitKeys)
		}
		if err := r.do(engine.Signal{Kind: engine.SignalMessage, Key: "erp-78"}); !errors.Is(err, engine.ErrNotFound) {
			t.Fatalf("unknown key: %v", err)
		}
		r.must(engine.Signal{Kind: engine.SignalMessage, Key: "erp-77", Actor: "key:erp", Payload: map[string]any{"shipped": true}})
		r.wantEnded("resolved")
		if len(r.req.WaitKeys) != 0 || r.req.Due != nil {
			t.Errorf("after the message: keys %v due %v", r.req.WaitKeys, r.req.Due)
		}
		err := r.do(engine.Signal{Kind: engine.SignalMessage, Key: "erp-77"})
		if !errors.Is(err, engine.ErrConflict) || !strings.Contains(err.Error(), "already delivered") {
			t.Fatalf("duplicate: %v", err)
		}
		last := r.req.History[len(r.req.History)-2]
		if last.Type != "message-received" || last.Data["shipped"] != true || last.Actor != "key:erp" {
			t.Errorf("message event %+v", last)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		w := compileWorkflow(t, waitNodes(`"message": "'erp-' + form.reference", "timeout": "1d"`), msgEdges)
		r := start(t, w, map[string]any{"reference": "77"})
		r.later(24 * time.Hour)
		r.wantEnded("expired")
		if err := r.do(engine.Signal{Kind: engine.SignalMessage, Key: "erp-77"}); !errors.Is(err, engine.ErrNotFound) {
			t.Fatalf("a message after the timeout: %v", err)
		}
	})
}

func TestStepDueAndEscalation(t *testing.T) {
	w := compileWorkflow(t, `[{"id": "start", "kind": "start"},
		{"id": "review", "kind": "task", "groups": ["sales"], "due": "4h", "escalateTo": "supervisors"},
		{"id": "done", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "review"}, {"from": "review", "to": "done"}]`)
	r := start(t, w, map[string]any{})
	task := r.req.Workflow.Tasks[0]
	if task.Due == nil || !task.Due.Equal(t0.Add(4*time.Hour)) || !r.req.Due.Equal(*task.Due) {
		t.Fatalf("task due %v, request due %v", task.Due, r.req.Due)
	}
	r.later(4 * time.Hour)
	task = r.req.Workflow.Tasks[0]
	if !task.Overdue || !slices.Equal(task.Groups, []string{"sales", "supervisors"}) || !slices.Contains(r.req.TaskGroups, "supervisors") {
		t.Fatalf("after due: %+v", task)
	}
	r.later(4 * time.Hour) // fires nothing twice
	r.wantPath("workflow-started", "task-created review", "task-overdue review", "escalated review")
	r.must(engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Actor: "sup", ActorGroups: []string{"supervisors"}})
	r.wantEnded("resolved")

	// Completing in time drops the due timer.
	r = start(t, w, map[string]any{})
	r.complete("review", "ali", "")
	if r.req.Due != nil || len(r.req.Workflow.Timers) != 0 {
		t.Errorf("timers left: %v", r.req.Workflow.Timers)
	}
}

func TestStepClaimAndHandOver(t *testing.T) {
	w := compileWorkflow(t, simpleNodes, simpleEdges)
	r := start(t, w, map[string]any{})
	task := r.taskAt("review", "")
	sales := []string{"sales"}
	sig := func(kind engine.SignalKind, actor string, mutate ...func(*engine.Signal)) engine.Signal {
		s := engine.Signal{Kind: kind, Task: task, Actor: actor, ActorGroups: sales}
		for _, m := range mutate {
			m(&s)
		}
		return s
	}
	for _, step := range []struct {
		sig     engine.Signal
		wantErr error
		holder  string // assignee after the step
	}{
		{sig(engine.SignalClaim, "ali", func(s *engine.Signal) { s.ActorGroups = []string{"it"} }), engine.ErrNotYours, ""},
		{sig(engine.SignalClaim, "ali"), nil, "ali"},
		{sig(engine.SignalClaim, "ali"), nil, "ali"}, // again: nothing changes
		{sig(engine.SignalClaim, "bob"), engine.ErrConflict, "ali"},
		{sig(engine.SignalUnclaim, "bob"), engine.ErrNotYours, "ali"},
		{sig(engine.SignalComplete, "bob", func(s *engine.Signal) { s.Outcome = "accept"; s.Data = map[string]any{"reason": "ok!"} }), engine.ErrNotYours, "ali"},
		{sig(engine.SignalUnclaim, "ali"), nil, ""},
		{sig(engine.SignalClaim, "bob"), nil, "bob"},
		{sig(engine.SignalDelegate, "ali", func(s *engine.Signal) { s.To = "cyrus" }), engine.ErrNotYours, "bob"},
		{sig(engine.SignalDelegate, "bob", func(s *engine.Signal) { s.To = "cyrus" }), nil, "cyrus"},
		{sig(engine.SignalReassign, "cyrus", func(s *engine.Signal) { s.To = "dara" }), engine.ErrNotYours, "cyrus"},
		{sig(engine.SignalReassign, "boss", func(s *engine.Signal) { s.To = "dara"; s.Manager = true }), nil, "dara"},
	} {
		err := r.do(step.sig)
		if !errors.Is(err, step.wantErr) || (step.wantErr == nil && err != nil) {
			t.Fatalf("%s by %s: err %v, want %v", step.sig.Kind, step.sig.Actor, err, step.wantErr)
		}
		if got := r.req.Workflow.Tasks[0].Assignee; got != step.holder {
			t.Fatalf("%s by %s: assignee %q, want %q", step.sig.Kind, step.sig.Actor, got, step.holder)
		}
	}
	if got := r.req.Workflow.Tasks[0].DelegatedFrom; got != "bob" {
		t.Errorf("delegated from %q", got)
	}
	if !slices.Equal(r.req.TaskUsers, []string{"dara"}) {
		t.Errorf("task users %v", r.req.TaskUsers)
	}
	r.must(sig(engine.SignalComplete, "dara", func(s *engine.Signal) { s.Outcome = "decline"; s.Data = map[string]any{"reason": "no stock"} }))
	r.wantEnded("rejected")
	if err := r.do(sig(engine.SignalClaim, "ali")); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("claiming a completed task: %v", err)
	}
	if err := r.do(engine.Signal{Kind: engine.SignalClaim, Task: "REQ1-99", Actor: "ali"}); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("claiming a task that does not exist: %v", err)
	}
}

func routingTable(t *testing.T, version int) *engine.PublishedRuleSet {
	t.Helper()
	table, err := rules.CompileTable(rules.Table{
		Key: "routing", Title: map[string]string{"en": "Routing"},
		Inputs:  []rules.Column{{Name: "category", Expr: "form.category"}},
		Outputs: []rules.OutputColumn{{Name: "group", Type: "string"}, {Name: "priority", Type: "string"}},
		Rows: []rules.Row{
			{When: []string{`"network"`}, Then: map[string]any{"group": "it-network", "priority": "high"}},
			{When: []string{"-"}, Then: map[string]any{"group": "it-support"}},
		},
	}, orderEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	return &engine.PublishedRuleSet{Key: "routing", Version: version, Table: table}
}

func TestStepRuleSetAssignmentAndRetry(t *testing.T) {
	w := compileWorkflow(t, `[{"id": "start", "kind": "start"},
		{"id": "handle", "kind": "task", "ruleSet": "routing"},
		{"id": "done", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "handle"}, {"from": "handle", "to": "done"}]`)

	// The rule set is missing at first: the node fails with an incident a
	// supervisor can retry, and nothing else moves.
	r := &run{t: t, w: w, env: engine.StepEnv{Now: t0, RuleSet: func(string) (*engine.PublishedRuleSet, error) {
		return nil, engine.ErrNotPublished
	}}, req: &engine.Request{ID: "REQ2", Status: engine.StatusSubmitted, Data: map[string]any{"category": "network"}, History: []engine.Event{{Type: "submitted"}}}}
	r.must(engine.Signal{Kind: engine.SignalStart})
	if len(r.req.Incidents) != 1 || r.req.Workflow.Tokens[0].Incident == "" || len(r.open()) != 0 {
		t.Fatalf("incidents %+v tokens %+v", r.req.Incidents, r.req.Workflow.Tokens)
	}
	r.env.RuleSet = func(key string) (*engine.PublishedRuleSet, error) { return routingTable(t, 3), nil }
	r.must(engine.Signal{Kind: engine.SignalRetry, Actor: "boss"})
	if got := r.open(); !slices.Equal(got, []string{"handle:/it-network"}) || r.req.Priority != "high" {
		t.Fatalf("after retry: open %v priority %s", got, r.req.Priority)
	}
	if r.req.Incidents[0].Resolved == nil {
		t.Error("the incident is still unresolved")
	}
	var created engine.Event
	for _, e := range r.req.History {
		if e.Type == "task-created" {
			created = e
		}
	}
	if created.Rule == nil || created.Rule.Key != "routing" || created.Rule.Version != 3 || !slices.Equal(created.Rule.Rows, []int{0}) {
		t.Errorf("the history does not say which rule routed it: %+v", created)
	}
	if err := r.do(engine.Signal{Kind: engine.SignalRetry}); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("retry with nothing failed: %v", err)
	}
}

func TestStepLoopGuard(t *testing.T) {
	w := compileWorkflow(t, `[{"id": "start", "kind": "start"}, {"id": "again", "kind": "decision"},
		{"id": "touch", "kind": "action", "set": {"note": "'x'"}}, {"id": "done", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "again"}, {"from": "again", "to": "touch", "condition": "form.amount > 0"},
		{"from": "again", "to": "done", "default": true}, {"from": "touch", "to": "again"}]`)
	r := start(t, w, map[string]any{"amount": int64(1)})
	if len(r.req.Incidents) != 1 || !strings.Contains(r.req.Incidents[0].Message, "loops") || r.req.Closed {
		t.Fatalf("incidents %+v", r.req.Incidents)
	}
}

func TestLint(t *testing.T) {
	for _, tc := range []struct {
		name         string
		nodes, edges string
		pointer      string
		message      string
	}{
		{"two starts", `[{"id": "s1", "kind": "start"}, {"id": "s2", "kind": "start"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s1", "to": "e"}, {"from": "s2", "to": "e"}]`, "/nodes/1", `exactly one start, and "s1"`},
		{"no start", `[{"id": "e", "kind": "end", "outcome": "done"}]`, `[]`, "/nodes", "no start"},
		{"unknown kind", `[{"id": "s", "kind": "start"}, {"id": "x", "kind": "teleport"}]`, `[]`, "/nodes/1/kind", `"teleport" is not one of`},
		{"field of another kind", `[{"id": "s", "kind": "start"}, {"id": "e", "kind": "end", "outcome": "done", "groups": ["x"]}]`,
			`[{"from": "s", "to": "e"}]`, "/nodes/1/groups", `an end node does not use "groups"`},
		{"edge to nowhere", `[{"id": "s", "kind": "start"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "e"}, {"id": "lost", "from": "s", "to": "nowhere"}]`, "/edges/1/to", `edge lost: there is no node "nowhere"`},
		{"unreachable", `[{"id": "s", "kind": "start"}, {"id": "e", "kind": "end", "outcome": "done"}, {"id": "island", "kind": "task", "groups": ["g"]}]`,
			`[{"from": "s", "to": "e"}, {"from": "island", "to": "e"}]`, "/nodes/2", `node "island": no path from the start`},
		{"dead end", `[{"id": "s", "kind": "start"}, {"id": "d", "kind": "decision"}, {"id": "e", "kind": "end", "outcome": "done"},
			{"id": "a", "kind": "action", "status": "stuck"}, {"id": "b", "kind": "action", "status": "stuck"}]`,
			`[{"from": "s", "to": "d"}, {"from": "d", "to": "e", "condition": "form.amount > 1"}, {"from": "d", "to": "a", "default": true}, {"from": "a", "to": "b"}, {"from": "b", "to": "a"}]`,
			"/nodes/3", `node "a": no path from it reaches an end`},
		{"decision without default", `[{"id": "s", "kind": "start"}, {"id": "d", "kind": "decision"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "d"}, {"from": "d", "to": "e", "condition": "form.amount > 1"}]`, "/nodes/1", `node "d": a decision needs a default edge`},
		{"condition that does not compile", `[{"id": "s", "kind": "start"}, {"id": "d", "kind": "decision"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "d"}, {"id": "big", "from": "d", "to": "e", "condition": "form.amont > 1"}, {"from": "d", "to": "e", "default": true}]`,
			"/edges/1/condition", "edge big, condition: line 1"},
		{"condition that is not a boolean", `[{"id": "s", "kind": "start"}, {"id": "d", "kind": "decision"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "d"}, {"from": "d", "to": "e", "condition": "form.amount + 1"}, {"from": "d", "to": "e", "default": true}]`,
			"/edges/1/condition", "d -> e, condition"},
		{"missing outcome edge", `[{"id": "s", "kind": "start"}, {"id": "t", "kind": "task", "groups": ["g"], "outcomes": ["yes", "no"]}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "t"}, {"from": "t", "to": "e", "outcome": "yes"}]`, "/nodes/1", `outcome "no" has no edge`},
		{"task with nobody", `[{"id": "s", "kind": "start"}, {"id": "t", "kind": "task"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "t"}, {"from": "t", "to": "e"}]`, "/nodes/1", `say who does the task`},
		{"branch escapes the join", `[{"id": "s", "kind": "start"}, {"id": "p", "kind": "parallel"}, {"id": "a", "kind": "task", "groups": ["g"]},
			{"id": "b", "kind": "decision"}, {"id": "j", "kind": "join"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "p"}, {"from": "p", "to": "a"}, {"from": "p", "to": "b"}, {"from": "a", "to": "j"},
			{"from": "b", "to": "j", "condition": "form.amount > 1"}, {"from": "b", "to": "e", "default": true}, {"from": "j", "to": "e"}]`,
			"/edges/2", `a branch of parallel "p" can reach end "e" without joining`},
		{"join that closes no split", `[{"id": "s", "kind": "start"}, {"id": "d", "kind": "decision"}, {"id": "j", "kind": "join"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "d"}, {"from": "d", "to": "j", "condition": "form.amount > 1"}, {"from": "d", "to": "j", "default": true}, {"from": "j", "to": "e"}]`,
			"/nodes/2", `closes no parallel split`},
		{"quorum without a number", approvalNodes(`{"id": "approve", "kind": "approval", "approvers": "form.approvers", "mode": "quorum"}`), approvalEdges,
			"/nodes/1/quorum", `mode quorum needs quorum`},
		{"set a field the form lacks", `[{"id": "s", "kind": "start"}, {"id": "a", "kind": "action", "set": {"colour": "'red'"}}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "a"}, {"from": "a", "to": "e"}]`, "/nodes/1/set/colour", `the form has no field "colour"`},
		{"wait for two things", `[{"id": "s", "kind": "start"}, {"id": "w", "kind": "wait", "duration": "1h", "message": "'k'"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "w"}, {"from": "w", "to": "e"}]`, "/nodes/1", `exactly one of duration, until or message`},
		{"bad duration", `[{"id": "s", "kind": "start"}, {"id": "w", "kind": "wait", "duration": "soon"}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "w"}, {"from": "w", "to": "e"}]`, "/nodes/1/duration", `"soon" is not a duration`},
		{"task form that does not compile", `[{"id": "s", "kind": "start"}, {"id": "t", "kind": "task", "groups": ["g"], "form": {"type": "objekt"}}, {"id": "e", "kind": "end", "outcome": "done"}]`,
			`[{"from": "s", "to": "t"}, {"from": "t", "to": "e"}]`, "/nodes/1/form", `the task form does not compile`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := lintWorkflow(t, tc.nodes, tc.edges)
			var de *forms.DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("want a definition error, got %v", err)
			}
			for _, p := range de.Problems {
				if p.Pointer == tc.pointer && strings.Contains(fmt.Sprint(p.Params["detail"]), tc.message) {
					return
				}
			}
			t.Errorf("no problem at %s saying %q in %+v", tc.pointer, tc.message, de.Problems)
		})
	}
}

func TestLintChecksGroupsAndRuleSets(t *testing.T) {
	var def engine.Workflow
	if err := json.Unmarshal([]byte(`{"key": "k", "form": "order", "nodes": [{"id": "s", "kind": "start"},
		{"id": "t", "kind": "task", "groups": ["ghosts"], "ruleSet": "nope"}, {"id": "e", "kind": "end", "outcome": "done"}],
		"edges": [{"from": "s", "to": "t"}, {"from": "t", "to": "e"}]}`), &def); err != nil {
		t.Fatal(err)
	}
	_, err := engine.CompileWorkflow(def, engine.LintDeps{
		Env:     orderEnv(t),
		Group:   func(name string) error { return errors.New("no such group") },
		RuleSet: func(key string) error { return errors.New("no such published rule set") },
	})
	var de *forms.DefinitionError
	if !errors.As(err, &de) || len(de.Problems) != 2 {
		t.Fatalf("want two problems, got %v", err)
	}
	got := fmt.Sprint(de.Problems)
	if !strings.Contains(got, `group "ghosts": no such group`) || !strings.Contains(got, `rule set "nope": no such published rule set`) {
		t.Errorf("problems %s", got)
	}
}
