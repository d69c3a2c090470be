package embedded

import (
	"context"
	"regexp"
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

// An update rewrites a document's side rows only if it changed a field
// they are made of, and any one of those fields is enough. A row the
// triggers would not write tells whether they ran.
func TestUpdatesReplaceSideRowsOnlyWhenTheirFieldsChange(t *testing.T) {
	dir := t.TempDir()
	_, db, stop := serve(t, dir)
	t.Cleanup(func() { _ = stop() })
	ctx := context.Background()
	requests := db.Collection("requests")
	doc := bson.D{{Key: "_id", Value: "r1"}, {Key: "status", Value: "submitted"},
		{Key: "taskUsers", Value: bson.A{"sara"}}, {Key: "taskGroups", Value: bson.A{"it"}},
		{Key: "kpiType", Value: "it-support"}, {Key: "kpiChannel", Value: "portal"}, {Key: "kpiDay", Value: "2026-12-01"},
		{Key: "kpiResolved", Value: ""}, {Key: "kpiAgents", Value: bson.A{"reza"}}, {Key: "kpiGroups", Value: bson.A{"it"}},
		{Key: "kpiDays", Value: bson.A{bson.D{{Key: "d", Value: "2026-12-01"}, {Key: "n", Value: int64(1)}}}}}
	if _, err := requests.InsertOne(ctx, doc); err != nil {
		t.Fatal(err)
	}
	conn, table := tableOf(t, dir, "requests")
	if _, err := conn.Exec(`PRAGMA busy_timeout = 10000`); err != nil {
		t.Fatal(err)
	}
	plant := func() {
		t.Helper()
		if _, err := conn.Exec(`INSERT OR IGNORE INTO pishkhan_task_holders VALUES ('u:ghost', ?, 'r1')`, table); err != nil {
			t.Fatal(err)
		}
	}
	rewritten := func(set bson.D) bool {
		t.Helper()
		if _, err := requests.UpdateOne(ctx, bson.D{{Key: "_id", Value: "r1"}}, bson.D{{Key: "$set", Value: set}}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := conn.QueryRow(`SELECT count(*) FROM pishkhan_task_holders WHERE holder = 'u:ghost' AND tbl = ? AND id = 'r1'`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 0
	}
	plant()
	if rewritten(bson.D{{Key: "status", Value: "in-progress"}, {Key: "note", Value: "sent"}}) {
		t.Error("an update of no side field rewrote the side rows")
	}
	if got := taskHolders(t, db, "sara"); len(got) != 1 {
		t.Errorf("sara's tasks after it: %v", got)
	}
	changes := map[string]any{
		"taskUsers": bson.A{"sara", "omid"}, "taskGroups": bson.A{"it", "finance"},
		"kpiType": "complaint", "kpiChannel": "email", "kpiDay": "2026-12-02", "kpiResolved": "2026-12-03",
		"kpiAgents": bson.A{"neda"}, "kpiGroups": bson.A{"finance"},
		"kpiDays": bson.A{bson.D{{Key: "d", Value: "2026-12-02"}, {Key: "n", Value: int64(2)}}},
	}
	fields := sideCollections["requests"].fields()
	if len(fields) != len(changes) {
		t.Fatalf("side fields %v, the test changes %d", fields, len(changes))
	}
	for _, f := range fields {
		plant()
		if !rewritten(bson.D{{Key: f, Value: changes[f]}}) {
			t.Errorf("an update of %s left the side rows as they were", f)
		}
	}
	if got := taskHolders(t, db, "omid"); len(got) != 1 {
		t.Errorf("omid's tasks after the updates: %v", got)
	}
}

// The update trigger's condition names every field the side rows are
// made of.
func TestSideFieldsAreWhatTheRowsAreMadeOf(t *testing.T) {
	for name, role := range sideCollections {
		read := map[string]bool{}
		for _, q := range sideInserts("t", role, "NEW._ferretdb_sjson", "(SELECT 1)") {
			for _, m := range regexp.MustCompile(`NEW\._ferretdb_sjson\s*->>?\s*'\$\.(\w+)'`).FindAllStringSubmatch(q, -1) {
				if m[1] != "_id" {
					read[m[1]] = true
				}
			}
		}
		fields := role.fields()
		if len(read) != len(fields) {
			t.Errorf("%s: the inserts read %v, the trigger's condition names %v", name, read, fields)
		}
		for _, f := range fields {
			if !read[f] {
				t.Errorf("%s: the condition names %s, which the inserts do not read", name, f)
			}
		}
	}
}
