package engine

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pishkhan/pishkhan/rules"
)

// The service desk on top of the workflow: every request has one owner
// (its single point of contact) from intake to close, a conversation of
// public replies and internal notes, SLA goal clocks, and the requester's
// rating. Referrals are the workflow's tasks for other departments; the
// owner stays the owner through all of them.

// Contact is how to reach the requester, and what they prove themselves
// with when they track the request.
type Contact struct {
	Name  string `bson:"name,omitempty" json:"name,omitempty"`
	Email string `bson:"email,omitempty" json:"email,omitempty"`
	Phone string `bson:"phone,omitempty" json:"phone,omitempty"`
	// Handle is who the requester is on the system they wrote through
	// (a chat or social account id), for its bot to answer them.
	Handle string `bson:"handle,omitempty" json:"handle,omitempty"`
	// Customer is the customer profile the request was filed for.
	Customer string `bson:"customer,omitempty" json:"customer,omitempty"`
}

// Message kinds. A reply is the owner's public message to the requester;
// a note is internal (the requester never sees it); a requester message
// is the requester's own.
const (
	MessageReply     = "reply"
	MessageNote      = "note"
	MessageRequester = "requester"
)

// Message is one entry of a request's conversation.
type Message struct {
	ID      string    `bson:"id" json:"id"`
	At      time.Time `bson:"at" json:"at"`
	Kind    string    `bson:"kind" json:"kind"`
	Author  string    `bson:"author" json:"author"`
	Body    string    `bson:"body" json:"body"`
	Channel Channel   `bson:"channel,omitempty" json:"channel,omitempty"`
	// Await is set on a reply that asks the requester something: the
	// request waits on them (and its SLA clocks pause) until they answer.
	Await bool `bson:"await,omitempty" json:"await,omitempty"`
	// Attachments are the ids of the files sent with the message (the
	// request's Attachments describe them).
	Attachments []string `bson:"attachments,omitempty" json:"attachments,omitempty"`
	// Article is the knowledge article a reply was written from.
	Article string `bson:"article,omitempty" json:"article,omitempty"`
}

// SLA is the request's service level: the policy chosen at intake, the
// calendar its goals count on, one clock per goal, and the escalations
// already fired ("resolution:warning").
type SLA struct {
	Policy          string   `bson:"policy" json:"policy"`
	Version         int      `bson:"version" json:"version"`
	Calendar        string   `bson:"calendar" json:"calendar"`
	CalendarVersion int      `bson:"calendarVersion" json:"calendarVersion"`
	Clocks          []Clock  `bson:"clocks" json:"clocks"`
	Fired           []string `bson:"fired,omitempty" json:"fired,omitempty"`
}

// Feedback is the requester's rating of a resolved request.
type Feedback struct {
	CSAT    *int      `bson:"csat,omitempty" json:"csat,omitempty"`
	NPS     *int      `bson:"nps,omitempty" json:"nps,omitempty"`
	Comment string    `bson:"comment,omitempty" json:"comment,omitempty"`
	At      time.Time `bson:"at" json:"at"`
}

// StatusAwaitingRequester: the owner asked the requester something.
const StatusAwaitingRequester Status = "awaiting-requester"

// waitsOnRequester reports whether the request waits on its requester,
// which pauses its SLA clocks.
func (r *Request) waitsOnRequester() bool {
	return !r.Closed && (r.Status == StatusAwaitingRequester || r.Status == StatusReturned)
}

// Staff tells the desk who is in a group, to pick owners from.
type Staff interface {
	// Members lists the active users of group, in a stable order.
	Members(ctx context.Context, group string) ([]string, error)
}

// UseStaff gives the desk the directory it picks owners from.
func (r *Requests) UseStaff(s Staff) { r.staff = s }

// maxMessage bounds one message's text.
const maxMessage = 20000

func checkBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return "", invalidf("body: write the message")
	case !utf8.ValidString(body):
		return "", invalidf("body: not valid UTF-8")
	case utf8.RuneCountInString(body) > maxMessage:
		return "", invalidf("body: at most %d characters", maxMessage)
	}
	return body, nil
}

// newMessage checks a message's body and the uploads actor sends with it.
func (r *Requests) newMessage(ctx context.Context, body, actor string, uploads []string) (string, *uploadClaim, error) {
	body, err := checkBody(body)
	if err != nil {
		return "", nil, err
	}
	claim, err := r.claimUploads(ctx, uploads, actor, nil)
	return body, claim, err
}

