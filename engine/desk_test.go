package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
)

// members is a directory of groups for owner picking.
type members map[string][]string

func (m members) Members(_ context.Context, group string) ([]string, error) { return m[group], nil }

// deskSetup publishes an order form and workflow (the owner handles one
// task), a 24/7 UTC calendar, an SLA policy and a request type "order"
// owned by the desk group, and returns the services on a settable clock.
func deskSetup(t *testing.T, policy, requestType string) (*engine.Requests, *engine.Definitions, *clock) {
	t.Helper()
	defs, reqs, _ := services(t)
	orderWorkflow(t, defs, `[{"id": "start", "kind": "start"},
		{"id": "handle", "kind": "task", "assignee": "request.owner", "outcomes": ["done"]},
		{"id": "end", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "handle"}, {"from": "handle", "to": "end", "outcome": "done"}]`)
	publish(t, defs, engine.KindCalendar, "always", json.RawMessage(`{"title": {"en": "24/7"}, "timeZone": "UTC", "always": true}`))
	publish(t, defs, engine.KindCalendar, "office", json.RawMessage(`{"title": {"en": "Office"}, "timeZone": "Europe/London",
		"week": {"monday": ["09:00-17:00"], "tuesday": ["09:00-17:00"]}}`))
	publish(t, defs, engine.KindSLAPolicy, "std", json.RawMessage(policy))
	publish(t, defs, engine.KindRequestType, "order", json.RawMessage(requestType))
	reqs.UseStaff(members{"desk": {"ali", "reza"}})
	c := &clock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	engine.SetClock(reqs, c.Now)
	return reqs, defs, c
}

const stdPolicy = `{"title": {"en": "Standard"}, "calendar": "always",
	"firstResponse": {"target": "1h", "warning": 0.5, "escalations": [{"on": "warning", "notify": ["owner"]}, {"on": "breach", "priority": "high"}]},
	"resolution": {"target": "4h", "escalations": [{"on": "breach", "reassign": "boss", "notify": ["supervisor"]}]}}`

const orderType = `{"title": {"en": "Order"}, "interaction": "order", "form": "order", "sla": {"policy": "std"},
	"owner": {"group": "desk", "pick": "round-robin"}, "reopenDays": 7}`

func goal(t *testing.T, reqs *engine.Requests, r *engine.Request, name string) engine.ClockView {
	t.Helper()
	v, err := reqs.ViewSLA(context.Background(), r)
	if err != nil || v == nil {
		t.Fatalf("SLA view: %v %v", v, err)
	}
	for _, g := range v.Goals {
		if g.Goal == name {
			return g
		}
	}
	t.Fatalf("no goal %s in %+v", name, v.Goals)
	return engine.ClockView{}
}

func wantGoal(t *testing.T, reqs *engine.Requests, r *engine.Request, name, state, elapsed string) {
	t.Helper()
	if g := goal(t, reqs, r, name); g.State != state || g.Elapsed != elapsed {
		t.Errorf("%s: %s after %s, want %s after %s", name, g.State, g.Elapsed, state, elapsed)
	}
}

