package mongostore_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	_ "modernc.org/sqlite"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/embedded"
	"github.com/pishkhan/pishkhan/engine/sample"
)

// fastStore is a store on its own embedded server, so that the test can
// stop it and start it again.
type fastStore struct {
	dir    string
	server *embedded.Server
	client *mongo.Client
	*mongostore.Store
}

func startFastStore(t *testing.T, dir string) *fastStore {
	t.Helper()
	srv, err := embedded.Start(embedded.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	client, err := mongo.Connect(mongostore.ClientOptions(srv.URI()))
	if err != nil {
		t.Fatal(err)
	}
	s := mongostore.New(client.Database("pishkhan"))
	if err := s.EnsureIndexes(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := &fastStore{dir: dir, server: srv, client: client, Store: s}
	t.Cleanup(f.stop)
	return f
}

func (f *fastStore) stop() {
	if f.server == nil {
		return
	}
	_ = f.client.Disconnect(context.Background())
	_ = f.server.Stop(context.Background())
	f.server = nil
}

// inboxes are the task holders compared: agents alone, and with queues.
var inboxes = []struct {
	user   string
	groups []string
}{
	{"agent01", nil}, {"agent02", []string{"billing"}}, {"agent03", []string{"it-support", "finance"}}, {"nobody", []string{"procurement"}}, {"nobody", nil},
}

// fastKPIQueries are the KPI selections compared: every filter of
// docs/kpis.md alone and together, periods inside and across the year.
var fastKPIQueries = []engine.KPIDaysParams{
	{From: "2026-12-02", To: "2026-12-31"},
	{From: "2026-01-01", To: "2026-12-31"},
	{From: "2026-06-01", To: "2026-06-30", Types: []string{"complaint", "inquiry"}},
	{From: "2026-11-01", To: "2027-01-15", Channels: []engine.Channel{engine.ChannelPhone}},
	{From: "2026-12-02", To: "2026-12-31", Departments: []string{"billing", "finance"}},
	{From: "2026-12-02", To: "2026-12-31", Agents: []string{"agent07"}, Channels: []engine.Channel{engine.ChannelPortal}},
	{From: "2026-03-01", To: "2026-03-31", Types: []string{"it-support"}, Departments: []string{"it-support"}, Agents: []string{"agent01", "agent02"}},
	{From: "2027-02-01", To: "2027-02-28"},
}

// sortedDays orders KPI days by day (no store promises an order).
func sortedDays(days []engine.KPIDay) []engine.KPIDay {
	return slices.SortedFunc(slices.Values(days), func(a, b engine.KPIDay) int { return cmp.Compare(a.Day, b.Day) })
}

func requestIDs(reqs []*engine.Request) []string {
	ids := make([]string, len(reqs))
	for i, r := range reqs {
		ids[i] = r.ID
	}
	slices.Sort(ids)
	return ids
}

// compareFastAndPlain runs every inbox and KPI query both ways on s and
// fails where they differ, or where the fast way did not run.
func compareFastAndPlain(t *testing.T, s *mongostore.Store, when string) {
	t.Helper()
	ctx := context.Background()
	var fastTook, plainTook time.Duration
	defer func() { t.Logf("%s: fast paths %s, plain queries %s", when, fastTook, plainTook) }()
	timed := func(took *time.Duration) func() {
		start := time.Now()
		return func() { *took += time.Since(start) }
	}
	for _, in := range inboxes {
		s.SetFastPaths(true)
		stop := timed(&fastTook)
		fast, err := s.RequestsWithTasks(ctx, in.user, in.groups, 5000)
		stop()
		if err != nil {
			t.Fatal(err)
		}
		if !mongostore.FastPathsAnswered(s) {
			t.Fatalf("%s: the inbox of %s did not take the fast path", when, in.user)
		}
		s.SetFastPaths(false)
		stop = timed(&plainTook)
		plain, err := s.RequestsWithTasks(ctx, in.user, in.groups, 5000)
		stop()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(requestIDs(fast), requestIDs(plain)) {
			t.Errorf("%s: inbox of %s %v: fast %v, plain %v", when, in.user, in.groups, requestIDs(fast), requestIDs(plain))
		}
	}
	for _, q := range fastKPIQueries {
		s.SetFastPaths(true)
		stop := timed(&fastTook)
		fast, err := s.KPIDays(ctx, &q)
		stop()
		if err != nil {
			t.Fatal(err)
		}
		if !mongostore.FastPathsAnswered(s) {
			t.Fatalf("%s: KPIs %+v did not take the fast path", when, q)
		}
		s.SetFastPaths(false)
		stop = timed(&plainTook)
		plain, err := s.KPIDays(ctx, &q)
		stop()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(sortedDays(fast), sortedDays(plain)) {
			t.Errorf("%s: KPIs %+v:\nfast  %+v\nplain %+v", when, q, sortedDays(fast), sortedDays(plain))
		}
	}
	s.SetFastPaths(true)
}

// TestFastPathsMatchPlainQueries compares the embedded store's fast paths
// for the inbox and KPIs with the plain queries on the same data: a
// year's requests loaded in batches, then after updates (alone and
// concurrent), archive moves (complete, overtaken by a write, and
// interrupted), restores, across a restart, and after the side tables were
// lost (a store from before them).
func TestFastPathsMatchPlainQueries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s := startFastStore(t, dir)
	year := sample.NewYear(400, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), sample.DefaultSpread(), 7)
	var all []*engine.Request
	for i := range year.N {
		r := year.Request(i)
		if i%8 == 0 && r.Closed {
			// A larger backlog than a year leaves (1%), so that a small
			// store has open requests to change: reopened, with its
			// owner's task.
			r.Closed, r.ResolvedAt, r.TaskUsers = false, nil, []string{r.Owner}
			r.KPI = engine.KPIFactsOf(r)
		}
		all = append(all, r)
	}
	for batch := range slices.Chunk(all, 100) {
		if err := s.RequestsImport(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	var open, closed []*engine.Request
	for _, r := range all {
		if r.Closed {
			closed = append(closed, r)
		} else {
			open = append(open, r)
		}
	}
	if len(open) < 40 {
		t.Fatalf("only %d open requests", len(open))
	}
	compareFastAndPlain(t, s.Store, "loaded")

	// update writes r with its task holders and KPI agents changed.
	update := func(r *engine.Request, user, group string) {
		t.Helper()
		expect := r.Revision
		r.Revision++
		r.TaskUsers, r.TaskGroups = []string{user}, []string{group}
		r.KPI.Agents = append(slices.Clone(r.KPI.Agents), user)
		r.KPI.Groups = []string{group}
		if err := s.RequestUpdate(ctx, r, expect, ""); err != nil {
			t.Fatal(err)
		}
	}
	update(open[0], "agent01", "billing")
	update(open[1], "agent03", "")
	open[2].TaskUsers, open[2].TaskGroups = nil, nil
	update(open[2], "", "")
	compareFastAndPlain(t, s.Store, "after updates")

	// Concurrent writers, each on its own requests.
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 3 + w; i < len(open); i += 4 {
				r := open[i]
				expect := r.Revision
				r.Revision++
				r.TaskUsers, r.TaskGroups = []string{fmt.Sprintf("agent%02d", i%5)}, []string{"it-support"}
				if err := s.RequestUpdate(ctx, r, expect, ""); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	compareFastAndPlain(t, s.Store, "after concurrent updates")

	// Closing and archiving; an archive move a write overtook; one a
	// crash interrupted (the archived copy filed, the working one left).
	done := time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC)
	closeReq := func(r *engine.Request) {
		expect := r.Revision
		r.Revision++
		r.Closed, r.ResolvedAt, r.TaskUsers, r.TaskGroups = true, &done, nil, nil
		r.KPI = engine.KPIFactsOf(r)
		if err := s.RequestUpdate(ctx, r, expect, ""); err != nil {
			t.Fatal(err)
		}
	}
	closeReq(open[3])
	if err := s.RequestArchive(ctx, open[3]); err != nil {
		t.Fatal(err)
	}
	closeReq(open[4])
	stale := *open[4]
	stale.Revision--
	if err := s.RequestArchive(ctx, &stale); err != nil {
		t.Fatal(err)
	}
	interrupted := *open[5]
	interrupted.Closed = true
	interrupted.KPI = engine.KPIFactsOf(&interrupted)
	if err := s.RequestsImport(ctx, []*engine.Request{&interrupted}); err != nil {
		t.Fatal(err)
	}
	compareFastAndPlain(t, s.Store, "after archive moves")

	// Restored: back in the working collection, its facts withdrawn.
	restored := *closed[10]
	restored.Closed, restored.Revision = false, restored.Revision+1
	restored.TaskUsers = []string{"agent02"}
	if err := s.RequestRestore(ctx, &restored); err != nil {
		t.Fatal(err)
	}
	compareFastAndPlain(t, s.Store, "after a restore")

	s.stop()
	s = startFastStore(t, dir)
	compareFastAndPlain(t, s.Store, "after a restart")

	// A store from before the side tables: its triggers and rows gone;
	// a start makes them again from the collections.
	s.stop()
	lose(t, filepath.Join(dir, "pishkhan.sqlite"))
	s = startFastStore(t, dir)
	compareFastAndPlain(t, s.Store, "after the side tables were lost")
	update(open[6], "agent04", "delivery")
	compareFastAndPlain(t, s.Store, "after an update to a rebuilt store")
}

// lose drops the side tables' triggers and empties the side tables of a
// stopped store's database file.
func lose(t *testing.T, file string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	var triggers []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		triggers = append(triggers, n)
	}
	_ = rows.Close()
	if len(triggers) == 0 {
		t.Fatal("no triggers to lose")
	}
	for _, n := range triggers {
		if _, err := db.Exec(fmt.Sprintf(`DROP TRIGGER %q`, n)); err != nil {
			t.Fatal(err)
		}
	}
	for _, st := range []string{"pishkhan_task_holders", "pishkhan_kpi_requests", "pishkhan_kpi_tags", "pishkhan_kpi_days"} {
		if _, err := db.Exec(`DELETE FROM ` + st); err != nil {
			t.Fatal(err)
		}
	}
}

// The due times of timers and outboxes come from the embedded store's
// index as from the plain query: the same requests due, and the same next
// time, except that a request due later whose lease outlasts its due time
// gives its due time (earlier, never later).
func TestDueFastPathMatchesPlainQuery(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := startFastStore(t, t.TempDir())
	base := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(minutes int) *time.Time { v := base.Add(time.Duration(minutes) * time.Minute); return &v }
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 300 {
		r := &engine.Request{ID: fmt.Sprintf("DUE%03d", i), Revision: 1, Status: engine.StatusInProgress, Data: map[string]any{}}
		if rng.IntN(4) > 0 {
			r.Due = at(rng.IntN(240) - 120)
		}
		if rng.IntN(3) == 0 {
			r.OutboxDue = at(rng.IntN(240) - 120)
		}
		// Leases only on requests already due: what a claim takes.
		if r.Due != nil && r.Due.Before(base) && rng.IntN(3) == 0 {
			r.Lease = *at(rng.IntN(60) - 20)
		}
		if r.OutboxDue != nil && r.OutboxDue.Before(base) && rng.IntN(3) == 0 {
			r.OutboxLease = *at(rng.IntN(60) - 20)
		}
		if err := s.RequestsImport(ctx, []*engine.Request{r}); err != nil {
			t.Fatal(err)
		}
	}
	both := func(lease engine.Lease, now time.Time, limit int) (fast, plain []string, fastNext, plainNext *time.Time) {
		t.Helper()
		var err error
		s.SetFastPaths(true)
		if fast, fastNext, err = s.RequestsDue(ctx, lease, now, limit); err != nil {
			t.Fatal(err)
		}
		if !mongostore.FastPathsAnswered(s.Store) {
			t.Fatalf("%s at %s did not take the fast path", lease, now)
		}
		s.SetFastPaths(false)
		if plain, plainNext, err = s.RequestsDue(ctx, lease, now, limit); err != nil {
			t.Fatal(err)
		}
		s.SetFastPaths(true)
		slices.Sort(fast)
		slices.Sort(plain)
		return fast, plain, fastNext, plainNext
	}
	for _, lease := range []engine.Lease{engine.LeaseTimers, engine.LeaseOutbox} {
		for _, minutes := range []int{-200, -60, 0, 1, 45, 200} {
			now := base.Add(time.Duration(minutes) * time.Minute)
			fast, plain, fastNext, plainNext := both(lease, now, 1000)
			if !slices.Equal(fast, plain) || !reflect.DeepEqual(fastNext, plainNext) {
				t.Errorf("%s at %+d min: fast %v next %v, plain %v next %v", lease, minutes, fast, fastNext, plain, plainNext)
			}
		}
		// A limit takes as many, all due.
		fast, plain, _, _ := both(lease, base, 5)
		if len(fast) != min(5, len(plain)) {
			t.Errorf("%s: %d due with limit 5, plain %d", lease, len(fast), len(plain))
		}
	}
	// A request due later held beyond its due time: the fast path wakes
	// at its due time, the plain one at its lease's end.
	held := &engine.Request{ID: "HELD", Revision: 1, Status: engine.StatusInProgress, Data: map[string]any{}, Due: at(300), Lease: *at(400)}
	if err := s.RequestsImport(ctx, []*engine.Request{held}); err != nil {
		t.Fatal(err)
	}
	_, _, fastNext, plainNext := both(engine.LeaseTimers, base.Add(250*time.Minute), 1000)
	if fastNext == nil || plainNext == nil || !fastNext.Equal(*at(300)) || !plainNext.Equal(*at(400)) {
		t.Errorf("held beyond its due time: fast next %v (want %v), plain %v (want %v)", fastNext, at(300), plainNext, at(400))
	}
}
