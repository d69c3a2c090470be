//go:build ignore

// Replicate multiplies the requests of a stopped embedded store: each
// request (open, archived, and its archived KPI facts) is copied n times
// under fresh tracking codes, directly in SQLite. Preloading through the
// store (`pishkhan bench --preload-store`) costs about 200 requests a
// second on a busy 2-core machine, so 1,000,000 would take hours; ten
// copies of a 100,000 year take minutes. The copies keep everything else
// of their original (dates, tasks, history text), so a day holds n+1
// times the original's requests, spread as they were.
//
// Every row inserted into an indexed table updates each of its indexes,
// and each of FerretDB's indexes is on an expression that parses the
// document's JSON: at a million rows, inserting with the indexes in place
// ran for over 20 minutes without finishing. So the copy drops the
// tables' indexes and the side tables' triggers, inserts, and builds the
// indexes again (one sorted pass each); the store rebuilds the side
// tables from the collections when it next starts, as it does for any
// store whose triggers are missing.
//
//	go run scripts/scale/replicate.go -db /path/to/data/pishkhan.sqlite -copies 9
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"log"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/pishkhan/pishkhan/engine"
)

func main() {
	file := flag.String("db", "", "the database file of a stopped embedded store")
	copies := flag.Int("copies", 9, "copies to add of each request")
	flag.Parse()
	// A stopped store being grown: if this dies, start again from a copy.
	db, err := sql.Open("sqlite", "file:"+*file+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)&_pragma=synchronous(off)&_pragma=cache_size(-2000000)&_pragma=temp_store(memory)")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1) // the temporary table lives in one connection
	table := func(coll string) string {
		var t string
		if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&t); err != nil {
			log.Fatalf("collection %s: %v", coll, err)
		}
		return t
	}
	working, archive, facts := table("requests"), table("requestsArchive"), table("requestsArchiveKPIs")
	start := time.Now()
	must := func(q string, args ...any) {
		if _, err := db.Exec(q, args...); err != nil {
			log.Fatalf("%v\n%s", err, q)
		}
	}
	must(`CREATE TEMP TABLE idmap (copy INTEGER NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL, PRIMARY KEY (copy, old))`)
	var ids []string
	for _, t := range []string{working, archive} {
		rows, err := db.Query(fmt.Sprintf(`SELECT _ferretdb_sjson->>'$._id' FROM %q`, t))
		if err != nil {
			log.Fatal(err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				log.Fatal(err)
			}
			ids = append(ids, id)
		}
		_ = rows.Close()
	}
	tx, err := db.Begin()
	if err != nil {
		log.Fatal(err)
	}
	ins, err := tx.Prepare(`INSERT INTO idmap VALUES (?, ?, ?)`)
	if err != nil {
		log.Fatal(err)
	}
	for c := 1; c <= *copies; c++ {
		for _, id := range ids {
			if _, err := ins.Exec(c, id, engine.NewTrackingCode()); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d requests, %d copies each: ids made in %s", len(ids), *copies, time.Since(start).Round(time.Second))
	// The indexes and triggers of the three tables, kept to build again.
	var rebuild []string
	for _, t := range []string{working, archive, facts} {
		rows, err := db.Query(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL`, t)
		if err != nil {
			log.Fatal(err)
		}
		var drops []string
		for rows.Next() {
			var kind, name, q string
			if err := rows.Scan(&kind, &name, &q); err != nil {
				log.Fatal(err)
			}
			drops = append(drops, fmt.Sprintf(`DROP %s %q`, strings.ToUpper(kind), name))
			if kind == "index" {
				rebuild = append(rebuild, q)
			}
		}
		_ = rows.Close()
		for _, q := range drops {
			must(q)
		}
	}
	// A request's own ids: its tracking code and its tasks' ids.
	renamed := `json_replace(t._ferretdb_sjson, '$._id', m.new, '$.workflow.tasks[0].id', m.new || '-2', '$.workflow.tasks[1].id', m.new || '-3')`
	for _, t := range []string{working, archive, facts} {
		expr := renamed
		if t == facts {
			expr = `json_replace(t._ferretdb_sjson, '$._id', m.new)`
		}
		for c := 1; c <= *copies; c++ {
			must(fmt.Sprintf(`INSERT INTO %q SELECT %s FROM %q AS t JOIN idmap AS m ON m.copy = ? AND m.old = t._ferretdb_sjson->>'$._id'`, t, expr, t), c)
		}
		log.Printf("%s copied (%s)", t, time.Since(start).Round(time.Second))
	}
	for _, q := range rebuild {
		must(q)
	}
	log.Printf("%d indexes built again (%s); the side tables are rebuilt when the store starts", len(rebuild), time.Since(start).Round(time.Second))
}