func get(t *testing.T, reqs *engine.Requests, id string) *engine.Request {
	t.Helper()
	r, err := reqs.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hasEvent(r *engine.Request, typ, detail string) bool {
	return slices.ContainsFunc(r.History, func(e engine.Event) bool { return e.Type == typ && (detail == "" || e.Detail == detail) })
}

// TestClockRules checks each start, pause and stop rule of docs/sla.md on
// stored requests, one by one.
func TestClockRules(t *testing.T) {
	reqs, _, c := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	// Intake: an owner by round robin, who holds the workflow's task; both
	// clocks start when the code is issued; the earliest SLA time (the
	// first response warning at 30m) is the request's due time.
	if r.Owner != "ali" || r.OwnerGroup != "desk" || openTaskAt(t, r, "handle").Assignee != "ali" {
		t.Fatalf("owner %q group %q task %+v", r.Owner, r.OwnerGroup, r.Workflow.Tasks)
	}
	if r.Due == nil || !r.Due.Equal(c.Now().Add(30*time.Minute)) {
		t.Errorf("due %v, want the warning at 09:30", r.Due)
	}
	wantGoal(t, reqs, r, engine.GoalFirstResponse, engine.ClockRunning, "0s")

	// Rule: an internal note does not stop first response.
	c.Add(10 * time.Minute)
	if r, err = reqs.Note(ctx, r.ID, engine.NoteParams{Actor: "reza", Body: "Looked at the stock."}); err != nil {
		t.Fatal(err)
	}
	wantGoal(t, reqs, r, engine.GoalFirstResponse, engine.ClockRunning, "10m0s")

	// Rule: only the owner replies; someone else's reply stops nothing.
	if _, err := reqs.Reply(ctx, r.ID, engine.ReplyParams{Actor: "reza", Body: "Hello"}); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("reply by a non-owner: %v, want ErrNotYours", err)
	}
	// Rule: the owner's first public reply stops first response; asking
	// the requester something pauses resolution.
	c.Add(10 * time.Minute)
	if r, err = reqs.Reply(ctx, r.ID, engine.ReplyParams{Actor: "ali", Body: "Which colour?", Await: true}); err != nil {
		t.Fatal(err)
	}
	if r.Status != engine.StatusAwaitingRequester {
		t.Errorf("status %s after a reply that asks", r.Status)
	}
	// The requester hears of it once: the reply, not also a status change.
	if got := templates(r); !slices.Equal(got, []string{"submitted", "reply"}) {
		t.Errorf("requester notifications %v", got)
	}
	if _, err := reqs.RequesterMessage(ctx, r.ID, engine.RequesterMessageParams{Actor: "reza", Body: "Blue.", Channel: engine.ChannelPortal}); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("someone else writing as the requester: %v", err)
	}
	wantGoal(t, reqs, r, engine.GoalFirstResponse, engine.ClockMet, "20m0s")
	wantGoal(t, reqs, r, engine.GoalResolution, engine.ClockPaused, "20m0s")

	// Rule: while paused nothing counts; the requester's reply ends the
	// pause and restores the status.
	c.Add(3 * time.Hour)
	if r, err = reqs.RequesterMessage(ctx, r.ID, engine.RequesterMessageParams{Actor: "sara", Body: "Blue, please.", Channel: engine.ChannelPortal}); err != nil {
		t.Fatal(err)
	}
	if r.Status != engine.StatusInProgress {
		t.Errorf("status %s after the requester answered", r.Status)
	}
	wantGoal(t, reqs, r, engine.GoalResolution, engine.ClockRunning, "20m0s")
	c.Add(40 * time.Minute)
	wantGoal(t, reqs, r, engine.GoalResolution, engine.ClockRunning, "1h0m0s")

	// Rule: an end stops resolution, met within its target.
	task := openTaskAt(t, r, "handle")
	if r, err = reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Outcome: "done", Actor: "ali"}); err != nil {
		t.Fatal(err)
	}
	if !r.Closed || r.ResolvedAt == nil || !r.ResolvedAt.Equal(c.Now()) {
		t.Fatalf("closed %v resolved at %v", r.Closed, r.ResolvedAt)
	}
	wantGoal(t, reqs, r, engine.GoalResolution, engine.ClockMet, "1h0m0s")

	// Feedback: the requester only, once.
	csat, nps := 4, 9
	if _, err := reqs.Rate(ctx, r.ID, "ali", engine.RateParams{CSAT: &csat}); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("rating by the owner: %v", err)
	}
	bad := 6
	if _, err := reqs.Rate(ctx, r.ID, "sara", engine.RateParams{CSAT: &bad}); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("csat 6: %v", err)
	}
	if r, err = reqs.Rate(ctx, r.ID, "sara", engine.RateParams{CSAT: &csat, NPS: &nps, Comment: "quick"}); err != nil {
		t.Fatal(err)
	}
	if _, err := reqs.Rate(ctx, r.ID, "sara", engine.RateParams{CSAT: &csat}); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("second rating: %v", err)
	}

	// Rule: reopening counts resolution on from where it stopped; the
	// owner stays and gets the work again.
	c.Add(24 * time.Hour)
	if r, err = reqs.Reopen(ctx, r.ID, "sara", "It came in red."); err != nil {
		t.Fatal(err)
	}
	if r.Closed || r.Reopens != 1 || r.Owner != "ali" || openTaskAt(t, r, "handle").Assignee != "ali" {
		t.Fatalf("reopened: closed %v reopens %d owner %s", r.Closed, r.Reopens, r.Owner)
	}
	c.Add(30 * time.Minute)
	wantGoal(t, reqs, r, engine.GoalResolution, engine.ClockRunning, "1h30m0s")
	wantGoal(t, reqs, r, engine.GoalFirstResponse, engine.ClockMet, "20m0s")
	task = openTaskAt(t, r, "handle")
	if r, err = reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Outcome: "done", Actor: "ali"}); err != nil {
		t.Fatal(err)
	}
	// Rated again after the second resolution: allowed once more.
	if _, err := reqs.Rate(ctx, r.ID, "sara", engine.RateParams{CSAT: &csat}); err != nil {
		t.Errorf("rating the second resolution: %v", err)
	}
	// The reopen period runs from the latest resolution.
	c.Add(8 * 24 * time.Hour)
	if _, err := reqs.Reopen(ctx, r.ID, "sara", "Again"); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("reopen after 8 days: %v", err)
	}
	if _, err := reqs.Reopen(ctx, r.ID, "ali", "Again"); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("reopen by the owner: %v", err)
	}
}

