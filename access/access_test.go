package access_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// cheap keeps tests fast; the production cost is DefaultPasswordCost.
var cheap = access.PasswordCost{Time: 1, Memory: 1024, Threads: 1}

func service(t *testing.T, cfg access.Config) *access.Service {
	t.Helper()
	if cfg.PasswordCost == (access.PasswordCost{}) {
		cfg.PasswordCost = cheap
	}
	s, err := access.New(context.Background(), storetest.DB(t), storetest.URI(t), cfg, access.Logger{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Bootstrap(context.Background(), "admin-password", io.Discard); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBootstrapPrintsAGeneratedPasswordOnce(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	s, err := access.New(context.Background(), db, storetest.URI(t), access.Config{PasswordCost: cheap}, access.Logger{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := s.Bootstrap(context.Background(), "", &out); err != nil {
		t.Fatal(err)
	}
	i := strings.Index(out.String(), "password: ")
	if i < 0 {
		t.Fatalf("no password printed: %q", out.String())
	}
	password := strings.Fields(out.String()[i+len("password: "):])[0]
	if _, err := s.Login(context.Background(), "admin", password); err != nil {
		t.Errorf("the printed password does not log in: %v", err)
	}
	out.Reset()
	if err := s.Bootstrap(context.Background(), "", &out); err != nil || out.Len() != 0 {
		t.Errorf("second start printed %q (%v)", out.String(), err)
	}
	roles, _ := s.RolesOf("admin")
	if len(roles) != 1 || roles[0] != (access.RoleAssignment{Role: access.RoleAdmin, Domain: "*"}) {
		t.Errorf("admin roles %+v", roles)
	}
}

func TestSessionsExpire(t *testing.T) {
	t.Parallel()
	s := service(t, access.Config{SessionTTL: 300 * time.Millisecond, CacheTTL: 50 * time.Millisecond})
	ctx := context.Background()
	sess, err := s.Login(ctx, "admin", "admin-password")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.Authenticate(ctx, sess.Token, false); err != nil || p.Subject != "admin" {
		t.Fatalf("fresh session: %+v %v", p, err)
	}
	time.Sleep(400 * time.Millisecond)
	if _, err := s.Authenticate(ctx, sess.Token, false); !errors.Is(err, access.ErrUnauthenticated) {
		t.Errorf("expired session: %v", err)
	}
}

func TestCredentialsThatMustFail(t *testing.T) {
	t.Parallel()
	s := service(t, access.Config{})
	ctx := context.Background()
	sess, _ := s.Login(ctx, "admin", "admin-password")
	_, key, err := s.CreateKey(ctx, "bot", []string{"requests:submit"}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		cred   string
		cookie bool
	}{
		"empty":                   {"", false},
		"forged session":          {"pks_" + strings.Repeat("x", 43), false},
		"truncated session":       {sess.Token[:len(sess.Token)-1], false},
		"key with a wrong secret": {key[:len(key)-3] + "abc", false},
		"key without secret":      {strings.SplitN(key, "_", 3)[0] + "_" + strings.SplitN(key, "_", 3)[1], false},
		"key in a cookie":         {key, true},
		"huge":                    {strings.Repeat("a", 10000), false},
	}
	for name, tc := range cases {
		if _, err := s.Authenticate(ctx, tc.cred, tc.cookie); !errors.Is(err, access.ErrUnauthenticated) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if p, err := s.Authenticate(ctx, key, false); err != nil || !p.IsKey() || !p.HasScope("requests:submit") || p.HasScope("requests:read") {
		t.Errorf("valid key: %+v %v", p, err)
	}
}

func TestDisablingAUserEndsTheirSessions(t *testing.T) {
	t.Parallel()
	s := service(t, access.Config{})
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, access.NewUser{Username: "sara", Password: "sara-password", Name: "Sara"}); err != nil {
		t.Fatal(err)
	}
	sess, err := s.Login(ctx, "sara", "sara-password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sess.Token, false); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := s.UpdateUser(ctx, "sara", access.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sess.Token, false); !errors.Is(err, access.ErrUnauthenticated) {
		t.Errorf("session of a disabled user: %v", err)
	}
	if _, err := s.Login(ctx, "sara", "sara-password"); !errors.Is(err, access.ErrUnauthenticated) {
		t.Errorf("login of a disabled user: %v", err)
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	s := service(t, access.Config{})
	ctx := context.Background()
	sess, _ := s.Login(ctx, "admin", "admin-password")
	cookie, _ := s.Authenticate(ctx, sess.Token, true)
	bearer, _ := s.Authenticate(ctx, sess.Token, false)
	if cookie.CheckCSRF("") == nil || cookie.CheckCSRF("nope") == nil || cookie.CheckCSRF(sess.CSRF) != nil {
		t.Error("cookie principal: CSRF check wrong")
	}
	if bearer.CheckCSRF("") != nil {
		t.Error("a bearer token needs no CSRF token")
	}
}

func TestUserInputIsChecked(t *testing.T) {
	t.Parallel()
	s := service(t, access.Config{})
	ctx := context.Background()
	for name, n := range map[string]access.NewUser{
		"bad username":   {Username: "Bad Name", Password: "long-enough"},
		"short password": {Username: "ok", Password: "short"},
		"bad email":      {Username: "ok", Password: "long-enough", Email: "not an email"},
		"bad group":      {Username: "ok", Password: "long-enough", Groups: []string{"$x"}},
	} {
		if _, err := s.CreateUser(ctx, n); !errors.Is(err, access.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.CreateUser(ctx, access.NewUser{Username: "admin", Password: "long-enough"}); !errors.Is(err, access.ErrExists) {
		t.Errorf("duplicate: %v", err)
	}
	if _, _, err := s.CreateKey(ctx, "bot", []string{"everything"}, "admin"); !errors.Is(err, access.ErrInvalid) {
		t.Errorf("unknown scope: %v", err)
	}
	if err := s.SetRules(ctx, append(access.DefaultRules, access.Rule{Role: "requester", Domain: "*", Object: "requests", Action: "delete"})); !errors.Is(err, access.ErrInvalid) {
		t.Errorf("unknown action: %v", err)
	}
}

// TestCachedUsersAreAtMostCacheTTLOld: UserCached shows a change this
// process made at once, another process's once CacheTTL has passed, and
// looks up a user that is not there every time.
func TestCachedUsersAreAtMostCacheTTLOld(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	cfg := access.Config{PasswordCost: cheap, CacheTTL: 300 * time.Millisecond}
	here, err := access.New(ctx, db, storetest.URI(t), cfg, access.Logger{})
	if err != nil {
		t.Fatal(err)
	}
	there, err := access.New(ctx, db, storetest.URI(t), cfg, access.Logger{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := here.UserCached(ctx, "sara"); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("before sara exists: %v", err)
	}
	if _, err := there.CreateUser(ctx, access.NewUser{Username: "sara", Password: "sara-password", Name: "Sara", Email: "sara@example.com"}); err != nil {
		t.Fatal(err)
	}
	email := func() string {
		t.Helper()
		u, err := here.UserCached(ctx, "sara")
		if err != nil {
			t.Fatal(err)
		}
		return u.Email
	}
	if got := email(); got != "sara@example.com" {
		t.Fatalf("a user not found before is looked up again: %q", got)
	}
	set := func(s *access.Service, email string) {
		t.Helper()
		if _, err := s.UpdateUser(ctx, "sara", access.UserUpdate{Email: &email}); err != nil {
			t.Fatal(err)
		}
	}
	set(here, "sara@here.example")
	if got := email(); got != "sara@here.example" {
		t.Errorf("after this process's change: %q", got)
	}
	changed := time.Now()
	set(there, "sara@there.example")
	if got := email(); got != "sara@here.example" && time.Since(changed) < cfg.CacheTTL {
		t.Errorf("another process's change showed before CacheTTL: %q (the cache reads the store every time)", got)
	}
	time.Sleep(cfg.CacheTTL)
	if got := email(); got != "sara@there.example" {
		t.Errorf("another process's change, CacheTTL later: %q", got)
	}
}
