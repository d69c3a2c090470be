package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pishkhan/pishkhan/rules"
)

// SignalKind says what happened to a request's workflow.
type SignalKind string

// The signals the interpreter understands.
const (
	SignalStart    SignalKind = "start"    // the request was accepted
	SignalComplete SignalKind = "complete" // a task was done
	SignalClaim    SignalKind = "claim"    // a worker took a task from a queue
	SignalUnclaim  SignalKind = "unclaim"  // and put it back
	SignalReassign SignalKind = "reassign" // a supervisor gave it to someone else
	SignalDelegate SignalKind = "delegate" // its assignee handed it on
	SignalTimers   SignalKind = "timers"   // time passed: fire what fell due
	SignalMessage  SignalKind = "message"  // an external system called back
	SignalRetry    SignalKind = "retry"    // retry the nodes that failed
	SignalReopen   SignalKind = "reopen"   // the requester reopened it
)

// Signal is one event for the interpreter.
type Signal struct {
	Kind    SignalKind
	Task    string
	Outcome string
	// Data is the task form's data (complete) or the edited request data
	// (completing a resubmit task), already validated.
	Data    map[string]any
	Comment string
	// Actor did it; ActorGroups are the actor's groups; Manager may act on
	// any task (a supervisor or an admin).
	Actor       string
	ActorGroups []string
	Manager     bool
	// To is the user (or ToGroup the group) a task is reassigned or
	// delegated to.
	To      string
	ToGroup string
	// Key and Payload are a callback's correlation key and body.
	Key     string
	Payload map[string]any
}

// StepEnv is what a step may know beyond the definition, the state and the
// signal: the time, and the newest published rule sets (live rules).
type StepEnv struct {
	Now     time.Time
	RuleSet func(key string) (*PublishedRuleSet, error)
}

// maxEntries bounds how many nodes one step may pass through, so that a
// loop of decisions and actions with no task or wait in it fails with an
// incident instead of spinning.
const maxEntries = 1000

// Step is the interpreter: given a request (its data and workflow state)
// and a signal, it returns the request as the signal leaves it, with the
// history entries and outbox items the step produced appended. It writes
// nothing and never alters req: the runner stores the result with one
// atomic update. An error means the signal does not apply (ErrConflict,
// ErrNotYours, ErrNotFound, ErrInvalid, *forms.ValidationError) and
// nothing changed.
func (w *CompiledWorkflow) Step(req *Request, sig Signal, env StepEnv) (*Request, error) {
	s := &stepper{w: w, r: req.clone(), env: env, now: env.Now.UTC().Truncate(time.Millisecond)}
	if s.r.Workflow == nil && sig.Kind != SignalStart {
		return nil, conflictf("request %s has no workflow", req.ID)
	}
	var err error
	switch sig.Kind {
	case SignalStart:
		err = s.start()
	case SignalComplete:
		err = s.complete(sig)
	case SignalClaim, SignalUnclaim, SignalReassign, SignalDelegate:
		err = s.assign(sig)
	case SignalTimers:
		s.timers()
	case SignalMessage:
		err = s.message(sig)
	case SignalRetry:
		err = s.retry()
	case SignalReopen:
		err = s.reopen(sig)
	default:
		err = invalidf("unknown signal %q", sig.Kind)
	}
	if err != nil {
		return nil, err
	}
	s.run()
	s.derive()
	return s.r, nil
}

type stepper struct {
	w     *CompiledWorkflow
	r     *Request
	env   StepEnv
	now   time.Time
	queue []string // tokens to move into their node
	steps int
}

func (s *stepper) inst() *Instance { return s.r.Workflow }

func (s *stepper) nextID(prefix string) string {
	s.inst().Seq++
	return prefix + strconv.Itoa(s.inst().Seq)
}

func (s *stepper) record(e Event) {
	e.At = s.now
	s.r.History = append(s.r.History, e)
}

func (s *stepper) input() rules.Input {
	return rules.Input{Form: s.r.Data, Now: s.now, Request: s.r.forRules()}
}

func (s *stepper) token(id string) *Token {
	for i := range s.inst().Tokens {
		if s.inst().Tokens[i].ID == id {
			return &s.inst().Tokens[i]
		}
	}
	return nil
}

func (s *stepper) removeToken(id string) {
	s.inst().Tokens = slices.DeleteFunc(s.inst().Tokens, func(t Token) bool { return t.ID == id })
}

