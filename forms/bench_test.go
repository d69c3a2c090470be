package forms_test

import "testing"

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
