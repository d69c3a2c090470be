package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Two Pishkhan processes share one database: the first serves its embedded
// store on loopback, the second is pointed at it with PISHKHAN_MONGODB_URI,
// exactly as it would be at a MongoDB. A form published through one is
// used by the other within the poll interval, so is a rule set, and a
// request submitted to either is tracked through both.
func TestTwoProcessesShareOneStore(t *testing.T) {
	t.Parallel()
	storeAddr := freeAddr(t)
	first := map[string]string{"PISHKHAN_DATA_DIR": t.TempDir(), "PISHKHAN_ADDR": freeAddr(t), "PISHKHAN_STORE_ADDR": storeAddr,
		"PISHKHAN_LOG_LEVEL": "warn", "PISHKHAN_POLL_INTERVAL": "100ms"}
	second := map[string]string{"PISHKHAN_MONGODB_URI": "mongodb://" + storeAddr + "/", "PISHKHAN_ADDR": freeAddr(t),
		"PISHKHAN_LOG_LEVEL": "warn", "PISHKHAN_POLL_INTERVAL": "100ms"}
	stopFirst := startServe(t, first, "--demo")
	defer stopFirst()
	stopSecond := startServe(t, second)
	defer stopSecond()
	a, b := "http://"+first["PISHKHAN_ADDR"], "http://"+second["PISHKHAN_ADDR"]

	codeA := submitDemo(t, a)
	codeB := submitDemo(t, b)
	for _, base := range []string{a, b} {
		for _, code := range []string{codeA, codeB} {
			if status, body := get(t, base+"/api/v1/track/"+code); status != 200 {
				t.Errorf("%s cannot track %s: %d %s", base, code, status, body)
			}
		}
	}

	// Publish a stricter complaint form through the first process; the
	// second must refuse the old data soon after, without a restart.
	body, _ := demoFiles.ReadFile("demo/forms/complaint.json")
	stricter := strings.Replace(string(body), `"required": ["contact", "incidentDate", "department", "description"]`,
		`"required": ["contact", "incidentDate", "department", "description", "orderNumber"]`, 1)
	neda := loginAt(t, a, "neda", "neda-demo") // process owner of customer-service
	if status, body := send(t, "PUT", a+"/api/v1/forms/complaint", neda, stricter); status != 200 {
		t.Fatalf("save: %d %s", status, body)
	}
	if status, body := send(t, "POST", a+"/api/v1/forms/complaint/publish", neda, ""); status != 201 {
		t.Fatalf("publish: %d %s", status, body)
	}
	sara := loginAt(t, b, "sara", "sara-demo")
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, _ := send(t, "POST", b+"/api/v1/requests", sara, `{"form": "complaint", "data": {
			"contact": {"name": "Reza", "email": "reza@example.com"}, "incidentDate": "2026-11-20", "department": "delivery",
			"description": "The parcel arrived broken and late."}}`)
		if status == 422 {
			break // the second process validates with version 2
		}
		if time.Now().After(deadline) {
			t.Fatalf("second process still accepts with the old version after 5s (status %d)", status)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A routing rule changed through the first process decides on the
	// second within the poll interval.
	omid := loginAt(t, a, "omid", "omid-demo") // process owner of it
	reza := loginAt(t, b, "reza", "reza-demo")
	access := `{"form": {"category": "access", "urgency": "low"}}`
	if status, body := send(t, "POST", b+"/api/v1/rules/it-routing/evaluate", reza, access); status != 200 || !strings.Contains(body, `"group":"it-access"`) {
		t.Fatalf("evaluate version 1: %d %s", status, body)
	}
	routing, _ := demoFiles.ReadFile("demo/rules/it-routing.json")
	changed := strings.Replace(string(routing), `"group": "it-access"`, `"group": "identity"`, 1)
	if status, body := send(t, "PUT", a+"/api/v1/rules/it-routing", omid, changed); status != 200 {
		t.Fatalf("save rule set: %d %s", status, body)
	}
	if status, body := send(t, "POST", a+"/api/v1/rules/it-routing/publish", omid, ""); status != 201 {
		t.Fatalf("publish rule set: %d %s", status, body)
	}
	deadline = time.Now().Add(5 * time.Second)
	for {
		status, body := send(t, "POST", b+"/api/v1/rules/it-routing/evaluate", reza, access)
		if status != 200 {
			t.Fatalf("evaluate: %d %s", status, body)
		}
		if strings.Contains(body, `"group":"identity"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("second process still routes with the old rule set after 5s: %s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// send makes one authenticated request and returns the status and body.
func send(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// Timers fire once across processes and after a restart: three processes
// share one database; the first looks for due timers only at its start.
// Requests wait five seconds (long enough for the 30 submissions on a
// loaded machine, which took over two); the other two processes stop
// before that, so the timers fall due with nobody to fire them, then both
// start again and race to fire them. Every request must have fired exactly
// once.
func TestTimersFireOnceAcrossProcessesAndAfterRestart(t *testing.T) {
	t.Parallel()
	storeAddr := freeAddr(t)
	first := map[string]string{"PISHKHAN_DATA_DIR": t.TempDir(), "PISHKHAN_ADDR": freeAddr(t), "PISHKHAN_STORE_ADDR": storeAddr,
		"PISHKHAN_LOG_LEVEL": "warn", "PISHKHAN_POLL_INTERVAL": "100ms", "PISHKHAN_TIMER_INTERVAL": "1h"}
	others := make([]map[string]string, 2)
	for i := range others {
		others[i] = map[string]string{"PISHKHAN_MONGODB_URI": "mongodb://" + storeAddr + "/", "PISHKHAN_ADDR": freeAddr(t),
			"PISHKHAN_LOG_LEVEL": "warn", "PISHKHAN_POLL_INTERVAL": "100ms", "PISHKHAN_TIMER_INTERVAL": "20ms"}
	}
	stopFirst := startServe(t, first, "--demo")
	defer stopFirst()
	a := "http://" + first["PISHKHAN_ADDR"]
	neda := loginAt(t, a, "neda", "neda-demo")
	pause := `{"key": "complaint", "category": "customer-service", "title": {"en": "Complaint"}, "form": "complaint",
		"nodes": [{"id": "start", "kind": "start"}, {"id": "pause", "kind": "wait", "duration": "5s"}, {"id": "done", "kind": "end", "outcome": "resolved"}],
		"edges": [{"from": "start", "to": "pause"}, {"from": "pause", "to": "done"}]}`
	if status, body := send(t, "PUT", a+"/api/v1/workflows/complaint", neda, pause); status != 200 {
		t.Fatalf("save: %d %s", status, body)
	}
	if status, body := send(t, "POST", a+"/api/v1/workflows/complaint/publish", neda, ""); status != 201 {
		t.Fatalf("publish: %d %s", status, body)
	}
	stops := make([]func(), 2)
	for i, env := range others {
		stops[i] = startServe(t, env)
	}
	bases := []string{a, "http://" + others[0]["PISHKHAN_ADDR"], "http://" + others[1]["PISHKHAN_ADDR"]}
	saras := make([]string, len(bases))
	for i, base := range bases {
		saras[i] = loginAt(t, base, "sara", "sara-demo")
	}
	var ids []string
	for i := 0; i < 30; i++ {
		base := bases[i%3]
		status, body := send(t, "POST", base+"/api/v1/requests", saras[i%3], `{"form": "complaint", "data": {
			"contact": {"name": "Sara", "email": "sara@example.com"}, "incidentDate": "2026-11-20", "department": "delivery",
			"description": "The parcel arrived broken and late."}}`)
		if status != 201 {
			t.Fatalf("submit through %s: %d %s", base, status, body)
		}
		var r struct{ ID string }
		mustUnmarshal(t, []byte(body), &r)
		ids = append(ids, r.ID)
	}
	lastSubmitted := time.Now()
	for _, stop := range stops {
		stop()
	}
	admin := loginAt(t, a, "admin", demoAdminPassword)
	request := func(id string) (status string, fired int) {
		code, body := send(t, "GET", a+"/api/v1/requests/"+id, admin, "")
		if code != 200 {
			t.Fatalf("get %s: %d %s", id, code, body)
		}
		var r struct {
			Status  string
			History []struct{ Type string }
		}
		mustUnmarshal(t, []byte(body), &r)
		for _, e := range r.History {
			if e.Type == "timer-fired" {
				fired++
			}
		}
		return r.Status, fired
	}
	time.Sleep(time.Until(lastSubmitted.Add(5500 * time.Millisecond))) // every wait is due; nobody fires
	waiting := 0
	for _, id := range ids {
		if _, fired := request(id); fired == 0 {
			waiting++
		}
	}
	for i, env := range others {
		stops[i] = startServe(t, env)
		defer stops[i]()
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, id := range ids {
		for {
			status, fired := request(id)
			if status == "resolved" {
				if fired != 1 {
					t.Errorf("%s: the timer fired %d times", id, fired)
				}
				break
			}
			if time.Now().After(deadline) {
				_, body := send(t, "GET", a+"/api/v1/requests/"+id, admin, "")
				t.Fatalf("%s still %s after the restart: %s", id, status, body)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if waiting == 0 {
		t.Error("every timer had fired before the restart, so the restart proved nothing")
	}
}
