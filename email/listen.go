package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
)

// Listener is the SMTP server that receives the desk's mail. It takes mail
// only for addresses a published request type names (no relaying), files
// it before answering 250 (so an accepted mail is a stored request or
// message), answers 4xx when the store fails (the sender's server tries
// again), and 5xx with the reason when the mail cannot be filed (the
// sender gets a bounce saying why).
type Listener struct {
	Requests *engine.Requests
	// Domain is the server's name and the desk's Message-ID domain.
	Domain string
	// MaxBytes bounds one message (default 25 MiB).
	MaxBytes int64
	// Own is the desk's sending address: mail from it is a loop.
	Own    string
	Logger *slog.Logger
	// Timeout bounds filing one mail.
	Timeout time.Duration
	// Rate and Burst bound the mails one client address sends (default 1
	// a second, bursts of 30); more are told to come back later (451),
	// which a mail server does, so a flood is slowed and nothing is lost.
	Rate  rate.Limit
	Burst int
	// TLS, when set, is offered with STARTTLS, as mail servers expect of
	// one another: mail is then read over an encrypted connection
	// whenever the sender can.
	TLS *tls.Config

	// clients holds a limiter per client address, forgotten after ten
	// idle minutes (the store the HTTP API's rate limits use).
	clients     *middleware.RateLimiterMemoryStore
	clientsOnce sync.Once
}

// allow reports whether the client at addr may send another mail now.
func (l *Listener) allow(addr net.Addr) bool {
	l.clientsOnce.Do(func() {
		r, b := l.Rate, l.Burst
		if r <= 0 {
			r = 1
		}
		if b <= 0 {
			b = 30
		}
		l.clients = middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{Rate: r, Burst: b, ExpiresIn: 10 * time.Minute})
	})
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		host = addr.String()
	}
	ok, _ := l.clients.Allow(host)
	return ok
}

// Server returns the SMTP server; serve it with Serve(listener).
func (l *Listener) Server() *smtp.Server {
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{l: l, remote: c.Conn().RemoteAddr()}, nil
	}))
	s.Domain = l.Domain
	s.MaxMessageBytes = l.MaxBytes
	if s.MaxMessageBytes <= 0 {
		s.MaxMessageBytes = 25 << 20
	}
	s.MaxRecipients = 20
	s.ReadTimeout, s.WriteTimeout = 2*time.Minute, 2*time.Minute
	s.EnableSMTPUTF8 = true
	s.ErrorLog = slogLogger{l.logger()}
	s.TLSConfig = l.TLS
	return s
}

func (l *Listener) logger() *slog.Logger {
	if l.Logger == nil {
		return slog.Default()
	}
	return l.Logger
}

// session is one SMTP conversation.
type session struct {
	l      *Listener
	remote net.Addr
	from   string
	to     []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.l.allow(s.remote) {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "too many mails from your address; try again later"}
	}
	s.from = from
	return nil
}

// Rcpt takes desk addresses only.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The desk's own address takes replies to its mail (which name their
	// request); the addresses request types name take new mail too.
	ok, err := engine.NormalizeEmail(to) != "" && engine.NormalizeEmail(to) == engine.NormalizeEmail(s.l.Own), error(nil)
	if !ok {
		ok, err = s.l.Requests.TakesMailAt(ctx, to)
	}
	switch {
	case err != nil:
		return temporary(err)
	case !ok:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no desk takes mail at " + ascii(to)}
	}
	s.to = append(s.to, to)
	return nil
}

// Data files the mail.
func (s *session) Data(r io.Reader) error {
	log := s.l.logger().With("component", "email", "remote", s.remote.String(), "envelopeFrom", s.from)
	p, err := Parse(r, s.l.Domain)
	if err != nil {
		_, _ = io.Copy(io.Discard, r)
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: ascii(err.Error())}
	}
	_, _ = io.Copy(io.Discard, r)
	if s.from == "" || p.Automatic || strings.EqualFold(p.From, s.l.Own) {
		// A bounce, an autoresponder or our own mail: filing it would
		// start a loop of acknowledgements. Accept it and drop it.
		log.Info("email: dropped automatic mail", "from", p.From, "subject", p.Subject)
		return nil
	}
	timeout := s.l.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	m := &engine.InboundMail{From: p.From, FromName: p.FromName, To: s.to[0], Subject: p.Subject, Body: p.Body, Date: p.Date, Codes: p.Codes}
	for _, a := range p.Attachments {
		m.Files = append(m.Files, engine.InboundFile{Name: a.Name, Data: a.Data})
	}
	req, created, err := s.l.Requests.ReceiveMail(ctx, m)
	if err != nil {
		log.Info("email: not filed", "from", p.From, "err", err)
		return refusal(err)
	}
	log.Info("email: filed", "request", req.ID, "new", created, "from", p.From)
	return nil
}

// refusal is the SMTP answer to a mail the desk could not file.
func refusal(err error) error {
	var ve *forms.ValidationError
	switch {
	case errors.As(err, &ve):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: ascii("the mail does not fill in the request form: " + ve.Error())}
	case errors.Is(err, engine.ErrNotYours):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: ascii(err.Error())}
	case errors.Is(err, engine.ErrNotFound), errors.Is(err, engine.ErrInvalid), errors.Is(err, engine.ErrConflict):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 0, 0}, Message: ascii(err.Error())}
	}
	return temporary(err)
}

// temporary asks the sender's server to try again later.
func temporary(err error) error {
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "the desk cannot file mail just now; try again later"}
}

// ascii makes s fit an SMTP reply: one line of printable ASCII, bounded.
func ascii(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
		if b.Len() >= 400 {
			b.WriteString("...")
			break
		}
	}
	return b.String()
}

// slogLogger adapts slog to the server's error log.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Printf(format string, v ...any) { s.l.Warn("email: " + fmt.Sprintf(format, v...)) }
func (s slogLogger) Println(v ...any)               { s.l.Warn("email: " + fmt.Sprint(v...)) }
