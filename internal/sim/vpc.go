package sim

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// VPC API, reference §11: /vpc/{region}/v1 stands for
// https://{region}.iaas.cloud.ibm.com/v1 and serves only that region's
// resources. Every call needs version and generation; lists page with
// start/limit and next.href.
func (s *Server) vpc(w http.ResponseWriter, r *http.Request, p string) {
	seg := strings.Split(strings.Trim(p, "/"), "/")
	if len(seg) < 3 || !slices.Contains(Regions, seg[0]) || seg[1] != "v1" {
		failVPC(s, w, r, http.StatusNotFound, "not_found", "ks-doctor-sim: no VPC API at "+r.URL.Path+" (want /vpc/{region}/v1/...).")
		return
	}
	region, seg := seg[0], seg[2:]
	c, ok := s.bearer(w, r, "not_authorized", "The request is not authorized: the access token is missing, malformed, foreign or expired.")
	if !ok || !s.allowed(w, r, c, "vpc", "forbidden", "The request is forbidden: you do not have access to this resource.") {
		return
	}
	q := r.URL.Query()
	for _, param := range []string{"version", "generation"} {
		if q.Get(param) == "" {
			// [I] the real code for a missing version is not captured.
			failVPC(s, w, r, http.StatusBadRequest, "bad_request", fmt.Sprintf("The %s query parameter is required.", param))
			return
		}
	}
	v := &vpcView{s: s, region: region, base: s.baseURL(r) + PrefixVPC + "/" + region + "/v1", home: c.home(s.sc)}
	switch {
	case len(seg) == 1 && seg[0] == "endpoint_gateways":
		var out []map[string]any
		for _, g := range v.gateways() {
			if matchQuery(q, "name", g.gw.Name) && matchQuery(q, "vpc.id", g.vpc.ID) && matchQuery(q, "vpc.name", g.vpc.Name) &&
				matchQuery(q, "resource_group.id", s.groupIDByName(g.vpc.ResourceGroup)) &&
				(len(q["lifecycle_state"]) == 0 || slices.Contains(q["lifecycle_state"], g.gw.State)) {
				out = append(out, v.gatewayJSON(g.vpc, g.gw))
			}
		}
		v.list(w, r, "endpoint_gateways", out)
	case len(seg) == 2 && seg[0] == "endpoint_gateways":
		if g := v.gateway(seg[1]); g != nil {
			writeJSON(w, http.StatusOK, v.gatewayJSON(g.vpc, g.gw))
		} else {
			failVPC(s, w, r, http.StatusNotFound, "endpoint_gateway_not_found", "Endpoint gateway not found")
		}
	case len(seg) == 3 && seg[0] == "endpoint_gateways" && seg[2] == "ips":
		g := v.gateway(seg[1])
		if g == nil {
			failVPC(s, w, r, http.StatusNotFound, "endpoint_gateway_not_found", "Endpoint gateway not found")
			return
		}
		var out []map[string]any
		for _, sn := range g.vpc.Subnets {
			for _, rip := range sn.ReservedIPs {
				if rip.Gateway == g.gw.ID {
					out = append(out, v.reservedIPJSON(g.vpc, sn, rip))
				}
			}
		}
		v.list(w, r, "ips", out)
	case len(seg) == 1 && seg[0] == "subnets":
		var out []map[string]any
		for _, sn := range v.subnets() {
			if matchQuery(q, "vpc.id", sn.vpc.ID) && matchQuery(q, "vpc.name", sn.vpc.Name) && matchQuery(q, "zone.name", sn.sn.Zone) &&
				matchQuery(q, "resource_group.id", s.groupIDByName(sn.vpc.ResourceGroup)) {
				out = append(out, v.subnetJSON(sn.vpc, sn.sn))
			}
		}
		v.list(w, r, "subnets", out)
	case len(seg) == 2 && seg[0] == "subnets":
		if sn := v.subnet(seg[1]); sn != nil {
			writeJSON(w, http.StatusOK, v.subnetJSON(sn.vpc, sn.sn))
		} else {
			failVPC(s, w, r, http.StatusNotFound, "subnet_not_found", "Subnet not found")
		}
	case len(seg) == 3 && seg[0] == "subnets" && seg[2] == "reserved_ips":
		sn := v.subnet(seg[1])
		if sn == nil {
			failVPC(s, w, r, http.StatusNotFound, "subnet_not_found", "Subnet not found")
			return
		}
		var out []map[string]any
		for _, rip := range sn.sn.ReservedIPs {
			if matchQuery(q, "target.id", rip.Gateway) {
				out = append(out, v.reservedIPJSON(sn.vpc, *sn.sn, rip))
			}
		}
		v.list(w, r, "reserved_ips", out)
	case len(seg) == 1 && seg[0] == "vpcs":
		var out []map[string]any
		for _, vp := range v.vpcs() {
			out = append(out, v.vpcJSON(vp))
		}
		v.list(w, r, "vpcs", out)
	case len(seg) == 2 && seg[0] == "vpcs":
		for _, vp := range v.vpcs() {
			if vp.ID == seg[1] {
				writeJSON(w, http.StatusOK, v.vpcJSON(vp))
				return
			}
		}
		failVPC(s, w, r, http.StatusNotFound, "vpc_not_found", "VPC not found")
	default:
		s.notSimulated(w, r)
	}
}

