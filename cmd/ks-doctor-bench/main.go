// Command ks-doctor-bench measures ks-doctor end to end against the
// simulator with injected latency and rate limits, and puts each figure
// beside its lower bound and beside a "runbook" baseline: the calls the seed
// pages tell a person to run, one after another. `make bench` runs it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"

	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
)

// Row is one measured run.
type Row struct {
	Case       string         `json:"case"`
	Variant    string         `json:"variant"`
	Requests   int            `json:"requests"`
	Rounds     int            `json:"sequentialRoundTrips"`
	WallMs     float64        `json:"wallMs"`
	RSSKiB     int64          `json:"peakRssKiB,omitempty"`
	BoundMs    float64        `json:"lowerBoundMs"`
	BoundWhy   string         `json:"lowerBound"`
	Note       string         `json:"note,omitempty"`
	Correct    *bool          `json:"correct,omitempty"`
	ExitCode   int            `json:"exitCode"`
	Modelled   bool           `json:"extrapolated,omitempty"`
	Throttled  int            `json:"throttled429,omitempty"`
	PerService map[string]int `json:"perService,omitempty"`
}

func main() {
	pluginBin := flag.String("plugin", "bin/ks-doctor", "the built plug-in `BINARY`")
	simBin := flag.String("sim", "bin/ks-doctor-sim", "the built simulator `BINARY`")
	out := flag.String("json", "bench.json", "write the results as JSON to `FILE`")
	sample := flag.Int("runbook-sample", 50, "clusters the orphan runbook baseline walks before it is extrapolated to the fleet")
	flag.Parse()
	var rows []Row
	add := func(r Row, err error) {
		if err != nil {
			fmt.Fprintf(os.Stderr, "ks-doctor-bench: %s/%s: %v\n", r.Case, r.Variant, err)
			os.Exit(1)
		}
		rows = append(rows, r)
	}

	// check -c on a 50-worker classic cluster, 100 ms latency per request.
	check := []string{"--fleet", "clusters=1,workers=50,seed=1", "--latency", "100ms"}
	for _, v := range []struct{ name, conc string }{{"ks-doctor", "8"}, {"ks-doctor --concurrency 1", "1"}} {
		add(runPlugin(*simBin, *pluginBin, "check -c (50 workers, 100 ms latency)", v.name, check,
			[]string{"check", "-c", "fleet-0001", "--output", "json", "--concurrency", v.conc}, 100*time.Millisecond, 0))
	}
	add(runbook(*simBin, "check -c (50 workers, 100 ms latency)", check, 100*time.Millisecond, 0, checkRunbook))

	// orphan over a generated fleet, 50 ms latency, 100 requests/s per service.
	fleet := []string{"--fleet", "clusters=1000,workers=10,regions=6,groups=3,accounts=3,orphans=0.05,seed=1",
		"--latency", "50ms", "--rate-limit", "100"}
	walk := []string{"orphan", "--all-regions", "--all-resource-groups", "--output", "json"}
	add(runPlugin(*simBin, *pluginBin, "orphan (1000 clusters, 50 ms, 100 req/s)", "ks-doctor", fleet, append(walk, "--concurrency", "8"), 50*time.Millisecond, 100))
	add(runPlugin(*simBin, *pluginBin, "orphan (1000 clusters, 50 ms, 100 req/s)", "ks-doctor --concurrency 1", fleet, append(walk, "--concurrency", "1"), 50*time.Millisecond, 100))
	add(runbook(*simBin, "orphan (1000 clusters, 50 ms, 100 req/s)", fleet, 50*time.Millisecond, 100, orphanRunbook(*sample)))

	// orphan at ten times the size: requests grow with infrastructure
	// accounts and device pages, not with clusters.
	big := []string{"--fleet", "clusters=10000,workers=10,regions=6,groups=3,accounts=3,orphans=0.05,seed=1",
		"--latency", "50ms", "--rate-limit", "100"}
	add(runPlugin(*simBin, *pluginBin, "orphan (10000 clusters, 50 ms, 100 req/s)", "ks-doctor", big, append(walk, "--concurrency", "8"), 50*time.Millisecond, 100))

	// Every check on every cluster of the same 1000-cluster fleet.
	add(runPlugin(*simBin, *pluginBin, "check --all-clusters (1000 clusters, 50 ms, 100 req/s)", "ks-doctor", fleet,
		[]string{"check", "--all-clusters", "--all-regions", "--all-resource-groups", "--output", "json", "--timeout", "10m"}, 50*time.Millisecond, 100))

	// Start-up: commands that make no call.
	for _, args := range [][]string{{"SendMetadata"}, {"checks", "--output", "json"}, {"explain", "Could not obtain network VLAN with ID: 1234."}} {
		add(startup(*pluginBin, args))
	}

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "case\tvariant\trequests\tround trips\twall\tpeak RSS\tlower bound\twall / bound\tnote")
	for _, r := range rows {
		rss := "-"
		if r.RSSKiB > 0 {
			rss = fmt.Sprintf("%.1f MB", float64(r.RSSKiB)/1024)
		}
		ratio := "-"
		if r.BoundMs > 0 {
			ratio = fmt.Sprintf("%.2fx", r.WallMs/r.BoundMs)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f ms\t%s\t%.0f ms (%s)\t%s\t%s\n", r.Case, r.Variant, r.Requests, r.Rounds, r.WallMs, rss, r.BoundMs, r.BoundWhy, ratio, r.Note)
	}
	tw.Flush()
	data, _ := json.MarshalIndent(map[string]any{"generated": time.Now().UTC().Format(time.RFC3339), "rows": rows}, "", "  ")
	if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("\nwrote %s\n", *out)
}

