package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// MaxDepth is how deeply submitted JSON may nest; deeper data is refused
// before it is decoded, so that no submission can exhaust the stack.
const MaxDepth = 64

// MaxNumberLength is how many characters a number in submitted data may
// have. Numbers must also fit a float64: a form has no use for 1e999999,
// and exact arithmetic on such a number (multipleOf, minimum) costs
// milliseconds each, so a body full of them would tie up the server.
const MaxNumberLength = 64

// DecodeData decodes one JSON value into the form Validate expects: objects
// as map[string]any, arrays as []any, numbers as json.Number.
func DecodeData(r io.Reader) (any, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if err := checkDepth(raw, MaxDepth); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not valid JSON: data after the first value")
	}
	if err := checkNumbers(v, ""); err != nil {
		return nil, err
	}
	return v, nil
}

// checkNumbers refuses numbers longer than MaxNumberLength or beyond the
// range of a float64, naming where they are.
func checkNumbers(v any, pointer string) error {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if err := checkNumbers(e, pointer+"/"+pointerEscaper.Replace(k)); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range v {
			if err := checkNumbers(e, pointer+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
	case json.Number:
		if len(v) > MaxNumberLength {
			return fmt.Errorf("number at %q has more than %d characters", pointerOrRoot(pointer), MaxNumberLength)
		}
		_, err := strconv.ParseFloat(string(v), 64)
		if i := strings.IndexAny(string(v), "eE"); err == nil && i >= 0 {
			// underflow parses as 0 without error; exact arithmetic still pays for it
			exp, perr := strconv.Atoi(strings.TrimPrefix(string(v[i+1:]), "+"))
			if perr != nil || exp < -400 || exp > 400 {
				err = strconv.ErrRange
			}
		}
		if err != nil {
			return fmt.Errorf("number at %q is out of range", pointerOrRoot(pointer))
		}
	}
	return nil
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// checkDepth refuses JSON nested deeper than max without decoding it.
func checkDepth(raw []byte, max int) error {
	depth, inString, escaped := 0, false, false
	for _, c := range raw {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
			if depth > max {
				return fmt.Errorf("nested deeper than %d levels", max)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

// Validate checks data against the form and returns nil or a
// *ValidationError listing every failing field. data comes from DecodeData
// (numbers as json.Number; int64 and float64 are accepted too).
func (c *Compiled) Validate(data any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("forms: validation failed unexpectedly: %v", r)
		}
	}()
	var errs []FieldError
	checkNames(data, nil, &errs)
	if verr := c.schema.Validate(data); verr != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(verr, &ve) {
			return fmt.Errorf("forms: %w", verr)
		}
		for _, leaf := range leaves(ve) {
			errs = append(errs, fieldErrors(leaf)...)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Errors: sortErrors(errs)}
}

// checkNames reports object keys no store can keep. The path is kept as
// tokens and turned into a pointer only for a bad key: valid data, the
// common case, allocates nothing here.
func checkNames(v any, path []string, errs *[]FieldError) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if !validName(k) {
				*errs = append(*errs, FieldError{Pointer: pointer(append(path, k)...), Code: "invalidName", Params: map[string]any{"name": k}})
				continue
			}
			checkNames(e, append(path, k), errs)
		}
	case []any:
		for i, e := range v {
			checkNames(e, append(path, strconv.Itoa(i)), errs)
		}
	}
}

// leaves returns the errors worth reporting: the leaves of the cause tree,
// except that a failed anyOf/oneOf is reported once where it failed rather
// than as every branch's complaint.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	switch e.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		return []*jsonschema.ValidationError{e}
	}
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// fieldErrors maps one validation error to field errors with stable codes.
func fieldErrors(e *jsonschema.ValidationError) []FieldError {
	at := pointer(e.InstanceLocation...)
	one := func(code string, params map[string]any) []FieldError {
		return []FieldError{{Pointer: at, Code: code, Params: params}}
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		out := make([]FieldError, len(k.Missing))
		for i, m := range k.Missing {
			out[i] = FieldError{Pointer: at + pointer(m), Code: "required"}
		}
		return out
	case *kind.DependentRequired:
		out := make([]FieldError, len(k.Missing))
		for i, m := range k.Missing {
			out[i] = FieldError{Pointer: at + pointer(m), Code: "required", Params: map[string]any{"because": k.Prop}}
		}
		return out
	case *kind.Dependency:
		out := make([]FieldError, len(k.Missing))
		for i, m := range k.Missing {
			out[i] = FieldError{Pointer: at + pointer(m), Code: "required", Params: map[string]any{"because": k.Prop}}
		}
		return out
	case *kind.AdditionalProperties:
		out := make([]FieldError, len(k.Properties))
		for i, p := range k.Properties {
			out[i] = FieldError{Pointer: at + pointer(p), Code: "additionalProperties"}
		}
		return out
	case *kind.Type:
		return one("type", map[string]any{"want": strings.Join(k.Want, ", "), "got": k.Got})
	case *kind.Enum:
		return one("enum", map[string]any{"allowed": k.Want})
	case *kind.Const:
		return one("const", map[string]any{"want": k.Want})
	case *kind.Format:
		return one("format", map[string]any{"format": k.Want})
	case *kind.Pattern:
		return one("pattern", map[string]any{"pattern": k.Want})
	case *kind.MinLength:
		return one("minLength", map[string]any{"limit": k.Want})
	case *kind.MaxLength:
		return one("maxLength", map[string]any{"limit": k.Want})
	case *kind.Minimum:
		return one("minimum", map[string]any{"limit": ratString(k.Want)})
	case *kind.Maximum:
		return one("maximum", map[string]any{"limit": ratString(k.Want)})
	case *kind.ExclusiveMinimum:
		return one("exclusiveMinimum", map[string]any{"limit": ratString(k.Want)})
	case *kind.ExclusiveMaximum:
		return one("exclusiveMaximum", map[string]any{"limit": ratString(k.Want)})
	case *kind.MultipleOf:
		return one("multipleOf", map[string]any{"limit": ratString(k.Want)})
	case *kind.MinItems:
		return one("minItems", map[string]any{"limit": k.Want})
	case *kind.MaxItems:
		return one("maxItems", map[string]any{"limit": k.Want})
	case *kind.UniqueItems:
		return one("uniqueItems", map[string]any{"items": k.Duplicates})
	case *kind.MinProperties:
		return one("minProperties", map[string]any{"limit": k.Want})
	case *kind.MaxProperties:
		return one("maxProperties", map[string]any{"limit": k.Want})
	case *kind.AnyOf:
		return one("anyOf", nil)
	case *kind.OneOf:
		return one("oneOf", nil)
	case *kind.Not:
		return one("not", nil)
	case *kind.FalseSchema:
		return one("notAllowed", nil)
	case *kind.Contains, *kind.MinContains, *kind.MaxContains:
		return one("contains", nil)
	}
	return one("invalid", map[string]any{"detail": e.ErrorKind.LocalizedString(english)})
}

// ratString prints a schema limit as people write numbers: 18, 0.5, 1.25.
func ratString(r *big.Rat) string {
	if r == nil {
		return ""
	}
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(10)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
