package ibm

import (
	"context"
	"sort"
	"sync"

	"github.com/softlayer/softlayer-go/filter"
	"golang.org/x/sync/errgroup"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// WalkOptions choose what `orphan` walks.
type WalkOptions struct {
	Region      string // "" with AllRegions
	AllRegions  bool
	Group       *facts.ResourceGroup // nil: the default group, unless AllGroups
	AllGroups   bool
	Concurrency int
	// Classic are extra classic infrastructure credentials for accounts that
	// no IBM Cloud account of the user links (legacy accounts).
	Classic []ClassicCredential
	// Progress is told how many reads are done of how many are known.
	Progress func(done, total int)
	// ReadAllWorkers reads every cluster's workers, even where its devices
	// already tell where they are: the slower method, kept to prove that
	// both give the same verdicts.
	ReadAllWorkers bool
}

// ClassicCredential is a classic infrastructure username and API key. The
// key is a secret: it is sent to SoftLayer only, and never printed.
type ClassicCredential struct {
	Username string
	APIKey   string
	Source   string // where the user gave it ("creds.txt, line 3"), for messages
}

// walkPage is the SoftLayer page size of a device listing: the walk lists
// every worker-like device of an account, so big pages mean few calls.
const walkPage = 500

// Walk reads the fleet for `orphan`: every classic cluster of the chosen
// regions and resource groups with its workers, the credentials of each
// region + resource group, and every worker device of every classic
// infrastructure account this session can reach. Reads run concurrently up
// to o.Concurrency; nothing is read twice; a read that fails is recorded and
// the walk goes on.
func (c *Client) Walk(ctx context.Context, sess facts.Session, o WalkOptions) *facts.Fleet {
	if o.Concurrency < 1 {
		o.Concurrency = 1
	}
	f := &facts.Fleet{Devices: facts.Devices{Accounts: map[string]facts.Searched{}}}
	var mu sync.Mutex
	prog := &progress{report: o.Progress}

	// Round 1: the clusters (one call lists every classic cluster the user
	// can see), the resource groups, and the infrastructure accounts.
	var clusters []facts.Cluster
	var clustersErr error
	var groups []facts.ResourceGroup
	var accounts []*classic
	var others []facts.Cluster
	prog.add(4)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { clusters, clustersErr = c.classicClusters(gctx); prog.done(1); return nil })
	// Clusters of other kinds are only counted, so that the report can say
	// what it left out and why.
	g.Go(func() error { others, f.LeftOutErr = c.otherClusters(gctx); prog.done(1); return nil })
	// The groups only name the default one; without them the target (or
	// --all-resource-groups) still decides the scopes.
	g.Go(func() error { groups, _ = c.ResourceGroups(gctx, sess.AccountID); prog.done(1); return nil })
	g.Go(func() error { accounts, f.Rejected = c.accounts(gctx, sess, o.Classic); prog.done(1); return nil })
	_ = g.Wait()

	in := walked(sess, o, groups)
	f.Scopes = scopes(sess, o, clusters, groups, in)
	f.LeftOut = map[string]int{}
	for _, cl := range append(clusters, others...) {
		if !in(cl) {
			continue
		}
		if infra := cl.Infrastructure(); infra != facts.InfraClassic {
			f.LeftOut[infra]++
			continue
		}
		f.Clusters = append(f.Clusters, facts.FleetCluster{Cluster: cl})
	}
	if clustersErr != nil {
		// Without the cluster list there is nothing to classify; keep the
		// error on a placeholder so the report says why.
		f.Clusters = append(f.Clusters, facts.FleetCluster{Workers: facts.Slot[[]facts.Worker]{Loaded: true, Err: clustersErr}})
	}

	// Round 2: credentials per scope and every worker device of every
	// infrastructure account, independent of each other.
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(o.Concurrency)
	prog.add(len(f.Scopes) + len(accounts))
	// The device listings first: a few long paged reads on their own
	// service, which then run beside the short credential reads.
	for _, a := range accounts {
		g.Go(func() error {
			found := a.search(gctx, walkPage, func(kind string) filter.Filter { return filter.Path(kind + ".hostname").StartsWith("kube-") })
			mu.Lock()
			// The same account can be reached twice (its own credentials and
			// a linked token): keep a successful search.
			if prev, seen := f.Devices.Accounts[a.account]; !seen || prev.Err != nil {
				f.Devices.Accounts[a.account] = found
			}
			mu.Unlock()
			prog.done(1)
			return nil
		})
	}
	for i := range f.Scopes {
		g.Go(func() error {
			s := &f.Scopes[i]
			cr, err := c.Credentials(gctx, s.Region, s.Group.ID)
			s.Credentials = facts.Slot[facts.Credentials]{Value: cr, Err: err, Loaded: true}
			// Which account the credentials use is known only when they
			// were read.
			if err == nil {
				s.Account = cr.Account(sess.IMSAccountID)
			}
			prog.done(1)
			return nil
		})
	}
	_ = g.Wait()

	// Round 3: the workers of the clusters whose devices do not tell.
	// A classic worker's device hostname is its worker ID, which carries
	// the cluster's ID: where the devices found for a cluster are as many
	// as the workers the cluster listing counts, every worker has its
	// device and the worker listing would say nothing new. Elsewhere
	// (workers without a device yet, devices out of reach, a deleted
	// worker's device not yet reclaimed) the workers are read.
	byCluster := f.Devices.ByCluster()
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(o.Concurrency)
	for i := range f.Clusters {
		fc := &f.Clusters[i]
		if fc.Cluster.ID == "" {
			continue
		}
		hosts := byCluster[fc.Cluster.ID]
		if !o.ReadAllWorkers && fc.Cluster.WorkerCount >= 0 && fc.Cluster.WorkerCount == len(hosts) {
			fc.Attributed = hosts
			continue
		}
		prog.add(1)
		g.Go(func() error {
			ws, err := c.classicWorkers(gctx, fc.Cluster, false)
			fc.Workers = facts.Slot[[]facts.Worker]{Value: ws, Err: err, Loaded: true}
			prog.done(1)
			return nil
		})
	}
	_ = g.Wait()
	f.Incomplete = ctx.Err() != nil
	if err := c.HandBack(context.WithoutCancel(ctx), sess.AccountID, sess.IMSAccountID); err != nil {
		f.HandBackErr = err
	}
	f.Requests = c.Requests()
	return f
}

