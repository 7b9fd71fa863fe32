package commands

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/sim"
	"github.com/ks-doctor/ks-doctor/internal/sim/simtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// world is one simulated IBM Cloud and one `ibmcloud login` session on it.
type world struct {
	srv  *sim.Server
	home string
	env  map[string]string
}

// session controls what the simulated login targeted.
type session struct {
	region, group string
	noGroup       bool
	locale        string
	expired       bool
	loggedOut     bool
}

func newWorld(t *testing.T, scenario string, s session) *world {
	t.Helper()
	var sc *sim.Scenario
	var err error
	if spec, ok := strings.CutPrefix(scenario, "fleet:"); ok {
		var o sim.FleetOptions
		if o, err = sim.ParseFleet(spec); err == nil {
			sc, _, err = sim.Fleet(o)
		}
	} else {
		sc, err = sim.Load(scenario)
	}
	if err != nil {
		t.Fatal(err)
	}
	return newWorldOf(t, sc, sim.Options{}, s)
}

// newWorldOf is newWorld for a scenario built or changed in Go, served with
// the simulator options o.
func newWorldOf(t simtest.T, sc *sim.Scenario, o sim.Options, s session) *world {
	t.Helper()
	srv := simtest.Start(t, sc, o)
	home := t.TempDir()
	if !s.loggedOut {
		home = simtest.Login(t, srv, func(o *sim.SessionOptions) {
			if s.region != "" {
				o.Region = s.region
			}
			if s.group != "" {
				o.Group = s.group
			}
			if s.noGroup {
				o.Group = ""
			}
			if s.locale != "" {
				o.Locale = s.locale
			}
			o.ExpiredAccessToken = s.expired
		})
	}
	return &world{srv: srv, home: home, env: srv.Env(home)}
}

// run runs ks-doctor in-process the way plugin.Start would: a plugin context
// read from the world's config.json, then commands.Execute.
func (w *world) run(t *testing.T, locale string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return w.runWith(t, runOpts{locale: locale}, args...)
}

// runOpts change how one run is made.
type runOpts struct {
	locale string
	ctx    context.Context // the run's context: cancelled = Ctrl-C before or during the run
	stdout io.Writer       // where stdout goes (a failing or panicking writer); nil: captured
	stderr io.Writer       // also gets what goes to stderr, write by write
	trace  string          // IBMCLOUD_TRACE for the run
	// stderrTerminal: stderr is a terminal (progress lines).
	stderrTerminal bool
}

func (w *world) runWith(t *testing.T, o runOpts, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx := w.pluginContext()
	getenv := func(k string) string { return w.env[k] }
	var out, errb bytes.Buffer
	env := &Env{Interrupt: o.ctx, Stdout: &out, Stderr: &errb, CLI: ctx, Getenv: getenv,
		ConfigPath: filepath.Join(w.home, ".bluemix", "config.json"), Trace: o.trace,
		T: i18n.New(i18n.Resolve(firstNonEmpty(o.locale, ctx.Locale()), getenv))}
	if o.stdout != nil {
		env.Stdout = o.stdout
	}
	if o.stderr != nil {
		env.Stderr = io.MultiWriter(&errb, o.stderr)
	}
	env.StderrTerminal = o.stderrTerminal
	err := Execute(env, args)
	return out.String(), errb.String(), diag.ExitCode(err)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var durations = regexp.MustCompile(`"durationMs": \d+`)

// golden compares the run with testdata/NAME.golden (or rewrites it with
// -update). The golden holds the exit code, stdout and stderr.
func golden(t *testing.T, name, stdout, stderr string, code int) {
	t.Helper()
	got := "exit: " + string(rune('0'+code)) + "\n--- stdout\n" + durations.ReplaceAllString(stdout, `"durationMs": 0`) + "--- stderr\n" + stderr
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./commands -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// noSecrets fails if any of the scenario's secrets (API keys, the canary) or
// any token the simulator issued appears in the outputs.
func (w *world) noSecrets(t *testing.T, outputs ...string) {
	t.Helper()
	for _, s := range w.srv.Scenario().Secrets() {
		for _, o := range outputs {
			if s != "" && strings.Contains(o, s) {
				t.Errorf("secret %q leaked into output", s)
			}
		}
	}
	for _, o := range outputs {
		if strings.Contains(o, "eyJ") {
			t.Errorf("a JWT leaked into output: %q", o)
		}
	}
}

func (w *world) readOnly(t *testing.T) {
	t.Helper()
	if v := w.srv.Violations(); len(v) > 0 {
		t.Errorf("ks-doctor called a mutating API: %+v", v)
	}
}

// pluginMu serializes the making of plugin contexts: the CLI SDK reads the
// config location from the process environment (IBMCLOUD_HOME) when it
// makes one, and from nothing else afterwards; everything of ks-doctor's
// own is injected (Env), so runs on different worlds can go side by side.
var pluginMu sync.Mutex

func (w *world) pluginContext() plugin.PluginContext { return pluginContextFor(w.env["IBMCLOUD_HOME"]) }

// pluginContextFor makes the CLI SDK's plugin context of the session in
// home (IBMCLOUD_HOME).
func pluginContextFor(home string) plugin.PluginContext {
	pluginMu.Lock()
	defer pluginMu.Unlock()
	saved := map[string]*string{}
	for _, k := range []string{"IBMCLOUD_HOME", "IBMCLOUD_CONFIG_HOME", "BLUEMIX_HOME", "IBMCLOUD_TRACE", "IBMCLOUD_COLOR", "IBMCLOUD_QUIET", "IAM_ENDPOINT"} {
		if v, ok := os.LookupEnv(k); ok {
			saved[k] = &v
		} else {
			saved[k] = nil
		}
		os.Unsetenv(k)
	}
	os.Setenv("IBMCLOUD_HOME", home)
	defer func() {
		for k, v := range saved {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	}()
	return plugin.InitPluginContext(Name)
}

// heavyTable marks one of the big behaviour tables (every endpoint failing
// every way, every hostile answer, every scenario's fixes pasted into a
// shell…): they run side by side, each on worlds of its own. Under -short
// they are skipped: `make test` runs everything else with the race
// detector and these (named TestTable*) without it, where they cost a
// fifth as much; `go test -race ./...` runs them with it.
func heavyTable(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("a heavy table: make test runs it without -race (see heavyTable)")
	}
	t.Parallel()
}
