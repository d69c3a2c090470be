package mongostore

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore/embedded"
)

// Fast paths on the embedded store. The inbox's and a KPI query's filters
// are not ones FerretDB v1 hands to SQLite, so on the embedded store they
// would read every open request, or every KPI fact ever filed. The
// embedded store answers two commands of its own for them from side
// tables SQLite keeps with triggers (embedded/sidetables.go). Where the
// server does not know them (a real MongoDB, which has the indexes
// EnsureIndexes creates) the store runs its usual queries, and it does so
// too whenever a fast command fails. Both ways give the same results:
// TestFastPathsMatchPlainQueries compares them.

// fastState says whether the server answers the fast commands.
const (
	fastUnknown int32 = iota
	fastYes
	fastNo
)

// fastFetchers is how many documents the inbox's fast path reads at once.
const fastFetchers = 4

// commandNotFound is the server's code for a command it does not know.
const commandNotFound = 59

// runFast runs one of the embedded store's own commands into out; false
// if the server does not have it (remembered) or it failed.
func (s *Store) runFast(ctx context.Context, cmd bson.D, out any) bool {
	if s.fast.Load() == fastNo {
		return false
	}
	err := s.db.RunCommand(ctx, cmd).Decode(out)
	var ce mongo.CommandError
	switch {
	case err == nil:
		s.fast.Store(fastYes)
		return true
	case errors.As(err, &ce) && ce.Code == commandNotFound:
		s.fast.Store(fastNo)
	case ctx.Err() == nil:
		// The plain query gives the same answer, slower; say why.
		slog.Warn("mongostore: fast path failed; running the plain query", "command", cmd[0].Key, "error", err)
	}
	return false
}

// indexesServeQueries reports whether the server's indexes serve queries:
// not on the embedded store, which says so when asked (CommandStore); on
// any other server, which does not know the command, they do. If asking
// fails otherwise, they are taken to serve (an index too many is only
// slower) and it asks again next time.
func (s *Store) indexesServeQueries(ctx context.Context) bool {
	if v := s.serves.Load(); v != fastUnknown {
		return v == fastYes
	}
	var reply struct {
		QueryIndexes *bool `bson:"queryIndexes"`
	}
	err := s.db.RunCommand(ctx, bson.D{{Key: embedded.CommandStore, Value: 1}}).Decode(&reply)
	var ce mongo.CommandError
	switch {
	case err == nil && reply.QueryIndexes != nil && !*reply.QueryIndexes:
		s.serves.Store(fastNo)
		return false
	case err == nil, errors.As(err, &ce) && ce.Code == commandNotFound:
		s.serves.Store(fastYes)
	}
	return true
}

// SetFastPaths turns the fast paths off (false) or back on (true, the
// default): tests compare them with the plain queries on the same data.
func (s *Store) SetFastPaths(on bool) {
	if on {
		s.fast.Store(fastUnknown)
	} else {
		s.fast.Store(fastNo)
	}
}

// requestsWithTasksFast is RequestsWithTasks from the embedded store's
// side tables: the ids of the requests, then each read by _id (which
// FerretDB looks up in SQLite) and checked again, since it may have
// changed since.
func (s *Store) requestsWithTasksFast(ctx context.Context, user string, groups []string, limit int) ([]*engine.Request, bool, error) {
	var reply struct {
		IDs []string `bson:"ids"`
	}
	cmd := bson.D{{Key: embedded.CommandTaskHolders, Value: collRequests}, {Key: "user", Value: user},
		{Key: "groups", Value: groups}, {Key: "limit", Value: int64(limit)}}
	if !s.runFast(ctx, cmd, &reply) {
		return nil, false, nil
	}
	found := make([]*engine.Request, len(reply.IDs))
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, fastFetchers)
	for w := range fastFetchers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(reply.IDs); i = int(next.Add(1) - 1) {
				var r engine.Request
				err := s.requests.FindOne(ctx, bson.D{{Key: "_id", Value: reply.IDs[i]}}).Decode(&r)
				if errors.Is(err, mongo.ErrNoDocuments) {
					continue // archived since
				}
				if err != nil {
					errs[w] = storeErr(err)
					return
				}
				if slices.Contains(r.TaskUsers, user) || slices.ContainsFunc(r.TaskGroups, func(g string) bool { return slices.Contains(groups, g) }) {
					found[i] = &r
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, true, err
	}
	return slices.DeleteFunc(found, func(r *engine.Request) bool { return r == nil }), true, nil
}