// TestWarningsAndBreachesFireOnTime lets time pass with nobody acting and
// checks that the timer poller fires each goal's warning and breach once,
// with their escalations.
func TestWarningsAndBreachesFireOnTime(t *testing.T) {
	reqs, _, c := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara"})
	if err != nil {
		t.Fatal(err)
	}
	fire := func() {
		t.Helper()
		if _, err := reqs.FireTimers(ctx); err != nil {
			t.Fatal(err)
		}
		r = get(t, reqs, r.ID)
	}
	c.Add(29 * time.Minute)
	fire()
	if hasEvent(r, "sla-warning", "") {
		t.Fatal("warned before 30 minutes")
	}
	c.Add(time.Minute)
	fire()
	fire() // a second pass fires nothing more
	if n := countEvents(r, "sla-warning"); n != 1 {
		t.Fatalf("%d first response warnings, want 1: %+v", n, r.History)
	}
	notified := slices.ContainsFunc(r.Outbox, func(o engine.OutboxItem) bool {
		return o.Kind == engine.OutboxNotify && slices.Equal(o.To, []string{"ali"}) && o.Payload["template"] == "sla-warning"
	})
	if !notified {
		t.Errorf("the owner was not notified of the warning: %+v", r.Outbox)
	}
	if r.Due == nil || !r.Due.Equal(c.Now().Add(30*time.Minute)) {
		t.Errorf("due %v, want the breach at 10:00", r.Due)
	}
	c.Add(30 * time.Minute)
	fire()
	if !hasEvent(r, "sla-breached", engine.GoalFirstResponse) || r.Priority != "high" || openTaskAt(t, r, "handle").Priority != "high" {
		t.Errorf("first response breach: priority %s, history %+v", r.Priority, r.History)
	}
	if g := goal(t, reqs, r, engine.GoalFirstResponse); g.State != engine.ClockBreached || g.Left != "0s" {
		t.Errorf("first response %+v", g)
	}
	// A late reply still stops the clock, breached.
	if r, err = reqs.Reply(ctx, r.ID, engine.ReplyParams{Actor: "ali", Body: "Sorry for the wait."}); err != nil {
		t.Fatal(err)
	}
	wantGoal(t, reqs, r, engine.GoalFirstResponse, engine.ClockBreached, "1h0m0s")

	// Resolution breaches at 4h: ownership moves to boss, recorded.
	c.Add(3 * time.Hour)
	fire()
	if r.Owner != "boss" || !slices.ContainsFunc(r.History, func(e engine.Event) bool { return e.Type == "owner-changed" && e.Actor == "sla" && e.To == "boss" }) {
		t.Errorf("owner %s after the resolution breach", r.Owner)
	}
	if r.Due != nil {
		t.Errorf("due %v with nothing left to fire", r.Due)
	}
}

