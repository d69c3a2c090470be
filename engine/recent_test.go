package engine_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// twoTasks is a workflow of two tasks in a row.
const twoTasks = `{"key": "order", "title": {"en": "Order"}, "form": "order",
	"nodes": [{"id": "start", "kind": "start"},
		{"id": "check", "kind": "task", "groups": ["clerks"]},
		{"id": "approve", "kind": "task", "groups": ["managers"]},
		{"id": "end", "kind": "end", "outcome": "done"}],
	"edges": [{"from": "start", "to": "check"}, {"from": "check", "to": "approve"}, {"from": "approve", "to": "end"}]}`

// A step after this process's own write starts from the copy it wrote,
// without reading the request back; a copy another process has overtaken
// is never acted on: the step reads the request and runs on what is
// stored, even when the copy would have refused it.
func TestStepsStartFromTheLastWrittenCopy(t *testing.T) {
	db := storetest.DB(t)
	ctx := context.Background()
	// Two processes on one store.
	storeA := &countingStore{Store: mongostore.New(db)}
	if err := storeA.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	defsA := engine.NewDefinitions(storeA, nil)
	a := engine.NewRequests(storeA, defsA)
	storeB := mongostore.New(db)
	b := engine.NewRequests(storeB, engine.NewDefinitions(storeB, nil))
	publish(t, defsA, engine.KindForm, "order", json.RawMessage(orderForm))
	publish(t, defsA, engine.KindWorkflow, "order", json.RawMessage(twoTasks))

	r, err := a.Submit(ctx, engine.SubmitParams{Form: "order", Data: map[string]any{"amount": json.Number("5")}, Requester: "sara"})
	if err != nil {
		t.Fatal(err)
	}
	reads := storeA.reads.Load()
	// B moves the request on: the first task done, the second open.
	first := r.Workflow.Tasks[0].ID
	moved, err := b.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: first, Actor: "cleo", ActorGroups: []string{"clerks"}})
	if err != nil {
		t.Fatal(err)
	}
	second := moved.Workflow.Tasks[len(moved.Workflow.Tasks)-1].ID
	// A's copy has no second task; the step must not refuse for that.
	done, err := a.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: second, Actor: "max", ActorGroups: []string{"managers"}})
	if err != nil {
		t.Fatalf("a step on an overtaken copy: %v", err)
	}
	if done.Status != "done" || done.Revision != moved.Revision+1 {
		t.Errorf("status %q revision %d, want done at %d", done.Status, done.Revision, moved.Revision+1)
	}
	if got := storeA.reads.Load() - reads; got != 1 {
		t.Errorf("%d reads for the step on an overtaken copy, want 1", got)
	}
	// A's own writes are its copies: steps after them read nothing.
	r2, err := a.Submit(ctx, engine.SubmitParams{Form: "order", Data: map[string]any{"amount": json.Number("5")}, Requester: "sara"})
	if err != nil {
		t.Fatal(err)
	}
	reads = storeA.reads.Load()
	r2, err = a.Apply(ctx, r2.ID, engine.Signal{Kind: engine.SignalComplete, Task: r2.Workflow.Tasks[0].ID, Actor: "cleo", ActorGroups: []string{"clerks"}})
	if err != nil {
		t.Fatal(err)
	}
	// What the copy gives is what a read gives.
	stored, err := storeA.Store.RequestGet(ctx, r2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if copied := storeA.RequestRecent(r2.ID); !reflect.DeepEqual(copied, stored) {
		t.Errorf("the copy differs from the stored request:\n%+v\n%+v", copied, stored)
	}
	if _, err := a.Apply(ctx, r2.ID, engine.Signal{Kind: engine.SignalComplete, Task: r2.Workflow.Tasks[1].ID, Actor: "max", ActorGroups: []string{"managers"}}); err != nil {
		t.Fatal(err)
	}
	if got := storeA.reads.Load() - reads; got != 0 {
		t.Errorf("%d reads for two steps after this process's writes, want 0", got)
	}
}
