package forms_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/pishkhan/pishkhan/forms"
)

// FuzzValidate feeds arbitrary bytes through decoding and validation of the
// 20-field form: whatever a client sends, the answer is data or errors,
// never a panic or a hang.
//
//	go test -run '^$' -fuzz FuzzValidate -fuzztime 1m ./forms/
func FuzzValidate(f *testing.F) {
	c := compile(f, "service-request.json")
	for _, seed := range []string{validSubmission, `{}`, `[]`, `null`, `{"items": [{}]}`, `{"applicant": {"email": 5}}`,
		`{"$where": "1"}`, `{"priority": 1e400}`, `{"amount": -0.0000001}`, `"x"`, `{"tags": [1, 1, 1]}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		data, err := forms.DecodeData(bytes.NewReader(raw))
		if err != nil {
			return
		}
		err = c.Validate(data)
		var ve *forms.ValidationError
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("Validate returned %v, neither nil nor field errors", err)
		}
		if ve != nil {
			for _, e := range ve.Errors {
				if e.Code == "" || e.Message("en") == "" || e.Message("fa") == "" {
					t.Fatalf("field error without code or message: %+v", e)
				}
			}
		}
	})
}
