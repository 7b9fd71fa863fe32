package diag

import (
	"strings"
	"testing"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// versioned is world() with a master on ver, workers on wver with target,
// and IKS listing 1.30 (deprecated, end of support eos) … 1.32 (default).
func versioned(provider, ver, wver, target string, eos time.Time, edit func(*facts.Set)) *facts.Set {
	return world(provider, func(s *facts.Set) {
		s.Cluster.Value.Version, s.Cluster.Value.TargetVersion = ver, ver
		for i := range s.Workers.Value {
			s.Workers.Value[i].Version, s.Workers.Value[i].Target = wver, target
		}
		s.Versions = facts.Slot[facts.SupportedVersions]{Loaded: true, Value: facts.SupportedVersions{
			Kubernetes: []facts.SupportedVersion{
				{Version: facts.Version{Major: 1, Minor: 30, Patch: 6}, EndOfService: eos},
				{Version: facts.Version{Major: 1, Minor: 31, Patch: 2}},
				{Version: facts.Version{Major: 1, Minor: 32, Patch: 1}, Default: true},
			},
			OpenShift: []facts.SupportedVersion{{Version: facts.Version{Major: 4, Minor: 16, Patch: 12, OpenShift: true}, Default: true}},
		}}
		if edit != nil {
			edit(s)
		}
	})
}

var (
	farEOS  = time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	nearEOS = time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC) // 15 days after world's now
	pastEOS = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
)

func TestClusterVersion(t *testing.T) {
	run(t, via(clusterVersion), []tcase{
		tc("default version, latest patch", versioned("classic", "1.32.1_1520", "", "", farEOS, nil), OK, "cluster.version.ok"),
		tc("openshift on its default", versioned("vpc-gen2", "4.16.12_1545_openshift", "", "", farEOS, nil), OK, "cluster.version.ok"),
		tc("patch behind the list", versioned("classic", "1.32.0_1510", "", "", farEOS, nil), Warn, "cluster.version.patch"),
		tc("target version newer", versioned("classic", "1.32.1_1520", "", "", farEOS, func(s *facts.Set) {
			s.Cluster.Value.TargetVersion = "1.32.1_1530"
		}), Warn, "cluster.version.patch"),
		tc("supported, behind the default", versioned("classic", "1.31.2_1530", "", "", farEOS, nil), Info, "cluster.version.behind-default"),
		tc("deprecated, support ends in 15 days", versioned("classic", "1.30.6_1540", "", "", nearEOS, nil), Warn, "cluster.version.eos-soon"),
		tc("past its end of support", versioned("classic", "1.30.6_1540", "", "", pastEOS, nil), Fail, "cluster.version.unsupported"),
		// IBM lists 1.30 as the oldest: 1.29 is one behind and can still go
		// to the next version; 1.28 is two behind and has no update path.
		tc("no longer listed, one behind the oldest", versioned("classic", "1.29.9_1550", "", "", farEOS, nil), Fail, "cluster.version.unsupported"),
		tc("no longer listed, two behind the oldest", versioned("classic", "1.28.9_1550", "", "", farEOS, nil), Fail, "cluster.version.no-update-path"),
		tc("cluster's own versionEOS passed", versioned("classic", "1.31.2_1530", "", "", farEOS, func(s *facts.Set) {
			s.Cluster.Value.VersionEOS = "2026-11-01"
		}), Fail, "cluster.version.unsupported"),
		tc("master health unsupported", versioned("classic", "1.32.1_1520", "", "", farEOS, func(s *facts.Set) {
			s.Cluster.Value.MasterHealth = "unsupported"
		}), Fail, "cluster.version.unsupported"),
		tc("versions unreadable", versioned("classic", "1.32.1_1520", "", "", farEOS, func(s *facts.Set) { s.Versions.Err = e500 }), Unknown, "read.failed"),
		tc("versions unreadable, versionEOS passed", versioned("classic", "1.32.1_1520", "", "", farEOS, func(s *facts.Set) {
			s.Versions.Err, s.Cluster.Value.VersionEOS = e500, "2026-10-01"
		}), Fail, "cluster.version.unsupported"),
		tc("version unreadable", versioned("classic", "latest", "", "", farEOS, nil), Unknown, "cluster.version.unreadable"),
		tc("cluster unreadable", versioned("classic", "1.32.1_1520", "", "", farEOS, func(s *facts.Set) { s.Cluster.Err = e500 }), Unknown, "read.failed"),
	})
}

