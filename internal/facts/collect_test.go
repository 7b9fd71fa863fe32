package facts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSource tests the collector's scheduling only: which reads are made,
// with what, in which order and how many at once. Checks and adapters are
// tested against the simulator.
type fakeSource struct {
	cluster Cluster
	workers []Worker
	errs    map[string]error // by method
	panics  string           // the method that panics
	// awaits holds a method back until another one was called (2 s at
	// most): a read that must not wait for a slower one.
	awaits map[string]string
	gate   *gate

	mu     sync.Mutex
	calls  []string
	called map[string]chan struct{} // closed by the method's first call
}

func (f *fakeSource) do(method string, args ...any) error {
	f.mu.Lock()
	f.calls = append(f.calls, strings.TrimSuffix(fmt.Sprintln(append([]any{method}, args...)...), "\n"))
	if ch := f.signal(method); !slices.Contains(f.calls[:len(f.calls)-1], f.calls[len(f.calls)-1]) {
		select {
		case <-ch:
		default:
			close(ch)
		}
	}
	var wait chan struct{}
	if other, ok := f.awaits[method]; ok {
		wait = f.signal(other)
	}
	f.mu.Unlock()
	if wait != nil {
		select {
		case <-wait:
		case <-time.After(2 * time.Second):
			return fmt.Errorf("%s waited in vain for %s", method, f.awaits[method])
		}
	}
	if f.gate != nil {
		f.gate.enter()
		defer f.gate.leave()
	}
	if method == f.panics {
		panic("index out of range [3] with length 3")
	}
	return f.errs[method]
}

// signal is the channel closed when method is first called; f.mu is held.
func (f *fakeSource) signal(method string) chan struct{} {
	if f.called == nil {
		f.called = map[string]chan struct{}{}
	}
	if _, ok := f.called[method]; !ok {
		f.called[method] = make(chan struct{})
	}
	return f.called[method]
}

func (f *fakeSource) Cluster(_ context.Context, q string) (Cluster, error) {
	return f.cluster, f.do("Cluster", q)
}
func (f *fakeSource) ResourceGroups(_ context.Context, account string) ([]ResourceGroup, error) {
	return []ResourceGroup{{ID: "g-default", Name: "default", Default: true}}, f.do("ResourceGroups", account)
}
func (f *fakeSource) Workers(_ context.Context, c Cluster) ([]Worker, error) {
	return f.workers, f.do("Workers", c.ID)
}
func (f *fakeSource) Pools(_ context.Context, c Cluster) ([]Pool, error) {
	return nil, f.do("Pools", c.ID)
}
func (f *fakeSource) APIKeyOwner(_ context.Context, c Cluster) (Owner, error) {
	return Owner{IAMID: "IBMid-owner"}, f.do("APIKeyOwner", c.ID)
}
func (f *fakeSource) Credentials(_ context.Context, region, group string) (Credentials, error) {
	return Credentials{}, f.do("Credentials", region, "/", group)
}
func (f *fakeSource) InfraPermissions(_ context.Context, region, group string) (InfraPermissions, error) {
	return InfraPermissions{}, f.do("InfraPermissions", region, "/", group)
}
func (f *fakeSource) Users(_ context.Context, account string) ([]User, error) {
	return []User{{IAMID: "IBMid-owner"}}, f.do("Users", account)
}
func (f *fakeSource) AccountSettings(_ context.Context, account string) (AccountSettings, error) {
	return AccountSettings{}, f.do("AccountSettings", account)
}
func (f *fakeSource) Account(_ context.Context, s Session) (Account, error) {
	if err := f.do("Account", s.AccountID); err != nil {
		return Account{}, err
	}
	return Account{OwnerIAMID: "IBMid-account-owner"}, nil
}
func (f *fakeSource) Devices(_ context.Context, c Cluster, ims string) (Devices, error) {
	return Devices{}, f.do("Devices", c.ID, ims)
}
func (f *fakeSource) VLANs(_ context.Context, ims string) (VLANs, error) {
	return VLANs{}, f.do("VLANs", ims)
}
func (f *fakeSource) VPE(_ context.Context, c Cluster) (VPE, error) {
	return VPE{}, f.do("VPE", c.ID)
}
func (f *fakeSource) OwnerAccess(_ context.Context, _ Session, accountOwner string, o Owner) (Access, error) {
	return Access{}, f.do("OwnerAccess", accountOwner, o.IAMID)
}
func (f *fakeSource) OwnerMembership(_ context.Context, _ string, o Owner, users []User, settings *AccountSettings) (Membership, error) {
	return Membership{}, f.do("OwnerMembership", o.IAMID, len(users), settings != nil)
}
func (f *fakeSource) Versions(context.Context) (SupportedVersions, error) {
	return SupportedVersions{}, f.do("Versions")
}
func (f *fakeSource) Kubectl(context.Context) (Kubectl, error) { return Kubectl{}, f.do("Kubectl") }
func (f *fakeSource) Nodes(_ context.Context, c Cluster) ([]Node, error) {
	return nil, f.do("Nodes", c.ID)
}
func (f *fakeSource) CalicoNodes(_ context.Context, c Cluster) (CalicoNodes, error) {
	return CalicoNodes{}, f.do("CalicoNodes", c.ID)
}

