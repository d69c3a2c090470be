// Package server is the HTTP plumbing every Pishkhan API shares: the echo
// instance with its middleware (request ids, structured logs, security
// headers, body and time limits), health and readiness probes, language
// negotiation, strict JSON decoding, the OpenAPI document, and the ONE place
// where errors become application/problem+json (problem.go).
//
// The API packages (designer-api, runtime-api) register their routes on the
// group returned by API and return domain errors; they never write error
// responses themselves.
package server
