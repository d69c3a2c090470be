package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// The runner: it loads a request, lets the interpreter (interpret.go) take
// one step, and stores the result with one write guarded by the revision
// it read. A write that lost the race to another process is redone on the
// fresh state, so a step is applied exactly once or refused with the reason
// the fresh state gives (a task completed meanwhile is ErrConflict).

// maxStepAttempts bounds how often a step is redone after losing a race.
// Each loss means another step on the same request won, so the bound is
// only reached under a storm of writes to one request.
const maxStepAttempts = 50

// workflowFor returns the newest published workflow for form key: the
// workflow with the same key. Nil if there is none.
func (r *Requests) workflowFor(ctx context.Context, formKey string) (*CompiledWorkflow, error) {
	w, err := r.defs.Workflow(ctx, formKey, 0)
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotPublished) {
		return nil, nil
	}
	return w, err
}

// stepEnv is what a step sees: the time, and the newest rule sets.
func (r *Requests) stepEnv(ctx context.Context) StepEnv {
	return StepEnv{Now: r.now(), RuleSet: func(key string) (*PublishedRuleSet, error) { return r.defs.RuleSet(ctx, key, 0) }}
}

// Apply takes one workflow step on request id and stores it. Its errors
// are the interpreter's (ErrConflict, ErrNotYours, ErrNotFound, ErrInvalid,
// *forms.ValidationError) or the store's.
func (r *Requests) Apply(ctx context.Context, id string, sig Signal) (*Request, error) {
	return r.apply(ctx, id, sig, LeaseNone, nil)
}

// apply is Apply that may also give up a lease, and may take the request
// already loaded (a claim returns it). Time firing on a request without a
// workflow only brings its SLA clocks up to date.
func (r *Requests) apply(ctx context.Context, id string, sig Signal, release Lease, loaded *Request) (*Request, error) {
	return r.write(ctx, id, release, loaded, func(req *Request, now time.Time) (*Request, error) {
		if req.Workflow == nil {
			if sig.Kind == SignalTimers {
				return req.clone(), nil
			}
			return nil, conflictf("request %s is not handled by a workflow", id)
		}
		w, err := r.defs.Workflow(ctx, req.Workflow.Workflow, req.Workflow.Version)
		if err != nil {
			return nil, fmt.Errorf("workflow %s version %d: %w", req.Workflow.Workflow, req.Workflow.Version, err)
		}
		s := sig
		if s.Data, err = r.resubmitted(ctx, req, s); err != nil {
			return nil, err
		}
		env := r.stepEnv(ctx)
		env.Now = now
		return w.Step(req, s, env)
	})
}

