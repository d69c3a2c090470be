package embedded

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
)

// storedText is the JSON text SQLite holds for the document id of
// collection coll.
func storedText(t *testing.T, dir, coll, id string) string {
	t.Helper()
	conn, table := tableOf(t, dir, coll)
	var text string
	if err := conn.QueryRow(`SELECT _ferretdb_sjson FROM "`+table+`" WHERE _ferretdb_sjson->'$._id' = json_quote(?)`, id).Scan(&text); err != nil {
		t.Fatalf("%s %s: %v", coll, id, err)
	}
	return text
}

// richDocument holds every type and shape the direct writes encode.
func richDocument(id string) bson.D {
	at := time.Date(2026, 12, 4, 10, 30, 0, 123e6, time.UTC)
	return bson.D{
		{Key: "_id", Value: id},
		{Key: "revision", Value: int64(3)},
		{Key: "small", Value: int32(-7)},
		{Key: "big", Value: int64(math.MaxInt64)},
		{Key: "price", Value: 2.5},
		{Key: "tiny", Value: 1e-300},
		{Key: "huge", Value: 1.7976931348623157e308},
		{Key: "whole", Value: 3.0},
		{Key: "zero", Value: 0.0},
		{Key: "status", Value: "in-progress"},
		{Key: "escaped", Value: "a \"quote\", a \\ <b>&</b> \u2028 \t\n and \x01"},
		{Key: "persian", Value: "درخواست شمارهٔ ۱۲ — تأیید شد"},
		{Key: "empty", Value: ""},
		{Key: "held", Value: true},
		{Key: "open", Value: false},
		{Key: "gone", Value: nil},
		{Key: "at", Value: at},
		{Key: "before1970", Value: time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)},
		{Key: "oid", Value: bson.ObjectID{0x65, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, 0xb}},
		{Key: "data", Value: bson.D{
			{Key: "amount", Value: int64(1500)},
			{Key: "odd key \"<&>\"", Value: "x"},
			{Key: "جزئیات", Value: bson.D{{Key: "deep", Value: bson.D{{Key: "deeper", Value: bson.A{int32(1), "two", 3.5, nil, true, at}}}}}},
			{Key: "nothing", Value: bson.D{}},
		}},
		{Key: "withID", Value: bson.D{{Key: "_id", Value: "inner"}, {Key: "n", Value: int32(1)}}},
		{Key: "tags", Value: bson.A{}},
		{Key: "history", Value: bson.A{
			bson.D{{Key: "at", Value: at}, {Key: "type", Value: "submitted"}, {Key: "actor", Value: "sara"}},
			bson.D{{Key: "at", Value: at}, {Key: "type", Value: "task-created"}, {Key: "to", Value: bson.A{"group:managers"}}},
			bson.D{},
		}},
		{Key: "kpi-days", Value: bson.A{bson.D{{Key: "d", Value: "2026-12-04"}, {Key: "n", Value: int32(1)}}}},
	}
}

