// Package mongostore implements engine.Store on MongoDB through
// go.mongodb.org/mongo-driver/v2. The same code serves a real MongoDB (a
// replica set or a sharded cluster in production) and the embedded FerretDB
// that `pishkhan` starts by default: nothing here knows which it talks to.
//
// Every engine operation is one single-document command, so no transaction
// is ever needed. Hot paths are lookups and writes by _id, which every
// MongoDB-compatible server serves from its primary index: a request's _id
// is its tracking code, a definition's is "kind/key" and a version's is
// "kind/key/NNNNNNNN" (zero-padded, so that an _id range lists one
// definition's versions in order).
package mongostore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
)

// Collection names.
const (
	collDefinitions = "definitions"
	collVersions    = "definitionVersions"
	collCounters    = "counters"
	collRequests    = "requests"
	// collArchive holds closed requests, so that the working collection,
	// which every step, timer and queue query touches, holds open ones.
	collArchive   = "requestsArchive"
	collCustomers = "customers"
)

// Store is engine.Store on one MongoDB database.
type Store struct {
	db          *mongo.Database
	definitions *mongo.Collection
	versions    *mongo.Collection
	counters    *mongo.Collection
	requests    *mongo.Collection
	archive     *mongo.Collection
	archiveKPIs *mongo.Collection
	customers   *mongo.Collection
	files       *mongo.Collection
	chunks      *mongo.Collection
	articles    *mongo.Collection

	// probe asks once whether the server sums every accumulator of a
	// $group (sumAll; see kpis.go).
	probe  sync.Once
	sumAll bool

	// node names this process in the leases its claims take (UseNode).
	node string
	// fast says whether the server answers the embedded store's own
	// commands (fastpaths.go).
	fast atomic.Int32
	// serves says whether the server's indexes serve queries (fastYes,
	// fastNo; fastUnknown until asked).
	serves atomic.Int32
	// together says whether the server writes a request and its
	// notifications in one insert (fastUnknown until tried, fastNo once
	// it answered that it has no such command).
	together atomic.Int32
	// recent holds the requests this process wrote last (recent.go).
	recent recentDocs
}

var _ engine.Store = (*Store)(nil)

// ClientOptions are the driver options Pishkhan's documents need: embedded
// documents decode as plain maps so that form data round-trips to JSON.
func ClientOptions(uri string) *options.ClientOptions {
	return options.Client().ApplyURI(uri).
		SetBSONOptions(&options.BSONOptions{DefaultDocumentMap: true, NilSliceAsEmpty: true}).
		SetAppName("pishkhan")
}

// New returns a Store on db. Call EnsureIndexes once at start-up.
func New(db *mongo.Database) *Store {
	return &Store{
		db:          db,
		definitions: db.Collection(collDefinitions),
		versions:    db.Collection(collVersions),
		counters:    db.Collection(collCounters),
		requests:    db.Collection(collRequests),
		archive:     db.Collection(collArchive),
		archiveKPIs: db.Collection(collArchiveKPIs),
		customers:   db.Collection(collCustomers),
		files:       db.Collection(collFiles),
		chunks:      db.Collection(collChunks),
		articles:    db.Collection(collArticles),
	}
}

// unjournaled is the write concern of AtLeastOnce writes: acknowledged
// before they are on disk.
var unjournaled = &writeconcern.WriteConcern{W: 1, Journal: new(false)}

// writes is coll for a write made with ctx: unjournaled if ctx is marked
// engine.AtLeastOnce.
func (s *Store) writes(ctx context.Context, coll *mongo.Collection) *mongo.Collection {
	if !engine.IsAtLeastOnce(ctx) {
		return coll
	}
	return coll.Clone(options.Collection().SetWriteConcern(unjournaled))
}

// indexNotFound is the server's code for dropping an index that is not
// there.
const indexNotFound = 27

// createIndex creates model on coll unless an index of its name is there
// already. Listing is a read; a createIndexes, even of an index that
// exists, is a write that FerretDB serves under its exclusive metadata
// lock, waiting for the queries in flight and holding up those behind it:
// a process started against a busy embedded store spent up to 30 s on its
// two dozen, enough to give up starting.
//
// On a store whose indexes serve no queries (the embedded store: FerretDB
// v1 hands SQLite no filter but one on _id), only a unique index does
// anything, and every other costs each write its upkeep: a step on a
// request kept thirteen such indexes up to date. There it is not created,
// and dropped if an earlier version made it (another process starting at
// the same time may have dropped it first).
func (s *Store) createIndex(ctx context.Context, coll *mongo.Collection, model mongo.IndexModel) error {
	var opts options.IndexOptions
	if model.Options != nil {
		for _, set := range model.Options.List() {
			_ = set(&opts)
		}
	}
	serves := opts.Unique != nil && *opts.Unique || s.indexesServeQueries(ctx)
	if specs, err := coll.Indexes().ListSpecifications(ctx); err == nil {
		for _, spec := range specs {
			if opts.Name == nil || spec.Name != *opts.Name {
				continue
			}
			if serves {
				return nil
			}
			var ce mongo.CommandError
			if err := coll.Indexes().DropOne(ctx, spec.Name); err != nil && !(errors.As(err, &ce) && ce.Code == indexNotFound) {
				return err
			}
			slog.Info("mongostore: index dropped; on this store it serves no query", "collection", coll.Name(), "index", spec.Name)
			return nil
		}
	}
	if !serves {
		return nil
	}
	// Not there, or the collection is not (listing it fails on MongoDB).
	// Building it reads the whole collection: minutes for a million
	// archived requests when an upgrade brings a new index.
	start := time.Now()
	name, err := coll.Indexes().CreateOne(ctx, model)
	if took := time.Since(start); took > time.Second {
		slog.Info("mongostore: index built", "collection", coll.Name(), "index", name, "took", took.Round(time.Millisecond))
	}
	return err
}

