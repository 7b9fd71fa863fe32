package sim

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
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

// kubeCaller is the gate of a cluster's API: the cluster the path names
// by id (else 404 NotFound) and that cluster's token (else 401).
func kubeCaller(s *Server, w http.ResponseWriter, r *http.Request) (*Cluster, bool) {
	id, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, PrefixKube), "/"), "/")
	cl := s.clusterByKey(id)
	if cl == nil || cl.ID != id {
		kubeStatus(w, http.StatusNotFound, "NotFound", "ks-doctor-sim serves no cluster "+id)
		return nil, false
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.kubeToken(cl))) != 1 {
		kubeStatus(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized")
		return nil, false
	}
	return cl, true
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
	for _, w := range workers(cl, false, "") {
		if w.PrivateIP != "" {
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
