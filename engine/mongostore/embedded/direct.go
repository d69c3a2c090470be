package embedded

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Direct writes. A step of a request is one write, and in FerretDB v1 an
// update of one document cost about five milliseconds of CPU on these
// machines: it read the document and decoded it into Go values, applied
// the operators, encoded it again, and wrote it with SQL. Most of that
// was FerretDB's Go and SQLite upkeep of indexes no query used (see
// mongostore's createIndex). The front does the plainest writes itself,
// in SQLite, each in a savepoint of the transaction that the writes queued
// together share (group commit, serialize.go):
//
//   - an insert of one document that has an _id, into a collection that
//     exists;
//   - an update or delete of one document by _id and equality conditions
//     (guarded.go), the update made of $set, $unset, $setOnInsert, $inc by
//     an integer of a long and $min of a time on top-level fields; with
//     upsert, of a document that is there, or by _id alone.
//
// It writes the document text FerretDB would write (sjson.go), so FerretDB
// reads the document back as if it had written it, and the SQLite triggers
// keep the side tables as they do for FerretDB's writes. The write happens
// with all other writes held off (serialize.go), as FerretDB's would, and
// is answered once its transaction is committed.
// Whatever is not plainly one of these (a new collection, a capped one,
// an unusual value or operator, a duplicate _id) goes to FerretDB
// unchanged, before anything was written, and gets FerretDB's answer.

// directWriter writes to the SQLite files through one connection per
// database, with its statements prepared once. Its methods run with
// writes held off, one at a time.
type directWriter struct {
	dir   string
	mu    sync.Mutex // guards dbs and failed
	dbs   map[string]*writerDB
	blank map[string]bool // "db.table" known to be plain (not capped)
	// failed holds the databases whose open transaction was lost, with
	// why, until commitAll reports them.
	failed map[string]error
	synced atomic.Int64 // commits that waited for the disk
}

type writerDB struct {
	conn *rawConn // transactions are begun on it by hand
	file string   // the database's file
	inTx bool     // one is open, holding writes not yet committed
	// wal is the WAL file, opened at the first durable commit and kept
	// (SQLite keeps the file while a connection, this one, is open).
	wal *os.File
	// ckpt checkpoints the WAL in the background (checkpoint.go).
	ckpt *checkpointer
}

func newDirectWriter(dir string) *directWriter {
	return &directWriter{dir: dir, dbs: map[string]*writerDB{}, blank: map[string]bool{}, failed: map[string]error{}}
}

func (w *directWriter) open(name string) (*writerDB, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if d := w.dbs[name]; d != nil {
		return d, nil
	}
	if !plainName(name, true) {
		return nil, errUndecided
	}
	file := filepath.Join(w.dir, name+".sqlite")
	if _, err := os.Stat(file); err != nil {
		return nil, errUndecided // FerretDB creates it
	}
	conn, err := openRaw(file)
	if err != nil {
		return nil, err
	}
	for _, q := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 0"} {
		if _, err := conn.exec(q); err != nil {
			conn.close()
			return nil, err
		}
	}
	d := &writerDB{conn: conn, file: file, ckpt: startCheckpointer(file)}
	w.dbs[name] = d
	return d, nil
}

func (d *writerDB) close() {
	d.ckpt.stop()
	d.conn.close()
	if d.wal != nil {
		_ = d.wal.Close()
	}
}

// commit commits the open transaction and, if durable, waits for the
// disk (counted in synced): it syncs the WAL file, which is what SQLite's synchronous FULL
// does at each commit. The writer's connections commit with synchronous
// NORMAL, so that a batch that need not be durable does not wait.
func (d *writerDB) commit(durable bool, synced *atomic.Int64) error {
	if _, err := d.conn.exec("COMMIT"); err != nil {
		return err
	}
	d.ckpt.committed()
	d.ckpt.finishCheckpoint(d.conn)
	if !durable {
		return nil
	}
	if d.wal == nil {
		wal, err := os.OpenFile(d.file+"-wal", os.O_RDWR, 0)
		if err != nil {
			return err
		}
		d.wal = wal
	}
	if err := d.wal.Sync(); err != nil {
		return err
	}
	synced.Add(1)
	return nil
}

