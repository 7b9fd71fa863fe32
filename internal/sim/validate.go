package sim

import (
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

type fieldErr struct{ path, msg string }

// Regions are the IKS region names a scenario may use.
var Regions = []string{"us-south", "us-east", "ca-tor", "ca-mon", "br-sao", "eu-de", "eu-gb", "eu-es", "eu-fr2", "jp-tok", "jp-osa", "au-syd", "in-che"}

// Denials are the reads a scenario can forbid a user (users[].denied); the
// simulator answers them with 403 in the service's own error shape.
var Denials = []string{
	"api-key-info",      // IKS GET /v1/logging/{c}/clusterkeyowner
	"credentials",       // IKS GET /v1/credentials
	"infra-permissions", // IKS GET /v1/infra-permissions
	"vlans",             // IKS GET /v1/datacenters/{dc}/vlans
	"users",             // user management
	"api-keys",          // IAM identity: API keys
	"account-settings",  // IAM identity: account settings
	"policies",          // IAM policy management
	"access-groups",     // IAM access groups
	"accounts",          // account management
	"softlayer",         // every classic infrastructure read
	"vpc",               // every VPC read
}

var (
	hex32       = regexp.MustCompile(`^[0-9a-f]{32}$`)
	clusterIDRe = regexp.MustCompile(`^([a-z0-9]{20}|[0-9a-f]{32})$`)
	imsIDRe     = regexp.MustCompile(`^[0-9]{5,8}$`)
	permKeyRe   = regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`)

	accountTypes     = set("PAYG", "SUBSCRIPTION", "TRIAL", "LITE", "STANDARD") // STANDARD is the Lite type (enterprisemanagementv1)
	mfaValues        = set("NONE", "NONE_NO_ROPC", "TOTP", "TOTP4ALL", "LEVEL1", "LEVEL2", "LEVEL3")
	userStates       = set("ACTIVE", "PENDING", "PROCESSING", "VPN_ONLY", "DISABLED_CLASSIC_INFRASTRUCTURE")
	infraUserStates  = set("ACTIVE", "DISABLED", "INACTIVE", "VPN_ONLY", "CANCEL_PENDING")
	denials          = set(Denials...)
	providers        = set("classic", "vpc-gen2", "vpc-classic", "satellite")
	clusterStates    = set("aborted", "critical", "delete_failed", "deleted", "deleting", "deploy_failed", "deploying", "normal", "pending", "requested", "updating", "unsupported", "warning")
	masterStates     = set("deployed", "deploying", "deploy_failed", "deleting", "delete_failed", "updating", "update_cancelled", "update_failed")
	masterHealths    = set("error", "normal", "unavailable", "unsupported", "warning", "critical")
	workerStates     = set("critical", "deployed", "deploying", "deploy_failed", "normal", "provisioning", "provision_failed", "provision_pending", "reloading", "reload_failed", "reload_pending", "unknown", "warning", "deleting", "deleted")
	gatewayStates    = set("deleting", "failed", "pending", "stable", "suspended", "updating", "waiting")
	gatewayHealths   = set("ok", "degraded", "faulted", "inapplicable")
	networkSpaces    = set("PRIVATE", "PUBLIC")
	vlanKeyCases     = set("privateVlan", "privateVLAN")
	ipOwners         = set("user", "provider")
	ikstimeLayout    = "2006-01-02T15:04:05-0700"
	defaultVersion   = "1.30.4_1532"
	defaultCreatedAt = "2024-05-14T08:21:37+0000"
)

// roleCRNs maps the role names a scenario uses to IAM role CRNs: platform
// roles are "role:", service roles "serviceRole:".
var roleCRNs = map[string]string{
	"Administrator": "crn:v1:bluemix:public:iam::::role:Administrator",
	"Operator":      "crn:v1:bluemix:public:iam::::role:Operator",
	"Editor":        "crn:v1:bluemix:public:iam::::role:Editor",
	"Viewer":        "crn:v1:bluemix:public:iam::::role:Viewer",
	"Manager":       "crn:v1:bluemix:public:iam::::serviceRole:Manager",
	"Writer":        "crn:v1:bluemix:public:iam::::serviceRole:Writer",
	"Reader":        "crn:v1:bluemix:public:iam::::serviceRole:Reader",
}

func set(vals ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vals {
		m[v] = true
	}
	return m
}

func keys[V any](m map[string]V) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// checker collects field errors; every fault is reported so a scenario
// author fixes them in one pass.
type checker struct{ errs []fieldErr }

func (c *checker) add(p, format string, a ...any) {
	c.errs = append(c.errs, fieldErr{p, fmt.Sprintf(format, a...)})
}

func (c *checker) enum(p, v string, allowed map[string]bool) {
	if v != "" && !allowed[v] {
		c.add(p, "unknown value %q (one of: %s)", v, keys(allowed))
	}
}

func (c *checker) ip(p, v string) {
	if v != "" && net.ParseIP(v) == nil {
		c.add(p, "not an IP address: %q", v)
	}
}

func (c *checker) date(p, v string) {
	if v == "" {
		return
	}
	if _, err := time.Parse(ikstimeLayout, v); err != nil {
		c.add(p, "want a date like 2026-07-01T10:02:11+0000, got %q", v)
	}
}

// validate checks formats and cross references of the scenario as written.
func (sc *Scenario) validate() []fieldErr {
	c := &checker{}
	regions := set(Regions...)
	groups := map[string]bool{}
	for _, g := range sc.ResourceGroups {
		groups[g.Name] = true
	}
	region := func(p, v string, required bool) {
		if v == "" && required {
			c.add(p, "required")
		} else if v != "" && !regions[v] {
			c.add(p, "unknown region %q", v)
		}
	}
	group := func(p, v string, required bool) {
		if v == "" && required {
			c.add(p, "required")
		} else if v != "" && !groups[v] {
			c.add(p, "unknown resource group %q", v)
		}
	}

	a := sc.Account
	if !hex32.MatchString(a.ID) {
		c.add("account.id", "must be 32 lowercase hex digits, got %q", a.ID)
	}
	if a.Name == "" {
		c.add("account.name", "required")
	}
	c.enum("account.type", a.Type, accountTypes)
	c.enum("account.mfa", a.MFA, mfaValues)
	if a.IMSAccount != "" && !imsIDRe.MatchString(a.IMSAccount) {
		c.add("account.imsAccount", "must be a 5-8 digit account number, got %q", a.IMSAccount)
	}

	userByKey := map[string]bool{}
	for i, u := range sc.Users {
		p := fmt.Sprintf("users[%d]", i)
		if u.IAMID == "" {
			c.add(p+".iamId", "required")
		}
		if !strings.Contains(u.Email, "@") {
			c.add(p+".email", "must be an e-mail address, got %q", u.Email)
		}
		for _, k := range []string{u.IAMID, u.Email} {
			if k != "" && userByKey[k] {
				c.add(p, "duplicate user %q", k)
			}
			userByKey[k] = true
		}
		c.enum(p+".state", u.State, userStates)
		for j, d := range u.Denied {
			c.enum(fmt.Sprintf("%s.denied[%d]", p, j), d, denials)
		}
	}
	user := func(p, v string) {
		if v == "" {
			c.add(p, "required")
		} else if !userByKey[v] {
			c.add(p, "unknown user %q (must be the e-mail or IAM id of one of users)", v)
		}
	}
	policies := func(p string, ps []Policy) {
		for i, pol := range ps {
			pp := fmt.Sprintf("%s.policies[%d]", p, i)
			if len(pol.Roles) == 0 {
				c.add(pp+".roles", "at least one role required")
			}
			for j, r := range pol.Roles {
				c.enum(fmt.Sprintf("%s.roles[%d]", pp, j), r, set(keysOf(roleCRNs)...))
			}
			region(pp+".region", pol.Region, false)
			group(pp+".resourceGroup", pol.ResourceGroup, false)
		}
	}
	for i, u := range sc.Users {
		policies(fmt.Sprintf("users[%d]", i), u.Policies)
	}
	if a.Owner != "" && !userByKey[a.Owner] {
		c.add("account.owner", "unknown user %q (must be the e-mail of one of users)", a.Owner)
	}

	accountIDs := map[string]bool{a.ID: true}
	imsIDs := map[string]bool{}
	if a.IMSAccount != "" {
		imsIDs[a.IMSAccount] = true
	}
	for i, o := range sc.OtherAccounts {
		p := fmt.Sprintf("otherAccounts[%d]", i)
		if !hex32.MatchString(o.ID) {
			c.add(p+".id", "must be 32 lowercase hex digits, got %q", o.ID)
		} else if accountIDs[o.ID] {
			c.add(p+".id", "duplicate account id %q", o.ID)
		}
		accountIDs[o.ID] = true
		if o.Name == "" {
			c.add(p+".name", "required")
		}
		c.enum(p+".type", o.Type, accountTypes)
		c.enum(p+".mfa", o.MFA, mfaValues)
		if o.IMSAccount != "" {
			if !imsIDRe.MatchString(o.IMSAccount) {
				c.add(p+".imsAccount", "must be a 5-8 digit account number, got %q", o.IMSAccount)
			} else if imsIDs[o.IMSAccount] {
				c.add(p+".imsAccount", "infrastructure account %s is already linked to another account", o.IMSAccount)
			}
			imsIDs[o.IMSAccount] = true
		}
		for j, m := range o.Members {
			user(fmt.Sprintf("%s.members[%d]", p, j), m)
		}
	}

	defaults := 0
	seenGroup := map[string]bool{}
	for i, g := range sc.ResourceGroups {
		p := fmt.Sprintf("resourceGroups[%d]", i)
		if !hex32.MatchString(g.ID) {
			c.add(p+".id", "must be 32 lowercase hex digits, got %q", g.ID)
		}
		if g.Name == "" {
			c.add(p+".name", "required")
		} else if seenGroup[g.Name] {
			c.add(p+".name", "duplicate resource group %q", g.Name)
		}
		seenGroup[g.Name] = true
		if g.Default {
			defaults++
		}
	}
	if defaults != 1 {
		c.add("resourceGroups", "exactly one resource group must be default, found %d", defaults)
	}

	for i, g := range sc.AccessGroups {
		p := fmt.Sprintf("accessGroups[%d]", i)
		if g.Name == "" {
			c.add(p+".name", "required")
		}
		for j, m := range g.Members {
			user(fmt.Sprintf("%s.members[%d]", p, j), m)
		}
		policies(p, g.Policies)
	}

	s := sc.Session
	if s.User == "" {
		c.add("session.user", "required")
	} else if !userByKey[s.User] {
		c.add("session.user", "unknown user %q", s.User)
	}
	region("session.region", s.Region, false)
	group("session.resourceGroup", s.ResourceGroup, false)
	if s.TokenLifetime < 0 {
		c.add("session.tokenLifetime", "must not be negative")
	}

	seenKey := map[string]bool{}
	for i, k := range sc.APIKeys {
		p := fmt.Sprintf("apiKeys[%d]", i)
		region(p+".region", k.Region, true)
		group(p+".resourceGroup", k.ResourceGroup, true)
		user(p+".owner", k.Owner)
		if seenKey[k.Region+"/"+k.ResourceGroup] {
			c.add(p, "a second API key for region %s and resource group %s", k.Region, k.ResourceGroup)
		}
		seenKey[k.Region+"/"+k.ResourceGroup] = true
	}

	// Infrastructure accounts: the explicit ones, plus those the IBM Cloud
	// accounts link to, which exist even when not written out.
	infraIDs := map[string]bool{}
	for id := range imsIDs {
		infraIDs[id] = true
	}
	usernames := map[string]bool{}
	seenInfra := map[string]bool{}
	for i, ia := range sc.InfraAccounts {
		p := fmt.Sprintf("infraAccounts[%d]", i)
		if !imsIDRe.MatchString(ia.ID) {
			c.add(p+".id", "must be a 5-8 digit account number, got %q", ia.ID)
		} else if seenInfra[ia.ID] {
			c.add(p+".id", "duplicate infrastructure account %q", ia.ID)
		}
		seenInfra[ia.ID] = true
		infraIDs[ia.ID] = true
		for j, u := range ia.Users {
			up := fmt.Sprintf("%s.users[%d]", p, j)
			if u.Username == "" {
				c.add(up+".username", "required")
			} else if usernames[u.Username] {
				c.add(up+".username", "duplicate infrastructure username %q", u.Username)
			}
			usernames[u.Username] = true
			c.enum(up+".status", u.Status, infraUserStates)
			if u.IAMID != "" && !userByKey[u.IAMID] {
				c.add(up+".iamId", "unknown user %q", u.IAMID)
			}
			for k, perm := range u.Permissions {
				if !permKeyRe.MatchString(perm) {
					c.add(fmt.Sprintf("%s.permissions[%d]", up, k), "want a permission keyName such as SERVER_ADD, got %q", perm)
				}
			}
		}
		for _, kind := range []struct {
			name string
			devs []Device
		}{{"virtualGuests", ia.VirtualGuests}, {"hardware", ia.Hardware}} {
			for j, d := range kind.devs {
				dp := fmt.Sprintf("%s.%s[%d]", p, kind.name, j)
				if d.Hostname == "" {
					c.add(dp+".hostname", "required")
				}
				c.ip(dp+".privateIP", d.PrivateIP)
				c.ip(dp+".publicIP", d.PublicIP)
			}
		}
		for j, v := range ia.VLANs {
			vp := fmt.Sprintf("%s.vlans[%d]", p, j)
			if v.ID < 1000000 || v.ID > 9999999 {
				c.add(vp+".id", "a VLAN id has 7 digits, got %d", v.ID)
			}
			if v.Number < 1 || v.Number > 4094 {
				c.add(vp+".vlanNumber", "a VLAN number is 1-4094, got %d", v.Number)
			}
			c.enum(vp+".networkSpace", v.NetworkSpace, networkSpaces)
		}
	}
	// Users the simulator adds to linked accounts are named <ims>_<email>.
	for _, acc := range sc.bssAccounts() {
		if acc.IMS == "" {
			continue
		}
		for _, u := range sc.Users {
			if sc.isMember(&u, acc.ID) {
				usernames[acc.IMS+"_"+u.Email] = true
			}
		}
	}

	seenCred := map[string]bool{}
	for i, cr := range sc.Credentials {
		p := fmt.Sprintf("credentials[%d]", i)
		region(p+".region", cr.Region, true)
		group(p+".resourceGroup", cr.ResourceGroup, true)
		if cr.Username == "" {
			c.add(p+".username", "required")
		} else if !usernames[cr.Username] {
			c.add(p+".username", "unknown infrastructure user %q", cr.Username)
		}
		if seenCred[cr.Region+"/"+cr.ResourceGroup] {
			c.add(p, "second credentials for region %s and resource group %s", cr.Region, cr.ResourceGroup)
		}
		seenCred[cr.Region+"/"+cr.ResourceGroup] = true
	}

	clusterKeys := map[string]bool{}
	workerIDs := map[string]bool{}
	for i, cl := range sc.Clusters {
		p := fmt.Sprintf("clusters[%d]", i)
		if !clusterIDRe.MatchString(cl.ID) {
			c.add(p+".id", "must be 20 lowercase letters or digits (or 32 hex digits), got %q", cl.ID)
		}
		if cl.Name == "" {
			c.add(p+".name", "required")
		}
		for _, k := range []string{cl.ID, cl.Name} {
			if k != "" && clusterKeys[k] {
				c.add(p, "duplicate cluster id or name %q", k)
			}
			clusterKeys[k] = true
		}
		if !providers[cl.Provider] {
			c.add(p+".provider", "unknown provider %q (one of: %s)", cl.Provider, keys(providers))
		}
		region(p+".region", cl.Region, true)
		group(p+".resourceGroup", cl.ResourceGroup, true)
		c.enum(p+".state", cl.State, clusterStates)
		c.enum(p+".master.state", cl.Master.State, masterStates)
		c.enum(p+".master.health", cl.Master.Health, masterHealths)
		c.date(p+".createdDate", cl.CreatedDate)
		pools := map[string]bool{}
		for j, wp := range cl.WorkerPools {
			pp := fmt.Sprintf("%s.workerPools[%d]", p, j)
			if wp.Name == "" {
				c.add(pp+".name", "required")
			} else if pools[wp.Name] {
				c.add(pp+".name", "duplicate worker pool %q", wp.Name)
			}
			pools[wp.Name] = true
			for k, z := range wp.Zones {
				if z.ID == "" {
					c.add(fmt.Sprintf("%s.zones[%d].id", pp, k), "required")
				}
			}
		}
		for j, w := range cl.Workers {
			wp := fmt.Sprintf("%s.workers[%d]", p, j)
			if w.ID == "" {
				c.add(wp+".id", "required")
			} else if workerIDs[w.ID] {
				c.add(wp+".id", "duplicate worker id %q", w.ID)
			}
			workerIDs[w.ID] = true
			c.enum(wp+".state", w.State, workerStates)
			c.ip(wp+".privateIP", w.PrivateIP)
			c.ip(wp+".publicIP", w.PublicIP)
			c.date(wp+".statusDate", w.StatusDate)
			if len(cl.WorkerPools) > 0 && !pools[orDefault(w.PoolName, "default")] {
				c.add(wp+".poolName", "unknown worker pool %q", orDefault(w.PoolName, "default"))
			}
			if ia := w.InfraAccount; ia != "" && ia != "none" {
				if cl.Provider != "classic" {
					c.add(wp+".infraAccount", "only classic workers have a classic infrastructure device")
				} else if !infraIDs[ia] {
					c.add(wp+".infraAccount", "unknown infrastructure account %q", ia)
				}
			}
		}
	}

	subnetsByRegion := map[string]map[string]bool{} // region -> subnet names and ids
	for i, v := range sc.VPCs {
		p := fmt.Sprintf("vpcs[%d]", i)
		if v.Name == "" {
			c.add(p+".name", "required")
		}
		region(p+".region", v.Region, true)
		group(p+".resourceGroup", v.ResourceGroup, true)
		subnets := map[string]*net.IPNet{}
		for j, sn := range v.Subnets {
			sp := fmt.Sprintf("%s.subnets[%d]", p, j)
			if sn.Name == "" {
				c.add(sp+".name", "required")
			}
			if !strings.HasPrefix(sn.Zone, v.Region+"-") {
				c.add(sp+".zone", "want a zone of %s such as %s-1, got %q", v.Region, v.Region, sn.Zone)
			}
			_, cidr, err := net.ParseCIDR(sn.CIDR)
			if err != nil {
				c.add(sp+".cidr", "not a CIDR block: %q", sn.CIDR)
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
					c.add(rp+".address", "want an address in %s, got %q", sn.CIDR, r.Address)
				}
				c.enum(rp+".owner", r.Owner, ipOwners)
			}
		}
		if subnetsByRegion[v.Region] == nil {
			subnetsByRegion[v.Region] = map[string]bool{}
		}
		for k := range subnets {
			subnetsByRegion[v.Region][k] = true
		}
		for j, g := range v.EndpointGateways {
			gp := fmt.Sprintf("%s.endpointGateways[%d]", p, j)
			if g.Name == "" && g.Cluster == "" {
				c.add(gp+".name", "required unless cluster is set")
			}
			if g.Cluster != "" && !clusterKeys[g.Cluster] {
				c.add(gp+".cluster", "unknown cluster %q", g.Cluster)
			}
			c.enum(gp+".state", g.State, gatewayStates)
			c.enum(gp+".health", g.Health, gatewayHealths)
			for k, gip := range g.IPs {
				ipp := fmt.Sprintf("%s.ips[%d]", gp, k)
				cidr, ok := subnets[gip.Subnet]
				if !ok {
					c.add(ipp+".subnet", "unknown subnet %q in this VPC", gip.Subnet)
				} else if ip := net.ParseIP(gip.Address); ip == nil || !cidr.Contains(ip) {
					c.add(ipp+".address", "want an address in %s, got %q", cidr, gip.Address)
				}
			}
		}
	}
	c.enum("wire.poolZoneVlanKeys", sc.Wire.PoolZoneVlanKeys, vlanKeyCases)
	sc.validatePartial(c)

	sort.SliceStable(c.errs, func(i, j int) bool { return c.errs[i].path < c.errs[j].path })
	return c.errs
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func def(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

// applyDefaults fills what a short scenario may leave out and derives what
// follows from it (linked infrastructure accounts and their users, each
// classic worker's device and VLANs, worker pools, VPC ids and the
// gateways' reserved IPs). It runs after validation, so the defaults
// themselves need no checking.
func (sc *Scenario) applyDefaults() {
	def(&sc.Account.Type, "PAYG")
	def(&sc.Account.MFA, "NONE")
	def(&sc.Wire.PoolZoneVlanKeys, "privateVlan")
	sc.partialDefaults()
	for i := range sc.OtherAccounts {
		o := &sc.OtherAccounts[i]
		def(&o.Type, "SUBSCRIPTION")
		def(&o.MFA, "NONE")
		if len(o.Members) == 0 {
			o.Members = []string{sc.Session.User}
		}
	}
	for i := range sc.Users {
		def(&sc.Users[i].State, "ACTIVE")
	}
	for i := range sc.ResourceGroups {
		g := &sc.ResourceGroups[i]
		def(&g.QuotaID, "a3d7b8d01e261c24677937c29ab33f3c")
		def(&g.CreatedAt, "2020-03-01T12:00:00.000Z")
	}
	for i := range sc.AccessGroups {
		def(&sc.AccessGroups[i].ID, "AccessGroupId-"+uuidFrom("ag/"+sc.AccessGroups[i].Name))
	}
	if sc.Session.TokenLifetime == 0 {
		sc.Session.TokenLifetime = time.Hour
	}
	for i := range sc.APIKeys {
		k := &sc.APIKeys[i]
		def(&k.ID, "ApiKey-"+uuidFrom("iks-key/"+k.Region+"/"+k.ResourceGroup))
		def(&k.CreatedAt, "2024-05-14T08:20+0000")
	}
	sc.deriveInfra()
	for i := range sc.Credentials {
		cr := &sc.Credentials[i]
		if _, u := sc.infraUser(cr.Username); u != nil && cr.APIKey == "" && len(u.APIKeys) > 0 {
			cr.APIKey = u.APIKeys[0]
		}
	}
	for i := range sc.Clusters {
		c := &sc.Clusters[i]
		def(&c.State, "normal")
		def(&c.Status, "All Workers Normal")
		def(&c.Master.State, "deployed")
		def(&c.Master.Status, "Ready")
		def(&c.Master.Health, "normal")
		def(&c.Type, "kubernetes")
		if c.Type == "openshift" {
			def(&c.KubeVersion, defaultOpenShiftVersion)
		}
		def(&c.KubeVersion, defaultVersion)
		def(&c.TargetVersion, c.KubeVersion)
		def(&c.CreatedDate, defaultCreatedAt)
		for j := range c.Workers {
			w := &c.Workers[j]
			def(&w.State, "normal")
			if w.Deleted {
				w.State = "deleted"
			}
			def(&w.Status, "Ready")
			def(&w.PoolName, "default")
			def(&w.Flavor, "b3c.4x16")
			def(&w.KubeVersion, c.KubeVersion)
			def(&w.TargetVersion, c.KubeVersion)
			def(&w.Location, c.Datacenter)
		}
		derivePools(c)
	}
	sc.deriveDevices()
	sc.deriveVPCs()
}

// deriveInfra makes sure every linked infrastructure account exists with a
// user for each member of the IBM Cloud account linked to it (named
// <ims>_<email>, as IBMid-linked classic users are), and fills user defaults.
func (sc *Scenario) deriveInfra() {
	for _, acc := range sc.bssAccounts() {
		if acc.IMS == "" {
			continue
		}
		ia := sc.InfraAccountByID(acc.IMS)
		if ia == nil {
			sc.InfraAccounts = append(sc.InfraAccounts, InfraAccount{ID: acc.IMS, Name: acc.Name})
			ia = &sc.InfraAccounts[len(sc.InfraAccounts)-1]
		}
		ia.LinkedAccount = acc.ID
		def(&ia.Name, acc.Name)
		for _, u := range sc.Users {
			if u.Removed || !sc.isMember(&u, acc.ID) || ia.userByIAMID(u.IAMID) != nil || ia.user(acc.IMS+"_"+u.Email) != nil {
				continue
			}
			iu := InfraUser{Username: acc.IMS + "_" + u.Email, Email: u.Email, IAMID: u.IAMID, Name: u.Name, Master: u.Email == acc.Owner}
			if acc.ID == sc.Account.ID {
				iu.ID = u.IMSUserID
			}
			ia.Users = append(ia.Users, iu)
		}
	}
	for i := range sc.InfraAccounts {
		ia := &sc.InfraAccounts[i]
		def(&ia.Name, "Infrastructure account "+ia.ID)
		for j := range ia.Users {
			u := &ia.Users[j]
			if u.ID == 0 {
				u.ID = numFrom("infra-user/"+u.Username, 7)
			}
			def(&u.Status, "ACTIVE")
			if _, email, ok := strings.Cut(u.Username, "_"); ok && strings.Contains(email, "@") {
				def(&u.Email, email)
			}
			if u.IAMID != "" {
				if owner := sc.user(u.IAMID); owner != nil {
					def(&u.Name, owner.Name)
					def(&u.Email, owner.Email)
				}
			}
			def(&u.Name, u.Username)
			if u.Permissions == nil {
				u.Permissions = allPermissionKeys()
			}
		}
		for j := range ia.VirtualGuests {
			defaultDevice(&ia.VirtualGuests[j], false)
		}
		for j := range ia.Hardware {
			defaultDevice(&ia.Hardware[j], true)
		}
	}
}

func defaultDevice(d *Device, hardware bool) {
	if d.ID == 0 {
		n := 8
		if hardware {
			n = 7
		}
		d.ID = numFrom("device/"+d.Hostname, n)
	}
	def(&d.Domain, "iks.ibm")
	def(&d.Status, "ACTIVE")
	def(&d.PowerState, "RUNNING")
	def(&d.GlobalIdentifier, uuidFrom("device-guid/"+d.Hostname))
	def(&d.ProvisionDate, "2024-05-14T03:25:11-06:00")
}

// deriveDevices puts each classic worker's device (hostname = worker id)
// and its VLANs into the infrastructure account that holds it; a device or
// VLAN the scenario lists itself wins. Indexed: a fleet has thousands.
func (sc *Scenario) deriveDevices() {
	hosts, vlans := map[string]bool{}, map[string]bool{} // "<account>/<hostname>", "<account>/<vlan id>"
	for _, ia := range sc.InfraAccounts {
		for _, list := range [][]Device{ia.VirtualGuests, ia.Hardware} {
			for _, d := range list {
				hosts[ia.ID+"/"+d.Hostname] = true
			}
		}
		for _, v := range ia.VLANs {
			vlans[fmt.Sprintf("%s/%d", ia.ID, v.ID)] = true
		}
	}
	for i := range sc.Clusters {
		c := &sc.Clusters[i]
		if c.Provider != "classic" {
			continue
		}
		provisioned := slDate(c.CreatedDate)
		for j := range c.Workers {
			w := &c.Workers[j]
			holder := w.InfraAccount
			if holder == "" && !w.Deleted {
				holder = sc.Account.IMSAccount
			}
			ia := sc.InfraAccountByID(holder)
			if ia == nil || hosts[ia.ID+"/"+w.ID] {
				continue
			}
			d := Device{ID: w.DeviceID, Hostname: w.ID, PrivateIP: w.PrivateIP, PublicIP: w.PublicIP,
				Datacenter: w.Location, ProvisionDate: provisioned, PrivateVlan: w.PrivateVlan, PublicVlan: w.PublicVlan}
			defaultDevice(&d, w.BareMetal)
			if w.BareMetal {
				ia.Hardware = append(ia.Hardware, d)
			} else {
				ia.VirtualGuests = append(ia.VirtualGuests, d)
			}
			if w.Deleted {
				continue // its VLANs may be gone (reclaimed)
			}
			for _, v := range []struct{ id, space string }{{w.PrivateVlan, "PRIVATE"}, {w.PublicVlan, "PUBLIC"}} {
				id, err := strconv.ParseInt(v.id, 10, 64)
				if err != nil || vlans[ia.ID+"/"+v.id] {
					continue
				}
				vlans[ia.ID+"/"+v.id] = true
				router := "bcr01a." + w.Location
				if v.space == "PUBLIC" {
					router = "fcr01a." + w.Location
				}
				ia.VLANs = append(ia.VLANs, VLAN{ID: id, Number: int(1000 + numFrom("vlan/"+v.id, 4)%3000),
					NetworkSpace: v.space, Datacenter: w.Location, Router: router})
			}
		}
	}
}

// derivePools builds the worker pools from the workers when the scenario
// lists none, and fills pool defaults either way.
func derivePools(c *Cluster) {
	if len(c.WorkerPools) == 0 {
		for _, w := range c.Workers {
			if poolByName(c, w.PoolName) == nil {
				c.WorkerPools = append(c.WorkerPools, WorkerPool{Name: w.PoolName})
			}
		}
	}
	for i := range c.WorkerPools {
		p := &c.WorkerPools[i]
		perZone := map[string]int{}
		for _, w := range c.Workers {
			if w.PoolName != p.Name {
				continue
			}
			def(&p.Flavor, w.Flavor)
			if !w.Deleted {
				perZone[w.Location]++
			}
			z := p.zone(w.Location)
			if z == nil {
				p.Zones = append(p.Zones, PoolZone{ID: w.Location})
				z = &p.Zones[len(p.Zones)-1]
			}
			// A live worker's VLANs win over a deleted one's.
			if z.PrivateVlan == "" || !w.Deleted {
				def(&z.PrivateVlan, w.PrivateVlan)
				def(&z.PublicVlan, w.PublicVlan)
			}
		}
		def(&p.Flavor, "b3c.4x16")
		if p.SizePerZone == 0 {
			p.SizePerZone = 1
			for _, n := range perZone {
				p.SizePerZone = max(p.SizePerZone, n)
			}
		}
	}
}

func poolByName(c *Cluster, name string) *WorkerPool {
	for i := range c.WorkerPools {
		if c.WorkerPools[i].Name == name {
			return &c.WorkerPools[i]
		}
	}
	return nil
}

func (p *WorkerPool) zone(id string) *PoolZone {
	for i := range p.Zones {
		if p.Zones[i].ID == id {
			return &p.Zones[i]
		}
	}
	return nil
}

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

// slDate turns an IKS date into SoftLayer's -06:00 style.
func slDate(iks string) string {
	t, err := time.Parse(ikstimeLayout, iks)
	if err != nil {
		return ""
	}
	return t.In(time.FixedZone("CST", -6*3600)).Format("2006-01-02T15:04:05-07:00")
}
