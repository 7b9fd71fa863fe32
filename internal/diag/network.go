package diag

import (
	"slices"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/catalog"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

const DocVPE = "https://cloud.ibm.com/docs/containers?topic=containers-cluster_infra_errors#vpe-ts"

var vpcVPEGateway = Check{
	ID: "vpc.vpe-gateway", Category: "network", Seed: "000",
	Needs: []facts.Key{facts.KeyVPE, facts.KeyWorkers},
	Reads: []string{"vpc: GET /endpoint_gateways", "ibmcloud ks worker ls"},
	Doc:   DocVPE, Scope: ClusterScope, Infra: []string{facts.InfraVPC},
	Judge: judgeVPE,
}

// Seed 000 §vpe-ts: the gateway iks-<cluster ID> must exist and be stable;
// missing → refresh the master (which re-creates it); not stable → support
// case; stable → security groups. It must keep a reserved IP in every zone
// that has workers, or those workers lose the master. Coverage is judged
// per zone: a gateway holds at most one reserved IP per zone (vpc-go-sdk
// EndpointGateway), so a second worker subnet of a zone never has its own.
func judgeVPE(s *facts.Set) []Finding {
	c := s.Cluster.Value
	for _, err := range []error{s.VPE.Err, s.Workers.Err} {
		if err != nil {
			return []Finding{unknownRead(err)}
		}
	}
	v := s.VPE.Value
	p := map[string]string{"cluster": c.Name, "clusterID": c.ID, "gateway": "iks-" + c.ID, "region": c.Region}
	refresh := []string{cmd("ibmcloud", "ks", "cluster", "master", "refresh", "-c", c.Name), "ibmcloud is endpoint-gateways"}
	if v.Gateway == nil {
		// The VPC API lists only the gateways this caller may view (a Viewer
		// role on VPE, docs vpc-vpe-iam), so an empty answer alone proves
		// nothing: the gateway is missing for sure when a worker reports
		// what seed 000 gives as the symptom of it.
		if !workersReport(s.Workers.Value, "vpe_endpoint") {
			return []Finding{{Status: Unknown, Key: "vpc.vpe-gateway.not-visible", Params: p, Actor: User,
				Fix: []string{"ibmcloud is endpoint-gateways"}}}
		}
		return []Finding{{Status: Fail, Key: "vpc.vpe-gateway.missing", Params: p, Actor: User, Fix: refresh}}
	}
	g := v.Gateway
	p["state"] = g.State
	if !strings.EqualFold(g.State, "stable") {
		return []Finding{{Status: Fail, Key: "vpc.vpe-gateway.not-stable", Params: p, Actor: User, Subject: g.Name,
			Fix: []string{cmd("ibmcloud", "is", "endpoint-gateway", g.ID), cmd("ibmcloud", "ks", "cluster", "get", "-c", c.Name)}}}
	}
	var covered []string
	for _, ip := range g.IPs {
		if ip.Zone == "" {
			// The zone of an IP could not be read: coverage cannot be
			// judged, and a missing zone is no evidence.
			return []Finding{{Status: Unknown, Key: "vpc.vpe-gateway.zone-unknown", Params: merge(p, map[string]string{"subnet": ip.SubnetID})}}
		}
		covered = append(covered, ip.Zone)
	}
	var bare []string
	for _, w := range s.Workers.Value {
		if !w.Deleted && w.Zone != "" && !slices.Contains(covered, w.Zone) && !slices.Contains(bare, w.Zone) {
			bare = append(bare, w.Zone)
		}
	}
	if len(bare) > 0 {
		p["zones"] = strings.Join(bare, ", ")
		return []Finding{{Status: Fail, Key: "vpc.vpe-gateway.ips-missing", Params: p, Actor: User, Subject: g.Name, Fix: refresh}}
	}
	return []Finding{{Status: OK, Key: "vpc.vpe-gateway.ok", Params: p}}
}

// workersReport says whether a live worker's message is a known error of
// the catalog topic: positive evidence from IKS itself.
func workersReport(workers []facts.Worker, topic string) bool {
	for _, w := range workers {
		if w.Deleted || !hasMessage(w) {
			continue
		}
		for _, h := range catalog.Match(w.Message) {
			if h.Entry.Topic == topic {
				return true
			}
		}
	}
	return false
}
