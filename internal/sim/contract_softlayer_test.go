package sim_test

import (
	"strings"
	"testing"

	"github.com/softlayer/softlayer-go/datatypes"
	"github.com/softlayer/softlayer-go/filter"
	"github.com/softlayer/softlayer-go/services"
	"github.com/softlayer/softlayer-go/sl"
)

func TestSoftLayerBearer(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	sess := slBearer(srv, login(t, srv))
	acct := services.GetAccountService(sess)

	a, err := acct.Mask("id;companyName;brandId;bluemixLinkedFlag;bluemixAccountLink;accountStatusId").GetObject()
	check(t, err)
	if *a.Id != 2093847 || *a.CompanyName != "ACME Corp" || !*a.BluemixLinkedFlag || *a.AccountStatusId != 1001 ||
		*a.BluemixAccountLink.DestinationAccountAlphanumericId != srv.Scenario().Account.ID || a.Email != nil /* masked out */ {
		t.Errorf("account: %+v", a)
	}
	me, err := acct.Mask("id;username;email;iamId;userStatus;permissions").GetCurrentUser()
	check(t, err)
	if *me.Id != 7283641 || *me.Username != "2093847_jane.doe@example.com" || *me.IamId != "IBMid-550006ABCD" ||
		*me.UserStatus.KeyName != "ACTIVE" || len(me.Permissions) < 20 {
		t.Errorf("current user: %+v", me)
	}
	perms, err := services.GetUserCustomerService(sess).Id(7283641).GetPermissions()
	if err != nil || len(perms) != len(me.Permissions) || *perms[0].KeyName == "" || *perms[0].Name == "" {
		t.Fatalf("permissions: %d %v", len(perms), err)
	}
	status, err := services.GetUserCustomerService(sess).Id(7283641).GetUserStatus()
	if err != nil || *status.KeyName != "ACTIVE" || *status.Id != 1001 {
		t.Fatalf("status: %+v %v", status, err)
	}

	// The classic worker ↔ device rule: hostname = worker id, domain iks.ibm.
	sc := srv.Scenario()
	var names []any
	for _, w := range sc.Cluster("mycluster").Workers {
		names = append(names, w.ID)
	}
	guests, err := acct.Mask("id;hostname;domain;primaryBackendIpAddress;datacenter.name;status").
		Filter(filter.Build(filter.Path("virtualGuests.hostname").In(names...))).Limit(2).Offset(0).GetVirtualGuests()
	check(t, err)
	if len(guests) != 2 || *guests[0].Hostname != sc.Cluster("mycluster").Workers[0].ID || *guests[0].Domain != "iks.ibm" ||
		*guests[0].PrimaryBackendIpAddress != "10.176.43.201" || *guests[0].Datacenter.Name != "dal10" || *guests[0].Status.KeyName != "ACTIVE" {
		t.Fatalf("guests page 1: %+v", guests)
	}
	// Paging through the session: the total arrives in SoftLayer-Total-Items.
	opts := sl.Options{Filter: filter.Build(filter.Path("virtualGuests.hostname").In(names...)), Limit: ptr(2), Offset: ptr(2)}
	var page []datatypes.Virtual_Guest
	check(t, sess.DoRequest("SoftLayer_Account", "getVirtualGuests", nil, &opts, &page))
	if opts.TotalItems != 3 || len(page) != 1 || *page[0].Hostname != sc.Cluster("mycluster").Workers[2].ID {
		t.Fatalf("page 2: total %d, %d guests", opts.TotalItems, len(page))
	}

	// The other filter operations a bulk lookup needs.
	for name, f := range map[string]string{
		"by IP":               filter.Build(filter.Path("virtualGuests.primaryBackendIpAddress").Eq("10.176.43.202")),
		"case-insensitive eq": `{"virtualGuests":{"hostname":{"operation":"_= KUBE-C5R0BQMD0L1SQ0C4E3GG-MYCLUSTER-DEFAULT-000001A4"}}}`,
		"by prefix and dc":    `{"virtualGuests":{"hostname":{"operation":"^= kube-c5r0bqmd0l1sq0c4e3gg-"},"primaryBackendIpAddress":{"operation":"$= .202"},"datacenter":{"name":{"operation":"dal10"}}}}`,
	} {
		got, err := acct.Filter(f).GetVirtualGuests()
		if err != nil || len(got) != 1 || *got[0].Hostname != "kube-c5r0bqmd0l1sq0c4e3gg-mycluster-default-000001a4" {
			t.Errorf("%s: %d guests %v", name, len(got), err)
		}
	}
	byID, err := acct.Filter(filter.Build(filter.Path("virtualGuests.id").In(*guests[1].Id))).GetVirtualGuests()
	if err != nil || len(byID) != 1 || *byID[0].Id != *guests[1].Id {
		t.Fatalf("by id: %+v %v", byID, err)
	}
	none, err := acct.Filter(filter.Build(filter.Path("virtualGuests.hostname").Eq("kube-absent"))).GetVirtualGuests()
	if err != nil || len(none) != 0 {
		t.Fatalf("empty list must be [], got %v %v", none, err)
	}
	hw, err := acct.GetHardware()
	if err != nil || len(hw) != 0 {
		t.Fatalf("hardware: %v %v", hw, err)
	}

	vlans, err := acct.Mask("id;vlanNumber;networkSpace;primaryRouter.datacenter.name").Filter(filter.Build(filter.Path("networkVlans.id").Eq(2918270))).GetNetworkVlans()
	if err != nil || len(vlans) != 1 || *vlans[0].Id != 2918270 || *vlans[0].NetworkSpace != "PRIVATE" ||
		*vlans[0].VlanNumber < 1000 || *vlans[0].PrimaryRouter.Datacenter.Name != "dal10" {
		t.Fatalf("vlans: %+v %v", vlans, err)
	}
	byNumber, err := acct.Filter(filter.Build(filter.Path("networkVlans.vlanNumber").Eq(*vlans[0].VlanNumber))).GetNetworkVlans()
	if err != nil || len(byNumber) != 1 || *byNumber[0].Id != 2918270 {
		t.Fatalf("by vlanNumber: %+v %v", byNumber, err)
	}
	sorted, err := acct.Filter(filter.Build(filter.Path("networkVlans.id").OrderBy("ASC"))).GetNetworkVlans()
	if err != nil || len(sorted) != 2 || *sorted[0].Id != 2918268 {
		t.Fatalf("ordered vlans: %+v %v", sorted, err)
	}

	// A device of another account, or none at all: ObjectNotFound.
	_, err = services.GetVirtualGuestService(sess).Id(12345678).GetObject()
	slErr(t, err, 404, "SoftLayer_Exception_ObjectNotFound")
	g, err := services.GetVirtualGuestService(sess).Id(*guests[0].Id).GetObject()
	if err != nil || *g.Hostname != *guests[0].Hostname {
		t.Fatalf("guest by id: %+v %v", g, err)
	}
}

