package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/pishkhan/pishkhan/forms"
)

// Notifications. A notify item in a request's outbox names recipients and
// either a desk template ("submitted", "reply", ...) or a workflow's own
// subject and body. The Notifier resolves the recipients to people and
// addresses and delivers through every channel that reaches each one:
//
//   - in-app: a notification in the user's list (users with an account);
//   - email: over SMTP, to the user's address or the requester's contact;
//   - webhook: a signed call to the notification webhook, for requesters
//     who came through a system (chat, social, mobile, partner, api), so
//     the bot answers them where they wrote.
//
// Every delivery carries an id derived from the item's, so a retry after a
// partial failure replaces the in-app notification rather than doubling
// it, and mail and webhook receivers can drop what they already have.

// Recipients a notification may name besides usernames.
const (
	RecipientRequester  = "requester"  // whoever filed the request
	RecipientOwner      = "owner"      // its owner (single point of contact)
	RecipientSupervisor = "supervisor" // the supervisor of the owner's group
	recipientGroup      = "group:"     // every active member of a group
)

// Notification is one in-app notification of one user.
type Notification struct {
	ID       string     `bson:"_id" json:"id"`
	User     string     `bson:"user" json:"-"`
	Request  string     `bson:"request" json:"request"`
	Event    string     `bson:"event,omitempty" json:"event,omitempty"`
	Subject  string     `bson:"subject" json:"subject"`
	Body     string     `bson:"body" json:"body"`
	Language string     `bson:"language" json:"language"`
	At       time.Time  `bson:"at" json:"at"`
	ReadAt   *time.Time `bson:"readAt,omitempty" json:"readAt,omitempty"`
}

// NotificationStore keeps in-app notifications.
type NotificationStore interface {
	// NotificationPut stores n, replacing one of the same id (a retried
	// delivery) but keeping when it was read.
	NotificationPut(ctx context.Context, n *Notification) error
	// NotificationsFor lists user's notifications, newest first, only the
	// unread ones if unread (at most limit).
	NotificationsFor(ctx context.Context, user string, unread bool, limit int) ([]*Notification, error)
	// NotificationsRead marks user's notifications ids (all of them if
	// ids is empty) read at at, and returns how many it marked.
	NotificationsRead(ctx context.Context, user string, ids []string, at time.Time) (int, error)
}

// Person is a user as notifications reach them.
type Person struct {
	Username string
	Name     string
	Email    string
	Language string
}

// Directory is who the staff are and how to reach them.
type Directory interface {
	Staff
	// Person returns an enabled user; ErrNotFound if there is none.
	Person(ctx context.Context, username string) (*Person, error)
	// Supervisor returns the supervisor of group ("" if it has none).
	Supervisor(ctx context.Context, group string) (string, error)
}

// Mail is one message for the Mailer to send.
type Mail struct {
	// ID is unique per message and stable across retries; Thread is the
	// tracking code the conversation is about.
	ID, Thread string
	ToName     string
	To         string
	Subject    string
	Body       string
	Language   string
}

// Mailer sends mail; an error means "try again later".
type Mailer interface {
	Send(ctx context.Context, m *Mail) error
}

// Notifier delivers notify items; it is the Dispatcher's Notify sender.
type Notifier struct {
	Requests  *Requests
	Directory Directory
	// Mailer sends email; nil: no email is sent.
	Mailer Mailer
	// Webhook and WebhookURL reach requesters who came through a system;
	// an empty URL: none are.
	Webhook    *WebhookSender
	WebhookURL string
	// BaseURL is where people open Pishkhan (links in messages); may be "".
	BaseURL string
	// Language is the language of people whose language is not known.
	Language string
}

// target is one person a notification goes to, and how.
type target struct {
	user    string // in-app, if set
	name    string
	email   string
	webhook bool
	lang    string
	contact *Contact // the requester's, on webhook calls
}

var errNoChannel = fmt.Errorf("%w: no channel reaches any recipient", errSkipped)

