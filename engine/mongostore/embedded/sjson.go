package embedded

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// FerretDB v1 stores each document as one JSON text, "sjson": the
// document's fields as JSON values, led by a field "$s" holding its schema
// (the type of each field, {"t": "string"}, and the order of the keys,
// "$k"), nested documents and arrays schemed the same way. The direct
// writes (direct.go) store documents without FerretDB, so they write the
// very text FerretDB would: TestDirectWritesStoreWhatFerretDBStores compares
// the two byte for byte. Only the types and shapes Pishkhan writes are
// encoded here; anything else (a key FerretDB would reject or rewrite, a
// -0 it would turn into 0, a type it stores differently) is errUndecided,
// and the write goes to FerretDB, which answers as it always has.

// maxDepth bounds the nesting of a document the encoder takes on.
const maxDepth = 100

// sjsonValue is one encoded value: its JSON and its schema entry.
type sjsonValue struct{ value, schema []byte }

// encodeValue encodes a BSON value as FerretDB's sjson does.
func encodeValue(v bson.RawValue, depth int) (sjsonValue, error) {
	var out sjsonValue
	var err error
	switch v.Type {
	case bson.TypeDouble:
		f := v.Double()
		if math.IsNaN(f) || math.IsInf(f, 0) || (f == 0 && math.Signbit(f)) {
			return out, errUndecided // FerretDB refuses the first two and rewrites the third
		}
		out.value, err = json.Marshal(f)
		out.schema = []byte(`{"t":"double"}`)
	case bson.TypeString:
		s := v.StringValue()
		if !utf8.ValidString(s) {
			return out, errUndecided
		}
		out.value = appendJSONString(nil, s)
		out.schema = []byte(`{"t":"string"}`)
	case bson.TypeEmbeddedDocument:
		if depth >= maxDepth {
			return out, errUndecided
		}
		var d encodedDoc
		if d, err = encodeDocument(v.Document(), depth+1, false); err == nil {
			out.value = d.nested()
			out.schema = append(append([]byte(`{"t":"object","$s":`), d.schema()...), '}')
		}
	case bson.TypeArray:
		if depth >= maxDepth {
			return out, errUndecided
		}
		out, err = encodeArray(v.Array(), depth+1)
	case bson.TypeObjectID:
		id := v.ObjectID()
		out.value = append(hex.AppendEncode([]byte{'"'}, id[:]), '"')
		out.schema = []byte(`{"t":"objectId"}`)
	case bson.TypeBoolean:
		out.value = strconv.AppendBool(nil, v.Boolean())
		out.schema = []byte(`{"t":"bool"}`)
	case bson.TypeDateTime:
		out.value = strconv.AppendInt(nil, v.DateTime(), 10)
		out.schema = []byte(`{"t":"date"}`)
	case bson.TypeNull:
		out.value = []byte("null")
		out.schema = []byte(`{"t":"null"}`)
	case bson.TypeInt32:
		out.value = strconv.AppendInt(nil, int64(v.Int32()), 10)
		out.schema = []byte(`{"t":"int"}`)
	case bson.TypeInt64:
		out.value = strconv.AppendInt(nil, v.Int64(), 10)
		out.schema = []byte(`{"t":"long"}`)
	default:
		return out, errUndecided // binary, regex, timestamp, decimal, ...
	}
	if err != nil {
		return out, errUndecided
	}
	return out, nil
}

func encodeArray(a bson.RawArray, depth int) (sjsonValue, error) {
	vals, err := a.Values()
	if err != nil {
		return sjsonValue{}, errUndecided
	}
	value := []byte{'['}
	schema := []byte(`{"t":"array","i":[`)
	for i, v := range vals {
		if v.Type == bson.TypeArray {
			return sjsonValue{}, errUndecided // FerretDB v1 has no nested arrays
		}
		e, err := encodeValue(v, depth)
		if err != nil {
			return sjsonValue{}, err
		}
		if i > 0 {
			value = append(value, ',')
			schema = append(schema, ',')
		}
		value = append(value, e.value...)
		schema = append(schema, e.schema...)
	}
	return sjsonValue{value: append(value, ']'), schema: append(schema, "]}"...)}, nil
}

