package aicc

import (
	"errors"
	"fmt"
)

// ErrorKind is one of a short list of error categories. Interfaces (CLI exit
// codes, HTTP statuses) map kinds to their own vocabulary in one place each.
type ErrorKind string

const (
	KindInvalid      ErrorKind = "invalid"      // the caller's input is wrong
	KindNotFound     ErrorKind = "not_found"    // the named object does not exist
	KindConflict     ErrorKind = "conflict"     // the object's state forbids the operation
	KindUnauthorized ErrorKind = "unauthorized" // no valid credentials
	KindForbidden    ErrorKind = "forbidden"    // valid credentials, no permission
	KindUnavailable  ErrorKind = "unavailable"  // a dependency is down; try again
	KindInternal     ErrorKind = "internal"     // a bug or an unexpected failure
)

// Error is an error with a kind and a message meant for a person.
type Error struct {
	Kind    ErrorKind
	Message string
	Err     error // optional cause
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of the given kind.
func Errorf(kind ErrorKind, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is matched by errors.Is for every not-found error.
var ErrNotFound = &Error{Kind: KindNotFound, Message: "not found"}

// Is makes errors.Is(err, ErrNotFound) true for any *Error of kind not_found.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t == ErrNotFound && e.Kind == KindNotFound
}

// KindOf reports the kind of err, or KindInternal when err carries none.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
