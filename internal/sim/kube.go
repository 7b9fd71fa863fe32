package sim

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// PrefixKube serves each cluster's own Kubernetes API at
// /kube/{clusterID}: the read-only subset ks-doctor's in-cluster checks use
// (GET /version, /api/v1/nodes, /apis/projectcalico.org/v3[/nodes]). The
// kubeconfig WriteSession leaves (session.kubeconfig) points there.
const PrefixKube = "/kube"

// kubeToken is the bearer token of a cluster's API: one per cluster and
// server, so a kubeconfig of another cluster or run is refused.
func (s *Server) kubeToken(cl *Cluster) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("kube/" + cl.ID))
	return "sim-kube-" + hex.EncodeToString(m.Sum(nil))[:40]
}

// kubeClient is the OIDC client id of IKS clusters' API servers: the
// kubeconfig `ibmcloud ks cluster config` writes names it (client-id and
// client-secret "kube"), and the API server takes IAM id-tokens issued
// to it.
const kubeClient = "kube"

// kubeCaller is the gate of a cluster's API: the cluster the path names
// by id (else 404 NotFound), then a credential the API server takes (else
// 401, which is also what an expired id-token gets): the cluster's static
// token, or an id-token this server issued to client "kube" in the
// scenario's account (IKS's API servers trust IAM as OIDC issuer, so one
// token serves every cluster the user may use).
func kubeCaller(s *Server, w http.ResponseWriter, r *http.Request) (*Cluster, bool) {
	id, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, PrefixKube), "/"), "/")
	cl := s.clusterByKey(id)
	if cl == nil || cl.ID != id {
		kubeStatus(w, http.StatusNotFound, "NotFound", "ks-doctor-sim serves no cluster "+id)
		return nil, false
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.kubeToken(cl))) == 1 {
		return cl, true
	}
	if c, ok := s.verify(token); ok && c.Aud == kubeClient && c.Account.BSS == s.sc.Account.ID {
		return cl, true
	}
	kubeStatus(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized")
	return nil, false
}

// kubeForbidden answers a list the session's user may not make when the
// scenario says so (KubeAPI.Forbidden), in the API server's words.
func (s *Server) kubeForbidden(w http.ResponseWriter, cl *Cluster, resource, group string) bool {
	if cl.Kube == nil || !cl.Kube.Forbidden {
		return false
	}
	u := s.sc.user(s.sc.Session.User)
	name := resource
	if group != "" {
		name += "." + group
	}
	writeJSON(w, http.StatusForbidden, map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "reason": "Forbidden", "code": http.StatusForbidden,
		"details": map[string]any{"group": group, "kind": resource},
		"message": fmt.Sprintf("%s is forbidden: User \"IAM#%s\" cannot list resource \"%s\" in API group \"%s\" at the cluster scope", name, u.Email, resource, group)})
	return true
}

// kubeIDToken is the id-token a kubeconfig of `ibmcloud ks cluster config`
// holds: IAM's, for client "kube", valid for an hour (or expired an hour
// ago); and the refresh token beside it, which only a refresh spends.
func (s *Server) kubeIDToken(expired bool) (idToken, refresh string) {
	u := s.sc.user(s.sc.Session.User)
	acc := s.sc.bssAccount(s.sc.Account.ID)
	now := s.opts.Now()
	iat, exp := now, now.Add(time.Hour)
	if expired {
		iat, exp = now.Add(-2*time.Hour), now.Add(-time.Hour)
	}
	return s.mint(u, acc, grantRefresh, kubeClient, s.url+PrefixIAM+"/identity", iat, exp),
		s.newRefresh(refreshGrant{iamID: u.IAMID, account: acc.ID, kube: true})
}

