package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/pishkhan/pishkhan/engine"
)

// KPIPipeline is the aggregation KPIDays runs, for tests that run it in
// parts; KPISums are its accumulators.
func KPIPipeline(p *engine.KPIDaysParams, sums []string) mongo.Pipeline { return kpiPipeline(p, sums) }

// KPISums are the accumulators of KPIPipeline.
var KPISums = kpiSums

// SumsInGroups reports whether KPIDays has the server make the sums.
func SumsInGroups(s *Store) bool { return s.groupsSumAll(context.Background()) }

// ArchiveMany files closed requests as RequestArchive would (a copy in the
// archive, their KPI facts beside it), in batches: benchmarks load many.
func ArchiveMany(ctx context.Context, s *Store, reqs []*engine.Request) error {
	copies, facts := make([]any, len(reqs)), make([]any, len(reqs))
	for i, r := range reqs {
		copies[i], facts[i] = r, archivedKPIs{ID: r.ID, Revision: r.Revision, KPIFacts: r.KPI}
	}
	if _, err := s.archive.InsertMany(ctx, copies); err != nil {
		return err
	}
	_, err := s.archiveKPIs.InsertMany(ctx, facts)
	return err
}
