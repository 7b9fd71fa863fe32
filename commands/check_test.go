package commands

import (
	"encoding/json"
	"strings"
	"testing"
)

// The seed-000 session stories on the bundled healthy classic scenario
// (cluster mycluster in us-south, resource group team-a; default group
// "default"), each rendered in English, Japanese and JSON.
func TestCheckGolden(t *testing.T) {
	for _, c := range []struct {
		name    string
		session session
		args    []string
		code    int
	}{
		{"healthy", session{}, []string{"check", "-c", "mycluster"}, 0},
		{"rg-mismatch", session{group: "default"}, []string{"check", "-c", "mycluster"}, 0},
		{"no-rg-targeted", session{noGroup: true}, []string{"check", "-c", "mycluster"}, 0},
		{"region-mismatch", session{region: "eu-de"}, []string{"check", "-c", "mycluster"}, 0},
		{"not-logged-in", session{loggedOut: true}, []string{"check", "-c", "mycluster"}, 2},
		{"unknown-cluster", session{}, []string{"check", "-c", "nosuchcluster"}, 2},
		{"create", session{noGroup: true}, []string{"check"}, 0},
	} {
		for _, v := range []struct {
			suffix, locale string
			json           bool
		}{{"en", "en_US", false}, {"ja", "ja_JP", false}, {"json", "en_US", true}} {
			t.Run(c.name+"/"+v.suffix, func(t *testing.T) {
				w := newWorld(t, "healthy-classic", c.session)
				args := c.args
				if v.json {
					args = append(append([]string{}, args...), "--output", "json")
				}
				stdout, stderr, code := w.run(t, v.locale, args...)
				if code != c.code {
					t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, stdout, stderr)
				}
				if v.json && code != 2 && !json.Valid([]byte(stdout)) {
					t.Errorf("stdout is not one JSON document:\n%s", stdout)
				}
				if code == 2 && stdout != "" {
					t.Errorf("an error must leave stdout empty, got %q", stdout)
				}
				golden(t, "check-"+c.name+"-"+v.suffix, stdout, stderr, code)
				w.noSecrets(t, stdout, stderr)
				w.readOnly(t)
			})
		}
	}
}

// --fail-on warn turns the resource-group warning into exit 1.
func TestCheckFailOnWarn(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{group: "default"})
	_, _, code := w.run(t, "en_US", "check", "-c", "mycluster", "--fail-on", "warn")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
}

// An expired access token in config.json is refreshed through the CLI SDK
// (against the simulator's IAM) and the run succeeds.
func TestCheckRefreshesExpiredToken(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{expired: true})
	stdout, stderr, code := w.run(t, "en_US", "check", "-c", "mycluster", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	var doc struct {
		Findings []struct {
			Check, Status string
			Params        map[string]string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Findings[0].Check != "session.login" || doc.Findings[0].Status != "ok" {
		t.Errorf("first finding %+v", doc.Findings[0])
	}
	refreshed := false
	for _, r := range w.srv.Requests() {
		if strings.HasSuffix(r.Path, "/identity/token") && r.Status == 200 {
			refreshed = true
		}
	}
	if !refreshed {
		t.Error("no token refresh reached the simulator")
	}
	w.noSecrets(t, stdout, stderr)
}

func TestCheckUsageErrors(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	for _, args := range [][]string{
		{"check", "-c", "mycluster", "--only", "session.nope"},
		{"check", "-c", "mycluster", "--output", "yaml"},
		{"check", "-c", "mycluster", "--fail-on", "info"},
		{"check", "-c", "mycluster", "--timeout", "soon"},
		{"check", "--bogus"},
		{"check", "extra-arg"},
		{"nosuchverb"},
	} {
		stdout, stderr, code := w.run(t, "ja_JP", args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "失敗") || !strings.Contains(stderr, "使用法") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if len(w.srv.Requests()) != 0 {
		t.Errorf("usage errors must not reach IBM Cloud: %d requests", len(w.srv.Requests()))
	}
}

func TestChecksCatalog(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	for _, v := range []struct {
		suffix, locale string
		args           []string
	}{
		{"en", "en_US", []string{"checks"}}, {"ja", "ja_JP", []string{"checks"}}, {"json", "en_US", []string{"checks", "--output", "json"}},
	} {
		stdout, stderr, code := w.run(t, v.locale, v.args...)
		golden(t, "checks-"+v.suffix, stdout, stderr, code)
	}
	if len(w.srv.Requests()) != 0 {
		t.Error("checks must not call IBM Cloud")
	}
}

// --concurrency 1 reads one thing after another and reaches exactly the
// same findings, with the same number of requests: concurrency changes the
// time, never the answer or the reads.
func TestCheckConcurrencyOne(t *testing.T) {
	var outs []string
	var counts []int
	for _, n := range []string{"8", "1"} {
		w := newWorld(t, "orphan-cluster1", session{})
		stdout, _, _ := w.run(t, "en_US", "check", "-c", "Cluster1", "--concurrency", n, "--output", "json")
		outs = append(outs, durations.ReplaceAllString(stdout, ""))
		counts = append(counts, len(w.srv.Requests()))
	}
	if outs[0] != outs[1] || counts[0] != counts[1] {
		t.Errorf("concurrency changed the result: %d vs %d requests", counts[0], counts[1])
	}
}

// check -c reads each thing once: on a 50-worker cluster no request (method,
// path and query) is made twice, and the worker devices are found with one
// filtered call, not one per worker.
func TestCheckReadsOnce(t *testing.T) {
	w := newWorld(t, "fleet:clusters=1,workers=50,seed=1", session{})
	if _, stderr, code := w.run(t, "en_US", "check", "-c", "fleet-0001"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	seen := map[string]bool{}
	softlayer := 0
	for _, r := range w.srv.Requests() {
		b, _ := json.Marshal(r.Query)
		key := r.Method + " " + r.Path + " " + string(b)
		if seen[key] {
			t.Errorf("read twice: %s", key)
		}
		seen[key] = true
		if r.Service == "softlayer" {
			softlayer++
		}
	}
	if softlayer > 3 {
		t.Errorf("%d SoftLayer calls for 50 workers: devices are looked up one by one", softlayer)
	}
	t.Logf("%d requests", len(w.srv.Requests()))
}

// --help is wholly in the session's language: headings, options, value
// placeholders in the SDK's style, and defaults.
func TestHelpIsTranslated(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	stdout, _, code := w.run(t, "ja_JP", "check", "--help")
	if code != 0 || !strings.Contains(stdout, "使用法:") || !strings.Contains(stdout, "--cluster CLUSTER") || !strings.Contains(stdout, "(デフォルト: 8)") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	for _, english := range []string{"Usage:", "Flags:", "(default", " string ", " int "} {
		if strings.Contains(stdout, english) {
			t.Errorf("%q in the Japanese help:\n%s", english, stdout)
		}
	}
}
