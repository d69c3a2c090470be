package mongostore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// TestAtLeastOnceWritesAreUnjournaled: the writes a dispatcher makes
// (engine.AtLeastOnce) ask the server not to wait for its journal ({j:
// false}); every other write is sent with the default, durable concern.
func TestAtLeastOnceWritesAreUnjournaled(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	journal := map[string][]string{} // command -> its writeConcern.j, per write
	monitor := &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		if e.CommandName != "update" && e.CommandName != "insert" {
			return
		}
		j := "default"
		if v, err := e.Command.LookupErr("writeConcern", "j"); err == nil {
			j = v.String()
		}
		mu.Lock()
		journal[e.CommandName] = append(journal[e.CommandName], j)
		mu.Unlock()
	}}
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI(t)).SetMonitor(monitor))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	db := client.Database(storetest.DB(t).Name())
	s := mongostore.New(db)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	r := &engine.Request{ID: "R1", Revision: 1, Status: engine.StatusSubmitted, Data: map[string]any{}, OutboxDue: &now}
	if err := s.RequestInsert(ctx, r); err != nil {
		t.Fatal(err)
	}
	sent := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := append(journal["insert"], journal["update"]...)
		clear(journal)
		return out
	}
	if got := sent(); len(got) != 1 || got[0] != "default" {
		t.Errorf("a submission's insert was sent with j %q, want the default", got)
	}

	once := engine.AtLeastOnce(ctx)
	claimed, err := s.RequestClaim(once, engine.LeaseOutbox, "R1", now, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.NotificationPut(once, &engine.Notification{ID: "R1-n1", User: "sara", Request: "R1", At: now}); err != nil {
		t.Fatal(err)
	}
	claimed.Revision++
	claimed.OutboxDue = nil
	if err := s.RequestUpdate(once, claimed, 1, engine.LeaseOutbox); err != nil {
		t.Fatal(err)
	}
	if err := s.WakeLower(once, engine.LeaseOutbox, now); err != nil {
		t.Fatal(err)
	}
	if got := sent(); len(got) != 4 || got[0] != "false" || got[1] != "false" || got[2] != "false" || got[3] != "false" {
		t.Errorf("a dispatcher's claim, notification, record and wake-up time were sent with j %q, want false each", got)
	}

	claimed.Revision++
	claimed.Data = map[string]any{"note": "a step"}
	if err := s.RequestUpdate(ctx, claimed, 2, engine.LeaseNone); err != nil {
		t.Fatal(err)
	}
	if got := sent(); len(got) != 1 || got[0] != "default" {
		t.Errorf("a step was sent with j %q, want the default", got)
	}
	var stored struct{ Revision int64 }
	if err := db.Collection("requests").FindOne(ctx, bson.D{{Key: "_id", Value: "R1"}}).Decode(&stored); err != nil || stored.Revision != 3 {
		t.Errorf("stored revision %d (%v), want 3", stored.Revision, err)
	}
}
