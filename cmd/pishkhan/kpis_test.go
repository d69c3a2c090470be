package main

import (
	"strings"
	"testing"
	"time"
)

// TestKPIsOverHTTP reads the KPIs of two IT requests (one resolved, one
// open) as JSON and as CSV, refuses bad parameters with a pointer to each,
// and lets a supervisor of one department read that department only.
func TestKPIsOverHTTP(t *testing.T) {
	c := newCrew(t)
	it := fixture(t, "it-support-valid.json")
	id := c.must(201, "sara", "POST", "/api/v1/requests", it).body["id"].(string)
	task := c.inboxTask("reza", id, "triage")
	c.must(200, "reza", "POST", "/api/v1/tasks/"+task+"/claim", nil)
	c.must(200, "reza", "POST", "/api/v1/tasks/"+task+"/complete", `{"outcome": "resolve"}`)
	c.must(201, "sara", "POST", "/api/v1/requests", it)

	today := time.Now().UTC().Format(time.DateOnly)
	rep := c.must(200, "maryam", "GET", "/api/v1/kpis?department=it-support&type=it-support", nil)
	totals := rep.body["totals"].(map[string]any)
	series := rep.body["series"].([]any)
	if rep.body["to"] != today || rep.body["interval"] != "day" || len(series) != 30 {
		t.Fatalf("report to %v by %v with %d steps", rep.body["to"], rep.body["interval"], len(series))
	}
	for name, want := range map[string]float64{"volume": 2, "resolved": 1, "backlog": 1, "tasksHandled": 1, "slaMet": 2} {
		if totals[name] != want {
			t.Errorf("%s is %v, want %v: %s", name, totals[name], want, rep.raw)
		}
	}
	if last := series[29].(map[string]any); last["bucket"] != today || last["volume"] != 2.0 || last["csat"] != nil {
		t.Errorf("today's step: %v", last)
	}
	if other := c.must(200, "admin", "GET", "/api/v1/kpis?type=complaint,purchase-request&channel=phone&channel=email", nil); other.body["totals"].(map[string]any)["volume"] != 0.0 {
		t.Errorf("other types: %s", other.raw)
	}

	// CSV, asked for by parameter or by Accept.
	for _, r := range []response{
		c.must(200, "maryam", "GET", "/api/v1/kpis?format=csv&interval=week&from="+today+"&to="+today, nil),
		call(t, c.srv, "GET", "/api/v1/kpis?interval=week&from="+today+"&to="+today, nil, append(bearer(c.tokens["maryam"]), "Accept", "text/csv")...),
	} {
		lines := strings.Split(strings.TrimSpace(string(r.raw)), "\n")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || len(lines) != 3 {
			t.Fatalf("csv: %d %s %q", r.status, r.header.Get("Content-Type"), r.raw)
		}
		if !strings.HasPrefix(lines[0], "bucket,start,end,volume,backlog,resolved,") || !strings.HasSuffix(lines[0], ",npsRatings,nps") {
			t.Errorf("csv header %s", lines[0])
		}
		if !strings.HasPrefix(lines[2], "total,"+today+","+today+",2,1,1,") || !strings.HasSuffix(lines[2], ",0,") {
			t.Errorf("csv total %s", lines[2])
		}
	}

	// Bad parameters: 400, each named.
	for query, pointers := range map[string]string{
		"?colour=red&format=xml":                   "/colour /format",
		"?from=yesterday&interval=hour":            "/from /interval",
		"?from=2026-11-05&to=2026-11-04":           "/to",
		"?channel=fax&agent=X&type=Bad_Type":       "/type /agent /channel",
		"?from=2025-01-01&to=2026-11-04&interval=": "/to",
	} {
		r := c.must(400, "maryam", "GET", "/api/v1/kpis"+query, nil)
		var got []string
		errs, _ := r.body["errors"].([]any)
		for _, e := range errs {
			got = append(got, e.(map[string]any)["pointer"].(string))
		}
		if strings.Join(got, " ") != pointers || r.body["type"] != "urn:pishkhan:problem:invalid-input" || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: %s, want errors at %s", query, r.raw, pointers)
		}
	}

	// Who reads them: supervisors and admins; a supervisor of one
	// department, that department only.
	c.must(403, "reza", "GET", "/api/v1/kpis", nil)
	c.must(403, "sara", "GET", "/api/v1/kpis", nil)
	c.must(201, "admin", "POST", "/api/v1/users", `{"username": "dana", "password": "dana-password", "name": "Dana", "department": "it"}`)
	c.must(200, "admin", "PUT", "/api/v1/users/dana/roles", `[{"role": "supervisor", "domain": "department:it"}]`)
	c.tokens["dana"] = login(t, c.srv, "dana", "dana-password")
	c.must(200, "dana", "GET", "/api/v1/kpis?department=it", nil)
	c.must(403, "dana", "GET", "/api/v1/kpis", nil)
	c.must(403, "dana", "GET", "/api/v1/kpis?department=it,finance", nil)
}
