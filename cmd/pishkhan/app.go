package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"golang.org/x/time/rate"

	"github.com/pishkhan/pishkhan/access"
	accessapi "github.com/pishkhan/pishkhan/access-api"
	designerapi "github.com/pishkhan/pishkhan/designer-api"
	"github.com/pishkhan/pishkhan/email"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/embedded"
	runtimeapi "github.com/pishkhan/pishkhan/runtime-api"
	"github.com/pishkhan/pishkhan/server"
	"github.com/pishkhan/pishkhan/ui"
)

// app is a wired Pishkhan: store, engine services and HTTP routes.
type app struct {
	cfg         *Config
	logger      *slog.Logger
	echo        *echo.Echo
	definitions *engine.Definitions
	requests    *engine.Requests
	access      *access.Service
	store       *mongostore.Store
	client      *mongo.Client
	embedded    *embedded.Server
	dispatcher  *engine.Dispatcher
	// mailAddr is where the mail listener listens, once it does.
	mailAddr net.Addr
}

// newApp connects to (or starts) the store and wires everything. Close
// releases what it opened.
func newApp(ctx context.Context, cfg *Config, logger *slog.Logger) (_ *app, err error) {
	a := &app{cfg: cfg, logger: logger}
	defer func() {
		if err != nil {
			a.close(context.Background())
		}
	}()
	uri := cfg.MongoURI
	if uri == "" {
		storeLogger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
		if cfg.StoreLog {
			storeLogger = logger.With("component", "store")
		}
		a.embedded, err = embedded.Start(embedded.Config{Dir: cfg.DataDir, TCP: cfg.StoreAddr, Logger: storeLogger})
		if err != nil {
			return nil, err
		}
		uri = a.embedded.URI()
		logger.Info("store: embedded FerretDB (SQLite)", "dataDir", cfg.DataDir, "uri", uri)
		if cfg.StoreAddr != "" {
			logger.Info("store: also served to other processes", "addr", cfg.StoreAddr)
		}
	} else {
		logger.Info("store: MongoDB", "uri", redactURI(uri))
	}
	if a.client, err = mongo.Connect(mongostore.ClientOptions(uri)); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := a.client.Ping(pctx, nil); err != nil {
		return nil, fmt.Errorf("store does not answer: %w", err)
	}
	a.store = mongostore.New(a.client.Database(cfg.Database))
	// Not within the 30 s: an index a new version adds is built over the
	// whole collection, which on a large store takes minutes (a store of
	// a million requests could not start).
	logger.Info("store: making sure of the indexes")
	if err := a.store.EnsureIndexes(ctx); err != nil {
		return nil, err
	}
	// The rest of the start has its 30 s from here.
	pctx, cancel = context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// Leases this process took in an earlier life, cut short by a crash,
	// would hold their timers and notifications until they ran out.
	a.store.UseNode(nodeName(cfg))
	if n, err := a.store.ReleaseNodeLeases(pctx, time.Now()); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	} else if n > 0 {
		logger.Info("store: released the leases of this node's earlier life", "node", nodeName(cfg), "leases", n)
	}
	a.definitions = engine.NewDefinitions(a.store, logger)
	a.requests = engine.NewRequests(a.store, a.definitions)
	maxSize, _ := parseBytes(cfg.AttachmentMax) // validated with the configuration
	types, _ := cfg.attachmentTypes()
	a.requests.UseAttachmentLimits(engine.AttachmentLimits{MaxSize: maxSize, Types: types})
	secret := cfg.WebhookSecret
	if secret == "" {
		// Every process sharing the database signs with the same secret:
		// the first start makes it, the others read it.
		if secret, err = a.store.SettingGetOrCreate(pctx, "webhookSecret", rand.Text()+rand.Text()); err != nil {
			return nil, fmt.Errorf("webhook secret: %w", err)
		}
	}
	webhooks := engine.NewWebhookSender([]byte(secret))
	a.dispatcher = &engine.Dispatcher{Requests: a.requests, Webhook: webhooks, Logger: logger}

	a.access, err = access.New(pctx, a.store.Database(), uri, access.Config{PollInterval: cfg.PollInterval, SessionTTL: cfg.SessionTTL}, access.Logger{Logger: logger})
	if err != nil {
		return nil, err
	}
	a.requests.UseStaff(a.access)
	notifier := &engine.Notifier{Requests: a.requests, Directory: directory{a.access}, Webhook: webhooks,
		WebhookURL: cfg.NotifyWebhook, BaseURL: cfg.PublicURL, Language: cfg.Language}
	if cfg.SMTPRelay != "" {
		sender, err := email.NewSender(cfg.SMTPRelay, cfg.MailFrom, cfg.SMTPUsername, cfg.SMTPPassword, cfg.SMTPTLS)
		if err != nil {
			return nil, err
		}
		sender.Domain = cfg.mailDomain()
		notifier.Mailer = sender
	}
	a.dispatcher.Notify = notifier
	a.requests.DeliverInApp(notifier)
	// The workflow lint checks the groups a workflow names exist.
	a.definitions.CheckGroupsWith(func(ctx context.Context, name string) error {
		if _, err := a.access.Group(ctx, name); err != nil {
			if errors.Is(err, access.ErrNotFound) {
				return errors.New("no such group")
			}
			return err
		}
		return nil
	})
	adminPassword := cfg.AdminPassword
	if adminPassword == "" && cfg.Demo {
		adminPassword = demoAdminPassword
	}
	if err := a.access.Bootstrap(pctx, adminPassword, os.Stderr); err != nil {
		return nil, fmt.Errorf("access: %w", err)
	}

	a.echo = server.New(server.Config{
		BodyLimit: cfg.BodyLimit, RequestTimeout: cfg.RequestTimeout, Logger: logger, Ready: a.store.Ping,
		FileRoutes: []string{runtimeapi.UploadRoute},
	})
	a.echo.Use(accessapi.Authenticate(a.access))
	api := server.API(a.echo)
	trackLimit := accessapi.Register(api, a.access, accessapi.Config{SecureCookies: cfg.SecureCookies,
		LoginRate: rate.Limit(cfg.LoginRate), TrackRate: rate.Limit(cfg.TrackRate)})
	designerapi.Register(api, a.definitions, a.requests, a.access)
	runtimeapi.Register(api, a.requests, a.definitions, a.access, trackLimit)
	server.MountUI(a.echo, ui.Dist())

	if cfg.Demo {
		if err := loadDemo(pctx, a.definitions, a.access, logger); err != nil {
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}
	return a, nil
}

