package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// mailbox is an SMTP server that keeps every mail it receives: the mail
// servers of the requesters and the staff, on loopback.
type mailbox struct {
	addr string
	mu   sync.Mutex
	got  []*received
}

// received is one mail a mailbox got.
type received struct {
	to      string
	header  gomail.Header
	body    string
	subject string
}

func newMailbox(t *testing.T) *mailbox {
	t.Helper()
	m := &mailbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailboxSession{m: m}, nil }))
	srv.Domain = "mail.example.net"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return m
}

type mailboxSession struct {
	m  *mailbox
	to []string
}

func (s *mailboxSession) Reset()                               { s.to = nil }
func (s *mailboxSession) Logout() error                        { return nil }
func (s *mailboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailboxSession) Data(r io.Reader) error {
	mr, err := gomail.CreateReader(r)
	if err != nil {
		return err
	}
	part, err := mr.NextPart()
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(part.Body)
	subject, _ := mr.Header.Subject()
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	for _, to := range s.to {
		s.m.got = append(s.m.got, &received{to: to, header: mr.Header, body: string(body), subject: subject})
	}
	return nil
}

// await waits for a mail to to whose subject holds part.
func (m *mailbox) await(t *testing.T, to, part string) *received {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		m.mu.Lock()
		for _, r := range m.got {
			if r.to == to && strings.Contains(r.subject, part) {
				m.mu.Unlock()
				return r
			}
		}
		m.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var seen []string
	for _, r := range m.got {
		seen = append(seen, r.to+": "+r.subject)
	}
	t.Fatalf("no mail to %s about %q; got %q", to, part, seen)
	return nil
}

// sendMail delivers a message to the desk's listener as a mail server
// would and returns the listener's answer.
func sendMail(t *testing.T, addr, from, to, msg string) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.SendMail(from, []string{to}, strings.NewReader(strings.ReplaceAll(msg, "\n", "\r\n")))
}

