package engine

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pishkhan/pishkhan/rules"
)

// SLA goals on requests: the policy is chosen at intake, the clocks start
// when the tracking code is issued, and after every write deskPass applies
// the rules of docs/sla.md (pause while the request waits on its
// requester, stop resolution at an end, count on after a reopen) and fires
// warnings and breaches that fell due. Their times join the request's due
// time, so the engine's timer poller wakes up for them.

func (s *SLA) clock(goal string) *Clock {
	for i := range s.Clocks {
		if s.Clocks[i].Goal == goal {
			return &s.Clocks[i]
		}
	}
	return nil
}

func (r *Requests) slaCalendar(ctx context.Context, s *SLA) (*rules.CompiledCalendar, error) {
	cal, _, err := r.defs.Calendar(ctx, s.Calendar, s.CalendarVersion)
	if err != nil {
		return nil, fmt.Errorf("SLA calendar: %w", err)
	}
	return cal, nil
}

// choosePolicy names the SLA policy of request type t for req: the one t
// names, or the one its rule set's first matching row outputs as
// "policy" (by request type, priority, segment, channel ...). "" if the
// rule set chose none.
func (r *Requests) choosePolicy(ctx context.Context, t *PublishedRequestType, req *Request, now time.Time) (string, *RuleRef, error) {
	if t.SLA == nil {
		return "", nil, nil
	}
	if t.SLA.Policy != "" {
		return t.SLA.Policy, nil, nil
	}
	rs, err := r.defs.RuleSet(ctx, t.SLA.RuleSet, 0)
	if err != nil {
		return "", nil, fmt.Errorf("SLA rule set %q: %w", t.SLA.RuleSet, err)
	}
	d, err := rs.Table.Evaluate(rules.Input{Form: req.Data, Request: req.forRules(), Now: now})
	if err != nil {
		return "", nil, fmt.Errorf("SLA rule set %q version %d: %w", rs.Key, rs.Version, err)
	}
	ref := &RuleRef{Key: rs.Key, Version: rs.Version, Rows: d.Matched}
	if len(d.Outputs) == 0 {
		return "", ref, nil
	}
	key, _ := d.Outputs[0]["policy"].(string)
	return key, ref, nil
}

// startSLA chooses req's policy and starts a clock per goal from the
// moment the request was accepted.
func (r *Requests) startSLA(ctx context.Context, t *PublishedRequestType, req *Request) error {
	key, ref, err := r.choosePolicy(ctx, t, req, req.CreatedAt)
	if err != nil || key == "" {
		if ref != nil {
			req.History = append(req.History, Event{At: req.CreatedAt, Type: "sla-none", Rule: ref, Detail: "no SLA policy applies"})
		}
		return err
	}
	p, version, err := r.defs.slaPolicy(ctx, key, 0)
	if err != nil {
		return fmt.Errorf("SLA policy %q: %w", key, err)
	}
	cal, calVersion, err := r.defs.Calendar(ctx, p.Calendar, 0)
	if err != nil {
		return fmt.Errorf("SLA calendar %q: %w", p.Calendar, err)
	}
	req.SLA = &SLA{Policy: key, Version: version, Calendar: p.Calendar, CalendarVersion: calVersion}
	for _, g := range p.goals {
		c, err := StartClock(cal, g.name, g.target, g.spec.Warning, req.CreatedAt)
		if err != nil {
			return err
		}
		req.SLA.Clocks = append(req.SLA.Clocks, c)
	}
	req.History = append(req.History, Event{At: req.CreatedAt, Type: "sla-started", Rule: ref,
		Detail: fmt.Sprintf("SLA policy %s version %d on calendar %s", key, version, p.Calendar)})
	return nil
}

// deskPass brings what the desk derives up to date after a write from
// prev (nil for a new request) to next: the resolution time, the
// requester's notifications, the SLA clocks and their escalations, the
// due time the timer poller wakes up for, and the KPI facts.
func (r *Requests) deskPass(ctx context.Context, prev, next *Request, now time.Time) error {
	resolved := next.Closed && (prev == nil || !prev.Closed)
	if resolved {
		at := now
		next.ResolvedAt = &at
	}
	if prev != nil && next.Status != prev.Status && !queuedForRequester(prev, next) {
		template := "status"
		if resolved {
			template = "resolved"
		}
		next.notifyRequester(now, template, nil)
	}
	if next.SLA != nil {
		if err := r.runClocks(ctx, prev, next, now); err != nil {
			return err
		}
	}
	deriveDue(next)
	next.OutboxDue = outboxDue(next.Outbox) // the desk queues notifications too
	next.KPI = KPIFactsOf(next)
	return nil
}

