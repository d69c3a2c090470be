// Package accessapi is the HTTP side of access: the middleware that turns a
// bearer token, an API key or a session cookie into the request's
// principal (and checks CSRF on cookie-authenticated writes), rate limits,
// and the handlers for login, users, groups, roles, permission rules and
// API keys.
package accessapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/server"
)

// Cookie names.
const (
	SessionCookie = "pishkhan_session"
	CSRFHeader    = "X-CSRF-Token"
)

// Config holds the HTTP-side settings.
type Config struct {
	// SecureCookies marks the session cookie Secure (serve over HTTPS).
	SecureCookies bool
	// LoginRate and LoginBurst limit login attempts per client address.
	LoginRate  rate.Limit // default 1 per second
	LoginBurst int        // default 10
	// TrackRate and TrackBurst limit tracking lookups per client address.
	TrackRate  rate.Limit // default 5 per second
	TrackBurst int        // default 30
}

func (c *Config) defaults() {
	if c.LoginRate == 0 {
		c.LoginRate = 1
	}
	if c.LoginBurst == 0 {
		c.LoginBurst = 10
	}
	if c.TrackRate == 0 {
		c.TrackRate = 5
	}
	if c.TrackBurst == 0 {
		c.TrackBurst = 30
	}
}

// Authenticate sets the principal of every request that presents
// credentials. A bearer credential that does not check out is a 401 at
// once; a stale cookie is ignored (the caller is anonymous), so that a
// browser with an expired session can still use public pages.
func Authenticate(svc *access.Service) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			var p *access.Principal
			if h := r.Header.Get(echo.HeaderAuthorization); h != "" {
				token, ok := strings.CutPrefix(h, "Bearer ")
				if !ok {
					return access.ErrUnauthenticated
				}
				var err error
				if p, err = svc.Authenticate(r.Context(), strings.TrimSpace(token), false); err != nil {
					return err
				}
			} else if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" {
				if p, err = svc.Authenticate(r.Context(), ck.Value, true); err != nil {
					if !errors.Is(err, access.ErrUnauthenticated) {
						return err
					}
					p = nil
				}
			}
			if p != nil {
				if unsafe(r.Method) {
					if err := p.CheckCSRF(r.Header.Get(CSRFHeader)); err != nil {
						return err
					}
				}
				c.SetRequest(r.WithContext(access.WithPrincipal(r.Context(), p)))
			}
			return next(c)
		}
	}
}

func unsafe(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// RateLimit limits requests per client address, answering 429 with
// Retry-After.
func RateLimit(r rate.Limit, burst int) echo.MiddlewareFunc {
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{Rate: r, Burst: burst, ExpiresIn: 10 * time.Minute}),
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "1")
			return echo.NewHTTPError(http.StatusTooManyRequests, "Too many requests from this address; wait a moment.")
		},
	})
}

// Handlers serves the access routes.
type Handlers struct {
	svc *access.Service
	cfg Config
}

// Register adds the access routes to the API group and returns the rate
// limiter for tracking lookups, which the runtime API mounts.
func Register(g *echo.Group, svc *access.Service, cfg Config) (trackLimit echo.MiddlewareFunc) {
	cfg.defaults()
	h := &Handlers{svc: svc, cfg: cfg}
	g.POST("/auth/login", h.login, RateLimit(cfg.LoginRate, cfg.LoginBurst))
	g.POST("/auth/logout", h.logout)
	g.GET("/auth/me", h.me)
	g.GET("/users", h.listUsers)
	g.POST("/users", h.createUser)
	g.GET("/users/:username", h.getUser)
	g.PATCH("/users/:username", h.updateUser)
	g.PUT("/users/:username/roles", h.setRoles)
	g.GET("/groups", h.listGroups)
	g.GET("/groups/:key", h.getGroup)
	g.PUT("/groups/:key", h.putGroup)
	g.GET("/policies", h.getRules)
	g.PUT("/policies", h.setRules)
	g.GET("/apikeys", h.listKeys)
	g.POST("/apikeys", h.createKey)
	g.DELETE("/apikeys/:id", h.revokeKey)
	return RateLimit(cfg.TrackRate, cfg.TrackBurst)
}

type loginBody struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginAnswer struct {
	Token     string       `json:"token"`
	CSRFToken string       `json:"csrfToken"`
	ExpiresAt time.Time    `json:"expiresAt"`
	User      *access.User `json:"user"`
}

func (h *Handlers) login(c echo.Context) error {
	var b loginBody
	if err := server.DecodeJSON(c, &b); err != nil {
		return err
	}
	sess, err := h.svc.Login(c.Request().Context(), strings.ToLower(strings.TrimSpace(b.Username)), b.Password)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: sess.Token, Path: "/", HttpOnly: true, Secure: h.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	sess.User.Roles, _ = h.svc.RolesOf(sess.User.Username)
	return c.JSON(http.StatusOK, loginAnswer{Token: sess.Token, CSRFToken: sess.CSRF, ExpiresAt: sess.ExpiresAt, User: sess.User})
}

func (h *Handlers) logout(c echo.Context) error {
	p := access.PrincipalFrom(c.Request().Context())
	if p == nil || p.Session == "" {
		return access.ErrUnauthenticated
	}
	token := strings.TrimPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if ck, err := c.Request().Cookie(SessionCookie); err == nil && p.ViaCookie {
		token = ck.Value
	}
	if err := h.svc.Logout(c.Request().Context(), token); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: h.cfg.SecureCookies, MaxAge: -1, SameSite: http.SameSiteLaxMode})
	return c.NoContent(http.StatusNoContent)
}

type meAnswer struct {
	User   *access.User `json:"user,omitempty"`
	Key    string       `json:"apiKey,omitempty"`
	Scopes []string     `json:"scopes,omitempty"`
}

func (h *Handlers) me(c echo.Context) error {
	p := access.PrincipalFrom(c.Request().Context())
	if p == nil {
		return access.ErrUnauthenticated
	}
	if p.IsKey() {
		return c.JSON(http.StatusOK, meAnswer{Key: p.KeyID, Scopes: p.Scopes})
	}
	u := *p.User
	u.Roles, _ = h.svc.RolesOf(u.Username)
	return c.JSON(http.StatusOK, meAnswer{User: &u})
}
