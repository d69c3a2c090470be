package embedded

import (
	"encoding/binary"
	"errors"
	"net"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// FerretDB v1 on SQLite hands SQLite only filters that are exactly
// {_id: value}; any other filter reads and decodes every document of the
// collection. Pishkhan's steps write with {_id, revision} filters (a
// write guarded by the revision it read), so each cost time in proportion
// to the open requests. The front holds all writes off while one is in
// FerretDB (serialize.go), so it can split such a write in two without
// losing atomicity: read the document by _id, check the other conditions
// itself, and then forward the write with the _id alone as its filter, or
// answer "matched nothing" without forwarding it. Only the plainest shape
// is split: one update or delete of one document, conditions of equality
// on top-level fields with strings, integers, booleans or times, and a
// document whose fields hold values of the same kinds. Anything else goes
// to FerretDB unchanged, which is slower but always right.

// guardedWrite is an update or delete of one document recognised as
// splittable.
type guardedWrite struct {
	db, coll string
	id       bson.RawValue
	conds    []bson.RawElement
	command  string // update or delete
	upsert   bool
	// What rewritten rebuilds the message from.
	header []byte
	body   bson.Raw
	seqID  string
	stmt   []bson.RawElement
	// An update's operators, read before writes are held off (parseOps).
	ops    []fieldOp
	opsErr error
}

const flagChecksum = 1 << 0

// statementKeys are the statement fields a splittable write may carry.
var statementKeys = map[string]map[string]bool{
	"update": {"q": true, "u": true, "upsert": true, "multi": true},
	"delete": {"q": true, "limit": true},
}

// sequenceName is the document sequence holding a write's statements.
var sequenceName = map[string]string{"update": "updates", "delete": "deletes"}

// parseGuarded recognises an update or delete of one document by _id and
// equality conditions (the direct writes take those with none, and
// upserts; only the others are split); nil if msg is anything else.
func parseGuarded(msg []byte) *guardedWrite {
	if opCode(msg) != opMsg || len(msg) < headerLen+5 {
		return nil
	}
	// Most writes are inserts: look no further than their name.
	if name, err := commandName(msg); err != nil || statementKeys[name] == nil {
		return nil
	}
	body, seqID, seqDocs, ok := splitMessage(msg)
	if !ok {
		return nil
	}
	first, err := body.IndexErr(0)
	if err != nil {
		return nil
	}
	g := &guardedWrite{command: first.Key()}
	allowed := statementKeys[g.command]
	if allowed == nil || seqID != sequenceName[g.command] || len(seqDocs) != 1 {
		return nil
	}
	coll, ok := first.Value().StringValueOK()
	db, ok2 := body.Lookup("$db").StringValueOK()
	if !ok || !ok2 {
		return nil
	}
	g.db, g.coll = db, coll
	stmt := seqDocs[0]
	elems, err := stmt.Elements()
	if err != nil {
		return nil
	}
	for _, e := range elems {
		if !allowed[e.Key()] {
			return nil
		}
	}
	// Only booleans: FerretDB has words for anything else.
	for _, k := range []string{"upsert", "multi"} {
		if v, err := stmt.LookupErr(k); err == nil {
			b, ok := v.BooleanOK()
			if !ok || (k == "multi" && b) {
				return nil
			}
			g.upsert = g.upsert || b
		}
	}
	if g.command == "delete" {
		if n, ok := asInt(stmt.Lookup("limit")); !ok || n != 1 {
			return nil
		}
	}
	q, ok := stmt.Lookup("q").DocumentOK()
	if !ok {
		return nil
	}
	qe, err := q.Elements()
	if err != nil || len(qe) < 1 {
		return nil
	}
	for _, e := range qe {
		k, v := e.Key(), e.Value()
		switch {
		case k == "_id" && v.Type == bson.TypeString:
			g.id = v
		case k == "_id" || !plainField(k) || !plainValue(v):
			return nil
		default:
			g.conds = append(g.conds, e)
		}
	}
	if g.id.Type == 0 {
		return nil
	}
	g.header, g.body, g.seqID, g.stmt = msg[:headerLen], body, seqID, elems
	if g.command == "update" {
		g.ops, g.opsErr = parseOps(g)
	}
	return g
}

// splittable is a write worth splitting: one with conditions besides _id
// (FerretDB looks a document up by _id itself) that inserts nothing.
func (g *guardedWrite) splittable() bool { return len(g.conds) > 0 && !g.upsert }

// splitMessage returns an OP_MSG's body and its one document sequence
// (its name and documents; none may be), as drivers send a write command;
// false for anything else: flags but the checksum (moreToCome means
// unacknowledged, exhaust is for reads), a second sequence, a body that
// does not validate.
func splitMessage(msg []byte) (body bson.Raw, seqID string, seqDocs []bson.Raw, ok bool) {
	if opCode(msg) != opMsg || len(msg) < headerLen+5 {
		return nil, "", nil, false
	}
	flags := binary.LittleEndian.Uint32(msg[headerLen:])
	if flags&^flagChecksum != 0 {
		return nil, "", nil, false
	}
	sections := msg[headerLen+4:]
	if flags&flagChecksum != 0 {
		sections = sections[:len(sections)-4]
	}
	seen := false
	for len(sections) > 0 {
		kind := sections[0]
		sections = sections[1:]
		if len(sections) < 4 {
			return nil, "", nil, false
		}
		size := int(int32(binary.LittleEndian.Uint32(sections)))
		if size < 4 || size > len(sections) {
			return nil, "", nil, false
		}
		sec := sections[:size]
		sections = sections[size:]
		switch {
		case kind == 0 && body == nil:
			body = bson.Raw(sec)
		case kind == 1 && !seen:
			id, docs, ok := parseSequence(sec[4:])
			if !ok {
				return nil, "", nil, false
			}
			seqID, seqDocs, seen = id, docs, true
		default:
			return nil, "", nil, false
		}
	}
	if body == nil || body.Validate() != nil {
		return nil, "", nil, false
	}
	return body, seqID, seqDocs, true
}

// rewritten is the message with the statement's filter reduced to {_id}.
func (g *guardedWrite) rewritten() []byte {
	stmt := bson.D{}
	for _, e := range g.stmt {
		v := e.Value()
		if e.Key() == "q" {
			v = bson.RawValue{Type: bson.TypeEmbeddedDocument, Value: mustMarshal(bson.D{{Key: "_id", Value: g.id}})}
		}
		stmt = append(stmt, bson.E{Key: e.Key(), Value: v})
	}
	seq := appendCString(nil, g.seqID)
	seq = append(seq, mustMarshal(stmt)...)
	out := make([]byte, headerLen, headerLen+len(g.body)+len(seq)+10)
	copy(out, g.header)
	out = binary.LittleEndian.AppendUint32(out, 0) // flags: no checksum
	out = append(out, 0)
	out = append(out, g.body...)
	out = append(out, 1)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(seq)+4))
	out = append(out, seq...)
	binary.LittleEndian.PutUint32(out, uint32(len(out)))
	binary.LittleEndian.PutUint32(out[8:], 0) // responseTo
	return out
}

