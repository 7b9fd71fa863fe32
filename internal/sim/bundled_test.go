package sim_test

// Each bundled scenario's defining fact, read through the official clients.

import (
	"slices"
	"strings"
	"testing"

	"github.com/softlayer/softlayer-go/filter"
	"github.com/softlayer/softlayer-go/services"
	"github.com/softlayer/softlayer-go/session"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// devices lists which of the hostnames the session's account holds (virtual
// guests and hardware), the way the orphan check looks them up.
func devices(t *testing.T, sess *session.Session, hostnames ...string) []string {
	t.Helper()
	var in []any
	for _, h := range hostnames {
		in = append(in, h)
	}
	acct := services.GetAccountService(sess)
	guests, err := acct.Mask("id;hostname").Filter(filter.Build(filter.Path("virtualGuests.hostname").In(in...))).GetVirtualGuests()
	check(t, err)
	hw, err := acct.Mask("id;hostname").Filter(filter.Build(filter.Path("hardware.hostname").In(in...))).GetHardware()
	check(t, err)
	var out []string
	for _, g := range guests {
		out = append(out, *g.Hostname)
	}
	for _, h := range hw {
		out = append(out, *h.Hostname)
	}
	slices.Sort(out)
	return out
}

func workerIDs(sc *sim.Scenario, cluster string) []string {
	var out []string
	for _, w := range sc.Cluster(cluster).Workers {
		out = append(out, w.ID)
	}
	slices.Sort(out)
	return out
}

// credential reads `ibmcloud ks credential get` for a region and group.
func credential(t *testing.T, srv *sim.Server, region, group string) (string, string) {
	t.Helper()
	svc := iks(t, srv, login(t, srv))
	c, resp, err := svc.GetUserCredentials(svc.NewGetUserCredentialsOptions(region).SetHeaders(map[string]string{"X-Auth-Resource-Group": srv.Scenario().GroupByName(group).ID}))
	if err != nil {
		return "", resp.Result.(map[string]any)["code"].(string)
	}
	return *c.ApiUser, ""
}

func keyOwner(t *testing.T, srv *sim.Server, cluster string) string {
	t.Helper()
	svc := iks(t, srv, login(t, srv))
	o, _, err := svc.GetClusterKeyOwner(svc.NewGetClusterKeyOwnerOptions(cluster))
	check(t, err)
	return *o.Email
}

func TestBundledHealthy(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	sc := srv.Scenario()
	if got := devices(t, slBearer(srv, login(t, srv)), workerIDs(sc, "mycluster")...); !slices.Equal(got, workerIDs(sc, "mycluster")) {
		t.Errorf("devices in the linked account: %v", got)
	}
	if _, code := credential(t, srv, "us-south", "team-a"); code != "E0051" || keyOwner(t, srv, "mycluster") != "jane.doe@example.com" {
		t.Errorf("credentials %s", code)
	}

	srv = start(t, "healthy-vpc", nil)
	v := vpc(t, srv, "eu-de", login(t, srv))
	gws, _, err := v.ListEndpointGateways(v.NewListEndpointGatewaysOptions().SetName("iks-cl8v2d0f0b4ruc3ua2g0"))
	if err != nil || len(gws.EndpointGateways) != 1 || *gws.EndpointGateways[0].LifecycleState != "stable" || len(gws.EndpointGateways[0].Ips) != 3 {
		t.Fatalf("VPE: %+v %v", gws, err)
	}
}

func TestBundledAPIKeyPermissions(t *testing.T) {
	srv := start(t, "apikey-permissions", nil)
	svc := iks(t, srv, login(t, srv))
	perm, _, err := svc.GetInfraPermissions(svc.NewGetInfraPermissionsOptions("us-south").SetXAuthResourceGroup(srv.Scenario().GroupByName("team-a").ID))
	check(t, err)
	if keyOwner(t, srv, "permcluster") != "raj.patel@example.com" || !*perm.VirtualWorkerManagerPermissions.Required.Insufficient ||
		!slices.Contains(perm.VirtualWorkerManagerPermissions.Required.MissingPermissions, "Add Server") {
		t.Errorf("permissions: %+v", perm.VirtualWorkerManagerPermissions.Required)
	}
	// No Administrator for Raj, directly or through his group.
	pol := policies(t, srv, login(t, srv))
	sc := srv.Scenario()
	direct, _, err := pol.ListPolicies(pol.NewListPoliciesOptions(sc.Account.ID).SetIamID("IBMid-6600071XYZ"))
	check(t, err)
	group, _, err := pol.ListPolicies(pol.NewListPoliciesOptions(sc.Account.ID).SetAccessGroupID(sc.AccessGroups[0].ID))
	check(t, err)
	for _, p := range append(direct.Policies, group.Policies...) {
		for _, r := range p.Roles {
			if strings.HasSuffix(*r.RoleID, ":role:Administrator") {
				t.Errorf("Raj has Administrator: %+v", p)
			}
		}
	}
}

func TestBundledOwnerPendingDeletion(t *testing.T) {
	srv := start(t, "apikey-owner-pending-deletion", nil)
	sc := srv.Scenario()
	if keyOwner(t, srv, "payments") != "ex.admin@example.com" {
		t.Fatal("key owner")
	}
	um := users(t, srv, login(t, srv))
	_, resp, err := um.GetUserProfile(um.NewGetUserProfileOptions(sc.Account.ID, "IBMid-270007EFGH"))
	problem(t, resp, err, 404)
	u, err := services.GetAccountService(slBearer(srv, login(t, srv))).Filter(filter.Build(filter.Path("users.iamId").Eq("IBMid-270007EFGH"))).GetUsers()
	if err != nil || len(u) != 1 || *u[0].UserStatus.KeyName != "CANCEL_PENDING" {
		t.Fatalf("classic user: %+v %v", u, err)
	}
}

func TestBundledManualCredentialsOtherAccount(t *testing.T) {
	srv := start(t, "manual-credentials-other-account", nil)
	sc := srv.Scenario()
	user, _ := credential(t, srv, "us-south", "team-a")
	if user != "1446722_bob.smith@example.com" {
		t.Fatalf("credentials %q", user)
	}
	ids := workerIDs(sc, "legacy-app")
	bob := sc.InfraAccountByID("1446722").Users[0]
	if got := devices(t, slBasic(srv, bob.Username, sc.Credentials[0].APIKey), ids...); len(got) != 0 {
		t.Errorf("devices in the credentials' account: %v", got)
	}
	if got := devices(t, slBearer(srv, login(t, srv)), ids...); !slices.Equal(got, ids) {
		t.Errorf("devices in the linked account: %v", got)
	}
}

func TestBundledRGMismatch(t *testing.T) {
	srv := start(t, "rg-mismatch", nil)
	if sim.DefaultSessionOptions(srv).Group != "" || keyOwner(t, srv, "team-a-prod") != "raj.patel@example.com" {
		t.Fatal("session group or key owner")
	}
	// The reset landed in the default group: Jane's key is the default's.
	id := identity(t, srv, login(t, srv))
	keys, _, err := id.ListAPIKeys(id.NewListAPIKeysOptions().SetScope("account"))
	check(t, err)
	owners := map[string]string{}
	for _, k := range keys.Apikeys {
		if *k.Name == "containers-kubernetes-key" {
			owners[*k.Description] = *k.IamID
		}
	}
	if owners["IBM Cloud Kubernetes Service API key for region us-south and resource group default. Do not delete."] != "IBMid-550006ABCD" ||
		owners["IBM Cloud Kubernetes Service API key for region us-south and resource group team-a. Do not delete."] != "IBMid-6600071XYZ" {
		t.Errorf("IKS keys: %v", owners)
	}
}

func TestBundledOrphans(t *testing.T) {
	// Cluster1: credentials reach the team account; its devices are in the linked one.
	srv := start(t, "orphan-cluster1", nil)
	sc := srv.Scenario()
	user, _ := credential(t, srv, "us-south", "default")
	team := slBasic(srv, user, sc.Credentials[0].APIKey)
	linked := slBearer(srv, login(t, srv))
	c1, c2 := workerIDs(sc, "Cluster1"), workerIDs(sc, "Cluster2")
	if user != "1446722_jane.doe@example.com" || len(devices(t, team, c1...)) != 0 || !slices.Equal(devices(t, linked, c1...), c1) ||
		!slices.Equal(devices(t, team, c2...), c2) || len(devices(t, linked, c2...)) != 0 {
		t.Errorf("orphan-cluster1: credentials %q", user)
	}
	// The console's "Infrastructure User" of the cluster: v1 apiUser.
	k := iks(t, srv, login(t, srv))
	if c, _, err := k.GetCluster1(k.NewGetCluster1Options("Cluster1")); err != nil || *c.ApiUser != user {
		t.Errorf("v1 apiUser: %v", err)
	}

	// Cluster2: credentials unset (the linked account); its devices are in
	// the team account, reached with a token bound to "Team Shared".
	srv = start(t, "orphan-cluster2", nil)
	sc = srv.Scenario()
	_, code := credential(t, srv, "us-south", "default")
	linked = slBearer(srv, login(t, srv))
	team = slBearer(srv, switchAccount(t, srv, "7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21", "1446722"))
	c1, c2 = workerIDs(sc, "Cluster1"), workerIDs(sc, "Cluster2")
	if code != "E0051" || len(devices(t, linked, c2...)) != 0 || !slices.Equal(devices(t, team, c2...), c2) || !slices.Equal(devices(t, linked, c1...), c1) {
		t.Errorf("orphan-cluster2: credentials %q", code)
	}
}

func TestBundledTOTP(t *testing.T) {
	srv := start(t, "totp-payg", nil)
	sc := srv.Scenario()
	tok := login(t, srv)
	id := identity(t, srv, tok)
	s, _, err := id.GetAccountSettings(id.NewGetAccountSettingsOptions(sc.Account.ID))
	check(t, err)
	am := accounts(t, srv, tok)
	a, _, err := am.GetAccount(am.NewGetAccountOptions(sc.Account.ID))
	check(t, err)
	if _, code := credential(t, srv, "us-south", "default"); *s.Mfa != "TOTP" || *a.Type != "PAYG" || *a.LinkedSoftlayerAccount != "2093847" || code != "E0051" {
		t.Errorf("mfa %s type %s linked %s credentials %s", *s.Mfa, *a.Type, *a.LinkedSoftlayerAccount, code)
	}
}

func TestBundledVPE(t *testing.T) {
	srv := start(t, "vpe-missing", nil)
	v := vpc(t, srv, "us-south", login(t, srv))
	all, _, err := v.ListEndpointGateways(v.NewListEndpointGatewaysOptions())
	check(t, err)
	if len(all.EndpointGateways) != 1 || *all.EndpointGateways[0].Name == "iks-gpg399ors85adop9tih1" {
		t.Errorf("vpe-missing: %+v", all.EndpointGateways)
	}

	srv = start(t, "vpe-pending", nil)
	v = vpc(t, srv, "eu-de", login(t, srv))
	gws, _, err := v.ListEndpointGateways(v.NewListEndpointGatewaysOptions().SetName("iks-gipv84lf32tuochh77od"))
	check(t, err)
	if g := gws.EndpointGateways; len(g) != 1 || *g[0].LifecycleState != "pending" || *g[0].HealthState != "inapplicable" || len(g[0].Ips) != 0 {
		t.Errorf("vpe-pending: %+v", gws.EndpointGateways)
	}
}

func TestBundledWorkerStates(t *testing.T) {
	srv := start(t, "worker-states", nil)
	svc := iks(t, srv, login(t, srv))
	list, _, err := svc.GetClusterWorkers(svc.NewGetClusterWorkersOptions("states"))
	check(t, err)
	var states []string
	for _, w := range list {
		states = append(states, *w.State)
		stuck := *w.State == "provisioning" || *w.State == "deploying" || *w.State == "reloading"
		if stuck != strings.HasPrefix(*w.StatusDate, "2024-") {
			t.Errorf("%s: status date %q", *w.State, *w.StatusDate)
		}
	}
	want := []string{"critical", "deployed", "deploying", "normal", "provisioning", "provision_failed", "reloading", "reload_failed", "reload_pending", "unknown", "warning"}
	if !slices.Equal(states, want) {
		t.Errorf("states %v", states)
	}
}

func TestBundledWorkerMessages(t *testing.T) {
	srv := start(t, "worker-messages", nil)
	svc := iks(t, srv, login(t, srv))
	prefixed, plain := 0, 0
	for _, c := range []string{"msgs", "msgs-vpc"} {
		list, _, err := svc.GetWorkers1(svc.NewGetWorkers1Options(c))
		check(t, err)
		for _, w := range list {
			switch m := *w.Lifecycle.Message; {
			case m == "":
				t.Errorf("%s has no message", *w.ID)
			case strings.HasPrefix(m, "'classic' infrastructure exception: "):
				prefixed++
			default:
				plain++
			}
		}
	}
	if prefixed < 5 || plain < 5 || prefixed+plain != 17 {
		t.Errorf("%d prefixed, %d plain messages", prefixed, plain)
	}
}

func TestBundledVLANReclaimed(t *testing.T) {
	srv := start(t, "vlan-reclaimed", nil)
	tok := login(t, srv)
	acct := services.GetAccountService(slBearer(srv, tok))
	a, err := acct.Mask("id;accountStatusId;accountStatus").GetObject()
	check(t, err)
	vlans, err := acct.Filter(filter.Build(filter.Path("networkVlans.id").In(2918270, 2918268))).GetNetworkVlans()
	check(t, err)
	all, err := acct.GetNetworkVlans()
	check(t, err)
	svc := iks(t, srv, tok)
	live, _, err := svc.GetClusterWorkers(svc.NewGetClusterWorkersOptions("batch"))
	check(t, err)
	if *a.AccountStatus.Name != "Suspended" || len(vlans) != 0 || len(all) != 2 || len(live) != 1 || *live[0].State != "provision_failed" {
		t.Errorf("status %s, pool VLANs found %d, VLANs %d, live workers %d", *a.AccountStatus.Name, len(vlans), len(all), len(live))
	}
	if got := devices(t, slBearer(srv, tok), workerIDs(srv.Scenario(), "batch")...); len(got) != 0 {
		t.Errorf("devices left: %v", got)
	}
}

func TestBundledBareMetal(t *testing.T) {
	srv := start(t, "bare-metal-id-changed", nil)
	sc := srv.Scenario()
	w := sc.Cluster("metal").Workers[1]
	hw, err := services.GetAccountService(slBearer(srv, login(t, srv))).Filter(filter.Build(filter.Path("hardware.hostname").Eq(w.ID))).GetHardware()
	if err != nil || len(hw) != 1 || *hw[0].Id != 2784013 || *hw[0].HardwareStatus.Status != "ACTIVE" {
		t.Fatalf("hardware: %+v %v", hw, err)
	}
	if !strings.HasPrefix(w.Message, "The worker node instance ID changed.") || !w.BareMetal {
		t.Errorf("worker %+v", w)
	}
}

func TestBundledDuplicateIP(t *testing.T) {
	srv := start(t, "duplicate-ip", nil)
	svc := iks(t, srv, login(t, srv))
	list, _, err := svc.GetClusterWorkers(svc.NewGetClusterWorkersOptions("9b7371a7fcbe46d08e04f046d5e6d8b4").SetShowDeleted("true"))
	check(t, err)
	byIP := map[string][]string{}
	for _, w := range list {
		byIP[*w.PrivateIP] = append(byIP[*w.PrivateIP], *w.State)
	}
	if s := byIP["10.176.48.77"]; len(list) != 3 || !slices.Equal(s, []string{"deleted", "normal"}) {
		t.Errorf("workers by IP: %v", byIP)
	}
}
