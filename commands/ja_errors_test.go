package commands

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/i18n/i18ntest"
	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// A Japanese run of every verb on its error paths (a read failing in each
// way IBM Cloud fails, a session that is not logged in, a cluster that does
// not exist, a run cut by --timeout, usage errors) prints no English
// sentence: what IBM Cloud or the network said is quoted verbatim inside a
// Japanese sentence, everything else is translated. The golden files cover
// the successful runs (plugin/ja_test.go).
func TestJapaneseErrorPathsHaveNoEnglishSentence(t *testing.T) {
	t.Parallel() // worlds of its own
	type run struct {
		name     string
		scenario string
		session  session
		fault    *sim.Fault
		args     []string
	}
	var runs []run
	faults := []sim.Fault{
		{Kind: sim.FaultExpired}, {Kind: sim.FaultStatus, Status: 403}, {Kind: sim.FaultStatus, Status: 404},
		{Kind: sim.FaultStatus, Status: 500}, {Kind: sim.FaultReset}, {Kind: sim.FaultMalformed}, {Kind: sim.FaultEmpty},
	}
	endpoints := [][2]string{
		{"iks", `/v1/clusters/[^/]+/workers$`}, {"iks", `^/v1/credentials$`}, {"softlayer", `getVirtualGuests`},
		{"iam", `/settings/identity$`}, {"user-management", `/users`},
	}
	for _, f := range faults {
		for _, ep := range endpoints {
			f := f
			f.Service, f.Path = ep[0], ep[1]
			name := ep[0] + ep[1] + "/" + string(f.Kind)
			runs = append(runs,
				run{"check " + name, "healthy-classic", session{}, &f, []string{"check", "-c", "mycluster"}},
				run{"orphan " + name, "orphan-cluster1", session{}, &f, []string{"orphan"}})
		}
	}
	runs = append(runs,
		run{"check hang", "healthy-classic", session{}, &sim.Fault{Kind: sim.FaultHang, Service: "iks", Path: `/v1/clusters/[^/]+/workers$`}, []string{"check", "-c", "mycluster", "--timeout", "1s"}},
		run{"gather fault", "healthy-classic", session{}, &sim.Fault{Kind: sim.FaultStatus, Status: 500, Service: "iks", Path: `/v1/clusters/[^/]+/workers$`}, []string{"gather", "-c", "mycluster"}},
		run{"check not found", "healthy-classic", session{}, nil, []string{"check", "-c", "nosuch"}},
		run{"gather not found", "healthy-classic", session{}, nil, []string{"gather", "-c", "nosuch"}},
		run{"check logged out", "healthy-classic", session{loggedOut: true}, nil, []string{"check", "-c", "mycluster"}},
		run{"orphan logged out", "healthy-classic", session{loggedOut: true}, nil, []string{"orphan"}},
		run{"gather logged out", "healthy-classic", session{loggedOut: true}, nil, []string{"gather", "-c", "mycluster"}},
		run{"explain no match", "healthy-classic", session{}, nil, []string{"explain", "something nobody has ever seen"}},
		run{"explain unknown entry", "healthy-classic", session{}, nil, []string{"explain", "E-nope"}},
		run{"usage", "healthy-classic", session{}, nil, []string{"check", "--output", "yaml"}},
		run{"usage only", "healthy-classic", session{}, nil, []string{"check", "--only", "nope"}},
		run{"usage unknown flag", "healthy-classic", session{}, nil, []string{"orphan", "--nope"}},
		run{"usage unknown command", "healthy-classic", session{}, nil, []string{"nope"}},
		run{"help", "healthy-classic", session{}, nil, []string{"--help"}},
		run{"check help", "healthy-classic", session{}, nil, []string{"check", "--help"}},
		run{"orphan help", "healthy-classic", session{}, nil, []string{"orphan", "--help"}},
		run{"gather help", "healthy-classic", session{}, nil, []string{"gather", "--help"}},
		run{"explain help", "healthy-classic", session{}, nil, []string{"explain", "--help"}},
		run{"checks help", "healthy-classic", session{}, nil, []string{"checks", "--help"}},
		run{"explain list", "healthy-classic", session{}, nil, []string{"explain", "--list"}},
	)
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, r.scenario, r.session)
			if r.fault != nil {
				if err := w.srv.SetFaults(*r.fault); err != nil {
					t.Fatal(err)
				}
			}
			w.env["KS_DOCTOR_RETRIES"], w.env["KS_DOCTOR_RETRY_WAIT"] = "0", "1ms"
			args := r.args
			if args[0] == "gather" && !slices.Contains(args, "--help") {
				args = append(args, "--file", filepath.Join(t.TempDir(), "bundle.tar.gz"))
			}
			stdout, stderr, _ := w.run(t, "ja_JP", args...)
			for _, m := range i18ntest.EnglishRuns(stdout + stderr) {
				t.Errorf("English in a Japanese run: %q\n%s", m, lineWith(stdout+stderr, m))
			}
		})
	}
}

func lineWith(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) && len(i18ntest.EnglishRuns(l)) > 0 {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// The gather archive speaks the run's language too: a Japanese run's
// manifest (what is withheld, what was masked, where each file came from)
// has no English sentence, and says the account ID is kept in full.
func TestJapaneseGatherManifest(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "healthy-classic", session{})
	dest := filepath.Join(t.TempDir(), "bundle.tar.gz")
	if _, stderr, code := w.run(t, "ja_JP", "gather", "-c", "mycluster", "--file", dest); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m := openArchive(t, dest).manifest(t)
	var prose []string
	prose = append(prose, m.Withheld...)
	for _, f := range m.Files {
		prose = append(append(prose, f.Source, f.API), f.Masked...)
	}
	for _, p := range prose {
		for _, run := range i18ntest.EnglishRuns(p) {
			t.Errorf("English in the Japanese manifest: %q in %q", run, p)
		}
		if strings.Contains(p, "マスク") && strings.Contains(p, "アカウント ID") {
			t.Errorf("the manifest says the account ID is masked: %q", p)
		}
	}
	if m.Locale != "ja_JP" || len(m.Withheld) < 3 {
		t.Errorf("locale %q, withheld %q", m.Locale, m.Withheld)
	}
}
