package embedded

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// start serves a new data folder for the test, and stops it at the end.
func start(t *testing.T) (*Server, *mongo.Database, string) {
	t.Helper()
	dir := t.TempDir()
	s, db, stop := serve(t, dir)
	t.Cleanup(func() { _ = stop() })
	return s, db, dir
}

// serve starts a store on dir and connects to its database shop; stop
// disconnects and stops it.
func serve(t testing.TB, dir string) (s *Server, db *mongo.Database, stop func() error) {
	t.Helper()
	s, err := Start(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	client, err := mongo.Connect(options.Client().ApplyURI(s.URI()))
	if err != nil {
		t.Fatal(err)
	}
	return s, client.Database("shop"), func() error {
		_ = client.Disconnect(context.Background())
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return s.Stop(ctx)
	}
}

// taskHolders lists the requests whose open tasks user holds, from the
// side tables (the front's own command).
func taskHolders(t *testing.T, db *mongo.Database, user string) []string {
	t.Helper()
	var reply struct{ IDs []string }
	cmd := bson.D{{Key: CommandTaskHolders, Value: "requests"}, {Key: "user", Value: user}, {Key: "limit", Value: int64(10)}}
	if err := db.RunCommand(context.Background(), cmd).Decode(&reply); err != nil {
		t.Fatal(err)
	}
	return reply.IDs
}

// tableOf opens the SQLite file of database shop in dir (closed when the
// test ends) and finds the table of collection coll.
func tableOf(t testing.TB, dir, coll string) (*sql.DB, string) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "shop.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	var table string
	if err := conn.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table); err != nil {
		t.Fatalf("%s: %v", coll, err)
	}
	return conn, table
}

// lookupIndexes lists the tables of database db that have the _id lookup
// index.
func lookupIndexes(t *testing.T, dir, db string) map[string]bool {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(dir, db+".sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT c.name FROM _ferretdb_collections c JOIN sqlite_master m ON m.tbl_name = c.table_name
		WHERE m.type = 'index' AND m.name = c.table_name || '_` + idIndexSuffix + `'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[n] = true
	}
	return out
}

