package commands

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

// runResult is what one ks-doctor invocation printed and returned.
type runResult struct {
	Stdout, Stderr string
	Code           int
	Seconds        float64
}

// hostileDeadline is the Ctrl-C a user would give up with; a run must end
// well before (hostileBound).
const (
	hostileDeadline = 60 * time.Second
	hostileBound    = 15 * time.Second
)

// runKsDoctor runs the invocations in-process, as plugin/main.go does: a
// plugin context from the world's config.json, everything else injected
// from env (Env.Getenv, ConfigPath, Trace), so rows on different
// simulators run side by side. A panic or a data race fails the whole
// test binary, loudly.
func runKsDoctor(t hostileT, env map[string]string, runs ...[]string) []runResult {
	t.Helper()
	var results []runResult
	getenv := func(k string) string { return env[k] }
	for _, args := range runs {
		pctx := pluginContextFor(env["IBMCLOUD_HOME"])
		var out, errb bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), hostileDeadline)
		e := &Env{Interrupt: ctx, Stdout: &out, Stderr: &errb, CLI: pctx, Getenv: getenv,
			ConfigPath: filepath.Join(env["IBMCLOUD_HOME"], ".bluemix", "config.json"), Trace: env["IBMCLOUD_TRACE"],
			T: i18n.New(i18n.Resolve(pctx.Locale(), getenv))}
		start := time.Now()
		code := diag.ExitCode(Execute(e, args))
		cancel()
		results = append(results, runResult{Stdout: out.String(), Stderr: errb.String(), Code: code, Seconds: time.Since(start).Seconds()})
	}
	return results
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}
