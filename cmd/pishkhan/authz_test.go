package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// principals of the matrix, and who each is after a --demo start.
const (
	anon      = "anonymous"
	requester = "requester" // sara
	agent     = "agent"     // reza
	superv    = "supervisor"
	ownerIT   = "owner-it"    // omid: process owner of category it
	ownerCS   = "owner-other" // neda: process owner of customer-service
	admin     = "admin"
	system    = "system-key" // API key scoped requests:submit, requests:read, forms:read, callbacks:deliver
	revoked   = "revoked-key"
	forged    = "forged-token"
	garbage   = "garbage-key"
)

var everyone = []string{anon, requester, agent, superv, ownerIT, ownerCS, admin, system}
var authenticated = []string{requester, agent, superv, ownerIT, ownerCS, admin, system}
var staffReaders = []string{agent, superv, ownerIT, ownerCS, admin}

// tehranCalendar is a business calendar of category it.
const tehranCalendar = `{"title": {"en": "Tehran office"}, "category": "it", "timeZone": "Asia/Tehran",
	"week": {"saturday": ["08:00-16:00"], "sunday": ["08:00-16:00"]}}`

// itSLA and itDesk are an SLA policy and a request type of category it.
const (
	itSLA  = `{"title": {"en": "IT"}, "category": "it", "calendar": "always", "resolution": {"target": "8h"}}`
	itDesk = `{"title": {"en": "IT desk"}, "category": "it", "interaction": "support", "form": "it-support"}`
)

