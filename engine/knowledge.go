package engine

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pishkhan/pishkhan/forms"
)

// The knowledge base: answers the best agents wrote, saved for everyone
// to find and reuse. An agent saves a resolved request's reply as an
// article (or writes one directly); agents search articles in English and
// Persian (search.go) and insert one into a reply, which counts its use,
// so that the answers that serve most rise to the top.
//
// An article never carries the requester's personal data: it records the
// request and message it came from, not their data; the requester's name,
// email, phone, username and tracking code in the text are replaced by
// placeholders ({name}, {email}, {phone}, {requester}, {trackingCode}).
// A requester's own message is never a source. An internal note becomes
// an article only when the agent says so (FromNote), and the article says
// it came from a note. Articles are for staff: requesters do not read them.

// Article kinds.
const (
	// ArticleReply is a reusable answer, inserted into replies.
	ArticleReply = "reply"
	// ArticleGuide is a longer piece of know-how.
	ArticleGuide = "article"
)

// Article is one entry of the knowledge base.
type Article struct {
	ID    string   `bson:"_id" json:"id"`
	Kind  string   `bson:"kind" json:"kind"`
	Title string   `bson:"title" json:"title"`
	Body  string   `bson:"body" json:"body"`
	Tags  []string `bson:"tags" json:"tags"`
	// Lang is the article's language: en or fa.
	Lang string `bson:"lang" json:"lang"`
	// RequestType is the request type (or form) it answers, if any.
	RequestType string         `bson:"requestType,omitempty" json:"requestType,omitempty"`
	Source      *ArticleSource `bson:"source,omitempty" json:"source,omitempty"`
	Author      string         `bson:"author" json:"author"`
	EditedBy    string         `bson:"editedBy,omitempty" json:"editedBy,omitempty"`
	CreatedAt   time.Time      `bson:"createdAt" json:"createdAt"`
	UpdatedAt   time.Time      `bson:"updatedAt" json:"updatedAt"`
	// Used counts the replies written from it; UsedAt is the last.
	Used     int64      `bson:"used" json:"used"`
	UsedAt   *time.Time `bson:"usedAt,omitempty" json:"usedAt,omitempty"`
	Archived bool       `bson:"archived" json:"archived"`
	Revision int64      `bson:"revision" json:"revision"`
	// Tokens are the search tokens of the title, tags and body;
	// TitleTokens those of the title and tags, which rank higher.
	Tokens      []string `bson:"tokens" json:"-"`
	TitleTokens []string `bson:"titleTokens" json:"-"`
}

// ArticleSource is where an article came from.
type ArticleSource struct {
	Request string `bson:"request" json:"request"`
	Message string `bson:"message" json:"message"`
	// FromNote: the agent chose an internal note as the source.
	FromNote bool `bson:"fromNote,omitempty" json:"fromNote,omitempty"`
}

// ArticleParams are what an author writes of an article.
type ArticleParams struct {
	Kind  string // ArticleReply (the default) or ArticleGuide
	Title string
	Body  string
	Tags  []string
	// Lang is en or fa; "" guesses it from the script of the text.
	Lang        string
	RequestType string
}

const (
	maxTitle = 200
	maxTags  = 10
	maxTag   = 40
)

