package sim

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
)

// The IKS calls about classic infrastructure access: which API key and
// which credentials a region + resource group uses, and what they may do.

const iksForbidden = "SIM403" // [I] the real IKS code for a denied read is not known

// permission is one classic infrastructure permission ks-doctor knows.
type permission struct{ key, name string }

// permissionCatalog is what the IKS permission checker asks for, per
// AccountStatus field (reference §5.4 K16).
var permissionCatalog = []struct {
	field                 string
	required, recommended []permission
}{
	{"virtualWorkerManagerPermissions",
		append([]permission{{"REMOTE_MANAGEMENT", "IPMI Remote Management"}, {"SERVER_ADD", "Add Server"}, {"SERVER_CANCEL", "Cancel Server"},
			{"SERVER_RELOAD", "OS Reloads and Rescue Kernel"}}, append(ticketPerms, permission{"VIRTUAL_GUEST_VIEW", "View Virtual Server Details"})...),
		[]permission{{"ACCESS_ALL_GUEST", "Access All Virtual Servers"}, {"PUBLIC_NETWORK_COMPUTE", "Add Compute with Public Network Port"}}},
	{"physicalWorkerManagerPermissions",
		append([]permission{{"HARDWARE_VIEW", "View Hardware Details"}, {"REMOTE_MANAGEMENT", "IPMI Remote Management"}, {"SERVER_ADD", "Add Server"},
			{"SERVER_CANCEL", "Cancel Server"}, {"SERVER_RELOAD", "OS Reloads and Rescue Kernel"}}, ticketPerms...),
		[]permission{{"ACCESS_ALL_HARDWARE", "Access All Hardware"}, {"PUBLIC_NETWORK_COMPUTE", "Add Compute with Public Network Port"}}},
	{"networkManagerPermissions", ticketPerms,
		[]permission{{"DNS_MANAGE", "Manage DNS"}, {"HOSTNAME_EDIT", "Edit Hostname/Domain"}, {"IP_ADD", "Add IP Addresses"},
			{"NETWORK_ROUTE_MANAGE", "Manage Network Subnet Routes"}, {"PORT_CONTROL", "Manage Port Control"},
			{"PUBLIC_NETWORK_COMPUTE", "Add Compute with Public Network Port"}, {"SECURITY_CERTIFICATE_MANAGE", "Manage Certificates (SSL)"},
			{"SECURITY_CERTIFICATE_VIEW", "View Certificates (SSL)"}}},
	{"storageManagerPermissions", ticketPerms,
		[]permission{{"ADD_SERVICE_STORAGE", "Add/Upgrade Storage (StorageLayer)"}, {"NAS_MANAGE", "Storage Manage"}}},
}

var ticketPerms = []permission{{"TICKET_ADD", "Add Support Case"}, {"TICKET_EDIT", "Edit Support Case"}, {"TICKET_VIEW", "View Support Case"}}

// allPermissionKeys lists every keyName of the catalogue, once.
func allPermissionKeys() []string {
	var out []string
	for _, c := range permissionCatalog {
		for _, p := range slices.Concat(c.required, c.recommended) {
			if !slices.Contains(out, p.key) {
				out = append(out, p.key)
			}
		}
	}
	return out
}

// permissionName is a keyName's display name ("" if not in the catalogue).
func permissionName(key string) string {
	for _, c := range permissionCatalog {
		for _, p := range slices.Concat(c.required, c.recommended) {
			if p.key == key {
				return p.name
			}
		}
	}
	return ""
}

// scope reads X-Region (required) and X-Auth-Resource-Group; no group
// means the default one, as the docs say of `credential set`.
func (s *Server) scope(w http.ResponseWriter, r *http.Request) (region string, g *ResourceGroup, ok bool) {
	region = r.Header.Get("X-Region")
	if !slices.Contains(Regions, region) {
		ikserror(w, http.StatusBadRequest, "SIM400", "General", fmt.Sprintf("ks-doctor-sim: the X-Region header must name a region, got %q.", region), "")
		return "", nil, false
	}
	g = s.sc.defaultGroup()
	if id := r.Header.Get("X-Auth-Resource-Group"); id != "" {
		if g = s.sc.groupByID(id); g == nil {
			ikserror(w, http.StatusBadRequest, "SIM400", "General", "ks-doctor-sim: unknown resource group ID "+id+".", "")
			return "", nil, false
		}
	}
	return region, g, true
}

