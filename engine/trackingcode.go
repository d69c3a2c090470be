package engine

import (
	"crypto/rand"
	"strings"
)

// A tracking code is 10 characters of Crockford's base32: 9 random ones
// (45 bits, about 3.5e13 codes, so a code shown in public cannot be guessed
// by trying) and one check character (Luhn mod 32) that catches any single
// mistyped character and most swapped neighbours. The alphabet has no I, L,
// O or U, so a code read over the phone is not misheard; when a code is
// typed in, case, hyphens and spaces are ignored and I, L, O are read as 1,
// 1, 0.
const (
	trackingAlphabet   = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	trackingRandomLen  = 9
	TrackingCodeLength = trackingRandomLen + 1
)

// NewTrackingCode returns a fresh random tracking code.
func NewTrackingCode() string {
	var raw [trackingRandomLen]byte
	if _, err := rand.Read(raw[:]); err != nil {
		panic("engine: crypto/rand failed: " + err.Error()) // never happens on supported platforms
	}
	return trackingCodeFrom(raw[:])
}

// NormalizeTrackingCode turns what a person typed into the canonical code.
// It reports false if the input cannot be a tracking code: wrong length, a
// character outside the alphabet, or a check character that does not match.
func NormalizeTrackingCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == ' ':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		switch r {
		case 'I', 'L':
			r = '1'
		case 'O':
			r = '0'
		}
		if r > 127 || strings.IndexByte(trackingAlphabet, byte(r)) < 0 {
			return "", false
		}
		b.WriteRune(r)
		if b.Len() > TrackingCodeLength {
			return "", false
		}
	}
	code := b.String()
	if len(code) != TrackingCodeLength {
		return "", false
	}
	if trackingAlphabet[luhn32([]byte(code[:trackingRandomLen]))] != code[trackingRandomLen] {
		return "", false
	}
	return code, true
}

// luhn32 is the Luhn mod N check character's index for N = 32.
func luhn32(code []byte) int {
	const n = 32
	factor, sum := 2, 0
	for i := len(code) - 1; i >= 0; i-- {
		addend := factor * strings.IndexByte(trackingAlphabet, code[i])
		addend = addend/n + addend%n
		sum += addend
		if factor == 2 {
			factor = 1
		} else {
			factor = 2
		}
	}
	return (n - sum%n) % n
}

// trackingCodeFrom makes a tracking code of the first bytes of sum (a
// hash at least 9 bytes long), as NewTrackingCode does of random ones.
func trackingCodeFrom(sum []byte) string {
	code := make([]byte, 0, TrackingCodeLength)
	for _, b := range sum[:trackingRandomLen] {
		code = append(code, trackingAlphabet[b&31])
	}
	return string(append(code, trackingAlphabet[luhn32(code)]))
}
