package facts

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Source reads facts from IBM Cloud. internal/ibm implements it over the
// official SDK clients; nothing else does, so tests reach it through the
// simulator.
type Source interface {
	Cluster(ctx context.Context, query string) (Cluster, error)
	ResourceGroups(ctx context.Context, accountID string) ([]ResourceGroup, error)
	Workers(ctx context.Context, c Cluster) ([]Worker, error)
	Pools(ctx context.Context, c Cluster) ([]Pool, error)
	APIKeyOwner(ctx context.Context, c Cluster) (Owner, error)
	Credentials(ctx context.Context, region, groupID string) (Credentials, error)
	InfraPermissions(ctx context.Context, region, groupID string) (InfraPermissions, error)
	Users(ctx context.Context, accountID string) ([]User, error)
	AccountSettings(ctx context.Context, accountID string) (AccountSettings, error)
	Account(ctx context.Context, s Session) (Account, error)
	// Devices and VLANs search classic infrastructure; linkedIMS is the
	// account linked to the session's IBM Cloud account (its token's
	// account.ims claim), which the session's token can read.
	Devices(ctx context.Context, c Cluster, linkedIMS string) (Devices, error)
	VLANs(ctx context.Context, linkedIMS string) (VLANs, error)
	VPE(ctx context.Context, c Cluster) (VPE, error)
	// OwnerAccess reads the owner's policies; sess tells whether this caller
	// can see them all (it is the owner or the account owner).
	OwnerAccess(ctx context.Context, sess Session, accountOwner string, o Owner) (Access, error)
	// OwnerMembership says whether the owner is a member: from the user
	// list when it can tell (users, settings: nil when they could not be
	// read), else from the owner's own record.
	OwnerMembership(ctx context.Context, accountID string, o Owner, users []User, settings *AccountSettings) (Membership, error)
	// Versions is `ibmcloud ks versions`: the versions IKS supports.
	Versions(ctx context.Context) (SupportedVersions, error)
	ClusterReader
}

// deps says which reads each read waits for. A read whose dependency failed
// is not attempted: its slot holds a DependencyError.
var deps = map[Key][]Key{
	KeyNodes:            {KeyCluster},
	KeyCalicoNodes:      {KeyCluster},
	KeyWorkers:          {KeyCluster},
	KeyPools:            {KeyCluster},
	KeyAPIKeyOwner:      {KeyCluster},
	KeyVPE:              {KeyCluster},
	KeyCredentials:      {KeyCluster},
	KeyInfraPermissions: {KeyCluster},
	KeyDevices:          {KeyCluster},
	KeyVLANs:            {},
	KeyOwnerAccess:      {KeyAPIKeyOwner, KeyAccount, KeyWorkers},
	KeyOwnerMembership:  {KeyAPIKeyOwner, KeyUsers, KeyAccountSettings},
}

// optional are dependencies a read waits for but can do without: their
// failure leaves it another way to answer.
var optional = map[Key]map[Key]bool{
	KeyOwnerMembership: {KeyUsers: true, KeyAccountSettings: true},
	KeyOwnerAccess:     {KeyAccount: true, KeyWorkers: true},
}

// needless says when a read need not wait for one of its dependencies after
// all, given what the reads before it found: a VPC cluster's owner policies
// are read whatever its workers say (the workers matter only to spot a
// registry failure on classic clusters).
var needless = map[Key]map[Key]func(*Set) bool{
	KeyOwnerAccess: {KeyWorkers: func(s *Set) bool { return s.Cluster.Value.Infrastructure() == InfraVPC }},
}

