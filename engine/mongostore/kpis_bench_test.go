package mongostore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
	"github.com/pishkhan/pishkhan/engine/sample"
)

// BenchmarkKPIs measures KPI queries (engine.Requests.KPIs, which runs
// Store.KPIDays) over a year of generated requests, loaded once per size:
// open ones in the working collection, the rest archived with their facts
// filed. Each query's latencies give p50 and p99 (with -benchtime 10x, p99
// is the slowest of ten). Baselines in the same run: a count that matches
// nothing over the same two collections (what merely reading them costs),
// and, at 10,000, over the archived requests themselves (what reading whole
// requests instead of their facts would cost).
// Run: go test -run '^$' -bench KPIs -benchtime 10x -timeout 3h ./engine/mongostore/
func BenchmarkKPIs(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		s := storetest.Store(b)
		open := loadRequests(b, s, n)
		reqs := engine.NewRequests(s, engine.NewDefinitions(s, nil))
		ctx := context.Background()
		measure := func(name string, op func() error) {
			b.Run(fmt.Sprintf("%s/requests=%d", name, n), func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				for i := 0; i < b.N; i++ {
					start := time.Now()
					if err := op(); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(start))
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
				b.ReportMetric(float64(lat[(len(lat)*99-1)/100].Milliseconds()), "p99-ms")
				b.ReportMetric(float64(open), "open")
			})
		}
		query := func(q engine.KPIQuery) func() error {
			return func() error { _, err := reqs.KPIs(ctx, q); return err }
		}
		measure("kpis-30-days-daily", query(engine.KPIQuery{From: "2026-12-02", To: "2026-12-31"}))
		measure("kpis-year-monthly", query(engine.KPIQuery{From: "2026-01-01", To: "2026-12-31", Interval: engine.IntervalMonth}))
		measure("kpis-30-days-agent-channel", query(engine.KPIQuery{From: "2026-12-02", To: "2026-12-31", Agents: []string{"agent07"}, Channels: []engine.Channel{engine.ChannelPhone}}))
		nothing := bson.D{{Key: "kpiType", Value: "no-such-type"}}
		count := func(colls ...string) func() error {
			return func() error {
				for _, c := range colls {
					if _, err := s.Database().Collection(c).CountDocuments(ctx, nothing); err != nil {
						return err
					}
				}
				return nil
			}
		}
		measure("baseline-count-same-collections", count("requests", "requestsArchiveKPIs"))
		if n <= 10_000 { // minutes a run at 100,000; it grows with n like the others
			measure("baseline-count-whole-archived-requests", count("requests", "requestsArchive"))
		}
	}
}

// loadRequests stores n requests submitted over 2026, each as the engine
// would have left it, and returns how many are still open at the end of
// the year.
func loadRequests(b *testing.B, s *mongostore.Store, n int) int {
	b.Helper()
	ctx := context.Background()
	year := sample.NewYear(n, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), sample.DefaultSpread(), 1)
	open := 0
	batch := make([]*engine.Request, 0, 500)
	for i := range n {
		r := year.Request(i)
		if !r.Closed {
			open++
		}
		if batch = append(batch, r); len(batch) == cap(batch) || i == n-1 {
			if err := s.RequestsImport(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return open
}
