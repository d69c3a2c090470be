package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/pishkhan/pishkhan/engine"
)

// These tests run the workflow engine against the real store: the
// embedded FerretDB, or the MongoDB PISHKHAN_TEST_MONGODB_URI names.

// clock is a settable time shared by several runners.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// orderWorkflow publishes form "order" and a workflow of the same key made
// of nodes and edges; requests submitted afterwards run it.
func orderWorkflow(t *testing.T, defs *engine.Definitions, nodes, edges string) {
	t.Helper()
	publish(t, defs, engine.KindForm, "order", json.RawMessage(orderForm))
	publish(t, defs, engine.KindWorkflow, "order", json.RawMessage(fmt.Sprintf(
		`{"key": "order", "title": {"en": "Order"}, "form": "order", "nodes": %s, "edges": %s}`, nodes, edges)))
}

func submitOrder(t *testing.T, reqs *engine.Requests, data string) *engine.Request {
	t.Helper()
	r, err := reqs.Submit(context.Background(), engine.SubmitParams{Form: "order", Data: decode(t, data), Requester: "sara"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func openTaskAt(t *testing.T, r *engine.Request, node string) engine.Task {
	t.Helper()
	for _, task := range r.Workflow.Tasks {
		if task.Node == node && task.Status == engine.TaskOpen {
			return task
		}
	}
	t.Fatalf("request %s has no open task at %s: %+v", r.ID, node, r.Workflow.Tasks)
	return engine.Task{}
}

func TestSubmitStartsTheWorkflowAndStepsAreStored(t *testing.T) {
	t.Parallel()
	defs, reqs, _ := services(t)
	ctx := context.Background()
	orderWorkflow(t, defs, simpleNodes, simpleEdges)

	r := submitOrder(t, reqs, `{"amount": 12}`)
	stored, err := reqs.Get(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Workflow == nil || stored.Workflow.Workflow != "order" || stored.Workflow.Version != 1 || stored.Status != engine.StatusInProgress {
		t.Fatalf("stored at submission: %+v", stored.Workflow)
	}
	task := openTaskAt(t, stored, "review")
	if task.ID != r.ID+"-2" {
		t.Errorf("task id %s", task.ID)
	}

	// A new workflow version does not move the running request.
	publish(t, defs, engine.KindWorkflow, "order", json.RawMessage(`{"key": "order", "title": {"en": "Order v2"}, "form": "order",
		"nodes": [{"id": "start", "kind": "start"}, {"id": "done", "kind": "end", "outcome": "resolved"}],
		"edges": [{"from": "start", "to": "done"}]}`))
	if _, err := reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Outcome: "accept",
		Actor: "ali", ActorGroups: []string{"sales"}, Data: map[string]any{"reason": "in stock"}}); err != nil {
		t.Fatal(err)
	}
	stored, err = reqs.Get(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.Closed || stored.Status != "resolved" || stored.Revision != 2 || stored.Workflow.Version != 1 {
		t.Fatalf("after completion: closed %v status %s revision %d version %d", stored.Closed, stored.Status, stored.Revision, stored.Workflow.Version)
	}
	if got := stored.History[len(stored.History)-2]; got.Type != "task-completed" || got.Actor != "ali" || got.Data["reason"] != "in stock" {
		t.Errorf("history %+v", got)
	}
	// The new version applies to new requests.
	if r2 := submitOrder(t, reqs, `{}`); !r2.Closed || r2.Workflow.Version != 2 {
		t.Errorf("new request on version %d, closed %v", r2.Workflow.Version, r2.Closed)
	}
}

func TestConcurrentCompletions(t *testing.T) {
	t.Parallel()
	defs, reqs, _ := services(t)
	ctx := context.Background()
	orderWorkflow(t, defs, approvalNodes(`{"id": "approve", "kind": "approval", "approvers": "form.approvers", "mode": "all"}`), approvalEdges)

	// Twelve approvers, each completing their own task at once, plus
	// twelve more goroutines racing each of them on the same task: every
	// task is completed exactly once and the request is approved.
	names := make([]string, 12)
	for i := range names {
		names[i] = fmt.Sprintf(`"u%d"`, i)
	}
	r := submitOrder(t, reqs, `{"approvers": [`+strings.Join(names, ",")+`]}`)
	var wins, conflicts atomic.Int32
	var wg sync.WaitGroup
	for _, task := range r.Workflow.Tasks {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Outcome: "approve", Actor: task.Assignee})
				switch {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, engine.ErrConflict) && strings.Contains(err.Error(), "already completed by "+task.Assignee):
					conflicts.Add(1)
				default:
					t.Errorf("task %s: %v", task.ID, err)
				}
			}()
		}
	}
	wg.Wait()
	if wins.Load() != 12 || conflicts.Load() != 12 {
		t.Errorf("%d completions and %d conflicts, want 12 and 12", wins.Load(), conflicts.Load())
	}
	stored, err := reqs.Get(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	completed := 0
	for _, e := range stored.History {
		if e.Type == "task-completed" {
			completed++
		}
	}
	if completed != 12 || stored.Status != "approved" || stored.Revision != 13 {
		t.Errorf("history has %d completions, status %s, revision %d", completed, stored.Status, stored.Revision)
	}
}

