package commands

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// Seed 000's Cluster1/Cluster2 story, both halves, in English, Japanese and
// JSON: whichever infrastructure account us-south/default's credentials
// use, one of the two clusters is orphaned, and the plan says that no
// single setting serves both.
func TestOrphanGolden(t *testing.T) {
	t.Parallel() // a world of its own
	for _, sc := range []string{"orphan-cluster1", "orphan-cluster2"} {
		for _, v := range []struct {
			suffix, locale string
			json           bool
		}{{"en", "en_US", false}, {"ja", "ja_JP", false}, {"json", "en_US", true}} {
			t.Run(sc+"/"+v.suffix, func(t *testing.T) {
				w := newWorld(t, sc, session{})
				args := []string{"orphan"}
				if v.json {
					args = append(args, "--output", "json")
				}
				stdout, stderr, code := w.run(t, v.locale, args...)
				if code != 1 {
					t.Errorf("exit %d, want 1 (a cluster is orphaned)\n%s%s", code, stdout, stderr)
				}
				golden(t, sc+"-"+v.suffix, stdout, stderr, code)
				w.noSecrets(t, stdout, stderr)
				w.readOnly(t)
			})
		}
	}
}

func TestOrphanPlanSaysNoSingleSetting(t *testing.T) {
	for sc, orphaned := range map[string]string{"orphan-cluster1": "Cluster1", "orphan-cluster2": "Cluster2"} {
		w := newWorld(t, sc, session{})
		stdout, _, _ := w.run(t, "en_US", "orphan", "--output", "json")
		var doc struct {
			Clusters []struct{ Name, Status string }
			Plan     []struct {
				Note    string
				Options []struct{ Manageable, Orphaned []string }
			}
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatal(err)
		}
		for _, c := range doc.Clusters {
			if (c.Name == orphaned) != (c.Status == "orphaned") {
				t.Errorf("%s: %s is %s", sc, c.Name, c.Status)
			}
		}
		if len(doc.Plan) != 1 || doc.Plan[0].Note == "" || len(doc.Plan[0].Options) < 2 {
			t.Fatalf("%s: plan %+v", sc, doc.Plan)
		}
		for _, o := range doc.Plan[0].Options {
			if len(o.Orphaned) == 0 {
				t.Errorf("%s: option %+v serves every cluster", sc, o)
			}
		}
	}
}