var _ Source = (*fakeSource)(nil)

// gate counts the reads in flight. The first ones wait until want of them
// are in (2 s at most), so a bound that is respected is also reached.
type gate struct {
	want     int
	mu       sync.Mutex
	in, most int
	full     chan struct{}
	closed   bool
}

func newGate(want int) *gate { return &gate{want: want, full: make(chan struct{})} }

func (g *gate) enter() {
	g.mu.Lock()
	g.in++
	g.most = max(g.most, g.in)
	if g.in >= g.want && !g.closed {
		g.closed = true
		close(g.full)
	}
	g.mu.Unlock()
	select {
	case <-g.full:
	case <-time.After(2 * time.Second):
	}
	// Held a little, so reads that should not start yet have the time to
	// (wrongly) do so: the wall clock only makes a broken bound likelier
	// to show, a respected one passes whatever the machine's load.
	time.Sleep(2 * time.Millisecond)
}

func (g *gate) leave() {
	g.mu.Lock()
	g.in--
	g.mu.Unlock()
}

func allKeys() []Key {
	var out []Key
	for _, e := range table {
		out = append(out, e.key)
	}
	return out
}

var (
	errBoom = errors.New("HTTP 500")
	vpcOne  = Cluster{ID: "c1", Name: "one", Provider: "vpc-gen2", Region: "us-south", ResourceGroupID: "g1"}
	classic = Cluster{ID: "c1", Name: "one", Provider: "classic", Region: "us-south", ResourceGroupID: "g1"}
	// targeted: the session targets another region than the cluster's.
	targeted = Session{AccountID: "acc", IMSAccountID: "ims", Region: "eu-de", ResourceGroup: &ResourceGroup{ID: "g2", Name: "team"}}
)