// addMessage appends m to the conversation with the files claimed for it
// (internal ones with a note).
func (r *Request) addMessage(m Message, files *uploadClaim, internal bool) {
	m.ID = fmt.Sprintf("m%d", len(r.Messages)+1)
	for _, f := range files.list() {
		m.Attachments = append(m.Attachments, f.ID)
	}
	r.Messages = append(r.Messages, m)
	r.attach(files.list(), nil, m.ID, internal, m.At)
}

// ReplyParams are the arguments of Reply.
type ReplyParams struct {
	Actor string
	Body  string
	// Await asks the requester something: the request waits on them.
	Await bool
	// Attachments are loose uploads of the actor's to send with it.
	Attachments []string
	// Article is the knowledge article the reply was written from (the
	// body is the agent's own text); its use is counted.
	Article string
}

// Reply is the owner's public message to the requester. Only the owner
// replies: the requester hears one voice. With Await the request waits on
// the requester until they answer. The first reply meets the first
// response goal.
func (r *Requests) Reply(ctx context.Context, id string, p ReplyParams) (*Request, error) {
	if p.Article != "" {
		if a, err := r.store.ArticleGet(ctx, p.Article); err != nil || a.Archived {
			return nil, invalidf("article: there is no article %s in the knowledge base", p.Article)
		}
	}
	body, claim, err := r.newMessage(ctx, p.Body, p.Actor, p.Attachments)
	if err != nil {
		return nil, err
	}
	req, err := r.changeAttaching(ctx, id, claim, func(req *Request, now time.Time) (*Request, error) {
		switch {
		case req.Closed:
			return nil, conflictf("request %s is closed; the requester may reopen it", id)
		case req.Owner == "":
			return nil, conflictf("request %s has no owner yet; a supervisor assigns one", id)
		case req.Owner != p.Actor:
			return nil, notYoursf("only the request's owner (%s) replies to the requester; write an internal note instead", req.Owner)
		}
		next := req.clone()
		next.addMessage(Message{At: now, Kind: MessageReply, Author: p.Actor, Body: body, Await: p.Await, Article: p.Article}, claim, false)
		ev := Event{At: now, Type: "replied", Actor: p.Actor}
		if p.Await && next.Status != StatusAwaitingRequester {
			next.StatusBefore, next.Status = next.Status, StatusAwaitingRequester
			ev.Status = next.Status
		}
		next.History = append(next.History, ev)
		if next.SLA != nil {
			if c := next.SLA.clock(GoalFirstResponse); c != nil && c.Stopped == nil {
				cal, err := r.slaCalendar(ctx, next.SLA)
				if err != nil {
					return nil, err
				}
				c.Stop(cal, now)
			}
		}
		next.notifyRequester(now, "reply", map[string]any{"message": next.Messages[len(next.Messages)-1].ID})
		return next, nil
	})
	if err == nil && p.Article != "" {
		// Counted after the reply is stored: a crash in between loses one
		// count, never the reply, which names the article all the same.
		_ = r.store.ArticleUse(context.WithoutCancel(ctx), p.Article, r.now().Truncate(time.Millisecond))
	}
	return req, err
}

// NoteParams are the arguments of Note.
type NoteParams struct {
	Actor string
	Body  string
	// Attachments are loose uploads of the actor's, kept internal too.
	Attachments []string
}

// Note is an internal note on the request: any staff member who may read
// it may write one. The requester never sees notes, nor their files.
func (r *Requests) Note(ctx context.Context, id string, p NoteParams) (*Request, error) {
	body, claim, err := r.newMessage(ctx, p.Body, p.Actor, p.Attachments)
	if err != nil {
		return nil, err
	}
	return r.changeAttaching(ctx, id, claim, func(req *Request, now time.Time) (*Request, error) {
		next := req.clone()
		next.addMessage(Message{At: now, Kind: MessageNote, Author: p.Actor, Body: body}, claim, true)
		next.History = append(next.History, Event{At: now, Type: "noted", Actor: p.Actor})
		return next, nil
	})
}

// RequesterMessageParams are the arguments of RequesterMessage.
type RequesterMessageParams struct {
	Actor   string
	Body    string
	Channel Channel
	// Attachments are loose uploads of the requester's.
	Attachments []string
}