// credentials serves GET /v1/credentials (`ibmcloud ks credential get`).
func (s *Server) credentials(w http.ResponseWriter, r *http.Request, c *caller) {
	if !s.allowed(w, r, c, "credentials", iksForbidden, "You are not authorized to view the infrastructure credentials of this region and resource group.") {
		return
	}
	region, g, ok := s.scope(w, r)
	if !ok {
		return
	}
	if cr := s.sc.credentialFor(region, g.Name); cr != nil && c.home(s.sc) {
		writeJSON(w, http.StatusOK, map[string]string{"apiUser": cr.Username})
		return
	}
	// [I] status 404: E0051's status was never captured.
	ikserror(w, http.StatusNotFound, "E0051", "General", "The user credentials could not be found.",
		"To set infrastructure credentials, run 'ibmcloud ks credential set classic --region "+region+"'.")
}

// userConfig serves GET /v1/user-config.
func (s *Server) userConfig(w http.ResponseWriter, r *http.Request, c *caller) {
	region, g, ok := s.scope(w, r)
	if !ok {
		return
	}
	stored := c.home(s.sc) && s.sc.credentialFor(region, g.Name) != nil
	// [I] freeEnabled is taken to mean the account may only make free clusters.
	free := freeAccountType(s.sc.Account.Type)
	writeJSON(w, http.StatusOK, map[string]bool{"freeEnabled": free, "storedIaasCredentials": stored})
}

// clusterKeyOwner serves GET /v1/logging/{cluster}/clusterkeyowner: the
// owner of the API key of the cluster's region and resource group.
func (s *Server) clusterKeyOwner(w http.ResponseWriter, r *http.Request, c *caller) {
	if !s.allowed(w, r, c, "api-key-info", iksForbidden, "You are not authorized to view the API key information of this cluster.") {
		return
	}
	cl := s.namedCluster(w, r, c)
	if cl == nil {
		return
	}
	k := s.sc.apiKeyFor(cl.Region, cl.ResourceGroup)
	if k == nil {
		// [I] the real answer for a region + group without a key is not known.
		ikserror(w, http.StatusNotFound, "SIM404", "General",
			fmt.Sprintf("ks-doctor-sim: no API key is set for region %s and resource group %s.", cl.Region, cl.ResourceGroup), "")
		return
	}
	u := s.sc.user(k.Owner)
	writeJSON(w, http.StatusOK, map[string]string{"id": u.IAMID, "name": u.Name, "email": u.Email})
}

// infraInUse is the classic infrastructure access IKS uses for a region
// and resource group: the manually set credentials if any, else the API
// key owner's classic user in the linked account.
type infraInUse struct {
	account *InfraAccount
	user    *InfraUser // nil when the owner has no classic user there
	manual  bool
}

func (s *Server) infraFor(region string, g *ResourceGroup, c *caller) infraInUse {
	if cr := s.sc.credentialFor(region, g.Name); cr != nil {
		ia, u := s.sc.infraUser(cr.Username)
		return infraInUse{account: ia, user: u, manual: true}
	}
	owner := c.user
	if k := s.sc.apiKeyFor(region, g.Name); k != nil {
		owner = s.sc.user(k.Owner)
	}
	in := infraInUse{account: s.sc.InfraAccountByID(s.sc.Account.IMSAccount)}
	if in.account != nil && owner != nil {
		in.user = in.account.userByIAMID(owner.IAMID)
	}
	return in
}

