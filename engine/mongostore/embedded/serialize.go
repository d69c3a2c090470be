package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// FerretDB v1 on SQLite does not apply a single-document update atomically
// when several arrive at once: it reads the document and writes it back in
// separate steps, so concurrent $inc operations lose increments and two
// updates guarded by the same revision can both report success. Pishkhan's
// consistency model rests on exactly those guarded updates being atomic, as
// they are on MongoDB. So every client reaches the embedded store through
// this front, which forwards the wire protocol unchanged but lets only one
// write command at a time into FerretDB. Reads stay concurrent. SQLite
// serialises writes anyway, so little throughput is lost.
// TestSingleDocumentWritesAreAtomic in engine/mongostore proves the
// property on every store.

// front accepts client connections and forwards them to the store.
type front struct {
	dial    func() (net.Conn, error)
	writeMu sync.Mutex // held while a write command is in FerretDB
	// wrote runs, with writes held off, after each write command FerretDB
	// answered, with the command's name and the database and collection
	// it named.
	wrote func(command, db, coll string)
	// fast answers the front's own commands (fastpaths.go) without
	// FerretDB; false for any other message.
	fast func(msg []byte) ([]byte, bool)
	// split and unsplit count guarded writes answered by a lookup by _id,
	// and those that went to FerretDB whole because the lookup could not
	// decide.
	split, unsplit atomic.Int64
	// check decides a guarded write from SQLite (guardsql.go);
	// checkedInSQL counts those it decided.
	check        func(g *guardedWrite) (bool, error)
	checkedInSQL atomic.Int64
	// insert and update write the plainest writes in SQLite themselves
	// (direct.go), errUndecided for any other; inserted counts the
	// inserts they wrote, updated the updates and deletes.
	insert func(p *insertWrite, msg []byte) ([]byte, error)
	update func(g *guardedWrite, msg []byte) ([]byte, error)
	// insertAll writes an insert-all (insertall.go); errUndecided if it
	// cannot, and it is declined.
	insertAll         func(p *insertAllWrite, msg []byte) ([]byte, error)
	inserted, updated atomic.Int64
	// read answers a find of one document by _id (directread.go); false
	// for any other message. readDirect counts those it answered.
	read       func(msg []byte) ([]byte, bool)
	readDirect atomic.Int64
	noDirect   atomic.Bool // tests compare with FerretDB's own writes and reads
	// settled reports whether a write to a collection needs nothing of
	// wrote (its triggers and indexes are there): only then is it made
	// directly. commit commits the direct writes made since the last
	// commit, waiting for the disk only if durable, and says which
	// databases failed to.
	settled func(db, coll string) bool
	commit  func(durable bool) map[string]error
	// waiting counts the writes waiting for writeMu, waitingDurable those
	// of them that are durable; batch is the direct writes waiting for a
	// commit (guarded by writeMu).
	waiting, waitingDurable atomic.Int32
	batch                   *commitBatch
	commits                 atomic.Int64 // batches committed
	lazy                    atomic.Int64 // of which committed without waiting for the disk

	mu     sync.Mutex
	lns    []net.Listener
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

func newFront(dial func() (net.Conn, error)) *front {
	return &front{dial: dial, conns: map[net.Conn]struct{}{}}
}

func (f *front) serve(ln net.Listener) {
	f.mu.Lock()
	f.lns = append(f.lns, ln)
	f.mu.Unlock()
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.wg.Add(1)
			go func() {
				defer f.wg.Done()
				f.handle(c)
			}()
		}
	}()
}

func (f *front) track(c net.Conn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.conns[c] = struct{}{}
	return true
}

func (f *front) untrack(c net.Conn) {
	f.mu.Lock()
	delete(f.conns, c)
	f.mu.Unlock()
	_ = c.Close()
}

