package access

import (
	"strings"
	"testing"
)

// TestKeyIDsAreAlwaysTenSafeCharacters: a key id is ten characters of
// [a-z2-7] every time (a cut-down base64 token panicked now and then).
func TestKeyIDsAreAlwaysTenSafeCharacters(t *testing.T) {
	for range 20000 {
		id := newKeyID()
		if len(id) != 10 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz234567") != "" {
			t.Fatalf("key id %q", id)
		}
	}
}
