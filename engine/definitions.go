package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// Kind is a kind of versioned definition.
type Kind string

// The kinds of definitions the engine knows.
const (
	KindForm     Kind = "form"
	KindFragment Kind = "fragment"
	KindRuleSet  Kind = "ruleset"
	KindCalendar Kind = "calendar"
)

// Definition is the head of a definition: the current draft and how far it
// has been published.
type Definition struct {
	Kind          Kind            `json:"kind"`
	Key           string          `json:"key"`
	Title         forms.Text      `json:"title"`
	Category      string          `json:"category"`
	Draft         json.RawMessage `json:"draft,omitempty"`
	Revision      int64           `json:"revision"`
	UpdatedAt     time.Time       `json:"updatedAt"`
	LatestVersion int             `json:"latestVersion"`
	PublishedAt   *time.Time      `json:"publishedAt,omitempty"`
}

// Version is an immutable published version of a definition.
type Version struct {
	Kind      Kind                `json:"kind"`
	Key       string              `json:"key"`
	Number    int                 `json:"version"`
	Title     forms.Text          `json:"title"`
	Body      json.RawMessage     `json:"definition,omitempty"`
	Fragments []forms.FragmentRef `json:"fragments,omitempty"`
	// Form is the form version a rule set was checked against.
	Form          *FormRef  `json:"form,omitempty"`
	DraftRevision int64     `json:"draftRevision"`
	PublishedAt   time.Time `json:"publishedAt"`
}

// Fragment is a reusable block of a form (an address, a contact), published
// on its own and referenced from forms as {"$ref": "fragment:KEY"}.
type Fragment struct {
	Key      string          `json:"key"`
	Title    forms.Text      `json:"title"`
	Category string          `json:"category,omitempty"`
	Schema   json.RawMessage `json:"schema"`
}

// RuleSet is a decision table published as a definition. When it names a
// form, its expressions are type-checked against that form's fields at
// save and publish; without one, `form` is an open object.
type RuleSet struct {
	rules.Table
	Category string `json:"category,omitempty"`
	Form     string `json:"form,omitempty"`
}

// PublishedRuleSet is a rule set version ready to evaluate.
type PublishedRuleSet struct {
	Key     string
	Version int
	Title   forms.Text
	Form    *FormRef
	Table   *rules.CompiledTable
}

// DefaultCategory is the category of a definition that names none.
const DefaultCategory = "general"

// CategoryOf returns the category a definition body names, for checking
// who may save it before it is saved. A body that cannot be read has the
// default category; saving it fails on its own.
func CategoryOf(body json.RawMessage) string {
	var b struct {
		Category string `json:"category"`
	}
	if json.Unmarshal(body, &b) != nil || b.Category == "" {
		return DefaultCategory
	}
	return b.Category
}

// PublishedForm is a form version ready to validate submissions.
type PublishedForm struct {
	Key      string
	Version  int
	Title    forms.Text
	Compiled *forms.Compiled
}

// Definitions keeps drafts and published versions, and caches compiled
// forms so that a submission compiles nothing and, on a warm cache, reads
// nothing but the request it writes.
type Definitions struct {
	store  Store
	now    func() time.Time
	logger *slog.Logger

	mu       sync.Mutex
	compiled map[versionKey]*compiled // immutable once published
	latest   map[defKey]int           // newest published version
	counter  int64                    // change counter when latest was last trusted
	// absent holds, while Watch runs, the definitions found not
	// published (with the error saying so): a submission of a form that
	// no request type wraps asks for the type of the same key each time.
	absent   map[defKey]error
	watching bool

	// groupExists, when set, tells the workflow lint whether a group exists.
	groupExists func(ctx context.Context, name string) error
}

// CheckGroupsWith makes the workflow lint check the groups a workflow
// names with exists (nil error: the group exists).
func (d *Definitions) CheckGroupsWith(exists func(ctx context.Context, name string) error) {
	d.groupExists = exists
}

