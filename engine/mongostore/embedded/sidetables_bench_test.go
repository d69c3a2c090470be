package embedded

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// BenchmarkUpdateLeavingSideFields measures SQLite's UPDATE of a
// document of a request's size that changes none of the fields its side
// rows are made of (a step's note, the outbox's record of a send), as the
// front's direct writer runs it, in one run: on a collection without
// triggers (the baseline), and on requests, whose update trigger parses
// the document before and after to see that none of those fields changed,
// as this version writes the trigger and as an earlier one did. Run:
//
//	go test -run '^$' -bench UpdateLeavingSideFields -benchtime 3000x ./engine/mongostore/embedded/
func BenchmarkUpdateLeavingSideFields(b *testing.B) {
	const n = 500
	dir := b.TempDir()
	_, db, stop := serve(b, dir)
	ctx := context.Background()
	for _, coll := range []string{"plain", "requests"} {
		for i := range n {
			if _, err := db.Collection(coll).InsertOne(ctx, requestLike(fmt.Sprintf("R%04d", i))); err != nil {
				b.Fatal(err)
			}
		}
	}
	_, plain := tableOf(b, dir, "plain")
	_, requests := tableOf(b, dir, "requests")
	if err := stop(); err != nil {
		b.Fatal(err)
	}
	conn, err := openRaw(filepath.Join(dir, "shop.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.close()
	if _, err := conn.exec("PRAGMA synchronous = OFF"); err != nil { // the statement's time, not the disk's
		b.Fatal(err)
	}
	update := func(table string) func(b *testing.B) {
		return func(b *testing.B) {
			// Each document as stored, and with a field changed.
			texts := make([][2]string, n)
			for i := range texts {
				key := fmt.Sprintf(`"R%04d"`, i)
				text, _, err := conn.queryText(fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), key)
				open := strings.Replace(text, `"status":"held"`, `"status":"open"`, 1)
				if err != nil || !strings.Contains(open, `"status":"open"`) {
					b.Fatalf("%s: %v", key, err)
				}
				texts[i] = [2]string{open, strings.Replace(open, `"status":"open"`, `"status":"held"`, 1)}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := fmt.Sprintf(`UPDATE %q SET _ferretdb_sjson = ? WHERE _ferretdb_sjson->'$._id' = ?`, table)
				for _, s := range []string{"BEGIN", q, "COMMIT"} {
					args := []string{}
					if s == q {
						args = []string{texts[i%n][(i/n+1)%2], fmt.Sprintf(`"R%04d"`, i%n)}
					}
					if k, err := conn.exec(s, args...); err != nil || s == q && k != 1 {
						b.Fatal(s, k, err)
					}
				}
			}
		}
	}
	b.Run("no-trigger", update(plain))
	// This version's trigger, and an earlier one's (a -> per field and
	// side), taking turns.
	install := func(update string) {
		for _, q := range []string{`DROP TRIGGER "` + triggerNames(requests)[1] + `"`, update} {
			if _, err := conn.exec(q); err != nil {
				b.Fatal(err)
			}
		}
	}
	now := triggerSQL(requests, sideCollections["requests"])[1]
	var changed []string
	for _, f := range sideCollections["requests"].fields() {
		changed = append(changed, fmt.Sprintf("OLD._ferretdb_sjson->'$.%[1]s' IS NOT NEW._ferretdb_sjson->'$.%[1]s'", f))
	}
	when, body := strings.Index(now, " WHEN "), strings.Index(now, " BEGIN\n")
	earlier := now[:when] + " WHEN " + strings.Join(changed, " OR ") + now[body:]
	for range 2 {
		install(now)
		b.Run("trigger", update(requests))
		install(earlier)
		b.Run("trigger-per-field", update(requests))
	}
}

// requestLike is a document of a request's shape and size (about 3.5 KB
// as stored), with values the front writes itself.
func requestLike(id string) bson.D {
	at := time.Date(2026, 12, 4, 10, 30, 0, 123e6, time.UTC)
	var history bson.A
	for i, typ := range []string{"submitted", "task-created", "sent", "claimed"} {
		history = append(history, bson.D{{Key: "at", Value: at.Add(time.Duration(i) * time.Minute)}, {Key: "type", Value: typ},
			{Key: "node", Value: "review"}, {Key: "actor", Value: "sara"}, {Key: "detail", Value: "notify n-" + id}})
	}
	return bson.D{
		{Key: "_id", Value: id}, {Key: "revision", Value: int64(3)}, {Key: "form", Value: "leave"}, {Key: "formVersion", Value: int64(2)},
		{Key: "workflow", Value: "leave"}, {Key: "workflowVersion", Value: int64(2)}, {Key: "status", Value: "open"},
		{Key: "channel", Value: "portal"}, {Key: "requester", Value: bson.D{{Key: "user", Value: "ali"}, {Key: "name", Value: "Ali Rezaei"}, {Key: "email", Value: "ali@example.com"}}},
		{Key: "data", Value: bson.D{{Key: "subject", Value: "Annual leave"}, {Key: "days", Value: int64(3)}, {Key: "from", Value: "2026-12-20"},
			{Key: "reason", Value: "family visit"}, {Key: "department", Value: "finance"}, {Key: "manager", Value: "reza"}}},
		{Key: "created", Value: at}, {Key: "updated", Value: at},
		{Key: "tokens", Value: bson.A{bson.D{{Key: "node", Value: "review"}, {Key: "since", Value: at}}}},
		{Key: "tasks", Value: bson.A{bson.D{{Key: "id", Value: "t1"}, {Key: "node", Value: "review"}, {Key: "group", Value: "managers"}, {Key: "created", Value: at}}}},
		{Key: "outbox", Value: bson.A{bson.D{{Key: "id", Value: "n-" + id}, {Key: "kind", Value: "notify"}, {Key: "status", Value: "sent"}, {Key: "next", Value: at}, {Key: "attempts", Value: int64(1)}}}},
		{Key: "history", Value: history},
		{Key: "taskGroups", Value: bson.A{"managers"}},
		{Key: "kpiType", Value: "leave"}, {Key: "kpiChannel", Value: "portal"},
		{Key: "kpiDay", Value: "2026-12-04"}, {Key: "kpiAgents", Value: bson.A{"sara"}},
		{Key: "kpiGroups", Value: bson.A{"managers"}},
		{Key: "kpiDays", Value: bson.A{bson.D{{Key: "d", Value: "2026-12-04"}, {Key: "open", Value: int64(1)}}}},
	}
}
