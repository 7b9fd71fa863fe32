package sim

import (
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Versions is the scenario's `ibmcloud ks versions` (GET /v1/versions):
// the versions IKS supports. Omitted, it is derived from the clusters:
// each major.minor a cluster or worker runs, at the newest patch any of
// them runs, the newest one the default, no end of support.
type Versions struct {
	Kubernetes []SupportedVersion `yaml:"kubernetes"`
	OpenShift  []SupportedVersion `yaml:"openshift"`
}

// SupportedVersion is one entry of the list.
type SupportedVersion struct {
	Version      string `yaml:"version"`      // major.minor.patch, e.g. 1.31.2
	Default      bool   `yaml:"default"`      // the version clusters are created with
	EndOfService string `yaml:"endOfService"` // e.g. 2026-12-01; "" = none announced
}

// KubeAPI is what a cluster's own Kubernetes API shows beyond what its
// workers imply. Every cluster's API is served at /kube/{clusterID}: one
// node per live worker, named by its private IP, Ready when the worker is
// normal, and one Calico node object per node.
type KubeAPI struct {
	// Nodes are extra node objects, e.g. a NotReady node left behind under
	// a public IP after a reload (seed 001 §cs_duplicate_nodes).
	Nodes []KubeNode `yaml:"nodes"`
	// CalicoNodes are extra Calico node objects, e.g. one still naming a
	// deleted worker whose private IP was reused (§cs_nodes_duplicate_ip).
	CalicoNodes []CalicoNode `yaml:"calicoNodes"`
	// CalicoNamedByWorker: the Calico node of each live worker is named by
	// the worker's ID, without a reference to its Kubernetes node, as on
	// the older cluster of seed 001 (`calicoctl get nodes` lists
	// kube-dal10-cr9b7371a7faaa46d08e04f046d5e6d8b4-w1); default: named by
	// the node's name (its private IP) and referring to it.
	CalicoNamedByWorker bool `yaml:"calicoNamedByWorker"`
	// NoCalicoAPI: the cluster has no Calico API server, so the
	// projectcalico.org/v3 group is not served.
	NoCalicoAPI bool `yaml:"noCalicoAPI"`
	// Unreachable: the API server the kubeconfig names cannot be reached
	// from the user's machine, as a cluster with only a private service
	// endpoint from outside IBM Cloud's private network: the kubeconfig's
	// server is a loopback port nothing listens on (connection refused).
	Unreachable bool `yaml:"unreachable"`
	// Forbidden: the session's user may not list nodes or Calico nodes
	// (Kubernetes RBAC, which IKS sets from IAM service access roles, e.g.
	// a role bound to one namespace): those lists answer 403 Forbidden.
	Forbidden bool `yaml:"forbidden"`
}

// KubeNode is a Kubernetes node object.
type KubeNode struct {
	Name     string `yaml:"name"`
	Ready    bool   `yaml:"ready"`
	WorkerID string `yaml:"workerId"`
	IP       string `yaml:"ip"` // InternalIP; default the name
}

// CalicoNode is a projectcalico.org/v3 Node.
type CalicoNode struct {
	Name     string `yaml:"name"`
	IPv4     string `yaml:"ipv4"`     // spec.bgp.ipv4Address, without prefix length
	NodeName string `yaml:"nodeName"` // spec.orchRefs k8s nodeName; "" = none
}

// supportedVersions is the list served, the scenario's or derived.
func (sc *Scenario) supportedVersions() Versions {
	if sc.Versions != nil {
		return *sc.Versions
	}
	newest := map[string][3]int{} // "k8s/1.30" or "ocp/4.16" → newest version
	for _, c := range sc.Clusters {
		vs := []string{c.KubeVersion}
		for _, w := range c.Workers {
			vs = append(vs, w.KubeVersion)
		}
		for _, v := range vs {
			n, ok := versionNumbers(v)
			if !ok {
				continue
			}
			key := "k8s/"
			if strings.HasSuffix(v, "_openshift") {
				key = "ocp/"
			}
			key += fmt.Sprintf("%d.%d", n[0], n[1])
			if old, seen := newest[key]; !seen || n[2] > old[2] {
				newest[key] = n
			}
		}
	}
	var out Versions
	keys := make([]string, 0, len(newest))
	for k := range newest {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { // by product, then major, minor
		a, b := newest[keys[i]], newest[keys[j]]
		if keys[i][:4] != keys[j][:4] {
			return keys[i] < keys[j]
		}
		return a[0] < b[0] || a[0] == b[0] && a[1] < b[1]
	})
	for _, k := range keys {
		n := newest[k]
		e := SupportedVersion{Version: fmt.Sprintf("%d.%d.%d", n[0], n[1], n[2])}
		if k[:4] == "ocp/" {
			out.OpenShift = append(out.OpenShift, e)
		} else {
			out.Kubernetes = append(out.Kubernetes, e)
		}
	}
	for _, l := range []*[]SupportedVersion{&out.Kubernetes, &out.OpenShift} {
		if len(*l) > 0 {
			(*l)[len(*l)-1].Default = true
		}
	}
	return out
}

// versionNumbers reads major, minor and patch of an IKS version
// (1.30.4_1532, 4.16.12_1545_openshift, 1.31.2).
func versionNumbers(v string) ([3]int, bool) {
	semver, _, _ := strings.Cut(v, "_")
	parts := strings.Split(semver, ".")
	var n [3]int
	if len(parts) != 3 {
		return n, false
	}
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil {
			return n, false
		}
		n[i] = x
	}
	return n, true
}

