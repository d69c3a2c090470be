package main

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestFormLifecycle(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	publishDemo(t, srv, "it-support")

	r := call(t, srv, "GET", "/api/v1/forms/it-support", nil)
	if r.status != 200 || r.body["latestVersion"] != 1.0 || r.body["draft"] == nil || r.header.Get("ETag") != `"1"` {
		t.Fatalf("GET form: %d %v %s", r.status, r.header, r.raw)
	}
	// Saving again with the ETag works once; the stale ETag is refused.
	body, _ := demoFiles.ReadFile("demo/forms/it-support.json")
	if r := call(t, srv, "PUT", "/api/v1/forms/it-support", string(body), "If-Match", `"1"`); r.status != 200 || r.header.Get("ETag") != `"2"` {
		t.Fatalf("PUT with current ETag: %d %s", r.status, r.raw)
	}
	r = call(t, srv, "PUT", "/api/v1/forms/it-support", string(body), "If-Match", `"1"`)
	expectProblem(t, r, 412, "precondition-failed")
	// Creating with If-None-Match: * never overwrites a key that exists,
	// and makes one that does not.
	r = call(t, srv, "PUT", "/api/v1/forms/it-support", string(body), "If-None-Match", "*")
	expectProblem(t, r, 412, "precondition-failed")
	if r := call(t, srv, "GET", "/api/v1/forms/it-support", nil); r.header.Get("ETag") != `"2"` {
		t.Errorf("a create over an existing form changed it: ETag %s", r.header.Get("ETag"))
	}

	r = call(t, srv, "POST", "/api/v1/forms/it-support/publish", nil)
	if r.status != 201 || r.body["version"] != 2.0 || r.header.Get("Location") != "/api/v1/forms/it-support/versions/2" {
		t.Fatalf("publish: %d %v %s", r.status, r.header, r.raw)
	}
	r = call(t, srv, "GET", "/api/v1/forms/it-support/versions", nil)
	items, _ := r.body["items"].([]any)
	if r.status != 200 || len(items) != 2 || items[0].(map[string]any)["version"] != 2.0 {
		t.Fatalf("versions: %d %s", r.status, r.raw)
	}
	r = call(t, srv, "GET", "/api/v1/forms/it-support/versions?limit=1", nil)
	if items, _ := r.body["items"].([]any); len(items) != 1 || r.body["next"] == nil {
		t.Fatalf("versions page 1: %s", r.raw)
	}
	r = call(t, srv, "GET", "/api/v1/forms/it-support/versions?limit=1&cursor="+r.body["next"].(string), nil)
	if items, _ := r.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["version"] != 1.0 || r.body["next"] != nil {
		t.Fatalf("versions page 2: %s", r.raw)
	}
	for path, want := range map[string]float64{"/versions/1": 1, "/versions/latest": 2} {
		r := call(t, srv, "GET", "/api/v1/forms/it-support"+path, nil)
		def, _ := r.body["definition"].(map[string]any)
		if r.status != 200 || r.body["version"] != want || def["schema"] == nil {
			t.Errorf("GET %s: %d %s", path, r.status, r.raw)
		}
	}
	r = call(t, srv, "GET", "/api/v1/forms", nil)
	if items, _ := r.body["items"].([]any); r.status != 200 || len(items) != 1 || items[0].(map[string]any)["key"] != "it-support" {
		t.Errorf("list forms: %d %s", r.status, r.raw)
	}
	r = call(t, srv, "GET", "/api/v1/fragments/contact/versions/1", nil)
	if r.status != 200 || r.body["key"] != "contact" {
		t.Errorf("fragment version: %d %s", r.status, r.raw)
	}
	fresh := strings.Replace(string(body), `"key": "it-support"`, `"key": "it-support-copy"`, 1)
	if r := call(t, srv, "PUT", "/api/v1/forms/it-support-copy", fresh, "If-None-Match", "*"); r.status != 200 || r.header.Get("ETag") != `"1"` {
		t.Fatalf("create with If-None-Match: %d %s", r.status, r.raw)
	}
}