// Expand adds to needs every read they depend on.
func Expand(needs []Key, withCluster bool) []Key {
	out := slices.Clone(needs)
	for i := 0; i < len(out); i++ {
		for _, d := range deps[out[i]] {
			if d == KeyCluster && !withCluster {
				continue
			}
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	return out
}

// Collect reads every fact in needs (and what they depend on) once, each
// read starting as soon as the reads it needs are done, and never fails: a
// failed read is a fact. Without a cluster, credentials and permissions are
// read for the targeted region and resource group.
//
// limit bounds how many reads run at once (0 = no bound); 1 reads one thing
// after another, as a person following the runbook would.
func Collect(ctx context.Context, src Source, sess Session, cluster string, needs []Key, limit int) *Set {
	s := &Set{Now: time.Now(), Session: sess, ClusterQuery: cluster}
	c := &collector{start: s.Now, done: map[Key]chan struct{}{}, errs: map[Key]error{}}
	want := Expand(needs, cluster != "")
	if cluster == "" {
		want = slices.DeleteFunc(want, func(k Key) bool {
			return k == KeyCluster || k == KeyWorkers || k == KeyPools || k == KeyAPIKeyOwner ||
				k == KeyVPE || k == KeyDevices || k == KeyOwnerAccess || k == KeyOwnerMembership ||
				k == KeyVersions || k == KeyKubectl || k == KeyNodes || k == KeyCalicoNodes
		})
	}
	for _, k := range want {
		c.done[k] = make(chan struct{})
	}
	region, group := sess.Region, ""
	if sess.ResourceGroup != nil {
		group = sess.ResourceGroup.ID
	}
	// Where a read's input comes from another read, it is taken after that
	// read's channel closed, so there is no race on the Set.
	reads := map[Key]func() error{
		KeyVersions: func() error {
			return fill(c.start, &s.Versions, func() (SupportedVersions, error) { return src.Versions(ctx) })
		},
		KeyKubectl: func() error {
			return fill(c.start, &s.Kubectl, func() (Kubectl, error) { return src.Kubectl(ctx) })
		},
		KeyNodes: func() error {
			return fill(c.start, &s.Nodes, func() ([]Node, error) { return src.Nodes(ctx, s.Cluster.Value) })
		},
		KeyCalicoNodes: func() error {
			return fill(c.start, &s.CalicoNodes, func() (CalicoNodes, error) { return src.CalicoNodes(ctx, s.Cluster.Value) })
		},
		KeyCluster: func() error {
			return fill(c.start, &s.Cluster, func() (Cluster, error) { return src.Cluster(ctx, cluster) })
		},
		KeyResourceGroups: func() error {
			return fill(c.start, &s.ResourceGroups, func() ([]ResourceGroup, error) { return src.ResourceGroups(ctx, sess.AccountID) })
		},
		KeyUsers: func() error {
			return fill(c.start, &s.Users, func() ([]User, error) { return src.Users(ctx, sess.AccountID) })
		},
		KeyAccountSettings: func() error {
			return fill(c.start, &s.AccountSettings, func() (AccountSettings, error) { return src.AccountSettings(ctx, sess.AccountID) })
		},
		KeyAccount: func() error {
			return fill(c.start, &s.Account, func() (Account, error) { return src.Account(ctx, sess) })
		},
		KeyWorkers: func() error {
			return fill(c.start, &s.Workers, func() ([]Worker, error) { return src.Workers(ctx, s.Cluster.Value) })
		},
		KeyPools: func() error {
			return fill(c.start, &s.Pools, func() ([]Pool, error) { return src.Pools(ctx, s.Cluster.Value) })
		},
		KeyAPIKeyOwner: func() error {
			return fill(c.start, &s.APIKeyOwner, func() (Owner, error) { return src.APIKeyOwner(ctx, s.Cluster.Value) })
		},
		KeyCredentials: func() error {
			r, g := scope(s, region, group)
			return fill(c.start, &s.Credentials, func() (Credentials, error) { return src.Credentials(ctx, r, g) })
		},
		KeyInfraPermissions: func() error {
			r, g := scope(s, region, group)
			return fill(c.start, &s.InfraPermissions, func() (InfraPermissions, error) { return src.InfraPermissions(ctx, r, g) })
		},
		KeyDevices: func() error {
			return fill(c.start, &s.Devices, func() (Devices, error) {
				return src.Devices(ctx, s.Cluster.Value, sess.IMSAccountID)
			})
		},
		KeyVLANs: func() error {
			return fill(c.start, &s.VLANs, func() (VLANs, error) { return src.VLANs(ctx, sess.IMSAccountID) })
		},
		KeyVPE: func() error {
			return fill(c.start, &s.VPE, func() (VPE, error) { return src.VPE(ctx, s.Cluster.Value) })
		},
		KeyOwnerAccess: func() error {
			// The owner's policies decide two things: a VPC cluster's
			// Administrator role, and Container Registry's role after a
			// registry configuration failure. Elsewhere they are not read.
			if s.Cluster.Value.Infrastructure() != InfraVPC && !RegistryFailed(s.Cluster.Value, s.Workers.Value) {
				return nil
			}
			return fill(c.start, &s.OwnerAccess, func() (Access, error) {
				return src.OwnerAccess(ctx, sess, s.Account.Value.OwnerIAMID, s.APIKeyOwner.Value)
			})
		},
		KeyOwnerMembership: func() error {
			return fill(c.start, &s.OwnerMembership, func() (Membership, error) {
				var settings *AccountSettings
				if s.AccountSettings.Err == nil {
					settings = &s.AccountSettings.Value
				}
				users := s.Users.Value
				if s.Users.Err != nil {
					users = nil
				}
				return src.OwnerMembership(ctx, sess.AccountID, s.APIKeyOwner.Value, users, settings)
			})
		},
	}
	var sem chan struct{}
	if limit > 0 {
		sem = make(chan struct{}, limit)
	}
	var wg sync.WaitGroup
	for _, k := range want {
		wg.Go(func() {
			defer close(c.done[k])
			for _, d := range deps[k] {
				ch, ok := c.done[d]
				if !ok {
					continue
				}
				if skip := needless[k][d]; skip != nil && skip(s) {
					continue // the dependencies listed before d are done: s may be read
				}
				<-ch
				if err := c.err(d); err != nil && !optional[k][d] {
					c.fail(k, s, &DependencyError{Needs: d, Err: err})
					return
				}
			}
			if sem != nil {
				sem <- struct{}{}
				defer func() { <-sem }()
			}
			c.set(k, reads[k]())
		})
	}
	wg.Wait()
	return s
}

// scope is the region and resource group whose credentials apply: the
// cluster's when there is one, else the target's ("" lets IKS apply the
// default resource group, as it does for a user with none targeted).
func scope(s *Set, region, group string) (string, string) {
	if s.Cluster.Loaded {
		return s.Cluster.Value.Region, s.Cluster.Value.ResourceGroupID
	}
	return region, group
}

type collector struct {
	start time.Time
	mu    sync.Mutex
	done  map[Key]chan struct{}
	errs  map[Key]error
}

func (c *collector) err(k Key) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.errs[k]
}

func (c *collector) set(k Key, err error) {
	if err != nil {
		c.mu.Lock()
		c.errs[k] = err
		c.mu.Unlock()
	}
}

// fail records a dependency failure in k's slot without reading.
func (c *collector) fail(k Key, s *Set, err error) {
	c.set(k, err)
	s.setErr(k, err)
}

// fill runs one read; Took counts from the start of the run, so it includes
// the wait for the reads this one depends on. A read that panics (an answer
// no one foresaw) is a failed read, never a crash of the whole run.
func fill[T any](start time.Time, slot *Slot[T], f func() (T, error)) error {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			slot.Value, slot.Err = zero, &InternalError{Panic: fmt.Sprint(r)}
		}
		slot.Loaded, slot.Took = true, time.Since(start)
	}()
	slot.Value, slot.Err = f()
	return slot.Err
}
