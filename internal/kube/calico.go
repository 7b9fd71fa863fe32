package kube

import (
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// calicoNode is the part of a projectcalico.org/v3 Node that the check
// reads (Calico's api/pkg/apis/projectcalico/v3 Node: spec.bgp
// ipv4Address "10.0.0.1/26", spec.orchRefs [{nodeName, orchestrator}]),
// one item of a page (pages.go). Read as plain JSON: Calico's Go types are
// not worth a dependency for three fields.
type calicoNode struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		BGP *struct {
			IPv4Address string `json:"ipv4Address"`
		} `json:"bgp"`
		OrchRefs []struct {
			NodeName     string `json:"nodeName"`
			Orchestrator string `json:"orchestrator"`
		} `json:"orchRefs"`
	} `json:"spec"`
}

func (n calicoNode) fact() facts.CalicoNode {
	f := facts.CalicoNode{Name: n.Metadata.Name}
	if n.Spec.BGP != nil {
		f.IPv4, _, _ = strings.Cut(n.Spec.BGP.IPv4Address, "/")
	}
	for _, o := range n.Spec.OrchRefs {
		if o.Orchestrator == "" || strings.EqualFold(o.Orchestrator, "k8s") {
			f.NodeName = o.NodeName
			break
		}
	}
	return f
}
