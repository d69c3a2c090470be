package main

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// End-to-end through HTTP for each demo workflow, as the demo users: the
// requester submits, the workers find their tasks in their inboxes and
// act on them, an external system calls back.

// crew logs the demo users in and makes calls as them.
type crew struct {
	t      *testing.T
	app    *app
	srv    *httptest.Server
	tokens map[string]string
}

// newCrew starts the demo (with mutate applied to its settings) and logs
// the demo users in.
func newCrew(t *testing.T, mutate ...func(*Config)) *crew {
	t.Helper()
	a, srv := testApp(t, append([]func(*Config){func(c *Config) { c.Demo = true }}, mutate...)...)
	c := &crew{t: t, app: a, srv: srv, tokens: map[string]string{}}
	for _, u := range []string{"sara", "reza", "maryam", "farhad", "leila", "ali", "omid"} {
		c.tokens[u] = login(t, srv, u, u+"-demo")
	}
	return c
}

func (c *crew) as(user, method, path string, body any) response {
	c.t.Helper()
	switch user {
	case "admin":
		return call(c.t, c.srv, method, path, body)
	case "anonymous":
		return call(c.t, c.srv, method, path, body, "Authorization", "none")
	}
	return call(c.t, c.srv, method, path, body, bearer(c.tokens[user])...)
}

// must makes a call that must answer want.
func (c *crew) must(want int, user, method, path string, body any) response {
	c.t.Helper()
	r := c.as(user, method, path, body)
	if r.status != want {
		c.t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, user, r.status, want, r.raw)
	}
	return r
}

// inboxTask returns the id of the one open task at node in user's inbox.
func (c *crew) inboxTask(user, request, node string) string {
	c.t.Helper()
	r := c.must(200, user, "GET", "/api/v1/tasks?limit=200", nil)
	for _, it := range r.body["items"].([]any) {
		task := it.(map[string]any)
		if task["request"] == request && task["node"] == node {
			return task["id"].(string)
		}
	}
	c.t.Fatalf("%s's inbox has no task at %s for %s: %s", user, node, request, r.raw)
	return ""
}

func (c *crew) request(id string) map[string]any {
	c.t.Helper()
	return c.must(200, "admin", "GET", "/api/v1/requests/"+id, nil).body
}

// events lists the request's history as "type node" lines, without the
// deliveries of notifications (when they land is the dispatcher's pace).
func events(req map[string]any) []string {
	var out []string
	for _, e := range req["history"].([]any) {
		ev := e.(map[string]any)
		s := ev["type"].(string)
		if s == "sent" || s == "not-sent" {
			continue
		}
		if n, ok := ev["node"].(string); ok {
			s += " " + n
		}
		out = append(out, s)
	}
	return out
}

func purchase(items string) string {
	return `{"form": "purchase-request", "channel": "portal", "data": {
		"requester": {"name": "Sara Ahmadi", "email": "sara@example.com"}, "costCenter": "CC-1001",
		"justification": "The team needs it for the new office.", "items": [` + items + `]}}`
}

