package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// services returns a definitions and a requests service on a fresh database.
func services(t *testing.T) (*engine.Definitions, *engine.Requests, *mongostore.Store) {
	t.Helper()
	store := storetest.Store(t)
	defs := engine.NewDefinitions(store, nil)
	return defs, engine.NewRequests(store, defs), store
}

func fixture(t *testing.T, name string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func publish(t *testing.T, defs *engine.Definitions, kind engine.Kind, key string, body json.RawMessage) *engine.Version {
	t.Helper()
	ctx := context.Background()
	if _, problems, err := defs.SaveDraft(ctx, kind, key, body, 0); err != nil || len(problems) > 0 {
		t.Fatalf("save %s %s: %v %v", kind, key, err, problems)
	}
	v, err := defs.Publish(ctx, kind, key)
	if err != nil {
		t.Fatalf("publish %s %s: %v", kind, key, err)
	}
	return v
}

func decode(t *testing.T, s string) any {
	t.Helper()
	v, err := forms.DecodeData(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDraftsAndVersions(t *testing.T) {
	t.Parallel()
	defs, _, _ := services(t)
	ctx := context.Background()
	publish(t, defs, engine.KindFragment, "contact", fixture(t, "contact-v1.json"))

	d, problems, err := defs.SaveDraft(ctx, engine.KindForm, "ticket", fixture(t, "ticket.json"), 0)
	if err != nil || len(problems) != 0 || d.Revision != 1 || d.LatestVersion != 0 {
		t.Fatalf("first save: %+v %v %v", d, problems, err)
	}
	v1, err := defs.Publish(ctx, engine.KindForm, "ticket")
	if err != nil || v1.Number != 1 {
		t.Fatalf("publish: %+v %v", v1, err)
	}
	if len(v1.Fragments) != 1 || v1.Fragments[0] != (forms.FragmentRef{Key: "contact", Version: 1}) {
		t.Errorf("version 1 pins fragments %+v, want contact@1", v1.Fragments)
	}

	// A new draft leaves version 1 as it was.
	changed := strings.Replace(string(fixture(t, "ticket.json")), `"minLength": 3`, `"minLength": 10`, 1)
	d, _, err = defs.SaveDraft(ctx, engine.KindForm, "ticket", json.RawMessage(changed), 1)
	if err != nil || d.Revision != 2 {
		t.Fatalf("second save: %+v %v", d, err)
	}
	if _, _, err := defs.SaveDraft(ctx, engine.KindForm, "ticket", json.RawMessage(changed), 1); !errors.Is(err, engine.ErrPreconditionFailed) {
		t.Errorf("save with a stale revision: %v, want ErrPreconditionFailed", err)
	}
	got, err := defs.Version(ctx, engine.KindForm, "ticket", 1)
	if err != nil || !strings.Contains(string(got.Body), `"minLength":3`) {
		t.Errorf("version 1 changed: %s %v", got.Body, err)
	}
	v2, err := defs.Publish(ctx, engine.KindForm, "ticket")
	if err != nil || v2.Number != 2 {
		t.Fatalf("publish 2: %+v %v", v2, err)
	}
	latest, err := defs.Version(ctx, engine.KindForm, "ticket", 0)
	if err != nil || latest.Number != 2 || !strings.Contains(string(latest.Body), `"minLength":10`) {
		t.Errorf("latest = %+v %v", latest, err)
	}
	list, err := defs.Versions(ctx, engine.KindForm, "ticket", 0, 10)
	if err != nil || len(list) != 2 || list[0].Number != 2 || list[1].Number != 1 || list[0].Body != nil {
		t.Errorf("versions = %+v %v", list, err)
	}
	if page, _ := defs.Versions(ctx, engine.KindForm, "ticket", 2, 10); len(page) != 1 || page[0].Number != 1 {
		t.Errorf("versions before 2 = %+v", page)
	}
	if _, err := defs.Version(ctx, engine.KindForm, "ticket", 3); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("version 3: %v, want ErrNotFound", err)
	}
	if _, err := defs.Version(ctx, engine.KindForm, "nope", 0); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("unknown form: %v, want ErrNotFound", err)
	}
}

func TestListDefinitionsPagesInKeyOrder(t *testing.T) {
	t.Parallel()
	defs, _, _ := services(t)
	ctx := context.Background()
	for _, key := range []string{"delta", "alpha", "charlie", "bravo", "alpha-two"} {
		body := `{"title": {"en": "` + key + `"}, "schema": {"type": "object"}}`
		if _, _, err := defs.SaveDraft(ctx, engine.KindForm, key, json.RawMessage(body), 0); err != nil {
			t.Fatal(err)
		}
	}
	// A fragment of the same key space must not show up among forms.
	if _, _, err := defs.SaveDraft(ctx, engine.KindFragment, "aardvark", json.RawMessage(`{"title": {"en": "x"}, "schema": {"type": "object"}}`), 0); err != nil {
		t.Fatal(err)
	}
	var keys []string
	after := ""
	for {
		page, err := defs.List(ctx, engine.KindForm, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, d := range page {
			keys = append(keys, d.Key)
			if d.Draft != nil {
				t.Errorf("list returned the draft of %s", d.Key)
			}
		}
		after = page[len(page)-1].Key
	}
	if got := strings.Join(keys, ","); got != "alpha,alpha-two,bravo,charlie,delta" {
		t.Errorf("keys = %s", got)
	}
}

func TestPublishRefusesWhatDoesNotCompile(t *testing.T) {
	t.Parallel()
	defs, _, _ := services(t)
	ctx := context.Background()
	bad := json.RawMessage(`{"title": {"en": "Bad"}, "schema": {"type": "object", "properties": {"age": {"type": "integer", "minimum": "ten"}}}}`)
	d, problems, err := defs.SaveDraft(ctx, engine.KindForm, "bad", bad, 0)
	if err != nil || d == nil {
		t.Fatalf("a draft that does not compile must still be saved: %v", err)
	}
	if len(problems) == 0 {
		t.Errorf("save reported no problems for a schema with minimum: \"ten\"")
	}
	_, err = defs.Publish(ctx, engine.KindForm, "bad")
	var de *forms.DefinitionError
	if !errors.As(err, &de) || len(de.Problems) == 0 {
		t.Fatalf("publish: %v, want a DefinitionError", err)
	}
	if !strings.HasPrefix(de.Problems[0].Pointer, "/schema") {
		t.Errorf("problem pointer %q does not point into the schema", de.Problems[0].Pointer)
	}
	if h, _ := defs.Get(ctx, engine.KindForm, "bad"); h.LatestVersion != 0 {
		t.Errorf("a refused publish left version %d", h.LatestVersion)
	}
	// A form that refers to a fragment nobody published.
	orphan := json.RawMessage(`{"title": {"en": "O"}, "schema": {"type": "object", "properties": {"c": {"$ref": "fragment:missing"}}}}`)
	if _, _, err := defs.SaveDraft(ctx, engine.KindForm, "orphan", orphan, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := defs.Publish(ctx, engine.KindForm, "orphan"); !errors.As(err, &de) {
		t.Errorf("publish with an unknown fragment: %v, want a DefinitionError", err)
	}
	if _, err := defs.Publish(ctx, engine.KindForm, "never-saved"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("publish of an unknown form: %v, want ErrNotFound", err)
	}
}

func TestSaveDraftRefusesMalformedDefinitions(t *testing.T) {
	t.Parallel()
	defs, _, _ := services(t)
	ctx := context.Background()
	cases := []struct {
		name, key, body, pointer string
	}{
		{"unknown field", "ff", `{"title": {"en": "x"}, "shema": {}}`, "/shema"},
		{"key mismatch", "ff", `{"key": "g", "title": {"en": "x"}, "schema": {"type": "object"}}`, "/key"},
		{"title of wrong type", "ff", `{"title": "x", "schema": {"type": "object"}}`, "/title"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := defs.SaveDraft(ctx, engine.KindForm, tc.key, json.RawMessage(tc.body), 0)
			var de *forms.DefinitionError
			if !errors.As(err, &de) || de.Problems[0].Pointer != tc.pointer {
				t.Fatalf("err = %v, want a DefinitionError at %s", err, tc.pointer)
			}
		})
	}
	for _, key := range []string{"A", "a", "-x", "has space", strings.Repeat("x", 64)} {
		if _, _, err := defs.SaveDraft(ctx, engine.KindForm, key, json.RawMessage(`{"title": {"en": "x"}, "schema": {"type": "object"}}`), 0); !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("key %q: %v, want ErrInvalid", key, err)
		}
	}
	if _, _, err := defs.SaveDraft(ctx, engine.KindForm, "f", json.RawMessage(`[1]`), 0); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("array body: %v, want ErrInvalid", err)
	}
}