// Every collection gets the index SQLite needs to find a document by _id,
// whether an insert or an index creation made it, and a lookup by _id
// uses it.
func TestCollectionsGetTheIDLookupIndex(t *testing.T) {
	_, db, dir := start(t)
	ctx := context.Background()
	if _, err := db.Collection("orders").InsertOne(ctx, bson.D{{Key: "_id", Value: "o1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Collection("items").Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "sku", Value: 1}}}); err != nil {
		t.Fatal(err)
	}
	got := lookupIndexes(t, dir, "shop")
	if !got["orders"] || !got["items"] {
		t.Fatalf("collections with the lookup index: %v", got)
	}

	conn, table := tableOf(t, dir, "orders")
	var plan string
	// The condition FerretDB's sqlite backend writes for a filter {_id: v}.
	var id, parent, unused int
	if err := conn.QueryRow(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "`+table+`" WHERE _ferretdb_sjson->'$._id' = ?`, `"o1"`).
		Scan(&id, &parent, &unused, &plan); err != nil {
		t.Fatal(err)
	}
	if want := "USING INDEX " + table + "_" + idIndexSuffix; !strings.Contains(plan, want) {
		t.Errorf("plan %q does not use the index", plan)
	}
}

// Guarded writes of the plain shape are split (looked up by _id, then
// written by _id, or written in SQLite directly); others go to FerretDB
// whole.
func TestGuardedWritesAreSplit(t *testing.T) {
	s, db, _ := start(t)
	split := func() int64 { return s.front.split.Load() + s.front.updated.Load() }
	ctx := context.Background()
	c := db.Collection("requests")
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(1)}, {Key: "tags", Value: bson.A{"a"}}}); err != nil {
		t.Fatal(err)
	}
	set := bson.D{{Key: "$set", Value: bson.D{{Key: "revision", Value: int64(2)}}}}
	if res, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(1)}}, set); err != nil || res.ModifiedCount != 1 {
		t.Fatalf("guarded update: %+v %v", res, err)
	}
	if res, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(1)}}, set); err != nil || res.MatchedCount != 0 {
		t.Fatalf("stale guarded update: %+v %v", res, err)
	}
	if res, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(1)}}); err != nil || res.DeletedCount != 0 {
		t.Fatalf("stale guarded delete: %+v %v", res, err)
	}
	if got := split(); got != 3 {
		t.Errorf("%d writes split, want 3", got)
	}
	// An array field: equality may mean "contains", so FerretDB decides.
	if res, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "tags", Value: "a"}}, set); err != nil || res.MatchedCount != 1 {
		t.Fatalf("update on an array field: %+v %v", res, err)
	}
	if got := s.front.unsplit.Load(); got != 1 {
		t.Errorf("%d writes sent whole, want 1", got)
	}
	// Upserts and many-document writes are never split.
	if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "r2"}, {Key: "revision", Value: int64(1)}}, set, options.UpdateOne().SetUpsert(true)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateMany(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(2)}}, set); err != nil {
		t.Fatal(err)
	}
	if res, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "revision", Value: int64(2)}}); err != nil || res.DeletedCount != 1 {
		t.Fatalf("guarded delete: %+v %v", res, err)
	}
	if got := split(); got != 4 {
		t.Errorf("%d writes split, want 4 (the upsert and the updateMany go whole)", got)
	}
	if n, err := c.CountDocuments(ctx, bson.D{}); err != nil || n != 1 {
		t.Errorf("%d documents left (the upserted one), %v", n, err)
	}
}

// A guarded write's conditions are decided in SQLite where the stored
// types allow it (by the direct write, or before the write goes to
// FerretDB), with MongoDB's equality: the same answers FerretDB gives,
// whatever type each side has.
func TestGuardedConditionsAreCheckedInSQL(t *testing.T) {
	s, db, _ := start(t)
	inSQL := func() int64 { return s.front.checkedInSQL.Load() + s.front.updated.Load() }
	ctx := context.Background()
	c := db.Collection("requests")
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "PK-7Q2"}, {Key: "revision", Value: int64(3)}, {Key: "small", Value: int32(7)},
		{Key: "status", Value: "open"}, {Key: "held", Value: true}, {Key: "lease", Value: at}, {Key: "gone", Value: nil},
		{Key: "oid", Value: bson.NewObjectID()}, {Key: "tags", Value: bson.A{"a"}}, {Key: "price", Value: 2.5}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		cond  bson.E
		match bool
		inSQL bool
	}{
		{"same long", bson.E{Key: "revision", Value: int64(3)}, true, true},
		{"long as int32", bson.E{Key: "revision", Value: int32(3)}, true, true},
		{"other long", bson.E{Key: "revision", Value: int64(4)}, false, true},
		{"int as long", bson.E{Key: "small", Value: int64(7)}, true, true},
		{"number as text", bson.E{Key: "revision", Value: "3"}, false, true},
		{"same text", bson.E{Key: "status", Value: "open"}, true, true},
		{"other text", bson.E{Key: "status", Value: "closed"}, false, true},
		{"same boolean", bson.E{Key: "held", Value: true}, true, true},
		{"other boolean", bson.E{Key: "held", Value: false}, false, true},
		{"same time", bson.E{Key: "lease", Value: at}, true, true},
		{"other time", bson.E{Key: "lease", Value: at.Add(time.Millisecond)}, false, true},
		{"time as number", bson.E{Key: "lease", Value: at.UnixMilli()}, false, true},
		{"null field", bson.E{Key: "gone", Value: "x"}, false, true},
		{"missing field", bson.E{Key: "nothere", Value: int64(1)}, false, true},
		{"object id as text", bson.E{Key: "oid", Value: "x"}, false, true},
		{"array contains", bson.E{Key: "tags", Value: "a"}, true, false},
		{"double", bson.E{Key: "price", Value: int64(2)}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := inSQL()
			// $set of the field the condition names, to what it holds:
			// a match changes nothing but is matched.
			res, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "PK-7Q2"}, tc.cond}, bson.D{{Key: "$set", Value: bson.D{{Key: "touched", Value: true}}}})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.MatchedCount == 1; got != tc.match {
				t.Errorf("matched %v, want %v", got, tc.match)
			}
			if got := inSQL() > before; got != tc.inSQL {
				t.Errorf("decided in SQL: %v, want %v", got, tc.inSQL)
			}
		})
	}
	// A document that is not there matches nothing, decided in SQL.
	before := inSQL()
	if res, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "PK-NONE"}, {Key: "revision", Value: int64(1)}}, bson.D{{Key: "$set", Value: bson.D{{Key: "x", Value: 1}}}}); err != nil || res.MatchedCount != 0 {
		t.Errorf("missing document: %+v %v", res, err)
	}
	if inSQL() == before {
		t.Error("a missing document was not decided in SQL")
	}
}

// The requests collection gets an index of each due time, and the
// queries for what is due read it rather than every request.
func TestDueTimesAreIndexed(t *testing.T) {
	_, db, dir := start(t)
	ctx := context.Background()
	if _, err := db.Collection("requests").InsertOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "due", Value: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	conn, table := tableOf(t, dir, "requests")
	for due, lease := range dueLeases {
		dueBy, later := dueQueries(table, due, lease)
		for _, q := range []string{dueBy, later} {
			rows, err := conn.Query("EXPLAIN QUERY PLAN "+q, 0)
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			if want := "USING INDEX " + table + "_pishkhan_" + due; !strings.Contains(strings.Join(plan, "; "), want) {
				t.Errorf("%s: plan %q does not use the index", due, plan)
			}
		}
	}
}
