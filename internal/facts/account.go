package facts

// User is a member of the IBM Cloud account.
type User struct {
	IAMID string
	Email string
	State string // ACTIVE, PENDING, PROCESSING, VPN_ONLY, DISABLED_CLASSIC_INFRASTRUCTURE
}

// AccountSettings are the account's IAM identity settings.
type AccountSettings struct {
	MFA string // NONE, NONE_NO_ROPC, TOTP, TOTP4ALL, LEVEL1, LEVEL2, LEVEL3
	// UserMFA is the per-user MFA setting (`user_mfa`) that overrides MFA
	// for the users it names, by IAM id: an exempted user is not prompted.
	UserMFA map[string]string
	// RestrictUserList is restrict_user_list_visibility: RESTRICTED means a
	// caller without a User Management role sees only part of the user list.
	RestrictUserList string
}

// Membership is what user management says of one user of the account,
// read directly by IAM id (never concluded from a list that may be
// restricted).
type Membership struct {
	Member bool   // false only when user management answered that the user is not a member (404)
	State  string // ACTIVE, PENDING, PROCESSING, VPN_ONLY, DISABLED_CLASSIC_INFRASTRUCTURE …
}

// Account is the IBM Cloud account and its linked classic infrastructure.
type Account struct {
	ID         string
	Type       string // PAYG, SUBSCRIPTION, TRIAL, STANDARD (Lite) …
	IMSAccount string // linked classic infrastructure account, "" when none
	OwnerIAMID string // the account owner, who can read every policy
}

// Access is the IAM access policies that grant the API key owner something,
// directly or through access groups (dynamic memberships included). IAM
// answers a caller who may not read policies with an empty list, so a role
// missing from Policies is evidence only when Complete.
type Access struct {
	Policies []Policy
	// Complete is set when this caller can read every policy of the owner:
	// it is the owner or the account owner.
	Complete bool
}

// Policy is one access policy, as its resource attributes name it.
type Policy struct {
	Roles           []string // role CRNs' last part: Administrator, Editor, …
	ServiceName     string   // "" with ServiceType "service": all IAM-enabled services
	ServiceType     string   // "service", or "platform_service" (all Account Management services)
	Region          string
	ResourceGroupID string
	Instance        string // serviceInstance: one cluster
	Group           string // the access group it comes from, "" when direct
}

// usersComplete: the user list holds every member only when the account
// does not restrict its visibility (and the settings that say so were read).
func usersComplete(s *Set) bool {
	return s.Users.Err == nil && s.AccountSettings.Err == nil && s.AccountSettings.Loaded &&
		s.AccountSettings.Value.RestrictUserList != "RESTRICTED"
}

// ownerAccessComplete: IAM shows every policy only to the owner and the
// account owner (Access.Complete).
func ownerAccessComplete(s *Set) bool {
	return s.OwnerAccess.Err == nil && s.OwnerAccess.Value.Complete
}
