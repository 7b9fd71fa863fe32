package sim

import (
	"fmt"
	"strings"
)

// The sections of the IBM Cloud account and its identities: users,
// account, otherAccounts, resourceGroups, accessGroups, session, apiKeys.

// usersSection checks users and records their e-mails and IAM ids, which
// the later sections refer to.
func (v *validation) usersSection() {
	for i, u := range v.sc.Users {
		p := fmt.Sprintf("users[%d]", i)
		if u.IAMID == "" {
			v.add(p+".iamId", "required")
		}
		if !strings.Contains(u.Email, "@") {
			v.add(p+".email", "must be an e-mail address, got %q", u.Email)
		}
		for _, k := range []string{u.IAMID, u.Email} {
			if k != "" && v.users[k] {
				v.add(p, "duplicate user %q", k)
			}
			v.users[k] = true
		}
		v.enum(p+".state", u.State, userStates)
		for j, d := range u.Denied {
			v.enum(fmt.Sprintf("%s.denied[%d]", p, j), d, denials)
		}
		for j, l := range u.Limited {
			v.enum(fmt.Sprintf("%s.limited[%d]", p, j), l, set(Limits...))
		}
		v.policies(p, u.Policies)
	}
}

// policies checks the policies of a user or an access group (p).
func (v *validation) policies(p string, ps []Policy) {
	for i, pol := range ps {
		pp := fmt.Sprintf("%s.policies[%d]", p, i)
		if len(pol.Roles) == 0 {
			v.add(pp+".roles", "at least one role required")
		}
		for j, r := range pol.Roles {
			v.enum(fmt.Sprintf("%s.roles[%d]", pp, j), r, set(keysOf(roleCRNs)...))
		}
		v.region(pp+".region", pol.Region, false)
		v.group(pp+".resourceGroup", pol.ResourceGroup, false)
		v.enum(pp+".serviceType", pol.ServiceType, set("service", "platform_service"))
		if pol.ServiceType != "" && pol.Service != "" {
			v.add(pp+".serviceType", "serviceType is for policies without a service (all IAM or all Account Management services)")
		}
	}
}

// accountSection checks the account the session is logged in to and
// records its linked infrastructure account.
func (v *validation) accountSection() {
	a := v.sc.Account
	if !hex32.MatchString(a.ID) {
		v.add("account.id", "must be 32 lowercase hex digits, got %q", a.ID)
	}
	if a.Name == "" {
		v.add("account.name", "required")
	}
	v.enum("account.type", a.Type, accountTypes)
	v.enum("account.mfa", a.MFA, mfaValues)
	if a.IMSAccount != "" && !imsIDRe.MatchString(a.IMSAccount) {
		v.add("account.imsAccount", "must be a 5-8 digit account number, got %q", a.IMSAccount)
	}
	if a.IMSAccount != "" {
		v.imsIDs[a.IMSAccount] = true
	}
	if a.Owner != "" && !v.users[a.Owner] {
		v.add("account.owner", "unknown user %q (must be the e-mail of one of users)", a.Owner)
	}
	v.enum("account.restrictUserListVisibility", a.RestrictUserListVisibility, set(UserListRestricted, UserListNotRestricted))
	for i, m := range a.UserMFA {
		p := fmt.Sprintf("account.userMfa[%d]", i)
		if v.sc.user(m.User) == nil {
			v.add(p+".user", "unknown user %q (must be the e-mail or IAM id of one of users)", m.User)
		}
		if m.MFA == "" {
			v.add(p+".mfa", "required")
		}
		v.enum(p+".mfa", m.MFA, mfaValues)
	}
}

// otherAccountsSection checks the further IBM Cloud accounts: ids distinct
// from the account's, and no infrastructure account linked twice.
func (v *validation) otherAccountsSection() {
	accountIDs := map[string]bool{v.sc.Account.ID: true}
	for i, o := range v.sc.OtherAccounts {
		p := fmt.Sprintf("otherAccounts[%d]", i)
		v.uniqueID(p+".id", o.ID, hex32, "32 lowercase hex digits", accountIDs, "account id")
		if o.Name == "" {
			v.add(p+".name", "required")
		}
		v.enum(p+".type", o.Type, accountTypes)
		v.enum(p+".mfa", o.MFA, mfaValues)
		if o.IMSAccount != "" {
			if !imsIDRe.MatchString(o.IMSAccount) {
				v.add(p+".imsAccount", "must be a 5-8 digit account number, got %q", o.IMSAccount)
			} else if v.imsIDs[o.IMSAccount] {
				v.add(p+".imsAccount", "infrastructure account %s is already linked to another account", o.IMSAccount)
			}
			v.imsIDs[o.IMSAccount] = true
		}
		for j, m := range o.Members {
			v.user(fmt.Sprintf("%s.members[%d]", p, j), m)
		}
	}
}

// resourceGroupsSection checks the resource groups: names distinct,
// exactly one default.
func (v *validation) resourceGroupsSection() {
	defaults := 0
	seen := map[string]bool{}
	for i, g := range v.sc.ResourceGroups {
		p := fmt.Sprintf("resourceGroups[%d]", i)
		if !hex32.MatchString(g.ID) {
			v.add(p+".id", "must be 32 lowercase hex digits, got %q", g.ID)
		}
		v.unique(p+".name", g.Name, seen, "resource group")
		if g.Default {
			defaults++
		}
	}
	if defaults != 1 {
		v.add("resourceGroups", "exactly one resource group must be default, found %d", defaults)
	}
}

// accessGroupsSection checks the access groups, their members and policies.
func (v *validation) accessGroupsSection() {
	for i, g := range v.sc.AccessGroups {
		p := fmt.Sprintf("accessGroups[%d]", i)
		if g.Name == "" {
			v.add(p+".name", "required")
		}
		for j, m := range g.Members {
			v.user(fmt.Sprintf("%s.members[%d]", p, j), m)
		}
		for j, m := range g.DynamicMembers {
			if v.sc.user(m) == nil {
				v.add(fmt.Sprintf("%s.dynamicMembers[%d]", p, j), "unknown user %q (must be the e-mail or IAM id of one of users)", m)
			}
		}
		v.policies(p, g.Policies)
	}
}

// sessionSection checks what `ibmcloud login` and `ibmcloud target` left.
func (v *validation) sessionSection() {
	s := v.sc.Session
	if s.User == "" {
		v.add("session.user", "required")
	} else if !v.users[s.User] {
		v.add("session.user", "unknown user %q", s.User)
	}
	v.region("session.region", s.Region, false)
	v.group("session.resourceGroup", s.ResourceGroup, false)
	if s.TokenLifetime < 0 {
		v.add("session.tokenLifetime", "must not be negative")
	}
	v.enum("session.kubeconfigAuth", s.KubeconfigAuth, set(KubeconfigAuths...))
}

// apiKeysSection checks the IKS API keys: one per region and group.
func (v *validation) apiKeysSection() {
	seen := map[string]bool{}
	for i, k := range v.sc.APIKeys {
		p := fmt.Sprintf("apiKeys[%d]", i)
		v.oncePerScope(p, k.Region, k.ResourceGroup, seen, "a second API key for region %s and resource group %s")
		v.user(p+".owner", k.Owner)
	}
}
