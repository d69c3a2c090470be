package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/pishkhan/pishkhan/engine"
)

// TestSubmissionsWithAnIdempotencyKeyAreFiledOnce: the same submission
// sent again under its key, even eight times at once, files one request,
// and every sending gets that request back; after the request was
// archived too. The same key from another submitter is theirs; the same
// key for different data is refused; a malformed key is refused.
func TestSubmissionsWithAnIdempotencyKeyAreFiledOnce(t *testing.T) {
	t.Parallel()
	defs, requests, store := services(t)
	ctx := context.Background()
	publish(t, defs, engine.KindFragment, "contact", fixture(t, "contact-v1.json"))
	publish(t, defs, engine.KindForm, "ticket", fixture(t, "ticket.json"))
	submission := func(requester, subject, key string) engine.SubmitParams {
		return engine.SubmitParams{Form: "ticket", Channel: engine.ChannelPortal, Requester: requester, IdempotencyKey: key,
			Data: decode(t, `{"contact": {"email": "a@example.com"}, "subject": "`+subject+`"}`)}
	}
	filed := func(requester string) int {
		t.Helper()
		list, err := store.RequestsList(ctx, &engine.RequestsListParams{Requester: requester, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	var wg sync.WaitGroup
	got := make([]*engine.Request, 8)
	errs := make([]error, len(got))
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = requests.Submit(ctx, submission("sara", "Printer jam", "order-2291"))
		}()
	}
	wg.Wait()
	firsts := 0
	for i, req := range got {
		if errs[i] != nil {
			t.Fatalf("sending %d: %v", i, errs[i])
		}
		if req.ID != got[0].ID {
			t.Errorf("sending %d got %s, another %s", i, req.ID, got[0].ID)
		}
		if !req.Replayed {
			firsts++
		}
	}
	if n := filed("sara"); n != 1 || firsts != 1 {
		t.Fatalf("eight sendings filed %d requests, %d answered as first", n, firsts)
	}
	if _, ok := engine.NormalizeTrackingCode(got[0].ID); !ok {
		t.Errorf("derived code %q is not a tracking code", got[0].ID)
	}
	stored, err := requests.Get(ctx, got[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if notices := len(stored.Outbox); notices != 1 {
		t.Errorf("the request queued %d notifications, want the one acknowledgement", notices)
	}

	// Archived, it still answers a late retry, and is not filed again.
	if err := store.RequestArchive(ctx, stored); err != nil {
		t.Fatal(err)
	}
	again, err := requests.Submit(ctx, submission("sara", "Printer jam", "order-2291"))
	if err != nil || again.ID != stored.ID || !again.Replayed || !again.Archived {
		t.Fatalf("retry after the archive move: %+v %v", again, err)
	}
	if n := filed("sara"); n != 1 {
		t.Errorf("retry after the archive move filed again: %d requests", n)
	}

	// The key for other data is refused; another submitter's key is theirs.
	if _, err := requests.Submit(ctx, submission("sara", "Scanner jam", "order-2291")); !errors.Is(err, engine.ErrIdempotencyKeyReused) {
		t.Errorf("key reused for other data: %v", err)
	}
	other, err := requests.Submit(ctx, submission("omid", "Printer jam", "order-2291"))
	if err != nil || other.ID == stored.ID || other.Replayed {
		t.Errorf("another submitter's key: %+v %v", other, err)
	}
	// Without a key, each sending is a request.
	for range 2 {
		if _, err := requests.Submit(ctx, submission("leila", "Printer jam", "")); err != nil {
			t.Fatal(err)
		}
	}
	if n := filed("leila"); n != 2 {
		t.Errorf("two sendings without a key filed %d", n)
	}
	for _, key := range []string{"with space", strings.Repeat("k", 256), "کلید"} {
		if _, err := requests.Submit(ctx, submission("sara", "Printer jam", key)); !errors.Is(err, engine.ErrInvalid) {
			t.Errorf("key %.20q: %v, want ErrInvalid", key, err)
		}
	}
}