// RequesterMessage is the requester writing on their own request. It ends
// a wait on them.
func (r *Requests) RequesterMessage(ctx context.Context, id string, p RequesterMessageParams) (*Request, error) {
	body, claim, err := r.newMessage(ctx, p.Body, p.Actor, p.Attachments)
	if err != nil {
		return nil, err
	}
	return r.changeAttaching(ctx, id, claim, func(req *Request, now time.Time) (*Request, error) {
		switch {
		case req.Requester != p.Actor:
			return nil, notYoursf("only the requester writes as the requester; staff reply or write a note")
		case req.Closed:
			return nil, conflictf("request %s is closed; reopen it to write again", id)
		}
		next := req.clone()
		next.addMessage(Message{At: now, Kind: MessageRequester, Author: p.Actor, Body: body, Channel: p.Channel}, claim, false)
		ev := Event{At: now, Type: "requester-wrote", Actor: p.Actor, Channel: p.Channel}
		if next.Status == StatusAwaitingRequester {
			next.Status = next.StatusBefore
			if next.Status == "" {
				next.Status = StatusInProgress
			}
			next.StatusBefore = ""
			ev.Status = next.Status
		}
		next.History = append(next.History, ev)
		next.queueNotify(now, "requester-wrote", []string{next.Owner}, map[string]any{"message": next.Messages[len(next.Messages)-1].ID})
		return next, nil
	})
}

// SetOwner gives the request another owner: an explicit, recorded act of
// a supervisor (manager), or an agent of the owning group taking an
// unowned request for themselves.
func (r *Requests) SetOwner(ctx context.Context, id, actor string, actorGroups []string, manager bool, to, reason string) (*Request, error) {
	if !validUsername(to) {
		return nil, invalidf("to: %q is not a username", to)
	}
	return r.change(ctx, id, func(req *Request, now time.Time) (*Request, error) {
		if req.Closed {
			return nil, conflictf("request %s is closed", id)
		}
		taking := !manager && req.Owner == "" && to == actor && req.OwnerGroup != "" && slices.Contains(actorGroups, req.OwnerGroup)
		if !manager && !taking {
			return nil, notYoursf("ownership is reassigned by a supervisor (an agent may take an unowned request of their own group)")
		}
		if req.Owner == to {
			return nil, conflictf("%s already owns request %s", to, id)
		}
		next := req.clone()
		next.History = append(next.History, Event{At: now, Type: "owner-changed", Actor: actor, To: to, Detail: reason, Data: map[string]any{"from": req.Owner}})
		next.Owner = to
		if to != actor {
			next.queueNotify(now, "assigned", []string{to}, nil)
		}
		return next, nil
	})
}

func validUsername(s string) bool { return usernamePattern.MatchString(s) }

// countLoad keeps the owners' counts of open requests (least-loaded
// picking reads them) after next was written over prev (nil: new). A
// failure leaves a count off until the periodic recount; picking an
// owner is a heuristic and may be off by one for that long.
func (r *Requests) countLoad(ctx context.Context, prev, next *Request) {
	load := func(q *Request) string {
		if q == nil || q.Closed {
			return ""
		}
		return q.Owner
	}
	before, after := load(prev), load(next)
	if before == after {
		return
	}
	ctx = context.WithoutCancel(ctx) // the write is made; a caller gone does not undo it
	if before != "" {
		_ = r.store.LoadAdd(ctx, before, -1)
	}
	if after != "" {
		_ = r.store.LoadAdd(ctx, after, 1)
	}
}

// usernamePattern is the shape of a username (access.ValidUsername; the
// engine does not depend on the access package). Who exists is the
// caller's check.
var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// RateParams are the requester's answers to the satisfaction survey.
type RateParams struct {
	CSAT    *int
	NPS     *int
	Comment string
}

// Rate records the requester's rating of their resolved request, once.
func (r *Requests) Rate(ctx context.Context, id, actor string, p RateParams) (*Request, error) {
	switch {
	case p.CSAT == nil && p.NPS == nil:
		return nil, invalidf("give csat (1-5), nps (0-10) or both")
	case p.CSAT != nil && (*p.CSAT < 1 || *p.CSAT > 5):
		return nil, invalidf("csat: 1 (very unhappy) to 5 (very happy), not %d", *p.CSAT)
	case p.NPS != nil && (*p.NPS < 0 || *p.NPS > 10):
		return nil, invalidf("nps: 0 (would not recommend) to 10 (would), not %d", *p.NPS)
	case utf8.RuneCountInString(p.Comment) > 2000:
		return nil, invalidf("comment: at most 2000 characters")
	}
	return r.change(ctx, id, func(req *Request, now time.Time) (*Request, error) {
		switch {
		case req.Requester != actor:
			return nil, notYoursf("only the requester rates a request")
		case !req.Closed:
			return nil, conflictf("request %s is not resolved yet", id)
		case req.Feedback != nil && req.ResolvedAt != nil && !req.Feedback.At.Before(*req.ResolvedAt):
			return nil, conflictf("request %s was already rated", id)
		}
		next := req.clone()
		next.Feedback = &Feedback{CSAT: p.CSAT, NPS: p.NPS, Comment: strings.TrimSpace(p.Comment), At: now}
		next.History = append(next.History, Event{At: now, Type: "rated", Actor: actor})
		return next, nil
	})
}

