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

// collNotifications holds in-app notifications, one document each.
const collNotifications = "notifications"

func (s *Store) notifications() *mongo.Collection { return s.db.Collection(collNotifications) }

// ensureNotificationIndexes serves "a user's notifications, newest first".
func (s *Store) ensureNotificationIndexes(ctx context.Context) error {
	err := s.createIndex(ctx, s.notifications(), mongo.IndexModel{
		Keys: bson.D{{Key: "user", Value: 1}, {Key: "at", Value: -1}}, Options: options.Index().SetName("user_at"),
	})
	if err != nil {
		return fmt.Errorf("mongostore: create notification index: %w", err)
	}
	return nil
}

// NotificationPut stores n; a retried delivery replaces the text but keeps
// its first time and when it was read.
func (s *Store) NotificationPut(ctx context.Context, n *engine.Notification) error {
	set := bson.D{
		{Key: "user", Value: n.User}, {Key: "request", Value: n.Request}, {Key: "event", Value: n.Event},
		{Key: "subject", Value: n.Subject}, {Key: "body", Value: n.Body}, {Key: "language", Value: n.Language},
	}
	_, err := s.writes(ctx, s.notifications()).UpdateOne(ctx, bson.D{{Key: "_id", Value: n.ID}},
		bson.D{{Key: "$set", Value: set}, {Key: "$setOnInsert", Value: bson.D{{Key: "at", Value: n.At}}}}, options.UpdateOne().SetUpsert(true))
	return storeErr(err)
}

// NotificationsFor lists user's notifications, newest first.
func (s *Store) NotificationsFor(ctx context.Context, user string, unread bool, limit int) ([]*engine.Notification, error) {
	filter := bson.D{{Key: "user", Value: user}}
	if unread {
		filter = append(filter, bson.E{Key: "readAt", Value: bson.D{{Key: "$exists", Value: false}}})
	}
	cur, err := s.notifications().Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, storeErr(err)
	}
	out := []*engine.Notification{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, storeErr(err)
	}
	return out, nil
}

// NotificationsRead marks user's notifications read.
func (s *Store) NotificationsRead(ctx context.Context, user string, ids []string, at time.Time) (int, error) {
	filter := bson.D{{Key: "user", Value: user}, {Key: "readAt", Value: bson.D{{Key: "$exists", Value: false}}}}
	if len(ids) > 0 {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}})
	}
	res, err := s.notifications().UpdateMany(ctx, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "readAt", Value: at}}}})
	if err != nil {
		return 0, storeErr(err)
	}
	return int(res.ModifiedCount), nil
}