// TestEveryRouteForEveryRole calls every route as every kind of caller and
// checks who gets through and who gets 401 or 403: reading another user's
// request, editing a definition outside one's category and using a revoked
// key included.
func TestEveryRouteForEveryRole(t *testing.T) {
	a, srv := testApp(t, func(c *Config) { c.Demo = true })
	_ = a
	tokens := map[string]string{admin: login(t, srv, "admin", testAdminPassword)}
	for role, user := range map[string]string{requester: "sara", agent: "reza", superv: "maryam", ownerIT: "omid", ownerCS: "neda"} {
		tokens[role] = login(t, srv, user, user+"-demo")
	}
	r := call(t, srv, "POST", "/api/v1/apikeys", `{"name": "chat bot", "scopes": ["requests:submit", "requests:read", "forms:read", "callbacks:deliver"]}`)
	tokens[system] = r.body["key"].(string)
	r = call(t, srv, "POST", "/api/v1/apikeys", `{"name": "old bot", "scopes": ["requests:submit"]}`)
	tokens[revoked] = r.body["key"].(string)
	if r := call(t, srv, "DELETE", "/api/v1/apikeys/"+r.body["id"].(string), nil); r.status != 204 {
		t.Fatalf("revoke: %d %s", r.status, r.raw)
	}
	tokens[forged] = "pks_" + strings.Repeat("A", 43)
	tokens[garbage] = "pkk_nosuchkey_" + strings.Repeat("B", 43)

	viaAPI := strings.Replace(fixture(t, "it-support-valid.json"), `"channel": "portal", `, "", 1)
	submit := func(role string) string {
		r := call(t, srv, "POST", "/api/v1/requests", viaAPI, authAs(tokens, role)...)
		if r.status != 201 {
			t.Fatalf("submit as %s: %d %s", role, r.status, r.raw)
		}
		return r.body["id"].(string)
	}
	saraReq := submit(requester)
	rezaReq := submit(agent) // entered by an agent: not sara's
	keyReq := submit(system)
	r = call(t, srv, "POST", "/api/v1/articles", `{"title": "Restart the router", "body": "Unplug it for ten seconds."}`, authAs(tokens, agent)...)
	if r.status != 201 {
		t.Fatalf("article: %d %s", r.status, r.raw)
	}
	article := "/api/v1/articles/" + r.body["id"].(string) // reza's
	itForm, _ := demoFiles.ReadFile("demo/forms/it-support.json")
	contact, _ := demoFiles.ReadFile("demo/fragments/contact.json")
	itRouting, _ := demoFiles.ReadFile("demo/rules/it-routing.json")
	itWorkflow, _ := demoFiles.ReadFile("demo/workflows/it-support.json")
	workers := []string{requester, agent, superv, admin}
	policies := call(t, srv, "GET", "/api/v1/policies", nil)
	rulesBody := `{"rules": ` + jsonOf(t, policies.body["rules"]) + `}`

	routes := []struct {
		method, path string
		body         func(role string) string
		allowed      []string
	}{
		{"GET", "/healthz", nil, everyone},
		{"GET", "/api/v1/openapi.json", nil, everyone},
		{"GET", "/api/v1/track/" + saraReq, nil, everyone},
		{"POST", "/api/v1/auth/login", func(string) string { return `{"username": "sara", "password": "sara-demo"}` }, everyone},
		{"GET", "/api/v1/auth/me", nil, authenticated},
		{"GET", "/api/v1/forms", nil, authenticated},
		{"GET", "/api/v1/forms/it-support", nil, staffReaders},
		{"PUT", "/api/v1/forms/it-support", func(string) string { return string(itForm) }, []string{ownerIT, admin}},
		{"POST", "/api/v1/forms/it-support/publish", nil, []string{ownerIT, admin}},
		{"GET", "/api/v1/forms/it-support/versions", nil, authenticated},
		{"GET", "/api/v1/forms/it-support/versions/1", nil, authenticated},
		{"GET", "/api/v1/fragments", nil, authenticated},
		{"GET", "/api/v1/fragments/contact", nil, staffReaders},
		{"PUT", "/api/v1/fragments/contact", func(string) string { return string(contact) }, []string{admin}},
		{"POST", "/api/v1/fragments/contact/publish", nil, []string{admin}},
		{"GET", "/api/v1/fragments/contact/versions", nil, authenticated},
		{"GET", "/api/v1/fragments/contact/versions/latest", nil, authenticated},
		{"GET", "/api/v1/rules", nil, staffReaders},
		{"GET", "/api/v1/rules/it-routing", nil, staffReaders},
		{"PUT", "/api/v1/rules/it-routing", func(string) string { return string(itRouting) }, []string{ownerIT, admin}},
		{"POST", "/api/v1/rules/it-routing/publish", nil, []string{ownerIT, admin}},
		{"GET", "/api/v1/rules/it-routing/versions", nil, staffReaders},
		{"GET", "/api/v1/rules/it-routing/versions/1", nil, staffReaders},
		{"POST", "/api/v1/rules/it-routing/evaluate", func(string) string { return `{"form": {"category": "access", "urgency": "low"}}` }, staffReaders},
		{"POST", "/api/v1/expressions/check", func(string) string { return `{"expr": "form.urgency == \"high\"", "form": "it-support"}` }, staffReaders},
		{"GET", "/api/v1/calendars", nil, staffReaders},
		{"PUT", "/api/v1/calendars/tehran-branch", func(string) string { return tehranCalendar }, []string{ownerIT, admin}},
		{"GET", "/api/v1/calendars/tehran-branch", nil, staffReaders},
		{"POST", "/api/v1/calendars/tehran-branch/publish", nil, []string{ownerIT, admin}},
		{"GET", "/api/v1/calendars/tehran-branch/versions", nil, staffReaders},
		{"GET", "/api/v1/calendars/tehran-branch/versions/1", nil, staffReaders},
		{"GET", "/api/v1/sla-policies", nil, staffReaders},
		{"PUT", "/api/v1/sla-policies/it-sla", func(string) string { return itSLA }, []string{ownerIT, admin}},
		{"GET", "/api/v1/sla-policies/it-sla", nil, staffReaders},
		{"POST", "/api/v1/sla-policies/it-sla/publish", nil, []string{ownerIT, admin}},
		{"GET", "/api/v1/sla-policies/it-sla/versions", nil, staffReaders},
		{"GET", "/api/v1/sla-policies/it-sla/versions/1", nil, staffReaders},
		{"GET", "/api/v1/request-types", nil, staffReaders},
		{"PUT", "/api/v1/request-types/it-desk", func(string) string { return itDesk }, []string{ownerIT, admin}},
		{"GET", "/api/v1/request-types/it-desk", nil, staffReaders},
		{"POST", "/api/v1/request-types/it-desk/publish", nil, []string{ownerIT, admin}},
		{"GET", "/api/v1/request-types/it-desk/versions", nil, staffReaders},
		{"GET", "/api/v1/request-types/it-desk/versions/1", nil, staffReaders},
		{"GET", "/api/v1/catalog", nil, []string{requester, agent, superv, admin, system}},
		{"POST", "/api/v1/track/" + saraReq, func(string) string { return `{"email": "sara@example.com"}` }, everyone},
		{"POST", "/api/v1/track/" + saraReq + "/messages", func(string) string { return `{"email": "sara@example.com", "body": "Any news?"}` }, everyone},
		{"POST", "/api/v1/track/" + saraReq + "/feedback", func(string) string { return `{"email": "sara@example.com", "csat": 4}` }, everyone},
		{"POST", "/api/v1/track/" + saraReq + "/reopen", func(string) string { return `{"email": "sara@example.com", "reason": "again"}` }, everyone},
		{"POST", "/api/v1/requests/" + saraReq + "/messages", func(string) string { return `{"body": "Any news?"}` }, []string{requester}},
		{"POST", "/api/v1/requests/" + rezaReq + "/messages", func(string) string { return `{"kind": "note", "body": "Checked the logs."}` }, []string{agent, superv, admin}},
		{"POST", "/api/v1/requests/" + saraReq + "/owner", func(string) string { return `{"to": "reza", "reason": "knows the system"}` }, []string{superv, admin}},
		{"POST", "/api/v1/requests/" + saraReq + "/feedback", func(string) string { return `{"csat": 5}` }, []string{requester}},
		{"POST", "/api/v1/requests/" + saraReq + "/reopen", func(string) string { return `{"reason": "still broken"}` }, []string{requester}},
		{"GET", "/api/v1/customers/e-nobody@example.com", nil, []string{agent, superv, admin}},
		{"PUT", "/api/v1/customers/e-nobody@example.com", func(string) string { return `{"segment": "gold"}` }, []string{superv, admin}},
		{"GET", "/api/v1/workflows", nil, staffReaders},
		{"GET", "/api/v1/workflows/it-support", nil, staffReaders},
		{"PUT", "/api/v1/workflows/it-support", func(string) string { return string(itWorkflow) }, []string{ownerIT, admin}},
		{"POST", "/api/v1/workflows/it-support/publish", nil, []string{ownerIT, admin}},
		{"GET", "/api/v1/workflows/it-support/versions", nil, staffReaders},
		{"GET", "/api/v1/workflows/it-support/versions/1", nil, staffReaders},
		{"POST", "/api/v1/workflows/it-support/simulate", func(string) string { return viaAPI }, staffReaders},
		{"POST", "/api/v1/workflows/it-support/migrate", func(string) string { return `{"from": 1}` }, []string{admin}},
		{"GET", "/api/v1/notifications", nil, []string{requester, agent, superv, ownerIT, ownerCS, admin}},
		{"POST", "/api/v1/notifications/read", func(string) string { return `{}` }, []string{requester, agent, superv, ownerIT, ownerCS, admin}},
		{"GET", "/api/v1/tasks", nil, workers},
		{"POST", "/api/v1/tasks/NOSUCHREQ0-1/claim", nil, workers},
		{"POST", "/api/v1/tasks/NOSUCHREQ0-1/unclaim", nil, workers},
		{"POST", "/api/v1/tasks/NOSUCHREQ0-1/complete", func(string) string { return `{"outcome": "done"}` }, workers},
		{"POST", "/api/v1/tasks/NOSUCHREQ0-1/reassign", func(string) string { return `{"to": "reza"}` }, workers},
		{"POST", "/api/v1/tasks/NOSUCHREQ0-1/delegate", func(string) string { return `{"to": "reza"}` }, workers},
		{"POST", "/api/v1/requests/" + saraReq + "/retry", nil, []string{superv, admin}},
		// reza (agent) owns sara's request; other agents are 403 (the engine says not-yours).
		{"POST", "/api/v1/requests/" + saraReq + "/referrals", func(string) string { return `{"group": "finance", "note": "Check the budget line."}` }, []string{agent, superv, admin}},
		{"POST", "/api/v1/uploads", func(string) string { return matrixUpload }, []string{requester, agent, superv, admin, system}},
		{"GET", "/api/v1/uploads/NOSUCHUPLOAD", nil, []string{requester, agent, superv, admin, system}},
		{"DELETE", "/api/v1/uploads/NOSUCHUPLOAD", nil, []string{requester, agent, superv, admin, system}},
		{"GET", "/api/v1/requests/" + saraReq + "/attachments/NOSUCHFILE", nil, []string{requester, agent, superv, admin}},
		{"GET", "/api/v1/requests/" + rezaReq + "/attachments/NOSUCHFILE", nil, []string{agent, superv, admin}},
		{"GET", "/api/v1/requests/" + keyReq + "/attachments/NOSUCHFILE", nil, []string{agent, superv, admin, system}},
		{"GET", "/api/v1/articles", nil, staffReaders},
		{"POST", "/api/v1/articles", func(string) string { return `{"title": "Matrix article", "body": "Text."}` }, []string{agent, superv, admin}},
		{"GET", article, nil, staffReaders},
		{"PUT", article, func(string) string { return `{"title": "Restart the router", "body": "Unplug it."}` }, []string{agent, superv, admin}},
		{"POST", "/api/v1/requests/" + saraReq + "/articles", func(string) string { return `{"message": "m1", "title": "Answer"}` }, []string{agent, superv, admin}},
		{"DELETE", article, nil, []string{agent, superv, admin}},
		{"POST", "/api/v1/callbacks/no-such-key", func(string) string { return `{}` }, []string{admin, system}},
		{"POST", "/api/v1/requests", func(string) string { return viaAPI }, []string{requester, agent, superv, admin, system}},
		{"POST", "/api/v1/forms/it-support/evaluate", func(string) string { return `{"data": {"urgency": "high"}}` }, []string{requester, agent, superv, admin, system}},
		{"GET", "/api/v1/requests", nil, []string{requester, agent, superv, admin, system}},
		{"GET", "/api/v1/requests?requester=me&state=open", nil, []string{requester, agent, superv, admin, system}},
		{"GET", "/api/v1/requests?requester=sara", nil, []string{requester, agent, superv, admin}},
		{"GET", "/api/v1/requests?owner=reza", nil, []string{agent, superv, admin}},
		{"GET", "/api/v1/requests/" + saraReq, nil, []string{requester, agent, superv, admin}},
		{"GET", "/api/v1/requests/" + rezaReq, nil, []string{agent, superv, admin}},
		{"GET", "/api/v1/requests/" + keyReq, nil, []string{agent, superv, admin, system}},
		{"GET", "/api/v1/users", nil, []string{superv, admin}},
		{"POST", "/api/v1/users", func(role string) string {
			return `{"username": "new-` + role + `", "password": "long-enough-password", "name": "New"}`
		}, []string{admin}},
		{"GET", "/api/v1/users/sara", nil, []string{requester, superv, admin}},
		{"PATCH", "/api/v1/users/sara", func(string) string { return `{"name": "Sara Ahmadi"}` }, []string{requester, admin}},
		{"PATCH", "/api/v1/users/reza", func(string) string { return `{"groups": ["it-support"]}` }, []string{admin}},
		{"PUT", "/api/v1/users/sara/roles", func(string) string { return `[{"role": "requester", "domain": "*"}]` }, []string{admin}},
		{"GET", "/api/v1/groups", nil, []string{agent, superv, ownerIT, ownerCS, admin}},
		{"GET", "/api/v1/groups/it", nil, []string{agent, superv, ownerIT, ownerCS, admin}},
		{"PUT", "/api/v1/groups/it", func(string) string { return `{"kind": "department", "title": {"en": "IT"}, "supervisor": "maryam"}` }, []string{admin}},
		{"GET", "/api/v1/policies", nil, []string{admin}},
		{"PUT", "/api/v1/policies", func(string) string { return rulesBody }, []string{admin}},
		{"GET", "/api/v1/apikeys", nil, []string{admin}},
		{"POST", "/api/v1/apikeys", func(string) string { return `{"name": "another", "scopes": ["forms:read"]}` }, []string{admin}},
		{"DELETE", "/api/v1/apikeys/nosuchkey", nil, []string{admin}},
		{"GET", "/api/v1/kpis", nil, []string{superv, admin}},
		{"GET", "/api/v1/kpis?department=it&format=csv", nil, []string{superv, admin}},
	}
	callers := append(slices.Clone(everyone), revoked, forged, garbage)
	checked := map[string]bool{}
	for _, rt := range routes {
		checked[rt.method+" "+rt.path] = true
		for _, who := range callers {
			var body any
			if rt.body != nil {
				body = rt.body(who)
			}
			headers := authAs(tokens, who)
			if ct, ok := contentTypes[rt.method+" "+rt.path]; ok {
				headers = append(headers, "Content-Type", ct)
			}
			r := call(t, srv, rt.method, rt.path, body, headers...)
			allowed := slices.Contains(rt.allowed, who)
			public := slices.Contains(rt.allowed, anon)
			switch {
			case allowed:
				if r.status == 401 || r.status == 403 {
					t.Errorf("%s %s as %s: %d, want it allowed: %s", rt.method, rt.path, who, r.status, r.raw)
				} else if r.status >= 500 {
					t.Errorf("%s %s as %s: %d %s", rt.method, rt.path, who, r.status, r.raw)
				}
			case who == anon || who == revoked || who == forged || who == garbage:
				if public && who == anon {
					break
				}
				if r.status != 401 {
					t.Errorf("%s %s as %s: %d, want 401: %s", rt.method, rt.path, who, r.status, r.raw)
				} else if strings.Contains(string(r.raw), "revoked") || strings.Contains(string(r.raw), "expired") {
					t.Errorf("%s %s as %s: the 401 says why: %s", rt.method, rt.path, who, r.raw)
				}
			default:
				if r.status != 403 {
					t.Errorf("%s %s as %s: %d, want 403: %s", rt.method, rt.path, who, r.status, r.raw)
				}
			}
		}
	}
	// The matrix covers every API route (logout has its own test: it would
	// end the sessions the matrix uses).
	for _, rt := range a.echo.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/v1/") && rt.Path != "/healthz" {
			continue
		}
		path := strings.NewReplacer(":key", "x", ":username", "x", ":id", "x", ":version", "x", ":code", "x").Replace(rt.Path)
		found := false
		for k := range checked {
			m, p, _ := strings.Cut(k, " ")
			if m == rt.Method && samePattern(rt.Path, p) {
				found = true
			}
		}
		if !found && rt.Path != "/api/v1/auth/logout" {
			t.Errorf("route %s %s (%s) is not in the matrix", rt.Method, rt.Path, path)
		}
	}
}

// matrixUpload is a multipart body with one small file, for the routes
// of contentTypes that take files rather than JSON.
const matrixUpload = "--matrix\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--matrix--\r\n"

var contentTypes = map[string]string{"POST /api/v1/uploads": "multipart/form-data; boundary=matrix"}

// samePattern reports whether a concrete path fits a route pattern.
func samePattern(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], ":") && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

func authAs(tokens map[string]string, who string) []string {
	if who == anon {
		return []string{"Authorization", "none"}
	}
	return bearer(tokens[who])
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	return fmt.Sprint(mustJSON(t, v))
}

var _ = http.StatusOK
var _ = httptest.NewServer