func TestSubmitAndTrackOverHTTP(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	publishDemo(t, srv, "it-support")

	r := call(t, srv, "POST", "/api/v1/requests", fixture(t, "it-support-valid.json"))
	if r.status != 201 {
		t.Fatalf("submit: %d %s", r.status, r.raw)
	}
	code, _ := r.body["trackingCode"].(string)
	if len(code) != 10 || r.body["id"] != code || r.body["status"] != "submitted" || r.header.Get("Location") != "/api/v1/requests/"+code {
		t.Fatalf("receipt: %v %s", r.header, r.raw)
	}
	typed := strings.ToLower(code[:5] + "-" + code[5:])
	r = call(t, srv, "GET", "/api/v1/track/"+typed, nil)
	if r.status != 200 || r.body["trackingCode"] != code || r.body["status"] != "submitted" || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("track: %d %s", r.status, r.raw)
	}
	// Submitted, and the requester told so ("sent": at once where the
	// notification goes in the app only, else once the dispatcher sent it).
	history, _ := r.body["history"].([]any)
	if len(history) < 1 || len(history) > 2 || history[0].(map[string]any)["type"] != "submitted" || len(history) == 2 && history[1].(map[string]any)["type"] != "sent" {
		t.Errorf("history: %s", r.raw)
	}
	if form, _ := r.body["form"].(map[string]any); form["key"] != "it-support" || form["title"] == nil {
		t.Errorf("form: %s", r.raw)
	}
	// Tracking is public: it must never show what the requester wrote.
	for _, secret := range []string{"sara@example.com", "Sara Ahmadi", "payroll system"} {
		if strings.Contains(string(r.raw), secret) {
			t.Errorf("tracking response leaks %q: %s", secret, r.raw)
		}
	}
}

func TestValidationErrorsListEveryFieldInTheCallersLanguage(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	publishDemo(t, srv, "it-support")
	want := []string{
		"/data/assetSerial pattern", "/data/contact/email format", "/data/contact/name minLength",
		"/data/description minLength", "/data/subject minLength", "/data/system required", "/data/urgency enum",
	}
	for _, lang := range []string{"en", "fa-IR,fa;q=0.9,en;q=0.5"} {
		r := call(t, srv, "POST", "/api/v1/requests", fixture(t, "it-support-invalid.json"), "Accept-Language", lang)
		expectProblem(t, r, 422, "validation-failed")
		errs, _ := r.body["errors"].([]any)
		var got []string
		for _, e := range errs {
			m := e.(map[string]any)
			got = append(got, fmt.Sprint(m["pointer"], " ", m["code"]))
			msg, _ := m["message"].(string)
			persian := strings.ContainsAny(msg, "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی")
			if msg == "" || persian != strings.HasPrefix(lang, "fa") {
				t.Errorf("%s: message %q for %v is not in the asked language", lang, msg, m["pointer"])
			}
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("%s: errors\n got %v\nwant %v", lang, got, want)
		}
	}
}

