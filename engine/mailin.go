package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// The email channel, engine side. A request type that takes mail names the
// addresses it is reached at and how its form's data is made from a mail:
// one expression per field, in which `form` is the mail (form.subject,
// form.body, form.from, form.fromName, form.to, form.date). The SMTP
// listener (package email) parses mail and hands it to ReceiveMail: a mail
// about a known request (its tracking code in the subject or the thread)
// becomes the requester's message on it, any other a new request.

// EmailIntake is how a request type takes mail.
type EmailIntake struct {
	// Addresses the type is reached at (each at most one type's).
	Addresses []string `json:"addresses"`
	// Data computes form fields from the mail: field name -> expression.
	Data map[string]string `json:"data"`
}

// mailFields is the mail as expressions see it (as `form`).
var mailEnv = rules.NewEnv(&rules.Field{Type: rules.TypeObject, Fields: map[string]*rules.Field{
	"from": {Type: rules.TypeString}, "fromName": {Type: rules.TypeString}, "to": {Type: rules.TypeString},
	"subject": {Type: rules.TypeString}, "body": {Type: rules.TypeString}, "date": {Type: rules.TypeString},
}})

// compiledEmail is an EmailIntake with its expressions compiled, in field
// order.
type compiledEmail struct {
	fields []string
	progs  []*rules.Program
}

// compileEmail checks a type's email intake: addresses well formed,
// expressions compiled and, when checking a draft, the addresses nobody
// else's and the data the expressions make from a sample mail valid for
// the form (a published version is not checked again: the form and the
// other types may have moved on since).
func (d *Definitions) compileEmail(ctx context.Context, key string, e *EmailIntake, formKey string, checking bool, add func(*forms.FieldError)) *compiledEmail {
	if e == nil {
		return nil
	}
	fail := func(ptr, detail string) {
		p := problem(ptr, detail)
		add(&p)
	}
	if len(e.Addresses) == 0 {
		fail("/email/addresses", "name the addresses mail for this type is sent to")
	}
	for i, a := range e.Addresses {
		n := NormalizeEmail(a)
		if n == "" {
			fail(fmt.Sprintf("/email/addresses/%d", i), fmt.Sprintf("%q is not an email address", a))
			continue
		}
		if !checking {
			continue
		}
		if other, err := d.typeForAddress(ctx, n); err == nil && other.Key != key {
			fail(fmt.Sprintf("/email/addresses/%d", i), fmt.Sprintf("%s is already the address of request type %q", n, other.Key))
		}
	}
	if len(e.Data) == 0 {
		fail("/email/data", "say how the form's fields are made from the mail (field: expression over form.subject, form.body, form.from ...)")
	}
	c := &compiledEmail{}
	for f := range e.Data {
		c.fields = append(c.fields, f)
	}
	sort.Strings(c.fields)
	ok := true
	for _, f := range c.fields {
		p, err := mailEnv.Compile(e.Data[f], rules.Any)
		if err != nil {
			fail("/email/data/"+pointerEscape(f), err.Error())
			ok = false
			continue
		}
		c.progs = append(c.progs, p)
	}
	if !ok || formKey == "" || !checking {
		return c
	}
	form, err := d.Form(ctx, formKey)
	if err != nil {
		return c // the form reference has its own problem
	}
	sample := InboundMail{From: "sample@example.org", FromName: "Sample Sender", To: "desk@example.org",
		Subject: "A sample subject line", Body: strings.Repeat("A sample message body. ", 4), Date: time.Now().UTC()}
	data, err := c.data(&sample)
	if err != nil {
		fail("/email/data", "on a sample mail: "+err.Error())
		return c
	}
	if _, err := form.Compiled.Check(data, rules.Input{Now: sample.Date}); err != nil {
		var ve *forms.ValidationError
		if errors.As(err, &ve) {
			for _, fe := range ve.Errors {
				fail("/email/data", fmt.Sprintf("a sample mail makes data the form %q refuses at %s: %s", formKey, fe.Pointer, fe.Message("en")))
			}
		} else {
			fail("/email/data", err.Error())
		}
	}
	return c
}

func pointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// data computes the form data of m.
func (c *compiledEmail) data(m *InboundMail) (map[string]any, error) {
	in := rules.Input{Form: m.fields(), Now: m.Date}
	out := map[string]any{}
	for i, p := range c.progs {
		v, err := p.Eval(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.fields[i], err)
		}
		if v != nil {
			out[c.fields[i]] = rules.PlainNumbers(v)
		}
	}
	return out, nil
}

// InboundMail is a mail to the desk, as the listener parsed it.
type InboundMail struct {
	From     string // the sender's address
	FromName string
	To       string // the desk address it was sent to
	Subject  string
	// Body is the new text: quoted earlier messages are cut off.
	Body string
	Date time.Time
	// Codes are tracking codes the mail is about, best first: from the
	// subject ([#CODE]) and the thread (In-Reply-To, References).
	Codes []string
	// Files came with the mail; each is kept on the request if its type
	// and size are accepted.
	Files []InboundFile
}

// InboundFile is a file that came with a mail.
type InboundFile struct {
	Name string
	Data []byte
}

func (m *InboundMail) fields() map[string]any {
	return map[string]any{"from": m.From, "fromName": m.FromName, "to": m.To, "subject": m.Subject, "body": m.Body,
		"date": m.Date.UTC().Format("2006-01-02")}
}