// compiled is a compiled definition of any kind.
type compiled struct {
	title       forms.Text
	form        *forms.Compiled      // forms and fragments
	table       *rules.CompiledTable // rule sets
	workflow    *CompiledWorkflow    // workflows
	calendar    *rules.CompiledCalendar
	requestType *RequestType
	policy      *compiledPolicy
	fragments   []forms.FragmentRef // fragment versions a form uses
	formRef     *FormRef            // form version a rule set was checked against
}

type defKey struct {
	kind Kind
	key  string
}

type versionKey struct {
	defKey
	number int
}

// pins are the versions a published version was compiled with; nil when
// compiling a draft, which uses the newest.
type pins struct {
	fragments map[string]int
	form      int
}

// maxPublishAttempts bounds the search for a free version number when
// several publishes race; each attempt is one insert.
const maxPublishAttempts = 64

// NewDefinitions returns the definitions service over store.
func NewDefinitions(store Store, logger *slog.Logger) *Definitions {
	if logger == nil {
		logger = slog.Default()
	}
	return &Definitions{
		store:    store,
		now:      func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }, // what the store keeps
		logger:   logger,
		compiled: map[versionKey]*compiled{},
		latest:   map[defKey]int{},
		absent:   map[defKey]error{},
	}
}

// SaveDraft checks that body is a well-formed definition of kind and stores
// it as the draft of key. A draft may not compile yet: the problems that
// would stop it from being published are returned beside it, so a designer
// can show them while the owner works. expectRevision, if not 0, guards
// against overwriting someone else's save.
func (d *Definitions) SaveDraft(ctx context.Context, kind Kind, key string, body json.RawMessage, expectRevision int64) (*Definition, []forms.FieldError, error) {
	if !forms.ValidKey(key) {
		return nil, nil, invalidf("key %q: use 2 to 63 lower-case letters, digits and hyphens, starting with a letter", key)
	}
	body, title, category, err := decodeDefinition(kind, key, body)
	if err != nil {
		return nil, nil, err
	}
	def, err := d.store.DefinitionPutDraft(ctx, &DefinitionPutDraftParams{
		Kind: kind, Key: key, Title: title, Category: category, Body: body, ExpectRevision: expectRevision, Now: d.now(),
	})
	if err != nil {
		return nil, nil, err
	}
	var problems []forms.FieldError
	if _, err := d.compile(ctx, kind, key, body, nil); err != nil {
		var de *forms.DefinitionError
		if !errors.As(err, &de) {
			return nil, nil, err
		}
		problems = de.Problems
	}
	return def, problems, nil
}

// Publish compiles the draft of key and stores it as the next version. It
// refuses a draft that does not compile with a *forms.DefinitionError. Two
// publishes at once make two versions, never one number twice: the version
// number is the unique key of the insert.
func (d *Definitions) Publish(ctx context.Context, kind Kind, key string) (*Version, error) {
	head, err := d.store.DefinitionGet(ctx, kind, key)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", kind, key, err)
	}
	c, err := d.compile(ctx, kind, key, head.Draft, nil)
	if err != nil {
		return nil, err
	}
	v := &Version{
		Kind: kind, Key: key, Title: c.title, Body: head.Draft,
		Fragments: c.fragments, Form: c.formRef, DraftRevision: head.Revision, PublishedAt: d.now(),
	}
	// The head's latest number can lag behind the versions if a process died
	// between the insert and the head update below: the insert, not the
	// head, decides.
	for n, attempt := head.LatestVersion+1, 0; ; n, attempt = n+1, attempt+1 {
		if attempt == maxPublishAttempts {
			return nil, fmt.Errorf("publish %s %q: no free version number after %d attempts", kind, key, attempt)
		}
		v.Number = n
		err = d.store.VersionInsert(ctx, v)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrDuplicate) {
			return nil, fmt.Errorf("publish %s %q: %w", kind, key, err)
		}
	}
	if err := d.store.DefinitionSetLatest(ctx, &DefinitionSetLatestParams{Kind: kind, Key: key, Version: v.Number, At: v.PublishedAt}); err != nil {
		return nil, fmt.Errorf("publish %s %q: %w", kind, key, err)
	}
	if err := d.store.ChangeCounterBump(ctx); err != nil {
		return nil, fmt.Errorf("publish %s %q: %w", kind, key, err)
	}
	d.mu.Lock()
	dk := defKey{kind, key}
	d.compiled[versionKey{dk, v.Number}] = c
	if d.latest[dk] < v.Number {
		d.latest[dk] = v.Number
	}
	delete(d.absent, dk)
	d.mu.Unlock()
	return v, nil
}

