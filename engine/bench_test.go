package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// countingStore counts the store calls a request's life makes: each is one
// round trip to the database.
type countingStore struct {
	*mongostore.Store
	trips        atomic.Int64
	insNs, updNs atomic.Int64
	reads        atomic.Int64 // of requests
}

func (s *countingStore) RequestInsert(ctx context.Context, r *engine.Request) error {
	s.trips.Add(1)
	t := time.Now()
	defer func() { s.insNs.Add(int64(time.Since(t))) }()
	return s.Store.RequestInsert(ctx, r)
}

func (s *countingStore) RequestGet(ctx context.Context, id string) (*engine.Request, error) {
	s.trips.Add(1)
	s.reads.Add(1)
	return s.Store.RequestGet(ctx, id)
}

func (s *countingStore) RequestUpdate(ctx context.Context, r *engine.Request, expect int64, release engine.Lease) error {
	s.trips.Add(1)
	t := time.Now()
	defer func() { s.updNs.Add(int64(time.Since(t))) }()
	return s.Store.RequestUpdate(ctx, r, expect, release)
}

func (s *countingStore) RequestArchive(ctx context.Context, r *engine.Request) error {
	s.trips.Add(3) // the copy, its KPI facts, the delete
	return s.Store.RequestArchive(ctx, r)
}

// approvalFlow is the approval process the issue names: start, a user
// task, an exclusive gateway with a condition, end.
const approvalFlow = `[{"id": "start", "kind": "start"},
	{"id": "approve", "kind": "task", "groups": ["managers"], "outcomes": ["approve", "reject"]},
	{"id": "check", "kind": "decision"},
	{"id": "big", "kind": "end", "outcome": "approved-big"},
	{"id": "done", "kind": "end", "outcome": "approved"},
	{"id": "no", "kind": "end", "outcome": "rejected"}]`

const approvalFlowEdges = `[{"from": "start", "to": "approve"},
	{"from": "approve", "to": "check", "outcome": "approve"}, {"from": "approve", "to": "no", "outcome": "reject"},
	{"from": "check", "to": "big", "condition": "form.amount > 1000"}, {"from": "check", "to": "done", "default": true}]`

