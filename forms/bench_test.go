package forms_test

import (
	"testing"

	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// BenchmarkValidate validates a realistic 20-field form (formats, patterns,
// enums, ranges, a nested object, line items, an if/then condition).
//
//	go test -run '^$' -bench Validate -benchmem ./forms/
func BenchmarkValidate(b *testing.B) {
	c := compile(b, "service-request.json")
	for name, data := range map[string]string{
		"valid": validSubmission,
		"invalid": `{"kind": "business", "applicant": {"firstName": "", "lastName": "A", "email": "x"},
			"channel": "fax", "subject": "Hi", "description": "short", "priority": 9, "consent": false,
			"items": [{"sku": "abc", "qty": 0, "price": 0}]}`,
	} {
		v := decode(b, data)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_ = c.Validate(v)
			}
		})
	}
}

// BenchmarkCheck is what submission costs with rules: a calculated total,
// a conditionally visible field and a conditionally required one, then
// validation; against validation alone on the same form and data; and
// what the portal's live evaluation of the rules (Evaluate, called as the
// requester types) costs on the same form and data.
//
//	go test -run '^$' -bench Check -benchmem ./forms/
func BenchmarkCheck(b *testing.B) {
	c, err := forms.Compile(orderForm(orderHints), nil)
	if err != nil {
		b.Fatal(err)
	}
	data := decode(b, `{"kind": "business", "companyId": "C-1", "justification": "the team grows",
		"items": [{"qty": 2, "price": 100}, {"qty": 1, "price": 950.5}], "address": {"city": "Tehran", "district": "6"}}`).(map[string]any)
	b.Run("validate-only", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := c.Validate(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rules-and-validate", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := c.Check(data, rules.Input{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if s := c.Evaluate(data, rules.Input{}); !s["justification"].Required {
				b.Fatal("justification not required above the threshold")
			}
		}
	})
}