// Concurrent publishes of one form make as many versions, each number once.
func TestConcurrentPublishesNeverShareANumber(t *testing.T) {
	t.Parallel()
	store := storetest.Store(t)
	ctx := context.Background()
	first := engine.NewDefinitions(store, nil)
	publish(t, first, engine.KindFragment, "contact", fixture(t, "contact-v1.json"))
	if _, _, err := first.SaveDraft(ctx, engine.KindForm, "ticket", fixture(t, "ticket.json"), 0); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	numbers := make(chan int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Separate services, as separate processes would have.
			v, err := engine.NewDefinitions(store, nil).Publish(ctx, engine.KindForm, "ticket")
			if err != nil {
				t.Error(err)
				return
			}
			numbers <- v.Number
		}()
	}
	wg.Wait()
	close(numbers)
	seen := map[int]bool{}
	for num := range numbers {
		if seen[num] {
			t.Errorf("version %d published twice", num)
		}
		seen[num] = true
	}
	for i := 1; i <= n; i++ {
		if !seen[i] {
			t.Errorf("version %d missing; got %v", i, seen)
		}
	}
	if h, _ := first.Get(ctx, engine.KindForm, "ticket"); h.LatestVersion != n {
		t.Errorf("head says latest %d, want %d", h.LatestVersion, n)
	}
}