func TestSoftLayerBasicAndErrors(t *testing.T) {
	srv := start(t, "orphan-cluster1", nil)
	sc := srv.Scenario()
	team := sc.InfraAccountByID("1446722")
	jane := team.Users[0]

	// Basic with the infrastructure user's API key reads that user's account.
	acct := services.GetAccountService(slBasic(srv, jane.Username, jane.APIKeys[0]))
	a, err := acct.GetObject()
	if err != nil || *a.Id != 1446722 || *a.BluemixAccountId != "7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21" {
		t.Fatalf("team account: %+v %v", a, err)
	}
	guests, err := acct.GetVirtualGuests()
	if err != nil || len(guests) != 2 || !strings.Contains(*guests[0].Hostname, "j03lvvlog623ne82h8v1") {
		t.Fatalf("team guests: %d %v", len(guests), err)
	}

	_, err = services.GetAccountService(slBasic(srv, jane.Username, "wrong")).GetObject()
	e := slErr(t, err, 401, "SoftLayer_Exception_InvalidLogin")
	if !strings.Contains(e.Error(), "SoftLayer_Exception_InvalidLogin: Invalid API token. (HTTP 401)") {
		t.Errorf("error text %q", e.Error())
	}
	_, err = services.GetAccountService(slBasic(srv, "nobody", "x")).GetObject()
	slErr(t, err, 401, "SoftLayer_Exception_InvalidLogin")

	// An expired or foreign IAM token: 500 AccessTokenValidation, on which
	// softlayer-go would refresh.
	_, err = services.GetAccountService(slBearer(srv, expiredToken(t, srv))).GetObject()
	slErr(t, err, 500, "SoftLayer_Exception_Account_Authentication_AccessTokenValidation")
	other := start(t, "orphan-cluster1", nil)
	_, err = services.GetAccountService(slBearer(srv, login(t, other))).GetObject()
	slErr(t, err, 500, "SoftLayer_Exception_Account_Authentication_AccessTokenValidation")

	// Another account's user is not found from this one.
	_, err = services.GetUserCustomerService(slBasic(srv, jane.Username, jane.APIKeys[0])).Id(7283641).GetPermissions()
	slErr(t, err, 404, "SoftLayer_Exception_ObjectNotFound")
}

func TestSoftLayerUserStatusBlocksLogin(t *testing.T) {
	srv := start(t, "apikey-owner-pending-deletion", nil)
	// Jane (account owner) lists the users: the key owner is CANCEL_PENDING.
	users, err := services.GetAccountService(slBearer(srv, login(t, srv))).
		Filter(filter.Build(filter.Path("users.username").Eq("2093847_ex.admin@example.com"))).GetUsers()
	if err != nil || len(users) != 1 || *users[0].UserStatus.KeyName != "CANCEL_PENDING" || *users[0].UserStatusId != 1022 {
		t.Fatalf("users: %+v %v", users, err)
	}
}

// The log never shows a Basic credential, an IAM-ApiKey header or a
// refresh token header.
func TestNewServicesLogRedaction(t *testing.T) {
	log := &syncBuffer{}
	srv := start(t, "manual-credentials-other-account", log)
	sc := srv.Scenario()
	bob := sc.InfraAccountByID("1446722").Users[0]
	services.GetAccountService(slBasic(srv, bob.Username, bob.APIKeys[0])).GetObject()
	tok := login(t, srv)
	id := identity(t, srv, tok)
	id.GetAPIKeysDetails(id.NewGetAPIKeysDetailsOptions().SetIamAPIKey(sc.Session.APIKey))
	k := iks(t, srv, tok)
	k.GetDatacenterVLANs(k.NewGetDatacenterVLANsOptions(sc.Canary, "dal10"))
	out := log.String()
	for _, s := range append(sc.Secrets(), tok) {
		if strings.Contains(out, s) {
			t.Errorf("log leaks a secret (%d chars)", len(s))
		}
	}
	if !strings.Contains(out, `"Authorization":"Basic [redacted]"`) {
		t.Errorf("log: %s", out)
	}
	var svcs []string
	for _, e := range srv.Requests() {
		svcs = append(svcs, e.Service)
	}
	if strings.Join(svcs, ",") != "softlayer,iam,iam,iks" {
		t.Errorf("services %v", svcs)
	}
}
