package sim_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM/go-sdk-core/v5/core"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	_ "k8s.io/client-go/plugin/pkg/client/auth/oidc" // the sign-in of IKS's kubeconfig
	"k8s.io/client-go/tools/clientcmd"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// kubeconfig writes the session of a scenario and loads the kubeconfig it
// left, as kubectl would.
func kubeconfig(t *testing.T, srv *sim.Server) (home string, cfg clientcmd.ClientConfig) {
	t.Helper()
	home = t.TempDir()
	check(t, sim.WriteSession(home, sim.DefaultSessionOptions(srv)))
	path := srv.Env(home)["KUBECONFIG"]
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: path}
	return home, clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{})
}

// The simulated Kubernetes API decodes through the official clients: the
// typed clientset for nodes and the version, the dynamic client for Calico
// node objects; nodes derive from the workers, plus the scenario's stale
// ones.
func TestContractKubeAPI(t *testing.T) {
	srv := start(t, "stale-nodes", nil)
	home, cc := kubeconfig(t, srv)
	raw, err := cc.RawConfig()
	check(t, err)
	if want := "calico-dal10/9b7371a7fcbe46d08e04f046d5e6d8b4"; raw.CurrentContext != want {
		t.Errorf("current context %q, want %q (as `ibmcloud ks cluster config` names it)", raw.CurrentContext, want)
	}
	rc, err := cc.ClientConfig()
	check(t, err)
	cs, err := kubernetes.NewForConfig(rc)
	check(t, err)
	ctx := context.Background()

	v, err := cs.Discovery().ServerVersion()
	check(t, err)
	if v.Major != "1" || v.Minor != "30" {
		t.Errorf("server version %+v", v)
	}
	nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	check(t, err)
	ready := map[string]bool{}
	for _, n := range nodes.Items {
		for _, c := range n.Status.Conditions {
			if c.Type == corev1.NodeReady {
				ready[n.Name] = c.Status == corev1.ConditionTrue
			}
		}
	}
	want := map[string]bool{"10.176.48.76": true, "10.176.48.77": true, "169.61.101.76": false}
	if len(ready) != len(want) {
		t.Errorf("nodes %v, want %v", ready, want)
	}
	for name, r := range want {
		if got, ok := ready[name]; !ok || got != r {
			t.Errorf("node %s ready=%v (listed %v), want %v", name, got, ok, r)
		}
	}
	if id := nodes.Items[0].Labels["ibm-cloud.kubernetes.io/worker-id"]; id != "kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w1" {
		t.Errorf("worker-id label %q", id)
	}
	// Pages: limit and continue, as the client sends them.
	page, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{Limit: 2})
	check(t, err)
	rest, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{Limit: 2, Continue: page.Continue})
	check(t, err)
	if len(page.Items) != 2 || page.Continue == "" || len(rest.Items) != 1 || rest.Continue != "" {
		t.Errorf("pages: %d (continue %q) then %d", len(page.Items), page.Continue, len(rest.Items))
	}

	dyn, err := dynamic.NewForConfig(rc)
	check(t, err)
	calico, err := dyn.Resource(schema.GroupVersionResource{Group: "projectcalico.org", Version: "v3", Resource: "nodes"}).List(ctx, metav1.ListOptions{})
	check(t, err)
	names := map[string]string{}
	for _, it := range calico.Items {
		ip, _, _ := unstructuredString(it.Object, "spec", "bgp", "ipv4Address")
		names[it.GetName()] = ip
	}
	// Named by worker ID, as on seed 001's older cluster: live w1 and w3,
	// and deleted w2's, which still holds the IP w3 was given.
	if names["kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w2"] != "10.176.48.77/26" || names["kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w3"] != "10.176.48.77/26" ||
		names["kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w1"] != "10.176.48.76/26" || len(names) != 3 {
		t.Errorf("calico nodes %v", names)
	}

	// Read-only: a delete is refused, and another token is not let in.
	err = cs.CoreV1().Nodes().Delete(ctx, "169.61.101.76", metav1.DeleteOptions{})
	if !apierrors.IsMethodNotSupported(err) {
		t.Errorf("delete node: %v, want 405", err)
	}
	bad := *rc
	bad.AuthProvider, bad.BearerToken = nil, "not-the-token"
	other, err := kubernetes.NewForConfig(&bad)
	check(t, err)
	if _, err := other.CoreV1().Nodes().List(ctx, metav1.ListOptions{}); !apierrors.IsUnauthorized(err) {
		t.Errorf("wrong token: %v, want 401", err)
	}
	// The fake kubectl prints its client version.
	if _, err := os.Stat(filepath.Join(home, "bin", "kubectl")); err != nil {
		t.Errorf("no kubectl written: %v", err)
	}
}