// A document the front inserts or updates in SQLite itself is stored as
// the very text FerretDB stores for the same write, so FerretDB reads it
// back as its own; and the front did write it, not FerretDB.
func TestDirectWritesStoreWhatFerretDBStores(t *testing.T) {
	s, db, dir := start(t)
	ctx := context.Background()
	direct, ferret := db.Collection("direct"), db.Collection("ferret")
	for _, c := range []*mongo.Collection{direct, ferret} {
		if err := db.CreateCollection(ctx, c.Name()); err != nil {
			t.Fatal(err)
		}
	}
	// write runs fn on the direct collection with the front writing, and on
	// the other with FerretDB writing, and reports how many writes the
	// front made.
	write := func(fn func(c *mongo.Collection) (any, error)) (mine, theirs any, wrote int64) {
		t.Helper()
		before := s.front.inserted.Load() + s.front.updated.Load()
		mine, err := fn(direct)
		if err != nil {
			t.Fatalf("direct: %v", err)
		}
		wrote = s.front.inserted.Load() + s.front.updated.Load() - before
		s.front.noDirect.Store(true)
		defer s.front.noDirect.Store(false)
		theirs, err = fn(ferret)
		if err != nil {
			t.Fatalf("FerretDB: %v", err)
		}
		return mine, theirs, wrote
	}
	same := func(step, id string) {
		t.Helper()
		if a, b := storedText(t, dir, "direct", id), storedText(t, dir, "ferret", id); a != b {
			t.Errorf("%s: stored text differs\nfront:    %s\nFerretDB: %s", step, a, b)
		}
		var a, b bson.Raw
		if err := direct.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&a); err != nil {
			t.Fatal(err)
		}
		if err := ferret.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&b); err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Errorf("%s: read back differently\nfront:    %s\nFerretDB: %s", step, a, b)
		}
	}

	for _, id := range []string{"PK-1", "PK-2"} {
		if _, _, wrote := write(func(c *mongo.Collection) (any, error) { return c.InsertOne(ctx, richDocument(id)) }); wrote != 1 {
			t.Fatalf("insert %s: the front wrote %d, want 1", id, wrote)
		}
		same("insert", id)
	}
	var got bson.D
	if err := direct.FindOne(ctx, bson.D{{Key: "_id", Value: "PK-1"}}).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if want, _ := bson.Marshal(richDocument("PK-1")); string(mustMarshal(got)) != string(want) {
		t.Errorf("read back\n%v\nwant\n%v", got, richDocument("PK-1"))
	}

	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	updates := []struct {
		name     string
		filter   bson.D
		update   bson.D
		matched  int64
		modified int64
	}{
		{"set existing and new fields, unset some", bson.D{{Key: "_id", Value: "PK-1"}, {Key: "revision", Value: int64(3)}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "revision", Value: int64(4)}, {Key: "zeta", Value: "z"}, {Key: "status", Value: bson.D{{Key: "now", Value: "done"}}},
				{Key: "alpha", Value: bson.A{at}}, {Key: "small", Value: 1.25},
				{Key: "mu", Value: int32(1)}, {Key: "beta", Value: false}, {Key: "omega", Value: nil}, {Key: "kappa", Value: bson.D{}}}},
				{Key: "$unset", Value: bson.D{{Key: "price", Value: ""}, {Key: "notthere", Value: ""}}}}, 1, 1},
		{"stale revision", bson.D{{Key: "_id", Value: "PK-1"}, {Key: "revision", Value: int64(3)}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "revision", Value: int64(5)}}}}, 0, 0},
		{"same values", bson.D{{Key: "_id", Value: "PK-1"}, {Key: "revision", Value: int64(4)}, {Key: "held", Value: true}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "zeta", Value: "z"}, {Key: "revision", Value: int64(4)}}}}, 1, 0},
		{"guard on text and boolean", bson.D{{Key: "_id", Value: "PK-2"}, {Key: "status", Value: "in-progress"}, {Key: "held", Value: true}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "gone", Value: "back"}, {Key: "persian", Value: "بسته شد"}}}}, 1, 1},
		{"missing document", bson.D{{Key: "_id", Value: "PK-NONE"}, {Key: "revision", Value: int64(1)}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "x", Value: int32(1)}}}}, 0, 0},
		{"increment and lower, fields there and not", bson.D{{Key: "_id", Value: "PK-2"}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "revision", Value: int32(2)}, {Key: "version", Value: int64(1)}, {Key: "count", Value: int32(5)}}},
				{Key: "$min", Value: bson.D{{Key: "at", Value: at.AddDate(-1, 0, 0)}, {Key: "first", Value: at}}}}, 1, 1},
		{"a minimum that is not lower", bson.D{{Key: "_id", Value: "PK-2"}},
			bson.D{{Key: "$min", Value: bson.D{{Key: "at", Value: at}}}}, 1, 0},
		{"an upsert of a document that is there", bson.D{{Key: "_id", Value: "PK-2"}},
			bson.D{{Key: "$min", Value: bson.D{{Key: "first", Value: at.AddDate(0, 0, -1)}}}, {Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}},
				{Key: "$setOnInsert", Value: bson.D{{Key: "created", Value: at}}}}, 1, 1},
		{"an upsert that inserts", bson.D{{Key: "_id", Value: "PK-3"}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "user", Value: "sara"}, {Key: "body", Value: "سلام"}}},
				{Key: "$setOnInsert", Value: bson.D{{Key: "at", Value: at}, {Key: "none", Value: nil}, {Key: "nothing", Value: bson.A{}}, {Key: "one", Value: bson.A{int32(1)}}}},
				{Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}}, {Key: "$min", Value: bson.D{{Key: "due", Value: at}}}}, 1, 0},
		{"an upsert of the document it inserted", bson.D{{Key: "_id", Value: "PK-3"}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "body", Value: "again"}}}, {Key: "$setOnInsert", Value: bson.D{{Key: "at", Value: at.Add(time.Hour)}}}}, 1, 1},
	}
	for _, u := range updates {
		opts := options.UpdateOne().SetUpsert(strings.HasPrefix(u.name, "an upsert"))
		mine, theirs, wrote := write(func(c *mongo.Collection) (any, error) { return c.UpdateOne(ctx, u.filter, u.update, opts) })
		m, f := mine.(*mongo.UpdateResult), theirs.(*mongo.UpdateResult)
		if *m != *f || m.MatchedCount+m.UpsertedCount != u.matched || m.ModifiedCount != u.modified {
			t.Errorf("%s: front %+v, FerretDB %+v, want matched or upserted %d, modified %d", u.name, m, f, u.matched, u.modified)
		}
		if wrote != 1 {
			t.Errorf("%s: the front answered %d writes, want 1", u.name, wrote)
		}
		same(u.name, "PK-1")
		same(u.name, "PK-2")
		if m.UpsertedCount > 0 || strings.Contains(u.name, "it inserted") {
			same(u.name, "PK-3")
		}
	}
}