// encodedDoc is a document as sjson pieces, its keys in order.
type encodedDoc struct {
	keys []string
	vals []sjsonValue
}

// encodeDocument encodes d's fields. FerretDB moves _id first, and a
// stored document (top) must have one.
func encodeDocument(d bson.Raw, depth int, top bool) (encodedDoc, error) {
	elems, err := d.Elements()
	if err != nil {
		return encodedDoc{}, errUndecided
	}
	out := encodedDoc{keys: make([]string, 0, len(elems)), vals: make([]sjsonValue, 0, len(elems))}
	seen := make(map[string]bool, len(elems))
	for i, e := range elems {
		k := e.Key()
		if !validKey(k) || seen[k] || (k == "_id" && i > 0) || (top && !plainName(k, true)) {
			return encodedDoc{}, errUndecided
		}
		seen[k] = true
		v := e.Value()
		if top && k == "_id" && (v.Type == bson.TypeArray || v.Type == bson.TypeRegex) {
			return encodedDoc{}, errUndecided
		}
		ev, err := encodeValue(v, depth)
		if err != nil {
			return encodedDoc{}, err
		}
		out.keys = append(out.keys, k)
		out.vals = append(out.vals, ev)
	}
	if top && (len(out.keys) == 0 || out.keys[0] != "_id") {
		return encodedDoc{}, errUndecided // FerretDB would give it an ObjectID
	}
	return out, nil
}

// validKey is a key FerretDB stores as it is.
func validKey(k string) bool {
	return utf8.ValidString(k) && !strings.HasPrefix(k, "$") && !strings.Contains(k, ".")
}

// schema is the document's "$s".
func (d encodedDoc) schema() []byte {
	if len(d.keys) == 0 {
		return []byte("{}")
	}
	b := append(d.object([]byte(`{"p":`), func(v sjsonValue) []byte { return v.schema }), `,"$k":`...)
	keys, _ := json.Marshal(d.keys) // strings always encode
	return append(append(b, keys...), '}')
}

// nested is the JSON of a document inside another: its fields only.
func (d encodedDoc) nested() []byte {
	return d.object(nil, func(v sjsonValue) []byte { return v.value })
}

// object appends to b a JSON object of d's keys, each with part of its
// value.
func (d encodedDoc) object(b []byte, part func(sjsonValue) []byte) []byte {
	b = append(b, '{')
	for i, k := range d.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = append(b, part(d.vals[i])...)
	}
	return append(b, '}')
}

