// Package rules compiles and evaluates business rules written in expr
// (github.com/expr-lang/expr), and decision tables built from them.
//
// # Environment
//
// An expression sees:
//
//	form       the submitted data, typed from the form's schema (see Field)
//	request    type, channel, priority, status (strings), createdAt (time),
//	           requester {id, name, email, department, segment, manager, groups}
//	now        the time of evaluation
//
// plus expr's builtins (len, sum, filter, map, any, all, count, uniq, min,
// max, upper, lower, trim, split, date, duration, in, matches, startsWith,
// ?? and ?.) and the helpers in functions.go: addDays, addHours,
// addMinutes, daysBetween, hoursBetween, startOfDay, age, isBlank,
// coalesce. The builtins now (use the variable), repeat and fromJSON are
// off: the first makes rules unrepeatable, the others build unbounded
// values.
//
// # Checking
//
// Compile type-checks against the form: a field the schema does not have
// ("form.amout"), comparing a text field with a number, an unknown function
// or a syntax error is a *CompileError with the line, column and field path.
// Parts of a schema whose type is not fixed (no "type", several types,
// oneOf) are of unknown type: their names are still checked where the
// schema lists them.
//
// # Absent fields
//
// An optional field the requester left out is nil. Reading through nil
// gives nil (form.address.city is nil when address is absent). Comparisons
// never fail on nil: nil == nil is true, x == nil is true only when x is
// absent, and <, <=, >, >= with nil on either side are false. Arithmetic
// with nil is an evaluation error; write form.qty ?? 0 to default it.
// "/" divides with fractions (7 / 2 is 3.5); dividing by zero, with "/" or
// "%", is an evaluation error, never an infinity that would flow into a
// decision.
//
// # Safety
//
// Sources are limited to 4 KiB and 1,000 syntax nodes; evaluation runs with
// expr's memory budget, so a rule that builds huge lists fails that
// evaluation instead of exhausting memory, and a panic inside a rule is
// recovered into an *EvalError. Rules cannot reach the network, files, the
// environment or Go internals: no function here does I/O, and the values in
// the environment are plain data.
//
// # Decision tables
//
// A Table maps input columns (expressions) through rows of cells (unary
// tests such as "> 1000", "in [\"gold\", \"vip\"]", a literal, or "-" for
// any) to named outputs, under the hit policy first, unique or collect.
// CompileTable checks everything at once and reports overlapping rows of a
// unique table that it can prove overlap.
package rules
