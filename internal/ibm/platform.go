package ibm

import (
	"context"
	"net/url"
	"sync"

	"github.com/IBM/platform-services-go-sdk/iamaccessgroupsv2"
	"golang.org/x/sync/errgroup"

	"github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Users lists the account's members with their states, following pages.
func (c *Client) Users(ctx context.Context, accountID string) ([]facts.User, error) {
	opts := c.um.NewListUsersOptions(accountID)
	opts.SetLimit(100)
	var out []facts.User
	for {
		res, resp, err := c.um.ListUsersWithContext(ctx, opts)
		if err != nil {
			return nil, readError("ibmcloud account users", resp, err)
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

// AccountSettings reads the account's IAM identity settings (MFA).
func (c *Client) AccountSettings(ctx context.Context, accountID string) (facts.AccountSettings, error) {
	res, resp, err := c.iamID.GetAccountSettingsWithContext(ctx, c.iamID.NewGetAccountSettingsOptions(accountID))
	if err != nil {
		return facts.AccountSettings{}, readError("ibmcloud iam account-settings", resp, err)
	}
	return facts.AccountSettings{MFA: str(res.Mfa)}, nil
}

const administrator = "crn:v1:bluemix:public:iam::::role:Administrator"

// OwnerRoles decides whether the API key owner holds the Administrator
// platform role on the Kubernetes Service and on Container Registry, from
// the owner's own policies and those of the access groups they belong to.
// IAM has no "can I" call for another user (ibm-apis.md §9), so this reads
// policies; dynamic (federated) group rules and trusted profiles are not
// evaluated.
func (c *Client) OwnerRoles(ctx context.Context, accountID string, o facts.Owner) (facts.Roles, error) {
	var roles facts.Roles
	grant := func(policies []iampolicymanagementv1.PolicyTemplateMetaData) {
		for _, p := range policies {
			admin := false
			for _, r := range p.Roles {
				admin = admin || str(r.RoleID) == administrator
			}
			if !admin {
				continue
			}
			for _, res := range p.Resources {
				switch service(res) {
				case "": // all IAM-enabled services
					roles.KubernetesAdmin, roles.RegistryAdmin = true, true
				case "containers-kubernetes":
					roles.KubernetesAdmin = true
				case "container-registry":
					roles.RegistryAdmin = true
				}
			}
		}
	}
	list := func(ctx context.Context, mu *sync.Mutex, opts *iampolicymanagementv1.ListPoliciesOptions) error {
		opts.SetType("access")
		opts.SetState("active")
		res, resp, err := c.policy.ListPoliciesWithContext(ctx, opts)
		if err != nil {
			return readError("ibmcloud iam user-policies", resp, err)
		}
		mu.Lock()
		grant(res.Policies)
		mu.Unlock()
		return nil
	}
	// The owner's own policies and their access groups are independent
	// reads; the groups' policies come after (two round trips, not three).
	var mu sync.Mutex
	var groups *iamaccessgroupsv2.GroupsList
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		own := c.policy.NewListPoliciesOptions(accountID)
		own.SetIamID(o.IAMID)
		return list(gctx, &mu, own)
	})
	g.Go(func() error {
		gopts := c.groups.NewListAccessGroupsOptions(accountID)
		gopts.SetIamID(o.IAMID)
		gopts.SetLimit(100)
		res, resp, err := c.groups.ListAccessGroupsWithContext(gctx, gopts)
		if err != nil {
			return readError("ibmcloud iam access-groups", resp, err)
		}
		groups = res
		return nil
	})
	if err := g.Wait(); err != nil {
		return roles, err
	}
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, grp := range groups.Groups {
		g.Go(func() error {
			opts := c.policy.NewListPoliciesOptions(accountID)
			opts.SetAccessGroupID(str(grp.ID))
			return list(gctx, &mu, opts)
		})
	}
	if err := g.Wait(); err != nil {
		return roles, err
	}
	return roles, nil
}

// service is the serviceName a policy resource names, "" when the policy
// covers every IAM-enabled service of the account.
func service(r iampolicymanagementv1.PolicyResource) string {
	for _, a := range r.Attributes {
		if str(a.Name) == "serviceName" {
			return str(a.Value)
		}
	}
	return ""
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
