package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pishkhan/pishkhan/email"
)

// Config is every setting of `pishkhan serve`. Each has a flag and a
// PISHKHAN_ environment variable (the flag wins); the defaults start a
// server on :8080 with the embedded store in ./data.
type Config struct {
	Addr           string        // PISHKHAN_ADDR: HTTP listen address
	DataDir        string        // PISHKHAN_DATA_DIR: the embedded store's folder
	MongoURI       string        // PISHKHAN_MONGODB_URI: use this MongoDB instead of the embedded store
	Database       string        // PISHKHAN_DATABASE: database name
	StoreAddr      string        // PISHKHAN_STORE_ADDR: also serve the embedded store on this loopback address
	StoreLog       bool          // PISHKHAN_STORE_LOG: show the embedded store's own log
	BodyLimit      string        // PISHKHAN_BODY_LIMIT: largest request body
	RequestTimeout time.Duration // PISHKHAN_REQUEST_TIMEOUT: limit on one request's work
	ShutdownGrace  time.Duration // PISHKHAN_SHUTDOWN_GRACE: time requests in flight get at shutdown
	PollInterval   time.Duration // PISHKHAN_POLL_INTERVAL: how often other processes' publishes are looked for
	LogLevel       string        // PISHKHAN_LOG_LEVEL: debug, info, warn, error
	LogFormat      string        // PISHKHAN_LOG_FORMAT: text or json
	Demo           bool          // PISHKHAN_DEMO: load the demo forms at start
	AdminPassword  string        // PISHKHAN_ADMIN_PASSWORD: the admin's password at first start
	SessionTTL     time.Duration // PISHKHAN_SESSION_TTL: how long a login lasts
	SecureCookies  bool          // PISHKHAN_SECURE_COOKIES: mark the session cookie Secure (behind HTTPS)
	LoginRate      float64       // PISHKHAN_LOGIN_RATE: login attempts per second per address
	TrackRate      float64       // PISHKHAN_TRACK_RATE: tracking lookups per second per address
	TimerInterval  time.Duration // PISHKHAN_TIMER_INTERVAL: how often due timers and the outbox are looked for
	WebhookSecret  string        // PISHKHAN_WEBHOOK_SECRET: HMAC key of outbound webhooks
	PublicURL      string        // PISHKHAN_PUBLIC_URL: where people open Pishkhan (links in messages)
	Language       string        // PISHKHAN_LANGUAGE: language of messages to people whose language is unknown
	SMTPAddr       string        // PISHKHAN_SMTP_ADDR: the mail listener's address ("" off)
	SMTPCert       string        // PISHKHAN_SMTP_CERT: PEM certificate the listener offers with STARTTLS
	SMTPKey        string        // PISHKHAN_SMTP_KEY: its PEM private key
	MailDomain     string        // PISHKHAN_MAIL_DOMAIN: the listener's name and the Message-ID domain
	MailMaxSize    string        // PISHKHAN_MAIL_MAX_SIZE: largest mail the listener takes
	SMTPRelay      string        // PISHKHAN_SMTP_RELAY: host:port mail is sent through ("" none sent)
	SMTPTLS        string        // PISHKHAN_SMTP_TLS: starttls, tls or none
	SMTPUsername   string        // PISHKHAN_SMTP_USERNAME
	SMTPPassword   string        // PISHKHAN_SMTP_PASSWORD
	MailFrom       string        // PISHKHAN_MAIL_FROM: the desk's sending address
	NotifyWebhook  string        // PISHKHAN_NOTIFY_WEBHOOK: URL that relays notifications to requesters of system channels
	AttachmentMax  string        // PISHKHAN_ATTACHMENT_MAX_SIZE: largest attached file
	AttachTypes    string        // PISHKHAN_ATTACHMENT_TYPES: media types accepted for attachments
}

// setting describes one Config field for flags, env and the README table.
type setting struct {
	flag, env, usage string
	bind             func(fs *flag.FlagSet, c *Config, name, usage string)
}

func str(p func(*Config) *string, def string) func(*flag.FlagSet, *Config, string, string) {
	return func(fs *flag.FlagSet, c *Config, name, usage string) { fs.StringVar(p(c), name, def, usage) }
}

func dur(p func(*Config) *time.Duration, def time.Duration) func(*flag.FlagSet, *Config, string, string) {
	return func(fs *flag.FlagSet, c *Config, name, usage string) { fs.DurationVar(p(c), name, def, usage) }
}