// namespaceExists is the server's code for a collection made already.
const namespaceExists = 48

// EnsureIndexes creates the indexes the engine's queries need beyond _id.
// It is idempotent and safe to run from several processes at once.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	// The collections a submission writes are made now, where their
	// indexes do not make them (the embedded store writes a new request
	// and its notifications together only into collections that are
	// there).
	for _, name := range []string{s.requests.Name(), collNotifications} {
		var ce mongo.CommandError
		if err := s.db.CreateCollection(ctx, name); err != nil && !(errors.As(err, &ce) && ce.Code == namespaceExists) {
			return fmt.Errorf("mongostore: create collection %s: %w", name, err)
		}
	}
	err := s.createIndex(ctx, s.versions, mongo.IndexModel{
		// Guards version numbers independently of how _id is spelt, and
		// serves "versions of a definition, newest first".
		Keys:    bson.D{{Key: "kind", Value: 1}, {Key: "key", Value: 1}, {Key: "version", Value: -1}},
		Options: options.Index().SetUnique(true).SetName("kind_key_version"),
	})
	if err != nil {
		return fmt.Errorf("mongostore: create indexes: %w", err)
	}
	// One index per access path into the working collection: the timer
	// poller and the outbox dispatcher look for due times, callbacks for
	// correlation keys, the inbox for task holders.
	// One at a time: FerretDB v1 crashes on a createIndexes of several
	// indexes that already exist.
	for _, field := range []string{"due", "outboxDue", "waitKeys", "received", "taskUsers", "taskGroups", "closed", "owner"} {
		model := mongo.IndexModel{Keys: bson.D{{Key: field, Value: 1}}, Options: options.Index().SetName(field)}
		if err := s.createIndex(ctx, s.requests, model); err != nil {
			return fmt.Errorf("mongostore: create request index %s: %w", field, err)
		}
	}
	if err := s.createIndex(ctx, s.archive, mongo.IndexModel{Keys: bson.D{{Key: "received", Value: 1}}, Options: options.Index().SetName("received")}); err != nil {
		return fmt.Errorf("mongostore: create archive index: %w", err)
	}
	if err := s.ensureNotificationIndexes(ctx); err != nil {
		return err
	}
	if err := s.ensureListIndexes(ctx); err != nil {
		return err
	}
	if err := s.ensureKPIIndexes(ctx); err != nil {
		return err
	}
	for _, field := range []string{"email", "phone"} {
		if err := s.createIndex(ctx, s.customers, mongo.IndexModel{Keys: bson.D{{Key: field, Value: 1}}, Options: options.Index().SetName(field)}); err != nil {
			return fmt.Errorf("mongostore: create customer index %s: %w", field, err)
		}
	}
	if err := s.ensureFileIndexes(ctx); err != nil {
		return err
	}
	return s.ensureArticleIndexes(ctx)
}

// Database is the database the store writes to.
func (s *Store) Database() *mongo.Database { return s.db }

// Ping asks the server to answer.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.Client().Ping(ctx, nil)
}

type definitionDoc struct {
	ID            string     `bson:"_id"`
	Kind          string     `bson:"kind"`
	Key           string     `bson:"key"`
	Title         forms.Text `bson:"title"`
	Category      string     `bson:"category"`
	Draft         string     `bson:"draft"` // JSON text: schemas have "$" keys a document may not
	Revision      int64      `bson:"revision"`
	UpdatedAt     time.Time  `bson:"updatedAt"`
	LatestVersion int        `bson:"latestVersion"`
	PublishedAt   *time.Time `bson:"publishedAt,omitempty"`
}

func (d *definitionDoc) definition() *engine.Definition {
	def := &engine.Definition{
		Kind: engine.Kind(d.Kind), Key: d.Key, Title: d.Title, Category: d.Category,
		Revision: d.Revision, UpdatedAt: d.UpdatedAt, LatestVersion: d.LatestVersion, PublishedAt: d.PublishedAt,
	}
	if d.Draft != "" { // lists leave it out
		def.Draft = json.RawMessage(d.Draft)
	}
	return def
}

func definitionID(kind engine.Kind, key string) string { return string(kind) + "/" + key }

func versionID(kind engine.Kind, key string, n int) string {
	return fmt.Sprintf("%s/%s/%08d", kind, key, n)
}

// DefinitionGet implements engine.Store.
func (s *Store) DefinitionGet(ctx context.Context, kind engine.Kind, key string) (*engine.Definition, error) {
	var doc definitionDoc
	if err := s.definitions.FindOne(ctx, bson.D{{Key: "_id", Value: definitionID(kind, key)}}).Decode(&doc); err != nil {
		return nil, storeErr(err)
	}
	return doc.definition(), nil
}

