package sim_test

import (
	"net/http"
	"testing"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/vpc-go-sdk/vpcv1"
)

func TestVPCEndpointGateways(t *testing.T) {
	srv := start(t, "healthy-vpc", nil)
	sc := srv.Scenario()
	tok := login(t, srv)
	svc := vpc(t, srv, "eu-de", tok)
	want := sc.VPCs[0].EndpointGateways[0]

	list, _, err := svc.ListEndpointGateways(svc.NewListEndpointGatewaysOptions())
	check(t, err)
	if len(list.EndpointGateways) != 1 || *list.TotalCount != 1 || list.Next != nil {
		t.Fatalf("gateways: %+v", list)
	}
	g := list.EndpointGateways[0]
	target, _ := g.Target.(*vpcv1.EndpointGatewayTarget)
	if *g.Name != "iks-cl8v2d0f0b4ruc3ua2g0" || *g.ID != want.ID || *g.LifecycleState != "stable" || *g.HealthState != "ok" ||
		len(g.Ips) != 3 || *g.Ips[0].Address != "10.243.0.5" || *g.VPC.Name != "vpc-dev-net" || *g.ResourceGroup.Name != "default" ||
		target == nil || *target.ResourceType != "provider_cloud_service" || *target.CRN != "crn:v1:bluemix:public:containers-kubernetes:eu-de:a/"+sc.Account.ID+":cl8v2d0f0b4ruc3ua2g0::" ||
		len(g.SecurityGroups) != 1 || *g.SecurityGroups[0].Name != "kube-cl8v2d0f0b4ruc3ua2g0" || g.CreatedAt == nil {
		t.Errorf("gateway: %+v", g)
	}
	one, _, err := svc.GetEndpointGateway(svc.NewGetEndpointGatewayOptions(want.ID))
	if err != nil || *one.Name != *g.Name {
		t.Fatalf("get: %v", err)
	}
	ips, _, err := svc.ListEndpointGatewayIps(svc.NewListEndpointGatewayIpsOptions(want.ID))
	if err != nil || len(ips.Ips) != 3 || *ips.Ips[2].Address != "10.243.128.5" || *ips.Ips[0].ResourceType != "subnet_reserved_ip" {
		t.Fatalf("gateway ips: %+v %v", ips, err)
	}
	_, resp, err := svc.GetEndpointGateway(svc.NewGetEndpointGatewayOptions("r010-nope"))
	body := problem(t, resp, err, 404)
	if err.Error() != "Endpoint gateway not found" || body["trace"] == "" {
		t.Errorf("404: %v %v", err, body)
	}
	// Name and lifecycle filters.
	none, _, err := svc.ListEndpointGateways(svc.NewListEndpointGatewaysOptions().SetLifecycleState([]string{"pending", "failed"}))
	if err != nil || len(none.EndpointGateways) != 0 {
		t.Fatalf("lifecycle filter: %+v %v", none, err)
	}
	named, _, err := svc.ListEndpointGateways(svc.NewListEndpointGatewaysOptions().SetName("iks-cl8v2d0f0b4ruc3ua2g0"))
	if err != nil || len(named.EndpointGateways) != 1 {
		t.Fatalf("name filter: %+v %v", named, err)
	}

	// Regional: eu-de's VPC is not served at us-south.
	us := vpc(t, srv, "us-south", tok)
	other, _, err := us.ListEndpointGateways(us.NewListEndpointGatewaysOptions())
	if err != nil || len(other.EndpointGateways) != 0 {
		t.Fatalf("us-south: %+v %v", other, err)
	}
	_, resp, err = us.GetEndpointGateway(us.NewGetEndpointGatewayOptions(want.ID))
	problem(t, resp, err, 404)
}