// wrote closes the connection to a database that was dropped (FerretDB
// removed its file; one written to now would be lost) and forgets what it
// knew of tables that may have gone.
func (w *directWriter) wrote(command, db string) {
	if command != "dropDatabase" && command != "drop" && command != "renameCollection" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	clear(w.blank)
	if command != "dropDatabase" {
		return
	}
	if d := w.dbs[db]; d != nil {
		d.close()
		delete(w.dbs, db)
	}
}

func (w *directWriter) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for name, d := range w.dbs {
		d.close()
		delete(w.dbs, name)
	}
}

// drop closes the connection of database name: a transaction it could not
// end is rolled back with it.
func (w *directWriter) drop(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if d := w.dbs[name]; d != nil {
		d.close()
		delete(w.dbs, name)
	}
}

// writeTx is a write transaction on one database's connection.
type writeTx struct {
	w     *directWriter
	name  string
	conn  *rawConn
	table string
}

// begin starts a direct write to collection coll of database db: a
// savepoint in the transaction open on the database's connection (begun
// if none is), and the collection's table; errUndecided if there is none
// or it is not plain. Writes accumulate in that transaction until
// commitAll.
func (w *directWriter) begin(db, coll string) (*writeTx, error) {
	d, err := w.open(db)
	if err != nil {
		return nil, errUndecided
	}
	if !d.inTx {
		if _, err := d.conn.exec("BEGIN IMMEDIATE"); err != nil {
			w.drop(db)
			return nil, errUndecided
		}
		d.inTx = true
	}
	if _, err := d.conn.exec("SAVEPOINT direct_write"); err != nil {
		w.fail(db, err)
		return nil, errUndecided
	}
	tx := &writeTx{w: w, name: db, conn: d.conn}
	if tx.table, err = w.tableOf(d.conn, db, coll); err != nil {
		tx.rollback()
		return nil, errUndecided
	}
	return tx, nil
}

// tableOf returns the table of collection coll of database db, whose
// connection is conn; errUndecided if there is none or it is not plain.
func (w *directWriter) tableOf(conn *rawConn, db, coll string) (string, error) {
	table, found, err := conn.queryText(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll)
	if err == nil && !found {
		err = errUndecided
	}
	if err == nil && !w.blank[db+"."+table] {
		// A capped collection's table has a record id column besides the
		// document.
		var n string
		n, _, err = conn.queryText(`SELECT count(*) FROM pragma_table_info(?)`, table)
		if err == nil && n != "1" {
			err = errUndecided
		}
		if err == nil {
			w.blank[db+"."+table] = true
		}
	}
	return table, err
}

// rollback undoes this write, and only it.
func (tx *writeTx) rollback() {
	_, err := tx.conn.exec("ROLLBACK TO direct_write")
	if err == nil {
		_, err = tx.conn.exec("RELEASE direct_write")
	}
	if err != nil {
		tx.w.fail(tx.name, err)
	}
}

// done keeps this write in the open transaction.
func (tx *writeTx) done() error {
	if _, err := tx.conn.exec("RELEASE direct_write"); err != nil {
		tx.w.fail(tx.name, err)
		return fmt.Errorf("embedded store: direct write: %w", err)
	}
	return nil
}

// fail closes the connection of database name, which rolls back its open
// transaction: every write in it fails at commitAll.
func (w *directWriter) fail(name string, err error) {
	w.mu.Lock()
	if d := w.dbs[name]; d != nil && d.inTx {
		w.failed[name] = err
	}
	w.mu.Unlock()
	w.drop(name)
}

// commitAll commits the open transaction of every database, waiting for
// the disk only if durable (serialize.go), and returns the error of each
// that could not commit (its writes rolled back).
func (w *directWriter) commitAll(durable bool) map[string]error {
	w.mu.Lock()
	failed := w.failed
	w.failed = map[string]error{}
	open := map[string]*writerDB{}
	for name, d := range w.dbs {
		if d.inTx {
			open[name] = d
		}
	}
	w.mu.Unlock()
	for name, d := range open {
		d.inTx = false
		err := d.commit(durable, &w.synced)
		if err != nil {
			failed[name] = fmt.Errorf("embedded store: commit: %w", err)
			w.drop(name)
		}
	}
	return failed
}

