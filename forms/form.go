package forms

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Text is a string in several languages: {"en": "...", "fa": "..."}.
type Text map[string]string

// In returns the text in lang, else in English, else in any language that
// has one, so that a label is never blank because one translation is
// missing.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t["en"]; s != "" {
		return s
	}
	langs := make([]string, 0, len(t))
	for l, s := range t {
		if s != "" {
			langs = append(langs, l)
		}
	}
	sort.Strings(langs)
	if len(langs) > 0 {
		return t[langs[0]]
	}
	return ""
}

// Form is a form definition as a process owner writes it.
type Form struct {
	Key   string `json:"key"`
	Title Text   `json:"title"`
	// Category is the catalog category the form belongs to; process owners
	// are given the right to edit the definitions of their categories.
	Category string          `json:"category,omitempty"`
	Schema   json.RawMessage `json:"schema"`
	UI       UI              `json:"ui"`
}

// UI holds the hints a renderer needs beyond the schema.
type UI struct {
	// Order lists top-level property names in display order.
	Order []string `json:"order,omitempty"`
	// Fields holds hints per field, keyed by dotted path ("applicant.email";
	// for arrays, the path of the item's field: "items.qty").
	Fields map[string]FieldHints `json:"fields,omitempty"`
}

// FieldHints tell a renderer how to show one field.
type FieldHints struct {
	Title       Text   `json:"title,omitempty"`
	Help        Text   `json:"help,omitempty"`
	Placeholder Text   `json:"placeholder,omitempty"`
	Widget      string `json:"widget,omitempty"`
	// VisibleWhen, RequiredWhen and Calculate are rules (package rules)
	// that the server enforces at submission (Prepare) and evaluates for
	// the portal while the requester types (Evaluate): a hidden field's
	// value is dropped, a conditionally required field must have a value,
	// and a calculated field is computed by the server.
	VisibleWhen  string `json:"visibleWhen,omitempty"`
	RequiredWhen string `json:"requiredWhen,omitempty"`
	Calculate    string `json:"calculate,omitempty"`
}

// Widgets are the widget names a field hint may ask for.
var Widgets = []string{"text", "textarea", "email", "tel", "url", "number", "date", "datetime", "time",
	"select", "radio", "checkbox", "checkboxes", "file", "hidden"}

// FragmentRef names one published version of a reusable fragment.
type FragmentRef struct {
	Key     string `json:"key"`
	Version int    `json:"version"`
}

// Fragments resolves references to reusable fragments. version 0 means
// "the one to use now": the newest published at publish time, the pinned one
// when a published form is loaded again. It returns the fragment's schema
// and the version actually used.
type Fragments interface {
	Fragment(key string, version int) (schema json.RawMessage, used int, err error)
}

// ErrUnknownFragment is wrapped by Fragments implementations when no such
// fragment (or version) is published.
var ErrUnknownFragment = errors.New("unknown fragment")

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,62}$`)

// ValidKey reports whether s may be the key of a definition: 2 to 63
// lower-case letters, digits and hyphens, starting with a letter. Keys
// appear in URLs and in stored ids, so they are kept plain.
func ValidKey(s string) bool { return keyPattern.MatchString(s) }

// FieldError is one failing field. Pointer is an RFC 6901 JSON pointer
// (into the submitted data for a ValidationError, into the definition for a
// DefinitionError); Code is stable and meant for programs; Params carries
// the values a message needs.
type FieldError struct {
	Pointer string         `json:"pointer"`
	Code    string         `json:"code"`
	Params  map[string]any `json:"params,omitempty"`
}

// ValidationError lists every failing field of a submission, ordered by
// pointer and then code.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fmt.Sprintf("%s: %s", displayPointer(fe.Pointer), fe.Message("en"))
	}
	return "invalid submission: " + strings.Join(parts, "; ")
}

// DefinitionError lists everything that stops a definition from being
// published.
type DefinitionError struct {
	Problems []FieldError
}

func (e *DefinitionError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = fmt.Sprintf("%s: %s", displayPointer(p.Pointer), p.Message("en"))
	}
	return "invalid definition: " + strings.Join(parts, "; ")
}

func displayPointer(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointer builds an RFC 6901 pointer from tokens.
func pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(t))
	}
	return b.String()
}

func sortErrors(errs []FieldError) []FieldError {
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Pointer != errs[j].Pointer {
			return errs[i].Pointer < errs[j].Pointer
		}
		return errs[i].Code < errs[j].Code
	})
	out := errs[:0]
	for i, e := range errs {
		if i > 0 && e.Pointer == errs[i-1].Pointer && e.Code == errs[i-1].Code {
			continue
		}
		out = append(out, e)
	}
	return out
}
