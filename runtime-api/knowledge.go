package runtimeapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/server"
)

// The knowledge base over HTTP, for staff only: agents and supervisors
// read and write articles, supervisors edit and archive anyone's, process
// owners read them. Requesters and API keys have no access.

// articleBody is the body of POST and PUT /articles, and of POST
// /requests/{id}/articles with the message to start from.
type articleBody struct {
	Kind        string   `json:"kind"`
	Title       string   `json:"title"`
	Body        string   `json:"body"`
	Tags        []string `json:"tags"`
	Lang        string   `json:"lang"`
	RequestType string   `json:"requestType"`
	// From a request only.
	Message  string `json:"message"`
	FromNote bool   `json:"fromNote"`
}

func (b *articleBody) params() engine.ArticleParams {
	return engine.ArticleParams{Kind: b.Kind, Title: b.Title, Body: b.Body, Tags: b.Tags, Lang: b.Lang, RequestType: b.RequestType}
}

// knowledgeWriter is the person behind a write to the knowledge base (an
// article has an author who answers for it: no API keys), and whether
// they may change anyone's articles.
func (h *handlers) knowledgeWriter(c echo.Context) (*access.Principal, bool, error) {
	p, err := h.access.Authorize(c.Request().Context(), "*", "knowledge", "write")
	if err != nil {
		return nil, false, err
	}
	if p.User == nil {
		return nil, false, access.ErrForbidden
	}
	return p, h.access.Can(p, "*", "knowledge", "manage"), nil
}

// decodeArticle reads an article body; fields that only a request's
// article takes are refused elsewhere.
func decodeArticle(c echo.Context, fromRequest bool) (*articleBody, error) {
	var b articleBody
	if err := server.DecodeJSON(c, &b); err != nil {
		return nil, err
	}
	if !fromRequest && (b.Message != "" || b.FromNote) {
		return nil, &server.InputError{Msg: "message, fromNote: only an article made from a request (POST /requests/{id}/articles) has them"}
	}
	return &b, nil
}

func (h *handlers) createArticle(c echo.Context) error {
	p, _, err := h.knowledgeWriter(c)
	if err != nil {
		return err
	}
	b, err := decodeArticle(c, false)
	if err != nil {
		return err
	}
	a, err := h.requests.CreateArticle(c.Request().Context(), p.Subject, b.params())
	if err != nil {
		return err
	}
	return created(c, a)
}

func created(c echo.Context, a *engine.Article) error {
	c.Response().Header().Set(echo.HeaderLocation, server.APIPrefix+"/articles/"+a.ID)
	return c.JSON(http.StatusCreated, a)
}

// articleFromRequest saves the answer of a resolved request the caller
// may read as an article.
func (h *handlers) articleFromRequest(c echo.Context) error {
	p, _, err := h.knowledgeWriter(c)
	if err != nil {
		return err
	}
	if !h.isStaff(p) {
		return access.ErrForbidden
	}
	b, err := decodeArticle(c, true)
	if err != nil {
		return err
	}
	if b.Message == "" {
		return &server.InputError{Msg: "message: name the message (a reply) whose answer the article keeps"}
	}
	a, err := h.requests.ArticleFromRequest(c.Request().Context(), engine.ArticleFromRequestParams{
		Request: c.Param("id"), Message: b.Message, Author: p.Subject, FromNote: b.FromNote, ArticleParams: b.params(),
	})
	if err != nil {
		return err
	}
	return created(c, a)
}

// articlePage is the answer of GET /articles.
type articlePage = server.Page[engine.ArticleHit]

func (h *handlers) searchArticles(c echo.Context) error {
	if _, err := h.access.AuthorizeSomewhere(c.Request().Context(), "knowledge", "read"); err != nil {
		return err
	}
	cursor, limit, err := server.PageParams(c)
	if err != nil {
		return err
	}
	q := engine.ArticleQuery{
		Text: c.QueryParam("q"), Kind: c.QueryParam("kind"), RequestType: c.QueryParam("type"), Tag: c.QueryParam("tag"),
		Lang: c.QueryParam("lang"), After: cursor, Limit: limit,
	}
	hits, next, err := h.requests.SearchArticles(c.Request().Context(), q)
	if err != nil {
		return err
	}
	page := articlePage{Items: hits}
	if next != "" {
		page.Next = server.Cursor(next)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSON(http.StatusOK, page)
}

func (h *handlers) getArticle(c echo.Context) error {
	if _, err := h.access.AuthorizeSomewhere(c.Request().Context(), "knowledge", "read"); err != nil {
		return err
	}
	a, err := h.requests.Article(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	server.SetRevisionETag(c, a.Revision)
	return c.JSON(http.StatusOK, a)
}

// putArticle rewrites an article (its author or a supervisor); If-Match
// with the ETag read refuses to overwrite someone else's edit.
func (h *handlers) putArticle(c echo.Context) error {
	p, manager, err := h.knowledgeWriter(c)
	if err != nil {
		return err
	}
	expect, err := server.IfMatchRevision(c)
	if err != nil {
		return err
	}
	b, err := decodeArticle(c, false)
	if err != nil {
		return err
	}
	a, err := h.requests.UpdateArticle(c.Request().Context(), c.Param("id"), p.Subject, manager, b.params(), expect)
	if err != nil {
		return err
	}
	server.SetRevisionETag(c, a.Revision)
	return c.JSON(http.StatusOK, a)
}

// deleteArticle archives an article: out of searches, still readable by
// id for the replies written from it.
func (h *handlers) deleteArticle(c echo.Context) error {
	p, manager, err := h.knowledgeWriter(c)
	if err != nil {
		return err
	}
	if _, err := h.requests.ArchiveArticle(c.Request().Context(), c.Param("id"), p.Subject, manager); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