// templates lists the desk's notifications to the requester, in order.
// templates lists the desk's notifications to the requester.
func templates(r *engine.Request) []string {
	var out []string
	for _, o := range r.Outbox {
		if o.Node == "desk" && slices.Contains(o.To, engine.RecipientRequester) {
			out = append(out, o.Payload["template"].(string))
		}
	}
	return out
}

func countEvents(r *engine.Request, typ string) int {
	n := 0
	for _, e := range r.History {
		if e.Type == typ {
			n++
		}
	}
	return n
}

// TestOwnerPicksAndReassignment covers round robin, least loaded, the
// agent who entered the request, and explicit reassignment.
func TestOwnerPicksAndReassignment(t *testing.T) {
	reqs, defs, _ := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	submit := func(p engine.SubmitParams) *engine.Request {
		t.Helper()
		p.Type, p.Data = "order", decode(t, `{}`)
		if p.Requester == "" {
			p.Requester = "sara"
		}
		r, err := reqs.Submit(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	var owners []string
	for range 4 {
		owners = append(owners, submit(engine.SubmitParams{}).Owner)
	}
	if !slices.Equal(owners, []string{"ali", "reza", "ali", "reza"}) {
		t.Errorf("round robin gave %v", owners)
	}
	// Entered by an agent: without enteredBy in the rule, the group still
	// picks; with it, the agent owns it.
	if r := submit(engine.SubmitParams{EnteredBy: "neda", Channel: engine.ChannelPhone}); r.Owner == "neda" || r.EnteredBy != "neda" {
		t.Errorf("owner %s entered by %s", r.Owner, r.EnteredBy)
	}
	publish(t, defs, engine.KindRequestType, "order", json.RawMessage(`{"title": {"en": "Order"}, "interaction": "order", "form": "order",
		"owner": {"enteredBy": true, "group": "desk", "pick": "least-loaded"}}`))
	if r := submit(engine.SubmitParams{EnteredBy: "neda", Channel: engine.ChannelPhone}); r.Owner != "neda" {
		t.Errorf("entered by neda, owned by %s", r.Owner)
	}
	// Least loaded: ali owns 3 open requests, reza 2.
	last := submit(engine.SubmitParams{})
	if last.Owner != "reza" {
		t.Errorf("least loaded picked %s", last.Owner)
	}
	// Reassigning is a supervisor's recorded act.
	if _, err := reqs.SetOwner(ctx, last.ID, "ali", []string{"desk"}, false, "ali", ""); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("an agent taking an owned request: %v", err)
	}
	r, err := reqs.SetOwner(ctx, last.ID, "maryam", nil, true, "ali", "reza is away")
	if err != nil {
		t.Fatal(err)
	}
	e := r.History[len(r.History)-1]
	if r.Owner != "ali" || e.Type != "owner-changed" || e.Actor != "maryam" || e.Detail != "reza is away" || e.Data["from"] != "reza" {
		t.Errorf("owner %s, event %+v", r.Owner, e)
	}
	// An empty group leaves the request unowned in it; a member takes it.
	reqs.UseStaff(members{})
	unowned := submit(engine.SubmitParams{})
	if unowned.Owner != "" || unowned.OwnerGroup != "desk" {
		t.Fatalf("owner %q group %q", unowned.Owner, unowned.OwnerGroup)
	}
	if _, err := reqs.SetOwner(ctx, unowned.ID, "omid", []string{"it"}, false, "omid", ""); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("an outsider taking it: %v", err)
	}
	if r, err := reqs.SetOwner(ctx, unowned.ID, "reza", []string{"desk"}, false, "reza", ""); err != nil || r.Owner != "reza" {
		t.Errorf("a member taking it: %v", err)
	}
}

