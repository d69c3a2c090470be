package engine_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// directory is a staff directory: groups, people and supervisors.
type directory struct {
	members
	people      map[string]engine.Person
	supervisors map[string]string
}

func (d directory) Person(_ context.Context, u string) (*engine.Person, error) {
	p, ok := d.people[u]
	if !ok {
		return nil, fmt.Errorf("user %q: %w", u, engine.ErrNotFound)
	}
	return &p, nil
}

func (d directory) Supervisor(_ context.Context, g string) (string, error) {
	return d.supervisors[g], nil
}

// outbox records what the notifier hands to the mail server (the SMTP
// path itself is tested over loopback in cmd/pishkhan).
type outbox struct {
	mu   sync.Mutex
	sent []*engine.Mail
}

func (o *outbox) Send(_ context.Context, m *engine.Mail) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, m)
	return nil
}

// to lists "address: subject" of the mail sent so far, sorted.
func (o *outbox) to() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, m := range o.sent {
		out = append(out, m.To+": "+m.Subject)
	}
	sort.Strings(out)
	return out
}

var staff = directory{
	members: members{"desk": {"ali", "reza"}},
	people: map[string]engine.Person{
		"sara": {Username: "sara", Name: "Sara", Email: "sara@example.com"},
		"ali":  {Username: "ali", Email: "ali@example.com"},
		"reza": {Username: "reza", Email: "reza@example.com", Language: "fa"},
		"boss": {Username: "boss", Email: "boss@example.com"},
		"mary": {Username: "mary", Email: "mary@example.com"},
	},
	supervisors: map[string]string{"desk": "mary"},
}