// kpiDaysFast is KPIDays from the embedded store's side tables.
func (s *Store) kpiDaysFast(ctx context.Context, p *engine.KPIDaysParams) ([]engine.KPIDay, bool) {
	channels := make([]string, len(p.Channels))
	for i, c := range p.Channels {
		channels[i] = string(c)
	}
	var reply struct {
		Days []engine.KPIDay `bson:"days"`
	}
	cmd := bson.D{{Key: embedded.CommandKPIDays, Value: collRequests}, {Key: "facts", Value: collArchiveKPIs},
		{Key: "from", Value: p.From}, {Key: "to", Value: p.To}, {Key: "types", Value: p.Types}, {Key: "channels", Value: channels},
		{Key: "departments", Value: p.Departments}, {Key: "agents", Value: p.Agents}, {Key: "sums", Value: kpiSums}}
	if !s.runFast(ctx, cmd, &reply) {
		return nil, false
	}
	return reply.Days, true
}

// requestsDueFast is RequestsDue from the embedded store's index of due
// times; its next time may be earlier than the plain query's (see
// embedded.CommandDue), which only wakes the poller once more.
func (s *Store) requestsDueFast(ctx context.Context, dueField, leaseField string, now time.Time, limit int) ([]string, *time.Time, bool) {
	var reply struct {
		IDs  []string   `bson:"ids"`
		Next *time.Time `bson:"next"`
	}
	cmd := bson.D{{Key: embedded.CommandDue, Value: collRequests}, {Key: "due", Value: dueField}, {Key: "lease", Value: leaseField},
		{Key: "now", Value: now}, {Key: "limit", Value: int64(limit)}}
	if !s.runFast(ctx, cmd, &reply) {
		return nil, nil, false
	}
	return reply.IDs, reply.Next, true
}

// RequestInsertNotifying implements engine.NotifyingStore with the
// embedded store's insert-all (embedded/insertall.go); any other server
// does not have it.
func (s *Store) RequestInsertNotifying(ctx context.Context, r *engine.Request, notes []*engine.Notification) error {
	doc, err := s.requestDoc(r)
	if err != nil {
		return err
	}
	_, err = s.insertAll(ctx, nil, append(bson.A{bson.D{{Key: "collection", Value: s.requests.Name()}, {Key: "document", Value: bson.Raw(doc)}}}, notesOf(notes)...))
	if err == nil {
		s.recent.put(r.ID, doc)
	}
	return err
}

// RequestUpdateNotifying implements engine.NotifyingStore with the
// embedded store's insert-all, its update the one RequestUpdate makes.
func (s *Store) RequestUpdateNotifying(ctx context.Context, r *engine.Request, expect int64, release engine.Lease, notes []*engine.Notification) error {
	doc, filter, update, err := s.requestUpdate(r, expect, release)
	if err != nil {
		return err
	}
	matched, err := s.insertAll(ctx, bson.D{{Key: "collection", Value: s.requests.Name()}, {Key: "q", Value: filter}, {Key: "u", Value: update}}, notesOf(notes))
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return err
	case err != nil:
		s.recent.forget(r.ID)
		return err
	case !matched:
		return s.overtaken(r.ID, expect)
	}
	s.recent.put(r.ID, doc)
	return nil
}

// notesOf is notes as an insert-all's documents.
func notesOf(notes []*engine.Notification) bson.A {
	var docs bson.A
	for _, n := range notes {
		docs = append(docs, bson.D{{Key: "collection", Value: collNotifications}, {Key: "document", Value: bson.D{
			{Key: "_id", Value: n.ID}, {Key: "user", Value: n.User}, {Key: "request", Value: n.Request}, {Key: "event", Value: n.Event},
			{Key: "subject", Value: n.Subject}, {Key: "body", Value: n.Body}, {Key: "language", Value: n.Language}, {Key: "at", Value: n.At},
		}}})
	}
	return docs
}

// insertAll runs the embedded store's insert-all of docs, after update if
// it is not nil, and reports whether the update matched;
// errors.ErrUnsupported if the server does not have the command or the
// front declined it (nothing written).
func (s *Store) insertAll(ctx context.Context, update bson.D, docs bson.A) (bool, error) {
	if s.together.Load() == fastNo {
		return false, errors.ErrUnsupported
	}
	cmd := bson.D{{Key: embedded.CommandInsertAll, Value: 1}}
	if update != nil {
		cmd = append(cmd, bson.E{Key: "update", Value: update})
	}
	cmd = append(cmd, bson.E{Key: "documents", Value: docs})
	if engine.IsAtLeastOnce(ctx) {
		cmd = append(cmd, bson.E{Key: "writeConcern", Value: bson.D{{Key: "w", Value: 1}, {Key: "j", Value: false}}})
	}
	var reply struct {
		NMatched *int32 `bson:"nMatched"`
	}
	err := s.db.RunCommand(ctx, cmd).Decode(&reply)
	var ce mongo.CommandError
	switch {
	case err == nil:
		s.together.Store(fastYes)
		return update == nil || reply.NMatched != nil && *reply.NMatched == 1, nil
	case errors.As(err, &ce) && ce.Code == commandNotFound:
		s.together.Store(fastNo)
		return false, errors.ErrUnsupported
	case errors.As(err, &ce) && ce.Code == embedded.CodeInsertAllDeclined:
		return false, errors.ErrUnsupported
	}
	return false, storeErr(err)
}
