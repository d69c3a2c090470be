package embedded

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// A store whose triggers an earlier version wrote otherwise gets this
// version's at start, and keeps its side rows; the new triggers keep them
// as the old did.
func TestTriggersOfAnEarlierVersionAreReplaced(t *testing.T) {
	dir := t.TempDir()
	run := func(fn func(db *mongo.Database)) {
		t.Helper()
		_, db, stop := serve(t, dir)
		fn(db)
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
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
		if got := taskHolders(t, db, "sara"); len(got) != 1 {
			t.Errorf("side rows after the restart: %v", got)
		}
		if _, err := db.Collection("requests").UpdateOne(ctx, bson.D{{Key: "_id", Value: "r1"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "taskUsers", Value: bson.A{"reza"}}}}}); err != nil {
			t.Fatal(err)
		}
		if got, gone := taskHolders(t, db, "reza"), taskHolders(t, db, "sara"); len(got) != 1 || len(gone) != 0 {
			t.Errorf("after an update: reza %v, sara %v", got, gone)
		}
	})
	var text string
	if err := conn.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`, triggerNames(table)[1]).Scan(&text); err != nil || text != want[1] {
		t.Errorf("update trigger after the restart: %v\n%s", err, text)
	}
}
