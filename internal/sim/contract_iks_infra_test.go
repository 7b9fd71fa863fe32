package sim_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
)

func TestIKSWorkerGet(t *testing.T) {
	srv := start(t, "worker-states", nil)
	svc := iks(t, srv, login(t, srv))
	cl := srv.Scenario().Cluster("states")
	stuck := cl.Workers[2] // deploying since 2024-01-15
	w, _, err := svc.GetWorkers(svc.NewGetWorkersOptions("states", stuck.ID))
	check(t, err)
	if *w.ID != stuck.ID || *w.State != "deploying" || *w.Status != "Deploying: Installing kubelet" || *w.StatusDate != "2024-01-15T09:00:00+0000" ||
		*w.PrivateIP != "10.176.90.13" || *w.PrivateVlan != "2918270" || *w.Location != "dal10" || !strings.HasPrefix(*w.Poolid, cl.ID+"-") {
		t.Errorf("v1 worker: %+v", w)
	}
	failed := cl.Workers[5]
	v2, _, err := svc.GetWorker(svc.NewGetWorkerOptions(cl.ID, failed.ID))
	check(t, err)
	if *v2.Health.State != "provision_failed" || *v2.Lifecycle.ActualState != "provision_failed" || *v2.Lifecycle.Message != failed.Message ||
		*v2.Lifecycle.MessageDate != failed.StatusDate || *v2.PoolName != "default" {
		t.Errorf("v2 worker: %+v %+v", v2.Health, v2.Lifecycle)
	}
	// Unknown worker: the real 404 E0011 (seed 001, `worker get` after `worker rm`).
	_, resp, err := svc.GetWorkers(svc.NewGetWorkersOptions("states", "kube-nope"))
	ikscode(t, resp, err, 404, "E0011")
	_, resp, err = svc.GetWorker(svc.NewGetWorkerOptions("states", "kube-nope"))
	ikscode(t, resp, err, 404, "E0011")
	if d := resp.Result.(map[string]any)["description"]; d != "The specified worker node could not be found." {
		t.Errorf("E0011 description %q", d)
	}
	// Per-provider v2 lists with the pool filter.
	classic, _, err := svc.ClassicGetWorkers(svc.NewClassicGetWorkersOptions("states").SetPool("default"))
	if err != nil || len(classic) != len(cl.Workers) {
		t.Fatalf("classic workers: %d %v", len(classic), err)
	}
}

func TestIKSWorkerPools(t *testing.T) {
	srv := start(t, "vlan-reclaimed", nil)
	svc := iks(t, srv, login(t, srv))
	v1, _, err := svc.GetWorkerPools(svc.NewGetWorkerPoolsOptions("batch"))
	check(t, err)
	if len(v1) != 1 || *v1[0].Name != "default" || *v1[0].SizePerZone != 2 || *v1[0].MachineType != "b3c.4x16" || len(v1[0].Zones) != 1 {
		t.Fatalf("v1 pools: %+v", v1)
	}
	// Default key case privateVlan: the SDK, which reads privateVLAN, sees nil
	// (reference §14.1); the raw body has the ids.
	if z := v1[0].Zones[0]; *z.ID != "dal10" || z.PrivateVLAN != nil || *z.WorkerCount != 1 { // the failed resize
		t.Errorf("v1 zone: %+v", z)
	}
	v2, _, err := svc.GetWorkerPools1(svc.NewGetWorkerPools1Options("batch"))
	if err != nil || len(v2) != 1 || *v2[0].ID != *v1[0].ID || *v2[0].Flavor != "b3c.4x16" || v2[0].Zones[0].PrivateVLAN != nil {
		t.Fatalf("v2 pools: %+v %v", v2, err)
	}
	one, _, err := svc.GetWorkerPool1(svc.NewGetWorkerPool1Options("batch", "default"))
	if err != nil || *one.ID != *v1[0].ID {
		t.Fatalf("v1 pool by name: %+v %v", one, err)
	}
	v2one, _, err := svc.GetWorkerPool(svc.NewGetWorkerPoolOptions("batch", *v1[0].ID))
	if err != nil || *v2one.PoolName != "default" || *v2one.Provider != "classic" || *v2one.Lifecycle.ActualState != "active" {
		t.Fatalf("v2 pool by id: %+v %v", v2one, err)
	}
	_, resp, err := svc.GetWorkerPool1(svc.NewGetWorkerPool1Options("batch", "nope"))
	ikscode(t, resp, err, 404, "SIM404")

	// The knob: privateVLAN, which the SDK decodes.
	data, err := os.ReadFile("scenarios/vlan-reclaimed.yaml")
	check(t, err)
	path := filepath.Join(t.TempDir(), "upper.yaml")
	check(t, os.WriteFile(path, append(data, []byte("wire: {poolZoneVlanKeys: privateVLAN}\n")...), 0o600))
	srv = start(t, path, nil)
	svc = iks(t, srv, login(t, srv))
	v2, _, err = svc.GetWorkerPools1(svc.NewGetWorkerPools1Options("batch"))
	check(t, err)
	if len(v2) != 1 || *v2[0].Zones[0].PrivateVLAN != "2918270" || *v2[0].Zones[0].PublicVLAN != "2918268" || *v2[0].WorkerCount != 2 {
		t.Fatalf("v2 pools with privateVLAN: %+v", v2)
	}
}