// A guarded delete is decided and made in SQLite, and the triggers take
// the document's side rows with it.
func TestDirectDeletes(t *testing.T) {
	s, db, _ := start(t)
	ctx := context.Background()
	c := db.Collection("requests")
	for _, id := range []string{"r1", "r2"} {
		if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "revision", Value: int64(2)}, {Key: "taskUsers", Value: bson.A{"sara"}}}); err != nil {
			t.Fatal(err)
		}
	}
	holders := func() []string { return taskHolders(t, db, "sara") }
	if got := holders(); len(got) != 2 {
		t.Fatalf("task holders before the deletes: %v", got)
	}
	cases := []struct {
		filter  bson.D
		deleted int64
	}{
		{bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(1)}}, 0},
		{bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(2)}}, 1},
		{bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(2)}}, 0},
		{bson.D{{Key: "_id", Value: "r2"}}, 1},
	}
	for _, tc := range cases {
		before := s.front.updated.Load()
		res, err := c.DeleteOne(ctx, tc.filter)
		if err != nil || res.DeletedCount != tc.deleted {
			t.Errorf("delete %v: %+v %v, want %d deleted", tc.filter, res, err, tc.deleted)
		}
		if s.front.updated.Load() != before+1 {
			t.Errorf("delete %v: not written by the front", tc.filter)
		}
	}
	if n, err := c.CountDocuments(ctx, bson.D{}); err != nil || n != 0 {
		t.Errorf("%d documents left, %v", n, err)
	}
	if got := holders(); len(got) != 0 {
		t.Errorf("task holders after the deletes: %v", got)
	}
}