// language guesses the language a mail is written in: Persian if it has
// more Arabic-script letters than Latin ones.
func (m *InboundMail) language() string {
	arabic, latin := 0, 0
	for _, r := range m.Subject + " " + m.Body {
		switch {
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	if arabic > latin {
		return "fa"
	}
	return "en"
}

// typeForAddress returns the published request type that takes mail at
// address (normalized); ErrNotFound if none does.
func (d *Definitions) typeForAddress(ctx context.Context, address string) (*PublishedRequestType, error) {
	after := ""
	for {
		heads, err := d.List(ctx, KindRequestType, after, 200)
		if err != nil {
			return nil, err
		}
		for _, h := range heads {
			if h.LatestVersion == 0 {
				continue
			}
			t, err := d.RequestType(ctx, h.Key, 0)
			if err != nil {
				return nil, err
			}
			if t.Email != nil && slices.ContainsFunc(t.Email.Addresses, func(a string) bool { return NormalizeEmail(a) == address }) {
				return t, nil
			}
		}
		if len(heads) < 200 {
			return nil, fmt.Errorf("%w: no request type takes mail at %s", ErrNotFound, address)
		}
		after = heads[len(heads)-1].Key
	}
}

// TakesMailAt reports whether some request type takes mail at address.
func (r *Requests) TakesMailAt(ctx context.Context, address string) (bool, error) {
	n := NormalizeEmail(address)
	if n == "" {
		return false, nil
	}
	_, err := r.defs.typeForAddress(ctx, n)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// ReceiveMail files a mail: a message on the request it is about, if its
// sender is that request's requester, or else a new request of the type
// that takes mail at the address it was sent to. It returns the request
// and whether it is new. Errors: ErrNotYours (the sender is not the
// requester of the request the mail names), ErrConflict (that request is
// closed and may not be reopened), ErrNotFound (no type takes mail
// there), *forms.ValidationError (the mail does not make valid data).
func (r *Requests) ReceiveMail(ctx context.Context, m *InboundMail) (*Request, bool, error) {
	from := NormalizeEmail(m.From)
	if from == "" {
		return nil, false, invalidf("from: %q is not an email address", m.From)
	}
	for _, code := range m.Codes {
		req, err := r.Get(ctx, code)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if req, err = r.mailOnRequest(ctx, req, from, m); err != nil {
			return nil, false, err
		}
		return r.keepFiles(ctx, req, req.Messages[len(req.Messages)-1].ID, m.Files), false, nil
	}
	t, err := r.defs.typeForAddress(ctx, NormalizeEmail(m.To))
	if err != nil {
		return nil, false, err
	}
	ce := t.mail
	if ce == nil {
		return nil, false, fmt.Errorf("%w: request type %q takes no mail", ErrNotFound, t.Key)
	}
	data, err := ce.data(m)
	if err != nil {
		return nil, false, invalidf("the mail does not make %q data: %v", t.Key, err)
	}
	cust, err := r.IntakeCustomer(ctx, CustomerDetails{Name: m.FromName, Email: from})
	if err != nil {
		return nil, false, err
	}
	req, err := r.Submit(ctx, SubmitParams{
		Type: t.Key, Data: data, Channel: ChannelEmail,
		Requester: cust.Subject(), Profile: cust.Profile(), Caller: &Caller{Subject: cust.Subject(), Segment: cust.Segment},
		Contact:  &Contact{Name: cmp(strings.TrimSpace(m.FromName), cust.Name), Email: from, Customer: cust.ID},
		Language: cmp(cust.Language, m.language()),
	})
	if err != nil {
		return nil, false, err
	}
	return r.keepFiles(ctx, req, "", m.Files), true, nil
}

// keepFiles attaches a mail's files to req (with message, if the mail is
// a message on it), as the requester's. The mail is filed already, so
// nothing here fails it (a failure would have the sender's server send it
// again, and file it twice): a file that is refused, or that could not be
// stored, is left out and an internal note says so.
func (r *Requests) keepFiles(ctx context.Context, req *Request, message string, files []InboundFile) *Request {
	if len(files) == 0 {
		return req
	}
	var left []string
	for _, f := range files {
		if _, err := r.Upload(ctx, UploadParams{Name: f.Name, By: req.Requester, Body: bytes.NewReader(f.Data), Request: req.ID, Message: message}); err != nil {
			left = append(left, err.Error())
		}
	}
	if len(left) > 0 {
		if next, err := r.Note(ctx, req.ID, NoteParams{Actor: "email", Body: "Files of the mail not kept:\n- " + strings.Join(left, "\n- ")}); err == nil {
			return next
		}
	}
	if next, err := r.Get(ctx, req.ID); err == nil {
		return next
	}
	return req
}

// mailOnRequest adds a mail from its requester to req, reopening it first
// if it was resolved and may still be reopened.
func (r *Requests) mailOnRequest(ctx context.Context, req *Request, from string, m *InboundMail) (*Request, error) {
	if !r.sentByRequester(ctx, req, from) {
		return nil, notYoursf("mail about request %s is taken from its requester's address only", req.ID)
	}
	body := m.Body
	if strings.TrimSpace(body) == "" {
		body = m.Subject
	}
	if req.Closed {
		// Reopening records the mail as the requester's message.
		return r.Reopen(ctx, req.ID, req.Requester, body)
	}
	return r.RequesterMessage(ctx, req.ID, RequesterMessageParams{Actor: req.Requester, Body: body, Channel: ChannelEmail})
}

// sentByRequester reports whether address is the requester's: the
// request's contact, or the address of the user or customer who filed it.
func (r *Requests) sentByRequester(ctx context.Context, req *Request, address string) bool {
	if req.Contact != nil && NormalizeEmail(req.Contact.Email) == address {
		return true
	}
	if NormalizeEmail(req.Profile.Email) == address {
		return true
	}
	if id, ok := strings.CutPrefix(req.Requester, "customer:"); ok {
		if c, err := r.store.CustomerGet(ctx, id); err == nil && c.Email == address {
			return true
		}
	}
	return false
}
