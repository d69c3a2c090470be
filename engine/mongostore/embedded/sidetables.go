package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Side tables. FerretDB v1 on SQLite hands SQLite only filters that are
// exactly {_id: value}; the inbox's filter (task holders) and a KPI query's
// (a period, types, channels, groups, agents) read and decode every
// document of their collections in Go: seconds at thousands of open
// requests, minutes at a million archived ones. So beside the tables of
// the collections those queries read, the store keeps side tables that
// SQLite indexes, filled by SQLite triggers on the collections' tables
// from the stored JSON of each document:
//
//   - pishkhan_task_holders: (holder, table, _id) for each user ("u:") and
//     group ("g:") a request's open tasks are held by (taskUsers,
//     taskGroups);
//   - pishkhan_kpi_requests: a request's KPI type, channel, day created and
//     day resolved (kpiType, kpiChannel, kpiDay, kpiResolved);
//   - pishkhan_kpi_tags: its agents ("a:") and groups ("g:") (kpiAgents,
//     kpiGroups);
//   - pishkhan_kpi_days: each of its days (kpiDays), the day's figures as
//     JSON.
//
// A trigger runs inside the statement that changes the document, so the
// side tables change in the same SQLite transaction as the collection:
// nothing a crash interrupts can leave them apart, and concurrent writers
// cannot make them drift. Where the triggers are missing (a collection
// created before this code, or dropped and created again), they are
// created and the side rows of that table rebuilt from it, with writes
// held off. The front answers two commands of its own from the side
// tables (fastpaths.go); mongostore uses them only where the server
// answers them, and on a real MongoDB runs its usual queries against the
// indexes it creates there.

// sideCollections are the collections (as mongostore names them) whose
// tables get triggers, and what the triggers keep for each.
var sideCollections = map[string]sideRole{
	"requests":            {tasks: true, kpis: true},
	"requestsArchiveKPIs": {kpis: true},
}

type sideRole struct{ tasks, kpis bool }

// fields are the fields of a document that its side rows are made of
// (sideInserts reads nothing else).
func (r sideRole) fields() []string {
	var out []string
	if r.tasks {
		out = append(out, "taskUsers", "taskGroups")
	}
	if r.kpis {
		out = append(out, "kpiType", "kpiChannel", "kpiDay", "kpiResolved", "kpiAgents", "kpiGroups", "kpiDays")
	}
	return out
}

const sideSchema = `
CREATE TABLE IF NOT EXISTS pishkhan_task_holders (holder TEXT NOT NULL, tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (holder, tbl, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pishkhan_task_holders_doc ON pishkhan_task_holders (tbl, id);
CREATE TABLE IF NOT EXISTS pishkhan_kpi_requests (tbl TEXT NOT NULL, id TEXT NOT NULL, type TEXT, channel TEXT, created TEXT, resolved TEXT, PRIMARY KEY (tbl, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pishkhan_kpi_requests_backlog ON pishkhan_kpi_requests (tbl, resolved, created);
CREATE TABLE IF NOT EXISTS pishkhan_kpi_tags (tag TEXT NOT NULL, tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tag, tbl, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pishkhan_kpi_tags_doc ON pishkhan_kpi_tags (tbl, id);
CREATE TABLE IF NOT EXISTS pishkhan_kpi_days (d TEXT NOT NULL, tbl TEXT NOT NULL, id TEXT NOT NULL, facts TEXT NOT NULL, PRIMARY KEY (d, tbl, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pishkhan_kpi_days_doc ON pishkhan_kpi_days (tbl, id);
`

