package ibm

import (
	"context"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// SetClusterReader gives the client what reads the cluster's own
// Kubernetes API and this machine's kubectl; without one, those reads are
// not attempted (facts.NoAccessError), so the in-cluster checks are skipped.
// The reader lives in its own package so that commands which never read a
// cluster do not depend on it here.
func (c *Client) SetClusterReader(r facts.ClusterReader) { c.cluster = r }

var errNotRead = &facts.NoAccessError{Reason: "not-read"}

// Kubectl is the local kubectl client's version.
func (c *Client) Kubectl(ctx context.Context) (facts.Kubectl, error) {
	if c.cluster == nil {
		return facts.Kubectl{}, errNotRead
	}
	return c.cluster.Kubectl(ctx)
}

// Nodes lists the cluster's Kubernetes nodes.
func (c *Client) Nodes(ctx context.Context, cl facts.Cluster) ([]facts.Node, error) {
	if c.cluster == nil {
		return nil, errNotRead
	}
	return c.cluster.Nodes(ctx, cl)
}

// CalicoNodes lists the cluster's Calico node objects.
func (c *Client) CalicoNodes(ctx context.Context, cl facts.Cluster) (facts.CalicoNodes, error) {
	if c.cluster == nil {
		return facts.CalicoNodes{}, errNotRead
	}
	return c.cluster.CalicoNodes(ctx, cl)
}
