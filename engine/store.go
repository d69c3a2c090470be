package engine

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/pishkhan/pishkhan/forms"
)

// NotifyingStore is a store that can write a request and the in-app
// notifications a step of it sends in one atomic write (the embedded
// store can; a MongoDB would need a transaction for it). Requests uses it
// where the store has it; see Requests.DeliverInApp.
type NotifyingStore interface {
	// RequestInsertNotifying stores request and notes, all of them or
	// none: ErrDuplicate if the request's id (or a note's) is taken,
	// errors.ErrUnsupported if the store cannot write them together
	// (nothing written; the caller writes them its usual way).
	RequestInsertNotifying(ctx context.Context, request *Request, notes []*Notification) error
	// RequestUpdateNotifying is RequestUpdate and the inserts of notes,
	// all or none: ErrPreconditionFailed if the request is no longer at
	// revision expect, ErrDuplicate if a note's id is taken,
	// errors.ErrUnsupported as RequestInsertNotifying.
	RequestUpdateNotifying(ctx context.Context, request *Request, expect int64, release Lease, notes []*Notification) error
}

// Store is the engine's storage seam. Every method is a single-document
// operation or a read, so any MongoDB-compatible server, including one
// without transactions, can implement it. Methods return ErrNotFound,
// ErrDuplicate and ErrPreconditionFailed (wrapped) where documented.
type Store interface {
	Files
	Articles

	// DefinitionGet returns the head of a definition: its draft and how far
	// it is published. ErrNotFound if no draft was ever saved.
	DefinitionGet(ctx context.Context, kind Kind, key string) (*Definition, error)
	// DefinitionPutDraft creates or replaces a draft. With ExpectRevision set
	// it fails with ErrPreconditionFailed unless the stored draft has that
	// revision.
	DefinitionPutDraft(ctx context.Context, params *DefinitionPutDraftParams) (*Definition, error)
	// DefinitionList lists the heads of one kind in key order.
	DefinitionList(ctx context.Context, params *DefinitionListParams) ([]*Definition, error)
	// DefinitionSetLatest raises the head's latest published version to
	// version (never lowers it).
	DefinitionSetLatest(ctx context.Context, params *DefinitionSetLatestParams) error

	// VersionInsert stores a published version; ErrDuplicate if that number
	// is taken.
	VersionInsert(ctx context.Context, version *Version) error
	// VersionGet returns one published version; ErrNotFound if absent.
	VersionGet(ctx context.Context, kind Kind, key string, number int) (*Version, error)
	// VersionList lists published versions, newest first, without bodies.
	VersionList(ctx context.Context, params *VersionListParams) ([]*Version, error)

	// ChangeCounterGet reads the counter that every publish bumps; caches
	// on every node poll it to notice publishes made elsewhere.
	ChangeCounterGet(ctx context.Context) (int64, error)
	// ChangeCounterBump increments it.
	ChangeCounterBump(ctx context.Context) error

	// RequestInsert stores a new request; ErrDuplicate if its id is taken.
	RequestInsert(ctx context.Context, request *Request) error
	// RequestGet returns a request by id (its tracking code), from the
	// working collection or else the archive (then Archived is set).
	RequestGet(ctx context.Context, id string) (*Request, error)

	// RequestUpdate stores the state a step left req in, in one atomic
	// write guarded by the revision the step read (expect); req.Revision
	// is the new one. ErrPreconditionFailed if another write came first.
	// release names a lease the same write gives up ("" none). The lease
	// fields are never written otherwise.
	RequestUpdate(ctx context.Context, req *Request, expect int64, release Lease) error
	// RequestsDue returns, in one pass, the ids of requests whose timers
	// (LeaseTimers) or outbox (LeaseOutbox) fell due by now and whose lease
	// has run out (at most limit), and the earliest time another request
	// becomes due or its lease runs out (nil if none will).
	RequestsDue(ctx context.Context, lease Lease, now time.Time, limit int) (ids []string, next *time.Time, err error)
	// RequestClaim leases request id until until if it is due by now and
	// its lease has run out; ErrNotFound if it is not (any more).
	RequestClaim(ctx context.Context, lease Lease, id string, now, until time.Time) (*Request, error)
	// RequestClaimAsWritten leases req until until if it is still as
	// written (same revision, lease unchanged): one write, no read.
	// ErrNotFound if it is not; the caller then claims it by id.
	RequestClaimAsWritten(ctx context.Context, lease Lease, req *Request, until time.Time) error

	// WakeGet returns when a lease's pollers should next look for due
	// requests; a zero Wake if nothing was recorded yet.
	WakeGet(ctx context.Context, lease Lease) (Wake, error)
	// WakeLower moves the wake-up time to at if that is earlier.
	WakeLower(ctx context.Context, lease Lease, at time.Time) error
	// WakeSet sets the wake-up time to at if it is still at version;
	// ErrPreconditionFailed if it was moved meanwhile.
	WakeSet(ctx context.Context, lease Lease, at time.Time, version int64) error
	// RequestArchive moves a closed request out of the working collection:
	// it copies it into the archive (replacing any older copy), files its
	// KPI facts (req.KPI) where KPIDays finds archived requests, then
	// deletes it from the working collection if it is still at the same
	// revision. A crash between the steps leaves it in both, and the next
	// sweep finishes the move.
	RequestArchive(ctx context.Context, req *Request) error
	// RequestRestore moves a request acted on again from the archive back
	// into the working collection: it inserts req there (ErrDuplicate if
	// another process did first), then withdraws the KPI facts its move to
	// the archive filed. The archive's copy stays until the request is
	// archived again and replaces it; RequestGet prefers the working one.
	RequestRestore(ctx context.Context, req *Request) error
	// RequestsToArchive returns closed requests whose outbox is empty,
	// still in the working collection (at most limit).
	RequestsToArchive(ctx context.Context, limit int) ([]*Request, error)
	// RequestRelease gives up a lease a claim took (held until until),
	// unless another process has claimed the request since.
	RequestRelease(ctx context.Context, id string, lease Lease, until time.Time) error
	// RequestsWaitingFor returns requests that wait for, or have received,
	// a message with correlation key key (at most limit).
	RequestsWaitingFor(ctx context.Context, key string, limit int) ([]*Request, error)
	// RequestsWithTasks returns requests with open tasks held by user or
	// waiting in one of groups (at most limit).
	RequestsWithTasks(ctx context.Context, user string, groups []string, limit int) ([]*Request, error)
	// RequestsOnWorkflow returns open requests running version of
	// workflow, in id order after id after (at most limit).
	RequestsOnWorkflow(ctx context.Context, workflow string, version int, after string, limit int) ([]*Request, error)
	// RequestsList lists working and archived requests for a list (see
	// RequestsListParams); each once, the working copy if a request is in
	// both for a moment. The requests may lack what a list does not show
	// (data, history, conversation).
	RequestsList(ctx context.Context, p *RequestsListParams) ([]*Request, error)

	// CounterNext increments counter name and returns its new value (1
	// the first time): round-robin turns.
	CounterNext(ctx context.Context, name string) (int64, error)
	// OwnedOpen is how many open requests owner owns, as kept by LoadAdd
	// and LoadRecount (a count of the requests themselves would read every
	// open request on a store that filters only by _id).
	OwnedOpen(ctx context.Context, owner string) (int, error)
	// LoadAdd adds delta to owner's count of open requests.
	LoadAdd(ctx context.Context, owner string, delta int) error
	// LoadRecount sets every owner's count from the open requests
	// themselves, healing what a crash between a write and its LoadAdd
	// left wrong.
	LoadRecount(ctx context.Context) error

	// KPIDays sums, per day up to params.To, the KPI days (Request.KPI)
	// of the requests params selects, open and archived: each request that
	// matches the filters and has a day in the period, or was created
	// before the period and not resolved before it (at least those;
	// selecting more of those that match the filters changes no figure).
	// Days before params.From are summed too: their creations and
	// resolutions give the backlog the period starts with.
	KPIDays(ctx context.Context, params *KPIDaysParams) ([]KPIDay, error)

	// CustomerFind returns the customer with email, or else with phone
	// (either may be ""); ErrNotFound if none.
	CustomerFind(ctx context.Context, email, phone string) (*Customer, error)
	// CustomerGet returns a customer by id; ErrNotFound if none.
	CustomerGet(ctx context.Context, id string) (*Customer, error)
	// CustomerInsert stores a new customer; ErrDuplicate if the id is taken.
	CustomerInsert(ctx context.Context, c *Customer) error
	// CustomerPut replaces a customer.
	CustomerPut(ctx context.Context, c *Customer) error

	NotificationStore

	// SettingGetOrCreate returns the stored setting name, storing value
	// first if there is none; every process then shares the first value.
	SettingGetOrCreate(ctx context.Context, name, value string) (string, error)

	// Ping answers nil when the store can serve.
	Ping(ctx context.Context) error
}

