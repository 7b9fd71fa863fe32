package sim_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/authentication/iam"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"
	"github.com/softlayer/softlayer-go/services"
)

func TestIAMIdentity(t *testing.T) {
	srv := start(t, "rg-mismatch", nil)
	sc := srv.Scenario()
	svc := identity(t, srv, login(t, srv))

	// By value: the session's key is Jane's; the value is never echoed.
	k, _, err := svc.GetAPIKeysDetails(svc.NewGetAPIKeysDetailsOptions().SetIamAPIKey(sc.Session.APIKey))
	check(t, err)
	if *k.IamID != "IBMid-550006ABCD" || *k.AccountID != sc.Account.ID || !strings.HasPrefix(*k.ID, "ApiKey-") || k.Apikey != nil || *k.Locked {
		t.Errorf("details: %+v", k)
	}
	_, resp, err := svc.GetAPIKeysDetails(svc.NewGetAPIKeysDetailsOptions().SetIamAPIKey("no-such-key"))
	if body := problem(t, resp, err, 404); body["errorCode"] != "BXNIM0415E" || body["context"] == nil {
		t.Errorf("unknown key: %v", body)
	}

	// Jane's keys: her login key and the IKS key of us-south/default.
	list, _, err := svc.ListAPIKeys(svc.NewListAPIKeysOptions().SetAccountID(sc.Account.ID).SetIamID("IBMid-550006ABCD"))
	check(t, err)
	var names []string
	for _, k := range list.Apikeys {
		names = append(names, *k.Name)
		if *k.Name == "containers-kubernetes-key" && !strings.Contains(*k.Description, "resource group default") {
			t.Errorf("IKS key description %q", *k.Description)
		}
	}
	if !slices.Contains(names, "containers-kubernetes-key") || len(names) != 2 {
		t.Errorf("jane's keys: %v", names)
	}
	// Raj's, the one of the cluster's group, created in 2022.
	raj, _, err := svc.ListAPIKeys(svc.NewListAPIKeysOptions().SetIamID("IBMid-6600071XYZ"))
	if err != nil || len(raj.Apikeys) != 1 || *raj.Apikeys[0].ID != sc.APIKeys[1].ID || raj.Apikeys[0].CreatedAt.String()[:4] != "2022" {
		t.Fatalf("raj's keys: %+v %v", raj, err)
	}
	// Paging.
	page, _, err := svc.ListAPIKeys(svc.NewListAPIKeysOptions().SetScope("account").SetPagesize(1))
	if err != nil || len(page.Apikeys) != 1 || page.Next == nil {
		t.Fatalf("paging: %+v %v", page, err)
	}

	settings, _, err := svc.GetAccountSettings(svc.NewGetAccountSettingsOptions(sc.Account.ID))
	if err != nil || *settings.Mfa != "NONE" || *settings.AccountID != sc.Account.ID {
		t.Fatalf("settings: %+v %v", settings, err)
	}
	_, resp, err = svc.GetAccountSettings(svc.NewGetAccountSettingsOptions("ffffffffffffffffffffffffffffffff"))
	if body := problem(t, resp, err, 403); body["errorCode"] != "BXNIM0513E" || err.Error() != "You are not authorized to use this API." {
		t.Errorf("foreign settings: %v %v", body, err)
	}
}

