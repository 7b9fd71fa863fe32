// Command ks-doctor-bench measures ks-doctor end to end against the
// simulator with injected latency and rate limits, and puts each figure
// beside its lower bound and beside a "runbook" baseline: the calls the seed
// pages tell a person to run, one after another. `make bench` runs it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	pluginBin := flag.String("plugin", "bin/ks-doctor", "the built plug-in `BINARY`")
	simBin := flag.String("sim", "bin/ks-doctor-sim", "the built simulator `BINARY`")
	out := flag.String("json", "bench.json", "write the results as JSON to `FILE`")
	sample := flag.Int("runbook-sample", 50, "clusters the orphan runbook baseline walks before it is extrapolated to the fleet")
	startupOnly := flag.Bool("startup-only", false, "run only the start-up rows (seconds instead of minutes)")
	flag.Parse()
	var rows []Row
	add := func(r Row, err error) {
		if err != nil {
			fmt.Fprintf(os.Stderr, "ks-doctor-bench: %s/%s: %v\n", r.Case, r.Variant, err)
			os.Exit(1)
		}
		rows = append(rows, r)
	}

	if !*startupOnly {
		walks(add, *simBin, *pluginBin, *sample)
	}

	// Start-up: commands that make no call.
	for _, args := range [][]string{{"SendMetadata"}, {"checks", "--output", "json"}, {"explain", "Could not obtain network VLAN with ID: 1234."}} {
		add(startup(*pluginBin, args))
	}

	printTable(os.Stdout, rows)
	data, _ := json.MarshalIndent(map[string]any{"generated": time.Now().UTC().Format(time.RFC3339), "rows": rows}, "", "  ")
	if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("\nwrote %s\n", *out)
}

// walks are the rows that run against the simulator: minutes.
func walks(add func(Row, error), simBin, pluginBin string, sample int) {
	// check -c on a 50-worker classic cluster, 100 ms latency per request.
	check := []string{"--fleet", "clusters=1,workers=50,seed=1", "--latency", "100ms"}
	for _, v := range []struct{ name, conc string }{{"ks-doctor", "8"}, {"ks-doctor --concurrency 1", "1"}} {
		add(runPlugin(simBin, pluginBin, "check -c (50 workers, 100 ms latency)", v.name, check,
			[]string{"check", "-c", "fleet-0001", "--output", "json", "--concurrency", v.conc}, 100*time.Millisecond, 0))
	}
	add(runbook(simBin, "check -c (50 workers, 100 ms latency)", check, 100*time.Millisecond, 0, checkRunbook))

	// orphan over a generated fleet, 50 ms latency, 100 requests/s per service.
	fleet := []string{"--fleet", "clusters=1000,workers=10,regions=6,groups=3,accounts=3,orphans=0.05,seed=1",
		"--latency", "50ms", "--rate-limit", "100"}
	walk := []string{"orphan", "--all-regions", "--all-resource-groups", "--output", "json"}
	add(runPlugin(simBin, pluginBin, "orphan (1000 clusters, 50 ms, 100 req/s)", "ks-doctor", fleet, append(walk, "--concurrency", "8"), 50*time.Millisecond, 100))
	add(runPlugin(simBin, pluginBin, "orphan (1000 clusters, 50 ms, 100 req/s)", "ks-doctor --concurrency 1", fleet, append(walk, "--concurrency", "1"), 50*time.Millisecond, 100))
	add(runbook(simBin, "orphan (1000 clusters, 50 ms, 100 req/s)", fleet, 50*time.Millisecond, 100, orphanRunbook(sample)))

	// orphan at ten times the size: requests grow with infrastructure
	// accounts and device pages, not with clusters.
	big := []string{"--fleet", "clusters=10000,workers=10,regions=6,groups=3,accounts=3,orphans=0.05,seed=1",
		"--latency", "50ms", "--rate-limit", "100"}
	add(runPlugin(simBin, pluginBin, "orphan (10000 clusters, 50 ms, 100 req/s)", "ks-doctor", big, append(walk, "--concurrency", "8"), 50*time.Millisecond, 100))

	// Every check on every cluster of the same 1000-cluster fleet.
	add(runPlugin(simBin, pluginBin, "check --all-clusters (1000 clusters, 50 ms, 100 req/s)", "ks-doctor", fleet,
		[]string{"check", "--all-clusters", "--all-regions", "--all-resource-groups", "--output", "json", "--timeout", "10m"}, 50*time.Millisecond, 100))
}
