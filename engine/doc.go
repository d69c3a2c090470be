// Package engine owns Pishkhan's requests and the versioned definitions they
// are made from.
//
// A tour:
//
//   - Definitions (definitions.go) are what process owners write: forms,
//     reusable form fragments, rule sets and workflows; request types will
//     join them. Each kind has one draft per key, saved as often as wanted,
//     and immutable numbered versions made by Publish, which refuses a draft
//     that does not compile. A running request keeps the version it started
//     with.
//   - Requests (requests.go) are what requesters submit. Submit validates
//     the data against the newest published form, gives the request a
//     tracking code (trackingcode.go) and stores it as ONE document: data,
//     form version, channel, status, revision and history. The tracking code
//     is the request's id, so every lookup is a primary-key lookup on any
//     store.
//   - Workflows (workflow.go) are graphs checked at publish time by the
//     lint (lint.go). The interpreter (interpret.go) is a pure function from
//     a request and a signal to the request after one step, with its
//     workflow state (instance.go: tokens, tasks, timers), history and
//     outbox. The runner (runner.go) applies each step as one write guarded
//     by the request's revision, fires due timers under a lease, delivers
//     callbacks and archives closed requests; the dispatcher (outbox.go)
//     sends the outbox at least once; tasks.go serves inboxes and
//     simulate.go runs a workflow in memory.
//   - Attachments (attachments.go) are files uploaded loose and then
//     attached to a request, a message or a form field; their bytes sit
//     in the store beside the requests (Files), streamed in chunks.
//   - The knowledge base (knowledge.go) keeps the answers agents saved
//     for reuse, found by folded search tokens (search.go) on any store.
//   - KPIs (kpifacts.go, kpis.go): every write derives, from the request
//     alone, the facts it adds to the KPIs and stores them in the request;
//     KPIs has the store select and sum them per day, and turns the sums
//     into totals and a time series (docs/kpis.md).
//   - Store (store.go) is the narrow storage seam. Its only implementation,
//     in engine/mongostore, speaks to MongoDB or to the embedded FerretDB
//     through the same code. The engine never needs a multi-document
//     transaction: every change it makes is one single-document write, and
//     multi-step changes (publishing, archiving, attaching a file) are ordered so that a crash
//     between steps leaves nothing a retry cannot finish.
//
// The engine serves no HTTP (it only calls out, for webhooks); errors it returns are the sentinels and
// types in errors.go, which the HTTP layer turns into problem+json in one
// place.
package engine