func TestUserManagement(t *testing.T) {
	srv := start(t, "apikey-owner-pending-deletion", nil)
	sc := srv.Scenario()
	svc := users(t, srv, login(t, srv))
	list, _, err := svc.ListUsers(svc.NewListUsersOptions(sc.Account.ID))
	check(t, err)
	if *list.TotalResults != 1 || *list.Resources[0].IamID != "IBMid-550006ABCD" || *list.Resources[0].State != "ACTIVE" ||
		*list.Resources[0].Firstname != "Jane" || *list.Resources[0].Realm != "IBMid" || *list.Resources[0].AccountID != sc.Account.ID {
		t.Fatalf("users: %+v", list.Resources)
	}
	// The API key owner is no longer a member: not found.
	_, resp, err := svc.GetUserProfile(svc.NewGetUserProfileOptions(sc.Account.ID, "IBMid-270007EFGH"))
	problem(t, resp, err, 404)
	me, _, err := svc.GetUserProfile(svc.NewGetUserProfileOptions(sc.Account.ID, "IBMid-550006ABCD"))
	if err != nil || *me.Email != "jane.doe@example.com" {
		t.Fatalf("profile: %+v %v", me, err)
	}

	// States and the search filter.
	srv = start(t, "testdata/states.yaml", nil)
	sc = srv.Scenario()
	svc = users(t, srv, login(t, srv))
	all, _, err := svc.ListUsers(svc.NewListUsersOptions(sc.Account.ID))
	check(t, err)
	states := map[string]string{}
	for _, u := range all.Resources {
		states[*u.Email] = *u.State
	}
	want := map[string]string{"jane.doe@example.com": "ACTIVE", "pending@example.com": "PENDING", "vpn@example.com": "VPN_ONLY",
		"noclassic@example.com": "DISABLED_CLASSIC_INFRASTRUCTURE", "processing@example.com": "PROCESSING", "auditor@example.com": "ACTIVE"}
	if len(states) != len(want) {
		t.Errorf("states %v", states)
	}
	for k, v := range want {
		if states[k] != v {
			t.Errorf("%s: %q, want %q", k, states[k], v)
		}
	}
	some, _, err := svc.ListUsers(svc.NewListUsersOptions(sc.Account.ID).SetSearch("state:VPN_ONLY,state:PENDING").SetLimit(1))
	if err != nil || *some.TotalResults != 2 || len(some.Resources) != 1 || some.NextURL == nil {
		t.Fatalf("search: %+v %v", some, err)
	}
	// Denied: the session user may not read users.
	denied := users(t, srv, tokenOf(t, srv, "KSDOCTORCANARY-states-nousers-key"))
	_, resp, err = denied.ListUsers(denied.NewListUsersOptions(sc.Account.ID))
	if body := problem(t, resp, err, 403); body["errors"] == nil {
		t.Errorf("403 body %v", body)
	}
}

// tokenOf logs in with one of a user's API keys.
func tokenOf(t *testing.T, srv interface{ URL() string }, apikey string) string {
	t.Helper()
	a := &core.IamAuthenticator{ApiKey: apikey, URL: srv.URL() + "/iam"}
	tok, err := a.GetToken()
	check(t, err)
	return tok
}

