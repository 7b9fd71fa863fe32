package sim_test

import (
	"testing"

	"github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"
)

// policies-hidden: a caller who may not read policies or access groups
// gets 200 with nothing (ListPolicies, ListAccessGroups docs); the owner
// reads everything through the SDK's own pagers, and dynamic memberships
// only with membership_type=all.
func TestPoliciesHiddenAndPaged(t *testing.T) {
	srv := start(t, "policies-hidden", nil)
	sc := srv.Scenario()
	acct := sc.Account.ID

	sam := policies(t, srv, login(t, srv))
	list, _, err := sam.ListPolicies(sam.NewListPoliciesOptions(acct).SetIamID("IBMid-550006ABCD"))
	if err != nil || len(list.Policies) != 0 || list.Next != nil {
		t.Fatalf("hidden policies: %+v %v", list, err)
	}
	samGroups := groups(t, srv, login(t, srv))
	g, _, err := samGroups.ListAccessGroups(samGroups.NewListAccessGroupsOptions(acct).SetIamID("IBMid-550006ABCD"))
	if err != nil || len(g.Groups) != 0 || *g.TotalCount != 0 {
		t.Fatalf("hidden groups: %+v %v", g, err)
	}

	jane := tokenOf(t, srv, "KSDOCTORCANARY-jane-key-Gh4Ls9Pz1Wd6")
	pol := policies(t, srv, jane)
	pager, err := pol.NewPoliciesPager(pol.NewListPoliciesOptions(acct).SetLimit(1))
	check(t, err)
	var all []iampolicymanagementv1.PolicyTemplateMetaData
	pages := 0
	for pager.HasNext() {
		page, err := pager.GetNext()
		check(t, err)
		pages++
		all = append(all, page...)
	}
	if pages != 3 || len(all) != 3 {
		t.Fatalf("policies: %d pages, %d policies", pages, len(all))
	}
	types := map[string]bool{}
	for _, p := range all {
		for _, a := range p.Resources[0].Attributes {
			if *a.Name == "serviceType" {
				types[*a.Value] = true
			}
		}
	}
	if !types["platform_service"] || types["service"] {
		t.Fatalf("serviceType attributes: %v", types)
	}

	ag := groups(t, srv, jane)
	for _, c := range []struct {
		iamID, membership string
		want              int
	}{{"IBMid-550006ABCD", "", 1}, {"IBMid-6600071XYZ", "", 0}, {"IBMid-6600071XYZ", "all", 1}} {
		opts := ag.NewListAccessGroupsOptions(acct).SetIamID(c.iamID).SetLimit(1)
		if c.membership != "" {
			opts.SetMembershipType(c.membership)
		}
		gp, err := ag.NewAccessGroupsPager(opts)
		check(t, err)
		got, err := gp.GetAll()
		check(t, err)
		if len(got) != c.want || c.want == 1 && *got[0].Name != "iks-admins" {
			t.Errorf("%s membership %q: %d groups", c.iamID, c.membership, len(got))
		}
	}
	members, _, err := ag.ListAccessGroupMembers(ag.NewListAccessGroupMembersOptions(sc.AccessGroups[0].ID).SetMembershipType("all"))
	if err != nil || len(members.Members) != 2 || *members.Members[1].MembershipType != "dynamic" {
		t.Fatalf("members: %+v %v", members, err)
	}
}
