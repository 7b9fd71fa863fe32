// Command ks-doctor-sim serves a simulated IBM Cloud for one scenario on a
// loopback address, writes an ibmcloud CLI session that points at it, and
// writes an env file a script can source. It serves until SIGINT/SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type config struct {
	scenario, addr, envFile, region, group, locale, logFile, home string
	noGroup, expired, list                                        bool

	fleet, fleetTruth         string
	latency, jitter, tokenTTL time.Duration
	slOrder                   string // --sl-page-order
	slMaxLimit                int    // --sl-max-result-limit
	rates                     rateFlag
	faults                    faultFlag
}

// rateFlag is --rate-limit: N for every service, or SERVICE=N, repeatable.
type rateFlag struct {
	all  float64
	per  map[string]float64
	text []string
}

func (f *rateFlag) String() string { return strings.Join(f.text, ",") }

func (f *rateFlag) Set(v string) error {
	name, n, per := strings.Cut(v, "=")
	if !per {
		n = name
	}
	r, err := strconv.ParseFloat(n, 64)
	if err != nil || r < 0 {
		return fmt.Errorf("want requests per second (N or SERVICE=N), got %q", v)
	}
	if !per {
		f.all = r
	} else {
		if !slices.Contains(sim.ServiceNames(), name) {
			return fmt.Errorf("unknown service %q (one of: %s)", name, strings.Join(sim.ServiceNames(), ", "))
		}
		if f.per == nil {
			f.per = map[string]float64{}
		}
		f.per[name] = r
	}
	f.text = append(f.text, v)
	return nil
}

// faultFlag is --fault, repeatable.
type faultFlag []sim.Fault

func (f *faultFlag) String() string {
	var out []string
	for _, x := range *f {
		out = append(out, x.String())
	}
	return strings.Join(out, " ")
}

func (f *faultFlag) Set(v string) error {
	x, err := sim.ParseFault(v)
	if err != nil {
		return err
	}
	*f = append(*f, x)
	return nil
}