func TestTimersFireOnceAcrossProcesses(t *testing.T) {
	t.Parallel()
	defs, reqs, store := services(t)
	ctx := context.Background()
	orderWorkflow(t, defs, `[{"id": "start", "kind": "start"}, {"id": "cool", "kind": "wait", "duration": "1h"},
		{"id": "review", "kind": "task", "groups": ["sales"], "due": "2h", "escalateTo": "supervisors"},
		{"id": "done", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "cool"}, {"from": "cool", "to": "review"}, {"from": "review", "to": "done"}]`)
	c := &clock{now: time.Now().UTC()}
	engine.SetClock(reqs, c.Now)
	const n = 20
	ids := make([]string, n)
	for i := range ids {
		ids[i] = submitOrder(t, reqs, `{}`).ID
	}
	// Three "processes": runners with their own definitions cache on the
	// same database.
	runners := make([]*engine.Requests, 3)
	for i := range runners {
		d := engine.NewDefinitions(store, nil)
		runners[i] = engine.NewRequests(store, d)
		engine.SetClock(runners[i], c.Now)
	}
	fireAll := func() int {
		var total atomic.Int32
		var wg sync.WaitGroup
		for _, r := range runners {
			wg.Add(1)
			go func() {
				defer wg.Done()
				fired, err := r.FireTimers(ctx)
				if err != nil {
					t.Error(err)
				}
				total.Add(int32(fired))
			}()
		}
		wg.Wait()
		return int(total.Load())
	}
	if got := fireAll(); got != 0 {
		t.Fatalf("%d fired before anything was due", got)
	}
	c.Add(time.Hour) // the waits end
	if got := fireAll(); got != n {
		t.Errorf("%d requests stepped, want %d", got, n)
	}
	c.Add(2 * time.Hour) // the tasks fall due
	if got := fireAll(); got != n {
		t.Errorf("%d requests stepped, want %d", got, n)
	}
	if got := fireAll(); got != 0 {
		t.Errorf("%d fired again", got)
	}
	for _, id := range ids {
		r, err := reqs.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, e := range r.History {
			counts[e.Type]++
		}
		if counts["timer-fired"] != 1 || counts["task-overdue"] != 1 || counts["escalated"] != 1 || r.Revision != 3 {
			t.Errorf("%s: history %v, revision %d", id, counts, r.Revision)
		}
	}
}

func TestCallbacks(t *testing.T) {
	t.Parallel()
	defs, reqs, _ := services(t)
	ctx := context.Background()
	orderWorkflow(t, defs, `[{"id": "start", "kind": "start"}, {"id": "erp", "kind": "wait", "message": "'order-' + request.id"},
		{"id": "done", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "erp"}, {"from": "erp", "to": "done"}]`)
	r := submitOrder(t, reqs, `{}`)
	key := "order-" + r.ID
	if _, err := reqs.Deliver(ctx, "order-nobody", nil, "key:erp"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("unknown key: %v", err)
	}
	got, err := reqs.Deliver(ctx, key, map[string]any{"invoice": "INV-1"}, "key:erp")
	if err != nil || !got.Closed {
		t.Fatalf("deliver: %v", err)
	}
	_, err = reqs.Deliver(ctx, key, nil, "key:erp")
	if !errors.Is(err, engine.ErrConflict) || !strings.Contains(err.Error(), "already delivered") {
		t.Errorf("duplicate: %v", err)
	}
}

// hookServer counts deliveries per idempotency key, checking signatures;
// it fails the first failures calls.
type hookServer struct {
	*httptest.Server
	mu       sync.Mutex
	calls    int
	failures int
	byKey    map[string]int
	bodies   []map[string]any
	badSig   int
}

func newHookServer(t *testing.T, secret []byte, failures int) *hookServer {
	h := &hookServer{failures: failures, byKey: map[string]int{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		h.calls++
		if r.Header.Get(engine.HeaderSignature) != engine.Sign(secret, r.Header.Get(engine.HeaderTimestamp), body) {
			h.badSig++
		}
		if h.calls <= h.failures {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		h.byKey[r.Header.Get(engine.HeaderIdempotencyKey)]++
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		h.bodies = append(h.bodies, m)
	}))
	t.Cleanup(h.Close)
	return h
}

