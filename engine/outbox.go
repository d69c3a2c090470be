package engine

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// The outbox: side effects a step wrote into the request document, sent
// afterwards by a dispatcher. A process claims a request whose outbox is
// due with a lease, sends, and records the results with a write guarded by
// the revision; a crash anywhere in between only means an item is sent
// again, under the same idempotency key (the item's id). For the same
// reason the dispatcher's writes are AtLeastOnce (store.go): a store may
// acknowledge them before they are on disk.

// Sender delivers one outbox item; an error means "try again later".
type Sender interface {
	Send(ctx context.Context, req *Request, item OutboxItem) error
}

// OutboxSkipped marks a notification no channel was configured for.
const OutboxSkipped = "skipped"

// Dispatcher sends outbox items.
type Dispatcher struct {
	Requests *Requests
	Webhook  Sender
	// Notify sends notifications; nil marks them skipped.
	Notify Sender
	// MaxAttempts is how many failed sends make an item an incident.
	MaxAttempts int
	// Backoff is the wait after the first failure; it doubles after each
	// further one, up to an hour.
	Backoff time.Duration
	Logger  *slog.Logger
}

// outboxLease is how long a process holds a request whose outbox it sends.
const outboxLease = time.Minute

// Dispatch sends every due outbox item on every request and returns how
// many items it tried.
func (d *Dispatcher) Dispatch(ctx context.Context) (int, error) {
	ctx = AtLeastOnce(ctx)
	tried := 0
	_, err := d.Requests.pollDue(ctx, LeaseOutbox, outboxLease, func(req *Request) (*Request, error) {
		stored, n, err := d.sendDue(ctx, req)
		tried += n
		return stored, err
	})
	return tried, err
}

// sendDue sends the due items of req, which this process holds the outbox
// lease of, records the results and returns the request as stored and how
// many items it tried.
func (d *Dispatcher) sendDue(ctx context.Context, req *Request) (*Request, int, error) {
	now := d.Requests.now()
	results := map[string]error{}
	for _, item := range req.Outbox {
		if item.Status != OutboxPending || item.Next.After(now) {
			continue
		}
		results[item.ID] = d.send(ctx, req, item)
	}
	if ctx.Err() != nil {
		// Stopping: what was sent is sent again by whoever claims the
		// request next, under the same idempotency keys.
		return nil, len(results), ctx.Err()
	}
	stored, err := d.record(ctx, req, results)
	return stored, len(results), err
}

// Handing off. A write that makes a request's outbox due now hands the
// request's id to its own process's dispatcher, which sends at once, and
// moves the shared wake-up time only to handoffGrace from now: if this
// process dies before sending, the pollers of every process find the item
// then. Without the handoff every submission (it queues the requester's
// tracking-code message) would make every process look at every open
// request on its next poll.
//
// A new request is stored already claimed for its process's dispatcher
// (holdOutbox): its outbox lease, until handoffGrace from now, is in the
// insert, so the dispatcher sends without a claim of its own, one write
// fewer per submission. Nobody else can hold the lease of a request not
// yet stored. If the process dies first, the lease has run out when the
// wake-up time brings the other processes' pollers to it.

// handoffGrace is how long a handed-off item waits before the other
// processes' pollers look for it, and how long an insert holds the lease.
const handoffGrace = 30 * time.Second

// heldLeft is how much of the lease an insert took must be left for the
// dispatcher to send under it; with less, it claims the request anew.
const heldLeft = 20 * time.Second

// handoffQueue bounds the ids waiting for the local dispatcher; a write
// that finds it full lowers the wake-up time as if nobody listened.
const handoffQueue = 1024

// handedOff is a request as written, for the local dispatcher; held if
// the write took the outbox lease for it.
type handedOff struct {
	req  *Request
	held bool
}

// holdOutbox makes new, a request about to be stored, hold its own
// outbox lease if its outbox is due at now and this process's dispatcher
// is there to take it.
func (r *Requests) holdOutbox(new *Request, now time.Time) {
	ch := r.handoff.Load()
	if ch != nil && len(*ch) < cap(*ch) && new.OutboxDue != nil && !new.OutboxDue.After(now) {
		new.OutboxLease = now.Add(handoffGrace)
	}
}

// handOff offers req, as just written over prev (nil: inserted), whose
// outbox is due at due, to this process's dispatcher, and reports whether
// it took it, and whether the write holds the lease for it.
func (r *Requests) handOff(prev, req *Request, due time.Time) (taken, held bool) {
	ch := r.handoff.Load()
	now := r.now()
	if ch == nil || due.After(now) {
		return false, false
	}
	// The writer's caller keeps its own copy.
	item := handedOff{req: req.clone(), held: prev == nil && req.OutboxLease.After(now)}
	select {
	case *ch <- item:
		return true, item.held
	default:
		return false, false
	}
}

