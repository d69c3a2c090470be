package embedded

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Direct reads. Most reads Pishkhan makes are of one document by its _id
// (a request, a user, a session, a definition), and in FerretDB v1 each
// cost more than half a millisecond of CPU: FerretDB lists the
// collection, runs the query, decodes the stored JSON into its own
// values, filters them again, opens a cursor and encodes the reply. The
// front answers such a find itself: it reads the stored text from SQLite
// through a connection of its own and decodes it (sjson.go) into the
// BSON FerretDB would have sent; TestDirectReadsAnswerWhatFerretDBAnswers
// compares the replies byte for byte. A find of any other shape, of a
// collection or database that does not exist, or of a document the
// decoder does not take goes to FerretDB unchanged.
//
// A read sees what is committed, as FerretDB's reads do: a direct write
// is answered only once its batch is committed (serialize.go), so a
// client reads whatever it was told was written.

// findAllowed are the fields of a find the direct reads take, with a
// check of each value; FerretDB ignores the last four.
var findAllowed = map[string]func(bson.RawValue) bool{
	"find":   func(v bson.RawValue) bool { return v.Type == bson.TypeString },
	"filter": func(v bson.RawValue) bool { return v.Type == bson.TypeEmbeddedDocument },
	// At most one document matches: any limit but a negative one (which
	// the driver sends only when asked to) returns it in the first batch.
	"limit":           func(v bson.RawValue) bool { n, ok := wholeNumber(v); return ok && n >= 0 },
	"singleBatch":     func(v bson.RawValue) bool { return v.Type == bson.TypeBoolean },
	"batchSize":       func(v bson.RawValue) bool { n, ok := wholeNumber(v); return ok && n >= 1 },
	"maxTimeMS":       func(v bson.RawValue) bool { n, ok := wholeNumber(v); return ok && n >= 0 },
	"$db":             func(v bson.RawValue) bool { return v.Type == bson.TypeString },
	"lsid":            func(bson.RawValue) bool { return true },
	"$readPreference": func(bson.RawValue) bool { return true },
	"readConcern":     func(bson.RawValue) bool { return true },
}

// wholeNumber is v if it is an int32 or int64.
func wholeNumber(v bson.RawValue) (int64, bool) {
	switch v.Type {
	case bson.TypeInt32:
		return int64(v.Int32()), true
	case bson.TypeInt64:
		return v.Int64(), true
	}
	return 0, false
}

// directReader reads documents by _id from the SQLite files, through
// connections of its own (SQLite lets them read beside the writer), kept
// per database for reuse.
type directReader struct {
	dir  string
	mu   sync.Mutex
	idle map[string][]*rawConn
	// gen counts each database's drops: a connection opened before the
	// last one reads a file FerretDB removed, and is closed, not reused.
	gen    map[string]int
	closed bool
}

// maxIdleReaders bounds the connections kept per database.
const maxIdleReaders = 4

func newDirectReader(dir string) *directReader {
	return &directReader{dir: dir, idle: map[string][]*rawConn{}, gen: map[string]int{}}
}

