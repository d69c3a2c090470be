package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Inserts made together. MongoDB makes one document's write atomic, and a
// write that touches two collections needs a transaction, which FerretDB
// v1 does not have. The front writes in SQLite transactions of its own,
// so it can insert documents into several collections of one database all
// or none: a new request and the in-app notifications its first step
// sends are one write, where they were the request's insert, then the
// dispatcher's notification and its record of the send in the request.
const (
	// CommandInsertAll inserts documents into collections of one
	// database, all of them or none: {pishkhanInsertAll: 1, documents:
	// [{collection, document}, ...], $db} -> {n}. A document whose _id
	// its collection has makes it fail with DuplicateKey (11000), nothing
	// written. With update: {collection, q, u} it first updates one
	// document as an update command's statement {q, u} would (by _id and
	// equality conditions, the direct writer's kind): if that matches
	// nothing, nothing is written and the answer is {n: 0, nMatched: 0};
	// else {n, nMatched: 1}. Where the front cannot write them itself (a collection not
	// made yet, a value it does not encode) it fails with
	// IllegalOperation (CodeInsertAllDeclined), nothing written, and the
	// caller writes them its usual way. A server without the command (a
	// real MongoDB) answers CommandNotFound.
	CommandInsertAll = "pishkhanInsertAll"
	// CodeInsertAllDeclined is the error code of an insert-all the front
	// declined.
	CodeInsertAllDeclined = 20
	codeDuplicateKey      = 11000
)

// maxInsertAll bounds the documents of one insert-all.
const maxInsertAll = 1000

// insertAllWrite is an insert-all as read before writes are held off.
type insertAllWrite struct {
	db   string
	docs []insertWrite
	err  error // a document the front does not encode: declined
	// update is the guarded update made first, if any, and the update
	// command message it was read from.
	update    *guardedWrite
	updateMsg []byte
}

// prepareInsertAll reads msg as an insert-all; nil for any other command.
// A malformed one reads as declined.
func prepareInsertAll(msg []byte) *insertAllWrite {
	if name, err := commandName(msg); err != nil || name != CommandInsertAll {
		return nil
	}
	p := &insertAllWrite{}
	body, err := bodySection(msg)
	if err != nil {
		p.err = err
		return p
	}
	p.db, _ = body.Lookup("$db").StringValueOK()
	if u, err := body.LookupErr("update"); err == nil {
		if p.updateMsg, p.update = updateOf(p.db, u); p.update == nil || p.update.upsert || p.update.command != "update" || p.update.opsErr != nil {
			p.err = errors.New("update: want {collection, q, u} of one document by _id")
			return p
		}
	}
	arr, ok := body.Lookup("documents").ArrayOK()
	values, err := arr.Values()
	switch {
	case !ok || err != nil || len(values) == 0:
		p.err = errors.New("documents: a non-empty array of {collection, document}")
	case len(values) > maxInsertAll:
		p.err = fmt.Errorf("documents: at most %d", maxInsertAll)
	case p.db == "":
		p.err = errors.New("$db: missing")
	}
	if p.err != nil {
		return p
	}
	for i, v := range values {
		entry, ok := v.DocumentOK()
		coll, okc := entry.Lookup("collection").StringValueOK()
		doc, okd := entry.Lookup("document").DocumentOK()
		if !ok || !okc || !okd || coll == "" {
			p.err = fmt.Errorf("documents.%d: want {collection, document}", i)
			return p
		}
		w := insertWrite{db: p.db, coll: coll}
		if w.enc, w.err = encodeDocument(doc, 1, true); w.err != nil {
			p.err = fmt.Errorf("documents.%d: %w", i, w.err)
			return p
		}
		p.docs = append(p.docs, w)
	}
	return p
}

