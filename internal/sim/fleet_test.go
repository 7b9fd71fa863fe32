package sim_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/softlayer/softlayer-go/filter"
	"github.com/softlayer/softlayer-go/services"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

func fleet(t testing.TB, o sim.FleetOptions) (*sim.Scenario, *sim.FleetTruth) {
	t.Helper()
	sc, truth, err := sim.Fleet(o)
	if err != nil {
		t.Fatal(err)
	}
	return sc, truth
}

func TestFleetDeterministicAndCounts(t *testing.T) {
	o := sim.FleetOptions{Clusters: 120, Workers: 4, Regions: 3, Groups: 2, Accounts: 3, Orphans: 0.1, Seed: 7}
	sc, truth := fleet(t, o)
	sc2, truth2 := fleet(t, o)
	if !reflect.DeepEqual(sc, sc2) || !reflect.DeepEqual(truth, truth2) {
		t.Fatal("the same seed generated two fleets")
	}
	o.Seed = 8
	sc3, truth3 := fleet(t, o)
	if reflect.DeepEqual(truth.Orphaned, truth3.Orphaned) || sc.Clusters[0].ID == sc3.Clusters[0].ID {
		t.Error("another seed generated the same fleet")
	}

	regions, groups := map[string]bool{}, map[string]bool{}
	workers := 0
	for _, cl := range sc.Clusters {
		regions[cl.Region], groups[cl.ResourceGroup] = true, true
		if len(cl.Workers) != 4 || cl.Provider != "classic" {
			t.Errorf("%s: %d workers, %s", cl.Name, len(cl.Workers), cl.Provider)
		}
		workers += len(cl.Workers)
	}
	if len(sc.Clusters) != 120 || workers != 480 || len(regions) != 3 || len(groups) != 2 || len(sc.ResourceGroups) != 2 ||
		len(sc.InfraAccounts) != 3 || len(sc.OtherAccounts) != 2 || len(truth.Orphaned) != 12 || truth.Workers != 480 {
		t.Errorf("counts: %d clusters, %d workers, %d regions, %d groups, %d infra accounts, %d orphaned",
			len(sc.Clusters), workers, len(regions), len(groups), len(sc.InfraAccounts), len(truth.Orphaned))
	}
	// Every worker has exactly one device, in the account the truth says.
	where := map[string]string{}
	for _, ia := range sc.InfraAccounts {
		for _, d := range ia.VirtualGuests {
			if prev, dup := where[d.Hostname]; dup {
				t.Errorf("%s in %s and %s", d.Hostname, prev, ia.ID)
			}
			where[d.Hostname] = ia.ID
		}
		if len(ia.Hardware) != 0 {
			t.Errorf("%s has hardware", ia.ID)
		}
	}
	devices := 0
	for _, a := range truth.Accounts {
		devices += a.Devices
	}
	if len(where) != workers || devices != workers {
		t.Errorf("%d devices (truth %d) for %d workers", len(where), devices, workers)
	}
	orphaned := 0
	for i, tc := range truth.ClusterList {
		cl := sc.Clusters[i]
		if tc.ID != cl.ID || tc.Orphaned != slices.Contains(truth.Orphaned, cl.ID) || tc.Orphaned != (tc.InfraAccount != tc.Current) {
			t.Errorf("truth of %s: %+v", cl.Name, tc)
		}
		for _, w := range cl.Workers {
			if where[w.ID] != tc.InfraAccount {
				t.Errorf("%s: device in %q, truth %s", w.ID, where[w.ID], tc.InfraAccount)
			}
		}
		if tc.Orphaned {
			orphaned++
		}
	}
	if orphaned != 12 {
		t.Errorf("%d orphaned in the cluster list", orphaned)
	}
	if !strings.HasPrefix(sc.Canary, "KSDOCTORCANARY-") || len(sc.Secrets()) != 4 { // canary, session key, two infra keys
		t.Errorf("secrets %v", sc.Secrets())
	}
}

