package engine

import (
	"context"
	"encoding/json"
	"time"

	"github.com/pishkhan/pishkhan/forms"
)

// Store is the engine's storage seam. Every method is a single-document
// operation or a read, so any MongoDB-compatible server, including one
// without transactions, can implement it. Methods return ErrNotFound,
// ErrDuplicate and ErrPreconditionFailed (wrapped) where documented.
type Store interface {
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

	// CounterNext increments counter name and returns its new value (1
	// the first time): round-robin turns.
	CounterNext(ctx context.Context, name string) (int64, error)
	// OwnedOpen counts the open requests owner owns.
	OwnedOpen(ctx context.Context, owner string) (int, error)

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

	// SettingGetOrCreate returns the stored setting name, storing value
	// first if there is none; every process then shares the first value.
	SettingGetOrCreate(ctx context.Context, name, value string) (string, error)

	// Ping answers nil when the store can serve.
	Ping(ctx context.Context) error
}

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
	ExpectRevision int64 // 0: overwrite whatever is there
	Now            time.Time
}

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
