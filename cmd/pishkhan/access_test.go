package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
)

// A browser session: the cookie authenticates, and writes need the CSRF
// token the login answered with.
func TestCookieSessionNeedsCSRFOnWrites(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	res, err := browser.Post(srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username": "admin", "password": "`+testAdminPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		CSRF string `json:"csrfToken"`
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	mustUnmarshal(t, raw, &body)
	ck := res.Cookies()
	if len(ck) != 1 || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteLaxMode || body.CSRF == "" {
		t.Fatalf("login cookie %+v, csrf %q", ck, body.CSRF)
	}
	send := func(method, path, payload string, headers ...string) int {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(payload))
		if payload != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := send("GET", "/api/v1/auth/me", ""); s != 200 {
		t.Errorf("cookie read: %d", s)
	}
	group := `{"kind": "group", "title": {"en": "Field team"}}`
	if s := send("PUT", "/api/v1/groups/field", group); s != 403 {
		t.Errorf("cookie write without CSRF token: %d, want 403", s)
	}
	if s := send("PUT", "/api/v1/groups/field", group, "X-CSRF-Token", "wrong"); s != 403 {
		t.Errorf("cookie write with a wrong CSRF token: %d, want 403", s)
	}
	if s := send("PUT", "/api/v1/groups/field", group, "X-CSRF-Token", body.CSRF); s != 200 {
		t.Errorf("cookie write with the CSRF token: %d, want 200", s)
	}
	if s := send("POST", "/api/v1/auth/logout", "", "X-CSRF-Token", body.CSRF); s != 204 {
		t.Errorf("logout: %d", s)
	}
	if s := send("GET", "/api/v1/auth/me", ""); s != 401 {
		t.Errorf("after logout: %d, want 401", s)
	}
}

func TestLogoutEndsABearerSession(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	tok := login(t, srv, "admin", testAdminPassword)
	if r := call(t, srv, "POST", "/api/v1/auth/logout", nil, bearer(tok)...); r.status != 204 {
		t.Fatalf("logout: %d %s", r.status, r.raw)
	}
	r := call(t, srv, "GET", "/api/v1/auth/me", nil, bearer(tok)...)
	expectProblem(t, r, 401, "unauthenticated")
}

// Wrong passwords lock the account; the right password does not get in
// until the lock expires, and an unknown user is answered the same way.
func TestRepeatedFailuresLockTheAccount(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t, func(c *Config) { c.Demo = true })
	try := func(user, pass string) response {
		return call(t, srv, "POST", "/api/v1/auth/login", `{"username": "`+user+`", "password": "`+pass+`"}`, "Authorization", "none")
	}
	wrong := try("sara", "not-her-password")
	unknown := try("nobody", "whatever-password")
	expectProblem(t, wrong, 401, "unauthenticated")
	expectProblem(t, unknown, 401, "unauthenticated")
	if wrong.body["detail"] != unknown.body["detail"] {
		t.Errorf("a wrong password and an unknown user are told apart: %q vs %q", wrong.body["detail"], unknown.body["detail"])
	}
	for i := 0; i < 4; i++ {
		try("sara", "not-her-password")
	}
	r := try("sara", "sara-demo")
	expectProblem(t, r, 429, "locked-out")
	if r := try("reza", "reza-demo"); r.status != 200 {
		t.Errorf("another account is not locked: %d", r.status)
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t, func(c *Config) { c.LoginRate = 0.01 })
	limited := 0
	for i := 0; i < 15; i++ {
		r := call(t, srv, "POST", "/api/v1/auth/login", `{"username": "x", "password": "y"}`, "Authorization", "none")
		if r.status == 429 {
			limited++
			if r.header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}
	}
	if limited < 4 {
		t.Errorf("15 logins in a burst: %d limited, want at least 4 (burst is 10; testApp's first login took one)", limited)
	}
}

func TestTrackingIsRateLimited(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t, func(c *Config) { c.TrackRate = 0.01 })
	limited := 0
	for i := 0; i < 40; i++ {
		if r := call(t, srv, "GET", "/api/v1/track/"+newCode(), nil, "Authorization", "none"); r.status == 429 {
			limited++
		}
	}
	if limited < 9 {
		t.Errorf("40 lookups in a burst: %d limited, want at least 9 (burst 30)", limited)
	}
}

// No edit may leave Pishkhan without an admin.
func TestNobodyCanLockEveryAdminOut(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	expectProblem(t, call(t, srv, "PUT", "/api/v1/users/admin/roles", `[]`), 409, "last-admin")
	expectProblem(t, call(t, srv, "PATCH", "/api/v1/users/admin", `{"disabled": true}`), 409, "last-admin")
	expectProblem(t, call(t, srv, "PUT", "/api/v1/policies", `{"rules": [{"role": "requester", "domain": "*", "object": "requests", "action": "submit"}]}`), 409, "last-admin")
	// With a second admin, the first may step down.
	if r := call(t, srv, "POST", "/api/v1/users", `{"username": "second", "password": "second-admin-pw", "name": "Second"}`); r.status != 201 {
		t.Fatal(r.status, string(r.raw))
	}
	if r := call(t, srv, "PUT", "/api/v1/users/second/roles", `[{"role": "admin", "domain": "*"}]`); r.status != 200 {
		t.Fatal(r.status, string(r.raw))
	}
	if r := call(t, srv, "PUT", "/api/v1/users/admin/roles", `[{"role": "agent", "domain": "*"}]`); r.status != 200 {
		t.Errorf("stepping down with another admin in place: %d %s", r.status, r.raw)
	}
	// Bad edits are refused precisely.
	expectProblem(t, call(t, srv, "PUT", "/api/v1/users/second/roles", `[{"role": "emperor", "domain": "*"}]`, bearer(login(t, srv, "second", "second-admin-pw"))...), 400, "invalid-input")
}

// Roles changed through one process hold on another within seconds.
func TestRoleChangesHoldOnEveryProcess(t *testing.T) {
	t.Parallel()
	db := "test_shared_" + strings.ReplaceAll(newCode(), "-", "")
	first, srvA := testApp(t, func(c *Config) { c.Database = db; c.Demo = true; c.PollInterval = 100 * time.Millisecond })
	_, srvB := testApp(t, func(c *Config) { c.Database = db; c.PollInterval = 100 * time.Millisecond })
	_ = first
	sara := login(t, srvB, "sara", "sara-demo")
	if r := call(t, srvB, "GET", "/api/v1/forms/it-support", nil, bearer(sara)...); r.status != 403 {
		t.Fatalf("a requester reads drafts: %d", r.status)
	}
	if r := call(t, srvA, "PUT", "/api/v1/users/sara/roles", `[{"role": "agent", "domain": "*"}]`); r.status != 200 {
		t.Fatal(r.status, string(r.raw))
	}
	deadline := time.Now().Add(5 * time.Second)
	for call(t, srvB, "GET", "/api/v1/forms/it-support", nil, bearer(sara)...).status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("the other process did not apply the new role within 5s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Revoking a key holds at once on the process that revoked it.
	key := call(t, srvA, "POST", "/api/v1/apikeys", `{"name": "bot", "scopes": ["forms:read"]}`)
	secret, id := key.body["key"].(string), key.body["id"].(string)
	if r := call(t, srvA, "GET", "/api/v1/forms", nil, bearer(secret)...); r.status != 200 {
		t.Fatalf("fresh key: %d", r.status)
	}
	call(t, srvA, "DELETE", "/api/v1/apikeys/"+id, nil)
	expectProblem(t, call(t, srvA, "GET", "/api/v1/forms", nil, bearer(secret)...), 401, "unauthenticated")
}