func (s *stepper) task(id string) *Task {
	for i := range s.inst().Tasks {
		if s.inst().Tasks[i].ID == id {
			return &s.inst().Tasks[i]
		}
	}
	return nil
}

func (s *stepper) start() error {
	if s.r.Workflow != nil {
		return conflictf("request %s already runs workflow %s", s.r.ID, s.r.Workflow.Workflow)
	}
	s.r.Workflow = &Instance{Workflow: s.w.Key, Version: s.w.Version}
	if s.r.Priority == "" {
		s.r.Priority = "normal"
	}
	s.r.Status = StatusInProgress
	s.record(Event{Type: "workflow-started", Status: StatusInProgress, Workflow: &FormRef{Key: s.w.Key, Version: s.w.Version}})
	t := Token{ID: s.nextID("t"), Node: s.w.start.ID}
	s.inst().Tokens = append(s.inst().Tokens, t)
	s.queue = append(s.queue, t.ID)
	return nil
}

// reopen starts a closed request's workflow again from its start node.
func (s *stepper) reopen(sig Signal) error {
	if !s.r.Closed {
		return conflictf("request %s is not closed", s.r.ID)
	}
	s.r.Closed, s.r.Status = false, StatusInProgress
	s.record(Event{Type: "reopened", Status: StatusInProgress, Actor: sig.Actor, Detail: sig.Comment})
	t := Token{ID: s.nextID("t"), Node: s.w.start.ID}
	s.inst().Tokens = append(s.inst().Tokens, t)
	s.queue = append(s.queue, t.ID)
	return nil
}

// run moves queued tokens into their nodes until every token waits.
func (s *stepper) run() {
	for len(s.queue) > 0 {
		id := s.queue[0]
		s.queue = s.queue[1:]
		t := s.token(id)
		if t == nil || s.r.Closed {
			continue
		}
		n := s.w.nodes[t.Node]
		if s.steps++; s.steps > maxEntries {
			s.fail(t, n, fmt.Errorf("the workflow passed %d nodes without stopping at a task or wait: it loops", maxEntries))
			continue
		}
		if err := s.enter(t, n); err != nil {
			s.fail(s.token(id), n, err)
		}
	}
}

// follow moves t along e.
func (s *stepper) follow(t *Token, e *cedge) {
	t.Node = e.To
	s.queue = append(s.queue, t.ID)
}

// edge returns the edge leaving n for outcome.
func (n *cnode) edge(outcome string) *cedge {
	for _, e := range n.out {
		if e.Outcome == outcome {
			return e
		}
	}
	return nil
}

// fail parks t at n with an incident that a supervisor can retry.
func (s *stepper) fail(t *Token, n *cnode, err error) {
	if t == nil {
		return
	}
	msg := fmt.Sprintf("node %q failed: %v", n.ID, err)
	t.Incident = msg
	s.r.Incidents = append(s.r.Incidents, Incident{ID: s.nextID("i"), At: s.now, Node: n.ID, Token: t.ID, Message: msg})
	s.record(Event{Type: "incident", Node: n.ID, Detail: msg})
}

func (s *stepper) enter(t *Token, n *cnode) error {
	switch n.Kind {
	case NodeStart:
		s.follow(t, n.out[0])
	case NodeEnd:
		s.end(n)
	case NodeTask:
		return s.createTask(t, n)
	case NodeApproval:
		return s.startApproval(t, n)
	case NodeDecision:
		return s.decide(t, n)
	case NodeParallel:
		s.split(t, n)
	case NodeJoin:
		s.join(t, n)
	case NodeAction:
		if err := s.action(n); err != nil {
			return err
		}
		s.follow(t, n.out[0])
	case NodeWait:
		return s.wait(t, n)
	}
	return nil
}

func (s *stepper) end(n *cnode) {
	for i := range s.inst().Tasks {
		if s.inst().Tasks[i].Status == TaskOpen {
			s.inst().Tasks[i].Status = TaskCancelled
		}
	}
	s.inst().Tokens, s.inst().Timers = nil, nil
	s.r.Status, s.r.Closed = Status(n.Outcome), true
	s.record(Event{Type: "ended", Node: n.ID, Outcome: n.Outcome, Status: s.r.Status})
}

