package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestMountUI(t *testing.T) {
	t.Parallel()
	e := New(Config{})
	MountUI(e, fstest.MapFS{
		"index.html":           {Data: []byte("<!doctype html><title>app</title>")},
		"assets/index-abc.js":  {Data: []byte("console.log(1)")},
		"assets/index-abc.css": {Data: []byte("body{}")},
	})
	for _, tc := range []struct {
		name, path   string
		status       int
		body, cache  string
		uiCSP, isApp bool
	}{
		{name: "index", path: "/", status: 200, body: "<title>app</title>", cache: "no-cache", uiCSP: true, isApp: true},
		{name: "client-side route gets index.html", path: "/requests/NFEHTAHF9P", status: 200, body: "<title>app</title>", cache: "no-cache", uiCSP: true, isApp: true},
		{name: "hashed asset cached for good", path: "/assets/index-abc.js", status: 200, body: "console.log(1)", cache: "public, max-age=31536000, immutable", uiCSP: true},
		{name: "missing asset is 404, not the app", path: "/assets/index-old.js", status: 404, uiCSP: true},
		{name: "API path is never the app", path: "/api/v1/nothing-here", status: 404},
		{name: "health is not the app", path: "/healthz", status: 200, body: `"ok"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), tc.body) {
				t.Errorf("body %q lacks %q", rec.Body, tc.body)
			}
			if got := rec.Header().Get("Cache-Control"); got != tc.cache {
				t.Errorf("Cache-Control %q, want %q", got, tc.cache)
			}
			csp := rec.Header().Get("Content-Security-Policy")
			if got := strings.Contains(csp, "'unsafe-eval'"); got != tc.uiCSP {
				t.Errorf("CSP %q: the app's policy is %v, want %v", csp, got, tc.uiCSP)
			}
			if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("CSP %q lost the defaults", csp)
			}
			if isApp := strings.Contains(rec.Body.String(), "<title>app</title>"); isApp != tc.isApp {
				t.Errorf("served the app: %v, want %v", isApp, tc.isApp)
			}
		})
	}
}

// TestUIIsSentGzipped: a browser that takes gzip gets the app's files
// compressed, and the same bytes once unpacked; one that does not gets
// them as they are; API answers are left alone.
func TestUIIsSentGzipped(t *testing.T) {
	t.Parallel()
	script := bytes.Repeat([]byte("console.log('pishkhan');\n"), 400)
	e := New(Config{})
	MountUI(e, fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>app</title>")}, "assets/index-abc.js": {Data: script}})
	get := func(path string, gz bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	rec := get("/assets/index-abc.js", true)
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Body.Len() >= len(script)/3 {
		t.Fatalf("gzip asked: encoding %q, %d bytes of %d", rec.Header().Get("Content-Encoding"), rec.Body.Len(), len(script))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, script) {
		t.Error("the unpacked script differs")
	}
	if rec := get("/assets/index-abc.js", false); rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), script) {
		t.Errorf("no gzip asked: encoding %q, %d bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
	if rec := get("/healthz", true); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("an API answer was gzipped by the app's middleware")
	}
}
