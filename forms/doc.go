// Package forms turns a form definition (a JSON Schema 2020-12 document plus
// UI hints) into a compiled form, and validates submitted data against it
// into a list of field errors with stable codes and messages in English and
// Persian.
//
// A tour:
//
//   - Form (form.go) is the definition as a process owner writes it: a key,
//     a title in several languages, the schema, and UI hints (field order,
//     titles, help, placeholders, widgets).
//   - Compile (compile.go) checks a definition and compiles its schema once,
//     when it is published or loaded; a *Compiled is immutable and safe for
//     concurrent use, so a submission never compiles anything. Everything
//     that stops a definition from being published is returned at once as a
//     *DefinitionError whose problems point into the definition
//     ("/schema/properties/age/minimum", "/ui/order/3").
//   - Schemas may reuse published fragments with {"$ref": "fragment:KEY"} or
//     {"$ref": "fragment:KEY@N"}; the caller resolves them through the
//     Fragments interface and pins the versions a form used. No other
//     reference can be loaded: a schema can never reach the network or the
//     file system.
//   - Validate (validate.go) returns every failing field as a FieldError:
//     an RFC 6901 pointer into the data, a stable code (messages.go lists
//     them) and parameters; Message renders it in "en" or "fa".
//   - Field rules (rules.go): visibleWhen, requiredWhen and calculate are
//     compiled with the form and run in one place (applyRules), which
//     Prepare (before validation, at submission) and Evaluate (the
//     fields' states on data typed so far, for the portal) share.
//
// Format assertion is on: an invalid email, date or URI is an error, as
// users expect. Numbers in data must be json.Number (DecodeData does that),
// so that large integers and decimals validate exactly.
package forms