// Files keeps the bytes of attachments on the same database as the
// requests, and what is known of each file. A file is written in chunks
// as its body is read, so no file is ever held in memory whole; it exists
// for readers only once complete. Binding a file to a request takes three
// single-document writes (claim the file for the request, write the
// request, mark the file bound), ordered so that a crash between them
// leaves a file the upload sweep can settle: see attachments.go.
type Files interface {
	// FilePut stores a new file read from p.Body to its end, and answers it
	// with its size and SHA-256. If reading the body or writing fails,
	// whatever was written is deleted before FilePut returns the error
	// (wrapped, so that errors.Is finds the body's own error).
	FilePut(ctx context.Context, p *FilePutParams) (*File, error)
	// FileGet describes a complete file; ErrNotFound if there is none (or
	// it is still being written, or being discarded).
	FileGet(ctx context.Context, id string) (*File, error)
	// FileOpen reads a complete file's bytes; ErrNotFound as FileGet.
	FileOpen(ctx context.Context, id string) (io.ReadCloser, error)
	// FileClaim moves the claim on an unbound file of p.By from request
	// p.From to request p.To ("" for none); ErrPreconditionFailed if the
	// file is not (any more) so claimed, bound or being discarded.
	FileClaim(ctx context.Context, p *FileClaimParams) error
	// FileBind records that the request the file is claimed for lists it.
	FileBind(ctx context.Context, id string) error
	// FileDiscard deletes an unbound file still claimed for request ("":
	// claimed for none); ErrPreconditionFailed if it was claimed or bound
	// meanwhile. A discard cut short leaves the file unreadable and
	// unclaimable, and the next discard finishes it.
	FileDiscard(ctx context.Context, id, request string) error
	// FilesLoose lists files not bound to a request and uploaded before
	// before (at most limit), whether complete or not.
	FilesLoose(ctx context.Context, before time.Time, limit int) ([]*File, error)
}

