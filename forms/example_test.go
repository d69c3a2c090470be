package forms_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pishkhan/pishkhan/forms"
)

func ExampleCompile() {
	form := forms.Form{
		Key:   "leave-request",
		Title: forms.Text{"en": "Leave request", "fa": "درخواست مرخصی"},
		Schema: json.RawMessage(`{
			"type": "object",
			"properties": {
				"email": {"type": "string", "format": "email"},
				"days":  {"type": "integer", "minimum": 1, "maximum": 30}
			},
			"required": ["email", "days"]
		}`),
	}
	compiled, err := forms.Compile(form, nil)
	if err != nil {
		panic(err)
	}
	data, _ := forms.DecodeData(strings.NewReader(`{"email": "sara(at)example.com", "days": 40}`))
	var invalid *forms.ValidationError
	if errors.As(compiled.Validate(data), &invalid) {
		for _, e := range invalid.Errors {
			fmt.Printf("%s %s: %s | %s\n", e.Pointer, e.Code, e.Message("en"), e.Message("fa"))
		}
	}
	// Output:
	// /days maximum: Must be at most 30. | باید حداکثر 30 باشد.
	// /email format: Must be a valid email address. | باید یک نشانی ایمیل معتبر باشد.
}