func boolean(p func(*Config) *bool) func(*flag.FlagSet, *Config, string, string) {
	return func(fs *flag.FlagSet, c *Config, name, usage string) { fs.BoolVar(p(c), name, false, usage) }
}

var settings = []setting{
	{"addr", "PISHKHAN_ADDR", "HTTP listen address", str(func(c *Config) *string { return &c.Addr }, ":8080")},
	{"data-dir", "PISHKHAN_DATA_DIR", "folder of the embedded store", str(func(c *Config) *string { return &c.DataDir }, "./data")},
	{"mongodb-uri", "PISHKHAN_MONGODB_URI", "MongoDB connection string; empty starts the embedded store", str(func(c *Config) *string { return &c.MongoURI }, "")},
	{"database", "PISHKHAN_DATABASE", "database name", str(func(c *Config) *string { return &c.Database }, "pishkhan")},
	{"store-addr", "PISHKHAN_STORE_ADDR", "also serve the embedded store on this loopback address (for other Pishkhan processes)", str(func(c *Config) *string { return &c.StoreAddr }, "")},
	{"store-log", "PISHKHAN_STORE_LOG", "show the embedded store's own log", boolean(func(c *Config) *bool { return &c.StoreLog })},
	{"body-limit", "PISHKHAN_BODY_LIMIT", "largest request body (e.g. 512K, 1M)", str(func(c *Config) *string { return &c.BodyLimit }, "1M")},
	{"request-timeout", "PISHKHAN_REQUEST_TIMEOUT", "limit on one request's work", dur(func(c *Config) *time.Duration { return &c.RequestTimeout }, 30*time.Second)},
	{"shutdown-grace", "PISHKHAN_SHUTDOWN_GRACE", "time requests in flight get to finish at shutdown", dur(func(c *Config) *time.Duration { return &c.ShutdownGrace }, 15*time.Second)},
	{"poll-interval", "PISHKHAN_POLL_INTERVAL", "how often to look for definitions published by other processes", dur(func(c *Config) *time.Duration { return &c.PollInterval }, time.Second)},
	{"log-level", "PISHKHAN_LOG_LEVEL", "debug, info, warn or error", str(func(c *Config) *string { return &c.LogLevel }, "info")},
	{"log-format", "PISHKHAN_LOG_FORMAT", "text or json", str(func(c *Config) *string { return &c.LogFormat }, "text")},
	{"demo", "PISHKHAN_DEMO", "load the demo forms and users so a newcomer can try Pishkhan", boolean(func(c *Config) *bool { return &c.Demo })},
	{"admin-password", "PISHKHAN_ADMIN_PASSWORD", "password of the user admin when it is first created (else one is generated and printed once)", str(func(c *Config) *string { return &c.AdminPassword }, "")},
	{"session-ttl", "PISHKHAN_SESSION_TTL", "how long a login lasts", dur(func(c *Config) *time.Duration { return &c.SessionTTL }, 12*time.Hour)},
	{"secure-cookies", "PISHKHAN_SECURE_COOKIES", "mark the session cookie Secure (when served over HTTPS)", boolean(func(c *Config) *bool { return &c.SecureCookies })},
	{"login-rate", "PISHKHAN_LOGIN_RATE", "login attempts per second per client address (burst 10)", num(func(c *Config) *float64 { return &c.LoginRate }, 1)},
	{"track-rate", "PISHKHAN_TRACK_RATE", "tracking lookups per second per client address (burst 30)", num(func(c *Config) *float64 { return &c.TrackRate }, 5)},
	{"timer-interval", "PISHKHAN_TIMER_INTERVAL", "how often to look for due timers and outbox items", dur(func(c *Config) *time.Duration { return &c.TimerInterval }, time.Second)},
	{"webhook-secret", "PISHKHAN_WEBHOOK_SECRET", "HMAC-SHA256 key that signs outbound webhooks (empty: one generated at first start, shared through the database)", str(func(c *Config) *string { return &c.WebhookSecret }, "")},
	{"public-url", "PISHKHAN_PUBLIC_URL", "where people open Pishkhan, for links in notifications (e.g. https://desk.example.org)", str(func(c *Config) *string { return &c.PublicURL }, "")},
	{"language", "PISHKHAN_LANGUAGE", "language (en or fa) of notifications to people whose language is not known", str(func(c *Config) *string { return &c.Language }, "en")},
	{"smtp-addr", "PISHKHAN_SMTP_ADDR", "address of the built-in mail listener that turns mail into requests (e.g. :2525; empty: off)", str(func(c *Config) *string { return &c.SMTPAddr }, "")},
	{"smtp-cert", "PISHKHAN_SMTP_CERT", "PEM certificate (chain) the mail listener offers with STARTTLS; read again when renewed (empty: no STARTTLS)", str(func(c *Config) *string { return &c.SMTPCert }, "")},
	{"smtp-key", "PISHKHAN_SMTP_KEY", "PEM private key of smtp-cert", str(func(c *Config) *string { return &c.SMTPKey }, "")},
	{"mail-domain", "PISHKHAN_MAIL_DOMAIN", "the mail listener's host name and the domain of Message-IDs (default: mail-from's domain)", str(func(c *Config) *string { return &c.MailDomain }, "")},
	{"mail-max-size", "PISHKHAN_MAIL_MAX_SIZE", "largest mail the listener takes, attachments included", str(func(c *Config) *string { return &c.MailMaxSize }, "25M")},
	{"smtp-relay", "PISHKHAN_SMTP_RELAY", "host:port of the SMTP server notifications are sent through (empty: no email is sent)", str(func(c *Config) *string { return &c.SMTPRelay }, "")},
	{"smtp-tls", "PISHKHAN_SMTP_TLS", "how to reach the relay: starttls, tls (implicit, port 465) or none (a relay on loopback)", str(func(c *Config) *string { return &c.SMTPTLS }, "starttls")},
	{"smtp-username", "PISHKHAN_SMTP_USERNAME", "user name at the relay (empty: no authentication)", str(func(c *Config) *string { return &c.SMTPUsername }, "")},
	{"smtp-password", "PISHKHAN_SMTP_PASSWORD", "password at the relay", str(func(c *Config) *string { return &c.SMTPPassword }, "")},
	{"mail-from", "PISHKHAN_MAIL_FROM", "the desk's sending address", str(func(c *Config) *string { return &c.MailFrom }, "Pishkhan <desk@pishkhan.local>")},
	{"notify-webhook", "PISHKHAN_NOTIFY_WEBHOOK", "URL that receives (signed) notifications for requesters who came through chat, social, mobile, partner or api, for the bot to relay", str(func(c *Config) *string { return &c.NotifyWebhook }, "")},
	{"attachment-max-size", "PISHKHAN_ATTACHMENT_MAX_SIZE", "largest attached file (e.g. 512K, 10M)", str(func(c *Config) *string { return &c.AttachmentMax }, "10M")},
	{"attachment-types", "PISHKHAN_ATTACHMENT_TYPES", "comma-separated media types accepted for attachments, as sniffed from their content (empty: images, PDF, text, CSV, office documents and zip)", str(func(c *Config) *string { return &c.AttachTypes }, "")},
}

