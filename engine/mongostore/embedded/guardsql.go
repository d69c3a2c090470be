package embedded

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// A guarded write's conditions are checked first in SQLite itself: the
// document's row is found through the _id lookup index (idindex.go) and
// only the condition fields are taken out of its JSON, with the types
// FerretDB records beside them ($s.p.<field>.t). Reading the document
// through FerretDB decoded all of it in Go, which cost as much as the
// write it guarded. Whatever this cannot decide for sure (an unusual _id
// or field name, an array, a double's precision) goes to the FerretDB
// lookup as before. The front holds writes off while it checks, and
// SQLite in WAL mode shows a reader every write FerretDB has committed,
// so the check sees the document the write will change.

// checkGuarded reports whether the document a guarded write names meets
// its conditions, from SQLite; errUndecided if it cannot tell.
func (s *sideStore) checkGuarded(g *guardedWrite) (bool, error) {
	id, ok := g.id.StringValueOK()
	if !ok || !plainName(id, true) {
		return false, errUndecided
	}
	cols := make([]string, 0, 2*len(g.conds))
	for _, c := range g.conds {
		if !plainName(c.Key(), false) {
			return false, errUndecided
		}
		cols = append(cols,
			fmt.Sprintf(`json_extract(_ferretdb_sjson, '$."$s".p.%s.t')`, c.Key()),
			fmt.Sprintf(`json_extract(_ferretdb_sjson, '$.%s')`, c.Key()))
	}
	ctx := context.Background()
	db, err := s.open(g.db)
	if err != nil {
		return false, errUndecided
	}
	ts, err := tables(ctx, db, g.coll)
	if err != nil || ts[0] == "" {
		return false, errUndecided
	}
	key, err := json.Marshal(id)
	if err != nil {
		return false, errUndecided
	}
	q := fmt.Sprintf(`SELECT %s FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, strings.Join(cols, ", "), ts[0])
	rows, err := db.QueryContext(ctx, q, string(key))
	if err != nil {
		return false, errUndecided
	}
	defer rows.Close()
	if !rows.Next() {
		if rows.Err() != nil {
			return false, errUndecided
		}
		return false, nil // no such document
	}
	got := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range got {
		ptrs[i] = &got[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return false, errUndecided
	}
	for i, c := range g.conds {
		typ, _ := got[2*i].(string)
		ok, err := storedEquals(c.Value(), typ, got[2*i+1])
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// storedEquals reports whether a stored value of FerretDB type typ ("" for
// a missing field), as SQLite gives it out of the JSON, equals want, as
// MongoDB's equality has it.
func storedEquals(want bson.RawValue, typ string, got any) (bool, error) {
	switch typ {
	case "":
		return false, nil // missing: equality with a non-null value fails
	case "string", "objectId", "bool", "date", "int", "long", "null", "binData", "regex", "timestamp", "object":
	default:
		return false, errUndecided // an array may contain it; a double may round
	}
	switch want.Type {
	case bson.TypeString:
		s, ok := got.(string)
		return typ == "string" && ok && s == want.StringValue(), nil
	case bson.TypeInt32, bson.TypeInt64:
		w, _ := asInt(want)
		n, ok := got.(int64)
		return (typ == "int" || typ == "long") && ok && n == w, nil
	case bson.TypeBoolean:
		n, ok := got.(int64)
		return typ == "bool" && ok && (n != 0) == want.Boolean(), nil
	case bson.TypeDateTime:
		n, ok := got.(int64)
		return typ == "date" && ok && n == want.DateTime(), nil
	}
	return false, errUndecided
}

// plainName is a name made only of letters, digits, _ and (with dash) -:
// it needs no escaping in JSON and, without dashes, no quoting in a JSON
// path.
func plainName(s string, dash bool) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', dash && r == '-':
		default:
			return false
		}
	}
	return true
}
