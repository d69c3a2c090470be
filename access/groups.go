package access

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Group is a department or a working group. Members are the users whose
// Groups (or Department) name it.
type Group struct {
	Key        string            `bson:"_id" json:"key"`
	Kind       string            `bson:"kind" json:"kind"` // "department" or "group"
	Title      map[string]string `bson:"title" json:"title"`
	Supervisor string            `bson:"supervisor,omitempty" json:"supervisor,omitempty"`
	UpdatedAt  time.Time         `bson:"updatedAt" json:"updatedAt"`
}

// PutGroup creates or replaces a group.
func (s *Service) PutGroup(ctx context.Context, g Group) (*Group, error) {
	if !ValidUsername(g.Key) {
		return nil, fmt.Errorf("%w: group key %q", ErrInvalid, g.Key)
	}
	if g.Kind != "department" && g.Kind != "group" {
		return nil, fmt.Errorf("%w: kind must be department or group", ErrInvalid)
	}
	for lang, t := range g.Title {
		if len(lang) > 8 || len(t) > 200 || !ValidUsername(lang+"x") {
			return nil, fmt.Errorf("%w: title", ErrInvalid)
		}
	}
	if g.Supervisor != "" {
		if _, err := s.User(ctx, g.Supervisor); err != nil {
			return nil, fmt.Errorf("%w: supervisor %q is not a user", ErrInvalid, g.Supervisor)
		}
	}
	g.UpdatedAt = s.now()
	_, err := s.groups.ReplaceOne(ctx, bson.D{{Key: "_id", Value: g.Key}}, g, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) { // a racing first save: the other one won; save over it
		_, err = s.groups.ReplaceOne(ctx, bson.D{{Key: "_id", Value: g.Key}}, g)
	}
	return &g, err
}

// Group returns one group.
func (s *Service) Group(ctx context.Context, key string) (*Group, error) {
	var g Group
	err := s.groups.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&g)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("group %q: %w", key, ErrNotFound)
	}
	return &g, err
}

// Groups lists groups in key order.
func (s *Service) Groups(ctx context.Context) ([]*Group, error) {
	cur, err := s.groups.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(1000))
	if err != nil {
		return nil, err
	}
	var out []*Group
	return out, cur.All(ctx, &out)
}

// Members lists the usernames of the active users whose groups hold
// group (the people who work its queue), in username order: whom a
// request's owner is picked from. A department's other staff (its process
// owner, say) are not picked unless they are in its group.
func (s *Service) Members(ctx context.Context, group string) ([]string, error) {
	filter := bson.D{{Key: "groups", Value: group}, {Key: "disabled", Value: false}}
	cur, err := s.users.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: "_id", Value: 1}}).SetLimit(10000))
	if err != nil {
		return nil, err
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out, nil
}

// Logger adapts a *slog.Logger (nil means slog.Default()).
type Logger struct{ *slog.Logger }

func (l Logger) logger() *slog.Logger {
	if l.Logger == nil {
		return slog.Default()
	}
	return l.Logger
}