// Extra classic credentials come from a file; neither the file's key nor
// anything else secret reaches any output or the request log.
func TestOrphanClassicCredentialsFile(t *testing.T) {
	w := newWorld(t, "orphan-cluster1", session{})
	file := filepath.Join(t.TempDir(), "classic.txt")
	secret := "KSDOCTORCANARY-classic-key-should-never-show"
	if err := os.WriteFile(file, []byte("# legacy account\nlegacy_user "+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, _ := w.run(t, "en_US", "orphan", "--classic-credentials", file)
	if strings.Contains(stdout+stderr, secret) {
		t.Error("classic API key leaked")
	}
	// The simulated SoftLayer knows no legacy_user: the key is refused, and
	// the user is told which line, without the key.
	if !strings.Contains(stderr, "classic.txt, line 2: the classic infrastructure API key of legacy_user was not accepted") {
		t.Errorf("a refused key must be reported by its line:\n%s", stderr)
	}
	jsonOut, _, _ := w.run(t, "en_US", "orphan", "--classic-credentials", file, "--output", "json")
	var doc struct {
		RejectedCredentials []struct{ Source, Username, Error string }
	}
	if err := json.Unmarshal([]byte(jsonOut), &doc); err != nil || len(doc.RejectedCredentials) != 1 || doc.RejectedCredentials[0].Username != "legacy_user" {
		t.Errorf("rejectedCredentials %+v (%v)", doc.RejectedCredentials, err)
	}
	for _, r := range w.srv.Requests() {
		b, _ := json.Marshal(r)
		if strings.Contains(string(b), secret) {
			t.Errorf("classic API key in the request log: %s", b)
		}
	}
	for content, line := range map[string]string{
		"only-one-field-" + secret + "\n":                                   "line 1:",
		"# legacy\n\nuser " + secret + "\nuser2 " + secret + " extra\n":     "line 4:",
		"user " + secret + "\n" + strings.Repeat(secret, 4000) + "\n":       "line 2:",
		"user " + secret + "\n\t\x1b[2J " + secret + " \r " + secret + "\n": "line 2:",
	} {
		bad := filepath.Join(t.TempDir(), "bad.txt")
		os.WriteFile(bad, []byte(content), 0o600)
		_, stderr, code := w.run(t, "en_US", "orphan", "--classic-credentials", bad)
		if code != 2 || strings.Contains(stderr, secret) || !strings.Contains(stderr, line) || strings.Contains(stderr, "Incorrect usage") {
			t.Errorf("bad file: exit %d, stderr %q, want %q", code, stderr, line)
		}
	}
}

func TestOrphanUsage(t *testing.T) {
	w := newWorld(t, "orphan-cluster1", session{})
	for _, args := range [][]string{
		{"orphan", "-r", "us-south", "--all-regions"},
		{"orphan", "-g", "default", "--all-resource-groups"},
		{"orphan", "--concurrency", "0"},
		{"orphan", "-g", "nosuchgroup"},
	} {
		if _, _, code := w.run(t, "en_US", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// The walk exchanges the session's refresh token for tokens bound to other
// accounts; afterwards the CLI session must still work, targeting what it
// targeted before.
func TestOrphanLeavesTheSessionUsable(t *testing.T) {
	w := newWorld(t, "orphan-cluster1", session{expired: true})
	if _, stderr, code := w.run(t, "en_US", "orphan"); code != 1 {
		t.Fatalf("orphan exit %d: %s", code, stderr)
	}
	for i := 0; i < 2; i++ {
		stdout, stderr, code := w.run(t, "en_US", "check", "-c", "Cluster1", "--only", "session.login,session.resource-group", "--output", "json")
		if code != 0 || !strings.Contains(stdout, `"resourceGroup"`) {
			t.Fatalf("after orphan, check exit %d: %s%s", code, stdout, stderr)
		}
	}
}

// The orphan table and plan show names from IBM Cloud through render.Safe:
// a cluster name with an ESC sequence and a carriage return cannot repaint
// the terminal; JSON keeps the name.
func TestOrphanNamesAreSafe(t *testing.T) {
	sc, err := sim.Load("orphan-cluster1")
	if err != nil {
		t.Fatal(err)
	}
	name := "Cluster1\x1b[2J\r✓ ok"
	for i := range sc.Clusters {
		if sc.Clusters[i].Name == "Cluster1" {
			sc.Clusters[i].Name = name
		}
	}
	w := newWorldOf(t, sc, sim.Options{}, session{})
	text, stderr, code := w.run(t, "en_US", "orphan")
	if code != 1 || strings.ContainsAny(text+stderr, "\r\x1b") || !strings.Contains(text, `Cluster1\x1b[2J\r✓ ok`) {
		t.Errorf("exit %d:\n%q", code, text)
	}
	js, _, _ := w.run(t, "en_US", "orphan", "--output", "json")
	var doc struct{ Clusters []struct{ Name string } }
	if err := json.Unmarshal([]byte(js), &doc); err != nil || !slices.ContainsFunc(doc.Clusters, func(c struct{ Name string }) bool { return c.Name == name }) {
		t.Errorf("JSON does not keep the name (%v):\n%s", err, js)
	}
}

// On a terminal, the walk's progress reaches stderr as it happens, through
// the scrubber (which keeps unfinished lines back otherwise), and is
// cleared before the report.
func TestOrphanProgressIsShownAsItHappens(t *testing.T) {
	w := newWorld(t, "orphan-cluster1", session{})
	var writes []string
	rec := writerFunc(func(p []byte) (int, error) { writes = append(writes, string(p)); return len(p), nil })
	_, stderr, code := w.runWith(t, runOpts{locale: "en_US", stderr: rec, stderrTerminal: true}, "orphan")
	progress := 0
	for _, s := range writes {
		if strings.Contains(s, "Reading IBM Cloud: ") {
			progress++
		}
	}
	if code != 1 || progress < 2 || !strings.HasSuffix(stderr, "\r\x1b[K") {
		t.Errorf("exit %d, %d progress writes; stderr %q", code, progress, stderr)
	}
}
