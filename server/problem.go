package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// ProblemTypePrefix starts every problem type URI; the part after it is a
// stable slug that clients may switch on (documented in docs/api.md).
const ProblemTypePrefix = "urn:pishkhan:problem:"

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	RequestID string         `json:"requestId,omitempty"`
	Errors    []FieldProblem `json:"errors,omitempty"`
}

// FieldProblem is one failing field: where (a JSON pointer into the request
// body), a stable code, and a message in the caller's language.
type FieldProblem struct {
	Pointer string `json:"pointer"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// problemKind is a problem type with its status and titles.
type problemKind struct {
	slug   string
	status int
	title  map[string]string
}

var (
	kindValidation    = problemKind{"validation-failed", http.StatusUnprocessableEntity, map[string]string{"en": "The submission has invalid fields", "fa": "برخی از فیلدهای فرم نادرست است"}}
	kindDefinition    = problemKind{"definition-invalid", http.StatusUnprocessableEntity, map[string]string{"en": "The definition cannot be published", "fa": "این تعریف قابل انتشار نیست"}}
	kindMalformedJSON = problemKind{"malformed-json", http.StatusBadRequest, map[string]string{"en": "The body is not valid JSON", "fa": "بدنهٔ درخواست JSON معتبر نیست"}}
	kindInvalid       = problemKind{"invalid-input", http.StatusBadRequest, map[string]string{"en": "The input is not valid", "fa": "ورودی معتبر نیست"}}
	kindNotFound      = problemKind{"not-found", http.StatusNotFound, map[string]string{"en": "Not found", "fa": "پیدا نشد"}}
	kindRuleFailed    = problemKind{"rule-failed", http.StatusUnprocessableEntity, map[string]string{"en": "A rule could not be evaluated", "fa": "یک قاعده اجرا نشد"}}
	kindNotPublished  = problemKind{"not-published", http.StatusConflict, map[string]string{"en": "Not published yet", "fa": "هنوز منتشر نشده است"}}
	kindPrecondition  = problemKind{"precondition-failed", http.StatusPreconditionFailed, map[string]string{"en": "Someone else changed it first", "fa": "پیش از شما کس دیگری آن را تغییر داده است"}}
	kindTooLarge      = problemKind{"payload-too-large", http.StatusRequestEntityTooLarge, map[string]string{"en": "The body is too large", "fa": "حجم درخواست بیش از حد مجاز است"}}
	kindClosedHours   = problemKind{"outside-hours", http.StatusConflict, map[string]string{"en": "Outside the hours of operation", "fa": "خارج از ساعات کاری"}}
	kindMediaType     = problemKind{"unsupported-media-type", http.StatusUnsupportedMediaType, map[string]string{"en": "Send JSON", "fa": "درخواست باید JSON باشد"}}
	kindFileTooLarge  = problemKind{"file-too-large", http.StatusRequestEntityTooLarge, map[string]string{"en": "The file is too large", "fa": "حجم پرونده بیش از حد مجاز است"}}
	kindFileType      = problemKind{"file-type-refused", http.StatusUnsupportedMediaType, map[string]string{"en": "This type of file is not accepted", "fa": "این نوع پرونده پذیرفته نمی‌شود"}}
	kindUnavailable   = problemKind{"unavailable", http.StatusServiceUnavailable, map[string]string{"en": "The service is not ready", "fa": "سرویس آماده نیست"}}
	kindTimeout       = problemKind{"timeout", http.StatusServiceUnavailable, map[string]string{"en": "The request took too long", "fa": "پاسخ‌گویی بیش از حد طول کشید"}}
	kindUnauth        = problemKind{"unauthenticated", http.StatusUnauthorized, map[string]string{"en": "Log in first", "fa": "ابتدا وارد شوید"}}
	kindForbidden     = problemKind{"forbidden", http.StatusForbidden, map[string]string{"en": "Not allowed", "fa": "مجاز نیستید"}}
	kindCSRF          = problemKind{"csrf", http.StatusForbidden, map[string]string{"en": "Missing CSRF token", "fa": "توکن CSRF ارسال نشده است"}}
	kindLocked        = problemKind{"locked-out", http.StatusTooManyRequests, map[string]string{"en": "Too many failed logins", "fa": "تلاش‌های ناموفق ورود بیش از حد بوده است"}}
	kindLastAdmin     = problemKind{"last-admin", http.StatusConflict, map[string]string{"en": "That would lock every admin out", "fa": "با این تغییر هیچ مدیری باقی نمی‌ماند"}}
	kindConflict      = problemKind{"conflict", http.StatusConflict, map[string]string{"en": "That no longer fits the request's state", "fa": "این کار با وضعیت فعلی درخواست سازگار نیست"}}
	kindNotYours      = problemKind{"not-yours", http.StatusForbidden, map[string]string{"en": "That is not yours to act on", "fa": "انجام این کار با شما نیست"}}
	kindExists        = problemKind{"exists", http.StatusConflict, map[string]string{"en": "Already exists", "fa": "از پیش وجود دارد"}}
	kindKeyReused     = problemKind{"idempotency-key-reused", http.StatusUnprocessableEntity, map[string]string{"en": "That Idempotency-Key was used for a different submission", "fa": "این Idempotency-Key پیش‌تر برای درخواست دیگری به کار رفته است"}}
	kindInternal      = problemKind{"internal", http.StatusInternalServerError, map[string]string{"en": "Internal error", "fa": "خطای داخلی"}}
)

// httpKinds names the problems for echo's own errors (routing, limits).
var httpKinds = map[int]problemKind{
	http.StatusNotFound:              {"route-not-found", http.StatusNotFound, map[string]string{"en": "No such endpoint", "fa": "چنین نشانی‌ای وجود ندارد"}},
	http.StatusMethodNotAllowed:      {"method-not-allowed", http.StatusMethodNotAllowed, map[string]string{"en": "Method not allowed", "fa": "این روش مجاز نیست"}},
	http.StatusRequestEntityTooLarge: kindTooLarge,
	http.StatusUnsupportedMediaType:  kindMediaType,
	http.StatusServiceUnavailable:    kindTimeout,
	http.StatusTooManyRequests:       {"too-many-requests", http.StatusTooManyRequests, map[string]string{"en": "Too many requests", "fa": "تعداد درخواست‌ها بیش از حد است"}},
}

// bodyPointerError places the field errors of a nested value (the data of a
// submission) at their pointer within the request body.
type bodyPointerError struct {
	prefix string
	err    error
}

func (e *bodyPointerError) Error() string { return e.err.Error() }
func (e *bodyPointerError) Unwrap() error { return e.err }

// AtPointer returns err with the pointers of its field errors prefixed by
// prefix, because a submission's data sits at "/data" in the body.
func AtPointer(prefix string, err error) error {
	if err == nil {
		return nil
	}
	return &bodyPointerError{prefix: prefix, err: err}
}

// InputError is a handler's own complaint about its input (400).
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// Unwrap makes an InputError an engine.ErrInvalid.
func (e *InputError) Unwrap() error { return engine.ErrInvalid }

// errMalformed marks a body that is not the JSON we expect.
type errMalformed struct{ msg string }

func (e *errMalformed) Error() string { return e.msg }

// problemFor maps an error to its problem. It is the only place that does.
func problemFor(err error, lang string) (Problem, bool) {
	var (
		ve     *forms.ValidationError
		de     *forms.DefinitionError
		he     *echo.HTTPError
		mal    *errMalformed
		ee     *rules.EvalError
		prefix string
		bpe    *bodyPointerError
		pe     *engine.ParamsError
	)
	if errors.As(err, &bpe) {
		prefix = bpe.prefix
	}
	build := func(k problemKind, detail string) Problem {
		return Problem{Type: ProblemTypePrefix + k.slug, Title: pick(k.title, lang), Status: k.status, Detail: detail}
	}
	switch {
	case errors.As(err, &ve):
		p := build(kindValidation, fmt.Sprintf("%d field(s) failed validation; see errors.", len(ve.Errors)))
		p.Errors = fieldProblems(ve.Errors, prefix, lang)
		return p, true
	case errors.As(err, &de):
		p := build(kindDefinition, fmt.Sprintf("%d problem(s) stop this definition from being published; see errors.", len(de.Problems)))
		p.Errors = fieldProblems(de.Problems, prefix, lang)
		return p, true
	case errors.As(err, &pe):
		p := build(kindInvalid, fmt.Sprintf("%d parameter(s) are not valid; see errors.", len(pe.Problems)))
		p.Errors = fieldProblems(pe.Problems, "", lang)
		return p, true
	case errors.As(err, &mal):
		return build(kindMalformedJSON, mal.msg), true
	case errors.As(err, &ee):
		return build(kindRuleFailed, capitalize(err.Error())+"."), true
	case errors.Is(err, engine.ErrTooLarge):
		return build(kindFileTooLarge, capitalize(strings.TrimPrefix(err.Error(), engine.ErrTooLarge.Error()+": "))+"."), true
	case errors.Is(err, engine.ErrFileType):
		return build(kindFileType, capitalize(strings.TrimPrefix(err.Error(), engine.ErrFileType.Error()+": "))+"."), true
	case errors.Is(err, echo.ErrStatusRequestEntityTooLarge):
		return build(kindTooLarge, "The request body is larger than this server accepts."), true
	case errors.As(err, &he):
		k, ok := httpKinds[he.Code]
		if !ok {
			k = problemKind{strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "-")), he.Code, map[string]string{"en": http.StatusText(he.Code)}}
		}
		detail := ""
		if m, ok := he.Message.(string); ok && m != http.StatusText(he.Code) {
			detail = m
		}
		return build(k, detail), true
	case errors.Is(err, access.ErrUnauthenticated):
		return build(kindUnauth, "Send a valid session token or API key (Authorization: Bearer ...), or log in."), true
	case errors.Is(err, access.ErrCSRF):
		return build(kindCSRF, "A write authenticated by the session cookie must carry the session's CSRF token in X-CSRF-Token."), true
	case errors.Is(err, access.ErrForbidden):
		return build(kindForbidden, "Your roles do not allow this."), true
	case errors.Is(err, access.ErrLockedOut):
		return build(kindLocked, capitalize(err.Error())+"."), true
	case errors.Is(err, access.ErrLastAdmin):
		return build(kindLastAdmin, capitalize(err.Error())+": keep at least one enabled user with the admin role in domain *."), true
	case errors.Is(err, access.ErrExists):
		return build(kindExists, capitalize(err.Error())+"."), true
	case errors.Is(err, access.ErrNotFound):
		return build(kindNotFound, capitalize(err.Error())+"."), true
	case errors.Is(err, access.ErrInvalid):
		return build(kindInvalid, strings.TrimPrefix(err.Error(), access.ErrInvalid.Error()+": ")), true
	case errors.Is(err, engine.ErrInvalid):
		return build(kindInvalid, strings.TrimPrefix(err.Error(), engine.ErrInvalid.Error()+": ")), true
	case errors.Is(err, engine.ErrNotFound):
		return build(kindNotFound, capitalize(err.Error())+"."), true
	case errors.Is(err, engine.ErrNotPublished):
		return build(kindNotPublished, capitalize(err.Error())+": publish a version first."), true
	case errors.Is(err, engine.ErrClosed):
		return build(kindClosedHours, capitalize(strings.TrimPrefix(err.Error(), engine.ErrClosed.Error()+": "))+"."), true
	case errors.Is(err, engine.ErrIdempotencyKeyReused):
		return build(kindKeyReused, capitalize(strings.TrimPrefix(err.Error(), engine.ErrIdempotencyKeyReused.Error()+": "))+"."), true
	case errors.Is(err, engine.ErrConflict):
		return build(kindConflict, capitalize(strings.TrimPrefix(err.Error(), engine.ErrConflict.Error()+": "))+"."), true
	case errors.Is(err, engine.ErrNotYours):
		return build(kindNotYours, capitalize(strings.TrimPrefix(err.Error(), engine.ErrNotYours.Error()+": "))+"."), true
	case errors.Is(err, engine.ErrPreconditionFailed):
		return build(kindPrecondition, capitalize(err.Error())+": reload and apply your change again."), true
	case errors.Is(err, engine.ErrUnavailable):
		return build(kindUnavailable, "The store does not answer; try again in a moment. A write may or may not have been made: read before repeating it."), false
	case errors.Is(err, context.DeadlineExceeded):
		return build(kindTimeout, "The request did not finish in time; nothing was changed unless a later read shows it."), false
	}
	return build(kindInternal, "Something went wrong on our side; the request id identifies it in the logs."), false
}

// FieldProblems renders field errors in the caller's language, as the
// problems of a draft that is saved but would not publish.
func FieldProblems(c echo.Context, errs []forms.FieldError) []FieldProblem {
	return FieldProblemsAt(c, "", errs)
}

// FieldProblemsAt is FieldProblems with the pointers prefixed, for field
// errors about a part of the body ("/data").
func FieldProblemsAt(c echo.Context, prefix string, errs []forms.FieldError) []FieldProblem {
	if len(errs) == 0 {
		return nil
	}
	return fieldProblems(errs, prefix, Lang(c))
}

func fieldProblems(errs []forms.FieldError, prefix, lang string) []FieldProblem {
	out := make([]FieldProblem, len(errs))
	for i, e := range errs {
		out[i] = FieldProblem{Pointer: prefix + e.Pointer, Code: e.Code, Message: e.Message(lang)}
	}
	return out
}

func pick(texts map[string]string, lang string) string {
	if t := texts[lang]; t != "" {
		return t
	}
	return texts["en"]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// errorHandler writes every error as problem+json. Errors that are not the
// caller's fault are logged with the request id; the response says nothing
// of their cause.
func errorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
			// The client went away (closed the connection, gave up) while
			// we worked: nobody reads an answer, and it is no fault of ours
			// to log as one. 499 is what access logs call it.
			logger.Info("request abandoned by its client", "requestId", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "route", c.Path())
			c.Response().WriteHeader(statusClientClosed)
			return
		}
		p, expected := problemFor(err, Lang(c))
		p.Instance = c.Request().URL.Path
		p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		if !expected || p.Status >= 500 {
			logger.Error("request failed", "requestId", p.RequestID, "method", c.Request().Method,
				"route", c.Path(), "status", p.Status, "err", err)
		}
		writeProblem(c, p)
	}
}

// statusClientClosed is nginx's status for a request its client abandoned.
const statusClientClosed = 499

func writeProblem(c echo.Context, p Problem) {
	body, err := json.Marshal(p)
	if err != nil {
		body = []byte(`{"type":"` + ProblemTypePrefix + `internal","title":"Internal error","status":500}`)
		p.Status = http.StatusInternalServerError
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	_ = c.Blob(p.Status, "application/problem+json", body)
}