// resubmitted validates the data of a requester's resubmission against
// the form version the request was filed with; other signals' data pass
// through (the interpreter checks task forms itself).
func (r *Requests) resubmitted(ctx context.Context, req *Request, sig Signal) (map[string]any, error) {
	if sig.Kind != SignalComplete {
		return sig.Data, nil
	}
	i := slices.IndexFunc(req.Workflow.Tasks, func(t Task) bool { return t.ID == sig.Task })
	if i < 0 || req.Workflow.Tasks[i].Kind != TaskResubmit || req.Workflow.Tasks[i].Status != TaskOpen || sig.Actor != req.Workflow.Tasks[i].Assignee {
		return sig.Data, nil
	}
	form, err := r.defs.FormVersion(ctx, req.Form.Key, req.Form.Version)
	if err != nil {
		return nil, err
	}
	data := sig.Data
	if data == nil {
		data = map[string]any{}
	}
	checked, err := form.Compiled.Check(data, rules.Input{Now: r.now(), Request: req.forRules()})
	if err != nil {
		return nil, err
	}
	// A resubmission keeps the request's files in its file fields; new
	// files come with a message. (Attaching uploads here would need the
	// claim Submit makes; refusing is better than listing a file the
	// request does not hold, which the upload sweep would delete.)
	var bad []forms.FieldError
	for id, field := range formUploads(form.Compiled, checked) {
		if !slices.ContainsFunc(req.Attachments, func(a Attachment) bool { return a.ID == id }) {
			bad = append(bad, forms.FieldError{Pointer: field, Code: "attachment", Params: map[string]any{"id": id}})
		}
	}
	if len(bad) > 0 {
		slices.SortFunc(bad, func(a, b forms.FieldError) int { return strings.Compare(a.Pointer, b.Pointer) })
		return nil, &forms.ValidationError{Errors: bad}
	}
	v, err := storable(checked)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// archiveIfDone moves a request that reached an end and has nothing left
// to send into the archive. A failure is left to the sweep (ArchiveClosed).
func (r *Requests) archiveIfDone(ctx context.Context, req *Request) {
	if req.Closed && req.OutboxDue == nil {
		req.KPI = KPIFactsOf(req) // it may predate the facts; the step's are the same
		_ = r.store.RequestArchive(ctx, req)
	}
}

// ArchiveClosed finishes moving closed requests into the archive (after a
// crash, or for requests whose outbox has just emptied) and returns how
// many it moved.
func (r *Requests) ArchiveClosed(ctx context.Context) (int, error) {
	moved := 0
	for {
		batch, err := r.store.RequestsToArchive(ctx, 100)
		if err != nil || len(batch) == 0 {
			return moved, err
		}
		for _, req := range batch {
			// Facts derived afresh: the request may predate them.
			req.KPI = KPIFactsOf(req)
			if err := r.store.RequestArchive(ctx, req); err != nil {
				return moved, err
			}
			moved++
		}
	}
}

// timerLease is how long a process holds a request whose timers it fires.
// A process that dies holding one delays those timers by at most this.
const timerLease = 30 * time.Second

// FireTimers fires every timer that has fallen due, on any request, and
// returns how many requests it stepped. Any number of processes may run
// it at once: each due request is claimed by one of them through a lease,
// and the step itself is guarded by the request's revision, so a timer
// fires once even if a lease runs out mid-step.
func (r *Requests) FireTimers(ctx context.Context) (int, error) {
	return r.pollDue(ctx, LeaseTimers, timerLease, func(req *Request) (*Request, error) {
		return r.apply(ctx, req.ID, Signal{Kind: SignalTimers}, LeaseTimers, req)
	})
}

// RunTimers fires due timers every interval until ctx ends; every
// fullScanEvery it also archives closed requests and sweeps loose uploads.
func (r *Requests) RunTimers(ctx context.Context, interval time.Duration, logger *slog.Logger) {
	r.every(ctx, interval, func() {
		if _, err := r.FireTimers(ctx); err != nil && ctx.Err() == nil {
			logger.Error("timers", "err", err)
		}
		if r.scans.mustScan(leaseArchive, r.now()) {
			if _, err := r.ArchiveClosed(ctx); err != nil && ctx.Err() == nil {
				logger.Error("archive", "err", err)
			}
			if err := r.store.LoadRecount(ctx); err != nil && ctx.Err() == nil {
				logger.Error("owners' load recount", "err", err)
			}
		}
		if r.scans.mustScan(leaseUploads, r.now()) {
			if _, err := r.SweepUploads(ctx); err != nil && ctx.Err() == nil {
				logger.Error("upload sweep", "err", err)
			}
		}
	})
}

func (r *Requests) every(ctx context.Context, interval time.Duration, f func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		f()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// maxWaiters bounds the requests one callback looks at: a key is meant to
// name one request.
const maxWaiters = 2

// Deliver hands an external system's message to the request waiting for
// correlation key key. ErrNotFound if no request waits for it, ErrConflict
// if it was delivered already or several requests wait for it.
func (r *Requests) Deliver(ctx context.Context, key string, payload map[string]any, actor string) (*Request, error) {
	if key == "" || len(key) > 200 {
		return nil, invalidf("a correlation key is 1 to 200 characters")
	}
	found, err := r.store.RequestsWaitingFor(ctx, key, maxWaiters)
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no request waits for a message with key %q: %w", key, ErrNotFound)
	case 1:
	default:
		return nil, conflictf("several requests (%s, %s) wait for key %q; a key must name one request", found[0].ID, found[1].ID, key)
	}
	return r.Apply(ctx, found[0].ID, Signal{Kind: SignalMessage, Key: key, Payload: payload, Actor: actor})
}
