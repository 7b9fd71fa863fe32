package sim

import (
	"fmt"
	"net"
	"strings"
)

// The JSON shapes of VPC resources (vpc-go-sdk vpcv1): VPCs, subnets,
// endpoint gateways and reserved IPs, with their references and CRNs.

func (v *vpcView) crn(kind, id string) string {
	return fmt.Sprintf("crn:v1:bluemix:public:is:%s:a/%s::%s:%s", v.region, v.s.sc.Account.ID, kind, id)
}

func (v *vpcView) vpcRef(vp *VPC) map[string]any {
	return map[string]any{"crn": v.crn("vpc", vp.ID), "href": v.base + "/vpcs/" + vp.ID, "id": vp.ID, "name": vp.Name, "resource_type": "vpc"}
}

func (v *vpcView) groupRef(name string) map[string]any {
	id := v.s.groupIDByName(name)
	return map[string]any{"href": "https://resource-controller.cloud.ibm.com/v2/resource_groups/" + id, "id": id, "name": name}
}

func (v *vpcView) vpcJSON(vp *VPC) map[string]any {
	return map[string]any{
		"id": vp.ID, "crn": v.crn("vpc", vp.ID), "href": v.base + "/vpcs/" + vp.ID, "name": vp.Name,
		"created_at": "2025-02-03T11:40:00Z", "status": "available", "classic_access": false,
		"health_state": "ok", "health_reasons": []any{}, "cse_source_ips": []any{},
		"resource_group": v.groupRef(vp.ResourceGroup), "resource_type": "vpc",
	}
}

func (v *vpcView) gatewayJSON(vp *VPC, g *EndpointGateway) map[string]any {
	var ips []map[string]any
	for _, sn := range vp.Subnets {
		for _, rip := range sn.ReservedIPs {
			if rip.Gateway == g.ID {
				ips = append(ips, map[string]any{"address": rip.Address, "href": v.base + "/subnets/" + sn.ID + "/reserved_ips/" + rip.ID,
					"id": rip.ID, "name": rip.Name, "resource_type": "subnet_reserved_ip"})
			}
		}
	}
	m := map[string]any{
		"created_at": g.CreatedAt, "crn": v.crn("endpoint-gateway", g.ID), "dns_resolution_binding_mode": "primary",
		"health_state": g.Health, "href": v.base + "/endpoint_gateways/" + g.ID, "id": g.ID, "ips": orEmpty(ips),
		"lifecycle_reasons": []any{}, "lifecycle_state": g.State, "name": g.Name,
		"resource_group": v.groupRef(vp.ResourceGroup), "resource_type": "endpoint_gateway",
		"security_groups": []any{}, "service_endpoints": []string{}, "vpc": v.vpcRef(vp),
		"target": map[string]any{"resource_type": "provider_infrastructure_service", "name": g.Name},
	}
	if cl := v.s.sc.Cluster(g.Cluster); cl != nil {
		host := strings.TrimPrefix(masterURL(cl, true), "https://")
		host, _, _ = strings.Cut(host, ":")
		m["service_endpoints"] = []string{host}
		m["target"] = map[string]any{"resource_type": "provider_cloud_service",
			"crn": fmt.Sprintf("crn:v1:bluemix:public:containers-kubernetes:%s:a/%s:%s::", cl.Region, v.s.sc.Account.ID, cl.ID)}
		sg := fmt.Sprintf("r%03d-%s", 6+hashN(v.region, 10), uuidFrom("sg/"+cl.ID))
		m["security_groups"] = []any{map[string]any{"crn": v.crn("security-group", sg), "href": v.base + "/security_groups/" + sg,
			"id": sg, "name": "kube-" + cl.ID}}
	}
	return m
}

func orEmpty(l []map[string]any) []map[string]any {
	if l == nil {
		return []map[string]any{}
	}
	return l
}

func (v *vpcView) subnetJSON(vp *VPC, sn *Subnet) map[string]any {
	total := 0
	if _, cidr, err := net.ParseCIDR(sn.CIDR); err == nil {
		ones, bits := cidr.Mask.Size()
		total = 1 << (bits - ones)
	}
	acl, rt := uuidFrom("acl/"+vp.ID), uuidFrom("rt/"+vp.ID)
	return map[string]any{
		// A VPC subnet keeps 5 addresses for itself.
		"available_ipv4_address_count": max(total-5-len(sn.ReservedIPs), 0), "total_ipv4_address_count": total,
		"created_at": "2025-02-03T11:41:00Z", "crn": v.crn("subnet", sn.ID), "href": v.base + "/subnets/" + sn.ID,
		"id": sn.ID, "ip_version": "ipv4", "ipv4_cidr_block": sn.CIDR, "name": sn.Name,
		"network_acl":    map[string]any{"crn": v.crn("network-acl", acl), "href": v.base + "/network_acls/" + acl, "id": acl, "name": vp.Name + "-acl"},
		"resource_group": v.groupRef(vp.ResourceGroup), "resource_type": "subnet", "status": "available",
		"routing_table": map[string]any{"href": v.base + "/vpcs/" + vp.ID + "/routing_tables/" + rt, "id": rt, "name": vp.Name + "-rt", "resource_type": "routing_table"},
		"vpc":           v.vpcRef(vp),
		"zone":          map[string]any{"href": v.base + "/regions/" + v.region + "/zones/" + sn.Zone, "name": sn.Zone},
	}
}

func (v *vpcView) reservedIPJSON(vp *VPC, sn Subnet, rip ReservedIP) map[string]any {
	m := map[string]any{
		"address": rip.Address, "auto_delete": false, "created_at": "2025-02-03T11:52:41Z",
		"href": v.base + "/subnets/" + sn.ID + "/reserved_ips/" + rip.ID, "id": rip.ID, "lifecycle_state": "stable",
		"name": rip.Name, "owner": rip.Owner, "resource_type": "subnet_reserved_ip",
	}
	for _, g := range vp.EndpointGateways {
		if g.ID == rip.Gateway {
			m["target"] = map[string]any{"crn": v.crn("endpoint-gateway", g.ID), "href": v.base + "/endpoint_gateways/" + g.ID,
				"id": g.ID, "name": g.Name, "resource_type": "endpoint_gateway"}
		}
	}
	return m
}