// DefinitionPutDraft implements engine.Store.
func (s *Store) DefinitionPutDraft(ctx context.Context, p *engine.DefinitionPutDraftParams) (*engine.Definition, error) {
	if p.ExpectRevision == engine.DraftCreateOnly {
		doc := definitionDoc{ID: definitionID(p.Kind, p.Key), Kind: string(p.Kind), Key: p.Key, Title: p.Title, Category: p.Category,
			Draft: string(p.Body), Revision: 1, UpdatedAt: p.Now}
		_, err := s.definitions.InsertOne(ctx, doc)
		if mongo.IsDuplicateKeyError(err) {
			return nil, fmt.Errorf("%s %q exists already: %w", p.Kind, p.Key, engine.ErrPreconditionFailed)
		}
		if err != nil {
			return nil, storeErr(err)
		}
		return doc.definition(), nil
	}
	filter := bson.D{{Key: "_id", Value: definitionID(p.Kind, p.Key)}}
	if p.ExpectRevision != 0 {
		filter = append(filter, bson.E{Key: "revision", Value: p.ExpectRevision})
	}
	update := bson.D{
		{Key: "$set", Value: bson.D{{Key: "title", Value: p.Title}, {Key: "category", Value: p.Category}, {Key: "draft", Value: string(p.Body)}, {Key: "updatedAt", Value: p.Now}}},
		{Key: "$inc", Value: bson.D{{Key: "revision", Value: int64(1)}}},
		{Key: "$setOnInsert", Value: bson.D{{Key: "kind", Value: string(p.Kind)}, {Key: "key", Value: p.Key}, {Key: "latestVersion", Value: 0}}},
	}
	opts := options.FindOneAndUpdate().SetReturnDocument(options.After).SetUpsert(p.ExpectRevision == 0)
	for attempt := 0; ; attempt++ {
		var doc definitionDoc
		err := s.definitions.FindOneAndUpdate(ctx, filter, update, opts).Decode(&doc)
		switch {
		case err == nil:
			return doc.definition(), nil
		case errors.Is(err, mongo.ErrNoDocuments):
			return nil, fmt.Errorf("draft revision %d is not the current one: %w", p.ExpectRevision, engine.ErrPreconditionFailed)
		case mongo.IsDuplicateKeyError(err) && attempt == 0:
			// Two first saves raced to insert; the loser updates instead.
			continue
		}
		return nil, storeErr(err)
	}
}

// DefinitionList implements engine.Store.
func (s *Store) DefinitionList(ctx context.Context, p *engine.DefinitionListParams) ([]*engine.Definition, error) {
	prefix := string(p.Kind) + "/"
	filter := bson.D{{Key: "_id", Value: bson.D{
		{Key: "$gt", Value: prefix + p.After},
		{Key: "$lt", Value: string(p.Kind) + "0"}, // '0' sorts right after '/'
	}}}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(p.Limit)).
		SetProjection(bson.D{{Key: "draft", Value: 0}})
	return findAll(ctx, s.definitions, filter, opts, (*definitionDoc).definition)
}

// DefinitionSetLatest implements engine.Store.
func (s *Store) DefinitionSetLatest(ctx context.Context, p *engine.DefinitionSetLatestParams) error {
	_, err := s.definitions.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: definitionID(p.Kind, p.Key)}},
		bson.D{
			{Key: "$max", Value: bson.D{{Key: "latestVersion", Value: p.Version}, {Key: "publishedAt", Value: p.At}}},
		})
	return storeErr(err)
}

type versionDoc struct {
	ID            string              `bson:"_id"`
	Kind          string              `bson:"kind"`
	Key           string              `bson:"key"`
	Version       int                 `bson:"version"`
	Title         forms.Text          `bson:"title"`
	Body          string              `bson:"body,omitempty"`
	Fragments     []forms.FragmentRef `bson:"fragments"`
	Form          *engine.FormRef     `bson:"form,omitempty"`
	DraftRevision int64               `bson:"draftRevision"`
	PublishedAt   time.Time           `bson:"publishedAt"`
}

// VersionInsert implements engine.Store.
func (s *Store) VersionInsert(ctx context.Context, v *engine.Version) error {
	_, err := s.versions.InsertOne(ctx, versionDoc{
		ID: versionID(v.Kind, v.Key, v.Number), Kind: string(v.Kind), Key: v.Key, Version: v.Number,
		Title: v.Title, Body: string(v.Body), Fragments: v.Fragments, Form: v.Form, DraftRevision: v.DraftRevision, PublishedAt: v.PublishedAt,
	})
	return storeErr(err)
}

func (d *versionDoc) version() *engine.Version {
	v := &engine.Version{
		Kind: engine.Kind(d.Kind), Key: d.Key, Number: d.Version, Title: d.Title,
		Fragments: d.Fragments, Form: d.Form, DraftRevision: d.DraftRevision, PublishedAt: d.PublishedAt,
	}
	if d.Body != "" {
		v.Body = json.RawMessage(d.Body)
	}
	return v
}

// VersionGet implements engine.Store.
func (s *Store) VersionGet(ctx context.Context, kind engine.Kind, key string, number int) (*engine.Version, error) {
	var doc versionDoc
	if err := s.versions.FindOne(ctx, bson.D{{Key: "_id", Value: versionID(kind, key, number)}}).Decode(&doc); err != nil {
		return nil, storeErr(err)
	}
	return doc.version(), nil
}

// VersionList implements engine.Store.
func (s *Store) VersionList(ctx context.Context, p *engine.VersionListParams) ([]*engine.Version, error) {
	prefix := definitionID(p.Kind, p.Key) + "/"
	upper := definitionID(p.Kind, p.Key) + "0"
	if p.Before > 0 {
		upper = versionID(p.Kind, p.Key, p.Before)
	}
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: prefix}, {Key: "$lt", Value: upper}}}}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(p.Limit)).
		SetProjection(bson.D{{Key: "body", Value: 0}})
	return findAll(ctx, s.versions, filter, opts, (*versionDoc).version)
}