// What the front does not write plainly goes to FerretDB before anything
// is written, and gets FerretDB's answer: the front writes nothing of it.
func TestUnusualWritesGoToFerretDB(t *testing.T) {
	s, db, _ := start(t)
	ctx := context.Background()
	c := db.Collection("requests")
	if err := db.CreateCollection(ctx, "requests"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(1)}}); err != nil {
		t.Fatal(err)
	}
	if n := s.front.inserted.Load(); n != 1 {
		t.Fatalf("a plain insert was not written by the front (%d)", n)
	}
	inserts := []struct {
		name   string
		doc    bson.D
		ok     bool
		direct bool
	}{
		{"no _id (the driver adds one first)", bson.D{{Key: "n", Value: int32(1)}}, true, true},
		{"object id _id", bson.D{{Key: "_id", Value: bson.NewObjectID()}}, true, true},
		{"_id not first", bson.D{{Key: "n", Value: int32(1)}, {Key: "_id", Value: "r2"}}, true, false},
		{"negative zero", bson.D{{Key: "_id", Value: "r3"}, {Key: "z", Value: math.Copysign(0, -1)}}, true, false},
		{"infinity", bson.D{{Key: "_id", Value: "r4"}, {Key: "z", Value: math.Inf(1)}}, false, false},
		{"nested array", bson.D{{Key: "_id", Value: "r5"}, {Key: "a", Value: bson.A{bson.A{int32(1)}}}}, false, false},
		{"binary", bson.D{{Key: "_id", Value: "r6"}, {Key: "b", Value: bson.Binary{Data: []byte{1, 2}}}}, true, false},
		{"decimal", bson.D{{Key: "_id", Value: "r7"}, {Key: "d", Value: bson.NewDecimal128(1, 1)}}, false, false},
		{"dotted key", bson.D{{Key: "_id", Value: "r8"}, {Key: "a.b", Value: int32(1)}}, false, false},
		{"duplicate _id", bson.D{{Key: "_id", Value: "r1"}}, false, false},
	}
	for _, tc := range inserts {
		before := s.front.inserted.Load()
		_, err := c.InsertOne(ctx, tc.doc)
		if (err == nil) != tc.ok {
			t.Errorf("%s: error %v, want success %v", tc.name, err, tc.ok)
		}
		if tc.name == "duplicate _id" && !mongo.IsDuplicateKeyError(err) {
			t.Errorf("duplicate _id: %v, want a duplicate key error", err)
		}
		if wrote := s.front.inserted.Load() > before; wrote != tc.direct {
			t.Errorf("%s: the front wrote it: %v, want %v", tc.name, wrote, tc.direct)
		}
	}
	// FerretDB turned -0 into 0, as it does.
	var z struct{ Z float64 }
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "r3"}}).Decode(&z); err != nil || math.Signbit(z.Z) {
		t.Errorf("negative zero: %v %v", z, err)
	}
	updates := []struct {
		name   string
		update bson.D
		direct bool
	}{
		{"dotted path", bson.D{{Key: "$set", Value: bson.D{{Key: "a.b", Value: int32(1)}}}}, false},
		{"increment", bson.D{{Key: "$inc", Value: bson.D{{Key: "revision", Value: int32(1)}}}}, true},
		{"increment by a double", bson.D{{Key: "$inc", Value: bson.D{{Key: "revision", Value: 0.0}}}}, false},
		{"set _id", bson.D{{Key: "$set", Value: bson.D{{Key: "_id", Value: "r1"}}}}, false},
		{"binary value", bson.D{{Key: "$set", Value: bson.D{{Key: "b", Value: bson.Binary{Data: []byte{1}}}}}}, false},
		{"minimum of a text", bson.D{{Key: "$min", Value: bson.D{{Key: "n", Value: "x"}}}}, false},
		{"rename", bson.D{{Key: "$rename", Value: bson.D{{Key: "n", Value: "m"}}}}, false},
	}
	for _, tc := range updates {
		before := s.front.updated.Load()
		if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "r1"}}, tc.update); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if wrote := s.front.updated.Load() > before; wrote != tc.direct {
			t.Errorf("%s: the front wrote it: %v, want %v", tc.name, wrote, tc.direct)
		}
	}
	var r struct {
		Revision int64
		A        struct{ B int32 }
	}
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "r1"}}).Decode(&r); err != nil || r.Revision != 2 || r.A.B != 1 {
		t.Errorf("after FerretDB's updates: %+v %v", r, err)
	}
	// An ObjectID _id is stored as its hex digits, the text a string _id of
	// those digits has: a filter by the string matches nothing.
	oid := bson.NewObjectID()
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: oid}, {Key: "n", Value: int64(1)}}); err != nil {
		t.Fatal(err)
	}
	res, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: oid.Hex()}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: int64(2)}}}})
	if err != nil || res.MatchedCount != 0 {
		t.Errorf("an update by the digits of an ObjectID: %+v %v, want no match", res, err)
	}
}