// The kubeconfig signs in as `ibmcloud ks cluster config` makes it: the
// oidc auth provider with IAM's id-token for client "kube". An expired
// id-token is refused (401); the official client then refreshes it with
// the kubeconfig's refresh token, which the simulator refuses and records
// as a violation (it would retire the token the user's kubectl relies on:
// ks-doctor must never do it). A role that may not list nodes gets 403.
func TestContractKubeSignIn(t *testing.T) {
	for _, tc := range []struct {
		auth, user string
		forbidden  bool
	}{
		{"oidc", "user/oidc", false},
		{"oidc-expired", "user/oidc", false},
		{"token", "token", false},
		{"oidc", "user/oidc", true},
	} {
		sc, err := sim.Load("stale-nodes")
		check(t, err)
		sc.Session.KubeconfigAuth = tc.auth
		sc.Clusters[0].Kube.Forbidden = tc.forbidden
		srv := sim.New(sc, sim.Options{})
		check(t, srv.Start("127.0.0.1:0"))
		t.Cleanup(func() { srv.Close() })
		_, cc := kubeconfig(t, srv)
		raw, err := cc.RawConfig()
		check(t, err)
		ai := raw.AuthInfos[raw.Contexts[raw.CurrentContext].AuthInfo]
		switch {
		case tc.auth == "token" && (ai.Token == "" || ai.AuthProvider != nil):
			t.Errorf("%s: user %+v", tc.auth, ai)
		case tc.auth != "token" && (ai.AuthProvider == nil || ai.AuthProvider.Name != "oidc" || ai.AuthProvider.Config["client-id"] != "kube" ||
			ai.AuthProvider.Config["refresh-token"] == "" || ai.AuthProvider.Config["idp-issuer-url"] != srv.URL()+"/iam/identity"):
			t.Errorf("%s: auth provider %+v", tc.auth, ai.AuthProvider)
		}
		rc, err := cc.ClientConfig()
		check(t, err)
		cs, err := kubernetes.NewForConfig(rc)
		check(t, err)
		_, err = cs.CoreV1().Nodes().List(context.Background(), metav1.ListOptions{})
		violations := len(srv.Violations())
		switch {
		case tc.forbidden:
			if !apierrors.IsForbidden(err) {
				t.Errorf("%s forbidden: %v, want 403", tc.auth, err)
			}
		case tc.auth == "oidc-expired":
			if err == nil || violations == 0 {
				t.Errorf("expired id-token: %v, %d violations; want a refused refresh", err, violations)
			}
			continue
		default:
			check(t, err)
		}
		if violations != 0 {
			t.Errorf("%s: %d violations", tc.auth, violations)
		}
	}
}

func unstructuredString(obj map[string]any, path ...string) (string, bool, error) {
	var cur any = obj
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false, nil
		}
		cur = m[p]
	}
	s, ok := cur.(string)
	return s, ok, nil
}

// Without the Calico API server the group is absent (404), which the
// client reads as NotFound; a scenario without session.kubeconfig leaves
// no kubeconfig at all.
func TestContractKubeNoCalicoAndNoKubeconfig(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	home := t.TempDir()
	check(t, sim.WriteSession(home, sim.DefaultSessionOptions(srv)))
	for _, k := range []string{"KUBECONFIG", "KS_DOCTOR_KUBECTL"} {
		if _, err := os.Stat(srv.Env(home)[k]); !os.IsNotExist(err) {
			t.Errorf("%s written for a scenario without it: %v", k, err)
		}
	}
	resp, err := http.Get(srv.URL() + sim.PrefixKube + "/nope/api/v1/nodes")
	check(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown cluster: %d", resp.StatusCode)
	}
}

// `ibmcloud ks versions` through the official IKS SDK: derived from the
// clusters by default, or the scenario's list with end of support.
func TestContractVersions(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	res, _, err := iks(t, srv, login(t, srv)).GetVersions(&kubernetesserviceapiv1GetVersionsOptions)
	check(t, err)
	k := res["kubernetes"]
	if len(k) != 1 || *k[0].Major != 1 || *k[0].Minor != 30 || *k[0].Patch != 4 || !*k[0].Default || *k[0].EndOfService != "" {
		t.Errorf("derived versions %+v", k)
	}
	srv = start(t, "version-unsupported", nil)
	res, _, err = iks(t, srv, login(t, srv)).GetVersions(&kubernetesserviceapiv1GetVersionsOptions)
	check(t, err)
	if k := res["kubernetes"]; len(k) != 3 || *k[2].Minor != 33 || !*k[2].Default || len(res["openshift"]) != 1 {
		t.Errorf("scenario versions %+v", res)
	}
	c, _, err := iks(t, srv, login(t, srv)).GetCluster(&kubernetesserviceapiv1GetClusterOptions)
	check(t, err)
	if core.StringNilMapper(c.VersionEOS) != "2024-12-31" || core.StringNilMapper(c.TargetVersion) != "1.28.9_1550" {
		t.Errorf("cluster versionEOS %v targetVersion %v", c.VersionEOS, c.TargetVersion)
	}
}

var (
	kubernetesserviceapiv1GetVersionsOptions = kubernetesserviceapiv1.GetVersionsOptions{}
	kubernetesserviceapiv1GetClusterOptions  = kubernetesserviceapiv1.GetClusterOptions{Cluster: core.StringPtr("legacy-dal10")}
)
