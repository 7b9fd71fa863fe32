package ibm

import (
	"testing"
	"time"
)

// The pace drops on a 429 to a request sent after the last slow-down, not
// on one sent before it, and creeps back up while no 429 comes.
func TestPacerSettlesUnderTheLimit(t *testing.T) {
	clock := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	p := newPacer(nil)
	p.now = func() time.Time { return clock }
	const host = "containers.example"
	for range 100 {
		p.reserve(host) // 100 requests within a second, unpaced
	}
	p.slowDown(host, clock)
	if r := p.hosts[host].rate; r != 90 {
		t.Fatalf("first 429: rate %v, want 90 (just under the 100/s that drew it)", r)
	}
	stale := clock.Add(-time.Millisecond) // sent before the slow-down
	clock = clock.Add(10 * time.Millisecond)
	p.slowDown(host, stale)
	if r := p.hosts[host].rate; r != 90 {
		t.Errorf("a 429 to a request sent at the old pace slowed it to %v", r)
	}
	p.slowDown(host, clock)
	if r := p.hosts[host].rate; r != 76.5 {
		t.Errorf("a fresh 429: rate %v, want 76.5", r)
	}
	for range 5 {
		clock = clock.Add(1100 * time.Millisecond)
		p.reserve(host)
	}
	if r := p.hosts[host].rate; r <= 76.5 || r > 100 {
		t.Errorf("after five quiet seconds the rate is %v: it should creep back up", r)
	}
}
