package main

import (
	"encoding/json"

	"github.com/pishkhan/pishkhan/engine"
)

func newCode() string { return engine.NewTrackingCode() }

func mustJSON(t interface{ Fatal(...any) }, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustUnmarshal(t interface{ Fatal(...any) }, raw []byte, v any) {
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}
