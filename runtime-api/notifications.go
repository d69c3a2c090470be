package runtimeapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/server"
)

// In-app notifications: each person reads and marks their own; an API key
// has none.

// person returns the signed-in user, or refuses an API key.
func person(c echo.Context) (*access.Principal, error) {
	p := access.PrincipalFrom(c.Request().Context())
	switch {
	case p == nil:
		return nil, access.ErrUnauthenticated
	case p.User == nil:
		return nil, access.ErrForbidden
	}
	return p, nil
}

// notificationList is the answer of GET /notifications.
type notificationList struct {
	Items  []*engine.Notification `json:"items"`
	Unread int                    `json:"unread"`
}

func (h *handlers) notifications(c echo.Context) error {
	p, err := person(c)
	if err != nil {
		return err
	}
	limit := 50
	if s := c.QueryParam("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil {
			return &server.InputError{Msg: "limit: a whole number from 1 to 200"}
		}
	}
	unreadOnly := c.QueryParam("unread") == "true"
	ctx := c.Request().Context()
	items, err := h.requests.Notifications(ctx, p.Subject, unreadOnly, limit)
	if err != nil {
		return err
	}
	unread, err := h.requests.Notifications(ctx, p.Subject, true, 200)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSON(http.StatusOK, notificationList{Items: items, Unread: len(unread)})
}

// markRead is the body of POST /notifications/read.
type markRead struct {
	IDs []string `json:"ids"`
}

func (h *handlers) markNotificationsRead(c echo.Context) error {
	p, err := person(c)
	if err != nil {
		return err
	}
	var body markRead
	if err := server.DecodeJSON(c, &body); err != nil {
		return err
	}
	n, err := h.requests.MarkNotificationsRead(c.Request().Context(), p.Subject, body.IDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"marked": n})
}

// languages are the languages Pishkhan writes in, for Accept-Language.
var languages = language.NewMatcher([]language.Tag{language.English, language.Persian})

// preferredLanguage is "fa" or "en" as an Accept-Language header prefers,
// "" if it names neither.
func preferredLanguage(accept string) string {
	if accept == "" {
		return ""
	}
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return ""
	}
	_, i, conf := languages.Match(tags...)
	if conf == language.No {
		return ""
	}
	return []string{"en", "fa"}[i]
}
