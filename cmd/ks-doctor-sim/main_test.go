package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

func TestBadInvocationsExit2(t *testing.T) {
	brokenFile := filepath.Join(t.TempDir(), "b.yaml")
	os.WriteFile(brokenFile, []byte("account:\n  id: nothex\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "--scenario is required"},
		{[]string{"--nope"}, "flag provided but not defined"},
		{[]string{"--scenario", "healthy-classic", "--addr", "0.0.0.0:0"}, "not a loopback address"},
		{[]string{"--scenario", "healthy-classic", "--addr", "192.168.1.1:80"}, "not a loopback address"},
		{[]string{"--scenario", "healthy-classic", "--group", "team-a", "--no-group"}, "exclude each other"},
		{[]string{"--scenario", "missing-scenario"}, "unknown scenario"},
		{[]string{"--scenario", brokenFile}, "b.yaml:2: account.id: must be 32 lowercase hex digits"},
		{[]string{"--scenario", "healthy-classic", "--fleet", "clusters=2"}, "exclude each other"},
		{[]string{"--scenario", "healthy-classic", "--fleet-truth", "x.json"}, "--fleet-truth needs --fleet"},
		{[]string{"--fleet", "clusters=10,orphans=0.5"}, "orphans need at least 2 infrastructure accounts"},
		{[]string{"--fleet", "nodes=3"}, `unknown key "nodes"`},
		{[]string{"--scenario", "healthy-classic", "--fault", "iks:/v1=teapot"}, `unknown kind "teapot"`},
		{[]string{"--scenario", "healthy-classic", "--fault", "ikz:/v1=500"}, `unknown service "ikz"`},
		{[]string{"--scenario", "healthy-classic", "--rate-limit", "nosuch=3"}, `unknown service "nosuch"`},
		{[]string{"--scenario", "healthy-classic", "--rate-limit", "fast"}, "want requests per second"},
		{[]string{"--scenario", "healthy-classic", "--latency", "-1s"}, "must not be negative"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), c.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "healthy-vpc") {
		t.Errorf("--help: exit %d, stdout %q", code, stdout.String())
	}
	// Every flag and every env key is documented.
	help := stdout.String()
	for _, f := range []string{"scenario", "addr", "env-file", "region", "group", "no-group", "locale", "expired-token", "log", "home", "list",
		"fleet", "fleet-truth", "latency", "jitter", "rate-limit", "fault", "token-lifetime"} {
		if !strings.Contains(help, "  -"+f+" ") && !strings.Contains(help, "  -"+f+"\n") {
			t.Errorf("--help lacks -%s", f)
		}
	}
	for _, k := range sim.EnvKeys {
		if !strings.Contains(help, k) {
			t.Errorf("--help lacks %s", k)
		}
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"--list"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "orphan-cluster1 ") ||
		strings.Count(stdout.String(), "\n") != len(sim.Names()) {
		t.Errorf("--list: exit %d, stdout %q", code, stdout.String())
	}
}

func TestServeWritesSessionAndEnvFile(t *testing.T) {
	dir := t.TempDir()
	envFile, logFile := filepath.Join(dir, "sim.env"), filepath.Join(dir, "sim.log")
	os.WriteFile(envFile, []byte("stale"), 0o600) // must never be read as this run's
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"--scenario", "healthy-classic", "--env-file", envFile, "--log", logFile,
			"--no-group", "--region", "eu-de", "--locale", "ja_JP", "--expired-token"}, &stdout, &stderr)
	}()

	env := map[string]string{}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		data, err := os.ReadFile(envFile)
		if err == nil && string(data) != "stale" {
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				k, v, _ := strings.Cut(strings.TrimPrefix(line, "export "), "=")
				env[k] = v
			}
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no env file; stderr %q", stderr.String())
		}
	}
	for _, k := range sim.EnvKeys {
		if env[k] == "" {
			t.Errorf("env file lacks %s: %v", k, env)
		}
	}
	home := env["IBMCLOUD_HOME"]
	t.Setenv("IAM_ENDPOINT", env["IAM_ENDPOINT"])
	cfg := core_config.NewCoreConfigFromPath(filepath.Join(home, ".bluemix", "config.json"), func(err error) { t.Error(err) })
	if cfg.CurrentRegion().Name != "eu-de" || cfg.Locale() != "ja_JP" || cfg.HasTargetedResourceGroup() {
		t.Errorf("session: region %q locale %q group %+v", cfg.CurrentRegion().Name, cfg.Locale(), cfg.CurrentResourceGroup())
	}
	expired := cfg.IAMToken()
	// IsLoggedIn refreshes the expired token through the simulator.
	if !cfg.IsLoggedIn() || cfg.IAMToken() == expired {
		t.Error("expired session was not refreshed")
	}
	secrets := []string{strings.TrimPrefix(expired, "Bearer "), strings.TrimPrefix(cfg.IAMToken(), "Bearer "), cfg.IAMRefreshToken()}

	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat(home); !os.IsNotExist(err) {
		t.Errorf("temporary home %s left behind", home)
	}
	log, _ := os.ReadFile(logFile)
	if !strings.Contains(string(log), `"path":"/iam/identity/token"`) {
		t.Errorf("log lacks the refresh: %s", log)
	}
	sc, _ := sim.Load("healthy-classic")
	for _, s := range append(secrets, sc.Secrets()...) {
		for name, out := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String(), "log": string(log)} {
			if strings.Contains(out, s) {
				t.Errorf("%s leaks a secret", name)
			}
		}
	}
}

