package embedded

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// insertAll runs the front's insert-all of docs (collection, document
// pairs) on db.
func insertAll(db *mongo.Database, docs ...any) error {
	var entries bson.A
	for i := 0; i < len(docs); i += 2 {
		entries = append(entries, bson.D{{Key: "collection", Value: docs[i]}, {Key: "document", Value: docs[i+1]}})
	}
	return db.RunCommand(context.Background(), bson.D{{Key: CommandInsertAll, Value: 1}, {Key: "documents", Value: entries}}).Err()
}

// ids lists the _ids in coll, sorted.
func ids(t *testing.T, db *mongo.Database, coll string) []string {
	t.Helper()
	cur, err := db.Collection(coll).Find(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(context.Background(), &docs); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range docs {
		out = append(out, d.ID)
	}
	slices.Sort(out)
	return out
}

// seeded serves a store whose requests and notifications collections
// exist (the front writes only into those), each holding "seed".
func seeded(t *testing.T) *mongo.Database {
	t.Helper()
	_, db, stop := serve(t, t.TempDir())
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	for _, coll := range []string{"requests", "notifications"} {
		if _, err := db.Collection(coll).InsertOne(context.Background(), bson.D{{Key: "_id", Value: "seed"}}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestInsertAllWritesEveryDocumentOrNone: the documents of an insert-all
// land in their collections together, as FerretDB reads them back and
// with the side rows their triggers keep; one whose _id is taken fails
// the whole write with a duplicate key error, and so does one repeated
// within it; one into a collection not made yet, or with a value the
// front does not write, is declined with nothing written.
func TestInsertAllWritesEveryDocumentOrNone(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()

	r1 := requestLike("R1")
	r1 = append(r1, bson.E{Key: "taskUsers", Value: bson.A{"sara"}})
	if err := insertAll(db, "requests", r1, "notifications", bson.D{{Key: "_id", Value: "R1-n1/sara"}, {Key: "user", Value: "sara"}},
		"notifications", bson.D{{Key: "_id", Value: "R1-n1/ali"}, {Key: "user", Value: "ali"}}); err != nil {
		t.Fatal(err)
	}
	var got bson.D
	if err := db.Collection("requests").FindOne(ctx, bson.D{{Key: "_id", Value: "R1"}}).Decode(&got); err != nil {
		t.Fatal(err)
	}
	want, _ := bson.Marshal(r1)
	gotRaw, _ := bson.Marshal(got)
	if !bytes.Equal(want, gotRaw) {
		t.Errorf("stored %v\nwant %v", bson.Raw(gotRaw), bson.Raw(want))
	}
	if got := ids(t, db, "notifications"); !slices.Equal(got, []string{"R1-n1/ali", "R1-n1/sara", "seed"}) {
		t.Errorf("notifications: %q", got)
	}
	if got := taskHolders(t, db, "sara"); !slices.Equal(got, []string{"R1"}) {
		t.Errorf("the insert-all's request is not in the side tables: %q", got)
	}

	var ce mongo.CommandError
	for name, docs := range map[string][]any{
		"a taken _id":       {"requests", requestLike("R2"), "notifications", bson.D{{Key: "_id", Value: "R1-n1/sara"}}},
		"an _id twice":      {"requests", requestLike("R2"), "notifications", bson.D{{Key: "_id", Value: "x"}}, "notifications", bson.D{{Key: "_id", Value: "x"}}},
		"a taken first _id": {"requests", requestLike("R1"), "notifications", bson.D{{Key: "_id", Value: "y"}}},
	} {
		err := insertAll(db, docs...)
		if !errors.As(err, &ce) || ce.Code != codeDuplicateKey || !mongo.IsDuplicateKeyError(err) {
			t.Errorf("%s: %v, want a duplicate key error", name, err)
		}
	}
	for name, docs := range map[string][]any{
		"a collection not made yet": {"requests", requestLike("R3"), "later", bson.D{{Key: "_id", Value: "z"}}},
		"a document without _id":    {"requests", requestLike("R3"), "notifications", bson.D{{Key: "user", Value: "z"}}},
		"no documents":              {},
	} {
		err := insertAll(db, docs...)
		if !errors.As(err, &ce) || ce.Code != CodeInsertAllDeclined {
			t.Errorf("%s: %v, want it declined", name, err)
		}
	}
	for _, cmd := range []bson.D{
		{{Key: CommandInsertAll, Value: 1}},
		{{Key: CommandInsertAll, Value: 1}, {Key: "documents", Value: "x"}},
		{{Key: CommandInsertAll, Value: 1}, {Key: "documents", Value: bson.A{1, 2}}},
		{{Key: CommandInsertAll, Value: 1}, {Key: "documents", Value: bson.A{bson.D{{Key: "collection", Value: 1}, {Key: "document", Value: bson.D{}}}}}},
	} {
		err := db.RunCommand(ctx, cmd).Err()
		if !errors.As(err, &ce) || ce.Code != CodeInsertAllDeclined {
			t.Errorf("%v: %v, want it declined", cmd, err)
		}
	}
	if got := ids(t, db, "requests"); !slices.Equal(got, []string{"R1", "seed"}) {
		t.Errorf("requests after the refused writes: %q", got)
	}
	if got := ids(t, db, "notifications"); !slices.Equal(got, []string{"R1-n1/ali", "R1-n1/sara", "seed"}) {
		t.Errorf("notifications after the refused writes: %q", got)
	}
}

// TestInsertAllWithAnUpdate: an insert-all's update is made first, in the
// same savepoint: guarded by a condition that holds, the update and the
// documents are written; by one that does not, nothing is, and the
// answer says it matched nothing; an update the front does not make
// itself ($push) declines the whole of it.
func TestInsertAllWithAnUpdate(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	if _, err := db.Collection("requests").InsertOne(ctx, requestLike("R1")); err != nil {
		t.Fatal(err)
	}
	run := func(revision int64, set bson.D, note string) (bson.Raw, error) {
		cmd := bson.D{{Key: CommandInsertAll, Value: 1},
			{Key: "update", Value: bson.D{{Key: "collection", Value: "requests"},
				{Key: "q", Value: bson.D{{Key: "_id", Value: "R1"}, {Key: "revision", Value: revision}}}, {Key: "u", Value: set}}},
			{Key: "documents", Value: bson.A{bson.D{{Key: "collection", Value: "notifications"}, {Key: "document", Value: bson.D{{Key: "_id", Value: note}}}}}}}
		return db.RunCommand(ctx, cmd).Raw()
	}
	revision := func() int64 {
		var got struct{ Revision int64 }
		if err := db.Collection("requests").FindOne(ctx, bson.D{{Key: "_id", Value: "R1"}}).Decode(&got); err != nil {
			t.Fatal(err)
		}
		return got.Revision
	}
	// requestLike is at revision 3.
	reply, err := run(3, bson.D{{Key: "$set", Value: bson.D{{Key: "revision", Value: int64(4)}, {Key: "status", Value: "held"}}}}, "n1")
	if err != nil || reply.Lookup("nMatched").Int32() != 1 || reply.Lookup("n").Int32() != 1 {
		t.Fatalf("a guard that holds: %v %v", reply, err)
	}
	if revision() != 4 || !slices.Contains(ids(t, db, "notifications"), "n1") {
		t.Errorf("revision %d, notifications %q", revision(), ids(t, db, "notifications"))
	}
	reply, err = run(3, bson.D{{Key: "$set", Value: bson.D{{Key: "revision", Value: int64(4)}}}}, "n2")
	if err != nil || reply.Lookup("nMatched").Int32() != 0 || reply.Lookup("n").Int32() != 0 {
		t.Fatalf("a guard that fails: %v %v", reply, err)
	}
	_, err = run(4, bson.D{{Key: "$push", Value: bson.D{{Key: "history", Value: "x"}}}}, "n3")
	var ce mongo.CommandError
	if !errors.As(err, &ce) || ce.Code != CodeInsertAllDeclined {
		t.Errorf("an update the front does not make: %v, want it declined", err)
	}
	// The guard holds, the note's _id is taken: neither is written.
	reply, err = run(4, bson.D{{Key: "$set", Value: bson.D{{Key: "revision", Value: int64(5)}}}}, "n1")
	if !mongo.IsDuplicateKeyError(err) {
		t.Errorf("a taken _id after the update: %v %v", reply, err)
	}
	if revision() != 4 || !slices.Equal(ids(t, db, "notifications"), []string{"n1", "seed"}) {
		t.Errorf("after the refused writes: revision %d, notifications %q", revision(), ids(t, db, "notifications"))
	}
}
