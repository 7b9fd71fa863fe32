package sim

import (
	"fmt"
	"net"
	"strings"
)

// vpcsSection checks the VPCs, their subnets and endpoint gateways.
func (v *validation) vpcsSection() {
	for i, vp := range v.sc.VPCs {
		p := fmt.Sprintf("vpcs[%d]", i)
		if vp.Name == "" {
			v.add(p+".name", "required")
		}
		v.region(p+".region", vp.Region, true)
		v.group(p+".resourceGroup", vp.ResourceGroup, true)
		subnets := map[string]*net.IPNet{} // by name and id
		for j, sn := range vp.Subnets {
			sp := fmt.Sprintf("%s.subnets[%d]", p, j)
			if sn.Name == "" {
				v.add(sp+".name", "required")
			}
			if !strings.HasPrefix(sn.Zone, vp.Region+"-") {
				v.add(sp+".zone", "want a zone of %s such as %s-1, got %q", vp.Region, vp.Region, sn.Zone)
			}
			_, cidr, err := net.ParseCIDR(sn.CIDR)
			if err != nil {
				v.add(sp+".cidr", "not a CIDR block: %q", sn.CIDR)
				continue
			}
			for _, k := range []string{sn.Name, sn.ID} {
				if k != "" {
					subnets[k] = cidr
				}
			}
			for k, r := range sn.ReservedIPs {
				rp := fmt.Sprintf("%s.reservedIPs[%d]", sp, k)
				if ip := net.ParseIP(r.Address); ip == nil || !cidr.Contains(ip) {
					v.add(rp+".address", "want an address in %s, got %q", sn.CIDR, r.Address)
				}
				v.enum(rp+".owner", r.Owner, ipOwners)
			}
		}
		for j, g := range vp.EndpointGateways {
			gp := fmt.Sprintf("%s.endpointGateways[%d]", p, j)
			if g.Name == "" && g.Cluster == "" {
				v.add(gp+".name", "required unless cluster is set")
			}
			if g.Cluster != "" && !v.clusters[g.Cluster] {
				v.add(gp+".cluster", "unknown cluster %q", g.Cluster)
			}
			v.enum(gp+".state", g.State, gatewayStates)
			v.enum(gp+".health", g.Health, gatewayHealths)
			for k, gip := range g.IPs {
				ipp := fmt.Sprintf("%s.ips[%d]", gp, k)
				cidr, ok := subnets[gip.Subnet]
				if !ok {
					v.add(ipp+".subnet", "unknown subnet %q in this VPC", gip.Subnet)
				} else if ip := net.ParseIP(gip.Address); ip == nil || !cidr.Contains(ip) {
					v.add(ipp+".address", "want an address in %s, got %q", cidr, gip.Address)
				}
			}
		}
		v.gatewayZones(p, vp)
	}
}

// gatewayZones refuses a VPE gateway holding two reserved IPs in one zone:
// "At most one reserved IP per zone is allowed" (vpc-go-sdk vpcv1
// EndpointGateway.Ips / AddEndpointGatewayIP docs; ibm-cloud-docs
// containers cluster-access-vpe). p is the VPC's path.
func (v *validation) gatewayZones(p string, vp VPC) {
	zoneOf := map[string]string{} // subnet name or id → zone, even where the CIDR is bad
	for _, sn := range vp.Subnets {
		for _, k := range []string{sn.Name, sn.ID} {
			if k != "" {
				zoneOf[k] = sn.Zone
			}
		}
	}
	for j, g := range vp.EndpointGateways {
		name := orDefault(g.Name, "iks-"+g.Cluster)
		seen := map[string]bool{}
		for k, ip := range g.IPs {
			zone, ok := zoneOf[ip.Subnet]
			if !ok {
				continue // reported as an unknown subnet
			}
			if seen[zone] {
				v.add(fmt.Sprintf("%s.endpointGateways[%d].ips[%d]", p, j, k),
					"endpoint gateway %q holds a second reserved IP in zone %s: at most one reserved IP per zone is allowed", name, zone)
			}
			seen[zone] = true
		}
	}
}