func num(p func(*Config) *float64, def float64) func(*flag.FlagSet, *Config, string, string) {
	return func(fs *flag.FlagSet, c *Config, name, usage string) { fs.Float64Var(p(c), name, def, usage) }
}

// parseConfig reads flags from args over the environment over defaults.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (*Config, error) {
	var c Config
	fs := flag.NewFlagSet("pishkhan serve", flag.ContinueOnError)
	fs.SetOutput(out)
	for _, s := range settings {
		s.bind(fs, &c, s.flag, s.usage+" ($"+s.env+")")
	}
	// The environment overrides defaults, flags override the environment.
	for _, s := range settings {
		if v := getenv(s.env); v != "" {
			if err := fs.Set(s.flag, v); err != nil {
				return nil, fmt.Errorf("%s=%q: %w", s.env, v, err)
			}
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return &c, c.validate()
}

func (c *Config) validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("addr: must not be empty"))
	}
	if c.MongoURI == "" && c.DataDir == "" {
		errs = append(errs, errors.New("data-dir: set a folder for the embedded store, or mongodb-uri"))
	}
	if c.MongoURI != "" && !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		errs = append(errs, errors.New("mongodb-uri: must start with mongodb:// or mongodb+srv://"))
	}
	if c.MongoURI != "" && c.StoreAddr != "" {
		errs = append(errs, errors.New("store-addr: only the embedded store can be served; it is off when mongodb-uri is set"))
	}
	if c.Database == "" || strings.ContainsAny(c.Database, `/\. "$`) {
		errs = append(errs, fmt.Errorf("database: %q is not a valid database name", c.Database))
	}
	if _, err := parseBytes(c.BodyLimit); err != nil {
		errs = append(errs, fmt.Errorf("body-limit: %w", err))
	}
	if _, err := parseBytes(c.MailMaxSize); err != nil {
		errs = append(errs, fmt.Errorf("mail-max-size: %w", err))
	}
	if c.Language != "en" && c.Language != "fa" {
		errs = append(errs, fmt.Errorf("language: %q is neither en nor fa", c.Language))
	}
	if c.SMTPRelay != "" {
		if _, err := email.NewSender(c.SMTPRelay, c.MailFrom, c.SMTPUsername, c.SMTPPassword, c.SMTPTLS); err != nil {
			errs = append(errs, err)
		}
	} else if _, err := mail.ParseAddress(c.MailFrom); c.SMTPAddr != "" && err != nil {
		// The listener takes replies at it and drops its own mail.
		errs = append(errs, fmt.Errorf("mail-from %q: %v", c.MailFrom, err))
	}
	if (c.SMTPCert == "") != (c.SMTPKey == "") {
		errs = append(errs, errors.New("smtp-cert, smtp-key: give both or neither"))
	} else if c.SMTPCert != "" && c.SMTPAddr == "" {
		errs = append(errs, errors.New("smtp-cert: the mail listener is off (set smtp-addr)"))
	}
	for name, u := range map[string]string{"public-url": c.PublicURL, "notify-webhook": c.NotifyWebhook} {
		if p, err := url.Parse(u); u != "" && (err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "") {
			errs = append(errs, fmt.Errorf("%s: %q is not an http(s) URL", name, u))
		}
	}
	if _, err := parseBytes(c.AttachmentMax); err != nil {
		errs = append(errs, fmt.Errorf("attachment-max-size: %w", err))
	}
	if _, err := c.attachmentTypes(); err != nil {
		errs = append(errs, err)
	}
	if c.AdminPassword != "" && len(c.AdminPassword) < 8 {
		errs = append(errs, errors.New("admin-password: use at least 8 characters"))
	}
	if c.LoginRate <= 0 || c.TrackRate <= 0 {
		errs = append(errs, errors.New("login-rate, track-rate: must be positive"))
	}
	for name, d := range map[string]time.Duration{"session-ttl": c.SessionTTL, "request-timeout": c.RequestTimeout, "shutdown-grace": c.ShutdownGrace, "poll-interval": c.PollInterval} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s: must be positive", name))
		}
	}
	if _, err := c.level(); err != nil {
		errs = append(errs, err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log-format: %q is neither text nor json", c.LogFormat))
	}
	return errors.Join(errs...)
}

