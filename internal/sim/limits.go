package sim

import "slices"

// Limits are the reads users[].limited can name: the caller holds no role
// for them, and IBM Cloud answers with 200 and a partial or empty list
// rather than 403 (/work/shared/reference/partial-answers.md has the
// sources; each answer cites its own below).
var Limits = []string{
	LimitUsers,        // user management: restricted user list shows only the caller; others' profiles 403
	LimitPolicies,     // IAM policies: 200 with an empty array
	LimitAccessGroups, // IAM access groups: 200 with no groups
}

// Names of Limits.
const (
	LimitUsers        = "users"
	LimitPolicies     = "policies"
	LimitAccessGroups = "access-groups"
)

// Values of account.restrictUserListVisibility (iamidentityv1
// AccountSettingsResponse.RestrictUserListVisibility).
const (
	UserListRestricted    = "RESTRICTED"
	UserListNotRestricted = "NOT_RESTRICTED"
)

func (u *User) limits(read string) bool { return u != nil && slices.Contains(u.Limited, read) }

// restrictedUserList tells whether the caller's listing of account's users
// shows only the caller: platform-services usermanagementv1 ListUsers doc,
// "If restricted view is enabled and user has the viewer, editor, or
// administrator role on the user management service, the API returns all
// users in the account ... and the user does not have these roles, the API
// returns only the current user". Only the scenario's own account carries
// the setting.
func (s *Server) restrictedUserList(c *caller, account string) bool {
	return account == s.sc.Account.ID && s.sc.Account.RestrictUserListVisibility == UserListRestricted &&
		c.user.limits(LimitUsers)
}
