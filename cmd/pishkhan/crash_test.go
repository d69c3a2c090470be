//go:build linux

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Crash safety and several processes, proven from outside: Pishkhan runs
// as separate OS processes (this test binary started again with
// envRunMain, which makes TestMain run main), under load from concurrent
// clients, and is killed with SIGKILL at random moments and started again
// on the same data. Afterwards every request answered with a tracking code
// exists, every task completion answered 200 was applied exactly once (and
// is the one that was answered), no completion and no timer was applied
// twice, the workflow moved on once from each, and every notification the
// requests' outboxes hold reached a real SMTP server and the notification
// webhook at least once. docs/reliability.md describes the guarantees and
// how to run these tests longer.

// Settings of longer runs.
const (
	envCrashRounds = "PISHKHAN_CRASH_ROUNDS" // kills per test (default 4 and 3)
	envCrashSeed   = "PISHKHAN_CRASH_SEED"   // replays the kill moments and the load's choices of a logged run
)

// process is one Pishkhan process started from this test binary, killed
// and started again on the same data.
type process struct {
	t    *testing.T
	name string
	env  map[string]string
	args []string // of the first start only (--demo)
	base string
	log  *os.File

	mu   sync.Mutex
	cmd  *exec.Cmd
	gone chan struct{} // closed when cmd has ended
	life int           // changes at every start and every kill
	up   bool
}

func newProcess(t *testing.T, name string, env map[string]string, args ...string) *process {
	t.Helper()
	log, err := os.Create(filepath.Join(t.TempDir(), name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, name: name, env: env, args: args, base: "http://" + env["PISHKHAN_ADDR"], log: log}
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("log of %s:\n%s", name, tail(b, 6000))
		}
		log.Close()
	})
	return p
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// start starts the process and waits until it is ready. A process that
// gives up during start-up (its store did not answer in time, on a busy
// machine) is started again, as a supervisor would, up to three times.
func (p *process) start() {
	p.t.Helper()
	var cmd *exec.Cmd
	var exited chan error
	for attempt := 1; ; attempt++ {
		var err error
		if cmd, exited, err = p.launch(); err == nil {
			break
		}
		if attempt == 3 {
			p.t.Fatalf("%s: %v", p.name, err)
		}
		p.t.Logf("%s: %v; starting it again", p.name, err)
		time.Sleep(time.Second)
	}
	gone := make(chan struct{})
	p.mu.Lock()
	p.cmd, p.gone, p.up = cmd, gone, true
	p.life++
	p.mu.Unlock()
	go func() {
		<-exited
		p.mu.Lock()
		if p.cmd == cmd { // a process that ends by itself is down too
			p.up = false
		}
		p.mu.Unlock()
		close(gone)
	}()
}

// launch starts the process once and waits until it is ready; exited
// gets its end.
func (p *process) launch() (*exec.Cmd, chan error, error) {
	cmd := exec.Command(os.Args[0], append([]string{"serve"}, p.args...)...)
	cmd.Env = []string{envRunMain + "=1"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PISHKHAN_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range p.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = p.log, p.log
	// Should the test binary itself die, its servers die with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	fmt.Fprintf(p.log, "--- start %s\n", time.Now().Format(time.StampMilli))
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(90 * time.Second)
	for {
		if res, err := http.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				p.args = nil // --demo is for the first start only
				return cmd, exited, nil
			}
		}
		select {
		case err := <-exited:
			return nil, nil, fmt.Errorf("ended before it was ready: %v", err)
		case <-time.After(30 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return nil, nil, errors.New("not ready within 90s")
		}
	}
}

// kill sends SIGKILL and waits until the process is gone.
func (p *process) kill() {
	p.mu.Lock()
	cmd, gone := p.cmd, p.gone
	p.cmd, p.up = nil, false
	p.life++
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	fmt.Fprintf(p.log, "--- SIGKILL %s\n", time.Now().Format(time.StampMilli))
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-gone
}

// state is the process's life and whether it is up.
func (p *process) state() (life int, up bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.life, p.up
}

// webhookBox is the notification webhook's receiver: it keeps the id
// each call carries.
type webhookBox struct {
	mu  sync.Mutex
	got map[string]bool
	url string
}

