package mongostore

import (
	"context"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/pishkhan/pishkhan/engine"
)

// listFields are what a list shows of a request; the rest (data, history,
// conversation, files) stays on the server.
var listFields = bson.D{
	{Key: "form", Value: 1}, {Key: "type", Value: 1}, {Key: "channel", Value: 1}, {Key: "status", Value: 1},
	{Key: "priority", Value: 1}, {Key: "closed", Value: 1}, {Key: "requester", Value: 1}, {Key: "owner", Value: 1},
	{Key: "createdAt", Value: 1}, {Key: "updatedAt", Value: 1}, {Key: "resolvedAt", Value: 1}, {Key: "sla.clocks", Value: 1},
}

// listIndexes serve the lists: a requester's requests and an owner's,
// newest first, in both collections, and all requests newest first.
var listIndexes = []bson.D{
	{{Key: "requester", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}},
	{{Key: "owner", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}},
	{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}},
}

func (s *Store) ensureListIndexes(ctx context.Context) error {
	for _, coll := range []*mongo.Collection{s.requests, s.archive} {
		for _, keys := range listIndexes { // one at a time: see EnsureIndexes
			model := mongo.IndexModel{Keys: keys, Options: options.Index().SetName("list_" + indexName(keys))}
			if err := s.createIndex(ctx, coll, model); err != nil {
				return err
			}
		}
	}
	return nil
}

// listFilter is p's filter, the same on both collections.
func listFilter(p *engine.RequestsListParams) bson.D {
	f := bson.D{}
	if p.Requester != "" {
		f = append(f, bson.E{Key: "requester", Value: p.Requester})
	}
	if p.Owner != "" {
		f = append(f, bson.E{Key: "owner", Value: p.Owner})
	}
	if p.Closed != nil {
		f = append(f, bson.E{Key: "closed", Value: *p.Closed})
	}
	if len(p.Statuses) > 0 {
		f = append(f, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: p.Statuses}}})
	}
	var and bson.A
	if len(p.Types) > 0 {
		// A request filed by form alone has no type: its form's key stands in.
		and = append(and, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "type.key", Value: bson.D{{Key: "$in", Value: p.Types}}}},
			bson.D{{Key: "type", Value: bson.D{{Key: "$exists", Value: false}}}, {Key: "form.key", Value: bson.D{{Key: "$in", Value: p.Types}}}},
		}}})
	}
	if p.Before != nil {
		and = append(and, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: p.Before.CreatedAt}}}},
			bson.D{{Key: "createdAt", Value: p.Before.CreatedAt}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: p.Before.ID}}}},
		}}})
	}
	if len(and) > 0 {
		f = append(f, bson.E{Key: "$and", Value: and})
	}
	return f
}

// RequestsList implements engine.Store: the newest Limit of each
// collection, merged.
func (s *Store) RequestsList(ctx context.Context, p *engine.RequestsListParams) ([]*engine.Request, error) {
	filter := listFilter(p)
	opts := options.Find().SetProjection(listFields).SetLimit(int64(p.Limit)).
		SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}})
	working, err := s.findRequests(ctx, filter, opts)
	if err != nil {
		return nil, err
	}
	archived, err := findIn(ctx, s.archive, filter, opts)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(working))
	for _, r := range working {
		seen[r.ID] = true
	}
	all := working
	for _, r := range archived {
		if !seen[r.ID] { // restored: the working copy is the request
			r.Archived = true
			all = append(all, r)
		}
	}
	slices.SortFunc(all, func(a, b *engine.Request) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return all[:min(len(all), p.Limit)], nil
}
