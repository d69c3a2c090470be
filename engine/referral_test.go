package engine_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
)

// TestReferralsHandWorkToADepartment: the owner refers work to another
// department; the task waits in that department's queue (and nobody
// else's), the owner stays the owner, the workflow does not move; a
// member completes it and the answer reaches the owner as an internal
// note with a notification; an unanswered referral falls overdue.
func TestReferralsHandWorkToADepartment(t *testing.T) {
	reqs, _, c := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	refer := engine.ReferParams{Group: "billing", Note: "Was order 123456 charged twice?\nSee the attached statement.", Within: 2 * time.Hour}
	for _, p := range []engine.ReferParams{{Actor: "reza"}, {Actor: "ali", Group: "billing"}, {Actor: "ali", Note: "x", Group: "Not a group!"}} {
		if p.Note == "" && p.Actor == "reza" {
			p.Group, p.Note = refer.Group, refer.Note
		}
		if _, err := reqs.Refer(ctx, r.ID, p); err == nil {
			t.Errorf("refer %+v: accepted", p)
		}
	}
	refer.Actor = "ali"
	r, err = reqs.Refer(ctx, r.ID, refer)
	if err != nil {
		t.Fatal(err)
	}
	task := openTaskAt(t, r, engine.NodeReferral)
	if task.Kind != engine.TaskReferral || !slices.Equal(task.Groups, []string{"billing"}) || task.Due == nil || !task.Due.Equal(c.Now().Add(2*time.Hour)) {
		t.Errorf("referral task %+v", task)
	}
	if r.Owner != "ali" || openTaskAt(t, r, "handle").Assignee != "ali" {
		t.Errorf("the owner or the workflow moved: owner %s", r.Owner)
	}
	// In billing's queue; not in the desk's.
	items, _, err := reqs.Tasks(ctx, engine.TaskQuery{User: "farhad", Groups: []string{"billing"}, View: "queues", Limit: 10})
	if err != nil || len(items) != 1 || items[0].Task.ID != task.ID {
		t.Fatalf("billing's queue: %+v %v", items, err)
	}
	if items, _, _ := reqs.Tasks(ctx, engine.TaskQuery{User: "reza", Groups: []string{"desk"}, View: "queues", Limit: 10}); slices.ContainsFunc(items, func(i engine.TaskItem) bool { return i.Task.ID == task.ID }) {
		t.Errorf("the referral is in the desk's queue")
	}
	// Unanswered past its deadline: overdue.
	c.Add(2*time.Hour + time.Second)
	if _, err := reqs.FireTimers(ctx); err != nil {
		t.Fatal(err)
	}
	if got := openTaskAt(t, get(t, reqs, r.ID), engine.NodeReferral); !got.Overdue {
		t.Errorf("referral not overdue after its deadline")
	}
	// Someone outside billing cannot answer it; a member can.
	if _, err := reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Actor: "reza", ActorGroups: []string{"desk"}}); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("answered from outside billing: %v", err)
	}
	r, err = reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Actor: "farhad", ActorGroups: []string{"billing"}, Comment: "Yes; refunded today."})
	if err != nil {
		t.Fatal(err)
	}
	last := r.Messages[len(r.Messages)-1]
	if last.Kind != engine.MessageNote || last.Body != "Yes; refunded today." || last.Author != "farhad" {
		t.Errorf("the answer on the request: %+v", last)
	}
	if r.Closed || openTaskAt(t, r, "handle").Assignee != "ali" {
		t.Errorf("answering the referral moved the workflow")
	}
	owner := r.Outbox[len(r.Outbox)-1]
	if owner.Payload["template"] != "referral-answered" || !slices.Equal(owner.To, []string{"ali"}) {
		t.Errorf("the owner is not told: %+v", owner)
	}
	if slices.Contains(r.TaskGroups, "billing") {
		t.Errorf("billing still has the task in its queue: %v", r.TaskGroups)
	}
}