func TestPurchaseWorkflowOverHTTP(t *testing.T) {
	c := newCrew(t)
	big := c.must(201, "sara", "POST", "/api/v1/requests", purchase(`{"description": "Laptops", "qty": 4, "price": 1500}`))
	id := big.body["id"].(string)
	if big.body["status"] != "in-progress" {
		t.Errorf("status at submission: %v", big.body["status"])
	}

	// Over 5000: the manager (maryam) approves first. She returns it.
	approval := c.inboxTask("maryam", id, "manager")
	c.must(403, "reza", "POST", "/api/v1/tasks/"+approval+"/complete", `{"outcome": "approve"}`)
	c.must(200, "maryam", "POST", "/api/v1/tasks/"+approval+"/complete", `{"outcome": "return", "comment": "Three laptops are enough"}`)
	mine := c.must(200, "sara", "GET", "/api/v1/requests/"+id, nil).body
	if mine["status"] != "returned" {
		t.Fatalf("returned request: %v", mine["status"])
	}
	tasks := mine["workflow"].(map[string]any)["tasks"].([]any)
	if len(tasks) != 1 || !strings.Contains(string(c.as("sara", "GET", "/api/v1/requests/"+id, nil).raw), "Three laptops are enough") {
		t.Fatalf("the requester sees her task and the note: %v", mine)
	}
	// The staff view names who worked on it; the requester's does not.
	staffView := c.request(id)
	for _, view := range []struct {
		name   string
		req    map[string]any
		others bool
	}{{"staff", staffView, true}, {"requester", mine, false}} {
		named := false
		for _, e := range view.req["history"].([]any) {
			ev := e.(map[string]any)
			named = named || ev["actor"] == "maryam" || ev["to"] == "maryam"
		}
		if named != view.others {
			t.Errorf("%s view names the approver: %v, want %v", view.name, named, view.others)
		}
	}
	if n := len(staffView["workflow"].(map[string]any)["tasks"].([]any)); n != 2 {
		t.Errorf("staff see %d tasks, want the approval and the resubmission", n)
	}
	resubmit := c.inboxTask("sara", id, "manager")
	// The edited data is validated against the form, errors under /data.
	bad := c.must(422, "sara", "POST", "/api/v1/tasks/"+resubmit+"/complete", `{"data": {"costCenter": "nope"}}`)
	if !strings.Contains(string(bad.raw), `"/data/costCenter"`) {
		t.Errorf("resubmission errors: %s", bad.raw)
	}
	fixed := strings.TrimSuffix(strings.SplitN(purchase(`{"description": "Laptops", "qty": 3, "price": 1800}`), `"data": `, 2)[1], "}")
	c.must(200, "sara", "POST", "/api/v1/tasks/"+resubmit+"/complete", `{"data": `+fixed+`}`)
	if got := c.request(id)["data"].(map[string]any)["total"]; got != float64(5400) {
		t.Errorf("total after resubmission: %v", got)
	}
	c.must(200, "maryam", "POST", "/api/v1/tasks/"+c.inboxTask("maryam", id, "manager")+"/complete", `{"outcome": "approve"}`)

	// Then finance and procurement in parallel, from their queues.
	finance := c.inboxTask("farhad", id, "finance")
	procurement := c.inboxTask("leila", id, "procurement")
	c.must(200, "farhad", "POST", "/api/v1/tasks/"+finance+"/claim", nil)
	notYours := c.must(403, "leila", "POST", "/api/v1/tasks/"+finance+"/complete", `{}`)
	if !strings.Contains(string(notYours.raw), "claimed by farhad") {
		t.Errorf("not-yours says why: %s", notYours.raw)
	}
	c.must(422, "farhad", "POST", "/api/v1/tasks/"+finance+"/complete", `{"data": {}}`) // the task form wants budgetLine
	c.must(200, "farhad", "POST", "/api/v1/tasks/"+finance+"/complete", `{"data": {"budgetLine": "IT-2026-07"}, "comment": "within budget"}`)
	if c.request(id)["closed"] == true {
		t.Fatal("closed before procurement")
	}
	done := c.must(200, "leila", "POST", "/api/v1/tasks/"+procurement+"/complete", `{"data": {"supplier": "Pars Computers", "orderNumber": "PO-77"}}`)
	if done.body["request"].(map[string]any)["status"] != "resolved" {
		t.Fatalf("after both branches: %s", done.raw)
	}
	req := c.request(id)
	want := []string{"submitted", "owner-chosen", "workflow-started", "decision amount", "approval-requested manager", "task-completed manager", "returned manager",
		"task-completed manager", "resubmitted manager", "approval-requested manager", "task-completed manager", "approval-decided manager",
		"split split", "task-created finance", "task-created procurement", "task-claimed finance", "task-completed finance",
		"task-completed procurement", "joined join", "action tell", "ended ordered"}
	if got := events(req); !slices.Equal(got[:len(want)], want) {
		t.Errorf("history:\n got %q\nwant %q", got, want)
	}

	// A second request: the manager rejects it.
	id2 := c.must(201, "sara", "POST", "/api/v1/requests", purchase(`{"description": "Server", "qty": 1, "price": 9000}`)).body["id"].(string)
	c.must(200, "maryam", "POST", "/api/v1/tasks/"+c.inboxTask("maryam", id2, "manager")+"/complete", `{"outcome": "reject", "comment": "Not this year"}`)
	if r := c.request(id2); r["status"] != "rejected" || r["closed"] != true {
		t.Errorf("rejected request: %v %v", r["status"], r["closed"])
	}
	// A small one goes straight to finance and procurement.
	id3 := c.must(201, "sara", "POST", "/api/v1/requests", purchase(`{"description": "Mouse", "qty": 2, "price": 20}`)).body["id"].(string)
	c.inboxTask("farhad", id3, "finance")
	c.inboxTask("leila", id3, "procurement")
}

