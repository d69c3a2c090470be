package forms

import (
	"fmt"
	"strings"
)

// renderer renders one code in one language from its params.
type renderer func(p map[string]any) string

// messages is the one table of field-error messages. Codes are stable and
// documented in docs/api.md; the words may improve over time.
var messages = map[string]map[string]renderer{
	"required":             {"en": lit("This field is required."), "fa": lit("این فیلد الزامی است.")},
	"type":                 {"en": typeMsg("en"), "fa": typeMsg("fa")},
	"format":               {"en": formatMsg("en"), "fa": formatMsg("fa")},
	"pattern":              {"en": lit("This value is not in the expected form."), "fa": lit("قالب این مقدار درست نیست.")},
	"minLength":            {"en": tmpl("Must be at least %v characters long.", "limit"), "fa": tmpl("باید دست‌کم %v نویسه باشد.", "limit")},
	"maxLength":            {"en": tmpl("Must be at most %v characters long.", "limit"), "fa": tmpl("باید حداکثر %v نویسه باشد.", "limit")},
	"minimum":              {"en": tmpl("Must be at least %v.", "limit"), "fa": tmpl("باید دست‌کم %v باشد.", "limit")},
	"maximum":              {"en": tmpl("Must be at most %v.", "limit"), "fa": tmpl("باید حداکثر %v باشد.", "limit")},
	"exclusiveMinimum":     {"en": tmpl("Must be greater than %v.", "limit"), "fa": tmpl("باید بیشتر از %v باشد.", "limit")},
	"exclusiveMaximum":     {"en": tmpl("Must be less than %v.", "limit"), "fa": tmpl("باید کمتر از %v باشد.", "limit")},
	"multipleOf":           {"en": tmpl("Must be a multiple of %v.", "limit"), "fa": tmpl("باید مضربی از %v باشد.", "limit")},
	"minItems":             {"en": tmpl("Add at least %v item(s).", "limit"), "fa": tmpl("دست‌کم %v مورد وارد کنید.", "limit")},
	"maxItems":             {"en": tmpl("Add at most %v item(s).", "limit"), "fa": tmpl("حداکثر %v مورد مجاز است.", "limit")},
	"uniqueItems":          {"en": lit("Items must not repeat."), "fa": lit("موارد نباید تکراری باشند.")},
	"minProperties":        {"en": tmpl("Fill in at least %v field(s).", "limit"), "fa": tmpl("دست‌کم %v فیلد را پر کنید.", "limit")},
	"maxProperties":        {"en": tmpl("Fill in at most %v field(s).", "limit"), "fa": tmpl("حداکثر %v فیلد مجاز است.", "limit")},
	"enum":                 {"en": enumMsg("en"), "fa": enumMsg("fa")},
	"const":                {"en": tmpl("Must be %v.", "want"), "fa": tmpl("باید %v باشد.", "want")},
	"additionalProperties": {"en": lit("This field is not part of the form."), "fa": lit("این فیلد جزو فرم نیست.")},
	"invalidName":          {"en": tmpl("The name %q cannot be used: names must not start with $ or contain a dot.", "name"), "fa": tmpl("نام %q مجاز نیست: نام نباید با $ شروع شود یا نقطه داشته باشد.", "name")},
	"anyOf":                {"en": lit("This value matches none of the allowed shapes."), "fa": lit("این مقدار با هیچ‌یک از حالت‌های مجاز جور نیست.")},
	"oneOf":                {"en": lit("This value must match exactly one of the allowed shapes."), "fa": lit("این مقدار باید دقیقاً با یکی از حالت‌های مجاز جور باشد.")},
	"not":                  {"en": lit("This value is not allowed."), "fa": lit("این مقدار مجاز نیست.")},
	"notAllowed":           {"en": lit("This field is not allowed here."), "fa": lit("این فیلد در اینجا مجاز نیست.")},
	"contains":             {"en": lit("The list does not contain the required items."), "fa": lit("فهرست موارد لازم را ندارد.")},
	"ruleFailed":           {"en": detailOr("This field's rule could not be evaluated."), "fa": prefixed("قاعدهٔ این فیلد اجرا نشد")},
	"attachment":           {"en": tmpl("There is no file %v uploaded by you waiting to be attached; upload it again.", "id"), "fa": tmpl("پرونده‌ای با شناسهٔ %v که شما بارگذاری کرده باشید و در انتظار پیوست باشد وجود ندارد؛ دوباره بارگذاری کنید.", "id")},
	// Definition problems.
	"rule":         {"en": detailOr("The rule is not valid."), "fa": prefixed("قاعده معتبر نیست")},
	"workflow":     {"en": detailOr("The workflow is not valid."), "fa": prefixed("گردش کار معتبر نیست")},
	"key":          {"en": keyMsg("en"), "fa": keyMsg("fa")},
	"title":        {"en": detailOr("Give a title (at least in English or Persian)."), "fa": detailOr("یک عنوان (دست‌کم به انگلیسی یا فارسی) وارد کنید.")},
	"schema":       {"en": detailOr("The schema is not valid JSON Schema."), "fa": prefixed("طرح‌واره (schema) معتبر نیست")},
	"ref":          {"en": refMsg("en"), "fa": refMsg("fa")},
	"unknownField": {"en": unknownFieldMsg("en"), "fa": unknownFieldMsg("fa")},
	"duplicate":    {"en": tmpl("%q is listed twice.", "field"), "fa": tmpl("%q دو بار آمده است.", "field")},
	"widget":       {"en": tmpl("Unknown widget %q; use one of: %v.", "widget", "allowed"), "fa": tmpl("ابزارک %q شناخته‌شده نیست؛ یکی از این‌ها را به کار ببرید: %v.", "widget", "allowed")},
}

