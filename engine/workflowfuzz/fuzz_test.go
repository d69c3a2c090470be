// Package workflowfuzz fuzzes what publishing a workflow does to its body.
// It is a package of its own so that its fuzzing binary links the engine
// alone: the engine's own tests link the embedded store (FerretDB and
// SQLite), which made a cold fuzz build take minutes.
package workflowfuzz_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// FuzzCompileWorkflow feeds arbitrary bytes through what publishing a
// workflow does to its body: the strict decode of a saved draft, then the
// lint that compiles every expression against the form the workflow
// names. Whatever a process owner (or a client of the designer API)
// sends, the answer is a compiled workflow or the domain's typed errors
// (a *forms.DefinitionError whose problems each carry a pointer, a code
// and a message in both languages, or engine.ErrInvalid), never a panic or
// a hang. The forms are the demo's and the engine tests' order form; a
// workflow naming any other form is linted against the order form, so
// mutated keys still reach the lint. The seed corpus is in
// testdata/fuzz/FuzzCompileWorkflow (the demo workflows and the approval
// process of the benchmarks).
//
//	go test -run '^$' -fuzz FuzzCompileWorkflow -fuzztime 1m ./engine/workflowfuzz/
func FuzzCompileWorkflow(f *testing.F) {
	envs := demoFormEnvs(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		body, _, _, err := engine.DecodeDefinition(engine.KindWorkflow, "fuzzed", raw)
		if err != nil {
			checkDefinitionError(t, err, true)
			return
		}
		var wf engine.Workflow
		if err := json.Unmarshal(body, &wf); err != nil {
			t.Fatalf("a decoded draft does not decode again: %v\n%s", err, body)
		}
		env, ok := envs[wf.Form]
		if !ok {
			env = envs["order"]
		}
		w, err := engine.CompileWorkflow(wf, engine.LintDeps{Env: env})
		if err != nil {
			checkDefinitionError(t, err, false)
			return
		}
		if w.Definition().Key != "fuzzed" {
			t.Fatalf("compiled workflow keyed %q, want the path's key", w.Definition().Key)
		}
	})
}

// checkDefinitionError fails t unless err is a definition error whose
// every problem can be shown, or (where the body is not even a JSON
// object, which only the decode can find) engine.ErrInvalid.
func checkDefinitionError(t *testing.T, err error, invalidAllowed bool) {
	t.Helper()
	var de *forms.DefinitionError
	if !errors.As(err, &de) {
		if invalidAllowed && errors.Is(err, engine.ErrInvalid) {
			return
		}
		t.Fatalf("%T %v: neither a definition error nor ErrInvalid", err, err)
	}
	if len(de.Problems) == 0 {
		t.Fatal("definition error with no problems")
	}
	for _, p := range de.Problems {
		if !strings.HasPrefix(p.Pointer, "/") || p.Code == "" || p.Message("en") == "" || p.Message("fa") == "" {
			t.Fatalf("problem without pointer, code or message: %+v", p)
		}
	}
}

// demoFormEnvs compiles the demo's forms (with the demo's fragments) and
// the engine tests' order form, and returns each form's rule environment
// by key.
func demoFormEnvs(tb testing.TB) map[string]*rules.Env {
	tb.Helper()
	demo := filepath.Join("..", "..", "cmd", "pishkhan", "demo")
	frags := demoFragments{}
	paths, err := filepath.Glob(filepath.Join(demo, "fragments", "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range paths {
		var fr engine.Fragment
		readJSON(tb, p, &fr)
		frags[fr.Key] = fr.Schema
	}
	paths, err = filepath.Glob(filepath.Join(demo, "forms", "*.json"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("demo forms: %v", err)
	}
	envs := map[string]*rules.Env{}
	compile := func(f forms.Form) {
		c, err := forms.Compile(f, frags)
		if err != nil {
			tb.Fatalf("form %s: %v", f.Key, err)
		}
		envs[f.Key] = c.Rules()
	}
	for _, p := range paths {
		var f forms.Form
		readJSON(tb, p, &f)
		compile(f)
	}
	var order forms.Form // the engine tests' order form
	readJSON(tb, filepath.Join("testdata", "order.json"), &order)
	compile(order)
	return envs
}

// demoFragments serves the demo's fragments, each as version 1.
type demoFragments map[string]json.RawMessage

func (d demoFragments) Fragment(key string, version int) (json.RawMessage, int, error) {
	s, ok := d[key]
	if !ok || version > 1 {
		return nil, 0, forms.ErrUnknownFragment
	}
	return s, 1, nil
}

func readJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}
