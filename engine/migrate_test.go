package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pishkhan/pishkhan/engine"
)

// Version 1 of the order workflow for migrations: review, then ship.
const migrateV1Nodes = `[{"id": "start", "kind": "start"},
	{"id": "review", "kind": "task", "groups": ["sales"], "outcomes": ["accept", "decline"]},
	{"id": "ship", "kind": "task", "groups": ["warehouse"], "outcomes": ["shipped"]},
	{"id": "done", "kind": "end", "outcome": "resolved"},
	{"id": "declined", "kind": "end", "outcome": "rejected"}]`

const migrateV1Edges = `[{"from": "start", "to": "review"},
	{"from": "review", "to": "ship", "outcome": "accept"},
	{"from": "review", "to": "declined", "outcome": "decline"},
	{"from": "ship", "to": "done"}]`

// Version 2 renames review to check and gives it a third outcome; ship
// becomes a wait for the carrier's message, so a request at ship cannot
// move.
const migrateV2 = `{"key": "order", "title": {"en": "Order v2"}, "form": "order",
	"nodes": [{"id": "start", "kind": "start"},
	{"id": "check", "kind": "task", "title": {"en": "Check the order"}, "groups": ["sales"], "outcomes": ["accept", "decline", "ask"]},
	{"id": "ask", "kind": "task", "groups": ["sales"], "outcomes": ["answered"]},
	{"id": "ship", "kind": "wait", "message": "request.id", "timeout": "3d"},
	{"id": "done", "kind": "end", "outcome": "resolved"},
	{"id": "lost", "kind": "end", "outcome": "cancelled"},
	{"id": "declined", "kind": "end", "outcome": "rejected"}],
	"edges": [{"from": "start", "to": "check"},
	{"from": "check", "to": "ship", "outcome": "accept"},
	{"from": "check", "to": "declined", "outcome": "decline"},
	{"from": "check", "to": "ask", "outcome": "ask"},
	{"from": "ask", "to": "check"},
	{"from": "ship", "to": "done", "outcome": "message"},
	{"from": "ship", "to": "lost", "outcome": "timeout"}]}`

func completeAt(t *testing.T, reqs *engine.Requests, r *engine.Request, node, outcome string) *engine.Request {
	t.Helper()
	task := openTaskAt(t, r, node)
	next, err := reqs.Apply(context.Background(), r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Outcome: outcome, Actor: "ali", Manager: true})
	if err != nil {
		t.Fatalf("complete %s at %s: %v", outcome, node, err)
	}
	return next
}