// check cleans p and says what is wrong with it.
func (p *ArticleParams) check() error {
	if p.Kind == "" {
		p.Kind = ArticleReply
	}
	p.Title = strings.TrimSpace(p.Title)
	var err error
	switch {
	case p.Kind != ArticleReply && p.Kind != ArticleGuide:
		return invalidf("kind: %s or %s, not %q", ArticleReply, ArticleGuide, p.Kind)
	case utf8.RuneCountInString(p.Title) < 3 || utf8.RuneCountInString(p.Title) > maxTitle:
		return invalidf("title: 3 to %d characters", maxTitle)
	case p.RequestType != "" && !forms.ValidKey(p.RequestType):
		return invalidf("requestType: %q is not a request type key", p.RequestType)
	case len(p.Tags) > maxTags:
		return invalidf("tags: at most %d", maxTags)
	}
	if p.Body, err = checkBody(p.Body); err != nil {
		return err
	}
	tags := make([]string, 0, len(p.Tags))
	for _, t := range p.Tags {
		t = strings.Join(strings.Fields(FoldText(t)), " ")
		if t == "" || utf8.RuneCountInString(t) > maxTag {
			return invalidf("tags: each 1 to %d characters", maxTag)
		}
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	p.Tags = tags
	switch p.Lang {
	case "":
		p.Lang = "en"
		if hasArabicScript(p.Title + p.Body) {
			p.Lang = "fa"
		}
	case "en", "fa":
	default:
		return invalidf("lang: en or fa, not %q", p.Lang)
	}
	return nil
}

// set writes p onto a, with its search tokens.
func (a *Article) set(p ArticleParams) {
	a.Kind, a.Title, a.Body, a.Tags, a.Lang, a.RequestType = p.Kind, p.Title, p.Body, p.Tags, p.Lang, p.RequestType
	a.TitleTokens = searchTokens(append([]string{p.Title}, p.Tags...)...)
	a.Tokens = searchTokens(append([]string{p.Title, p.Body}, p.Tags...)...)
}

// CreateArticle adds an article written directly by author.
func (r *Requests) CreateArticle(ctx context.Context, author string, p ArticleParams) (*Article, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return r.insertArticle(ctx, author, p, nil)
}

func (r *Requests) insertArticle(ctx context.Context, author string, p ArticleParams, src *ArticleSource) (*Article, error) {
	now := r.now().Truncate(time.Millisecond)
	a := &Article{ID: rand.Text(), Source: src, Author: author, CreatedAt: now, UpdatedAt: now, Revision: 1}
	a.set(p)
	if err := r.store.ArticleInsert(ctx, a); err != nil {
		return nil, fmt.Errorf("store article: %w", err)
	}
	return a, nil
}

// ArticleFromRequestParams are the arguments of ArticleFromRequest.
type ArticleFromRequestParams struct {
	Request string
	Message string
	Author  string
	// FromNote allows an internal note as the source.
	FromNote bool
	// ArticleParams: an empty Body takes the message's; an empty
	// RequestType the request's type (or form).
	ArticleParams
}

// ArticleFromRequest saves the answer of a resolved request as an article:
// the body of message p.Message (a reply; a note only with FromNote), or
// the body the author wrote, with the requester's personal data replaced
// by placeholders.
func (r *Requests) ArticleFromRequest(ctx context.Context, p ArticleFromRequestParams) (*Article, error) {
	req, err := r.Get(ctx, p.Request)
	if err != nil {
		return nil, err
	}
	if !req.Closed {
		return nil, conflictf("request %s is not resolved yet; save its answer once it is", req.ID)
	}
	i := slices.IndexFunc(req.Messages, func(m Message) bool { return m.ID == p.Message })
	if i < 0 {
		return nil, invalidf("message: request %s has no message %q", req.ID, p.Message)
	}
	m := req.Messages[i]
	switch {
	case m.Kind == MessageRequester:
		return nil, invalidf("message: %s is the requester's own; articles are made of staff's answers", m.ID)
	case m.Kind == MessageNote && !p.FromNote:
		return nil, invalidf("message: %s is an internal note; send fromNote: true to make an article of it (it will say it came from a note)", m.ID)
	}
	if p.Body == "" {
		p.Body = m.Body
	}
	p.Body, p.Title = withoutPersonalData(p.Body, req), withoutPersonalData(p.Title, req)
	if p.RequestType == "" {
		p.RequestType = req.Form.Key
		if req.Type != nil {
			p.RequestType = req.Type.Key
		}
	}
	if err := p.ArticleParams.check(); err != nil {
		return nil, err
	}
	return r.insertArticle(ctx, p.Author, p.ArticleParams, &ArticleSource{Request: req.ID, Message: m.ID, FromNote: m.Kind == MessageNote})
}

// withoutPersonalData replaces what the request knows of its requester in
// text by placeholders: their email, phone, name (whole, and each part of
// three letters or more), username and the tracking code.
func withoutPersonalData(text string, req *Request) string {
	var names, emails []string
	phone := ""
	if c := req.Contact; c != nil {
		names, emails, phone = append(names, c.Name), append(emails, c.Email), NormalizePhone(c.Phone)
	}
	names, emails = append(names, req.Profile.Name), append(emails, req.Profile.Email)
	for _, e := range emails {
		text = replaceWord(text, e, "{email}")
	}
	if len(phone) >= 9 {
		text = phoneRun.ReplaceAllStringFunc(text, func(run string) string {
			if d := NormalizePhone(run); len(d) >= 9 && strings.HasSuffix(strings.TrimPrefix(d, "+"), phone[len(phone)-9:]) {
				return "{phone}"
			}
			return run
		})
	}
	text = replaceWord(text, req.ID, "{trackingCode}")
	for _, n := range names {
		text = replaceWord(text, strings.TrimSpace(n), "{name}")
	}
	for _, n := range names {
		for _, part := range strings.Fields(n) {
			if utf8.RuneCountInString(part) >= 3 {
				text = replaceWord(text, part, "{name}")
			}
		}
	}
	return replaceWord(text, strings.TrimPrefix(req.Requester, "customer:"), "{requester}")
}

// phoneRun is a run of digits (ASCII, Persian or Arabic-Indic) with the separators
// phone numbers are written with.
var phoneRun = regexp.MustCompile(`\+?[0-9۰-۹٠-٩][0-9۰-۹٠-٩ ()\-.]{7,}[0-9۰-۹٠-٩]`)

// replaceWord replaces whole-word occurrences of word in text, ignoring
// case.
func replaceWord(text, word, with string) string {
	if len(word) < 2 {
		return text
	}
	re, err := regexp.Compile(`(?i)(^|[^\pL\pN_@.])` + regexp.QuoteMeta(word) + `($|[^\pL\pN_@])`)
	if err != nil {
		return text
	}
	// A match takes the characters around the word; two matches next to
	// each other share one, so replace until nothing changes.
	for range 10 {
		next := re.ReplaceAllString(text, "${1}"+with+"${2}")
		if next == text {
			break
		}
		text = next
	}
	return text
}

// Article returns an article by id.
func (r *Requests) Article(ctx context.Context, id string) (*Article, error) {
	a, err := r.store.ArticleGet(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", id, err)
	}
	return a, nil
}

// UpdateArticle rewrites an article: its author, or a manager (a
// supervisor). expect, if not 0, is the revision the editor read
// (ErrPreconditionFailed if someone saved since).
func (r *Requests) UpdateArticle(ctx context.Context, id, actor string, manager bool, p ArticleParams, expect int64) (*Article, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return r.changeArticle(ctx, id, actor, manager, expect, func(a *Article) { a.set(p) })
}

// ArchiveArticle takes an article out of searches (its author or a
// manager); it stays readable by id, for the replies written from it.
func (r *Requests) ArchiveArticle(ctx context.Context, id, actor string, manager bool) (*Article, error) {
	return r.changeArticle(ctx, id, actor, manager, 0, func(a *Article) { a.Archived = true })
}

func (r *Requests) changeArticle(ctx context.Context, id, actor string, manager bool, expect int64, f func(*Article)) (*Article, error) {
	for attempt := 1; ; attempt++ {
		a, err := r.Article(ctx, id)
		if err != nil {
			return nil, err
		}
		if a.Author != actor && !manager {
			return nil, notYoursf("only its author (%s) or a supervisor changes article %s", a.Author, id)
		}
		if expect != 0 && a.Revision != expect {
			return nil, fmt.Errorf("article %s is at revision %d, not %d: %w", id, a.Revision, expect, ErrPreconditionFailed)
		}
		read := a.Revision
		f(a)
		a.Revision, a.UpdatedAt, a.EditedBy = read+1, r.now().Truncate(time.Millisecond), actor
		err = r.store.ArticleUpdate(ctx, a, read)
		if err == nil {
			return a, nil
		}
		if !errors.Is(err, ErrPreconditionFailed) || expect != 0 || attempt == maxStepAttempts {
			return nil, err
		}
	}
}

// ArticleQuery is a search of the knowledge base.
type ArticleQuery struct {
	// Text is what is searched for: every word must be found (as a word
	// or the start of one) in the title, tags or body.
	Text string
	// Kind, RequestType, Tag and Lang, if set, filter.
	Kind        string
	RequestType string
	Tag         string
	Lang        string
	// After is the cursor a previous page returned; Limit the page size.
	After string
	Limit int
}

// ArticleHit is an article found, with its score: two points for each
// word of the query found in the title or tags, one for each found only
// in the body.
type ArticleHit struct {
	*Article
	Score int `json:"score"`
}

// maxCandidates bounds the articles one search ranks: the most used that
// match.
const maxCandidates = 1000

// SearchArticles finds articles (not archived) by text and filters,
// ranked by how well the text matched, then by use, then by freshness.
// It returns the page and the cursor of the next ("" if none).
func (r *Requests) SearchArticles(ctx context.Context, q ArticleQuery) ([]ArticleHit, string, error) {
	offset := 0
	if q.After != "" {
		n, err := strconv.Atoi(q.After)
		if err != nil || n < 0 {
			return nil, "", invalidf("cursor is not one this server gave out")
		}
		offset = n
	}
	words := searchWords(q.Text)
	found, err := r.store.ArticlesFind(ctx, &ArticlesFindParams{
		Tokens: words, Kind: q.Kind, RequestType: q.RequestType, Tag: strings.Join(strings.Fields(FoldText(q.Tag)), " "), Lang: q.Lang, Limit: maxCandidates,
	})
	if err != nil {
		return nil, "", err
	}
	hits := make([]ArticleHit, len(found))
	for i, a := range found {
		hits[i] = ArticleHit{Article: a}
		for _, w := range words {
			if _, ok := slices.BinarySearch(a.TitleTokens, w); ok {
				hits[i].Score += 2
			} else {
				hits[i].Score++
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b ArticleHit) int {
		switch {
		case a.Score != b.Score:
			return b.Score - a.Score
		case a.Used != b.Used:
			return int(b.Used - a.Used)
		case !a.UpdatedAt.Equal(b.UpdatedAt):
			return b.UpdatedAt.Compare(a.UpdatedAt)
		}
		return strings.Compare(a.ID, b.ID)
	})
	if offset >= len(hits) {
		return []ArticleHit{}, "", nil
	}
	hits = hits[offset:]
	next := ""
	if len(hits) > q.Limit {
		hits, next = hits[:q.Limit], strconv.Itoa(offset+q.Limit)
	}
	return hits, next, nil
}
