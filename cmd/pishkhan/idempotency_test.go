package main

import (
	"strings"
	"testing"
)

// TestIdempotencyKeyOverHTTP: a client that lost the answer sends the same
// submission again with its Idempotency-Key and gets the same request,
// marked as replayed; the key for other data is 422 with its own type.
func TestIdempotencyKeyOverHTTP(t *testing.T) {
	c := newCrew(t)
	it := fixture(t, "it-support-valid.json")
	send := func(body string) response {
		t.Helper()
		return call(t, c.srv, "POST", "/api/v1/requests", body, append(bearer(c.tokens["sara"]), "Idempotency-Key", "portal-7f3a")...)
	}
	first, again := send(it), send(it)
	if first.status != 201 || again.status != 201 || first.body["id"] != again.body["id"] {
		t.Fatalf("first %d %s, again %d %s", first.status, first.raw, again.status, again.raw)
	}
	if first.header.Get("Idempotent-Replayed") != "" || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("Idempotent-Replayed: first %q, again %q", first.header.Get("Idempotent-Replayed"), again.header.Get("Idempotent-Replayed"))
	}
	mine := c.must(200, "sara", "GET", "/api/v1/requests", nil).body["items"].([]any)
	if len(mine) != 1 {
		t.Errorf("two sendings under one key filed %d requests", len(mine))
	}
	other := send(strings.Replace(it, `"urgency": "high"`, `"urgency": "low"`, 1))
	if other.status != 422 || other.body["type"] != "urn:pishkhan:problem:idempotency-key-reused" {
		t.Errorf("the key for other data: %d %s", other.status, other.raw)
	}
	bad := call(t, c.srv, "POST", "/api/v1/requests", it, append(bearer(c.tokens["sara"]), "Idempotency-Key", strings.Repeat("k", 300))...)
	if bad.status != 400 || !strings.Contains(string(bad.raw), "Idempotency-Key") {
		t.Errorf("a malformed key: %d %s", bad.status, bad.raw)
	}
}