func (s *stepper) createTask(t *Token, n *cnode) error {
	in := s.input()
	assignee, groups := "", slices.Clone(n.Groups)
	var ref *RuleRef
	if n.RuleSet != "" {
		out, r, err := s.byRuleSet(n.RuleSet, in)
		if err != nil {
			return err
		}
		ref = r
		if a, _ := out["assignee"].(string); a != "" {
			assignee = a
		}
		if g, _ := out["group"].(string); g != "" {
			groups = []string{g}
		}
		// A routing table may also say how urgent the request is.
		if p, _ := out["priority"].(string); p != "" {
			s.r.Priority = p
		}
	}
	if n.group != nil {
		g, err := evalString(n.group, in)
		if err != nil {
			return err
		}
		if g != "" {
			groups = append(groups, g)
		}
	}
	if n.assignee != nil {
		a, err := evalString(n.assignee, in)
		if err != nil {
			return err
		}
		if a != "" {
			assignee = a
		}
	}
	if assignee == "" && len(groups) == 0 {
		return errors.New("nobody to do the task: the assignee and group came out empty")
	}
	task := s.newTask(t, n, TaskWork, assignee, groups, n.Outcomes)
	s.record(Event{Type: "task-created", Node: n.ID, Task: task.ID, To: describeHolder(assignee, groups), Rule: ref})
	return nil
}

// byRuleSet asks the newest rule set key who does a task: the first
// matching row's outputs (assignee, group, priority).
func (s *stepper) byRuleSet(key string, in rules.Input) (map[string]any, *RuleRef, error) {
	if s.env.RuleSet == nil {
		return nil, nil, fmt.Errorf("rule set %q: no rule sets here", key)
	}
	rs, err := s.env.RuleSet(key)
	if err != nil {
		return nil, nil, fmt.Errorf("rule set %q: %w", key, err)
	}
	d, err := rs.Table.Evaluate(in)
	if err != nil {
		return nil, nil, fmt.Errorf("rule set %q version %d: %w", key, rs.Version, err)
	}
	ref := &RuleRef{Key: rs.Key, Version: rs.Version, Rows: d.Matched}
	if len(d.Outputs) == 0 {
		return nil, ref, nil
	}
	return d.Outputs[0], ref, nil
}

func describeHolder(assignee string, groups []string) string {
	if assignee != "" {
		return assignee
	}
	g := make([]string, len(groups))
	for i, x := range groups {
		g[i] = "group:" + x
	}
	return strings.Join(g, ",")
}

func (s *stepper) newTask(t *Token, n *cnode, kind, assignee string, groups, outcomes []string) *Task {
	task := Task{
		ID: s.r.ID + "-" + strconv.Itoa(s.inst().Seq+1), Node: n.ID, Token: t.ID, Kind: kind, Title: n.Title,
		Status: TaskOpen, Assignee: assignee, Groups: groups, Outcomes: slices.Clone(outcomes), Priority: s.r.Priority, CreatedAt: s.now,
	}
	s.inst().Seq++
	if n.due > 0 && kind != TaskResubmit {
		due := s.now.Add(n.due)
		task.Due = &due
		s.inst().Timers = append(s.inst().Timers, Timer{ID: s.nextID("d"), Kind: TimerDue, Token: t.ID, Task: task.ID, Due: due})
	}
	s.inst().Tasks = append(s.inst().Tasks, task)
	return &s.inst().Tasks[len(s.inst().Tasks)-1]
}

var approvalOutcomes = []string{OutcomeApprove, OutcomeReject, OutcomeReturn}

func (s *stepper) startApproval(t *Token, n *cnode) error {
	st := &ApprovalState{Mode: n.Mode, Quorum: n.Quorum}
	if n.approvers != nil {
		v, err := n.approvers.Eval(s.input())
		if err != nil {
			return err
		}
		names, err := stringList(v)
		if err != nil {
			return fmt.Errorf("approvers: %w", err)
		}
		if len(names) == 0 {
			return errors.New("approvers: the expression named nobody")
		}
		if st.Mode == ModeQuorum && st.Quorum > len(names) {
			return fmt.Errorf("approvers: quorum %d but only %d approvers", st.Quorum, len(names))
		}
		st.Approvers = names
	}
	t.Approval = st
	switch {
	case len(n.Groups) > 0:
		task := s.newTask(t, n, TaskApproval, "", n.Groups, approvalOutcomes)
		s.record(Event{Type: "approval-requested", Node: n.ID, Task: task.ID, To: describeHolder("", n.Groups)})
	case st.Mode == ModeSequence:
		task := s.newTask(t, n, TaskApproval, st.Approvers[0], nil, approvalOutcomes)
		s.record(Event{Type: "approval-requested", Node: n.ID, Task: task.ID, To: task.Assignee})
	default:
		for _, a := range st.Approvers {
			task := s.newTask(t, n, TaskApproval, a, nil, approvalOutcomes)
			s.record(Event{Type: "approval-requested", Node: n.ID, Task: task.ID, To: a})
		}
	}
	return nil
}

