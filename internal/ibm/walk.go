package ibm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"sync"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/softlayer/softlayer-go/filter"
	"github.com/softlayer/softlayer-go/services"
	"github.com/softlayer/softlayer-go/session"
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

// classicClusters lists every classic cluster of the account, OpenShift
// ones included, in every region and resource group (no
// X-Auth-Resource-Group header).
func (c *Client) classicClusters(ctx context.Context) ([]facts.Cluster, error) {
	res, resp, err := c.iks.ClassicGetClustersWithContext(ctx, c.iks.NewClassicGetClustersOptions())
	if err != nil {
		return nil, readError("ibmcloud ks cluster ls --provider classic", resp, err)
	}
	out := clustersOf(res, "classic")
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// otherClusters lists the VPC and Satellite clusters of the account, which
// `orphan` does not walk: their workers have no classic device.
func (c *Client) otherClusters(ctx context.Context) ([]facts.Cluster, error) {
	vpcOpts := c.iks.NewVpcGetClustersOptions()
	vpcOpts.SetProvider("vpc-gen2")
	vpc, resp, err := c.iks.VpcGetClustersWithContext(ctx, vpcOpts)
	if err != nil {
		return nil, readError("ibmcloud ks cluster ls --provider vpc-gen2", resp, err)
	}
	sat, resp, err := c.iks.GetSatelliteClustersWithContext(ctx, c.iks.NewGetSatelliteClustersOptions())
	if err != nil {
		return nil, readError("ibmcloud ks cluster ls --provider satellite", resp, err)
	}
	return append(clustersOf(vpc, "vpc-gen2"), clustersOf(sat, "satellite")...), nil
}

func clustersOf(res []kubernetesserviceapiv1.GetClustersResponse, provider string) []facts.Cluster {
	out := make([]facts.Cluster, 0, len(res))
	for _, r := range res {
		cl := facts.Cluster{ID: str(r.ID), Name: str(r.Name), Provider: firstOf(str(r.Provider), provider),
			Type: str(r.Type), Version: str(r.MasterKubeVersion), Region: str(r.Region), Location: str(r.Location),
			ResourceGroupID: str(r.ResourceGroup), ResourceGroupName: str(r.ResourceGroupName), State: str(r.State), WorkerCount: -1}
		if r.WorkerCount != nil {
			cl.WorkerCount = int(*r.WorkerCount)
		}
		out = append(out, cl)
	}
	return out
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
		for _, g := range groups {
			if g.Default {
				group = &g
				break
			}
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

// accounts lists the classic infrastructure accounts this session can read,
// the session's own linked account first: the linked account of every other
// IBM Cloud account the user belongs to, through a token bound to that
// account (what `ibmcloud target -c` does, without touching config.json),
// and the accounts of extra classic credentials.
func (c *Client) accounts(ctx context.Context, sess facts.Session, extra []ClassicCredential) ([]*classic, []facts.Rejected) {
	var out []*classic
	var rejected []facts.Rejected
	have := map[string]bool{}
	if l := c.linked(sess.IMSAccountID); l != nil {
		out = append(out, l)
		have[l.account] = true
	}
	others, _ := c.memberAccounts(ctx)
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	for _, a := range others {
		if a.ims == "" || have[a.ims] || a.id == sess.AccountID {
			continue
		}
		have[a.ims] = true
		g.Go(func() error {
			tok, err := c.tokenFor(gctx, a.id, a.ims)
			if err != nil {
				return nil // not reachable: its clusters' devices stay unfound
			}
			mu.Lock()
			out = append(out, &classic{account: a.ims, sess: c.slSession("Bearer " + tok)})
			mu.Unlock()
			return nil
		})
	}
	for _, cr := range extra {
		g.Go(func() error {
			s := c.slSession("")
			s.UserName, s.APIKey = cr.Username, cr.APIKey
			id, err := accountOf(gctx, s)
			if err != nil {
				mu.Lock()
				rejected = append(rejected, facts.Rejected{Source: cr.Source, Username: cr.Username, Err: err})
				mu.Unlock()
				return nil
			}
			mu.Lock()
			if !slices.ContainsFunc(out, func(x *classic) bool { return x.account == id }) {
				out = append(out, &classic{account: id, sess: s})
			}
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
	sort.SliceStable(out, func(i, j int) bool {
		if li, lj := out[i].account == sess.IMSAccountID, out[j].account == sess.IMSAccountID; li != lj {
			return li // the session's own linked account first
		}
		return out[i].account < out[j].account
	})
	sort.Slice(rejected, func(i, j int) bool { return rejected[i].Source < rejected[j].Source })
	return out, rejected
}

// accountOf is the infrastructure account a classic username belongs to.
func accountOf(ctx context.Context, s *session.Session) (string, error) {
	cp := *s
	cp.Context = ctx
	a, err := services.GetAccountService(&cp).Mask("id").GetObject()
	if err != nil {
		return "", slError("softlayer: SoftLayer_Account", err)
	}
	return itoa(a.Id), nil
}

type memberAccount struct{ id, ims string }

// memberAccounts lists the IBM Cloud accounts the user belongs to, with the
// classic infrastructure account each links, as `ibmcloud account list`
// does, following next_url (bluemix-go api/account/accountv2) so accounts
// past the first page are searched too. No official Go client covers this
// call, so it goes through go-sdk-core's request builder on the account
// management service.
func (c *Client) memberAccounts(ctx context.Context) ([]memberAccount, error) {
	const op = "ibmcloud account list"
	var out []memberAccount
	path, query := "/coe/v2/accounts", url.Values{}
	for range maxPages {
		b := core.NewRequestBuilder(core.GET).WithContext(ctx)
		if _, err := b.ResolveRequestURL(c.account.Service.GetServiceURL(), path, nil); err != nil {
			return out, err
		}
		for k, vs := range query {
			b.AddQuery(k, vs[0])
		}
		b.AddHeader("Accept", "application/json")
		req, err := b.Build()
		if err != nil {
			return out, err
		}
		var body struct {
			NextURL   string `json:"next_url"`
			Resources []struct {
				Metadata struct {
					GUID string `json:"guid"`
				} `json:"metadata"`
				Entity struct {
					Subscriptions []struct {
						IMS string `json:"softlayer_account_id"`
					} `json:"bluemix_subscriptions"`
				} `json:"entity"`
			} `json:"resources"`
		}
		var raw json.RawMessage
		resp, err := c.account.Service.Request(req, &raw)
		if err != nil {
			return out, readError(op, resp, err)
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			return out, fmt.Errorf("%s: %w", op, err)
		}
		for _, r := range body.Resources {
			a := memberAccount{id: r.Metadata.GUID}
			for _, s := range r.Entity.Subscriptions {
				if s.IMS != "" {
					a.ims = s.IMS
				}
			}
			out = append(out, a)
		}
		next, err := url.Parse(body.NextURL)
		if body.NextURL == "" || err != nil || len(body.Resources) == 0 {
			return out, nil
		}
		path, query = next.Path, next.Query()
	}
	return out, errTooManyPages(op)
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

// ClustersIn lists every cluster — classic, VPC and Satellite, OpenShift
// ones included — of the regions and resource groups o chooses, as the
// orphan walk chooses them, by name.
func (c *Client) ClustersIn(ctx context.Context, sess facts.Session, o WalkOptions) ([]facts.Cluster, error) {
	var classic, others []facts.Cluster
	var groups []facts.ResourceGroup
	var errClassic, errOthers error
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { classic, errClassic = c.classicClusters(gctx); return nil })
	g.Go(func() error { others, errOthers = c.otherClusters(gctx); return nil })
	g.Go(func() error { groups, _ = c.ResourceGroups(gctx, sess.AccountID); return nil })
	_ = g.Wait()
	in := walked(sess, o, groups)
	var out []facts.Cluster
	for _, cl := range append(classic, others...) {
		if in(cl) {
			out = append(out, cl)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	// What could be listed is checked; the error says what could not be.
	return out, errors.Join(errClassic, errOthers)
}
