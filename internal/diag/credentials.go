package diag

import (
	"errors"
	"slices"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Seed 000 §cs_credentials, step 1: who owns the API key of the cluster's
// region and resource group, are credentials set manually, and do they
// carry the permissions (step 2). Seed 001 adds the owner pending deletion.

const (
	DocCredentialsSetup = "https://cloud.ibm.com/docs/containers?topic=containers-access-creds"
	DocInfraRoles       = "https://cloud.ibm.com/docs/containers?topic=containers-iam-platform-access-roles"
	DocCommonIssues     = "https://cloud.ibm.com/docs/containers?topic=containers-debug_worker_nodes#common_worker_nodes_issues"
)

var apikeyOwner = Check{
	ID: "apikey.owner", Category: "credentials", Seed: "000/001",
	Needs: []facts.Key{facts.KeyAPIKeyOwner, facts.KeyOwnerMembership},
	Reads: []string{"ibmcloud ks api-key info", "user-management: GET /v2/accounts/{id}/users", "iam: GET /v1/accounts/{id}/settings/identity",
		"user-management: GET /v2/accounts/{id}/users/{iam_id}"},
	Doc: DocCommonIssues, Scope: ClusterScope,
	Judge: judgeAPIKeyOwner,
}

// isActive: ACTIVE is the user-management state of a member whose API key
// works. Everything else (PENDING, PROCESSING, VPN_ONLY,
// DISABLED_CLASSIC_INFRASTRUCTURE) cannot reach classic infrastructure.
func isActive(state string) bool { return strings.EqualFold(state, "ACTIVE") }

// The owner's membership is read directly by IAM id: a user list may be
// restricted to what the caller may see, and "not in the list" is then no
// evidence that the owner left.
func judgeAPIKeyOwner(s *facts.Set) []Finding {
	if s.APIKeyOwner.Err != nil {
		return []Finding{unknownRead(s.APIKeyOwner.Err)}
	}
	c, o := s.Cluster.Value, s.APIKeyOwner.Value
	p := map[string]string{"owner": orPlaceholder(o.Email, o.IAMID), "ownerName": o.Name, "cluster": c.Name, "region": c.Region, "group": c.ResourceGroupName}
	if err := s.OwnerMembership.Err; err != nil {
		var hidden *facts.NotVisibleError
		if errors.As(err, &hidden) {
			return []Finding{{Status: Unknown, Key: "apikey.owner.hidden", Params: p}}
		}
		f := unknownRead(err)
		if f.Status == Unknown {
			f.Key, f.Params = "apikey.owner.unverified", merge(p, map[string]string{"error": err.Error()})
		}
		return []Finding{f}
	}
	m := s.OwnerMembership.Value
	fix := resetAPIKey(c.Region, c.ResourceGroupName)
	switch {
	case !m.Member:
		return []Finding{{Status: Fail, Key: "apikey.owner.not-member", Params: p, Actor: AccountOwner, Fix: fix}}
	case !isActive(m.State):
		p["state"] = m.State
		return []Finding{{Status: Fail, Key: "apikey.owner.inactive", Params: p, Actor: AccountOwner, Fix: fix}}
	}
	return []Finding{{Status: OK, Key: "apikey.owner.ok", Params: p}}
}

// resetAPIKey makes the user who runs it the API key owner of the region and
// resource group: target the group first, or the key lands in another one.
func resetAPIKey(region, group string) []string {
	return []string{
		targetCmd(region, group),
		cmd("ibmcloud", "ks", "api-key", "reset", "--region", region),
	}
}

var apikeyPermissions = Check{
	ID: "apikey.permissions", Category: "credentials", Seed: "000/001",
	Needs: []facts.Key{facts.KeyInfraPermissions, facts.KeyCredentials, facts.KeyOwnerAccess, facts.KeyOwnerMembership},
	Reads: []string{"ibmcloud ks infra-permissions get", "ibmcloud ks credential get", "iam: GET /v1/policies", "iam: GET /v2/groups"},
	Doc:   DocInfraRoles, Scope: BothScopes, Infra: []string{facts.InfraClassic, facts.InfraVPC},
	Judge: judgePermissions,
}

func judgePermissions(s *facts.Set) []Finding {
	region, group := scopeOf(s)
	manual := s.Credentials.Err == nil && s.Credentials.Value.Set
	if ownerGone(s) && !manual {
		// The key of a user who left works for nothing: whatever the
		// permissions say, apikey.owner's fix comes first.
		return []Finding{{Status: Info, Key: "apikey.permissions.owner-gone", Params: map[string]string{"owner": s.APIKeyOwner.Value.Email}}}
	}
	if onVPC(s) {
		return judgeVPCAdmin(s, region, group)
	}
	if s.InfraPermissions.Err != nil {
		return []Finding{unknownRead(s.InfraPermissions.Err)}
	}
	who := ""
	if manual {
		who = s.Credentials.Value.APIUser
	} else if s.APIKeyOwner.Loaded && s.APIKeyOwner.Err == nil {
		who = s.APIKeyOwner.Value.Email
	}
	var required, recommended []string
	for _, m := range s.InfraPermissions.Value.Missing {
		if m.Required {
			required = appendNew(required, m.Permissions...)
		} else {
			recommended = appendNew(recommended, m.Permissions...)
		}
	}
	p := map[string]string{"user": who, "region": region, "group": group, "account": s.InfraPermissions.Value.Account,
		"required": strings.Join(required, ", "), "recommended": strings.Join(recommended, ", ")}
	fix := []string{
		targetCmd(region, group),
		cmd("ibmcloud", "ks", "infra-permissions", "get", "--region", region),
		"ibmcloud sl user list",
		"ibmcloud sl user permission-edit <infrastructure_user_ID> --permission <PERMISSION_KEYNAME> --enable true",
	}
	switch {
	case len(required) > 0:
		return []Finding{{Status: Fail, Key: "apikey.permissions.missing-required", Params: p, Actor: AccountOwner, Fix: fix}}
	case len(recommended) > 0:
		return []Finding{{Status: Warn, Key: "apikey.permissions.missing-recommended", Params: p, Actor: AccountOwner, Fix: fix}}
	}
	return []Finding{{Status: OK, Key: "apikey.permissions.ok", Params: p}}
}

// VPC clusters use no classic credentials: the API key owner needs the
// Administrator platform role on the Kubernetes Service (seed 001, common
// issues). A role that is not in the policies this caller can see is a
// failure only when the caller sees all of them.
func judgeVPCAdmin(s *facts.Set, region, group string) []Finding {
	if s.OwnerAccess.Err != nil {
		return []Finding{unknownRead(s.OwnerAccess.Err)}
	}
	c, o := s.Cluster.Value, s.APIKeyOwner.Value
	p := map[string]string{"owner": orPlaceholder(o.Email, o.IAMID), "region": region, "group": group}
	switch {
	case grants(s.OwnerAccess.Value, "Administrator", serviceKubernetes, c.Region, c.ResourceGroupID, c.ID):
		return []Finding{{Status: OK, Key: "apikey.permissions.vpc-ok", Params: p}}
	case !s.OwnerAccess.Value.Complete:
		return []Finding{{Status: Unknown, Key: "apikey.permissions.vpc-unverified", Params: p}}
	}
	return []Finding{{Status: Fail, Key: "apikey.permissions.vpc-admin", Params: p, Actor: AccountOwner,
		Fix: []string{cmd("ibmcloud", "iam", "user-policy-create", orPlaceholder(o.Email, "<owner_email>"),
			"--roles", "Administrator", "--service-name", serviceKubernetes)}}}
}

var credentialsManual = Check{
	ID: "credentials.manual", Category: "credentials", Seed: "000",
	Needs: []facts.Key{facts.KeyCredentials},
	Reads: []string{"ibmcloud ks credential get", "IAM token: account.ims"},
	Doc:   DocCredentials, Scope: BothScopes, Infra: []string{facts.InfraClassic, facts.InfraVPC},
	Judge: judgeManualCredentials,
}

func judgeManualCredentials(s *facts.Set) []Finding {
	if s.Credentials.Err != nil {
		return []Finding{unknownRead(s.Credentials.Err)}
	}
	region, group := scopeOf(s)
	cr := s.Credentials.Value
	p := map[string]string{"region": region, "group": group, "user": cr.APIUser, "infraAccount": cr.InfraAccount()}
	p["linkedAccount"] = s.Session.IMSAccountID
	if !cr.Set {
		return []Finding{{Status: OK, Key: "credentials.manual.none", Params: p}}
	}
	unset := []string{targetCmd(region, group), cmd("ibmcloud", "ks", "credential", "unset", "--region", region)}
	switch {
	case onVPC(s):
		return []Finding{{Status: Info, Key: "credentials.manual.vpc", Params: p}}
	case p["infraAccount"] == "" || p["linkedAccount"] == "":
		return []Finding{{Status: Info, Key: "credentials.manual.set", Params: p}}
	case p["infraAccount"] == p["linkedAccount"]:
		return []Finding{{Status: Info, Key: "credentials.manual.linked", Params: p, Actor: AccountOwner, Fix: unset}}
	}
	// Unsetting would move every cluster of the scope to the linked account:
	// right for clusters there, orphaning for those in the manual one. The
	// orphan plan decides with every cluster of the scope in view.
	return []Finding{{Status: Warn, Key: "credentials.manual.other-account", Params: p, Actor: AccountOwner,
		Fix: []string{targetCmd(region, group), cmd("ibmcloud", "ks-doctor", "orphan", "-r", region, "-g", group)}}}
}

var credentialsRegistry = Check{
	ID: "credentials.registry", Category: "credentials", Seed: "000",
	Needs: []facts.Key{facts.KeyWorkers, facts.KeyOwnerAccess},
	Reads: []string{"ibmcloud ks worker ls", "iam: GET /v1/policies", "iam: GET /v2/groups"},
	Doc:   DocCredentials, Scope: ClusterScope,
	Judge: judgeRegistry,
}

func judgeRegistry(s *facts.Set) []Finding {
	if s.Workers.Err != nil {
		return []Finding{unknownRead(s.Workers.Err)}
	}
	if !facts.RegistryFailed(s.Cluster.Value, s.Workers.Value) {
		return []Finding{{Status: OK, Key: "credentials.registry.no-failure"}}
	}
	if s.OwnerAccess.Err != nil {
		return []Finding{unknownRead(s.OwnerAccess.Err)}
	}
	c, o := s.Cluster.Value, s.APIKeyOwner.Value
	p := map[string]string{"owner": orPlaceholder(o.Email, o.IAMID), "cluster": c.Name}
	apply := cmd("ibmcloud", "ks", "cluster", "pull-secret", "apply", "--cluster", c.Name)
	switch {
	case grants(s.OwnerAccess.Value, "Administrator", serviceRegistry, c.Region, "", ""):
		return []Finding{{Status: Warn, Key: "credentials.registry.has-role", Params: p, Actor: User, Fix: []string{apply}}}
	case !s.OwnerAccess.Value.Complete:
		return []Finding{{Status: Unknown, Key: "credentials.registry.unverified", Params: p}}
	}
	return []Finding{{Status: Fail, Key: "credentials.registry.missing-role", Params: p, Actor: AccountOwner,
		Fix: []string{cmd("ibmcloud", "iam", "user-policy-create", orPlaceholder(o.Email, "<owner_email>"),
			"--roles", "Administrator", "--service-name", serviceRegistry), apply}}}
}

// scopeOf is the region and resource group name whose credentials apply.
func scopeOf(s *facts.Set) (region, group string) {
	if c, ok := s.ReadCluster(); ok {
		return c.Region, c.ResourceGroupName
	}
	if s.Session.ResourceGroup != nil {
		group = s.Session.ResourceGroup.Name
	} else if def, err := defaultGroup(s); err == nil {
		group = def.Name
	}
	return orPlaceholder(s.Session.Region, "<region>"), group
}

// onVPC reports a run on a VPC cluster (not before creating one).
func onVPC(s *facts.Set) bool {
	c, ok := s.ReadCluster()
	return ok && c.Infrastructure() == facts.InfraVPC
}

func orPlaceholder(v, placeholder string) string {
	if v == "" {
		return placeholder
	}
	return v
}

func appendNew(list []string, vs ...string) []string {
	for _, v := range vs {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

func merge(a, b map[string]string) map[string]string {
	out := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
