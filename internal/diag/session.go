package diag

import (
	"errors"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// The session checks come first in seed 000's runbook ("Log in to your
// account. If applicable, target the appropriate resource group."): every
// credential command the runbook prints acts on the targeted region and
// resource group, so a wrong target sends the fix to the wrong place.

var sessionLogin = Check{
	ID: "session.login", Category: "session", Seed: "000",
	Needs: []facts.Key{facts.KeyCluster},
	Reads: []string{"ibmcloud login session (config.json)", "IAM token refresh"},
	Doc:   DocAccess, Scope: BothScopes,
	Judge: judgeLogin,
}

func judgeLogin(s *facts.Set) []Finding {
	p := map[string]string{"user": s.Session.UserEmail, "account": s.Session.AccountName}
	if s.Cluster.Loaded && facts.Unauthorized(s.Cluster.Err) {
		return []Finding{{Status: Fail, Key: "session.login.rejected", Params: p, Actor: User,
			Fix: []string{"ibmcloud login"}}}
	}
	key := "session.login.ok"
	switch {
	case s.Session.Refreshed:
		key = "session.login.refreshed"
	case s.Session.ServiceID || s.Session.Profile:
		key = "session.login.service-id"
	}
	return []Finding{{Status: OK, Key: key, Params: p}}
}

var sessionRegion = Check{
	ID: "session.region", Category: "session", Seed: "000",
	Needs: []facts.Key{facts.KeyCluster},
	Reads: []string{"ibmcloud target (config.json)", "ibmcloud ks cluster get"},
	Doc:   DocCredentials, Scope: BothScopes,
	Judge: judgeRegion,
}

// Credentials and the API key are stored per region: `ibmcloud ks credential`
// and `ibmcloud ks api-key` act on --region, so a user who fixes "the region
// I am in" may fix another cluster's region. Not a cause by itself: warn.
func judgeRegion(s *facts.Set) []Finding {
	target := s.Session.Region
	if !s.Cluster.Loaded {
		if target == "" {
			return []Finding{{Status: Warn, Key: "session.region.none-create", Actor: User,
				Fix: []string{"ibmcloud ks regions", "ibmcloud target -r <region>"}}}
		}
		return []Finding{{Status: OK, Key: "session.region.create", Params: map[string]string{"region": target}}}
	}
	if s.Cluster.Err != nil {
		return []Finding{unknownRead(s.Cluster.Err)}
	}
	c := s.Cluster.Value
	p := map[string]string{"region": target, "clusterRegion": c.Region, "cluster": c.Name}
	fix := []string{cmd("ibmcloud", "target", "-r", c.Region)}
	switch {
	case target == "":
		return []Finding{{Status: Warn, Key: "session.region.none", Params: p, Actor: User, Fix: fix}}
	case target != c.Region:
		return []Finding{{Status: Warn, Key: "session.region.mismatch", Params: p, Actor: User, Fix: fix}}
	}
	return []Finding{{Status: OK, Key: "session.region.ok", Params: p}}
}

var sessionResourceGroup = Check{
	ID: "session.resource-group", Category: "session", Seed: "000",
	Needs: []facts.Key{facts.KeyCluster, facts.KeyResourceGroups},
	Reads: []string{"ibmcloud target (config.json)", "ibmcloud ks cluster get", "ibmcloud resource groups"},
	Doc:   DocCredentials, Scope: BothScopes,
	Judge: judgeResourceGroup,
}

// Seed 000: "If no resource group is targeted, the default resource group is
// applied. If the targeted resource group is not the same as the one that the
// cluster is deployed in, then the new credentials do not apply to the
// cluster." Both cases are warnings: the target is a trap for the next
// `credential set` or `api-key reset`, not proof that the current credentials
// are wrong (apikey.* and credentials.* decide that).
func judgeResourceGroup(s *facts.Set) []Finding {
	target := s.Session.ResourceGroup
	if !s.Cluster.Loaded {
		if target != nil {
			return []Finding{{Status: OK, Key: "session.resource-group.create", Params: map[string]string{"group": target.Name}}}
		}
		def, err := defaultGroup(s)
		if err != nil {
			return []Finding{unknownRead(err)}
		}
		return []Finding{{Status: Info, Key: "session.resource-group.create-default", Actor: User,
			Params: map[string]string{"defaultGroup": def.Name},
			Fix:    []string{"ibmcloud resource groups", "ibmcloud target -g <resource_group>"}}}
	}
	if s.Cluster.Err != nil {
		return []Finding{unknownRead(s.Cluster.Err)}
	}
	c := s.Cluster.Value
	p := map[string]string{"cluster": c.Name, "clusterGroup": c.ResourceGroupName, "region": c.Region}
	fix := []string{
		cmd("ibmcloud", "target", "-g", c.ResourceGroupName),
		cmd("ibmcloud", "ks", "api-key", "info", "--cluster", c.Name),
		cmd("ibmcloud", "ks", "credential", "get", "--region", c.Region),
	}
	if target != nil {
		p["group"] = target.Name
		if target.ID == c.ResourceGroupID {
			return []Finding{{Status: OK, Key: "session.resource-group.ok", Params: p}}
		}
		return []Finding{{Status: Warn, Key: "session.resource-group.mismatch", Params: p, Actor: User, Fix: fix}}
	}
	def, err := defaultGroup(s)
	if err != nil {
		return []Finding{unknownRead(err)}
	}
	p["defaultGroup"] = def.Name
	if def.ID == c.ResourceGroupID {
		return []Finding{{Status: OK, Key: "session.resource-group.default-ok", Params: p}}
	}
	return []Finding{{Status: Warn, Key: "session.resource-group.none", Params: p, Actor: User, Fix: fix}}
}

// defaultGroup is the group IBM Cloud applies when none is targeted.
func defaultGroup(s *facts.Set) (facts.ResourceGroup, error) {
	if s.ResourceGroups.Err != nil {
		return facts.ResourceGroup{}, s.ResourceGroups.Err
	}
	if g, ok := facts.DefaultGroup(s.ResourceGroups.Value); ok {
		return g, nil
	}
	return facts.ResourceGroup{}, &facts.ReadError{Op: "ibmcloud resource groups", Message: "the account has no default resource group"}
}

// unknownRead is the finding of a check that could not decide because a read
// failed: unknown, with the read's own error and, for 401/403, what access
// is missing. A read that was never attempted because one it needs failed
// makes the check skipped, with that reason.
func unknownRead(err error) Finding {
	var dep *facts.DependencyError
	if errors.As(err, &dep) {
		return Finding{Status: Skipped, Key: "read.skipped", Params: map[string]string{"needs": string(dep.Needs), "error": dep.Err.Error()}}
	}
	var internal *facts.InternalError
	if errors.As(err, &internal) {
		return Finding{Status: Unknown, Key: "read.internal", Params: map[string]string{"error": err.Error()}}
	}
	var partial *facts.NotVisibleError
	if errors.As(err, &partial) {
		return Finding{Status: Unknown, Key: "read.partial." + partial.Access, Params: map[string]string{"op": partial.Op}}
	}
	var unreachable *facts.UnreachableAccountError
	if errors.As(err, &unreachable) {
		return Finding{Status: Unknown, Key: "read.account-unreachable", Params: map[string]string{"account": orPlaceholder(unreachable.Account, "?"), "op": unreachable.Op}}
	}
	var re *facts.ReadError
	if errors.As(err, &re) && (re.Status == 403 || re.Status == 401) {
		return Finding{Status: Unknown, Key: "read.denied", Params: map[string]string{"error": err.Error(), "op": re.Op}}
	}
	return Finding{Status: Unknown, Key: "read.failed", Params: map[string]string{"error": err.Error()}}
}