// Message returns the error in lang ("en" or "fa"; anything else gets
// English).
func (e FieldError) Message(lang string) string {
	m, ok := messages[e.Code]
	if !ok {
		if d, ok := e.Params["detail"].(string); ok {
			return capitalize(d) + "."
		}
		return e.Code
	}
	render, ok := m[lang]
	if !ok {
		render = m["en"]
	}
	return render(e.Params)
}

func lit(s string) renderer { return func(map[string]any) string { return s } }

func tmpl(format string, names ...string) renderer {
	return func(p map[string]any) string {
		args := make([]any, len(names))
		for i, n := range names {
			args[i] = p[n]
		}
		return fmt.Sprintf(format, args...)
	}
}

func detailOr(fallback string) renderer {
	return func(p map[string]any) string {
		if d, ok := p["detail"].(string); ok && d != "" {
			return capitalize(d) + "."
		}
		return fallback
	}
}

// prefixed puts a Persian lead-in before the (English, technical) detail.
func prefixed(lead string) renderer {
	return func(p map[string]any) string {
		if d, ok := p["detail"].(string); ok && d != "" {
			return lead + ": " + d
		}
		return lead + "."
	}
}

var typeNames = map[string]map[string]string{
	"en": {"string": "text", "number": "a number", "integer": "a whole number", "boolean": "yes or no", "object": "a group of fields", "array": "a list", "null": "empty"},
	"fa": {"string": "متن", "number": "عدد", "integer": "عدد صحیح", "boolean": "بله یا خیر", "object": "گروهی از فیلدها", "array": "فهرست", "null": "خالی"},
}

func typeMsg(lang string) renderer {
	return func(p map[string]any) string {
		want, _ := p["want"].(string)
		var names []string
		for _, w := range strings.Split(want, ", ") {
			if n := typeNames[lang][w]; n != "" {
				names = append(names, n)
			} else {
				names = append(names, w)
			}
		}
		if lang == "fa" {
			return "باید " + strings.Join(names, " یا ") + " باشد."
		}
		return "Must be " + strings.Join(names, " or ") + "."
	}
}

var formatNames = map[string]map[string]string{
	"en": {"email": "a valid email address", "idn-email": "a valid email address", "date": "a date (YYYY-MM-DD)", "date-time": "a date and time",
		"time": "a time (HH:MM:SS)", "duration": "a duration", "uri": "a full web address (URI)", "uri-reference": "a web address", "iri": "a web address",
		"uuid": "a UUID", "ipv4": "an IPv4 address", "ipv6": "an IPv6 address", "hostname": "a host name", "idn-hostname": "a host name", "regex": "a regular expression"},
	"fa": {"email": "یک نشانی ایمیل معتبر", "idn-email": "یک نشانی ایمیل معتبر", "date": "یک تاریخ (YYYY-MM-DD)", "date-time": "یک تاریخ و زمان",
		"time": "یک زمان (HH:MM:SS)", "duration": "یک مدت زمان", "uri": "یک نشانی اینترنتی کامل (URI)", "uri-reference": "یک نشانی اینترنتی", "iri": "یک نشانی اینترنتی",
		"uuid": "یک شناسهٔ UUID", "ipv4": "یک نشانی IPv4", "ipv6": "یک نشانی IPv6", "hostname": "یک نام میزبان", "idn-hostname": "یک نام میزبان", "regex": "یک عبارت باقاعده"},
}

func formatMsg(lang string) renderer {
	return func(p map[string]any) string {
		f, _ := p["format"].(string)
		name := formatNames[lang][f]
		if lang == "fa" {
			if name == "" {
				name = "در قالب " + f
			}
			return "باید " + name + " باشد."
		}
		if name == "" {
			name = "in " + f + " format"
		}
		return "Must be " + name + "."
	}
}

func enumMsg(lang string) renderer {
	return func(p map[string]any) string {
		allowed, _ := p["allowed"].([]any)
		parts := make([]string, len(allowed))
		for i, a := range allowed {
			parts[i] = fmt.Sprintf("%v", a)
		}
		if lang == "fa" {
			return "یکی از این مقدارها را انتخاب کنید: " + strings.Join(parts, "، ")
		}
		return "Choose one of: " + strings.Join(parts, ", ") + "."
	}
}

func keyMsg(lang string) renderer {
	return func(p map[string]any) string {
		if d, ok := p["detail"].(string); ok {
			return capitalize(d) + "."
		}
		if lang == "fa" {
			return fmt.Sprintf("کلید %q مجاز نیست: ۲ تا ۶۳ حرف کوچک انگلیسی، رقم یا خط تیره، با یک حرف در آغاز.", p["key"])
		}
		return fmt.Sprintf("Key %q is not allowed: use 2 to 63 lower-case letters, digits and hyphens, starting with a letter.", p["key"])
	}
}

func refMsg(lang string) renderer {
	return func(p map[string]any) string {
		d, _ := p["detail"].(string)
		if lang == "fa" {
			return fmt.Sprintf("ارجاع %q قابل استفاده نیست: %s", p["ref"], d)
		}
		return fmt.Sprintf("Reference %q cannot be used: %s.", p["ref"], d)
	}
}

func unknownFieldMsg(lang string) renderer {
	return func(p map[string]any) string {
		if d, ok := p["detail"].(string); ok {
			return capitalize(d) + "."
		}
		if lang == "fa" {
			return fmt.Sprintf("فیلد %q در طرح‌وارهٔ فرم وجود ندارد.", p["field"])
		}
		return fmt.Sprintf("The schema has no field %q.", p["field"])
	}
}

func capitalize(s string) string {
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
