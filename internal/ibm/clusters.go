package ibm

import (
	"context"
	"errors"
	"sort"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"golang.org/x/sync/errgroup"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// classicClusters lists every classic cluster of the account, OpenShift
// ones included, in every region and resource group (no
// X-Auth-Resource-Group header).
func (c *Client) classicClusters(ctx context.Context) ([]facts.Cluster, error) {
	res, resp, err := c.iks.ClassicGetClustersWithContext(ctx, c.iks.NewClassicGetClustersOptions())
	if err != nil {
		return nil, readError("ibmcloud ks cluster ls --provider classic", resp, err)
	}
	out := clustersOf(res, "classic")
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// otherClusters lists the VPC and Satellite clusters of the account, which
// `orphan` does not walk: their workers have no classic device.
func (c *Client) otherClusters(ctx context.Context) ([]facts.Cluster, error) {
	vpcOpts := c.iks.NewVpcGetClustersOptions()
	vpcOpts.SetProvider("vpc-gen2")
	vpc, resp, err := c.iks.VpcGetClustersWithContext(ctx, vpcOpts)
	if err != nil {
		return nil, readError("ibmcloud ks cluster ls --provider vpc-gen2", resp, err)
	}
	sat, resp, err := c.iks.GetSatelliteClustersWithContext(ctx, c.iks.NewGetSatelliteClustersOptions())
	if err != nil {
		return nil, readError("ibmcloud ks cluster ls --provider satellite", resp, err)
	}
	return append(clustersOf(vpc, "vpc-gen2"), clustersOf(sat, "satellite")...), nil
}

func clustersOf(res []kubernetesserviceapiv1.GetClustersResponse, provider string) []facts.Cluster {
	out := make([]facts.Cluster, 0, len(res))
	for _, r := range res {
		cl := facts.Cluster{ID: str(r.ID), Name: str(r.Name), Provider: firstOf(str(r.Provider), provider),
			Type: str(r.Type), Version: str(r.MasterKubeVersion), Region: str(r.Region), Location: str(r.Location),
			ResourceGroupID: str(r.ResourceGroup), ResourceGroupName: str(r.ResourceGroupName), State: str(r.State), WorkerCount: -1}
		if r.WorkerCount != nil {
			cl.WorkerCount = int(*r.WorkerCount)
		}
		out = append(out, cl)
	}
	return out
}

// ClustersIn lists every cluster — classic, VPC and Satellite, OpenShift
// ones included — of the regions and resource groups o chooses, as the
// orphan walk chooses them, by name.
func (c *Client) ClustersIn(ctx context.Context, sess facts.Session, o WalkOptions) ([]facts.Cluster, error) {
	var classic, others []facts.Cluster
	var groups []facts.ResourceGroup
	var errClassic, errOthers error
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { classic, errClassic = c.classicClusters(gctx); return nil })
	g.Go(func() error { others, errOthers = c.otherClusters(gctx); return nil })
	g.Go(func() error { groups, _ = c.ResourceGroups(gctx, sess.AccountID); return nil })
	_ = g.Wait()
	in := walked(sess, o, groups)
	var out []facts.Cluster
	for _, cl := range append(classic, others...) {
		if in(cl) {
			out = append(out, cl)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	// What could be listed is checked; the error says what could not be.
	return out, errors.Join(errClassic, errOthers)
}