func TestPoliciesAndAccessGroups(t *testing.T) {
	srv := start(t, "apikey-permissions", nil)
	sc := srv.Scenario()
	tok := login(t, srv)
	pol := policies(t, srv, tok)

	// Raj's direct policies: Viewer/Reader on containers-kubernetes in us-south/team-a.
	list, _, err := pol.ListPolicies(pol.NewListPoliciesOptions(sc.Account.ID).SetIamID("IBMid-6600071XYZ").SetType("access").SetServiceType("service"))
	check(t, err)
	if len(list.Policies) != 1 {
		t.Fatalf("policies: %+v", list.Policies)
	}
	p := list.Policies[0]
	attrs := map[string]string{}
	for _, a := range p.Resources[0].Attributes {
		attrs[*a.Name] = *a.Value
	}
	if *p.Roles[0].RoleID != "crn:v1:bluemix:public:iam::::role:Viewer" || *p.Roles[1].RoleID != "crn:v1:bluemix:public:iam::::serviceRole:Reader" ||
		attrs["serviceName"] != "containers-kubernetes" || attrs["region"] != "us-south" || attrs["resourceGroupId"] != sc.GroupByName("team-a").ID ||
		attrs["accountId"] != sc.Account.ID || *p.Subjects[0].Attributes[0].Value != "IBMid-6600071XYZ" || *p.State != "active" {
		t.Errorf("policy: %+v %v", p, attrs)
	}
	// Jane's: Administrator on every IAM-enabled service (serviceType=service).
	jane, _, err := pol.ListV2Policies(pol.NewListV2PoliciesOptions(sc.Account.ID).SetIamID("IBMid-550006ABCD").SetServiceName("containers-kubernetes"))
	check(t, err)
	if len(jane.Policies) != 1 {
		t.Fatalf("v2 policies: %+v", jane.Policies)
	}
	ctl, _ := jane.Policies[0].Control.(*iampolicymanagementv1.ControlResponse)
	if ctl == nil || *ctl.Grant.Roles[0].RoleID != "crn:v1:bluemix:public:iam::::role:Administrator" ||
		*jane.Policies[0].Resource.Attributes[1].Key != "serviceType" || jane.Policies[0].Resource.Attributes[1].Value != "service" {
		t.Errorf("v2 policy: %+v", jane.Policies[0])
	}

	// Raj's groups and their policies: Operator, still no Administrator.
	ag := groups(t, srv, tok)
	gl, _, err := ag.ListAccessGroups(ag.NewListAccessGroupsOptions(sc.Account.ID).SetIamID("IBMid-6600071XYZ"))
	check(t, err)
	if *gl.TotalCount != 1 || *gl.Groups[0].Name != "k8s-operators" || *gl.Groups[0].ID != sc.AccessGroups[0].ID {
		t.Fatalf("groups: %+v", gl)
	}
	members, _, err := ag.ListAccessGroupMembers(ag.NewListAccessGroupMembersOptions(*gl.Groups[0].ID))
	if err != nil || len(members.Members) != 1 || *members.Members[0].IamID != "IBMid-6600071XYZ" || *members.Members[0].Type != "user" {
		t.Fatalf("members: %+v %v", members, err)
	}
	if resp, err := ag.IsMemberOfAccessGroup(ag.NewIsMemberOfAccessGroupOptions(*gl.Groups[0].ID, "IBMid-6600071XYZ")); err != nil || resp.StatusCode != 204 {
		t.Fatalf("is member: %v %v", resp, err)
	}
	if resp, _ := ag.IsMemberOfAccessGroup(ag.NewIsMemberOfAccessGroupOptions(*gl.Groups[0].ID, "IBMid-550006ABCD")); resp == nil || resp.StatusCode != 404 {
		t.Fatalf("not a member: %v", resp)
	}
	gp, _, err := pol.ListPolicies(pol.NewListPoliciesOptions(sc.Account.ID).SetAccessGroupID(*gl.Groups[0].ID))
	if err != nil || len(gp.Policies) != 2 || *gp.Policies[0].Roles[0].DisplayName != "Operator" || *gp.Policies[0].Subjects[0].Attributes[0].Name != "access_group_id" {
		t.Fatalf("group policies: %+v %v", gp, err)
	}
}

