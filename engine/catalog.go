package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pishkhan/pishkhan/forms"
)

// The request catalog: request types say what may be asked for, by whom,
// through which channels and when, who owns it at intake, which SLA
// applies and how long the requester may reopen it. A request type wraps
// a form (what is asked) and a workflow (how it is handled); both are
// named by key and used in their newest published version.

// Kinds of the service desk's definitions.
const (
	KindRequestType Kind = "requesttype"
	KindSLAPolicy   Kind = "slapolicy"
)

// Interactions are the kinds of interaction a request type is (DOMAIN.md).
var Interactions = []string{"service", "order", "order-change", "inquiry", "support", "incident", "approval", "feedback", "complaint", "suggestion"}

// Channels a request may arrive through. Portal is a person at the
// self-service portal; api, chat, social, mobile and partner are systems
// and bots with API keys; phone and walk-in are entered by an agent on the
// requester's behalf; email arrives at Pishkhan's own mail listener.
const (
	ChannelEmail   Channel = "email"
	ChannelPhone   Channel = "phone"
	ChannelWalkIn  Channel = "walk-in"
	ChannelChat    Channel = "chat"
	ChannelSocial  Channel = "social"
	ChannelMobile  Channel = "mobile"
	ChannelPartner Channel = "partner"
)

// Channels lists every channel.
var Channels = []Channel{ChannelPortal, ChannelAPI, ChannelEmail, ChannelPhone, ChannelWalkIn, ChannelChat, ChannelSocial, ChannelMobile, ChannelPartner}

// OnBehalf reports whether requests on c are entered by staff for
// someone else.
func OnBehalf(c Channel) bool { return c == ChannelPhone || c == ChannelWalkIn }

// RequestType is a catalog entry as a process owner writes it.
type RequestType struct {
	Key         string     `json:"key"`
	Title       forms.Text `json:"title"`
	Description forms.Text `json:"description,omitempty"`
	Category    string     `json:"category,omitempty"`
	Interaction string     `json:"interaction"`
	// Form is the form requesters fill in; Workflow handles the request
	// (default: the workflow with the form's key, if one is published).
	Form     string `json:"form"`
	Workflow string `json:"workflow,omitempty"`
	// SLA chooses the SLA policy; none means no goals are measured.
	SLA *SLAChoice `json:"sla,omitempty"`
	// Channels the type may be requested through (none: all).
	Channels []Channel `json:"channels,omitempty"`
	// Audience limits who may submit it (none: whoever may submit).
	Audience *Audience `json:"audience,omitempty"`
	// Hours names, per channel, the calendar of its hours of operation;
	// a channel not named is open 24/7.
	Hours map[Channel]string `json:"hours,omitempty"`
	// Owner chooses the request's owner at intake.
	Owner *OwnerRule `json:"owner,omitempty"`
	// ReopenDays is how many days after resolution the requester may
	// reopen the request (0: never).
	ReopenDays int `json:"reopenDays,omitempty"`
	// Email lets the type be requested by mail (mailin.go).
	Email *EmailIntake `json:"email,omitempty"`

	mail *compiledEmail // Email, compiled
}

// SLAChoice names an SLA policy, or a rule set whose first matching row's
// output "policy" names it (by request type, priority, segment, channel).
type SLAChoice struct {
	Policy  string `json:"policy,omitempty"`
	RuleSet string `json:"ruleSet,omitempty"`
}

// Audience is who may submit a request type: anyone holding one of Roles,
// in one of Groups, or of one of Segments. Staff entering a request on a
// requester's behalf are not the audience: the requester is.
type Audience struct {
	Roles    []string `json:"roles,omitempty"`
	Groups   []string `json:"groups,omitempty"`
	Segments []string `json:"segments,omitempty"`
}

// Owner policies.
const (
	PickRoundRobin  = "round-robin"
	PickLeastLoaded = "least-loaded"
)

// OwnerRule chooses who owns a request from intake to close: the agent who
// entered it (EnteredBy, for phone and walk-in), else the user a rule set
// names (output "owner"), else a member of Group (or of the group the rule
// set's output "group" names) picked by Pick.
type OwnerRule struct {
	EnteredBy bool   `json:"enteredBy,omitempty"`
	RuleSet   string `json:"ruleSet,omitempty"`
	Group     string `json:"group,omitempty"`
	Pick      string `json:"pick,omitempty"`
}