func TestCollect(t *testing.T) {
	for _, c := range []struct {
		name    string
		src     *fakeSource
		sess    Session
		cluster string
		needs   []Key
		// calls are every Source call made, sorted; nil: every key's.
		calls []string
		// failed are the keys whose slot holds a DependencyError naming
		// the read it needs, which failed with errBoom further down.
		failed map[Key]Key
		// unread are the keys left unloaded.
		unread []Key
	}{
		{
			name: "every key is read once", src: &fakeSource{cluster: vpcOne}, sess: targeted, cluster: "one",
			needs: allKeys(),
		},
		{
			name: "a failed cluster read stops its dependents, the others are read",
			src:  &fakeSource{cluster: vpcOne, errs: map[string]error{"Cluster": errBoom}}, sess: targeted, cluster: "one",
			needs: allKeys(),
			calls: []string{"Account acc", "AccountSettings acc", "Cluster one", "Credentials eu-de / g2",
				"InfraPermissions eu-de / g2", "Kubectl", "ResourceGroups acc", "Users acc", "VLANs ims", "Versions"},
			failed: map[Key]Key{KeyWorkers: KeyCluster, KeyPools: KeyCluster, KeyAPIKeyOwner: KeyCluster,
				KeyCredentials: KeyCluster, KeyInfraPermissions: KeyCluster, KeyDevices: KeyCluster, KeyVPE: KeyCluster,
				KeyNodes: KeyCluster, KeyCalicoNodes: KeyCluster, KeyOwnerAccess: KeyAPIKeyOwner, KeyOwnerMembership: KeyAPIKeyOwner},
		},
		{
			name: "a panicking read is a failed read: its dependents are not read",
			src:  &fakeSource{cluster: classic, panics: "Cluster"}, sess: targeted, cluster: "one",
			needs:  []Key{KeyWorkers},
			calls:  []string{"Cluster one"},
			failed: map[Key]Key{KeyWorkers: KeyCluster},
		},
		{
			name: "optional needs that fail leave the read another way",
			src: &fakeSource{cluster: vpcOne, errs: map[string]error{
				"Users": errBoom, "AccountSettings": errBoom, "Account": errBoom}},
			sess: targeted, cluster: "one", needs: []Key{KeyOwnerMembership, KeyOwnerAccess},
			calls: []string{"APIKeyOwner c1", "Account acc", "AccountSettings acc", "Cluster one",
				"OwnerAccess  IBMid-owner", "OwnerMembership IBMid-owner 0 false", "Users acc", "Workers c1"},
		},
		{
			name: "a VPC cluster's owner policies do not wait for its workers",
			src:  &fakeSource{cluster: vpcOne, awaits: map[string]string{"Workers": "OwnerAccess"}},
			sess: targeted, cluster: "one", needs: []Key{KeyOwnerAccess},
			calls: []string{"APIKeyOwner c1", "Account acc", "Cluster one", "OwnerAccess IBMid-account-owner IBMid-owner", "Workers c1"},
		},
		{
			name: "a classic cluster's owner policies are read only after a registry failure",
			src: &fakeSource{cluster: classic, workers: []Worker{{ID: "w1",
				Message: "The cluster could not be configured with the registry."}}},
			sess: targeted, cluster: "one", needs: []Key{KeyOwnerAccess},
			calls: []string{"APIKeyOwner c1", "Account acc", "Cluster one", "OwnerAccess IBMid-account-owner IBMid-owner", "Workers c1"},
		},
		{
			name: "otherwise they do not apply and stay unread",
			src:  &fakeSource{cluster: classic}, sess: targeted, cluster: "one", needs: []Key{KeyOwnerAccess},
			calls:  []string{"APIKeyOwner c1", "Account acc", "Cluster one", "Workers c1"},
			unread: []Key{KeyOwnerAccess},
		},
		{
			name: "create scope leaves out what needs a cluster and reads the target's credentials",
			src:  &fakeSource{cluster: classic}, sess: targeted, needs: allKeys(),
			calls: []string{"Account acc", "AccountSettings acc", "Credentials eu-de / g2", "InfraPermissions eu-de / g2",
				"ResourceGroups acc", "Users acc", "VLANs ims"},
			unread: []Key{KeyCluster, KeyWorkers, KeyPools, KeyAPIKeyOwner, KeyDevices, KeyVPE, KeyOwnerAccess,
				KeyOwnerMembership, KeyVersions, KeyKubectl, KeyNodes, KeyCalicoNodes, KeyTargetCredentials, KeyTargetInfraPermissions},
		},
		{
			name: "create scope without a targeted group lets IKS apply the default",
			src:  &fakeSource{}, sess: Session{AccountID: "acc", Region: "us-south"}, needs: []Key{KeyCredentials},
			calls: []string{"Credentials us-south / "},
		},
		{
			name: "the target that is the cluster's is not read twice",
			src:  &fakeSource{cluster: classic}, cluster: "one",
			sess:   Session{AccountID: "acc", Region: "us-south", ResourceGroup: &ResourceGroup{ID: "g1"}},
			needs:  []Key{KeyCredentials, KeyTargetCredentials, KeyTargetInfraPermissions},
			calls:  []string{"Cluster one", "Credentials us-south / g1", "ResourceGroups acc"},
			unread: []Key{KeyTargetCredentials, KeyTargetInfraPermissions},
		},
		{
			name: "with no group targeted, the target's group is the default one, and none is sent",
			src:  &fakeSource{cluster: classic}, cluster: "one", sess: Session{AccountID: "acc", Region: "eu-de"},
			needs: []Key{KeyTargetCredentials},
			calls: []string{"Cluster one", "Credentials eu-de / ", "ResourceGroups acc"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := Collect(t.Context(), c.src, c.sess, c.cluster, c.needs, 0)
			got := slices.Sorted(slices.Values(c.src.calls))
			if c.calls == nil {
				if len(got) != len(table) {
					t.Errorf("%d calls for %d keys: %q", len(got), len(table), got)
				}
			} else if !slices.Equal(got, c.calls) {
				t.Errorf("calls\n%q\nwant\n%q", got, c.calls)
			}
			for i := 1; i < len(got); i++ {
				if got[i] == got[i-1] {
					t.Errorf("read twice: %q", got[i])
				}
			}
			want := Expand(c.needs, c.cluster != "")
			for _, e := range table {
				k := e.key
				err := s.err(k)
				var de *DependencyError
				if need, ok := c.failed[k]; ok {
					if !errors.As(err, &de) || de.Needs != need || !s.Loaded(k) || !errors.Is(err, errBoom) && !errors.As(err, new(*InternalError)) {
						t.Errorf("%s: %v, want a DependencyError on %s", k, err, need)
					}
					continue
				}
				if errors.As(err, &de) {
					t.Errorf("%s: %v, want it read", k, err)
				}
				unread := slices.Contains(c.unread, k) || !slices.Contains(want, k)
				if s.Loaded(k) == unread {
					t.Errorf("%s: loaded %v (%v), want %v", k, s.Loaded(k), err, !unread)
				}
			}
		})
	}
}