func TestIKSClusterSubnetsAndVLANs(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	svc := iks(t, srv, login(t, srv))
	subnets, _, err := svc.GetClusterSubnets(svc.NewGetClusterSubnetsOptions("mycluster"))
	check(t, err)
	if len(subnets) != 2 || *subnets[0].ID != "2918270" || *subnets[0].Zone != "dal10" || *subnets[0].Region != "us-south" ||
		*subnets[0].Subnets[0].Cidr != "10.176.43.192/26" || *subnets[0].Subnets[0].IsPublic || !*subnets[1].Subnets[0].IsPublic {
		t.Fatalf("subnets: %+v", subnets)
	}
	vlans, _, err := svc.GetDatacenterVLANs(svc.NewGetDatacenterVLANsOptions("unused-refresh-token", "dal10"))
	check(t, err)
	var ids []string
	for _, v := range vlans {
		ids = append(ids, *v.ID+"/"+*v.Type)
		if *v.Properties.PrimaryRouter == "" || len(*v.Properties.VlanNumber) < 3 {
			t.Errorf("vlan %+v", v.Properties)
		}
	}
	if strings.Join(ids, ",") != "2918270/private,2918268/public" {
		t.Errorf("zone VLANs %v", ids)
	}
}

func TestIKSCredentials(t *testing.T) {
	srv := start(t, "manual-credentials-other-account", nil)
	sc := srv.Scenario()
	svc := iks(t, srv, login(t, srv))
	teamA, def := sc.GroupByName("team-a").ID, sc.GroupByName("default").ID

	// Set for us-south + team-a ...
	creds, _, err := svc.GetUserCredentials(svc.NewGetUserCredentialsOptions("us-south").SetHeaders(map[string]string{"X-Auth-Resource-Group": teamA}))
	if err != nil || *creds.ApiUser != "1446722_bob.smith@example.com" {
		t.Fatalf("credentials: %+v %v", creds, err)
	}
	// ... not for the default group, which is also what no header means.
	for _, h := range []map[string]string{{"X-Auth-Resource-Group": def}, nil} {
		_, resp, err := svc.GetUserCredentials(svc.NewGetUserCredentialsOptions("us-south").SetHeaders(h))
		ikscode(t, resp, err, 404, "E0051")
		if d := resp.Result.(map[string]any)["description"]; d != "The user credentials could not be found." {
			t.Errorf("E0051 description %q", d)
		}
	}
	cfg, _, err := svc.GetUserConfig(svc.NewGetUserConfigOptions("us-south").SetHeaders(map[string]string{"X-Auth-Resource-Group": teamA}))
	if err != nil || !*cfg.StoredIaasCredentials || *cfg.FreeEnabled {
		t.Fatalf("user config: %+v %v", cfg, err)
	}
	cfg, _, err = svc.GetUserConfig(svc.NewGetUserConfigOptions("eu-de"))
	if err != nil || *cfg.StoredIaasCredentials {
		t.Fatalf("user config eu-de: %+v %v", cfg, err)
	}
	// The infrastructure in use is Bob's account, not the linked one.
	perm, _, err := svc.GetInfraPermissions(svc.NewGetInfraPermissionsOptions("us-south").SetXAuthResourceGroup(teamA))
	if err != nil || *perm.Account != "1446722" || *perm.AccountType != "iaas" || perm.VirtualWorkerManagerPermissions.Required.Insufficient != nil {
		t.Fatalf("infra permissions: %+v %v", perm, err)
	}
}

