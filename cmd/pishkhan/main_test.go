package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// envRunMain makes the test binary run `pishkhan` instead of the tests.
const envRunMain = "PISHKHAN_TEST_RUN_MAIN"

// TestMain runs the tests, or with envRunMain set runs pishkhan itself:
// the crash tests start this binary as the server they kill.
func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		main()
		os.Exit(0)
	}
	storetest.Main(m)
}

// testApp wires a Pishkhan on a fresh database of the test store and serves
// it over real HTTP on loopback.
func testApp(t testing.TB, mutate ...func(*Config)) (*app, *httptest.Server) {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	cfg, err := parseConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MongoURI = storetest.URI(t)
	cfg.AdminPassword = testAdminPassword
	cfg.LoginRate, cfg.TrackRate = 1000, 1000 // the rate-limit test sets its own
	cfg.Database = "test_app_" + hex.EncodeToString(b[:])
	for _, m := range mutate {
		m(cfg)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, err := newApp(context.Background(), cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	bg, stopBackground := context.WithCancel(context.Background())
	a.startBackground(bg)
	srv := httptest.NewServer(a.echo)
	defaultTokens.Store(srv.URL, login(t, srv, "admin", testAdminPassword))
	t.Cleanup(func() {
		defaultTokens.Delete(srv.URL)
		stopBackground()
		srv.Close()
		_ = a.client.Database(cfg.Database).Drop(context.Background())
		a.close(context.Background())
	})
	return a, srv
}

// response is what a test call got back.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// call makes one request. body may be a string (sent as is) or any value
// (sent as JSON); headers come in pairs.
func call(t *testing.T, srv *httptest.Server, method, path string, body any, headers ...string) response {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok, ok := defaultTokens.Load(srv.URL); ok {
		req.Header.Set("Authorization", "Bearer "+tok.(string))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
		if headers[i] == "Authorization" && headers[i+1] == "none" {
			req.Header.Del("Authorization")
		}
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

const testAdminPassword = "admin-test-password"

// defaultTokens holds, per test server, the admin token call sends unless a
// test names other credentials ("Authorization", "none" sends none).
var defaultTokens sync.Map

// login returns a session token.
func login(t testing.TB, srv *httptest.Server, username, password string) string {
	t.Helper()
	res, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"username": "`+username+`", "password": "`+password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 || body.Token == "" {
		t.Fatalf("login %s: %d %v", username, res.StatusCode, err)
	}
	return body.Token
}

// bearer is the header pair for a token.
func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// publishDemo saves and publishes the demo contact fragment and a form.
func publishDemo(t *testing.T, srv *httptest.Server, form string) {
	t.Helper()
	for _, d := range []struct{ col, key, file string }{
		{"fragments", "contact", "demo/fragments/contact.json"},
		{"forms", form, "demo/forms/" + form + ".json"},
	} {
		body, err := demoFiles.ReadFile(d.file)
		if err != nil {
			t.Fatal(err)
		}
		if r := call(t, srv, "PUT", "/api/v1/"+d.col+"/"+d.key, string(body)); r.status != 200 {
			t.Fatalf("save %s: %d %s", d.key, r.status, r.raw)
		}
		if r := call(t, srv, "POST", "/api/v1/"+d.col+"/"+d.key+"/publish", nil); r.status != 201 {
			t.Fatalf("publish %s: %d %s", d.key, r.status, r.raw)
		}
	}
}