// refuseKubeRefresh answers a refresh grant with the kubeconfig's refresh
// token: IAM would issue new tokens and retire that one, leaving the
// user's kubeconfig with a token kubectl can no longer refresh. ks-doctor
// must never spend it, so the call is a violation.
func (s *Server) refuseKubeRefresh(w http.ResponseWriter, r *http.Request) {
	reqInfoOf(r).violation = true
	s.iamError(w, r, http.StatusBadRequest, "SIM405",
		"ks-doctor-sim refused a refresh with the kubeconfig's refresh token: it would retire the token the user's kubectl relies on.")
}

// oidcDiscovery serves GET /iam/identity/.well-known/openid-configuration,
// the OpenID Connect discovery document of the kubeconfig's issuer
// (idp-issuer-url https://iam.cloud.ibm.com/identity), where client-go's
// oidc auth provider finds the token endpoint before it refreshes an
// id-token (plugin/pkg/client/auth/oidc tokenEndpoint). [I] IAM's document
// holds more fields; these are the ones a client reads.
func (s *Server) oidcDiscovery(w http.ResponseWriter, r *http.Request) {
	iss := s.issuer(r)
	writeJSON(w, http.StatusOK, map[string]any{"issuer": iss, "token_endpoint": iss + "/token",
		"jwks_uri": iss + "/keys", "response_types_supported": []string{"id_token"}})
}

// kubeVersion serves GET /version; an OpenShift 4.y cluster runs
// Kubernetes 1.(y+13).
func (s *Server) kubeVersion(w http.ResponseWriter, _ *http.Request, cl *Cluster) {
	n, _ := versionNumbers(cl.KubeVersion)
	major, minor := n[0], n[1]
	if cl.Type == "openshift" && major == 4 {
		major, minor = 1, minor+13
	}
	writeJSON(w, http.StatusOK, map[string]string{"major": strconv.Itoa(major), "minor": strconv.Itoa(minor),
		"gitVersion": "v" + strconv.Itoa(major) + "." + strconv.Itoa(minor) + "." + strconv.Itoa(n[2]) + "+IKS", "platform": "linux/amd64"})
}

// kubeNodeList serves GET /api/v1/nodes.
func (s *Server) kubeNodeList(w http.ResponseWriter, r *http.Request, cl *Cluster) {
	if s.kubeForbidden(w, cl, "nodes", "") {
		return
	}
	items := []any{}
	for _, n := range kubeNodes(cl) {
		items = append(items, nodeObject(n))
	}
	writeList(w, r, "NodeList", "v1", items)
}

// calicoResources serves GET /apis/projectcalico.org/v3, where a cluster
// with a Calico API server lists its resources.
func (s *Server) calicoResources(w http.ResponseWriter, r *http.Request, cl *Cluster) {
	if noCalicoAPI(cl) {
		s.kubeUnknownPath(w, r, cl)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "projectcalico.org/v3",
		"resources": []any{map[string]any{"name": "nodes", "singularName": "node", "namespaced": false, "kind": "Node", "verbs": []string{"get", "list", "watch"}}}})
}

// calicoNodeList serves GET /apis/projectcalico.org/v3/nodes.
func (s *Server) calicoNodeList(w http.ResponseWriter, r *http.Request, cl *Cluster) {
	if noCalicoAPI(cl) {
		s.kubeUnknownPath(w, r, cl)
		return
	}
	if s.kubeForbidden(w, cl, "nodes", "projectcalico.org") {
		return
	}
	items := []any{}
	for _, n := range calicoNodes(cl) {
		items = append(items, calicoObject(n))
	}
	writeList(w, r, "NodeList", "projectcalico.org/v3", items)
}

// noCalicoAPI tells whether the cluster serves no projectcalico.org/v3.
func noCalicoAPI(cl *Cluster) bool { return cl.Kube != nil && cl.Kube.NoCalicoAPI }

