package main

import (
	"strings"
	"testing"
)

// TestServiceDeskOverHTTP follows a complaint through the desk's routes on
// the demo data: the catalog, the owner chosen at intake, notes that no
// requester-facing endpoint ever shows, the owner's reply stopping the
// first response clock, tracking with proof, and a phone request entered
// by an agent for a customer known only by phone number.
func TestServiceDeskOverHTTP(t *testing.T) {
	c := newCrew(t)
	// The catalog: what sara may submit, and nothing for a process owner.
	cat := c.must(200, "sara", "GET", "/api/v1/catalog?channel=portal", nil)
	var keys []string
	for _, it := range cat.body["items"].([]any) {
		keys = append(keys, it.(map[string]any)["key"].(string))
	}
	if strings.Join(keys, ",") != "complaint,it-support,purchase-request" {
		t.Errorf("sara's catalog: %v", keys)
	}
	c.must(403, "omid", "GET", "/api/v1/catalog", nil)
	c.must(400, "sara", "GET", "/api/v1/catalog?channel=fax", nil)
	c.must(403, "sara", "GET", "/api/v1/catalog?for=anyone", nil)

	complaint := `{"type": "complaint", "channel": "portal", "data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"},
		"incidentDate": "2026-11-20", "department": "billing", "description": "I was charged twice for the same order last week."}}`
	receipt := c.must(201, "sara", "POST", "/api/v1/requests", complaint)
	id := receipt.body["id"].(string)
	if receipt.body["owner"] != "ali" || receipt.body["type"].(map[string]any)["key"] != "complaint" {
		t.Errorf("receipt: %s", receipt.raw)
	}
	// Staff see the goals running; an internal note and a non-owner's
	// reply do not stop first response.
	secret := "Customer is on the watch list"
	c.must(201, "reza", "POST", "/api/v1/requests/"+id+"/messages", `{"kind": "note", "body": "`+secret+`"}`)
	if r := c.as("reza", "POST", "/api/v1/requests/"+id+"/messages", `{"kind": "reply", "body": "Hi"}`); r.status != 403 || !strings.Contains(string(r.raw), "not-yours") {
		t.Errorf("a reply by someone who is not the owner: %d %s", r.status, r.raw)
	}
	c.must(403, "sara", "POST", "/api/v1/requests/"+id+"/messages", `{"kind": "note", "body": "sneaky"}`)
	req := c.request(id)
	if state := goalState(req, "firstResponse"); state != "running" {
		t.Errorf("first response after a note: %s (%v)", state, req["slaStatus"])
	}
	c.must(201, "ali", "POST", "/api/v1/requests/"+id+"/messages", `{"kind": "reply", "body": "We are checking the charge.", "await": false}`)
	req = c.request(id)
	if state := goalState(req, "firstResponse"); state != "met" && state != "breached" {
		t.Errorf("first response after the owner's reply: %s", state)
	}
	if !strings.Contains(mustJSON(t, req["messages"]), secret) {
		t.Errorf("staff do not see the note: %v", req["messages"])
	}
	c.must(201, "sara", "POST", "/api/v1/requests/"+id+"/messages", `{"body": "Thank you, it was order 123456."}`)

	// No requester-facing view carries the note.
	views := map[string]response{
		"GET request":  c.must(200, "sara", "GET", "/api/v1/requests/"+id, nil),
		"public track": c.must(200, "sara", "GET", "/api/v1/track/"+id, nil),
		"proven track": c.must(200, "sara", "POST", "/api/v1/track/"+id, `{"email": "SARA@example.com"}`),
		"tasks":        c.must(200, "sara", "GET", "/api/v1/tasks", nil),
		"her message":  c.must(201, "sara", "POST", "/api/v1/requests/"+id+"/messages", `{"body": "One more thing."}`),
		"anon track":   c.must(200, "anonymous", "GET", "/api/v1/track/"+id, nil),
		"anon proven":  c.must(200, "anonymous", "POST", "/api/v1/track/"+id, `{"email": "sara@example.com"}`),
	}
	for name, v := range views {
		if strings.Contains(string(v.raw), secret) || strings.Contains(string(v.raw), `"note"`) || strings.Contains(string(v.raw), `"noted"`) {
			t.Errorf("%s shows the internal note: %s", name, v.raw)
		}
	}
	proven := views["proven track"]
	if !strings.Contains(string(proven.raw), "We are checking the charge.") || !strings.Contains(string(proven.raw), "charged twice") {
		t.Errorf("the proven view lacks the reply or the data: %s", proven.raw)
	}
	public := views["public track"]
	if strings.Contains(string(public.raw), "charged twice") || strings.Contains(string(public.raw), "We are checking") || public.body["deadlines"] == nil {
		t.Errorf("the public view: %s", public.raw)
	}
	if r := c.as("anonymous", "POST", "/api/v1/track/"+id, `{"email": "someone@example.com"}`); r.status != 403 || strings.Contains(string(r.raw), "charged") {
		t.Errorf("a wrong proof: %d %s", r.status, r.raw)
	}
	// Ownership moves only by a supervisor, and the move is recorded.
	c.must(403, "reza", "POST", "/api/v1/requests/"+id+"/owner", `{"to": "reza"}`)
	c.must(400, "maryam", "POST", "/api/v1/requests/"+id+"/owner", `{"to": "nobody-here"}`)
	c.must(200, "maryam", "POST", "/api/v1/requests/"+id+"/owner", `{"to": "reza", "reason": "ali is on leave"}`)
	if req := c.request(id); req["owner"] != "reza" || !strings.Contains(mustJSON(t, req["history"]), "ali is on leave") {
		t.Errorf("after reassignment: owner %v", req["owner"])
	}
	// Not resolved yet: no rating, no reopening.
	c.must(409, "sara", "POST", "/api/v1/requests/"+id+"/feedback", `{"csat": 5}`)
	c.must(400, "sara", "POST", "/api/v1/requests/"+id+"/feedback", `{}`)

	// A phone request entered by an agent for a customer known by phone.
	phone := `{"type": "it-support", "channel": "phone", "requester": {"name": "Parisa Nouri", "phone": "+98 912 000 1111"},
		"data": {"contact": {"name": "Parisa Nouri", "email": "parisa@example.com"}, "category": "hardware", "subject": "Printer",
		"description": "The printer on floor 3 jams on every page.", "urgency": "low"}}`
	c.must(403, "sara", "POST", "/api/v1/requests", phone)
	c.must(400, "reza", "POST", "/api/v1/requests", strings.Replace(phone, `"channel": "phone", `, "", 1))
	entered := c.must(201, "reza", "POST", "/api/v1/requests", phone)
	pid := entered.body["id"].(string)
	if entered.body["owner"] != "reza" {
		t.Errorf("entered by reza, owned by %v", entered.body["owner"])
	}
	preq := c.request(pid)
	if preq["requester"] != "customer:p-+989120001111" || preq["enteredBy"] != "reza" || preq["channel"] != "phone" {
		t.Errorf("phone request: requester %v entered by %v channel %v", preq["requester"], preq["enteredBy"], preq["channel"])
	}
	c.must(200, "anonymous", "POST", "/api/v1/track/"+pid, `{"phone": "+98-912-000-1111"}`)
	c.must(403, "anonymous", "POST", "/api/v1/track/"+pid, `{"phone": "+98 912 000 2222"}`)
	// Without a login, the caller writes to the owner by proving the phone.
	c.must(403, "anonymous", "POST", "/api/v1/track/"+pid+"/messages", `{"phone": "+98 912 000 2222", "body": "Not me."}`)
	c.must(201, "anonymous", "POST", "/api/v1/track/"+pid+"/messages", `{"phone": "0098 912 000 1111", "body": "It is the HP one."}`)
	c.must(409, "anonymous", "POST", "/api/v1/track/"+pid+"/feedback", `{"phone": "+989120001111", "csat": 5}`)
	if msgs := c.request(pid)["messages"].([]any); msgs[len(msgs)-1].(map[string]any)["body"] != "It is the HP one." {
		t.Errorf("the caller's message: %v", msgs)
	}
	c.must(200, "reza", "GET", "/api/v1/customers/p-+989120001111", nil)
	c.must(200, "maryam", "PUT", "/api/v1/customers/p-+989120001111", `{"name": "Parisa Nouri", "phone": "+989120001111", "segment": "gold"}`)
	if cust := c.must(200, "reza", "GET", "/api/v1/customers/p-+989120001111", nil); cust.body["segment"] != "gold" {
		t.Errorf("customer: %s", cust.raw)
	}
}

func goalState(req map[string]any, goal string) string {
	st, _ := req["slaStatus"].(map[string]any)
	goals, _ := st["goals"].([]any)
	for _, g := range goals {
		if m := g.(map[string]any); m["goal"] == goal {
			return m["state"].(string)
		}
	}
	return ""
}
