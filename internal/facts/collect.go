package facts

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Source reads facts from IBM Cloud: one method per kind of read, each
// called by the entries of the table (keys.go). internal/ibm implements it
// over the official SDK clients, and checks and adapters are tested through
// it against the simulator; collect_test.go's fake tests only the
// collector's scheduling.
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

// Collect reads every fact in needs (and what they depend on) once, each
// read starting as soon as the reads it needs are done, and never fails: a
// failed read is a fact. Without a cluster (create scope), the reads that
// exist only for one are left out, and credentials and permissions are read
// for the targeted region and resource group.
//
// limit bounds how many reads run at once (0 = no bound); 1 reads one thing
// after another, as a person following the runbook would.
func Collect(ctx context.Context, src Source, sess Session, cluster string, needs []Key, limit int) *Set {
	return CollectReporting(ctx, src, sess, cluster, needs, limit, nil)
}

// CollectReporting is Collect telling progress, when it is not nil, how
// many of the reads are done each time one ends (for a progress line;
// calls never overlap).
func CollectReporting(ctx context.Context, src Source, sess Session, cluster string, needs []Key, limit int, progress func(done, total int)) *Set {
	s := &Set{Now: time.Now(), Session: sess, ClusterQuery: cluster}
	r := &run{ctx: ctx, src: src, set: s, start: s.Now}
	c := &collector{done: map[Key]chan struct{}{}, errs: map[Key]error{}}
	want := Expand(needs, cluster != "")
	if cluster == "" {
		want = slices.DeleteFunc(want, func(k Key) bool { return lookup(k).cluster })
	}
	for _, k := range want {
		c.done[k] = make(chan struct{})
	}
	var sem chan struct{}
	if limit > 0 {
		sem = make(chan struct{}, limit)
	}
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	done := 0
	for _, k := range want {
		e := lookup(k)
		wg.Go(func() {
			defer close(c.done[k])
			if progress != nil {
				defer func() {
					progressMu.Lock()
					defer progressMu.Unlock()
					done++
					progress(done, len(want))
				}()
			}
			// A read takes its input from the reads it needs after their
			// channels closed, so there is no race on the Set.
			for _, d := range e.needs {
				ch, ok := c.done[d]
				if !ok {
					continue // left out in create scope
				}
				if skip := e.needless[d]; skip != nil && skip(s) {
					continue // the needs listed before d are done: s may be read
				}
				<-ch
				if err := c.err(d); err != nil && !e.isOptional(d) {
					err = &DependencyError{Needs: d, Err: err}
					c.set(k, err)
					e.slot(s).fail(err)
					return
				}
			}
			if sem != nil {
				sem <- struct{}{}
				defer func() { <-sem }()
			}
			c.set(k, e.read(r))
		})
	}
	wg.Wait()
	return s
}

// run is what every read of one Collect sees.
type run struct {
	ctx   context.Context
	src   Source
	set   *Set
	start time.Time
}

// credentialsScope is the region and resource group whose credentials
// apply: the cluster's when there is one, else the target's ("" lets IKS
// apply the default resource group, as it does for a user with none
// targeted).
func (s *Set) credentialsScope() (region, groupID string) {
	if s.Cluster.Loaded {
		return s.Cluster.Value.Region, s.Cluster.Value.ResourceGroupID
	}
	if g := s.Session.ResourceGroup; g != nil {
		return s.Session.Region, g.ID
	}
	return s.Session.Region, ""
}

// collector is the bookkeeping of one Collect: which reads are done and
// which failed.
type collector struct {
	mu   sync.Mutex
	done map[Key]chan struct{}
	errs map[Key]error
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

// fill runs one read; Took counts from the start of the run, so it includes
// the wait for the reads this one depends on. A read that panics (an answer
// no one foresaw) is a failed read, never a crash of the whole run, and
// the reads that need it are not attempted.
func fill[T any](start time.Time, slot *Slot[T], f func() (T, error)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			slot.Value, slot.Err = zero, &InternalError{Panic: fmt.Sprint(r)}
			err = slot.Err
		}
		slot.Loaded, slot.Took = true, time.Since(start)
	}()
	slot.Value, slot.Err = f()
	return slot.Err
}
