package mongostore

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/pishkhan/pishkhan/engine"
)

// KPIs. An open request carries its KPI facts in its own document
// (engine.KPIFacts: the kpi* fields); an archived one has a copy of them in
// collArchiveKPIs, filed by RequestArchive, so that a KPI query over the
// archive reads documents of a few hundred bytes rather than whole
// requests (on the embedded store, which decodes every document a filter
// looks at, ten times cheaper). KPIDays runs one aggregation on each
// collection and adds up their days.
//
// The aggregation is written for what FerretDB v1 understands: $match
// (field paths, $in, $or, ranges; not $elemMatch, which matches nothing
// there), $project keeping _id (FerretDB's $unwind fails without it),
// $unwind of a top-level field (FerretDB drops the parents of a nested
// one) and $group with $sum. FerretDB v1 also computes only the first
// accumulator of a $group (every accumulator reads the same iterator over
// the group's documents, and the first spends it): on FerretDB the
// pipeline stops after $project and the sums are made here, from the same
// documents. TestKPIPipelineOnEveryStore runs each sum of the full
// pipeline on its own against those made here.

// collArchiveKPIs holds the KPI facts of archived requests.
const collArchiveKPIs = "requestsArchiveKPIs"

// archivedKPIs is a document of collArchiveKPIs.
type archivedKPIs struct {
	ID              string `bson:"_id"`
	Revision        int64  `bson:"revision"`
	engine.KPIFacts `bson:",inline"`
}

// kpiIndexes serve KPI queries: the period (the days of facts, or for the
// backlog the day of creation with the day of resolution), alone or with
// a filter. Parallel arrays cannot share a compound index, so agents and
// groups have their own. The working collection, which holds open
// requests only, gets the period ones.
var kpiIndexes = []bson.D{
	{{Key: "kpiDays.d", Value: 1}},
	{{Key: "kpiResolved", Value: 1}, {Key: "kpiDay", Value: 1}},
	{{Key: "kpiType", Value: 1}, {Key: "kpiDays.d", Value: 1}},
	{{Key: "kpiChannel", Value: 1}, {Key: "kpiDays.d", Value: 1}},
	{{Key: "kpiAgents", Value: 1}},
	{{Key: "kpiGroups", Value: 1}},
}

// workingKPIIndexes is how many of kpiIndexes the working collection gets.
const workingKPIIndexes = 2

func indexName(keys bson.D) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Key
	}
	return strings.Join(parts, "_")
}

// ensureKPIIndexes creates the KPI indexes, one at a time (see
// EnsureIndexes).
func (s *Store) ensureKPIIndexes(ctx context.Context) error {
	for i, keys := range kpiIndexes {
		model := mongo.IndexModel{Keys: keys, Options: options.Index().SetName(indexName(keys))}
		if err := s.createIndex(ctx, s.archiveKPIs, model); err != nil {
			return fmt.Errorf("mongostore: create KPI index %s: %w", indexName(keys), err)
		}
		if i < workingKPIIndexes {
			if err := s.createIndex(ctx, s.requests, model); err != nil {
				return fmt.Errorf("mongostore: create request index %s: %w", indexName(keys), err)
			}
		}
	}
	return nil
}

// fileKPIs stores the KPI facts of a request being archived, replacing
// older ones (an insert first: see RequestArchive).
func (s *Store) fileKPIs(ctx context.Context, r *engine.Request) error {
	doc := archivedKPIs{ID: r.ID, Revision: r.Revision, KPIFacts: r.KPI}
	_, err := s.archiveKPIs.InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		_, err = s.archiveKPIs.ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.ID}}, doc)
	}
	return storeErr(err)
}

// RequestsImport stores requests made elsewhere (a migration from an older
// system, or a benchmark's preload) as the engine would have left them, in
// batches: open ones in the working collection, closed ones archived with
// their KPI facts filed, as RequestArchive files them. Their owners' open
// counts are not touched: run LoadRecount after the last batch. A request
// already stored fails the batch with engine.ErrDuplicate; the requests
// before it in the batch are stored.
func (s *Store) RequestsImport(ctx context.Context, reqs []*engine.Request) error {
	var open, closed, facts []any
	for _, r := range reqs {
		if !r.Closed {
			open = append(open, r)
			continue
		}
		closed = append(closed, r)
		facts = append(facts, archivedKPIs{ID: r.ID, Revision: r.Revision, KPIFacts: r.KPI})
	}
	for _, batch := range []struct {
		coll *mongo.Collection
		docs []any
	}{{s.requests, open}, {s.archive, closed}, {s.archiveKPIs, facts}} {
		if len(batch.docs) == 0 {
			continue
		}
		if _, err := batch.coll.InsertMany(ctx, batch.docs); err != nil {
			return storeErr(err)
		}
	}
	return nil
}

// RequestRestore implements engine.Store.
func (s *Store) RequestRestore(ctx context.Context, r *engine.Request) error {
	if err := s.RequestInsert(ctx, r); err != nil {
		return err
	}
	// The request is back; a facts copy a failure leaves behind counts
	// once still where Pishkhan sums (the working copy wins), and the next
	// archiving replaces it.
	_, _ = s.archiveKPIs.DeleteOne(ctx, bson.D{{Key: "_id", Value: r.ID}})
	return nil
}

