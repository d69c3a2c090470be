package engine

import (
	"strings"
	"testing"
)

func TestNewTrackingCodeIsWellFormedAndUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := 0; i < 100_000; i++ {
		c := NewTrackingCode()
		if len(c) != TrackingCodeLength {
			t.Fatalf("code %q has length %d", c, len(c))
		}
		if got, ok := NormalizeTrackingCode(c); !ok || got != c {
			t.Fatalf("fresh code %q does not normalize to itself: %q %v", c, got, ok)
		}
		if strings.ContainsAny(c, "ILOU") {
			t.Fatalf("code %q uses a confusable letter", c)
		}
		if seen[c] {
			t.Fatalf("code %q repeated within 100k draws", c)
		}
		seen[c] = true
	}
}

func TestNormalizeTrackingCodeReadsWhatPeopleType(t *testing.T) {
	t.Parallel()
	code := NewTrackingCode()
	lower := strings.ToLower(code)
	grouped := code[:5] + "-" + code[5:]
	spaced := " " + code[:3] + " " + code[3:] + " "
	for _, typed := range []string{lower, grouped, spaced} {
		if got, ok := NormalizeTrackingCode(typed); !ok || got != code {
			t.Errorf("NormalizeTrackingCode(%q) = %q, %v; want %q", typed, got, ok, code)
		}
	}
	// A code whose canonical form holds 1 and 0 is found when typed with I, L and O.
	withOnes := "10000000" + "0"
	withOnes += string(trackingAlphabet[luhn32([]byte(withOnes))])
	typed := "l" + strings.Replace(withOnes[1:], "0", "O", 3)
	if got, ok := NormalizeTrackingCode(typed); !ok || got != withOnes {
		t.Errorf("NormalizeTrackingCode(%q) = %q, %v; want %q", typed, got, ok, withOnes)
	}
}

func TestNormalizeTrackingCodeRejectsTypos(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "ABC", "0123456789AB", "ABCDEFGHJ!", "ABCDEFGHJKÖ", "ABCDEFGHJU"} {
		if _, ok := NormalizeTrackingCode(bad); ok {
			t.Errorf("NormalizeTrackingCode(%q) accepted", bad)
		}
	}
	// Every single-character substitution is caught by the check character.
	for i := 0; i < 200; i++ {
		code := []byte(NewTrackingCode())
		for pos := range code {
			orig := code[pos]
			for _, r := range []byte(trackingAlphabet) {
				if r == orig {
					continue
				}
				code[pos] = r
				if _, ok := NormalizeTrackingCode(string(code)); ok {
					t.Fatalf("substitution at %d (%c->%c) in %s not detected", pos, orig, r, code)
				}
			}
			code[pos] = orig
		}
	}
	// Swapping two different neighbours is caught nearly always (Luhn mod N
	// misses only pairs whose doubled values collide).
	missed, tried := 0, 0
	for i := 0; i < 2000; i++ {
		code := []byte(NewTrackingCode())
		for pos := 0; pos+1 < len(code); pos++ {
			if code[pos] == code[pos+1] {
				continue
			}
			code[pos], code[pos+1] = code[pos+1], code[pos]
			tried++
			if _, ok := NormalizeTrackingCode(string(code)); ok {
				missed++
			}
			code[pos], code[pos+1] = code[pos+1], code[pos]
		}
	}
	if rate := float64(missed) / float64(tried); rate > 0.02 {
		t.Errorf("adjacent transpositions missed at rate %.3f (%d/%d); want under 2%%", rate, missed, tried)
	}
}