// stringList reads an approvers value: one name or a list of names,
// without blanks or repeats.
func stringList(v any) ([]string, error) {
	var raw []any
	switch v := v.(type) {
	case nil:
	case string:
		raw = []any{v}
	case []any:
		raw = v
	case []string:
		for _, x := range v {
			raw = append(raw, x)
		}
	default:
		return nil, fmt.Errorf("expected a name or a list of names, got %T", v)
	}
	var out []string
	for _, x := range raw {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("expected names, got %T in the list", x)
		}
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (s *stepper) decide(t *Token, n *cnode) error {
	in := s.input()
	var fallback *cedge
	for _, e := range n.out {
		if e.Default {
			fallback = e
			continue
		}
		ok, err := e.cond.EvalBool(in)
		if err != nil {
			return fmt.Errorf("edge %s: %w", e.name(), err)
		}
		if ok {
			s.record(Event{Type: "decision", Node: n.ID, Edge: e.name(), Condition: e.Condition})
			s.follow(t, e)
			return nil
		}
	}
	s.record(Event{Type: "decision", Node: n.ID, Edge: fallback.name(), Detail: "no condition held: default edge"})
	s.follow(t, fallback)
	return nil
}

func (s *stepper) split(t *Token, n *cnode) {
	fork := s.nextID("f")
	parent := *t
	s.removeToken(t.ID)
	for i, e := range n.out {
		nt := Token{ID: s.nextID("t"), Node: e.To, Forks: append(slices.Clone(parent.Forks), ForkRef{ID: fork, Branch: i, Of: len(n.out)})}
		s.inst().Tokens = append(s.inst().Tokens, nt)
		s.queue = append(s.queue, nt.ID)
	}
	s.record(Event{Type: "split", Node: n.ID, Detail: fmt.Sprintf("%d branches", len(n.out))})
}

func (s *stepper) join(t *Token, n *cnode) {
	t.Joined = true
	if len(t.Forks) == 0 {
		return // the lint makes this impossible: a join closes a split
	}
	top := t.Forks[len(t.Forks)-1]
	branches := map[int]bool{}
	for _, o := range s.inst().Tokens {
		if o.Node == n.ID && o.Joined && len(o.Forks) > 0 && o.Forks[len(o.Forks)-1].ID == top.ID {
			branches[o.Forks[len(o.Forks)-1].Branch] = true
		}
	}
	if len(branches) < top.Of {
		return
	}
	forks := slices.Clone(t.Forks[:len(t.Forks)-1])
	s.inst().Tokens = slices.DeleteFunc(s.inst().Tokens, func(o Token) bool {
		return o.Node == n.ID && o.Joined && len(o.Forks) > 0 && o.Forks[len(o.Forks)-1].ID == top.ID
	})
	nt := Token{ID: s.nextID("t"), Node: n.ID, Forks: forks}
	s.inst().Tokens = append(s.inst().Tokens, nt)
	s.record(Event{Type: "joined", Node: n.ID})
	s.follow(s.token(nt.ID), n.out[0])
}

func (s *stepper) action(n *cnode) error {
	in := s.input()
	var did []string
	for _, set := range n.set {
		v, err := set.prog.Eval(in)
		if err != nil {
			return fmt.Errorf("set %s: %w", set.name, err)
		}
		sv, err := plainJSON(v)
		if err != nil {
			return fmt.Errorf("set %s: %w", set.name, err)
		}
		s.r.Data[set.name] = sv
		did = append(did, "set "+set.name)
	}
	if n.priority != nil {
		p, err := evalString(n.priority, in)
		if err != nil {
			return err
		}
		s.r.Priority = p
		for i := range s.inst().Tasks {
			if s.inst().Tasks[i].Status == TaskOpen {
				s.inst().Tasks[i].Priority = p
			}
		}
		did = append(did, "priority "+p)
	}
	if n.Status != "" {
		s.r.Status = Status(n.Status)
		did = append(did, "status "+n.Status)
	}
	if n.Webhook != nil {
		payload := map[string]any{"request": s.r.ID, "workflow": s.w.Key, "node": n.ID}
		for _, b := range n.webhookBody {
			v, err := b.prog.Eval(in)
			if err != nil {
				return fmt.Errorf("webhook body %s: %w", b.name, err)
			}
			if payload[b.name], err = plainJSON(v); err != nil {
				return fmt.Errorf("webhook body %s: %w", b.name, err)
			}
		}
		s.r.Outbox = append(s.r.Outbox, OutboxItem{
			ID: s.r.ID + "-" + s.nextID("o"), Kind: OutboxWebhook, Node: n.ID, URL: n.Webhook.URL, Payload: payload, Status: OutboxPending, Next: s.now,
		})
		did = append(did, "webhook queued")
	}
	if n.Notify != nil {
		v, err := n.notifyTo.Eval(in)
		if err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		to, err := stringList(v)
		if err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		for i, x := range to {
			if x == "requester" {
				to[i] = s.r.Requester
			}
		}
		s.r.Outbox = append(s.r.Outbox, OutboxItem{
			ID: s.r.ID + "-" + s.nextID("o"), Kind: OutboxNotify, Node: n.ID, To: to, Subject: n.Notify.Subject, Body: n.Notify.Body, Status: OutboxPending, Next: s.now,
		})
		did = append(did, "notification queued")
	}
	s.record(Event{Type: "action", Node: n.ID, Detail: strings.Join(did, "; ")})
	return nil
}

func (s *stepper) wait(t *Token, n *cnode) error {
	in := s.input()
	switch {
	case n.duration > 0:
		due := s.now.Add(n.duration)
		s.inst().Timers = append(s.inst().Timers, Timer{ID: s.nextID("w"), Kind: TimerWait, Token: t.ID, Due: due})
		s.record(Event{Type: "waiting", Node: n.ID, Detail: "until " + due.Format(time.RFC3339)})
	case n.until != nil:
		v, err := n.until.Eval(in)
		if err != nil {
			return err
		}
		due, err := asTime(v)
		if err != nil {
			return fmt.Errorf("until: %w", err)
		}
		s.inst().Timers = append(s.inst().Timers, Timer{ID: s.nextID("w"), Kind: TimerWait, Token: t.ID, Due: due.UTC().Truncate(time.Millisecond)})
		s.record(Event{Type: "waiting", Node: n.ID, Detail: "until " + due.UTC().Format(time.RFC3339)})
	default:
		key, err := evalString(n.message, in)
		if err != nil {
			return err
		}
		if key == "" || len(key) > 200 {
			return errors.New("message: the correlation key must be 1 to 200 characters")
		}
		t.Key = key
		detail := "for a message with key " + key
		if n.timeout > 0 {
			due := s.now.Add(n.timeout)
			s.inst().Timers = append(s.inst().Timers, Timer{ID: s.nextID("w"), Kind: TimerTimeout, Token: t.ID, Due: due})
			detail += ", at most until " + due.Format(time.RFC3339)
		}
		s.record(Event{Type: "waiting", Node: n.ID, Detail: detail})
	}
	return nil
}

func asTime(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return v, nil
	case string:
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t, nil
		}
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return t, nil
		}
		return time.Time{}, fmt.Errorf("%q is not a time (RFC 3339) or a date", v)
	}
	return time.Time{}, fmt.Errorf("expected a time, got %T", v)
}

