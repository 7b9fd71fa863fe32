package kube

import (
	"encoding/json"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// calicoNodeList is the part of a projectcalico.org/v3 NodeList that the
// check reads (Calico's api/pkg/apis/projectcalico/v3 Node: spec.bgp
// ipv4Address "10.0.0.1/26", spec.orchRefs [{nodeName, orchestrator}]).
// Read as plain JSON: Calico's Go types are not worth a dependency for
// three fields.
type calicoNodeList struct {
	Metadata struct {
		Continue string `json:"continue"`
	} `json:"metadata"`
	Items []calicoNode `json:"items"`
}

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

// decode turns a raw answer into a decoder of its JSON body.
func decode(body []byte, err error) func(v any) error {
	return func(v any) error {
		if err != nil {
			return err
		}
		return json.Unmarshal(body, v)
	}
}
