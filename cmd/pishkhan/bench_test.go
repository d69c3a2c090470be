package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
)

// BenchmarkSubmit compares, in one run on the same store, Pishkhan's whole
// submission path over HTTP (decode, validate against the published form,
// tracking code, insert, answer) with a raw InsertOne of the document that
// path stores. Both run with the same number of concurrent clients;
// http-submit-1 is one client, one submission after the other.
//
//	go test -run '^$' -bench Submit -benchtime 3000x ./cmd/pishkhan/
func BenchmarkSubmit(b *testing.B) {
	a, srv := testApp(b)
	token := login(b, srv, "admin", testAdminPassword)
	publishDemoB(b, srv.URL, token)
	body := []byte(`{"form": "it-support", "channel": "portal", "data": {
	  "contact": {"name": "Sara Ahmadi", "email": "sara@example.com", "phone": "+98 21 5555 1234"},
	  "category": "access", "system": "Payroll", "subject": "Cannot log in",
	  "description": "Since this morning the payroll system refuses my password.", "urgency": "high", "assetSerial": "PC-2291"}}`)

	// The data Pishkhan stores for that body (it holds no numbers, so plain
	// JSON decoding gives the same values the engine stores).
	var sub struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &sub); err != nil {
		b.Fatal(err)
	}
	raw := a.store.Database().Collection("rawInserts")
	ctx := context.Background()

	const clients = 4
	b.Run("raw-insert", func(b *testing.B) {
		b.SetParallelism(clients)
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				now := time.Now().UTC()
				doc := engine.Request{ID: engine.NewTrackingCode(), Form: engine.FormRef{Key: "it-support", Version: 1}, Channel: "portal",
					Status: engine.StatusSubmitted, Data: sub.Data, CreatedAt: now, UpdatedAt: now, Revision: 1,
					History: []engine.Event{{At: now, Type: engine.EventSubmitted, Status: engine.StatusSubmitted}}}
				if _, err := raw.InsertOne(ctx, doc); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	})
	// submit sends one submission and reads its answer.
	submit := func(client *http.Client) error {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/requests", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 201 {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		return nil
	}
	b.Run("http-submit-1", func(b *testing.B) {
		client := &http.Client{}
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if err := submit(client); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	})
	b.Run("http-submit", func(b *testing.B) {
		b.SetParallelism(clients)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := submit(client); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	})
}

func publishDemoB(b *testing.B, base, token string) {
	for _, d := range []struct{ col, key, file string }{
		{"fragments", "contact", "demo/fragments/contact.json"},
		{"forms", "it-support", "demo/forms/it-support.json"},
	} {
		body, _ := demoFiles.ReadFile(d.file)
		req, _ := http.NewRequest("PUT", base+"/api/v1/"+d.col+"/"+d.key, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for _, r := range []*http.Request{req, mustReq(b, "POST", base+"/api/v1/"+d.col+"/"+d.key+"/publish")} {
			r.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(r)
			if err != nil {
				b.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode >= 300 {
				b.Fatalf("%s %s: %d", r.Method, r.URL, res.StatusCode)
			}
		}
	}
}

func mustReq(b *testing.B, method, url string) *http.Request {
	r, err := http.NewRequest(method, url, strings.NewReader(""))
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkLifecycleHTTP completes whole request lifecycles over HTTP, one
// client: submit an IT support request (the demo workflow starts and
// creates the triage task), complete the task with "resolve" (the request
// ends and is archived). Compare with BenchmarkLifecycle in ./engine/ for
// what HTTP adds.
//
//	go test -run '^$' -bench LifecycleHTTP -benchtime 200x ./cmd/pishkhan/
func BenchmarkLifecycleHTTP(b *testing.B) {
	_, srv := testApp(b, func(c *Config) { c.Demo = true })
	token := login(b, srv, "admin", testAdminPassword)
	body := []byte(`{"form": "it-support", "channel": "api", "data": {
	  "contact": {"name": "Sara Ahmadi", "email": "sara@example.com"}, "category": "software", "subject": "Cannot print",
	  "description": "The printer on the second floor prints blank pages.", "urgency": "low"}}`)
	client := &http.Client{}
	do := func(method, url string, body []byte, want int) map[string]any {
		req, _ := http.NewRequest(method, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		if res.StatusCode != want {
			b.Fatalf("%s %s: %d %v", method, url, res.StatusCode, out)
		}
		return out
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := do("POST", srv.URL+"/api/v1/requests", body, 201)["id"].(string)
		done := do("POST", srv.URL+"/api/v1/tasks/"+id+"-2/complete", []byte(`{"outcome": "resolve"}`), 200)
		if done["request"].(map[string]any)["status"] != "resolved" {
			b.Fatalf("not resolved: %v", done)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lifecycles/s")
}