// sideTables lists every side table, for deleting a document's rows.
var sideTables = []string{"pishkhan_task_holders", "pishkhan_kpi_requests", "pishkhan_kpi_tags", "pishkhan_kpi_days"}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sideInserts are the statements that add one document's side rows. doc
// is the JSON of the document (NEW._ferretdb_sjson in a trigger) and from
// the row source it comes from ("(SELECT 1)" in a trigger, the table when
// rebuilding).
func sideInserts(table string, role sideRole, doc, from string) []string {
	t := sqlString(table)
	id := doc + "->>'$._id'"
	each := func(into, prefix, path string) string {
		// json_each of the field's JSON, not of the document at a path:
		// json_each parses its argument each time, while -> takes the
		// document from SQLite's cache of parsed JSON.
		return fmt.Sprintf(`INSERT OR IGNORE INTO %s SELECT %s || e.value, %s, %s FROM %s, json_each(%s -> '$.%s') AS e WHERE e.type = 'text'`,
			into, sqlString(prefix), t, id, from, doc, path)
	}
	var out []string
	if role.tasks {
		out = append(out, each("pishkhan_task_holders", "u:", "taskUsers"), each("pishkhan_task_holders", "g:", "taskGroups"))
	}
	if role.kpis {
		out = append(out,
			fmt.Sprintf(`INSERT OR REPLACE INTO pishkhan_kpi_requests SELECT %[1]s, %[2]s, %[3]s->>'$.kpiType', %[3]s->>'$.kpiChannel', %[3]s->>'$.kpiDay', %[3]s->>'$.kpiResolved' FROM %[4]s WHERE %[3]s->>'$.kpiDay' IS NOT NULL`,
				t, id, doc, from),
			each("pishkhan_kpi_tags", "a:", "kpiAgents"), each("pishkhan_kpi_tags", "g:", "kpiGroups"),
			fmt.Sprintf(`INSERT OR REPLACE INTO pishkhan_kpi_days SELECT e.value->>'$.d', %s, %s, e.value FROM %s, json_each(%s -> '$.kpiDays') AS e WHERE e.type = 'object' AND e.value->>'$.d' IS NOT NULL AND %s->>'$.kpiDay' IS NOT NULL`,
				t, id, from, doc, doc),
		)
	}
	return out
}

// sideDeletes are the statements that remove the side rows of the
// document whose _id is id (an SQL expression).
func sideDeletes(table, id string) []string {
	out := make([]string, len(sideTables))
	for i, st := range sideTables {
		out[i] = fmt.Sprintf(`DELETE FROM %s WHERE tbl = %s AND id = %s`, st, sqlString(table), id)
	}
	return out
}

// triggerNames are the three triggers of table.
func triggerNames(table string) [3]string {
	return [3]string{table + "_pishkhan_side_insert", table + "_pishkhan_side_update", table + "_pishkhan_side_delete"}
}

// triggerSQL is what creates the three triggers of table.
func triggerSQL(table string, role sideRole) [3]string {
	names := triggerNames(table)
	body := func(stmts []string) string { return strings.Join(stmts, ";\n") + ";" }
	ins := body(sideInserts(table, role, "NEW._ferretdb_sjson", "(SELECT 1)"))
	// An update keeps the _id, so the new document names the rows to go.
	// It replaces them only if it changed a field they are made of: most
	// updates (a step's note, the outbox's record of a send) change none,
	// and rows deleted and written again as they were would still cost
	// their pages (four of a request's eight) in the commit. One
	// json_extract of all the fields on each side, compared as the JSON
	// array it returns, costs less than a -> per field and side, each
	// looking the document up again in SQLite's cache of parsed JSON: a
	// request-sized update that changes none takes 0.18 ms against 0.22,
	// and 0.15 without the trigger (BenchmarkUpdateLeavingSideFields).
	// Null and missing compare equal, and make the same rows.
	var paths []string
	for _, f := range role.fields() {
		paths = append(paths, fmt.Sprintf("'$.%s'", f))
	}
	changed := fmt.Sprintf("json_extract(OLD._ferretdb_sjson, %[1]s) IS NOT json_extract(NEW._ferretdb_sjson, %[1]s)", strings.Join(paths, ", "))
	return [3]string{
		fmt.Sprintf("CREATE TRIGGER %q AFTER INSERT ON %q BEGIN\n%s\nEND", names[0], table, ins),
		fmt.Sprintf("CREATE TRIGGER %q AFTER UPDATE ON %q WHEN %s BEGIN\n%s\n%s\nEND", names[1], table, changed,
			body(sideDeletes(table, "NEW._ferretdb_sjson->>'$._id'")), ins),
		fmt.Sprintf("CREATE TRIGGER %q AFTER DELETE ON %q BEGIN\n%s\nEND", names[2], table, body(sideDeletes(table, "OLD._ferretdb_sjson->>'$._id'"))),
	}
}

