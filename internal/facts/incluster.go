package facts

import "context"

// Kubectl is the kubectl client on this machine.
type Kubectl struct {
	Found   bool   // on the PATH (or where KS_DOCTOR_KUBECTL points)
	Version string // gitVersion, e.g. v1.32.4
	Major   int
	Minor   int
}

// Node is one Kubernetes node object of the cluster.
type Node struct {
	Name       string
	Ready      bool   // condition Ready is True
	WorkerID   string // label ibm-cloud.kubernetes.io/worker-id
	InternalIP string // status.addresses InternalIP
	ExternalIP string // status.addresses ExternalIP
}

// CalicoNode is one Calico node object (projectcalico.org/v3 Node).
type CalicoNode struct {
	Name     string
	NodeName string // spec.orchRefs[].nodeName of orchestrator k8s
	IPv4     string // spec.bgp.ipv4Address without its prefix length
}

// CalicoNodes are the cluster's Calico node objects; Served is false when
// the cluster's API does not serve them (no Calico API server), which is
// not an error: `calicoctl` still reads them.
type CalicoNodes struct {
	Served bool
	Nodes  []CalicoNode
}

// ClusterReader reads what IBM Cloud's APIs do not hold: the cluster's own
// Kubernetes API (read-only) and the kubectl client on this machine. The
// command gives one to the IBM Cloud client (ibm.Client.SetClusterReader).
type ClusterReader interface {
	Kubectl(ctx context.Context) (Kubectl, error)
	Nodes(ctx context.Context, c Cluster) ([]Node, error)
	CalicoNodes(ctx context.Context, c Cluster) (CalicoNodes, error)
}

// NoAccessError is a read of the cluster's API that ks-doctor may not make
// or was refused for who it is, so it says nothing about the cluster: no
// kubeconfig context for this cluster, a sign-in it cannot use, or an
// answer of 401 or 403. Checks report it as skipped with how to get
// access, never as a failure or an unknown.
type NoAccessError struct {
	// Reason is one of "no-kubeconfig", "other-context", "bad-kubeconfig",
	// "token-expired" (the oidc id-token expired and ks-doctor does not
	// spend the refresh token), "unsupported-auth", "unauthorized" (401),
	// "forbidden" (403), "unreachable" (no connection to the API server)
	// or "not-read" (the command reads no cluster).
	Reason  string
	Context string // the current context, when one was found
}

func (e *NoAccessError) Error() string {
	if e.Context != "" {
		return "no access to the cluster's Kubernetes API: " + e.Reason + " (current context " + e.Context + ")"
	}
	return "no access to the cluster's Kubernetes API: " + e.Reason
}
