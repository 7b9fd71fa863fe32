package sim_test

// The remaining read endpoints: per-provider IKS variants, single-object
// getters of IAM, SoftLayer and VPC.

import (
	"strings"
	"testing"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/softlayer/softlayer-go/services"
)

func TestIKSProviderVariants(t *testing.T) {
	srv := start(t, "worker-messages", nil)
	svc := iks(t, srv, login(t, srv))
	vc, _, err := svc.VpcGetCluster(svc.NewVpcGetClusterOptions("msgs-vpc"))
	if err != nil || *vc.ID != "n6ssfc5h74u6jplpn4cr" || *vc.Provider != "vpc-gen2" {
		t.Fatalf("vpc cluster: %+v %v", vc, err)
	}
	vws, _, err := svc.VpcGetWorkers(svc.NewVpcGetWorkersOptions("msgs-vpc"))
	if err != nil || len(vws) != 2 {
		t.Fatalf("vpc workers: %v", err)
	}
	vw, _, err := svc.VpcGetWorker(svc.NewVpcGetWorkerOptions("msgs-vpc", *vws[0].ID))
	if err != nil || *vw.Lifecycle.Message != "Pending endpoint gateway creation" || *vw.NetworkInterfaces[0].SubnetID == "" {
		t.Fatalf("vpc worker: %+v %v", vw, err)
	}
	cl := srv.Scenario().Cluster("msgs")
	cw, _, err := svc.ClassicGetWorker(svc.NewClassicGetWorkerOptions("msgs", cl.Workers[0].ID))
	if err != nil || *cw.Lifecycle.Message != cl.Workers[0].Message {
		t.Fatalf("classic worker: %+v %v", cw, err)
	}
	// The SDK types these pool lists as one object; the server sends an
	// array, which a raw request through the same client decodes.
	if _, _, err := svc.ClassicGetWorkerPools(svc.NewClassicGetWorkerPoolsOptions("msgs")); err == nil {
		t.Error("ClassicGetWorkerPools decoded an array into one object")
	}
	for _, path := range []string{"/v2/classic/getWorkerPools", "/v2/vpc/getWorkerPools"} {
		b := core.NewRequestBuilder(core.GET)
		_, err := b.ResolveRequestURL(svc.Service.GetServiceURL(), path, nil)
		check(t, err)
		b.AddQuery("cluster", "msgs")
		req, err := b.Build()
		check(t, err)
		var pools []map[string]any
		if _, err := svc.Service.Request(req, &pools); err != nil || len(pools) != 1 || pools[0]["poolName"] != "default" {
			t.Errorf("%s: %v %v", path, pools, err)
		}
	}
}

func TestSingleObjectGetters(t *testing.T) {
	srv := start(t, "apikey-permissions", nil)
	sc := srv.Scenario()
	tok := login(t, srv)

	id := identity(t, srv, tok)
	raj := sc.APIKeys[0].ID
	k, _, err := id.GetAPIKey(id.NewGetAPIKeyOptions(raj))
	if err != nil || *k.Name != "containers-kubernetes-key" || *k.IamID != "IBMid-6600071XYZ" {
		t.Fatalf("api key: %+v %v", k, err)
	}
	ag := groups(t, srv, tok)
	g, _, err := ag.GetAccessGroup(ag.NewGetAccessGroupOptions(sc.AccessGroups[0].ID))
	if err != nil || *g.Name != "k8s-operators" || *g.AccountID != sc.Account.ID {
		t.Fatalf("access group: %+v %v", g, err)
	}
	_, resp, err := ag.GetAccessGroup(ag.NewGetAccessGroupOptions("AccessGroupId-nope"))
	problem(t, resp, err, 404)

	// COE account by id, through the account client's core.
	am := accounts(t, srv, tok)
	b := core.NewRequestBuilder(core.GET)
	_, err = b.ResolveRequestURL(am.Service.GetServiceURL(), "/coe/v2/accounts/"+sc.Account.ID, nil)
	check(t, err)
	req, err := b.Build()
	check(t, err)
	var coe struct {
		Metadata struct{ GUID string }
		Entity   struct{ Name, Type string }
	}
	if _, err := am.Service.Request(req, &coe); err != nil || coe.Metadata.GUID != sc.Account.ID || coe.Entity.Type != "PAYG" {
		t.Fatalf("coe account: %+v %v", coe, err)
	}

	sess := slBearer(srv, tok)
	vlan, err := services.GetNetworkVlanService(sess).Id(2918268).GetObject()
	if err != nil || *vlan.NetworkSpace != "PUBLIC" || !strings.HasPrefix(*vlan.PrimaryRouter.Hostname, "fcr01a.") {
		t.Fatalf("vlan: %+v %v", vlan, err)
	}
	u, err := services.GetUserCustomerService(sess).Id(7290112).GetObject()
	if err != nil || *u.Username != "2093847_raj.patel@example.com" || len(u.Permissions) != 5 {
		t.Fatalf("user: %+v %v", u, err)
	}
	_, err = services.GetHardwareService(sess).Id(1234567).GetObject()
	slErr(t, err, 404, "SoftLayer_Exception_ObjectNotFound")

	srv = start(t, "bare-metal-id-changed", nil)
	hw, err := services.GetHardwareService(slBearer(srv, login(t, srv))).Id(2784013).GetObject()
	if err != nil || *hw.Hostname != "kube-rthimro7qtbm0soojrdb-metal-baremet-00000282" || *hw.PrimaryBackendIpAddress != "10.176.120.12" {
		t.Fatalf("hardware: %+v %v", hw, err)
	}
}

func TestVPCs(t *testing.T) {
	srv := start(t, "vpe-missing", nil)
	svc := vpc(t, srv, "us-south", login(t, srv))
	list, _, err := svc.ListVpcs(svc.NewListVpcsOptions())
	check(t, err)
	if len(list.Vpcs) != 1 || *list.Vpcs[0].Name != "shop-vpc-net" {
		t.Fatalf("vpcs: %+v", list)
	}
	v, _, err := svc.GetVPC(svc.NewGetVPCOptions(*list.Vpcs[0].ID))
	if err != nil || *v.ResourceGroup.Name != "default" {
		t.Fatalf("vpc: %+v %v", v, err)
	}
	subnets, _, err := svc.ListSubnets(svc.NewListSubnetsOptions().SetVPCID(*v.ID))
	if err != nil || len(subnets.Subnets) != 2 {
		t.Fatalf("subnets of the VPC: %v", err)
	}
	// The COS gateway's reserved IP is not one of an iks- gateway.
	rips, _, err := svc.ListSubnetReservedIps(svc.NewListSubnetReservedIpsOptions(*subnets.Subnets[0].ID))
	if err != nil || len(rips.ReservedIps) != 1 || *rips.ReservedIps[0].Address != "10.240.0.9" {
		t.Fatalf("reserved ips: %+v %v", rips, err)
	}
}
