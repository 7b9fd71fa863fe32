package sim

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// Latency knob: every request waits Options.Latency plus a random jitter
// before it is handled, each on its own goroutine.

// SetLatency changes the injected latency and jitter while serving.
func (s *Server) SetLatency(latency, jitter time.Duration) {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.latency, s.knobs.jitter = max(0, latency), max(0, jitter)
}

// latencyLayer delays each request on its own goroutine, so concurrent
// requests overlap.
func (s *Server) latencyLayer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.knobs.mu.Lock()
		d, jitter := s.knobs.latency, s.knobs.jitter
		s.knobs.mu.Unlock()
		if jitter > 0 {
			d += rand.N(jitter)
		}
		if d > 0 {
			reqInfoOf(r).latency = d
			if !s.wait(r.Context(), d) {
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
