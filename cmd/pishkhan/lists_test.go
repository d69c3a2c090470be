package main

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestListingRequests: a requester's "my requests" holds their own
// requests and nobody else's, newest first, paged, open and done alike
// (archived ones too); staff list anyone's, narrowed by requester, owner,
// type, status and state; what a list may not ask is refused plainly.
func TestListingRequests(t *testing.T) {
	c := newCrew(t, func(cfg *Config) { cfg.TimerInterval = 50 * time.Millisecond })
	it := fixture(t, "it-support-valid.json")
	complaint := `{"type": "complaint", "data": {"contact": {"name": "Sara", "email": "sara@example.com"}, "incidentDate": "2026-11-20",
		"department": "delivery", "description": "The parcel arrived broken and late."}}`
	var saras []string // oldest first
	for _, body := range []string{it, complaint, it} {
		saras = append(saras, c.must(201, "sara", "POST", "/api/v1/requests", body).body["id"].(string))
		time.Sleep(2 * time.Millisecond) // distinct creation times; ties are ordered by id anyway
	}
	// An agent enters a caller's request by phone.
	var phoned map[string]any
	mustUnmarshal(t, []byte(it), &phoned)
	phoned["channel"], phoned["requester"] = "phone", map[string]any{"name": "Parisa Nouri", "phone": "+98 912 000 1111"}
	other := c.must(201, "reza", "POST", "/api/v1/requests", mustJSON(t, phoned)).body["id"].(string)

	ids := func(user, query string) (got []string, next string) {
		t.Helper()
		r := c.must(200, user, "GET", "/api/v1/requests?"+query, nil)
		for _, it := range r.body["items"].([]any) {
			got = append(got, it.(map[string]any)["id"].(string))
		}
		next, _ = r.body["next"].(string)
		return got, next
	}
	newestFirst := slices.Clone(saras)
	slices.Reverse(newestFirst)

	// Sara's own, newest first, two to a page; a staff member's request
	// for a caller is not hers.
	page1, next := ids("sara", "limit=2")
	page2, last := ids("sara", "limit=2&cursor="+url.QueryEscape(next))
	if got := append(page1, page2...); !slices.Equal(got, newestFirst) || next == "" || last != "" {
		t.Fatalf("sara's requests: %v then %v (next %q, last %q), want %v", page1, page2, next, last, newestFirst)
	}
	if all, _ := ids("sara", "requester=me"); slices.Contains(all, other) {
		t.Error("sara's list holds a request she did not file")
	}
	// What a list shows, and what it keeps back.
	first := c.must(200, "sara", "GET", "/api/v1/requests?limit=1", nil).body["items"].([]any)[0].(map[string]any)
	if first["status"] == nil || first["createdAt"] == nil || first["form"] == nil || first["data"] != nil || first["history"] != nil {
		t.Errorf("a list item: %v", first)
	}

	// The oldest is resolved, delivered and archived: it stays in her list,
	// as closed.
	c.must(200, "reza", "POST", "/api/v1/tasks/"+c.inboxTask("reza", saras[0], "triage")+"/complete", `{"outcome": "resolve"}`)
	deadline := time.Now().Add(10 * time.Second)
	for c.request(saras[0])["archived"] != true {
		if time.Now().After(deadline) {
			t.Fatal("the resolved request was not archived")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if closed, _ := ids("sara", "state=closed"); !slices.Equal(closed, saras[:1]) {
		t.Errorf("sara's closed requests: %v, want %v", closed, saras[:1])
	}
	if open, _ := ids("sara", "state=open"); !slices.Equal(open, newestFirst[:2]) {
		t.Errorf("sara's open requests: %v, want %v", open, newestFirst[:2])
	}
	if all, _ := ids("sara", ""); !slices.Equal(all, newestFirst) {
		t.Errorf("after the archive move: %v, want %v", all, newestFirst)
	}

	// Staff narrow by requester, type, status and owner.
	if got, _ := ids("reza", "requester=sara&type=complaint"); !slices.Equal(got, saras[1:2]) {
		t.Errorf("sara's complaints as staff: %v, want %v", got, saras[1:2])
	}
	if got, _ := ids("reza", "status=resolved"); !slices.Equal(got, saras[:1]) {
		t.Errorf("resolved as staff: %v", got)
	}
	everything, _ := ids("maryam", "")
	for _, id := range append(slices.Clone(saras), other) {
		if !slices.Contains(everything, id) {
			t.Errorf("the supervisor's list lacks %s", id)
		}
	}
	owner := c.request(saras[1])["owner"].(string)
	owned := c.must(200, "maryam", "GET", "/api/v1/requests?owner="+owner, nil).body["items"].([]any)
	found := false
	for _, it := range owned {
		item := it.(map[string]any)
		found = found || item["id"] == saras[1]
		if item["owner"] != owner {
			t.Errorf("owner=%s lists %s, owned by %v", owner, item["id"], item["owner"])
		}
	}
	if !found {
		t.Errorf("owner=%s lacks %s: %v", owner, saras[1], owned)
	}

	// Refused: someone else's list or an owner's for a requester; unknown
	// or bad parameters for anyone.
	c.must(403, "sara", "GET", "/api/v1/requests?requester=reza", nil)
	c.must(403, "sara", "GET", "/api/v1/requests?owner=me", nil)
	for _, q := range []string{"state=done", "sort=old", "status=Not%20a%20status", "cursor=bm9wZQ", "limit=0"} {
		if r := c.as("reza", "GET", "/api/v1/requests?"+q, nil); r.status != 400 || !strings.Contains(r.header.Get("Content-Type"), "problem+json") {
			t.Errorf("?%s: %d %s", q, r.status, r.raw)
		}
	}
}
