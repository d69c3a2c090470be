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

// FastPathsAnswered reports whether the server answered the store's last
// fast command (the embedded store's own commands, fastpaths.go).
func FastPathsAnswered(s *Store) bool { return s.fast.Load() == fastYes }
