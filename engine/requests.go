package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// Status is where a request stands in its life.
type Status string

// Statuses a request can have. Later workflow steps add more.
const (
	StatusSubmitted  Status = "submitted"
	StatusInProgress Status = "in-progress"
	// StatusReturned: an approver sent it back to the requester for changes.
	StatusReturned Status = "returned"
	// StatusWaiting: waiting for an external system or a time.
	StatusWaiting Status = "waiting"
)

// Channel is how a request reached the organisation.
type Channel string

// Channels a submission may name today; the channel is recorded on the
// request and available to rules.
const (
	ChannelAPI    Channel = "api"
	ChannelPortal Channel = "portal"
)

// ValidChannel reports whether c is a channel.
func ValidChannel(c Channel) bool { return slices.Contains(Channels, c) }

// FormRef names the form version a request was submitted with.
type FormRef struct {
	Key     string `bson:"key" json:"key"`
	Version int    `bson:"version" json:"version"`
}

// Event is one entry of a request's history: what happened, when, and who
// or what made it happen.
type Event struct {
	At      time.Time `bson:"at" json:"at"`
	Type    string    `bson:"type" json:"type"`
	Status  Status    `bson:"status,omitempty" json:"status,omitempty"`
	Channel Channel   `bson:"channel,omitempty" json:"channel,omitempty"`
	Form    *FormRef  `bson:"form,omitempty" json:"form,omitempty"`
	Actor   string    `bson:"actor,omitempty" json:"actor,omitempty"`
	// Workflow steps say where they happened and what decided them.
	Node      string         `bson:"node,omitempty" json:"node,omitempty"`
	Task      string         `bson:"task,omitempty" json:"task,omitempty"`
	Outcome   string         `bson:"outcome,omitempty" json:"outcome,omitempty"`
	Edge      string         `bson:"edge,omitempty" json:"edge,omitempty"`
	Condition string         `bson:"condition,omitempty" json:"condition,omitempty"`
	Rule      *RuleRef       `bson:"rule,omitempty" json:"rule,omitempty"`
	Workflow  *FormRef       `bson:"workflow,omitempty" json:"workflow,omitempty"`
	To        string         `bson:"to,omitempty" json:"to,omitempty"`
	Detail    string         `bson:"detail,omitempty" json:"detail,omitempty"`
	Data      map[string]any `bson:"data,omitempty" json:"data,omitempty"`
}

// EventSubmitted is the first event of every request.
const EventSubmitted = "submitted"

// Reindex recomputes the fields that index r for the timer poller, the
// dispatcher, callbacks and the inbox, as every step of its workflow does:
// for requests made outside the engine (imports, benchmarks' samples).
func Reindex(r *Request) {
	if r.Workflow != nil {
		deriveIndex(r)
	}
}