func TestClusterVersionFix(t *testing.T) {
	// A master goes only to the next minor version (n+1), never further,
	// and no --force-update: IBM no longer offers a way past that.
	for _, tc := range []struct{ version, want string }{
		{"1.29.9_1550", "ibmcloud ks cluster master update --cluster mycluster --version 1.30"},
		{"1.30.6_1540", "ibmcloud ks cluster master update --cluster mycluster --version 1.31"}, // past its end of support
		{"1.31.2_1530", "ibmcloud ks cluster master update --cluster mycluster --version 1.32"}, // behind the default
		{"1.28.9_1550", "ibmcloud ks versions"},                                                 // no update path
		{"1.26.9_1550", "ibmcloud ks versions"},
	} {
		f := judgeClusterVersion(versioned("classic", tc.version, "", "", pastEOS, nil))[0]
		if len(f.Fix) != 1 || f.Fix[0] != tc.want {
			t.Errorf("%s: fix %q, want %q", tc.version, f.Fix, tc.want)
		}
	}
	f := judgeClusterVersion(versioned("classic", "1.28.9_1550", "", "", farEOS, nil))[0]
	if f.Params["oldest"] != "1.30" {
		t.Errorf("no update path names the oldest supported version: %v", f.Params)
	}
	f = judgeClusterVersion(versioned("vpc-gen2", "4.14.9_1550_openshift", "", "", farEOS, nil))[0]
	if f.Key != "cluster.version.no-update-path" || f.Params["oldest"] != "4.16_openshift" {
		t.Errorf("openshift two behind: %s %v", f.Key, f.Params)
	}
	f = judgeClusterVersion(versioned("vpc-gen2", "4.15.9_1550_openshift", "", "", farEOS, nil))[0]
	if f.Key != "cluster.version.unsupported" || f.Fix[0] != "ibmcloud ks cluster master update --cluster mycluster --version 4.16_openshift" {
		t.Errorf("openshift one behind: %s %q", f.Key, f.Fix)
	}
	f = judgeClusterVersion(versioned("classic", "1.32.0_1510", "", "", farEOS, nil))[0]
	if want := "ibmcloud ks cluster master update --cluster mycluster --version 1.32.1"; f.Fix[0] != want {
		t.Errorf("patch fix %q, want %q", f.Fix[0], want)
	}
}

func TestWorkersVersion(t *testing.T) {
	two := func(st Status, key string) ([]Status, []string) {
		return []Status{st, st}, []string{key, key}
	}
	cases := []tcase{
		tc("on the master's version", versioned("classic", "1.32.1_1520", "1.32.1_1520", "1.32.1_1520", farEOS, nil), OK, "workers.version.ok"),
		tc("no live worker", versioned("classic", "1.32.1_1520", "1.32.1_1520", "", farEOS, func(s *facts.Set) {
			s.Workers.Value = []facts.Worker{{ID: "w9", Deleted: true, Version: "1.20.1_1500"}}
		}), OK, "workers.version.none"),
		tc("versions unreadable, nothing else to say", versioned("classic", "1.32.1_1520", "1.32.1_1520", "1.32.1_1520", farEOS,
			func(s *facts.Set) { s.Versions.Err = e500 }), Unknown, "read.failed"),
		tc("workers unreadable", versioned("classic", "1.32.1_1520", "", "", farEOS, func(s *facts.Set) { s.Workers.Err = e500 }), Unknown, "read.failed"),
	}
	for _, c := range []struct {
		name, master, worker, target string
		edit                         func(*facts.Set)
		st                           Status
		key                          string
	}{
		{"fix pack available", "1.32.1_1520", "1.32.1_1510", "1.32.1_1520", nil, Warn, "workers.version.patch"},
		{"behind the master's minor", "1.32.1_1520", "1.31.2_1530", "1.32.1_1520", nil, Warn, "workers.version.behind-master"},
		{"unsupported minor", "1.30.6_1540", "1.28.9_1550", "1.30.6_1540", nil, Fail, "workers.version.unsupported"},
		{"versions unreadable, patch still judged", "1.32.1_1520", "1.32.1_1510", "1.32.1_1520",
			func(s *facts.Set) { s.Versions.Err = e500 }, Warn, "workers.version.patch"},
	} {
		w, k := two(c.st, c.key)
		cases = append(cases, tcase{c.name, versioned("classic", c.master, c.worker, c.target, farEOS, c.edit), w, k})
	}
	run(t, via(workersVersion), cases)
}

// Master first: a worker on the master's unsupported minor gets the master
// update before its own; VPC workers are replaced with --update.
func TestWorkersVersionFixOrder(t *testing.T) {
	f := judgeWorkersVersion(versioned("classic", "1.29.9_1550", "1.29.9_1540", "1.29.9_1550", farEOS, nil))[0]
	want := []string{"ibmcloud ks cluster master update --cluster mycluster --version 1.30", "ibmcloud ks worker update --cluster mycluster --worker w1"}
	if strings.Join(f.Fix, "\n") != strings.Join(want, "\n") {
		t.Errorf("fix %q, want %q", f.Fix, want)
	}
	f = judgeWorkersVersion(versioned("vpc-gen2", "1.32.1_1520", "1.32.1_1510", "1.32.1_1520", farEOS, nil))[0]
	if want := "ibmcloud ks worker replace --cluster mycluster --worker w1 --update"; f.Fix[0] != want {
		t.Errorf("vpc fix %q, want %q", f.Fix[0], want)
	}
}