func parseSequence(b []byte) (string, []bson.Raw, bool) {
	i := 0
	for i < len(b) && b[i] != 0 {
		i++
	}
	if i == len(b) {
		return "", nil, false
	}
	id := string(b[:i])
	b = b[i+1:]
	var docs []bson.Raw
	for len(b) > 0 {
		if len(b) < 4 {
			return "", nil, false
		}
		n := int(int32(binary.LittleEndian.Uint32(b)))
		if n < 5 || n > len(b) || bson.Raw(b[:n]).Validate() != nil {
			return "", nil, false
		}
		docs = append(docs, bson.Raw(b[:n]))
		b = b[n:]
	}
	return id, docs, true
}

// plainField is a top-level field name: no operator, no path.
func plainField(k string) bool {
	if k == "" || k[0] == '$' {
		return false
	}
	for i := range len(k) {
		if k[i] == '.' {
			return false
		}
	}
	return true
}

// plainValue is a value whose equality the front decides itself.
func plainValue(v bson.RawValue) bool {
	switch v.Type {
	case bson.TypeString, bson.TypeInt32, bson.TypeInt64, bson.TypeBoolean, bson.TypeDateTime:
		return true
	}
	return false
}

func asInt(v bson.RawValue) (int64, bool) {
	switch v.Type {
	case bson.TypeInt32:
		return int64(v.Int32()), true
	case bson.TypeInt64:
		return v.Int64(), true
	case bson.TypeDouble:
		f := v.Double()
		return int64(f), f == float64(int64(f))
	}
	return 0, false
}

// errUndecided means the front cannot tell whether the document matches;
// the write then goes to FerretDB unchanged.
var errUndecided = errors.New("undecided")

