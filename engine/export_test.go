package engine

import (
	"context"
	"time"
)

// SetCodeSource replaces how r makes tracking codes, so tests can force
// collisions.
func SetCodeSource(r *Requests, next func() string) { r.newCode = next }

// SetClock replaces r's clock, so tests can make timers fall due.
func SetClock(r *Requests, now func() time.Time) { r.now = now }
func StoreOf(r *Requests) Store                  { return r.store }

// DeliverInAppOf is what r would write with req, a new request, at now:
// req with the items delivered so recorded, and their notifications.
func DeliverInAppOf(ctx context.Context, r *Requests, req *Request, now time.Time) (*Request, []*Notification) {
	return r.deliverInApp(ctx, nil, req, now)
}