// kpiSums are the $group accumulators: one $sum per figure of
// engine.KPIDay, named by its bson name.
var kpiSums = func() []string {
	var out []string
	t := reflect.TypeFor[engine.KPIDay]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("bson"), ",")
		if name != "d" {
			out = append(out, name)
		}
	}
	return out
}()

// kpiMatch selects the facts of the requests p asks for (see
// engine.Store.KPIDays).
func kpiMatch(p *engine.KPIDaysParams) bson.D {
	match := bson.D{}
	in := func(field string, values []string) {
		if len(values) > 0 {
			match = append(match, bson.E{Key: field, Value: bson.D{{Key: "$in", Value: values}}})
		}
	}
	channels := make([]string, len(p.Channels))
	for i, c := range p.Channels {
		channels[i] = string(c)
	}
	in("kpiType", p.Types)
	in("kpiChannel", channels)
	in("kpiGroups", p.Departments)
	in("kpiAgents", p.Agents)
	before := bson.E{Key: "kpiDay", Value: bson.D{{Key: "$lt", Value: p.From}}}
	return append(match, bson.E{Key: "$or", Value: bson.A{
		bson.D{{Key: "kpiDays.d", Value: bson.D{{Key: "$gte", Value: p.From}, {Key: "$lte", Value: p.To}}}},
		bson.D{before, {Key: "kpiResolved", Value: ""}},
		bson.D{before, {Key: "kpiResolved", Value: bson.D{{Key: "$gte", Value: p.From}}}},
	}})
}

// kpiPipeline is the aggregation KPIDays runs: with sums, the whole of it
// (those $group accumulators); without, only the stages before $unwind.
func kpiPipeline(p *engine.KPIDaysParams, sums []string) mongo.Pipeline {
	pipe := mongo.Pipeline{
		{{Key: "$match", Value: kpiMatch(p)}},
		{{Key: "$project", Value: bson.D{{Key: "kpiDays", Value: 1}}}},
	}
	if len(sums) == 0 {
		return pipe
	}
	group := bson.D{{Key: "_id", Value: "$kpiDays.d"}}
	for _, name := range sums {
		group = append(group, bson.E{Key: name, Value: bson.D{{Key: "$sum", Value: "$kpiDays." + name}}})
	}
	return append(pipe,
		bson.D{{Key: "$unwind", Value: "$kpiDays"}},
		bson.D{{Key: "$match", Value: bson.D{{Key: "kpiDays.d", Value: bson.D{{Key: "$lte", Value: p.To}}}}}},
		bson.D{{Key: "$group", Value: group}},
	)
}

// factsRow is one request's facts with its id.
type factsRow struct {
	ID              string `bson:"_id"`
	engine.KPIFacts `bson:",inline"`
}

// kpiGroupRow is one day $group made.
type kpiGroupRow struct {
	Day           string `bson:"_id"`
	engine.KPIDay `bson:",inline"`
}

// KPIDays implements engine.Store.
func (s *Store) KPIDays(ctx context.Context, p *engine.KPIDaysParams) ([]engine.KPIDay, error) {
	if days, ok := s.kpiDaysFast(ctx, p); ok {
		return days, nil
	}
	byDay := map[string]*engine.KPIDay{}
	add := func(d *engine.KPIDay) {
		if byDay[d.Day] == nil {
			byDay[d.Day] = &engine.KPIDay{Day: d.Day}
		}
		byDay[d.Day].Add(d)
	}
	sumAll := s.groupsSumAll(ctx)
	// A request being archived (or restored) is in both collections for a
	// moment, and longer if a crash interrupted the move: where the sums
	// are made here, the working copy counts and the archived one not.
	working := map[string]bool{}
	for _, coll := range []*mongo.Collection{s.requests, s.archiveKPIs} {
		if sumAll {
			rows, err := aggregate[kpiGroupRow](ctx, coll, kpiPipeline(p, kpiSums))
			if err != nil {
				return nil, err
			}
			for i := range rows {
				rows[i].KPIDay.Day = rows[i].Day
				add(&rows[i].KPIDay)
			}
			continue
		}
		docs, err := aggregate[factsRow](ctx, coll, kpiPipeline(p, nil))
		if err != nil {
			return nil, err
		}
		for i := range docs {
			if coll == s.requests {
				working[docs[i].ID] = true
			} else if working[docs[i].ID] {
				continue
			}
			for j := range docs[i].Days {
				if d := &docs[i].Days[j]; d.Day <= p.To {
					add(d)
				}
			}
		}
	}
	out := make([]engine.KPIDay, 0, len(byDay))
	for _, d := range byDay {
		out = append(out, *d)
	}
	return out, nil
}

func aggregate[T any](ctx context.Context, coll *mongo.Collection, pipe mongo.Pipeline) ([]T, error) {
	cur, err := coll.Aggregate(ctx, pipe)
	if err != nil {
		return nil, storeErr(err)
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, storeErr(err)
	}
	return out, nil
}

// groupsSumAll reports whether the server computes every accumulator of a
// $group: FerretDB v1, which names its version in buildInfo, does not. The
// answer is asked once; if the question fails, the sums are made here,
// which is right on every server.
func (s *Store) groupsSumAll(ctx context.Context) bool {
	s.probe.Do(func() {
		var info bson.M
		err := s.db.Client().Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info)
		_, ferret := info["ferretdbVersion"]
		s.sumAll = err == nil && !ferret
	})
	return s.sumAll
}