// Get returns the head of a definition, draft included.
func (d *Definitions) Get(ctx context.Context, kind Kind, key string) (*Definition, error) {
	def, err := d.store.DefinitionGet(ctx, kind, key)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", kind, key, err)
	}
	return def, nil
}

// List returns up to limit heads of kind after the key after, without their
// drafts.
func (d *Definitions) List(ctx context.Context, kind Kind, after string, limit int) ([]*Definition, error) {
	return d.store.DefinitionList(ctx, &DefinitionListParams{Kind: kind, After: after, Limit: limit})
}

// Version returns published version number of key; number 0 is the newest.
func (d *Definitions) Version(ctx context.Context, kind Kind, key string, number int) (*Version, error) {
	if number == 0 {
		head, err := d.Get(ctx, kind, key)
		if err != nil {
			return nil, err
		}
		if head.LatestVersion == 0 {
			return nil, fmt.Errorf("%s %q: %w", kind, key, ErrNotPublished)
		}
		number = head.LatestVersion
	}
	v, err := d.store.VersionGet(ctx, kind, key, number)
	if err != nil {
		return nil, fmt.Errorf("%s %q version %d: %w", kind, key, number, err)
	}
	return v, nil
}

// Versions lists published versions of key, newest first, below before
// (0: from the newest).
func (d *Definitions) Versions(ctx context.Context, kind Kind, key string, before, limit int) ([]*Version, error) {
	if _, err := d.Get(ctx, kind, key); err != nil {
		return nil, err
	}
	return d.store.VersionList(ctx, &VersionListParams{Kind: kind, Key: key, Before: before, Limit: limit})
}

// Form returns the newest published version of form key, compiled. On a
// warm cache it touches no storage; publishes made by other processes are
// noticed by Watch.
func (d *Definitions) Form(ctx context.Context, key string) (*PublishedForm, error) {
	number, err := d.newest(ctx, KindForm, key)
	if err != nil {
		return nil, err
	}
	return d.FormVersion(ctx, key, number)
}

// FormVersion returns one published version of form key, compiled with the
// fragment versions it was published with.
func (d *Definitions) FormVersion(ctx context.Context, key string, number int) (*PublishedForm, error) {
	c, err := d.load(ctx, KindForm, key, number)
	if err != nil {
		return nil, err
	}
	return &PublishedForm{Key: key, Version: number, Title: c.title, Compiled: c.form}, nil
}

// RuleSet returns one published version of rule set key (0: the newest),
// compiled.
func (d *Definitions) RuleSet(ctx context.Context, key string, number int) (*PublishedRuleSet, error) {
	c, number, err := d.published(ctx, KindRuleSet, key, number)
	if err != nil {
		return nil, err
	}
	return &PublishedRuleSet{Key: key, Version: number, Title: c.title, Form: c.formRef, Table: c.table}, nil
}

// Calendar returns one published version of business calendar key (0:
// the newest), compiled, and its version number.
func (d *Definitions) Calendar(ctx context.Context, key string, number int) (*rules.CompiledCalendar, int, error) {
	c, number, err := d.published(ctx, KindCalendar, key, number)
	if err != nil {
		return nil, 0, err
	}
	return c.calendar, number, nil
}

// published loads version number of a definition (0: the newest) and says
// which number that was.
func (d *Definitions) published(ctx context.Context, kind Kind, key string, number int) (*compiled, int, error) {
	if number == 0 {
		var err error
		if number, err = d.newest(ctx, kind, key); err != nil {
			return nil, 0, err
		}
	}
	c, err := d.load(ctx, kind, key, number)
	return c, number, err
}

// draft compiles the draft of a definition, as publishing it would.
func (d *Definitions) draft(ctx context.Context, kind Kind, key string) (*compiled, error) {
	head, err := d.Get(ctx, kind, key)
	if err != nil {
		return nil, err
	}
	return d.compile(ctx, kind, key, head.Draft, nil)
}

