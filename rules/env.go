package rules

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"
)

// FieldType is the type of a form field as rules see it.
type FieldType int

// Field types. Unknown means the schema does not fix one type.
const (
	TypeUnknown FieldType = iota
	TypeString
	TypeInteger
	TypeNumber
	TypeBoolean
	TypeObject
	TypeArray
)

// Field describes a form field (or the whole form) for type checking.
type Field struct {
	Type FieldType
	// Fields are an object's properties.
	Fields map[string]*Field
	// Open is true when an object may hold names the schema does not list,
	// so unknown names are allowed.
	Open bool
	// Items is the type of an array's items.
	Items *Field
}

// Request is what a rule knows of the request besides its form data.
type Request struct {
	// ID is the request's tracking code (empty while a form is filled in).
	ID        string    `expr:"id" json:"id,omitempty"`
	Type      string    `expr:"type" json:"type,omitempty"`
	Channel   string    `expr:"channel" json:"channel,omitempty"`
	Priority  string    `expr:"priority" json:"priority,omitempty"`
	Status    string    `expr:"status" json:"status,omitempty"`
	CreatedAt time.Time `expr:"createdAt" json:"createdAt,omitempty"`
	Requester Requester `expr:"requester" json:"requester,omitempty"`
	// Owner is the agent who owns the request (its single point of
	// contact); empty until one is chosen.
	Owner string `expr:"owner" json:"owner,omitempty"`
}

// Requester is who filed the request.
type Requester struct {
	ID         string   `expr:"id" json:"id,omitempty"`
	Name       string   `expr:"name" json:"name,omitempty"`
	Email      string   `expr:"email" json:"email,omitempty"`
	Department string   `expr:"department" json:"department,omitempty"`
	Segment    string   `expr:"segment" json:"segment,omitempty"`
	Manager    string   `expr:"manager" json:"manager,omitempty"`
	Groups     []string `expr:"groups" json:"groups,omitempty"`
}

// Input is what one evaluation sees. Form numbers must be int64 or float64
// (as stored); json.Number is converted.
type Input struct {
	Form    map[string]any
	Request Request
	Now     time.Time
}

// runtimeEnv is the value programs run against: the form stays a map, so
// no conversion happens per evaluation.
type runtimeEnv struct {
	Form    map[string]any `expr:"form"`
	Request Request        `expr:"request"`
	Now     time.Time      `expr:"now"`
	Input   any            `expr:"__input"` // the value a decision table cell tests
}

var anyType = reflect.TypeOf((*any)(nil)).Elem()

// goType builds the Go type the checker sees for a field.
func goType(f *Field) reflect.Type {
	if f == nil {
		return anyType
	}
	switch f.Type {
	case TypeString:
		return reflect.TypeOf("")
	case TypeInteger:
		return reflect.TypeOf(int64(0))
	case TypeNumber:
		return reflect.TypeOf(float64(0))
	case TypeBoolean:
		return reflect.TypeOf(false)
	case TypeArray:
		return reflect.SliceOf(goType(f.Items))
	case TypeObject:
		if f.Open || len(f.Fields) == 0 {
			return reflect.TypeOf(map[string]any{})
		}
		names := make([]string, 0, len(f.Fields))
		for n := range f.Fields {
			names = append(names, n)
		}
		sort.Strings(names)
		fields := make([]reflect.StructField, 0, len(names))
		for i, n := range names {
			fields = append(fields, reflect.StructField{
				Name: fmt.Sprintf("F%d", i), Type: goType(f.Fields[n]),
				Tag: reflect.StructTag(fmt.Sprintf(`expr:%q`, n)),
			})
		}
		return reflect.StructOf(fields)
	}
	return anyType
}

// checkEnv builds the typed environment value the checker uses.
func checkEnv(form *Field, input reflect.Type) any {
	fields := []reflect.StructField{
		{Name: "Form", Type: goType(form), Tag: `expr:"form"`},
		{Name: "Request", Type: reflect.TypeOf(Request{}), Tag: `expr:"request"`},
		{Name: "Now", Type: reflect.TypeOf(time.Time{}), Tag: `expr:"now"`},
	}
	if input != nil {
		fields = append(fields, reflect.StructField{Name: "Input", Type: input, Tag: `expr:"__input"`})
	}
	return reflect.New(reflect.StructOf(fields)).Elem().Interface()
}

// lookup finds the field at path (names below form) and reports whether
// the path can exist; suggestion is a near name when it cannot.
func (f *Field) lookup(path []string) (found *Field, ok bool, suggestion string) {
	cur := f
	for i, name := range path {
		if cur == nil || cur.Type == TypeUnknown {
			return nil, true, ""
		}
		if cur.Type == TypeArray {
			// form.items.qty is not how lists are read; the checker says so.
			return nil, true, ""
		}
		if cur.Type != TypeObject {
			return nil, false, ""
		}
		next, has := cur.Fields[name]
		if !has {
			if cur.Open {
				return nil, true, ""
			}
			return nil, false, nearest(name, cur.Fields, path[:i])
		}
		cur = next
	}
	return cur, true, ""
}

// nearest suggests the known name closest to name (by edit distance).
func nearest(name string, fields map[string]*Field, prefix []string) string {
	best, bestD := "", 3
	for n := range fields {
		if d := distance(strings.ToLower(name), strings.ToLower(n)); d < bestD || (d == bestD && n < best) {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return strings.Join(append(append([]string{"form"}, prefix...), best), ".")
}

func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
