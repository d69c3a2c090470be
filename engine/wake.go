package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Pollers and wake-up times. Every process polls each interval for due
// timers and outbox items. Asking the requests themselves each time costs
// a pass over every open request, which on the embedded store (no
// indexes) is a full decode of each: at a thousand open requests, more
// than the interval itself. So each lease has a wake-up time, one small
// document: pollers read it and look at the requests only once it has
// come. It is never later than the earliest due time of any request:
//
//   - a write that makes a request due earlier than before lowers it
//     ($min), after the request itself is written;
//   - a poller that looked sets it to the earliest due time it saw, but
//     only if nobody lowered it meanwhile (guarded by its version), so a
//     lowering that raced the look is kept.
//
// A process that dies between writing a request and lowering the wake-up
// time leaves it late. To bound that, every process also looks at the
// requests at start and every fullScanEvery whatever the wake-up time says.

// leaseArchive names the archive sweep in the scan clock.
const leaseArchive Lease = "archive"

// Wake is a lease's wake-up time and its version.
type Wake struct {
	At      *time.Time `bson:"at"`
	Version int64      `bson:"version"`
}

// fullScanEvery is how often a process looks at the requests even though
// the wake-up time says nothing is due; also how often closed requests a
// crash left in the working collection are swept into the archive.
const fullScanEvery = 5 * time.Minute

// maxDuePerPoll bounds the requests one poll claims; a poll that reaches
// it leaves the wake-up time due, so the next one goes on.
const maxDuePerPoll = 500

// neverDue is the wake-up time when no request has anything due.
var neverDue = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// scanClock remembers, per process, when each lease's pollers last looked
// at the requests, and whether they must look next time.
type scanClock struct {
	mu    sync.Mutex
	last  map[Lease]time.Time
	force map[Lease]bool
}

func newScanClock() *scanClock {
	return &scanClock{last: map[Lease]time.Time{}, force: map[Lease]bool{}}
}

// mustScan reports whether the pollers of lease must look whatever the
// wake-up time says, and if so notes that they do now.
func (c *scanClock) mustScan(lease Lease, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	last, ok := c.last[lease]
	if ok && !c.force[lease] && now.Sub(last) < fullScanEvery && !now.Before(last) {
		return false
	}
	c.last[lease], c.force[lease] = now, false
	return true
}

// forceScan makes the next poll of lease look at the requests.
func (c *scanClock) forceScan(lease Lease) {
	c.mu.Lock()
	c.force[lease] = true
	c.mu.Unlock()
}

// dueTime is a request's due time for lease.
func dueTime(r *Request, lease Lease) *time.Time {
	if r == nil {
		return nil
	}
	if lease == LeaseOutbox {
		return r.OutboxDue
	}
	return r.Due
}

// woken keeps the wake-up times no later than next's due times, after
// next was written over prev (nil: next is new). A poller stepping a
// request it claimed (released) accounts for that lease itself.
func (r *Requests) woken(ctx context.Context, prev, next *Request, released Lease) {
	for _, lease := range []Lease{LeaseTimers, LeaseOutbox} {
		after, before := dueTime(next, lease), dueTime(prev, lease)
		if lease == released || after == nil || (before != nil && !after.Before(*before)) {
			continue
		}
		if lease == LeaseOutbox {
			switch taken, held := r.handOff(prev, next, *after); {
			case held:
				continue // the dispatcher lowers it (dispatchHandedOff)
			case taken:
				at := r.now().Add(handoffGrace)
				after = &at
			case prev == nil && next.OutboxLease.After(*after):
				// Held by this process's dispatcher, whose queue was full:
				// the pollers can claim it only once the lease is out.
				at := next.OutboxLease
				after = &at
			}
		}
		if err := r.store.WakeLower(ctx, lease, *after); err != nil {
			r.scans.forceScan(lease) // this process at least will look
		}
	}
}

// pollDue claims every request due for lease (held for hold) and steps it
// with step, which returns the request as stored after the step; then it
// moves the wake-up time to the earliest due time left. It returns how
// many requests it stepped.
func (r *Requests) pollDue(ctx context.Context, lease Lease, hold time.Duration, step func(*Request) (*Request, error)) (int, error) {
	now := r.now()
	wake, err := r.store.WakeGet(ctx, lease)
	if err != nil {
		return 0, err
	}
	if !r.scans.mustScan(lease, now) && wake.At != nil && wake.At.After(now) {
		return 0, nil
	}
	ids, next, err := r.store.RequestsDue(ctx, lease, now, maxDuePerPoll)
	if err != nil {
		r.scans.forceScan(lease)
		return 0, err
	}
	earliest := func(t *time.Time) {
		if t != nil && (next == nil || t.Before(*next)) {
			next = t
		}
	}
	stepped := 0
	var errs []error
	for _, id := range ids {
		req, err := r.store.RequestClaim(ctx, lease, id, now, now.Add(hold))
		if errors.Is(err, ErrNotFound) {
			continue // another process took it, or it moved on
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("request %s: claim: %w", id, err))
			earliest(&now)
			continue
		}
		stored, err := step(req)
		if ctx.Err() != nil {
			// Stopping: hand the lease back, and leave the wake-up time
			// as it is (due), so another process goes on at once.
			_ = r.store.RequestRelease(context.WithoutCancel(ctx), req.ID, lease, now.Add(hold))
			return stepped, nil
		}
		if err != nil {
			// The request keeps its lease until it runs out; then it is
			// tried again.
			errs = append(errs, fmt.Errorf("request %s: %s: %w", id, lease, err))
			until := now.Add(hold)
			earliest(&until)
			continue
		}
		stepped++
		earliest(dueTime(stored, lease))
	}
	if len(ids) == maxDuePerPoll {
		earliest(&now) // more are due: the next poll goes on
	}
	at := neverDue
	if next != nil {
		at = *next
	}
	if err := r.store.WakeSet(ctx, lease, at, wake.Version); err != nil && !errors.Is(err, ErrPreconditionFailed) {
		r.scans.forceScan(lease)
		errs = append(errs, err)
	}
	return stepped, errors.Join(errs...)
}
