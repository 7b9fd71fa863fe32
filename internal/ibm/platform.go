package ibm

import (
	"context"
	"errors"
	"github.com/IBM/go-sdk-core/v5/core"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/IBM/platform-services-go-sdk/iamaccessgroupsv2"
	"github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"
	"golang.org/x/sync/errgroup"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// errNoBody is a 2xx answer whose body decoded to nothing: a failed read,
// never "nothing there".
func errNoBody(op string) *facts.ReadError {
	return &facts.ReadError{Op: op, Message: "the service answered without a result"}
}

// failed is the error of an SDK call: its own error as a ReadError, or
// errNoBody when it answered without a result (noResult); nil when it
// answered. Every read that needs no more than that goes through it.
func failed(op string, resp *core.DetailedResponse, err error, noResult bool) error {
	switch {
	case err != nil:
		return readError(op, resp, err)
	case noResult:
		return errNoBody(op)
	}
	return nil
}

// Users lists the account's members with their states, following pages. With
// restricted user-list visibility the list holds only what this caller may
// see (usermanagementv1 ListUsers): it is never evidence that someone left.
func (c *Client) Users(ctx context.Context, accountID string) ([]facts.User, error) {
	const op = "ibmcloud account users"
	opts := c.um.NewListUsersOptions(accountID)
	opts.SetLimit(100)
	var out []facts.User
	for {
		res, resp, err := c.um.ListUsersWithContext(ctx, opts)
		if err := failed(op, resp, err, res == nil); err != nil {
			return nil, err
		}
		for _, u := range res.Resources {
			out = append(out, facts.User{IAMID: str(u.IamID), Email: firstOf(str(u.Email), str(u.UserID)), State: str(u.State)})
		}
		start := nextParam(str(res.NextURL), "_start")
		if start == "" || len(res.Resources) == 0 {
			return out, nil
		}
		opts.SetStart(start)
	}
}

// OwnerMembership says whether the API key owner is a member of the account
// and in which state, without ever reading "not in a list this caller may
// only partly see" as "gone". The user list (read beside the cluster; nil
// when it could not be) answers when it names the owner, or when the
// account does not restrict it (restrict_user_list_visibility) so that it is
// complete. Otherwise the owner's own record is read by IAM id: it needs a
// User Management role (usermanagementv1 GetUserProfile), so a 403 is
// "cannot tell", and a 404 — from user management itself, after a list
// that was read but could not say — is "not a member".
func (c *Client) OwnerMembership(ctx context.Context, accountID string, o facts.Owner, users []facts.User, settings *facts.AccountSettings) (facts.Membership, error) {
	const op = "ibmcloud account user-profile"
	for _, u := range users {
		if o.IAMID != "" && u.IAMID == o.IAMID || o.Email != "" && strings.EqualFold(u.Email, o.Email) {
			return facts.Membership{Member: true, State: u.State}, nil
		}
	}
	if users != nil && settings != nil && settings.RestrictUserList == "NOT_RESTRICTED" {
		return facts.Membership{}, nil
	}
	// IKS may name the key rather than its owner (terraform-provider-ibm
	// stores clusterkeyowner's id as "api_key_id"): without an IAM id there
	// is no record to read.
	if !isIAMID(o.IAMID) {
		return facts.Membership{}, &facts.NotVisibleError{Op: op, Access: "user-management"}
	}
	res, resp, err := c.um.GetUserProfileWithContext(ctx, c.um.NewGetUserProfileOptions(accountID, o.IAMID))
	switch {
	case err == nil && res != nil:
		return facts.Membership{Member: true, State: str(res.State)}, nil
	case err == nil:
		return facts.Membership{}, errNoBody(op)
	}
	re := readError(op, resp, err)
	switch {
	case re.Status == 404 && users != nil:
		// Not in the (restricted) list, and no record: not a member. A 404
		// alone, with the list unread, proves nothing: it may come from
		// anything between here and user management.
		return facts.Membership{}, nil
	case re.Status == 403:
		return facts.Membership{}, &facts.NotVisibleError{Op: op, Access: "user-management"}
	}
	return facts.Membership{}, re
}

// isIAMID tells an IAM id (IBMid-…, iam-ServiceId-…, iam-Profile-…) from
// other identifiers.
func isIAMID(id string) bool {
	return strings.HasPrefix(id, "IBMid-") || strings.HasPrefix(id, "iam-")
}

// AccountSettings reads the account's IAM identity settings: MFA, the users
// exempted from it, and whether the user list is restricted.
func (c *Client) AccountSettings(ctx context.Context, accountID string) (facts.AccountSettings, error) {
	const op = "ibmcloud iam account-settings"
	res, resp, err := c.iamID.GetAccountSettingsWithContext(ctx, c.iamID.NewGetAccountSettingsOptions(accountID))
	if err := failed(op, resp, err, res == nil); err != nil {
		return facts.AccountSettings{}, err
	}
	s := facts.AccountSettings{MFA: str(res.Mfa), RestrictUserList: str(res.RestrictUserListVisibility)}
	for _, u := range res.UserMfa {
		if s.UserMFA == nil {
			s.UserMFA = map[string]string{}
		}
		s.UserMFA[str(u.IamID)] = str(u.Mfa)
	}
	return s, nil
}

// OwnerAccess reads the access policies of the API key owner: their own and
// those of every access group they belong to, dynamic-rule memberships
// included (membership_type=all), following every page. IAM answers a
// caller who may not read policies with an empty list
// (iampolicymanagementv1 ListPolicies), so the result is complete only when
// the caller is the owner or the account owner. Which role the policies
// grant is decided in internal/diag.
func (c *Client) OwnerAccess(ctx context.Context, sess facts.Session, accountOwner string, o facts.Owner) (facts.Access, error) {
	access := facts.Access{Complete: o.IAMID != "" && (sess.IAMID == o.IAMID || sess.IAMID == accountOwner)}
	var mu sync.Mutex
	add := func(ps []facts.Policy) {
		mu.Lock()
		access.Policies = append(access.Policies, ps...)
		mu.Unlock()
	}
	// The owner's policies and their access groups are independent reads;
	// the groups' policies come after (two round trips, not three).
	var groups []iamaccessgroupsv2.Group
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		ps, err := c.policies(gctx, sess.AccountID, o.IAMID, "", "")
		add(ps)
		return err
	})
	g.Go(func() error {
		var err error
		groups, err = c.accessGroups(gctx, sess.AccountID, o.IAMID)
		return err
	})
	if err := g.Wait(); err != nil {
		return access, err
	}
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, grp := range groups {
		g.Go(func() error {
			ps, err := c.policies(gctx, sess.AccountID, "", str(grp.ID), str(grp.Name))
			add(ps)
			return err
		})
	}
	return access, g.Wait()
}

