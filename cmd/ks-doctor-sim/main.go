// Command ks-doctor-sim serves a simulated IBM Cloud for one scenario on a
// loopback address, writes an ibmcloud CLI session that points at it, and
// writes an env file a script can source. It serves until SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

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
	fs.StringVar(&c.scenario, "scenario", "", "bundled scenario `NAME` or path to a scenario YAML file (required)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "loopback `ADDRESS` to listen on; port 0 picks a free port")
	fs.StringVar(&c.envFile, "env-file", "", "write `FILE` with export lines ("+strings.Join(sim.EnvKeys, ", ")+") once the listener is up")
	fs.StringVar(&c.region, "region", "", "targeted `REGION` in the written session (default: the scenario's session.region)")
	fs.StringVar(&c.group, "group", "", "targeted resource group `NAME` (default: the scenario's session.resourceGroup)")
	fs.BoolVar(&c.noGroup, "no-group", false, "write a session with no resource group targeted")
	fs.StringVar(&c.locale, "locale", "", "CLI `LOCALE` in the written session, e.g. ja_JP (default: the scenario's session.locale)")
	fs.BoolVar(&c.expired, "expired-token", false, "write an expired access token (with a valid refresh token) so the CLI SDK must refresh")
	fs.StringVar(&c.logFile, "log", "", "append one JSON line per request to `FILE` (secrets redacted)")
	fs.StringVar(&c.home, "home", "", "`DIR` to write .bluemix/config.json in (default: a temporary directory removed on exit)")
	fs.BoolVar(&c.list, "list", false, "print the bundled scenarios with their descriptions and exit")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ks-doctor-sim --scenario NAME_OR_FILE [flags]\n       ks-doctor-sim --list\n\n"+
			"Serves a simulated IBM Cloud on a loopback address until interrupted: IAM (tokens, API keys, account\n"+
			"settings, policies, access groups), Kubernetes Service, Resource Manager, user management, account\n"+
			"management, classic infrastructure (SoftLayer) and VPC, each under its path prefix. Calls that would\n"+
			"change something are refused (405) and logged as violations. The scenario format is docs/scenario.md.\n\n"+
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
	case c.scenario == "":
		return usage("--scenario is required")
	case c.noGroup && c.group != "":
		return usage("--group and --no-group exclude each other")
	}
	if err := sim.CheckLoopback(c.addr); err != nil {
		return usage(err.Error())
	}
	sc, err := sim.Load(c.scenario)
	if err != nil {
		return usage(err.Error())
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
	opts := sim.Options{}
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
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ks-doctor-sim-env-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(b.String()); err != nil {
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
