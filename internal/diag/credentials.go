package diag

import (
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
	Needs: []facts.Key{facts.KeyAPIKeyOwner, facts.KeyUsers},
	Reads: []string{"ibmcloud ks api-key info", "user-management: GET /v2/accounts/{id}/users"},
	Doc:   DocCommonIssues, Scope: ClusterScope,
	Judge: judgeAPIKeyOwner,
}

// activeStates are the user-management states of a member whose API key
// works. Everything else (PENDING, PROCESSING, VPN_ONLY,
// DISABLED_CLASSIC_INFRASTRUCTURE) cannot reach classic infrastructure.
var activeStates = []string{"ACTIVE"}

func judgeAPIKeyOwner(s *facts.Set) []Finding {
	if s.APIKeyOwner.Err != nil {
		return []Finding{unknownRead(s.APIKeyOwner.Err)}
	}
	c, o := s.Cluster.Value, s.APIKeyOwner.Value
	p := map[string]string{"owner": o.Email, "ownerName": o.Name, "cluster": c.Name, "region": c.Region, "group": c.ResourceGroupName}
	if s.Users.Err != nil {
		f := unknownRead(s.Users.Err)
		f.Key, f.Params = "apikey.owner.unverified", merge(p, map[string]string{"error": s.Users.Err.Error()})
		return []Finding{f}
	}
	i := slices.IndexFunc(s.Users.Value, func(u facts.User) bool {
		return o.IAMID != "" && u.IAMID == o.IAMID || strings.EqualFold(u.Email, o.Email)
	})
	fix := resetAPIKey(c.Region, c.ResourceGroupName)
	switch {
	case i < 0:
		return []Finding{{Status: Fail, Key: "apikey.owner.not-member", Params: p, Actor: AccountOwner, Fix: fix}}
	case !slices.Contains(activeStates, strings.ToUpper(s.Users.Value[i].State)):
		p["state"] = s.Users.Value[i].State
		return []Finding{{Status: Fail, Key: "apikey.owner.inactive", Params: p, Actor: AccountOwner, Fix: fix}}
	}
	return []Finding{{Status: OK, Key: "apikey.owner.ok", Params: p}}
}

// resetAPIKey makes the user who runs it the API key owner of the region and
// resource group: target the group first, or the key lands in another one.
func resetAPIKey(region, group string) []string {
	return []string{
		"ibmcloud target -r " + region + " -g " + group,
		"ibmcloud ks api-key reset --region " + region,
	}
}

var apikeyPermissions = Check{
	ID: "apikey.permissions", Category: "credentials", Seed: "000/001",
	Needs: []facts.Key{facts.KeyInfraPermissions, facts.KeyCredentials, facts.KeyOwnerRoles},
	Reads: []string{"ibmcloud ks infra-permissions get", "ibmcloud ks credential get", "iam: GET /v1/policies"},
	Doc:   DocInfraRoles, Scope: BothScopes,
	Judge: judgePermissions,
}