// TestCatalogAudienceChannelsAndHours checks who sees which request type,
// through which channels, and when.
func TestCatalogAudienceChannelsAndHours(t *testing.T) {
	reqs, _, c := deskSetup(t, stdPolicy, `{"title": {"en": "Order", "fa": "سفارش"}, "interaction": "order", "form": "order",
		"channels": ["portal", "phone", "email"], "audience": {"segments": ["gold"], "roles": ["agent"]},
		"hours": {"phone": "office"}}`)
	ctx := context.Background()
	gold := &engine.Caller{Subject: "sara", Roles: []string{"requester"}, Segment: "gold"}
	silver := &engine.Caller{Subject: "bob", Roles: []string{"requester"}, Segment: "silver"}
	agent := &engine.Caller{Subject: "reza", Roles: []string{"agent"}}

	// Monday 2026-11-23 08:00 London: the phone line opens at 09:00.
	c.now = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	items, err := reqs.Catalog(ctx, gold, nil)
	if err != nil || len(items) != 1 {
		t.Fatalf("gold sees %+v, %v", items, err)
	}
	var channels []string
	for _, h := range items[0].Channels {
		channels = append(channels, string(h.Channel))
		if h.Channel == engine.ChannelPhone && (h.Open || h.OpensAt == nil || !h.OpensAt.Equal(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))) {
			t.Errorf("phone at 08:00: %+v", h)
		}
		if h.Channel == engine.ChannelPortal && !h.Open {
			t.Errorf("portal closed: %+v", h)
		}
	}
	if !slices.Equal(channels, []string{"portal", "email", "phone"}) {
		t.Errorf("channels %v", channels)
	}
	if items, _ := reqs.Catalog(ctx, silver, nil); len(items) != 0 {
		t.Errorf("silver sees %+v", items)
	}
	if items, _ := reqs.Catalog(ctx, agent, []engine.Channel{engine.ChannelAPI}); len(items) != 0 {
		t.Errorf("the api channel lists %+v", items)
	}
	submit := func(caller *engine.Caller, ch engine.Channel) error {
		_, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: caller.Subject, Caller: caller, Channel: ch})
		return err
	}
	if err := submit(silver, engine.ChannelPortal); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("silver submits: %v", err)
	}
	if err := submit(gold, engine.ChannelAPI); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("through a channel the type does not take: %v", err)
	}
	if err := submit(gold, engine.ChannelPhone); !errors.Is(err, engine.ErrClosed) {
		t.Errorf("phone before hours: %v", err)
	}
	if err := submit(gold, engine.ChannelEmail); err != nil {
		t.Errorf("mail before hours is still accepted: %v", err)
	}
	c.now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	if err := submit(gold, engine.ChannelPhone); err != nil {
		t.Errorf("phone in hours: %v", err)
	}
	// A form that a request type wraps is submitted under that type's rules.
	if _, err := reqs.Submit(ctx, engine.SubmitParams{Form: "order", Data: decode(t, `{}`), Requester: "bob", Caller: silver, Channel: engine.ChannelPortal}); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("the form under its type's audience: %v", err)
	}
}

// TestRequestTypesRefuseBrokenReferences: publishing checks every name.
func TestRequestTypesRefuseBrokenReferences(t *testing.T) {
	_, defs, _ := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	cases := map[string]string{
		`{"title": {"en": "X"}, "interaction": "order", "form": "nope"}`:                                                  "/form",
		`{"title": {"en": "X"}, "interaction": "chat", "form": "order"}`:                                                  "/interaction",
		`{"title": {"en": "X"}, "interaction": "order", "form": "order", "sla": {"policy": "gold"}}`:                      "/sla/policy",
		`{"title": {"en": "X"}, "interaction": "order", "form": "order", "channels": ["fax"]}`:                            "/channels/0",
		`{"title": {"en": "X"}, "interaction": "order", "form": "order", "hours": {"phone": "nights"}}`:                   "/hours/phone",
		`{"title": {"en": "X"}, "interaction": "order", "form": "order", "owner": {"pick": "random"}}`:                    "/owner/pick",
		`{"title": {"en": "X"}, "interaction": "order", "form": "order", "reopenDays": -1}`:                               "/reopenDays",
		`{"title": {"en": "X"}, "calendar": "always", "resolution": {"target": "soon"}}`:                                  "/resolution/target",
		`{"title": {"en": "X"}, "calendar": "always", "resolution": {"target": "1h", "warning": 1}}`:                      "/resolution/warning",
		`{"title": {"en": "X"}, "calendar": "nope", "resolution": {"target": "1h"}}`:                                      "/calendar",
		`{"title": {"en": "X"}, "calendar": "always", "resolution": {"target": "1h", "escalations": [{"on": "breach"}]}}`: "/resolution/escalations/0",
	}
	for body, pointer := range cases {
		kind := engine.KindRequestType
		if slices.Contains([]string{"/resolution/target", "/resolution/warning", "/calendar", "/resolution/escalations/0"}, pointer) {
			kind = engine.KindSLAPolicy
		}
		if _, _, err := defs.SaveDraft(ctx, kind, "broken", json.RawMessage(body), 0); err != nil {
			t.Fatal(err)
		}
		_, err := defs.Publish(ctx, kind, "broken")
		if err == nil || !containsPointer(err, pointer) {
			t.Errorf("%s: %v, want a problem at %s", body, err, pointer)
		}
	}
}

