package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
)

// kpiDesk is the desk the KPI tests run: requests of type "order" owned
// by the desk group (ali and reza in turn), a triage task for the owner
// that resolves them or refers them to the billing group, 24/7 SLA goals
// of 1h (first response) and 4h (resolution) without escalations.
func kpiDesk(t *testing.T) (*engine.Requests, *clock) {
	t.Helper()
	defs, reqs, _ := services(t)
	orderWorkflow(t, defs, `[{"id": "start", "kind": "start"},
		{"id": "triage", "kind": "task", "assignee": "request.owner", "outcomes": ["resolve", "refer"]},
		{"id": "billing", "kind": "task", "groups": ["billing"], "outcomes": ["done"]},
		{"id": "end", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "triage"}, {"from": "triage", "to": "end", "outcome": "resolve"},
		{"from": "triage", "to": "billing", "outcome": "refer"}, {"from": "billing", "to": "end", "outcome": "done"}]`)
	publish(t, defs, engine.KindCalendar, "always", json.RawMessage(`{"title": {"en": "24/7"}, "timeZone": "UTC", "always": true}`))
	publish(t, defs, engine.KindSLAPolicy, "quick", json.RawMessage(`{"title": {"en": "Quick"}, "calendar": "always",
		"firstResponse": {"target": "1h"}, "resolution": {"target": "4h"}}`))
	publish(t, defs, engine.KindRequestType, "order", json.RawMessage(`{"title": {"en": "Order"}, "interaction": "order", "form": "order",
		"sla": {"policy": "quick"}, "owner": {"group": "desk", "pick": "round-robin"}, "reopenDays": 7}`))
	reqs.UseStaff(members{"desk": {"ali", "reza"}})
	c := &clock{}
	engine.SetClock(reqs, c.Now)
	return reqs, c
}

// kpiStory drives the dataset docs/kpis.md's figures are checked against.
type kpiStory struct {
	t    *testing.T
	reqs *engine.Requests
	c    *clock
}

func (s *kpiStory) at(day, hhmm string) {
	s.t.Helper()
	at, err := time.Parse("2006-01-02 15:04", day+" "+hhmm)
	if err != nil {
		s.t.Fatal(err)
	}
	s.c.mu.Lock()
	s.c.now = at
	s.c.mu.Unlock()
}

func (s *kpiStory) submit(channel engine.Channel, owner string) string {
	s.t.Helper()
	r, err := s.reqs.Submit(context.Background(), engine.SubmitParams{Type: "order", Data: decode(s.t, `{}`), Requester: "sara", Channel: channel})
	if err != nil {
		s.t.Fatal(err)
	}
	if r.Owner != owner {
		s.t.Fatalf("request %s is owned by %s, the story needs %s", r.ID, r.Owner, owner)
	}
	return r.ID
}

func (s *kpiStory) do(id, node, outcome, actor string, groups ...string) {
	s.t.Helper()
	r := get(s.t, s.reqs, id)
	task := openTaskAt(s.t, r, node)
	if _, err := s.reqs.Apply(context.Background(), id, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Outcome: outcome, Actor: actor, ActorGroups: groups}); err != nil {
		s.t.Fatal(err)
	}
}

func (s *kpiStory) must(_ *engine.Request, err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
}