const definitionsCounter = "definitions"

// ChangeCounterGet implements engine.Store.
func (s *Store) ChangeCounterGet(ctx context.Context) (int64, error) {
	var doc struct {
		Seq int64 `bson:"seq"`
	}
	err := s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: definitionsCounter}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	return doc.Seq, storeErr(err)
}

// ChangeCounterBump implements engine.Store.
func (s *Store) ChangeCounterBump(ctx context.Context) error {
	_, err := s.counters.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: definitionsCounter}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: int64(1)}}}},
		options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		// Lost the race to create the counter: it exists now.
		return s.ChangeCounterBump(ctx)
	}
	return storeErr(err)
}

// RequestInsert implements engine.Store.
func (s *Store) RequestInsert(ctx context.Context, r *engine.Request) error {
	doc, err := s.requestDoc(r)
	if err != nil {
		return err
	}
	if _, err := s.requests.InsertOne(ctx, bson.Raw(doc)); err != nil {
		return storeErr(err)
	}
	s.recent.put(r.ID, doc) // the next step starts from it
	return nil
}

// requestDoc encodes a new request as it is inserted.
func (s *Store) requestDoc(r *engine.Request) ([]byte, error) {
	doc, err := encodeRequest(r)
	if err != nil {
		return nil, fmt.Errorf("mongostore: encode request: %w", err)
	}
	if s.node != "" && !r.OutboxLease.IsZero() {
		// A request stored leased to its process's dispatcher (the
		// engine's holdOutbox) names the holder, as a claim does.
		doc = append(bsoncore.AppendStringElement(doc[:len(doc)-1], leaseHolders["outboxLease"], s.node), 0)
		doc = bsoncore.UpdateLength(doc, 0, int32(len(doc)))
	}
	return doc, nil
}

// RequestGet implements engine.Store.
func (s *Store) RequestGet(ctx context.Context, id string) (*engine.Request, error) {
	var r engine.Request
	err := s.requests.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		err = s.archive.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r)
		r.Archived = err == nil
	}
	if err != nil {
		return nil, storeErr(err)
	}
	return &r, nil
}

// RequestArchive implements engine.Store.
func (s *Store) RequestArchive(ctx context.Context, r *engine.Request) error {
	// An insert costs the same however large the archive grows (on the
	// embedded store an upsert would read all of it); a copy already there
	// is from an interrupted move or an earlier closing, and is replaced.
	if _, err := s.archive.InsertOne(ctx, r); mongo.IsDuplicateKeyError(err) {
		_, err = s.archive.ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.ID}}, r)
		if err != nil {
			return storeErr(err)
		}
	} else if err != nil {
		return storeErr(err)
	}
	if err := s.fileKPIs(ctx, r); err != nil {
		return err
	}
	s.recent.forget(r.ID)
	res, err := s.requests.DeleteOne(ctx, bson.D{{Key: "_id", Value: r.ID}, {Key: "revision", Value: r.Revision}})
	if err != nil {
		return storeErr(err)
	}
	if res.DeletedCount == 0 {
		// A write came first (a reopening): the request stays open in the
		// working collection, where its KPIs are counted; withdraw the
		// facts just filed, or they would count a second time.
		_, err = s.archiveKPIs.DeleteOne(ctx, bson.D{{Key: "_id", Value: r.ID}, {Key: "revision", Value: r.Revision}})
	}
	return storeErr(err)
}

// RequestsToArchive implements engine.Store.
func (s *Store) RequestsToArchive(ctx context.Context, limit int) ([]*engine.Request, error) {
	return s.findRequests(ctx, bson.D{{Key: "closed", Value: true}, {Key: "outboxDue", Value: nil}}, options.Find().SetLimit(int64(limit)))
}

// leaseFields are written only by the claims and by the update that
// releases a claim, so that a step never overwrites another process's
// lease with the value it read.
var leaseFields = map[engine.Lease]string{engine.LeaseTimers: "lease", engine.LeaseOutbox: "outboxLease"}

// leaseHolders name, per lease field, the field a claim writes the
// claiming process's node name into (UseNode).
var leaseHolders = map[string]string{"lease": "leaseBy", "outboxLease": "outboxLeaseBy"}

// UseNode names this process in the leases its claims take, so that the
// process, started again after a crash under the same name, gives back at
// start what its earlier life held (ReleaseNodeLeases) instead of leaving
// those timers and outbox items until the leases run out (up to a
// minute). A name must not be shared by two live processes; if it is, one
// may release the other's leases, which costs only the lease's
// exclusivity (an item may be sent twice, under the same idempotency key,
// as after any crash): every step is still guarded by the revision, so
// none is applied twice.
func (s *Store) UseNode(name string) { s.node = name }

// ReleaseNodeLeases gives back every lease still running at now that was
// taken under this store's node name, and returns how many it gave back.
// A process calls it at start, before it claims anything: what its name
// holds then, an earlier life of it that was killed took.
func (s *Store) ReleaseNodeLeases(ctx context.Context, now time.Time) (int64, error) {
	if s.node == "" {
		return 0, nil
	}
	var released int64
	for _, field := range leaseFields {
		res, err := s.requests.UpdateMany(ctx,
			bson.D{{Key: leaseHolders[field], Value: s.node}, {Key: field, Value: bson.D{{Key: "$gt", Value: now}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: field, Value: time.Time{}}}}})
		if err != nil {
			return released, storeErr(err)
		}
		released += res.ModifiedCount
	}
	return released, nil
}