// newest returns the newest published version number of a definition,
// from the cache when it is warm.
func (d *Definitions) newest(ctx context.Context, kind Kind, key string) (int, error) {
	dk := defKey{kind, key}
	d.mu.Lock()
	number, ok := d.latest[dk]
	absent, counter := d.absent[dk], d.counter
	d.mu.Unlock()
	if ok {
		return number, nil
	}
	if absent != nil {
		return 0, absent
	}
	head, err := d.store.DefinitionGet(ctx, kind, key)
	if err == nil && head.LatestVersion == 0 {
		err = ErrNotPublished
	}
	if err != nil {
		err = fmt.Errorf("%s %q: %w", kind, key, err)
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotPublished) {
			d.mu.Lock()
			// Not if Watch saw a publish since the read, which may
			// have been this one.
			if d.watching && d.counter == counter {
				d.absent[dk] = err
			}
			d.mu.Unlock()
		}
		return 0, err
	}
	d.mu.Lock()
	if d.latest[dk] < head.LatestVersion {
		d.latest[dk] = head.LatestVersion
	}
	d.mu.Unlock()
	return head.LatestVersion, nil
}

// load returns a published version compiled, from the cache or by
// compiling it with the versions it was published with.
func (d *Definitions) load(ctx context.Context, kind Kind, key string, number int) (*compiled, error) {
	vk := versionKey{defKey{kind, key}, number}
	d.mu.Lock()
	c, ok := d.compiled[vk]
	d.mu.Unlock()
	if ok {
		return c, nil
	}
	v, err := d.store.VersionGet(ctx, kind, key, number)
	if err != nil {
		return nil, fmt.Errorf("%s %q version %d: %w", kind, key, number, err)
	}
	p := &pins{fragments: map[string]int{}}
	for _, f := range v.Fragments {
		p.fragments[f.Key] = f.Version
	}
	if v.Form != nil {
		p.form = v.Form.Version
	}
	c, err = d.compile(ctx, kind, key, v.Body, p)
	if err != nil {
		// A published version compiled when it was published; failing now
		// means the code changed under it, which an operator must see.
		return nil, fmt.Errorf("%s %q version %d no longer compiles: %w", kind, key, number, err)
	}
	c.title = v.Title
	d.mu.Lock()
	d.compiled[vk] = c
	d.mu.Unlock()
	return c, nil
}

// Watch polls the store's change counter every interval until ctx ends, and
// forgets which form versions are newest when another process has
// published, so that every node uses a new version within one interval.
func (d *Definitions) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	// Known absences are kept only while publishes elsewhere clear them.
	d.mu.Lock()
	d.watching = true
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.watching = false
		clear(d.absent)
		d.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := d.store.ChangeCounterGet(ctx)
		if err != nil {
			if ctx.Err() == nil {
				d.logger.Warn("definitions: change counter unreadable", "err", err)
			}
			continue
		}
		d.mu.Lock()
		if n != d.counter {
			d.counter = n
			clear(d.latest)
			clear(d.absent)
		}
		d.mu.Unlock()
	}
}

