package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestBenchDrivesTheMix runs `pishkhan bench` for a moment against a demo
// server: every operation of the mix runs without an error, tasks are
// claimed and completed, and the report has a line of percentiles for
// each operation.
func TestBenchDrivesTheMix(t *testing.T) {
	_, srv := testApp(t, func(c *Config) { c.Demo = true })
	var out bytes.Buffer
	c, err := parseBench([]string{"--url", srv.URL, "--duration", "3s", "--concurrency", "3", "--preload", "5",
		"--mix", "submit=4,track=3,inbox=2,work=3,kpis=1"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	c.Out = &out
	stats, err := runBench(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range benchOps {
		s := stats[name]
		if len(s.latencies) == 0 || s.errors > 0 || s.limited > 0 {
			t.Errorf("%s: %d done, %d errors (%s), %d limited", name, len(s.latencies), s.errors, s.lastErr, s.limited)
		}
	}
	// The work operation did complete tasks: requests were resolved.
	if k := call(t, srv, "GET", "/api/v1/kpis", nil); k.status != 200 || k.body["totals"].(map[string]any)["resolved"].(float64) < 1 {
		t.Errorf("nothing resolved by the work operation: %s", k.raw)
	}
	report := out.String()
	for _, want := range []string{"preloaded 5 requests", "operation", "submit", "track", "inbox", "work", "kpis", "p99"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if _, err := parseBench([]string{"--mix", "submit=1,fly=2"}, &out); err == nil {
		t.Error("a mix naming an unknown operation was accepted")
	}
	if percentile([]time.Duration{1, 2, 3, 4}, 50) != 2 || percentile([]time.Duration{1, 2, 3, 4}, 99) != 4 {
		t.Error("percentiles")
	}
	t.Log("\n" + report)
}