// sim is a running simulator.
type sim struct {
	cmd   *exec.Cmd
	dir   string
	env   []string
	log   string
	truth string
}

func startSim(bin string, args []string) (*sim, error) {
	dir, err := os.MkdirTemp("", "ks-doctor-bench")
	if err != nil {
		return nil, err
	}
	s := &sim{dir: dir, log: filepath.Join(dir, "requests.jsonl"), truth: filepath.Join(dir, "truth.json")}
	envFile := filepath.Join(dir, "sim.env")
	all := append([]string{"--addr", "127.0.0.1:0", "--env-file", envFile, "--log", s.log, "--fleet-truth", s.truth}, args...)
	s.cmd = exec.Command(bin, all...)
	s.cmd.Stderr = io.Discard
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		f, err := os.Open(envFile)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if kv, ok := strings.CutPrefix(sc.Text(), "export "); ok {
				k, v, _ := strings.Cut(kv, "=")
				s.env = append(s.env, k+"="+strings.Trim(v, "'"))
			}
		}
		f.Close()
		return s, nil
	}
	s.stop()
	return nil, fmt.Errorf("the simulator wrote no env file")
}

func (s *sim) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
	os.RemoveAll(s.dir)
}

// entry is what the benchmark reads of the simulator's request log.
type entry struct {
	Start      time.Time `json:"start"`
	DurationMs float64   `json:"durationMs"`
	Service    string    `json:"service"`
	Knob       string    `json:"knob"`
}