// limit bounds the reads in flight, and is reached: with a cluster, eight
// reads need nothing and may start at once.
func TestCollectConcurrencyBound(t *testing.T) {
	for _, c := range []struct{ limit, want int }{{1, 1}, {2, 2}, {5, 5}, {0, 8}} {
		t.Run(fmt.Sprint("limit ", c.limit), func(t *testing.T) {
			src := &fakeSource{cluster: vpcOne, gate: newGate(c.want)}
			s := Collect(t.Context(), src, targeted, "one", allKeys(), c.limit)
			if c.limit > 0 && src.gate.most > c.limit {
				t.Errorf("%d reads in flight, limit %d", src.gate.most, c.limit)
			}
			if src.gate.most < c.want {
				t.Errorf("at most %d reads in flight, want %d", src.gate.most, c.want)
			}
			if len(src.calls) != len(table) {
				t.Errorf("%d reads, want %d", len(src.calls), len(table))
			}
			for _, e := range table {
				if !s.Loaded(e.key) {
					t.Errorf("%s not read", e.key)
				}
			}
		})
	}
}

// Asked for alone, each key is read once, with what it needs, and nothing
// else: one Source call per key read.
func TestCollectEachKeyAlone(t *testing.T) {
	for _, e := range table {
		src := &fakeSource{cluster: vpcOne}
		s := Collect(t.Context(), src, targeted, "one", []Key{e.key}, 0)
		want := Expand([]Key{e.key}, true)
		if len(src.calls) != len(want) {
			t.Errorf("%s: calls %q for the keys %v", e.key, src.calls, want)
		}
		for _, k := range want {
			if !s.Loaded(k) || s.err(k) != nil {
				t.Errorf("%s: %s loaded %v, %v", e.key, k, s.Loaded(k), s.err(k))
			}
		}
	}
}

// Progress hears of every read as it ends, counting up to the number of
// reads, one call at a time.
func TestCollectReportsProgress(t *testing.T) {
	var seen []int
	total := -1
	CollectReporting(t.Context(), &fakeSource{cluster: vpcOne}, targeted, "one", allKeys(), 3, func(done, n int) {
		seen = append(seen, done) // no lock: calls never overlap (-race)
		total = n
	})
	if len(seen) == 0 || len(seen) != total {
		t.Fatalf("%d calls for %d reads", len(seen), total)
	}
	for i, d := range seen {
		if d != i+1 {
			t.Fatalf("progress %v is not 1, 2, … %d", seen, total)
		}
	}
}