// infraPermissions serves GET /v1/infra-permissions (AccountStatus): the
// catalogue's permissions that the infrastructure user in use lacks. An
// empty analysis means sufficient, as the SDK documents.
func (s *Server) infraPermissions(w http.ResponseWriter, r *http.Request, c *caller) {
	if !s.allowed(w, r, c, "infra-permissions", iksForbidden, "You are not authorized to view the infrastructure permissions of this region and resource group.") {
		return
	}
	region, g, ok := s.scope(w, r)
	if !ok {
		return
	}
	if !c.home(s.sc) {
		ikserror(w, http.StatusNotFound, "E0051", "General", "The user credentials could not be found.", "")
		return
	}
	in := s.infraFor(region, g, c)
	var have []string
	if in.user != nil {
		have = in.user.Permissions
	}
	body := map[string]any{}
	if in.account != nil {
		body["account"] = in.account.ID
		// [I] accountType literals: "linked" for the account's own linked
		// infrastructure, "iaas" for a separate one.
		body["accountType"] = "iaas"
		if in.account.LinkedAccount == s.sc.Account.ID {
			body["accountType"] = "linked"
		}
	}
	analyse := func(want []permission) map[string]any {
		var missing []string
		for _, p := range want {
			if !slices.Contains(have, p.key) {
				missing = append(missing, p.name)
			}
		}
		if len(missing) == 0 {
			return map[string]any{}
		}
		return map[string]any{"insufficient": true, "missingPermissions": missing}
	}
	for _, cat := range permissionCatalog {
		body[cat.field] = map[string]any{"required": analyse(cat.required), "recommended": analyse(cat.recommended)}
	}
	writeJSON(w, http.StatusOK, body)
}

// classicDatacenters maps classic datacenters to their IKS region, for
// calls that name only a datacenter.
var classicDatacenters = map[string]string{
	"dal10": "us-south", "dal12": "us-south", "dal13": "us-south", "sjc03": "us-south", "sjc04": "us-south",
	"wdc04": "us-east", "wdc06": "us-east", "wdc07": "us-east", "tor01": "ca-tor", "mon01": "ca-mon", "sao01": "br-sao",
	"fra02": "eu-de", "fra04": "eu-de", "fra05": "eu-de", "par01": "eu-de", "mil01": "eu-de", "ams03": "eu-de",
	"lon02": "eu-gb", "lon04": "eu-gb", "lon05": "eu-gb", "lon06": "eu-gb", "tok02": "jp-tok", "tok04": "jp-tok",
	"tok05": "jp-tok", "osa21": "jp-osa", "osa22": "jp-osa", "osa23": "jp-osa", "syd01": "au-syd", "syd04": "au-syd",
	"syd05": "au-syd", "che01": "in-che",
}