func TestITSupportWorkflowOverHTTP(t *testing.T) {
	c := newCrew(t)
	key := c.must(201, "admin", "POST", "/api/v1/apikeys", `{"name": "portal chat", "scopes": ["callbacks:deliver"]}`).body["key"].(string)
	id := c.must(201, "sara", "POST", "/api/v1/requests", fixture(t, "it-support-valid.json")).body["id"].(string)

	// Triage by the IT support group: the requester is asked for more.
	triage := c.inboxTask("reza", id, "triage")
	c.must(200, "reza", "POST", "/api/v1/tasks/"+triage+"/complete", `{"outcome": "need-info", "comment": "Which browser?"}`)
	if r := c.request(id); r["status"] != "waiting" {
		t.Fatalf("status while waiting: %v", r["status"])
	}
	// The answer arrives as a callback from the chat system.
	system := bearer(key)
	if r := call(t, c.srv, "POST", "/api/v1/callbacks/answer-NOSUCH", nil, system...); r.status != 404 { // an empty body is allowed
		t.Errorf("unknown key: %d %s", r.status, r.raw)
	}
	if r := call(t, c.srv, "POST", "/api/v1/callbacks/answer-"+id, `{"text": "Firefox"}`, system...); r.status != 200 || r.body["status"] != "in-progress" {
		t.Fatalf("callback: %d %s", r.status, r.raw)
	}
	if r := call(t, c.srv, "POST", "/api/v1/callbacks/answer-"+id, `{"text": "again"}`, system...); r.status != 409 || !strings.Contains(string(r.raw), "already delivered") {
		t.Errorf("duplicate callback: %d %s", r.status, r.raw)
	}
	if r := call(t, c.srv, "POST", "/api/v1/callbacks/answer-"+id, `[1]`, system...); r.status != 400 {
		t.Errorf("a callback body that is not an object: %d %s", r.status, r.raw)
	}

	// Triage again; referral by the routing table (access + high + gold:
	// IT support, critical).
	triage = c.inboxTask("reza", id, "triage")
	c.must(200, "reza", "POST", "/api/v1/tasks/"+triage+"/complete", `{"outcome": "refer"}`)
	req := c.request(id)
	if req["priority"] != "critical" {
		t.Errorf("priority from the routing table: %v", req["priority"])
	}
	var created map[string]any
	for _, e := range req["history"].([]any) {
		if ev := e.(map[string]any); ev["type"] == "task-created" && ev["node"] == "handle" {
			created = ev
		}
	}
	if rule, _ := created["rule"].(map[string]any); rule["key"] != "it-routing" || rule["version"] != float64(1) || fmt.Sprint(rule["rows"]) != "[0]" {
		t.Errorf("the referral names the rule behind it: %v", created)
	}
	handle := c.inboxTask("reza", id, "handle")
	// Priority sort puts the critical task first.
	c.must(201, "sara", "POST", "/api/v1/requests", strings.Replace(fixture(t, "it-support-valid.json"), `"urgency": "high"`, `"urgency": "low"`, 1))
	page := c.must(200, "reza", "GET", "/api/v1/tasks?sort=priority&limit=1", nil)
	if items := page.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != handle || page.body["next"] == nil {
		t.Errorf("first by priority: %s", page.raw)
	}
	next := c.must(200, "reza", "GET", "/api/v1/tasks?sort=priority&limit=1&cursor="+page.body["next"].(string), nil)
	if items := next.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] == handle {
		t.Errorf("second page: %s", next.raw)
	}
	c.must(400, "reza", "GET", "/api/v1/tasks?sort=sideways", nil)
	c.must(200, "reza", "POST", "/api/v1/tasks/"+handle+"/complete", `{"data": {"resolution": "Password reset"}}`)
	if r := c.request(id); r["status"] != "resolved" {
		t.Errorf("resolved: %v", r["status"])
	}
	// The public tracking page shows progress, never who or what.
	track := c.must(200, "admin", "GET", "/api/v1/track/"+id, nil)
	if strings.Contains(string(track.raw), "reza") || strings.Contains(string(track.raw), "Password reset") {
		t.Errorf("tracking leaks: %s", track.raw)
	}
}