// Articles keeps the knowledge base (knowledge.go).
type Articles interface {
	// ArticleInsert stores a new article; ErrDuplicate if its id is taken.
	ArticleInsert(ctx context.Context, a *Article) error
	// ArticleGet returns an article by id; ErrNotFound if none.
	ArticleGet(ctx context.Context, id string) (*Article, error)
	// ArticleUpdate replaces an article if it is still at revision expect
	// (a.Revision is the new one); ErrPreconditionFailed if not. Its usage
	// count is never overwritten.
	ArticleUpdate(ctx context.Context, a *Article, expect int64) error
	// ArticleUse counts one more use of an article, at at.
	ArticleUse(ctx context.Context, id string, at time.Time) error
	// ArticlesFind returns articles that are not archived, hold every
	// token of p.Tokens (each a search token, see knowledge.go) and match
	// p's other filters, at most p.Limit.
	ArticlesFind(ctx context.Context, p *ArticlesFindParams) ([]*Article, error)
}

// atLeastOnceKey marks a context of AtLeastOnce.
type atLeastOnceKey struct{}

// AtLeastOnce marks the writes made with ctx as the records of work done
// at least once: a dispatcher's claims, sends (an in-app notification)
// and its notes of them. Losing such a write in a power failure only
// means the work is done again, as after a crash, so a store may
// acknowledge it before it is on disk (MongoDB's write concern {j:
// false}; the embedded store commits it without an fsync, and the next
// durable write syncs it). Every other write is acknowledged only once
// it is durable.
func AtLeastOnce(ctx context.Context) context.Context {
	return context.WithValue(ctx, atLeastOnceKey{}, true)
}

// IsAtLeastOnce reports whether ctx is marked by AtLeastOnce.
func IsAtLeastOnce(ctx context.Context) bool { return ctx.Value(atLeastOnceKey{}) != nil }

// Lease names what a process claims a due request for.
type Lease string

// Leases.
const (
	LeaseNone   Lease = ""
	LeaseTimers Lease = "timers"
	LeaseOutbox Lease = "outbox"
)

// DefinitionPutDraftParams are the arguments of Store.DefinitionPutDraft.
type DefinitionPutDraftParams struct {
	Kind           Kind
	Key            string
	Title          forms.Text
	Category       string
	Body           json.RawMessage
	ExpectRevision int64 // 0: overwrite whatever is there; DraftCreateOnly: only if there is none
	Now            time.Time
}

// DraftCreateOnly, as a draft save's expected revision, saves only a
// definition that does not exist yet (HTTP's If-None-Match: *): two
// people creating the same key at once cannot overwrite each other.
const DraftCreateOnly int64 = -1

// DefinitionListParams are the arguments of Store.DefinitionList.
type DefinitionListParams struct {
	Kind  Kind
	After string // list keys strictly after this one ("" from the start)
	Limit int
}

// DefinitionSetLatestParams are the arguments of Store.DefinitionSetLatest.
type DefinitionSetLatestParams struct {
	Kind    Kind
	Key     string
	Version int
	At      time.Time
}

// VersionListParams are the arguments of Store.VersionList.
type VersionListParams struct {
	Kind   Kind
	Key    string
	Before int // list versions below this number (0 from the newest)
	Limit  int
}

// FilePutParams are the arguments of Store.FilePut.
type FilePutParams struct {
	ID   string
	Name string
	Type string
	By   string
	At   time.Time
	// Body is read to its end; an error from it aborts the put.
	Body io.Reader
}

// FileClaimParams are the arguments of Store.FileClaim.
type FileClaimParams struct {
	ID   string
	By   string
	From string
	To   string
	At   time.Time
}

// ArticlesFindParams are the arguments of Store.ArticlesFind. Empty
// fields do not filter.
type ArticlesFindParams struct {
	Tokens      []string
	Kind        string
	RequestType string
	Tag         string
	Lang        string
	Limit       int
}

// RecentStore is a Store that remembers the requests this process wrote
// last. A step starts from that copy instead of reading the request: its
// write is guarded by the revision, so a copy another process has
// overtaken costs a retry, never a lost write.
type RecentStore interface {
	// RequestRecent returns the request as this process last wrote it
	// to the working collection, or nil.
	RequestRecent(id string) *Request
}
