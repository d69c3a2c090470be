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
// used by the other within the poll interval, and a request submitted to
// either is tracked through both.
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
	put, _ := http.NewRequest("PUT", a+"/api/v1/forms/complaint", strings.NewReader(stricter))
	put.Header.Set("Content-Type", "application/json")
	put.Header.Set("Authorization", "Bearer "+neda)
	if res, err := http.DefaultClient.Do(put); err != nil || res.StatusCode != 200 {
		t.Fatalf("save: %v %v", res, err)
	}
	pub, _ := http.NewRequest("POST", a+"/api/v1/forms/complaint/publish", nil)
	pub.Header.Set("Authorization", "Bearer "+neda)
	if res, err := http.DefaultClient.Do(pub); err != nil || res.StatusCode != 201 {
		t.Fatalf("publish: %v %v", res, err)
	}
	sara := loginAt(t, b, "sara", "sara-demo")
	deadline := time.Now().Add(5 * time.Second)
	for {
		req, _ := http.NewRequest("POST", b+"/api/v1/requests", strings.NewReader(`{"form": "complaint", "data": {
			"contact": {"name": "Reza", "email": "reza@example.com"}, "incidentDate": "2026-11-20", "department": "delivery",
			"description": "The parcel arrived broken and late."}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+sara)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == 422 {
			break // the second process validates with version 2
		}
		if time.Now().After(deadline) {
			t.Fatalf("second process still accepts with the old version after 5s (status %d)", res.StatusCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
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
