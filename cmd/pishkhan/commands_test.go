package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, []byte(`{"key": "ok-form", "title": {"en": "OK"}, "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"key": "bad-form", "title": {"en": "Bad"}, "schema": {"type": "object", "properties": {"a": {"$ref": "https://example.com/x"}}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := validateFiles([]string{good}); err != nil {
		t.Errorf("good file: %v", err)
	}
	if err := validateFiles([]string{good, bad}); err == nil {
		t.Error("a file with a remote $ref passed validation")
	}
	if err := validateFiles(nil); err == nil {
		t.Error("no files: no error")
	}
}