// BenchmarkLifecycle completes approval lifecycles (submit, complete the
// task, decision, end, archive) through the engine API on the embedded
// store, with open requests already in the working collection; the
// baseline is a raw insert of the same document on the same store.
// Run: go test -run '^$' -bench Lifecycle -benchtime 40x ./engine/
func BenchmarkLifecycle(b *testing.B) {
	for _, open := range []int{0, 100, 1000, 10000} {
		// Preloading 10,000 requests takes minutes, so each store is set
		// up by the first sub-benchmark that runs on it: -bench picking
		// open=1000 does not pay for the others.
		var env *lifecycleEnv
		setUp := func(sub *testing.B) *lifecycleEnv {
			if env == nil {
				env = newLifecycleEnv(b, sub, open)
			}
			return env
		}
		b.Run(fmt.Sprintf("engine/open=%d", open), func(b *testing.B) {
			e := setUp(b)
			e.store.trips.Store(0)
			e.store.insNs.Store(0)
			e.store.updNs.Store(0)
			steps := 0
			for i := 0; i < b.N; i++ {
				e.lifecycle(b)
				steps += 2 // the start, and the completion that runs to the end
			}
			// The milliseconds of a lifecycle spent in the store's insert
			// and update calls.
			b.ReportMetric(float64(e.store.insNs.Load())/float64(b.N)/1e6, "ins-ms")
			b.ReportMetric(float64(e.store.updNs.Load())/float64(b.N)/1e6, "upd-ms")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lifecycles/s")
			b.ReportMetric(float64(e.store.trips.Load())/float64(steps), "roundtrips/step")
		})
		// The same, with this process's dispatcher delivering the
		// notifications (in-app) as the writes hand them over; the time
		// includes waiting for the last one.
		b.Run(fmt.Sprintf("engine+delivery/open=%d", open), func(b *testing.B) {
			e := setUp(b)
			ctx := context.Background()
			dctx, stop := context.WithCancel(ctx)
			defer stop()
			people := directory{members: members{}, people: map[string]engine.Person{"sara": {Username: "sara"}}}
			d := &engine.Dispatcher{Requests: e.reqs, Notify: &engine.Notifier{Requests: e.reqs, Directory: people}}
			// Send what the runs before left pending first.
			for {
				n, err := d.Dispatch(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			go d.Run(dctx, time.Second)
			time.Sleep(100 * time.Millisecond)
			b.ResetTimer()
			e.store.trips.Store(0)
			steps := 0
			var last *engine.Request
			for i := 0; i < b.N; i++ {
				last = e.lifecycle(b)
				steps += 2
			}
			for {
				got, err := e.reqs.Get(ctx, last.ID)
				if err != nil {
					b.Fatal(err)
				}
				if got.OutboxDue == nil {
					break
				}
				time.Sleep(time.Millisecond)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lifecycles/s")
			b.ReportMetric(float64(e.store.trips.Load())/float64(steps), "roundtrips/step")
		})
		b.Run(fmt.Sprintf("raw-insert/open=%d", open), func(b *testing.B) {
			e := setUp(b)
			coll := e.db.Collection("baseline")
			for i := 0; i < b.N; i++ {
				c := *e.tmpl
				c.ID = engine.NewTrackingCode()
				if _, err := coll.InsertOne(context.Background(), &c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// lifecycleEnv is a store holding the approval workflow and open
// requests, shared by the sub-benchmarks of one size.
type lifecycleEnv struct {
	db    *mongo.Database
	store *countingStore
	reqs  *engine.Requests
	tmpl  *engine.Request // a started request, the shape of the open ones
}

// newLifecycleEnv sets up a store with open requests: copies of a started
// one under new codes, whose notifications went out long ago. The store
// lives as long as owner; failures end sub.
func newLifecycleEnv(owner, sub *testing.B, open int) *lifecycleEnv {
	ctx := context.Background()
	db := storetest.DB(owner)
	base := mongostore.New(db)
	if err := base.EnsureIndexes(ctx); err != nil {
		sub.Fatal(err)
	}
	e := &lifecycleEnv{db: db, store: &countingStore{Store: base}}
	defs := engine.NewDefinitions(e.store, nil)
	// As a Pishkhan process does: publishes elsewhere are noticed.
	watch, stop := context.WithCancel(ctx)
	owner.Cleanup(stop)
	go defs.Watch(watch, time.Second)
	e.reqs = engine.NewRequests(e.store, defs)
	publishB(sub, defs, engine.KindForm, "order", json.RawMessage(orderForm))
	publishB(sub, defs, engine.KindWorkflow, "order", json.RawMessage(fmt.Sprintf(
		`{"key": "order", "title": {"en": "Order"}, "form": "order", "nodes": %s, "edges": %s}`, approvalFlow, approvalFlowEdges)))
	e.tmpl = e.submit(sub)
	for i := 1; i < open; i++ {
		c := *e.tmpl
		c.ID = engine.NewTrackingCode()
		c.Outbox, c.OutboxDue = nil, nil
		if err := base.RequestInsert(ctx, &c); err != nil {
			sub.Fatal(err)
		}
	}
	return e
}

func (e *lifecycleEnv) submit(b *testing.B) *engine.Request {
	r, err := e.reqs.Submit(context.Background(), engine.SubmitParams{Form: "order", Data: map[string]any{"amount": json.Number("1500")}, Requester: "sara"})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// lifecycle submits a request and approves its task, which runs the
// workflow to its end.
func (e *lifecycleEnv) lifecycle(b *testing.B) *engine.Request {
	r := e.submit(b)
	next, err := e.reqs.Apply(context.Background(), r.ID, engine.Signal{Kind: engine.SignalComplete, Task: r.Workflow.Tasks[0].ID, Outcome: "approve", Actor: "boss", ActorGroups: []string{"managers"}})
	if err != nil || next.Status != "approved-big" {
		b.Fatalf("%v %v", err, next)
	}
	return next
}

func publishB(b *testing.B, defs *engine.Definitions, kind engine.Kind, key string, body json.RawMessage) {
	b.Helper()
	ctx := context.Background()
	if _, problems, err := defs.SaveDraft(ctx, kind, key, body, 0); err != nil || len(problems) > 0 {
		b.Fatalf("save %s %s: %v %v", kind, key, err, problems)
	}
	if _, err := defs.Publish(ctx, kind, key); err != nil {
		b.Fatalf("publish %s %s: %v", kind, key, err)
	}
}

// BenchmarkIdlePolls measures the background polls every process makes
// each interval (due timers, due outbox items) when nothing is due, with
// open requests in the working collection: "polls" is an ordinary round
// (the wake-up times say nothing is due), "pass" one look at every open
// request (at start, every five minutes, and when something falls due),
// "archive-sweep" the five-minute sweep; the baseline is a lookup of one
// request by id.
// Run: go test -run '^$' -bench IdlePolls -benchtime 10x ./engine/
func BenchmarkIdlePolls(b *testing.B) {
	for _, open := range []int{1000, 10000} {
		db := storetest.DB(b)
		store := mongostore.New(db)
		ctx := context.Background()
		if err := store.EnsureIndexes(ctx); err != nil {
			b.Fatal(err)
		}
		defs := engine.NewDefinitions(store, nil)
		reqs := engine.NewRequests(store, defs)
		publishB(b, defs, engine.KindForm, "order", json.RawMessage(orderForm))
		publishB(b, defs, engine.KindWorkflow, "order", json.RawMessage(fmt.Sprintf(
			`{"key": "order", "title": {"en": "Order"}, "form": "order", "nodes": %s, "edges": %s}`, approvalFlow, approvalFlowEdges)))
		tmpl, err := reqs.Submit(ctx, engine.SubmitParams{Form: "order", Data: map[string]any{"amount": json.Number("1500")}, Requester: "sara"})
		if err != nil {
			b.Fatal(err)
		}
		for i := 1; i < open; i++ {
			c := *tmpl
			c.ID = engine.NewTrackingCode()
			// Sent long ago: an idle store has nothing due. (With the
			// template's outbox copied, the polls drained a backlog of
			// 10,000 notifications instead, 7 s a round.)
			c.Outbox, c.OutboxDue = nil, nil
			if err := store.RequestInsert(ctx, &c); err != nil {
				b.Fatal(err)
			}
		}
		disp := &engine.Dispatcher{Requests: reqs}
		poll := func() {
			if _, err := reqs.FireTimers(ctx); err != nil {
				b.Fatal(err)
			}
			if _, err := disp.Dispatch(ctx); err != nil {
				b.Fatal(err)
			}
		}
		poll() // a process's first poll looks at every request
		b.Run(fmt.Sprintf("polls/open=%d", open), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				poll()
			}
		})
		b.Run(fmt.Sprintf("pass/open=%d", open), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := store.RequestsDue(ctx, engine.LeaseTimers, time.Now(), 500); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("archive-sweep/open=%d", open), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := reqs.ArchiveClosed(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("get-by-id/open=%d", open), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := store.RequestGet(ctx, tmpl.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