// Reopen starts a resolved request's workflow again, if its requester
// asks within the request type's reopen period. The owner and the
// conversation stay; the resolution clock counts on from where it stopped.
func (r *Requests) Reopen(ctx context.Context, id, actor, reason string) (*Request, error) {
	reason, err := checkBody(reason)
	if err != nil {
		return nil, invalidf("reason: say why the request is reopened")
	}
	return r.change(ctx, id, func(req *Request, now time.Time) (*Request, error) {
		switch {
		case req.Requester != actor:
			return nil, notYoursf("only the requester reopens a request")
		case !req.Closed || req.Workflow == nil:
			return nil, conflictf("request %s is not resolved", id)
		}
		days := 0
		if req.Type != nil {
			t, err := r.defs.RequestType(ctx, req.Type.Key, req.Type.Version)
			if err != nil {
				return nil, err
			}
			days = t.ReopenDays
		}
		if req.ResolvedAt == nil || now.After(req.ResolvedAt.AddDate(0, 0, days)) || days == 0 {
			return nil, conflictf("request %s can no longer be reopened (reopening is allowed for %d days after resolution); submit a new request", id, days)
		}
		w, err := r.defs.Workflow(ctx, req.Workflow.Workflow, req.Workflow.Version)
		if err != nil {
			return nil, err
		}
		env := r.stepEnv(ctx)
		env.Now = now
		next, err := w.Step(req, Signal{Kind: SignalReopen, Actor: actor, Comment: reason}, env)
		if err != nil {
			return nil, err
		}
		next.Reopens++
		next.addMessage(Message{At: now, Kind: MessageRequester, Author: actor, Body: reason}, nil, false)
		return next, nil
	})
}

// change is the desk's read-modify-write: it loads request id, lets f
// make the next state, brings the SLA clocks up to date, and stores it
// guarded by the revision it read, redoing it on the fresh state if
// another write came first.
func (r *Requests) change(ctx context.Context, id string, f func(req *Request, now time.Time) (*Request, error)) (*Request, error) {
	return r.write(ctx, id, LeaseNone, nil, f)
}

// write is change that may also give up a lease, and may take the request
// already loaded (a claim returns it).
func (r *Requests) write(ctx context.Context, id string, release Lease, loaded *Request, f func(req *Request, now time.Time) (*Request, error)) (*Request, error) {
	recent, _ := r.store.(RecentStore)
	for attempt := 1; ; attempt++ {
		req := loaded
		loaded = nil
		fromRecent := false
		if req == nil && recent != nil {
			req = recent.RequestRecent(id)
			fromRecent = req != nil
			recent = nil // once: after a conflict, read
		}
		if req == nil {
			var err error
			if req, err = r.Get(ctx, id); err != nil {
				return nil, err
			}
		}
		now := r.now().Truncate(time.Millisecond)
		next, err := f(req, now)
		if err == nil {
			err = r.deskPass(ctx, req, next, now)
		}
		if err != nil && fromRecent {
			// The copy may be behind (a task another process opened):
			// only the stored request may refuse a step.
			attempt--
			continue
		}
		if err != nil {
			return nil, err
		}
		next.UpdatedAt = now
		next.Revision = req.Revision + 1
		if req.Archived {
			// A closed request acted on again (rated, reopened, a retried
			// call): back to the working collection, where steps happen.
			next.Archived = false
			err = r.store.RequestRestore(ctx, next)
			if errors.Is(err, ErrDuplicate) {
				err = ErrPreconditionFailed // someone moved it back first
			}
		} else {
			next, err = r.update(ctx, req, next, release, now)
		}
		if err == nil {
			r.woken(ctx, req, next, release)
			r.countLoad(ctx, req, next)
			r.archiveIfDone(ctx, next)
			return next, nil
		}
		if fromRecent && errors.Is(err, ErrPreconditionFailed) {
			attempt-- // the copy was overtaken: not an attempt
			continue
		}
		if !errors.Is(err, ErrPreconditionFailed) || attempt == maxStepAttempts {
			return nil, err
		}
	}
}