// kubeUnknownPath is the Kubernetes API's 404 for a path it does not serve.
func (s *Server) kubeUnknownPath(w http.ResponseWriter, _ *http.Request, _ *Cluster) {
	kubeStatus(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource")
}

// kubeNodes are the cluster's node objects: one per live worker with a
// private IP (IKS names nodes by it), then the scenario's extra ones.
func kubeNodes(cl *Cluster) []KubeNode {
	var out []KubeNode
	for _, w := range workers(cl, false, "") {
		if w.PrivateIP != "" {
			out = append(out, KubeNode{Name: w.PrivateIP, Ready: w.State == "normal", WorkerID: w.ID, IP: w.PrivateIP})
		}
	}
	if cl.Kube != nil {
		for _, n := range cl.Kube.Nodes {
			def(&n.IP, n.Name)
			out = append(out, n)
		}
	}
	return out
}

// calicoNodes are one Calico node per live worker's node, then the
// scenario's extra ones.
func calicoNodes(cl *Cluster) []CalicoNode {
	var out []CalicoNode
	byWorker := cl.Kube != nil && cl.Kube.CalicoNamedByWorker
	for _, w := range workers(cl, false, "") {
		switch {
		case w.PrivateIP == "":
		case byWorker:
			out = append(out, CalicoNode{Name: w.ID, IPv4: w.PrivateIP})
		default:
			out = append(out, CalicoNode{Name: w.PrivateIP, IPv4: w.PrivateIP, NodeName: w.PrivateIP})
		}
	}
	if cl.Kube != nil {
		out = append(out, cl.Kube.CalicoNodes...)
	}
	return out
}

func nodeObject(n KubeNode) map[string]any {
	ready, reason := "True", "KubeletReady"
	if !n.Ready {
		ready, reason = "Unknown", "NodeStatusUnknown"
	}
	labels := map[string]string{"kubernetes.io/hostname": n.Name}
	if n.WorkerID != "" {
		labels["ibm-cloud.kubernetes.io/worker-id"] = n.WorkerID
	}
	return map[string]any{"apiVersion": "v1", "kind": "Node",
		"metadata": map[string]any{"name": n.Name, "labels": labels},
		"status": map[string]any{
			"conditions": []any{map[string]string{"type": "Ready", "status": ready, "reason": reason}},
			"addresses":  []any{map[string]string{"type": "InternalIP", "address": n.IP}, map[string]string{"type": "Hostname", "address": n.Name}},
		}}
}

func calicoObject(n CalicoNode) map[string]any {
	spec := map[string]any{}
	if n.IPv4 != "" {
		spec["bgp"] = map[string]string{"ipv4Address": n.IPv4 + "/26"}
	}
	if n.NodeName != "" {
		spec["orchRefs"] = []any{map[string]string{"nodeName": n.NodeName, "orchestrator": "k8s"}}
	}
	return map[string]any{"apiVersion": "projectcalico.org/v3", "kind": "Node", "metadata": map[string]any{"name": n.Name}, "spec": spec}
}

// writeList answers a list, a page at a time when the client sends
// limit: continue is the offset of the next page.
func writeList(w http.ResponseWriter, r *http.Request, kind, apiVersion string, items []any) {
	q := r.URL.Query()
	from, _ := strconv.Atoi(q.Get("continue"))
	from = min(max(from, 0), len(items))
	to := len(items)
	if limit, err := strconv.Atoi(q.Get("limit")); err == nil && limit > 0 && from+limit < to {
		to = from + limit
	}
	meta := map[string]any{"resourceVersion": "1"}
	if to < len(items) {
		meta["continue"] = strconv.Itoa(to)
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": kind, "apiVersion": apiVersion, "metadata": meta, "items": items[from:to]})
}

// kubeStatus is the Kubernetes API's error body (metav1.Status).
func kubeStatus(w http.ResponseWriter, code int, reason, msg string) {
	writeJSON(w, code, map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": msg, "reason": reason, "code": code})
}

func failKube(_ *Server, w http.ResponseWriter, _ *http.Request, status int, _ string, msg string) {
	reason := http.StatusText(status)
	switch status {
	case http.StatusMethodNotAllowed:
		reason = "MethodNotAllowed"
	case http.StatusTooManyRequests:
		reason = "TooManyRequests"
	}
	kubeStatus(w, status, strings.ReplaceAll(reason, " ", ""), msg)
}
