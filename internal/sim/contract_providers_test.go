package sim_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
)

// Classic, VPC and Satellite clusters, Kubernetes and OpenShift, decoded
// through the official IKS client: v1 and v2 cluster get, worker ls, and
// which list shows which.
func TestProvidersAndTypes(t *testing.T) {
	srv := start(t, filepath.Join("testdata", "providers.yaml"), nil)
	tok := login(t, srv)
	k := iks(t, srv, tok)

	for _, c := range []struct{ name, provider, typ string }{
		{"k8s-classic", "classic", "kubernetes"}, {"ocp-classic", "classic", "openshift"},
		{"ocp-vpc", "vpc-gen2", "openshift"}, {"ocp-sat", "satellite", "openshift"},
	} {
		v2, _, err := k.GetCluster(k.NewGetClusterOptions(c.name))
		check(t, err)
		if *v2.Provider != c.provider || *v2.Type != c.typ {
			t.Errorf("%s v2: provider %s type %s", c.name, *v2.Provider, *v2.Type)
		}
		if c.typ == "openshift" && !strings.HasSuffix(*v2.MasterKubeVersion, "_openshift") {
			t.Errorf("%s version %s", c.name, *v2.MasterKubeVersion)
		}
		v1, _, err := k.GetClusterWithContext(t.Context(), &kubernetesserviceapiv1.GetClusterOptions{Cluster: &c.name})
		if err != nil || *v1.Type != c.typ {
			t.Errorf("%s v1: %v", c.name, err)
		}
		ws, _, err := k.GetClusterWorkers(k.NewGetClusterWorkersOptions(c.name))
		if err != nil || len(ws) == 0 || *ws[0].State != "normal" {
			t.Errorf("%s v1 workers: %v", c.name, err)
		}
		w2, _, err := k.GetWorkers1(k.NewGetWorkers1Options(c.name))
		if err != nil || len(w2) != len(ws) || *w2[0].Health.State != "normal" {
			t.Errorf("%s v2 worker ls: %v", c.name, err)
		}
		one, _, err := k.GetWorker(k.NewGetWorkerOptions(c.name, *ws[0].ID))
		if err != nil || *one.ID != *ws[0].ID || *one.Lifecycle.ActualState != "deployed" {
			t.Errorf("%s v2 worker get: %v", c.name, err)
		}
	}
	sat, _, err := k.GetCluster(k.NewGetClusterOptions("ocp-sat"))
	check(t, err)
	if !slices.Equal(sat.LocationZones, []string{"zone-1", "zone-2"}) || *sat.Location != "factory" || *sat.Datacenter != "cn3tq1pw0l6b8mf2e9ag" {
		t.Errorf("satellite: zones %v location %s dc %s", sat.LocationZones, *sat.Location, *sat.Datacenter)
	}

	// The v1 list: classic only (OpenShift on classic included).
	v1, _, err := k.GetClusters(k.NewGetClustersOptions())
	check(t, err)
	var names []string
	for _, c := range v1 {
		names = append(names, *c.Name)
	}
	if !slices.Equal(names, []string{"k8s-classic", "ocp-classic"}) {
		t.Errorf("v1 list: %v", names)
	}
	all, _, err := k.VpcGetClusters(k.NewVpcGetClustersOptions())
	if err != nil || len(all) != 4 {
		t.Errorf("v2 list without provider: %d %v", len(all), err)
	}
	sats, _, err := k.VpcGetClusters(k.NewVpcGetClustersOptions().SetProvider("satellite"))
	if err != nil || len(sats) != 1 || *sats[0].Name != "ocp-sat" {
		t.Errorf("satellite list: %v", err)
	}

	// Satellite workers have no classic device anywhere.
	var ids []string
	for _, c := range srv.Scenario().Clusters {
		for _, w := range c.Workers {
			ids = append(ids, w.ID)
		}
	}
	got := devices(t, slBearer(srv, tok), ids...)
	if len(got) != 2 || slices.ContainsFunc(got, func(h string) bool { return strings.HasPrefix(h, "sat-") }) {
		t.Errorf("devices: %v", got)
	}
}

// The OpenShift twins and the Satellite scenario, through the same client.
func TestBundledOpenShiftAndSatellite(t *testing.T) {
	srv := start(t, "openshift-classic-orphan", nil)
	tok := login(t, srv)
	k := iks(t, srv, tok)
	c, _, err := k.GetCluster(k.NewGetClusterOptions("OCPCluster1"))
	if err != nil || *c.Type != "openshift" || *c.Provider != "classic" {
		t.Fatalf("ocp classic: %v", err)
	}
	ids := workerIDs(srv.Scenario(), "OCPCluster1")
	if got := devices(t, slBearer(srv, tok), ids...); len(got) != 2 { // in the linked 2093847 ...
		t.Fatalf("linked devices: %v", got)
	}
	team := switchAccount(t, srv, "7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21", "1446722")
	if got := devices(t, slBearer(srv, team), ids...); len(got) != 0 { // ... never in 1446722
		t.Fatalf("team devices: %v", got)
	}

	srv = start(t, "openshift-vpc-vpe-missing", nil)
	tok = login(t, srv)
	v := vpc(t, srv, "us-south", tok)
	gws, _, err := v.ListEndpointGateways(v.NewListEndpointGatewaysOptions().SetName("iks-oc7399ors85adop9tih2"))
	if err != nil || len(gws.EndpointGateways) != 0 {
		t.Fatalf("gateway must be missing: %v", err)
	}

	srv = start(t, "satellite-failed-worker", nil)
	k = iks(t, srv, login(t, srv))
	ws, _, err := k.GetWorkers1(k.NewGetWorkers1Options("edge-ocp"))
	check(t, err)
	failed := 0
	for _, w := range ws {
		if *w.Lifecycle.ActualState == "provision_failed" && *w.Lifecycle.Message != "" {
			failed++
		}
	}
	c, _, err = k.GetCluster(k.NewGetClusterOptions("edge-ocp"))
	if err != nil || failed != 1 || *c.Provider != "satellite" || len(c.LocationZones) != 3 {
		t.Fatalf("satellite: %d failed, %v", failed, err)
	}
}
