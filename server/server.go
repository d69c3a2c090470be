package server

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// APIPrefix is where every JSON endpoint lives.
const APIPrefix = "/api/v1"

// Config holds the server's limits. Zero values take the defaults shown.
type Config struct {
	// BodyLimit is the largest request body accepted, e.g. "1M" (default).
	BodyLimit string
	// RequestTimeout bounds the work of one request (default 30s).
	RequestTimeout time.Duration
	// Logger receives one line per request and every server-side error.
	Logger *slog.Logger
	// Ready answers nil when the server can serve (the store is reachable).
	Ready func(context.Context) error
	// FileRoutes are the routes (as registered, "/api/v1/uploads") that
	// take a file as multipart/form-data: BodyLimit does not hold them,
	// and their handlers bound the body themselves.
	FileRoutes []string
}

func (c *Config) defaults() {
	if c.BodyLimit == "" {
		c.BodyLimit = "1M"
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Ready == nil {
		c.Ready = func(context.Context) error { return nil }
	}
}

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3.1 document that describes the API.
func OpenAPI() []byte { return openAPI }

// New returns an echo instance with Pishkhan's middleware, the problem+json
// error handler, /healthz, /readyz and the OpenAPI document.
func New(cfg Config) *echo.Echo {
	cfg.defaults()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(cfg.Logger)
	e.Use(
		middleware.RequestID(),
		requestLog(cfg.Logger),
		recoverPanics(cfg.Logger),
		middleware.SecureWithConfig(middleware.SecureConfig{
			ContentTypeNosniff:    "nosniff",
			XFrameOptions:         "DENY",
			ReferrerPolicy:        "no-referrer",
			ContentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
		}),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: cfg.BodyLimit, Skipper: func(c echo.Context) bool {
			return slices.Contains(cfg.FileRoutes, c.Path())
		}}),
		middleware.ContextTimeout(cfg.RequestTimeout),
		requireJSON(cfg.FileRoutes),
	)
	e.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	e.GET("/readyz", func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := cfg.Ready(ctx); err != nil {
			cfg.Logger.Warn("not ready", "err", err)
			p := Problem{Type: ProblemTypePrefix + kindUnavailable.slug, Title: pick(kindUnavailable.title, Lang(c)),
				Status: kindUnavailable.status, Detail: "The store does not answer."}
			writeProblem(c, p)
			return nil
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	})
	e.GET(APIPrefix+"/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/json", openAPI)
	})
	return e
}

// API returns the group under which the JSON API registers its routes.
// (Middleware is global rather than on the group: echo adds catch-all routes
// for a group with middleware, which would turn every 405 into a 404.)
func API(e *echo.Echo) *echo.Group {
	return e.Group(APIPrefix)
}

// requireJSON refuses an API write whose body is not declared as JSON, so
// that a form post or a text body never reaches a handler; the file
// routes take multipart/form-data instead.
func requireJSON(fileRoutes []string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
				return next(c)
			}
			if !strings.HasPrefix(r.URL.Path, APIPrefix+"/") {
				return next(c)
			}
			if r.ContentLength == 0 && r.Header.Get(echo.HeaderContentType) == "" {
				return next(c) // bodiless action such as publish
			}
			mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
			if slices.Contains(fileRoutes, c.Path()) {
				if err != nil || mt != echo.MIMEMultipartForm {
					return echo.NewHTTPError(http.StatusUnsupportedMediaType, "Send the file as multipart/form-data, in a part named file.")
				}
				return next(c)
			}
			if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
				return echo.NewHTTPError(http.StatusUnsupportedMediaType,
					fmt.Sprintf("Content-Type %q is not JSON: send application/json.", r.Header.Get(echo.HeaderContentType)))
			}
			return next(c)
		}
	}
}

func requestLog(logger *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogRoutePath: true, LogLatency: true, LogRequestID: true, LogResponseSize: true,
		HandleError: true, // so the status logged is the problem's
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			// The route pattern, never the path: paths hold tracking codes,
			// and query strings may hold personal data.
			logger.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("requestId", v.RequestID), slog.String("method", v.Method), slog.String("route", v.RoutePath),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency), slog.Int64("bytes", v.ResponseSize))
			return nil
		},
	})
}

// recoverPanics turns a handler panic into a 500 problem and a log line
// with the stack, instead of a dropped connection.
func recoverPanics(logger *slog.Logger) echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			logger.Error("panic", "requestId", c.Response().Header().Get(echo.HeaderXRequestID), "err", err, "stack", string(stack))
			return err
		},
	})
}

// Run serves e on addr until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish for up to grace. ready, if not nil,
// receives the bound address once listening.
func Run(ctx context.Context, e *echo.Echo, addr string, grace time.Duration, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
