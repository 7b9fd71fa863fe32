package sim_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

func TestBundledScenariosLoad(t *testing.T) {
	names := sim.Names()
	if strings.Join(names, ",") != "healthy-classic,healthy-vpc" {
		t.Errorf("bundled: %v", names)
	}
	for _, n := range names {
		sc, err := sim.Load(n)
		if err != nil {
			t.Fatal(err)
		}
		if sc.File != "scenarios/"+n+".yaml" || sc.Canary == "" || sc.Session.APIKey == "" {
			t.Errorf("%s: %+v", n, sc)
		}
	}
	if _, err := sim.Load("no-such-scenario"); err == nil || !strings.Contains(err.Error(), "healthy-classic") {
		t.Errorf("unknown name: %v", err)
	}
}

// broken writes the healthy-classic scenario with one edit applied.
func broken(t *testing.T, old, new string) error {
	t.Helper()
	sc, err := os.ReadFile("scenarios/healthy-classic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sc), old) {
		t.Fatalf("fixture lacks %q", old)
	}
	path := filepath.Join(t.TempDir(), "x.yaml")
	os.WriteFile(path, []byte(strings.Replace(string(sc), old, new, 1)), 0o600)
	_, err = sim.Load(path)
	if err == nil {
		t.Fatalf("%q -> %q accepted", old, new)
	}
	return err
}

func lineOf(t *testing.T, text string) int {
	data, _ := os.ReadFile("scenarios/healthy-classic.yaml")
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, text) {
			return i + 1
		}
	}
	t.Fatalf("no line with %q", text)
	return 0
}

func TestBrokenScenarioNamesFileLineField(t *testing.T) {
	cases := []struct{ old, new, lineText, want string }{
		{"    region: us-south", "    region: us-nowhere", "    region: us-south", `clusters[0].region: unknown region "us-nowhere"`},
		{"    resourceGroup: team-a", "    resourceGroup: team-b", "    resourceGroup: team-a", `clusters[0].resourceGroup: unknown resource group "team-b"`},
		{"    location: Dallas", "    locaton: Dallas", "    location: Dallas", `clusters[0].locaton: field locaton not found`},
		{"        privateIP: 10.176.43.202", "        privateIP: 10.176.43.999", "privateIP: 10.176.43.202", `clusters[0].workers[1].privateIP: not an IP address`},
		{"  user: jane.doe@example.com", "  user: nobody@example.com", "  user: jane.doe@example.com", `session.user: unknown user "nobody@example.com"`},
		{"  tokenLifetime: 1h", "  tokenLifetime: [1h]", "  tokenLifetime: 1h", `session.tokenLifetime: cannot unmarshal`},
	}
	for _, c := range cases {
		err := broken(t, c.old, c.new)
		msg := err.Error()
		line := lineOf(t, c.lineText)
		if !strings.Contains(msg, fmt.Sprintf("x.yaml:%d: %s", line, c.want)) {
			t.Errorf("want x.yaml:%d: %s\ngot  %s", line, c.want, msg)
		}
	}
	// YAML syntax errors keep file and line too.
	if err := broken(t, "  name: ACME Corp", "  name: [ACME"); !strings.Contains(err.Error(), "x.yaml:") {
		t.Errorf("syntax: %v", err)
	}
}
