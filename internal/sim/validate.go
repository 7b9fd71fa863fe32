package sim

import (
	"fmt"
	"net"
	"regexp"
	"sort"
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

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
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

// validation checks a scenario as written, one section of the schema at a
// time. Sections refer to each other (an API key's owner is one of users,
// credentials name a user of infraAccounts), so each section records what
// it defines for the sections after it.
type validation struct {
	checker
	sc      *Scenario
	regions map[string]bool
	groups  map[string]bool // resource group names
	users   map[string]bool // e-mails and IAM ids (users)
	// imsIDs are the linked infrastructure accounts (account, otherAccounts);
	// infraIDs every infrastructure account, linked or listed.
	imsIDs, infraIDs map[string]bool
	infraUsers       map[string]bool // infrastructure usernames, listed and derived
	clusters         map[string]bool // cluster ids and names
}

// validate checks formats and cross references of the scenario as written.
// The order of the sections is the order of their dependencies; the errors
// come out sorted by field path.
func (sc *Scenario) validate() []fieldErr {
	v := &validation{sc: sc, regions: set(Regions...), groups: map[string]bool{}, users: map[string]bool{},
		imsIDs: map[string]bool{}, infraIDs: map[string]bool{}, infraUsers: map[string]bool{}, clusters: map[string]bool{}}
	for _, g := range sc.ResourceGroups {
		v.groups[g.Name] = true
	}
	v.usersSection()
	v.accountSection()
	v.otherAccountsSection()
	v.resourceGroupsSection()
	v.accessGroupsSection()
	v.sessionSection()
	v.apiKeysSection()
	v.infraAccountsSection()
	v.credentialsSection()
	v.clustersSection()
	v.vpcsSection()
	v.wireSection()
	sort.SliceStable(v.errs, func(i, j int) bool { return v.errs[i].path < v.errs[j].path })
	return v.errs
}

// region checks a region name; required says whether "" is a fault.
func (v *validation) region(p, name string, required bool) {
	if name == "" && required {
		v.add(p, "required")
	} else if name != "" && !v.regions[name] {
		v.add(p, "unknown region %q", name)
	}
}

// group checks a resource group name; required says whether "" is a fault.
func (v *validation) group(p, name string, required bool) {
	if name == "" && required {
		v.add(p, "required")
	} else if name != "" && !v.groups[name] {
		v.add(p, "unknown resource group %q", name)
	}
}

// user checks a required reference to one of users.
func (v *validation) user(p, key string) {
	if key == "" {
		v.add(p, "required")
	} else if !v.users[key] {
		v.add(p, "unknown user %q (must be the e-mail or IAM id of one of users)", key)
	}
}

// unique checks a key that must be set and must not repeat in its list
// (seen holds the list's keys so far): "required", or "duplicate <what>".
func (v *validation) unique(p, key string, seen map[string]bool, what string) {
	if key == "" {
		v.add(p, "required")
	} else if seen[key] {
		v.add(p, "duplicate %s %q", what, key)
	}
	seen[key] = true
}

// uniqueID checks an id that must have a format (want says which) and must
// not repeat in its list (seen).
func (v *validation) uniqueID(p, id string, format *regexp.Regexp, want string, seen map[string]bool, what string) {
	if !format.MatchString(id) {
		v.add(p, "must be %s, got %q", want, id)
	} else if seen[id] {
		v.add(p, "duplicate %s %q", what, id)
	}
	seen[id] = true
}

// oncePerScope checks the region and resource group (both required) of an
// entry there is one of per region and group, as IKS keeps API keys and
// credentials (seen holds the scopes so far); second is the fault of a
// repeat, given the region and the group.
func (v *validation) oncePerScope(p, region, group string, seen map[string]bool, second string) {
	v.region(p+".region", region, true)
	v.group(p+".resourceGroup", group, true)
	if seen[region+"/"+group] {
		v.add(p, second, region, group)
	}
	seen[region+"/"+group] = true
}

// wireSection checks the wire-format choices.
func (v *validation) wireSection() {
	w := v.sc.Wire
	v.enum("wire.poolZoneVlanKeys", w.PoolZoneVlanKeys, vlanKeyCases)
	if w.AccountPageSize < 0 {
		v.add("wire.accountPageSize", "must not be negative")
	}
	for name, n := range map[string]int{"wire.policyPageSize": w.PolicyPageSize, "wire.accessGroupPageSize": w.AccessGroupPageSize} {
		if n < 0 || n > 100 {
			v.add(name, "a page size is 0 (default) to 100, got %d", n)
		}
	}
	v.enum("wire.softlayerPageOrder", w.SoftLayerPageOrder, set(PageOrderStable, PageOrderUnordered))
	if w.SoftLayerMaxResultLimit < 0 {
		v.add("wire.softlayerMaxResultLimit", "must not be negative")
	}
}
