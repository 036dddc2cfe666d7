// Package kycgate holds the domain of identity verification: applicants, the
// levels they aim for, the submissions they make, the findings that checks
// produce and the decisions taken on them.
//
// It has no dependencies beyond the standard library. Capabilities (image
// quality, document reading, face, storage, notifications) live in their own
// packages and speak to each other through the types and interfaces here;
// cmd/kycgate wires them together.
package kycgate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Error is a domain error with a stable code that the API, the CLI and
// webhooks expose unchanged. Codes are reason codes where one fits
// (IMAGE_INVALID, TOO_MANY_ATTEMPTS) and otherwise short upper-case words
// (NOT_FOUND, CONFLICT, INVALID_INPUT).
type Error struct {
	Code    string
	Message string
	// RetryAt is set with TOO_MANY_ATTEMPTS: when the lock ends.
	RetryAt time.Time
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// "INTERNAL" when there is none.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "INTERNAL"
}

// Codes of errors that are not reason codes.
const (
	ErrNotFound     = "NOT_FOUND"
	ErrConflict     = "CONFLICT"
	ErrInvalidInput = "INVALID_INPUT"
	ErrUnauthorized = "UNAUTHORIZED"
	ErrForbidden    = "FORBIDDEN"
	ErrInternal     = "INTERNAL"
)

// Clock is the source of time, replaced in tests.
type Clock interface{ Now() time.Time }

// SystemClock reads the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Blob is stored bytes: encrypted at rest by the BlobStore, addressed by key.
type BlobStore interface {
	// Put stores r (at most limit bytes, else IMAGE_TOO_LARGE) and returns
	// its key, its size and the hex SHA-256 of the plaintext.
	Put(ctx context.Context, r io.Reader, limit int64) (key string, size int64, sha256 string, err error)
	// Get returns the plaintext of the blob.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, key string) error
}