// claimSet is the $set of a claim of leaseField until until.
func (s *Store) claimSet(leaseField string, until time.Time) bson.D {
	set := bson.D{{Key: leaseField, Value: until}}
	if s.node != "" {
		set = append(set, bson.E{Key: leaseHolders[leaseField], Value: s.node})
	}
	return bson.D{{Key: "$set", Value: set}}
}

// RequestUpdate implements engine.Store: one update guarded by the
// revision the step read.
func (s *Store) RequestUpdate(ctx context.Context, r *engine.Request, expect int64, release engine.Lease) error {
	doc, filter, update, err := s.requestUpdate(r, expect, release)
	if err != nil {
		return err
	}
	// updateOne with the revision in its filter is as atomic as
	// findOneAndUpdate and does not send the document back (FerretDB v1
	// cannot project a findAndModify's answer).
	res, err := s.writes(ctx, s.requests).UpdateOne(ctx, filter, update)
	if err != nil {
		s.recent.forget(r.ID)
		return storeErr(err)
	}
	if res.MatchedCount == 0 {
		return s.overtaken(r.ID, expect)
	}
	s.recent.put(r.ID, doc)
	return nil
}

// requestUpdate is RequestUpdate's write: the request encoded, and the
// filter and update that store it over revision expect.
func (s *Store) requestUpdate(r *engine.Request, expect int64, release engine.Lease) (doc []byte, filter, update bson.D, err error) {
	// Encoded as an insert is, so a request is stored alike whichever
	// write made it (an empty list as [], not null).
	doc, err = encodeRequest(r)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("mongostore: encode request: %w", err)
	}
	skip := []string{"_id", "lease", "outboxLease"}
	set, unset, err := requestChanges(s.recent.get(r.ID), doc, r.Revision, expect, skip)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("mongostore: encode request: %w", err)
	}
	if f, ok := leaseFields[release]; ok {
		set = append(set, bson.E{Key: f, Value: time.Time{}})
	}
	update = bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	return doc, bson.D{{Key: "_id", Value: r.ID}, {Key: "revision", Value: expect}}, update, nil
}

// overtaken is the error of an update of request id that found it no
// longer at revision expect.
func (s *Store) overtaken(id string, expect int64) error {
	s.recent.forget(id)
	return fmt.Errorf("request %s is no longer at revision %d: %w", id, expect, engine.ErrPreconditionFailed)
}

// requestChanges are the $set and $unset that make the stored request
// the request encoded as doc, leaving out the fields in skip (its _id and
// leases). A step reads the request at revision expect and writes
// expect+1, guarded by expect; every other write to a request either does
// the same or touches only its leases. So if prev, the request as this
// process last wrote it, is at revision expect, the stored request is prev
// but for its leases, and only the fields that differ from prev are sent:
// a record of a send sets its outbox, history and revision, not the form's
// data with them. Otherwise every field is set. A field the request no
// longer encodes to (omitempty, cleared by the step) is unset either way,
// so that the document is what the request encodes to.
func requestChanges(prev, doc []byte, revision, expect int64, skip []string) (set, unset bson.D, err error) {
	elems, err := bson.Raw(doc).Elements()
	if err != nil {
		return nil, nil, err
	}
	var before map[string]bson.RawValue // the fields of prev, if it is at expect
	if prev != nil && revision == expect+1 {
		if v, ok := bson.Raw(prev).Lookup("revision").AsInt64OK(); ok && v == expect {
			was, err := bson.Raw(prev).Elements()
			if err != nil {
				return nil, nil, err
			}
			before = make(map[string]bson.RawValue, len(was))
			for _, e := range was {
				before[e.Key()] = e.Value()
			}
		}
	}
	present := make(map[string]bool, len(elems))
	set = make(bson.D, 0, len(elems))
	for _, e := range elems {
		k := e.Key()
		present[k] = true
		if slices.Contains(skip, k) {
			continue
		}
		if old, ok := before[k]; ok && sameValue(old, e.Value()) {
			continue
		}
		set = append(set, bson.E{Key: k, Value: e.Value()})
	}
	for _, f := range requestFields {
		if present[f] || slices.Contains(skip, f) {
			continue
		}
		if _, was := before[f]; before != nil && !was {
			continue // not there before either
		}
		unset = append(unset, bson.E{Key: f, Value: ""})
	}
	return set, unset, nil
}

// sameValue reports whether a and b hold the same value, the fields of
// documents in any order: a Go map (a request's data, a text in two
// languages) encodes its keys in a different order each time.
func sameValue(a, b bson.RawValue) bool {
	if a.Type != b.Type {
		return false
	}
	switch a.Type {
	case bson.TypeEmbeddedDocument:
		da, db := a.Document(), b.Document()
		ea, err := da.Elements()
		if err != nil {
			return false
		}
		eb, err := db.Elements()
		if err != nil || len(ea) != len(eb) {
			return false
		}
		for _, e := range ea {
			v, err := db.LookupErr(e.Key())
			if err != nil || !sameValue(e.Value(), v) {
				return false
			}
		}
		return true
	case bson.TypeArray:
		va, err := a.Array().Values()
		if err != nil {
			return false
		}
		vb, err := b.Array().Values()
		if err != nil || len(va) != len(vb) {
			return false
		}
		for i := range va {
			if !sameValue(va[i], vb[i]) {
				return false
			}
		}
		return true
	}
	return bytes.Equal(a.Value, b.Value)
}