func TestMigrationDryRunThenApply(t *testing.T) {
	t.Parallel()
	defs, reqs, _ := services(t)
	ctx := context.Background()
	orderWorkflow(t, defs, migrateV1Nodes, migrateV1Edges)

	atReview := submitOrder(t, reqs, `{}`)
	atShip := completeAt(t, reqs, submitOrder(t, reqs, `{}`), "review", "accept")
	closed := completeAt(t, reqs, submitOrder(t, reqs, `{}`), "review", "decline")
	if !closed.Closed {
		t.Fatalf("declined request not closed: %s", closed.Status)
	}
	publish(t, defs, engine.KindWorkflow, "order", json.RawMessage(migrateV2))

	// Without the rename, review does not exist in version 2.
	rep, err := reqs.Migrate(ctx, "order", engine.MigrateParams{From: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.To != 2 || !rep.DryRun || rep.Examined != 2 || rep.Outcomes[engine.MigrationBlocked] != 2 {
		t.Fatalf("dry run without map: %+v", rep)
	}
	review := outcomeOf(t, rep, atReview.ID)
	if !strings.Contains(strings.Join(review.Problems, "\n"), "version 2 has no node review") {
		t.Errorf("problems for the request at review: %q", review.Problems)
	}

	// With it, the request at review can move; the one at ship cannot (a
	// task became a wait).
	m := map[string]string{"review": "check"}
	rep, err = reqs.Migrate(ctx, "order", engine.MigrateParams{From: 1, Map: m})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomeOf(t, rep, atReview.ID); got.Outcome != engine.MigrationReady || !slices.Equal(got.Nodes, []string{"review"}) {
		t.Errorf("request at review: %+v", got)
	}
	ship := outcomeOf(t, rep, atShip.ID)
	if ship.Outcome != engine.MigrationBlocked || len(ship.Problems) != 2 || // its token and its open task
		!strings.Contains(ship.Problems[0], "a task in version 1, but ship is a wait in version 2") {
		t.Errorf("request at ship: %+v", ship)
	}
	if rep.Nodes["review"] != 1 || len(rep.Nodes) != 1 {
		t.Errorf("nodes of the movable requests: %v", rep.Nodes)
	}
	// The dry run wrote nothing.
	if stored, _ := reqs.Get(ctx, atReview.ID); stored.Revision != atReview.Revision || stored.Workflow.Version != 1 {
		t.Fatalf("dry run changed the request: revision %d version %d", stored.Revision, stored.Workflow.Version)
	}

	rep, err = reqs.Migrate(ctx, "order", engine.MigrateParams{From: 1, Map: m, Apply: true, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.DryRun || rep.Outcomes[engine.MigrationMigrated] != 1 || rep.Outcomes[engine.MigrationBlocked] != 1 {
		t.Fatalf("apply: %+v", rep)
	}
	moved, err := reqs.Get(ctx, atReview.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := moved.History[len(moved.History)-1]
	if moved.Workflow.Version != 2 || moved.Revision != atReview.Revision+1 || last.Type != "migrated" || last.Actor != "admin" ||
		last.Workflow == nil || last.Workflow.Version != 2 || last.Detail != "from version 1" {
		t.Fatalf("migrated request: version %d revision %d last event %+v", moved.Workflow.Version, moved.Revision, last)
	}
	task := openTaskAt(t, moved, "check")
	if !slices.Equal(task.Outcomes, []string{"accept", "decline", "ask"}) || task.Title["en"] != "Check the order" || task.ID != openTaskAt(t, atReview, "review").ID {
		t.Errorf("open task after migration: %+v", task)
	}
	// It now runs version 2: the new outcome leads to the new node.
	if next := completeAt(t, reqs, moved, "check", "ask"); openTaskAt(t, next, "ask").Status != engine.TaskOpen {
		t.Fatal("unreachable")
	}
	if stayed, _ := reqs.Get(ctx, atShip.ID); stayed.Workflow.Version != 1 || stayed.Revision != atShip.Revision {
		t.Errorf("blocked request changed: version %d revision %d", stayed.Workflow.Version, stayed.Revision)
	}

	// Nothing left to move from version 1 but the blocked one; a second
	// run is harmless.
	if rep, err = reqs.Migrate(ctx, "order", engine.MigrateParams{From: 1, Map: m, Apply: true}); err != nil || rep.Examined != 1 || rep.Outcomes[engine.MigrationBlocked] != 1 {
		t.Errorf("second run: %+v %v", rep, err)
	}

	for name, p := range map[string]engine.MigrateParams{
		"no from":         {},
		"to older":        {From: 2, To: 1},
		"to same":         {From: 2, To: 2},
		"map unknown old": {From: 1, Map: map[string]string{"nosuch": "check"}},
		"map unknown new": {From: 1, Map: map[string]string{"review": "nosuch"}},
		"limit too large": {From: 1, Limit: engine.MaxMigrationBatch + 1},
		"negative limit":  {From: 1, Limit: -1},
	} {
		if _, err := reqs.Migrate(ctx, "order", p); !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := reqs.Migrate(ctx, "order", engine.MigrateParams{From: 1, To: 7}); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("missing version: %v, want ErrNotFound", err)
	}
}

// A migration racing the requests' own steps loses no step and moves no
// request twice: every request ends with its completion applied once, on
// the version its history says.
func TestMigrationRacingSteps(t *testing.T) {
	t.Parallel()
	defs, reqs, _ := services(t)
	ctx := context.Background()
	orderWorkflow(t, defs, migrateV1Nodes, migrateV1Edges)
	var open []*engine.Request
	for range 12 {
		open = append(open, submitOrder(t, reqs, `{}`))
	}
	publish(t, defs, engine.KindWorkflow, "order", json.RawMessage(migrateV2))

	var wg sync.WaitGroup
	errs := make(chan error, len(open)+1)
	start := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		_, err := reqs.Migrate(ctx, "order", engine.MigrateParams{From: 1, Map: map[string]string{"review": "check"}, Apply: true})
		errs <- err
	}()
	for _, r := range open {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			task := openTaskAt(t, r, "review")
			_, err := reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Outcome: "accept", Actor: "ali", Manager: true})
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	migrated := 0
	for _, r := range open {
		got, err := reqs.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, e := range got.History {
			types = append(types, e.Type)
		}
		completions := strings.Count(strings.Join(types, " "), "task-completed")
		was := slices.Contains(types, "migrated")
		if was {
			migrated++
		}
		want := 1
		if was {
			want = 2
		}
		if completions != 1 || got.Workflow.Version != want {
			t.Errorf("%s: version %d, history %v", r.ID, got.Workflow.Version, types)
		}
		// Migrated first: ship is the carrier's wait; else the warehouse task.
		if was && !slices.ContainsFunc(got.Workflow.Tokens, func(tk engine.Token) bool { return tk.Node == "ship" && tk.Key == r.ID }) {
			t.Errorf("%s migrated then accepted: tokens %+v", r.ID, got.Workflow.Tokens)
		}
		if !was && openTaskAt(t, got, "ship").Groups[0] != "warehouse" {
			t.Errorf("%s accepted on version 1: %+v", r.ID, got.Workflow.Tasks)
		}
	}
	t.Logf("%d of %d requests migrated before their task was completed", migrated, len(open))
}

func outcomeOf(t *testing.T, rep *engine.MigrationReport, id string) engine.MigrationOutcome {
	t.Helper()
	for _, o := range rep.Requests {
		if o.ID == id {
			return o
		}
	}
	t.Fatalf("request %s not in the report %s", id, fmt.Sprint(rep.Requests))
	return engine.MigrationOutcome{}
}

// staleListing answers RequestsOnWorkflow with the requests as they were
// listed earlier, as if they changed between the listing and the move.
type staleListing struct {
	engine.Store
	listed []*engine.Request
}

func (s *staleListing) RequestsOnWorkflow(context.Context, string, int, string, int) ([]*engine.Request, error) {
	return s.listed, nil
}

// A request that took a step after the migration listed it is examined
// again on its fresh state, not moved from the stale one.
func TestMigrationReexaminesARequestThatMovedOn(t *testing.T) {
	t.Parallel()
	defs, reqs, store := services(t)
	ctx := context.Background()
	orderWorkflow(t, defs, migrateV1Nodes, migrateV1Edges)
	accepted, declined, untouched := submitOrder(t, reqs, `{}`), submitOrder(t, reqs, `{}`), submitOrder(t, reqs, `{}`)
	publish(t, defs, engine.KindWorkflow, "order", json.RawMessage(migrateV2))
	stale := &staleListing{Store: store, listed: []*engine.Request{accepted, declined, untouched}}
	completeAt(t, reqs, accepted, "review", "accept")
	completeAt(t, reqs, declined, "review", "decline")

	rep, err := engine.NewRequests(stale, defs).Migrate(ctx, "order", engine.MigrateParams{From: 1, Map: map[string]string{"review": "check"}, Apply: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{accepted.ID: engine.MigrationBlocked, declined.ID: engine.MigrationSkipped, untouched.ID: engine.MigrationMigrated}
	for id, outcome := range want {
		if got := outcomeOf(t, rep, id); got.Outcome != outcome {
			t.Errorf("%s: %+v, want %s", id, got, outcome)
		}
	}
	if got, _ := reqs.Get(ctx, accepted.ID); got.Workflow.Version != 1 || openTaskAt(t, got, "ship").Status != engine.TaskOpen {
		t.Errorf("accepted request moved from its stale state: version %d", got.Workflow.Version)
	}
}
