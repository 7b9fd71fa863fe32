package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// build compiles a package of this module into dir, as `make build` does.
func build(t *testing.T, _, pkg, name string) string {
	t.Helper()
	v, _ := builds.LoadOrStore(pkg, &built{})
	b := v.(*built)
	b.once.Do(func() {
		b.path = filepath.Join(buildDir, name)
		cmd := exec.Command("go", "build", "-o", b.path, pkg)
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// Each binary is built once for all the tests of the package (linking
// ks-doctor takes seconds).
var (
	builds   sync.Map // package path -> *built
	buildDir string   // made by TestMain, removed after the tests
)

type built struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ks-doctor-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startSim runs bin/ks-doctor-sim on loopback and returns the environment
// its env file exports, and the path of its request log.
func startSim(t *testing.T, simBin string, args ...string) (env []string, logPath string) {
	t.Helper()
	dir := t.TempDir()
	envFile, logPath := filepath.Join(dir, "sim.env"), filepath.Join(dir, "requests.jsonl")
	cmd := exec.Command(simBin, append([]string{"--addr", "127.0.0.1:0", "--env-file", envFile, "--log", logPath}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		f, err := os.Open(envFile)
		if err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if kv, ok := strings.CutPrefix(sc.Text(), "export "); ok {
					// The file is for a shell: values may be single-quoted.
					k, v, _ := strings.Cut(kv, "=")
					env = append(env, k+"="+strings.Trim(v, "'"))
				}
			}
			f.Close()
			return env, logPath
		}
		if time.Now().After(deadline) {
			t.Fatalf("simulator wrote no env file: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// run executes the plug-in binary as the ibmcloud CLI does: the command and
// its arguments, the namespace in IBMCLOUD_PLUGIN_NAMESPACE, the session in
// IBMCLOUD_HOME.
func run(t *testing.T, bin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "IBMCLOUD_PLUGIN_NAMESPACE=ks-doctor", "LANG=C"}, env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestEndToEnd(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	dir := t.TempDir()
	ksd := build(t, dir, "./plugin", "ks-doctor")
	simBin := build(t, dir, "./cmd/ks-doctor-sim", "ks-doctor-sim")
	env, logPath := startSim(t, simBin, "--scenario", "healthy-classic", "--group", "default")

	var outputs []string
	check := func(name string, wantCode int, args ...string) string {
		stdout, stderr, code := run(t, ksd, env, args...)
		outputs = append(outputs, stdout, stderr)
		if code != wantCode {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", name, code, wantCode, stdout, stderr)
		}
		return stdout
	}

	var md struct {
		Name                   string
		IsCobraPlugin          bool
		DelegateBashCompletion bool
	}
	if err := json.Unmarshal([]byte(check("metadata", 0, "SendMetadata")), &md); err != nil || md.Name != "ks-doctor" || !md.IsCobraPlugin || !md.DelegateBashCompletion {
		t.Errorf("SendMetadata: %+v %v", md, err)
	}
	// The CLI's completion delegation, as the CLI runs it.
	if got := check("completion", 0, "SendCompletion", "check", "--only", "workers.s"); got != "workers.state\n" {
		t.Errorf("SendCompletion check --only workers.s: %q", got)
	}

	var doc struct {
		SchemaVersion string
		Findings      []struct{ Check, Status string }
	}
	out := check("check json", 0, "check", "-c", "mycluster", "--output", "json")
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.SchemaVersion != "1" {
		t.Fatalf("check --output json: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, f := range doc.Findings {
		got[f.Check] = f.Status
	}
	if got["session.resource-group"] != "warn" || got["session.login"] != "ok" {
		t.Errorf("findings %v", got)
	}
	if text := check("check text", 0, "check", "-c", "mycluster"); !strings.Contains(text, "ibmcloud target -g team-a") {
		t.Errorf("text report lacks the fix:\n%s", text)
	}
	check("fail-on warn", 1, "check", "-c", "mycluster", "--fail-on", "warn")
	check("unknown cluster", 2, "check", "-c", "nosuchcluster")
	check("bad flag", 2, "check", "--bogus")

	// No write call reached "IBM Cloud", and no secret reached any output
	// or the simulator's own log.
	logData, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(logData, []byte(`"violation":true`)) {
		t.Errorf("a mutating call was made:\n%s", logData)
	}
	if !bytes.Contains(logData, []byte("/iks/global/v2/getCluster")) {
		t.Errorf("request log lacks the cluster read:\n%s", logData)
	}
	sc, err := sim.Load("healthy-classic")
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(logData))
	for _, o := range outputs {
		for _, secret := range sc.Secrets() {
			if strings.Contains(o, secret) {
				t.Errorf("secret %q leaked", secret)
			}
		}
		if strings.Contains(o, "eyJ") {
			t.Errorf("a token leaked: %s", o)
		}
	}
}

// Not logged in: a localized message and exit 2, nothing on stdout.
func TestEndToEndNotLoggedIn(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	ksd := build(t, t.TempDir(), "./plugin", "ks-doctor")
	home := t.TempDir()
	stdout, stderr, code := run(t, ksd, []string{"IBMCLOUD_HOME=" + home, "LC_ALL=ja_JP.UTF-8"}, "check", "-c", "mycluster", "--output", "json")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "ibmcloud login") || !strings.Contains(stderr, "ログイン") {
		t.Errorf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// unredacted matches a token, a Basic credential or a form secret that the
// trace did not replace with [PRIVATE DATA HIDDEN].
var unredacted = regexp.MustCompile(`eyJ|Basic [A-Za-z0-9+/=]{8,}|(refresh_token|apikey|password|access_token)(=|": ?")[^\[&"]`)

// IBMCLOUD_TRACE dumps every request and response through the CLI SDK's
// trace, with tokens, API keys and passwords redacted: the canaries of the
// scenario, the issued tokens and the classic API key of a credentials file
// appear nowhere in the trace.
func TestTraceRedactsSecrets(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	dir := t.TempDir()
	ksd := build(t, dir, "./plugin", "ks-doctor")
	simBin := build(t, dir, "./cmd/ks-doctor-sim", "ks-doctor-sim")
	env, _ := startSim(t, simBin, "--scenario", "orphan-cluster1", "--expired-token")
	traceFile := filepath.Join(dir, "trace.log")
	classic := filepath.Join(dir, "classic.txt")
	classicKey := "KSDOCTORCANARY-classic-trace-key"
	os.WriteFile(classic, []byte("legacy_user "+classicKey+"\n"), 0o600)
	env = append(env, "IBMCLOUD_TRACE="+traceFile)
	stdout, stderr, _ := run(t, ksd, env, "check", "-c", "Cluster1")
	o2, e2, _ := run(t, ksd, env, "orphan", "--classic-credentials", classic)
	trace, err := os.ReadFile(traceFile)
	if err != nil || !bytes.Contains(trace, []byte("REQUEST")) || !bytes.Contains(trace, []byte("/getCluster")) {
		t.Fatalf("no trace written (%v):\n%.2000s", err, trace)
	}
	sc, _ := sim.Load("orphan-cluster1")
	for _, out := range []string{string(trace), stdout, stderr, o2, e2} {
		for _, s := range append(sc.Secrets(), classicKey) {
			if strings.Contains(out, s) {
				t.Errorf("secret %q in the trace or output", s)
			}
		}
		if loc := unredacted.FindStringIndex(out); loc != nil {
			t.Errorf("unredacted credential in the trace or output: …%s…", out[max(0, loc[0]-80):min(len(out), loc[1]+80)])
		}
	}
}

// Ctrl-C during a long orphan walk: the walk stops, what was found so far is
// printed marked incomplete, and the exit code is 3. (The stop is measured
// in the benchmark; here the only bound is "long before the walk would end".)
func TestOrphanInterrupted(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	dir := t.TempDir()
	ksd := build(t, dir, "./plugin", "ks-doctor")
	simBin := build(t, dir, "./cmd/ks-doctor-sim", "ks-doctor-sim")
	// The device listings never answer: the walk cannot finish before the
	// Ctrl-C, whenever it comes once the walk has started reading.
	env, logPath := startSim(t, simBin, "--fleet", "clusters=300,workers=3,regions=2,accounts=2,orphans=0.1,seed=7",
		"--fault", "softlayer:getVirtualGuests=hang")
	cmd := exec.Command(ksd, "orphan", "--all-regions", "--all-resource-groups", "--concurrency", "1", "--output", "json")
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "IBMCLOUD_PLUGIN_NAMESPACE=ks-doctor"}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The first answered request (the cluster listing) says the walk runs.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if data, _ := os.ReadFile(logPath); len(data) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the walk made no request")
		}
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the walk did not stop after Ctrl-C")
	}
	if code := cmd.ProcessState.ExitCode(); code != 3 {
		t.Errorf("exit %d, want 3\n%s", code, stderr.String())
	}
	var doc struct {
		Incomplete bool
		Clusters   []struct{ Status string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || !doc.Incomplete {
		t.Errorf("want a JSON document marked incomplete, got %v: %.500s", err, stdout.String())
	}
}

// envValue is the value of key in an environment list (KEY=value).
func envValue(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}
