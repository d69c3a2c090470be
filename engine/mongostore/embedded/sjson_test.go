package embedded

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
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

// What the direct writes store, the direct reads read back as the very
// BSON written; and no stored text, however odd, makes the decoder fail
// otherwise than by leaving the read to FerretDB.
//
//	go test -run '^$' -fuzz FuzzStoredDocuments -fuzztime 30s ./engine/mongostore/embedded/
func FuzzStoredDocuments(f *testing.F) {
	f.Add(mustMarshal(richDocument("PK-1")), []byte(`{"$s":{"p":{"_id":{"t":"string"}},"$k":["_id"]},"_id":"x"}`))
	f.Add(mustMarshal(bson.D{{Key: "_id", Value: "e"}, {Key: "a", Value: bson.A{}}, {Key: "d", Value: bson.D{}}}),
		[]byte(`{"$s":{"p":{"_id":{"t":"string"},"t":{"t":"timestamp"},"b":{"t":"binData","s":4}},"$k":["_id","t","b"]},"_id":"x","t":7,"b":"AAE="}`))
	f.Fuzz(func(t *testing.T, doc, text []byte) {
		_, _ = decodeStored(text)
		if bson.Raw(doc).Validate() != nil {
			return
		}
		enc, err := encodeDocument(doc, 0, true)
		if err != nil {
			return // left to FerretDB
		}
		got, err := decodeStored(enc.stored())
		if err != nil {
			t.Fatalf("%s: stored as %s, not read back: %v", bson.Raw(doc), enc.stored(), err)
		}
		if string(got) != string(doc) {
			t.Errorf("stored as %s\nread back %s\nwritten   %s", enc.stored(), got, bson.Raw(doc))
		}
	})
}

// The one-pass split of a stored text reads it as encoding/json does, or
// leaves it to encoding/json.
//
//	go test -run '^$' -fuzz FuzzSplitStored -fuzztime 300000x ./engine/mongostore/embedded/
func FuzzSplitStored(f *testing.F) {
	for _, doc := range []bson.D{richDocument("PK-1"), requestLike("R-1"), {{Key: "_id", Value: "e"}}} {
		enc, err := encodeDocument(mustMarshal(doc), 0, true)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc.stored())
	}
	f.Add([]byte(` { "$s" : { "$k" : [ "_id" , "a" ] , "p" : { "_id" : {"t":"string"}, "a": {"t":"double"} } } , "_id" : "x", "a": -1.5e3 } `))
	f.Add([]byte(`{"$s":{"p":{"_id":{"t":"string"}},"$k":["_id"]},"_id":"x","_id":"y"}`))
	f.Add([]byte(`{"$s":{"p":{"_\u0069d":{"t":"string"}},"$k":["_id"]},"_id":"x"}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		split, ok := splitStored(text)
		if !ok || !json.Valid(text) {
			return // stored texts are valid JSON
		}
		want, err := parseStoredJSON(text)
		if err != nil {
			t.Fatalf("split %s, which encoding/json refuses: %v", text, err)
		}
		same := func(a, b json.RawMessage) bool { return bytes.Equal(a, b) }
		if !slices.Equal(split.keys, want.keys) || !maps.EqualFunc(split.values, want.values, same) ||
			!maps.EqualFunc(split.schemas, want.schemas, same) {
			t.Errorf("%s\nsplit   %q %q %q\nwant    %q %q %q", text, split.keys, split.values, split.schemas, want.keys, want.values, want.schemas)
		}
	})
}

// BenchmarkParseStored reads a request-sized stored text as an update
// does before applying its operators, in one pass and with encoding/json.
//
//	go test -run '^$' -bench ParseStored ./engine/mongostore/embedded/
func BenchmarkParseStored(b *testing.B) {
	enc, err := encodeDocument(mustMarshal(requestLike("R-1")), 0, true)
	if err != nil {
		b.Fatal(err)
	}
	text := enc.stored()
	for name, parse := range map[string]func([]byte) (storedDoc, error){"split": parseStored, "encoding-json": parseStoredJSON} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := parse(text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
