package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// simHome is the IBMCLOUD_HOME of a simulator's env.
func simHome(t *testing.T, env []string) string {
	t.Helper()
	home := envValue(env, "IBMCLOUD_HOME")
	if home == "" {
		t.Fatal("no IBMCLOUD_HOME in the simulator's env")
	}
	return home
}

// withEnv replaces (or adds) a variable of env.
func withEnv(env []string, key, value string) []string {
	out := []string{key + "=" + value}
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// The CLI session file through the built binary (one build for both).
func TestSessionFile(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	dir := t.TempDir()
	ksd := build(t, dir, "./plugin", "ks-doctor")
	simBin := build(t, dir, "./cmd/ks-doctor-sim", "ks-doctor-sim")
	t.Run("broken config", func(t *testing.T) { testBrokenConfigIsLeftAlone(t, ksd) })
	t.Run("concurrent runs across expiry", func(t *testing.T) { testConcurrentRunsAcrossTokenExpiry(t, ksd, simBin) })
}

// A config.json that is not a readable JSON object is never rewritten:
// check stops with a clear message (exit 2) and the file keeps every byte;
// explain, checks and SendMetadata, which need no session, still work.
func testBrokenConfigIsLeftAlone(t *testing.T, ksd string) {
	cases := map[string]func(home string) (check func() bool){
		"empty":     file(""),
		"truncated": file(`{"IAMToken": "Bearer eyJhbGciOi`),
		"array":     file(`[]`),
		"string":    file(`"x"`),
		"directory": func(home string) func() bool {
			dir := filepath.Join(home, ".bluemix", "config.json")
			os.MkdirAll(dir, 0o700)
			return func() bool { st, err := os.Stat(dir); return err == nil && st.IsDir() }
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			home := t.TempDir()
			unchanged := setup(home)
			env := []string{"IBMCLOUD_HOME=" + home}
			_, stderr, code := run(t, ksd, env, "check", "-c", "mycluster")
			if code != 2 || !strings.Contains(stderr, "config.json") || !strings.Contains(stderr, "left it unchanged") {
				t.Errorf("check: exit %d, stderr %q", code, stderr)
			}
			for _, args := range [][]string{{"explain", "The specified worker node could not be found."}, {"checks"}, {"SendMetadata"}, {"check", "--help"}} {
				if stdout, stderr, code := run(t, ksd, env, args...); code != 0 || stdout == "" {
					t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
				}
			}
			if !unchanged() {
				t.Error("config.json was changed")
			}
		})
	}
	t.Run("home is a file", func(t *testing.T) {
		home := filepath.Join(t.TempDir(), "home")
		os.WriteFile(home, []byte("not a directory"), 0o600)
		env := []string{"IBMCLOUD_HOME=" + home}
		if _, stderr, code := run(t, ksd, env, "check", "-c", "mycluster"); code != 2 || !strings.Contains(stderr, "config.json") {
			t.Errorf("check: exit %d, stderr %q", code, stderr)
		}
		if stdout, stderr, code := run(t, ksd, env, "explain", "The specified worker node could not be found."); code != 0 || stdout == "" {
			t.Errorf("explain: exit %d, stderr %q", code, stderr)
		}
		if b, _ := os.ReadFile(home); string(b) != "not a directory" {
			t.Error("the home file was changed")
		}
	})
}

// file writes config.json with content and returns a check that it kept
// every byte.
func file(content string) func(home string) func() bool {
	return func(home string) func() bool {
		p := filepath.Join(home, ".bluemix", "config.json")
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.WriteFile(p, []byte(content), 0o600)
		return func() bool { b, err := os.ReadFile(p); return err == nil && string(b) == content }
	}
}

// Eight runs started together while the access token has expired all
// succeed (none says "Not logged in"), and config.json stays one JSON
// object that still holds a key the CLI SDK does not know, byte for byte.
func testConcurrentRunsAcrossTokenExpiry(t *testing.T, ksd, simBin string) {
	env, _ := startSim(t, simBin, "--scenario", "healthy-classic", "--group", "default", "--expired-token")
	path := filepath.Join(simHome(t, env), ".bluemix", "config.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const unknown = `"KsDoctorFutureKey": {"list": [1, 2.50, "x"], "nested": {"a": null}}`
	b = []byte(strings.Replace(string(b), "{", "{\n  "+unknown+",", 1))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stdout, stderr, code := run(t, ksd, env, "check", "-c", "mycluster", "--output", "json")
			if code != 0 {
				t.Errorf("run %d: exit %d\n%s\n%.400s", i, code, stderr, stdout)
			}
		}()
	}
	wg.Wait()
	after, _ := os.ReadFile(path)
	var m map[string]any
	if err := json.Unmarshal(after, &m); err != nil || !strings.Contains(string(after), unknown) {
		t.Fatalf("config.json damaged (%v):\n%s", err, after)
	}
	if _, stderr, code := run(t, ksd, env, "check", "-c", "mycluster"); code != 0 {
		t.Errorf("a later run: exit %d %s", code, stderr)
	}
}
