package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// The front answers commands of its own from the side tables
// (sidetables.go), without FerretDB. A server that does not know them (a
// real MongoDB, or FerretDB reached without the front) answers
// CommandNotFound, and mongostore runs its usual queries instead; so does
// it on any other error, which the front gives when the side tables of a
// collection are not ready (their triggers missing a moment after the
// collection was created).
const (
	// CommandTaskHolders lists the _ids of the requests with open tasks
	// held by a user or waiting in one of some groups:
	// {pishkhanTaskHolders: <collection>, user, groups, limit, $db} ->
	// {ids: [...]}.
	CommandTaskHolders = "pishkhanTaskHolders"
	// CommandKPIDays sums KPI facts per day, as mongostore's KPIDays does:
	// {pishkhanKPIDays: <working collection>, facts: <archive's facts
	// collection>, from, to, types, channels, departments, agents, sums,
	// $db} -> {days: [{d, <each of sums>}]}: the figures named in sums,
	// per day up to `to`, of the requests that match the filters and have
	// a day from `from` to `to` or were created before `from` and not
	// resolved before it (the working copy of a request counting, not the
	// archived one, where both exist).
	CommandKPIDays = "pishkhanKPIDays"
	// CommandStore says what the server is: {pishkhanStore: 1} ->
	// {engine: "sqlite", queryIndexes: false}. queryIndexes false means
	// FerretDB hands SQLite no filter but one on _id, so an index a
	// createIndexes makes serves no query (only uniqueness) and costs
	// every write its upkeep.
	CommandStore = "pishkhanStore"
)

// answerFast answers msg if it is one of the front's own commands.
func (s *sideStore) answerFast(msg []byte) ([]byte, bool) {
	name, err := commandName(msg)
	var answer func(context.Context, bson.Raw) (bson.D, error)
	switch {
	case err != nil:
		return nil, false
	case name == CommandTaskHolders:
		answer = s.taskHolders
	case name == CommandKPIDays:
		answer = s.kpiDays
	case name == CommandDue:
		answer = s.due
	case name == CommandStore:
		answer = func(context.Context, bson.Raw) (bson.D, error) {
			return bson.D{{Key: "engine", Value: "sqlite"}, {Key: "queryIndexes", Value: false}}, nil
		}
	default:
		return nil, false
	}
	body, _ := bodySection(msg)
	reply, err := answer(context.Background(), body)
	if err != nil {
		reply = bson.D{{Key: "ok", Value: 0.0}, {Key: "errmsg", Value: err.Error()}, {Key: "code", Value: int32(1)}}
	} else {
		reply = append(reply, bson.E{Key: "ok", Value: 1.0})
	}
	return replyTo(msg, reply), true
}

// errNotReady means a collection's side tables are not kept (yet).
var errNotReady = errors.New("embedded store: side tables not ready")