func newWebhookBox(t *testing.T) *webhookBox {
	w := &webhookBox{got: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var body struct{ ID string }
		raw, _ := io.ReadAll(r.Body)
		if json.Unmarshal(raw, &body) != nil || body.ID == "" {
			http.Error(rw, "no id", 400)
			return
		}
		w.mu.Lock()
		w.got[body.ID] = true
		w.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	w.url = srv.URL
	return w
}

// has reports whether a delivery of notification item id (id.N) came.
func (w *webhookBox) has(item string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return hasPrefixIn(w.got, item+".")
}

// mailIDs is the set of Message-IDs the mailbox got, without brackets.
func (m *mailbox) mailIDs() map[string]bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := map[string]bool{}
	for _, r := range m.got {
		id, _ := r.header.MessageID()
		ids[id] = true
	}
	return ids
}

// crashRun is one run of load against processes that get killed.
type crashRun struct {
	t     *testing.T
	rng   *rand.Rand // the kill schedule's; the clients have their own
	seed  uint64
	procs []*process
	store *process // the one holding the data (also in procs)
	box   *mailbox
	hook  *webhookBox
	http  *http.Client

	tokens map[string]string // sara, ali, admin, bot (an API key)

	mu        sync.Mutex
	submitted map[string]string // tracking code -> channel
	// unanswered counts submissions whose every sending a kill cut until
	// the load stopped (at most one per submitter).
	unanswered int
	acked      map[string]string // task id -> comment of the completion answered 200
	// seen are the requests answered 201 and those met in the inbox
	// (whose submission a kill may have cut after it was stored).
	seen map[string]bool
	cut  int // calls cut by a kill
	// storeDown counts other processes' 503s while the store's process
	// was down, by problem type.
	storeDown map[string]int
	failures  []string
}

func newCrashRun(t *testing.T) *crashRun {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(envCrashSeed); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s: %v", envCrashSeed, err)
		}
	}
	t.Logf("seed %d (replay with %s=%d)", seed, envCrashSeed, seed)
	return &crashRun{t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, 0)), box: newMailbox(t), hook: newWebhookBox(t),
		// A new connection for every call: a kept-alive one could outlive
		// the process it was made to.
		http:   &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}},
		tokens: map[string]string{}, submitted: map[string]string{}, acked: map[string]string{}, seen: map[string]bool{}, storeDown: map[string]int{}}
}

func crashRounds(t *testing.T, def int) int {
	if s := os.Getenv(envCrashRounds); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: give a number of kills", envCrashRounds, s)
		}
		return n
	}
	return def
}

// env is the settings every process of the run shares.
func (c *crashRun) env(addr string) map[string]string {
	return map[string]string{"PISHKHAN_ADDR": addr, "PISHKHAN_LOG_LEVEL": "warn", "PISHKHAN_POLL_INTERVAL": "200ms",
		"PISHKHAN_TIMER_INTERVAL": "100ms", "PISHKHAN_LOGIN_RATE": "1000", "PISHKHAN_TRACK_RATE": "1000",
		"PISHKHAN_SHUTDOWN_GRACE": "2s", "PISHKHAN_SMTP_RELAY": c.box.addr, "PISHKHAN_SMTP_TLS": "none",
		"PISHKHAN_NOTIFY_WEBHOOK": c.hook.url}
}

// outcome of one call.
type outcome struct {
	status int
	raw    []byte
	cut    bool // a kill cut it (or the process it went to was down)
}

