package diag

import (
	"errors"
)

// Exit codes, as SPEC.md documents them. This file is the one place where an
// outcome becomes a number; plugin/ calls ExitCode and os.Exit.
const (
	ExitOK      = 0 // no problem found
	ExitFail    = 1 // at least one fail (or warn with --fail-on warn)
	ExitUsage   = 2 // usage or session error: bad flags, not logged in, unknown cluster
	ExitUnknown = 3 // the run finished, nothing failed, but some checks could not decide
)

// Exit is returned by a command whose run finished with findings that set
// the exit code. It is an error so that it travels the same road as real
// errors to the one exit-code mapping; its message is empty because the
// findings were already printed.
type Exit struct{ Code int }

func (v *Exit) Error() string { return "" }

// Judge turns a report into its Exit: 1 wins over 3. A check that was
// skipped because a read it needs failed could not decide, like an unknown
// one (a check that does not apply to the cluster is not).
func (r Report) Judge(failOn Status) *Exit {
	sum := r.Summary()
	undecided := sum[Unknown] > 0 || r.Incomplete
	for _, f := range r.Findings {
		undecided = undecided || f.Status == Skipped && f.Key == "read.skipped"
	}
	switch {
	case sum[Fail] > 0 || (failOn == Warn && sum[Warn] > 0):
		return &Exit{Code: ExitFail}
	case undecided:
		return &Exit{Code: ExitUnknown}
	}
	return nil
}

// ExitCode maps what a command returned to the process exit code. Any error
// that is not a verdict stopped the run before it could judge: usage,
// session, unknown cluster, or an output that could not be written.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var v *Exit
	if errors.As(err, &v) {
		if v == nil {
			return ExitOK
		}
		return v.Code
	}
	return ExitUsage
}
