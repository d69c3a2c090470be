package engine

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pishkhan/pishkhan/rules"
)

// SimulateParams are a simulation's sample request and script.
type SimulateParams struct {
	// Draft simulates the workflow's draft; else Version (0: the newest).
	Draft   bool
	Version int
	Data    map[string]any // as decoded by forms.DecodeData
	Channel Channel
	// Requester describes the sample requester to the rules.
	Requester rules.Requester
	// Outcomes scripts the tasks: for each node, the outcomes its tasks
	// are completed with, in order. A task with no script left takes its
	// first outcome (approve, for approvals).
	Outcomes map[string][]string
	// TaskData is the task form data given when completing at a node.
	TaskData map[string]map[string]any
	// Messages are callbacks that arrive, by wait node; a wait for a
	// message with none takes its timeout path.
	Messages map[string]map[string]any
}

// Simulation is what a request would go through: nothing of it is stored.
type Simulation struct {
	Workflow  FormRef        `json:"workflow"`
	Status    Status         `json:"status"`
	Closed    bool           `json:"closed"`
	Priority  string         `json:"priority"`
	Data      map[string]any `json:"data"`
	Path      []Event        `json:"path"`
	Tasks     []Task         `json:"tasks"`
	Decisions []Event        `json:"decisions"`
	Outbox    []OutboxItem   `json:"outbox"`
	Incidents []Incident     `json:"incidents"`
	// Stopped says why the simulation ended short of an end node.
	Stopped string `json:"stopped,omitempty"`
}

// maxSimulationSteps bounds a simulation (a script can loop a request
// through return-for-changes forever).
const maxSimulationSteps = 200

// Simulate runs workflow key on sample data with scripted outcomes, in
// memory. The data is checked against the form first, as a submission
// would be; rule sets are the newest published, as live requests use.
func (r *Requests) Simulate(ctx context.Context, key string, p SimulateParams) (*Simulation, error) {
	var (
		w   *CompiledWorkflow
		err error
	)
	if p.Draft {
		w, err = r.defs.WorkflowDraft(ctx, key)
	} else {
		w, err = r.defs.Workflow(ctx, key, p.Version)
	}
	if err != nil {
		return nil, err
	}
	form, err := r.defs.FormVersion(ctx, w.Form.Key, w.Form.Version)
	if err != nil {
		return nil, err
	}
	if p.Channel == "" {
		p.Channel = ChannelPortal
	}
	if p.Data == nil {
		p.Data = map[string]any{}
	}
	now := r.now().Truncate(time.Millisecond)
	requester := p.Requester.ID
	if requester == "" {
		requester = "requester"
	}
	req, err := newRequest(form, p.Data, p.Channel, requester, p.Requester, now)
	if err != nil {
		return nil, err
	}
	req.ID = "SIMULATION"
	env := r.stepEnv(ctx)
	env.Now = now
	if req, err = w.Step(req, Signal{Kind: SignalStart, Actor: requester}, env); err != nil {
		return nil, err
	}
	used := map[string]int{}
	stopped := ""
	for step := 0; stopped == "" && !req.Closed; step++ {
		if step == maxSimulationSteps {
			stopped = fmt.Sprintf("stopped after %d steps: the script loops", maxSimulationSteps)
			break
		}
		var sig *Signal
		if i := slices.IndexFunc(req.Workflow.Tokens, func(t Token) bool { return t.Incident != "" }); i >= 0 {
			stopped = req.Workflow.Tokens[i].Incident
			break
		}
		if i := slices.IndexFunc(req.Workflow.Tasks, func(t Task) bool { return t.Status == TaskOpen }); i >= 0 {
			sig = simulatedCompletion(req, req.Workflow.Tasks[i], p, used)
		} else if t := waitingFor(req, p.Messages); t != nil {
			sig = &Signal{Kind: SignalMessage, Key: t.Key, Payload: p.Messages[t.Node], Actor: "simulation"}
		} else if len(req.Workflow.Timers) > 0 {
			next := req.Workflow.Timers[0].Due
			for _, tm := range req.Workflow.Timers {
				if tm.Due.Before(next) {
					next = tm.Due
				}
			}
			if next.After(env.Now) {
				env.Now = next
			}
			sig = &Signal{Kind: SignalTimers}
		} else {
			stopped = "nothing left to do: the request waits for a message the script does not send"
			break
		}
		next, err := w.Step(req, *sig, env)
		if err != nil {
			stopped = fmt.Sprintf("%s %s: %v", sig.Kind, sig.Task, err)
			break
		}
		req = next
	}
	sim := &Simulation{
		Workflow: FormRef{Key: w.Key, Version: w.Version}, Status: req.Status, Closed: req.Closed, Priority: req.Priority, Data: req.Data,
		Path: req.History, Tasks: req.Workflow.Tasks, Outbox: req.Outbox, Incidents: req.Incidents, Stopped: stopped,
		Decisions: []Event{},
	}
	for _, e := range req.History {
		if e.Type == "decision" || e.Rule != nil || e.Type == "approval-decided" {
			sim.Decisions = append(sim.Decisions, e)
		}
	}
	return sim, nil
}

// simulatedCompletion completes task as the script says.
func simulatedCompletion(req *Request, t Task, p SimulateParams, used map[string]int) *Signal {
	actor := t.Assignee
	if actor == "" {
		actor = "simulated-worker"
	}
	sig := &Signal{Kind: SignalComplete, Task: t.ID, Actor: actor, Manager: true}
	if t.Kind == TaskResubmit {
		sig.Data = req.Data
		return sig
	}
	script := p.Outcomes[t.Node]
	if n := used[t.Node]; n < len(script) {
		sig.Outcome = script[n]
		used[t.Node]++
	} else if len(t.Outcomes) > 0 {
		sig.Outcome = t.Outcomes[0]
	}
	sig.Data = p.TaskData[t.Node]
	return sig
}

// waitingFor returns a token waiting for a message the script sends.
func waitingFor(req *Request, messages map[string]map[string]any) *Token {
	for i, t := range req.Workflow.Tokens {
		if _, ok := messages[t.Node]; ok && t.Key != "" {
			return &req.Workflow.Tokens[i]
		}
	}
	return nil
}
