package main

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pishkhan/pishkhan/server"
)

// The OpenAPI document and the registered routes must describe the same
// API: a route missing from the document, or a documented operation that no
// route serves, fails.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	a, srv := testApp(t)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(server.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	param := regexp.MustCompile(`:([a-zA-Z]+)`)
	registered := map[string]bool{}
	for _, r := range a.echo.Routes() {
		if strings.HasPrefix(r.Name, "github.com/labstack/echo") || r.Method == "echo_route_any" {
			continue // echo's internal routes, which are not part of the API
		}
		registered[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
	}
	for _, r := range sortedKeys(registered) {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range sortedKeys(documented) {
		if !registered[d] {
			t.Errorf("openapi.json documents %s, which no route serves", d)
		}
	}
	r := call(t, srv, "GET", "/api/v1/openapi.json", nil)
	if r.status != 200 || r.body["openapi"] != "3.1.0" {
		t.Errorf("GET openapi.json: %d", r.status)
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
