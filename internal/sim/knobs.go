package sim

import (
	"context"
	"sync"
	"time"
)

// Behaviour knobs, applied in this order between the request log and
// dispatch (Server.wrap): latency (latency.go), a per-service rate limit
// (ratelimit.go) and injected faults (faults.go holds the Fault type,
// faultspec.go its --fault syntax, faultanswers.go what each kind answers).
// Each can be set in Options or changed while serving; knobState holds the
// live settings.

// knobState is the live knob settings, guarded by mu.
type knobState struct {
	mu              sync.Mutex
	latency, jitter time.Duration
	rate            float64
	rates           map[string]float64
	buckets         map[string]*bucket
	faults          []*activeFault
}

// wait blocks for d, or until the client goes away or the server closes;
// it tells whether the whole time passed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}