// SLAPolicy is a set of goals in business time on one calendar.
type SLAPolicy struct {
	Key           string     `json:"key"`
	Title         forms.Text `json:"title"`
	Category      string     `json:"category,omitempty"`
	Calendar      string     `json:"calendar"`
	FirstResponse *GoalSpec  `json:"firstResponse,omitempty"`
	Resolution    *GoalSpec  `json:"resolution,omitempty"`
}

// GoalSpec is one goal: its target in business time ("4h", "1h30m"), the
// share of it after which it warns (0.8), and what happens on the warning
// and on the breach.
type GoalSpec struct {
	Target      string       `json:"target"`
	Warning     float64      `json:"warning,omitempty"`
	Escalations []Escalation `json:"escalations,omitempty"`
}

// Escalation is what the engine does when a goal warns or is breached:
// notify people ("owner", "supervisor", a user, "group:<key>"), raise the
// priority, give the request another owner.
type Escalation struct {
	On       string   `json:"on"` // "warning" or "breach"
	Notify   []string `json:"notify,omitempty"`
	Priority string   `json:"priority,omitempty"`
	Reassign string   `json:"reassign,omitempty"`
}

// Escalation moments.
const (
	OnWarning = "warning"
	OnBreach  = "breach"
)

// compiledPolicy is an SLA policy checked, with its targets parsed.
type compiledPolicy struct {
	SLAPolicy
	goals []compiledGoal
}

type compiledGoal struct {
	name   string
	target time.Duration
	spec   GoalSpec
}

func problem(pointer, detail string) forms.FieldError {
	return forms.FieldError{Pointer: pointer, Code: "definition", Params: map[string]any{"detail": detail}}
}

// published reports how a reference to a published definition failed,
// as a problem at pointer; nil if it is published.
func (d *Definitions) refProblem(ctx context.Context, kind Kind, key, pointer string) *forms.FieldError {
	if _, err := d.newest(ctx, kind, key); err != nil {
		what := map[Kind]string{KindForm: "form", KindWorkflow: "workflow", KindRuleSet: "rule set", KindCalendar: "calendar", KindSLAPolicy: "SLA policy"}[kind]
		p := problem(pointer, fmt.Sprintf("%s %q is not published", what, key))
		if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNotPublished) {
			p.Params["detail"] = fmt.Sprintf("%s %q: %v", what, key, err)
		}
		return &p
	}
	return nil
}

