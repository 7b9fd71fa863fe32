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

// vpcCaller is the gate of every VPC read, in the order the checks are
// made: the path names a region's /v1 endpoint (else 404 not_found, before
// authentication), a token of this simulator (401), the caller is not
// denied VPC reads (403), version and generation are set (400). It yields
// the region's view of the scenario.
func vpcCaller(s *Server, w http.ResponseWriter, r *http.Request) (*vpcView, bool) {
	seg := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, PrefixVPC), "/"), "/")
	if len(seg) < 3 || !slices.Contains(Regions, seg[0]) || seg[1] != "v1" {
		failVPC(s, w, r, http.StatusNotFound, "not_found", "ks-doctor-sim: no VPC API at "+r.URL.Path+" (want /vpc/{region}/v1/...).")
		return nil, false
	}
	region := seg[0]
	c, ok := s.bearer(w, r, "not_authorized", "The request is not authorized: the access token is missing, malformed, foreign or expired.")
	if !ok || !s.allowed(w, r, c, "vpc", "forbidden", "The request is forbidden: you do not have access to this resource.") {
		return nil, false
	}
	q := r.URL.Query()
	for _, param := range []string{"version", "generation"} {
		if q.Get(param) == "" {
			// [I] the real code for a missing version is not captured.
			failVPC(s, w, r, http.StatusBadRequest, "bad_request", fmt.Sprintf("The %s query parameter is required.", param))
			return nil, false
		}
	}
	return &vpcView{s: s, region: region, base: s.baseURL(r) + PrefixVPC + "/" + region + "/v1", home: c.home(s.sc)}, true
}

// listGateways serves GET /endpoint_gateways (name, vpc.id, vpc.name,
// resource_group.id, lifecycle_state repeatable).
func (s *Server) listGateways(w http.ResponseWriter, r *http.Request, v *vpcView) {
	q := r.URL.Query()
	var out []map[string]any
	for _, g := range v.gateways() {
		if matchQuery(q, "name", g.gw.Name) && matchQuery(q, "vpc.id", g.vpc.ID) && matchQuery(q, "vpc.name", g.vpc.Name) &&
			matchQuery(q, "resource_group.id", s.groupIDByName(g.vpc.ResourceGroup)) &&
			(len(q["lifecycle_state"]) == 0 || slices.Contains(q["lifecycle_state"], g.gw.State)) {
			out = append(out, v.gatewayJSON(g.vpc, g.gw))
		}
	}
	v.list(w, r, "endpoint_gateways", out)
}

// gatewayOf finds the gateway /endpoint_gateways/{id}... names.
func (s *Server) gatewayOf(w http.ResponseWriter, r *http.Request, v *vpcView) *gwRef {
	return vpcResource(s, w, r, v.gateway, "endpoint_gateway_not_found", "Endpoint gateway not found")
}

// vpcResource finds the resource the path's {id} names with find, writing
// the VPC API's 404 (code, msg) when there is none.
func vpcResource[T any](s *Server, w http.ResponseWriter, r *http.Request, find func(id string) *T, code, msg string) *T {
	res := find(r.PathValue("id"))
	if res == nil {
		failVPC(s, w, r, http.StatusNotFound, code, msg)
	}
	return res
}

// getGateway serves GET /endpoint_gateways/{id}.
func (s *Server) getGateway(w http.ResponseWriter, r *http.Request, v *vpcView) {
	if g := s.gatewayOf(w, r, v); g != nil {
		writeJSON(w, http.StatusOK, v.gatewayJSON(g.vpc, g.gw))
	}
}

// listGatewayIPs serves GET /endpoint_gateways/{id}/ips: the reserved IPs
// the gateway holds, in any subnet of its VPC.
func (s *Server) listGatewayIPs(w http.ResponseWriter, r *http.Request, v *vpcView) {
	if g := s.gatewayOf(w, r, v); g != nil {
		v.list(w, r, "ips", v.reservedIPs(g.vpc, g.vpc.Subnets, func(rip ReservedIP) bool { return rip.Gateway == g.gw.ID }))
	}
}

// listSubnets serves GET /subnets (vpc.id, vpc.name, zone.name,
// resource_group.id).
func (s *Server) listSubnets(w http.ResponseWriter, r *http.Request, v *vpcView) {
	q := r.URL.Query()
	var out []map[string]any
	for _, sn := range v.subnets() {
		if matchQuery(q, "vpc.id", sn.vpc.ID) && matchQuery(q, "vpc.name", sn.vpc.Name) && matchQuery(q, "zone.name", sn.sn.Zone) &&
			matchQuery(q, "resource_group.id", s.groupIDByName(sn.vpc.ResourceGroup)) {
			out = append(out, v.subnetJSON(sn.vpc, sn.sn))
		}
	}
	v.list(w, r, "subnets", out)
}

// subnetOfPath finds the subnet /subnets/{id}... names.
func (s *Server) subnetOfPath(w http.ResponseWriter, r *http.Request, v *vpcView) *subnetRef {
	return vpcResource(s, w, r, v.subnet, "subnet_not_found", "Subnet not found")
}

// getSubnet serves GET /subnets/{id}.
func (s *Server) getSubnet(w http.ResponseWriter, r *http.Request, v *vpcView) {
	if sn := s.subnetOfPath(w, r, v); sn != nil {
		writeJSON(w, http.StatusOK, v.subnetJSON(sn.vpc, sn.sn))
	}
}

// listReservedIPs serves GET /subnets/{id}/reserved_ips (target.id).
func (s *Server) listReservedIPs(w http.ResponseWriter, r *http.Request, v *vpcView) {
	if sn := s.subnetOfPath(w, r, v); sn != nil {
		q := r.URL.Query()
		v.list(w, r, "reserved_ips", v.reservedIPs(sn.vpc, []Subnet{*sn.sn}, func(rip ReservedIP) bool { return matchQuery(q, "target.id", rip.Gateway) }))
	}
}

// reservedIPs renders the reserved IPs of subnets (of vp) that keep takes.
func (v *vpcView) reservedIPs(vp *VPC, subnets []Subnet, keep func(ReservedIP) bool) []map[string]any {
	var out []map[string]any
	for _, sn := range subnets {
		for _, rip := range sn.ReservedIPs {
			if keep(rip) {
				out = append(out, v.reservedIPJSON(vp, sn, rip))
			}
		}
	}
	return out
}

// listVPCs serves GET /vpcs.
func (s *Server) listVPCs(w http.ResponseWriter, r *http.Request, v *vpcView) {
	var out []map[string]any
	for _, vp := range v.vpcs() {
		out = append(out, v.vpcJSON(vp))
	}
	v.list(w, r, "vpcs", out)
}

// getVPC serves GET /vpcs/{id}.
func (s *Server) getVPC(w http.ResponseWriter, r *http.Request, v *vpcView) {
	if vp := vpcResource(s, w, r, v.vpc, "vpc_not_found", "VPC not found"); vp != nil {
		writeJSON(w, http.StatusOK, v.vpcJSON(vp))
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

// vpc finds one of the region's VPCs by id.
func (v *vpcView) vpc(id string) *VPC {
	for _, vp := range v.vpcs() {
		if vp.ID == id {
			return vp
		}
	}
	return nil
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
