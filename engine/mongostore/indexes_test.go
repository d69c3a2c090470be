package mongostore_test

import (
	"context"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// EnsureIndexes runs at every start of every process, so it must succeed
// on a database that has the indexes already, and there it creates none:
// on the embedded store a createIndexes, even of an index that exists,
// takes FerretDB's exclusive metadata lock, and a process starting
// against a busy store waited on two dozen of them until it gave up.
func TestEnsureIndexesIsIdempotent(t *testing.T) {
	db := storetest.DB(t)
	if err := mongostore.New(db).EnsureIndexes(context.Background()); err != nil {
		t.Fatal(err)
	}
	var creates atomic.Int64
	monitor := &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		if e.CommandName == "createIndexes" {
			creates.Add(1)
		}
	}}
	client, err := mongo.Connect(mongostore.ClientOptions(storetest.URI(t)).SetMonitor(monitor))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	if err := mongostore.New(client.Database(db.Name())).EnsureIndexes(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := creates.Load(); n != 0 {
		t.Errorf("the second start sent %d createIndexes for indexes that exist", n)
	}
}

// On the embedded store an index serves no query, only uniqueness, so
// EnsureIndexes keeps the unique ones and drops the others an earlier
// version made (each cost every write its upkeep); on MongoDB it makes
// them all.
func TestIndexesThatServeNoQueryAreDropped(t *testing.T) {
	db := storetest.DB(t)
	ctx := context.Background()
	requests := db.Collection("requests")
	if _, err := requests.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "due", Value: 1}}, Options: options.Index().SetName("due")}); err != nil {
		t.Fatal(err)
	}
	if err := mongostore.New(db).EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	names := func(c *mongo.Collection) map[string]bool {
		specs, err := c.Indexes().ListSpecifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, s := range specs {
			out[s.Name] = true
		}
		return out
	}
	var reply bson.M
	embedded := db.RunCommand(ctx, bson.D{{Key: "pishkhanStore", Value: 1}}).Decode(&reply) == nil
	got := names(requests)
	if got["due"] == embedded || got["taskUsers"] == embedded {
		t.Errorf("embedded store %v: request indexes %v", embedded, got)
	}
	if !names(db.Collection("definitionVersions"))["kind_key_version"] {
		t.Error("the unique index of definition versions is missing")
	}
}