// Request is one request: a single document holding everything about it.
// Its ID is its tracking code.
type Request struct {
	ID        string         `bson:"_id" json:"id"`
	Form      FormRef        `bson:"form" json:"form"`
	Channel   Channel        `bson:"channel" json:"channel"`
	Requester string         `bson:"requester,omitempty" json:"requester,omitempty"`
	Status    Status         `bson:"status" json:"status"`
	Priority  string         `bson:"priority,omitempty" json:"priority,omitempty"`
	Data      map[string]any `bson:"data" json:"data"`
	CreatedAt time.Time      `bson:"createdAt" json:"createdAt"`
	UpdatedAt time.Time      `bson:"updatedAt" json:"updatedAt"`
	Revision  int64          `bson:"revision" json:"revision"`
	History   []Event        `bson:"history" json:"history"`

	// Profile is the requester as the rules saw them at submission.
	Profile rules.Requester `bson:"profile" json:"profile"`
	// Workflow is where the request stands in its workflow, if it has one.
	Workflow *Instance `bson:"workflow,omitempty" json:"workflow,omitempty"`
	// Closed is set when the workflow reached an end.
	Closed    bool         `bson:"closed" json:"closed"`
	Outbox    []OutboxItem `bson:"outbox" json:"outbox,omitempty"`
	Incidents []Incident   `bson:"incidents,omitempty" json:"incidents,omitempty"`

	// Derived from the workflow state on every step, for indexed queries:
	// the earliest timer, the earliest outbox item to send, the
	// correlation keys waited for and received, and who has open tasks.
	Due        *time.Time `bson:"due,omitempty" json:"-"`
	OutboxDue  *time.Time `bson:"outboxDue,omitempty" json:"-"`
	WaitKeys   []string   `bson:"waitKeys,omitempty" json:"-"`
	Received   []string   `bson:"received,omitempty" json:"-"`
	TaskUsers  []string   `bson:"taskUsers,omitempty" json:"-"`
	TaskGroups []string   `bson:"taskGroups,omitempty" json:"-"`
	// Lease and OutboxLease hold a due request for the process that
	// claimed it (timers and outbox respectively).
	Lease       time.Time `bson:"lease" json:"-"`
	OutboxLease time.Time `bson:"outboxLease" json:"-"`

	// The service desk (desk.go): the request type it was filed as, its
	// owner (the single point of contact), who entered it for the
	// requester, how to reach the requester, the conversation, SLA goals,
	// the requester's rating and how often it was reopened.
	Type         *FormRef   `bson:"type,omitempty" json:"type,omitempty"`
	Owner        string     `bson:"owner,omitempty" json:"owner,omitempty"`
	OwnerGroup   string     `bson:"ownerGroup,omitempty" json:"ownerGroup,omitempty"`
	EnteredBy    string     `bson:"enteredBy,omitempty" json:"enteredBy,omitempty"`
	Contact      *Contact   `bson:"contact,omitempty" json:"contact,omitempty"`
	Messages     []Message  `bson:"messages,omitempty" json:"messages"`
	SLA          *SLA       `bson:"sla,omitempty" json:"sla,omitempty"`
	Feedback     *Feedback  `bson:"feedback,omitempty" json:"feedback,omitempty"`
	ResolvedAt   *time.Time `bson:"resolvedAt,omitempty" json:"resolvedAt,omitempty"`
	Reopens      int        `bson:"reopens" json:"reopens"`
	StatusBefore Status     `bson:"statusBefore,omitempty" json:"-"`
	// Language is the requester's language (en or fa): what they wrote
	// in, or their portal's language. Messages to them use it.
	Language string `bson:"language,omitempty" json:"language,omitempty"`
	// Attachments are the files attached to the request, its messages and
	// its form fields (attachments.go).
	Attachments []Attachment `bson:"attachments,omitempty" json:"attachments,omitempty"`

	// KPI is what the request adds to the KPIs (kpifacts.go), derived on
	// every write.
	KPI KPIFacts `bson:",inline" json:"-"`

	// Archived is set on a request read from the archive: it is closed,
	// and a step that changes it moves it back to the working collection.
	Archived bool `bson:"-" json:"archived,omitempty"`
	// Idempotency is set on a request filed under an idempotency key.
	Idempotency *Idempotency `bson:"idempotency,omitempty" json:"-"`
	// Replayed is set on the request a retried submission got back: the
	// one its first sending filed.
	Replayed bool `bson:"-" json:"-"`
}

// forRules is the request as rules see it (request.id, .type, ...).
func (r *Request) forRules() rules.Request {
	typ := r.Form.Key
	if r.Type != nil {
		typ = r.Type.Key
	}
	return rules.Request{
		ID: r.ID, Type: typ, Owner: r.Owner, Channel: string(r.Channel), Priority: r.Priority,
		Status: string(r.Status), CreatedAt: r.CreatedAt, Requester: r.Profile,
	}
}

