package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// FerretDB v1 on SQLite looks a document up by _id with the SQL condition
// `_ferretdb_sjson->'$._id' = ?`, but indexes _id (like every field) on the
// expression `_ferretdb_sjson->"_id"`. SQLite uses an expression index only
// for the very expression it was built on, so every lookup by _id scans
// the whole table, parsing each document's JSON: a step on one request
// cost time in proportion to all open requests. Beside FerretDB's own
// index, each collection's table gets an index on the expression FerretDB
// queries with. FerretDB does not know about it and needs not: SQLite
// keeps it up to date, and dropping the collection drops the table and
// the index with it.

// idIndexSuffix names the extra index: <table>_<suffix>. FerretDB names
// its own indexes <table>_<mongo index name>, and Pishkhan never creates a
// MongoDB index of this name.
const idIndexSuffix = "pishkhan_id_lookup"

// idIndexer keeps the _id lookup index on every collection: it indexes
// the tables at start, and again after a write to a collection it has not
// indexed yet (the write may have created it). Its methods run with
// writes held off, one at a time.
type idIndexer struct {
	dir    string
	done   map[string]bool // "db.collection" indexed
	logger *slog.Logger
}

func (ix *idIndexer) run() error {
	names, err := indexIDs(context.Background(), ix.dir)
	for _, n := range names {
		ix.done[n] = true
	}
	return err
}

func (ix *idIndexer) wrote(command, db, coll string) {
	if command == "dropDatabase" {
		// Its collections, created again, are new tables.
		for name := range ix.done {
			if strings.HasPrefix(name, db+".") {
				delete(ix.done, name)
			}
		}
		return
	}
	if command == "drop" {
		delete(ix.done, db+"."+coll)
		return
	}
	if coll == "" || ix.done[db+"."+coll] {
		return
	}
	if err := ix.run(); err != nil {
		// Lookups by _id stay correct without the index, only slower.
		ix.logger.Error("embedded store: _id lookup index", "error", err)
	}
}

// indexIDs adds the _id lookup index to every collection of every database
// in the data folder that lacks it, and returns the collections it covered
// ("db.collection").
func indexIDs(ctx context.Context, dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range files {
		n, err := indexDatabase(ctx, f)
		if err != nil {
			return names, fmt.Errorf("embedded store: index %s: %w", filepath.Base(f), err)
		}
		names = append(names, n...)
	}
	return names, nil
}

func indexDatabase(ctx context.Context, file string) ([]string, error) {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name, table_name FROM _ferretdb_collections`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil, nil // a database FerretDB has not set up yet
		}
		return nil, err
	}
	var names, tables []string
	for rows.Next() {
		var n, t string
		if err := rows.Scan(&n, &t); err != nil {
			_ = rows.Close()
			return nil, err
		}
		names, tables = append(names, n), append(tables, t)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	dbName := strings.TrimSuffix(filepath.Base(file), ".sqlite")
	for i, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_"+idIndexSuffix, t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, err
		}
		names[i] = dbName + "." + names[i]
	}
	return names, nil
}