// setOf encodes v as the fields of a $set, leaving out skip. The values
// stay encoded: nothing is decoded again.
func setOf(v any, skip ...string) (bson.D, error) {
	raw, err := bson.Marshal(v)
	if err != nil {
		return nil, err
	}
	return setOfRaw(raw, skip...)
}

// setOfRaw is setOf of a document already encoded.
func setOfRaw(raw []byte, skip ...string) (bson.D, error) {
	elems, err := bson.Raw(raw).Elements()
	if err != nil {
		return nil, err
	}
	set := make(bson.D, 0, len(elems))
	for _, e := range elems {
		if !slices.Contains(skip, e.Key()) {
			set = append(set, bson.E{Key: e.Key(), Value: e.Value()})
		}
	}
	return set, nil
}

// dueFields name, per lease, the due time and the lease fields.
var dueFields = map[engine.Lease]string{engine.LeaseTimers: "due", engine.LeaseOutbox: "outboxDue"}

// RequestsDue implements engine.Store.
func (s *Store) RequestsDue(ctx context.Context, lease engine.Lease, now time.Time, limit int) ([]string, *time.Time, error) {
	dueField, leaseField := dueFields[lease], leaseFields[lease]
	if dueField == "" {
		return nil, nil, fmt.Errorf("mongostore: unknown lease %q", lease)
	}
	if ids, next, ok := s.requestsDueFast(ctx, dueField, leaseField, now, limit); ok {
		return ids, next, nil
	}
	cur, err := s.requests.Find(ctx, bson.D{{Key: dueField, Value: bson.D{{Key: "$ne", Value: nil}}}},
		options.Find().SetProjection(bson.D{{Key: dueField, Value: 1}, {Key: leaseField, Value: 1}}))
	if err != nil {
		return nil, nil, storeErr(err)
	}
	defer cur.Close(ctx)
	var ids []string
	var next *time.Time
	for cur.Next(ctx) {
		var doc struct {
			ID string `bson:"_id"`
			// Both fields are decoded by name: the projection keeps them.
			Timers time.Time `bson:"due"`
			Outbox time.Time `bson:"outboxDue"`
			Lease  time.Time `bson:"lease"`
			OLease time.Time `bson:"outboxLease"`
		}
		if err := cur.Decode(&doc); err != nil {
			return nil, nil, storeErr(err)
		}
		due, held := doc.Timers, doc.Lease
		if lease == engine.LeaseOutbox {
			due, held = doc.Outbox, doc.OLease
		}
		if !due.After(now) && held.Before(now) {
			if len(ids) < limit {
				ids = append(ids, doc.ID)
			}
			continue
		}
		at := due
		if held.After(at) {
			at = held
		}
		if next == nil || at.Before(*next) {
			next = &at
		}
	}
	if err := cur.Err(); err != nil {
		return nil, nil, storeErr(err)
	}
	return ids, next, nil
}

// RequestClaim implements engine.Store: a read by id, then a write
// guarded by the revision and lease read, so that two processes never
// both hold a request.
func (s *Store) RequestClaim(ctx context.Context, lease engine.Lease, id string, now, until time.Time) (*engine.Request, error) {
	leaseField := leaseFields[lease]
	if leaseField == "" {
		return nil, fmt.Errorf("mongostore: unknown lease %q", lease)
	}
	// A write between the read and the guarded update (another process's
	// step, or its dispatcher recording a send) makes the update miss
	// although the request may still be due and free: read again, or the
	// poller would pass over a due request that nobody holds.
	for attempt := 1; ; attempt++ {
		var r engine.Request
		if err := s.requests.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
			return nil, storeErr(err)
		}
		due, held := r.Due, &r.Lease
		if lease == engine.LeaseOutbox {
			due, held = r.OutboxDue, &r.OutboxLease
		}
		if due == nil || due.After(now) || !held.Before(now) {
			return nil, fmt.Errorf("request %s is not due: %w", id, engine.ErrNotFound)
		}
		res, err := s.writes(ctx, s.requests).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: id}, {Key: "revision", Value: r.Revision}, {Key: leaseField, Value: *held}},
			s.claimSet(leaseField, until))
		if err != nil {
			return nil, storeErr(err)
		}
		if res.MatchedCount == 1 {
			*held = until
			return &r, nil
		}
		if attempt == 5 {
			return nil, fmt.Errorf("request %s kept changing while it was claimed: %w", id, engine.ErrNotFound)
		}
	}
}

// RequestClaimAsWritten implements engine.Store.
func (s *Store) RequestClaimAsWritten(ctx context.Context, lease engine.Lease, r *engine.Request, until time.Time) error {
	leaseField := leaseFields[lease]
	if leaseField == "" {
		return fmt.Errorf("mongostore: unknown lease %q", lease)
	}
	held := r.Lease
	if lease == engine.LeaseOutbox {
		held = r.OutboxLease
	}
	res, err := s.writes(ctx, s.requests).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: r.ID}, {Key: "revision", Value: r.Revision}, {Key: leaseField, Value: held}},
		s.claimSet(leaseField, until))
	if err != nil {
		return storeErr(err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("request %s changed since it was written: %w", r.ID, engine.ErrNotFound)
	}
	return nil
}

// wakeID is the counters document holding a lease's wake-up time.
func wakeID(lease engine.Lease) string { return "wake/" + string(lease) }