// A published form keeps the fragment version it was published with.
func TestPublishedFormsKeepTheirFragmentVersions(t *testing.T) {
	t.Parallel()
	defs, requests, store := services(t)
	ctx := context.Background()
	publish(t, defs, engine.KindFragment, "contact", fixture(t, "contact-v1.json"))
	publish(t, defs, engine.KindForm, "ticket", fixture(t, "ticket.json"))
	publish(t, defs, engine.KindFragment, "contact", fixture(t, "contact-v2.json")) // now requires phone

	noPhone := `{"contact": {"email": "a@example.com"}, "subject": "Printer"}`
	// A fresh process (cold cache) compiles version 1 with contact@1 again.
	cold := engine.NewRequests(store, engine.NewDefinitions(store, nil))
	for name, r := range map[string]*engine.Requests{"warm": requests, "cold": cold} {
		if _, err := r.Submit(ctx, engine.SubmitParams{Form: "ticket", Data: decode(t, noPhone)}); err != nil {
			t.Errorf("%s: form version 1 must still accept a contact without phone: %v", name, err)
		}
	}
	// Republishing the form picks up contact@2.
	v2 := publish(t, defs, engine.KindForm, "ticket", fixture(t, "ticket.json"))
	if v2.Fragments[0].Version != 2 {
		t.Fatalf("republished form pins %+v", v2.Fragments)
	}
	_, err := requests.Submit(ctx, engine.SubmitParams{Form: "ticket", Data: decode(t, noPhone)})
	var ve *forms.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Pointer != "/contact/phone" || ve.Errors[0].Code != "required" {
		t.Errorf("form version 2: %v, want one required error at /contact/phone", err)
	}
}