// policies lists the active access policies of an IAM id or an access group,
// every page.
func (c *Client) policies(ctx context.Context, accountID, iamID, groupID, groupName string) ([]facts.Policy, error) {
	const op = "ibmcloud iam user-policies"
	opts := c.policy.NewListPoliciesOptions(accountID)
	opts.SetType("access")
	opts.SetState("active")
	if iamID != "" {
		opts.SetIamID(iamID)
	} else {
		opts.SetAccessGroupID(groupID)
	}
	var out []facts.Policy
	for range maxPages {
		res, resp, err := c.policy.ListPoliciesWithContext(ctx, opts)
		if err := failed(op, resp, err, res == nil); err != nil {
			return out, err
		}
		for _, p := range res.Policies {
			out = append(out, policyOf(p, groupName)...)
		}
		if res.Next == nil || str(res.Next.Start) == "" || len(res.Policies) == 0 {
			return out, nil
		}
		opts.SetStart(str(res.Next.Start))
	}
	return out, errTooManyPages(op)
}

// accessGroups lists the access groups an IAM id belongs to, statically or
// through a dynamic rule, every page.
func (c *Client) accessGroups(ctx context.Context, accountID, iamID string) ([]iamaccessgroupsv2.Group, error) {
	const op = "ibmcloud iam access-groups"
	opts := c.groups.NewListAccessGroupsOptions(accountID)
	opts.SetIamID(iamID)
	opts.SetMembershipType("all")
	opts.SetLimit(100)
	var out []iamaccessgroupsv2.Group
	for range maxPages {
		res, resp, err := c.groups.ListAccessGroupsWithContext(ctx, opts)
		if err := failed(op, resp, err, res == nil); err != nil {
			return out, err
		}
		out = append(out, res.Groups...)
		next := ""
		if res.Next != nil {
			next = nextParam(str(res.Next.Href), "offset")
		}
		off, err := strconv.ParseInt(next, 10, 64)
		if err != nil || len(res.Groups) == 0 {
			return out, nil
		}
		opts.SetOffset(off)
	}
	return out, errTooManyPages(op)
}

// maxPages bounds every pager: a server whose "next" never ends must not
// keep a run reading forever.
const maxPages = 1000

func errTooManyPages(op string) error {
	return &facts.ReadError{Op: op, Message: "more than " + strconv.Itoa(maxPages) + " pages", Err: errors.New("paging did not end")}
}

// policyOf flattens one IAM policy into what a role decision needs; a
// policy with several resources (rare) becomes one Policy per resource.
func policyOf(p iampolicymanagementv1.PolicyTemplateMetaData, group string) []facts.Policy {
	var roles []string
	for _, r := range p.Roles {
		id := str(r.RoleID)
		if i := strings.LastIndex(id, ":role:"); i >= 0 {
			id = id[i+len(":role:"):]
		} else if i := strings.LastIndex(id, ":"); i >= 0 {
			id = id[i+1:]
		}
		roles = append(roles, id)
	}
	var out []facts.Policy
	for _, res := range p.Resources {
		fp := facts.Policy{Roles: roles, Group: group}
		for _, a := range res.Attributes {
			switch v := str(a.Value); str(a.Name) {
			case "serviceName":
				fp.ServiceName = v
			case "serviceType":
				fp.ServiceType = v
			case "region":
				fp.Region = v
			case "resourceGroupId":
				fp.ResourceGroupID = v
			case "serviceInstance":
				fp.Instance = v
			}
		}
		out = append(out, fp)
	}
	return out
}

// nextParam extracts a query parameter from a "next" URL.
func nextParam(next, name string) string {
	if next == "" {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil {
		return ""
	}
	return u.Query().Get(name)
}