// TestNotificationsReachEachRecipient: the requester (in-app and mail, in
// their language), the owner on intake, the supervisor and the reassigned
// owner on an SLA breach, a group's members from a workflow action, each
// once per item and in their own language; a retried delivery does not
// double an in-app notification; nobody reachable makes the item skipped.
func TestNotificationsReachEachRecipient(t *testing.T) {
	reqs, _, c := deskSetup(t, stdPolicy, orderType)
	reqs.UseStaff(staff)
	ctx := context.Background()
	mail := &outbox{}
	n := &engine.Notifier{Requests: reqs, Directory: staff, Mailer: mail, BaseURL: "https://desk.example"}
	d := &engine.Dispatcher{Requests: reqs, Notify: n}
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal, Language: "fa"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ali@example.com: [#" + r.ID + "] You now own: Order",
		"sara@example.com: [#" + r.ID + "] درخواست شما ثبت شد: Order",
	}
	if got := mail.to(); !slices.Equal(got, want) {
		t.Errorf("mail on intake:\n got %q\nwant %q", got, want)
	}
	inbox, err := reqs.Notifications(ctx, "sara", false, 10)
	if err != nil || len(inbox) != 1 || inbox[0].Request != r.ID || inbox[0].Language != "fa" || !strings.Contains(inbox[0].Body, "https://desk.example/track/"+r.ID) {
		t.Fatalf("sara's notifications: %+v %v", inbox, err)
	}

	// A retried delivery of the same item replaces the notification.
	if err := n.Send(ctx, get(t, reqs, r.ID), get(t, reqs, r.ID).Outbox[0]); err != nil {
		t.Fatal(err)
	}
	if again, _ := reqs.Notifications(ctx, "sara", false, 10); len(again) != 1 {
		t.Errorf("a retried delivery doubled the notification: %d", len(again))
	}

	// The resolution goal breaches at 4h: the policy reassigns to boss
	// and notifies the supervisor of the owner's group.
	mail.sent = nil
	c.Add(4*time.Hour + time.Second)
	if _, err := reqs.FireTimers(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(mail.to(), "\n")
	if !strings.Contains(got, "mary@example.com: [#"+r.ID+"] SLA breached: resolution") {
		t.Errorf("the supervisor was not told of the breach:\n%s", got)
	}
	for _, item := range get(t, reqs, r.ID).Outbox {
		if item.Status != engine.OutboxSent {
			t.Errorf("item %s: %s %s", item.ID, item.Status, item.LastError)
		}
	}

	// Nobody reachable: the item is skipped, with the reason in history.
	nobody := &engine.Notifier{Requests: reqs, Directory: directory{members: members{}, people: map[string]engine.Person{}}}
	err = nobody.Send(ctx, get(t, reqs, r.ID), engine.OutboxItem{ID: "x", Kind: engine.OutboxNotify, To: []string{"ghost", "group:none"}, Payload: map[string]any{"template": "status"}})
	if err == nil || !strings.Contains(err.Error(), "no channel") {
		t.Errorf("a notification nobody receives: %v", err)
	}
}

// TestGroupRecipientsReadTheirOwnLanguage: a "group:" recipient reaches
// every member once, each in their language (reza reads Persian).
func TestGroupRecipientsReadTheirOwnLanguage(t *testing.T) {
	reqs, _, _ := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	mail := &outbox{}
	n := &engine.Notifier{Requests: reqs, Directory: staff, Mailer: mail}
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	item := engine.OutboxItem{ID: r.ID + "-w", Kind: engine.OutboxNotify, To: []string{"group:desk", "ali", "owner"},
		Subject: map[string]string{"en": "Stock is low", "fa": "موجودی کم است"}}
	if err := n.Send(ctx, r, item); err != nil {
		t.Fatal(err)
	}
	want := []string{"ali@example.com: [#" + r.ID + "] Stock is low", "reza@example.com: [#" + r.ID + "] موجودی کم است"}
	if got := mail.to(); !slices.Equal(got, want) {
		t.Errorf("group mail:\n got %q\nwant %q", got, want)
	}
}

// TestWritersHandTheirOutboxToTheirDispatcher: with a dispatcher running
// whose poll comes only every hour, a submission's notifications are
// still sent at once (the write hands the request over), and the shared
// wake-up time is set no later than the grace after the write, so the
// other processes find the items if this one dies first.
func TestWritersHandTheirOutboxToTheirDispatcher(t *testing.T) {
	reqs, _, _ := deskSetup(t, stdPolicy, orderType)
	reqs.UseStaff(staff)
	engine.SetClock(reqs, func() time.Time { return time.Now().UTC() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mail := &outbox{}
	d := &engine.Dispatcher{Requests: reqs, Notify: &engine.Notifier{Requests: reqs, Directory: staff, Mailer: mail}}
	go d.Run(ctx, time.Hour)
	time.Sleep(200 * time.Millisecond) // the first poll, at start, is done
	before := time.Now()
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); len(mail.to()) < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if got := mail.to(); len(got) != 2 {
		t.Fatalf("sent without a poll: %q", got)
	}
	if took := time.Since(before); took > 5*time.Second {
		t.Errorf("the handed-off items took %s", took)
	}
	wake, err := engine.StoreOf(reqs).WakeGet(ctx, engine.LeaseOutbox)
	if err != nil {
		t.Fatal(err)
	}
	if wake.At == nil || wake.At.After(before.Add(31*time.Second)) {
		t.Errorf("wake-up time %v: the safety net is later than the grace", wake.At)
	}
	// The sends are recorded just after they are made.
	for deadline := time.Now().Add(5 * time.Second); get(t, reqs, r.ID).OutboxDue != nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("outbox still due after sending: %+v", get(t, reqs, r.ID).Outbox)
		}
	}
}

// gatedMail holds every send until the gate opens, and says when one
// started.
type gatedMail struct {
	outbox
	started chan struct{}
	gate    chan struct{}
}

func (g *gatedMail) Send(ctx context.Context, m *engine.Mail) error {
	select {
	case g.started <- struct{}{}:
	default:
	}
	<-g.gate
	return g.outbox.Send(ctx, m)
}

