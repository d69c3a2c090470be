package server

import (
	"encoding/base64"
	"fmt"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/engine"
)

// Paging limits for list endpoints.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Page is the envelope of every list response: the items and, when there
// may be more, the cursor that fetches the next page.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// PageParams reads ?limit= and ?cursor= and returns the decoded cursor.
func PageParams(c echo.Context) (cursor string, limit int, err error) {
	limit = DefaultLimit
	if s := c.QueryParam("limit"); s != "" {
		limit, err = strconv.Atoi(s)
		if err != nil || limit < 1 || limit > MaxLimit {
			return "", 0, fmt.Errorf("%w: limit must be a whole number from 1 to %d", engine.ErrInvalid, MaxLimit)
		}
	}
	if s := c.QueryParam("cursor"); s != "" {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			return "", 0, fmt.Errorf("%w: cursor is not one this server gave out", engine.ErrInvalid)
		}
		cursor = string(b)
	}
	return cursor, limit, nil
}

// Cursor encodes the position after which the next page starts.
func Cursor(position string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(position))
}