// maxHandedOffBatch bounds the handed-off requests the dispatcher takes
// from its queue at once.
const maxHandedOffBatch = 64

// dispatchHandedOff sends the outboxes of the requests handed off to this
// process's dispatcher, as they come. For those whose insert took the
// lease, the writer left the shared wake-up time alone, so that a
// submission is answered without waiting for that write: the dispatcher
// lowers it to the grace from now, once for all it took from the queue
// together, before it sends. A process that dies before that leaves the
// wake-up time late, as one that dies between a write and its lowering
// does: every process looks at the requests at start and every
// fullScanEvery (wake.go).
func (d *Dispatcher) dispatchHandedOff(ctx context.Context, ch chan handedOff) {
	ctx = AtLeastOnce(ctx)
	r := d.Requests
	batch := make([]handedOff, 0, maxHandedOffBatch)
	lower := func() {
		for _, item := range batch {
			if item.held {
				if err := r.store.WakeLower(context.WithoutCancel(ctx), LeaseOutbox, r.now().Add(handoffGrace)); err != nil {
					r.scans.forceScan(LeaseOutbox)
				}
				return
			}
		}
	}
	for {
		batch = batch[:0]
		select {
		case <-ctx.Done():
			// Stopping: the requests still queued are found by the
			// pollers, once their leases run out.
			for len(batch) < cap(batch) && len(ch) > 0 {
				batch = append(batch, <-ch)
			}
			lower()
			return
		case item := <-ch:
			batch = append(batch, item)
		}
		for len(batch) < cap(batch) && len(ch) > 0 {
			batch = append(batch, <-ch)
		}
		lower()
		for _, item := range batch {
			if err := d.dispatchOne(ctx, item); err != nil && ctx.Err() == nil && d.Logger != nil {
				d.Logger.Error("outbox", "err", err)
			}
		}
	}
}

// dispatchOne sends the due outbox items of one handed-off request. It
// sends under the lease the insert took, if enough of it is left;
// otherwise it claims the request as the writer left it, with one guarded
// write, and if anything wrote it since, it claims it afresh. A step
// that queued more items while it was sending could not hand them over
// (the request was held): once the sends are recorded and the lease
// given back, it goes on with those too, up to maxDispatchRounds times.
func (d *Dispatcher) dispatchOne(ctx context.Context, item handedOff) error {
	r := d.Requests
	written, held := item.req, item.held
	id := written.ID
	for round := 1; ; round++ {
		now := r.now()
		until := now.Add(outboxLease)
		req := written
		var err error
		switch {
		case held && written.OutboxLease.After(now.Add(heldLeft)):
		case held || written.OutboxLease.Before(now):
			err = r.store.RequestClaimAsWritten(ctx, LeaseOutbox, written, until)
		default:
			err = ErrNotFound
		}
		if errors.Is(err, ErrNotFound) {
			req, err = r.store.RequestClaim(ctx, LeaseOutbox, id, now, until)
		}
		if errors.Is(err, ErrNotFound) {
			return nil // sent already, or another process holds it
		}
		if err != nil {
			return err
		}
		stored, _, err := d.sendDue(ctx, req)
		if ctx.Err() != nil {
			_ = r.store.RequestRelease(context.WithoutCancel(ctx), id, LeaseOutbox, now.Add(outboxLease))
			return nil
		}
		if err != nil {
			// The lease runs out and the grace has set the pollers on it.
			return fmt.Errorf("request %s: outbox: %w", id, err)
		}
		due := stored.OutboxDue
		if due == nil {
			return nil
		}
		if !due.After(r.now()) && round < maxDispatchRounds {
			written, held = stored, false // queued by a step meanwhile
			continue
		}
		// A failed item's retry time, or more than this dispatcher goes on
		// with now.
		if err := r.store.WakeLower(ctx, LeaseOutbox, *due); err != nil {
			r.scans.forceScan(LeaseOutbox)
		}
		return nil
	}
}

// maxDispatchRounds bounds the rounds dispatchOne makes on one request.
const maxDispatchRounds = 4

var errSkipped = errors.New("no notification channel is configured")