// waitEnv waits for the env file and returns its values.
func waitEnv(t *testing.T, envFile string, stderr *bytes.Buffer) map[string]string {
	t.Helper()
	env := map[string]string{}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if data, err := os.ReadFile(envFile); err == nil {
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				k, v, _ := strings.Cut(strings.TrimPrefix(line, "export "), "=")
				env[k] = strings.Trim(v, "'")
			}
			return env
		}
		if time.Now().After(deadline) {
			t.Fatalf("no env file; stderr %q", stderr.String())
		}
	}
}

// --fleet serves a generated fleet and writes its truth before the env
// file; the knob flags reach the server.
func TestServeFleetWithKnobs(t *testing.T) {
	dir := t.TempDir()
	envFile, truthFile, logFile := filepath.Join(dir, "sim.env"), filepath.Join(dir, "truth.json"), filepath.Join(dir, "sim.log")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"--fleet", "clusters=20,workers=2,regions=2,groups=2,accounts=2,orphans=0.25,seed=9",
			"--fleet-truth", truthFile, "--env-file", envFile, "--log", logFile, "--latency", "30ms", "--jitter", "1ms",
			"--rate-limit", "50", "--rate-limit", "softlayer=5", "--token-lifetime", "90s",
			"--fault", "iks:/v2/classic/getClusters=503x1", "--fault", "GET =hang:1ms"}, &stdout, &stderr)
	}()
	env := waitEnv(t, envFile, &stderr)
	var truth sim.FleetTruth
	data, err := os.ReadFile(truthFile)
	if err != nil || json.Unmarshal(data, &truth) != nil || len(truth.Orphaned) != 5 || truth.Clusters != 20 || len(truth.ClusterList) != 20 {
		t.Fatalf("truth file: %v %s", err, data)
	}
	want, _, _ := sim.Fleet(truth.Options)

	get := func(path string) int { // called from goroutines too: no t.Fatal
		resp, err := http.Get(env["KS_DOCTOR_SIM_URL"] + path)
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	start := time.Now()
	if code := get("/iks/global/v2/classic/getClusters"); code != 503 { // the fault, before authentication
		t.Errorf("fault: %d", code)
	}
	if code := get("/iks/global/v2/classic/getClusters"); code != 401 { // count spent: served (no token)
		t.Errorf("after the fault: %d", code)
	}
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("two requests in %v with 30ms latency", d)
	}
	// At once, so that the 30ms latency does not let the bucket refill.
	var mu sync.Mutex
	var wg sync.WaitGroup
	codes := map[int]int{}
	for range 7 {
		wg.Go(func() {
			code := get("/softlayer/rest/v3.1/SoftLayer_Account.json")
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[401]+codes[429] != 7 || codes[429] < 1 || codes[429] > 2 {
		t.Errorf("softlayer limited to 5/s: %v", codes)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), want.File) {
		t.Errorf("stderr does not name the fleet: %s", stderr.String())
	}
	log, _ := os.ReadFile(logFile)
	for _, s := range []string{`"knob":"fault:503"`, `"knob":"rate-limit"`, `"latencyMs":30`, `"seq":1,`, `"start":"`} {
		if !strings.Contains(string(log), s) {
			t.Errorf("log lacks %s:\n%s", s, log)
		}
	}
	for _, s := range want.Secrets() {
		if strings.Contains(string(log)+stdout.String()+stderr.String()+string(data), s) {
			t.Errorf("a secret leaks")
		}
	}
}
