package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/pishkhan/pishkhan/rules"
)

// Compiled is a compiled form: immutable and safe for concurrent use. Keep
// it beside its definition; never compile per request.
type Compiled struct {
	schema     *jsonschema.Schema
	fragments  []FragmentRef
	tree       *rules.Field
	env        *rules.Env
	fieldRules []fieldRule
	files      []string
}

// FileFields returns the dotted paths of the fields shown with the file
// widget, sorted: each holds the id of an uploaded file (a string), or a
// list of them, which submitting attaches to the request.
func (c *Compiled) FileFields() []string { return slices.Clone(c.files) }

func fileFields(ui UI) []string {
	var out []string
	for path, hints := range ui.Fields {
		if hints.Widget == "file" {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// Fragments returns the fragment versions the compiled schema used, sorted
// by key; a caller publishing the form pins them.
func (c *Compiled) Fragments() []FragmentRef { return slices.Clone(c.fragments) }

// knownDialects are the $schema values accepted; each metaschema is built
// into jsonschema/v6, so none is ever fetched.
var knownDialects = map[string]bool{
	"https://json-schema.org/draft/2020-12/schema": true,
	"https://json-schema.org/draft/2019-09/schema": true,
	"http://json-schema.org/draft-07/schema":       true,
	"http://json-schema.org/draft-06/schema":       true,
	"http://json-schema.org/draft-04/schema":       true,
}

const fragmentScheme = "fragment"

// Compile checks a form definition and compiles its schema. Every problem
// found is returned at once in a *DefinitionError. It never touches the
// network or the file system; fragments may be nil, and then any fragment
// reference is a problem.
func Compile(f Form, fragments Fragments) (*Compiled, error) {
	var problems []FieldError
	if !ValidKey(f.Key) {
		problems = append(problems, FieldError{Pointer: "/key", Code: "key", Params: map[string]any{"key": f.Key}})
	}
	if f.Category != "" && !ValidKey(f.Category) {
		problems = append(problems, FieldError{Pointer: "/category", Code: "key", Params: map[string]any{"key": f.Category}})
	}
	if f.Title.In("en") == "" {
		problems = append(problems, FieldError{Pointer: "/title", Code: "title"})
	}
	doc, docProblems := parseSchema(f.Schema, "/schema", true)
	problems = append(problems, docProblems...)
	var c *Compiled
	var loaded map[string]any
	if doc != nil && len(docProblems) == 0 {
		var err error
		c, loaded, err = compileDoc("form:"+f.Key, doc, fragments)
		if err != nil {
			var de *DefinitionError
			if !errors.As(err, &de) {
				return nil, err
			}
			problems = append(problems, de.Problems...)
		}
	}
	if doc != nil {
		problems = append(problems, checkUI(f.UI, doc, loaded)...)
	}
	if c != nil {
		c.tree = fieldTree(c.schema, 0)
		c.env = rules.NewEnv(c.tree)
		var ruleProblems []FieldError
		c.fieldRules, ruleProblems = compileFieldRules(f.UI, c.tree, c.env)
		problems = append(problems, ruleProblems...)
		c.files = fileFields(f.UI)
	}
	if len(problems) > 0 {
		return nil, &DefinitionError{Problems: sortErrors(problems)}
	}
	return c, nil
}

// CompileFragment compiles a fragment's schema on its own, so that a
// fragment is checked when it is published. Fragments may refer to other
// fragments.
func CompileFragment(key string, schema json.RawMessage, fragments Fragments) (*Compiled, error) {
	var problems []FieldError
	if !ValidKey(key) {
		problems = append(problems, FieldError{Pointer: "/key", Code: "key", Params: map[string]any{"key": key}})
	}
	doc, docProblems := parseSchema(schema, "/schema", false)
	problems = append(problems, docProblems...)
	if len(problems) > 0 {
		return nil, &DefinitionError{Problems: sortErrors(problems)}
	}
	c, _, err := compileDoc("fragment:"+key, doc, fragments)
	return c, err
}

// parseSchema decodes a schema and runs the checks that need no compiler:
// shape, dialect, references and property names.
func parseSchema(raw json.RawMessage, at string, mustBeObject bool) (any, []FieldError) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, []FieldError{{Pointer: at, Code: "schema", Params: map[string]any{"detail": "the schema is missing"}}}
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, []FieldError{{Pointer: at, Code: "schema", Params: map[string]any{"detail": "not valid JSON: " + err.Error()}}}
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, []FieldError{{Pointer: at, Code: "schema", Params: map[string]any{"detail": "a schema must be a JSON object"}}}
	}
	var problems []FieldError
	if mustBeObject && obj["type"] != "object" {
		problems = append(problems, FieldError{Pointer: at + "/type", Code: "schema", Params: map[string]any{"detail": `a form's schema must have "type": "object"`}})
	}
	if d, ok := obj["$schema"]; ok {
		s, _ := d.(string)
		if !knownDialects[strings.TrimSuffix(s, "#")] {
			problems = append(problems, FieldError{Pointer: at + "/$schema", Code: "ref", Params: map[string]any{"ref": fmt.Sprint(d), "detail": "unknown dialect; use https://json-schema.org/draft/2020-12/schema or leave $schema out"}})
		}
	}
	walkSchema(doc, at, func(node map[string]any, ptr string) {
		for _, kw := range []string{"$ref", "$dynamicRef"} {
			v, ok := node[kw]
			if !ok {
				continue
			}
			s, _ := v.(string)
			if !allowedRef(s) {
				problems = append(problems, FieldError{Pointer: ptr + "/" + kw, Code: "ref", Params: map[string]any{"ref": s,
					"detail": "only references inside the schema (#...) and to published fragments (fragment:KEY or fragment:KEY@N) can be used"}})
			}
		}
		if props, ok := node["properties"].(map[string]any); ok {
			for name := range props {
				if !validName(name) {
					problems = append(problems, FieldError{Pointer: ptr + "/properties" + pointer(name), Code: "invalidName", Params: map[string]any{"name": name}})
				}
			}
		}
	})
	return doc, problems
}

// allowedRef reports whether a reference stays inside the schema or names a
// published fragment.
func allowedRef(ref string) bool {
	if strings.HasPrefix(ref, "#") {
		return true
	}
	key, _, _, ok := parseFragmentRef(ref)
	return ok && key != ""
}

// parseFragmentRef splits "fragment:KEY[@N][#ptr]".
func parseFragmentRef(ref string) (key string, version int, frag string, ok bool) {
	rest, found := strings.CutPrefix(ref, fragmentScheme+":")
	if !found {
		return "", 0, "", false
	}
	rest, frag, _ = strings.Cut(rest, "#")
	key, v, hasVersion := strings.Cut(rest, "@")
	if hasVersion {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return "", 0, "", false
		}
		version = n
	}
	if !ValidKey(key) {
		return "", 0, "", false
	}
	return key, version, frag, true
}

