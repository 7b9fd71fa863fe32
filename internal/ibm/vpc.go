package ibm

import (
	"context"
	"strings"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/vpc-go-sdk/vpcv1"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// VPE looks up the cluster's virtual private endpoint gateway,
// "iks-<cluster ID>", in the cluster's region (seed 000 §vpe-ts), and the
// subnets its workers use, where the gateway must keep a reserved IP.
func (c *Client) VPE(ctx context.Context, cl facts.Cluster, workers []facts.Worker) (facts.VPE, error) {
	var v facts.VPE
	if !isVPC(cl) {
		return v, nil
	}
	zoneOf := map[string]string{} // subnet -> zone, from the workers
	for _, w := range workers {
		if w.Deleted {
			continue
		}
		if w.SubnetID != "" && !contains(v.WorkerSubnets, w.SubnetID) {
			v.WorkerSubnets = append(v.WorkerSubnets, w.SubnetID)
		}
		if w.Zone != "" && !contains(v.WorkerZones, w.Zone) {
			v.WorkerZones = append(v.WorkerZones, w.Zone)
		}
		if w.SubnetID != "" && w.Zone != "" {
			zoneOf[w.SubnetID] = w.Zone
		}
	}
	// The constructor validates its options by walking them with
	// reflection, which would read the shared authenticator's mutex while
	// other reads hold it: construct with a stand-in, then authenticate
	// with the session.
	svc, err := vpcv1.NewVpcV1(&vpcv1.VpcV1Options{URL: c.ep.VPCURL(cl.Region), Authenticator: &core.NoAuthAuthenticator{}})
	if err != nil {
		return v, err
	}
	svc.Service.Options.Authenticator = c.auth
	c.setup(svc.Service)
	opts := svc.NewListEndpointGatewaysOptions()
	opts.SetName("iks-" + cl.ID)
	res, resp, err := svc.ListEndpointGatewaysWithContext(ctx, opts)
	if err != nil {
		return v, readError("vpc: GET /endpoint_gateways", resp, err)
	}
	if res == nil {
		return v, errNoBody("vpc: GET /endpoint_gateways")
	}
	for _, g := range res.EndpointGateways {
		if str(g.Name) != "iks-"+cl.ID {
			continue
		}
		gw := &facts.Gateway{ID: str(g.ID), Name: str(g.Name), State: str(g.LifecycleState), Health: str(g.HealthState)}
		for _, ip := range g.Ips {
			sub := subnetOf(str(ip.Href))
			gw.IPs = append(gw.IPs, facts.GatewayIP{Address: str(ip.Address), SubnetID: sub, Zone: zoneOf[sub]})
		}
		v.Gateway = gw
	}
	// A reserved IP on a subnet no worker uses still serves its zone (a
	// gateway keeps at most one IP per zone: vpc-go-sdk EndpointGateway):
	// read that subnet's zone.
	if v.Gateway != nil {
		for i, ip := range v.Gateway.IPs {
			if ip.Zone != "" || ip.SubnetID == "" {
				continue
			}
			sub, resp, err := svc.GetSubnetWithContext(ctx, svc.NewGetSubnetOptions(ip.SubnetID))
			if err != nil {
				return v, readError("vpc: GET /subnets/{id}", resp, err)
			}
			if sub != nil && sub.Zone != nil {
				v.Gateway.IPs[i].Zone = str(sub.Zone.Name)
			}
		}
	}
	return v, nil
}

// subnetOf reads the subnet id out of a reserved IP's href,
// ".../subnets/<id>/reserved_ips/<id>": the reference carries no other link.
func subnetOf(href string) string {
	_, after, ok := strings.Cut(href, "/subnets/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(after, "/")
	return id
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
