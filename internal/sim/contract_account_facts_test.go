package sim_test

import (
	"net/url"
	"testing"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM/go-sdk-core/v5/core"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// Account facts: user_mfa exemptions in the IAM account settings, the
// STANDARD (Lite) account type as unpaid, and /coe/v2/accounts paged with
// next_url.
func TestAccountFacts(t *testing.T) {
	sc, err := sim.Load("orphan-cluster2")
	check(t, err)
	sc.Account.Type = "STANDARD"
	sc.Account.MFA = "TOTP"
	sc.Account.UserMFA = []sim.UserMFA{{User: "jane.doe@example.com", MFA: "NONE"}}
	sc.Wire.AccountPageSize = 1
	srv := sim.New(sc, sim.Options{})
	check(t, srv.Start("127.0.0.1:0"))
	t.Cleanup(func() { srv.Close() })
	tok := login(t, srv)

	ident := identity(t, srv, tok)
	settings, _, err := ident.GetAccountSettings(ident.NewGetAccountSettingsOptions(sc.Account.ID))
	if err != nil || *settings.Mfa != "TOTP" || len(settings.UserMfa) != 1 || *settings.UserMfa[0].IamID != "IBMid-550006ABCD" ||
		*settings.UserMfa[0].Mfa != "NONE" {
		t.Fatalf("settings: %+v %v", settings, err)
	}

	cl, _, err := iks(t, srv, tok).GetCluster(&kubernetesserviceapiv1.GetClusterOptions{Cluster: ptr(sc.Clusters[0].ID)})
	if err != nil || cl.IsPaid == nil || *cl.IsPaid {
		t.Fatalf("STANDARD cluster must be unpaid: %+v %v", cl, err)
	}

	// Follow next_url as bluemix-go's accountv2 does.
	am := accounts(t, srv, tok)
	var names []string
	next := "/coe/v2/accounts"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("next_url loops")
		}
		u, err := url.Parse(next)
		check(t, err)
		b := core.NewRequestBuilder(core.GET)
		_, err = b.ResolveRequestURL(am.Service.GetServiceURL(), u.Path, nil)
		check(t, err)
		for k, v := range u.Query() {
			b.AddQuery(k, v[0])
		}
		req, err := b.Build()
		check(t, err)
		var page struct {
			TotalResults int     `json:"total_results"`
			NextURL      *string `json:"next_url"`
			Resources    []struct{ Entity struct{ Name, Type string } }
		}
		_, err = am.Service.Request(req, &page)
		check(t, err)
		if page.TotalResults != 2 || len(page.Resources) != 1 {
			t.Fatalf("page %d: %+v", pages, page)
		}
		names = append(names, page.Resources[0].Entity.Name)
		next = ""
		if page.NextURL != nil {
			next = *page.NextURL
		}
	}
	if len(names) != 2 || names[1] != "Team Shared" {
		t.Fatalf("accounts: %v", names)
	}
}