// A database dropped and made again is a new file: the front's writes go
// to it, not to the file FerretDB removed.
func TestDirectWritesFollowADroppedDatabase(t *testing.T) {
	s, db, _ := start(t)
	ctx := context.Background()
	for round := range 2 {
		if err := db.CreateCollection(ctx, "requests"); err != nil {
			t.Fatal(err)
		}
		before := s.front.inserted.Load()
		if _, err := db.Collection("requests").InsertOne(ctx, bson.D{{Key: "_id", Value: "r1"}}); err != nil {
			t.Fatal(err)
		}
		if s.front.inserted.Load() != before+1 {
			t.Fatalf("round %d: the front did not write the insert", round)
		}
		if n, err := db.Collection("requests").CountDocuments(ctx, bson.D{}); err != nil || n != 1 {
			t.Fatalf("round %d: %d documents, %v", round, n, err)
		}
		if err := db.Drop(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// A write the driver would never send, with a sequence whose upsert is a
// number, gets FerretDB's answer; the front goes on serving.
func TestOddWriteMessagesDoNotStopTheFront(t *testing.T) {
	s, db, dir := start(t)
	ctx := context.Background()
	if _, err := db.Collection("requests").InsertOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(1)}}); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("unix", filepath.Join(dir, "store.sock"))
	if err != nil {
		t.Skipf("the store listens elsewhere: %v", err) // a data folder path too long for a socket
	}
	defer conn.Close()
	for _, upsert := range []any{int32(1), "yes", nil} {
		body := mustMarshal(bson.D{{Key: "update", Value: "requests"}, {Key: "$db", Value: "shop"}})
		seq := appendCString(nil, "updates")
		seq = append(seq, mustMarshal(bson.D{{Key: "q", Value: bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(1)}}},
			{Key: "u", Value: bson.D{{Key: "$set", Value: bson.D{{Key: "x", Value: int32(1)}}}}}, {Key: "upsert", Value: upsert}})...)
		msg := opMsgOf(body, 7, 0)
		msg = append(msg, 1)
		msg = binary.LittleEndian.AppendUint32(msg, uint32(len(seq)+4))
		msg = append(msg, seq...)
		binary.LittleEndian.PutUint32(msg, uint32(len(msg)))
		if _, err := conn.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := readMessage(conn); err != nil {
			t.Fatalf("upsert %v: no answer: %v", upsert, err)
		}
	}
	if s.front.updated.Load() != 0 {
		t.Error("the front wrote an update whose upsert is not a boolean")
	}
	if n, err := db.Collection("requests").CountDocuments(ctx, bson.D{}); err != nil || n != 1 {
		t.Errorf("after the odd messages: %d documents, %v", n, err)
	}
}

// Writes that queue behind one another are committed together, and each
// client hears its answer only after that commit; if the commit fails,
// every write of the batch fails and none is stored.
func TestQueuedWritesShareACommit(t *testing.T) {
	s, db, _ := start(t)
	ctx := context.Background()
	c := db.Collection("requests")
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "first"}}); err != nil {
		t.Fatal(err)
	}
	const n = 8
	// queue holds writes off until n inserts wait for the lock, then lets
	// them go, and returns their errors.
	queue := func(round string) []error {
		t.Helper()
		s.front.writeMu.Lock()
		errs := make(chan error, n)
		for i := range n {
			go func() {
				_, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("%s-%d", round, i)}, {Key: "n", Value: int32(i)}})
				errs <- err
			}()
		}
		for deadline := time.Now().Add(10 * time.Second); s.front.waiting.Load() < n; {
			if time.Now().After(deadline) {
				s.front.writeMu.Unlock()
				t.Fatalf("%d writes waiting", s.front.waiting.Load())
			}
			time.Sleep(time.Millisecond)
		}
		s.front.writeMu.Unlock()
		var out []error
		for range n {
			out = append(out, <-errs)
		}
		return out
	}

	commits := s.front.commits.Load()
	for _, err := range queue("ok") {
		if err != nil {
			t.Error(err)
		}
	}
	if got := s.front.commits.Load() - commits; got != 1 {
		t.Errorf("%d writes queued together took %d commits, want 1", n, got)
	}
	if got, err := c.CountDocuments(ctx, bson.D{{Key: "n", Value: bson.D{{Key: "$gte", Value: 0}}}}); err != nil || got != n {
		t.Errorf("%d documents stored, %v; want %d", got, err, n)
	}

	// A commit that fails: the connection is lost before it.
	setCommit := func(fn func(bool) map[string]error) {
		s.front.writeMu.Lock()
		s.front.commit = fn
		s.front.writeMu.Unlock()
	}
	commit := s.front.commit
	setCommit(func(durable bool) map[string]error {
		s.direct.fail("shop", errors.New("lost"))
		return s.direct.commitAll(durable)
	})
	errs := queue("lost")
	setCommit(commit)
	for _, err := range errs {
		if err == nil {
			t.Error("a write of a batch whose commit failed was answered as done")
		}
	}
	if got, err := c.CountDocuments(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: "^lost-"}}}}); err != nil || got != 0 {
		t.Errorf("%d documents of the failed batch stored, %v", got, err)
	}
	// And the store goes on.
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "after"}}); err != nil {
		t.Error(err)
	}
}

