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
	for _, w := range workers {
		if !w.Deleted && w.SubnetID != "" && !contains(v.WorkerSubnets, w.SubnetID) {
			v.WorkerSubnets = append(v.WorkerSubnets, w.SubnetID)
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
	for _, g := range res.EndpointGateways {
		if str(g.Name) != "iks-"+cl.ID {
			continue
		}
		gw := &facts.Gateway{ID: str(g.ID), Name: str(g.Name), State: str(g.LifecycleState), Health: str(g.HealthState)}
		for _, ip := range g.Ips {
			gw.IPs = append(gw.IPs, facts.GatewayIP{Address: str(ip.Address), SubnetID: subnetOf(str(ip.Href))})
		}
		v.Gateway = gw
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