// close stops accepting, drops every connection and waits for the
// forwarding goroutines.
func (f *front) close() {
	f.mu.Lock()
	f.closed = true
	for _, ln := range f.lns {
		_ = ln.Close()
	}
	for c := range f.conns {
		_ = c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

// handle forwards one client connection: each request message goes to the
// store and its replies come back before the next request is read, which is
// how drivers use a connection.
func (f *front) handle(client net.Conn) {
	if !f.track(client) {
		_ = client.Close()
		return
	}
	defer f.untrack(client)
	// A message the front misreads must not take the store down with it:
	// the connection closes, the client sees it broken, others go on.
	defer func() {
		if r := recover(); r != nil {
			slog.Error("embedded store: front: dropping a connection", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	backend, err := f.dial()
	if err != nil {
		return
	}
	if !f.track(backend) {
		_ = backend.Close()
		return
	}
	defer f.untrack(backend)
	for {
		msg, err := readMessage(client)
		if err != nil {
			return
		}
		if err := f.roundTrip(msg, client, backend); err != nil {
			return
		}
	}
}

func (f *front) roundTrip(msg []byte, client, backend net.Conn) error {
	if f.fast != nil {
		if reply, ok := f.fast(msg); ok {
			_, err := client.Write(reply)
			return err
		}
	}
	if !isWrite(msg) {
		if f.read != nil && !f.noDirect.Load() {
			if reply, ok := f.read(msg); ok {
				f.readDirect.Add(1)
				_, err := client.Write(reply)
				return err
			}
		}
		return forward(msg, client, backend)
	}
	// What the direct writer needs of the message it reads now, before
	// it holds the other writes off.
	ins := prepareInsert(msg)
	var all *insertAllWrite
	var g *guardedWrite
	if ins == nil {
		if all = prepareInsertAll(msg); all == nil {
			g = parseGuarded(msg)
		}
	}
	durable := !unjournaled(msg)
	f.wait(durable, 1)
	f.writeMu.Lock()
	f.wait(durable, -1)
	locked := true
	defer func() {
		if locked {
			f.flushIfIdle()
			f.writeMu.Unlock()
		}
	}()
	db, coll := commandTarget(msg)
	direct := !f.noDirect.Load() && (f.settled == nil || f.settled(db, coll))
	if all != nil {
		// Never FerretDB's: it has no such command, and the caller would
		// take that for a server without it.
		direct = !f.noDirect.Load()
		for _, d := range all.docs {
			direct = direct && (f.settled == nil || f.settled(d.db, d.coll))
		}
		if all.update != nil {
			direct = direct && (f.settled == nil || f.settled(all.update.db, all.update.coll))
		}
		var reply []byte
		err := errUndecided
		if direct && f.insertAll != nil {
			reply, err = f.insertAll(all, msg)
		}
		switch {
		case errors.Is(err, errUndecided):
			_, err := client.Write(declined(msg))
			return err
		case errors.Is(err, errAnswered):
			_, err := client.Write(reply)
			return err
		}
		locked = false
		return f.answerDirect(db, reply, err, client, &f.inserted, durable)
	}
	if f.insert != nil && direct {
		if reply, err := f.insert(ins, msg); !errors.Is(err, errUndecided) {
			locked = false
			return f.answerDirect(db, reply, err, client, &f.inserted, durable)
		}
	}
	if g != nil && f.update != nil && direct {
		if reply, err := f.update(g, msg); !errors.Is(err, errUndecided) {
			locked = false
			return f.answerDirect(db, reply, err, client, &f.updated, durable)
		}
	}
	// FerretDB, and the reads that decide for it, see only what is
	// committed.
	f.flush()
	if g != nil && g.splittable() {
		ok, err := f.decide(g, backend)
		switch {
		case err == nil && ok:
			f.split.Add(1)
			return forward(g.rewritten(), client, backend)
		case err == nil:
			f.split.Add(1)
			_, err := client.Write(g.noMatch(msg))
			return err
		case !errors.Is(err, errUndecided):
			return err // the connection broke
		}
		f.unsplit.Add(1)
	}
	return forward(msg, client, backend, func() {
		if f.wrote != nil {
			name, _ := commandName(msg)
			f.wrote(name, db, coll)
		}
	})
}

// Group commit. A direct write is answered only once it is committed, and
// a commit waits for the disk (an fsync, a quarter of a millisecond or
// more on these machines). So the writes that queue behind one another
// share a transaction: each write joins the open batch, and the last
// write of a queue (no other waiting for the lock) or the batch's
// maxBatch-th commits it for all; a write that goes to FerretDB commits
// it first. A write's client hears its answer after its batch committed,
// or its connection breaks if the commit failed.

// maxBatch bounds the writes one commit takes, and so the wait of the
// first.
const maxBatch = 64

// commitBatch is the writes waiting for one commit; durable unless every
// one of them asked not to wait for the disk.
type commitBatch struct {
	n       int
	durable bool
	done    chan struct{}
	errs    map[string]error // by database, once done
}

// Durability. A write whose write concern says {j: false} asks to be
// acknowledged before it is on disk, as MongoDB acknowledges it before
// its journal is: mongostore sends it so for the records of at-least-once
// work (the dispatcher's sends and its notes of them), whose loss in a
// power failure only means the work is done again. A batch made only of
// such writes commits without waiting for the disk (SQLite's synchronous
// NORMAL: the commit is in the WAL file, which a killed process cannot
// lose, but not yet fsynced); the next durable commit fsyncs the WAL, and
// them with it, and SQLite recovers a WAL only up to its first missing
// frame, so a power failure can lose such writes only together with
// every write after them, never a durable write made before them.

// unjournaled reports whether the write command msg asks not to wait for
// the disk: writeConcern {j: false}.
func unjournaled(msg []byte) bool {
	body, err := bodySection(msg)
	if err != nil {
		return false
	}
	j, err := body.LookupErr("writeConcern", "j")
	return err == nil && j.Type == bson.TypeBoolean && !j.Boolean()
}

// answerDirect answers a write the front made itself, to database db,
// once its batch is committed. It is called with writes held off, and
// lets them go.
func (f *front) answerDirect(db string, reply []byte, err error, client net.Conn, count *atomic.Int64, durable bool) error {
	if err != nil {
		// It may or may not have been written: the connection breaks.
		f.flushIfIdle()
		f.writeMu.Unlock()
		return err
	}
	b := f.batch
	if b == nil {
		b = &commitBatch{done: make(chan struct{})}
		f.batch = b
	}
	b.n++
	b.durable = b.durable || durable
	if b.n >= maxBatch {
		f.flush()
	} else {
		f.flushIfIdle()
	}
	f.writeMu.Unlock()
	<-b.done
	if err := b.errs[db]; err != nil {
		return err
	}
	count.Add(1)
	_, err = client.Write(reply)
	return err
}

// flushIfIdle commits the open batch unless another write is waiting for
// the lock (it joins the batch, or commits it); a durable batch does not
// wait for writes that are not (a submission's answer does not wait for
// the dispatcher's next note). Writes must be held off.
func (f *front) flushIfIdle() {
	if f.waiting.Load() == 0 || f.batch != nil && f.batch.durable && f.waitingDurable.Load() == 0 {
		f.flush()
	}
}

// wait counts a write, durable or not, that starts (by 1) or stops (by
// -1) waiting for writeMu.
func (f *front) wait(durable bool, by int32) {
	f.waiting.Add(by)
	if durable {
		f.waitingDurable.Add(by)
	}
}

// flush commits the open batch and wakes its writes; it ends the direct
// writer's transactions even if no write is waiting (one that went to
// FerretDB after all began one). Writes must be held off.
func (f *front) flush() {
	var errs map[string]error
	b := f.batch
	durable := b == nil || b.durable // a write that went to FerretDB began one
	if f.commit != nil {
		errs = f.commit(durable)
	}
	if b != nil {
		f.batch = nil
		b.errs = errs
		f.commits.Add(1)
		if !durable {
			f.lazy.Add(1)
		}
		close(b.done)
	}
}

// decide reports whether the document a guarded write names meets its
// conditions: from SQLite where it can tell (guardsql.go), else from a
// FerretDB lookup by _id; errUndecided if neither can.
func (f *front) decide(g *guardedWrite, backend net.Conn) (bool, error) {
	if f.check != nil {
		ok, err := f.check(g)
		if !errors.Is(err, errUndecided) {
			f.checkedInSQL.Add(1)
			return ok, err
		}
	}
	doc, err := g.lookup(backend)
	if err != nil {
		return false, err
	}
	return g.matches(doc)
}

// forward sends msg to the store and relays its replies; answered, if
// set, runs when the store has answered and before the client hears it.
func forward(msg []byte, client, backend net.Conn, answered ...func()) error {
	if _, err := backend.Write(msg); err != nil {
		return err
	}
	if moreToCome(msg) {
		for _, f := range answered {
			f()
		}
		return nil // fire-and-forget: no reply
	}
	for {
		reply, err := readMessage(backend)
		if err != nil {
			return err
		}
		for _, f := range answered {
			f()
		}
		answered = nil
		if _, err := client.Write(reply); err != nil {
			return err
		}
		if !moreToCome(reply) {
			return nil
		}
	}
}

const (
	headerLen     = 16
	opMsg         = 2013
	maxMessageLen = 48 << 20 // MongoDB's maxMessageSizeBytes
	flagMoreToCom = 1 << 1
)

func readMessage(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(int32(binary.LittleEndian.Uint32(hdr[:])))
	if n < headerLen || n > maxMessageLen {
		return nil, fmt.Errorf("embedded store: message of %d bytes", n)
	}
	msg := make([]byte, n)
	copy(msg, hdr[:])
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func opCode(msg []byte) int32 { return int32(binary.LittleEndian.Uint32(msg[12:16])) }

func moreToCome(msg []byte) bool {
	return opCode(msg) == opMsg && len(msg) >= headerLen+4 &&
		binary.LittleEndian.Uint32(msg[headerLen:headerLen+4])&flagMoreToCom != 0
}

// readCommands never change data. Anything not listed, including commands
// this front does not recognise, is treated as a write: serialising a read
// by mistake costs a little time, letting a write through costs data.
var readCommands = map[string]bool{
	"find": true, "getMore": true, "aggregate": true, "count": true, "distinct": true,
	"listCollections": true, "listDatabases": true, "listIndexes": true,
	"hello": true, "isMaster": true, "ismaster": true, "ping": true, "buildInfo": true, "buildinfo": true,
	"getParameter": true, "killCursors": true, "endSessions": true, "dbStats": true, "collStats": true,
	"serverStatus": true, "getLog": true, "whatsmyuri": true, "connectionStatus": true, "hostInfo": true,
	"getCmdLineOpts": true, "listCommands": true, "saslStart": true, "saslContinue": true, "explain": true,
	"getFreeMonitoringStatus": true, "dataSize": true,
}

// isWrite reports whether an OP_MSG carries a command that may change data.
// Other opcodes (legacy handshakes) are passed through unlocked; drivers of
// this generation send every command as OP_MSG.
func isWrite(msg []byte) bool {
	if opCode(msg) != opMsg {
		return false
	}
	name, err := commandName(msg)
	if err != nil {
		return true
	}
	return !readCommands[name]
}

// commandTarget returns the database and collection an OP_MSG command
// names ("" if it names none).
func commandTarget(msg []byte) (db, coll string) {
	body, err := bodySection(msg)
	if err != nil {
		return "", ""
	}
	first, err := body.IndexErr(0)
	if err != nil {
		return "", ""
	}
	coll, _ = first.Value().StringValueOK()
	db, _ = body.Lookup("$db").StringValueOK()
	return db, coll
}

// commandName returns the first key of the body section of an OP_MSG.
func commandName(msg []byte) (string, error) {
	body, err := bodySection(msg)
	if err != nil {
		return "", err
	}
	first, err := body.IndexErr(0)
	if err != nil {
		return "", errors.New("bad body")
	}
	return first.Key(), nil
}

// bodySection returns the body (kind 0) section of an OP_MSG.
func bodySection(msg []byte) (bson.Raw, error) {
	body := msg[headerLen:]
	if len(body) < 4 {
		return nil, errors.New("short message")
	}
	body = body[4:] // flagBits
	for len(body) > 0 {
		kind := body[0]
		body = body[1:]
		if len(body) < 4 {
			return nil, errors.New("short section")
		}
		size := int(int32(binary.LittleEndian.Uint32(body)))
		if size < 4 || size > len(body) {
			return nil, errors.New("bad section size")
		}
		if kind == 0 {
			return bson.Raw(body[:size]), nil
		}
		body = body[size:]
	}
	return nil, errors.New("no body section")
}
