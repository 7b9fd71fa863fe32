package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/trace"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
)

// The hostile table runs each ks-doctor invocation in a child process: the
// test binary itself (built with -race when the table is), re-run on
// TestHostileChild with its own environment. The CLI SDK and cliconfig
// find config.json through the process environment (IBMCLOUD_HOME), and
// the trace goes to the SDK's global trace.Logger, so in-process runs
// against different simulators cannot go in parallel; children can.

const (
	childRuns = "KS_DOCTOR_HOSTILE_RUNS" // JSON [][]string: the invocations, in order
	childOut  = "KS_DOCTOR_HOSTILE_OUT"  // where the child writes []childResult
)

type childResult struct {
	Stdout, Stderr string
	Code           int
	Seconds        float64
}

// TestHostileChild is the child's side; in an ordinary run it has nothing
// to do. It runs ks-doctor as plugin/main.go's runCommand does: plugin
// context from config.json, the scrubbing trace logger, commands.Execute.
func TestHostileChild(t *testing.T) {
	spec := os.Getenv(childRuns)
	if spec == "" {
		return
	}
	var runs [][]string
	if err := json.Unmarshal([]byte(spec), &runs); err != nil {
		t.Fatal(err)
	}
	var results []childResult
	for _, args := range runs {
		pctx := plugin.InitPluginContext(Name)
		trace.Logger = ibm.TraceLogger(trace.NewLogger(pctx.Trace()))
		var out, errb bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), hostileDeadline)
		env := &Env{Ctx: ctx, Stdout: &out, Stderr: &errb, Context: pctx, Getenv: os.Getenv,
			T: i18n.New(i18n.Resolve(pctx.Locale(), os.Getenv))}
		start := time.Now()
		code := diag.ExitCode(Execute(env, args))
		cancel()
		results = append(results, childResult{Stdout: out.String(), Stderr: errb.String(), Code: code, Seconds: time.Since(start).Seconds()})
	}
	b, _ := json.Marshal(results)
	if err := os.WriteFile(os.Getenv(childOut), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// hostileDeadline is the Ctrl-C a user would give up with; a run must end
// well before (hostileBound).
const (
	hostileDeadline = 60 * time.Second
	hostileBound    = 15 * time.Second
)

// runChild runs the invocations in a child with env (and nothing of the
// parent's IBMCLOUD_*, BLUEMIX_* or KS_DOCTOR_* variables). A crash
// returns no results and what the child printed.
func runChild(t hostileT, env map[string]string, runs ...[]string) ([]childResult, string) {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "results.json")
	spec, _ := json.Marshal(runs)
	ctx, cancel := context.WithTimeout(context.Background(), 2*hostileDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHostileChild$", "-test.count=1")
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "IBMCLOUD_") && !strings.HasPrefix(k, "BLUEMIX_") && !strings.HasPrefix(k, "KS_DOCTOR_") && k != "IAM_ENDPOINT" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	// No race report is lost without the race runtime's 1 s sleep at exit.
	cmd.Env = append(cmd.Env, childRuns+"="+string(spec), childOut+"="+out, "GORACE=atexit_sleep_ms=0 halt_on_error=1")
	cmd.Dir = dir
	printed, err := cmd.CombinedOutput()
	b, rerr := os.ReadFile(out)
	if err != nil || rerr != nil {
		return nil, crashSummary(string(printed))
	}
	var res []childResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	return res, ""
}

var (
	panicLine = regexp.MustCompile(`(?m)^(panic: .*|WARNING: DATA RACE|fatal error: .*)$`)
	frameLine = regexp.MustCompile(`(?m)^\s*(\S+\.\S+\(.*\))$`)
)

// crashSummary is the first panic or race line and the first frame of
// ks-doctor's own code after it.
func crashSummary(printed string) string {
	loc := panicLine.FindStringIndex(printed)
	if loc == nil {
		return "child died: " + lastLines(printed, 5)
	}
	s := printed[loc[0]:loc[1]]
	for _, f := range frameLine.FindAllString(printed[loc[1]:], -1) {
		if strings.Contains(f, "ks-doctor/ks-doctor") && !strings.Contains(f, "commands.TestHostileChild") {
			return s + " at " + strings.TrimSpace(f)
		}
	}
	return s
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}
