package mongostore_test

import (
	"context"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"

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
