package sim_test

import "testing"

// restricted-user-list: a caller without a User Management role lists only
// itself and may read no other profile (usermanagementv1 ListUsers and
// GetUserProfile docs); the account settings say RESTRICTED.
func TestRestrictedUserList(t *testing.T) {
	srv := start(t, "restricted-user-list", nil)
	sc := srv.Scenario()
	sam := users(t, srv, login(t, srv))

	list, _, err := sam.ListUsers(sam.NewListUsersOptions(sc.Account.ID))
	check(t, err)
	if *list.TotalResults != 1 || len(list.Resources) != 1 || *list.Resources[0].IamID != "IBMid-480009SAML" || list.NextURL != nil {
		t.Fatalf("restricted list: %+v", list)
	}
	me, _, err := sam.GetUserProfile(sam.NewGetUserProfileOptions(sc.Account.ID, "IBMid-480009SAML"))
	if err != nil || *me.State != "ACTIVE" {
		t.Fatalf("own profile: %+v %v", me, err)
	}
	// The key owner is an ACTIVE member, but this caller may not see her:
	// 403, never 404.
	_, resp, err := sam.GetUserProfile(sam.NewGetUserProfileOptions(sc.Account.ID, "IBMid-550006ABCD"))
	problem(t, resp, err, 403)
	_, resp, err = sam.GetUserProfile(sam.NewGetUserProfileOptions(sc.Account.ID, "IBMid-270007EFGH"))
	problem(t, resp, err, 403)

	ident := identity(t, srv, login(t, srv))
	settings, _, err := ident.GetAccountSettings(ident.NewGetAccountSettingsOptions(sc.Account.ID))
	if err != nil || *settings.RestrictUserListVisibility != "RESTRICTED" {
		t.Fatalf("settings: %+v %v", settings, err)
	}

	// The owner holds the role: every member, paged with next_url through
	// the SDK's own pager; her profile with its state; a stranger 404.
	jane := users(t, srv, tokenOf(t, srv, "KSDOCTORCANARY-jane-key-Rt5Yw2Kc7Nm9"))
	pager, err := jane.NewUsersPager(jane.NewListUsersOptions(sc.Account.ID).SetLimit(1))
	check(t, err)
	var ids []string
	pages := 0
	for pager.HasNext() {
		page, err := pager.GetNext()
		check(t, err)
		pages++
		for _, u := range page {
			ids = append(ids, *u.IamID)
		}
	}
	if pages != 3 || len(ids) != 3 || ids[0] != "IBMid-550006ABCD" {
		t.Fatalf("paged users: %d pages %v", pages, ids)
	}
	p, _, err := jane.GetUserProfile(jane.NewGetUserProfileOptions(sc.Account.ID, "IBMid-550006ABCD"))
	if err != nil || *p.State != "ACTIVE" || *p.IamID != "IBMid-550006ABCD" {
		t.Fatalf("owner profile: %+v %v", p, err)
	}
	_, resp, err = jane.GetUserProfile(jane.NewGetUserProfileOptions(sc.Account.ID, "IBMid-270007EFGH"))
	problem(t, resp, err, 404)
}