// compile compiles a definition body of kind. With pins (a published
// version) it uses the fragment and form versions it was published with;
// without (a draft), the newest published ones.
func (d *Definitions) compile(ctx context.Context, kind Kind, key string, body json.RawMessage, p *pins) (*compiled, error) {
	resolver := &fragmentResolver{ctx: ctx, defs: d}
	if p != nil {
		resolver.pins = p.fragments
	}
	switch kind {
	case KindForm:
		var f forms.Form
		if err := json.Unmarshal(body, &f); err != nil {
			return nil, invalidf("stored %s %q is not valid JSON: %v", kind, key, err)
		}
		c, err := forms.Compile(f, resolver)
		if err != nil {
			return nil, err
		}
		return &compiled{title: f.Title, form: c, fragments: c.Fragments()}, nil
	case KindFragment:
		var f Fragment
		if err := json.Unmarshal(body, &f); err != nil {
			return nil, invalidf("stored %s %q is not valid JSON: %v", kind, key, err)
		}
		c, err := forms.CompileFragment(key, f.Schema, resolver)
		if err != nil {
			return nil, err
		}
		return &compiled{title: f.Title, form: c, fragments: c.Fragments()}, nil
	case KindRuleSet:
		var rs RuleSet
		if err := json.Unmarshal(body, &rs); err != nil {
			return nil, invalidf("stored %s %q is not valid JSON: %v", kind, key, err)
		}
		return d.compileRuleSet(ctx, rs, p)
	case KindWorkflow:
		var wf Workflow
		if err := json.Unmarshal(body, &wf); err != nil {
			return nil, invalidf("stored %s %q is not valid JSON: %v", kind, key, err)
		}
		return d.compileWorkflow(ctx, wf, p)
	case KindCalendar:
		var cal rules.Calendar
		if err := json.Unmarshal(body, &cal); err != nil {
			return nil, invalidf("stored %s %q is not valid JSON: %v", kind, key, err)
		}
		c, err := rules.CompileCalendar(cal)
		if err != nil {
			return nil, definitionError(err, "calendar")
		}
		return &compiled{title: forms.Text(cal.Title), calendar: c}, nil
	case KindRequestType:
		var t RequestType
		if err := json.Unmarshal(body, &t); err != nil {
			return nil, invalidf("stored %s %q is not valid JSON: %v", kind, key, err)
		}
		if t.Key == "" {
			t.Key = key
		}
		return d.compileRequestType(ctx, t, p == nil)
	case KindSLAPolicy:
		var p SLAPolicy
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, invalidf("stored %s %q is not valid JSON: %v", kind, key, err)
		}
		return d.compileSLAPolicy(ctx, p)
	}
	return nil, invalidf("unknown kind %q", kind)
}

// pinnedForm returns the form a rule set or workflow is checked against:
// the version it was published with, or for a draft the newest.
func (d *Definitions) pinnedForm(ctx context.Context, key string, p *pins) (*PublishedForm, error) {
	number := 0
	if p != nil {
		number = p.form
	}
	var (
		f   *PublishedForm
		err error
	)
	if number == 0 {
		f, err = d.Form(ctx, key)
	} else {
		f, err = d.FormVersion(ctx, key, number)
	}
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrNotPublished):
		return nil, &forms.DefinitionError{Problems: []forms.FieldError{{
			Pointer: "/form", Code: "ref", Params: map[string]any{"ref": key, "detail": fmt.Sprintf("form %q is not published, so the rules cannot be checked against it", key)},
		}}}
	case err != nil:
		return nil, err
	}
	return f, nil
}

// compileRuleSet checks a decision table against the form it names.
func (d *Definitions) compileRuleSet(ctx context.Context, rs RuleSet, p *pins) (*compiled, error) {
	env := rules.NewEnv(nil)
	var ref *FormRef
	if rs.Form != "" {
		f, err := d.pinnedForm(ctx, rs.Form, p)
		if err != nil {
			return nil, err
		}
		env = f.Compiled.Rules()
		ref = &FormRef{Key: f.Key, Version: f.Version}
	}
	table, err := rules.CompileTable(rs.Table, env)
	if err != nil {
		return nil, definitionError(err, "rule")
	}
	return &compiled{title: forms.Text(rs.Title), table: table, formRef: ref}, nil
}

// definitionError turns the rules package's problems (a table's, a
// calendar's) into a definition error under code; other errors pass.
func definitionError(err error, code string) error {
	var problems []rules.Problem
	var te *rules.TableError
	var ce *rules.CalendarError
	switch {
	case errors.As(err, &te):
		problems = te.Problems
	case errors.As(err, &ce):
		problems = ce.Problems
	default:
		return err
	}
	de := &forms.DefinitionError{}
	for _, pr := range problems {
		de.Problems = append(de.Problems, forms.FieldError{Pointer: pr.Pointer, Code: code, Params: map[string]any{"detail": pr.Message, "check": pr.Code}})
	}
	return de
}