// sendingSubmission submits an order with a dispatcher running (its poll
// an hour away) whose mail is held at the gate, and returns once the
// dispatcher is sending the submission's first mail, with the time just
// before the submission.
func sendingSubmission(t *testing.T) (*engine.Requests, *gatedMail, *engine.Request, time.Time) {
	t.Helper()
	reqs, _, _ := deskSetup(t, stdPolicy, orderType)
	reqs.UseStaff(staff)
	engine.SetClock(reqs, func() time.Time { return time.Now().UTC() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	mail := &gatedMail{started: make(chan struct{}, 1), gate: make(chan struct{})}
	d := &engine.Dispatcher{Requests: reqs, Notify: &engine.Notifier{Requests: reqs, Directory: staff, Mailer: mail}}
	go d.Run(ctx, time.Hour)
	time.Sleep(200 * time.Millisecond) // the first poll, at start, is done
	before := time.Now().UTC()
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-mail.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the dispatcher did not send")
	}
	return reqs, mail, r, before
}

// TestSubmissionsAreStoredClaimedForTheirDispatcher: a submission whose
// process runs a dispatcher is stored holding its own outbox lease, for
// the handoff grace, so the dispatcher sends under it without a claim of
// its own (a claim would lease the request for a minute), having lowered
// the shared wake-up time to the grace, and no other process's poller
// takes the request meanwhile. The send is recorded and
// the lease given up afterwards.
func TestSubmissionsAreStoredClaimedForTheirDispatcher(t *testing.T) {
	reqs, mail, r, before := sendingSubmission(t)
	ctx := context.Background()
	held := get(t, reqs, r.ID).OutboxLease
	if !held.After(time.Now()) || held.After(before.Add(31*time.Second)) {
		t.Errorf("while sending, the outbox lease is %v: want the insert's, up to 30 s after %v", held, before)
	}
	// The dispatcher lowered the shared wake-up time before it sent, so
	// the other processes look once the lease ran out, if this one dies.
	if wake, err := engine.StoreOf(reqs).WakeGet(ctx, engine.LeaseOutbox); err != nil || wake.At == nil || wake.At.After(time.Now().Add(31*time.Second)) {
		t.Errorf("while sending, the wake-up time is %+v (%v): the safety net is later than the grace", wake, err)
	}
	// Another process's poller finds the request due, and cannot claim it.
	other := engine.NewRequests(engine.StoreOf(reqs), nil)
	if _, err := engine.StoreOf(other).RequestClaim(ctx, engine.LeaseOutbox, r.ID, time.Now(), time.Now().Add(time.Minute)); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("another process claimed the request its dispatcher holds: %v", err)
	}
	close(mail.gate)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		got := get(t, reqs, r.ID)
		if got.OutboxDue == nil && got.OutboxLease.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not recorded and released: lease %v, outbox %+v", got.OutboxLease, got.Outbox)
		}
	}
	if got := mail.to(); len(got) != 2 {
		t.Errorf("sent %q, want the requester's and the owner's mail", got)
	}
}

// durabilityStore notes, per store call, whether it was made
// engine.AtLeastOnce.
type durabilityStore struct {
	engine.Store
	mu    sync.Mutex
	calls []string
}

func (s *durabilityStore) note(ctx context.Context, call string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if engine.IsAtLeastOnce(ctx) {
		call += " (at least once)"
	}
	s.calls = append(s.calls, call)
}

func (s *durabilityStore) RequestInsert(ctx context.Context, r *engine.Request) error {
	s.note(ctx, "insert")
	return s.Store.RequestInsert(ctx, r)
}

func (s *durabilityStore) RequestUpdate(ctx context.Context, r *engine.Request, expect int64, release engine.Lease) error {
	s.note(ctx, "update")
	return s.Store.RequestUpdate(ctx, r, expect, release)
}

func (s *durabilityStore) NotificationPut(ctx context.Context, n *engine.Notification) error {
	s.note(ctx, "notification")
	return s.Store.NotificationPut(ctx, n)
}

func (s *durabilityStore) WakeLower(ctx context.Context, lease engine.Lease, at time.Time) error {
	s.note(ctx, "wake "+string(lease))
	return s.Store.WakeLower(ctx, lease, at)
}

// TestDispatchersWriteAtLeastOnce: a submission's insert (and the
// lowering of the timers' wake-up time) is durable before it is
// answered; what the dispatcher then writes (the wake-up
// time, the in-app notification, the record of the sends) is marked
// AtLeastOnce, which a store may acknowledge before it is on disk.
func TestDispatchersWriteAtLeastOnce(t *testing.T) {
	base, defs, _ := deskSetup(t, stdPolicy, orderType)
	store := &durabilityStore{Store: engine.StoreOf(base)}
	reqs := engine.NewRequests(store, defs)
	reqs.UseStaff(staff)
	engine.SetClock(reqs, func() time.Time { return time.Now().UTC() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &engine.Dispatcher{Requests: reqs, Notify: &engine.Notifier{Requests: reqs, Directory: staff, Mailer: &outbox{}}}
	go d.Run(ctx, time.Hour)
	time.Sleep(200 * time.Millisecond) // the first poll, at start, is done
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); get(t, reqs, r.ID).OutboxDue != nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("not sent")
		}
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	// The SLA's timers are the submission's own; the requester and the
	// owner are each told in the app.
	want := []string{"insert", "wake timers", "wake outbox (at least once)", "notification (at least once)", "notification (at least once)", "update (at least once)"}
	if !slices.Equal(store.calls, want) {
		t.Errorf("store calls %q, want %q", store.calls, want)
	}
}