// updateOf reads v, an insert-all's update {collection, q, u}, as the
// update command a driver would send for it to database db: the message
// and the guarded write the direct writer makes of it (nil if it is not
// one it makes).
func updateOf(db string, v bson.RawValue) ([]byte, *guardedWrite) {
	u, ok := v.DocumentOK()
	coll, okc := u.Lookup("collection").StringValueOK()
	q, okq := u.Lookup("q").DocumentOK()
	upd, oku := u.Lookup("u").DocumentOK()
	if !ok || !okc || !okq || !oku {
		return nil, nil
	}
	body, err := bson.Marshal(bson.D{{Key: "update", Value: coll}, {Key: "$db", Value: db}})
	stmt, err2 := bson.Marshal(bson.D{{Key: "q", Value: q}, {Key: "u", Value: upd}})
	if err != nil || err2 != nil {
		return nil, nil
	}
	msg := opMsgOf(body, 0, 0)
	seq := appendCString(binary.LittleEndian.AppendUint32(nil, uint32(4+len("updates")+1+len(stmt))), "updates")
	msg = append(append(append(msg, 1), seq...), stmt...)
	binary.LittleEndian.PutUint32(msg, uint32(len(msg)))
	return msg, parseGuarded(msg)
}

// insertAll writes the documents of p in one savepoint of the open
// transaction, after its update if it has one. It answers a duplicate _id
// and an update that matched nothing itself; errUndecided (nothing
// written) where the front cannot write them.
func (w *directWriter) insertAll(p *insertAllWrite, msg []byte) ([]byte, error) {
	if p.err != nil {
		return nil, errUndecided
	}
	first := p.docs[0].coll
	if p.update != nil {
		first = p.update.coll
	}
	tx, err := w.begin(p.db, first)
	if err != nil {
		return nil, err
	}
	matched := int32(0)
	if p.update != nil {
		reply, err := w.update(p.update, p.updateMsg)
		if errors.Is(err, errUndecided) {
			tx.rollback()
			return nil, errUndecided
		}
		if err != nil {
			return nil, err // its savepoint was not released: the connection, and the transaction, are dropped
		}
		body, err := bodySection(reply)
		n, ok := body.Lookup("n").Int32OK()
		if err != nil || !ok {
			tx.rollback()
			return nil, errUndecided
		}
		if n == 0 {
			tx.rollback()
			return replyTo(msg, bson.D{{Key: "n", Value: int32(0)}, {Key: "nMatched", Value: int32(0)}, {Key: "ok", Value: 1.0}}), errAnswered
		}
		matched = 1
	}
	for i, doc := range p.docs {
		table := tx.table
		if i > 0 || doc.coll != first {
			if table, err = w.tableOf(tx.conn, p.db, doc.coll); err != nil {
				tx.rollback()
				return nil, errUndecided
			}
		}
		if _, err := tx.conn.exec(fmt.Sprintf(`INSERT INTO %q (_ferretdb_sjson) VALUES (?)`, table), string(doc.enc.stored())); err != nil {
			tx.rollback()
			var se *sqliteError
			if errors.As(err, &se) && se.constraint() {
				return replyTo(msg, bson.D{{Key: "ok", Value: 0.0}, {Key: "code", Value: int32(codeDuplicateKey)}, {Key: "codeName", Value: "DuplicateKey"},
					{Key: "errmsg", Value: fmt.Sprintf("E11000 duplicate key error collection: %s.%s (documents.%d)", p.db, doc.coll, i)}}), errAnswered
			}
			return nil, errUndecided
		}
	}
	if err := tx.done(); err != nil {
		return nil, err
	}
	reply := bson.D{{Key: "n", Value: int32(len(p.docs))}}
	if p.update != nil {
		reply = append(reply, bson.E{Key: "nMatched", Value: matched})
	}
	return replyTo(msg, append(reply, bson.E{Key: "ok", Value: 1.0})), nil
}

// errAnswered comes with a reply that refuses the write: nothing was
// written, and the reply says why.
var errAnswered = errors.New("embedded store: refused")

// declined is the answer to an insert-all the front did not write.
func declined(msg []byte) []byte {
	return replyTo(msg, bson.D{{Key: "ok", Value: 0.0}, {Key: "code", Value: int32(CodeInsertAllDeclined)}, {Key: "codeName", Value: "IllegalOperation"},
		{Key: "errmsg", Value: CommandInsertAll + ": not written together here; write them one by one"}})
}