// compileWorkflow lints a workflow against the form it names, and checks
// that the rule sets and groups it names exist.
func (d *Definitions) compileWorkflow(ctx context.Context, wf Workflow, p *pins) (*compiled, error) {
	if wf.Form == "" {
		return nil, &forms.DefinitionError{Problems: []forms.FieldError{{Pointer: "/form", Code: "workflow", Params: map[string]any{"detail": "name the form whose requests this workflow handles"}}}}
	}
	f, err := d.pinnedForm(ctx, wf.Form, p)
	if err != nil {
		return nil, err
	}
	deps := LintDeps{
		Env: f.Compiled.Rules(),
		RuleSet: func(key string) error {
			_, err := d.newest(ctx, KindRuleSet, key)
			if errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotPublished) {
				return errors.New("no such published rule set")
			}
			return err
		},
	}
	if d.groupExists != nil {
		deps.Group = func(name string) error { return d.groupExists(ctx, name) }
	}
	w, err := CompileWorkflow(wf, deps)
	if err != nil {
		return nil, err
	}
	w.Form = FormRef{Key: f.Key, Version: f.Version}
	return &compiled{title: wf.Title, workflow: w, formRef: &w.Form}, nil
}

// Workflow returns one published version of workflow key (0: the newest),
// compiled.
func (d *Definitions) Workflow(ctx context.Context, key string, number int) (*CompiledWorkflow, error) {
	c, number, err := d.published(ctx, KindWorkflow, key, number)
	if err != nil {
		return nil, err
	}
	w := *c.workflow
	w.Version = number
	return &w, nil
}

// WorkflowDraft compiles the draft of workflow key, for simulation before
// publishing.
func (d *Definitions) WorkflowDraft(ctx context.Context, key string) (*CompiledWorkflow, error) {
	c, err := d.draft(ctx, KindWorkflow, key)
	if err != nil {
		return nil, err
	}
	return c.workflow, nil
}

// fragmentResolver resolves fragment references for forms.Compile from the
// published fragments in the store.
type fragmentResolver struct {
	ctx  context.Context
	defs *Definitions
	pins map[string]int
}

func (r *fragmentResolver) Fragment(key string, version int) (json.RawMessage, int, error) {
	if version == 0 && r.pins != nil {
		version = r.pins[key]
	}
	v, err := r.defs.Version(r.ctx, KindFragment, key, version)
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotPublished) {
		return nil, 0, fmt.Errorf("%w: %v", forms.ErrUnknownFragment, err)
	}
	if err != nil {
		return nil, 0, err
	}
	var f Fragment
	if err := json.Unmarshal(v.Body, &f); err != nil {
		return nil, 0, fmt.Errorf("fragment %q version %d: %w", key, v.Number, err)
	}
	return f.Schema, v.Number, nil
}

// DecodeDefinition checks a definition body as saving a draft does: its
// shape (known fields only, key matching the path), returned with the key
// filled in, with its title and the form it names.
func DecodeDefinition(kind Kind, key string, body json.RawMessage) (json.RawMessage, forms.Text, string, error) {
	return decodeDefinition(kind, key, body)
}