// validName reports whether a property name can be stored as a document
// field by every MongoDB-compatible server.
func validName(name string) bool {
	return name != "" && !strings.HasPrefix(name, "$") && !strings.ContainsAny(name, ".\x00")
}

// walkSchema calls visit for every object in a schema document with its
// pointer. It walks all JSON objects, which over-approximates subschemas;
// the checks it serves are harmless on non-schema objects such as enum
// values, except property-name checks, which only apply under "properties".
func walkSchema(v any, ptr string, visit func(map[string]any, string)) {
	switch v := v.(type) {
	case map[string]any:
		visit(v, ptr)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "enum" || k == "const" || k == "default" || k == "examples" {
				continue // values, not schemas
			}
			walkSchema(v[k], ptr+pointer(k), visit)
		}
	case []any:
		for i, e := range v {
			walkSchema(e, ptr+"/"+strconv.Itoa(i), visit)
		}
	}
}

// fragmentLoader loads fragment: URLs through a Fragments resolver and
// records what it used.
type fragmentLoader struct {
	fragments Fragments
	used      map[string]int
	docs      map[string]any // by the reference as written, for UI checks
	err       error
}

func (l *fragmentLoader) Load(u string) (any, error) {
	key, version, _, ok := parseFragmentRef(u)
	if !ok {
		return nil, fmt.Errorf("%q is not a fragment reference", u)
	}
	if l.fragments == nil {
		return nil, fmt.Errorf("%w: fragment %q (no fragments are available here)", ErrUnknownFragment, key)
	}
	raw, used, err := l.fragments.Fragment(key, version)
	if err != nil {
		if !errors.Is(err, ErrUnknownFragment) && l.err == nil {
			l.err = err // a store failure, not the author's mistake
		}
		return nil, err
	}
	if prev, ok := l.used[key]; ok && prev != used {
		return nil, fmt.Errorf("fragment %q is used at two versions (%d and %d); refer to one", key, prev, used)
	}
	l.used[key] = used
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("fragment %q version %d is not valid JSON: %v", key, used, err)
	}
	l.docs[strings.SplitN(u, "#", 2)[0]] = doc
	return doc, nil
}