// call makes one call to p as user. A call that got no answer is cut, not
// failed, when the process it went to, or the one serving the store, was
// down or was killed while it ran; so is a 503 from another process while
// the store's was down. Any other call without an answer, and any other
// 5xx (a 500 for a store that went away among them), is a failure of the
// run.
func (c *crashRun) call(p *process, user, method, path, body string, headers ...string) outcome {
	lifeP, upP := p.state()
	lifeS, upS := c.store.state()
	req, _ := http.NewRequest(method, p.base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := c.tokens[user]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	var raw []byte
	if err == nil {
		raw, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	lifeP2, _ := p.state()
	lifeS2, _ := c.store.state()
	storeCut := !upS || lifeS != lifeS2
	cut := !upP || lifeP != lifeP2 || storeCut
	switch {
	case err != nil && cut:
		c.note(func() { c.cut++ })
		return outcome{cut: true}
	case err != nil:
		c.fail("%s %s %s on %s (up): %v", user, method, path, p.name, err)
		return outcome{cut: true}
	case res.StatusCode == 503 && p != c.store && storeCut:
		// Try again, says another process while the store's is down
		// (unavailable), or after waiting for it too long (timeout).
		var problem struct{ Type string }
		_ = json.Unmarshal(raw, &problem)
		c.note(func() { c.cut++; c.storeDown[problem.Type]++ })
		return outcome{cut: true}
	case res.StatusCode >= 500:
		c.fail("%s %s %s on %s: %d %s", user, method, path, p.name, res.StatusCode, raw)
	}
	return outcome{status: res.StatusCode, raw: raw}
}

func (c *crashRun) note(f func()) {
	c.mu.Lock()
	f()
	c.mu.Unlock()
}

func (c *crashRun) fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.mu.Lock()
	c.failures = append(c.failures, msg)
	c.mu.Unlock()
}

// login gets a token through the store's process.
func (c *crashRun) login(user, password string) {
	c.tokens[user] = loginAt(c.t, c.store.base, user, password)
}

// setUp publishes the test's complaint workflow and logs everyone in
// through the store's process, which has just started with --demo.
func (c *crashRun) setUp() {
	t := c.t
	c.login("admin", demoAdminPassword)
	wf := fixture(t, "crash-complaint.json")
	if status, body := send(t, "PUT", c.store.base+"/api/v1/workflows/complaint", c.tokens["admin"], wf); status != 200 {
		t.Fatalf("save workflow: %d %s", status, body)
	}
	if status, body := send(t, "POST", c.store.base+"/api/v1/workflows/complaint/publish", c.tokens["admin"], ""); status != 201 {
		t.Fatalf("publish workflow: %d %s", status, body)
	}
	status, body := send(t, "POST", c.store.base+"/api/v1/apikeys", c.tokens["admin"], `{"name": "chat bot", "scopes": ["requests:submit"]}`)
	var key struct{ Key string }
	if status != 201 || json.Unmarshal([]byte(body), &key) != nil {
		t.Fatalf("api key: %d %s", status, body)
	}
	c.tokens["bot"] = key.Key
	c.login("sara", "sara-demo")
	c.login("ali", "ali-demo")
}

// anyProcess picks a process for a client's next call, preferring those
// that are up.
func (c *crashRun) anyProcess(rng *rand.Rand) *process {
	for range 3 {
		p := c.procs[rng.IntN(len(c.procs))]
		if _, up := p.state(); up {
			return p
		}
	}
	time.Sleep(20 * time.Millisecond) // everything is down: do not spin
	return c.procs[rng.IntN(len(c.procs))]
}

const (
	crashPortal = `{"type": "complaint", "channel": "portal", "data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"},
		"incidentDate": "2026-11-20", "department": "delivery", "description": "The parcel arrived broken and two days late."}}`
	crashChat = `{"type": "complaint", "channel": "chat", "contact": {"name": "Nima", "handle": "tg:4242"}, "language": "en",
		"data": {"contact": {"name": "Nima Rad", "email": "nima@example.net"}, "incidentDate": "2026-11-21", "department": "delivery",
		"description": "The courier left my parcel at the wrong door."}}`
)

// submitter files complaints, by portal and by chat, until ctx ends. Each
// submission carries an Idempotency-Key; one a kill cut is sent again with
// it until it is answered, so every submission is filed exactly once.
func (c *crashRun) submitter(ctx context.Context, id int) {
	rng := rand.New(rand.NewPCG(c.seed, uint64(100+id)))
	for i := 0; ctx.Err() == nil; i++ {
		user, body, channel := "sara", crashPortal, "portal"
		if i%2 == 1 {
			user, body, channel = "bot", crashChat, "chat"
		}
		key := fmt.Sprintf("submitter-%d-%d", id, i)
		var o outcome
		var p *process
		for {
			p = c.anyProcess(rng)
			if o = c.call(p, user, "POST", "/api/v1/requests", body, "Idempotency-Key", key); !o.cut {
				break
			}
			if ctx.Err() != nil {
				c.note(func() { c.unanswered++ })
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		switch {
		case o.status == 201:
			var r struct{ ID string }
			if json.Unmarshal(o.raw, &r) != nil || r.ID == "" {
				c.fail("submit on %s: 201 without a tracking code: %s", p.name, o.raw)
				continue
			}
			c.note(func() { c.submitted[r.ID], c.seen[r.ID] = channel, true })
		default:
			c.fail("submit on %s: %d %s", p.name, o.status, o.raw)
		}
		time.Sleep(time.Duration(20+rng.IntN(60)) * time.Millisecond)
	}
}

// worker completes handle tasks from the customer-service queue as ali
// until ctx ends. A completion a kill cut is sent again (with a new
// comment) until it is answered: 200 means this attempt was applied, 409
// that an earlier one (or another worker's) was.
func (c *crashRun) worker(ctx context.Context, id int) {
	rng := rand.New(rand.NewPCG(c.seed, uint64(200+id)))
	attempt := 0
	for ctx.Err() == nil {
		o := c.call(c.anyProcess(rng), "ali", "GET", "/api/v1/tasks?view=queues&node=handle&limit=20", "")
		var page struct{ Items []struct{ ID string } }
		if o.cut || o.status != 200 || json.Unmarshal(o.raw, &page) != nil || len(page.Items) == 0 {
			if !o.cut && o.status != 200 {
				c.fail("inbox: %d %s", o.status, o.raw)
			}
			time.Sleep(50 * time.Millisecond)
			continue
		}
		c.note(func() {
			for _, it := range page.Items {
				code, _, _ := strings.Cut(it.ID, "-")
				c.seen[code] = true
			}
		})
		task := page.Items[rng.IntN(len(page.Items))].ID
		for ctx.Err() == nil {
			attempt++
			comment := fmt.Sprintf("worker %d attempt %d", id, attempt)
			p := c.anyProcess(rng)
			o := c.call(p, "ali", "POST", "/api/v1/tasks/"+task+"/complete", mustJSON(c.t, map[string]any{"outcome": "done", "comment": comment}))
			if o.cut {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			switch o.status {
			case 200:
				c.note(func() {
					if prev, ok := c.acked[task]; ok {
						c.failures = append(c.failures, fmt.Sprintf("task %s completed twice with 200: %q and %q", task, prev, comment))
					}
					c.acked[task] = comment
				})
			case 409:
			default:
				c.fail("complete %s on %s: %d %s", task, p.name, o.status, o.raw)
			}
			break
		}
	}
}

// killer kills a process chosen by pick at random moments, rounds times,
// and starts it again each time.
func (c *crashRun) killer(rounds int, pick func(round int) *process) {
	for round := range rounds {
		time.Sleep(time.Duration(1000+c.rng.IntN(3000)) * time.Millisecond)
		p := pick(round)
		c.t.Logf("round %d: SIGKILL %s", round+1, p.name)
		p.kill()
		time.Sleep(time.Duration(c.rng.IntN(300)) * time.Millisecond)
		t0 := time.Now()
		p.start()
		c.t.Logf("round %d: %s ready again in %s", round+1, p.name, time.Since(t0).Round(time.Millisecond))
	}
}

// run drives the load while killer runs, then lets it drain and checks.
func (c *crashRun) run(rounds int, pick func(round int) *process) {
	t := c.t
	ctx, stopSubmitting := context.WithCancel(context.Background())
	work, stopWorking := context.WithCancel(context.Background())
	var submitters, workers sync.WaitGroup
	for i := range 2 {
		submitters.Add(1)
		go func() { defer submitters.Done(); c.submitter(ctx, i) }()
	}
	for i := range 3 {
		workers.Add(1)
		go func() { defer workers.Done(); c.worker(work, i) }()
	}
	c.killer(rounds, pick)
	time.Sleep(500 * time.Millisecond)
	stopSubmitting()
	submitters.Wait()
	t0 := time.Now()
	final := c.drain(2 * time.Minute)
	stopWorking()
	workers.Wait()
	c.mu.Lock()
	t.Logf("%d requests answered 201 (%d stored although a kill cut every sending), %d completions answered 200, %d calls cut by kills; drained in %s",
		len(c.submitted), len(final)-len(c.submitted), len(c.acked), c.cut, time.Since(t0).Round(time.Millisecond))
	// Sent again under their keys, cut submissions were filed once: the
	// only requests nobody was answered for are those whose every sending
	// was cut until the load stopped.
	if extra := len(final) - len(c.submitted); extra > c.unanswered {
		t.Errorf("%d requests stored beyond those answered 201, but only %d submissions went unanswered: a retried submission was filed twice",
			extra, c.unanswered)
	}
	if len(c.storeDown) > 0 {
		t.Logf("503s while the store was down: %v", c.storeDown)
	}
	for _, f := range c.failures {
		t.Error(f)
	}
	c.mu.Unlock()
	c.check(final)
}

// crashRequest is what the checks read of a request.
type crashRequest struct {
	ID      string
	Status  string
	Channel string
	History []struct {
		Type    string
		Node    string
		Task    string
		Outcome string
		Detail  string
	}
	Outbox []struct {
		ID     string
		Kind   string
		Node   string
		To     []string
		Status string
	}
	lost bool // not found
}

// settled reports whether r has nothing left to do: it reached its end
// and sent its outbox.
func (r *crashRequest) settled() bool {
	if r.Status != "resolved" {
		return false
	}
	for _, o := range r.Outbox {
		if o.Status == "pending" {
			return false
		}
	}
	return true
}

// drain waits, while the workers go on, until every request that was
// answered with a tracking code, or met in the inbox, has settled, and
// returns them as they are then.
func (c *crashRun) drain(limit time.Duration) map[string]*crashRequest {
	// Every request stored, answered or not, is held to the guarantees
	// too: the submitters have stopped, so the list is complete.
	for cursor := ""; ; {
		status, body := send(c.t, "GET", c.store.base+"/api/v1/requests?limit=200&cursor="+cursor, c.tokens["admin"], "")
		if status != 200 {
			c.t.Fatalf("list requests: %d %s", status, body)
		}
		var page struct {
			Items []struct{ ID string }
			Next  string
		}
		mustUnmarshal(c.t, []byte(body), &page)
		c.note(func() {
			for _, it := range page.Items {
				c.seen[it.ID] = true
			}
		})
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	got := map[string]*crashRequest{}
	deadline := time.Now().Add(limit)
	for {
		var codes []string // not settled yet, as far as we know
		c.mu.Lock()
		for code := range c.seen {
			if r := got[code]; r == nil || !r.settled() {
				codes = append(codes, code)
			}
		}
		c.mu.Unlock()
		if len(codes) == 0 {
			return got
		}
		for _, code := range codes {
			status, body := send(c.t, "GET", c.store.base+"/api/v1/requests/"+code, c.tokens["admin"], "")
			if status == 404 {
				c.t.Errorf("%s is lost: answered 201, or seen in the inbox", code)
				got[code] = &crashRequest{ID: code, Status: "resolved", lost: true} // reported; not looked for again
				continue
			}
			if status != 200 {
				c.t.Fatalf("get %s: %d %s", code, status, body)
			}
			var r crashRequest
			mustUnmarshal(c.t, []byte(body), &r)
			got[code] = &r
			if !r.settled() && time.Now().After(deadline) {
				c.t.Fatalf("%s has not settled in %s: %s", code, limit, body)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// check holds every settled request to the guarantees.
func (c *crashRun) check(got map[string]*crashRequest) {
	t := c.t
	mails := c.box.mailIDs()
	taskOf := map[string]string{} // task id -> request
	for code, r := range got {
		if r.lost {
			continue
		}
		counts := map[string]int{}
		var completions []string
		for _, e := range r.History {
			counts[e.Type+"@"+e.Node]++
			if e.Type == "task-completed" {
				taskOf[e.Task] = code
				completions = append(completions, e.Task+": "+e.Detail)
				if want, ok := c.acked[e.Task]; ok && e.Detail != want {
					t.Errorf("%s: task %s was answered 200 for %q but the applied completion is %q", code, e.Task, want, e.Detail)
				}
			}
		}
		// One pass through the workflow, each step once.
		for _, step := range []string{"timer-fired@pause", "task-created@handle", "task-completed@handle", "action@tell",
			"waiting@cool", "timer-fired@cool", "ended@done"} {
			if counts[step] != 1 {
				t.Errorf("%s: %s %d times (completions %q)", code, step, counts[step], completions)
			}
		}
		// Every notification the outbox queued went out and arrived.
		notes := 0
		for _, o := range r.Outbox {
			if o.Kind != "notify" {
				continue
			}
			notes++
			if o.Status != "sent" {
				t.Errorf("%s: notification %s (%v) is %s", code, o.ID, o.To, o.Status)
				continue
			}
			// A chat requester (who gave the bot a handle, not an address)
			// is told through the webhook; everyone else by mail.
			toChat := r.Channel == "chat" && slices.ContainsFunc(o.To, func(x string) bool { return x == "requester" || strings.HasPrefix(x, "key:") })
			if toChat && !c.hook.has(o.ID) {
				t.Errorf("%s: notification %s (%v) to the chat requester was marked sent but the webhook never got it", code, o.ID, o.To)
			}
			if !toChat && !hasPrefixIn(mails, o.ID+".") {
				t.Errorf("%s: notification %s (%v) was marked sent but no mail of it arrived", code, o.ID, o.To)
			}
		}
		// submitted and resolved (desk templates), assigned (the owner),
		// and the workflow's tell.
		if notes < 4 {
			t.Errorf("%s: %d notifications queued, want the 4 of its life: %v", code, notes, r.Outbox)
		}
	}
	for task := range c.acked {
		if _, ok := taskOf[task]; !ok {
			code, _, _ := strings.Cut(task, "-")
			_, body := send(t, "GET", c.store.base+"/api/v1/requests/"+code, c.tokens["admin"], "")
			t.Errorf("task %s was answered 200 but its completion is in no request's history: %s", task, body)
		}
	}
}

func hasPrefixIn(set map[string]bool, prefix string) bool {
	for k := range set {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// TestCrashSafety runs one Pishkhan on the embedded store as a separate
// process under load and kills it with SIGKILL several times (4, or
// PISHKHAN_CRASH_ROUNDS), starting it again on the same data folder each
// time; then it checks the run.
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	c := newCrashRun(t)
	env := c.env(freeAddr(t))
	env["PISHKHAN_DATA_DIR"] = t.TempDir()
	p := newProcess(t, "pishkhan", env, "--demo")
	c.procs, c.store = []*process{p}, p
	p.start()
	c.setUp()
	c.run(crashRounds(t, 4), func(int) *process { return p })
}

// TestThreeProcessesCrashSafety runs three Pishkhan processes on one
// database: the first serves its embedded store to the other two
// (PISHKHAN_STORE_ADDR; they are pointed at it with PISHKHAN_MONGODB_URI,
// as at a MongoDB). The load goes to all three while one of them at a
// time is killed with SIGKILL (3 kills, or PISHKHAN_CRASH_ROUNDS): first
// one that only runs the engine, then the one serving the store, then any.
func TestThreeProcessesCrashSafety(t *testing.T) {
	t.Parallel()
	c := newCrashRun(t)
	storeAddr := freeAddr(t)
	first := c.env(freeAddr(t))
	first["PISHKHAN_DATA_DIR"], first["PISHKHAN_STORE_ADDR"] = t.TempDir(), storeAddr
	c.store = newProcess(t, "pishkhan-1", first, "--demo")
	c.procs = []*process{c.store}
	c.store.start()
	c.setUp()
	for i := 2; i <= 3; i++ {
		env := c.env(freeAddr(t))
		env["PISHKHAN_MONGODB_URI"] = "mongodb://" + storeAddr + "/"
		p := newProcess(t, fmt.Sprintf("pishkhan-%d", i), env)
		p.start()
		c.procs = append(c.procs, p)
	}
	c.run(crashRounds(t, 3), func(round int) *process {
		switch round {
		case 0:
			return c.procs[1+c.rng.IntN(2)]
		case 1:
			return c.store
		}
		return c.procs[c.rng.IntN(3)]
	})
}