func TestVPCSubnetsPagingAndReservedIPs(t *testing.T) {
	srv := start(t, "healthy-vpc", nil)
	sc := srv.Scenario()
	svc := vpc(t, srv, "eu-de", login(t, srv))

	// Paging with start/limit and next.href, through the SDK's pager.
	pager, err := svc.NewSubnetsPager(svc.NewListSubnetsOptions().SetLimit(2))
	check(t, err)
	var names []string
	pages := 0
	for pager.HasNext() {
		page, err := pager.GetNext()
		check(t, err)
		pages++
		for _, s := range page {
			names = append(names, *s.Name)
		}
	}
	if pages != 2 || len(names) != 3 || names[2] != "vpc-dev-eu-de-3" {
		t.Fatalf("pages %d, subnets %v", pages, names)
	}
	sn := sc.VPCs[0].Subnets[1]
	got, _, err := svc.GetSubnet(svc.NewGetSubnetOptions(sn.ID))
	if err != nil || *got.Ipv4CIDRBlock != "10.243.64.0/24" || *got.Zone.Name != "eu-de-2" || *got.VPC.ID != sc.VPCs[0].ID ||
		*got.TotalIpv4AddressCount != 256 || *got.AvailableIpv4AddressCount != 250 {
		t.Fatalf("subnet: %+v %v", got, err)
	}
	byZone, _, err := svc.ListSubnets(svc.NewListSubnetsOptions().SetZoneName("eu-de-3"))
	if err != nil || len(byZone.Subnets) != 1 {
		t.Fatalf("zone filter: %v", err)
	}
	rips, _, err := svc.ListSubnetReservedIps(svc.NewListSubnetReservedIpsOptions(sn.ID))
	check(t, err)
	if len(rips.ReservedIps) != 1 || *rips.ReservedIps[0].Address != "10.243.64.5" || *rips.ReservedIps[0].Owner != "user" {
		t.Fatalf("reserved ips: %+v", rips)
	}
	target, _ := rips.ReservedIps[0].Target.(*vpcv1.ReservedIPTarget)
	if target == nil || *target.ResourceType != "endpoint_gateway" || *target.Name != "iks-cl8v2d0f0b4ruc3ua2g0" {
		t.Errorf("reserved ip target: %+v", rips.ReservedIps[0].Target)
	}
	_, resp, err := svc.ListSubnetReservedIps(svc.NewListSubnetReservedIpsOptions("nope"))
	problem(t, resp, err, 404)

	// IKS v2 workers point at their subnet.
	w, _, err := iks(t, srv, login(t, srv)).GetWorkers1(iks(t, srv, login(t, srv)).NewGetWorkers1Options("vpc-dev"))
	if err != nil || *w[1].NetworkInterfaces[0].SubnetID != sn.ID || *w[1].NetworkInterfaces[0].Cidr != "10.243.64.0/24" {
		t.Fatalf("worker interface: %+v %v", w[1].NetworkInterfaces, err)
	}
}

// version and generation are required: a raw request through the VPC
// client's own base service, without them, is a 400 in the VPC shape.
func TestVPCVersionRequired(t *testing.T) {
	srv := start(t, "healthy-vpc", nil)
	svc := vpc(t, srv, "eu-de", login(t, srv))
	for _, q := range []map[string]string{{}, {"version": "2026-06-23"}, {"generation": "2"}} {
		b := core.NewRequestBuilder(core.GET)
		_, err := b.ResolveRequestURL(svc.Service.GetServiceURL(), "/endpoint_gateways", nil)
		check(t, err)
		for k, v := range q {
			b.AddQuery(k, v)
		}
		req, err := b.Build()
		check(t, err)
		var out map[string]any
		resp, err := svc.Service.Request(req, &out)
		if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("%v: want 400, got %v %v", q, resp, err)
		}
		body, _ := resp.Result.(map[string]any)
		errs, _ := body["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["code"] != "bad_request" {
			t.Errorf("%v: %v", q, body)
		}
	}
	// And a bad token is a 401 in the same shape.
	_, resp, err := vpc(t, srv, "eu-de", "not-a-jwt").ListSubnets(svc.NewListSubnetsOptions())
	body := problem(t, resp, err, 401)
	if errs, _ := body["errors"].([]any); len(errs) != 1 {
		t.Errorf("401 body %v", body)
	}
}
