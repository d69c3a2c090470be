package engine

import (
	"errors"
	"fmt"
)

// Sentinel errors; wrap them with context and test with errors.Is.
var (
	// ErrNotFound means the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate is returned by a Store when a document with the same
	// unique key already exists.
	ErrDuplicate = errors.New("duplicate key")
	// ErrPreconditionFailed means a write was guarded by a revision that is
	// no longer current (someone else saved in between).
	ErrPreconditionFailed = errors.New("precondition failed")
	// ErrNotPublished means a definition exists only as a draft.
	ErrNotPublished = errors.New("not published")
	// ErrInvalid means the input is wrong in a way that is not about one
	// field of a submission; the wrapping message says what.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict means the action no longer fits the request's state (a
	// task someone else completed first, a callback already delivered);
	// the wrapping message says why.
	ErrConflict = errors.New("conflict")
	// ErrNotYours means the caller may not act on that task or request.
	ErrNotYours = errors.New("not yours")
	// ErrUnavailable means the store could not be reached (a connection
	// lost, no server to talk to): the same call may succeed shortly, and
	// a write that failed so may or may not have been made.
	ErrUnavailable = errors.New("the store does not answer")
)

// conflictf is ErrConflict with a precise message.
func conflictf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrConflict, fmt.Sprintf(format, args...))
}

// notYoursf is ErrNotYours with a precise message.
func notYoursf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotYours, fmt.Sprintf(format, args...))
}

// invalidf is ErrInvalid with a precise message.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
