package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pishkhan/pishkhan/forms"
)

// Referrals. "Refer the work, not the user": when the owner lacks the
// knowledge or the authority, they hand part of the work to another
// department as an internal task, beside whatever the workflow routes.
// The owner stays the owner and the requester never moves; the department
// works in its queue with the whole request before it, and its answer
// comes back to the owner as an internal note. A referral is a task of
// the request's workflow instance (kind referral, node "referral"), so
// queues, claiming, delegating, reassigning, overdue marking, tracking
// (which shows the units, never who) and the KPIs treat it as any task.

// NodeReferral is the node name referral tasks carry.
const NodeReferral = "referral"

// ReferParams are the arguments of Refer.
type ReferParams struct {
	// Group is the department the work goes to; Note what it is to do.
	Group, Note string
	// Within is how long the department has (0: no deadline).
	Within time.Duration
	// Actor refers: the owner, or a supervisor (Manager).
	Actor   string
	Manager bool
}

// Refer hands work on request id to another department. ErrNotYours for
// anyone but the owner or a supervisor, ErrConflict on a closed request
// or one with no workflow running, ErrInvalid for a group that does not
// exist or a missing note.
func (r *Requests) Refer(ctx context.Context, id string, p ReferParams) (*Request, error) {
	note, err := checkBody(p.Note)
	if err != nil {
		return nil, invalidf("note: say what the department is to do")
	}
	if p.Within < 0 || p.Within > 365*24*time.Hour {
		return nil, invalidf("within: zero (no deadline) to a year")
	}
	if !forms.ValidKey(p.Group) {
		return nil, invalidf("group: %q is not a group name", p.Group)
	}
	if r.defs.groupExists != nil {
		if err := r.defs.groupExists(ctx, p.Group); err != nil {
			return nil, invalidf("group %q: %v", p.Group, err)
		}
	}
	return r.change(ctx, id, func(req *Request, now time.Time) (*Request, error) {
		switch {
		case req.Closed:
			return nil, conflictf("request %s is closed", id)
		case req.Workflow == nil:
			return nil, conflictf("request %s has no workflow running to refer work in", id)
		case req.Owner != p.Actor && !p.Manager:
			return nil, notYoursf("the request's owner (%s) or a supervisor refers its work", req.Owner)
		}
		next := req.clone()
		inst := next.Workflow
		inst.Seq++
		task := Task{
			ID: req.ID + "-" + strconv.Itoa(inst.Seq), Node: NodeReferral, Kind: TaskReferral, Status: TaskOpen,
			Title:  forms.Text{"en": "Referral: " + headline(note), "fa": "ارجاع: " + headline(note)},
			Groups: []string{p.Group}, Outcomes: []string{"done"}, Priority: next.Priority, CreatedAt: now,
		}
		if p.Within > 0 {
			due := now.Add(p.Within)
			task.Due = &due
			inst.Seq++
			inst.Timers = append(inst.Timers, Timer{ID: "w" + strconv.Itoa(inst.Seq), Kind: TimerDue, Task: task.ID, Due: due})
		}
		inst.Tasks = append(inst.Tasks, task)
		next.addMessage(Message{At: now, Kind: MessageNote, Author: p.Actor, Body: fmt.Sprintf("Referred to %s: %s", p.Group, note)}, nil, true)
		next.History = append(next.History, Event{At: now, Type: "referred", Node: NodeReferral, Task: task.ID, Actor: p.Actor, To: "group:" + p.Group, Detail: note})
		deriveIndex(next)
		return next, nil
	})
}

// answerReferral completes a referral: the department's answer reaches
// the owner as an internal note; the workflow does not move.
func (s *stepper) answerReferral(task *Task, outcome string, sig Signal) error {
	now := s.now
	if task.Assignee == "" {
		task.Assignee = sig.Actor
	}
	task.Status, task.Outcome, task.Comment, task.CompletedBy, task.CompletedAt = TaskCompleted, outcome, sig.Comment, sig.Actor, &now
	s.dropTimers(func(t Timer) bool { return t.Task == task.ID })
	s.record(Event{Type: "task-completed", Node: NodeReferral, Task: task.ID, Outcome: outcome, Actor: sig.Actor, Detail: sig.Comment})
	body := "Referral done: " + task.Title.In("en")
	if c := strings.TrimSpace(sig.Comment); c != "" {
		body = c
	}
	s.r.addMessage(Message{At: now, Kind: MessageNote, Author: sig.Actor, Body: body}, nil, true)
	s.r.queueNotify(now, "referral-answered", []string{s.r.Owner}, map[string]any{"message": s.r.Messages[len(s.r.Messages)-1].ID})
	return nil
}

// headline is the first line of s, at most 60 characters.
func headline(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:59]) + "…"
	}
	return s
}
