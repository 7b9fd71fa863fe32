package commands

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// findings of a `check --output json` run, by check id.
func findingsOf(t *testing.T, stdout string) map[string][]string {
	t.Helper()
	var doc struct {
		Findings []struct{ Check, Status string }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	m := map[string][]string{}
	for _, f := range doc.Findings {
		m[f.Check] = append(m[f.Check], f.Status)
	}
	return m
}

// variant is a bundled scenario with its YAML edited, as a user's world
// differs from the bundled one in one setting.
func variant(t *testing.T, name string, edit func(string) string) *sim.Scenario {
	t.Helper()
	data, err := os.ReadFile("../internal/sim/scenarios/" + name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := sim.Parse(name+"-variant.yaml", []byte(edit(string(data))))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Partial answers and settings that change a verdict, through the official
// SDK clients against the simulator: where IBM Cloud's answer holds the
// evidence, the verdict follows it.
func TestVerdictsFollowTheEvidence(t *testing.T) {
	t.Run("TOTP: an API key owner exempted by user_mfa is not blocked", func(t *testing.T) {
		base, err := sim.Load("totp-payg")
		if err != nil {
			t.Fatal(err)
		}
		owner := base.APIKeys[0].Owner
		sc := variant(t, "totp-payg", func(y string) string {
			return strings.Replace(y, "\naccount:\n", "\naccount:\n  userMfa: [{user: "+owner+", mfa: NONE}]\n", 1)
		})
		w := newWorldOf(t, sc, sim.Options{}, session{})
		stdout, _, _ := w.run(t, "en_US", "check", "-c", sc.Clusters[0].Name, "--output", "json")
		if got := findingsOf(t, stdout)["account.totp"]; len(got) != 1 || got[0] != "ok" {
			t.Errorf("account.totp = %v, want ok: the owner's own MFA level overrides the account's", got)
		}
		w.readOnly(t)
	})
	t.Run("SoftLayer pages in a different order on each call: every device still found once", func(t *testing.T) {
		sc, _, err := sim.Fleet(sim.FleetOptions{Clusters: 1, Workers: 250, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		w := newWorldOf(t, sc, sim.Options{SoftLayerPageOrder: sim.PageOrderUnordered}, session{})
		stdout, stderr, code := w.run(t, "en_US", "check", "-c", sc.Clusters[0].Name, "--output", "json")
		if got := findingsOf(t, stdout)["infra.orphan"]; len(got) != 1 || got[0] != "ok" || code != 0 {
			t.Errorf("infra.orphan = %v (exit %d), want ok: pages are read with an orderBy\n%s", got, code, stderr)
		}
		pages := 0
		for _, r := range w.srv.Requests() {
			if strings.HasSuffix(r.Path, "getVirtualGuests.json") {
				pages++
			}
		}
		if pages < 3 {
			t.Errorf("%d pages of virtual guests: the test needs several", pages)
		}
	})
}
