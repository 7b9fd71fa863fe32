package ibm

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// pacer spaces requests to a host once that host has answered 429. IBM
// Cloud's limits are not published, so none is assumed: the first 429 sets
// the pace just under the rate that drew it; a 429 to a request sent after
// the last slow-down slows it further (one sent before it was sent at the
// old pace and says nothing new), and each second without one raises the
// pace a little (additive increase, multiplicative decrease, as TCP does),
// so a long run settles just under the limit instead of far below it.
// go-sdk-core retries a refused request after Retry-After.
type pacer struct {
	next  http.RoundTripper
	count atomic.Int64 // requests sent, for the benchmarks

	mu    sync.Mutex
	hosts map[string]*hostPace
	now   func() time.Time // the clock; tests set one
}

type hostPace struct {
	rate   float64     // requests per second; 0 = not limited yet
	slot   time.Time   // earliest time the next request may go
	recent []time.Time // send times within the last second, to measure the rate
	slowed time.Time   // the last slow-down
	raised time.Time   // the last raise
}

func newPacer(next http.RoundTripper) *pacer {
	return &pacer{next: next, hosts: map[string]*hostPace{}, now: time.Now}
}

func (p *pacer) RoundTrip(req *http.Request) (*http.Response, error) {
	if wait := p.reserve(req.URL.Host); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-req.Context().Done():
			t.Stop()
			return nil, req.Context().Err()
		case <-t.C:
		}
	}
	p.count.Add(1)
	sent := p.now()
	resp, err := p.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		p.slowDown(req.URL.Host, sent)
	}
	return resp, err
}

// reserve books the next send slot of host and says how long to wait for it.
func (p *pacer) reserve(host string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := p.hosts[host]
	if h == nil {
		h = &hostPace{}
		p.hosts[host] = h
	}
	now := p.now()
	cut := 0
	for cut < len(h.recent) && now.Sub(h.recent[cut]) > time.Second {
		cut++
	}
	h.recent = append(h.recent[cut:], now)
	if h.rate == 0 {
		return 0
	}
	if now.Sub(h.slowed) > time.Second && now.Sub(h.raised) > time.Second {
		h.rate, h.raised = h.rate*1.05, now
	}
	at := h.slot
	if at.Before(now) {
		at = now
	}
	h.slot = at.Add(time.Duration(float64(time.Second) / h.rate))
	return at.Sub(now)
}

func (p *pacer) slowDown(host string, sent time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := p.hosts[host]
	switch {
	case h.rate == 0:
		h.rate = max(1, 0.9*float64(len(h.recent)))
	case sent.Before(h.slowed):
		return // sent at the old pace
	default:
		h.rate = max(1, 0.85*h.rate)
	}
	h.slowed = p.now()
}