// run serves until ctx is done; it returns the exit code: 0 after a clean
// shutdown or --help, 2 for bad flags or a broken scenario, 1 otherwise.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var c config
	fs := flag.NewFlagSet("ks-doctor-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, a := range args {
		if a == "-h" || a == "--h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout) // asked-for help is output, not an error
		}
	}
	fs.StringVar(&c.scenario, "scenario", "", "bundled scenario `NAME` or path to a scenario YAML file (required unless --fleet)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "loopback `ADDRESS` to listen on; port 0 picks a free port")
	fs.StringVar(&c.envFile, "env-file", "", "write `FILE` with export lines ("+strings.Join(sim.EnvKeys, ", ")+") once the listener is up")
	fs.StringVar(&c.region, "region", "", "targeted `REGION` in the written session (default: the scenario's session.region)")
	fs.StringVar(&c.group, "group", "", "targeted resource group `NAME` (default: the scenario's session.resourceGroup)")
	fs.BoolVar(&c.noGroup, "no-group", false, "write a session with no resource group targeted")
	fs.StringVar(&c.locale, "locale", "", "CLI `LOCALE` in the written session, e.g. ja_JP (default: the scenario's session.locale)")
	fs.BoolVar(&c.expired, "expired-token", false, "write an expired access token (with a valid refresh token) so the CLI SDK must refresh")
	fs.StringVar(&c.logFile, "log", "", "append one JSON line per request to `FILE` (secrets redacted; start, seq, durationMs, latencyMs, knob ...)")
	fs.StringVar(&c.home, "home", "", "`DIR` to write .bluemix/config.json in (default: a temporary directory removed on exit)")
	fs.BoolVar(&c.list, "list", false, "print the bundled scenarios with their descriptions and exit")
	fs.StringVar(&c.fleet, "fleet", "", "serve a generated fleet instead of --scenario: `SPEC` is key=value pairs of clusters [10], workers\n"+
		"(per cluster) [3], regions [1], groups [1], accounts (infrastructure) [1], orphans (fraction) [0], seed [0],\n"+
		"e.g. clusters=1000,workers=10,regions=6,groups=3,accounts=3,orphans=0.05,seed=1; clusters are named\n"+
		"fleet-0001 ... (clusters=1,workers=50 is one 50-worker classic cluster fleet-0001 in us-south/default)")
	fs.StringVar(&c.fleetTruth, "fleet-truth", "", "with --fleet, write `FILE` (JSON) with the generated truth (orphaned cluster ids and names,\n"+
		"accounts, scopes, every cluster's infrastructure account) before the env file")
	fs.DurationVar(&c.latency, "latency", 0, "add `DURATION` (e.g. 50ms) to every request before it is handled, token endpoint included")
	fs.DurationVar(&c.jitter, "jitter", 0, "add a random `DURATION` in [0, jitter) to every request's latency")
	fs.Var(&c.rates, "rate-limit", "token bucket per service (iam, iks, resource-manager, user-management, account-management,\n"+
		"softlayer, vpc): `N` requests per second (burst N), or SERVICE=N for one service; repeatable; over the limit\n"+
		"answers 429 with Retry-After: 1 in the service's error shape")
	fs.Var(&c.faults, "fault", "inject a fault, repeatable; `SPEC` is [METHOD ][SERVICE:]PATTERN=KIND[:ARG][xCOUNT]: PATTERN a regexp on\n"+
		"the path below the service prefix (or the full path); KIND an HTTP status 400-599 (ARG: Retry-After seconds,\n"+
		"429 defaults to 1), expired (401 expired token), reset (connection reset), hang (ARG: serve normally after\n"+
		"that duration; default: until the client leaves), malformed (200, truncated JSON), empty (200, no body),\n"+
		"null (200, body null), emptyobject (200, body {}), huge (ARG: padding size, default 20MiB); xCOUNT applies it to the first COUNT matches only.\n"+
		"E.g. 'softlayer:getVirtualGuests=429:2x3', 'GET iks:/workers=hang', 'iam:/identity/token=503x1'")
	fs.StringVar(&c.slOrder, "sl-page-order", "", "SoftLayer list `ORDER` without an orderBy: stable or unordered (a different order per page)\n"+
		"(default: the scenario's wire.softlayerPageOrder)")
	fs.IntVar(&c.slMaxLimit, "sl-max-result-limit", 0, "cut a SoftLayer resultLimit to at most `N` items per page (default: the scenario's wire.softlayerMaxResultLimit)")
	fs.DurationVar(&c.tokenTTL, "token-lifetime", 0, "lifetime `DURATION` of every access token minted, e.g. 30s (default: the scenario's session.tokenLifetime)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ks-doctor-sim --scenario NAME_OR_FILE [flags]\n       ks-doctor-sim --fleet SPEC [--fleet-truth FILE] [flags]\n       ks-doctor-sim --list\n\n"+
			"Serves a simulated IBM Cloud on a loopback address until interrupted: IAM (tokens, API keys, account\n"+
			"settings, policies, access groups), Kubernetes Service, Resource Manager, user management, account\n"+
			"management, classic infrastructure (SoftLayer) and VPC, each under its path prefix. Calls that would\n"+
			"change something are refused (405) and logged as violations. The scenario format, the fleet generator and\n"+
			"the latency, rate-limit and fault knobs are documented in docs/scenario.md.\n\n"+
			"Bundled scenarios: %s.\n\nFlags:\n", strings.Join(sim.Names(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(msg string) int {
		fmt.Fprintln(stderr, "ks-doctor-sim: "+msg)
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected argument " + fs.Arg(0))
	case c.list:
		for _, n := range sim.Names() {
			sc, err := sim.Load(n)
			if err != nil {
				return usage(err.Error())
			}
			fmt.Fprintf(stdout, "%-34s %s\n", n, sc.Description)
		}
		return 0
	case c.scenario == "" && c.fleet == "":
		return usage("--scenario is required (or --fleet)")
	case c.scenario != "" && c.fleet != "":
		return usage("--scenario and --fleet exclude each other")
	case c.fleetTruth != "" && c.fleet == "":
		return usage("--fleet-truth needs --fleet")
	case c.noGroup && c.group != "":
		return usage("--group and --no-group exclude each other")
	case c.latency < 0 || c.jitter < 0 || c.tokenTTL < 0 || c.slMaxLimit < 0:
		return usage("--latency, --jitter, --token-lifetime and --sl-max-result-limit must not be negative")
	}
	if err := sim.ValidPageOrder(c.slOrder); err != nil {
		return usage(err.Error())
	}
	if err := sim.CheckLoopback(c.addr); err != nil {
		return usage(err.Error())
	}
	var sc *sim.Scenario
	var truth *sim.FleetTruth
	var err error
	if c.fleet != "" {
		fo, perr := sim.ParseFleet(c.fleet)
		if perr != nil {
			return usage(perr.Error())
		}
		sc, truth, err = sim.Fleet(fo)
	} else {
		sc, err = sim.Load(c.scenario)
	}
	if err != nil {
		return usage(err.Error())
	}
	if truth != nil && c.fleetTruth != "" {
		data, _ := json.MarshalIndent(truth, "", "  ")
		if err := writeAtomically(c.fleetTruth, append(data, '\n')); err != nil {
			fmt.Fprintln(stderr, "ks-doctor-sim: "+err.Error())
			return 1
		}
	}
	if err := serve(ctx, c, sc, stderr); err != nil {
		fmt.Fprintln(stderr, "ks-doctor-sim: "+err.Error())
		return 1
	}
	return 0
}

func serve(ctx context.Context, c config, sc *sim.Scenario, stderr io.Writer) error {
	if c.envFile != "" {
		// A script waits for this file: never let it see one from an earlier run.
		os.Remove(c.envFile)
	}
	opts := sim.Options{Latency: c.latency, Jitter: c.jitter, RateLimit: c.rates.all, RateLimits: c.rates.per,
		Faults: c.faults, TokenLifetime: c.tokenTTL, SoftLayerPageOrder: c.slOrder, SoftLayerMaxResultLimit: c.slMaxLimit}
	if c.logFile != "" {
		f, err := os.OpenFile(c.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		opts.Log = f
	}
	srv := sim.New(sc, opts)
	if err := srv.Start(c.addr); err != nil {
		return err
	}
	defer srv.Close()

	home := c.home
	if home == "" {
		tmp, err := os.MkdirTemp("", "ks-doctor-sim-home-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		home = tmp
	}
	so := sim.DefaultSessionOptions(srv)
	if c.region != "" {
		so.Region = c.region
	}
	if c.group != "" {
		so.Group = c.group
	}
	if c.noGroup {
		so.Group = ""
	}
	if c.locale != "" {
		so.Locale = c.locale
	}
	so.ExpiredAccessToken = c.expired
	if err := sim.WriteSession(home, so); err != nil {
		return err
	}
	if c.envFile != "" {
		if err := writeEnvFile(c.envFile, srv.Env(home)); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "ks-doctor-sim: scenario %s serving on %s (IBMCLOUD_HOME=%s)\n", sc.File, srv.URL(), home)
	<-ctx.Done()
	fmt.Fprintln(stderr, "ks-doctor-sim: shutting down")
	return nil
}

// writeEnvFile writes export lines via a temp file and rename, so a reader
// never sees a half-written file.
func writeEnvFile(path string, env map[string]string) error {
	var b strings.Builder
	for _, k := range sim.EnvKeys {
		fmt.Fprintf(&b, "export %s=%s\n", k, shellQuote(env[k]))
	}
	return writeAtomically(path, []byte(b.String()))
}

// writeAtomically writes data via a temp file and rename.
func writeAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ks-doctor-sim-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:@%+=,-]+$`)

func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