// A batch of writes that all ask not to wait for the disk ({j: false})
// commits without an fsync, and is read back at once; an ordinary write
// waits for the disk, with the writes of its batch, but not for the
// unjournaled writes queued after it.
func TestUnjournaledWritesCommitWithoutWaitingForTheDisk(t *testing.T) {
	s, db, _ := start(t)
	ctx := context.Background()
	lazy := db.Collection("requests", options.Collection().SetWriteConcern(&writeconcern.WriteConcern{W: 1, Journal: new(false)}))
	durable := db.Collection("requests")
	if _, err := durable.InsertOne(ctx, bson.D{{Key: "_id", Value: "first"}}); err != nil {
		t.Fatal(err)
	}
	// batch holds writes off until one insert through each of colls waits,
	// then lets them go together, and returns how many of the commits
	// since were made without waiting for the disk.
	batch := func(round string, colls ...*mongo.Collection) (commits, lazyCommits int64) {
		t.Helper()
		c0, l0, s0 := s.front.commits.Load(), s.front.lazy.Load(), s.direct.synced.Load()
		defer func() {
			if synced := s.direct.synced.Load() - s0; synced != commits-lazyCommits {
				t.Errorf("%s: %d commits, %d without the disk, and %d synced the WAL", round, commits, lazyCommits, synced)
			}
		}()
		s.front.writeMu.Lock()
		errs := make(chan error, len(colls))
		for i, c := range colls {
			go func() {
				_, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("%s-%d", round, i)}})
				errs <- err
			}()
		}
		for deadline := time.Now().Add(10 * time.Second); s.front.waiting.Load() < int32(len(colls)); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				s.front.writeMu.Unlock()
				t.Fatalf("%d writes waiting", s.front.waiting.Load())
			}
		}
		s.front.writeMu.Unlock()
		for range colls {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		for i := range colls {
			if err := durable.FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("%s-%d", round, i)}}).Err(); err != nil {
				t.Errorf("%s-%d not read back: %v", round, i, err)
			}
		}
		return s.front.commits.Load() - c0, s.front.lazy.Load() - l0
	}
	if commits, lazyCommits := batch("lazy", lazy, lazy, lazy); commits != 1 || lazyCommits != 1 {
		t.Errorf("three unjournaled writes: %d commits, %d without the disk; want 1 and 1", commits, lazyCommits)
	}
	// The ordinary write waits for the disk (with the unjournaled writes
	// queued before it, which join its batch), but not for those after it.
	if commits, lazyCommits := batch("mixed", lazy, durable, lazy); commits-lazyCommits != 1 || commits > 2 {
		t.Errorf("unjournaled writes and an ordinary one: %d commits, %d without the disk; want one with the disk, at most one without", commits, lazyCommits)
	}
	if commits, lazyCommits := batch("two", durable, durable); commits != 1 || lazyCommits != 0 {
		t.Errorf("two ordinary writes: %d commits, %d without the disk; want 1 and 0", commits, lazyCommits)
	}
	if commits, lazyCommits := batch("durable", durable); commits != 1 || lazyCommits != 0 {
		t.Errorf("an ordinary write: %d commits, %d without the disk; want 1 and 0", commits, lazyCommits)
	}
}

// A batch that waits for the disk commits as soon as no other durable
// write waits: its clients do not wait for the unjournaled writes queued
// behind it. A durable write waiting joins it; an unjournaled batch waits
// for anything queued.
func TestDurableBatchesDoNotWaitForUnjournaledWrites(t *testing.T) {
	f := newFront(nil)
	var commits []bool
	f.commit = func(durable bool) map[string]error { commits = append(commits, durable); return nil }
	cases := []struct {
		name            string
		batchDurable    bool
		durable, lazy   int32 // writes waiting
		wantCommit      bool
		wantDurableSync bool
	}{
		{"durable batch, unjournaled writes waiting", true, 0, 2, true, true},
		{"durable batch, a durable write waiting", true, 1, 2, false, false},
		{"unjournaled batch, unjournaled writes waiting", false, 0, 2, false, false},
		{"unjournaled batch, nothing waiting", false, 0, 0, true, false},
		{"durable batch, nothing waiting", true, 0, 0, true, true},
	}
	for _, tc := range cases {
		commits = nil
		f.batch = &commitBatch{n: 1, durable: tc.batchDurable, done: make(chan struct{})}
		for range tc.durable {
			f.wait(true, 1)
		}
		for range tc.lazy {
			f.wait(false, 1)
		}
		f.flushIfIdle()
		if committed := len(commits) == 1; committed != tc.wantCommit || committed && commits[0] != tc.wantDurableSync {
			t.Errorf("%s: commits %v, want a commit %v (durable %v)", tc.name, commits, tc.wantCommit, tc.wantDurableSync)
		}
		for range tc.durable {
			f.wait(true, -1)
		}
		for range tc.lazy {
			f.wait(false, -1)
		}
	}
}
