package facts

import (
	"errors"
	"fmt"
)

// ReadError describes a read that failed, in terms a finding can show: which
// call, the HTTP status and the service's own error code and message.
type ReadError struct {
	Op       string // e.g. "ibmcloud ks cluster get"
	Status   int    // HTTP status, 0 when no answer came back
	Code     string // service error code, e.g. G0004
	Message  string
	Incident string
	Err      error
}

func (e *ReadError) Error() string {
	switch {
	case e.Status != 0 && e.Code != "":
		return fmt.Sprintf("%s: HTTP %d %s: %s", e.Op, e.Status, e.Code, e.Message)
	case e.Status != 0:
		return fmt.Sprintf("%s: HTTP %d: %s", e.Op, e.Status, e.Message)
	default:
		return fmt.Sprintf("%s: %s", e.Op, e.Message)
	}
}

func (e *ReadError) Unwrap() error { return e.Err }

// DependencyError is the error of a read that was not attempted because a
// read it needs failed; checks report it as skipped, not unknown.
type DependencyError struct {
	Needs Key
	Err   error
}

func (e *DependencyError) Error() string {
	return fmt.Sprintf("needs %s, which could not be read: %v", e.Needs, e.Err)
}
func (e *DependencyError) Unwrap() error { return e.Err }

// ErrClusterNotFound marks a cluster lookup that found nothing.
var ErrClusterNotFound = errors.New("cluster not found")

// Unauthorized reports whether err is an HTTP 401 from a service: the session
// token was refused even after a refresh.
func Unauthorized(err error) bool {
	var re *ReadError
	return errors.As(err, &re) && re.Status == 401
}

// InternalError is a read that panicked: a bug, or an answer ks-doctor did
// not foresee. Its finding is unknown and asks for a report; the stack is
// not kept, so nothing of the answer leaks into output.
type InternalError struct{ Panic string }

func (e *InternalError) Error() string { return "internal error: " + e.Panic }

// NotVisibleError is a read whose answer this caller may only see in part:
// what it was, and the access that would let ks-doctor decide.
type NotVisibleError struct {
	Op     string // the read
	Access string // the access that would make it complete: "user-management"
}

func (e *NotVisibleError) Error() string {
	return e.Op + ": the answer may be partial for this caller; " + e.Access + " would let ks-doctor decide"
}

// UnreachableAccountError is a classic infrastructure account this session
// holds no way into (no token or credentials open it), so nothing of it was
// read: what it holds is unknown, not absent.
type UnreachableAccountError struct {
	Op      string // the read that was not made
	Account string // "" when the credentials' account itself is not known
}

func (e *UnreachableAccountError) Error() string {
	return e.Op + ": infrastructure account " + orUnknown(e.Account) + " cannot be read with this session"
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}