func (s *sim) entries() ([]entry, error) {
	data, err := os.ReadFile(s.log)
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e entry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

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

func runPlugin(simBin, pluginBin, name, variant string, simArgs, args []string, latency time.Duration, rate float64) (Row, error) {
	r := Row{Case: name, Variant: variant}
	s, err := startSim(simBin, simArgs)
	if err != nil {
		return r, err
	}
	defer s.stop()
	cmd := exec.Command(pluginBin, args...)
	cmd.Env = append(append(os.Environ(), "IBMCLOUD_PLUGIN_NAMESPACE=ks-doctor"), s.env...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	start := time.Now()
	err = cmd.Run()
	r.WallMs = float64(time.Since(start).Microseconds()) / 1000
	if ee, ok := err.(*exec.ExitError); ok {
		r.ExitCode = ee.ExitCode()
	} else if err != nil {
		return r, err
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.RSSKiB = ru.Maxrss
	}
	es, err := s.entries()
	if err != nil {
		return r, err
	}
	r.Requests, r.Rounds, r.Throttled = len(es), rounds(es), throttled(es)
	// The token refresh of an expired session is not on any path here: the
	// session's token is fresh, so the first round is a read.
	r.BoundMs, r.BoundWhy, r.PerService = bound(es, latency, rate, dependentReads(args))
	if args[0] == "orphan" {
		ok, note := sameOrphans(stdout.Bytes(), s.truth)
		r.Correct, r.Note = &ok, note
	} else {
		r.Note = fmt.Sprintf("exit %d", r.ExitCode)
	}
	return r, nil
}

// dependentReads is the shortest chain of reads that depend on each other:
// check: the cluster → everything read by its ID (workers, devices,
// credentials …); orphan: the clusters → the devices of every
// infrastructure account (→ the workers of the few clusters whose devices
// do not tell).
func dependentReads(args []string) int {
	return 2
}

func sameOrphans(stdout []byte, truthFile string) (bool, string) {
	var got struct {
		Clusters []struct{ ID, Status string }
	}
	var truth struct{ Orphaned []string }
	if json.Unmarshal(stdout, &got) != nil {
		return false, "output is not JSON"
	}
	data, _ := os.ReadFile(truthFile)
	if json.Unmarshal(data, &truth) != nil {
		return false, "no fleet truth"
	}
	var orphaned []string
	unknown := 0
	for _, c := range got.Clusters {
		switch c.Status {
		case "orphaned":
			orphaned = append(orphaned, c.ID)
		case "unknown":
			unknown++
		}
	}
	sort.Strings(orphaned)
	ok := strings.Join(orphaned, ",") == strings.Join(truth.Orphaned, ",") && unknown == 0
	return ok, fmt.Sprintf("%d/%d generated orphans found, %d unknown", len(orphaned), len(truth.Orphaned), unknown)
}

// runbookFunc issues the runbook's calls one after another. It may call
// start once its preparation is done (what is read before is not counted);
// it returns the factor by which the measured figures are extrapolated.
type runbookFunc func(ctx context.Context, c *ibm.Client, s facts.Session, start func()) (float64, error)

func runbook(simBin, name string, simArgs []string, latency time.Duration, rate float64, f runbookFunc) (Row, error) {
	r := Row{Case: name, Variant: "runbook baseline (one call after another)"}
	s, err := startSim(simBin, simArgs)
	if err != nil {
		return r, err
	}
	defer s.stop()
	for _, kv := range s.env {
		k, v, _ := strings.Cut(kv, "=")
		os.Setenv(k, v)
	}
	pctx := plugin.InitPluginContext("ks-doctor")
	sess, err := ibm.ReadSession(pctx)
	if err != nil {
		return r, err
	}
	client, err := ibm.New(pctx, ibm.ResolveEndpoints(ibm.NetworkOf(pctx), os.Getenv), ibm.Options{})
	if err != nil {
		return r, err
	}
	var before int
	var begin time.Time
	mark := func() {
		es, _ := s.entries()
		before, begin = len(es), time.Now()
	}
	mark()
	scale, err := f(context.Background(), client, sess, mark)
	if err != nil {
		return r, err
	}
	wall := time.Since(begin)
	es, _ := s.entries()
	es = es[before:]
	r.WallMs = float64(wall.Microseconds()) / 1000 * scale
	r.Requests = int(float64(len(es)) * scale)
	r.Rounds = int(float64(rounds(es)) * scale)
	r.Throttled = throttled(es)
	r.BoundMs = float64(r.Rounds) * float64(latency.Milliseconds())
	r.BoundWhy = fmt.Sprintf("%d sequential calls x %s", r.Rounds, latency)
	if scale != 1 {
		r.Modelled = true
		r.Note = fmt.Sprintf("measured on a sample, extrapolated x%.0f", scale)
	}
	return r, nil
}

// checkRunbook: seed 000/001 for one cluster — cluster get, worker ls, worker
// get for each worker, api-key info, credential get, infra-permissions get,
// the account's MFA setting, and a device-list search for each worker ID.
func checkRunbook(ctx context.Context, c *ibm.Client, s facts.Session, _ func()) (float64, error) {
	cl, err := c.Cluster(ctx, "fleet-0001")
	if err != nil {
		return 0, err
	}
	ws, err := c.Workers(ctx, cl)
	if err != nil {
		return 0, err
	}
	for range ws { // `ibmcloud ks worker get` per worker: one read each
		if _, err := c.Workers(ctx, cl); err != nil {
			return 0, err
		}
	}
	c.APIKeyOwner(ctx, cl)
	c.Credentials(ctx, cl.Region, cl.ResourceGroupID)
	c.InfraPermissions(ctx, cl.Region, cl.ResourceGroupID)
	c.AccountSettings(ctx, s.AccountID)
	for _, w := range ws {
		searchDevices(ctx, c, w, s)
	}
	return 1, nil
}

// orphanRunbook: seed 000 #orphaned for each cluster — credential get for
// its region and resource group, worker ls, and a device-list search for
// each worker ID in the account the credentials use — on the first n
// clusters, extrapolated to the fleet. (Looking the missing workers up in
// the other accounts, as the seed then says, is not even counted.)
func orphanRunbook(n int) runbookFunc {
	return func(ctx context.Context, c *ibm.Client, s facts.Session, start func()) (float64, error) {
		// Which clusters exist is what a person sees in the console list;
		// it is read once, before the clock starts.
		f := c.Walk(ctx, s, ibm.WalkOptions{AllRegions: true, AllGroups: true, Concurrency: 8})
		if len(f.Clusters) == 0 {
			return 0, fmt.Errorf("no clusters")
		}
		n = min(n, len(f.Clusters))
		start()
		for _, fc := range f.Clusters[:n] {
			cl := fc.Cluster
			c.Credentials(ctx, cl.Region, cl.ResourceGroupID)
			ws, err := c.Workers(ctx, cl)
			if err != nil {
				return 0, err
			}
			for _, w := range ws {
				searchDevices(ctx, c, w, s)
			}
		}
		return float64(len(f.Clusters)) / float64(n), nil
	}
}

// searchDevices is what the seed tells a person to do for each worker: search
// the console's device list for the worker ID.
func searchDevices(ctx context.Context, c *ibm.Client, w facts.Worker, s facts.Session) {
	c.Devices(ctx, facts.Cluster{ID: w.ID, Provider: "classic"}, s.IMSAccountID)
}

// startup times a command that makes no call, over 20 runs.
func startup(pluginBin string, args []string) (Row, error) {
	r := Row{Case: "start-up", Variant: "ks-doctor " + strings.Join(args[:1], " ")}
	const runs = 20
	var total time.Duration
	for range runs {
		cmd := exec.Command(pluginBin, args...)
		cmd.Env = append(os.Environ(), "IBMCLOUD_PLUGIN_NAMESPACE=ks-doctor", "IBMCLOUD_HOME="+os.TempDir())
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		start := time.Now()
		_ = cmd.Run()
		total += time.Since(start)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.RSSKiB = max(r.RSSKiB, ru.Maxrss)
		}
	}
	r.WallMs = float64(total.Microseconds()) / 1000 / runs
	r.Note = fmt.Sprintf("mean of %d runs", runs)
	return r, nil
}