// ready returns the tables of collections, each of which has its
// triggers ("" for a collection that does not exist).
func ready(ctx context.Context, db *sql.DB, collections ...string) ([]string, error) {
	ts, err := tables(ctx, db, collections...)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t == "" {
			continue
		}
		names := triggerNames(t)
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN (?, ?, ?)`,
			t, names[0], names[1], names[2]).Scan(&n); err != nil {
			return nil, err
		}
		if n != len(names) {
			return nil, errNotReady
		}
	}
	return ts, nil
}

// placeholders is "?, ?, ..." for n values.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func anys[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

func (s *sideStore) taskHolders(ctx context.Context, body bson.Raw) (bson.D, error) {
	var cmd struct {
		Coll   string   `bson:"pishkhanTaskHolders"`
		DB     string   `bson:"$db"`
		User   string   `bson:"user"`
		Groups []string `bson:"groups"`
		Limit  int64    `bson:"limit"`
	}
	if err := bson.Unmarshal(body, &cmd); err != nil {
		return nil, err
	}
	ids := []string{}
	db, err := s.open(cmd.DB)
	if errors.Is(err, errNoDatabase) {
		return bson.D{{Key: "ids", Value: ids}}, nil
	}
	if err != nil {
		return nil, err
	}
	ts, err := ready(ctx, db, cmd.Coll)
	if err != nil || ts[0] == "" {
		return bson.D{{Key: "ids", Value: ids}}, err
	}
	holders := []any{"u:" + cmd.User}
	for _, g := range cmd.Groups {
		holders = append(holders, "g:"+g)
	}
	limit := cmd.Limit
	if limit <= 0 {
		limit = -1 // no limit
	}
	q := fmt.Sprintf(`SELECT DISTINCT id FROM pishkhan_task_holders WHERE holder IN (%s) AND tbl = ? LIMIT ?`, placeholders(len(holders)))
	rows, err := db.QueryContext(ctx, q, append(holders, ts[0], limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return bson.D{{Key: "ids", Value: ids}}, rows.Err()
}

// sumName is what a figure to sum may be called.
var sumName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)

func (s *sideStore) kpiDays(ctx context.Context, body bson.Raw) (bson.D, error) {
	var cmd struct {
		Working string   `bson:"pishkhanKPIDays"`
		Facts   string   `bson:"facts"`
		DB      string   `bson:"$db"`
		From    string   `bson:"from"`
		To      string   `bson:"to"`
		Sums    []string `bson:"sums"`
	}
	if err := bson.Unmarshal(body, &cmd); err != nil {
		return nil, err
	}
	var filters struct {
		Types       []string `bson:"types"`
		Channels    []string `bson:"channels"`
		Departments []string `bson:"departments"`
		Agents      []string `bson:"agents"`
	}
	if err := bson.Unmarshal(body, &filters); err != nil {
		return nil, err
	}
	for _, name := range cmd.Sums {
		if !sumName.MatchString(name) {
			return nil, fmt.Errorf("embedded store: figure %q", name)
		}
	}
	empty := bson.D{{Key: "days", Value: bson.A{}}}
	db, err := s.open(cmd.DB)
	if errors.Is(err, errNoDatabase) {
		return empty, nil
	}
	if err != nil {
		return nil, err
	}
	ts, err := ready(ctx, db, cmd.Working, cmd.Facts)
	if err != nil {
		return nil, err
	}
	working, facts := ts[0], ts[1]
	if working == "" && facts == "" {
		return empty, nil
	}
	// The requests selected: in either table, the archived copy only if
	// there is no working one, of the types, channels, groups and agents
	// asked for.
	where := `kr.tbl IN (?, ?) AND (kr.tbl = ? OR NOT EXISTS (SELECT 1 FROM pishkhan_kpi_requests w WHERE w.tbl = ? AND w.id = kr.id))`
	args := []any{working, facts, working, working}
	in := func(column string, values []string) {
		if len(values) > 0 {
			where += fmt.Sprintf(" AND kr.%s IN (%s)", column, placeholders(len(values)))
			args = append(args, anys(values)...)
		}
	}
	tagged := func(prefix string, values []string) {
		if len(values) > 0 {
			where += fmt.Sprintf(" AND EXISTS (SELECT 1 FROM pishkhan_kpi_tags t WHERE t.tbl = kr.tbl AND t.id = kr.id AND t.tag IN (%s))", placeholders(len(values)))
			for _, v := range values {
				args = append(args, prefix+v)
			}
		}
	}
	in("type", filters.Types)
	in("channel", filters.Channels)
	tagged("g:", filters.Departments)
	tagged("a:", filters.Agents)

	// The requests selected, as mongostore's plain query selects them:
	// those with a day in the period, and those created before it and
	// not resolved before it; then their days up to the period's end,
	// each figure summed per day. The period's days and the open or
	// lately resolved requests come from indexes; CROSS JOIN keeps SQLite
	// from starting with all the days instead.
	q := fmt.Sprintf(`WITH sel(tbl, id) AS (
			SELECT tbl, id FROM pishkhan_kpi_days WHERE d >= ? AND d <= ?
			UNION
			SELECT tbl, id FROM pishkhan_kpi_requests WHERE tbl IN (?, ?) AND resolved = '' AND created < ?
			UNION
			SELECT tbl, id FROM pishkhan_kpi_requests WHERE tbl IN (?, ?) AND resolved >= ? AND created < ?)
		SELECT kd.d, e.key, sum(e.value) FROM sel
			CROSS JOIN pishkhan_kpi_requests kr ON kr.tbl = sel.tbl AND kr.id = sel.id
			CROSS JOIN pishkhan_kpi_days kd ON kd.tbl = sel.tbl AND kd.id = sel.id,
			json_each(kd.facts) AS e
		WHERE kd.d <= ? AND e.type = 'integer' AND e.key IN (%s) AND %s
		GROUP BY kd.d, e.key ORDER BY kd.d`, placeholders(len(cmd.Sums)), where)
	params := []any{cmd.From, cmd.To, working, facts, cmd.From, working, facts, cmd.From, cmd.From, cmd.To}
	params = append(append(params, anys(cmd.Sums)...), args...)
	rows, err := db.QueryContext(ctx, q, params...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	days := bson.A{}
	var day bson.D
	for rows.Next() {
		var d, key string
		var sum int64
		if err := rows.Scan(&d, &key, &sum); err != nil {
			return nil, err
		}
		if len(day) == 0 || day[0].Value != d {
			if len(day) > 0 {
				days = append(days, day)
			}
			day = bson.D{{Key: "d", Value: d}}
		}
		day = append(day, bson.E{Key: key, Value: sum})
	}
	if len(day) > 0 {
		days = append(days, day)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return bson.D{{Key: "days", Value: days}}, nil
}