// fire fires the timers that fell due.
func (s *kpiStory) fire() {
	s.t.Helper()
	if _, err := s.reqs.FireTimers(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

// sendAll lets the dispatcher skip every queued notification, after which
// closed requests move to the archive.
func (s *kpiStory) sendAll() {
	s.t.Helper()
	if _, err := (&engine.Dispatcher{Requests: s.reqs}).Dispatch(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

func ptr(x float64) *float64 { return &x }

func kpis(t *testing.T, reqs *engine.Requests, q engine.KPIQuery) *engine.KPIReport {
	t.Helper()
	rep, err := reqs.KPIs(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func wantFigures(t *testing.T, what string, got, want engine.KPIFigures) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// TestKPIsMatchHandComputedFigures runs eight requests through the desk
// (before, in and after a three-day period; resolved at first contact,
// referred, asked back and reopened, rated, breached, left open; some in
// the archive, one moved back from it) and checks every KPI of the period,
// its daily series, filters and coarser series against figures worked out
// by hand from the story below.
func TestKPIsMatchHandComputedFigures(t *testing.T) {
	reqs, c := kpiDesk(t)
	s := &kpiStory{t: t, reqs: reqs, c: c}
	ctx := context.Background()
	five, ten, three, seven := 5, 10, 3, 7

	// r7: submitted and resolved before the period: counts nowhere in it.
	s.at("2026-10-28", "09:00")
	r7 := s.submit(engine.ChannelPortal, "ali")
	s.at("2026-10-29", "09:00")
	s.do(r7, "triage", "resolve", "ali")
	// r5: submitted before the period (a reply at once, so first response
	// and its goal fall before it too), resolved in it at first contact,
	// late: 71h open, 71h held by its owner, resolution goal missed on
	// 2026-10-30 (before the period).
	s.at("2026-10-30", "09:00")
	r5 := s.submit(engine.ChannelPortal, "reza")
	s.at("2026-10-30", "09:30")
	s.must(reqs.Reply(ctx, r5, engine.ReplyParams{Actor: "reza", Body: "Looking into it.", Await: false}))
	// The timer poller marks r5's resolution goal missed (due at 13:00).
	// r6: submitted before the period and never handled: open throughout.
	s.at("2026-10-31", "10:00")
	s.fire()
	s.submit(engine.ChannelPortal, "ali")
	s.at("2026-11-02", "08:00")
	s.do(r5, "triage", "resolve", "reza")

	// 2026-11-02. r1: a reply after 10 minutes, resolved at first contact
	// after 1h, rated CSAT 5 and NPS 10.
	s.at("2026-11-02", "09:00")
	r1 := s.submit(engine.ChannelPortal, "reza")
	s.at("2026-11-02", "09:10")
	s.must(reqs.Reply(ctx, r1, engine.ReplyParams{Actor: "reza", Body: "Done shortly.", Await: false}))
	s.at("2026-11-02", "10:00")
	s.do(r1, "triage", "resolve", "reza")
	s.at("2026-11-02", "10:30")
	s.must(reqs.Rate(ctx, r1, "sara", engine.RateParams{CSAT: &five, NPS: &ten}))
	// r2 (by phone): no reply; its owner holds triage 90 minutes and refers
	// it to billing at 11:00, past the first response target (missed at
	// 10:30); maryam claims it next morning (the resolution goal was
	// missed at 13:30 the day before) and resolves it after 45 minutes.
	// The resolution is its first response: 24h15m.
	s.at("2026-11-02", "09:30")
	r2 := s.submit(engine.ChannelPhone, "ali")
	s.at("2026-11-02", "11:00")
	s.do(r2, "triage", "refer", "ali")
	s.sendAll() // r7, r5 and r1 move to the archive

	s.at("2026-11-03", "09:00")
	billing := openTaskAt(t, get(t, reqs, r2), "billing")
	s.must(reqs.Apply(ctx, r2, engine.Signal{Kind: engine.SignalClaim, Task: billing.ID, Actor: "maryam", ActorGroups: []string{"billing"}}))
	s.at("2026-11-03", "09:45")
	s.do(r2, "billing", "done", "maryam", "billing")
	// 2026-11-03. r3: the owner asks something after 20 minutes (first
	// response met), the requester answers, resolved at 11:30 (50 minutes
	// of the resolution clock), archived, rated CSAT 3 and NPS 7 (moved
	// back and archived again), reopened the next day and resolved again
	// an hour later: 2h30m open, resolution goal met on 2026-11-04.
	s.at("2026-11-03", "10:00")
	r3 := s.submit(engine.ChannelPortal, "reza")
	s.at("2026-11-03", "10:20")
	s.must(reqs.Reply(ctx, r3, engine.ReplyParams{Actor: "reza", Body: "Which colour?", Await: true}))
	s.at("2026-11-03", "11:00")
	s.must(reqs.RequesterMessage(ctx, r3, engine.RequesterMessageParams{Actor: "sara", Body: "Blue.", Channel: engine.ChannelPortal}))
	s.at("2026-11-03", "11:30")
	s.do(r3, "triage", "resolve", "reza")
	s.sendAll()
	s.at("2026-11-03", "12:00")
	s.must(reqs.Rate(ctx, r3, "sara", engine.RateParams{CSAT: &three, NPS: &seven}))
	if !get(t, reqs, r3).Archived {
		t.Fatal("r3 was not archived again after its rating")
	}
	// r8 (chat): open, never handled; both goals missed that day.
	s.at("2026-11-03", "15:00")
	s.submit(engine.ChannelChat, "ali")

	// 2026-11-04. r3 reopened: it is open again, in the working
	// collection, and counted once.
	s.at("2026-11-04", "09:00")
	s.must(reqs.Reopen(ctx, r3, "sara", "It came in red."))
	if get(t, reqs, r3).Archived {
		t.Fatal("the reopened r3 is still read from the archive")
	}
	mid := kpis(t, reqs, engine.KPIQuery{From: "2026-11-03", To: "2026-11-04"})
	if mid.Totals.Volume != 2 || mid.Totals.Resolved != 1 || mid.Totals.Backlog != 3 {
		t.Errorf("with r3 reopened: volume %d resolved %d backlog %d, want 2, 1 (r2) and 3 (r6, r3, r8)", mid.Totals.Volume, mid.Totals.Resolved, mid.Totals.Backlog)
	}
	s.at("2026-11-04", "10:00")
	s.do(r3, "triage", "resolve", "reza")
	// r4 (api): open, never handled; both goals missed that day.
	s.at("2026-11-04", "12:00")
	s.submit(engine.ChannelAPI, "reza")

	// After the period: a request that must count nowhere in it, the
	// timers (missing r8's and r4's goals), the outbox (archiving r2, r3).
	s.at("2026-11-05", "08:00")
	s.submit(engine.ChannelPortal, "ali")
	s.at("2026-11-05", "12:00")
	s.fire()
	s.sendAll()
	for _, id := range []string{r7, r5, r1, r2, r3} {
		if !get(t, reqs, id).Archived {
			t.Fatalf("%s is not archived: the story means to count archived requests", id)
		}
	}

	const h = 3600.0
	nov2 := engine.KPIFigures{
		Volume: 2, Backlog: 2, Resolved: 2, // r1, r2; open: r6, r2; resolved: r5, r1
		FirstResponses: 1, FirstResponseSeconds: ptr(600), // r1
		ResolutionSeconds: ptr((71*h + 1*h) / 2), // r5, r1
		SLAMet:            2, SLAMissed: 2, SLACompliance: ptr(50),
		SLAFirstResponseMet: 1, SLAFirstResponseMissed: 1, SLAFirstResponseCompliance: ptr(50), // r1; r2
		SLAResolutionMet: 1, SLAResolutionMissed: 1, SLAResolutionCompliance: ptr(50), // r1; r2
		FCR: 2, FCRRate: ptr(100), Reopened: 0, ReopenRate: ptr(0),
		TasksHandled: 3, AHTSeconds: ptr((71*h + 1*h + 1.5*h) / 3), // r5, r1, r2 triage
		CSATRatings: 1, CSAT: ptr(5), CSATSatisfied: ptr(100),
		NPSRatings: 1, NPS: ptr(100),
	}
	nov3 := engine.KPIFigures{
		Volume: 2, Backlog: 3, Resolved: 1, // r3, r8; open: r6, r3, r8; resolved: r2
		FirstResponses: 2, FirstResponseSeconds: ptr((24.25*h + 1200) / 2), // r2, r3
		ResolutionSeconds: ptr(24.25 * h), // r2
		SLAMet:            1, SLAMissed: 2, SLACompliance: ptr(33.33),
		SLAFirstResponseMet: 1, SLAFirstResponseMissed: 1, SLAFirstResponseCompliance: ptr(50), // r3; r8
		SLAResolutionMet: 0, SLAResolutionMissed: 1, SLAResolutionCompliance: ptr(0), // r8
		FCR: 0, FCRRate: ptr(0), Reopened: 0, ReopenRate: ptr(0),
		TasksHandled: 2, AHTSeconds: ptr((0.75*h + 1.5*h) / 2), // r2 billing, r3 triage
		CSATRatings: 1, CSAT: ptr(3), CSATSatisfied: ptr(0),
		NPSRatings: 1, NPS: ptr(0),
	}
	nov4 := engine.KPIFigures{
		Volume: 1, Backlog: 3, Resolved: 1, // r4; open: r6, r8, r4; resolved: r3
		FirstResponses: 0, ResolutionSeconds: ptr(2.5 * h), // r3
		SLAMet: 1, SLAMissed: 2, SLACompliance: ptr(33.33),
		SLAFirstResponseMet: 0, SLAFirstResponseMissed: 1, SLAFirstResponseCompliance: ptr(0), // r4
		SLAResolutionMet: 1, SLAResolutionMissed: 1, SLAResolutionCompliance: ptr(50), // r3; r4
		FCR: 0, FCRRate: ptr(0), Reopened: 1, ReopenRate: ptr(100),
		TasksHandled: 1, AHTSeconds: ptr(h), // r3's second triage
	}
	total := engine.KPIFigures{
		Volume: 5, Backlog: 3, Resolved: 4,
		FirstResponses: 3, FirstResponseSeconds: ptr((600 + 24.25*h + 1200) / 3),
		ResolutionSeconds: ptr((71*h + 1*h + 24.25*h + 2.5*h) / 4),
		SLAMet:            4, SLAMissed: 6, SLACompliance: ptr(40),
		SLAFirstResponseMet: 2, SLAFirstResponseMissed: 3, SLAFirstResponseCompliance: ptr(40),
		SLAResolutionMet: 2, SLAResolutionMissed: 3, SLAResolutionCompliance: ptr(40),
		FCR: 2, FCRRate: ptr(50), Reopened: 1, ReopenRate: ptr(25),
		TasksHandled: 6, AHTSeconds: ptr((71*h + 1*h + 1.5*h + 0.75*h + 1.5*h + 1*h) / 6),
		CSATRatings: 2, CSAT: ptr(4), CSATSatisfied: ptr(50),
		NPSRatings: 2, NPS: ptr(50),
	}
	rep := kpis(t, reqs, engine.KPIQuery{From: "2026-11-02", To: "2026-11-04"})
	if rep.Interval != engine.IntervalDay || rep.TimeZone != "UTC" || len(rep.Series) != 3 {
		t.Fatalf("report %+v", rep)
	}
	wantFigures(t, "totals", rep.Totals, total)
	for i, want := range []engine.KPIFigures{nov2, nov3, nov4} {
		b := rep.Series[i]
		day := []string{"2026-11-02", "2026-11-03", "2026-11-04"}[i]
		if b.Bucket != day || b.Start != day || b.End != day {
			t.Errorf("bucket %d is %s %s..%s", i, b.Bucket, b.Start, b.End)
		}
		wantFigures(t, day, b.KPIFigures, want)
	}

	// Filters.
	for _, f := range []struct {
		name                      string
		q                         engine.KPIQuery
		volume, resolved, backlog int64
		fcr                       int64
		aht                       *float64
	}{
		{"channel phone", engine.KPIQuery{Channels: []engine.Channel{engine.ChannelPhone}}, 1, 1, 0, 0, ptr((1.5*h + 0.75*h) / 2)},
		{"channels chat and api", engine.KPIQuery{Channels: []engine.Channel{engine.ChannelChat, engine.ChannelAPI}}, 2, 0, 2, 0, nil},
		{"agent maryam (completed a task)", engine.KPIQuery{Agents: []string{"maryam"}}, 1, 1, 0, 0, ptr((1.5*h + 0.75*h) / 2)},
		{"agent reza (owner)", engine.KPIQuery{Agents: []string{"reza"}}, 3, 3, 1, 2, ptr((71*h + 1*h + 1.5*h + 1*h) / 4)},
		{"department billing (referred)", engine.KPIQuery{Departments: []string{"billing"}}, 1, 1, 0, 0, ptr((1.5*h + 0.75*h) / 2)},
		{"department desk (owner group)", engine.KPIQuery{Departments: []string{"desk"}}, 5, 4, 3, 2, total.AHTSeconds},
		{"type order", engine.KPIQuery{Types: []string{"order"}}, 5, 4, 3, 2, total.AHTSeconds},
		{"type of nothing", engine.KPIQuery{Types: []string{"refund"}}, 0, 0, 0, 0, nil},
	} {
		f.q.From, f.q.To = "2026-11-02", "2026-11-04"
		got := kpis(t, reqs, f.q).Totals
		if got.Volume != f.volume || got.Resolved != f.resolved || got.Backlog != f.backlog || got.FCR != f.fcr || !sameFloat(got.AHTSeconds, f.aht) {
			t.Errorf("%s: volume %d resolved %d backlog %d fcr %d aht %v, want %d %d %d %d %v", f.name,
				got.Volume, got.Resolved, got.Backlog, got.FCR, deref(got.AHTSeconds), f.volume, f.resolved, f.backlog, f.fcr, deref(f.aht))
		}
	}

	// Coarser series: ISO weeks (2026-W44 is Oct 26 - Nov 1) and months.
	weeks := kpis(t, reqs, engine.KPIQuery{From: "2026-10-26", To: "2026-11-08", Interval: engine.IntervalWeek})
	months := kpis(t, reqs, engine.KPIQuery{From: "2026-10-01", To: "2026-11-30", Interval: engine.IntervalMonth})
	for _, c := range []struct {
		rep                                     *engine.KPIReport
		i                                       int
		bucket, start, end                      string
		volume, resolved, backlog, firstReplies int64
	}{
		{weeks, 0, "2026-W44", "2026-10-26", "2026-11-01", 3, 1, 2, 2}, // r7, r5, r6; r7; r7's end, r5's reply
		{weeks, 1, "2026-W45", "2026-11-02", "2026-11-08", 6, 4, 4, 3}, // and the one of 2026-11-05
		{months, 0, "2026-10", "2026-10-01", "2026-10-31", 3, 1, 2, 2},
		{months, 1, "2026-11", "2026-11-01", "2026-11-30", 6, 4, 4, 3},
	} {
		if c.i >= len(c.rep.Series) {
			t.Fatalf("%s: %d buckets", c.bucket, len(c.rep.Series))
		}
		b := c.rep.Series[c.i]
		if b.Bucket != c.bucket || b.Start != c.start || b.End != c.end || b.Volume != c.volume || b.Resolved != c.resolved || b.Backlog != c.backlog || b.FirstResponses != c.firstReplies {
			t.Errorf("%s: %s %s..%s volume %d resolved %d backlog %d first responses %d, want %s %s..%s %d %d %d %d", c.bucket,
				b.Bucket, b.Start, b.End, b.Volume, b.Resolved, b.Backlog, b.FirstResponses, c.bucket, c.start, c.end, c.volume, c.resolved, c.backlog, c.firstReplies)
		}
	}
}

func sameFloat(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// TestKPIQueriesRefuseBadParameters: every bad parameter is named.
func TestKPIQueriesRefuseBadParameters(t *testing.T) {
	reqs, c := kpiDesk(t)
	c.now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		q        engine.KPIQuery
		pointers []string
	}{
		{engine.KPIQuery{From: "2026-13-01"}, []string{"/from"}},
		{engine.KPIQuery{From: "2026-11-05", To: "2026-11-04"}, []string{"/to"}},
		{engine.KPIQuery{From: "2020-01-01", To: "2026-11-04", Interval: engine.IntervalMonth}, []string{"/to"}},
		{engine.KPIQuery{From: "2025-01-01", To: "2026-11-04"}, []string{"/to"}},
		{engine.KPIQuery{Interval: "hour", Channels: []engine.Channel{"fax"}, Types: []string{"Order!"}, Agents: []string{"x"}, Departments: []string{"it"}}, []string{"/interval", "/type", "/agent", "/channel"}},
	} {
		_, err := reqs.KPIs(context.Background(), tc.q)
		var pe *engine.ParamsError
		if !errors.As(err, &pe) || !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("%+v: %v, want a ParamsError", tc.q, err)
			continue
		}
		var got []string
		for _, p := range pe.Problems {
			got = append(got, p.Pointer)
		}
		if len(got) != len(tc.pointers) {
			t.Errorf("%+v: problems at %v, want %v", tc.q, got, tc.pointers)
			continue
		}
		for i := range got {
			if got[i] != tc.pointers[i] {
				t.Errorf("%+v: problems at %v, want %v", tc.q, got, tc.pointers)
			}
		}
	}
	// The defaults: the 30 days up to today, day by day.
	rep := kpis(t, reqs, engine.KPIQuery{})
	if rep.From != "2026-10-25" || rep.To != "2026-11-23" || rep.Interval != engine.IntervalDay || len(rep.Series) != 30 {
		t.Errorf("defaults: %s..%s by %s, %d buckets", rep.From, rep.To, rep.Interval, len(rep.Series))
	}
}

// TestKPIsFollowAReopeningInTheWorkingCollection: a request resolved and
// reopened before it was archived is open again for the KPIs (the write
// that reopens it must clear its resolution day, not leave it behind).
func TestKPIsFollowAReopeningInTheWorkingCollection(t *testing.T) {
	reqs, c := kpiDesk(t)
	s := &kpiStory{t: t, reqs: reqs, c: c}
	s.at("2026-11-02", "09:00")
	id := s.submit(engine.ChannelPortal, "ali")
	s.at("2026-11-02", "10:00")
	s.do(id, "triage", "resolve", "ali")
	s.at("2026-11-03", "09:00")
	s.must(reqs.Reopen(context.Background(), id, "sara", "Not fixed."))
	if get(t, reqs, id).Archived {
		t.Fatal("the story needs the request in the working collection")
	}
	rep := kpis(t, reqs, engine.KPIQuery{From: "2026-11-04", To: "2026-11-04"})
	if rep.Totals.Backlog != 1 {
		t.Errorf("backlog %d, want 1: the reopened request", rep.Totals.Backlog)
	}
}

// TestKPIFactsOfOneRequest checks the rules that derive one request's
// facts where the story above does not reach them: how long each task was
// held, and first contact for a request nobody owned at intake.
func TestKPIFactsOfOneRequest(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	done := func(m int) *time.Time { x := at(m); return &x }
	task := func(id, by string, end int) engine.Task {
		return engine.Task{ID: id, Kind: engine.TaskWork, Status: engine.TaskCompleted, CompletedBy: by, CompletedAt: done(end), CreatedAt: t0}
	}
	ev := func(m int, typ, id, to string) engine.Event {
		return engine.Event{At: at(m), Type: typ, Task: id, To: to, Actor: to}
	}
	req := &engine.Request{ID: "R", CreatedAt: t0, Form: engine.FormRef{Key: "order"}, Channel: engine.ChannelPortal, Closed: true, ResolvedAt: done(100), Owner: "ali",
		Workflow: &engine.Instance{Tasks: []engine.Task{
			task("claimed", "ali", 30),    // in a queue, claimed at 10: held 20
			task("reclaimed", "ali", 60),  // claimed at 10, unclaimed at 20, claimed at 40: held 20
			task("assigned", "ali", 15),   // assigned at creation: held 15
			task("reassigned", "ali", 50), // assigned to reza, reassigned to ali at 45: held 5
			task("to-group", "ali", 70),   // assigned to ali, reassigned to a group at 30, done from the queue: not held
			task("delegated", "ali", 90),  // assigned to reza, delegated to ali at 80: held 10
			task("from-queue", "ali", 95), // done straight from its queue: not held
			{ID: "resubmit", Kind: engine.TaskResubmit, Status: engine.TaskCompleted, CompletedBy: "sara", CompletedAt: done(99)},
		}},
		History: []engine.Event{
			{At: t0, Type: "owner-changed", Actor: "ali", To: "ali", Data: map[string]any{"from": ""}}, // took it unowned
			ev(0, "task-created", "claimed", "group:desk"), ev(10, "task-claimed", "claimed", "ali"),
			ev(0, "task-created", "reclaimed", "group:desk"), ev(10, "task-claimed", "reclaimed", "ali"),
			ev(20, "task-unclaimed", "reclaimed", "ali"), ev(40, "task-claimed", "reclaimed", "ali"),
			ev(0, "task-created", "assigned", "ali"),
			ev(0, "task-created", "reassigned", "reza"), ev(45, "task-reassigned", "reassigned", "ali"),
			ev(0, "task-created", "to-group", "ali"), ev(30, "task-reassigned", "to-group", "group:desk"),
			ev(0, "approval-requested", "delegated", "reza"), ev(80, "task-delegated", "delegated", "ali"),
			ev(0, "task-created", "from-queue", "group:desk"),
			{At: at(100), Type: "ended"},
		},
	}
	f := engine.KPIFactsOf(req)
	if len(f.Days) != 1 {
		t.Fatalf("days %+v", f.Days)
	}
	d := f.Days[0]
	if d.Tasks != 5 || d.HandleMs != (20+20+15+5+10)*60000 {
		t.Errorf("%d tasks held %d ms, want 5 held 70 minutes", d.Tasks, d.HandleMs)
	}
	// Resubmitted by the requester: not first contact, though ali took it
	// unowned and did everything else.
	if d.FCR != 0 || d.FirstResponses != 1 || d.FirstResponseMs != 100*60000 || d.ResolutionMs != 100*60000 {
		t.Errorf("day %+v", d)
	}
	req.Workflow.Tasks = req.Workflow.Tasks[:7]
	if d := engine.KPIFactsOf(req).Days[0]; d.FCR != 1 {
		t.Errorf("taking an unowned request and resolving it alone is first contact: %+v", d)
	}
	req.History = append(req.History, engine.Event{At: at(50), Type: "owner-changed", To: "reza", Data: map[string]any{"from": "ali"}})
	if f := engine.KPIFactsOf(req); f.Days[0].FCR != 0 || !slices.Equal(f.Agents, []string{"ali"}) {
		t.Errorf("after a reassignment: %+v", f)
	}
}
