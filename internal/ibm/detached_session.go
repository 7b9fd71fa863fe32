package ibm

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// detachedWork counts token work still running after its caller left.
var detachedWork sync.WaitGroup

// detach runs op on a context the caller's cancel does not reach, bounded by
// budget, and returns op's error, or ctx's error as soon as ctx ends (op
// then runs on to its end and records its own result).
func detach(ctx context.Context, budget time.Duration, op func(context.Context) error) error {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), budget)
	done := make(chan error, 1)
	detachedWork.Add(1)
	go func() {
		defer detachedWork.Done()
		defer cancel()
		done <- op(dctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		select {
		case err := <-done: // finished at the same moment: keep its answer
			return err
		default:
			return ctx.Err()
		}
	}
}

// WaitDetached waits up to d for token refreshes and exchanges that
// outlived their caller (Ctrl-C, --timeout) to record and save what IAM
// issued; plugin/ calls it before the process exits. It reports whether
// all of them ended.
func WaitDetached(d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		detachedWork.Wait()
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// withContext sends requests under ctx, for clients that take none (the
// CLI SDK's IAM client uses context.Background).
type withContext struct {
	ctx  context.Context
	next http.RoundTripper
}

func (w withContext) RoundTrip(req *http.Request) (*http.Response, error) {
	return w.next.RoundTrip(req.WithContext(w.ctx))
}