// datacenterVLANs serves GET /v1/datacenters/{dc}/vlans (`ibmcloud ks vlan
// ls --zone`): the VLANs of the infrastructure account in use for the
// zone's region and the targeted group.
func (s *Server) datacenterVLANs(w http.ResponseWriter, r *http.Request, c *caller) {
	if !s.allowed(w, r, c, "vlans", iksForbidden, "You are not authorized to list the VLANs of this zone.") {
		return
	}
	dc := r.PathValue("dc")
	region := r.Header.Get("X-Region")
	if region == "" {
		region = classicDatacenters[dc]
	}
	g := s.sc.defaultGroup()
	if id := r.Header.Get("X-Auth-Resource-Group"); id != "" && s.sc.groupByID(id) != nil {
		g = s.sc.groupByID(id)
	}
	out := []map[string]any{}
	if in := s.infraFor(region, g, c); in.account != nil && c.home(s.sc) {
		for _, v := range in.account.VLANs {
			if v.Datacenter != dc {
				continue
			}
			out = append(out, map[string]any{
				"id": fmt.Sprint(v.ID), "type": strings.ToLower(v.NetworkSpace),
				"properties": map[string]any{
					"name": v.Name, "note": "", "primary_router": v.Router, "vlan_number": fmt.Sprint(v.Number),
					"vlan_type": "standard", "location": v.Datacenter, "subnet_count": 1,
					"local_disk_storage_capability": "true", "san_storage_capability": "true",
				},
			})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// clusterSubnets serves GET /v1/clusters/{c}/subnets: the pool zones'
// VLANs, each with the subnet its workers sit on.
func clusterSubnets(cl *Cluster) []map[string]any {
	out := []map[string]any{}
	seen := map[string]bool{}
	for _, p := range cl.WorkerPools {
		for _, z := range p.Zones {
			for _, v := range []struct {
				id     string
				public bool
			}{{z.PrivateVlan, false}, {z.PublicVlan, true}} {
				if v.id == "" || seen[v.id] {
					continue
				}
				seen[v.id] = true
				subnets := []map[string]any{}
				for _, w := range cl.Workers {
					ip := w.PrivateIP
					if v.public {
						ip = w.PublicIP
					}
					if parsed := net.ParseIP(ip).To4(); parsed != nil && w.Location == z.ID {
						cidr := (&net.IPNet{IP: parsed.Mask(net.CIDRMask(26, 32)), Mask: net.CIDRMask(26, 32)}).String()
						subnets = append(subnets, map[string]any{"id": fmt.Sprint(numFrom("subnet/"+cidr, 7)), "cidr": cidr,
							"ips": []string{}, "is_public": v.public, "is_byoip": false})
						break
					}
				}
				out = append(out, map[string]any{"id": v.id, "region": cl.Region, "zone": z.ID, "subnets": subnets})
			}
		}
	}
	return out
}

// zoneJSON is a pool zone; the VLAN key case is the scenario's wire knob
// because the SDK (privateVLAN) and bluemix-go (privateVlan) disagree.
func (s *Server) zoneJSON(cl *Cluster, p *WorkerPool, z PoolZone) map[string]any {
	n := 0
	for _, w := range workers(cl, false, p.Name) {
		if w.Location == z.ID {
			n++
		}
	}
	m := map[string]any{"id": z.ID, "workerCount": n, "autobalanceEnabled": false, "messages": []string{}}
	if cl.Provider == "classic" {
		priv, pub := "privateVlan", "publicVlan"
		if s.sc.Wire.PoolZoneVlanKeys == "privateVLAN" {
			priv, pub = "privateVLAN", "publicVLAN"
		}
		m[priv], m[pub] = z.PrivateVlan, z.PublicVlan
	}
	return m
}

func isolation(cl *Cluster) string {
	if cl.Provider == "classic" {
		return "public"
	}
	return ""
}

// v1Pool is the v1 WorkerPoolResponse shape.
func (s *Server) v1Pool(cl *Cluster, p *WorkerPool) map[string]any {
	zones := []map[string]any{}
	for _, z := range p.Zones {
		zones = append(zones, s.zoneJSON(cl, p, z))
	}
	return map[string]any{
		"id": poolID(cl, p.Name), "name": p.Name, "machineType": p.Flavor, "sizePerZone": p.SizePerZone,
		"isolation": isolation(cl), "state": "active", "reasonForDelete": "", "region": cl.Region,
		"isBalanced": true, "autoscaleEnabled": false, "labels": map[string]string{}, "zones": zones,
	}
}

// v2Pool is the v2 GetWorkerPoolResponse shape.
func (s *Server) v2Pool(cl *Cluster, p *WorkerPool) map[string]any {
	zones := []map[string]any{}
	for _, z := range p.Zones {
		zones = append(zones, s.zoneJSON(cl, p, z))
	}
	return map[string]any{
		"id": poolID(cl, p.Name), "poolName": p.Name, "flavor": p.Flavor, "provider": cl.Provider,
		"workerCount": p.SizePerZone, "isolation": isolation(cl), "labels": map[string]string{},
		"taints": map[string]string{}, "hostLabels": map[string]string{},
		"lifecycle":       map[string]string{"actualState": "active", "desiredState": "active"},
		"operatingSystem": "UBUNTU_20_64", "autoscaleEnabled": false, "isBalanced": true, "zones": zones,
	}
}