// decodeDefinition checks the shape of a definition body (known fields
// only, key matching the path) and returns it with the key filled in.
func decodeDefinition(kind Kind, key string, body json.RawMessage) (json.RawMessage, forms.Text, string, error) {
	var (
		target   any
		keyOf    func() *string
		title    func() forms.Text
		category func() *string
	)
	switch kind {
	case KindForm:
		var f forms.Form
		target, keyOf, title, category = &f, func() *string { return &f.Key }, func() forms.Text { return f.Title }, func() *string { return &f.Category }
	case KindFragment:
		var f Fragment
		target, keyOf, title, category = &f, func() *string { return &f.Key }, func() forms.Text { return f.Title }, func() *string { return &f.Category }
	case KindRuleSet:
		var r RuleSet
		target, keyOf, title, category = &r, func() *string { return &r.Key }, func() forms.Text { return forms.Text(r.Title) }, func() *string { return &r.Category }
	case KindWorkflow:
		var w Workflow
		target, keyOf, title, category = &w, func() *string { return &w.Key }, func() forms.Text { return w.Title }, func() *string { return &w.Category }
	case KindCalendar:
		var c rules.Calendar
		target, keyOf, title, category = &c, func() *string { return &c.Key }, func() forms.Text { return forms.Text(c.Title) }, func() *string { return &c.Category }
	case KindRequestType:
		var t RequestType
		target, keyOf, title, category = &t, func() *string { return &t.Key }, func() forms.Text { return t.Title }, func() *string { return &t.Category }
	case KindSLAPolicy:
		var p SLAPolicy
		target, keyOf, title, category = &p, func() *string { return &p.Key }, func() forms.Text { return p.Title }, func() *string { return &p.Category }
	default:
		return nil, nil, "", invalidf("unknown kind %q", kind)
	}
	if err := decodeStrict(body, target); err != nil {
		return nil, nil, "", err
	}
	if c := category(); *c == "" {
		*c = DefaultCategory
	} else if !forms.ValidKey(*c) {
		return nil, nil, "", &forms.DefinitionError{Problems: []forms.FieldError{{Pointer: "/category", Code: "key", Params: map[string]any{"key": *c}}}}
	}
	for lang := range title() {
		if !langTag.MatchString(lang) {
			return nil, nil, "", &forms.DefinitionError{Problems: []forms.FieldError{{
				Pointer: "/title/" + lang, Code: "title", Params: map[string]any{"detail": fmt.Sprintf("%q is not a language tag such as en or fa", lang)},
			}}}
		}
	}
	switch k := keyOf(); *k {
	case "":
		*k = key
	case key:
	default:
		return nil, nil, "", &forms.DefinitionError{Problems: []forms.FieldError{{
			Pointer: "/key", Code: "key", Params: map[string]any{"detail": fmt.Sprintf("the body names key %q but the path names %q", *k, key)},
		}}}
	}
	out, err := json.Marshal(target)
	if err != nil {
		return nil, nil, "", invalidf("%s %q: %v", kind, key, err)
	}
	return out, title(), *category(), nil
}

// langTag is the shape of a language tag in a Text ("en", "fa", "pt-BR").
var langTag = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// decodeStrict decodes one JSON object into v, refusing unknown fields so
// that a misspelt "shema" is an error and not a silently empty schema.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return &forms.DefinitionError{Problems: []forms.FieldError{{
				Pointer: "/" + strings.ReplaceAll(ute.Field, ".", "/"), Code: "type",
				Params: map[string]any{"detail": fmt.Sprintf("expected %s, got JSON %s", jsonTypeName(ute.Type.Kind().String()), ute.Value)},
			}}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &forms.DefinitionError{Problems: []forms.FieldError{{
				Pointer: "/" + name, Code: "unknownField", Params: map[string]any{"detail": fmt.Sprintf("unknown field %q", name)},
			}}}
		}
		return invalidf("the definition is not a JSON object: %v", err)
	}
	if dec.More() {
		return invalidf("the definition has data after its JSON object")
	}
	return nil
}

func jsonTypeName(goKind string) string {
	switch goKind {
	case "map", "struct":
		return "an object"
	case "slice":
		return "an array"
	case "string":
		return "a string"
	}
	return goKind
}

// RuleSetDraft compiles the draft of rule set key, so that a process owner
// can try it on samples before publishing. A draft that does not compile
// is a *forms.DefinitionError.
func (d *Definitions) RuleSetDraft(ctx context.Context, key string) (*PublishedRuleSet, error) {
	c, err := d.draft(ctx, KindRuleSet, key)
	if err != nil {
		return nil, err
	}
	return &PublishedRuleSet{Key: key, Title: c.title, Form: c.formRef, Table: c.table}, nil
}

// RulesEnv returns the environment rules about form key are checked in:
// its newest published version's fields, or with draft its draft's. An
// empty key is an environment whose form is an open object.
func (d *Definitions) RulesEnv(ctx context.Context, key string, draft bool) (*rules.Env, error) {
	switch {
	case key == "":
		return rules.NewEnv(nil), nil
	case draft:
		c, err := d.draft(ctx, KindForm, key)
		if err != nil {
			return nil, err
		}
		return c.form.Rules(), nil
	}
	f, err := d.Form(ctx, key)
	if err != nil {
		return nil, err
	}
	return f.Compiled.Rules(), nil
}
