package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
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
	for _, f := range []string{"scenario", "addr", "env-file", "region", "group", "no-group", "locale", "expired-token", "log", "home", "list"} {
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