// Requests accepts and finds requests.
type Requests struct {
	store Store
	defs  *Definitions
	now   func() time.Time
	// newCode makes tracking codes; tests replace it to force collisions.
	newCode func() string
	// secret keys the tracking codes of submissions with an idempotency
	// key.
	secret codeSecret
	scans  *scanClock
	staff  Staff
	// handoff is where writes hand due outbox items to this process's
	// dispatcher (nil while none runs).
	handoff atomic.Pointer[chan handedOff]
	limits  AttachmentLimits
	// inApp renders the in-app notifications a write stores with the
	// request (DeliverInApp); nil: the dispatcher sends them.
	inApp *Notifier
}

// NewRequests returns the requests service.
func NewRequests(store Store, defs *Definitions) *Requests {
	return &Requests{store: store, defs: defs, now: func() time.Time { return time.Now().UTC() }, newCode: NewTrackingCode, scans: newScanClock(),
		limits: AttachmentLimits{MaxSize: DefaultMaxAttachment, Types: DefaultAttachmentTypes}}
}

// DeliverInApp has a request stored together with the in-app
// notifications the write queues (a new request's first step, or a later
// step), where the store can write them in one write (NotifyingStore) and
// they are all an item sends (no mail or webhook reaches its recipients):
// they are there the moment the write is, recorded as sent in it, and the
// dispatcher has nothing to do for them. n renders them, as the dispatcher's notifier; a notification
// that also goes by mail or webhook is the dispatcher's, as before.
func (r *Requests) DeliverInApp(n *Notifier) { r.inApp = n }

// SubmitParams are the arguments of Submit.
type SubmitParams struct {
	// Type is the request type (catalog entry); Form a form key, for
	// forms no request type wraps (or the type of the same key).
	Type    string
	Form    string  // form key
	Data    any     // as decoded by forms.DecodeData
	Channel Channel // "" means ChannelAPI
	// Requester is who submitted: a username, or "key:<id>" for a system.
	Requester string
	// Profile describes the requester to the form's rules
	// (request.requester.segment, .department, .groups ...).
	Profile rules.Requester
	// Caller is who the request type's audience must admit: the
	// requester (not the agent entering it for them).
	Caller *Caller
	// EnteredBy is the agent who entered the request on the requester's
	// behalf (phone, walk-in, email triage).
	EnteredBy string
	// Contact is how to reach the requester.
	Contact *Contact
	// Language is the requester's language, "en" or "fa" ("" unknown).
	Language string
	// Attachments are uploads (Upload's ids) attached to the request, on
	// top of those the form's file fields hold. They must be loose
	// uploads of whoever submits (EnteredBy, else Requester).
	Attachments []string
	// IdempotencyKey, if set, makes sending the same submission again
	// return the request the first sending filed (idempotency.go).
	IdempotencyKey string
}

// check returns the channel (ChannelAPI if none) and the data of a
// submission, or why they cannot be.
func (p *SubmitParams) check() (Channel, map[string]any, error) {
	channel := p.Channel
	if channel == "" {
		channel = ChannelAPI
	}
	if !ValidChannel(channel) {
		return "", nil, invalidf("channel %q: use one of %v", channel, Channels)
	}
	data, ok := p.Data.(map[string]any)
	if !ok {
		return "", nil, invalidf("data must be a JSON object holding the form's fields")
	}
	if p.Type == "" && p.Form == "" {
		return "", nil, invalidf("name the request type (or the form) to submit")
	}
	return channel, data, nil
}

// maxCodeAttempts bounds tracking code retries. With 2^45 codes a single
// collision is already unlikely; several in a row mean something else is
// wrong (a broken random source), which must not loop forever.
const maxCodeAttempts = 8