// Every kind of bad input gets a clear 4xx problem and leaves nothing
// behind.
func TestBadInput(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t, func(c *Config) { c.BodyLimit = "64K" })
	publishDemo(t, srv, "it-support")
	if r := call(t, srv, "PUT", "/api/v1/forms/draft-only", `{"title": {"en": "Draft"}, "schema": {"type": "object"}}`); r.status != 200 {
		t.Fatal(r.status, string(r.raw))
	}
	huge := `{"form": "it-support", "data": {"subject": "` + strings.Repeat("x", 70<<10) + `"}}`
	cases := []struct {
		name, method, path string
		body               any
		headers            []string
		status             int
		problem            string
		detail             string // a fragment the detail must contain
	}{
		{"malformed JSON", "POST", "/api/v1/requests", `{"form": "it-support", "data": {`, nil, 400, "malformed-json", "ends too early"},
		{"syntax error", "POST", "/api/v1/requests", `{"form": it-support}`, nil, 400, "malformed-json", "syntax error"},
		{"empty body", "POST", "/api/v1/requests", ` `, nil, 400, "malformed-json", "empty"},
		{"two values", "POST", "/api/v1/requests", `{"form": "x"} {}`, nil, 400, "malformed-json", "more than one"},
		{"unknown field", "POST", "/api/v1/requests", `{"fomr": "it-support", "data": {}}`, nil, 400, "malformed-json", "fomr"},
		{"body over the limit", "POST", "/api/v1/requests", huge, nil, 413, "payload-too-large", ""},
		{"wrong content type", "POST", "/api/v1/requests", `{}`, []string{"Content-Type", "text/plain"}, 415, "unsupported-media-type", "text/plain"},
		{"form post", "PUT", "/api/v1/forms/x", `a=b`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported-media-type", ""},
		{"unknown form", "POST", "/api/v1/requests", `{"form": "nope", "data": {}}`, nil, 404, "not-found", "nope"},
		{"unpublished form", "POST", "/api/v1/requests", `{"form": "draft-only", "data": {}}`, nil, 409, "not-published", "draft-only"},
		{"data not an object", "POST", "/api/v1/requests", `{"form": "it-support", "data": [1, 2]}`, nil, 400, "invalid-input", "object"},
		{"data missing", "POST", "/api/v1/requests", `{"form": "it-support"}`, nil, 400, "invalid-input", "data"},
		{"form missing", "POST", "/api/v1/requests", `{"data": {}}`, nil, 400, "invalid-input", "form"},
		{"unknown channel", "POST", "/api/v1/requests", `{"form": "it-support", "data": {}, "channel": "fax"}`, nil, 400, "invalid-input", "fax"},
		{"unknown tracking code", "GET", "/api/v1/track/" + newCode(), nil, nil, 404, "not-found", ""},
		{"mistyped tracking code", "GET", "/api/v1/track/ABCDE-FGHJK", nil, nil, 400, "invalid-input", "mistyped"},
		{"bad key", "PUT", "/api/v1/forms/Bad_Key", `{"title": {"en": "x"}, "schema": {"type": "object"}}`, nil, 400, "invalid-input", "key"},
		{"bad If-Match", "PUT", "/api/v1/forms/x", `{"title": {"en": "x"}, "schema": {"type": "object"}}`, []string{"If-Match", "yesterday"}, 400, "invalid-input", "If-Match"},
		{"bad If-None-Match", "PUT", "/api/v1/forms/x", `{"title": {"en": "x"}, "schema": {"type": "object"}}`, []string{"If-None-Match", `"3"`}, 400, "invalid-input", "If-None-Match"},
		{"bad limit", "GET", "/api/v1/forms?limit=0", nil, nil, 400, "invalid-input", "limit"},
		{"bad cursor", "GET", "/api/v1/forms?cursor=***", nil, nil, 400, "invalid-input", "cursor"},
		{"bad version", "GET", "/api/v1/forms/it-support/versions/first", nil, nil, 400, "invalid-input", "version"},
		{"unknown version", "GET", "/api/v1/forms/it-support/versions/9", nil, nil, 404, "not-found", ""},
		{"publish unknown", "POST", "/api/v1/forms/nope/publish", nil, nil, 404, "not-found", "nope"},
		{"unknown route", "GET", "/api/v1/nothing-here", nil, nil, 404, "route-not-found", ""},
		{"wrong method", "DELETE", "/api/v1/requests", nil, nil, 405, "method-not-allowed", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, srv, tc.method, tc.path, tc.body, tc.headers...)
			expectProblem(t, r, tc.status, tc.problem)
			if d, _ := r.body["detail"].(string); !strings.Contains(d, tc.detail) {
				t.Errorf("detail %q does not mention %q", d, tc.detail)
			}
		})
	}
	// None of it stored a request.
	r := call(t, srv, "GET", "/api/v1/forms/it-support", nil)
	if r.status != 200 {
		t.Fatal(r.status)
	}
}

