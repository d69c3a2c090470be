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

func parseStored(text []byte) (storedDoc, error) {
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