func smtpCode(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

var codeInSubject = regexp.MustCompile(`\[#([0-9A-Z]{10})\]`)

// TestEmailChannelEndToEnd runs the desk's mail both ways over real SMTP
// on loopback: a mail to the complaints address becomes a request, the
// requester's mail server gets the tracking code in Persian (the language
// they wrote in), the owner's reply goes out as mail in the same thread,
// the requester's reply (threaded by In-Reply-To alone, quoted text and
// all) becomes their message and ends the wait; strangers, unknown
// addresses, autoresponders and mail that does not fill in the form are
// turned away or dropped, never filed.
func TestEmailChannelEndToEnd(t *testing.T) {
	box := newMailbox(t)
	c := newCrew(t, func(cfg *Config) {
		cfg.SMTPAddr, cfg.SMTPRelay, cfg.SMTPTLS = "127.0.0.1:0", box.addr, "none"
		cfg.MailFrom, cfg.PublicURL = "Pishkhan Desk <desk@pishkhan.local>", "https://desk.example.org"
		cfg.TimerInterval = 50 * time.Millisecond
	})
	stop, err := c.app.listenMail()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	desk := c.app.mailAddr.String()

	// A new mail, in Persian, becomes a complaint.
	err = sendMail(t, desk, "hamid@example.net", "complaints@pishkhan.local", `From: Hamid Nouri <hamid@example.net>
To: complaints@pishkhan.local
Subject: =?UTF-8?B?2KjYs9iq2Ycg2YXZhiDZhtix2LPbjNiv?=
Message-ID: <first@example.net>
Content-Type: text/plain; charset=utf-8

سفارش شماره ۱۲۳۴۵۶ من بعد از دو هفته هنوز نرسیده است.
`)
	if err != nil {
		t.Fatalf("the desk refused a new mail: %v", err)
	}
	ack := box.await(t, "hamid@example.net", "درخواست شما ثبت شد")
	m := codeInSubject.FindStringSubmatch(ack.subject)
	if m == nil {
		t.Fatalf("acknowledgement without a tracking code: %q", ack.subject)
	}
	code := m[1]
	if ids, _ := ack.header.MsgIDList("In-Reply-To"); len(ids) != 1 || ids[0] != code+"@pishkhan.local" {
		t.Errorf("acknowledgement thread: %v", ids)
	}
	if !strings.Contains(ack.body, code) || !strings.Contains(ack.body, "https://desk.example.org/track/"+code) {
		t.Errorf("acknowledgement body: %s", ack.body)
	}
	req := c.request(code)
	if req["channel"] != "email" || req["requester"] != "customer:e-hamid@example.net" || req["language"] != "fa" || req["owner"] != "ali" {
		t.Errorf("the mail's request: channel %v requester %v language %v owner %v", req["channel"], req["requester"], req["language"], req["owner"])
	}
	data := req["data"].(map[string]any)
	if !strings.Contains(data["description"].(string), "هنوز نرسیده") || data["contact"].(map[string]any)["name"] != "Hamid Nouri" {
		t.Errorf("data made from the mail: %v", data)
	}
	// The owner hears of it in the app and by mail.
	box.await(t, "ali@example.com", "You now own")
	notes := c.must(200, "ali", "GET", "/api/v1/notifications?unread=true", nil)
	if !strings.Contains(string(notes.raw), code) || notes.body["unread"].(float64) < 1 {
		t.Errorf("ali's notifications: %s", notes.raw)
	}

	// The owner's reply goes out in the thread and waits on the requester.
	c.must(201, "ali", "POST", "/api/v1/requests/"+code+"/messages", `{"kind": "reply", "body": "Could you send the order's postal code?", "await": true}`)
	reply := box.await(t, "hamid@example.net", "پاسخ")
	if !strings.Contains(reply.body, "postal code") {
		t.Errorf("reply mail: %s", reply.body)
	}
	replyID, _ := reply.header.MessageID()

	// The requester answers with Reply: to the desk's own address, which
	// names no request type; their client keeps only In-Reply-To and
	// quotes the reply below.
	from, _ := reply.header.AddressList("From")
	if len(from) != 1 || from[0].Address != "desk@pishkhan.local" {
		t.Fatalf("the desk's mail comes from %v", from)
	}
	err = sendMail(t, desk, "hamid@example.net", from[0].Address, fmt.Sprintf(`From: Hamid Nouri <HAMID@example.net>
To: desk@pishkhan.local
Subject: Re: my parcel
In-Reply-To: <%s>
Content-Type: multipart/mixed; boundary=XYZ

--XYZ
Content-Type: text/plain; charset=utf-8

The postal code is 1234567890.

On Mon, 23 Nov 2026 at 10:00, Pishkhan Desk <desk@pishkhan.local> wrote:
> %s
> Could you send the order's postal code?
--XYZ
Content-Type: application/pdf
Content-Disposition: attachment; filename="receipt.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoK
--XYZ
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="invoice.exe"
Content-Transfer-Encoding: base64

TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAA
--XYZ--
`, replyID, engine.ReplyAbove))
	if err != nil {
		t.Fatalf("the desk refused the requester's reply: %v", err)
	}
	req = c.request(code)
	msgs := req["messages"].([]any)
	var last map[string]any // the requester's latest message
	for _, m := range msgs {
		if m := m.(map[string]any); m["kind"] == "requester" {
			last = m
		}
	}
	if last["kind"] != "requester" || last["body"] != "The postal code is 1234567890." || last["channel"] != "email" {
		t.Errorf("the requester's mail on the request: %v", last)
	}
	if req["status"] == string(engine.StatusAwaitingRequester) {
		t.Errorf("the requester's mail did not end the wait")
	}
	// The PDF is kept with the message; the program is not, and a note
	// tells the staff so.
	files, _ := req["attachments"].([]any)
	if len(files) != 1 || files[0].(map[string]any)["name"] != "receipt.pdf" || files[0].(map[string]any)["message"] != last["id"] {
		t.Fatalf("the mail's files on the request: %v", files)
	}
	pdf := call(t, c.srv, "GET", "/api/v1/requests/"+code+"/attachments/"+files[0].(map[string]any)["id"].(string), nil, bearer(c.tokens["ali"])...)
	if pdf.status != 200 || !bytes.HasPrefix(pdf.raw, []byte("%PDF-1.4")) {
		t.Errorf("downloading the mailed PDF: %d %q", pdf.status, pdf.raw)
	}
	if !strings.Contains(mustJSON(t, req["messages"]), "invoice.exe") {
		t.Errorf("no note says the program was not kept: %v", req["messages"])
	}

	box.await(t, "ali@example.com", "The requester wrote")

	// Resolved (the owner rejects it): the requester is told in Persian
	// with the survey, rates it once and reopens it, by proving the
	// address without a login.
	task := c.inboxTask("ali", code, "assess")
	c.must(200, "ali", "POST", "/api/v1/tasks/"+task+"/claim", nil)
	c.must(200, "ali", "POST", "/api/v1/tasks/"+task+"/complete", `{"outcome": "reject", "comment": "Delivered on the 20th."}`)
	resolved := box.await(t, "hamid@example.net", "ردشده")
	if !strings.Contains(resolved.body, "امتیاز") {
		t.Errorf("the resolution mail carries no survey: %s", resolved.body)
	}
	c.must(403, "anonymous", "POST", "/api/v1/track/"+code+"/feedback", `{"email": "someone@example.net", "csat": 1}`)
	c.must(201, "anonymous", "POST", "/api/v1/track/"+code+"/feedback", `{"email": "hamid@example.net", "csat": 2, "nps": 3, "comment": "It had not arrived."}`)
	c.must(409, "anonymous", "POST", "/api/v1/track/"+code+"/feedback", `{"email": "hamid@example.net", "csat": 5}`)
	c.must(200, "anonymous", "POST", "/api/v1/track/"+code+"/reopen", `{"email": "hamid@example.net", "reason": "It still has not arrived."}`)
	if req := c.request(code); req["closed"] != false || req["reopens"].(float64) != 1 {
		t.Errorf("after reopening: closed %v reopens %v", req["closed"], req["reopens"])
	}

	// Resolved again; this time a mailed reply reopens it, and its text is
	// on the request once.
	task = c.inboxTask("ali", code, "assess")
	c.must(200, "ali", "POST", "/api/v1/tasks/"+task+"/claim", nil)
	c.must(200, "ali", "POST", "/api/v1/tasks/"+task+"/complete", `{"outcome": "reject"}`)
	before := len(c.request(code)["messages"].([]any))
	again := fmt.Sprintf("From: hamid@example.net\nTo: desk@pishkhan.local\nSubject: Re: [#%s] still nothing\n\nStill nothing has arrived.\n", code)
	if err := sendMail(t, desk, "hamid@example.net", "desk@pishkhan.local", again); err != nil {
		t.Fatalf("a mailed reply to a resolved request: %v", err)
	}
	req = c.request(code)
	msgs = req["messages"].([]any)
	if req["closed"] != false || req["reopens"].(float64) != 2 || len(msgs) != before+1 || msgs[len(msgs)-1].(map[string]any)["body"] != "Still nothing has arrived." {
		t.Errorf("after reopening by mail: closed %v reopens %v, %d messages (before %d): %v", req["closed"], req["reopens"], len(msgs), before, msgs[before:])
	}
	// The desk's address takes only replies: a new mail there is refused.
	if err := sendMail(t, desk, "x@example.net", "desk@pishkhan.local", "From: x@example.net\nSubject: hello\n\nA new question, not a reply.\n"); smtpCode(err) != 550 {
		t.Errorf("a new mail to the desk's own address: %v", err)
	}

	// Turned away: a stranger writing about the request, a mail to an
	// address no desk takes, a mail that does not fill in the form.
	stranger := fmt.Sprintf("From: someone@evil.example\nTo: complaints@pishkhan.local\nSubject: [#%s] cancel it\n\nCancel this complaint.\n", code)
	if err := sendMail(t, desk, "someone@evil.example", "complaints@pishkhan.local", stranger); smtpCode(err) != 550 {
		t.Errorf("a stranger's mail about the request: %v", err)
	}
	if err := sendMail(t, desk, "hamid@example.net", "ceo@pishkhan.local", "From: hamid@example.net\nSubject: hi\n\nhello there, anyone?\n"); smtpCode(err) != 550 {
		t.Errorf("a mail to an unknown address: %v", err)
	}
	if err := sendMail(t, desk, "x@example.net", "complaints@pishkhan.local", "From: x@example.net\nSubject: hi\n\n"); smtpCode(err) != 550 || !strings.Contains(err.Error(), "description") {
		t.Errorf("a mail too short for the form: %v", err)
	}
	// Dropped: an out-of-office answer to the desk's mail.
	auto := fmt.Sprintf("From: hamid@example.net\nTo: complaints@pishkhan.local\nSubject: Out of office [#%s]\nAuto-Submitted: auto-replied\n\nI am away until Monday.\n", code)
	if err := sendMail(t, desk, "hamid@example.net", "complaints@pishkhan.local", auto); err != nil {
		t.Errorf("an autoresponder's mail: %v", err)
	}
	if after := c.request(code)["messages"].([]any); len(after) != len(msgs) {
		t.Errorf("the autoresponder or the stranger wrote on the request: %v", after[len(msgs):])
	}
}

// TestInAppNotificationIsThereWhenTheSubmissionIsAnswered: with no mail
// relay configured, the requester's "received" notification reaches them
// only in the app, so it is written with the request: listed the moment
// the submission is answered, and the request records it sent in its
// first revision (the dispatcher never writes it).
func TestInAppNotificationIsThereWhenTheSubmissionIsAnswered(t *testing.T) {
	if !storetest.Embedded() {
		t.Skip("a MongoDB has no insert-all: the dispatcher sends these there")
	}
	c := newCrew(t)
	complaint := `{"type": "complaint", "channel": "portal", "data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"},
		"incidentDate": "2026-11-20", "department": "billing", "description": "I was charged twice for the same order last week."}}`
	r := c.must(201, "sara", "POST", "/api/v1/requests", complaint)
	id := r.body["id"].(string)
	items := c.must(200, "sara", "GET", "/api/v1/notifications", nil).body["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["request"] != id {
		t.Fatalf("sara's notifications as the submission is answered: %v", items)
	}
	time.Sleep(300 * time.Millisecond) // time enough for a dispatcher to have written
	stored := c.must(200, "admin", "GET", "/api/v1/requests/"+id, nil)
	if stored.body["revision"] != 1.0 {
		t.Errorf("revision %v: something wrote the request after its insert", stored.body["revision"])
	}
	var sent int
	for _, e := range stored.body["history"].([]any) {
		if e.(map[string]any)["type"] == "sent" {
			sent++
		}
	}
	if sent == 0 {
		t.Errorf("the request does not record the notification sent")
	}
}

// TestNotificationsInAppAndByWebhook: a portal requester gets the in-app
// notification in the language their browser asked for and marks it
// read; a chat bot's requester is answered through the signed
// notification webhook with the handle the bot gave; an API key has no
// notifications of its own.
func TestNotificationsInAppAndByWebhook(t *testing.T) {
	type hookCall struct {
		body      []byte
		signature string
		timestamp string
	}
	calls := make(chan hookCall, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		calls <- hookCall{b, r.Header.Get(engine.HeaderSignature), r.Header.Get(engine.HeaderTimestamp)}
	}))
	defer hook.Close()
	const secret = "notification-test-secret"
	c := newCrew(t, func(cfg *Config) {
		cfg.NotifyWebhook, cfg.WebhookSecret, cfg.TimerInterval = hook.URL, secret, 50*time.Millisecond
	})
	complaint := `{"type": "complaint", "channel": "portal", "data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"},
		"incidentDate": "2026-11-20", "department": "billing", "description": "I was charged twice for the same order last week."}}`
	r := call(t, c.srv, "POST", "/api/v1/requests", complaint, append(bearer(c.tokens["sara"]), "Accept-Language", "fa-IR,fa;q=0.9,en;q=0.5")...)
	if r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.raw)
	}
	id := r.body["id"].(string)
	var list response
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if list = c.must(200, "sara", "GET", "/api/v1/notifications", nil); len(list.body["items"].([]any)) > 0 {
			break
		}
	}
	items := list.body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("sara's notifications: %s; request: %s", list.raw, c.must(200, "admin", "GET", "/api/v1/requests/"+id, nil).raw)
	}
	n := items[0].(map[string]any)
	if n["request"] != id || n["language"] != "fa" || !strings.Contains(n["subject"].(string), "درخواست شما ثبت شد") {
		t.Errorf("sara's notification: %v", n)
	}
	if other := c.must(200, "reza", "GET", "/api/v1/notifications", nil); strings.Contains(string(other.raw), id) {
		t.Errorf("reza sees sara's notification: %s", other.raw)
	}
	c.must(200, "reza", "POST", "/api/v1/notifications/read", `{"ids": ["`+n["id"].(string)+`"]}`) // not his: marks nothing
	if got := c.must(200, "sara", "GET", "/api/v1/notifications?unread=true", nil); got.body["unread"].(float64) != 1 {
		t.Errorf("another user marked sara's notification read: %s", got.raw)
	}
	if got := c.must(200, "sara", "POST", "/api/v1/notifications/read", `{}`); got.body["marked"].(float64) != 1 {
		t.Errorf("marking all read: %s", got.raw)
	}
	if got := c.must(200, "sara", "GET", "/api/v1/notifications?unread=true", nil); got.body["unread"].(float64) != 0 {
		t.Errorf("after marking read: %s", got.raw)
	}

	// A chat bot files for the person it talks to.
	key := c.must(201, "admin", "POST", "/api/v1/apikeys", `{"name": "chat bot", "scopes": ["requests:submit", "requests:read"]}`).body["key"].(string)
	chat := `{"type": "complaint", "channel": "chat", "contact": {"name": "Nima", "handle": "tg:4242"}, "language": "en",
		"data": {"contact": {"name": "Nima Rad", "email": "nima@example.net"}, "incidentDate": "2026-11-21", "department": "delivery",
		"description": "The courier left my parcel at the wrong door."}}`
	r = call(t, c.srv, "POST", "/api/v1/requests", chat, bearer(key)...)
	if r.status != 201 {
		t.Fatalf("chat submit: %d %s", r.status, r.raw)
	}
	select {
	case got := <-calls:
		if !hmac.Equal([]byte(got.signature), []byte(engine.Sign([]byte(secret), got.timestamp, got.body))) {
			t.Errorf("the webhook's signature does not verify")
		}
		var body struct {
			Request string         `json:"request"`
			Payload map[string]any `json:"payload"`
		}
		_ = json.Unmarshal(got.body, &body)
		contact, _ := body.Payload["contact"].(map[string]any)
		if body.Request != r.body["id"] || body.Payload["event"] != "submitted" || contact["handle"] != "tg:4242" ||
			!bytes.Contains(got.body, []byte(r.body["id"].(string))) {
			t.Errorf("webhook call: %s", got.body)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no notification webhook call for the chat requester")
	}
	if got := call(t, c.srv, "GET", "/api/v1/notifications", nil, bearer(key)...); got.status != 403 {
		t.Errorf("an API key's notifications: %d %s", got.status, got.raw)
	}
}

