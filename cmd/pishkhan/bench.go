package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// `pishkhan bench` drives a running Pishkhan (started with --demo) through
// its HTTP API with a realistic mix of what requesters, agents and
// managers do, and reports throughput and latency percentiles per
// operation. With --preload it first submits that many requests, to see
// how costs grow with the data.

// benchConfig is what `pishkhan bench` is told.
type benchConfig struct {
	URL         string
	Duration    time.Duration
	Concurrency int
	Preload     int
	// PreloadStore, if set, is the MongoDB URI of the store the server
	// uses: the preload then writes engine-made requests to it directly
	// (database PreloadDatabase) instead of submitting them over HTTP.
	PreloadStore    string
	PreloadDatabase string
	Mix             map[string]int
	Out             io.Writer
}

// benchOps are the operations of the mix, in report order.
var benchOps = []string{"submit", "track", "inbox", "work", "kpis"}

const defaultMix = "submit=40,track=25,inbox=20,work=10,kpis=5"

func parseBench(args []string, out io.Writer) (*benchConfig, error) {
	fs := flag.NewFlagSet("pishkhan bench", flag.ContinueOnError)
	fs.SetOutput(out)
	c := &benchConfig{Out: out}
	var mix string
	fs.StringVar(&c.URL, "url", "http://localhost:8080", "the Pishkhan to drive (started with --demo)")
	fs.DurationVar(&c.Duration, "duration", 30*time.Second, "how long to run the mix")
	fs.IntVar(&c.Concurrency, "concurrency", 8, "clients running at once")
	fs.IntVar(&c.Preload, "preload", 0, "requests to submit first (e.g. 100000)")
	fs.StringVar(&c.PreloadStore, "preload-store", "", "MongoDB URI of the server's store (for the embedded one, the address given to its --store-addr): preload writes a year of requests to it directly, in batches, rather than over HTTP")
	fs.StringVar(&c.PreloadDatabase, "preload-database", "pishkhan", "the server's database (its --database), for --preload-store")
	fs.StringVar(&mix, "mix", defaultMix, "operations and their weights: submit (two request types), track (public tracking), inbox (an agent's tasks), work (claim and complete a task), kpis (a manager's 30-day KPIs)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if c.Duration <= 0 || c.Concurrency < 1 || c.Concurrency > 1000 || c.Preload < 0 {
		return nil, errors.New("bench: duration > 0, concurrency 1 to 1000, preload >= 0")
	}
	c.Mix = map[string]int{}
	for _, part := range strings.Split(mix, ",") {
		name, weight, ok := strings.Cut(strings.TrimSpace(part), "=")
		w, err := strconv.Atoi(weight)
		if !ok || err != nil || w < 0 || w > 1000 || !slices.Contains(benchOps, name) {
			return nil, fmt.Errorf("bench: mix %q: give name=weight pairs of %v, weights 0 to 1000", part, benchOps)
		}
		c.Mix[name] = w
	}
	return c, nil
}

// benchSubmissions are the bodies submissions alternate between.
var benchSubmissions = []string{
	`{"type": "it-support", "channel": "portal", "data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"},
		"category": "access", "system": "Payroll", "subject": "Cannot log in", "description": "Since this morning the payroll system refuses my password.", "urgency": "high"}}`,
	`{"type": "complaint", "channel": "portal", "data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"},
		"incidentDate": "2026-11-20", "department": "delivery", "description": "The parcel arrived broken and two days late."}}`,
}

// benchClient is the bench's view of one Pishkhan.
type benchClient struct {
	url    string
	http   *http.Client
	tokens map[string]string

	mu    sync.Mutex
	codes []string // tracking codes handed out, for tracking lookups
}

func (b *benchClient) do(ctx context.Context, user, method, path, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, b.url+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := b.tokens[user]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := b.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return res.StatusCode, raw, err
}