// TestItemsQueuedWhileSendingGoOutRightAfter: a step that queues a
// notification while the dispatcher is sending the request's earlier ones
// (it holds the request, so the step cannot hand it over) has it sent as
// soon as those are recorded, not at the next poll.
func TestItemsQueuedWhileSendingGoOutRightAfter(t *testing.T) {
	reqs, mail, r, _ := sendingSubmission(t)
	if _, err := reqs.Reply(context.Background(), r.ID, engine.ReplyParams{Actor: r.Owner, Body: "On its way."}); err != nil {
		t.Fatal(err)
	}
	close(mail.gate)
	for deadline := time.Now().Add(5 * time.Second); len(mail.to()) < 3; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("sent %q; the reply's notification waits for a poll", mail.to())
		}
	}
	for deadline := time.Now().Add(5 * time.Second); get(t, reqs, r.ID).OutboxDue != nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("outbox still due: %+v", get(t, reqs, r.ID).Outbox)
		}
	}
}

// plainStore is a store without the embedded store's insert-all: it
// writes a request and its notifications one by one.
type plainStore struct{ engine.Store }

// TestInAppNotificationsAreStoredWithTheRequest: with DeliverInApp, a new
// request's notifications that reach their recipients only in the app
// are written with the request, in the same write: they are there when
// Submit returns, with no dispatcher running, and the request records
// them sent, nothing left due; so are a later step's. A notification that goes by mail too, or a
// store that cannot write them together, leaves them to the dispatcher
// as before. A tracking code that is taken fails the write whole: the
// notifications of the code that collided are not stored.
func TestInAppNotificationsAreStoredWithTheRequest(t *testing.T) {
	if !storetest.Embedded() {
		t.Skip("a MongoDB has no insert-all; the plain store at the end of this test is what it does")
	}
	reqs, defs, _ := deskSetup(t, stdPolicy, orderType)
	reqs.UseStaff(staff)
	ctx := context.Background()
	n := &engine.Notifier{Requests: reqs, Directory: staff}
	reqs.DeliverInApp(n)
	submit := func(reqs *engine.Requests) *engine.Request {
		t.Helper()
		r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	inbox := func(user, request string) int {
		t.Helper()
		got, err := reqs.Notifications(ctx, user, false, 100)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for _, n := range got {
			if n.Request == request {
				k++
			}
		}
		return k
	}

	r := submit(reqs)
	stored := get(t, reqs, r.ID)
	if len(stored.Outbox) != 2 || stored.OutboxDue != nil || !stored.OutboxLease.IsZero() {
		t.Fatalf("outbox %+v, due %v, lease %v: want two items, none due, no lease", stored.Outbox, stored.OutboxDue, stored.OutboxLease)
	}
	sent := 0
	for _, e := range stored.History {
		if e.Type == "sent" {
			sent++
		}
	}
	for _, item := range stored.Outbox {
		if item.Status != engine.OutboxSent || item.Attempts != 1 || item.SentAt == nil {
			t.Errorf("item %s: %s, %d attempts, sent at %v", item.ID, item.Status, item.Attempts, item.SentAt)
		}
	}
	if sent != 2 || r.Revision != stored.Revision || len(r.Outbox) != 2 || r.Outbox[0].Status != engine.OutboxSent {
		t.Errorf("%d sends in history; Submit returned revision %d with %+v, stored %d", sent, r.Revision, r.Outbox, stored.Revision)
	}
	// The requester is told the code, the owner picked round robin that
	// they own it.
	if inbox("sara", r.ID) != 1 || inbox(stored.Owner, r.ID) != 1 {
		t.Errorf("in the app: sara %d, owner %s %d; want 1 each", inbox("sara", r.ID), stored.Owner, inbox(stored.Owner, r.ID))
	}

	// A code that is taken: the write fails whole and is retried with a
	// fresh code, so the first code's notifications are not written again.
	fresh := engine.NewTrackingCode()
	calls := 0
	engine.SetCodeSource(reqs, func() string {
		if calls++; calls == 1 {
			return r.ID
		}
		return fresh
	})
	sara := inbox("sara", r.ID)
	if again := submit(reqs); again.ID != fresh || inbox("sara", fresh) != 1 || inbox("sara", r.ID) != sara {
		t.Errorf("after a collision: code %s (want %s), %d notifications of it, %d of the taken code (want %d)", again.ID, fresh, inbox("sara", fresh), inbox("sara", r.ID), sara)
	}
	engine.SetCodeSource(reqs, engine.NewTrackingCode)

	// A step's notification too: the new owner is told in the same write
	// as the change of owner, one revision, nothing left due.
	moved, err := reqs.SetOwner(ctx, r.ID, "mary", nil, true, "reza", "")
	if err != nil {
		t.Fatal(err)
	}
	stored = get(t, reqs, r.ID)
	last := stored.Outbox[len(stored.Outbox)-1]
	if stored.Revision != moved.Revision || stored.OutboxDue != nil || last.Status != engine.OutboxSent || inbox("reza", r.ID) != 1 {
		t.Errorf("after a change of owner: revision %d (the step's %d), due %v, %s %s, reza has %d", stored.Revision, moved.Revision, stored.OutboxDue, last.ID, last.Status, inbox("reza", r.ID))
	}

	// Mail reaches them too: the dispatcher sends both ways.
	mail := &outbox{}
	n.Mailer = mail
	r = submit(reqs)
	if got := get(t, reqs, r.ID); got.OutboxDue == nil || got.Outbox[0].Status != engine.OutboxPending || inbox("sara", r.ID) != 0 {
		t.Errorf("with mail: due %v, first item %s, %d in the app before the dispatcher ran", got.OutboxDue, got.Outbox[0].Status, inbox("sara", r.ID))
	}
	if _, err := (&engine.Dispatcher{Requests: reqs, Notify: n}).Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	if len(mail.to()) != 2 || inbox("sara", r.ID) != 1 {
		t.Errorf("the dispatcher sent %q and %d in the app", mail.to(), inbox("sara", r.ID))
	}

	// A store that cannot write them together.
	n.Mailer = nil
	plain := engine.NewRequests(plainStore{engine.StoreOf(reqs)}, defs)
	plain.UseStaff(staff)
	plain.DeliverInApp(n)
	r = submit(plain)
	if got := get(t, reqs, r.ID); got.OutboxDue == nil || got.Outbox[0].Status != engine.OutboxPending || inbox("sara", r.ID) != 0 {
		t.Errorf("on a plain store: due %v, first item %s, %d in the app", got.OutboxDue, got.Outbox[0].Status, inbox("sara", r.ID))
	}
	if _, err := plain.SetOwner(ctx, r.ID, "mary", nil, true, "boss", ""); err != nil {
		t.Fatal(err)
	}
	if got := get(t, reqs, r.ID); got.Outbox[len(got.Outbox)-1].Status != engine.OutboxPending || inbox("boss", r.ID) != 0 {
		t.Errorf("a step on a plain store: last item %s, %d in the app", got.Outbox[len(got.Outbox)-1].Status, inbox("boss", r.ID))
	}
}

// TestLargeGroupsAreLeftToTheDispatcher: a new request's item that would
// write more than 100 notifications with it (a large group told at once)
// is left to the dispatcher, so that the request's write stays small; a
// smaller one beside it is still written with the request.
func TestLargeGroupsAreLeftToTheDispatcher(t *testing.T) {
	reqs, _, _ := deskSetup(t, stdPolicy, orderType)
	big := directory{members: members{"big": nil, "desk": {"ali", "reza"}}, people: map[string]engine.Person{"ali": {Username: "ali"}, "reza": {Username: "reza"}}}
	for i := range 101 {
		u := fmt.Sprintf("u%03d", i)
		big.members["big"] = append(big.members["big"], u)
		big.people[u] = engine.Person{Username: u}
	}
	reqs.DeliverInApp(&engine.Notifier{Requests: reqs, Directory: big})
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	req := &engine.Request{ID: "R1", Revision: 1, Outbox: []engine.OutboxItem{
		{ID: "R1-n1", Kind: engine.OutboxNotify, To: []string{"group:big"}, Payload: map[string]any{"template": "status"}, Status: engine.OutboxPending, Next: now},
		{ID: "R1-n2", Kind: engine.OutboxNotify, To: []string{"group:desk"}, Payload: map[string]any{"template": "status"}, Status: engine.OutboxPending, Next: now},
	}}
	out, notes := engine.DeliverInAppOf(context.Background(), reqs, req, now)
	if out == nil || len(notes) != 2 {
		t.Fatalf("written with the request: %d notifications (%v)", len(notes), out != nil)
	}
	if out.Outbox[0].Status != engine.OutboxPending || out.Outbox[1].Status != engine.OutboxSent || out.OutboxDue == nil {
		t.Errorf("the large group's item %s, the desk's %s, due %v", out.Outbox[0].Status, out.Outbox[1].Status, out.OutboxDue)
	}
}