// openTask returns the task a signal is about, if it is still open.
func (s *stepper) openTask(id string) (*Task, error) {
	task := s.task(id)
	switch {
	case task == nil:
		return nil, fmt.Errorf("task %s: %w", id, ErrNotFound)
	case task.Status == TaskCompleted:
		return nil, conflictf("task %s was already completed by %s at %s with outcome %q", id, task.CompletedBy, task.CompletedAt.Format(time.RFC3339), task.Outcome)
	case task.Status == TaskCancelled:
		return nil, conflictf("task %s was cancelled: the request moved on without it", id)
	}
	return task, nil
}

// mayWork reports whether the actor may do task: it is theirs, or it
// waits unclaimed in one of their groups, or they manage.
func mayWork(task *Task, sig Signal) bool {
	if sig.Manager || task.Assignee == sig.Actor {
		return true
	}
	return task.Assignee == "" && slices.ContainsFunc(task.Groups, func(g string) bool { return slices.Contains(sig.ActorGroups, g) })
}

func (s *stepper) complete(sig Signal) error {
	task, err := s.openTask(sig.Task)
	if err != nil {
		return err
	}
	if task.Kind == TaskResubmit && task.Assignee != sig.Actor {
		return notYoursf("task %s is for the requester", task.ID)
	}
	if !mayWork(task, sig) {
		if task.Assignee != "" {
			return notYoursf("task %s is claimed by %s", task.ID, task.Assignee)
		}
		return notYoursf("task %s waits in the queues of %s, which you are not in", task.ID, strings.Join(task.Groups, ", "))
	}
	outcome := sig.Outcome
	if outcome == "" && len(task.Outcomes) == 1 {
		outcome = task.Outcomes[0]
	}
	if !slices.Contains(task.Outcomes, outcome) {
		return invalidf("outcome %q: task %s has outcomes %s", sig.Outcome, task.ID, strings.Join(task.Outcomes, ", "))
	}
	if task.Kind == TaskReferral {
		return s.answerReferral(task, outcome, sig)
	}
	n := s.w.nodes[task.Node]
	if task.Kind == TaskWork && n.taskForm != nil {
		data := sig.Data
		if data == nil {
			data = map[string]any{}
		}
		if err := n.taskForm.Validate(data); err != nil {
			return err
		}
	}
	stored := map[string]any(nil)
	if task.Kind != TaskResubmit && len(sig.Data) > 0 {
		v, err := storable(sig.Data)
		if err != nil {
			return err
		}
		stored = v.(map[string]any)
	}
	if task.Assignee == "" {
		task.Assignee = sig.Actor
	}
	now := s.now
	task.Status, task.Outcome, task.Data, task.Comment, task.CompletedBy, task.CompletedAt = TaskCompleted, outcome, stored, sig.Comment, sig.Actor, &now
	s.dropTimers(func(t Timer) bool { return t.Task == task.ID })
	s.record(Event{Type: "task-completed", Node: n.ID, Task: task.ID, Outcome: outcome, Actor: sig.Actor, Detail: sig.Comment, Data: stored})
	t := s.token(task.Token)
	if t == nil {
		return nil
	}
	switch task.Kind {
	case TaskWork:
		s.follow(t, n.edge(outcome))
	case TaskApproval:
		s.vote(t, n, task, outcome, sig)
	case TaskResubmit:
		s.r.Data = sig.Data
		s.r.Status = StatusInProgress
		t.Approval = nil
		s.record(Event{Type: "resubmitted", Node: n.ID, Actor: sig.Actor, Status: StatusInProgress})
		s.queue = append(s.queue, t.ID)
	}
	return nil
}