func (b *benchClient) login(ctx context.Context, user string) error {
	status, raw, err := b.do(ctx, "", "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username": %q, "password": %q}`, user, user+"-demo"))
	if err != nil {
		return err
	}
	var r struct{ Token string }
	if status != 200 || json.Unmarshal(raw, &r) != nil || r.Token == "" {
		return fmt.Errorf("bench: log in as %s (is the server started with --demo?): %d %s", user, status, bytes.TrimSpace(raw))
	}
	b.tokens[user] = r.Token
	return nil
}

// errTaken: the task was claimed by another client first.
var errTaken = errors.New("taken by another client")

// errStatus is an answer the operation did not expect.
type errStatus struct {
	status int
	body   string
}

func (e *errStatus) Error() string { return fmt.Sprintf("%d %s", e.status, e.body) }

func (b *benchClient) expect(want int, status int, raw []byte, err error) error {
	if err != nil {
		return err
	}
	if status != want {
		return &errStatus{status, string(bytes.TrimSpace(raw[:min(len(raw), 200)]))}
	}
	return nil
}

// op runs one operation of the mix and returns what it did: with nothing
// to track or to work on yet, a client submits instead.
func (b *benchClient) op(ctx context.Context, name string, rng *rand.Rand) (string, error) {
	switch name {
	case "submit":
		status, raw, err := b.do(ctx, "sara", "POST", "/api/v1/requests", benchSubmissions[rng.IntN(len(benchSubmissions))])
		if err := b.expect(201, status, raw, err); err != nil {
			return name, err
		}
		var r struct{ ID string }
		_ = json.Unmarshal(raw, &r)
		b.mu.Lock()
		if len(b.codes) < 100000 {
			b.codes = append(b.codes, r.ID)
		} else {
			b.codes[rng.IntN(len(b.codes))] = r.ID
		}
		b.mu.Unlock()
		return name, nil
	case "track":
		b.mu.Lock()
		code := ""
		if len(b.codes) > 0 {
			code = b.codes[rng.IntN(len(b.codes))]
		}
		b.mu.Unlock()
		if code == "" {
			return b.op(ctx, "submit", rng)
		}
		status, raw, err := b.do(ctx, "", "GET", "/api/v1/track/"+code, "")
		return name, b.expect(200, status, raw, err)
	case "inbox":
		status, raw, err := b.do(ctx, "reza", "GET", "/api/v1/tasks?view=queues&limit=20", "")
		if err := b.expect(200, status, raw, err); err != nil {
			return name, err
		}
		// The requests in the queue are ones to track too (preloaded
		// ones, in a run that submits nothing).
		var page struct{ Items []struct{ Request string } }
		_ = json.Unmarshal(raw, &page)
		b.mu.Lock()
		for _, it := range page.Items {
			if len(b.codes) < 100 {
				b.codes = append(b.codes, it.Request)
			}
		}
		b.mu.Unlock()
		return name, nil
	case "work":
		// Take the first it-support triage task waiting in the queue.
		status, raw, err := b.do(ctx, "reza", "GET", "/api/v1/tasks?view=queues&node=triage&limit=20", "")
		if err := b.expect(200, status, raw, err); err != nil {
			return name, err
		}
		var page struct{ Items []struct{ ID string } }
		_ = json.Unmarshal(raw, &page)
		if len(page.Items) == 0 {
			return b.op(ctx, "submit", rng)
		}
		id := page.Items[rng.IntN(len(page.Items))].ID
		status, raw, err = b.do(ctx, "reza", "POST", "/api/v1/tasks/"+id+"/claim", "")
		if status == 409 {
			return name, errTaken // another client took it first: what a busy queue does
		}
		if err := b.expect(200, status, raw, err); err != nil {
			return name, err
		}
		// The clients all act as reza, so a claim of a task another client
		// claimed a moment ago succeeds too: whoever completes second is
		// told it is done already.
		status, raw, err = b.do(ctx, "reza", "POST", "/api/v1/tasks/"+id+"/complete", `{"outcome": "resolve", "comment": "Password reset."}`)
		if status == 409 {
			return name, errTaken
		}
		return name, b.expect(200, status, raw, err)
	case "kpis":
		status, raw, err := b.do(ctx, "maryam", "GET", "/api/v1/kpis", "")
		return name, b.expect(200, status, raw, err)
	}
	return name, fmt.Errorf("bench: no operation %q", name)
}

// benchStats is what one operation measured.
type benchStats struct {
	latencies []time.Duration
	errors    int
	limited   int // 429: the server's rate limits, not failures
	taken     int // work: the task went to another client first
	lastErr   string
}

// runBench runs the bench and writes its report.
func runBench(ctx context.Context, c *benchConfig) (map[string]*benchStats, error) {
	b := &benchClient{url: strings.TrimRight(c.URL, "/"), tokens: map[string]string{},
		http: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: c.Concurrency * 2}}}
	for _, u := range []string{"sara", "reza", "maryam"} {
		if err := b.login(ctx, u); err != nil {
			return nil, err
		}
	}
	if c.Preload > 0 {
		start := time.Now()
		preload := b.preload
		if c.PreloadStore != "" {
			preload = preloadStore
		}
		if err := preload(ctx, c); err != nil {
			return nil, err
		}
		fmt.Fprintf(c.Out, "preloaded %d requests in %s (%.0f/s)\n", c.Preload, time.Since(start).Round(time.Millisecond), float64(c.Preload)/time.Since(start).Seconds())
	}
	var weights []string
	for _, name := range benchOps {
		for range c.Mix[name] {
			weights = append(weights, name)
		}
	}
	if len(weights) == 0 {
		return nil, errors.New("bench: the mix has no weight")
	}
	stats := map[string]*benchStats{}
	for _, name := range benchOps {
		stats[name] = &benchStats{}
	}
	var mu sync.Mutex
	rctx, cancel := context.WithTimeout(ctx, c.Duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range c.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			for rctx.Err() == nil {
				t0 := time.Now()
				name, err := b.op(rctx, weights[rng.IntN(len(weights))], rng)
				took := time.Since(t0)
				if rctx.Err() != nil {
					return // cut short by the end of the run: not counted
				}
				mu.Lock()
				s := stats[name]
				var es *errStatus
				switch {
				case errors.As(err, &es) && es.status == http.StatusTooManyRequests:
					s.limited++
				case errors.Is(err, errTaken):
					s.taken++
				case err != nil:
					s.errors++
					s.lastErr = err.Error()
				default:
					s.latencies = append(s.latencies, took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	report(c.Out, stats, time.Since(start), c)
	return stats, nil
}

// preload submits c.Preload requests, c.Concurrency at a time.
func (b *benchClient) preload(ctx context.Context, c *benchConfig) error {
	jobs := make(chan int)
	errc := make(chan error, c.Concurrency)
	var wg sync.WaitGroup
	for i := range c.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			for range jobs {
				if _, err := b.op(ctx, "submit", rng); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	var err error
loop:
	for i := 0; i < c.Preload; i++ {
		select {
		case jobs <- i:
		case err = <-errc:
			break loop
		case <-ctx.Done():
			err = ctx.Err()
			break loop
		}
	}
	close(jobs)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errc:
		default:
		}
	}
	return err
}

// percentile is the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func report(out io.Writer, stats map[string]*benchStats, elapsed time.Duration, c *benchConfig) {
	fmt.Fprintf(out, "pishkhan bench: %s for %s, %d clients, mix %v\n", c.URL, elapsed.Round(time.Millisecond), c.Concurrency, c.Mix)
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "operation\tok\terrors\t429\tper second\tp50\tp95\tp99\t")
	for _, name := range benchOps {
		s := stats[name]
		if c.Mix[name] == 0 && len(s.latencies) == 0 {
			continue
		}
		slices.Sort(s.latencies)
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%.1f\t%s\t%s\t%s\t\n", name, len(s.latencies), s.errors, s.limited,
			float64(len(s.latencies))/elapsed.Seconds(), ms(percentile(s.latencies, 50)), ms(percentile(s.latencies, 95)), ms(percentile(s.latencies, 99)))
	}
	_ = w.Flush()
	for _, name := range benchOps {
		if s := stats[name]; s.errors > 0 {
			fmt.Fprintf(out, "%s: last error: %s\n", name, s.lastErr)
		}
	}
	if n := stats["work"].taken; n > 0 {
		fmt.Fprintf(out, "work: %d tasks went to another client first (not counted above)\n", n)
	}
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
}
