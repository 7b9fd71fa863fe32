package ibm

import (
	"context"
	"strings"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/vpc-go-sdk/vpcv1"
	"golang.org/x/sync/errgroup"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// VPE looks up the cluster's virtual private endpoint gateway,
// "iks-<cluster ID>", in the cluster's region (seed 000 §vpe-ts), with the
// zone of each of its reserved IPs. The gateway and the region's subnets are
// listed side by side: nothing here waits for the workers, whose zones the
// check compares with these.
func (c *Client) VPE(ctx context.Context, cl facts.Cluster) (facts.VPE, error) {
	var v facts.VPE
	if !isVPC(cl) {
		return v, nil
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
	var gateways []vpcv1.EndpointGateway
	zoneOf := map[string]string{}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		opts := svc.NewListEndpointGatewaysOptions()
		opts.SetName("iks-" + cl.ID)
		res, resp, err := svc.ListEndpointGatewaysWithContext(gctx, opts)
		if err := failed("vpc: GET /endpoint_gateways", resp, err, res == nil); err != nil {
			return err
		}
		gateways = res.EndpointGateways
		return nil
	})
	g.Go(func() error {
		opts := svc.NewListSubnetsOptions()
		opts.SetLimit(100)
		for range maxPages {
			res, resp, err := svc.ListSubnetsWithContext(gctx, opts)
			if err := failed("vpc: GET /subnets", resp, err, res == nil); err != nil {
				return err
			}
			for _, sub := range res.Subnets {
				if sub.Zone != nil {
					zoneOf[str(sub.ID)] = str(sub.Zone.Name)
				}
			}
			next := ""
			if res.Next != nil {
				next = nextParam(str(res.Next.Href), "start")
			}
			if next == "" || len(res.Subnets) == 0 {
				return nil
			}
			opts.SetStart(next)
		}
		return errTooManyPages("vpc: GET /subnets")
	})
	if err := g.Wait(); err != nil {
		return v, err
	}
	for _, gw := range gateways {
		if str(gw.Name) != "iks-"+cl.ID {
			continue
		}
		fg := &facts.Gateway{ID: str(gw.ID), Name: str(gw.Name), State: str(gw.LifecycleState), Health: str(gw.HealthState)}
		for _, ip := range gw.Ips {
			sub := subnetOf(str(ip.Href))
			fg.IPs = append(fg.IPs, facts.GatewayIP{Address: str(ip.Address), SubnetID: sub, Zone: zoneOf[sub]})
		}
		v.Gateway = fg
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