// Submit validates data against the newest published version of the form
// and stores the request. It fails with *forms.ValidationError listing
// every failing field, ErrNotFound for an unknown form, ErrNotPublished for
// a form that is only a draft. A request that Submit returned is stored.
func (r *Requests) Submit(ctx context.Context, p SubmitParams) (*Request, error) {
	channel, data, err := p.check()
	if err != nil {
		return nil, err
	}
	// A retry of a submission filed already gets it back before anything
	// (owner, uploads, notifications) is done again.
	var keyed *keyedSubmission
	if p.IdempotencyKey != "" {
		var err error
		if keyed, err = r.keyed(ctx, &p); err != nil {
			return nil, err
		}
		if keyed.filed != nil {
			return keyed.filed, nil
		}
	}
	now := r.now().Truncate(time.Millisecond) // what the store keeps
	t, err := r.requestTypeFor(ctx, p.Type, p.Form)
	if err != nil {
		return nil, err
	}
	formKey, workflowKey := p.Form, p.Form
	if t != nil {
		if p.Form != "" && p.Form != t.Form {
			return nil, invalidf("request type %q is filed with form %q, not %q", t.Key, t.Form, p.Form)
		}
		if err := r.intake(ctx, t, channel, p.Caller, now); err != nil {
			return nil, err
		}
		formKey, workflowKey = t.Form, t.Form
		if t.Workflow != "" {
			workflowKey = t.Workflow
		}
	}
	form, err := r.defs.Form(ctx, formKey)
	if err != nil {
		return nil, err
	}
	submitted, err := newRequest(form, data, channel, p.Requester, p.Profile, now)
	if err != nil {
		return nil, err
	}
	submitted.EnteredBy, submitted.Contact = p.EnteredBy, p.Contact
	if p.Language == "en" || p.Language == "fa" {
		submitted.Language = p.Language
	}
	uploader := p.Requester
	if p.EnteredBy != "" {
		uploader = p.EnteredBy
	}
	fields := formUploads(form.Compiled, submitted.Data)
	claim, err := r.claimUploads(ctx, append(slices.Collect(maps.Keys(fields)), p.Attachments...), uploader, fields)
	if err != nil {
		return nil, err
	}
	if t != nil {
		submitted.Type = &FormRef{Key: t.Key, Version: t.Version}
		if err := r.chooseOwner(ctx, t, submitted, now); err != nil {
			return nil, err
		}
		if err := r.startSLA(ctx, t, submitted); err != nil {
			return nil, err
		}
	} else if p.EnteredBy != "" {
		submitted.Owner = p.EnteredBy
	}
	// The workflow's first step is taken before the request is stored, so
	// that the request is stored already routed: a crash can never leave
	// an accepted request that no workflow moves.
	w, err := r.workflowFor(ctx, workflowKey)
	if err != nil {
		return nil, err
	}
	req, err := r.insertNew(ctx, submitted, w, p.Requester, now, claim, fields, keyed)
	claim.done(ctx, err) // the uploads are bound to the request stored, or free again
	if err != nil || req.Replayed {
		return req, err
	}
	r.woken(ctx, nil, req, LeaseNone)
	r.countLoad(ctx, nil, req)
	return req, nil
}

// insertNew takes the first step of workflow w (if any) on submitted and
// stores it under a fresh tracking code, retrying with another code on a
// collision. The uploads claim holds are claimed for each code before the
// request that lists them is stored (see attachments.go).
func (r *Requests) insertNew(ctx context.Context, submitted *Request, w *CompiledWorkflow, actor string, now time.Time, claim *uploadClaim, fields map[string]string, keyed *keyedSubmission) (*Request, error) {
	for attempt := 1; ; attempt++ {
		req := submitted.clone()
		req.ID = r.newCode()
		if keyed != nil {
			req.ID, req.Idempotency = keyed.code, &Idempotency{Fingerprint: keyed.fingerprint}
		}
		if w != nil {
			env := r.stepEnv(ctx)
			env.Now = now
			var err error
			if req, err = w.Step(req, Signal{Kind: SignalStart, Actor: actor}, env); err != nil {
				return nil, err
			}
		}
		req.notifyRequester(now, "submitted", nil)
		if req.Owner != req.EnteredBy {
			req.queueNotify(now, "assigned", []string{req.Owner}, nil)
		}
		if err := r.deskPass(ctx, nil, req, now); err != nil {
			return nil, err
		}
		if err := claim.to(ctx, req.ID); err != nil {
			return nil, err
		}
		req.attach(claim.list(), fields, "", false, now)
		stored, err := r.insert(ctx, req, now)
		if err == nil {
			return stored, nil
		}
		if keyed != nil && errors.Is(err, ErrDuplicate) {
			// The same submission, sent again at the same time, won.
			filed, err := r.store.RequestGet(ctx, keyed.code)
			if err != nil {
				return nil, err
			}
			return replay(filed, keyed.fingerprint)
		}
		if !errors.Is(err, ErrDuplicate) || attempt == maxCodeAttempts {
			return nil, fmt.Errorf("store request: %w", err)
		}
	}
}

