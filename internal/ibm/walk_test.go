package ibm_test

import (
	"context"
	"os"
	"testing"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"

	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
	"github.com/ks-doctor/ks-doctor/internal/sim"
	"github.com/ks-doctor/ks-doctor/internal/sim/simtest"
)

// walk runs the orphan walk over every region and resource group of a
// simulated world, the way `orphan --all-regions --all-resource-groups` does.
func walk(t *testing.T, sc *sim.Scenario, readAll bool) (diag.OrphanReport, int) {
	t.Helper()
	srv := simtest.Start(t, sc, sim.Options{})
	env := srv.Env(simtest.Login(t, srv, nil))
	for k, v := range env {
		t.Setenv(k, v)
	}
	pctx := plugin.InitPluginContext("ks-doctor")
	sess, err := ibm.ReadSession(pctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ibm.New(pctx, ibm.ResolveEndpoints(ibm.NetworkOf(pctx), os.Getenv), ibm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := c.Walk(context.Background(), sess, ibm.WalkOptions{AllRegions: true, AllGroups: true, Concurrency: 8, ReadAllWorkers: readAll})
	return diag.Orphans(f, sess.IMSAccountID), len(srv.Requests())
}

// Orphan by device attribution reads a cluster's workers only where its
// devices do not tell; its verdicts must be those of reading every cluster's
// workers, cluster by cluster, on every bundled scenario and on generated
// fleets.
func TestAttributionGivesTheSameVerdicts(t *testing.T) {
	worlds := simtest.Bundled(t)
	for _, o := range []sim.FleetOptions{
		{Clusters: 40, Workers: 5, Regions: 2, Groups: 2, Accounts: 3, Orphans: 0.1, Seed: 3},
		{Clusters: 25, Workers: 12, Accounts: 2, Orphans: 0.2, Seed: 11},
	} {
		sc, _, err := sim.Fleet(o)
		if err != nil {
			t.Fatal(err)
		}
		worlds = append(worlds, sc)
	}
	for _, sc := range worlds {
		t.Run(sc.File, func(t *testing.T) {
			fast, fastN := walk(t, sc, false)
			slow, slowN := walk(t, sc, true)
			if len(fast.Clusters) != len(slow.Clusters) {
				t.Fatalf("%d clusters by attribution, %d by worker listings", len(fast.Clusters), len(slow.Clusters))
			}
			for i, v := range fast.Clusters {
				w := slow.Clusters[i]
				if v.Cluster.ID != w.Cluster.ID || v.Status != w.Status || v.Found != w.Found || v.Total != w.Total {
					t.Errorf("%s: attribution %s %d/%d, worker listings %s %d/%d (%s)", v.Cluster.Name,
						v.Status, v.Found, v.Total, w.Status, w.Found, w.Total, w.Reason.Key)
				}
			}
			t.Logf("requests: %d by attribution, %d by worker listings", fastN, slowN)
			if fastN > slowN {
				t.Errorf("attribution made %d requests, worker listings %d", fastN, slowN)
			}
		})
	}
}

// The worker IDs of both formats name their cluster.
func TestClusterOfWorker(t *testing.T) {
	for id, want := range map[string]string{
		"kube-bsudhljf0rbvej5nb690-myclusterfr-default-00000130": "bsudhljf0rbvej5nb690",
		"kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w1":       "9b7371a7fcbe46d08e04f046d5e6d8b4",
		"kube-bsudhljf0rbvej5nb690-crm-default-00000130":         "bsudhljf0rbvej5nb690",
		"jumpbox01": "",
		"kube-":     "",
	} {
		if got := facts.ClusterOfWorker(id); got != want {
			t.Errorf("ClusterOfWorker(%q) = %q, want %q", id, got, want)
		}
	}
}