// insertAllowed are the fields of an insert command the direct path
// takes; FerretDB ignores the last four too.
var insertAllowed = map[string]bool{"insert": true, "ordered": true, "$db": true, "lsid": true,
	"writeConcern": true, "comment": true, "maxTimeMS": true, "bypassDocumentValidation": true}

// insertWrite is an insert of one document the direct writer may take,
// read and encoded before writes are held off: that needs nothing of the
// store, and a write holds the others off for no longer than it writes.
type insertWrite struct {
	db, coll string
	enc      encodedDoc
	err      error // the document cannot be encoded as FerretDB would
}

// prepareInsert reads msg as an insert of one document; nil for any
// other command.
func prepareInsert(msg []byte) *insertWrite {
	body, doc, ok := parseInsert(msg)
	if !ok {
		return nil
	}
	p := &insertWrite{}
	p.coll, _ = body.Lookup("insert").StringValueOK()
	p.db, _ = body.Lookup("$db").StringValueOK()
	p.enc, p.err = encodeDocument(doc, 1, true)
	return p
}

// insert writes the one document of an insert command, as prepareInsert
// read it; errUndecided (nothing written) for any other.
func (w *directWriter) insert(p *insertWrite, msg []byte) ([]byte, error) {
	if p == nil {
		return nil, errUndecided
	}
	if p.err != nil {
		return nil, p.err
	}
	tx, err := w.begin(p.db, p.coll)
	if err != nil {
		return nil, err
	}
	if _, err := tx.conn.exec(fmt.Sprintf(`INSERT INTO %q (_ferretdb_sjson) VALUES (?)`, tx.table), string(p.enc.stored())); err != nil {
		// A duplicate _id among them: FerretDB answers it in its words.
		tx.rollback()
		return nil, errUndecided
	}
	if err := tx.done(); err != nil {
		return nil, err
	}
	reply := bson.D{{Key: "n", Value: int32(1)}, {Key: "ok", Value: 1.0}}
	return replyTo(msg, reply), nil
}

// parseInsert returns the body and the one document of an insert command
// sent as drivers send it (the documents in a sequence).
func parseInsert(msg []byte) (bson.Raw, bson.Raw, bool) {
	if name, err := commandName(msg); err != nil || name != "insert" {
		return nil, nil, false
	}
	body, seqID, docs, ok := splitMessage(msg)
	if !ok || seqID != "documents" || len(docs) != 1 {
		return nil, nil, false
	}
	elems, err := body.Elements()
	if err != nil {
		return nil, nil, false
	}
	for _, e := range elems {
		if !insertAllowed[e.Key()] {
			return nil, nil, false
		}
	}
	if _, ok := body.Lookup("insert").StringValueOK(); !ok {
		return nil, nil, false
	}
	if _, ok := body.Lookup("$db").StringValueOK(); !ok {
		return nil, nil, false
	}
	return body, docs[0], true
}

