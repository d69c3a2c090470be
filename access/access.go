package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/casbin/casbin/v2"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Errors callers test with errors.Is; the HTTP layer maps them to 401/403/409.
var (
	// ErrUnauthenticated: no credentials, or wrong, expired, forged or
	// revoked ones. Deliberately says nothing about which.
	ErrUnauthenticated = errors.New("authentication required")
	// ErrForbidden: the caller is known but may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrLockedOut: too many failed logins; try again later.
	ErrLockedOut = errors.New("account temporarily locked")
	// ErrCSRF: a cookie-authenticated write without the session's CSRF token.
	ErrCSRF = errors.New("missing or wrong CSRF token")
	// ErrLastAdmin: the change would leave nobody able to administer.
	ErrLastAdmin = errors.New("the change would lock every admin out")
	// ErrNotFound: no such user, group or key.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: a value is wrong; the wrapping message says which.
	ErrInvalid = errors.New("invalid input")
	// ErrExists: a user or group with that name already exists.
	ErrExists = errors.New("already exists")
)

// Role names.
const (
	RoleAdmin        = "admin"
	RoleProcessOwner = "process-owner"
	RoleSupervisor   = "supervisor"
	RoleAgent        = "agent"
	RoleRequester    = "requester"
	RoleSystem       = "system"
)

// Roles lists every role, for validation and documentation.
var Roles = []string{RoleAdmin, RoleProcessOwner, RoleSupervisor, RoleAgent, RoleRequester, RoleSystem}

// Principal is whoever is calling: a user or an API key.
type Principal struct {
	// Subject is the policy subject: the username, or "key:<id>".
	Subject string
	// User is set for a person, nil for an API key.
	User *User
	// KeyID and Scopes are set for an API key.
	KeyID  string
	Scopes []string
	// Session identifies the session a user authenticated with, if any.
	Session string
	// ViaCookie is true when the credentials came in a cookie, so that
	// writes need the CSRF token.
	ViaCookie bool
	csrfHash  string
}

// IsKey reports whether the principal is an API key.
func (p *Principal) IsKey() bool { return p.KeyID != "" }

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller, or nil for an anonymous request.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Config tunes the service; zero values take the defaults shown.
type Config struct {
	SessionTTL    time.Duration // 12h
	CacheTTL      time.Duration // 5s: how stale a cached session, key or user (UserCached) may be on another process
	PollInterval  time.Duration // 1s: how often policy changes from elsewhere are looked for
	LockAfter     int           // 5 failed logins in a row lock the account
	LockFor       time.Duration // 1m for the first lock, doubling to LockMax
	LockMax       time.Duration // 15m
	PasswordCost  PasswordCost  // argon2id parameters
	AdminPassword string        // PISHKHAN_ADMIN_PASSWORD for the first start
}

func (c *Config) defaults() {
	if c.SessionTTL == 0 {
		c.SessionTTL = 12 * time.Hour
	}
	if c.CacheTTL == 0 {
		c.CacheTTL = 5 * time.Second
	}
	if c.PollInterval == 0 {
		c.PollInterval = time.Second
	}
	if c.LockAfter == 0 {
		c.LockAfter = 5
	}
	if c.LockFor == 0 {
		c.LockFor = time.Minute
	}
	if c.LockMax == 0 {
		c.LockMax = 15 * time.Minute
	}
	if c.PasswordCost == (PasswordCost{}) {
		c.PasswordCost = DefaultPasswordCost
	}
}

// Service is the access service of one process.
type Service struct {
	cfg      Config
	logger   *slog.Logger
	now      func() time.Time
	users    *mongo.Collection
	groups   *mongo.Collection
	sessions *mongo.Collection
	keys     *mongo.Collection
	counters *mongo.Collection
	enforcer *casbin.SyncedEnforcer
	policyMu sync.Mutex // serialises policy edits in this process

	cacheMu sync.Mutex
	cache   map[string]cached // by credential hash
	seenGen int64             // policy generation last loaded

	// people caches users for UserCached, by username.
	peopleMu sync.Mutex
	people   map[string]cachedUser
}

type cachedUser struct {
	u       *User
	expires time.Time
}

type cached struct {
	p       *Principal
	expires time.Time
}

// randomToken returns n random bytes, URL-safe encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("access: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how tokens and key secrets are stored: high-entropy secrets
// need no slow hash, only one that cannot be reversed.
func hashToken(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Authorize fails with ErrUnauthenticated for an anonymous caller and
// ErrForbidden for one whose roles do not allow act on obj in dom.
func (s *Service) Authorize(ctx context.Context, dom, obj, act string) (*Principal, error) {
	p := PrincipalFrom(ctx)
	if p == nil {
		return nil, ErrUnauthenticated
	}
	if !s.Can(p, dom, obj, act) {
		return p, ErrForbidden
	}
	return p, nil
}

// AuthorizeSomewhere is Authorize for actions allowed by a role held in any
// domain (a process owner of one category reads every definition).
func (s *Service) AuthorizeSomewhere(ctx context.Context, obj, act string) (*Principal, error) {
	p := PrincipalFrom(ctx)
	if p == nil {
		return nil, ErrUnauthenticated
	}
	if !s.CanSomewhere(p, obj, act) {
		return p, ErrForbidden
	}
	return p, nil
}
