// Package sample makes requests as the engine would have left them after a
// year of work, for benchmarks and for preloading a store: most closed
// (to be archived), a backlog still open with tasks on agents and queues,
// spread over request types, channels, groups and agents. It never runs a
// workflow; it writes the documents a run would have written, KPI facts and
// inbox fields included.
package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/rules"
)

// Spread is what the requests are spread over, each picked uniformly.
type Spread struct {
	Types    []string
	Channels []engine.Channel
	Groups   []string
	Agents   []string
}

// DefaultSpread is five request types, six channels (the portal twice as
// often), six groups and twenty agents.
func DefaultSpread() Spread {
	agents := make([]string, 20)
	for i := range agents {
		agents[i] = fmt.Sprintf("agent%02d", i)
	}
	return Spread{
		Types:    []string{"it-support", "complaint", "purchase-request", "inquiry", "order-change"},
		Channels: []engine.Channel{engine.ChannelPortal, engine.ChannelPortal, engine.ChannelPhone, engine.ChannelEmail, engine.ChannelAPI, engine.ChannelWalkIn},
		Groups:   []string{"it-support", "customer-service", "billing", "delivery", "finance", "procurement"},
		Agents:   agents,
	}
}

// Year makes requests submitted over the year before End, request i of N
// at i/N of the way through it.
type Year struct {
	N      int
	End    time.Time
	Spread Spread
	rng    *rand.Rand
}

// NewYear returns the generator of n requests over the year before end;
// the same n and seed give the same requests but for their tracking codes.
func NewYear(n int, end time.Time, spread Spread, seed uint64) *Year {
	return &Year{N: n, End: end, Spread: spread, rng: rand.New(rand.NewPCG(seed, uint64(n)))}
}