// compileRequestType checks a catalog entry: every reference published,
// every name known.
func (d *Definitions) compileRequestType(ctx context.Context, t RequestType, checking bool) (*compiled, error) {
	var problems []forms.FieldError
	add := func(p *forms.FieldError) {
		if p != nil {
			problems = append(problems, *p)
		}
	}
	if len(t.Title) == 0 {
		add(&forms.FieldError{Pointer: "/title", Code: "definition", Params: map[string]any{"detail": "a request type needs a title (en, fa)"}})
	}
	if !slices.Contains(Interactions, t.Interaction) {
		p := problem("/interaction", fmt.Sprintf("interaction %q: use one of %v", t.Interaction, Interactions))
		add(&p)
	}
	if t.Form == "" {
		p := problem("/form", "name the form requesters fill in")
		add(&p)
	} else {
		add(d.refProblem(ctx, KindForm, t.Form, "/form"))
	}
	if t.Workflow != "" {
		add(d.refProblem(ctx, KindWorkflow, t.Workflow, "/workflow"))
	}
	if s := t.SLA; s != nil {
		switch {
		case (s.Policy == "") == (s.RuleSet == ""):
			p := problem("/sla", "name either a policy or a ruleSet that chooses one")
			add(&p)
		case s.Policy != "":
			add(d.refProblem(ctx, KindSLAPolicy, s.Policy, "/sla/policy"))
		default:
			add(d.refProblem(ctx, KindRuleSet, s.RuleSet, "/sla/ruleSet"))
		}
	}
	for i, c := range t.Channels {
		if !slices.Contains(Channels, c) {
			p := problem(fmt.Sprintf("/channels/%d", i), fmt.Sprintf("channel %q: use one of %v", c, Channels))
			add(&p)
		}
	}
	for c, cal := range t.Hours {
		ptr := "/hours/" + string(c) // channel names hold no / or ~
		if !slices.Contains(Channels, c) {
			p := problem(ptr, fmt.Sprintf("channel %q: use one of %v", c, Channels))
			add(&p)
			continue
		}
		add(d.refProblem(ctx, KindCalendar, cal, ptr))
	}
	if a := t.Audience; a != nil {
		for i, r := range a.Roles {
			if !forms.ValidKey(r) {
				p := problem(fmt.Sprintf("/audience/roles/%d", i), fmt.Sprintf("%q is not a role name", r))
				add(&p)
			}
		}
		for i, g := range a.Groups {
			add(d.groupProblem(ctx, g, fmt.Sprintf("/audience/groups/%d", i)))
		}
	}
	if o := t.Owner; o != nil {
		if o.RuleSet != "" {
			add(d.refProblem(ctx, KindRuleSet, o.RuleSet, "/owner/ruleSet"))
		}
		if o.Group != "" {
			add(d.groupProblem(ctx, o.Group, "/owner/group"))
		}
		if o.Pick != "" && o.Pick != PickRoundRobin && o.Pick != PickLeastLoaded {
			p := problem("/owner/pick", fmt.Sprintf("pick %q: use %q or %q", o.Pick, PickRoundRobin, PickLeastLoaded))
			add(&p)
		}
		if o.Group == "" && o.RuleSet == "" && !o.EnteredBy {
			p := problem("/owner", "say who owns the request: enteredBy, a ruleSet, or a group to pick from")
			add(&p)
		}
	}
	if t.ReopenDays < 0 || t.ReopenDays > 365 {
		p := problem("/reopenDays", "reopenDays is 0 (never) to 365")
		add(&p)
	}
	t.mail = d.compileEmail(ctx, t.Key, t.Email, t.Form, checking, add)
	if t.Email != nil && !t.allows(ChannelEmail) {
		p := problem("/email", "the type takes mail, so its channels include email")
		add(&p)
	}
	if len(problems) > 0 {
		return nil, &forms.DefinitionError{Problems: problems}
	}
	return &compiled{title: t.Title, requestType: &t}, nil
}

func (d *Definitions) groupProblem(ctx context.Context, group, pointer string) *forms.FieldError {
	if d.groupExists == nil {
		return nil
	}
	if err := d.groupExists(ctx, group); err != nil {
		p := problem(pointer, fmt.Sprintf("group %q: %v", group, err))
		return &p
	}
	return nil
}