func TestSubmitAndTrack(t *testing.T) {
	t.Parallel()
	defs, requests, _ := services(t)
	ctx := context.Background()
	publish(t, defs, engine.KindFragment, "contact", fixture(t, "contact-v1.json"))
	publish(t, defs, engine.KindForm, "ticket", fixture(t, "ticket.json"))

	req, err := requests.Submit(ctx, engine.SubmitParams{
		Form: "ticket", Channel: engine.ChannelPortal,
		Data: decode(t, `{"contact": {"email": "a@example.com"}, "subject": "Printer jam", "priority": 2}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if req.Status != engine.StatusSubmitted || req.Form != (engine.FormRef{Key: "ticket", Version: 1}) || req.Revision != 1 {
		t.Errorf("receipt = %+v", req)
	}
	typed := strings.ToLower(req.ID[:5] + "-" + req.ID[5:])
	got, err := requests.Track(ctx, typed)
	if err != nil {
		t.Fatalf("track %q: %v", typed, err)
	}
	if got.ID != req.ID || got.Channel != engine.ChannelPortal || got.Data["subject"] != "Printer jam" || got.Data["priority"] != int64(2) {
		t.Errorf("stored request = %+v", got)
	}
	if len(got.History) != 1 || got.History[0].Type != engine.EventSubmitted || got.History[0].Form.Version != 1 {
		t.Errorf("history = %+v", got.History)
	}
	if !got.CreatedAt.Equal(req.CreatedAt) {
		t.Errorf("createdAt stored %v, returned %v", got.CreatedAt, req.CreatedAt)
	}

	if _, err := requests.Track(ctx, engine.NewTrackingCode()); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("unknown code: %v, want ErrNotFound", err)
	}
	if _, err := requests.Track(ctx, "not-a-code"); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("malformed code: %v, want ErrInvalid", err)
	}
}

func TestSubmitRefusals(t *testing.T) {
	t.Parallel()
	defs, requests, store := services(t)
	ctx := context.Background()
	publish(t, defs, engine.KindFragment, "contact", fixture(t, "contact-v1.json"))
	publish(t, defs, engine.KindForm, "ticket", fixture(t, "ticket.json"))
	if _, _, err := defs.SaveDraft(ctx, engine.KindForm, "draft-only", json.RawMessage(`{"title": {"en": "x"}, "schema": {"type": "object"}}`), 0); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		p    engine.SubmitParams
		want error
	}{
		{"unknown form", engine.SubmitParams{Form: "nope", Data: map[string]any{}}, engine.ErrNotFound},
		{"unpublished form", engine.SubmitParams{Form: "draft-only", Data: map[string]any{}}, engine.ErrNotPublished},
		{"data not an object", engine.SubmitParams{Form: "ticket", Data: []any{}}, engine.ErrInvalid},
		{"unknown channel", engine.SubmitParams{Form: "ticket", Data: map[string]any{}, Channel: "pigeon"}, engine.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := requests.Submit(ctx, tc.p); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	_, err := requests.Submit(ctx, engine.SubmitParams{Form: "ticket", Data: decode(t, `{"contact": {"email": "nope"}, "subject": "x", "priority": 9}`)})
	var ve *forms.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("invalid data: %v", err)
	}
	var got []string
	for _, e := range ve.Errors {
		got = append(got, e.Pointer+":"+e.Code)
	}
	if strings.Join(got, " ") != "/contact/email:format /priority:maximum /subject:minLength" {
		t.Errorf("errors = %v", got)
	}
	// Nothing was written by any refusal.
	if n, err := storetest.Count(t, store, "requests"); err != nil || n != 0 {
		t.Errorf("refused submissions left %d requests (%v)", n, err)
	}
}

// A publish made through another service (another process) is used within
// one poll interval.
func TestWatchPicksUpPublishesFromElsewhere(t *testing.T) {
	t.Parallel()
	store := storetest.Store(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	here := engine.NewDefinitions(store, nil)
	elsewhere := engine.NewDefinitions(store, nil)
	publish(t, elsewhere, engine.KindFragment, "contact", fixture(t, "contact-v1.json"))
	publish(t, elsewhere, engine.KindForm, "ticket", fixture(t, "ticket.json"))
	go here.Watch(ctx, 50*time.Millisecond)
	if f, err := here.Form(ctx, "ticket"); err != nil || f.Version != 1 {
		t.Fatalf("form = %+v %v", f, err)
	}
	publish(t, elsewhere, engine.KindForm, "ticket", fixture(t, "ticket.json"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		f, err := here.Form(ctx, "ticket")
		if err != nil {
			t.Fatal(err)
		}
		if f.Version == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("version 2 not seen within 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// While watching, a definition found not published is not looked up
// again (a form without a request type of its key is asked for one on
// every submission), until a publish anywhere: then it is found.
func TestWatchRemembersAbsencesUntilAPublish(t *testing.T) {
	t.Parallel()
	base := storetest.Store(t)
	store := &readCounter{Store: base}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	here := engine.NewDefinitions(store, nil)
	elsewhere := engine.NewDefinitions(base, nil)
	go here.Watch(ctx, 50*time.Millisecond)
	time.Sleep(100 * time.Millisecond) // watching
	for range 3 {
		if _, err := here.Form(ctx, "ticket"); !errors.Is(err, engine.ErrNotFound) {
			t.Fatalf("unpublished form: %v", err)
		}
	}
	if n := store.gets.Load(); n != 1 {
		t.Errorf("%d reads for three lookups of an absent form, want 1", n)
	}
	publish(t, elsewhere, engine.KindFragment, "contact", fixture(t, "contact-v1.json"))
	publish(t, elsewhere, engine.KindForm, "ticket", fixture(t, "ticket.json"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		f, err := here.Form(ctx, "ticket")
		if err == nil && f.Version == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the form published elsewhere not seen within 5s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readCounter counts the definition heads read from the store.
type readCounter struct {
	engine.Store
	gets atomic.Int64
}

func (s *readCounter) DefinitionGet(ctx context.Context, kind engine.Kind, key string) (*engine.Definition, error) {
	s.gets.Add(1)
	return s.Store.DefinitionGet(ctx, kind, key)
}

// A tracking code that is already taken is retried with a new one; the
// requester never sees the collision.
func TestTrackingCodeCollisionRetries(t *testing.T) {
	t.Parallel()
	defs, requests, _ := services(t)
	ctx := context.Background()
	publish(t, defs, engine.KindFragment, "contact", fixture(t, "contact-v1.json"))
	publish(t, defs, engine.KindForm, "ticket", fixture(t, "ticket.json"))
	data := decode(t, `{"contact": {"email": "a@example.com"}, "subject": "Printer jam"}`)
	first, err := requests.Submit(ctx, engine.SubmitParams{Form: "ticket", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	fresh := engine.NewTrackingCode()
	calls := 0
	engine.SetCodeSource(requests, func() string {
		calls++
		if calls <= 2 {
			return first.ID // taken
		}
		return fresh
	})
	second, err := requests.Submit(ctx, engine.SubmitParams{Form: "ticket", Data: data})
	if err != nil {
		t.Fatalf("submission after collisions: %v", err)
	}
	if second.ID != fresh || calls != 3 {
		t.Errorf("got code %s after %d draws, want %s after 3", second.ID, calls, fresh)
	}
	if got, err := requests.Get(ctx, first.ID); err != nil || got.Revision != 1 {
		t.Errorf("the first request was disturbed: %+v %v", got, err)
	}
	// A code source that only ever collides fails cleanly instead of looping.
	engine.SetCodeSource(requests, func() string { return first.ID })
	if _, err := requests.Submit(ctx, engine.SubmitParams{Form: "ticket", Data: data}); !errors.Is(err, engine.ErrDuplicate) {
		t.Errorf("endless collisions: %v, want ErrDuplicate", err)
	}
}

func TestSubmitAppliesFormRulesAndKeepsWhatTheyComputed(t *testing.T) {
	t.Parallel()
	defs, requests, _ := services(t)
	ctx := context.Background()
	body := fixture(t, "purchase.json")
	publish(t, defs, engine.KindForm, "purchase", body)

	submit := func(data string, segment string) (*engine.Request, error) {
		return requests.Submit(ctx, engine.SubmitParams{
			Form: "purchase", Data: decode(t, data), Requester: "sara", Profile: rules.Requester{ID: "sara", Segment: segment},
		})
	}
	// The client's total is replaced by the server's; the reason for an
	// expedite that was not asked for is dropped.
	req, err := submit(`{"items": [{"name": "pen", "qty": 3, "price": 2.5}, {"name": "pad", "qty": 1, "price": 4}], "total": 1, "expedite": false, "expediteReason": "x"}`, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Data["total"]; got != 11.5 {
		t.Errorf("total = %v, want 11.5 computed by the server", got)
	}
	if _, ok := req.Data["expediteReason"]; ok {
		t.Errorf("hidden expediteReason was kept: %v", req.Data)
	}

	// Above 1000 a justification is required, unless the requester is vip:
	// the rule reads the requester's profile.
	big := `{"items": [{"name": "laptop", "qty": 2, "price": 900}]}`
	_, err = submit(big, "gold")
	var ve *forms.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Pointer != "/justification" || ve.Errors[0].Code != "required" {
		t.Fatalf("over 1000 without justification: %v", err)
	}
	if _, err := submit(big, "vip"); err != nil {
		t.Errorf("vip over 1000: %v", err)
	}

	// Bad data gets the schema's errors, not a rule failure on top of them.
	_, err = submit(`{"items": [{"name": "pen", "qty": "three", "price": 2}]}`, "")
	if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Pointer != "/items/0/qty" || ve.Errors[0].Code != "type" {
		t.Fatalf("qty as text: %v", err)
	}

	// A later version computes differently; the stored request keeps what
	// was computed when it was submitted.
	publish(t, defs, engine.KindForm, "purchase", json.RawMessage(strings.Replace(string(body), ".qty * .price", ".qty * .price * 2", 1)))
	got, err := requests.Get(ctx, req.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Data["total"] != 11.5 || got.Form.Version != 1 {
		t.Errorf("stored request changed after a new version: %v (form %+v)", got.Data, got.Form)
	}
	again, err := submit(`{"items": [{"name": "pen", "qty": 3, "price": 2.5}]}`, "")
	if err != nil || again.Data["total"] != 15.0 || again.Form.Version != 2 {
		t.Errorf("new submission: %v %v", again, err)
	}
}