// matches reports whether doc (nil: none) meets the write's conditions.
func (g *guardedWrite) matches(doc bson.Raw) (bool, error) {
	if doc == nil {
		return false, nil
	}
	for _, c := range g.conds {
		want := c.Value()
		got, err := doc.LookupErr(c.Key())
		if err != nil {
			return false, nil // missing: equality with a non-null value fails
		}
		if !plainValue(got) {
			return false, errUndecided // an array may contain it, a double may equal it
		}
		wi, wok := asInt(want)
		gi, gok := asInt(got)
		switch {
		case wok && gok:
			if wi != gi {
				return false, nil
			}
		case want.Type != got.Type || string(want.Value) != string(got.Value):
			return false, nil
		}
	}
	return true, nil
}

var internalRequestID atomic.Int32

// lookup reads the document the write names, with only the fields its
// conditions need, on the backend connection.
func (g *guardedWrite) lookup(backend net.Conn) (bson.Raw, error) {
	proj := bson.D{}
	for _, c := range g.conds {
		proj = append(proj, bson.E{Key: c.Key(), Value: 1})
	}
	cmd := mustMarshal(bson.D{{Key: "find", Value: g.coll}, {Key: "filter", Value: bson.D{{Key: "_id", Value: g.id}}},
		{Key: "projection", Value: proj}, {Key: "limit", Value: int32(1)}, {Key: "singleBatch", Value: true}, {Key: "$db", Value: g.db}})
	reply, err := exchange(backend, cmd)
	if err != nil {
		return nil, err
	}
	if ok, _ := asInt(reply.Lookup("ok")); ok != 1 {
		return nil, errUndecided
	}
	batch, ok := reply.Lookup("cursor", "firstBatch").ArrayOK()
	if !ok {
		return nil, errUndecided
	}
	vals, err := batch.Values()
	if err != nil {
		return nil, errUndecided
	}
	if len(vals) == 0 {
		return nil, nil
	}
	doc, ok := vals[0].DocumentOK()
	if !ok {
		return nil, errUndecided
	}
	return doc, nil
}

// noMatch is FerretDB's answer to a write whose filter matched nothing.
func (g *guardedWrite) noMatch(request []byte) []byte {
	doc := bson.D{{Key: "n", Value: int32(0)}}
	if g.command == "update" {
		doc = append(doc, bson.E{Key: "nModified", Value: int32(0)})
	}
	doc = append(doc, bson.E{Key: "ok", Value: 1.0})
	return replyTo(request, doc)
}

// replyTo is the front's own answer doc to request.
func replyTo(request []byte, doc bson.D) []byte {
	return opMsgOf(mustMarshal(doc), internalRequestID.Add(1), int32(binary.LittleEndian.Uint32(request[4:8])))
}

// exchange sends one command on conn and returns the body of its reply.
func exchange(conn net.Conn, cmd []byte) (bson.Raw, error) {
	if _, err := conn.Write(opMsgOf(cmd, internalRequestID.Add(1), 0)); err != nil {
		return nil, err
	}
	reply, err := readMessage(conn)
	if err != nil {
		return nil, err
	}
	if opCode(reply) != opMsg || len(reply) < headerLen+5 || reply[headerLen+4] != 0 {
		return nil, errUndecided
	}
	body := bson.Raw(reply[headerLen+5:])
	if len(body) < 5 {
		return nil, errUndecided
	}
	n := int(int32(binary.LittleEndian.Uint32(body)))
	if n < 5 || n > len(body) || body[:n].Validate() != nil {
		return nil, errUndecided
	}
	return body[:n], nil
}

// opMsgOf is an OP_MSG with one body section.
func opMsgOf(body []byte, requestID, responseTo int32) []byte {
	out := make([]byte, headerLen, headerLen+5+len(body))
	binary.LittleEndian.PutUint32(out[4:], uint32(requestID))
	binary.LittleEndian.PutUint32(out[8:], uint32(responseTo))
	binary.LittleEndian.PutUint32(out[12:], opMsg)
	out = binary.LittleEndian.AppendUint32(out, 0)
	out = append(out, 0)
	out = append(out, body...)
	binary.LittleEndian.PutUint32(out, uint32(len(out)))
	return out
}

func appendCString(b []byte, s string) []byte { return append(append(b, s...), 0) }

func mustMarshal(v any) []byte {
	b, err := bson.Marshal(v)
	if err != nil {
		panic(err) // only values built above, which always encode
	}
	return b
}
