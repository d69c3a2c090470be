package forms_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pishkhan/pishkhan/forms"
)

func loadForm(t testing.TB, name string) forms.Form {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var f forms.Form
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func compile(t testing.TB, name string) *forms.Compiled {
	t.Helper()
	c, err := forms.Compile(loadForm(t, name), nil)
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return c
}

func decode(t testing.TB, s string) any {
	t.Helper()
	v, err := forms.DecodeData(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const validSubmission = `{
  "kind": "business", "companyId": "1234567890",
  "applicant": {"firstName": "Sara", "lastName": "Ahmadi", "email": "sara@example.com", "phone": "+98 21 5555 1234", "birthDate": "1990-04-01"},
  "channel": "web", "subject": "Bulk order", "description": "We would like to order for all branches.",
  "priority": 2, "amount": 1500.75, "website": "https://example.com", "preferredDate": "2026-12-01",
  "consent": true, "tags": ["bulk", "b2b"],
  "items": [{"sku": "ABC-1234", "qty": 3, "price": 19.99}, {"sku": "XYZ-0001", "qty": 1, "price": 250}],
  "region": "north", "segment": "gold", "referenceNumber": "PO-77", "notes": "Deliver to the main gate."
}`

func errorList(err error) []string {
	var ve *forms.ValidationError
	if !errors.As(err, &ve) {
		return []string{fmt.Sprintf("not a ValidationError: %v", err)}
	}
	out := make([]string, len(ve.Errors))
	for i, e := range ve.Errors {
		out[i] = e.Pointer + " " + e.Code
	}
	return out
}

func TestValidateReportsEveryFailingField(t *testing.T) {
	t.Parallel()
	c := compile(t, "service-request.json")
	if err := c.Validate(decode(t, validSubmission)); err != nil {
		t.Fatalf("valid submission refused: %v", err)
	}
	cases := []struct {
		name, data string
		want       []string
	}{
		{"empty object: every required field", `{}`, []string{
			"/applicant required", "/channel required", "/consent required", "/description required", "/items required", "/kind required", "/subject required"}},
		{"six bad fields", `{
			"kind": "business", "applicant": {"firstName": "", "lastName": "A", "email": "sara(at)example.com"},
			"channel": "fax", "subject": "Bulk order", "description": "Long enough text here.",
			"priority": 9, "consent": true, "items": [{"sku": "ABC-1234", "qty": 1, "price": 1}]}`, []string{
			"/applicant/email format", "/applicant/firstName minLength", "/channel enum", "/companyId required", "/priority maximum"}},
		{"nested array items", `{
			"kind": "personal", "applicant": {"firstName": "S", "lastName": "A", "email": "s@example.com"},
			"channel": "web", "subject": "Order", "description": "Long enough text here.", "consent": true,
			"items": [{"sku": "abc", "qty": 0, "price": 0}, {"qty": 2}]}`, []string{
			"/items/0/price exclusiveMinimum", "/items/0/qty minimum", "/items/0/sku pattern", "/items/1/price required", "/items/1/sku required"}},
		{"types, formats, const, uniqueness, extra fields", `{
			"kind": "personal", "applicant": {"firstName": "S", "lastName": "A", "email": "s@example.com", "birthDate": "1990-13-45", "age": 3},
			"channel": "web", "subject": "Order", "description": "Long enough text here.", "consent": false,
			"priority": "high", "amount": -1, "website": "not a uri", "tags": ["a", "a"], "items": []}`, []string{
			"/amount minimum", "/applicant/age additionalProperties", "/applicant/birthDate format", "/consent const",
			"/items minItems", "/priority type", "/tags uniqueItems", "/website format"}},
		{"names no store can keep", `{"$where": 1, "a.b": 2, "applicant": {"$x": 1}}`, []string{
			"/$where invalidName", "/a.b invalidName", "/applicant/$x invalidName"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := errorList(c.Validate(decode(t, tc.data)))
			if tc.name == "names no store can keep" {
				got = filter(got, "invalidName") // the schema's own complaints are covered above
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func filter(list []string, code string) []string {
	var out []string
	for _, s := range list {
		if strings.HasSuffix(s, " "+code) {
			out = append(out, s)
		}
	}
	return out
}

func TestMessagesInEnglishAndPersian(t *testing.T) {
	t.Parallel()
	cases := []struct {
		e      forms.FieldError
		en, fa string
	}{
		{forms.FieldError{Code: "required"}, "This field is required.", "این فیلد الزامی است."},
		{forms.FieldError{Code: "minimum", Params: map[string]any{"limit": "18"}}, "Must be at least 18.", "باید دست‌کم 18 باشد."},
		{forms.FieldError{Code: "format", Params: map[string]any{"format": "email"}}, "Must be a valid email address.", "باید یک نشانی ایمیل معتبر باشد."},
		{forms.FieldError{Code: "type", Params: map[string]any{"want": "integer"}}, "Must be a whole number.", "باید عدد صحیح باشد."},
		{forms.FieldError{Code: "enum", Params: map[string]any{"allowed": []any{"a", "b"}}}, "Choose one of: a, b.", "یکی از این مقدارها را انتخاب کنید: a، b"},
	}
	for _, tc := range cases {
		if got := tc.e.Message("en"); got != tc.en {
			t.Errorf("%s en = %q, want %q", tc.e.Code, got, tc.en)
		}
		if got := tc.e.Message("fa"); got != tc.fa {
			t.Errorf("%s fa = %q, want %q", tc.e.Code, got, tc.fa)
		}
		if got := tc.e.Message("de"); got != tc.en {
			t.Errorf("%s in an unknown language = %q, want the English", tc.e.Code, got)
		}
	}
	// A validation error's limits reach the message.
	c := compile(t, "service-request.json")
	var ve *forms.ValidationError
	if err := c.Validate(decode(t, `{"priority": 0}`)); !errors.As(err, &ve) {
		t.Fatal(err)
	}
	for _, e := range ve.Errors {
		if e.Pointer == "/priority" && e.Message("en") != "Must be at least 1." {
			t.Errorf("priority message %q", e.Message("en"))
		}
	}
}

func TestCompileRefusals(t *testing.T) {
	t.Parallel()
	base := func(schema string) forms.Form {
		return forms.Form{Key: "f1", Title: forms.Text{"en": "F"}, Schema: json.RawMessage(schema)}
	}
	withUI := func(ui forms.UI) forms.Form {
		f := base(`{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "object", "properties": {"c": {"type": "string"}}},
			"list": {"type": "array", "items": {"type": "object", "properties": {"qty": {"type": "integer"}}}}}}`)
		f.UI = ui
		return f
	}
	cases := []struct {
		name    string
		form    forms.Form
		pointer string
		code    string
	}{
		{"not an object", base(`[1]`), "/schema", "schema"},
		{"not a JSON document", base(`{"type": `), "/schema", "schema"},
		{"top level not an object type", base(`{"type": "string"}`), "/schema/type", "schema"},
		{"bad type keyword", base(`{"type": "object", "properties": {"age": {"type": "integr"}}}`), "/schema/properties/age/type", "schema"},
		{"bad minimum", base(`{"type": "object", "properties": {"age": {"minimum": "ten"}}}`), "/schema/properties/age/minimum", "schema"},
		{"bad regex", base(`{"type": "object", "properties": {"a": {"type": "string", "pattern": "(["}}}`), "/schema/properties/a/pattern", "schema"},
		{"unknown dialect", base(`{"$schema": "https://example.com/my-dialect", "type": "object"}`), "/schema/$schema", "ref"},
		{"remote ref", base(`{"type": "object", "properties": {"x": {"$ref": "https://example.com/s.json"}}}`), "/schema/properties/x/$ref", "ref"},
		{"file ref", base(`{"type": "object", "properties": {"x": {"$ref": "file:///etc/passwd"}}}`), "/schema/properties/x/$ref", "ref"},
		{"absolute path ref", base(`{"type": "object", "properties": {"x": {"$ref": "/etc/passwd"}}}`), "/schema/properties/x/$ref", "ref"},
		{"relative ref", base(`{"type": "object", "properties": {"x": {"$ref": "other.json"}}}`), "/schema/properties/x/$ref", "ref"},
		{"remote ref behind $id", base(`{"$id": "https://example.com/root.json", "type": "object", "properties": {"x": {"$ref": "#/$defs/missing"}}}`), "/schema/properties/x/$ref", "ref"},
		{"fragment without fragments", base(`{"type": "object", "properties": {"x": {"$ref": "fragment:contact"}}}`), "/schema/properties/x/$ref", "ref"},
		{"invalid property name", base(`{"type": "object", "properties": {"a.b": {"type": "string"}}}`), "/schema/properties/a.b", "invalidName"},
		{"dollar property name", base(`{"type": "object", "properties": {"x": {"type": "object", "properties": {"$where": {}}}}}`), "/schema/properties/x/properties/$where", "invalidName"},
		{"bad key", forms.Form{Key: "Bad Key", Title: forms.Text{"en": "x"}, Schema: json.RawMessage(`{"type": "object"}`)}, "/key", "key"},
		{"empty title", forms.Form{Key: "ok", Title: forms.Text{"en": ""}, Schema: json.RawMessage(`{"type": "object"}`)}, "/title", "title"},
		{"unknown field in order", withUI(forms.UI{Order: []string{"a", "zzz"}}), "/ui/order/1", "unknownField"},
		{"field twice in order", withUI(forms.UI{Order: []string{"a", "a"}}), "/ui/order/1", "duplicate"},
		{"unknown nested field", withUI(forms.UI{Fields: map[string]forms.FieldHints{"b.d": {}}}), "/ui/fields/b.d", "unknownField"},
		{"unknown widget", withUI(forms.UI{Fields: map[string]forms.FieldHints{"b.c": {Widget: "slider3d"}}}), "/ui/fields/b.c/widget", "widget"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := forms.Compile(tc.form, nil)
			var de *forms.DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a DefinitionError", err)
			}
			for _, p := range de.Problems {
				if p.Pointer == tc.pointer && p.Code == tc.code {
					if p.Message("en") == "" || p.Message("fa") == "" {
						t.Errorf("problem without a message: %+v", p)
					}
					return
				}
			}
			t.Errorf("no %s problem at %s in %+v", tc.code, tc.pointer, de.Problems)
		})
	}
	// Hints that name real fields, array items included, are accepted.
	if _, err := forms.Compile(withUI(forms.UI{Order: []string{"b", "a"}, Fields: map[string]forms.FieldHints{"b.c": {Widget: "textarea"}, "list.qty": {Widget: "number"}}}), nil); err != nil {
		t.Errorf("good hints refused: %v", err)
	}
}

// fragmentStore is an in-memory Fragments: key -> versions (1-based).
type fragmentStore map[string][]string

func (s fragmentStore) Fragment(key string, version int) (json.RawMessage, int, error) {
	versions, ok := s[key]
	if !ok {
		return nil, 0, fmt.Errorf("%w: %q", forms.ErrUnknownFragment, key)
	}
	if version == 0 {
		version = len(versions)
	}
	if version > len(versions) {
		return nil, 0, fmt.Errorf("%w: %q version %d", forms.ErrUnknownFragment, key, version)
	}
	return json.RawMessage(versions[version-1]), version, nil
}

func TestFragments(t *testing.T) {
	t.Parallel()
	store := fragmentStore{
		"contact": {
			`{"type": "object", "properties": {"email": {"type": "string", "format": "email"}}, "required": ["email"]}`,
			`{"type": "object", "properties": {"email": {"type": "string", "format": "email"}, "phone": {"$ref": "fragment:phone"}}, "required": ["email", "phone"]}`,
		},
		"phone": {`{"type": "string", "pattern": "^[0-9]{7,15}$"}`},
	}
	form := func(ref string) forms.Form {
		return forms.Form{Key: "ticket", Title: forms.Text{"en": "T"}, Schema: json.RawMessage(`{"type": "object",
			"properties": {"contact": {"$ref": "` + ref + `"}}, "required": ["contact"]}`),
			UI: forms.UI{Fields: map[string]forms.FieldHints{"contact.email": {Widget: "email"}}}}
	}
	latest, err := forms.Compile(form("fragment:contact"), store)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(latest.Fragments()); got != "[{contact 2} {phone 1}]" {
		t.Errorf("latest pins %s", got)
	}
	if got := errorList(latest.Validate(decode(t, `{"contact": {"email": "a@example.com", "phone": "12"}}`))); strings.Join(got, ",") != "/contact/phone pattern" {
		t.Errorf("through nested fragments: %v", got)
	}
	v1, err := forms.Compile(form("fragment:contact@1"), store)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(v1.Fragments()); got != "[{contact 1}]" {
		t.Errorf("explicit version pins %s", got)
	}
	if err := v1.Validate(decode(t, `{"contact": {"email": "a@example.com"}}`)); err != nil {
		t.Errorf("version 1 needs no phone: %v", err)
	}
	for _, ref := range []string{"fragment:nobody", "fragment:contact@9"} {
		_, err := forms.Compile(form(ref), store)
		var de *forms.DefinitionError
		if !errors.As(err, &de) || de.Problems[0].Code != "ref" || de.Problems[0].Pointer != "/schema/properties/contact/$ref" {
			t.Errorf("%s: %v", ref, err)
		}
	}
	if _, err := forms.CompileFragment("contact", json.RawMessage(store["contact"][1]), store); err != nil {
		t.Errorf("a fragment that uses a fragment: %v", err)
	}
}

// A failing store is not the author's fault: it surfaces as itself.
func TestFragmentStoreFailure(t *testing.T) {
	t.Parallel()
	boom := errors.New("store down")
	_, err := forms.Compile(forms.Form{Key: "t1", Title: forms.Text{"en": "T"}, Schema: json.RawMessage(`{"type": "object", "properties": {"c": {"$ref": "fragment:contact"}}}`)}, failing{boom})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the store's error", err)
	}
}

type failing struct{ err error }

func (f failing) Fragment(string, int) (json.RawMessage, int, error) { return nil, 0, f.err }

func TestDecodeData(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"trailing data": `{"a": 1} {"b": 2}`,
		"not JSON":      `{a: 1}`,
		"too deep":      strings.Repeat("[", forms.MaxDepth+1) + strings.Repeat("]", forms.MaxDepth+1),
		"empty":         ``,
		"huge exponent": `{"a": {"b/c": [0, 1e999999]}}`,
		"tiny exponent": `[1e-999999]`,
		"long number":   `{"a": 0.` + strings.Repeat("1", forms.MaxNumberLength) + `}`,
	} {
		if _, err := forms.DecodeData(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := forms.DecodeData(strings.NewReader(`{"a": {"b/c": [0, 1e999999]}}`)); err == nil || !strings.Contains(err.Error(), `"/a/b~1c/1"`) {
		t.Errorf("huge number refused with %v, want its pointer /a/b~1c/1", err)
	}
	v, err := forms.DecodeData(strings.NewReader(`{"n": 12345678901234567890, "s": "[{not nesting"}`))
	if err != nil {
		t.Fatal(err)
	}
	if n := v.(map[string]any)["n"]; fmt.Sprint(n) != "12345678901234567890" {
		t.Errorf("big number decoded as %v (%T)", n, n)
	}
}

func TestTextIn(t *testing.T) {
	t.Parallel()
	txt := forms.Text{"en": "Hello", "fa": "سلام"}
	if txt.In("fa") != "سلام" || txt.In("de") != "Hello" || (forms.Text{"fa": "سلام"}).In("en") != "سلام" || (forms.Text{}).In("en") != "" {
		t.Error("Text.In falls back wrongly")
	}
}