func (s *stepper) vote(t *Token, n *cnode, task *Task, outcome string, sig Signal) {
	st := t.Approval
	decided := ""
	switch outcome {
	case OutcomeReturn:
		s.cancelTasks(t.ID)
		st.Returned = true
		rt := s.newTask(t, n, TaskResubmit, s.r.Requester, nil, []string{"resubmit"})
		rt.Title = map[string]string{"en": "Make the changes asked for and resubmit", "fa": "تغییرات خواسته‌شده را انجام دهید و دوباره بفرستید"}
		s.r.Status = StatusReturned
		s.record(Event{Type: "returned", Node: n.ID, Task: rt.ID, To: s.r.Requester, Actor: sig.Actor, Detail: sig.Comment, Status: StatusReturned})
		return
	case OutcomeApprove:
		st.Approved = append(st.Approved, task.Assignee)
		switch {
		case st.Mode == ModeAny, st.Mode == ModeAll && len(st.Approved) == len(st.Approvers),
			st.Mode == ModeQuorum && len(st.Approved) >= st.Quorum, st.Mode == ModeSequence && len(st.Approved) == len(st.Approvers):
			decided = OutcomeApprove
		case st.Mode == ModeSequence:
			next := s.newTask(t, n, TaskApproval, st.Approvers[len(st.Approved)], nil, approvalOutcomes)
			s.record(Event{Type: "approval-requested", Node: n.ID, Task: next.ID, To: next.Assignee})
		}
	case OutcomeReject:
		st.Rejected = append(st.Rejected, task.Assignee)
		if st.Mode != ModeQuorum || len(st.Approvers)-len(st.Rejected) < st.Quorum {
			decided = OutcomeReject
		}
	}
	if decided == "" {
		return
	}
	s.cancelTasks(t.ID)
	t.Approval = nil
	s.record(Event{Type: "approval-decided", Node: n.ID, Outcome: decided, Detail: fmt.Sprintf("%d approved, %d rejected", len(st.Approved), len(st.Rejected))})
	s.follow(t, n.edge(decided))
}

// cancelTasks cancels the open tasks of token and their timers.
func (s *stepper) cancelTasks(token string) {
	for i := range s.inst().Tasks {
		task := &s.inst().Tasks[i]
		if task.Token == token && task.Status == TaskOpen {
			task.Status = TaskCancelled
			id := task.ID
			s.dropTimers(func(t Timer) bool { return t.Task == id })
		}
	}
}

