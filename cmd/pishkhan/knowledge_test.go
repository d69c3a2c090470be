package main

import (
	"strings"
	"testing"
)

// TestKnowledgeOverHTTP: the owner of a resolved complaint saves their
// reply as an article, without the requester's personal data; staff find
// it in English and Persian; a reply written from it counts its use;
// requesters never read the knowledge base.
func TestKnowledgeOverHTTP(t *testing.T) {
	c := newCrew(t)
	complaint := `{"type": "complaint", "channel": "portal", "data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"},
		"incidentDate": "2026-11-20", "department": "billing", "description": "I was charged twice for the same order last week."}}`
	id := c.must(201, "sara", "POST", "/api/v1/requests", complaint).body["id"].(string)
	c.must(201, "reza", "POST", "/api/v1/requests/"+id+"/messages", `{"kind": "note", "body": "The gateway sent the charge twice."}`)
	c.must(201, "ali", "POST", "/api/v1/requests/"+id+"/messages",
		`{"kind": "reply", "body": "Dear Sara, the payment gateway charged you twice; we refunded the second charge to your card, it shows within 3 working days. We wrote to sara@example.com too."}`)
	save := `{"message": "m2", "title": "Charged twice: refund of the duplicate", "tags": ["billing", "refund"]}`
	c.must(409, "ali", "POST", "/api/v1/requests/"+id+"/articles", save) // not resolved yet
	c.must(200, "ali", "POST", "/api/v1/tasks/"+c.inboxTask("ali", id, "assess")+"/complete", `{"outcome": "reject"}`)

	c.must(403, "sara", "POST", "/api/v1/requests/"+id+"/articles", save)
	c.must(400, "ali", "POST", "/api/v1/requests/"+id+"/articles", `{"message": "m1", "title": "From the note"}`)
	c.must(201, "ali", "POST", "/api/v1/requests/"+id+"/articles", `{"message": "m1", "title": "Gateway double charge", "fromNote": true}`)
	saved := c.must(201, "ali", "POST", "/api/v1/requests/"+id+"/articles", save)
	art := saved.body["id"].(string)
	body := saved.body["body"].(string)
	if strings.Contains(body, "Sara") || strings.Contains(body, "sara@") || !strings.HasPrefix(body, "Dear {name},") || !strings.Contains(body, "{email}") {
		t.Errorf("the article keeps personal data: %s", body)
	}
	if saved.body["requestType"] != "complaint" || saved.body["source"].(map[string]any)["request"] != id || saved.header.Get("Location") != "/api/v1/articles/"+art {
		t.Errorf("saved: %s", saved.raw)
	}
	c.must(201, "reza", "POST", "/api/v1/articles", `{"title": "بازپرداخت مبلغ کسرشده دوبار", "body": "مبلغ دوم ظرف ۳ روز کاری به کارت برمی‌گردد.", "tags": ["مالی"]}`)

	found := func(user, query string) []string {
		t.Helper()
		r := c.must(200, user, "GET", "/api/v1/articles?"+query, nil)
		var titles []string
		for _, it := range r.body["items"].([]any) {
			titles = append(titles, it.(map[string]any)["title"].(string))
		}
		return titles
	}
	if got := found("reza", "q=refund+duplicate"); len(got) != 1 || got[0] != "Charged twice: refund of the duplicate" {
		t.Errorf("English search: %v", got)
	}
	if got := found("maryam", "q=%D9%83%D8%B3%D8%B1%D8%B4%D8%AF%D9%87"); len(got) != 1 || !strings.HasPrefix(got[0], "بازپرداخت") { // کسرشده with an Arabic kaf
		t.Errorf("Persian search: %v", got)
	}
	if got := found("omid", "tag=billing&type=complaint"); len(got) != 1 {
		t.Errorf("a process owner reads by tag and type: %v", got)
	}
	if got := found("reza", "lang=fa"); len(got) != 1 {
		t.Errorf("by language: %v", got)
	}
	c.must(403, "sara", "GET", "/api/v1/articles?q=refund", nil)
	c.must(403, "sara", "GET", "/api/v1/articles/"+art, nil)
	c.must(403, "omid", "POST", "/api/v1/articles", `{"title": "Owners read only", "body": "x"}`)

	// A reply written from the article counts its use; the requester does
	// not see which article it came from.
	second := c.must(201, "sara", "POST", "/api/v1/requests", complaint).body["id"].(string)
	c.must(400, "ali", "POST", "/api/v1/requests/"+second+"/messages", `{"kind": "note", "body": "x", "article": "`+art+`"}`)
	c.must(201, "ali", "POST", "/api/v1/requests/"+second+"/messages", `{"kind": "reply", "body": "Dear Sara, we refunded the duplicate charge.", "article": "`+art+`"}`)
	if a := c.must(200, "reza", "GET", "/api/v1/articles/"+art, nil); a.body["used"] != float64(1) {
		t.Errorf("used: %v", a.body["used"])
	}
	if r := c.must(200, "sara", "GET", "/api/v1/requests/"+second, nil); strings.Contains(string(r.raw), art) {
		t.Errorf("the requester sees the article: %s", r.raw)
	}
	if r := c.must(200, "reza", "GET", "/api/v1/requests/"+second, nil); !strings.Contains(string(r.raw), art) {
		t.Errorf("staff do not see the article the reply came from")
	}

	// Editing: the author or a supervisor; If-Match guards a stale edit.
	edit := `{"title": "Charged twice: how the duplicate is refunded", "body": "Dear {name}, the second charge is refunded within 3 working days.", "tags": ["billing"]}`
	c.must(403, "reza", "PUT", "/api/v1/articles/"+art, edit)
	etag := c.must(200, "reza", "GET", "/api/v1/articles/"+art, nil).header.Get("ETag")
	edited := call(t, c.srv, "PUT", "/api/v1/articles/"+art, edit, append(bearer(c.tokens["maryam"]), "If-Match", etag)...)
	if edited.status != 200 || edited.body["editedBy"] != "maryam" || edited.body["used"] != float64(1) {
		t.Errorf("edit: %d %s", edited.status, edited.raw)
	}
	if r := call(t, c.srv, "PUT", "/api/v1/articles/"+art, edit, append(bearer(c.tokens["ali"]), "If-Match", etag)...); r.status != 412 {
		t.Errorf("stale edit: %d %s", r.status, r.raw)
	}
	c.must(403, "reza", "DELETE", "/api/v1/articles/"+art, nil)
	c.must(204, "ali", "DELETE", "/api/v1/articles/"+art, nil)
	if got := found("reza", "q=refunded"); len(got) != 0 {
		t.Errorf("an archived article is still found: %v", got)
	}
	if a := c.must(200, "reza", "GET", "/api/v1/articles/"+art, nil); a.body["archived"] != true {
		t.Errorf("archived: %s", a.raw)
	}
}
