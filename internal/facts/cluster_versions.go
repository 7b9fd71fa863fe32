package facts

import (
	"context"
	"strings"
	"time"
)

// Keys of the version checks and of the reads inside the cluster and on this
// machine.
const (
	KeyVersions    Key = "versions"     // IKS: `ibmcloud ks versions`
	KeyKubectl     Key = "kubectl"      // this machine: `kubectl version --client`
	KeyNodes       Key = "nodes"        // the cluster's API: `kubectl get nodes`
	KeyCalicoNodes Key = "calico-nodes" // the cluster's API: `calicoctl get nodes`
)

// SupportedVersion is one entry of IKS's list of versions
// (container-services-go-sdk: GetVersions, GET /v1/versions, KubeVersion:
// major, minor, patch, default, end_of_service). The list names only the
// versions IKS still supports; an entry with an end of service is deprecated.
type SupportedVersion struct {
	Version      Version // Major.Minor.Patch; no fix pack in this list
	Default      bool
	EndOfService time.Time // zero when none is announced
}

// SupportedVersions are the lists of both products.
type SupportedVersions struct {
	Kubernetes []SupportedVersion
	OpenShift  []SupportedVersion
}

// Of is the list of the product v belongs to.
func (s SupportedVersions) Of(v Version) []SupportedVersion {
	if v.OpenShift {
		return s.OpenShift
	}
	return s.Kubernetes
}

// Find is the entry of v's major.minor, if IKS still lists it.
func (s SupportedVersions) Find(v Version) (SupportedVersion, bool) {
	for _, e := range s.Of(v) {
		if e.Version.Major == v.Major && e.Version.Minor == v.Minor {
			return e, true
		}
	}
	return SupportedVersion{}, false
}

// ParseEOS reads an end-of-support date as IKS writes it (a day, an IKS
// timestamp or RFC 3339); the zero time for "" or anything else.
func ParseEOS(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05-0700", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

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

// NoAccessError is a read of the cluster's API that was not attempted:
// ks-doctor has no kubeconfig context for this cluster. Checks report it as
// skipped with how to get access, never as a failure.
type NoAccessError struct {
	Reason  string // "no-kubeconfig", "other-context", "not-read"
	Context string // the current context, when it points elsewhere
}

func (e *NoAccessError) Error() string {
	if e.Context != "" {
		return "no access to the cluster's Kubernetes API: " + e.Reason + " (current context " + e.Context + ")"
	}
	return "no access to the cluster's Kubernetes API: " + e.Reason
}