func (s *stepper) dropTimers(match func(Timer) bool) {
	s.inst().Timers = slices.DeleteFunc(s.inst().Timers, match)
}

func (s *stepper) assign(sig Signal) error {
	task, err := s.openTask(sig.Task)
	if err != nil {
		return err
	}
	if task.Kind == TaskResubmit {
		return conflictf("task %s belongs to the requester and cannot be handed on", task.ID)
	}
	now := s.now
	switch sig.Kind {
	case SignalClaim:
		switch {
		case task.Assignee == sig.Actor:
			return nil // claiming one's own task again changes nothing
		case task.Assignee != "":
			return conflictf("task %s is already claimed by %s", task.ID, task.Assignee)
		case !mayWork(task, sig):
			return notYoursf("task %s waits in the queues of %s, which you are not in", task.ID, strings.Join(task.Groups, ", "))
		}
		task.Assignee, task.ClaimedAt = sig.Actor, &now
		s.record(Event{Type: "task-claimed", Node: task.Node, Task: task.ID, Actor: sig.Actor})
	case SignalUnclaim:
		switch {
		case task.Assignee != sig.Actor && !sig.Manager:
			return notYoursf("task %s is not claimed by you", task.ID)
		case len(task.Groups) == 0:
			return conflictf("task %s has no queue to go back to; ask a supervisor to reassign it", task.ID)
		}
		task.Assignee, task.ClaimedAt = "", nil
		s.record(Event{Type: "task-unclaimed", Node: task.Node, Task: task.ID, Actor: sig.Actor})
	case SignalReassign:
		if !sig.Manager {
			return notYoursf("only a supervisor reassigns tasks; the assignee may delegate")
		}
		if sig.To == "" && sig.ToGroup == "" {
			return invalidf("reassign: name a user (to) or a group (group)")
		}
		task.Assignee, task.ClaimedAt = sig.To, nil
		if sig.ToGroup != "" {
			task.Groups = []string{sig.ToGroup}
		}
		s.record(Event{Type: "task-reassigned", Node: task.Node, Task: task.ID, Actor: sig.Actor, To: describeHolder(sig.To, task.Groups), Detail: sig.Comment})
	case SignalDelegate:
		switch {
		case task.Assignee != sig.Actor:
			return notYoursf("only the assignee delegates task %s", task.ID)
		case sig.To == "" || sig.To == sig.Actor:
			return invalidf("delegate: name another user (to)")
		}
		task.DelegatedFrom, task.Assignee, task.ClaimedAt = sig.Actor, sig.To, nil
		s.record(Event{Type: "task-delegated", Node: task.Node, Task: task.ID, Actor: sig.Actor, To: sig.To, Detail: sig.Comment})
	}
	return nil
}

// timers fires every timer that fell due, earliest first.
func (s *stepper) timers() {
	var due []Timer
	for _, t := range s.inst().Timers {
		if !t.Due.After(s.now) {
			due = append(due, t)
		}
	}
	sort.SliceStable(due, func(i, j int) bool { return due[i].Due.Before(due[j].Due) })
	for _, tm := range due {
		s.dropTimers(func(t Timer) bool { return t.ID == tm.ID })
		tok := s.token(tm.Token)
		if tok == nil {
			if task := s.task(tm.Task); tm.Kind == TimerDue && task != nil && task.Status == TaskOpen {
				task.Overdue = true // a referral: no node to escalate by
				s.record(Event{Type: "task-overdue", Node: task.Node, Task: task.ID})
			}
			continue
		}
		n := s.w.nodes[tok.Node]
		switch tm.Kind {
		case TimerWait:
			s.record(Event{Type: "timer-fired", Node: n.ID, Detail: "wait over"})
			s.follow(tok, n.out[0])
		case TimerTimeout:
			tok.Key = ""
			s.record(Event{Type: "timer-fired", Node: n.ID, Outcome: OutcomeTimeout, Detail: "no message arrived in time"})
			s.follow(tok, n.edge(OutcomeTimeout))
		case TimerDue:
			task := s.task(tm.Task)
			if task == nil || task.Status != TaskOpen {
				continue
			}
			task.Overdue = true
			s.record(Event{Type: "task-overdue", Node: n.ID, Task: task.ID})
			if n.EscalateTo != "" && !slices.Contains(task.Groups, n.EscalateTo) {
				task.Groups = append(task.Groups, n.EscalateTo)
				s.record(Event{Type: "escalated", Node: n.ID, Task: task.ID, To: "group:" + n.EscalateTo})
			}
		}
	}
}