func TestComplaintWorkflowOverHTTP(t *testing.T) {
	c := newCrew(t)
	complaint := func(dept string) string {
		return `{"form": "complaint", "data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"}, "incidentDate": "2026-11-20",
			"department": "` + dept + `", "description": "I was charged twice for the same order last week."}}`
	}
	id := c.must(201, "sara", "POST", "/api/v1/requests", complaint("billing")).body["id"].(string)
	c.must(200, "ali", "POST", "/api/v1/tasks/"+c.inboxTask("ali", id, "assess")+"/complete", `{"outcome": "refer"}`)
	c.must(200, "ali", "POST", "/api/v1/tasks/"+c.inboxTask("ali", id, "billing")+"/complete", `{"data": {"finding": "Double charge confirmed"}}`)
	c.must(200, "ali", "POST", "/api/v1/tasks/"+c.inboxTask("ali", id, "respond")+"/complete", `{"data": {"response": "We refunded the second charge."}}`)
	req := c.request(id)
	if req["status"] != "resolved" || !slices.Contains(events(req), "decision route") {
		t.Errorf("complaint: %v %q", req["status"], events(req))
	}
	id2 := c.must(201, "sara", "POST", "/api/v1/requests", complaint("other")).body["id"].(string)
	c.must(200, "ali", "POST", "/api/v1/tasks/"+c.inboxTask("ali", id2, "assess")+"/complete", `{"outcome": "reject", "comment": "Not our service"}`)
	if r := c.request(id2); r["status"] != "rejected" {
		t.Errorf("rejected complaint: %v", r["status"])
	}
}

// Two agents completing the same task at once: one wins, the other hears
// why it lost.
func TestSameTaskCompletedConcurrentlyOverHTTP(t *testing.T) {
	c := newCrew(t)
	for round := 0; round < 5; round++ {
		id := c.must(201, "sara", "POST", "/api/v1/requests", fixture(t, "it-support-valid.json")).body["id"].(string)
		task := c.inboxTask("reza", id, "triage")
		var wg sync.WaitGroup
		statuses := make([]response, 2)
		for i, who := range []string{"reza", "maryam"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = c.as(who, "POST", "/api/v1/tasks/"+task+"/complete", `{"outcome": "resolve"}`)
			}()
		}
		wg.Wait()
		codes := []int{statuses[0].status, statuses[1].status}
		slices.Sort(codes)
		if codes[0] != 200 || codes[1] != 409 {
			t.Fatalf("round %d: statuses %v: %s / %s", round, codes, statuses[0].raw, statuses[1].raw)
		}
		loser := statuses[0]
		if loser.status == 200 {
			loser = statuses[1]
		}
		if !strings.Contains(string(loser.raw), "already completed by") {
			t.Errorf("the 409 says why: %s", loser.raw)
		}
		if n := strings.Count(strings.Join(events(c.request(id)), "\n"), "task-completed"); n != 1 {
			t.Errorf("round %d: %d completions in the history", round, n)
		}
	}
}

func TestSimulateOverHTTP(t *testing.T) {
	c := newCrew(t)
	sim := c.must(200, "maryam", "POST", "/api/v1/workflows/purchase-request/simulate", `{
		"data": {"requester": {"name": "Sam", "email": "s@example.com"}, "costCenter": "CC-1001", "justification": "Needed for the team",
		         "items": [{"description": "Laptops", "qty": 4, "price": 1500}]},
		"requester": {"id": "sara", "manager": "maryam"},
		"outcomes": {"manager": ["return", "approve"]},
		"taskData": {"finance": {"budgetLine": "IT-1"}, "procurement": {"supplier": "Pars"}}}`)
	if sim.body["status"] != "resolved" || sim.body["stopped"] != nil {
		t.Fatalf("simulation: %s", sim.raw)
	}
	decisions := sim.body["decisions"].([]any)
	if d := decisions[0].(map[string]any); d["edge"] != "needs-manager" || d["condition"] != "form.total > 5000" {
		t.Errorf("first decision: %v", d)
	}
	if n := len(sim.body["tasks"].([]any)); n != 5 { // approval, resubmit, approval, finance, procurement
		t.Errorf("%d tasks: %s", n, sim.raw)
	}
	// Nothing was written: no request exists, no inbox has anything.
	if r := c.must(200, "maryam", "GET", "/api/v1/tasks", nil); len(r.body["items"].([]any)) != 0 {
		t.Errorf("simulation left tasks: %s", r.raw)
	}
	// Bad sample data is a 422 naming the field; an unknown workflow a 404.
	bad := c.must(422, "maryam", "POST", "/api/v1/workflows/purchase-request/simulate", `{"data": {"costCenter": "x"}}`)
	if !strings.Contains(string(bad.raw), `"/data/costCenter"`) {
		t.Errorf("simulation errors: %s", bad.raw)
	}
	c.must(404, "maryam", "POST", "/api/v1/workflows/nope/simulate", `{}`)
	// Without a task form's data the script stops and says where.
	stuck := c.must(200, "maryam", "POST", "/api/v1/workflows/purchase-request/simulate", `{"data": {"requester": {"name": "Sam", "email": "s@example.com"},
		"costCenter": "CC-1001", "items": [{"description": "Mouse", "qty": 1, "price": 10}]}}`)
	if s, _ := stuck.body["stopped"].(string); !strings.Contains(s, "budgetLine") {
		t.Errorf("stopped: %s", stuck.raw)
	}
}

