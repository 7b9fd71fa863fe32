package commands

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

// hostileT is what the table's helpers need of a test: *testing.T, or a
// recorder for a row run by the pool.
type hostileT interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Fatal(args ...any)
	TempDir() string
	Cleanup(func())
}

// recorder collects a row's failures while a pool goroutine runs it (a
// *testing.T may not FailNow off its own goroutine); report replays them
// in the row's sub-test. Clean-ups run when the row ends.
type recorder struct {
	t        *testing.T
	mu       sync.Mutex
	msgs     []string
	fatal    bool
	cleanups []func()
}

type stopRow struct{}

func newRecorder(t *testing.T) *recorder { return &recorder{t: t} }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	panic(stopRow{})
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }
func (r *recorder) TempDir() string   { return r.t.TempDir() }
func (r *recorder) Cleanup(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleanups = append(r.cleanups, f)
}

// do runs fn as the row's body, then its clean-ups (last first).
func (r *recorder) do(fn func()) {
	defer func() {
		for _, f := range slices.Backward(r.cleanups) {
			f()
		}
	}()
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(stopRow); !ok {
				r.Errorf("the test itself panicked: %v", v)
			}
		}
	}()
	fn()
}

// report fails t with what the row recorded.
func (r *recorder) report(t *testing.T) {
	t.Helper()
	for _, m := range r.msgs {
		t.Error(m)
	}
}
