package kube

import "github.com/ks-doctor/ks-doctor/internal/facts"

// node is the part of a core/v1 Node that nodes.duplicate reads, one item
// of a page (pages.go), decoded as plain JSON rather than through
// k8s.io/api's types so that the plug-in does not link (and initialise on
// every start) the whole core API group for five fields. The simulator's
// contract test decodes the same answers through client-go's typed
// clientset.
type node struct {
	Metadata struct {
		Name   string            `json:"name"`
		Labels map[string]string `json:"labels"`
	} `json:"metadata"`
	Status struct {
		Conditions []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
		} `json:"conditions"`
		Addresses []struct {
			Type    string `json:"type"`
			Address string `json:"address"`
		} `json:"addresses"`
	} `json:"status"`
}

// workerIDLabel is the label IKS puts on each node with its worker's ID.
const workerIDLabel = "ibm-cloud.kubernetes.io/worker-id"

// fact keeps what the checks read. The condition and address type names
// are core/v1's (NodeReady, ConditionTrue, NodeInternalIP, NodeExternalIP).
func (n node) fact() facts.Node {
	fn := facts.Node{Name: n.Metadata.Name, WorkerID: n.Metadata.Labels[workerIDLabel]}
	for _, c := range n.Status.Conditions {
		if c.Type == "Ready" {
			fn.Ready = c.Status == "True"
		}
	}
	for _, a := range n.Status.Addresses {
		switch a.Type {
		case "InternalIP":
			fn.InternalIP = a.Address
		case "ExternalIP":
			fn.ExternalIP = a.Address
		}
	}
	return fn
}