var english = message.NewPrinter(language.English)

// compileDoc compiles a parsed schema with only the fragment loader.
func compileDoc(base string, doc any, fragments Fragments) (*Compiled, map[string]any, error) {
	loader := &fragmentLoader{fragments: fragments, used: map[string]int{}, docs: map[string]any{}}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	// Only fragment: URLs load; file:, http(s): and everything else fail.
	c.UseLoader(jsonschema.SchemeURLLoader{fragmentScheme: loader})
	loc := "mem://pishkhan/" + url.PathEscape(base) + ".json"
	if err := c.AddResource(loc, doc); err != nil {
		return nil, nil, &DefinitionError{Problems: []FieldError{{Pointer: "/schema", Code: "schema", Params: map[string]any{"detail": err.Error()}}}}
	}
	s, err := compileSafely(c, loc)
	if loader.err != nil {
		return nil, nil, loader.err
	}
	if err != nil {
		return nil, nil, &DefinitionError{Problems: compileProblems(err, doc)}
	}
	out := &Compiled{schema: s}
	for k, v := range loader.used {
		out.fragments = append(out.fragments, FragmentRef{Key: k, Version: v})
	}
	sort.Slice(out.fragments, func(i, j int) bool { return out.fragments[i].Key < out.fragments[j].Key })
	return out, loader.docs, nil
}

func compileSafely(c *jsonschema.Compiler, loc string) (s *jsonschema.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the schema could not be compiled: %v", r)
		}
	}()
	return c.Compile(loc)
}

// compileProblems turns a compiler error into problems with pointers into
// the definition.
func compileProblems(err error, doc any) []FieldError {
	var (
		sve  *jsonschema.SchemaValidationError
		lue  *jsonschema.LoadURLError
		ire  *jsonschema.InvalidRegexError
		anfe *jsonschema.AnchorNotFoundError
		jpe  *jsonschema.JSONPointerNotFoundError
	)
	switch {
	case errors.As(err, &sve):
		var ve *jsonschema.ValidationError
		if errors.As(sve.Err, &ve) {
			var out []FieldError
			for _, leaf := range leaves(ve) {
				out = append(out, FieldError{Pointer: "/schema" + pointer(leaf.InstanceLocation...), Code: "schema",
					Params: map[string]any{"detail": "not valid JSON Schema: " + leaf.ErrorKind.LocalizedString(english)}})
			}
			if len(out) > 0 {
				return out
			}
		}
	case errors.As(err, &lue):
		return []FieldError{{Pointer: refPointer(doc, lue.URL), Code: "ref", Params: map[string]any{"ref": lue.URL, "detail": unwrapMessage(lue.Err)}}}
	case errors.As(err, &ire):
		return []FieldError{{Pointer: "/schema" + fragmentPointer(ire.URL), Code: "schema", Params: map[string]any{"detail": fmt.Sprintf("pattern %q is not a valid regular expression: %v", ire.Regex, ire.Err)}}}
	case errors.As(err, &jpe):
		ref := "#" + fragmentPointer(jpe.URL)
		return []FieldError{{Pointer: refPointer(doc, ref), Code: "ref", Params: map[string]any{"ref": ref, "detail": "the reference points at nothing in this schema"}}}
	case errors.As(err, &anfe):
		return []FieldError{{Pointer: refPointer(doc, anfe.Reference), Code: "ref", Params: map[string]any{"ref": anfe.Reference, "detail": "the reference points at nothing"}}}
	}
	return []FieldError{{Pointer: "/schema", Code: "schema", Params: map[string]any{"detail": unwrapMessage(err)}}}
}