// Schemas that are not JSON Schema, or that reach outside, cannot be
// published; the problem points at the place.
func TestPublishRefusesBadSchemas(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	cases := []struct{ name, schema, pointer string }{
		{"not a schema", `{"type": "object", "properties": {"age": {"type": "integr"}}}`, "/schema/properties/age/type"},
		{"remote ref", `{"type": "object", "properties": {"x": {"$ref": "https://example.com/s.json"}}}`, "/schema/properties/x/$ref"},
		{"file ref", `{"type": "object", "properties": {"x": {"$ref": "file:///etc/passwd"}}}`, "/schema/properties/x/$ref"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := fmt.Sprintf("bad-%d", i)
			if r := call(t, srv, "PUT", "/api/v1/forms/"+key, `{"title": {"en": "Bad"}, "schema": `+tc.schema+`}`); r.status != 200 || r.body["problems"] == nil {
				t.Fatalf("save: %d %s", r.status, r.raw)
			}
			r := call(t, srv, "POST", "/api/v1/forms/"+key+"/publish", nil)
			expectProblem(t, r, 422, "definition-invalid")
			errs, _ := r.body["errors"].([]any)
			found := false
			for _, e := range errs {
				if e.(map[string]any)["pointer"] == tc.pointer {
					found = true
				}
			}
			if !found {
				t.Errorf("no error at %s: %s", tc.pointer, r.raw)
			}
			if r := call(t, srv, "GET", "/api/v1/forms/"+key, nil); r.body["latestVersion"] != 0.0 {
				t.Errorf("a refused publish left a version: %s", r.raw)
			}
		})
	}
}

// Two publishes at once make two versions, never one number twice.
func TestConcurrentPublishOverHTTP(t *testing.T) {
	t.Parallel()
	_, srv := testApp(t)
	publishDemo(t, srv, "complaint")
	const n = 6
	var wg sync.WaitGroup
	versions := make(chan float64, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := call(t, srv, "POST", "/api/v1/forms/complaint/publish", nil)
			if r.status != 201 {
				t.Errorf("publish: %d %s", r.status, r.raw)
				return
			}
			versions <- r.body["version"].(float64)
		}()
	}
	wg.Wait()
	close(versions)
	seen := map[float64]bool{}
	for v := range versions {
		if seen[v] {
			t.Errorf("version %v given twice", v)
		}
		seen[v] = true
	}
	if len(seen) != n {
		t.Errorf("got %d distinct versions, want %d", len(seen), n)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	a, srv := testApp(t)
	if r := call(t, srv, "GET", "/healthz", nil); r.status != 200 {
		t.Errorf("healthz: %d", r.status)
	}
	if r := call(t, srv, "GET", "/readyz", nil); r.status != 200 || r.body["status"] != "ready" {
		t.Errorf("readyz: %d %s", r.status, r.raw)
	}
	r := call(t, srv, "GET", "/healthz", nil)
	for _, h := range []string{"X-Request-Id", "X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy"} {
		if r.header.Get(h) == "" {
			t.Errorf("response lacks %s", h)
		}
	}
	// With the store gone, the process is alive but not ready.
	_ = a.client.Disconnect(t.Context())
	r = call(t, srv, "GET", "/readyz", nil)
	expectProblem(t, r, http.StatusServiceUnavailable, "unavailable")
	if r := call(t, srv, "GET", "/healthz", nil); r.status != 200 {
		t.Errorf("healthz without a store: %d", r.status)
	}
}

func expectProblem(t *testing.T, r response, status int, slug string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d: %s", r.status, status, r.raw)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q, want application/problem+json", ct)
	}
	if r.body["type"] != "urn:pishkhan:problem:"+slug || r.body["status"] != float64(status) || r.body["title"] == "" {
		t.Errorf("problem %s, want type %s", r.raw, slug)
	}
}
