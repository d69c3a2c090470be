package engine_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
)

func TestFoldText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Printer JAMS": "printer jams",
		"كيبورد":       "کیبورد",       // Arabic kaf and yeh
		"سفارش ۱۲۳۴۵۶": "سفارش 123456", // Persian digits
		"طلب ٤٥":       "طلب 45",       // Arabic-Indic digits
		"می‌خواهم":     "میخواهم",      // zero-width non-joiner
		"نامهٔ":        "نامه",         // hamza above
		"مُدیر":        "مدیر",         // a diacritic
		"آدرس أحمد":    "ادرس احمد",    // alef forms
		"کـــتاب":      "کتاب",         // tatweel
		"مدرسة الإمام": "مدرسه الامام",
	} {
		if got := engine.FoldText(in); got != want {
			t.Errorf("FoldText(%q) = %q, want %q", in, got, want)
		}
	}
}

// resolvedOrder submits an order for Sara (with her contact details),
// lets its owner reply with body and a note, and resolves it.
func resolvedOrder(t *testing.T, reqs *engine.Requests, reply string) *engine.Request {
	t.Helper()
	ctx := context.Background()
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal,
		Contact: &engine.Contact{Name: "Sara Ahmadi", Email: "sara@example.com", Phone: "+98 912 000 1111"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reqs.RequesterMessage(ctx, r.ID, engine.RequesterMessageParams{Actor: "sara", Body: "My VPN fails, I am Sara from floor 3."}); err != nil {
		t.Fatal(err)
	}
	if _, err := reqs.Note(ctx, r.ID, engine.NoteParams{Actor: "reza", Body: "The VPN certificate expired; renewed it on the gateway."}); err != nil {
		t.Fatal(err)
	}
	reply = strings.ReplaceAll(reply, "CODE", r.ID)
	if r, err = reqs.Reply(ctx, r.ID, engine.ReplyParams{Actor: r.Owner, Body: reply}); err != nil {
		t.Fatal(err)
	}
	task := openTaskAt(t, r, "handle")
	if r, err = reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: task.ID, Outcome: "done", Actor: r.Owner}); err != nil || !r.Closed {
		t.Fatalf("resolve: %v", err)
	}
	return r
}

// An agent saves a resolved request's reply as an article: without the
// requester's personal data, never from the requester's own words, from
// a note only when asked.
func TestArticleFromResolvedRequest(t *testing.T) {
	t.Parallel()
	reqs, _, _ := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	open, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	if open, err = reqs.Reply(ctx, open.ID, engine.ReplyParams{Actor: open.Owner, Body: "Checking."}); err != nil {
		t.Fatal(err)
	}
	if _, err := reqs.ArticleFromRequest(ctx, engine.ArticleFromRequestParams{Request: open.ID, Message: "m1", Author: "ali", ArticleParams: engine.ArticleParams{Title: "VPN"}}); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("from an open request: %v", err)
	}

	r := resolvedOrder(t, reqs, "Dear Sara Ahmadi, your VPN certificate had expired (request CODE). Sara, we renewed it; "+
		"reconnect and call us back on 0912-000-1111 (or ٠٩١٢ ٠٠٠ ١١١١) or write to SARA@example.com if it fails again.")
	from := func(message string, fromNote bool) (*engine.Article, error) {
		return reqs.ArticleFromRequest(ctx, engine.ArticleFromRequestParams{Request: r.ID, Message: message, Author: "ali", FromNote: fromNote,
			ArticleParams: engine.ArticleParams{Title: "VPN fails after certificate expiry", Tags: []string{"VPN", "Network"}}})
	}
	if _, err := from("m1", true); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("from the requester's message: %v", err)
	}
	if _, err := from("m2", false); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("from a note, not asked: %v", err)
	}
	note, err := from("m2", true)
	if err != nil || note.Source == nil || !note.Source.FromNote || !strings.Contains(note.Body, "certificate expired") {
		t.Fatalf("from a note, asked: %+v %v", note, err)
	}
	a, err := from("m3", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, personal := range []string{"Sara", "sara", "Ahmadi", "0912", "٠٩١٢", "example.com", r.ID} {
		if strings.Contains(a.Body, personal) {
			t.Errorf("the article keeps %q: %s", personal, a.Body)
		}
	}
	for _, placeholder := range []string{"Dear {name},", "{name}, we renewed", "{phone}", "{email}", "(request {trackingCode})"} {
		if !strings.Contains(a.Body, placeholder) {
			t.Errorf("the article lacks %q: %s", placeholder, a.Body)
		}
	}
	if a.Kind != engine.ArticleReply || a.Lang != "en" || a.RequestType != "order" || a.Source.Request != r.ID || a.Source.Message != "m3" ||
		a.Source.FromNote || strings.Join(a.Tags, ",") != "vpn,network" || a.Author != "ali" {
		t.Errorf("article: %+v", a)
	}
}