// compileSLAPolicy checks a policy: its calendar is published, targets
// are positive durations, warnings are shares, escalations are known.
func (d *Definitions) compileSLAPolicy(ctx context.Context, p SLAPolicy) (*compiled, error) {
	var problems []forms.FieldError
	add := func(fe forms.FieldError) { problems = append(problems, fe) }
	if p.Calendar == "" {
		add(problem("/calendar", "name the business calendar the goals count on"))
	} else if fe := d.refProblem(ctx, KindCalendar, p.Calendar, "/calendar"); fe != nil {
		add(*fe)
	}
	cp := &compiledPolicy{SLAPolicy: p}
	for _, g := range []struct {
		name string
		spec *GoalSpec
	}{{GoalFirstResponse, p.FirstResponse}, {GoalResolution, p.Resolution}} {
		if g.spec == nil {
			continue
		}
		at := "/" + g.name
		target, err := time.ParseDuration(g.spec.Target)
		switch {
		case err != nil:
			add(problem(at+"/target", fmt.Sprintf("target %q is not a duration such as 4h or 1h30m", g.spec.Target)))
		case target <= 0 || target > 10*365*24*time.Hour:
			add(problem(at+"/target", "a target is more than zero and at most ten years"))
		}
		if g.spec.Warning < 0 || g.spec.Warning >= 1 {
			add(problem(at+"/warning", "warning is the share of the target after which to warn, from 0 to below 1 (0.8)"))
		}
		for i, e := range g.spec.Escalations {
			ep := fmt.Sprintf("%s/escalations/%d", at, i)
			if e.On != OnWarning && e.On != OnBreach {
				add(problem(ep+"/on", fmt.Sprintf("on %q: use %q or %q", e.On, OnWarning, OnBreach)))
			}
			if e.On == OnWarning && g.spec.Warning == 0 {
				add(problem(ep+"/on", "a warning escalation needs the goal's warning share"))
			}
			if len(e.Notify) == 0 && e.Priority == "" && e.Reassign == "" {
				add(problem(ep, "an escalation notifies, raises the priority, or reassigns"))
			}
			if e.Reassign != "" && !validUsername(e.Reassign) {
				add(problem(ep+"/reassign", fmt.Sprintf("%q is not a username", e.Reassign)))
			}
		}
		cp.goals = append(cp.goals, compiledGoal{name: g.name, target: target, spec: *g.spec})
	}
	if p.FirstResponse == nil && p.Resolution == nil {
		add(problem("", "a policy has a firstResponse goal, a resolution goal, or both"))
	}
	if len(problems) > 0 {
		return nil, &forms.DefinitionError{Problems: problems}
	}
	return &compiled{title: p.Title, policy: cp}, nil
}

// PublishedRequestType is one published version of a request type.
type PublishedRequestType struct {
	RequestType
	Version int
}

// RequestType returns version number of request type key (0: newest).
func (d *Definitions) RequestType(ctx context.Context, key string, number int) (*PublishedRequestType, error) {
	c, number, err := d.published(ctx, KindRequestType, key, number)
	if err != nil {
		return nil, err
	}
	return &PublishedRequestType{RequestType: *c.requestType, Version: number}, nil
}

// slaPolicy returns version number of SLA policy key (0: newest).
func (d *Definitions) slaPolicy(ctx context.Context, key string, number int) (*compiledPolicy, int, error) {
	c, number, err := d.published(ctx, KindSLAPolicy, key, number)
	if err != nil {
		return nil, 0, err
	}
	return c.policy, number, nil
}

// Caller is who asks for the catalog or submits: their roles, groups and
// segment decide which request types they may submit.
type Caller struct {
	Subject string
	Roles   []string
	Groups  []string
	Segment string
	// System is an API key (a bot, a partner system).
	System bool
}

// admits reports whether the audience lets caller submit.
func (a *Audience) admits(c *Caller) bool {
	if c == nil || a == nil || len(a.Roles)+len(a.Groups)+len(a.Segments) == 0 {
		return true
	}
	for _, r := range c.Roles {
		if slices.Contains(a.Roles, r) {
			return true
		}
	}
	for _, g := range c.Groups {
		if slices.Contains(a.Groups, g) {
			return true
		}
	}
	return c.Segment != "" && slices.Contains(a.Segments, c.Segment)
}

// admit refuses a request of this type through channel, or by caller,
// whatever the time: the checks of intake that do not depend on hours.
func (t *RequestType) admit(channel Channel, caller *Caller) error {
	if !t.allows(channel) {
		return invalidf("request type %q is not taken through channel %q (it is through %v)", t.Key, channel, t.Channels)
	}
	if !t.Audience.admits(caller) {
		return notYoursf("request type %q is not offered to you", t.Key)
	}
	return nil
}

// allows reports whether the type may be requested through channel.
func (t *RequestType) allows(c Channel) bool {
	return len(t.Channels) == 0 || slices.Contains(t.Channels, c)
}

// ChannelHours is whether a channel of a request type is open now.
type ChannelHours struct {
	Channel Channel `json:"channel"`
	Open    bool    `json:"open"`
	// Calendar is the calendar of its hours ("" for 24/7).
	Calendar string `json:"calendar,omitempty"`
	// OpensAt is when a closed channel next opens.
	OpensAt *time.Time `json:"opensAt,omitempty"`
}

