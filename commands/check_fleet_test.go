package commands

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

type fleetDoc struct {
	Clusters []struct {
		Cluster  struct{ ID, Name string }
		Findings []struct{ Check, Status, Subject string }
	}
	Incomplete bool
}

// findingsKey is a cluster's findings as one comparable string.
func findingsKey(fs []struct{ Check, Status, Subject string }) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Check+"="+f.Status+"@"+f.Subject)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// check --all-clusters gives every cluster of a fleet the findings that
// check -c gives it alone, while reading what clusters share only once.
func TestTableAllClustersMatchesEach(t *testing.T) {
	heavyTable(t)
	sc, _, err := sim.Fleet(sim.FleetOptions{Clusters: 50, Workers: 3, Regions: 2, Groups: 2, Accounts: 2, Orphans: 0.1, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	w := newWorldOf(t, sc, sim.Options{}, session{})
	stdout, stderr, code := w.run(t, "en_US", "check", "--all-clusters", "--all-regions", "--all-resource-groups", "--output", "json")
	var doc fleetDoc
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if len(doc.Clusters) != 50 || doc.Incomplete {
		t.Fatalf("%d clusters, incomplete %v\n%s", len(doc.Clusters), doc.Incomplete, stderr)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1: the fleet has orphaned clusters", code)
	}
	fleetRequests := len(w.srv.Requests())
	if per := float64(fleetRequests) / 50; per > 6 {
		t.Errorf("%d requests for 50 clusters (%.1f each): what clusters share is read more than once", fleetRequests, per)
	}
	t.Logf("%d requests for 50 clusters", fleetRequests)
	for _, c := range doc.Clusters {
		one, _, _ := w.run(t, "en_US", "check", "-c", c.Cluster.ID, "--output", "json")
		var single struct {
			Findings []struct{ Check, Status, Subject string }
		}
		if err := json.Unmarshal([]byte(one), &single); err != nil {
			t.Fatal(err)
		}
		if got, want := findingsKey(c.Findings), findingsKey(single.Findings); got != want {
			t.Errorf("%s:\n  --all-clusters %s\n  check -c       %s", c.Cluster.Name, got, want)
		}
	}
	w.readOnly(t)
}

func TestCheckAllClustersUsage(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	for _, args := range [][]string{
		{"check", "-c", "mycluster", "--all-clusters"},
		{"check", "--all-regions"},
		{"check", "-c", "mycluster", "-g", "default"},
		{"check", "--all-clusters", "-r", "nowhere"},
	} {
		if _, _, code := w.run(t, "en_US", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	text, _, code := w.run(t, "en_US", "check", "--all-clusters")
	if code != 0 || !strings.Contains(text, "mycluster") || !strings.Contains(text, "Worst finding") {
		t.Errorf("exit %d:\n%s", code, text)
	}
}

// --version says which ks-doctor this is, without a session.
func TestVersionFlag(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{loggedOut: true})
	stdout, _, code := w.run(t, "en_US", "--version")
	if code != 0 || stdout != "ks-doctor "+Version+"\n" {
		t.Errorf("exit %d, %q", code, stdout)
	}
}

// Every request names ks-doctor in its User-Agent, IAM's and SoftLayer's
// too.
func TestRequestsNameKsDoctor(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{expired: true})
	w.run(t, "en_US", "check", "-c", "mycluster", "--output", "json")
	reqs := w.srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request")
	}
	for _, r := range reqs {
		if !strings.HasPrefix(r.Headers["User-Agent"], "ks-doctor/"+Version) {
			t.Errorf("%s %s %s: User-Agent %q", r.Service, r.Method, r.Path, r.Headers["User-Agent"])
		}
	}
}

// check --all-clusters with a kubeconfig for one cluster: that cluster's
// in-cluster checks read its API (its stale node is found, wherever it
// comes in the walk); every other cluster's are skipped as another
// context's, never judged on that cluster's nodes.
func TestAllClustersReadOnlyTheirOwnCluster(t *testing.T) {
	sc, _, err := sim.Fleet(sim.FleetOptions{Clusters: 3, Workers: 2, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	own := sc.Clusters[1]
	sc.Session.Kubeconfig = own.Name
	// Its first worker, reloaded: still a NotReady node under its public IP.
	w := &sc.Clusters[1].Workers[0]
	if w.PublicIP == "" {
		w.PublicIP = "169.61.200.9"
	}
	sc.Clusters[1].Kube = &sim.KubeAPI{Nodes: []sim.KubeNode{{Name: w.PublicIP}}}
	world := newWorldOf(t, sc, sim.Options{}, session{})
	stdout, stderr, _ := world.run(t, "en_US", "check", "--all-clusters", "--only", "nodes.duplicate", "--output", "json")
	var doc struct {
		Clusters []struct {
			Cluster  struct{ Name string }
			Findings []struct{ Check, Status, Title string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Clusters) != 3 {
		t.Fatalf("%v: %d clusters\n%s", err, len(doc.Clusters), stderr)
	}
	for _, c := range doc.Clusters {
		for _, f := range c.Findings {
			if f.Check != "nodes.duplicate" {
				continue
			}
			want := "skipped"
			if c.Cluster.Name == own.Name {
				want = "warn"
			}
			if f.Status != want {
				t.Errorf("%s: %s %q, want %s", c.Cluster.Name, f.Status, f.Title, want)
			}
		}
	}
}
