package mongostore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
	"github.com/pishkhan/pishkhan/rules"
)

// BenchmarkKPIs measures KPI queries (engine.Requests.KPIs, which runs
// Store.KPIDays) over a year of generated requests, loaded once per size:
// open ones in the working collection, the rest archived with their facts
// filed. Each query's latencies give p50 and p99 (with -benchtime 10x, p99
// is the slowest of ten). Baselines in the same run: a count that matches
// nothing over the same two collections (what merely reading them costs),
// and, at 10,000, over the archived requests themselves (what reading whole
// requests instead of their facts would cost).
// Run: go test -run '^$' -bench KPIs -benchtime 10x -timeout 3h ./engine/mongostore/
func BenchmarkKPIs(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		s := storetest.Store(b)
		open := loadRequests(b, s, n)
		reqs := engine.NewRequests(s, engine.NewDefinitions(s, nil))
		ctx := context.Background()
		measure := func(name string, op func() error) {
			b.Run(fmt.Sprintf("%s/requests=%d", name, n), func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				for i := 0; i < b.N; i++ {
					start := time.Now()
					if err := op(); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(start))
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
				b.ReportMetric(float64(lat[(len(lat)*99-1)/100].Milliseconds()), "p99-ms")
				b.ReportMetric(float64(open), "open")
			})
		}
		query := func(q engine.KPIQuery) func() error {
			return func() error { _, err := reqs.KPIs(ctx, q); return err }
		}
		measure("kpis-30-days-daily", query(engine.KPIQuery{From: "2026-12-02", To: "2026-12-31"}))
		measure("kpis-year-monthly", query(engine.KPIQuery{From: "2026-01-01", To: "2026-12-31", Interval: engine.IntervalMonth}))
		measure("kpis-30-days-agent-channel", query(engine.KPIQuery{From: "2026-12-02", To: "2026-12-31", Agents: []string{"agent07"}, Channels: []engine.Channel{engine.ChannelPhone}}))
		nothing := bson.D{{Key: "kpiType", Value: "no-such-type"}}
		count := func(colls ...string) func() error {
			return func() error {
				for _, c := range colls {
					if _, err := s.Database().Collection(c).CountDocuments(ctx, nothing); err != nil {
						return err
					}
				}
				return nil
			}
		}
		measure("baseline-count-same-collections", count("requests", "requestsArchiveKPIs"))
		if n <= 10_000 { // minutes a run at 100,000; it grows with n like the others
			measure("baseline-count-whole-archived-requests", count("requests", "requestsArchive"))
		}
	}
}

// loadRequests stores n requests submitted over 2026, each as the engine
// would have left it, and returns how many are still open at the end of
// the year.
func loadRequests(b *testing.B, s *mongostore.Store, n int) int {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	end := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	var archived []*engine.Request
	open := 0
	flush := func() {
		if err := mongostore.ArchiveMany(ctx, s, archived); err != nil {
			b.Fatal(err)
		}
		archived = archived[:0]
	}
	for i := range n {
		r := genRequest(rng, i, n, end)
		if !r.Closed {
			open++
			if err := s.RequestInsert(ctx, r); err != nil {
				b.Fatal(err)
			}
			continue
		}
		if archived = append(archived, r); len(archived) == 500 {
			flush()
		}
	}
	if len(archived) > 0 {
		flush()
	}
	return open
}

var (
	benchTypes    = []string{"it-support", "complaint", "purchase-request", "inquiry", "order-change"}
	benchChannels = []engine.Channel{engine.ChannelPortal, engine.ChannelPortal, engine.ChannelPhone, engine.ChannelEmail, engine.ChannelAPI, engine.ChannelWalkIn}
	benchGroups   = []string{"it-support", "customer-service", "billing", "delivery", "finance", "procurement"}
)

// genRequest makes request i of n, spread evenly over the year before end:
// owned by one of 20 agents, answered within hours, resolved within days
// (a third referred to another group), most rated; those whose
// resolution falls after end are still open.
func genRequest(rng *rand.Rand, i, n int, end time.Time) *engine.Request {
	created := end.AddDate(-1, 0, 0).Add(time.Duration(float64(365*24*time.Hour) * float64(i) / float64(n))).Truncate(time.Millisecond)
	at := func(d time.Duration) time.Time { return created.Add(d).Truncate(time.Millisecond) }
	typ, channel := benchTypes[rng.IntN(len(benchTypes))], benchChannels[rng.IntN(len(benchChannels))]
	owner, group := fmt.Sprintf("agent%02d", rng.IntN(20)), benchGroups[rng.IntN(len(benchGroups))]
	requester := fmt.Sprintf("user%05d", rng.IntN(20000))
	id := engine.NewTrackingCode()
	ref := engine.FormRef{Key: typ, Version: 1}
	r := &engine.Request{
		ID: id, Form: ref, Type: &ref, Channel: channel, Requester: requester, Status: engine.StatusInProgress, Priority: "normal",
		Data: map[string]any{"subject": "Printer on the third floor does not print", "description": strings.Repeat("It stopped this morning. ", 6),
			"category": "hardware", "urgency": "medium", "amount": int64(rng.IntN(5000))},
		CreatedAt: created, Revision: 1, Owner: owner, OwnerGroup: group,
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
		r.KPI = engine.KPIFactsOf(r)
		return r
	}
	done := at(triageDone)
	triage.Status, triage.CompletedBy, triage.CompletedAt = engine.TaskCompleted, owner, &done
	triage.Outcome = "resolve"
	event(triageDone, "task-completed", engine.Event{Node: "triage", Task: triage.ID, Outcome: triage.Outcome, Actor: owner})
	r.Workflow.Tasks = []engine.Task{triage}
	if referred {
		triage.Outcome = "refer"
		r.Workflow.Tasks[0] = triage
		other := benchGroups[rng.IntN(len(benchGroups))]
		worker := fmt.Sprintf("agent%02d", rng.IntN(20))
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
		r.KPI = engine.KPIFactsOf(r)
		return r
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
	r.Revision = int64(len(r.History))
	r.UpdatedAt = r.History[len(r.History)-1].At
	r.KPI = engine.KPIFactsOf(r)
	return r
}