func TestPublishingAWorkflowChecksIt(t *testing.T) {
	c := newCrew(t)
	body := `{"key": "complaint", "title": {"en": "Complaint"}, "form": "complaint", "nodes": [{"id": "start", "kind": "start"},
		{"id": "assess", "kind": "task", "groups": ["nobody-here"]}, {"id": "done", "kind": "end", "outcome": "resolved"}],
		"edges": [{"from": "start", "to": "assess"}, {"from": "assess", "to": "done"}, {"from": "done", "to": "start"}]}`
	r := c.must(200, "admin", "PUT", "/api/v1/workflows/complaint", body)
	if len(r.body["problems"].([]any)) == 0 {
		t.Fatalf("draft problems: %s", r.raw)
	}
	p := c.must(422, "admin", "POST", "/api/v1/workflows/complaint/publish", nil)
	for _, want := range []string{`"/nodes/1/groups"`, `group \"nobody-here\": no such group`, `"/edges/2/from"`} {
		if !strings.Contains(string(p.raw), want) {
			t.Errorf("publish problems lack %s: %s", want, p.raw)
		}
	}
	// Simulating the broken draft names the same places in the workflow,
	// not in the sample data.
	s := c.must(422, "admin", "POST", "/api/v1/workflows/complaint/simulate", `{"draft": true}`)
	if !strings.Contains(string(s.raw), `"pointer":"/nodes/1/groups"`) || strings.Contains(string(s.raw), `"/data/`) {
		t.Errorf("simulating a broken draft: %s", s.raw)
	}
}

// An administrator moves a running complaint to a new workflow version
// that renamed its first task: dry run first, then for real; the task
// stays in the same inbox under its new node.
func TestMigrateOverHTTP(t *testing.T) {
	c := newCrew(t)
	id := c.must(201, "sara", "POST", "/api/v1/requests", `{"form": "complaint", "data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"},
		"incidentDate": "2026-11-20", "department": "billing", "description": "I was charged twice for the same order last week."}}`).body["id"].(string)
	v1, _ := demoFiles.ReadFile("demo/workflows/complaint.json")
	v2 := strings.ReplaceAll(string(v1), `"assess"`, `"triage"`)
	c.must(200, "admin", "PUT", "/api/v1/workflows/complaint", v2)
	c.must(201, "admin", "POST", "/api/v1/workflows/complaint/publish", nil)

	bad := c.must(400, "admin", "POST", "/api/v1/workflows/complaint/migrate", `{"from": 1, "map": {"nosuch": "triage"}}`)
	if !strings.Contains(bad.body["detail"].(string), "map/nosuch: version 1 has no node") {
		t.Errorf("bad map: %s", bad.raw)
	}
	c.must(403, "maryam", "POST", "/api/v1/workflows/complaint/migrate", `{"from": 1}`) // a supervisor, not a process owner
	c.must(400, "admin", "POST", "/api/v1/workflows/complaint/migrate", `{"from": 1, "limit": 5000}`)
	c.must(400, "admin", "POST", "/api/v1/workflows/complaint/migrate", `{"form": 1}`) // misspelt: refused, not a dry run of nothing

	dry := c.must(200, "admin", "POST", "/api/v1/workflows/complaint/migrate", `{"from": 1, "map": {"assess": "triage"}}`).body
	if dry["dryRun"] != true || dry["to"] != 2.0 || dry["outcomes"].(map[string]any)["ready"] != 1.0 || dry["nodes"].(map[string]any)["assess"] != 1.0 {
		t.Fatalf("dry run: %v", dry)
	}
	if r := c.request(id); r["workflow"].(map[string]any)["version"] != 1.0 {
		t.Fatalf("the dry run moved the request: %v", r["workflow"])
	}
	done := c.must(200, "admin", "POST", "/api/v1/workflows/complaint/migrate", `{"from": 1, "map": {"assess": "triage"}, "apply": true}`).body
	if done["dryRun"] != false || done["outcomes"].(map[string]any)["migrated"] != 1.0 {
		t.Fatalf("apply: %v", done)
	}
	c.must(200, "ali", "POST", "/api/v1/tasks/"+c.inboxTask("ali", id, "triage")+"/complete", `{"outcome": "refer"}`)
	if ev := events(c.request(id)); !slices.Contains(ev, "migrated") || !slices.Contains(ev, "task-completed triage") {
		t.Errorf("history after migration: %q", ev)
	}
}
