package sim_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/resourcemanagerv2"
	"github.com/softlayer/softlayer-go/datatypes"
	"github.com/softlayer/softlayer-go/services"
)

// Every call that would change something is refused with 405 before any
// authentication, in the service's own error shape, and recorded.
func TestMutatingEndpointsRefused(t *testing.T) {
	srv := start(t, "orphan-cluster1", nil)
	sc := srv.Scenario()
	tok := login(t, srv)
	k := iks(t, srv, tok)
	w := sc.Cluster("Cluster1").Workers[0].ID
	calls := []struct {
		name, method, path string
		call               func() (*core.DetailedResponse, error)
	}{
		{"api-key reset", "POST", "/iks/global/v1/keys", func() (*core.DetailedResponse, error) {
			return k.ResetUserAPIKey(k.NewResetUserAPIKeyOptions("us-south", "refresh"))
		}},
		{"credential set", "POST", "/iks/global/v1/credentials", func() (*core.DetailedResponse, error) {
			return k.StoreUserCredentials(k.NewStoreUserCredentialsOptions("us-south", "refresh", "user", "key"))
		}},
		{"credential unset", "DELETE", "/iks/global/v1/credentials", func() (*core.DetailedResponse, error) {
			return k.RemoveUserCredentials(k.NewRemoveUserCredentialsOptions("us-south"))
		}},
		{"master refresh", "POST", "/iks/global/v2/refreshMaster", func() (*core.DetailedResponse, error) {
			return k.VpcRefreshMaster(k.NewVpcRefreshMasterOptions().SetCluster("Cluster1"))
		}},
		{"worker reload (v1)", "PUT", "/iks/global/v1/clusters/Cluster1/workers/" + w, func() (*core.DetailedResponse, error) {
			return k.UpdateClusterWorker(k.NewUpdateClusterWorkerOptions("Cluster1", w).SetAction("reload"))
		}},
		{"worker rm (v1)", "DELETE", "/iks/global/v1/clusters/Cluster1/workers/" + w, func() (*core.DetailedResponse, error) {
			return k.RemoveClusterWorker(k.NewRemoveClusterWorkerOptions("Cluster1", w))
		}},
		{"worker replace", "POST", "/iks/global/v2/replaceWorker", func() (*core.DetailedResponse, error) {
			return k.ReplaceWorker(k.NewReplaceWorkerOptions().SetCluster("Cluster1").SetWorkerID(w))
		}},
		{"vpc worker replace", "POST", "/iks/global/v2/vpc/replaceWorker", func() (*core.DetailedResponse, error) {
			return k.VpcReplaceWorker(k.NewVpcReplaceWorkerOptions().SetCluster("Cluster1").SetWorkerID(w))
		}},
		{"worker rm (v2)", "POST", "/iks/global/v2/removeWorker", func() (*core.DetailedResponse, error) {
			return k.V2RemoveWorker(k.NewV2RemoveWorkerOptions().SetCluster("Cluster1").SetWorkerID(w))
		}},
		{"create API key", "POST", "/iam/v1/apikeys", func() (*core.DetailedResponse, error) {
			id := identity(t, srv, tok)
			_, r, err := id.CreateAPIKey(id.NewCreateAPIKeyOptions("x", "IBMid-550006ABCD"))
			return r, err
		}},
		{"delete policy", "DELETE", "/iam/v1/policies/p1", func() (*core.DetailedResponse, error) {
			p := policies(t, srv, tok)
			return p.DeletePolicy(p.NewDeletePolicyOptions("p1"))
		}},
		{"add group members", "PUT", "/iam/v2/groups/g1/members", func() (*core.DetailedResponse, error) {
			g := groups(t, srv, tok)
			_, r, err := g.AddMembersToAccessGroup(g.NewAddMembersToAccessGroupOptions("g1"))
			return r, err
		}},
		{"remove user", "DELETE", "/user-management/v2/accounts/" + sc.Account.ID + "/users/IBMid-550006ABCD", func() (*core.DetailedResponse, error) {
			u := users(t, srv, tok)
			return u.RemoveUser(u.NewRemoveUserOptions(sc.Account.ID, "IBMid-550006ABCD"))
		}},
		{"create resource group", "POST", "/resource-manager/v2/resource_groups", func() (*core.DetailedResponse, error) {
			rm, err := resourcemanagerv2.NewResourceManagerV2(&resourcemanagerv2.ResourceManagerV2Options{URL: env(srv, "KS_DOCTOR_RESOURCE_MANAGER_URL"), Authenticator: auth(tok)})
			check(t, err)
			_, r, err := rm.CreateResourceGroup(rm.NewCreateResourceGroupOptions().SetName("x"))
			return r, err
		}},
		{"delete endpoint gateway", "DELETE", "/vpc/us-south/v1/endpoint_gateways/r006-x", func() (*core.DetailedResponse, error) {
			v := vpc(t, srv, "us-south", tok)
			return v.DeleteEndpointGateway(v.NewDeleteEndpointGatewayOptions("r006-x"))
		}},
	}
	for _, c := range calls {
		resp, err := c.call()
		if err == nil || resp == nil || resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: want 405, got %v %v", c.name, resp, err)
			continue
		}
		if !strings.Contains(err.Error(), "read-only") && !strings.Contains(err.Error(), "Method Not Allowed") {
			t.Errorf("%s: error %q", c.name, err)
		}
	}
	// SoftLayer: edit, delete, and a state change sent as GET.
	sess := slBearer(srv, tok)
	_, err := services.GetVirtualGuestService(sess).Id(1).EditObject(&datatypes.Virtual_Guest{})
	slErr(t, err, 405, "SIM405")
	_, err = services.GetVirtualGuestService(sess).Id(1).DeleteObject()
	slErr(t, err, 405, "SIM405")
	_, err = services.GetVirtualGuestService(sess).Id(1).RebootSoft()
	slErr(t, err, 405, "SIM405")

	v := srv.Violations()
	if len(v) != len(calls)+3 {
		t.Fatalf("%d violations for %d refused calls: %+v", len(v), len(calls)+3, v)
	}
	for i, c := range calls {
		if v[i].Method != c.method || v[i].Path != c.path || v[i].Status != 405 {
			t.Errorf("violation %d: %+v, want %s %s", i, v[i], c.method, c.path)
		}
	}
	if tail := v[len(v)-1]; tail.Service != "softlayer" || !strings.HasSuffix(tail.Path, "/rebootSoft.json") || tail.Method != "GET" {
		t.Errorf("SoftLayer violation %+v", tail)
	}
	// The refusals never needed a token: an anonymous POST is one too.
	resp, err := http.Post(srv.URL()+"/account-management/v4/accounts/x", "application/json", nil)
	check(t, err)
	resp.Body.Close()
	if resp.StatusCode != 405 || len(srv.Violations()) != len(v)+1 {
		t.Errorf("anonymous POST: %d", resp.StatusCode)
	}
}