// installSide makes sure table has its triggers, and if it had not,
// rebuilds its side rows. Triggers an earlier version made, written
// otherwise, are replaced, and the rows kept: a change of what the rows
// mean must rebuild them (a new side table, or new trigger names). Writes
// must be held off.
func installSide(ctx context.Context, db *sql.DB, table string, role sideRole) error {
	names := triggerNames(table)
	want := triggerSQL(table, role)
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN (?, ?, ?)`,
		table, names[0], names[1], names[2])
	if err != nil {
		return err
	}
	have := map[string]string{}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			rows.Close()
			return err
		}
		have[name] = text
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	same := len(have) == len(names)
	for i, name := range names {
		same = same && have[name] == want[i]
	}
	if same {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	stmts := []string{sideSchema}
	for _, name := range names {
		stmts = append(stmts, fmt.Sprintf(`DROP TRIGGER IF EXISTS %q`, name))
	}
	if len(have) < len(names) {
		// Rows left by a table of that name that was dropped, then its own.
		for _, st := range sideTables {
			stmts = append(stmts, fmt.Sprintf(`DELETE FROM %s WHERE tbl = %s`, st, sqlString(table)))
		}
		stmts = append(stmts, sideInserts(table, role, "doc._ferretdb_sjson", fmt.Sprintf("%q AS doc", table))...)
	}
	stmts = append(stmts, want[:]...)
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%w\n%s", err, q)
		}
	}
	return tx.Commit()
}

// sideStore keeps the side tables of every database in the data folder
// and answers queries on them. A database's connection pool is opened on
// first use and closed when the database is dropped (FerretDB removes its
// file).
type sideStore struct {
	dir string
	mu  sync.Mutex
	dbs map[string]*sql.DB
	// kept holds the collections ("db.collection") known to have their
	// triggers; only wrote and installAll, which run one at a time, use
	// it.
	kept map[string]bool
}

func newSideStore(dir string) *sideStore {
	return &sideStore{dir: dir, dbs: map[string]*sql.DB{}, kept: map[string]bool{}}
}

// errNoDatabase means the database has no file yet: it holds nothing.
var errNoDatabase = errors.New("embedded store: no such database")

// open returns the pool of database name.
func (s *sideStore) open(name string) (*sql.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if db := s.dbs[name]; db != nil {
		return db, nil
	}
	file := filepath.Join(s.dir, name+".sqlite")
	if strings.ContainsAny(name, `/\`) || name == "" {
		return nil, fmt.Errorf("embedded store: database name %q", name)
	}
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		return nil, errNoDatabase
	}
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)")
	if err != nil {
		return nil, err
	}
	s.dbs[name] = db
	return db, nil
}

// forget closes the pool of a dropped database.
func (s *sideStore) forget(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if db := s.dbs[name]; db != nil {
		_ = db.Close()
		delete(s.dbs, name)
	}
}

func (s *sideStore) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, db := range s.dbs {
		_ = db.Close()
		delete(s.dbs, name)
	}
}

// tables returns the SQLite tables of collections of database db (""
// for one that does not exist yet).
func tables(ctx context.Context, db *sql.DB, collections ...string) ([]string, error) {
	out := make([]string, len(collections))
	for i, c := range collections {
		err := db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, c).Scan(&out[i])
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			if strings.Contains(err.Error(), "no such table") {
				continue // FerretDB has not set the database up yet
			}
			return nil, err
		}
	}
	return out, nil
}

// wrote keeps the side tables after a write command to db.coll: a dropped
// database's pool is closed; a watched collection gets its triggers if it
// lacks them. Writes are held off.
func (s *sideStore) wrote(command, dbName, coll string) error {
	switch command {
	case "dropDatabase":
		s.forget(dbName)
		for name := range sideCollections {
			delete(s.kept, dbName+"."+name)
		}
		return nil
	case "drop":
		delete(s.kept, dbName+"."+coll)
		return nil
	}
	role, ok := sideCollections[coll]
	if !ok || s.kept[dbName+"."+coll] {
		return nil
	}
	return s.install(dbName, coll, role)
}

// install gives collection coll of database dbName its triggers if it
// exists and lacks them, and makes the side tables a newer Pishkhan added.
func (s *sideStore) install(dbName, coll string, role sideRole) error {
	db, err := s.open(dbName)
	if errors.Is(err, errNoDatabase) {
		return nil
	}
	if err != nil {
		return err
	}
	ctx := context.Background()
	t, err := tables(ctx, db, coll)
	if err != nil || t[0] == "" {
		return err
	}
	if _, err := db.ExecContext(ctx, sideSchema); err != nil {
		return err
	}
	if err := installSide(ctx, db, t[0], role); err != nil {
		return err
	}
	if role.tasks {
		for _, q := range dueIndexes(t[0]) {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return err
			}
		}
	}
	s.kept[dbName+"."+coll] = true
	return nil
}

// installAll gives every watched collection of every database its
// triggers, at start.
func (s *sideStore) installAll() error {
	files, err := filepath.Glob(filepath.Join(s.dir, "*.sqlite"))
	if err != nil {
		return err
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".sqlite")
		for coll, role := range sideCollections {
			if err := s.install(name, coll, role); err != nil {
				return fmt.Errorf("embedded store: side tables of %s.%s: %w", name, coll, err)
			}
		}
	}
	return nil
}
