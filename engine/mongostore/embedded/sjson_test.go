package embedded

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FerretDB writes strings with encoding/json; the direct writes write
// them themselves when nothing needs escaping, and must come out the same.
//
//	go test -run '^$' -fuzz FuzzJSONStrings -fuzztime 30s ./engine/mongostore/embedded/
func FuzzJSONStrings(f *testing.F) {
	for _, s := range []string{"", "plain", "in-progress", "a \"quote\"", `back\slash`, "<b>&</b>", "tab\there", "\x00\x1f\x7f",
		"درخواست شمارهٔ ۱۲", "line\u2028separator", "para\u2029graph", "emoji 🙂", "\u00e9\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the encoder leaves such strings to FerretDB
		}
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("%q: wrote %s, encoding/json %s", s, got[1:], want)
		}
	})
}
