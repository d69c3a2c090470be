package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// Migration moves running requests from the workflow version they started
// on to a newer one. A request can move when every place it stands (its
// tokens, open tasks and the timers hanging off them) has a node of the
// same kind in the new version, under the same id or the id the caller
// maps it to. Nothing else about the request changes: tasks keep their
// holders, timers their due times, approvals the votes cast so far. A dry
// run (the default) reports which requests would move and why the others
// cannot, and writes nothing.

// MigrateParams ask to move a workflow's running requests between versions.
type MigrateParams struct {
	From int // the version the requests run now
	To   int // the version to move them to; 0: the newest
	// Map renames nodes: id in From -> id in To. Unnamed nodes keep their id.
	Map map[string]string
	// Apply moves the requests; without it the migration is a dry run.
	Apply bool
	Actor string
	// After continues a migration after this request id; Limit bounds the
	// requests examined (0: MaxMigrationBatch, which is also the most).
	After string
	Limit int
}

// MaxMigrationBatch is the most requests one call examines; the report's
// Next continues from there.
const MaxMigrationBatch = 1000

// Migration outcomes of one request.
const (
	MigrationReady    = "ready"    // a dry run found it can move
	MigrationMigrated = "migrated" // moved
	MigrationBlocked  = "blocked"  // cannot move: see Problems
	MigrationSkipped  = "skipped"  // moved on meanwhile (closed, or on another version)
)

// MigrationReport says what a migration did or, in a dry run, would do.
type MigrationReport struct {
	Workflow string `json:"workflow"`
	From     int    `json:"from"`
	To       int    `json:"to"`
	DryRun   bool   `json:"dryRun"`
	// Examined counts the requests looked at, by outcome.
	Examined int            `json:"examined"`
	Outcomes map[string]int `json:"outcomes"`
	// Nodes counts where the requests that can move stand: node id in
	// From -> requests with a token there.
	Nodes    map[string]int     `json:"nodes"`
	Requests []MigrationOutcome `json:"requests"`
	// Next is set when more requests remain: pass it as After.
	Next string `json:"next,omitempty"`
}

// MigrationOutcome is one request's part in a migration.
type MigrationOutcome struct {
	ID       string   `json:"id"`
	Outcome  string   `json:"outcome"`
	Nodes    []string `json:"nodes,omitempty"`
	Problems []string `json:"problems,omitempty"`
}

// Migrate moves (or with Apply unset, tries moving) the running requests
// of workflow key from one version to another. Each request moves in one
// write guarded by its revision, like a step; one that changed meanwhile
// is examined again.
func (r *Requests) Migrate(ctx context.Context, key string, p MigrateParams) (*MigrationReport, error) {
	if p.From < 1 {
		return nil, invalidf("from: name the version the requests run now (1 or more)")
	}
	from, err := r.defs.Workflow(ctx, key, p.From)
	if err != nil {
		return nil, fmt.Errorf("workflow %s version %d: %w", key, p.From, err)
	}
	to, err := r.defs.Workflow(ctx, key, p.To)
	if err != nil {
		return nil, fmt.Errorf("workflow %s version %d: %w", key, p.To, err)
	}
	if to.Version <= from.Version {
		return nil, invalidf("to: requests move to a newer version than %d (the newest is %d)", from.Version, to.Version)
	}
	if err := checkNodeMap(p.Map, from, to); err != nil {
		return nil, err
	}
	if p.Limit < 0 || p.Limit > MaxMigrationBatch {
		return nil, invalidf("limit: from 1 to %d requests per call (0 or absent: %d)", MaxMigrationBatch, MaxMigrationBatch)
	}
	limit := p.Limit
	if limit == 0 {
		limit = MaxMigrationBatch
	}
	found, err := r.store.RequestsOnWorkflow(ctx, key, from.Version, p.After, limit+1)
	if err != nil {
		return nil, err
	}
	rep := &MigrationReport{Workflow: key, From: from.Version, To: to.Version, DryRun: !p.Apply,
		Outcomes: map[string]int{}, Nodes: map[string]int{}, Requests: []MigrationOutcome{}}
	if len(found) > limit {
		found = found[:limit]
		rep.Next = found[limit-1].ID
	}
	for _, req := range found {
		out, err := r.migrateOne(ctx, req, from, to, p)
		if err != nil {
			return nil, err
		}
		rep.Examined++
		rep.Outcomes[out.Outcome]++
		if out.Outcome == MigrationReady || out.Outcome == MigrationMigrated {
			for _, n := range out.Nodes {
				rep.Nodes[n]++
			}
		}
		rep.Requests = append(rep.Requests, out)
	}
	return rep, nil
}

func (r *Requests) migrateOne(ctx context.Context, req *Request, from, to *CompiledWorkflow, p MigrateParams) (MigrationOutcome, error) {
	for attempt := 1; ; attempt++ {
		out := MigrationOutcome{ID: req.ID}
		if req.Closed || req.Workflow == nil || req.Workflow.Workflow != from.Key || req.Workflow.Version != from.Version {
			out.Outcome = MigrationSkipped
			return out, nil
		}
		next, nodes, problems := migrateRequest(req, from, to, p.Map, p.Actor, r.now())
		out.Nodes = nodes
		if len(problems) > 0 {
			out.Outcome, out.Problems = MigrationBlocked, problems
			return out, nil
		}
		if !p.Apply {
			out.Outcome = MigrationReady
			return out, nil
		}
		err := r.store.RequestUpdate(ctx, next, req.Revision, LeaseNone)
		if err == nil {
			r.woken(ctx, req, next, LeaseNone)
			out.Outcome = MigrationMigrated
			return out, nil
		}
		if !errors.Is(err, ErrPreconditionFailed) || attempt == maxStepAttempts {
			return out, err
		}
		if req, err = r.Get(ctx, req.ID); err != nil {
			return out, err
		}
		if req.Archived {
			out.Outcome = MigrationSkipped
			return out, nil
		}
	}
}

