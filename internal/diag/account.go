package diag

import (
	"slices"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

const DocTOTP = "https://cloud.ibm.com/docs/containers?topic=containers-cluster_infra_errors#cs_totp"

var accountTOTP = Check{
	ID: "account.totp", Category: "account", Seed: "000/001",
	Needs: []facts.Key{facts.KeyAccountSettings, facts.KeyCredentials, facts.KeyAccount, facts.KeyAPIKeyOwner},
	Reads: []string{"iam: GET /v1/accounts/{id}/settings/identity", "ibmcloud ks credential get", "ibmcloud ks api-key info"},
	Doc:   DocTOTP, Scope: BothScopes, Infra: []string{facts.InfraClassic, facts.InfraVPC},
	Judge: judgeTOTP,
}

// totpModes are the account MFA settings that prompt for a time-based one
// time passcode, which the linked infrastructure cannot answer.
var totpModes = []string{"TOTP", "TOTP4ALL", "LEVEL2"}

// Seed 000 §cs_totp: TOTP matters only where IKS reaches the linked
// (Pay-As-You-Go) infrastructure through the API key, i.e. without an
// infrastructure API key set manually; VPC clusters cannot use manual
// credentials at all (seed 001). The account's user_mfa overrides the
// account level for the users it names (iamidentityv1 AccountSettings): an
// API key owner given another level is not blocked.
func judgeTOTP(s *facts.Set) []Finding {
	if s.AccountSettings.Err != nil {
		return []Finding{unknownRead(s.AccountSettings.Err)}
	}
	settings := s.AccountSettings.Value
	mfa := strings.ToUpper(settings.MFA)
	region, group := scopeOf(s)
	p := map[string]string{"mfa": mfa, "region": region, "group": group}
	if !slices.Contains(totpModes, mfa) {
		return []Finding{{Status: OK, Key: "account.totp.off", Params: p}}
	}
	if onVPC(s) {
		return []Finding{{Status: Info, Key: "account.totp.vpc", Params: p}}
	}
	if s.Credentials.Err != nil {
		return []Finding{unknownRead(s.Credentials.Err)}
	}
	if s.Credentials.Value.Set {
		p["user"] = s.Credentials.Value.APIUser
		return []Finding{{Status: OK, Key: "account.totp.api-key-set", Params: p}}
	}
	if len(settings.UserMFA) > 0 {
		// Whose key IKS uses decides: the owner's for a cluster; before a
		// cluster exists, the key is made from the user who creates it.
		owner, email := s.Session.IAMID, s.Session.UserEmail
		if s.Cluster.Loaded {
			if s.APIKeyOwner.Err != nil {
				return []Finding{unknownRead(s.APIKeyOwner.Err)}
			}
			owner, email = s.APIKeyOwner.Value.IAMID, s.APIKeyOwner.Value.Email
		}
		if own, ok := settings.UserMFA[owner]; ok && !slices.Contains(totpModes, strings.ToUpper(own)) {
			p["owner"], p["ownerMfa"] = email, strings.ToUpper(own)
			return []Finding{{Status: OK, Key: "account.totp.owner-exempt", Params: p}}
		}
	}
	return []Finding{{Status: Fail, Key: "account.totp.blocks", Params: p, Actor: AccountOwner, Fix: []string{
		targetCmd(region, group),
		cmd("ibmcloud", "ks", "credential", "set", "classic", "--infrastructure-username", "<infrastructure_API_username>",
			"--infrastructure-api-key", "<infrastructure_API_authentication_key>", "--region", region),
		cmd("ibmcloud", "ks", "credential", "get", "--region", region),
	}}}
}

var accountPaid = Check{
	ID: "account.paid", Category: "account", Seed: "001",
	Needs: []facts.Key{facts.KeyAccount, facts.KeyCredentials},
	Reads: []string{"account-management: GET /v4/accounts/{id}", "ibmcloud ks credential get"},
	Doc:   DocTOTP, Scope: BothScopes,
	Judge: judgePaid,
}

// unpaid account types cannot create standard clusters; STANDARD is the
// type of a Lite account (platform-services-go-sdk enterprisemanagementv1).
var unpaid = []string{"LITE", "TRIAL", "FREE", "STANDARD"}

// Seed 001 §cs_totp: "Unable to connect to the IBM Cloud account. Ensure
// that you have a paid account." A paid account reaches classic
// infrastructure through its linked account, or through credentials set
// manually.
func judgePaid(s *facts.Set) []Finding {
	if s.Account.Err != nil {
		return []Finding{unknownRead(s.Account.Err)}
	}
	a := s.Account.Value
	region, group := scopeOf(s)
	p := map[string]string{"type": a.Type, "linkedAccount": a.IMSAccount, "region": region}
	if slices.Contains(unpaid, strings.ToUpper(a.Type)) {
		return []Finding{{Status: Fail, Key: "account.paid.not-paid", Params: p, Actor: AccountOwner,
			Fix: []string{"ibmcloud account show"}}}
	}
	// Only classic clusters need classic infrastructure.
	c, read := s.ReadCluster()
	vpc := read && c.Infrastructure() != facts.InfraClassic
	manual := s.Credentials.Err == nil && s.Credentials.Value.Set
	if a.IMSAccount == "" && !vpc && !manual {
		return []Finding{{Status: Fail, Key: "account.paid.no-infrastructure", Params: p, Actor: AccountOwner, Fix: []string{
			targetCmd(region, group),
			cmd("ibmcloud", "ks", "credential", "set", "classic", "--infrastructure-username", "<infrastructure_API_username>",
				"--infrastructure-api-key", "<infrastructure_API_authentication_key>", "--region", region),
		}}}
	}
	return []Finding{{Status: OK, Key: "account.paid.ok", Params: p}}
}
