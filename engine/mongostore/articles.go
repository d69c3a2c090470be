package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/pishkhan/pishkhan/engine"
)

// collArticles holds the knowledge base. Searches filter on the search
// tokens ($all), which a multikey index serves on MongoDB; the embedded
// store reads the collection, which stays small (hundreds to a few
// thousand articles).
const collArticles = "articles"

func (s *Store) ensureArticleIndexes(ctx context.Context) error {
	for _, field := range []string{"tokens", "tags"} {
		model := mongo.IndexModel{Keys: bson.D{{Key: field, Value: 1}}, Options: options.Index().SetName(field)}
		if err := s.createIndex(ctx, s.articles, model); err != nil {
			return fmt.Errorf("mongostore: create article index %s: %w", field, err)
		}
	}
	return nil
}

// ArticleInsert implements engine.Store.
func (s *Store) ArticleInsert(ctx context.Context, a *engine.Article) error {
	_, err := s.articles.InsertOne(ctx, a)
	return storeErr(err)
}

// ArticleGet implements engine.Store.
func (s *Store) ArticleGet(ctx context.Context, id string) (*engine.Article, error) {
	var a engine.Article
	if err := s.articles.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&a); err != nil {
		return nil, storeErr(err)
	}
	return &a, nil
}

// ArticleUpdate implements engine.Store: every field but the usage count,
// which ArticleUse alone writes.
func (s *Store) ArticleUpdate(ctx context.Context, a *engine.Article, expect int64) error {
	set, err := setOf(a, "_id", "used", "usedAt")
	if err != nil {
		return fmt.Errorf("mongostore: encode article: %w", err)
	}
	res, err := s.articles.UpdateOne(ctx, bson.D{{Key: "_id", Value: a.ID}, {Key: "revision", Value: expect}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return storeErr(err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("article %s is no longer at revision %d: %w", a.ID, expect, engine.ErrPreconditionFailed)
	}
	return nil
}

// ArticleUse implements engine.Store.
func (s *Store) ArticleUse(ctx context.Context, id string, at time.Time) error {
	_, err := s.articles.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "used", Value: int64(1)}}}, {Key: "$max", Value: bson.D{{Key: "usedAt", Value: at}}}})
	return storeErr(err)
}

// ArticlesFind implements engine.Store: the most used first.
func (s *Store) ArticlesFind(ctx context.Context, p *engine.ArticlesFindParams) ([]*engine.Article, error) {
	filter := bson.D{{Key: "archived", Value: false}}
	if len(p.Tokens) > 0 {
		filter = append(filter, bson.E{Key: "tokens", Value: bson.D{{Key: "$all", Value: p.Tokens}}})
	}
	for _, f := range []struct{ key, value string }{{"kind", p.Kind}, {"requestType", p.RequestType}, {"tags", p.Tag}, {"lang", p.Lang}} {
		if f.value != "" {
			filter = append(filter, bson.E{Key: f.key, Value: f.value})
		}
	}
	opts := options.Find().SetSort(bson.D{{Key: "used", Value: -1}, {Key: "updatedAt", Value: -1}}).SetLimit(int64(p.Limit))
	return findAll(ctx, s.articles, filter, opts, func(a *engine.Article) *engine.Article { return a })
}