// Request makes request i: owned by one agent, answered within hours,
// resolved within days (exponentially, mean 36 hours; one in 200 never),
// a third referred to another group, three in five rated. Those whose
// resolution falls after End are still open (about 1% of a year: the last
// two days' and the never resolved), their open tasks held by their owner
// or, once referred and before anyone claimed them, waiting in a group's
// queue. Call it for i = 0, 1, ... in order.
func (y *Year) Request(i int) *engine.Request {
	rng, end, sp := y.rng, y.End, &y.Spread
	created := end.AddDate(-1, 0, 0).Add(time.Duration(float64(365*24*time.Hour) * float64(i) / float64(y.N))).Truncate(time.Millisecond)
	at := func(d time.Duration) time.Time { return created.Add(d).Truncate(time.Millisecond) }
	typ, channel := sp.Types[rng.IntN(len(sp.Types))], sp.Channels[rng.IntN(len(sp.Channels))]
	owner, group := sp.Agents[rng.IntN(len(sp.Agents))], sp.Groups[rng.IntN(len(sp.Groups))]
	requester := fmt.Sprintf("user%05d", rng.IntN(20000))
	id := engine.NewTrackingCode()
	ref := engine.FormRef{Key: typ, Version: 1}
	r := &engine.Request{
		ID: id, Form: ref, Type: &ref, Channel: channel, Requester: requester, Status: engine.StatusInProgress, Priority: "normal",
		Data: map[string]any{"subject": "Printer on the third floor does not print", "description": strings.Repeat("It stopped this morning. ", 6),
			"category": "hardware", "urgency": "medium", "amount": int64(rng.IntN(5000))},
		CreatedAt: created, UpdatedAt: created, Revision: 1, Owner: owner, OwnerGroup: group,
		Profile:  rules.Requester{ID: requester, Name: "A requester", Email: requester + "@example.com", Segment: "standard"},
		Contact:  &engine.Contact{Name: "A requester", Email: requester + "@example.com"},
		Messages: []engine.Message{}, Outbox: []engine.OutboxItem{}, Incidents: []engine.Incident{},
	}
	event := func(d time.Duration, typ string, e engine.Event) {
		e.At, e.Type = at(d), typ
		r.History = append(r.History, e)
	}
	event(0, engine.EventSubmitted, engine.Event{Status: engine.StatusSubmitted, Channel: channel, Form: &ref, Actor: requester})
	event(0, "owner-chosen", engine.Event{To: owner, Detail: "round-robin", Data: map[string]any{"group": group}})
	event(0, "sla-started", engine.Event{Detail: "SLA policy standard version 1 on calendar always"})
	event(0, "workflow-started", engine.Event{Status: engine.StatusInProgress, Workflow: &ref})
	triage := engine.Task{ID: id + "-2", Node: "triage", Token: "t1", Kind: engine.TaskWork, Status: engine.TaskOpen, Assignee: owner,
		Outcomes: []string{"resolve", "refer"}, Priority: "normal", CreatedAt: created}
	event(0, "task-created", engine.Event{Node: "triage", Task: triage.ID, To: owner})
	r.Workflow = &engine.Instance{Workflow: typ, Version: 1, Tokens: []engine.Token{{ID: "t1", Node: "triage"}}, Seq: 2}
	reply := time.Duration(5+rng.IntN(240)) * time.Minute
	r.Messages = append(r.Messages, engine.Message{ID: "m1", At: at(reply), Kind: engine.MessageReply, Author: owner, Body: "We are looking into it and will get back to you shortly."})
	event(reply, "replied", engine.Event{Actor: owner})
	resolve := reply + time.Duration(rng.ExpFloat64()*36*float64(time.Hour))
	if rng.IntN(200) == 0 {
		resolve += 400 * 24 * time.Hour // never resolved
	}
	triageDone := resolve
	referred := rng.IntN(3) == 0
	if referred {
		triageDone = reply + (resolve-reply)/3
	}
	clocks := []engine.Clock{
		{Goal: engine.GoalFirstResponse, Calendar: "always", Target: 4 * time.Hour, Started: created},
		{Goal: engine.GoalResolution, Calendar: "always", Target: 48 * time.Hour, Started: created},
	}
	stop := func(c *engine.Clock, d time.Duration) {
		if d > c.Target {
			b := at(c.Target)
			c.Breached = &b
		}
		if !at(d).After(end) {
			s := at(d)
			c.Stopped, c.Elapsed = &s, min(d, c.Target)
		}
	}
	stop(&clocks[0], reply)
	r.SLA = &engine.SLA{Policy: "standard", Version: 1, Calendar: "always", CalendarVersion: 1, Clocks: clocks}
	if at(triageDone).After(end) {
		r.Workflow.Tasks = []engine.Task{triage}
		return finish(r)
	}
	done := at(triageDone)
	triage.Status, triage.CompletedBy, triage.CompletedAt = engine.TaskCompleted, owner, &done
	triage.Outcome = "resolve"
	event(triageDone, "task-completed", engine.Event{Node: "triage", Task: triage.ID, Outcome: triage.Outcome, Actor: owner})
	r.Workflow.Tasks = []engine.Task{triage}
	if referred {
		triage.Outcome = "refer"
		r.Workflow.Tasks[0] = triage
		other := sp.Groups[rng.IntN(len(sp.Groups))]
		worker := sp.Agents[rng.IntN(len(sp.Agents))]
		ref := engine.Task{ID: id + "-3", Node: "handle", Token: "t1", Kind: engine.TaskWork, Status: engine.TaskOpen, Groups: []string{other},
			Outcomes: []string{"done"}, Priority: "normal", CreatedAt: done}
		event(triageDone, "task-created", engine.Event{Node: "handle", Task: ref.ID, To: "group:" + other})
		claimed := triageDone + (resolve-triageDone)/2
		if !at(claimed).After(end) {
			c := at(claimed)
			ref.Assignee, ref.ClaimedAt = worker, &c
			event(claimed, "task-claimed", engine.Event{Node: "handle", Task: ref.ID, Actor: worker})
		}
		if !at(resolve).After(end) {
			d := at(resolve)
			ref.Status, ref.CompletedBy, ref.CompletedAt, ref.Outcome = engine.TaskCompleted, worker, &d, "done"
			event(resolve, "task-completed", engine.Event{Node: "handle", Task: ref.ID, Outcome: "done", Actor: worker})
		}
		r.Workflow.Tasks = append(r.Workflow.Tasks, ref)
	}
	if at(resolve).After(end) {
		return finish(r)
	}
	resolved := at(resolve)
	r.Closed, r.Status, r.ResolvedAt, r.Workflow.Tokens = true, "resolved", &resolved, nil
	event(resolve, "ended", engine.Event{Node: "end", Outcome: "resolved", Status: "resolved"})
	stop(&r.SLA.Clocks[1], resolve)
	for j, template := range []string{"submitted", "reply", "resolved"} {
		sent := at(resolve + time.Second)
		r.Outbox = append(r.Outbox, engine.OutboxItem{ID: fmt.Sprintf("%s-n%d-%s", id, j+1, template), Kind: engine.OutboxNotify, Node: "desk",
			To: []string{"requester"}, Payload: map[string]any{"template": template}, Status: engine.OutboxSent, Attempts: 1, Next: sent, SentAt: &sent})
		event(resolve+time.Second, "sent", engine.Event{Node: "desk", Detail: "notify " + r.Outbox[j].ID})
	}
	if rng.IntN(5) < 3 {
		csat, nps := 1+rng.IntN(5), rng.IntN(11)
		rated := resolve + time.Duration(rng.IntN(48))*time.Hour
		r.Feedback = &engine.Feedback{CSAT: &csat, NPS: &nps, At: at(rated)}
		event(rated, "rated", engine.Event{Actor: requester})
	}
	return finish(r)
}

// finish sets what every write derives: revision, last change, the
// fields that index it (open tasks' holders among them), and the KPI
// facts.
func finish(r *engine.Request) *engine.Request {
	r.Revision = int64(len(r.History))
	r.UpdatedAt = r.History[len(r.History)-1].At
	engine.Reindex(r)
	r.KPI = engine.KPIFactsOf(r)
	return r
}