// matchQuery is true when the filter parameter is absent or equal.
func matchQuery(q map[string][]string, key, have string) bool {
	want := q[key]
	return len(want) == 0 || want[0] == have
}

// baseURL is the simulator's own URL, also when mounted without Start.
func (s *Server) baseURL(r *http.Request) string {
	if s.url != "" {
		return s.url
	}
	return "http://" + r.Host
}

func (s *Server) groupIDByName(name string) string {
	if g := s.sc.GroupByName(name); g != nil {
		return g.ID
	}
	return ""
}

// vpcView is one regional endpoint's view of the scenario's VPCs.
type vpcView struct {
	s      *Server
	region string
	base   string
	home   bool // the token is bound to the scenario's account
}

type gwRef struct {
	vpc *VPC
	gw  *EndpointGateway
}

type subnetRef struct {
	vpc *VPC
	sn  *Subnet
}

func (v *vpcView) vpcs() []*VPC {
	var out []*VPC
	for i := range v.s.sc.VPCs {
		if vp := &v.s.sc.VPCs[i]; vp.Region == v.region && v.home {
			out = append(out, vp)
		}
	}
	return out
}

func (v *vpcView) gateways() []gwRef {
	var out []gwRef
	for _, vp := range v.vpcs() {
		for i := range vp.EndpointGateways {
			out = append(out, gwRef{vp, &vp.EndpointGateways[i]})
		}
	}
	return out
}

func (v *vpcView) gateway(id string) *gwRef {
	for _, g := range v.gateways() {
		if g.gw.ID == id {
			return &g
		}
	}
	return nil
}

func (v *vpcView) subnets() []subnetRef {
	var out []subnetRef
	for _, vp := range v.vpcs() {
		for i := range vp.Subnets {
			out = append(out, subnetRef{vp, &vp.Subnets[i]})
		}
	}
	return out
}

func (v *vpcView) subnet(id string) *subnetRef {
	for _, sn := range v.subnets() {
		if sn.sn.ID == id {
			return &sn
		}
	}
	return nil
}

// list writes one page of a collection: limit 1-100 (default 50), start is
// the id of the page's first item, next.href carries the following one.
func (v *vpcView) list(w http.ResponseWriter, r *http.Request, key string, items []map[string]any) {
	q := r.URL.Query()
	limit := 50
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			failVPC(v.s, w, r, http.StatusBadRequest, "bad_request", "The limit query parameter must be between 1 and 100.")
			return
		}
		limit = n
	}
	offset := 0
	if start := q.Get("start"); start != "" {
		offset = slices.IndexFunc(items, func(m map[string]any) bool { return m["id"] == start })
		if offset < 0 {
			failVPC(v.s, w, r, http.StatusBadRequest, "bad_request", "The start query parameter is not valid.")
			return
		}
	}
	page, next := pageOf(items, offset, limit)
	path := v.base + "/" + strings.Join(strings.Split(strings.Trim(r.URL.Path, "/"), "/")[3:], "/")
	fq := r.URL.Query()
	fq.Del("start")
	body := map[string]any{key: page, "limit": limit, "total_count": len(items), "first": map[string]string{"href": path + "?" + fq.Encode()}}
	if next >= 0 {
		fq.Set("start", fmt.Sprint(items[next]["id"]))
		body["next"] = map[string]string{"href": path + "?" + fq.Encode()}
	}
	writeJSON(w, http.StatusOK, body)
}

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

// subnetOf finds the VPC subnet of a region whose CIDR holds ip.
func (s *Server) subnetOf(region, ip string) (*VPC, *Subnet) {
	addr := net.ParseIP(ip)
	for i := range s.sc.VPCs {
		vp := &s.sc.VPCs[i]
		for j := range vp.Subnets {
			if _, cidr, err := net.ParseCIDR(vp.Subnets[j].CIDR); err == nil && vp.Region == region && addr != nil && cidr.Contains(addr) {
				return vp, &vp.Subnets[j]
			}
		}
	}
	return nil, nil
}