func (d *Dispatcher) send(ctx context.Context, req *Request, item OutboxItem) error {
	sender := d.Webhook
	if item.Kind == OutboxNotify {
		sender = d.Notify
	}
	if sender == nil {
		return errSkipped
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	return sender.Send(ctx, req, item)
}

// record writes the results of the sends into req (as claimed, or as
// stored now if a write came in between), gives up the lease, and
// returns the request as stored.
func (d *Dispatcher) record(ctx context.Context, claimed *Request, results map[string]error) (*Request, error) {
	r := d.Requests
	for attempt := 1; ; attempt++ {
		req := claimed
		if attempt > 1 {
			var err error
			if req, err = r.Get(ctx, claimed.ID); err != nil {
				return nil, err
			}
		}
		next := req.clone()
		now := r.now().Truncate(time.Millisecond)
		for i := range next.Outbox {
			item := &next.Outbox[i]
			res, ok := results[item.ID]
			if !ok || item.Status != OutboxPending {
				continue
			}
			item.Attempts++
			switch {
			case res == nil:
				item.Status, item.SentAt, item.LastError = OutboxSent, &now, ""
				next.History = append(next.History, Event{At: now, Type: "sent", Node: item.Node, Detail: item.Kind + " " + item.ID})
			case errors.Is(res, errSkipped):
				item.Status, item.LastError = OutboxSkipped, res.Error()
				next.History = append(next.History, Event{At: now, Type: "not-sent", Node: item.Node, Detail: item.Kind + " " + item.ID + ": " + res.Error()})
			case item.Attempts >= d.maxAttempts():
				item.Status, item.LastError = OutboxFailed, res.Error()
				msg := fmt.Sprintf("%s %s failed %d times; last error: %v", item.Kind, item.ID, item.Attempts, res)
				next.Incidents = append(next.Incidents, Incident{ID: "i-" + item.ID, At: now, Node: item.Node, Outbox: item.ID, Message: msg})
				next.History = append(next.History, Event{At: now, Type: "incident", Node: item.Node, Detail: msg})
			default:
				item.LastError, item.Next = res.Error(), now.Add(d.backoff(item.Attempts))
			}
		}
		next.OutboxDue = outboxDue(next.Outbox)
		next.Revision = req.Revision + 1
		err := r.store.RequestUpdate(ctx, next, req.Revision, LeaseOutbox)
		if err == nil {
			r.woken(ctx, req, next, LeaseOutbox)
			r.archiveIfDone(ctx, next)
			return next, nil
		}
		if !errors.Is(err, ErrPreconditionFailed) || attempt == maxStepAttempts {
			return nil, err
		}
	}
}

func (d *Dispatcher) maxAttempts() int {
	if d.MaxAttempts > 0 {
		return d.MaxAttempts
	}
	return 8
}

// backoff is the wait after the n-th failure: Backoff, doubled each time,
// at most an hour.
func (d *Dispatcher) backoff(n int) time.Duration {
	b := d.Backoff
	if b <= 0 {
		b = 5 * time.Second
	}
	for i := 1; i < n && b < time.Hour; i++ {
		b *= 2
	}
	return min(b, time.Hour)
}

// Run dispatches every interval until ctx ends, and at once what this
// process's writes hand off.
func (d *Dispatcher) Run(ctx context.Context, interval time.Duration) {
	ch := make(chan handedOff, handoffQueue)
	d.Requests.handoff.Store(&ch)
	defer d.Requests.handoff.CompareAndSwap(&ch, nil)
	go d.dispatchHandedOff(ctx, ch)
	d.Requests.every(ctx, interval, func() {
		if _, err := d.Dispatch(ctx); err != nil && ctx.Err() == nil && d.Logger != nil {
			d.Logger.Error("outbox", "err", err)
		}
	})
}

// Webhook signature headers. The signature is HMAC-SHA256 over the
// timestamp, a dot and the body, so a receiver can refuse replays of old
// calls as well as forged ones.
const (
	HeaderSignature      = "X-Pishkhan-Signature"
	HeaderTimestamp      = "X-Pishkhan-Timestamp"
	HeaderIdempotencyKey = "Idempotency-Key"
)

// Sign returns the signature header value of body sent at timestamp.
func Sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// WebhookSender POSTs webhook items as signed JSON.
type WebhookSender struct {
	Client *http.Client
	Secret []byte
	Now    func() time.Time
}

// NewWebhookSender returns a sender that signs with secret, follows no
// redirects and gives up on a call after ten seconds.
func NewWebhookSender(secret []byte) *WebhookSender {
	return &WebhookSender{
		Secret: secret,
		Client: &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Now: time.Now,
	}
}

// Send implements Sender.
func (s *WebhookSender) Send(ctx context.Context, req *Request, item OutboxItem) error {
	body, err := json.Marshal(map[string]any{"id": item.ID, "request": req.ID, "node": item.Node, "payload": item.Payload})
	if err != nil {
		return err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, item.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(s.Now().Unix(), 10)
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("User-Agent", "Pishkhan-Webhook/1")
	hr.Header.Set(HeaderIdempotencyKey, item.ID)
	hr.Header.Set(HeaderTimestamp, ts)
	hr.Header.Set(HeaderSignature, Sign(s.Secret, ts, body))
	resp, err := s.Client.Do(hr)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s answered %s: %s", item.URL, resp.Status, bytes.TrimSpace(snippet))
	}
	return nil
}