// WakeGet implements engine.Store.
func (s *Store) WakeGet(ctx context.Context, lease engine.Lease) (engine.Wake, error) {
	var w engine.Wake
	err := s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: wakeID(lease)}}).Decode(&w)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return engine.Wake{}, nil
	}
	return w, storeErr(err)
}

// WakeLower implements engine.Store.
func (s *Store) WakeLower(ctx context.Context, lease engine.Lease, at time.Time) error {
	_, err := s.writes(ctx, s.counters).UpdateOne(ctx, bson.D{{Key: "_id", Value: wakeID(lease)}},
		bson.D{{Key: "$min", Value: bson.D{{Key: "at", Value: at}}}, {Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}}},
		options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) { // two first writes raced; lower the one that won
		return s.WakeLower(ctx, lease, at)
	}
	return storeErr(err)
}

// WakeSet implements engine.Store.
func (s *Store) WakeSet(ctx context.Context, lease engine.Lease, at time.Time, version int64) error {
	res, err := s.writes(ctx, s.counters).UpdateOne(ctx, bson.D{{Key: "_id", Value: wakeID(lease)}, {Key: "version", Value: version}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: at}}}, {Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}}},
		options.UpdateOne().SetUpsert(version == 0))
	if mongo.IsDuplicateKeyError(err) || (err == nil && res.MatchedCount == 0 && res.UpsertedCount == 0) {
		return fmt.Errorf("wake-up time of %s moved meanwhile: %w", lease, engine.ErrPreconditionFailed)
	}
	return storeErr(err)
}

// RequestRelease implements engine.Store.
func (s *Store) RequestRelease(ctx context.Context, id string, lease engine.Lease, until time.Time) error {
	f, ok := leaseFields[lease]
	if !ok {
		return fmt.Errorf("mongostore: unknown lease %q", lease)
	}
	_, err := s.writes(ctx, s.requests).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: f, Value: until}},
		bson.D{{Key: "$set", Value: bson.D{{Key: f, Value: time.Time{}}}}})
	return storeErr(err)
}

// RequestsWaitingFor implements engine.Store.
func (s *Store) RequestsWaitingFor(ctx context.Context, key string, limit int) ([]*engine.Request, error) {
	filter := bson.D{{Key: "$or", Value: bson.A{bson.D{{Key: "waitKeys", Value: key}}, bson.D{{Key: "received", Value: key}}}}}
	found, err := s.findRequests(ctx, filter, options.Find().SetLimit(int64(limit)))
	if err != nil || len(found) > 0 {
		return found, err
	}
	// A request that received it may have closed and moved on since.
	cur, err := s.archive.Find(ctx, bson.D{{Key: "received", Value: key}}, options.Find().SetLimit(1))
	if err != nil {
		return nil, storeErr(err)
	}
	if err := cur.All(ctx, &found); err != nil {
		return nil, storeErr(err)
	}
	for _, r := range found {
		r.Archived = true
	}
	return found, nil
}

// RequestsWithTasks implements engine.Store.
func (s *Store) RequestsWithTasks(ctx context.Context, user string, groups []string, limit int) ([]*engine.Request, error) {
	if found, ok, err := s.requestsWithTasksFast(ctx, user, groups, limit); ok {
		return found, err
	}
	or := bson.A{bson.D{{Key: "taskUsers", Value: user}}}
	if len(groups) > 0 {
		or = append(or, bson.D{{Key: "taskGroups", Value: bson.D{{Key: "$in", Value: groups}}}})
	}
	return s.findRequests(ctx, bson.D{{Key: "$or", Value: or}}, options.Find().SetLimit(int64(limit)))
}

// RequestsOnWorkflow implements engine.Store.
func (s *Store) RequestsOnWorkflow(ctx context.Context, workflow string, version int, after string, limit int) ([]*engine.Request, error) {
	filter := bson.D{{Key: "workflow.workflow", Value: workflow}, {Key: "workflow.version", Value: version}, {Key: "closed", Value: false}}
	if after != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: after}}})
	}
	return s.findRequests(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

func (s *Store) findRequests(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]*engine.Request, error) {
	return findIn(ctx, s.requests, filter, opts)
}

// findIn reads the requests of coll that filter selects.
func findIn(ctx context.Context, coll *mongo.Collection, filter bson.D, opts *options.FindOptionsBuilder) ([]*engine.Request, error) {
	cur, err := coll.Find(ctx, filter, opts)
	if err != nil {
		return nil, storeErr(err)
	}
	var out []*engine.Request
	if err := cur.All(ctx, &out); err != nil {
		return nil, storeErr(err)
	}
	return out, nil
}

// SettingGetOrCreate implements engine.Store.
func (s *Store) SettingGetOrCreate(ctx context.Context, name, value string) (string, error) {
	var doc struct {
		Value string `bson:"value"`
	}
	err := s.counters.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: "setting/" + name}},
		bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "value", Value: value}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&doc)
	if mongo.IsDuplicateKeyError(err) { // two first starts raced; the other won
		err = s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: "setting/" + name}}).Decode(&doc)
	}
	if err != nil {
		return "", storeErr(err)
	}
	return doc.Value, nil
}

