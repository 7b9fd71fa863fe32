package main

import (
	"fmt"
	"sort"
	"time"
)

// What a run's request log tells: its critical path, its lower bound and
// how often the rate limit answered.

// rounds is the longest chain of requests where each starts after the
// previous one ended: the sequential round trips on the critical path.
func rounds(es []entry) int {
	sort.Slice(es, func(i, j int) bool { return es[i].Start.Before(es[j].Start) })
	end := func(e entry) time.Time { return e.Start.Add(time.Duration(e.DurationMs * float64(time.Millisecond))) }
	depth := make([]int, len(es))
	best := 0
	for i, e := range es {
		depth[i] = 1
		for j := 0; j < i; j++ {
			if !end(es[j]).After(e.Start) && depth[j]+1 > depth[i] {
				depth[i] = depth[j] + 1
			}
		}
		best = max(best, depth[i])
	}
	return best
}

// bound is the lower bound of a run: the critical path at the injected
// latency, or the busiest service's requests at the rate limit.
func bound(es []entry, latency time.Duration, rate float64, minRounds int) (float64, string, map[string]int) {
	per := map[string]int{}
	for _, e := range es {
		per[e.Service]++
	}
	ms := float64(minRounds) * float64(latency.Milliseconds())
	why := fmt.Sprintf("%d dependent reads x %s", minRounds, latency)
	if rate > 0 {
		for svc, n := range per {
			if b := float64(n) / rate * 1000; b > ms {
				ms, why = b, fmt.Sprintf("%d %s requests / %.0f per s", n, svc, rate)
			}
		}
	}
	return ms, why, per
}

func throttled(es []entry) int {
	n := 0
	for _, e := range es {
		if e.Knob == "rate-limit" {
			n++
		}
	}
	return n
}

// dependentReads is the shortest chain of reads that depend on each other:
// check: the cluster → everything read by its ID (workers, devices,
// credentials …); orphan: the clusters → the devices of every
// infrastructure account (→ the workers of the few clusters whose devices
// do not tell).
func dependentReads(args []string) int {
	return 2
}