func TestIKSInfraPermissionsAndKeyOwner(t *testing.T) {
	srv := start(t, "apikey-permissions", nil)
	sc := srv.Scenario()
	svc := iks(t, srv, login(t, srv))
	teamA := sc.GroupByName("team-a").ID

	owner, _, err := svc.GetClusterKeyOwner(svc.NewGetClusterKeyOwnerOptions("permcluster").SetXAuthResourceGroupID(teamA))
	if err != nil || *owner.ID != "IBMid-6600071XYZ" || *owner.Email != "raj.patel@example.com" || *owner.Name != "Raj Patel" {
		t.Fatalf("key owner: %+v %v", owner, err)
	}
	// The group header scopes the cluster lookup like every cluster call.
	_, resp, err := svc.GetClusterKeyOwner(svc.NewGetClusterKeyOwnerOptions("permcluster").SetXAuthResourceGroupID(sc.GroupByName("default").ID))
	ikscode(t, resp, err, 404, "G0004")

	perm, _, err := svc.GetInfraPermissions(svc.NewGetInfraPermissionsOptions("us-south").SetXAuthResourceGroup(teamA))
	check(t, err)
	vw := perm.VirtualWorkerManagerPermissions
	if *perm.Account != "2093847" || *perm.AccountType != "linked" || !*vw.Required.Insufficient ||
		!slices.Equal(vw.Required.MissingPermissions, []string{"IPMI Remote Management", "Add Server", "Cancel Server", "OS Reloads and Rescue Kernel"}) ||
		!*vw.Recommended.Insufficient || !slices.Contains(vw.Recommended.MissingPermissions, "Access All Virtual Servers") {
		t.Fatalf("infra permissions: %+v %+v", vw.Required, vw.Recommended)
	}
	// Support cases are allowed: nothing required is missing for storage.
	if st := perm.StorageManagerPermissions; st.Required.Insufficient != nil || !*st.Recommended.Insufficient {
		t.Errorf("storage: %+v %+v", st.Required, st.Recommended)
	}
	// The default group has no key: the session user's own (complete) permissions apply.
	full, _, err := svc.GetInfraPermissions(svc.NewGetInfraPermissionsOptions("us-south"))
	if err != nil || full.VirtualWorkerManagerPermissions.Required.Insufficient != nil || full.NetworkManagerPermissions.Recommended.Insufficient != nil {
		t.Fatalf("default group: %+v %v", full, err)
	}
	// A region that is not one is a bad request.
	_, resp, err = svc.GetInfraPermissions(svc.NewGetInfraPermissionsOptions("mars-1"))
	ikscode(t, resp, err, 400, "SIM400")
}

func TestIKSDenied(t *testing.T) {
	data, err := os.ReadFile("scenarios/healthy-classic.yaml")
	check(t, err)
	path := filepath.Join(t.TempDir(), "denied.yaml")
	denied := strings.Replace(string(data), "    imsUserId: 7283641\n", "    imsUserId: 7283641\n    denied: [infra-permissions, credentials, api-key-info, vlans]\n", 1)
	check(t, os.WriteFile(path, []byte(denied), 0o600))
	srv := start(t, path, nil)
	svc := iks(t, srv, login(t, srv))
	_, resp, err := svc.GetInfraPermissions(svc.NewGetInfraPermissionsOptions("us-south"))
	ikscode(t, resp, err, 403, "SIM403")
	_, resp, err = svc.GetUserCredentials(svc.NewGetUserCredentialsOptions("us-south"))
	ikscode(t, resp, err, 403, "SIM403")
	_, resp, err = svc.GetClusterKeyOwner(svc.NewGetClusterKeyOwnerOptions("mycluster"))
	ikscode(t, resp, err, 403, "SIM403")
	_, resp, err = svc.GetDatacenterVLANs(svc.NewGetDatacenterVLANsOptions("x", "dal10"))
	ikscode(t, resp, err, 403, "SIM403")
	if body := resp.Result.(map[string]any); body["type"] != "Authorization" {
		t.Errorf("403 body %v", body)
	}
	// Clusters stay readable.
	if _, _, err := svc.GetCluster(&kubernetesserviceapiv1.GetClusterOptions{Cluster: ptr("mycluster")}); err != nil {
		t.Fatal(err)
	}
}