// checkNodeMap refuses a map naming nodes that do not exist.
func checkNodeMap(m map[string]string, from, to *CompiledWorkflow) error {
	var bad []string
	for _, old := range slices.Sorted(maps.Keys(m)) {
		if from.nodes[old] == nil {
			bad = append(bad, fmt.Sprintf("map/%s: version %d has no node %q", old, from.Version, old))
		}
		if to.nodes[m[old]] == nil {
			bad = append(bad, fmt.Sprintf("map/%s: version %d has no node %q", old, to.Version, m[old]))
		}
	}
	if len(bad) > 0 {
		return invalidf("%s", strings.Join(bad, "; "))
	}
	return nil
}

// migrateRequest is the pure part of a migration: req moved from one
// version to the other with nodes renamed by m, the nodes it stands at
// (ids in from), and the reasons it cannot move (then the request
// returned is nil). req is not changed.
func migrateRequest(req *Request, from, to *CompiledWorkflow, m map[string]string, actor string, now time.Time) (*Request, []string, []string) {
	rename := func(id string) string {
		if n, ok := m[id]; ok {
			return n
		}
		return id
	}
	var problems []string
	nodes := map[string]bool{}
	check := func(what, id string) *cnode {
		old, nn := from.nodes[id], to.nodes[rename(id)]
		switch {
		case old == nil:
			problems = append(problems, fmt.Sprintf("%s at %s: version %d has no such node", what, id, from.Version))
		case nn == nil:
			problems = append(problems, fmt.Sprintf("%s at %s: version %d has no node %s", what, id, to.Version, rename(id)))
		case old.Kind != nn.Kind:
			problems = append(problems, fmt.Sprintf("%s at %s: a %s in version %d, but %s is a %s in version %d", what, id, old.Kind, from.Version, nn.ID, nn.Kind, to.Version))
		case old.Kind == NodeWait && waitStyle(old) != waitStyle(nn):
			problems = append(problems, fmt.Sprintf("%s at %s: waits %s in version %d, but %s waits %s in version %d", what, id, waitStyle(old), from.Version, nn.ID, waitStyle(nn), to.Version))
		default:
			return nn
		}
		return nil
	}
	for _, t := range req.Workflow.Tokens {
		nodes[t.Node] = true
		what := "token " + t.ID
		if check(what, t.Node) == nil || len(t.Forks) == 0 {
			continue
		}
		// A token inside parallel branches must still meet its siblings
		// at the same join.
		want := firstJoins(from, t.Node)
		for i := range want {
			want[i] = rename(want[i])
		}
		slices.Sort(want)
		if got := firstJoins(to, rename(t.Node)); !slices.Equal(want, got) {
			problems = append(problems, fmt.Sprintf("%s at %s: its branch meets the others at %s in version %d but at %s in version %d",
				what, t.Node, listOrNone(want), from.Version, listOrNone(got), to.Version))
		}
	}
	for _, task := range req.Workflow.Tasks {
		if task.Status == TaskOpen {
			nodes[task.Node] = true
			check("open task "+task.ID, task.Node)
		}
	}
	if len(problems) > 0 {
		return nil, slices.Sorted(maps.Keys(nodes)), problems
	}
	next := req.clone()
	w := next.Workflow
	for i := range w.Tokens {
		w.Tokens[i].Node = rename(w.Tokens[i].Node)
	}
	for i := range w.Tasks {
		task := &w.Tasks[i]
		if nn := to.nodes[rename(task.Node)]; nn != nil {
			task.Node = nn.ID
			if task.Status == TaskOpen && task.Kind == TaskWork {
				task.Outcomes = slices.Clone(nn.Outcomes)
				if len(nn.Title) > 0 {
					task.Title = nn.Title
				}
			}
		}
	}
	w.Version = to.Version
	next.Revision = req.Revision + 1
	next.UpdatedAt = now
	next.History = append(next.History, Event{At: now, Type: "migrated", Actor: actor,
		Workflow: &FormRef{Key: to.Key, Version: to.Version}, Detail: fmt.Sprintf("from version %d", from.Version)})
	return next, slices.Sorted(maps.Keys(nodes)), nil
}

// waitStyle says what a wait node waits for.
func waitStyle(n *cnode) string {
	switch {
	case n.Message != "":
		return "for a message"
	case n.Until != "":
		return "until a time"
	default:
		return "for a duration"
	}
}

// firstJoins lists the joins reachable from node id without passing
// through another join: where a branch standing at id meets its siblings.
func firstJoins(w *CompiledWorkflow, id string) []string {
	seen := map[string]bool{id: true}
	var joins []string
	queue := []string{id}
	for len(queue) > 0 {
		n := w.nodes[queue[0]]
		queue = queue[1:]
		if n == nil {
			continue
		}
		for _, e := range n.out {
			if seen[e.To] {
				continue
			}
			seen[e.To] = true
			if w.nodes[e.To] != nil && w.nodes[e.To].Kind == NodeJoin {
				joins = append(joins, e.To)
				continue
			}
			queue = append(queue, e.To)
		}
	}
	sort.Strings(joins)
	return joins
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "no join"
	}
	return strings.Join(ids, ", ")
}