// TestMailOverSTARTTLS: given a certificate, the desk's listener takes
// mail over an encrypted connection, filed as any other; a certificate
// that cannot be read stops the listener from starting.
func TestMailOverSTARTTLS(t *testing.T) {
	box := newMailbox(t)
	c := newCrew(t, func(cfg *Config) {
		cfg.SMTPAddr, cfg.SMTPRelay, cfg.SMTPTLS = "127.0.0.1:0", box.addr, "none"
		cfg.SMTPCert, cfg.SMTPKey = "../../email/testdata/tls/a.crt", "../../email/testdata/tls/a.key"
		cfg.MailFrom = "Pishkhan Desk <desk@pishkhan.local>"
		cfg.TimerInterval = 50 * time.Millisecond
	})
	stop, err := c.app.listenMail()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	pem, err := os.ReadFile("../../email/testdata/tls/a.crt")
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	client, err := smtp.DialStartTLS(c.app.mailAddr.String(), &tls.Config{RootCAs: roots, ServerName: "desk.pishkhan.local"})
	if err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	defer client.Close()
	msg := "From: Hamid Nouri <hamid@example.net>\r\nTo: complaints@pishkhan.local\r\nSubject: Broken parcel\r\n" +
		"Message-ID: <tls@example.net>\r\n\r\nThe parcel arrived broken.\r\n"
	if err := client.SendMail("hamid@example.net", []string{"complaints@pishkhan.local"}, strings.NewReader(msg)); err != nil {
		t.Fatalf("the desk refused a mail over TLS: %v", err)
	}
	if state, ok := client.TLSConnectionState(); !ok || !state.HandshakeComplete {
		t.Fatal("the mail did not go over TLS")
	}
	ack := box.await(t, "hamid@example.net", "received")
	m := codeInSubject.FindStringSubmatch(ack.subject)
	if m == nil {
		t.Fatalf("acknowledgement without a tracking code: %q", ack.subject)
	}
	if req := c.request(m[1]); req["channel"] != "email" {
		t.Errorf("the mail's request: %v", req)
	}

	c.app.cfg.SMTPKey = "../../email/testdata/tls/b.key" // not a.crt's key
	if stop, err := c.app.listenMail(); err == nil {
		stop()
		t.Error("the listener started with a mismatched certificate and key")
	}
}