// find answers msg if it is a find of one document by a string _id that
// it can read; false to send it to FerretDB.
func (r *directReader) find(msg []byte) ([]byte, bool) {
	body, seqID, _, ok := splitMessage(msg)
	if !ok || seqID != "" || moreToCome(msg) {
		return nil, false
	}
	elems, err := body.Elements()
	if err != nil || len(elems) == 0 || elems[0].Key() != "find" {
		return nil, false
	}
	var singleBatch bool
	batchSize := int64(101) // FerretDB's default
	for _, e := range elems {
		check := findAllowed[e.Key()]
		if check == nil || !check(e.Value()) {
			return nil, false
		}
		switch e.Key() {
		case "singleBatch":
			singleBatch = e.Value().Boolean()
		case "batchSize":
			batchSize, _ = wholeNumber(e.Value())
		}
	}
	if !singleBatch && batchSize <= 1 {
		return nil, false // FerretDB leaves a cursor open after a full batch
	}
	coll := body.Lookup("find").StringValue()
	db := body.Lookup("$db").StringValue()
	filter, err := body.Lookup("filter").Document().Elements()
	if err != nil || len(filter) != 1 || filter[0].Key() != "_id" {
		return nil, false
	}
	id, ok := filter[0].Value().StringValueOK()
	key, err := json.Marshal(id)
	if !ok || err != nil || string(key) != `"`+id+`"` {
		return nil, false // escaped in JSON, it might be written otherwise in SQLite
	}
	doc, ok := r.read(db, coll, string(key))
	if !ok {
		return nil, false
	}
	batch := bson.A{}
	if doc != nil {
		batch = append(batch, doc)
	}
	reply := bson.D{
		{Key: "cursor", Value: bson.D{{Key: "firstBatch", Value: batch}, {Key: "id", Value: int64(0)}, {Key: "ns", Value: db + "." + coll}}},
		{Key: "ok", Value: 1.0},
	}
	return replyTo(msg, reply), true
}

// read returns the document of collection coll of database db whose _id
// is the JSON string key (nil if there is none), and whether it could
// tell.
func (r *directReader) read(db, coll, key string) (bson.Raw, bool) {
	conn, gen, err := r.get(db)
	if err != nil {
		return nil, false
	}
	table, haveTable, err := conn.queryText(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll)
	var text string
	var found bool
	if err == nil && haveTable {
		text, found, err = conn.queryText(fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), key)
	}
	r.put(db, conn, gen, err == nil)
	switch {
	case err != nil || !haveTable:
		return nil, false
	case !found:
		return nil, true
	}
	doc, err := decodeStored([]byte(text))
	if err != nil || doc.Lookup("_id").Type != bson.TypeString {
		// An ObjectID of the same hex digits is stored as the same text.
		return nil, false
	}
	return doc, true
}

// get returns a connection to database db and the database's generation.
func (r *directReader) get(db string) (*rawConn, int, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, 0, errUndecided
	}
	gen := r.gen[db]
	if idle := r.idle[db]; len(idle) > 0 {
		c := idle[len(idle)-1]
		r.idle[db] = idle[:len(idle)-1]
		r.mu.Unlock()
		return c, gen, nil
	}
	r.mu.Unlock()
	if !plainName(db, true) {
		return nil, 0, errUndecided
	}
	file := filepath.Join(r.dir, db+".sqlite")
	if _, err := os.Stat(file); err != nil {
		return nil, 0, errUndecided // FerretDB answers for a database it has not made
	}
	c, err := openRaw(file)
	if err != nil {
		return nil, 0, err
	}
	if _, err := c.exec("PRAGMA query_only = 1"); err != nil {
		c.close()
		return nil, 0, err
	}
	return c, gen, nil
}

// put gives back a connection get returned; one that failed (keep
// false), or that was opened before the database was dropped, is closed.
func (r *directReader) put(db string, c *rawConn, gen int, keep bool) {
	r.mu.Lock()
	if keep && !r.closed && gen == r.gen[db] && len(r.idle[db]) < maxIdleReaders {
		r.idle[db] = append(r.idle[db], c)
		c = nil
	}
	r.mu.Unlock()
	if c != nil {
		c.close()
	}
}

// wrote closes the connections to a database that was dropped.
func (r *directReader) wrote(command, db string) {
	if command != "dropDatabase" {
		return
	}
	r.mu.Lock()
	idle := r.idle[db]
	delete(r.idle, db)
	r.gen[db]++
	r.mu.Unlock()
	for _, c := range idle {
		c.close()
	}
}

func (r *directReader) close() {
	r.mu.Lock()
	r.closed = true
	all := r.idle
	r.idle = map[string][]*rawConn{}
	r.mu.Unlock()
	for _, idle := range all {
		for _, c := range idle {
			c.close()
		}
	}
}
