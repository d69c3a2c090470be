package engine_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
)

// scanCounting counts the passes over the requests that pollers make, and
// can act in the middle of one.
type scanCounting struct {
	engine.Store
	scans  atomic.Int32
	during func()
}

func (s *scanCounting) RequestsDue(ctx context.Context, lease engine.Lease, now time.Time, limit int) ([]string, *time.Time, error) {
	if lease == engine.LeaseTimers {
		s.scans.Add(1)
	}
	ids, next, err := s.Store.RequestsDue(ctx, lease, now, limit)
	if s.during != nil {
		s.during()
	}
	return ids, next, err
}

// Pollers look at the requests only when the wake-up time has come, at
// start, and every five minutes; a write that makes a request due earlier
// moves the wake-up time so that its timer fires on time.
func TestPollersWakeUpOnlyWhenSomethingIsDue(t *testing.T) {
	t.Parallel()
	defs, _, base := services(t)
	store := &scanCounting{Store: base}
	reqs := engine.NewRequests(store, defs)
	c := &clock{now: time.Now().UTC().Truncate(time.Millisecond)}
	engine.SetClock(reqs, c.Now)
	ctx := context.Background()
	orderWorkflow(t, defs, `[{"id": "start", "kind": "start"}, {"id": "cool", "kind": "wait", "duration": "3m"},
		{"id": "review", "kind": "task", "groups": ["sales"], "due": "2h"}, {"id": "done", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "cool"}, {"from": "cool", "to": "review"}, {"from": "review", "to": "done"}]`)
	fire := func(want int) {
		t.Helper()
		if got, err := reqs.FireTimers(ctx); err != nil || got != want {
			t.Fatalf("fired %d (%v), want %d", got, err, want)
		}
	}
	scans := func(want int32) {
		t.Helper()
		if got := store.scans.Load(); got != want {
			t.Fatalf("%d passes over the requests, want %d", got, want)
		}
	}

	fire(0) // a process's first poll looks
	scans(1)
	c.Add(time.Second)
	fire(0) // nothing is due: the wake-up time says so, no pass
	scans(1)

	r := submitOrder(t, reqs, `{}`) // waits 3 minutes: the wake-up time moves
	c.Add(time.Minute)
	fire(0)
	scans(1)
	c.Add(2 * time.Minute) // the wait is over
	fire(1)
	scans(2)
	if got, _ := reqs.Get(ctx, r.ID); openTaskAt(t, got, "review").Due == nil {
		t.Fatal("the wait did not end")
	}
	c.Add(time.Second)
	fire(0) // next due in 2 hours
	scans(2)

	// A writer that died before moving the wake-up time: its request is
	// found by the pass every five minutes.
	lost := *r
	lost.ID = engine.NewTrackingCode()
	due := c.Now()
	lost.Due = &due
	if err := base.RequestInsert(ctx, &lost); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute)
	fire(0)
	c.Add(2 * time.Minute) // five minutes since the last pass
	fire(1)
	scans(3)

	// Another process makes a request due while this one is looking: its
	// lowering of the wake-up time is kept.
	early := c.Now().Add(time.Minute)
	store.during = func() {
		if err := base.WakeLower(ctx, engine.LeaseTimers, early); err != nil {
			t.Error(err)
		}
	}
	c.Add(5 * time.Minute)
	fire(0)
	store.during = nil
	if w, err := base.WakeGet(ctx, engine.LeaseTimers); err != nil || w.At == nil || !w.At.Equal(early) {
		t.Fatalf("wake-up time %+v (%v), want the lowered %s", w, err, early)
	}
	c.Add(time.Minute)
	fire(0) // it woke up, looked, and found nothing (the request was a test's)
	scans(5)
}
