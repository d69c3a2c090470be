// Package email is the desk's email channel: a Sender that delivers the
// engine's notifications over SMTP, and a Listener, an SMTP server built
// into Pishkhan, that turns mail sent to the addresses request types name
// into requests, and replies into messages on them.
//
// Threads. Every mail about a request carries the request's tracking code
// twice: in the subject as [#CODE], and as the thread's root Message-ID
// <CODE@domain> in In-Reply-To and References. A reply keeps at least
// one of them, whatever the mail client, so the listener finds the
// request it belongs to.
package email

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/pishkhan/pishkhan/engine"
)

// TLS modes of the outbound connection.
const (
	TLSStartTLS = "starttls" // upgrade with STARTTLS, refuse a server without it
	TLSImplicit = "tls"      // connect over TLS (port 465)
	TLSNone     = "none"     // plain text: a relay on loopback
)

// Sender sends mail through an SMTP server (a relay).
type Sender struct {
	// Addr is the server's host:port.
	Addr string
	// From is the desk's address, e.g. "Pishkhan <desk@example.org>".
	From *mail.Address
	// Domain names Message-IDs; the From address's domain if empty.
	Domain string
	// Username and Password authenticate (PLAIN), only over TLS or to a
	// loopback server.
	Username, Password string
	// TLS is one of TLSStartTLS, TLSImplicit, TLSNone.
	TLS string
	// Timeout bounds one delivery (default 30s).
	Timeout time.Duration
	// TLSConfig overrides the TLS settings (tests).
	TLSConfig *tls.Config
}

var _ engine.Mailer = (*Sender)(nil)

// NewSender checks the settings and returns a sender.
func NewSender(addr, from, username, password, tlsMode string) (*Sender, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("smtp relay %q: give host:port", addr)
	}
	f, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail from %q: %v", from, err)
	}
	switch tlsMode {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("smtp tls %q: use %s, %s or %s", tlsMode, TLSStartTLS, TLSImplicit, TLSNone)
	}
	if username != "" && tlsMode == TLSNone && !loopback(addr) {
		return nil, errors.New("smtp: a password is sent over TLS only (or to a relay on loopback)")
	}
	return &Sender{Addr: addr, From: f, Username: username, Password: password, TLS: tlsMode}, nil
}

func loopback(addr string) bool {
	host, _, _ := net.SplitHostPort(addr)
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Sender) domain() string {
	if s.Domain != "" {
		return s.Domain
	}
	_, d, _ := strings.Cut(s.From.Address, "@")
	return d
}

// ThreadID is the Message-ID (without brackets) that roots the thread of
// request code.
func ThreadID(code, domain string) string { return code + "@" + domain }

// Build writes m as an RFC 5322 message.
func (s *Sender) Build(m *engine.Mail, now time.Time) ([]byte, error) {
	var h mail.Header
	h.SetDate(now)
	h.SetAddressList("From", []*mail.Address{s.From})
	h.SetAddressList("To", []*mail.Address{{Name: m.ToName, Address: m.To}})
	h.SetSubject(m.Subject)
	h.SetMessageID(m.ID + "@" + s.domain())
	if m.Thread != "" {
		root := ThreadID(m.Thread, s.domain())
		h.SetMsgIDList("In-Reply-To", []string{root})
		h.SetMsgIDList("References", []string{root})
	}
	// Tell autoresponders not to answer (RFC 3834): an out-of-office
	// reply must not become a message on the request.
	h.Set("Auto-Submitted", "auto-generated")
	if m.Language != "" {
		h.Set("Content-Language", m.Language)
	}
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	var buf bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&buf, h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Send implements engine.Mailer.
func (s *Sender) Send(ctx context.Context, m *engine.Mail) error {
	msg, err := s.Build(m, time.Now())
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	defer c.Close()
	if s.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.Username, s.Password)); err != nil {
			return fmt.Errorf("smtp %s: auth: %w", s.Addr, err)
		}
	}
	if err := c.SendMail(s.From.Address, []string{m.To}, bytes.NewReader(msg)); err != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	_ = c.Quit() // the relay has taken the mail: a failed goodbye must not send it again
	return nil
}

func (s *Sender) dial(ctx context.Context) (*smtp.Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return nil, err
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	host, _, _ := net.SplitHostPort(s.Addr)
	cfg := s.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	switch s.TLS {
	case TLSImplicit:
		return smtp.NewClient(tls.Client(conn, cfg)), nil
	case TLSStartTLS:
		c, err := smtp.NewClientStartTLS(conn, cfg)
		if err != nil {
			conn.Close()
		}
		return c, err
	}
	return smtp.NewClient(conn), nil
}
