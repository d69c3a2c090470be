package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
)

// DecodeJSON decodes the request body, one JSON object, into v. Unknown
// fields are refused, so that a misspelt field is an error rather than
// silently ignored.
func DecodeJSON(c echo.Context, v any) error {
	body, err := ReadBody(c)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

// ReadBody reads the request body within the body limit (413 beyond it).
func ReadBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) {
			return nil, echo.ErrStatusRequestEntityTooLarge
		}
		return nil, &errMalformed{msg: "The body could not be read: " + err.Error()}
	}
	return body, nil
}

// DecodeObject decodes raw, which must be one JSON object, as
// forms.DecodeData does (exact numbers, size and depth limits); where
// names the part of the body it is in error messages ("data").
func DecodeObject(raw []byte, where string) (map[string]any, error) {
	v, err := forms.DecodeData(bytes.NewReader(raw))
	if err != nil {
		return nil, &InputError{Msg: where + ": " + err.Error()}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &InputError{Msg: where + ": send a JSON object"}
	}
	return m, nil
}

func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return &errMalformed{msg: "The body is empty; send a JSON object."}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var (
			se  *json.SyntaxError
			ute *json.UnmarshalTypeError
		)
		switch {
		case errors.As(err, &se):
			return &errMalformed{msg: fmt.Sprintf("JSON syntax error at byte %d: %s.", se.Offset, se.Error())}
		case errors.As(err, &ute):
			where := ute.Field
			if where == "" {
				where = "the body"
			} else {
				where = "/" + strings.ReplaceAll(where, ".", "/")
			}
			return &errMalformed{msg: fmt.Sprintf("%s: expected %s, got JSON %s.", where, ute.Type.Kind(), ute.Value)}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return &errMalformed{msg: "The JSON ends too early."}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return &errMalformed{msg: fmt.Sprintf("Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))}
		}
		return &errMalformed{msg: err.Error()}
	}
	if dec.More() {
		return &errMalformed{msg: "The body holds more than one JSON value."}
	}
	return nil
}

// SetRevisionETag answers a document's revision as its ETag ("3").
func SetRevisionETag(c echo.Context, revision int64) {
	c.Response().Header().Set("ETag", strconv.Quote(strconv.FormatInt(revision, 10)))
}

// IfMatchRevision reads the revision an If-Match header names (an ETag
// SetRevisionETag gave out); 0 if there is none (or "*").
func IfMatchRevision(c echo.Context) (int64, error) {
	m := c.Request().Header.Get("If-Match")
	if m == "" || m == "*" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(m, "W/"), `"`), 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%w: If-Match must be an ETag this server gave out, such as \"3\"", engine.ErrInvalid)
	}
	return n, nil
}

var langMatcher = language.NewMatcher([]language.Tag{language.English, language.Persian})

// Lang returns "fa" or "en", whichever the caller's Accept-Language prefers.
func Lang(c echo.Context) string {
	tags, _, err := language.ParseAcceptLanguage(c.Request().Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, conf := langMatcher.Match(tags...)
	if conf == language.No || i != 1 {
		return "en"
	}
	return "fa"
}