// update stores next over req, with the in-app notifications it queued
// where it can (DeliverInApp), else alone, and returns it as stored.
func (r *Requests) update(ctx context.Context, req, next *Request, release Lease, now time.Time) (*Request, error) {
	if together, notes := r.deliverInApp(ctx, req, next, now); together != nil {
		err := r.store.(NotifyingStore).RequestUpdateNotifying(ctx, together, req.Revision, release, notes)
		if !errors.Is(err, errors.ErrUnsupported) {
			return together, err
		}
	}
	return next, r.store.RequestUpdate(ctx, next, req.Revision, release)
}

// notifyRequester queues a message to the requester about what changed
// (template: "submitted", "reply", "status", "resolved").
func (r *Request) notifyRequester(now time.Time, template string, payload map[string]any) {
	if r.Requester == "" || strings.HasPrefix(r.Requester, "key:") && r.Contact == nil {
		return // a system that submitted for itself follows the request by API
	}
	r.queueNotify(now, template, []string{RecipientRequester}, payload)
}

// chooseOwner gives a new request of type t its owner by the type's owner
// rule: the agent who entered it, the user a rule set names, or a member
// of the group (the rule's or the rule set's) picked round robin or as
// the least loaded. A group with no active member leaves the request
// unowned in that group, for a supervisor to assign or a member to take.
func (r *Requests) chooseOwner(ctx context.Context, t *PublishedRequestType, req *Request, now time.Time) error {
	rule := t.Owner
	if rule == nil {
		req.Owner = req.EnteredBy
		return nil
	}
	if rule.EnteredBy && req.EnteredBy != "" {
		req.Owner = req.EnteredBy
		req.History = append(req.History, Event{At: now, Type: "owner-chosen", To: req.Owner, Detail: "entered by"})
		return nil
	}
	group, pick := rule.Group, rule.Pick
	var ref *RuleRef
	if rule.RuleSet != "" {
		rs, err := r.defs.RuleSet(ctx, rule.RuleSet, 0)
		if err != nil {
			return fmt.Errorf("owner rule set %q: %w", rule.RuleSet, err)
		}
		d, err := rs.Table.Evaluate(rules.Input{Form: req.Data, Request: req.forRules(), Now: now})
		if err != nil {
			return fmt.Errorf("owner rule set %q version %d: %w", rs.Key, rs.Version, err)
		}
		ref = &RuleRef{Key: rs.Key, Version: rs.Version, Rows: d.Matched}
		if len(d.Outputs) > 0 {
			if o, _ := d.Outputs[0]["owner"].(string); o != "" {
				req.Owner = o
				req.History = append(req.History, Event{At: now, Type: "owner-chosen", To: o, Rule: ref})
				return nil
			}
			if g, _ := d.Outputs[0]["group"].(string); g != "" {
				group = g
			}
		}
	}
	if group == "" {
		req.History = append(req.History, Event{At: now, Type: "owner-chosen", Rule: ref, Detail: "no owner: the rules named nobody"})
		return nil
	}
	req.OwnerGroup = group
	owner, err := r.pickMember(ctx, group, pick)
	if err != nil {
		return err
	}
	req.Owner = owner
	detail := pick
	if owner == "" {
		detail = "no active member in group " + group
	}
	req.History = append(req.History, Event{At: now, Type: "owner-chosen", To: owner, Rule: ref, Detail: detail, Data: map[string]any{"group": group}})
	return nil
}

// pickMember picks one active member of group: in turn (round robin, the
// default) or the one owning the fewest open requests (ties in turn).
func (r *Requests) pickMember(ctx context.Context, group, pick string) (string, error) {
	if r.staff == nil {
		return "", nil
	}
	members, err := r.staff.Members(ctx, group)
	if err != nil || len(members) == 0 {
		return "", err
	}
	turn, err := r.store.CounterNext(ctx, "owner/"+group)
	if err != nil {
		return "", err
	}
	start := int((turn - 1) % int64(len(members)))
	if pick != PickLeastLoaded {
		return members[start], nil
	}
	best, bestLoad := "", -1
	for i := range members {
		m := members[(start+i)%len(members)]
		n, err := r.store.OwnedOpen(ctx, m)
		if err != nil {
			return "", err
		}
		if bestLoad < 0 || n < bestLoad {
			best, bestLoad = m, n
		}
	}
	return best, nil
}