func judgePermissions(s *facts.Set) []Finding {
	region, group := scopeOf(s)
	if s.Cluster.Loaded && s.Cluster.Err == nil && isVPC(s.Cluster.Value) {
		// VPC clusters use no classic credentials: the API key owner needs
		// the Administrator platform role (seed 001, common issues).
		if s.OwnerRoles.Err != nil {
			return []Finding{unknownRead(s.OwnerRoles.Err)}
		}
		p := map[string]string{"owner": s.APIKeyOwner.Value.Email, "region": region, "group": group}
		if !s.OwnerRoles.Value.KubernetesAdmin {
			return []Finding{{Status: Fail, Key: "apikey.permissions.vpc-admin", Params: p, Actor: AccountOwner,
				Fix: []string{"ibmcloud iam user-policy-create " + orPlaceholder(p["owner"], "<owner_email>") +
					" --roles Administrator --service-name containers-kubernetes"}}}
		}
		return []Finding{{Status: OK, Key: "apikey.permissions.vpc-ok", Params: p}}
	}
	if s.InfraPermissions.Err != nil {
		return []Finding{unknownRead(s.InfraPermissions.Err)}
	}
	who := "<api_key_owner>"
	if s.Credentials.Err == nil && s.Credentials.Value.Set {
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
		"ibmcloud ks infra-permissions get --region " + region,
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

var credentialsManual = Check{
	ID: "credentials.manual", Category: "credentials", Seed: "000",
	Needs: []facts.Key{facts.KeyCredentials},
	Reads: []string{"ibmcloud ks credential get", "IAM token: linked infrastructure account (account.ims)"},
	Doc:   DocCredentials, Scope: BothScopes,
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
	unset := []string{"ibmcloud target -r " + region + " -g " + orPlaceholder(group, "<resource_group>"),
		"ibmcloud ks credential unset --region " + region}
	switch {
	case s.Cluster.Loaded && s.Cluster.Err == nil && isVPC(s.Cluster.Value):
		return []Finding{{Status: Info, Key: "credentials.manual.vpc", Params: p}}
	case p["infraAccount"] == "" || p["linkedAccount"] == "":
		return []Finding{{Status: Info, Key: "credentials.manual.set", Params: p}}
	case p["infraAccount"] == p["linkedAccount"]:
		return []Finding{{Status: Info, Key: "credentials.manual.linked", Params: p, Actor: AccountOwner, Fix: unset}}
	}
	return []Finding{{Status: Warn, Key: "credentials.manual.other-account", Params: p, Actor: AccountOwner, Fix: unset}}
}

var credentialsRegistry = Check{
	ID: "credentials.registry", Category: "credentials", Seed: "000",
	Needs: []facts.Key{facts.KeyWorkers, facts.KeyOwnerRoles},
	Reads: []string{"ibmcloud ks worker ls", "iam: GET /v1/policies"},
	Doc:   DocCredentials, Scope: ClusterScope,
	Judge: judgeRegistry,
}

// registryFailed is seed 000's symptom: "The cluster could not be configured
// with the registry. Make sure that you have the Administrator role for
// Container Registry."
func registryFailed(s *facts.Set) bool {
	has := func(t string) bool { return strings.Contains(strings.ToLower(t), "configured with the registry") }
	if has(s.Cluster.Value.Status) {
		return true
	}
	return slices.ContainsFunc(s.Workers.Value, func(w facts.Worker) bool { return has(w.Message) })
}

func judgeRegistry(s *facts.Set) []Finding {
	if s.Workers.Err != nil {
		return []Finding{unknownRead(s.Workers.Err)}
	}
	if !registryFailed(s) {
		return []Finding{{Status: OK, Key: "credentials.registry.no-failure"}}
	}
	if s.OwnerRoles.Err != nil {
		return []Finding{unknownRead(s.OwnerRoles.Err)}
	}
	p := map[string]string{"owner": s.APIKeyOwner.Value.Email, "cluster": s.Cluster.Value.Name}
	if s.OwnerRoles.Value.RegistryAdmin {
		return []Finding{{Status: Warn, Key: "credentials.registry.has-role", Params: p, Actor: User,
			Fix: []string{"ibmcloud ks cluster pull-secret apply --cluster " + s.Cluster.Value.Name}}}
	}
	return []Finding{{Status: Fail, Key: "credentials.registry.missing-role", Params: p, Actor: AccountOwner,
		Fix: []string{"ibmcloud iam user-policy-create " + orPlaceholder(p["owner"], "<owner_email>") +
			" --roles Administrator --service-name container-registry",
			"ibmcloud ks cluster pull-secret apply --cluster " + s.Cluster.Value.Name}}}
}

// scopeOf is the region and resource group name whose credentials apply.
func scopeOf(s *facts.Set) (region, group string) {
	if s.Cluster.Loaded && s.Cluster.Err == nil {
		return s.Cluster.Value.Region, s.Cluster.Value.ResourceGroupName
	}
	if s.Session.ResourceGroup != nil {
		group = s.Session.ResourceGroup.Name
	} else if def, err := defaultGroup(s); err == nil {
		group = def.Name
	}
	return orPlaceholder(s.Session.Region, "<region>"), group
}

func isVPC(c facts.Cluster) bool { return strings.HasPrefix(c.Provider, "vpc") }

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
