package embedded

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A store whose triggers an earlier version wrote otherwise gets this
// version's at start, and keeps its side rows; the new triggers keep them
// as the old did.
func TestTriggersOfAnEarlierVersionAreReplaced(t *testing.T) {
	dir := t.TempDir()
	run := func(fn func(db *mongo.Database)) {
		t.Helper()
		s, err := Start(Config{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		client, err := mongo.Connect(options.Client().ApplyURI(s.URI()))
		if err != nil {
			t.Fatal(err)
		}
		fn(client.Database("shop"))
		_ = client.Disconnect(context.Background())
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	holders := func(db *mongo.Database, user string) []string {
		t.Helper()
		var reply struct{ IDs []string }
		if err := db.RunCommand(ctx, bson.D{{Key: CommandTaskHolders, Value: "requests"}, {Key: "user", Value: user}, {Key: "limit", Value: int64(10)}}).Decode(&reply); err != nil {
			t.Fatal(err)
		}
		return reply.IDs
	}
	run(func(db *mongo.Database) {
		if _, err := db.Collection("requests").InsertOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "taskUsers", Value: bson.A{"sara"}}}); err != nil {
			t.Fatal(err)
		}
	})
	// An earlier version's update trigger: the same rows, written otherwise.
	conn, table := tableOf(t, dir, "requests")
	want := triggerSQL(table, sideCollections["requests"])
	old := want[1][:len(want[1])-len("END")] + "-- an earlier version\nEND"
	for _, q := range []string{`DROP TRIGGER "` + triggerNames(table)[1] + `"`, old} {
		if _, err := conn.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	run(func(db *mongo.Database) {
		if got := holders(db, "sara"); len(got) != 1 {
			t.Errorf("side rows after the restart: %v", got)
		}
		if _, err := db.Collection("requests").UpdateOne(ctx, bson.D{{Key: "_id", Value: "r1"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "taskUsers", Value: bson.A{"reza"}}}}}); err != nil {
			t.Fatal(err)
		}
		if got, gone := holders(db, "reza"), holders(db, "sara"); len(got) != 1 || len(gone) != 0 {
			t.Errorf("after an update: reza %v, sara %v", got, gone)
		}
	})
	var text string
	if err := conn.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`, triggerNames(table)[1]).Scan(&text); err != nil || text != want[1] {
		t.Errorf("update trigger after the restart: %v\n%s", err, text)
	}
}
