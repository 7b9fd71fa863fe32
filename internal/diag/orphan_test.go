package diag

import (
	"slices"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// fleet builds one scope (us-south/default) whose credentials use account
// current, with clusters whose workers' devices are in the accounts given
// ("" = a worker that should have a device and has none anywhere).
type fleetCluster struct {
	name    string
	devices []string // one account per worker
	states  []string // worker states; default normal
}

func fleetOf(current string, complete bool, clusters ...fleetCluster) *facts.Fleet {
	g := facts.ResourceGroup{ID: "rg1", Name: "default"}
	f := &facts.Fleet{
		Scopes:  []facts.Scope{{Region: "us-south", Group: g, Credentials: facts.Slot[facts.Credentials]{Loaded: true}, Account: current}},
		Devices: facts.Devices{Accounts: map[string]facts.Searched{}},
	}
	for _, a := range []string{"111", "222", "333"} {
		f.Devices.Accounts[a] = facts.Searched{ByHost: map[string]facts.Device{}, Complete: complete}
	}
	for _, c := range clusters {
		fc := facts.FleetCluster{Cluster: facts.Cluster{ID: c.name, Name: c.name, Region: "us-south", ResourceGroupID: "rg1", ResourceGroupName: "default"}}
		fc.Workers.Loaded = true
		for i, a := range c.devices {
			w := facts.Worker{ID: c.name + "-w" + itoa(i), State: "normal"}
			if i < len(c.states) {
				w.State = c.states[i]
			}
			fc.Workers.Value = append(fc.Workers.Value, w)
			if a != "" {
				f.Devices.Accounts[a].ByHost[w.ID] = facts.Device{Account: a}
			}
		}
		f.Clusters = append(f.Clusters, fc)
	}
	return f
}

func statuses(r OrphanReport) map[string]string {
	m := map[string]string{}
	for _, v := range r.Clusters {
		m[v.Cluster.Name] = v.Status
	}
	return m
}

func TestOrphanPlan(t *testing.T) {
	linked := "111"
	t.Run("seed 000 Cluster1/Cluster2: keep what works, advise re-creating", func(t *testing.T) {
		r := Orphans(fleetOf("111", true, fleetCluster{name: "cluster1", devices: []string{"111", "111"}},
			fleetCluster{name: "cluster2", devices: []string{"222", "222"}}), linked)
		if got := statuses(r); got["cluster1"] != OrphanOK || got["cluster2"] != OrphanOrphaned {
			t.Fatalf("statuses %v", got)
		}
		p := r.Plan[0]
		if p.Recommended != "111" || len(p.Commands) != 0 || !p.NoSingle {
			t.Errorf("plan %+v: keep account 111 (switching to 222 orphans cluster1, which works) and say no single setting serves both", p)
		}
	})
	t.Run("credential unset would orphan a working cluster: never recommended", func(t *testing.T) {
		// Manual credentials point at 222, where cluster-x works; cluster-y
		// is in the linked account. Unsetting fixes y and orphans x.
		r := Orphans(fleetOf("222", true, fleetCluster{name: "cluster-x", devices: []string{"222"}},
			fleetCluster{name: "cluster-y", devices: []string{"111", "111"}}), linked)
		p := r.Plan[0]
		for _, c := range p.Commands {
			if strings.Contains(c, "credential unset") {
				t.Fatalf("recommended %q, which orphans cluster-x", p.Commands)
			}
		}
		if p.Recommended != "222" {
			t.Errorf("recommended %q, want the current 222", p.Recommended)
		}
	})
	t.Run("nothing works under the current setting: switch", func(t *testing.T) {
		r := Orphans(fleetOf("222", true, fleetCluster{name: "a", devices: []string{"111"}}, fleetCluster{name: "b", devices: []string{"111"}}), linked)
		p := r.Plan[0]
		if p.Recommended != "111" || len(p.Commands) != 2 || p.Commands[1] != "ibmcloud ks credential unset --region us-south" ||
			p.Commands[0] != "ibmcloud target -r us-south -g default" {
			t.Errorf("plan %+v", p)
		}
	})
	t.Run("an unknown cluster in the scope: no recommendation", func(t *testing.T) {
		f := fleetOf("222", true, fleetCluster{name: "a", devices: []string{"111"}}, fleetCluster{name: "b", devices: []string{"111"}})
		f.Clusters = append(f.Clusters, facts.FleetCluster{Cluster: facts.Cluster{ID: "c", Name: "c", Region: "us-south", ResourceGroupID: "rg1"},
			Workers: facts.Slot[[]facts.Worker]{Loaded: true, Err: e500}})
		p := Orphans(f, linked).Plan[0]
		if p.Recommended != "" || len(p.Commands) != 0 || !slices.Equal(p.Unknown, []string{"c"}) {
			t.Errorf("plan %+v: c could be orphaned by any change", p)
		}
		for _, o := range p.Options {
			if !slices.Equal(o.Unknown, []string{"c"}) {
				t.Errorf("option %+v must list the undecided cluster", o)
			}
		}
	})
	t.Run("credentials unreadable: clusters unknown, no account named, nothing recommended", func(t *testing.T) {
		f := fleetOf("", true, fleetCluster{name: "a", devices: []string{"111"}})
		f.Scopes[0].Credentials.Err = e500
		r := Orphans(f, linked)
		p := r.Plan[0]
		if statuses(r)["a"] != OrphanUnknown || p.CredentialsErr == nil || p.Current != "" || p.Recommended != "" || len(p.Options) != 0 {
			t.Errorf("plan %+v, statuses %v", p, statuses(r))
		}
	})
	t.Run("workers without a device yet are no evidence", func(t *testing.T) {
		r := Orphans(fleetOf("111", true, fleetCluster{name: "new", devices: []string{"111", "", "", ""},
			states: []string{"normal", "provisioning", "provision_failed", "provision_pending"}}), linked)
		v := r.Clusters[0]
		if v.Status != OrphanOK || v.Pending != 3 || v.Found != 1 {
			t.Errorf("verdict %+v", v)
		}
		if len(r.Plan[0].Commands) != 0 {
			t.Errorf("plan %+v", r.Plan[0])
		}
	})
	t.Run("only workers without a device: ok, and no option weighs it", func(t *testing.T) {
		r := Orphans(fleetOf("111", true, fleetCluster{name: "new", devices: []string{""}, states: []string{"provisioning"}}), linked)
		if r.Clusters[0].Status != OrphanOK || len(r.Plan[0].Options[0].Manageable)+len(r.Plan[0].Options[0].Orphaned) != 0 {
			t.Errorf("%+v %+v", r.Clusters[0], r.Plan[0])
		}
	})
	t.Run("missing from a partial listing: unknown", func(t *testing.T) {
		f := fleetOf("111", false, fleetCluster{name: "a", devices: []string{"111", ""}})
		acc := f.Devices.Accounts["111"]
		acc.Visibility = "ACCESS_ALL_GUEST"
		f.Devices.Accounts["111"] = acc
		r := Orphans(f, linked)
		if r.Clusters[0].Status != OrphanUnknown || r.Clusters[0].Reason.Key != "orphan.reason.not-visible" || r.Clusters[0].Reason.Params["permissions"] != "ACCESS_ALL_GUEST" {
			t.Errorf("%+v", r.Clusters[0])
		}
		if r.Plan[0].Recommended != "" {
			t.Errorf("plan %+v", r.Plan[0])
		}
	})
	t.Run("missing from a complete listing: orphaned", func(t *testing.T) {
		r := Orphans(fleetOf("111", true, fleetCluster{name: "a", devices: []string{"", ""}}), linked)
		if r.Clusters[0].Status != OrphanOrphaned {
			t.Errorf("%+v", r.Clusters[0])
		}
	})
}

// A resource group whose name needs quoting stays one argument.
func TestCommandsAreQuoted(t *testing.T) {
	got := cmd("ibmcloud", "target", "-g", "Default Group", "--x", "a;b$(c)'d", "<placeholder>", "")
	want := `ibmcloud target -g 'Default Group' --x 'a;b$(c)'\''d' <placeholder> ''`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