// insert stores req, a new request its first step was taken on: with the
// in-app notifications it sends in the same write where it can
// (DeliverInApp), else alone. It returns the request as stored.
func (r *Requests) insert(ctx context.Context, req *Request, now time.Time) (*Request, error) {
	if together, notes := r.deliverInApp(ctx, nil, req, now); together != nil {
		r.holdOutbox(together, now)
		err := r.store.(NotifyingStore).RequestInsertNotifying(ctx, together, notes)
		if !errors.Is(err, errors.ErrUnsupported) {
			return together, err
		}
	}
	r.holdOutbox(req, now)
	return req, r.store.RequestInsert(ctx, req)
}

// maxInAppWithRequest bounds the notifications written with a new
// request; those of an item that would pass it (a large group told at
// once) are the dispatcher's, so that no write grows without bound.
const maxInAppWithRequest = 100

// deliverInApp returns a copy of req, about to be written over prev (nil:
// a new request), in which the notify items it queued, due now, that send
// nothing but in-app notifications are recorded as sent, with those
// notifications; nil if there are none, or the store cannot write them
// with the request. An item it cannot resolve (a directory that fails)
// stays for the dispatcher, which retries it; so do the items prev had,
// which a dispatcher may be sending.
func (r *Requests) deliverInApp(ctx context.Context, prev, req *Request, now time.Time) (*Request, []*Notification) {
	if _, ok := r.store.(NotifyingStore); !ok || r.inApp == nil {
		return nil, nil
	}
	var out *Request
	var notes []*Notification
	at := now.Truncate(time.Millisecond)
	for i, item := range req.Outbox {
		if item.Status != OutboxPending || item.Next.After(now) || prev != nil && slices.ContainsFunc(prev.Outbox, func(o OutboxItem) bool { return o.ID == item.ID }) {
			continue
		}
		n, err := r.inApp.onlyInApp(ctx, req, item)
		if err != nil || len(n) == 0 || len(notes)+len(n) > maxInAppWithRequest {
			continue
		}
		if out == nil {
			out = req.clone()
		}
		sent := &out.Outbox[i]
		sent.Attempts, sent.Status, sent.SentAt = 1, OutboxSent, &at
		out.History = append(out.History, Event{At: at, Type: "sent", Node: item.Node, Detail: item.Kind + " " + item.ID})
		notes = append(notes, n...)
	}
	if out != nil {
		out.OutboxDue = outboxDue(out.Outbox)
	}
	return out, notes
}

// newRequest checks data against form and returns the request it makes,
// without an id. The form's rules see the request as it will be stored;
// the values they compute are stored with it and never recomputed.
func newRequest(form *PublishedForm, data map[string]any, channel Channel, requester string, profile rules.Requester, now time.Time) (*Request, error) {
	req := submittedRequest(form, channel, requester, profile, now)
	checked, err := form.Compiled.Check(data, req.rulesInput(now))
	if err != nil {
		return nil, err
	}
	stored, err := storable(checked)
	if err != nil {
		return nil, err
	}
	req.Data = stored.(map[string]any)
	return req, nil
}

