package engine

import (
	"slices"
	"strings"
	"time"
)

// KPI facts. Every write of a request derives, from the request alone,
// what it adds to the KPIs (docs/kpis.md): a few flat facts stored in the
// request document itself (Request.KPI), so that they change in the same
// atomic write as the request. A KPI query only selects facts and sums
// them per day, which every MongoDB-compatible store can do. When a
// request is archived, the store files a copy of its facts alone, so that
// KPIs over the archive read small documents rather than whole requests.

// KPIFacts is what one request adds to the KPIs. Days are UTC days
// written 2006-01-02. The fields sit at the top level of the stored
// request (and of the archive's facts), prefixed kpi, so that one
// aggregation serves both collections.
type KPIFacts struct {
	// Created is the day the request was submitted.
	Created string `bson:"kpiDay,omitempty"`
	// Resolved is the day of its latest resolution, while it stays
	// resolved; empty while it is open. Never omitted: a step's update sets
	// the fields it has, so an omitted one would keep its old value.
	Resolved string  `bson:"kpiResolved"`
	Type     string  `bson:"kpiType,omitempty"`
	Channel  Channel `bson:"kpiChannel,omitempty"`
	// Agents are the staff who worked on it: its owner, earlier owners
	// and whoever completed one of its tasks.
	Agents []string `bson:"kpiAgents,omitempty"`
	// Groups are the departments and groups it belonged to: its owner's
	// group and the groups its tasks were referred to.
	Groups []string `bson:"kpiGroups,omitempty"`
	// Days holds what happened to it, per day, in day order.
	Days []KPIDay `bson:"kpiDays,omitempty"`
}

// KPIDay is what happened on one day: to one request (in KPIFacts), or
// summed over the requests a KPI query selects. Durations are in
// milliseconds. The store sums every field but Day.
type KPIDay struct {
	Day string `bson:"d"`
	// Created counts submissions.
	Created int64 `bson:"n,omitempty"`
	// FirstResponses counts first responses, FirstResponseMs their time
	// since submission.
	FirstResponses  int64 `bson:"fr,omitempty"`
	FirstResponseMs int64 `bson:"frMs,omitempty"`
	// Resolved counts resolutions; ResolutionMs is the time each resolved
	// request was open; FCR and Reopened count the resolved requests that
	// were resolved at first contact and that had been reopened.
	Resolved     int64 `bson:"r,omitempty"`
	ResolutionMs int64 `bson:"rMs,omitempty"`
	FCR          int64 `bson:"fcr,omitempty"`
	Reopened     int64 `bson:"ro,omitempty"`
	// Tasks counts the tasks completed by someone who held them, HandleMs
	// how long they held them.
	Tasks    int64 `bson:"h,omitempty"`
	HandleMs int64 `bson:"hMs,omitempty"`
	// SLA goals decided: met (stopped in time) or missed (breached).
	FirstResponseMet    int64 `bson:"frMet,omitempty"`
	FirstResponseMissed int64 `bson:"frMiss,omitempty"`
	ResolutionMet       int64 `bson:"rMet,omitempty"`
	ResolutionMissed    int64 `bson:"rMiss,omitempty"`
	// Ratings: CSAT (1-5) summed and counted, satisfied meaning 4 or 5;
	// NPS (0-10) counted, promoters 9-10, detractors 0-6.
	CSATRatings   int64 `bson:"cs,omitempty"`
	CSATSum       int64 `bson:"csSum,omitempty"`
	CSATSatisfied int64 `bson:"csSat,omitempty"`
	NPSRatings    int64 `bson:"np,omitempty"`
	Promoters     int64 `bson:"npPro,omitempty"`
	Detractors    int64 `bson:"npDet,omitempty"`
}

// Add adds o's figures to d's.
func (d *KPIDay) Add(o *KPIDay) {
	d.Created += o.Created
	d.FirstResponses += o.FirstResponses
	d.FirstResponseMs += o.FirstResponseMs
	d.Resolved += o.Resolved
	d.ResolutionMs += o.ResolutionMs
	d.FCR += o.FCR
	d.Reopened += o.Reopened
	d.Tasks += o.Tasks
	d.HandleMs += o.HandleMs
	d.FirstResponseMet += o.FirstResponseMet
	d.FirstResponseMissed += o.FirstResponseMissed
	d.ResolutionMet += o.ResolutionMet
	d.ResolutionMissed += o.ResolutionMissed
	d.CSATRatings += o.CSATRatings
	d.CSATSum += o.CSATSum
	d.CSATSatisfied += o.CSATSatisfied
	d.NPSRatings += o.NPSRatings
	d.Promoters += o.Promoters
	d.Detractors += o.Detractors
}

// kpiDay is the UTC day of t.
func kpiDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func millis(d time.Duration) int64 { return d.Milliseconds() }