// attachmentTypes lists the media types of PISHKHAN_ATTACHMENT_TYPES (nil:
// the engine's defaults).
func (c *Config) attachmentTypes() ([]string, error) {
	var out []string
	for _, t := range strings.Split(c.AttachTypes, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		if mt, params, err := mime.ParseMediaType(t); err != nil || len(params) > 0 || !strings.Contains(mt, "/") {
			return nil, fmt.Errorf("attachment-types: %q is not a media type such as image/png", t)
		}
		out = append(out, t)
	}
	return out, nil
}

func (c *Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("log-level: %q is not debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

func (c *Config) logger(w io.Writer) *slog.Logger {
	l, _ := c.level()
	opts := &slog.HandlerOptions{Level: l}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// parseBytes reads sizes such as 512K or 1M the way echo's body limit does.
func parseBytes(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for suffix, m := range map[string]int64{"K": 1 << 10, "KB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "G": 1 << 30, "GB": 1 << 30} {
		if strings.HasSuffix(u, suffix) && len(u) > len(suffix) {
			if _, err := strconv.ParseInt(strings.TrimSuffix(u, suffix), 10, 64); err == nil {
				u, mult = strings.TrimSuffix(u, suffix), m
				break
			}
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size such as 512K or 1M", s)
	}
	return n * mult, nil
}

// mailDomain is the mail listener's name and the Message-ID domain.
func (c *Config) mailDomain() string {
	if c.MailDomain != "" {
		return c.MailDomain
	}
	if a, err := mail.ParseAddress(c.MailFrom); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok {
			return d
		}
	}
	return "pishkhan.local"
}