// startBackground starts the pollers that pick up what other processes
// publish and change (definitions, policies) until ctx ends.
func (a *app) startBackground(ctx context.Context) {
	go a.definitions.Watch(ctx, a.cfg.PollInterval)
	go a.access.Watch(ctx)
	go a.requests.RunTimers(ctx, a.cfg.TimerInterval, a.logger)
	go a.dispatcher.Run(ctx, a.cfg.TimerInterval)
}

// run serves until ctx ends.
func (a *app) run(ctx context.Context, ready func(net.Addr)) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if a.cfg.SMTPAddr != "" {
		stop, err := a.listenMail()
		if err != nil {
			return err
		}
		defer stop()
	}
	a.startBackground(wctx)
	return server.Run(ctx, a.echo, a.cfg.Addr, a.cfg.ShutdownGrace, func(addr net.Addr) {
		a.logger.Info("pishkhan: serving", "addr", addr.String())
		if ready != nil {
			ready(addr)
		}
	})
}

// close disconnects and stops the embedded store, in that order.
func (a *app) close(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if a.client != nil {
		_ = a.client.Disconnect(ctx)
	}
	if a.embedded != nil {
		if err := a.embedded.Stop(ctx); err != nil {
			a.logger.Warn("store: stop", "err", err)
		}
	}
}

func serve(ctx context.Context, cfg *Config) error {
	logger := cfg.logger(os.Stderr)
	slog.SetDefault(logger)
	a, err := newApp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.close(context.Background())
	err = a.run(ctx, nil)
	logger.Info("pishkhan: stopped", "err", err)
	return err
}

// nodeName names this process among those sharing the database: its host
// and listen address, the same when it is started again after a crash.
func nodeName(cfg *Config) string {
	host, _ := os.Hostname()
	return host + " " + cfg.Addr
}

// redactURI hides the password of a connection string in logs.
func redactURI(uri string) string {
	if i := bytes.IndexByte([]byte(uri), '@'); i > 0 {
		if j := bytes.Index([]byte(uri), []byte("://")); j > 0 && j < i {
			return uri[:j+3] + "…@" + uri[i+1:]
		}
	}
	return uri
}

// decodeStrictFile decodes a definition file, refusing unknown fields.
func decodeStrictFile(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON object")
	}
	return nil
}

// listenMail starts the mail listener; stop closes it.
func (a *app) listenMail() (stop func(), err error) {
	maxSize, _ := parseBytes(a.cfg.MailMaxSize)
	from, _ := mail.ParseAddress(a.cfg.MailFrom)
	own := ""
	if from != nil {
		own = from.Address
	}
	l := &email.Listener{Requests: a.requests, Domain: a.cfg.mailDomain(), MaxBytes: maxSize, Own: own, Logger: a.logger}
	if a.cfg.SMTPCert != "" {
		cert, err := email.LoadCertificate(a.cfg.SMTPCert, a.cfg.SMTPKey)
		if err != nil {
			return nil, fmt.Errorf("mail listener: %w", err)
		}
		cert.Logger = a.logger
		l.TLS = cert.Config()
	}
	ln, err := net.Listen("tcp", a.cfg.SMTPAddr)
	if err != nil {
		return nil, fmt.Errorf("mail listener: %w", err)
	}
	a.mailAddr = ln.Addr()
	srv := l.Server()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			a.logger.Error("mail listener", "err", err)
		}
	}()
	a.logger.Info("pishkhan: taking mail", "addr", ln.Addr().String(), "domain", l.Domain, "starttls", l.TLS != nil)
	return func() { _ = srv.Close() }, nil
}