func TestFleetOptionsAndSpec(t *testing.T) {
	o, err := sim.ParseFleet("clusters=1000,workers=10,regions=6,groups=3,accounts=3,orphans=0.05,seed=1")
	want := sim.FleetOptions{Clusters: 1000, Workers: 10, Regions: 6, Groups: 3, Accounts: 3, Orphans: 0.05, Seed: 1}
	if err != nil || o != want {
		t.Fatalf("%+v %v", o, err)
	}
	if again, err := sim.ParseFleet(o.String()); err != nil || again != o {
		t.Errorf("String %q: %+v %v", o.String(), again, err)
	}
	for _, bad := range []string{"clusters=x", "orphans=0.1", "accounts=2,orphans=1.5", "regions=14", "nodes=3", "workers",
		"clusters=0,workers=0,seed=1,seed=2", "groups=28", "clusters=100000,workers=11"} {
		if _, err := sim.ParseFleet(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// Defaults: one small healthy fleet.
	sc, truth := fleet(t, sim.FleetOptions{})
	if len(sc.Clusters) != 10 || len(sc.Clusters[0].Workers) != 3 || len(truth.Orphaned) != 0 || sc.Clusters[0].Name != "fleet-0001" {
		t.Errorf("defaults: %d clusters", len(sc.Clusters))
	}
	// One 50-worker cluster in the session's target, for `check -c`.
	sc, _ = fleet(t, sim.FleetOptions{Clusters: 1, Workers: 50})
	cl := sc.Cluster("fleet-0001")
	if cl == nil || len(cl.Workers) != 50 || cl.Region != sc.Session.Region || cl.ResourceGroup != sc.Session.ResourceGroup {
		t.Errorf("50-worker cluster: %+v", cl)
	}
}

// What a walk concludes, read through the official clients, is the truth:
// credentials per scope (IKS), workers per cluster (IKS), and every
// device of every infrastructure account in pages (SoftLayer, with a token
// bound to each account as the walk gets one).
func TestFleetTruthMatchesWalk(t *testing.T) {
	sc, truth := fleet(t, sim.FleetOptions{Clusters: 60, Workers: 7, Regions: 2, Groups: 3, Accounts: 3, Orphans: 0.2, Seed: 3})
	srv := sim.New(sc, sim.Options{})
	check(t, srv.Start("127.0.0.1:0"))
	t.Cleanup(func() { srv.Close() })
	tok := login(t, srv)
	k := iks(t, srv, tok)

	current := map[string]string{} // region/group name → infrastructure account
	for _, s := range truth.Scopes {
		user, code := credential(t, srv, s.Region, s.ResourceGroup)
		acct := sc.Account.IMSAccount // E0051: the linked account
		if code == "" {
			acct, _, _ = strings.Cut(user, "_")
		} else if code != "E0051" {
			t.Fatalf("credentials of %s/%s: %s", s.Region, s.ResourceGroup, code)
		}
		if acct != s.InfraAccount {
			t.Errorf("%s/%s uses %s, truth %s", s.Region, s.ResourceGroup, acct, s.InfraAccount)
		}
		current[s.Region+"/"+s.ResourceGroup] = acct
	}

	where := map[string]string{}
	for _, a := range truth.Accounts {
		tokFor := tok
		if !a.Linked {
			tokFor = switchAccount(t, srv, a.BSS, a.IMS)
		}
		acct := services.GetAccountService(slBearer(srv, tokFor))
		f := filter.Build(filter.Path("virtualGuests.hostname").StartsWith("kube-"))
		const page = 50
		for off := 0; ; off += page {
			guests, err := acct.Mask("id;hostname").Filter(f).Limit(page).Offset(off).GetVirtualGuests()
			check(t, err)
			for _, g := range guests {
				where[*g.Hostname] = a.IMS
			}
			if len(guests) < page {
				break
			}
		}
	}

	var orphaned []string
	for _, tc := range truth.ClusterList {
		ws, _, err := k.GetClusterWorkers(k.NewGetClusterWorkersOptions(tc.ID).SetXAuthResourceGroup(sc.GroupByName(tc.ResourceGroup).ID))
		check(t, err)
		in := map[string]int{}
		for _, w := range ws {
			in[where[*w.ID]]++
		}
		switch cur := current[tc.Region+"/"+tc.ResourceGroup]; {
		case in[cur] == len(ws) && len(ws) == 7:
		case len(in) == 1 && in[""] == 0:
			orphaned = append(orphaned, tc.ID)
		default:
			t.Errorf("%s: workers in %v, current %s", tc.Name, in, cur)
		}
	}
	slices.Sort(orphaned)
	if !slices.Equal(orphaned, truth.Orphaned) || len(orphaned) != 12 {
		t.Errorf("walk finds %d orphaned %v\ntruth %d %v", len(orphaned), orphaned, len(truth.Orphaned), truth.Orphaned)
	}
}

// The benchmark's fleet generates, loads and lists fast; this test only
// checks its shape (BenchmarkFleet measures).
func TestFleetAtBenchmarkSize(t *testing.T) {
	sc, truth := fleet(t, sim.FleetOptions{Clusters: 1000, Workers: 10, Regions: 6, Groups: 3, Accounts: 3, Orphans: 0.05, Seed: 1})
	if len(sc.Clusters) != 1000 || truth.Workers != 10000 || len(truth.Orphaned) != 50 || len(truth.Scopes) != 18 {
		t.Fatalf("%d clusters, %d workers, %d orphaned, %d scopes", len(sc.Clusters), truth.Workers, len(truth.Orphaned), len(truth.Scopes))
	}
	srv := sim.New(sc, sim.Options{})
	check(t, srv.Start("127.0.0.1:0"))
	t.Cleanup(func() { srv.Close() })
	acct := services.GetAccountService(slBearer(srv, login(t, srv)))
	f := filter.Build(filter.Path("virtualGuests.hostname").StartsWith("kube-"))
	n := 0
	for off := 0; ; off += 500 {
		guests, err := acct.Mask("id;hostname;primaryBackendIpAddress").Filter(f).Limit(500).Offset(off).GetVirtualGuests()
		check(t, err)
		n += len(guests)
		if len(guests) < 500 {
			break
		}
	}
	if n != truth.Accounts[0].Devices {
		t.Errorf("listed %d devices of %s, truth %d", n, truth.Accounts[0].IMS, truth.Accounts[0].Devices)
	}
	k := iks(t, srv, login(t, srv))
	cls, _, err := k.ClassicGetClusters(k.NewClassicGetClustersOptions())
	if err != nil || len(cls) != 1000 {
		t.Errorf("%d clusters listed, %v", len(cls), err)
	}
}

// BenchmarkFleet generates the issue #5 fleet (1,000 clusters, 10,000
// workers, 6 regions, 3 groups, 3 infrastructure accounts, 5% orphans) and
// loads it into a server.
func BenchmarkFleet(b *testing.B) {
	o := sim.FleetOptions{Clusters: 1000, Workers: 10, Regions: 6, Groups: 3, Accounts: 3, Orphans: 0.05, Seed: 1}
	b.ReportAllocs()
	for b.Loop() {
		sc, _ := fleet(b, o)
		sim.New(sc, sim.Options{})
	}
}
