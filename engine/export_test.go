package engine

// SetCodeSource replaces how r makes tracking codes, so tests can force
// collisions.
func SetCodeSource(r *Requests, next func() string) { r.newCode = next }
