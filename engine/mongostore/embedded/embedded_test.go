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

func start(t *testing.T) (*Server, *mongo.Database, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Start(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	client, err := mongo.Connect(options.Client().ApplyURI(s.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = client.Disconnect(context.Background())
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Stop(ctx)
	})
	return s, client.Database("shop"), dir
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

	conn, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "shop.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var table, plan string
	if err := conn.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = 'orders'`).Scan(&table); err != nil {
		t.Fatal(err)
	}
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
// written by _id); others go to FerretDB whole.
func TestGuardedWritesAreSplit(t *testing.T) {
	s, db, _ := start(t)
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
	if got := s.front.split.Load(); got != 3 {
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
	if got := s.front.split.Load(); got != 4 {
		t.Errorf("%d writes split, want 4 (the upsert and the updateMany go whole)", got)
	}
	if n, err := c.CountDocuments(ctx, bson.D{}); err != nil || n != 1 {
		t.Errorf("%d documents left (the upserted one), %v", n, err)
	}
}
