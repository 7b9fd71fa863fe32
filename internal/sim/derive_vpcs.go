package sim

import (
	"fmt"
	"strings"
)

// deriveVPCs fills VPC, subnet and gateway ids and adds each gateway IP to
// its subnet's reserved IPs, where the VPC API lists it too.
func (sc *Scenario) deriveVPCs() {
	for i := range sc.VPCs {
		v := &sc.VPCs[i]
		def(&v.ID, fmt.Sprintf("r%03d-%s", 6+hashN(v.Region, 10), uuidFrom("vpc/"+v.Region+"/"+v.Name)))
		for j := range v.Subnets {
			sn := &v.Subnets[j]
			def(&sn.ID, zonePrefix(sn.Zone)+"-"+uuidFrom("subnet/"+v.ID+"/"+sn.Name))
		}
		for j := range v.EndpointGateways {
			g := &v.EndpointGateways[j]
			if g.Cluster != "" {
				if cl := sc.Cluster(g.Cluster); cl != nil {
					g.Cluster = cl.ID
				}
				def(&g.Name, "iks-"+g.Cluster)
			}
			def(&g.ID, fmt.Sprintf("r%03d-%s", 6+hashN(v.Region, 10), uuidFrom("vpe/"+v.ID+"/"+g.Name)))
			def(&g.State, "stable")
			def(&g.Health, gatewayHealth(g.State))
			def(&g.CreatedAt, "2025-02-03T11:52:40Z")
			for k := range g.IPs {
				gip := &g.IPs[k]
				sn := v.subnet(gip.Subnet)
				def(&gip.Name, fmt.Sprintf("%s-ip-%d", g.Name, k+1))
				sn.ReservedIPs = append(sn.ReservedIPs, ReservedIP{Name: gip.Name, Address: gip.Address, Gateway: g.ID})
			}
		}
		for j := range v.Subnets {
			sn := &v.Subnets[j]
			for k := range sn.ReservedIPs {
				r := &sn.ReservedIPs[k]
				def(&r.ID, zonePrefix(sn.Zone)+"-"+uuidFrom("rip/"+sn.ID+"/"+r.Address))
				def(&r.Name, "reserved-"+strings.ReplaceAll(r.Address, ".", "-"))
				def(&r.Owner, "user")
			}
		}
	}
}

// gatewayHealth is the health_state the VPC API reports for a lifecycle
// state: only a stable gateway is "ok"; one that is not serving is
// "inapplicable".
func gatewayHealth(state string) string {
	switch state {
	case "stable":
		return "ok"
	case "updating", "suspended":
		return "degraded"
	}
	return "inapplicable"
}

// zonePrefix gives the 4-character prefix VPC ids carry per zone
// (us-south-1 → 0717 in production); the simulator derives a stable one.
func zonePrefix(zone string) string {
	return fmt.Sprintf("0%d%d7", hashN("zone/"+zone, 10), hashN("zone2/"+zone, 10))
}

func (v *VPC) subnet(nameOrID string) *Subnet {
	for i := range v.Subnets {
		if v.Subnets[i].Name == nameOrID || v.Subnets[i].ID == nameOrID {
			return &v.Subnets[i]
		}
	}
	return nil
}