// KPIFactsOf derives what req adds to the KPIs from req alone.
func KPIFactsOf(req *Request) KPIFacts {
	f := KPIFacts{Created: kpiDay(req.CreatedAt), Type: req.forRules().Type, Channel: req.Channel}
	days := map[string]*KPIDay{}
	on := func(t time.Time) *KPIDay {
		k := kpiDay(t)
		if days[k] == nil {
			days[k] = &KPIDay{Day: k}
		}
		return days[k]
	}
	on(req.CreatedAt).Created = 1
	if at, ok := firstResponse(req); ok {
		d := on(at)
		d.FirstResponses++
		d.FirstResponseMs += millis(at.Sub(req.CreatedAt))
	}
	if req.Closed && req.ResolvedAt != nil {
		f.Resolved = kpiDay(*req.ResolvedAt)
		d := on(*req.ResolvedAt)
		d.Resolved = 1
		d.ResolutionMs = millis(openFor(req))
		if firstContactResolved(req) {
			d.FCR = 1
		}
		if req.Reopens > 0 {
			d.Reopened = 1
		}
	}
	agent := func(u string) {
		if u != "" && !slices.Contains(f.Agents, u) {
			f.Agents = append(f.Agents, u)
		}
	}
	group := func(g string) {
		if g != "" && !slices.Contains(f.Groups, g) {
			f.Groups = append(f.Groups, g)
		}
	}
	agent(req.Owner)
	group(req.OwnerGroup)
	for _, e := range req.History {
		if e.Type == "owner-changed" {
			from, _ := e.Data["from"].(string)
			agent(from)
		}
	}
	if req.Workflow != nil {
		for i := range req.Workflow.Tasks {
			t := &req.Workflow.Tasks[i]
			for _, g := range t.Groups {
				group(g)
			}
			if t.Status != TaskCompleted || t.Kind == TaskResubmit || t.CompletedAt == nil {
				continue
			}
			agent(t.CompletedBy)
			if since, held := heldSince(req, t); held {
				d := on(*t.CompletedAt)
				d.Tasks++
				d.HandleMs += millis(t.CompletedAt.Sub(since))
			}
		}
	}
	if req.SLA != nil {
		// A goal is decided when it is missed (the breach) or met (its
		// clock stopped before the target).
		for _, c := range req.SLA.Clocks {
			switch {
			case c.Goal == GoalFirstResponse && c.Breached != nil:
				on(*c.Breached).FirstResponseMissed++
			case c.Goal == GoalFirstResponse && c.Stopped != nil:
				on(*c.Stopped).FirstResponseMet++
			case c.Goal == GoalResolution && c.Breached != nil:
				on(*c.Breached).ResolutionMissed++
			case c.Goal == GoalResolution && c.Stopped != nil:
				on(*c.Stopped).ResolutionMet++
			}
		}
	}
	if fb := req.Feedback; fb != nil {
		d := on(fb.At)
		if fb.CSAT != nil {
			d.CSATRatings++
			d.CSATSum += int64(*fb.CSAT)
			if *fb.CSAT >= 4 {
				d.CSATSatisfied++
			}
		}
		if fb.NPS != nil {
			d.NPSRatings++
			switch {
			case *fb.NPS >= 9:
				d.Promoters++
			case *fb.NPS <= 6:
				d.Detractors++
			}
		}
	}
	for _, d := range days {
		f.Days = append(f.Days, *d)
	}
	slices.SortFunc(f.Days, func(a, b KPIDay) int { return strings.Compare(a.Day, b.Day) })
	return f
}

// firstResponse is when the requester first heard from the desk: the
// owner's first public reply or the request's first resolution (an end
// tells the requester the result, as the SLA rules have it), whichever
// came first.
func firstResponse(req *Request) (time.Time, bool) {
	var first time.Time
	for _, m := range req.Messages {
		if m.Kind == MessageReply {
			first = m.At
			break
		}
	}
	for _, e := range req.History {
		if e.Type == "ended" {
			if first.IsZero() || e.At.Before(first) {
				first = e.At
			}
			break
		}
	}
	return first, !first.IsZero()
}

// openFor is how long a resolved request was open: from submission to its
// latest resolution, leaving out the time between a resolution and a
// reopening.
func openFor(req *Request) time.Duration {
	var open time.Duration
	since := &req.CreatedAt
	for i := range req.History {
		e := &req.History[i]
		switch {
		case e.Type == "ended" && since != nil:
			open += e.At.Sub(*since)
			since = nil
		case e.Type == "reopened" && since == nil:
			since = &e.At
		}
	}
	return open
}

// firstContactResolved reports whether a resolved request was resolved at
// first contact: by its first owner, never reopened, with no
// task done by anyone else (no referral, approval or resubmission), at most
// one public reply that asked the requester nothing, and no message from
// the requester after the submission.
func firstContactResolved(req *Request) bool {
	if req.Reopens > 0 {
		return false
	}
	for _, e := range req.History {
		// Taking an unowned request makes its first owner; any other change
		// hands it to a second person.
		if from, _ := e.Data["from"].(string); e.Type == "owner-changed" && from != "" {
			return false
		}
	}
	if req.Workflow != nil {
		for _, t := range req.Workflow.Tasks {
			if t.Status == TaskCompleted && t.CompletedBy != req.Owner {
				return false
			}
		}
	}
	replies := 0
	for _, m := range req.Messages {
		switch m.Kind {
		case MessageRequester:
			return false
		case MessageReply:
			replies++
			if m.Await || replies > 1 {
				return false
			}
		}
	}
	return true
}

// heldSince returns since when the person who completed task t held it:
// since its claim, or since it was assigned to them (when it was created,
// reassigned or delegated). A task completed straight from a group's queue
// was held by nobody, and has no handle time.
func heldSince(req *Request, t *Task) (time.Time, bool) {
	var since time.Time
	held := false
	for _, e := range req.History {
		if e.Task != t.ID || e.At.After(*t.CompletedAt) {
			continue
		}
		switch e.Type {
		case "task-created", "approval-requested", "task-reassigned", "task-delegated":
			held = e.To != "" && !strings.Contains(e.To, "group:")
			since = e.At
		case "task-claimed":
			held, since = true, e.At
		case "task-unclaimed":
			held = false
		}
	}
	return since, held
}
