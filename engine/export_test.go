package engine

import "time"

// SetCodeSource replaces how r makes tracking codes, so tests can force
// collisions.
func SetCodeSource(r *Requests, next func() string) { r.newCode = next }

// SetClock replaces r's clock, so tests can make timers fall due.
func SetClock(r *Requests, now func() time.Time) { r.now = now }
func StoreOf(r *Requests) Store                  { return r.store }