// queuedForRequester reports whether the write from prev to next already
// tells the requester (an owner's reply that also changes the status):
// one message per change, not two.
func queuedForRequester(prev, next *Request) bool {
	for _, o := range next.Outbox[len(prev.Outbox):] {
		if o.Node == "desk" && slices.Contains(o.To, RecipientRequester) {
			return true
		}
	}
	return false
}

// runClocks applies the clock rules of docs/sla.md to next at now.
func (r *Requests) runClocks(ctx context.Context, prev, next *Request, now time.Time) error {
	cal, err := r.slaCalendar(ctx, next.SLA)
	if err != nil {
		return err
	}
	if prev != nil && prev.Priority != next.Priority {
		if err := r.retarget(ctx, next, cal, now); err != nil {
			return err
		}
	}
	reopened := prev != nil && prev.Closed && !next.Closed
	for i := range next.SLA.Clocks {
		c := &next.SLA.Clocks[i]
		switch {
		case next.Closed:
			// An end is the result told to the requester: it meets
			// resolution and, if nobody replied before, first response.
			c.Stop(cal, now)
		case reopened && c.Goal == GoalResolution:
			c.Stopped = nil
			if err := c.run(cal, now); err != nil {
				return err
			}
		case next.waitsOnRequester():
			c.Pause(cal, now)
		default:
			if err := c.Resume(cal, now); err != nil {
				return err
			}
		}
	}
	// Fire what fell due. A step may have paused a clock after its target
	// passed (the poller was late): what counted is the business time,
	// so a clock stopped or paused past its target is breached too.
	for i := range next.SLA.Clocks {
		c := &next.SLA.Clocks[i]
		if c.WarnAt != nil && !c.WarnAt.After(now) && !next.Closed {
			r.escalate(ctx, next, c.Goal, OnWarning, now)
		}
		if c.Breached == nil && c.Due != nil && !c.Due.After(now) {
			c.MarkBreached(*c.Due)
		}
		if c.Breached == nil && c.Elapsed > c.Target {
			b := now
			c.Breached = &b
		}
		if c.Breached != nil && !next.Closed {
			r.escalate(ctx, next, c.Goal, OnBreach, now)
		}
	}
	return nil
}

// retarget re-chooses the policy after a priority change: the goals take
// the new targets, keeping the business time already counted.
func (r *Requests) retarget(ctx context.Context, req *Request, cal *rules.CompiledCalendar, now time.Time) error {
	if req.Type == nil {
		return nil
	}
	t, err := r.defs.RequestType(ctx, req.Type.Key, req.Type.Version)
	if err != nil {
		return err
	}
	key, ref, err := r.choosePolicy(ctx, t, req, now)
	if err != nil || key == "" || key == req.SLA.Policy {
		return err
	}
	p, version, err := r.defs.slaPolicy(ctx, key, 0)
	if err != nil {
		return fmt.Errorf("SLA policy %q: %w", key, err)
	}
	if p.Calendar != req.SLA.Calendar {
		// Business time counted on one calendar means nothing on another.
		req.History = append(req.History, Event{At: now, Type: "sla-kept", Rule: ref,
			Detail: fmt.Sprintf("policy %s counts on calendar %s, not %s; the goals keep their targets", key, p.Calendar, req.SLA.Calendar)})
		return nil
	}
	for _, g := range p.goals {
		c := req.SLA.clock(g.name)
		if c == nil {
			nc, err := StartClock(cal, g.name, g.target, g.spec.Warning, now)
			if err != nil {
				return err
			}
			req.SLA.Clocks = append(req.SLA.Clocks, nc)
			continue
		}
		running := c.Since != nil
		c.Pause(cal, now)
		c.Target, c.Warn = g.target, g.spec.Warning
		if running {
			if err := c.run(cal, now); err != nil {
				return err
			}
		}
	}
	req.SLA.Policy, req.SLA.Version = key, version
	req.History = append(req.History, Event{At: now, Type: "sla-changed", Rule: ref, Detail: fmt.Sprintf("priority %s: SLA policy %s version %d", req.Priority, key, version)})
	return nil
}