// Articles are found in English and Persian whatever letter forms, digits
// and joiners were typed; the best match first, then the most used; a
// reply written from one counts its use.
func TestSearchArticles(t *testing.T) {
	t.Parallel()
	reqs, _, c := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	add := func(author string, p engine.ArticleParams) *engine.Article {
		t.Helper()
		a, err := reqs.CreateArticle(ctx, author, p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	printers := add("ali", engine.ArticleParams{Kind: engine.ArticleGuide, Title: "Looking after the office printers", Body: "Clean the rollers monthly; a jam usually means worn rollers.", Tags: []string{"hardware"}})
	c.Add(time.Minute) // printer is the fresher: only its use can put printers first
	printer := add("reza", engine.ArticleParams{Title: "Printer jams on every page", Body: "Open tray 2 and remove the torn paper, then restart the printer.", Tags: []string{"hardware"}})
	persian := add("reza", engine.ArticleParams{Title: "پرینتر کاغذ را گیر می‌اندازد", Body: "سینی ۲ را باز کنید و کاغذ پاره را بردارید. پیگیری سفارش ۱۲۳۴۵۶ در سامانه.", Tags: []string{"سخت‌افزار"}})
	vpn := add("ali", engine.ArticleParams{Title: "VPN certificate expired", Body: "Renew the certificate on the gateway."})
	if persian.Lang != "fa" || printer.Lang != "en" {
		t.Errorf("languages: %s %s", persian.Lang, printer.Lang)
	}
	search := func(q engine.ArticleQuery) []string {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 50
		}
		hits, _, err := reqs.SearchArticles(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	names := map[string]string{printer.ID: "printer", printers.ID: "printers", persian.ID: "persian", vpn.ID: "vpn"}
	// Ranked: the order matters; else the set.
	for _, c := range []struct {
		q      engine.ArticleQuery
		want   string
		ranked bool
	}{
		{engine.ArticleQuery{Text: "printer jam"}, "printer,printers", true},  // title beats body
		{engine.ArticleQuery{Text: "PRINT"}, "printer,printers", false},       // a prefix, any case
		{engine.ArticleQuery{Text: "the printer"}, "printer,printers", false}, // stop words are not needed
		{engine.ArticleQuery{Text: "پرينتر"}, "persian", true},                // Arabic yeh
		{engine.ArticleQuery{Text: "گیر میاندازد"}, "persian", true},          // no joiner
		{engine.ArticleQuery{Text: "سفارش 123456"}, "persian", true},          // ASCII digits for Persian ones
		{engine.ArticleQuery{Text: "۱۲۳"}, "persian", true},                   // Persian digits, a prefix
		{engine.ArticleQuery{Text: "printer vpn"}, "", true},                  // every word must be found
		{engine.ArticleQuery{Tag: "Hardware"}, "printer,printers", false},
		{engine.ArticleQuery{Text: "printer", Kind: engine.ArticleGuide}, "printers", true},
		{engine.ArticleQuery{Lang: "fa"}, "persian", true},
	} {
		var got []string
		for _, id := range search(c.q) {
			got = append(got, names[id])
		}
		if !c.ranked {
			slices.Sort(got)
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%+v: %v, want %s", c.q, got, c.want)
		}
	}

	// Writing replies from an article counts its use, and the most used
	// comes first among equal matches.
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := reqs.Reply(ctx, r.ID, engine.ReplyParams{Actor: r.Owner, Body: "Clean the rollers, please.", Article: printers.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if a, err := reqs.Article(ctx, printers.ID); err != nil || a.Used != 2 || a.UsedAt == nil {
		t.Errorf("used: %+v %v", a, err)
	}
	if got := search(engine.ArticleQuery{Tag: "hardware"}); len(got) != 2 || got[0] != printers.ID {
		t.Errorf("the most used first: %v", got)
	}
	if _, err := reqs.Reply(ctx, r.ID, engine.ReplyParams{Actor: r.Owner, Body: "x", Article: "NOSUCH"}); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("a reply from an unknown article: %v", err)
	}
	// Paging.
	hits, next, err := reqs.SearchArticles(ctx, engine.ArticleQuery{Limit: 3})
	if err != nil || len(hits) != 3 || next == "" {
		t.Fatalf("first page: %d %q %v", len(hits), next, err)
	}
	if hits, next, err = reqs.SearchArticles(ctx, engine.ArticleQuery{Limit: 3, After: next}); err != nil || len(hits) != 1 || next != "" {
		t.Errorf("second page: %d %q %v", len(hits), next, err)
	}

	// Editing: the author, or a manager; an edit keeps the usage count
	// and is searched by its new words; archived, it is found no more.
	if _, err := reqs.UpdateArticle(ctx, printers.ID, "reza", false, engine.ArticleParams{Title: "Mine now", Body: "x"}, 0); !errors.Is(err, engine.ErrNotYours) {
		t.Errorf("someone else's article: %v", err)
	}
	edited, err := reqs.UpdateArticle(ctx, printers.ID, "maryam", true, engine.ArticleParams{Kind: engine.ArticleGuide, Title: "Caring for laser printers", Body: "Clean the fuser and rollers monthly."}, 1)
	if err != nil || edited.Revision != 2 || edited.EditedBy != "maryam" {
		t.Fatalf("edit: %+v %v", edited, err)
	}
	if _, err := reqs.UpdateArticle(ctx, printers.ID, "ali", false, engine.ArticleParams{Title: "Stale", Body: "x"}, 1); !errors.Is(err, engine.ErrPreconditionFailed) {
		t.Errorf("an edit of a stale revision: %v", err)
	}
	if a, _ := reqs.Article(ctx, printers.ID); a.Used != 2 {
		t.Errorf("the edit lost the usage count: %d", a.Used)
	}
	if got := search(engine.ArticleQuery{Text: "fuser"}); len(got) != 1 || got[0] != printers.ID {
		t.Errorf("after the edit: %v", got)
	}
	if _, err := reqs.ArchiveArticle(ctx, printers.ID, "ali", false); err != nil {
		t.Fatal(err)
	}
	if got := search(engine.ArticleQuery{Text: "fuser"}); len(got) != 0 {
		t.Errorf("archived, still found: %v", got)
	}
}