func TestOutboxWebhooks(t *testing.T) {
	t.Parallel()
	defs, reqs, _ := services(t)
	ctx := context.Background()
	secret := []byte("s3cret")
	hook := newHookServer(t, secret, 2)
	orderWorkflow(t, defs, fmt.Sprintf(`[{"id": "start", "kind": "start"},
		{"id": "tell", "kind": "action", "webhook": {"url": %q, "body": {"amount": "form.amount"}}},
		{"id": "broken", "kind": "action", "webhook": {"url": "http://127.0.0.1:1/unreachable"}},
		{"id": "done", "kind": "end", "outcome": "resolved"}]`, hook.URL),
		`[{"from": "start", "to": "tell"}, {"from": "tell", "to": "broken"}, {"from": "broken", "to": "done"}]`)
	r := submitOrder(t, reqs, `{"amount": 40}`)
	d := &engine.Dispatcher{Requests: reqs, Webhook: engine.NewWebhookSender(secret), MaxAttempts: 3, Backoff: time.Millisecond}

	deadline := time.Now().Add(20 * time.Second)
	var stored *engine.Request
	for {
		if _, err := d.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
		var err error
		if stored, err = reqs.Get(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if stored.Outbox[0].Status != engine.OutboxPending && stored.Outbox[1].Status != engine.OutboxPending {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox still pending: %+v", stored.Outbox)
		}
		time.Sleep(5 * time.Millisecond)
	}
	sent, broken := stored.Outbox[0], stored.Outbox[1]
	if sent.Status != engine.OutboxSent || sent.Attempts != 3 || hook.byKey[sent.ID] != 1 || hook.badSig != 0 {
		t.Errorf("webhook: %+v; deliveries by key %v; bad signatures %d", sent, hook.byKey, hook.badSig)
	}
	if body := hook.bodies[0]; body["request"] != r.ID || body["payload"].(map[string]any)["amount"] != float64(40) {
		t.Errorf("webhook body %v", body)
	}
	if broken.Status != engine.OutboxFailed || broken.Attempts != 3 || len(stored.Incidents) != 1 || stored.Incidents[0].Outbox != broken.ID {
		t.Fatalf("a call that keeps failing: %+v, incidents %+v", broken, stored.Incidents)
	}
	// A supervisor's retry sends it again from the start.
	stored, err := reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalRetry, Actor: "boss", Manager: true})
	if err != nil {
		t.Fatal(err)
	}
	if stored.Outbox[1].Status != engine.OutboxPending || stored.Incidents[0].Resolved == nil {
		t.Errorf("after retry: %+v %+v", stored.Outbox[1], stored.Incidents[0])
	}
}

func TestClosedRequestsMoveToTheArchive(t *testing.T) {
	t.Parallel()
	defs, reqs, store := services(t)
	ctx := context.Background()
	orderWorkflow(t, defs, `[{"id": "start", "kind": "start"}, {"id": "review", "kind": "task", "groups": ["sales"]},
		{"id": "tell", "kind": "action", "notify": {"to": "'requester'", "subject": {"en": "Done"}}},
		{"id": "done", "kind": "end", "outcome": "resolved"}]`,
		`[{"from": "start", "to": "review"}, {"from": "review", "to": "tell"}, {"from": "tell", "to": "done"}]`)
	working := store.Database().Collection("requests")
	archive := store.Database().Collection("requestsArchive")
	count := func(c interface {
		CountDocuments(context.Context, any, ...options.Lister[options.CountOptions]) (int64, error)
	}, id string) int64 {
		n, err := c.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	r := submitOrder(t, reqs, `{}`)
	task := openTaskAt(t, r, "review")
	if _, err := reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Actor: "ali", ActorGroups: []string{"sales"}}); err != nil {
		t.Fatal(err)
	}
	// Closed, but its notification is not sent yet: it stays where the
	// dispatcher looks.
	if count(working, r.ID) != 1 || count(archive, r.ID) != 0 {
		t.Fatal("archived with an outbox item pending")
	}
	d := &engine.Dispatcher{Requests: reqs}
	if _, err := d.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	if count(working, r.ID) != 0 || count(archive, r.ID) != 1 {
		t.Fatal("not archived once its outbox emptied")
	}
	got, err := reqs.Get(ctx, r.ID)
	if err != nil || !got.Archived || got.Status != "resolved" || got.Outbox[0].Status != engine.OutboxSkipped {
		t.Fatalf("archived request: %+v %v", got, err)
	}
	if _, err := reqs.Track(ctx, r.ID); err != nil {
		t.Errorf("track an archived request: %v", err)
	}
	// A crash between the copy and the delete leaves it in both; the
	// sweep finishes the move, and the archive holds it once.
	got.Archived = false
	if err := store.RequestInsert(ctx, got); err != nil {
		t.Fatal(err)
	}
	if moved, err := reqs.ArchiveClosed(ctx); err != nil || moved != 1 {
		t.Fatalf("sweep: %d %v", moved, err)
	}
	if count(working, r.ID) != 0 || count(archive, r.ID) != 1 {
		t.Error("the sweep did not finish the move")
	}
	// Acting on an archived request is refused as on a closed one.
	if _, err := reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Actor: "ali", ActorGroups: []string{"sales"}}); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("completing a task of an archived request: %v", err)
	}
}