// Send implements Sender.
func (n *Notifier) Send(ctx context.Context, req *Request, item OutboxItem) error {
	targets, err := n.targets(ctx, req, item.To)
	if err != nil {
		return err
	}
	var errs []error
	delivered := 0
	for i, t := range targets {
		msg, err := n.render(ctx, req, item, t.lang)
		if err != nil {
			return fmt.Errorf("%w: %v", errSkipped, err) // a broken template does not get better on retry
		}
		key := fmt.Sprintf("%s.%d", item.ID, i+1)
		if t.user != "" {
			delivered++
			errs = append(errs, n.Requests.store.NotificationPut(ctx, inApp(req, item, t, msg)))
		}
		if t.email != "" && n.Mailer != nil {
			delivered++
			errs = append(errs, n.Mailer.Send(ctx, &Mail{ID: key, Thread: req.ID, ToName: t.name, To: t.email,
				Subject: msg.subject, Body: msg.body, Language: t.lang}))
		}
		if t.webhook && n.WebhookURL != "" && n.Webhook != nil {
			delivered++
			payload := map[string]any{"event": msg.event, "subject": msg.subject, "body": msg.body, "language": t.lang, "channel": req.Channel}
			if t.contact != nil {
				payload["contact"] = t.contact
			}
			errs = append(errs, n.Webhook.Send(ctx, req, OutboxItem{ID: key, Node: item.Node, URL: n.WebhookURL, Payload: payload}))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if delivered == 0 {
		return errNoChannel
	}
	return nil
}

// inApp is item's in-app notification of t, rendered as msg.
func inApp(req *Request, item OutboxItem, t target, msg rendered) *Notification {
	return &Notification{ID: item.ID + "/" + t.user, User: t.user, Request: req.ID, Event: msg.event,
		Subject: msg.subject, Body: msg.body, Language: t.lang, At: item.Next}
}

// onlyInApp returns the in-app notifications of item if they are all it
// sends: each of its recipients has an account, and no mail or webhook
// reaches any of them. Otherwise (or if it reaches nobody, or does not
// render) it returns none, and the dispatcher sends the item.
func (n *Notifier) onlyInApp(ctx context.Context, req *Request, item OutboxItem) ([]*Notification, error) {
	if item.Kind != OutboxNotify {
		return nil, nil
	}
	targets, err := n.targets(ctx, req, item.To)
	if err != nil {
		return nil, err
	}
	var notes []*Notification
	for _, t := range targets {
		if t.user == "" || t.email != "" && n.Mailer != nil || t.webhook && n.WebhookURL != "" && n.Webhook != nil {
			return nil, nil
		}
		msg, err := n.render(ctx, req, item, t.lang)
		if err != nil {
			return nil, nil
		}
		notes = append(notes, inApp(req, item, t, msg))
	}
	return notes, nil
}

// targets resolves an item's recipients, each person once.
func (n *Notifier) targets(ctx context.Context, req *Request, to []string) ([]target, error) {
	var out []target
	seen := map[string]bool{}
	add := func(t target) {
		// A person is their account if they have one (the requester who is
		// also the owner is told once), else their address.
		k := "user:" + t.user
		if t.user == "" {
			k = "mail:" + strings.ToLower(t.email)
		}
		if t.user == "" && t.email == "" && !t.webhook || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, t)
	}
	var users []string
	for _, x := range to {
		switch {
		case x == RecipientRequester || x == req.Requester && req.Requester != "":
			ts, err := n.requesterTargets(ctx, req)
			if err != nil {
				return nil, err
			}
			for _, t := range ts {
				add(t)
			}
		case x == RecipientOwner:
			users = append(users, req.Owner)
		case x == RecipientSupervisor:
			if req.OwnerGroup == "" || n.Directory == nil {
				continue
			}
			s, err := n.Directory.Supervisor(ctx, req.OwnerGroup)
			if err != nil {
				return nil, err
			}
			users = append(users, s)
		case strings.HasPrefix(x, recipientGroup):
			if n.Directory == nil {
				continue
			}
			members, err := n.Directory.Members(ctx, strings.TrimPrefix(x, recipientGroup))
			if err != nil {
				return nil, err
			}
			users = append(users, members...)
		default:
			users = append(users, x)
		}
	}
	for _, u := range users {
		if u == "" || n.Directory == nil || strings.Contains(u, ":") {
			continue
		}
		p, err := n.Directory.Person(ctx, u)
		if errors.Is(err, ErrNotFound) {
			continue // gone or disabled: nobody to tell
		}
		if err != nil {
			return nil, err
		}
		// Staff read in their own language, not the requester's.
		add(target{user: p.Username, name: p.Name, email: p.Email, lang: n.lang(p.Language, "")})
	}
	return out, nil
}

// requesterTargets is how the requester is reached: through the channel
// they came from where possible. A user gets the in-app notification and
// mail; a customer or a system's requester gets mail at their contact
// address, and a system channel's requester gets the notification webhook
// as well, for the bot to answer where they wrote.
func (n *Notifier) requesterTargets(ctx context.Context, req *Request) ([]target, error) {
	t := target{lang: n.lang(req.Language, ""), contact: req.Contact}
	if req.Contact != nil {
		t.name, t.email = req.Contact.Name, req.Contact.Email
	}
	switch {
	case strings.HasPrefix(req.Requester, "customer:"):
		c, err := n.Requests.store.CustomerGet(ctx, strings.TrimPrefix(req.Requester, "customer:"))
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		if c != nil {
			t.name = cmp(t.name, c.Name)
			t.email = cmp(t.email, c.Email)
			t.lang = n.lang(req.Language, c.Language)
		}
	case strings.HasPrefix(req.Requester, "key:"):
		if req.Contact == nil {
			return nil, nil // a system that filed for itself follows it by API
		}
	case req.Requester != "" && n.Directory != nil:
		p, err := n.Directory.Person(ctx, req.Requester)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		if p != nil {
			t.user, t.name = p.Username, cmp(t.name, p.Name)
			if req.Channel != ChannelEmail || t.email == "" {
				t.email = p.Email
			}
			t.lang = n.lang(req.Language, p.Language)
		}
	}
	t.webhook = req.Channel.viaSystem()
	return []target{t}, nil
}

// cmp returns a unless it is empty, else b.
func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (n *Notifier) lang(prefer, then string) string {
	for _, l := range []string{prefer, then, n.Language} {
		if l == "en" || l == "fa" {
			return l
		}
	}
	return "en"
}

// viaSystem reports whether requests come through this channel from a
// system (a bot or an app) that relays messages to the requester.
func (c Channel) viaSystem() bool {
	switch c {
	case ChannelChat, ChannelSocial, ChannelMobile, ChannelPartner, ChannelAPI:
		return true
	}
	return false
}

// rendered is a notification's text in one language.
type rendered struct{ event, subject, body string }

// view is what desk templates see.
type view struct {
	Code, Title, Name, Status, Message, Author, Goal, Due, TrackURL, RequestURL string
	Await                                                                       bool
}

// render writes the item in lang: a desk template, or the workflow's own
// subject and body (tagged with the tracking code so replies find it).
func (n *Notifier) render(ctx context.Context, req *Request, item OutboxItem, lang string) (rendered, error) {
	name, _ := item.Payload["template"].(string)
	if name == "" {
		subject := strings.TrimSpace(item.Subject.In(lang))
		return rendered{event: "workflow", subject: fmt.Sprintf("[#%s] %s", req.ID, subject), body: item.Body.In(lang)}, nil
	}
	t, ok := deskTemplates[name]
	if !ok {
		return rendered{}, fmt.Errorf("notify: no template %q", name)
	}
	v := view{Code: req.ID, Title: n.title(ctx, req, lang), Status: statusText(req.Status, lang)}
	if req.Contact != nil {
		v.Name = req.Contact.Name
	}
	if n.BaseURL != "" {
		base := strings.TrimRight(n.BaseURL, "/")
		v.TrackURL, v.RequestURL = base+"/track/"+req.ID, base+"/requests/"+req.ID
	}
	if id, _ := item.Payload["message"].(string); id != "" {
		for _, m := range req.Messages {
			if m.ID == id {
				v.Message, v.Author, v.Await = m.Body, m.Author, m.Await
			}
		}
	}
	if g, _ := item.Payload["goal"].(string); g != "" {
		v.Goal = goalText(g, lang)
		if req.SLA != nil {
			if c := req.SLA.clock(g); c != nil && c.Due != nil {
				v.Due = c.Due.UTC().Format("2006-01-02 15:04 UTC")
			}
		}
	}
	var subject, body strings.Builder
	tt := t[lang]
	if err := tt.subject.Execute(&subject, v); err != nil {
		return rendered{}, err
	}
	if err := tt.body.Execute(&body, v); err != nil {
		return rendered{}, err
	}
	return rendered{event: name, subject: subject.String(), body: body.String()}, nil
}

// title is the request type's title, or else its form's.
func (n *Notifier) title(ctx context.Context, req *Request, lang string) string {
	if req.Type != nil {
		if t, err := n.Requests.defs.RequestType(ctx, req.Type.Key, req.Type.Version); err == nil {
			return t.Title.In(lang)
		}
	}
	if f, err := n.Requests.defs.FormVersion(ctx, req.Form.Key, req.Form.Version); err == nil {
		return f.Title.In(lang)
	}
	return req.Form.Key
}

var statusTexts = map[Status]forms.Text{
	StatusSubmitted:         {"en": "submitted", "fa": "ثبت‌شده"},
	StatusInProgress:        {"en": "in progress", "fa": "در حال رسیدگی"},
	StatusReturned:          {"en": "returned to you for changes", "fa": "برای اصلاح به شما برگشت داده شده"},
	StatusWaiting:           {"en": "waiting", "fa": "در انتظار"},
	StatusAwaitingRequester: {"en": "waiting for your answer", "fa": "در انتظار پاسخ شما"},
	"approved":              {"en": "approved", "fa": "تأییدشده"},
	"rejected":              {"en": "rejected", "fa": "ردشده"},
	"resolved":              {"en": "resolved", "fa": "حل‌شده"},
	"closed":                {"en": "closed", "fa": "بسته‌شده"},
	"completed":             {"en": "completed", "fa": "انجام‌شده"},
}

// statusText is a status in words; a workflow's own statuses as named.
func statusText(s Status, lang string) string {
	if t, ok := statusTexts[s]; ok {
		return t.In(lang)
	}
	return string(s)
}

func goalText(g, lang string) string {
	switch g {
	case GoalFirstResponse:
		return forms.Text{"en": "first response", "fa": "اولین پاسخ"}.In(lang)
	case GoalResolution:
		return forms.Text{"en": "resolution", "fa": "حل"}.In(lang)
	}
	return g
}

// ReplyAbove is the line a requester's mail reply is cut at: what they
// write goes above it, the quoted message below.
const ReplyAbove = "--- Reply above this line · لطفاً بالای این خط پاسخ دهید ---"

type deskTemplate struct{ subject, body *template.Template }

// deskTemplates are the desk's messages, by name and language.
var deskTemplates = map[string]map[string]deskTemplate{}

func init() {
	texts := map[string]map[string][2]string{
		"submitted": {
			"en": {"[#{{.Code}}] We received your request: {{.Title}}",
				ReplyAbove + "\n\n{{with .Name}}Hello {{.}},\n\n{{end}}We received your request \"{{.Title}}\". Its tracking code is {{.Code}}; one person will look after it until it is done.\n{{with .TrackURL}}Follow it at {{.}}\n{{end}}\nTo add something, reply to this message."},
			"fa": {"[#{{.Code}}] درخواست شما ثبت شد: {{.Title}}",
				ReplyAbove + "\n\n{{with .Name}}{{.}} گرامی،\n\n{{end}}درخواست «{{.Title}}» شما ثبت شد. کد رهگیری آن {{.Code}} است و یک نفر تا پایان کار پیگیر آن خواهد بود.\n{{with .TrackURL}}پیگیری: {{.}}\n{{end}}\nبرای افزودن توضیح، به همین پیام پاسخ دهید."},
		},
		"reply": {
			"en": {"[#{{.Code}}] Re: {{.Title}}",
				ReplyAbove + "\n\n{{.Message}}\n\n— {{.Author}}{{if .Await}}\n\nWe are waiting for your answer: reply to this message.{{end}}"},
			"fa": {"[#{{.Code}}] پاسخ: {{.Title}}",
				ReplyAbove + "\n\n{{.Message}}\n\n— {{.Author}}{{if .Await}}\n\nمنتظر پاسخ شما هستیم: به همین پیام پاسخ دهید.{{end}}"},
		},
		"status": {
			"en": {"[#{{.Code}}] Your request is {{.Status}}: {{.Title}}",
				ReplyAbove + "\n\nYour request \"{{.Title}}\" ({{.Code}}) is now {{.Status}}.\n{{with .TrackURL}}Follow it at {{.}}\n{{end}}"},
			"fa": {"[#{{.Code}}] وضعیت درخواست شما: {{.Status}}",
				ReplyAbove + "\n\nدرخواست «{{.Title}}» ({{.Code}}) اکنون {{.Status}} است.\n{{with .TrackURL}}پیگیری: {{.}}\n{{end}}"},
		},
		"resolved": {
			"en": {"[#{{.Code}}] Your request is {{.Status}}: {{.Title}}",
				ReplyAbove + "\n\nYour request \"{{.Title}}\" ({{.Code}}) is {{.Status}}.\n\nHow did we do? Rate us from 1 to 5 and tell us whether you would recommend us{{with .TrackURL}} at {{.}}{{end}}. If it is not put right, you may reopen it there.\n"},
			"fa": {"[#{{.Code}}] درخواست شما {{.Status}}: {{.Title}}",
				ReplyAbove + "\n\nدرخواست «{{.Title}}» ({{.Code}}) {{.Status}} است.\n\nاز خدمات ما راضی بودید؟ از ۱ تا ۵ امتیاز دهید و بگویید ما را به دیگران پیشنهاد می‌کنید یا نه{{with .TrackURL}}: {{.}}{{end}}. اگر مشکل برطرف نشده، از همان‌جا می‌توانید آن را دوباره باز کنید.\n"},
		},
		"requester-wrote": {
			"en": {"[#{{.Code}}] The requester wrote: {{.Title}}", "{{.Message}}\n{{with .RequestURL}}\nOpen it at {{.}}\n{{end}}"},
			"fa": {"[#{{.Code}}] پیام درخواست‌کننده: {{.Title}}", "{{.Message}}\n{{with .RequestURL}}\nمشاهده: {{.}}\n{{end}}"},
		},
		"referral-answered": {
			"en": {"[#{{.Code}}] A referral is answered: {{.Title}}", "{{.Message}}\n\n— {{.Author}}\n{{with .RequestURL}}\nOpen it at {{.}}\n{{end}}"},
			"fa": {"[#{{.Code}}] پاسخ ارجاع: {{.Title}}", "{{.Message}}\n\n— {{.Author}}\n{{with .RequestURL}}\nمشاهده: {{.}}\n{{end}}"},
		},
		"assigned": {
			"en": {"[#{{.Code}}] You now own: {{.Title}}", "Request {{.Code}} (\"{{.Title}}\") is yours: you are its single point of contact.\n{{with .RequestURL}}Open it at {{.}}\n{{end}}"},
			"fa": {"[#{{.Code}}] مسئول این درخواست شدید: {{.Title}}", "درخواست {{.Code}} («{{.Title}}») به شما سپرده شد و شما پاسخ‌گوی آن هستید.\n{{with .RequestURL}}مشاهده: {{.}}\n{{end}}"},
		},
		"sla-warning": {
			"en": {"[#{{.Code}}] SLA warning: {{.Goal}} due {{.Due}}", "The {{.Goal}} goal of request {{.Code}} (\"{{.Title}}\") is due at {{.Due}}.\n{{with .RequestURL}}Open it at {{.}}\n{{end}}"},
			"fa": {"[#{{.Code}}] هشدار SLA: مهلت {{.Goal}} {{.Due}}", "مهلت {{.Goal}} درخواست {{.Code}} («{{.Title}}») در {{.Due}} به پایان می‌رسد.\n{{with .RequestURL}}مشاهده: {{.}}\n{{end}}"},
		},
		"sla-breach": {
			"en": {"[#{{.Code}}] SLA breached: {{.Goal}}", "The {{.Goal}} goal of request {{.Code}} (\"{{.Title}}\") was due at {{.Due}} and is not met.\n{{with .RequestURL}}Open it at {{.}}\n{{end}}"},
			"fa": {"[#{{.Code}}] نقض SLA: {{.Goal}}", "مهلت {{.Goal}} درخواست {{.Code}} («{{.Title}}») در {{.Due}} گذشت و انجام نشد.\n{{with .RequestURL}}مشاهده: {{.}}\n{{end}}"},
		},
	}
	for name, langs := range texts {
		deskTemplates[name] = map[string]deskTemplate{}
		for lang, st := range langs {
			deskTemplates[name][lang] = deskTemplate{
				subject: template.Must(template.New(name + "." + lang + ".subject").Parse(st[0])),
				body:    template.Must(template.New(name + "." + lang + ".body").Parse(st[1])),
			}
		}
	}
}

// queueNotify queues a notification of a desk event to the requester, the
// owner of a request the requester wrote on, or a new owner.
func (r *Request) queueNotify(now time.Time, template string, to []string, payload map[string]any) {
	to = slices.DeleteFunc(slices.Clone(to), func(s string) bool { return s == "" })
	if len(to) == 0 {
		return
	}
	p := map[string]any{"template": template}
	for k, v := range payload {
		p[k] = v
	}
	r.Outbox = append(r.Outbox, OutboxItem{
		ID: fmt.Sprintf("%s-n%d-%s", r.ID, len(r.Outbox)+1, template), Kind: OutboxNotify, Node: "desk", To: to,
		Payload: p, Status: OutboxPending, Next: now,
	})
}

// Notifications lists user's in-app notifications, newest first (only
// the unread ones if unread), at most limit (1 to 200).
func (r *Requests) Notifications(ctx context.Context, user string, unread bool, limit int) ([]*Notification, error) {
	if limit < 1 || limit > 200 {
		return nil, invalidf("limit: 1 to 200, not %d", limit)
	}
	return r.store.NotificationsFor(ctx, user, unread, limit)
}

// MarkNotificationsRead marks user's notifications ids read (all of them
// if ids is empty) and returns how many were unread.
func (r *Requests) MarkNotificationsRead(ctx context.Context, user string, ids []string) (int, error) {
	if len(ids) > 200 {
		return 0, invalidf("ids: at most 200 at once")
	}
	return r.store.NotificationsRead(ctx, user, ids, r.now().Truncate(time.Millisecond))
}