func TestAccountsAndAccountSwitch(t *testing.T) {
	srv := start(t, "orphan-cluster2", nil)
	sc := srv.Scenario()
	tok := login(t, srv)

	// accountmanagementv4: each account with its linked classic account.
	am := accounts(t, srv, tok)
	for id, ims := range map[string]string{sc.Account.ID: "2093847", "7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21": "1446722"} {
		a, _, err := am.GetAccount(am.NewGetAccountOptions(id))
		if err != nil || *a.LinkedSoftlayerAccount != ims || *a.ID != id || *a.Status != "ACTIVE" {
			t.Fatalf("account %s: %+v %v", id, a, err)
		}
	}
	_, resp, err := am.GetAccount(am.NewGetAccountOptions("ffffffffffffffffffffffffffffffff"))
	problem(t, resp, err, 404)

	// The list `ibmcloud account list` reads (no official Go client; the
	// COE shape), through the same core client.
	b := core.NewRequestBuilder(core.GET)
	_, err = b.ResolveRequestURL(am.Service.GetServiceURL(), "/coe/v2/accounts", nil)
	check(t, err)
	req, err := b.Build()
	check(t, err)
	var coe struct {
		Resources []struct {
			Metadata struct{ GUID string }
			Entity   struct {
				Name                 string
				BluemixSubscriptions []struct {
					SoftlayerAccountID string `json:"softlayer_account_id"`
				} `json:"bluemix_subscriptions"`
			}
		}
	}
	_, err = am.Service.Request(req, &coe)
	check(t, err)
	if len(coe.Resources) != 2 || coe.Resources[1].Entity.Name != "Team Shared" || coe.Resources[1].Entity.BluemixSubscriptions[0].SoftlayerAccountID != "1446722" {
		t.Fatalf("coe accounts: %+v", coe)
	}

	// `ibmcloud target -c`: a refresh bound to the team account, through
	// the CLI SDK; its token carries the team's classic account.
	team := switchAccount(t, srv, "7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21", "1446722")
	info := core_config.NewIAMTokenInfo(team)
	if info.Accounts.AccountID != "7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21" || info.Accounts.IMSAccountID != "1446722" || info.UserEmail != "jane.doe@example.com" {
		t.Fatalf("team token: %+v", info.Accounts)
	}
	// Not a member, or the wrong classic account: refused.
	rt := cliTokens(t, srv, sc.Session.APIKey).RefreshToken
	_, err = cliIAM(srv).GetToken(iam.RefreshTokenRequest(rt, iam.SetAccount("ffffffffffffffffffffffffffffffff")))
	if err == nil {
		t.Fatal("foreign account accepted")
	}
	rt = cliTokens(t, srv, sc.Session.APIKey).RefreshToken
	_, err = cliIAM(srv).GetToken(iam.RefreshTokenRequest(rt, iam.SetAccount("7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21"), iam.SetIMSAccount("2093847")))
	if err == nil {
		t.Fatal("mismatched ims_account accepted")
	}
	// A team-bound token sees no clusters of ACME.
	_, resp, err = iks(t, srv, team).GetCluster(iks(t, srv, team).NewGetClusterOptions("Cluster1"))
	ikscode(t, resp, err, 404, "G0004")
	// A later refresh without account stays in the team account.
	tok2 := cliTokens(t, srv, sc.Session.APIKey)
	t2, err := cliIAM(srv).GetToken(iam.RefreshTokenRequest(tok2.RefreshToken, iam.SetAccount("7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21")))
	check(t, err)
	t3, err := cliIAM(srv).GetToken(iam.RefreshTokenRequest(t2.RefreshToken))
	check(t, err)
	if core_config.NewIAMTokenInfo(t3.AccessToken).Accounts.IMSAccountID != "1446722" {
		t.Error("refresh left the bound account")
	}
}

// A scenario can deny a user reads; each service answers 403 in its own shape.
func TestDenialsPerService(t *testing.T) {
	srv := start(t, "testdata/states.yaml", nil)
	sc := srv.Scenario()
	tok := tokenOf(t, srv, "KSDOCTORCANARY-states-nousers-key")

	id := identity(t, srv, tok)
	_, resp, err := id.GetAccountSettings(id.NewGetAccountSettingsOptions(sc.Account.ID))
	if body := problem(t, resp, err, 403); body["errorCode"] != "BXNIM0513E" {
		t.Errorf("settings: %v", body)
	}
	_, resp, err = id.ListAPIKeys(id.NewListAPIKeysOptions())
	problem(t, resp, err, 403)
	pol := policies(t, srv, tok)
	_, resp, err = pol.ListPolicies(pol.NewListPoliciesOptions(sc.Account.ID))
	problem(t, resp, err, 403)
	ag := groups(t, srv, tok)
	_, resp, err = ag.ListAccessGroups(ag.NewListAccessGroupsOptions(sc.Account.ID))
	problem(t, resp, err, 403)
	am := accounts(t, srv, tok)
	_, resp, err = am.GetAccount(am.NewGetAccountOptions(sc.Account.ID))
	problem(t, resp, err, 403)
	v := vpc(t, srv, "us-south", tok)
	_, resp, err = v.ListEndpointGateways(v.NewListEndpointGatewaysOptions())
	if body := problem(t, resp, err, 403); body["errors"] == nil {
		t.Errorf("vpc: %v", body)
	}
	_, err = services.GetAccountService(slBearer(srv, tok)).GetVirtualGuests()
	slErr(t, err, 403, "SoftLayer_Exception_PermissionDenied")
	k := iks(t, srv, tok)
	_, resp, err = k.GetInfraPermissions(k.NewGetInfraPermissionsOptions("us-south"))
	ikscode(t, resp, err, 403, "SIM403")

	// The same reads work for Jane.
	jane := login(t, srv)
	if _, _, err := identity(t, srv, jane).GetAccountSettings(id.NewGetAccountSettingsOptions(sc.Account.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := services.GetAccountService(slBearer(srv, jane)).GetVirtualGuests(); err != nil {
		t.Fatal(err)
	}
}
