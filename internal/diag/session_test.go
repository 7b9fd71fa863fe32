package diag

import (
	"errors"
	"slices"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

var (
	defaultRG = facts.ResourceGroup{ID: "rg-default", Name: "default", Default: true}
	teamA     = facts.ResourceGroup{ID: "rg-team-a", Name: "team-a"}
	groups    = facts.Slot[[]facts.ResourceGroup]{Value: []facts.ResourceGroup{defaultRG, teamA}, Loaded: true}
	inTeamA   = facts.Slot[facts.Cluster]{Loaded: true, Value: facts.Cluster{ID: "c1", Name: "mycluster",
		Region: "us-south", ResourceGroupID: teamA.ID, ResourceGroupName: teamA.Name}}
	inDefault = facts.Slot[facts.Cluster]{Loaded: true, Value: facts.Cluster{ID: "c2", Name: "other",
		Region: "eu-de", ResourceGroupID: defaultRG.ID, ResourceGroupName: defaultRG.Name}}
	readFailed = &facts.ReadError{Op: "ibmcloud ks cluster get", Status: 500, Message: "Internal Server Error"}
	denied     = &facts.ReadError{Op: "ibmcloud resource groups", Status: 403, Message: "Forbidden"}
)

func set(region string, rg *facts.ResourceGroup, c facts.Slot[facts.Cluster], g facts.Slot[[]facts.ResourceGroup]) *facts.Set {
	return &facts.Set{Session: facts.Session{UserEmail: "jane@example.com", AccountName: "ACME", Region: region, ResourceGroup: rg},
		Cluster: c, ResourceGroups: g}
}

type want struct {
	status Status
	key    string
	fix    []string
}

func judge(t *testing.T, name string, f func(*facts.Set) []Finding, s *facts.Set, w want) {
	t.Helper()
	got := f(s)
	if len(got) != 1 {
		t.Fatalf("%s: %d findings, want 1", name, len(got))
	}
	g := got[0]
	if g.Status != w.status || g.Key != w.key {
		t.Errorf("%s: got %s %s, want %s %s", name, g.Status, g.Key, w.status, w.key)
	}
	if w.fix != nil && !slices.Equal(g.Fix, w.fix) {
		t.Errorf("%s: fix %q, want %q", name, g.Fix, w.fix)
	}
	if (g.Status == Warn || g.Status == Fail) && (g.Actor == "" || len(g.Fix) == 0) {
		t.Errorf("%s: a problem needs an actor and a fix: %+v", name, g)
	}
}

func TestResourceGroup(t *testing.T) {
	fixTeamA := []string{"ibmcloud target -g team-a", "ibmcloud ks api-key info --cluster mycluster", "ibmcloud ks credential get --region us-south"}
	failedCluster := facts.Slot[facts.Cluster]{Loaded: true, Err: readFailed}
	failedGroups := facts.Slot[[]facts.ResourceGroup]{Loaded: true, Err: denied}
	for name, c := range map[string]struct {
		s *facts.Set
		w want
	}{
		"targeted is the cluster's":         {set("us-south", &teamA, inTeamA, groups), want{OK, "session.resource-group.ok", nil}},
		"targeted is another group":         {set("us-south", &defaultRG, inTeamA, groups), want{Warn, "session.resource-group.mismatch", fixTeamA}},
		"none targeted, cluster elsewhere":  {set("us-south", nil, inTeamA, groups), want{Warn, "session.resource-group.none", fixTeamA}},
		"none targeted, cluster in default": {set("eu-de", nil, inDefault, groups), want{OK, "session.resource-group.default-ok", nil}},
		"none targeted, groups unreadable":  {set("us-south", nil, inTeamA, failedGroups), want{Unknown, "read.denied", nil}},
		"targeted, groups unreadable":       {set("us-south", &teamA, inTeamA, failedGroups), want{OK, "session.resource-group.ok", nil}},
		"cluster unreadable":                {set("us-south", &teamA, failedCluster, groups), want{Unknown, "read.failed", nil}},
		"create, targeted":                  {set("us-south", &teamA, facts.Slot[facts.Cluster]{}, groups), want{OK, "session.resource-group.create", nil}},
		"create, none targeted":             {set("us-south", nil, facts.Slot[facts.Cluster]{}, groups), want{Info, "session.resource-group.create-default", nil}},
		"create, none targeted, unreadable": {set("us-south", nil, facts.Slot[facts.Cluster]{}, failedGroups), want{Unknown, "read.denied", nil}},
	} {
		judge(t, name, judgeResourceGroup, c.s, c.w)
	}
}

func TestRegion(t *testing.T) {
	for name, c := range map[string]struct {
		s *facts.Set
		w want
	}{
		"targeted is the cluster's": {set("us-south", &teamA, inTeamA, groups), want{OK, "session.region.ok", nil}},
		"targeted is another":       {set("eu-de", &teamA, inTeamA, groups), want{Warn, "session.region.mismatch", []string{"ibmcloud target -r us-south"}}},
		"none targeted":             {set("", &teamA, inTeamA, groups), want{Warn, "session.region.none", []string{"ibmcloud target -r us-south"}}},
		"cluster unreadable":        {set("us-south", &teamA, facts.Slot[facts.Cluster]{Loaded: true, Err: readFailed}, groups), want{Unknown, "read.failed", nil}},
		"create, targeted":          {set("us-south", nil, facts.Slot[facts.Cluster]{}, groups), want{OK, "session.region.create", nil}},
		"create, none targeted":     {set("", nil, facts.Slot[facts.Cluster]{}, groups), want{Warn, "session.region.none-create", nil}},
	} {
		judge(t, name, judgeRegion, c.s, c.w)
	}
}

func TestLogin(t *testing.T) {
	unauthorized := facts.Slot[facts.Cluster]{Loaded: true, Err: &facts.ReadError{Op: "x", Status: 401, Code: "A0003"}}
	refreshed := set("us-south", &teamA, inTeamA, groups)
	refreshed.Session.Refreshed = true
	svc := set("us-south", &teamA, inTeamA, groups)
	svc.Session.ServiceID = true
	for name, c := range map[string]struct {
		s *facts.Set
		w want
	}{
		"valid":            {set("us-south", &teamA, inTeamA, groups), want{OK, "session.login.ok", nil}},
		"refreshed":        {refreshed, want{OK, "session.login.refreshed", nil}},
		"service id":       {svc, want{OK, "session.login.service-id", nil}},
		"token refused":    {set("us-south", &teamA, unauthorized, groups), want{Fail, "session.login.rejected", []string{"ibmcloud login"}}},
		"other read error": {set("us-south", &teamA, facts.Slot[facts.Cluster]{Loaded: true, Err: readFailed}, groups), want{OK, "session.login.ok", nil}},
	} {
		judge(t, name, judgeLogin, c.s, c.w)
	}
}

func TestSelectAndExit(t *testing.T) {
	if _, err := Select(ClusterScope, []string{"session.nope"}, nil); err == nil {
		t.Error("unknown --only id must be rejected")
	}
	cs, _ := Select(ClusterScope, nil, []string{"session.login"})
	if len(cs) != len(All)-1 || cs[0].ID != "session.region" {
		t.Errorf("skip: %d checks, first %s", len(cs), cs[0].ID)
	}
	cs, _ = Select(CreateScope, nil, nil)
	for _, c := range cs {
		if c.Scope&CreateScope == 0 {
			t.Errorf("%s runs without a cluster", c.ID)
		}
	}
	if only, _ := Select(ClusterScope, []string{"account.totp"}, nil); len(only) != 1 {
		t.Errorf("--only: %d checks", len(only))
	}
	r := Report{Findings: []Finding{{Status: Warn}, {Status: Unknown}}}
	if v := r.Judge(Fail); v == nil || v.Code != ExitUnknown {
		t.Errorf("warn+unknown = %v, want 3", v)
	}
	if v := r.Judge(Warn); v == nil || v.Code != ExitFail {
		t.Errorf("--fail-on warn = %v, want 1", v)
	}
	r.Findings = append(r.Findings, Finding{Status: Fail})
	if ExitCode(r.Judge(Fail)) != ExitFail {
		t.Error("fail wins over unknown")
	}
	if ExitCode(nil) != 0 || ExitCode(errors.New("x")) != ExitUsage {
		t.Error("nil → 0, plain error → 2")
	}
}