// stored is the text of a top-level document as FerretDB stores it.
func (d encodedDoc) stored() []byte {
	var b bytes.Buffer
	b.WriteString(`{"$s":`)
	b.Write(d.schema())
	for i, k := range d.keys {
		b.WriteString(`,"`)
		b.WriteString(k) // FerretDB writes top-level keys unescaped; they are plain names
		b.WriteString(`":`)
		b.Write(d.vals[i].value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// appendJSONString appends s as encoding/json writes it (FerretDB's
// sjson uses it): s as it is between quotes when no byte of it needs
// escaping, else encoding/json's own text. s is valid UTF-8.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 && !plainUTF8(s[i:]) || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainUTF8 reports whether the character s starts with is one
// encoding/json writes as it is: any but U+2028 and U+2029.
func plainUTF8(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r != '\u2028' && r != '\u2029'
}

// storedDoc is a document as FerretDB stored it: the raw JSON of each
// top-level value and of its schema entry, and the keys in order.
type storedDoc struct {
	keys    []string
	values  map[string]json.RawMessage
	schemas map[string]json.RawMessage
}

// parseStored splits a stored document's text into its fields. The text
// is valid JSON (SQLite's index on its _id parsed it when it was written),
// so it is split in one pass, without checking it again; a text this does
// not plainly read (a key with an escape, a duplicate) is left to
// encoding/json, whose reading of any text is the one that counts.
func parseStored(text []byte) (storedDoc, error) {
	if d, ok := splitStored(text); ok {
		return d, nil
	}
	return parseStoredJSON(text)
}

// splitStored is parseStored's one pass; false if it cannot tell.
func splitStored(text []byte) (storedDoc, bool) {
	d := storedDoc{values: map[string]json.RawMessage{}}
	var schema []byte
	ok := jsonMembers(text, func(k string, v []byte) bool {
		if k == "$s" {
			schema = v
			return true
		}
		if _, dup := d.values[k]; dup {
			return false
		}
		d.values[k] = v
		return true
	})
	if !ok || schema == nil {
		return storedDoc{}, false
	}
	var keys []byte
	ok = jsonMembers(schema, func(k string, v []byte) bool {
		switch k {
		case "p":
			if d.schemas != nil {
				return false
			}
			d.schemas = map[string]json.RawMessage{}
			return jsonMembers(v, func(k string, v []byte) bool {
				if _, dup := d.schemas[k]; dup {
					return false
				}
				d.schemas[k] = v
				return true
			})
		case "$k":
			if keys != nil {
				return false
			}
			keys = v
		}
		return true
	})
	if !ok || keys == nil || len(keys) < 2 || keys[0] != '[' {
		return storedDoc{}, false
	}
	for i := skipSpace(keys, 1); i < len(keys) && keys[i] != ']'; {
		end := skipValue(keys, i)
		if end < 0 || keys[i] != '"' || bytes.IndexByte(keys[i+1:end-1], '\\') >= 0 || !utf8.Valid(keys[i+1:end-1]) {
			return storedDoc{}, false
		}
		d.keys = append(d.keys, string(keys[i+1:end-1]))
		if i = skipSpace(keys, end); i < len(keys) && keys[i] == ',' {
			i = skipSpace(keys, i+1)
		}
	}
	if len(d.keys) != len(d.values) {
		return storedDoc{}, false
	}
	for _, k := range d.keys {
		if _, ok := d.values[k]; !ok || d.schemas[k] == nil {
			return storedDoc{}, false
		}
	}
	return d, true
}

// jsonMembers calls fn with each member of the JSON object text, its key
// (false for a key with an escape) and its value's text, until fn returns
// false; false if it stopped early or text is not plainly an object.
func jsonMembers(text []byte, fn func(k string, v []byte) bool) bool {
	i := skipSpace(text, 0)
	if i >= len(text) || text[i] != '{' {
		return false
	}
	i = skipSpace(text, i+1)
	for i < len(text) && text[i] != '}' {
		end := skipValue(text, i)
		if end < 0 || text[i] != '"' || bytes.IndexByte(text[i+1:end-1], '\\') >= 0 || !utf8.Valid(text[i+1:end-1]) {
			return false
		}
		key := string(text[i+1 : end-1])
		if i = skipSpace(text, end); i >= len(text) || text[i] != ':' {
			return false
		}
		i = skipSpace(text, i+1)
		if end = skipValue(text, i); end < 0 || !fn(key, text[i:end]) {
			return false
		}
		if i = skipSpace(text, end); i < len(text) && text[i] == ',' {
			i = skipSpace(text, i+1)
		}
	}
	return i < len(text)
}

func skipSpace(text []byte, i int) int {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value that starts at i; -1 if
// the text ends first.
func skipValue(text []byte, i int) int {
	depth := 0
	for ; i < len(text); i++ {
		switch c := text[i]; c {
		case '"':
			for i++; i < len(text) && text[i] != '"'; i++ {
				if text[i] == '\\' {
					i++
				}
			}
			if i >= len(text) {
				return -1
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth < 0 {
				return -1
			}
			if depth == 0 {
				return i + 1
			}
		default:
			if depth == 0 {
				// A number, true, false or null: up to what ends it.
				start := i
			literal:
				for ; i < len(text); i++ {
					switch text[i] {
					case ',', '}', ']', ' ', '\t', '\n', '\r':
						break literal
					}
				}
				if i == start {
					return -1
				}
				return i
			}
		}
	}
	return -1
}

// parseStoredJSON is parseStored by encoding/json.
func parseStoredJSON(text []byte) (storedDoc, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(text, &fields); err != nil {
		return storedDoc{}, errUndecided
	}
	var sch struct {
		P map[string]json.RawMessage `json:"p"`
		K []string                   `json:"$k"`
	}
	if err := json.Unmarshal(fields["$s"], &sch); err != nil {
		return storedDoc{}, errUndecided
	}
	delete(fields, "$s")
	if len(sch.K) != len(fields) {
		return storedDoc{}, errUndecided
	}
	for _, k := range sch.K {
		if _, ok := fields[k]; !ok || sch.P[k] == nil {
			return storedDoc{}, errUndecided
		}
	}
	return storedDoc{keys: sch.K, values: fields, schemas: sch.P}, nil
}

// applySetUnset is the document FerretDB makes of stored by an update of
// $set and $unset on top-level fields: a set field keeps its place, a new
// one goes after the others in the order of the keys, an unset one goes.
func applySetUnset(stored storedDoc, set encodedDoc, unset map[string]bool) encodedDoc {
	setAt := make(map[string]int, len(set.keys))
	for i, k := range set.keys {
		setAt[k] = i
	}
	out := encodedDoc{}
	for _, k := range stored.keys {
		switch i, ok := setAt[k]; {
		case unset[k]:
		case ok:
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, set.vals[i])
			delete(setAt, k)
		default:
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, sjsonValue{value: stored.values[k], schema: stored.schemas[k]})
		}
	}
	added := make([]string, 0, len(setAt))
	for k := range setAt {
		added = append(added, k)
	}
	slices.Sort(added)
	for _, k := range added {
		out.keys = append(out.keys, k)
		out.vals = append(out.vals, set.vals[setAt[k]])
	}
	return out
}

// Decoding, for the direct reads (directread.go): the BSON of a stored
// document, as FerretDB's sjson.Unmarshal reads it and FerretDB then
// sends it. Anything FerretDB would not read (a schema that does not fit
// the values, a type unknown here) is errUndecided: the read goes to
// FerretDB.

// sjsonSchema is a document's "$s", sjsonElem one entry of its "p".
type sjsonSchema struct {
	P map[string]*sjsonElem `json:"p"`
	K []string              `json:"$k"`
}

type sjsonElem struct {
	T string       `json:"t"`
	S *sjsonSchema `json:"$s,omitempty"` // an object's
	O *string      `json:"o,omitempty"`  // a regex's options
	I []*sjsonElem `json:"i,omitempty"`  // an array's items
	B *byte        `json:"s,omitempty"`  // binary data's subtype
}

// decodeStored returns the BSON of the stored document text.
func decodeStored(text []byte) (bson.Raw, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(text, &fields); err != nil {
		return nil, errUndecided
	}
	var sch sjsonSchema
	dec := json.NewDecoder(bytes.NewReader(fields["$s"]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sch); err != nil || dec.More() {
		return nil, errUndecided
	}
	delete(fields, "$s")
	return appendDecodedDoc(nil, fields, &sch, 0)
}

// appendDecodedDoc appends the BSON document of fields, schemed by sch.
func appendDecodedDoc(dst []byte, fields map[string]json.RawMessage, sch *sjsonSchema, depth int) ([]byte, error) {
	if depth > maxDepth || (len(fields) > 0 && sch == nil) || (sch != nil && len(sch.K) != len(fields)) {
		return nil, errUndecided
	}
	at, dst := bsoncore.ReserveLength(dst)
	if len(fields) > 0 {
		for _, k := range sch.K {
			raw, ok := fields[k]
			if !ok || strings.IndexByte(k, 0) >= 0 {
				return nil, errUndecided
			}
			var err error
			if dst, err = appendDecodedValue(dst, k, raw, sch.P[k], depth); err != nil {
				return nil, err
			}
		}
	}
	dst = append(dst, 0)
	return bsoncore.UpdateLength(dst, at, int32(len(dst)-int(at))), nil
}

// appendDecodedValue appends the BSON element key: the value raw, schemed
// by e.
func appendDecodedValue(dst []byte, key string, raw json.RawMessage, e *sjsonElem, depth int) ([]byte, error) {
	if string(raw) == "null" {
		return bsoncore.AppendNullElement(dst, key), nil // whatever the schema says, as FerretDB reads it
	}
	if e == nil {
		return nil, errUndecided
	}
	var err error
	switch e.T {
	case "object":
		var fields map[string]json.RawMessage
		if e.S == nil || json.Unmarshal(raw, &fields) != nil {
			return nil, errUndecided
		}
		dst = bsoncore.AppendHeader(dst, bsoncore.TypeEmbeddedDocument, key)
		return appendDecodedDoc(dst, fields, e.S, depth+1)
	case "array":
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil || len(items) != len(e.I) || depth >= maxDepth {
			return nil, errUndecided
		}
		dst = bsoncore.AppendHeader(dst, bsoncore.TypeArray, key)
		at, out := bsoncore.ReserveLength(dst)
		for i, item := range items {
			if out, err = appendDecodedValue(out, strconv.Itoa(i), item, e.I[i], depth+1); err != nil {
				return nil, err
			}
		}
		out = append(out, 0)
		return bsoncore.UpdateLength(out, at, int32(len(out)-int(at))), nil
	case "double":
		return scalar(dst, raw, func(b []byte, f float64) []byte { return bsoncore.AppendDoubleElement(b, key, f) })
	case "string":
		return scalar(dst, raw, func(b []byte, s string) []byte { return bsoncore.AppendStringElement(b, key, s) })
	case "binData":
		if e.B != nil {
			return scalar(dst, raw, func(b []byte, data []byte) []byte { return bsoncore.AppendBinaryElement(b, key, *e.B, data) })
		}
	case "objectId":
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if id, err := hex.DecodeString(s); err == nil && len(id) == 12 {
				return bsoncore.AppendObjectIDElement(dst, key, bson.ObjectID(id)), nil
			}
		}
	case "bool":
		return scalar(dst, raw, func(b []byte, v bool) []byte { return bsoncore.AppendBooleanElement(b, key, v) })
	case "date":
		return scalar(dst, raw, func(b []byte, ms int64) []byte { return bsoncore.AppendDateTimeElement(b, key, ms) })
	case "regex":
		var pattern string
		if json.Unmarshal(raw, &pattern) == nil && e.O != nil && strings.IndexByte(pattern, 0) < 0 && strings.IndexByte(*e.O, 0) < 0 {
			return bsoncore.AppendRegexElement(dst, key, pattern, *e.O), nil
		}
	case "int":
		return scalar(dst, raw, func(b []byte, n int32) []byte { return bsoncore.AppendInt32Element(b, key, n) })
	case "timestamp":
		// The increment is the low half, the seconds the high.
		return scalar(dst, raw, func(b []byte, ts uint64) []byte {
			return bsoncore.AppendTimestampElement(b, key, uint32(ts>>32), uint32(ts))
		})
	case "long":
		return scalar(dst, raw, func(b []byte, n int64) []byte { return bsoncore.AppendInt64Element(b, key, n) })
	}
	return nil, errUndecided
}

// scalar appends, with add, raw decoded as a T.
func scalar[T any](dst []byte, raw json.RawMessage, add func([]byte, T) []byte) ([]byte, error) {
	var v T
	if json.Unmarshal(raw, &v) != nil {
		return nil, errUndecided
	}
	return add(dst, v), nil
}