// escalate fires goal's escalations for moment (warning, breach) once.
func (r *Requests) escalate(ctx context.Context, req *Request, goal, moment string, now time.Time) {
	mark := goal + ":" + moment
	if slices.Contains(req.SLA.Fired, mark) {
		return
	}
	req.SLA.Fired = append(req.SLA.Fired, mark)
	typ := "sla-warning"
	if moment == OnBreach {
		typ = "sla-breached"
	}
	req.History = append(req.History, Event{At: now, Type: typ, Detail: goal})
	p, _, err := r.defs.slaPolicy(ctx, req.SLA.Policy, req.SLA.Version)
	if err != nil {
		req.Incidents = append(req.Incidents, Incident{ID: fmt.Sprintf("sla-%d", len(req.Incidents)+1), At: now,
			Message: fmt.Sprintf("SLA %s of %s: escalations not run: %v", moment, goal, err)})
		return
	}
	for _, g := range p.goals {
		if g.name != goal {
			continue
		}
		for _, e := range g.spec.Escalations {
			if e.On != moment {
				continue
			}
			if e.Priority != "" && e.Priority != req.Priority {
				req.Priority = e.Priority
				if req.Workflow != nil {
					for i := range req.Workflow.Tasks {
						if req.Workflow.Tasks[i].Status == TaskOpen {
							req.Workflow.Tasks[i].Priority = e.Priority
						}
					}
				}
				req.History = append(req.History, Event{At: now, Type: "escalated", Detail: "priority " + e.Priority})
			}
			if e.Reassign != "" && e.Reassign != req.Owner {
				req.History = append(req.History, Event{At: now, Type: "owner-changed", Actor: "sla", To: e.Reassign,
					Detail: goal + " " + moment, Data: map[string]any{"from": req.Owner}})
				req.Owner = e.Reassign
			}
			if len(e.Notify) > 0 {
				to := make([]string, 0, len(e.Notify))
				for _, x := range e.Notify {
					if x == "owner" {
						x = req.Owner
					}
					if x != "" && !slices.Contains(to, x) {
						to = append(to, x)
					}
				}
				req.Outbox = append(req.Outbox, OutboxItem{
					ID: fmt.Sprintf("%s-%s-%s", req.ID, goal, moment), Kind: OutboxNotify, Node: "sla", To: to,
					Payload: map[string]any{"template": "sla-" + moment, "goal": goal, "ownerGroup": req.OwnerGroup}, Status: OutboxPending, Next: now,
				})
				req.History = append(req.History, Event{At: now, Type: "escalated", Detail: "notified " + fmt.Sprint(to)})
			}
		}
	}
}

// deriveDue sets the request's due time: its earliest workflow timer, SLA
// warning or SLA target still to fire.
func deriveDue(r *Request) {
	var due *time.Time
	lower := func(t *time.Time) {
		if t != nil && (due == nil || t.Before(*due)) {
			d := *t
			due = &d
		}
	}
	if r.Workflow != nil {
		for i := range r.Workflow.Timers {
			lower(&r.Workflow.Timers[i].Due)
		}
	}
	if r.SLA != nil && !r.Closed {
		for i := range r.SLA.Clocks {
			c := &r.SLA.Clocks[i]
			if !slices.Contains(r.SLA.Fired, c.Goal+":"+OnWarning) {
				lower(c.WarnAt)
			}
			if c.Breached == nil {
				lower(c.Due)
			}
		}
	}
	r.Due = due
}

// SLAView is a request's SLA as people read it now.
type SLAView struct {
	Policy   string      `json:"policy"`
	Calendar string      `json:"calendar"`
	Goals    []ClockView `json:"goals"`
}

// ViewSLA shows req's goals at now: due time, time left, state.
func (r *Requests) ViewSLA(ctx context.Context, req *Request) (*SLAView, error) {
	if req.SLA == nil {
		return nil, nil
	}
	cal, err := r.slaCalendar(ctx, req.SLA)
	if err != nil {
		return nil, err
	}
	v := &SLAView{Policy: req.SLA.Policy, Calendar: req.SLA.Calendar}
	now := r.now()
	for i := range req.SLA.Clocks {
		v.Goals = append(v.Goals, req.SLA.Clocks[i].View(cal, now))
	}
	return v, nil
}