// submittedRequest is a request as it is the moment it is submitted,
// without data: what the form's rules see of it.
func submittedRequest(form *PublishedForm, channel Channel, requester string, profile rules.Requester, now time.Time) *Request {
	ref := FormRef{Key: form.Key, Version: form.Version}
	return &Request{
		Form: ref, Channel: channel, Requester: requester, Status: StatusSubmitted,
		CreatedAt: now, UpdatedAt: now, Revision: 1, Profile: profile,
		History: []Event{{At: now, Type: EventSubmitted, Status: StatusSubmitted, Channel: channel, Form: &ref, Actor: requester}},
	}
}

// rulesInput is what the form's rules read of a request being submitted.
func (r *Request) rulesInput(now time.Time) rules.Input {
	return rules.Input{Now: now, Request: r.forRules()}
}

// FormEvaluation is what a form's rules make of data typed so far: the
// state of each field that has rules, by dotted path (forms.Evaluate).
type FormEvaluation struct {
	Form   FormRef
	Fields map[string]forms.FieldState
}

// EvaluateForm applies the rules of form p.Form (version, or the newest
// published if 0) to p.Data as Submit would if the data were submitted
// now by p.Requester through p.Channel, and stores nothing. A request
// type that wraps the form (p.Type, else the type of the form's key) must
// take the channel and admit p.Caller, as at submission; its hours are
// not checked, since typing is not filing. The data is not validated
// against the schema.
func (r *Requests) EvaluateForm(ctx context.Context, p SubmitParams, version int) (*FormEvaluation, error) {
	channel, data, err := p.check()
	if err != nil {
		return nil, err
	}
	if p.Form == "" {
		return nil, invalidf("name the form whose rules to evaluate")
	}
	t, err := r.requestTypeFor(ctx, p.Type, p.Form)
	if err != nil {
		return nil, err
	}
	if t != nil {
		if t.Form != p.Form {
			return nil, invalidf("request type %q is filed with form %q, not %q", t.Key, t.Form, p.Form)
		}
		if err := t.admit(channel, p.Caller); err != nil {
			return nil, err
		}
	}
	var form *PublishedForm
	if version == 0 {
		form, err = r.defs.Form(ctx, p.Form)
	} else {
		form, err = r.defs.FormVersion(ctx, p.Form, version)
	}
	if err != nil {
		return nil, err
	}
	now := r.now().Truncate(time.Millisecond)
	req := submittedRequest(form, channel, p.Requester, p.Profile, now)
	return &FormEvaluation{Form: req.Form, Fields: form.Compiled.Evaluate(data, req.rulesInput(now))}, nil
}

// Get returns a request by id.
func (r *Requests) Get(ctx context.Context, id string) (*Request, error) {
	req, err := r.store.RequestGet(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("request %q: %w", id, err)
	}
	return req, nil
}

// Track finds a request by a tracking code as a person typed it. A code that
// cannot exist (bad length, characters or check character) is ErrInvalid; a
// well-formed code nobody holds is ErrNotFound.
func (r *Requests) Track(ctx context.Context, typed string) (*Request, error) {
	code, ok := NormalizeTrackingCode(typed)
	if !ok {
		return nil, invalidf("%q is not a tracking code: a code is %d letters and digits, and its last character checks the others, so one was probably mistyped", typed, TrackingCodeLength)
	}
	req, err := r.store.RequestGet(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("tracking code: %w", err)
	}
	return req, nil
}

// storable converts decoded JSON into values every store keeps exactly:
// integers that fit become int64, other numbers float64.
func storable(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			s, err := storable(e)
			if err != nil {
				return nil, err
			}
			out[k] = s
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			s, err := storable(e)
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i, nil
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, invalidf("number %s is out of range", v)
		}
		return f, nil
	}
	return v, nil
}
