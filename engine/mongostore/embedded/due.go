package embedded

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// CommandDue lists the requests whose timers or outbox fell due, as
// mongostore's RequestsDue does: {pishkhanDue: <collection>, due: "due" |
// "outboxDue", lease: "lease" | "outboxLease", now, limit, $db} -> {ids:
// [...], next: <time> | null}. ids are the requests due by now whose
// lease has run out (at most limit); next is a time no later than the
// earliest at which another becomes due or its lease runs out. It is
// exact but for a request due later whose lease outlasts its due time,
// for which it gives the due time: the poller then looks once more than
// it needs to. The plain query decodes every open request in FerretDB;
// this one reads an SQLite index of the due times (dueIndexes) and
// touches only the requests that are due, and the next one.
const CommandDue = "pishkhanDue"

// dueLeases pairs each due-time field with its lease field.
var dueLeases = map[string]string{"due": "lease", "outboxDue": "outboxLease"}

// dueIndexes are the statements that index table's due times.
func dueIndexes(table string) []string {
	var out []string
	for field := range dueLeases {
		expr := fmt.Sprintf(`json_extract(_ferretdb_sjson, '$.%s')`, field)
		out = append(out, fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s) WHERE %s IS NOT NULL`,
			table+"_pishkhan_"+field, table, expr, expr))
	}
	return out
}

// dueQueries are the queries on table for the due field and its lease:
// the requests due by a time (each with its due time, lease, and their
// types), and the first due time after it. Both read the index of the
// due times.
func dueQueries(table, due, lease string) (dueBy, later string) {
	field := func(f string) string { return fmt.Sprintf(`json_extract(_ferretdb_sjson, '$.%s')`, f) }
	typeOf := func(f string) string { return fmt.Sprintf(`json_extract(_ferretdb_sjson, '$."$s".p.%s.t')`, f) }
	d := field(due)
	dueBy = fmt.Sprintf(`SELECT _ferretdb_sjson->>'$._id', %[1]s, %[2]s, %[3]s, %[4]s FROM %[5]q WHERE %[1]s IS NOT NULL AND %[1]s <= ? ORDER BY %[1]s`,
		d, typeOf(due), field(lease), typeOf(lease), table)
	later = fmt.Sprintf(`SELECT min(%[1]s) FROM %[2]q WHERE %[1]s IS NOT NULL AND %[1]s > ?`, d, table)
	return dueBy, later
}

func (s *sideStore) due(ctx context.Context, body bson.Raw) (bson.D, error) {
	var cmd struct {
		Coll  string    `bson:"pishkhanDue"`
		DB    string    `bson:"$db"`
		Due   string    `bson:"due"`
		Lease string    `bson:"lease"`
		Now   time.Time `bson:"now"`
		Limit int64     `bson:"limit"`
	}
	if err := bson.Unmarshal(body, &cmd); err != nil {
		return nil, err
	}
	if dueLeases[cmd.Due] == "" || dueLeases[cmd.Due] != cmd.Lease {
		return nil, fmt.Errorf("embedded store: due field %q with lease %q", cmd.Due, cmd.Lease)
	}
	ids := []string{}
	none := bson.D{{Key: "ids", Value: ids}, {Key: "next", Value: nil}}
	db, err := s.open(cmd.DB)
	if errors.Is(err, errNoDatabase) {
		return none, nil
	}
	if err != nil {
		return nil, err
	}
	ts, err := tables(ctx, db, cmd.Coll)
	if err != nil || ts[0] == "" {
		return none, err
	}
	now := cmd.Now.UnixMilli()
	dueBy, later := dueQueries(ts[0], cmd.Due, cmd.Lease)
	// Those due by now: taken if their lease has run out, else their
	// lease's end is a time to wake up.
	rows, err := db.QueryContext(ctx, dueBy, now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var next *int64
	earliest := func(at int64) {
		if next == nil || at < *next {
			next = &at
		}
	}
	for rows.Next() {
		var id string
		var at int64
		var dueType string
		var held *int64
		var heldType *string
		if err := rows.Scan(&id, &at, &dueType, &held, &heldType); err != nil {
			return nil, err
		}
		if dueType != "date" {
			return nil, fmt.Errorf("embedded store: request %s has a %s of type %s", id, cmd.Due, dueType)
		}
		if heldType != nil && *heldType != "date" && *heldType != "null" {
			return nil, fmt.Errorf("embedded store: request %s has a %s of type %s", id, cmd.Lease, *heldType)
		}
		if held == nil || *held < now {
			if int64(len(ids)) < cmd.Limit || cmd.Limit <= 0 {
				ids = append(ids, id)
			}
			continue
		}
		earliest(max(at, *held))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The first due later.
	var first *int64
	if err := db.QueryRowContext(ctx, later, now).Scan(&first); err != nil {
		return nil, err
	}
	if first != nil {
		earliest(*first)
	}
	reply := bson.D{{Key: "ids", Value: ids}, {Key: "next", Value: nil}}
	if next != nil {
		reply[1].Value = time.UnixMilli(*next).UTC()
	}
	return reply, nil
}