// CatalogEntry is a request type as the catalog lists it.
type CatalogEntry struct {
	Key         string         `json:"key"`
	Version     int            `json:"version"`
	Title       forms.Text     `json:"title"`
	Description forms.Text     `json:"description,omitempty"`
	Category    string         `json:"category"`
	Interaction string         `json:"interaction"`
	Form        FormRef        `json:"form"`
	Channels    []ChannelHours `json:"channels"`
}

// Catalog lists the published request types caller may submit through
// one of channels (all channels if none), with each channel's hours now.
// A nil caller sees every type (staff entering a request for someone).
func (r *Requests) Catalog(ctx context.Context, caller *Caller, channels []Channel) ([]CatalogEntry, error) {
	now := r.now()
	out := []CatalogEntry{}
	after := ""
	for {
		heads, err := r.defs.List(ctx, KindRequestType, after, 200)
		if err != nil {
			return nil, err
		}
		for _, h := range heads {
			if h.LatestVersion == 0 {
				continue
			}
			t, err := r.defs.RequestType(ctx, h.Key, 0)
			if err != nil {
				return nil, err
			}
			if !t.Audience.admits(caller) {
				continue
			}
			form, err := r.defs.Form(ctx, t.Form)
			if err != nil {
				continue // its form was withdrawn: nothing to fill in
			}
			e := CatalogEntry{Key: t.Key, Version: t.Version, Title: t.Title, Description: t.Description, Category: h.Category,
				Interaction: t.Interaction, Form: FormRef{Key: form.Key, Version: form.Version}}
			for _, c := range Channels {
				if !t.allows(c) || (len(channels) > 0 && !slices.Contains(channels, c)) {
					continue
				}
				hours, err := r.hours(ctx, &t.RequestType, c, now)
				if err != nil {
					return nil, err
				}
				e.Channels = append(e.Channels, hours)
			}
			if len(e.Channels) > 0 {
				out = append(out, e)
			}
		}
		if len(heads) < 200 {
			return out, nil
		}
		after = heads[len(heads)-1].Key
	}
}

// hours says whether channel c of type t is open at now.
func (r *Requests) hours(ctx context.Context, t *RequestType, c Channel, now time.Time) (ChannelHours, error) {
	h := ChannelHours{Channel: c, Open: true, Calendar: t.Hours[c]}
	if h.Calendar == "" {
		return h, nil
	}
	cal, _, err := r.defs.Calendar(ctx, h.Calendar, 0)
	if err != nil {
		return h, err
	}
	if h.Open = cal.Open(now); !h.Open {
		if at, err := cal.Add(now, 0); err == nil {
			h.OpensAt = &at
		}
	}
	return h, nil
}

// ErrClosed means the channel is outside its hours of operation.
var ErrClosed = errors.New("closed")

// intake checks that caller may submit request type t through channel
// now: the channel is allowed and open, the caller is in the audience.
func (r *Requests) intake(ctx context.Context, t *PublishedRequestType, channel Channel, caller *Caller, now time.Time) error {
	if err := t.admit(channel, caller); err != nil {
		return err
	}
	if channel == ChannelEmail {
		return nil // mail arrives when it arrives; it is never refused
	}
	h, err := r.hours(ctx, &t.RequestType, channel, now)
	if err != nil {
		return err
	}
	if !h.Open {
		when := ""
		if h.OpensAt != nil {
			when = "; it opens at " + h.OpensAt.UTC().Format(time.RFC3339)
		}
		return fmt.Errorf("%w: request type %q is outside its hours on channel %q%s", ErrClosed, t.Key, channel, when)
	}
	return nil
}

// requestTypeFor returns the published request type that a submission
// naming type key or form key falls under: the type itself, or the type
// with the form's key. Nil (and no error) for a form no type wraps.
func (r *Requests) requestTypeFor(ctx context.Context, typeKey, formKey string) (*PublishedRequestType, error) {
	key := typeKey
	if key == "" {
		key = formKey
	}
	t, err := r.defs.RequestType(ctx, key, 0)
	switch {
	case err == nil:
		if typeKey == "" && t.Form != formKey {
			return nil, nil // a type of that name wraps another form
		}
		return t, nil
	case typeKey == "" && (errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotPublished)):
		return nil, nil
	}
	return nil, err
}
