package commands

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// Seed 000's Cluster1/Cluster2 story with Cluster2 (the cluster that works
// with the current credentials) undecided: its workers cannot be read. The
// old plan ignored it and offered `credential unset` as orphaning nothing —
// the very change that orphans Cluster2. Now nothing is recommended while a
// cluster of the scope is undecided, and the plan says which and why.
func TestOrphanPlanWaitsForUndecidedClusters(t *testing.T) {
	// A third worker of Cluster2, still provisioning, has no device yet:
	// its devices no longer tell, so the walk reads its workers — and fails.
	sc := variant(t, "orphan-cluster1", func(y string) string {
		return strings.Replace(y, `        infraAccount: "1446722"
`, `        infraAccount: "1446722"
      - id: kube-j03lvvlog623ne82h8v1-cluster2-default-00000333
        state: provisioning
        infraAccount: none
`, 1)
	})
	var cluster2 string
	for _, c := range sc.Clusters {
		if c.Name == "Cluster2" {
			cluster2 = c.ID
		}
	}
	w := newWorldOf(t, sc, sim.Options{}, session{})
	if err := w.srv.SetFaults(sim.Fault{Service: "iks", Path: cluster2 + "/workers", Kind: sim.FaultStatus, Status: 500}); err != nil {
		t.Fatal(err)
	}
	w.env["KS_DOCTOR_RETRIES"] = "0"
	stdout, stderr, code := w.run(t, "en_US", "orphan", "--output", "json")
	var doc struct {
		Clusters []struct{ Name, Status string }
		Plan     []struct {
			Recommended struct {
				InfraAccount string
				Commands     []string
			}
			Undecided []string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s%s", err, stdout, stderr)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1 (Cluster1 is orphaned)", code)
	}
	if len(doc.Plan) != 1 || doc.Plan[0].Recommended.InfraAccount != "" || len(doc.Plan[0].Recommended.Commands) != 0 ||
		strings.Join(doc.Plan[0].Undecided, ",") != "Cluster2" {
		t.Errorf("plan %+v: nothing may be recommended while Cluster2 is undecided", doc.Plan)
	}
	text, _, _ := w.run(t, "en_US", "orphan")
	if strings.Contains(text, "credential unset") || !strings.Contains(text, "No recommendation: 1 cluster (Cluster2) could not be decided, and changing the credentials might orphan it.") {
		t.Errorf("text plan:\n%s", text)
	}
	w.readOnly(t)
}

// An account mixing classic, VPC, Satellite and OpenShift clusters: orphan
// walks the classic ones (OpenShift on classic included) and says how many
// of the others it left out, so no one wonders whether they were checked.
func TestOrphanWalksClassicClustersOnly(t *testing.T) {
	sc, err := sim.Load("../internal/sim/testdata/providers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w := newWorldOf(t, sc, sim.Options{}, session{})
	stdout, stderr, _ := w.run(t, "en_US", "orphan", "--all-regions", "--output", "json")
	var doc struct {
		Clusters []struct{ Name string }
		LeftOut  map[string]int
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s%s", err, stdout, stderr)
	}
	var names []string
	for _, c := range doc.Clusters {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "k8s-classic,ocp-classic" || doc.LeftOut["vpc"] != 1 || doc.LeftOut["satellite"] != 1 {
		t.Errorf("walked %v, left out %v: want the two classic clusters, one VPC and one Satellite cluster counted", names, doc.LeftOut)
	}
	text, _, _ := w.run(t, "en_US", "orphan", "--all-regions")
	if !strings.Contains(text, "Not walked: 1 VPC and 1 Satellite clusters") {
		t.Errorf("text does not say what it left out:\n%s", text)
	}
	w.readOnly(t)
}

// The bundled scenarios whose workers are provisioning or failed before a
// device existed: orphan calls their clusters ok, never orphaned or mixed.
func TestOrphanPendingWorkersAreNoEvidence(t *testing.T) {
	for _, name := range []string{"worker-states", "totp-payg", "apikey-permissions", "apikey-owner-pending-deletion", "provisioning-workers"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, name, session{})
			stdout, stderr, _ := w.run(t, "en_US", "orphan", "--all-regions", "--all-resource-groups", "--output", "json")
			var doc struct {
				Clusters []struct {
					Name, Status   string
					WorkersPending int
				}
			}
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Clusters) == 0 {
				t.Fatalf("%v\n%s%s", err, stdout, stderr)
			}
			pending := 0
			for _, c := range doc.Clusters {
				if c.Status != "ok" {
					t.Errorf("%s is %s, want ok: a worker without a device yet is no evidence", c.Name, c.Status)
				}
				pending += c.WorkersPending
			}
			if pending == 0 {
				t.Error("no worker without a device: the scenario proves nothing here")
			}
		})
	}
}