// walked says whether a cluster is in the regions and resource groups the
// walk covers: the target by default (the default group when none is
// targeted), or every region and group.
func walked(sess facts.Session, o WalkOptions, groups []facts.ResourceGroup) func(facts.Cluster) bool {
	region := o.Region
	if region == "" {
		region = sess.Region
	}
	group := o.Group
	if group == nil && sess.ResourceGroup != nil && !o.AllGroups {
		group = sess.ResourceGroup
	}
	if group == nil && !o.AllGroups {
		if g, ok := facts.DefaultGroup(groups); ok {
			group = &g
		}
	}
	return func(cl facts.Cluster) bool {
		return (o.AllRegions || cl.Region == region) && (o.AllGroups || group != nil && cl.ResourceGroupID == group.ID)
	}
}

// scopes are the region + resource group pairs to walk: the targeted one
// (even without clusters, so its plan can say so) and every one of a walked
// classic cluster.
func scopes(sess facts.Session, o WalkOptions, clusters []facts.Cluster, groups []facts.ResourceGroup, in func(facts.Cluster) bool) []facts.Scope {
	seen := map[string]bool{}
	var out []facts.Scope
	add := func(r string, g facts.ResourceGroup) {
		k := facts.ScopeKey(r, g.ID)
		if r == "" || g.ID == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, facts.Scope{Region: r, Group: g})
	}
	if !o.AllRegions && !o.AllGroups {
		region := o.Region
		if region == "" {
			region = sess.Region
		}
		for _, g := range append([]facts.ResourceGroup{derefGroup(o.Group), derefGroup(sess.ResourceGroup)}, groups...) {
			if g.ID != "" && in(facts.Cluster{Region: region, ResourceGroupID: g.ID}) {
				add(region, g)
				break
			}
		}
	}
	for _, cl := range clusters {
		if in(cl) {
			add(cl.Region, facts.ResourceGroup{ID: cl.ResourceGroupID, Name: cl.ResourceGroupName})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Region != out[j].Region {
			return out[i].Region < out[j].Region
		}
		return out[i].Group.Name < out[j].Group.Name
	})
	return out
}

func derefGroup(g *facts.ResourceGroup) facts.ResourceGroup {
	if g == nil {
		return facts.ResourceGroup{}
	}
	return *g
}

// progress counts reads for a progress line.
type progress struct {
	mu               sync.Mutex
	completed, total int
	report           func(done, total int)
}

func (p *progress) add(n int) {
	p.mu.Lock()
	p.total += n
	p.mu.Unlock()
}

func (p *progress) done(n int) {
	if p.report == nil {
		return
	}
	p.mu.Lock()
	p.completed += n
	d, t := p.completed, p.total
	p.mu.Unlock()
	p.report(d, t)
}