func containsPointer(err error, pointer string) bool {
	var de *forms.DefinitionError
	return errors.As(err, &de) && slices.ContainsFunc(de.Problems, func(p forms.FieldError) bool { return p.Pointer == pointer })
}

// TestCustomersAreFoundByTheirContacts: one profile per person, however
// their phone number is written.
func TestCustomersAreFoundByTheirContacts(t *testing.T) {
	_, reqs, _ := services(t)
	ctx := context.Background()
	a, err := reqs.IntakeCustomer(ctx, engine.CustomerDetails{Name: "Parisa", Phone: "+98 912 345-6789"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := reqs.IntakeCustomer(ctx, engine.CustomerDetails{Phone: "+۹۸۹۱۲۳۴۵۶۷۸۹", Email: "Parisa@Example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != b.ID || b.Email != "parisa@example.com" || b.Name != "Parisa" {
		t.Errorf("second intake %+v, first %+v", b, a)
	}
	c, err := reqs.IntakeCustomer(ctx, engine.CustomerDetails{Email: "parisa@example.com"})
	if err != nil || c.ID != a.ID {
		t.Errorf("by email: %+v %v", c, err)
	}
	if d, err := reqs.IntakeCustomer(ctx, engine.CustomerDetails{Phone: "0098 912 345 6789"}); err != nil || d.ID != a.ID {
		t.Errorf("by the number dialled with 00: %+v %v", d, err)
	}
	for _, d := range []engine.CustomerDetails{{}, {Email: "not an address"}, {Phone: "12"}, {Phone: "call me"}} {
		if _, err := reqs.IntakeCustomer(ctx, d); !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("%+v: %v", d, err)
		}
	}
}

// TestOwnersLoadIsCounted: least-loaded picking reads each owner's count
// of open requests, kept on every write (intake, reassignment, closing)
// and set right again by the recount after a count went wrong.
func TestOwnersLoadIsCounted(t *testing.T) {
	reqs, _, _ := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	store := engine.StoreOf(reqs)
	load := func(owner string) int {
		t.Helper()
		n, err := store.OwnedOpen(ctx, owner)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	var ids []string
	for range 3 {
		r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if load("ali") != 2 || load("reza") != 1 {
		t.Fatalf("after intake (round robin): ali %d, reza %d", load("ali"), load("reza"))
	}
	r := get(t, reqs, ids[0])
	if _, err := reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: openTaskAt(t, r, "handle").ID, Actor: "ali", Outcome: "done"}); err != nil {
		t.Fatal(err)
	}
	if _, err := reqs.SetOwner(ctx, ids[1], "boss", nil, true, "ali", "reza is away"); err != nil {
		t.Fatal(err)
	}
	if load("ali") != 2 || load("reza") != 0 {
		t.Errorf("after closing one and a reassignment: ali %d, reza %d", load("ali"), load("reza"))
	}
	// As a crash between a write and its count might leave them.
	if err := store.LoadAdd(ctx, "ali", 5); err != nil {
		t.Fatal(err)
	}
	if err := store.LoadAdd(ctx, "reza", 2); err != nil {
		t.Fatal(err)
	}
	if err := store.LoadRecount(ctx); err != nil {
		t.Fatal(err)
	}
	if load("ali") != 2 || load("reza") != 0 {
		t.Errorf("after the recount: ali %d, reza %d", load("ali"), load("reza"))
	}
}