func unwrapMessage(err error) string {
	msg := err.Error()
	msg = strings.ReplaceAll(msg, "mem://pishkhan/", "")
	return msg
}

// fragmentPointer extracts the JSON pointer from a compiler URL such as
// "mem://pishkhan/form:x.json#/properties/a/pattern".
func fragmentPointer(u string) string {
	_, frag, ok := strings.Cut(u, "#")
	if !ok {
		return ""
	}
	if p, err := url.PathUnescape(frag); err == nil {
		return p
	}
	return frag
}

// refPointer finds where a failing reference is written in the schema.
func refPointer(doc any, ref string) string {
	found := "/schema"
	walkSchema(doc, "/schema", func(node map[string]any, ptr string) {
		if s, ok := node["$ref"].(string); ok && found == "/schema" && (s == ref || strings.HasPrefix(ref, strings.SplitN(s, "#", 2)[0]) && strings.SplitN(s, "#", 2)[0] != "") {
			found = ptr + "/$ref"
		}
	})
	return found
}

// checkUI checks that UI hints name fields the schema has.
func checkUI(ui UI, doc any, fragments map[string]any) []FieldError {
	var problems []FieldError
	seen := map[string]bool{}
	for i, name := range ui.Order {
		p := "/ui/order/" + strconv.Itoa(i)
		switch {
		case !schemaHasPath(doc, []string{name}, fragments):
			problems = append(problems, FieldError{Pointer: p, Code: "unknownField", Params: map[string]any{"field": name}})
		case seen[name]:
			problems = append(problems, FieldError{Pointer: p, Code: "duplicate", Params: map[string]any{"field": name}})
		}
		seen[name] = true
	}
	for path, hints := range ui.Fields {
		p := "/ui/fields" + pointer(path)
		if !schemaHasPath(doc, strings.Split(path, "."), fragments) {
			problems = append(problems, FieldError{Pointer: p, Code: "unknownField", Params: map[string]any{"field": path}})
		}
		if hints.Widget != "" && !slices.Contains(Widgets, hints.Widget) {
			problems = append(problems, FieldError{Pointer: p + "/widget", Code: "widget", Params: map[string]any{"widget": hints.Widget, "allowed": strings.Join(Widgets, ", ")}})
		}
	}
	return problems
}

// schemaHasPath reports whether a dotted field path exists in a schema,
// looking through array items, allOf/if/then/else branches and fragment
// references. A reference it cannot follow counts as having the field, so
// that a correct form is never refused.
func schemaHasPath(node any, path []string, fragments map[string]any) bool {
	if len(path) == 0 {
		return true
	}
	n, ok := node.(map[string]any)
	if !ok {
		return false
	}
	if ref, ok := n["$ref"].(string); ok {
		if strings.HasPrefix(ref, fragmentScheme+":") {
			doc, ok := fragments[strings.SplitN(ref, "#", 2)[0]]
			if !ok || strings.Contains(ref, "#") {
				return true
			}
			if schemaHasPath(doc, path, fragments) {
				return true
			}
		} else {
			return true // an internal reference: the compiler checked it
		}
	}
	if items, ok := n["items"]; ok && schemaHasPath(items, path, fragments) {
		return true
	}
	if props, ok := n["properties"].(map[string]any); ok {
		if sub, ok := props[path[0]]; ok && schemaHasPath(sub, path[1:], fragments) {
			return true
		}
	}
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		if list, ok := n[kw].([]any); ok {
			for _, s := range list {
				if schemaHasPath(s, path, fragments) {
					return true
				}
			}
		}
	}
	for _, kw := range []string{"then", "else"} {
		if s, ok := n[kw]; ok && schemaHasPath(s, path, fragments) {
			return true
		}
	}
	return false
}
