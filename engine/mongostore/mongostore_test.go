package mongostore_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"reflect"
	"slices"
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
	"github.com/pishkhan/pishkhan/forms"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func put(t *testing.T, s engine.Store, kind engine.Kind, key string, expect int64) (*engine.Definition, error) {
	t.Helper()
	return s.DefinitionPutDraft(context.Background(), &engine.DefinitionPutDraftParams{
		Kind: kind, Key: key, Title: forms.Text{"en": key}, Body: json.RawMessage(`{"title":{"en":"x"}}`), ExpectRevision: expect, Now: time.Now().UTC(),
	})
}

// Keys that share a prefix ("a", "a-b") must not leak into each other's
// version lists, nor forms into fragments.
func TestVersionListsStayWithinTheirDefinition(t *testing.T) {
	t.Parallel()
	s := storetest.Store(t)
	ctx := context.Background()
	for _, d := range []struct {
		kind engine.Kind
		key  string
		n    int
	}{{engine.KindForm, "a", 3}, {engine.KindForm, "a-b", 2}, {engine.KindForm, "ab", 1}, {engine.KindFragment, "a", 4}} {
		for i := 1; i <= d.n; i++ {
			if err := s.VersionInsert(ctx, &engine.Version{Kind: d.kind, Key: d.key, Number: i, PublishedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
	}
	vs, err := s.VersionList(ctx, &engine.VersionListParams{Kind: engine.KindForm, Key: "a", Limit: 10})
	if err != nil || len(vs) != 3 || vs[0].Number != 3 || vs[2].Number != 1 {
		t.Fatalf("versions of form a: %+v %v", vs, err)
	}
	for _, v := range vs {
		if v.Key != "a" || v.Kind != engine.KindForm {
			t.Errorf("foreign version listed: %+v", v)
		}
	}
	if err := s.VersionInsert(ctx, &engine.Version{Kind: engine.KindForm, Key: "a", Number: 2}); !errors.Is(err, engine.ErrDuplicate) {
		t.Errorf("duplicate version: %v, want ErrDuplicate", err)
	}
}

func TestDraftRevisionGuard(t *testing.T) {
	t.Parallel()
	s := storetest.Store(t)
	d, err := put(t, s, engine.KindForm, "f", 0)
	if err != nil || d.Revision != 1 {
		t.Fatalf("%+v %v", d, err)
	}
	if d, err = put(t, s, engine.KindForm, "f", 1); err != nil || d.Revision != 2 {
		t.Fatalf("%+v %v", d, err)
	}
	if _, err = put(t, s, engine.KindForm, "f", 1); !errors.Is(err, engine.ErrPreconditionFailed) {
		t.Errorf("stale revision: %v", err)
	}
	if _, err = put(t, s, engine.KindForm, "never", 1); !errors.Is(err, engine.ErrPreconditionFailed) {
		t.Errorf("guarded save of a missing draft: %v", err)
	}
}

// Many first saves of one key at once: each succeeds, one document results,
// and its revision counts every save.
func TestConcurrentFirstSaves(t *testing.T) {
	t.Parallel()
	s := storetest.Store(t)
	const n = 8
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := put(t, s, engine.KindForm, "race", 0); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	d, err := s.DefinitionGet(context.Background(), engine.KindForm, "race")
	if err != nil || d.Revision != n {
		t.Errorf("after %d saves: %+v %v", n, d, err)
	}
}

func TestChangeCounter(t *testing.T) {
	t.Parallel()
	s := storetest.Store(t)
	ctx := context.Background()
	if n, err := s.ChangeCounterGet(ctx); err != nil || n != 0 {
		t.Fatalf("fresh counter %d %v", n, err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _ = s.ChangeCounterBump(ctx) }()
	}
	wg.Wait()
	if n, err := s.ChangeCounterGet(ctx); err != nil || n != 5 {
		t.Errorf("counter %d %v, want 5", n, err)
	}
}

// TestClaimAsWritten: a request claimed as its writer left it is leased
// with one guarded write; once anything changed it (a claim, a write), the
// same claim misses and the caller claims afresh.
func TestClaimAsWritten(t *testing.T) {
	t.Parallel()
	s := storetest.Store(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	written := &engine.Request{ID: "CLAIMED", Revision: 1, Status: engine.StatusSubmitted, Data: map[string]any{}, OutboxDue: &now}
	if err := s.RequestInsert(ctx, written); err != nil {
		t.Fatal(err)
	}
	if err := s.RequestClaimAsWritten(ctx, engine.LeaseOutbox, written, now.Add(time.Minute)); err != nil {
		t.Fatalf("claim as written: %v", err)
	}
	if err := s.RequestClaimAsWritten(ctx, engine.LeaseOutbox, written, now.Add(time.Minute)); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("a second claim of the same state: %v, want ErrNotFound", err)
	}
	if got, err := s.RequestGet(ctx, "CLAIMED"); err != nil || !got.OutboxLease.Equal(now.Add(time.Minute)) {
		t.Errorf("lease after the claim: %v %v", got.OutboxLease, err)
	}
	other := &engine.Request{ID: "CHANGED", Revision: 1, Status: engine.StatusSubmitted, Data: map[string]any{}, OutboxDue: &now}
	if err := s.RequestInsert(ctx, other); err != nil {
		t.Fatal(err)
	}
	next := *other
	next.Revision = 2
	if err := s.RequestUpdate(ctx, &next, 1, engine.LeaseNone); err != nil {
		t.Fatal(err)
	}
	if err := s.RequestClaimAsWritten(ctx, engine.LeaseOutbox, other, now.Add(time.Minute)); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("a claim of a state written over since: %v, want ErrNotFound", err)
	}
}

// TestReleaseNodeLeases: a process started again under its node name
// gives back the leases its killed earlier life held, so those timers and
// outbox items are due at once rather than when the leases run out; the
// leases of other processes stay.
func TestReleaseNodeLeases(t *testing.T) {
	t.Parallel()
	db := storetest.Store(t).Database()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	due := now.Add(-time.Second)
	killed, other := mongostore.New(db), mongostore.New(db)
	killed.UseNode("host-1 :8080")
	other.UseNode("host-2 :8080")
	for _, id := range []string{"MINE", "THEIRS"} {
		if err := killed.RequestInsert(ctx, &engine.Request{ID: id, Revision: 1, Status: engine.StatusSubmitted, Data: map[string]any{}, Due: &due, OutboxDue: &due}); err != nil {
			t.Fatal(err)
		}
	}
	for _, lease := range []engine.Lease{engine.LeaseTimers, engine.LeaseOutbox} {
		if _, err := killed.RequestClaim(ctx, lease, "MINE", now, now.Add(time.Minute)); err != nil {
			t.Fatalf("claim %s: %v", lease, err)
		}
		if _, err := other.RequestClaim(ctx, lease, "THEIRS", now, now.Add(time.Minute)); err != nil {
			t.Fatalf("claim %s: %v", lease, err)
		}
		if ids, _, err := other.RequestsDue(ctx, lease, now, 10); err != nil || len(ids) != 0 {
			t.Fatalf("%s due while both are held: %v %v", lease, ids, err)
		}
	}
	if n, err := mongostore.New(db).ReleaseNodeLeases(ctx, now); err != nil || n != 0 {
		t.Errorf("a store without a node name released %d leases (%v)", n, err)
	}
	restarted := mongostore.New(db)
	restarted.UseNode("host-1 :8080")
	if n, err := restarted.ReleaseNodeLeases(ctx, now); err != nil || n != 2 {
		t.Fatalf("released %d leases (%v), want MINE's two", n, err)
	}
	for _, lease := range []engine.Lease{engine.LeaseTimers, engine.LeaseOutbox} {
		if ids, _, err := other.RequestsDue(ctx, lease, now, 10); err != nil || len(ids) != 1 || ids[0] != "MINE" {
			t.Errorf("%s due after the restart: %v %v, want MINE alone", lease, ids, err)
		}
		if _, err := other.RequestClaim(ctx, lease, "MINE", now, now.Add(time.Minute)); err != nil {
			t.Errorf("another process cannot claim the released %s lease: %v", lease, err)
		}
	}
	if n, err := restarted.ReleaseNodeLeases(ctx, now); err != nil || n != 0 {
		t.Errorf("released %d leases other processes hold (%v)", n, err)
	}
	// A request stored already leased to its process's dispatcher names
	// the process as a claim does.
	if err := killed.RequestInsert(ctx, &engine.Request{ID: "HELD", Revision: 1, Status: engine.StatusSubmitted, Data: map[string]any{},
		OutboxDue: &due, OutboxLease: now.Add(30 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.RequestClaim(ctx, engine.LeaseOutbox, "HELD", now, now.Add(time.Minute)); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("another process claimed a request stored leased: %v", err)
	}
	if n, err := restarted.ReleaseNodeLeases(ctx, now); err != nil || n != 1 {
		t.Errorf("released %d leases (%v), want the one the insert took", n, err)
	}
}

// TestUnreachableStoreIsUnavailable: a store that cannot be reached (its
// server restarting) is ErrUnavailable, which the API answers 503 "try
// again", not an internal error.
func TestUnreachableStoreIsUnavailable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	client, err := mongo.Connect(mongostore.ClientOptions("mongodb://" + addr + "/").SetServerSelectionTimeout(200 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	s := mongostore.New(client.Database("gone"))
	if _, err := s.RequestGet(context.Background(), "ANY"); !errors.Is(err, engine.ErrUnavailable) {
		t.Errorf("read from an unreachable store: %v, want ErrUnavailable", err)
	}
	if err := s.RequestInsert(context.Background(), &engine.Request{ID: "ANY", Data: map[string]any{}}); !errors.Is(err, engine.ErrUnavailable) {
		t.Errorf("write to an unreachable store: %v, want ErrUnavailable", err)
	}
}

// An update leaves the stored request exactly as the request encodes: a
// field the step cleared (omitempty) is gone, not kept from before, and
// the copy the store keeps for the next step is what a read returns.
func TestUpdateStoresTheRequestAsItEncodes(t *testing.T) {
	s := storetest.Store(t)
	ctx := context.Background()
	resolved := time.Now().UTC().Truncate(time.Millisecond)
	r := &engine.Request{ID: "CLEARED", Revision: 1, Status: "resolved", Data: map[string]any{"n": int64(1)},
		Owner: "reza", StatusBefore: engine.StatusInProgress, ResolvedAt: &resolved, Feedback: &engine.Feedback{Comment: "thanks", At: resolved}}
	if err := s.RequestInsert(ctx, r); err != nil {
		t.Fatal(err)
	}
	next := *r
	next.Revision, next.Status = 2, engine.StatusInProgress
	next.Owner, next.StatusBefore, next.ResolvedAt, next.Feedback = "", "", nil, nil
	if err := s.RequestUpdate(ctx, &next, 1, engine.LeaseNone); err != nil {
		t.Fatal(err)
	}
	got, err := s.RequestGet(ctx, "CLEARED")
	if err != nil {
		t.Fatal(err)
	}
	if got.Owner != "" || got.StatusBefore != "" || got.ResolvedAt != nil || got.Feedback != nil {
		t.Errorf("cleared fields kept: owner %q, status before %q, resolved %v, feedback %+v", got.Owner, got.StatusBefore, got.ResolvedAt, got.Feedback)
	}
	if copied := s.RequestRecent("CLEARED"); !reflect.DeepEqual(copied, got) {
		t.Errorf("the kept copy differs from a read:\n%+v\n%+v", copied, got)
	}
	// A write that lost to another forgets the copy.
	if err := s.RequestUpdate(ctx, &next, 1, engine.LeaseNone); !errors.Is(err, engine.ErrPreconditionFailed) {
		t.Fatalf("stale update: %v", err)
	}
	if s.RequestRecent("CLEARED") != nil {
		t.Error("a copy is kept after a lost write")
	}
}

// A request stores no field it has nothing in (no null outbox due time,
// no empty task holders...): each costs its share of every write, and a
// simple request then fits one SQLite page on the embedded store. The
// queries that look for "none" find a field that is not there. Insert and
// update encode a request alike.
func TestEmptyRequestFieldsAreNotStored(t *testing.T) {
	t.Parallel()
	s := storetest.Store(t)
	ctx := context.Background()
	r := &engine.Request{ID: "BARE", Revision: 1, Status: "closed", Closed: true, Data: map[string]any{}}
	if err := s.RequestInsert(ctx, r); err != nil {
		t.Fatal(err)
	}
	empty := []string{"incidents", "due", "outboxDue", "waitKeys", "received", "taskUsers", "taskGroups", "messages", "attachments"}
	stored := func() bson.Raw {
		t.Helper()
		raw, err := s.Database().Collection("requests").FindOne(ctx, bson.D{{Key: "_id", Value: "BARE"}}).Raw()
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	for _, f := range empty {
		if v, err := stored().LookupErr(f); err == nil {
			t.Errorf("inserted: %s stored as %v", f, v)
		}
	}
	next := *r
	next.Revision, next.TaskUsers = 2, []string{"sara"}
	if err := s.RequestUpdate(ctx, &next, 1, engine.LeaseNone); err != nil {
		t.Fatal(err)
	}
	if _, err := stored().LookupErr("taskUsers"); err != nil {
		t.Errorf("task holders set by an update not stored: %v", err)
	}
	next.Revision, next.TaskUsers = 3, nil
	if err := s.RequestUpdate(ctx, &next, 2, engine.LeaseNone); err != nil {
		t.Fatal(err)
	}
	for _, f := range empty {
		if v, err := stored().LookupErr(f); err == nil {
			t.Errorf("updated: %s stored as %v", f, v)
		}
	}
	// An update stores a list it has as empty as the insert does.
	if v, err := stored().LookupErr("profile", "groups"); err != nil || v.Type != bson.TypeArray {
		t.Errorf("after an update, the requester's groups stored as %v (%v), want [] as inserted", v, err)
	}
	// Closed with nothing left to send: the archive takes it.
	got, err := s.RequestsToArchive(ctx, 10)
	if err != nil || len(got) != 1 || got[0].ID != "BARE" {
		t.Errorf("to archive: %v %v, want BARE", got, err)
	}
}

// An update sends only the fields that changed since the revision this
// process last wrote, and stores what an update of every field stores; if
// the request changed elsewhere since, it sends every field.
func TestUpdatesSendOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var sets, unsets [][]string // per update, the keys of $set and $unset
	keys := func(v bson.RawValue) []string {
		var out []string
		if d, ok := v.DocumentOK(); ok {
			elems, _ := d.Elements()
			for _, e := range elems {
				out = append(out, e.Key())
			}
		}
		slices.Sort(out)
		return out
	}
	monitor := &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		if e.CommandName != "update" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		sets = append(sets, keys(e.Command.Lookup("updates", "0", "u", "$set")))
		unsets = append(unsets, keys(e.Command.Lookup("updates", "0", "u", "$unset")))
	}}
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI(t)).SetMonitor(monitor))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	db := client.Database(storetest.DB(t).Name())
	ctx := context.Background()
	last := func() (set, unset []string) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if len(sets) == 0 {
			t.Fatal("no update sent")
		}
		return sets[len(sets)-1], unsets[len(unsets)-1]
	}
	stored := func(id string) bson.Raw {
		t.Helper()
		raw, err := db.Collection("requests").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}

	// A submission as stored, its notification due, and the record of
	// the send, by the process that stored it (s) and by one that did not
	// (other, whose update therefore sends every field).
	now := time.Now().UTC().Truncate(time.Millisecond)
	submitted := func(id string) *engine.Request {
		return &engine.Request{ID: id, Revision: 1, Status: engine.StatusSubmitted, OutboxDue: &now, OutboxLease: now.Add(time.Minute),
			// A map: its keys encode in a different order each time.
			Data:    map[string]any{"subject": "printer", "amount": int64(1500), "category": "hardware", "floor": int64(3), "room": "B12"},
			Outbox:  []engine.OutboxItem{{ID: "n-1", Kind: engine.OutboxNotify, Node: "start", Status: engine.OutboxPending, Next: now}},
			History: []engine.Event{{At: now, Type: "submitted"}}}
	}
	recorded := func(r *engine.Request) *engine.Request {
		next := *r
		next.Revision = 2
		next.OutboxDue, next.OutboxLease = nil, time.Time{}
		next.Outbox = []engine.OutboxItem{r.Outbox[0]}
		next.Outbox[0].Status, next.Outbox[0].Attempts, next.Outbox[0].SentAt = engine.OutboxSent, 1, &now
		next.History = append(slices.Clip(r.History), engine.Event{At: now, Type: "sent", Node: "start"})
		return &next
	}
	s, other := mongostore.New(db), mongostore.New(db)
	for id, writer := range map[string]*mongostore.Store{"MINE": s, "ELSEWHERE": other} {
		r := submitted(id)
		if err := s.RequestInsert(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := writer.RequestUpdate(ctx, recorded(r), 1, engine.LeaseOutbox); err != nil {
			t.Fatal(err)
		}
		set, unset := last()
		if id == "MINE" {
			if want := []string{"history", "outbox", "outboxLease", "revision"}; !slices.Equal(set, want) {
				t.Errorf("record of a send by the process that wrote the request: $set %v, want %v", set, want)
			}
			if want := []string{"outboxDue"}; !slices.Equal(unset, want) {
				t.Errorf("record of a send: $unset %v, want %v", unset, want)
			}
		} else if !slices.Contains(set, "data") || !slices.Contains(set, "status") {
			t.Errorf("record of a send by another process: $set %v, want every field", set)
		}
	}
	// Both records stored the same request, but for the _id.
	var mine, elsewhere engine.Request
	if err := bson.Unmarshal(stored("MINE"), &mine); err != nil {
		t.Fatal(err)
	}
	if err := bson.Unmarshal(stored("ELSEWHERE"), &elsewhere); err != nil {
		t.Fatal(err)
	}
	elsewhere.ID = mine.ID
	if !reflect.DeepEqual(mine, elsewhere) {
		t.Errorf("stored\n%+v\nand\n%+v", mine, elsewhere)
	}

	// Changed by the other process since: the next update sends every
	// field, even one it sets back to what this process last wrote.
	next := recorded(submitted("MINE"))
	next.Revision, next.Status = 3, engine.StatusInProgress
	if err := other.RequestUpdate(ctx, next, 2, engine.LeaseNone); err != nil {
		t.Fatal(err)
	}
	again := *next
	again.Revision, again.Status = 4, engine.StatusSubmitted
	if err := s.RequestUpdate(ctx, &again, 3, engine.LeaseNone); err != nil {
		t.Fatal(err)
	}
	if set, _ := last(); !slices.Contains(set, "data") {
		t.Errorf("after another process's write: $set %v, want every field", set)
	}
	if got, _ := stored("MINE").Lookup("status").StringValueOK(); got != string(engine.StatusSubmitted) {
		t.Errorf("status %q after both writes, want %q", got, engine.StatusSubmitted)
	}
}