// update decides and applies a guarded update or delete in one
// transaction; errUndecided (nothing written) if it is not plainly one it
// can do.
func (w *directWriter) update(g *guardedWrite, msg []byte) ([]byte, error) {
	id, ok := g.id.StringValueOK()
	key, err := json.Marshal(id)
	if !ok || err != nil || string(key) != `"`+id+`"` {
		// Escaped in JSON, it might be written otherwise in SQLite
		return nil, errUndecided
	}
	if g.opsErr != nil {
		return nil, g.opsErr
	}
	ops := g.ops
	tx, err := w.begin(g.db, g.coll)
	if err != nil {
		return nil, err
	}
	undecided := func() ([]byte, error) {
		tx.rollback()
		return nil, errUndecided
	}
	text, found, err := tx.conn.queryText(fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, tx.table), string(key))
	if err != nil {
		return undecided()
	}
	upsert := !found && g.upsert
	switch {
	case !found && !g.upsert:
		tx.rollback()
		return g.noMatch(msg), nil
	case upsert && len(g.conds) > 0:
		return undecided() // FerretDB copies the conditions into the document
	case upsert:
		// FerretDB starts the document it inserts from the filter's _id.
		text = `{"$s":{"p":{"_id":{"t":"string"}},"$k":["_id"]},"_id":` + string(key) + `}`
	}
	stored, err := parseStored([]byte(text))
	if err != nil || string(stored.schemas["_id"]) != `{"t":"string"}` {
		// An ObjectID of the same hex digits is stored as the same text.
		return undecided()
	}
	match, err := stored.meets(g.conds)
	if err != nil {
		return undecided()
	}
	if !match && !g.upsert {
		tx.rollback()
		return g.noMatch(msg), nil
	}
	if !match {
		return undecided() // FerretDB inserts, and finds the _id taken
	}
	if g.command == "delete" {
		n, err := tx.conn.exec(fmt.Sprintf(`DELETE FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, tx.table), string(key))
		if err != nil || n != 1 {
			return undecided()
		}
		if err := tx.done(); err != nil {
			return nil, err
		}
		reply := bson.D{{Key: "n", Value: int32(1)}, {Key: "ok", Value: 1.0}}
		return replyTo(msg, reply), nil
	}
	set, unset, err := resolve(ops, stored, upsert)
	if err != nil {
		return undecided()
	}
	next := applySetUnset(stored, set, unset)
	for _, k := range next.keys {
		if !plainName(k, true) {
			return undecided()
		}
	}
	out := next.stored()
	if upsert {
		if _, err := tx.conn.exec(fmt.Sprintf(`INSERT INTO %q (_ferretdb_sjson) VALUES (?)`, tx.table), string(out)); err != nil {
			return undecided()
		}
		if err := tx.done(); err != nil {
			return nil, err
		}
		reply := bson.D{{Key: "n", Value: int32(1)},
			{Key: "upserted", Value: bson.A{bson.D{{Key: "index", Value: int32(0)}, {Key: "_id", Value: id}}}},
			{Key: "nModified", Value: int32(0)}, {Key: "ok", Value: 1.0}}
		return replyTo(msg, reply), nil
	}
	modified := string(out) != text
	if modified {
		n, err := tx.conn.exec(fmt.Sprintf(`UPDATE %q SET _ferretdb_sjson = ? WHERE _ferretdb_sjson->'$._id' = ?`, tx.table), string(out), string(key))
		if err != nil || n != 1 {
			return undecided()
		}
		if err := tx.done(); err != nil {
			return nil, err
		}
	} else {
		tx.rollback()
	}
	n := int32(0)
	if modified {
		n = 1
	}
	reply := bson.D{{Key: "n", Value: int32(1)}, {Key: "nModified", Value: n}, {Key: "ok", Value: 1.0}}
	return replyTo(msg, reply), nil
}

// fieldOp is one field of an update operator.
type fieldOp struct {
	op, key string
	value   bson.RawValue
	set     sjsonValue // $set's value, encoded
}

// parseOps reads an update's statement made of $set, $unset, $inc (by an
// integer) and $min (of a time) on plain top-level fields other than
// _id.
func parseOps(g *guardedWrite) ([]fieldOp, error) {
	var u bson.Raw
	for _, e := range g.stmt {
		if e.Key() == "u" {
			d, ok := e.Value().DocumentOK()
			if !ok {
				return nil, errUndecided // a pipeline
			}
			u = d
		}
	}
	ops, err := u.Elements()
	if err != nil || len(ops) == 0 {
		return nil, errUndecided
	}
	var out []fieldOp
	seen := map[string]bool{}
	for _, op := range ops {
		fields, ok := op.Value().DocumentOK()
		if !ok {
			return nil, errUndecided
		}
		elems, err := fields.Elements()
		if err != nil || len(elems) == 0 {
			return nil, errUndecided // FerretDB has words for an empty one
		}
		for _, e := range elems {
			f := fieldOp{op: op.Key(), key: e.Key(), value: e.Value()}
			if !plainName(f.key, true) || f.key == "_id" || seen[f.key] {
				return nil, errUndecided
			}
			seen[f.key] = true
			switch t := f.value.Type; {
			case f.op == "$set", f.op == "$setOnInsert":
				if f.set, err = encodeValue(f.value, 1); err != nil {
					return nil, err
				}
			case f.op == "$unset":
			case f.op == "$inc" && (t == bson.TypeInt32 || t == bson.TypeInt64):
			case f.op == "$min" && t == bson.TypeDateTime:
			default:
				return nil, errUndecided
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// resolve turns ops into the fields they set and those they unset, given
// the stored document (for an upsert, the one it starts from).
func resolve(ops []fieldOp, stored storedDoc, upsert bool) (encodedDoc, map[string]bool, error) {
	var set encodedDoc
	unset := map[string]bool{}
	put := func(k string, v sjsonValue) {
		set.keys = append(set.keys, k)
		set.vals = append(set.vals, v)
	}
	for _, f := range ops {
		raw, present := stored.values[f.key]
		var typ string
		if present {
			typ = stored.typeOf(f.key)
		}
		switch {
		case f.op == "$set":
			put(f.key, f.set)
		case f.op == "$setOnInsert":
			// Only on an insert, and as FerretDB v1 has it, never a null
			// or an empty array.
			empty := f.value.Type == bson.TypeArray && len(f.value.Value) == 5
			if upsert && f.value.Type != bson.TypeNull && !empty {
				put(f.key, f.set)
			}
		case f.op == "$unset":
			unset[f.key] = true
		case !present: // $inc and $min set a missing field
			v, err := encodeValue(f.value, 1)
			if err != nil {
				return set, nil, err
			}
			put(f.key, v)
		case f.op == "$inc" && typ == "long":
			n, err := strconv.ParseInt(string(raw), 10, 64)
			by, _ := asInt(f.value)
			sum := n + by
			if err != nil || (by > 0 && sum < n) || (by < 0 && sum > n) {
				return set, nil, errUndecided // FerretDB reports the overflow
			}
			v, _ := encodeValue(bson.RawValue{Type: bson.TypeInt64, Value: bsoncoreInt64(sum)}, 1)
			put(f.key, v)
		case f.op == "$min" && typ == "date":
			n, err := strconv.ParseInt(string(raw), 10, 64)
			if err != nil {
				return set, nil, errUndecided
			}
			if f.value.DateTime() < n {
				v, _ := encodeValue(f.value, 1)
				put(f.key, v)
			}
		default:
			return set, nil, errUndecided // another type: FerretDB's rules
		}
	}
	return set, unset, nil
}

func bsoncoreInt64(n int64) []byte { return binary.LittleEndian.AppendUint64(nil, uint64(n)) }

// typeOf is the FerretDB type of the stored top-level field k.
func (d storedDoc) typeOf(k string) string {
	var sch struct {
		T string `json:"t"`
	}
	if json.Unmarshal(d.schemas[k], &sch) != nil {
		return ""
	}
	return sch.T
}

// meets reports whether the stored document meets equality conditions
// on top-level fields, as checkGuarded decides them from SQLite.
func (d storedDoc) meets(conds []bson.RawElement) (bool, error) {
	for _, c := range conds {
		raw, ok := d.values[c.Key()]
		if !ok {
			return false, nil
		}
		typ := d.typeOf(c.Key())
		var got any
		switch typ {
		case "string":
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return false, errUndecided
			}
			got = s
		case "int", "long", "date":
			n, err := strconv.ParseInt(string(raw), 10, 64)
			if err != nil {
				return false, errUndecided
			}
			got = n
		case "bool":
			switch string(raw) {
			case "true":
				got = int64(1)
			case "false":
				got = int64(0)
			default:
				return false, errUndecided
			}
		case "null":
		default:
			return false, errUndecided
		}
		ok, err := storedEquals(c.Value(), typ, got)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}