// versionsBody is the GET /v1/versions body: {"kubernetes": [...],
// "openshift": [...]} of {major, minor, patch, default, end_of_service}
// (container-services-go-sdk: GetVersions, KubeVersion) [I: the date
// format of end_of_service].
func (sc *Scenario) versionsBody() map[string][]map[string]any {
	vs := sc.supportedVersions()
	out := map[string][]map[string]any{"kubernetes": {}, "openshift": {}}
	for product, list := range map[string][]SupportedVersion{"kubernetes": vs.Kubernetes, "openshift": vs.OpenShift} {
		for _, e := range list {
			n, _ := versionNumbers(e.Version)
			out[product] = append(out[product], map[string]any{"major": n[0], "minor": n[1], "patch": n[2],
				"default": e.Default, "end_of_service": e.EndOfService})
		}
	}
	return out
}

// kubeUser is the kubeconfig's user entry, its name and its YAML (under
// "user:"), as session.kubeconfigAuth says. `ibmcloud ks cluster config`
// names the user "<e-mail>/<account>/iam.cloud.ibm.com-identity" and
// signs in through the oidc auth provider with IAM's tokens for client
// "kube", issuer https://iam.cloud.ibm.com/identity (kubeconfigs it wrote,
// as `kubectl config view` shows them in public notes; the API behind the
// command answers with the same id-token fields:
// https://gist.github.com/amitpj/7d5e1b3c7baacbfff638850f7d8a86ec).
func (s *Server) kubeUser(cl *Cluster) (name, yaml string) {
	sess := s.Scenario().Session
	if sess.KubeconfigAuth == "token" {
		return cl.Name + "/" + cl.ID, "    token: " + s.kubeToken(cl) + "\n"
	}
	u := s.sc.user(sess.User)
	id, refresh := s.kubeIDToken(sess.KubeconfigAuth == "oidc-expired")
	return u.Email + "/" + s.sc.Account.ID + "/iam.cloud.ibm.com-identity", fmt.Sprintf(`    auth-provider:
      name: oidc
      config:
        client-id: %[1]s
        client-secret: %[1]s
        id-token: %[2]s
        idp-issuer-url: %[3]s
        refresh-token: %[4]s
`, kubeClient, id, s.url+PrefixIAM+"/identity", refresh)
}

// writeKube writes what `ibmcloud ks cluster config` and a kubectl install
// leave in home: <home>/.kube/config whose current context is the cluster
// session.kubeconfig names (nothing when it names none), and
// <home>/bin/kubectl, a script that prints session.kubectl's client
// version (nothing when it is "": kubectl is not installed).
func writeKube(home string, srv *Server) error {
	sc := srv.Scenario()
	if name := sc.Session.Kubeconfig; name != "" {
		cl := sc.Cluster(name)
		if cl == nil {
			return fmt.Errorf("sim: session.kubeconfig names no cluster: %q", name)
		}
		ctxName := cl.Name + "/" + cl.ID // as `ibmcloud ks cluster config` names it
		base, ca, err := srv.kubeEndpoint()
		if err != nil {
			return err
		}
		if cl.Kube != nil && cl.Kube.Unreachable {
			if base, err = closedPort(); err != nil {
				return err
			}
		}
		userName, user := srv.kubeUser(cl)
		cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: %[1]s
  cluster:
    server: %[2]s
    certificate-authority-data: %[4]s
contexts:
- name: %[1]s
  context:
    cluster: %[1]s
    user: %[3]s
    namespace: default
current-context: %[1]s
users:
- name: %[3]s
  user:
%[5]s`, ctxName, base+PrefixKube+"/"+cl.ID, userName, base64.StdEncoding.EncodeToString(ca), user)
		path := filepath.Join(home, ".kube", "config")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
			return err
		}
	}
	if v := sc.Session.Kubectl; v != "" {
		n, ok := versionNumbers(strings.TrimPrefix(strings.SplitN(v, "-", 2)[0], "v"))
		if !ok {
			return fmt.Errorf("sim: session.kubectl is not a version: %q", v)
		}
		body := fmt.Sprintf(`{"clientVersion":{"major":"%d","minor":"%d","gitVersion":"%s","platform":"linux/amd64"}}`, n[0], n[1], v)
		script := "#!/bin/sh\n# ks-doctor-sim: a kubectl that only knows its version\ncat <<'EOF'\n" + body + "\nEOF\n"
		path := filepath.Join(home, "bin", "kubectl")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		return os.WriteFile(path, []byte(script), 0o700)
	}
	return nil
}

// closedPort is an https URL of a loopback port that was free a moment ago
// and is closed now: connecting to it is refused.
func closedPort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	l.Close()
	return "https://" + addr, nil
}
