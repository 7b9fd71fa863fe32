package sim

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Rate-limit knob: a token bucket per service; a request over the limit
// is answered 429 with Retry-After: 1 in the service's error shape.

// SetRateLimit changes the per-service rate limit while serving: perSecond
// for every service, overridden per service name by perService (0 =
// unlimited). Buckets start full.
func (s *Server) SetRateLimit(perSecond float64, perService map[string]float64) error {
	for name, r := range perService {
		if !slices.Contains(ServiceNames(), name) {
			return fmt.Errorf("rate limit: unknown service %q (one of: %s)", name, strings.Join(ServiceNames(), ", "))
		}
		if r < 0 {
			return fmt.Errorf("rate limit of %s must not be negative", name)
		}
	}
	if perSecond < 0 {
		return errors.New("rate limit must not be negative")
	}
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.rate, s.knobs.rates, s.knobs.buckets = perSecond, perService, map[string]*bucket{}
	return nil
}

// bucket is a token bucket holding up to one second's worth of requests.
type bucket struct {
	tokens float64
	last   time.Time
}

// allow takes a token from service's bucket, or says the request is over
// the limit.
func (s *Server) allow(service string, now time.Time) bool {
	k := &s.knobs
	k.mu.Lock()
	defer k.mu.Unlock()
	rate := k.rate
	if r, ok := k.rates[service]; ok {
		rate = r
	}
	if rate <= 0 {
		return true
	}
	burst := max(1, rate)
	b := k.buckets[service]
	if b == nil {
		b = &bucket{tokens: burst, last: now}
		k.buckets[service] = b
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// rateLimitLayer answers 429 with Retry-After: 1 once a service's bucket
// is empty.
func (s *Server) rateLimitLayer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := reqInfoOf(r)
		// The injected clock: a test that freezes it sees buckets that
		// never refill, whatever the machine's load.
		if info.service == "unknown" || s.allow(info.service, s.opts.Now()) {
			next.ServeHTTP(w, r)
			return
		}
		info.knob = "rate-limit"
		w.Header().Set("Retry-After", "1")
		s.fail(w, r, http.StatusTooManyRequests, faultCode(info.service, http.StatusTooManyRequests),
			fmt.Sprintf("ks-doctor-sim: the rate limit of the %s service was exceeded; retry after 1 second.", info.service))
	})
}