// CounterNext increments counter name and returns its new value.
func (s *Store) CounterNext(ctx context.Context, name string) (int64, error) {
	var doc struct {
		N int64 `bson:"n"`
	}
	id := bson.D{{Key: "_id", Value: "counter/" + name}}
	inc := bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}}
	err := s.counters.FindOneAndUpdate(ctx, id, inc, options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&doc)
	if mongo.IsDuplicateKeyError(err) { // two first turns raced; count on the one that won
		err = s.counters.FindOneAndUpdate(ctx, id, inc, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&doc)
	}
	return doc.N, storeErr(err)
}

// OwnedOpen reads owner's count of open requests (a lookup by _id).
func (s *Store) OwnedOpen(ctx context.Context, owner string) (int, error) {
	var doc struct {
		N int64 `bson:"n"`
	}
	err := s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: "load/" + owner}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	return int(max(doc.N, 0)), storeErr(err)
}

// LoadAdd implements engine.Store.
func (s *Store) LoadAdd(ctx context.Context, owner string, delta int) error {
	_, err := s.counters.UpdateOne(ctx, bson.D{{Key: "_id", Value: "load/" + owner}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(delta)}}}}, options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) { // two first counts raced; add to the one that won
		_, err = s.counters.UpdateOne(ctx, bson.D{{Key: "_id", Value: "load/" + owner}}, bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(delta)}}}})
	}
	return storeErr(err)
}

// LoadRecount implements engine.Store: one pass over the open requests.
// Each count is set only if it is still what it was before the pass: one
// that a write moved meanwhile is left for the next recount, rather than
// overwritten with a figure that missed that write.
func (s *Store) LoadRecount(ctx context.Context) error {
	cur, err := s.counters.Find(ctx, bson.D{})
	if err != nil {
		return storeErr(err)
	}
	var known []struct {
		ID string `bson:"_id"`
		N  int64  `bson:"n"`
	}
	if err := cur.All(ctx, &known); err != nil {
		return storeErr(err)
	}
	before := map[string]int64{}
	for _, k := range known {
		if owner, ok := strings.CutPrefix(k.ID, "load/"); ok {
			before[owner] = k.N
		}
	}
	cur, err = s.requests.Find(ctx, bson.D{{Key: "closed", Value: false}}, options.Find().SetProjection(bson.D{{Key: "owner", Value: 1}}))
	if err != nil {
		return storeErr(err)
	}
	var docs []struct {
		Owner string `bson:"owner"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return storeErr(err)
	}
	counts := map[string]int64{}
	for owner := range before {
		counts[owner] = 0 // owning nothing open now
	}
	for _, d := range docs {
		if d.Owner != "" {
			counts[d.Owner]++
		}
	}
	for owner, n := range counts {
		id := "load/" + owner
		old, ok := before[owner]
		switch {
		case ok && old == n:
		case ok:
			_, err = s.counters.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "n", Value: old}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: n}}}})
		default:
			if _, err = s.counters.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "n", Value: n}}); mongo.IsDuplicateKeyError(err) {
				err = nil // a write counted it meanwhile
			}
		}
		if err != nil {
			return storeErr(err)
		}
	}
	return nil
}

// CustomerFind returns the customer with email, or else with phone.
func (s *Store) CustomerFind(ctx context.Context, email, phone string) (*engine.Customer, error) {
	for _, f := range []struct{ field, value string }{{"email", email}, {"phone", phone}} {
		if f.value == "" {
			continue
		}
		var c engine.Customer
		err := s.customers.FindOne(ctx, bson.D{{Key: f.field, Value: f.value}}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: 1}})).Decode(&c)
		if err == nil {
			return &c, nil
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return nil, storeErr(err)
		}
	}
	return nil, engine.ErrNotFound
}

// CustomerGet returns a customer by id.
func (s *Store) CustomerGet(ctx context.Context, id string) (*engine.Customer, error) {
	var c engine.Customer
	if err := s.customers.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&c); err != nil {
		return nil, fmt.Errorf("customer %q: %w", id, storeErr(err))
	}
	return &c, nil
}

// CustomerInsert stores a new customer.
func (s *Store) CustomerInsert(ctx context.Context, c *engine.Customer) error {
	_, err := s.customers.InsertOne(ctx, c)
	return storeErr(err)
}

// CustomerPut replaces a customer.
func (s *Store) CustomerPut(ctx context.Context, c *engine.Customer) error {
	res, err := s.customers.ReplaceOne(ctx, bson.D{{Key: "_id", Value: c.ID}}, c)
	if err == nil && res.MatchedCount == 0 {
		return fmt.Errorf("customer %q: %w", c.ID, engine.ErrNotFound)
	}
	return storeErr(err)
}

// findAll finds the documents of coll that match filter, decoded as D,
// and converts each with conv.
func findAll[D, T any](ctx context.Context, coll *mongo.Collection, filter bson.D, opts *options.FindOptionsBuilder, conv func(*D) *T) ([]*T, error) {
	cur, err := coll.Find(ctx, filter, opts)
	if err != nil {
		return nil, storeErr(err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeErr(err)
	}
	out := make([]*T, len(docs))
	for i := range docs {
		out[i] = conv(&docs[i])
	}
	return out, nil
}

// storeErr maps driver errors onto the engine's sentinels.
func storeErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return engine.ErrNotFound
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("%w: %v", engine.ErrDuplicate, err)
	case mongo.IsNetworkError(err) || errors.As(err, new(topology.ServerSelectionError)):
		// The server went away (a restart, a failover): the caller is
		// told to try again, not that something broke.
		return fmt.Errorf("%w: %v", engine.ErrUnavailable, err)
	}
	return fmt.Errorf("mongostore: %w", err)
}