func (s *stepper) message(sig Signal) error {
	for i := range s.inst().Tokens {
		t := &s.inst().Tokens[i]
		if t.Key == "" || t.Key != sig.Key {
			continue
		}
		n := s.w.nodes[t.Node]
		t.Key = ""
		s.dropTimers(func(tm Timer) bool { return tm.Token == t.ID && tm.Kind == TimerTimeout })
		payload := map[string]any(nil)
		if len(sig.Payload) > 0 {
			v, err := storable(sig.Payload)
			if err != nil {
				return err
			}
			payload = v.(map[string]any)
		}
		s.r.Received = append(s.r.Received, sig.Key)
		s.record(Event{Type: "message-received", Node: n.ID, Outcome: OutcomeMessage, Actor: sig.Actor, Data: payload})
		s.follow(t, n.edge(OutcomeMessage))
		return nil
	}
	if slices.Contains(s.r.Received, sig.Key) {
		return conflictf("the message with key %q was already delivered", sig.Key)
	}
	return fmt.Errorf("no request waits for a message with key %q: %w", sig.Key, ErrNotFound)
}

func (s *stepper) retry() error {
	retried := 0
	for i := range s.inst().Tokens {
		t := &s.inst().Tokens[i]
		if t.Incident == "" {
			continue
		}
		t.Incident = ""
		retried++
		s.queue = append(s.queue, t.ID)
		s.resolve(func(in Incident) bool { return in.Token == t.ID })
	}
	// Calls that kept failing are tried again from the start.
	for i := range s.r.Outbox {
		item := &s.r.Outbox[i]
		if item.Status != OutboxFailed {
			continue
		}
		item.Status, item.Attempts, item.Next = OutboxPending, 0, s.now
		retried++
		s.resolve(func(in Incident) bool { return in.Outbox == item.ID })
	}
	if retried == 0 {
		return conflictf("request %s has no failed node or call to retry", s.r.ID)
	}
	s.record(Event{Type: "retried", Detail: fmt.Sprintf("%d failed node(s) or call(s)", retried)})
	return nil
}

// resolve marks the open incidents that match resolved.
func (s *stepper) resolve(match func(Incident) bool) {
	for i := range s.r.Incidents {
		if in := &s.r.Incidents[i]; in.Resolved == nil && match(*in) {
			now := s.now
			in.Resolved = &now
		}
	}
}

// derive recomputes the fields that index the request for the timer
// poller, the dispatcher, callbacks and the inbox.
func (s *stepper) derive() {
	s.r.UpdatedAt = s.now
	deriveIndex(s.r)
}

// deriveIndex recomputes the fields that index a request with a workflow.
func deriveIndex(r *Request) {
	r.Due, r.WaitKeys, r.TaskUsers, r.TaskGroups = nil, nil, nil, nil
	for _, t := range r.Workflow.Timers {
		if r.Due == nil || t.Due.Before(*r.Due) {
			d := t.Due
			r.Due = &d
		}
	}
	for _, t := range r.Workflow.Tokens {
		if t.Key != "" {
			r.WaitKeys = append(r.WaitKeys, t.Key)
		}
	}
	for _, t := range r.Workflow.Tasks {
		if t.Status != TaskOpen {
			continue
		}
		if t.Assignee != "" && !slices.Contains(r.TaskUsers, t.Assignee) {
			r.TaskUsers = append(r.TaskUsers, t.Assignee)
		}
		for _, g := range t.Groups {
			if !slices.Contains(r.TaskGroups, g) {
				r.TaskGroups = append(r.TaskGroups, g)
			}
		}
	}
	r.OutboxDue = outboxDue(r.Outbox)
}

func outboxDue(items []OutboxItem) *time.Time {
	var due *time.Time
	for _, o := range items {
		if o.Status == OutboxPending && (due == nil || o.Next.Before(*due)) {
			d := o.Next
			due = &d
		}
	}
	return due
}

func evalString(p *rules.Program, in rules.Input) (string, error) {
	v, err := p.Eval(in)
	if err != nil {
		return "", err
	}
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	}
	return "", fmt.Errorf("`%s` gave %T, not text", p.Source(), v)
}

// plainJSON turns a rule's result into what a request document stores.
func plainJSON(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return storable(out)
}
