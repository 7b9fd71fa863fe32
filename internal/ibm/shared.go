package ibm

import (
	"context"
	"sync"

	"github.com/softlayer/softlayer-go/filter"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Shared is a Client for many clusters at once (`check --all-clusters`): the
// reads that do not depend on one cluster — the account's users, settings
// and resource groups, the credentials and permissions of each region and
// resource group, every worker device and VLAN of each infrastructure
// account, the supported versions, the local kubectl — are made once and
// shared; the rest (the cluster, its workers, pools and API key owner) are
// the Client's own.
type Shared struct {
	*Client
	cache sync.Map // key -> *sharedRead
}

type sharedRead struct {
	once sync.Once
	val  any
	err  error
}

// NewShared wraps c.
func NewShared(c *Client) *Shared { return &Shared{Client: c} }

var _ facts.Source = (*Shared)(nil)

// once makes read once for key; every caller gets its answer.
func once[T any](s *Shared, key string, read func() (T, error)) (T, error) {
	v, _ := s.cache.LoadOrStore(key, &sharedRead{})
	r := v.(*sharedRead)
	r.once.Do(func() { r.val, r.err = read() })
	val, _ := r.val.(T)
	return val, r.err
}

func (s *Shared) ResourceGroups(ctx context.Context, accountID string) ([]facts.ResourceGroup, error) {
	return once(s, "groups/"+accountID, func() ([]facts.ResourceGroup, error) { return s.Client.ResourceGroups(ctx, accountID) })
}

func (s *Shared) Users(ctx context.Context, accountID string) ([]facts.User, error) {
	return once(s, "users/"+accountID, func() ([]facts.User, error) { return s.Client.Users(ctx, accountID) })
}

func (s *Shared) AccountSettings(ctx context.Context, accountID string) (facts.AccountSettings, error) {
	return once(s, "settings/"+accountID, func() (facts.AccountSettings, error) { return s.Client.AccountSettings(ctx, accountID) })
}

func (s *Shared) Account(ctx context.Context, sess facts.Session) (facts.Account, error) {
	return once(s, "account/"+sess.AccountID, func() (facts.Account, error) { return s.Client.Account(ctx, sess) })
}

func (s *Shared) Credentials(ctx context.Context, region, groupID string) (facts.Credentials, error) {
	return once(s, "credentials/"+facts.ScopeKey(region, groupID), func() (facts.Credentials, error) {
		return s.Client.Credentials(ctx, region, groupID)
	})
}

func (s *Shared) InfraPermissions(ctx context.Context, region, groupID string) (facts.InfraPermissions, error) {
	return once(s, "infra-permissions/"+facts.ScopeKey(region, groupID), func() (facts.InfraPermissions, error) {
		return s.Client.InfraPermissions(ctx, region, groupID)
	})
}

func (s *Shared) VLANs(ctx context.Context, linkedIMS string) (facts.VLANs, error) {
	return once(s, "vlans/"+linkedIMS, func() (facts.VLANs, error) { return s.Client.VLANs(ctx, linkedIMS) })
}

func (s *Shared) Versions(ctx context.Context) (facts.SupportedVersions, error) {
	return once(s, "versions", func() (facts.SupportedVersions, error) { return s.Client.Versions(ctx) })
}

func (s *Shared) Kubectl(ctx context.Context) (facts.Kubectl, error) {
	return once(s, "kubectl", func() (facts.Kubectl, error) { return s.Client.Kubectl(ctx) })
}

func (s *Shared) OwnerMembership(ctx context.Context, accountID string, o facts.Owner, users []facts.User, settings *facts.AccountSettings) (facts.Membership, error) {
	return once(s, "membership/"+o.IAMID+"/"+o.Email, func() (facts.Membership, error) {
		return s.Client.OwnerMembership(ctx, accountID, o, users, settings)
	})
}

func (s *Shared) OwnerAccess(ctx context.Context, sess facts.Session, accountOwner string, o facts.Owner) (facts.Access, error) {
	return once(s, "access/"+o.IAMID, func() (facts.Access, error) { return s.Client.OwnerAccess(ctx, sess, accountOwner, o) })
}

// Devices answers from every worker device ("kube-…") of each reachable
// infrastructure account, listed once (as the orphan walk lists them), the
// cluster's picked by the cluster ID in their hostnames.
func (s *Shared) Devices(ctx context.Context, cl facts.Cluster, linkedIMS string) (facts.Devices, error) {
	d := facts.Devices{Accounts: map[string]facts.Searched{}}
	if cl.Infrastructure() != facts.InfraClassic || cl.ID == "" {
		return d, nil
	}
	all, err := once(s, "devices/"+linkedIMS, func() (facts.Devices, error) {
		all := facts.Devices{Accounts: map[string]facts.Searched{}}
		for _, a := range s.reachable(linkedIMS) {
			all.Accounts[a.account] = a.search(ctx, walkPage, func(kind string) filter.Filter { return filter.Path(kind + ".hostname").StartsWith("kube-") })
		}
		return all, nil
	})
	if err != nil {
		return d, err
	}
	for acct, found := range all.Accounts {
		mine := found
		mine.ByHost = map[string]facts.Device{}
		for h, dev := range found.ByHost {
			if facts.ClusterOfWorker(h) == cl.ID {
				mine.ByHost[h] = dev
			}
		}
		d.Accounts[acct] = mine
	}
	return d, nil
}
