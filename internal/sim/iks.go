package sim

import (
	"fmt"
	"hash/fnv"
	"net"
	"net/http"
	"strings"
)

const (
	descClusterNotFound = "The specified cluster could not be found. If applicable, make sure that you target the correct account and resource group."
	recoveryClusterLs   = "To list the clusters you have access to, run 'ibmcloud ks cluster ls'. To list the resource groups that you have access to, run 'ibmcloud resource groups'. To target the resource group, run 'ibmcloud target -g <resource_group>'."
)

// iks serves the read-only Kubernetes Service calls (reference Appendix A);
// p is the path below /iks/global.
func (s *Server) iks(w http.ResponseWriter, r *http.Request, p string, c *claims) {
	q := r.URL.Query()
	showDeleted := q.Get("showDeleted") == "true"
	seg := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case p == "/v1/clusters":
		// [I] the v1 list is taken to return classic clusters only.
		out := []map[string]any{}
		for _, cl := range s.visible(r, c) {
			if cl.Provider == "classic" {
				out = append(out, s.v1Cluster(cl))
			}
		}
		writeJSON(w, http.StatusOK, out)
	case p == "/v2/vpc/getClusters", p == "/v2/classic/getClusters":
		provider := q.Get("provider")
		if p == "/v2/classic/getClusters" {
			provider = "classic"
		}
		// Without provider the VPC list returns every provider (bluemix-go
		// uses it as its list-all call).
		out := []map[string]any{}
		for _, cl := range s.visible(r, c) {
			if provider == "" || cl.Provider == provider {
				out = append(out, s.v2Cluster(cl))
			}
		}
		writeJSON(w, http.StatusOK, out)
	case p == "/v2/getCluster":
		if cl := s.findCluster(w, r, c, q.Get("cluster")); cl != nil {
			writeJSON(w, http.StatusOK, s.v2Cluster(cl))
		}
	case p == "/v2/getWorkers":
		if cl := s.findCluster(w, r, c, q.Get("cluster")); cl != nil {
			out := []map[string]any{}
			for _, wk := range workers(cl, showDeleted) {
				out = append(out, v2Worker(cl, wk))
			}
			writeJSON(w, http.StatusOK, out)
		}
	case len(seg) == 3 && seg[0] == "v1" && seg[1] == "clusters":
		if cl := s.findCluster(w, r, c, seg[2]); cl != nil {
			writeJSON(w, http.StatusOK, s.v1Cluster(cl))
		}
	case len(seg) == 4 && seg[0] == "v1" && seg[1] == "clusters" && seg[3] == "workers":
		if cl := s.findCluster(w, r, c, seg[2]); cl != nil {
			out := []map[string]any{}
			for _, wk := range workers(cl, showDeleted) {
				out = append(out, v1Worker(cl, wk))
			}
			writeJSON(w, http.StatusOK, out)
		}
	default:
		ikserror(w, http.StatusNotFound, "SIM404", "General", "ks-doctor-sim does not simulate GET "+r.URL.Path+".", "")
	}
}

// visible applies IKS scoping: only the token's account, and with
// X-Auth-Resource-Group (a group ID) only that group; without it every
// cluster of the account.
func (s *Server) visible(r *http.Request, c *claims) []*Cluster {
	if c.Account.BSS != s.sc.Account.ID {
		return nil
	}
	rg := r.Header.Get("X-Auth-Resource-Group")
	var out []*Cluster
	for i := range s.sc.Clusters {
		cl := &s.sc.Clusters[i]
		if rg == "" || s.groupID(cl) == rg {
			out = append(out, cl)
		}
	}
	return out
}

// findCluster resolves an id or name among the visible clusters, writing
// the real 404 G0004 when it is not there.
func (s *Server) findCluster(w http.ResponseWriter, r *http.Request, c *claims, idOrName string) *Cluster {
	if idOrName != "" {
		for _, cl := range s.visible(r, c) {
			if cl.ID == idOrName || cl.Name == idOrName {
				return cl
			}
		}
	}
	ikserror(w, http.StatusNotFound, "G0004", "General", descClusterNotFound, recoveryClusterLs)
	return nil
}

func (s *Server) groupID(cl *Cluster) string {
	if g := s.sc.GroupByName(cl.ResourceGroup); g != nil {
		return g.ID
	}
	return ""
}

func workers(cl *Cluster, showDeleted bool) []*Worker {
	var out []*Worker
	for i := range cl.Workers {
		if showDeleted || !cl.Workers[i].Deleted {
			out = append(out, &cl.Workers[i])
		}
	}
	return out
}

func zones(cl *Cluster) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, w := range workers(cl, false) {
		if !seen[w.Location] {
			seen[w.Location] = true
			out = append(out, w.Location)
		}
	}
	return out
}

// hashN gives stable per-cluster numbers (master port, server name) so the
// same scenario always produces the same bodies.
func hashN(s string, n uint32) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32() % n
}

func masterURL(cl *Cluster, private bool) string {
	host := fmt.Sprintf("c%d.%s.containers.cloud.ibm.com", 100+hashN(cl.ID, 20), cl.Region)
	if private {
		host = fmt.Sprintf("c%d.private.%s.containers.cloud.ibm.com", 100+hashN(cl.ID, 20), cl.Region)
	}
	return fmt.Sprintf("https://%s:%d", host, 30000+hashN(cl.ID+"port", 2767))
}

func (s *Server) common(cl *Cluster) map[string]any {
	paid := s.sc.Account.Type != "LITE" && s.sc.Account.Type != "TRIAL"
	return map[string]any{
		"id": cl.ID, "name": cl.Name, "region": cl.Region, "location": cl.Location,
		"resourceGroup": s.groupID(cl), "resourceGroupName": cl.ResourceGroup,
		"state": cl.State, "status": cl.Status, "type": "kubernetes", "provider": cl.Provider,
		"masterKubeVersion": cl.KubeVersion, "targetVersion": cl.KubeVersion,
		"workerCount": len(workers(cl, false)), "workerZones": zones(cl),
		"crn":         fmt.Sprintf("crn:v1:bluemix:public:containers-kubernetes:%s:a/%s:%s::", cl.Region, s.sc.Account.ID, cl.ID),
		"createdDate": cl.CreatedDate, "isPaid": paid, "multiAzCapable": true,
		"podSubnet": "172.30.0.0/16", "serviceSubnet": "172.21.0.0/16",
		"masterURL": masterURL(cl, false), "ownerEmail": s.sc.Account.Owner, "addons": []any{},
	}
}

// v1Cluster is the v1 Cluster shape: master fields at top level.
func (s *Server) v1Cluster(cl *Cluster) map[string]any {
	m := s.common(cl)
	m["dataCenter"] = cl.Datacenter
	m["masterState"] = cl.Master.State
	m["masterStatus"] = cl.Master.Status
	m["masterHealth"] = cl.Master.Health
	m["masterStatusModifiedDate"] = cl.CreatedDate
	m["modifiedDate"] = cl.CreatedDate
	m["serverURL"] = masterURL(cl, false)
	m["publicServiceEndpointEnabled"] = true
	m["publicServiceEndpointURL"] = masterURL(cl, false)
	m["privateServiceEndpointEnabled"] = false
	return m
}

// v2Cluster is the v2 GetClusterResponse shape: master fields under lifecycle.
func (s *Server) v2Cluster(cl *Cluster) map[string]any {
	m := s.common(cl)
	m["datacenter"] = cl.Datacenter
	m["lifecycle"] = map[string]any{
		"masterState": cl.Master.State, "masterStatus": cl.Master.Status, "masterHealth": cl.Master.Health,
		"masterStatusModifiedDate": cl.CreatedDate, "modifiedDate": cl.CreatedDate,
	}
	m["serviceEndpoints"] = map[string]any{
		"publicServiceEndpointEnabled": true, "publicServiceEndpointURL": masterURL(cl, false),
		"privateServiceEndpointEnabled": cl.Provider != "classic", "privateServiceEndpointURL": masterURL(cl, true),
	}
	m["ingress"] = map[string]any{
		"hostname":   fmt.Sprintf("%s-%x-0000.%s.containers.appdomain.cloud", cl.Name, hashN(cl.ID, 1<<31), cl.Region),
		"secretName": fmt.Sprintf("%s-%x-0000", cl.Name, hashN(cl.ID, 1<<31)), "status": "healthy", "message": "",
	}
	m["entitlement"] = ""
	return m
}

func poolID(cl *Cluster, w *Worker) string {
	return fmt.Sprintf("%s-%07x", cl.ID, hashN(cl.ID+"/"+w.PoolName, 1<<28))
}

// v1Worker is the v1 Worker shape (note the lowercase poolid/privateVlan).
func v1Worker(cl *Cluster, w *Worker) map[string]any {
	isolation := "public"
	if cl.Provider != "classic" {
		isolation = ""
	}
	return map[string]any{
		"id": w.ID, "state": w.State, "status": w.Status, "statusDate": "", "statusDetails": "",
		"errorMessage": w.Message, "errorMessageDate": "", "pendingOperation": "", "reasonForDelete": "",
		"privateIP": w.PrivateIP, "publicIP": w.PublicIP, "privateVlan": w.PrivateVlan, "publicVlan": w.PublicVlan,
		"machineType": w.Flavor, "isolation": isolation, "location": w.Location,
		"poolid": poolID(cl, w), "poolName": w.PoolName,
		"kubeVersion": w.KubeVersion, "targetVersion": cl.KubeVersion, "versionEOS": "", "masterVersionEOS": "",
		"trustedStatus": "unsupported",
	}
}

// actualState derives v2 lifecycle.actualState from the v1-style state:
// health problems (critical, warning ...) leave the lifecycle "deployed".
func actualState(state string) string {
	switch state {
	case "provisioning", "provision_pending", "provision_failed", "deploying", "deploy_failed",
		"reloading", "reload_pending", "reload_failed", "deleting", "deleted":
		return state
	}
	return "deployed"
}

// v2Worker is the v2 GetWorkerResponse shape.
func v2Worker(cl *Cluster, w *Worker) map[string]any {
	desired := "deployed"
	if w.Deleted {
		desired = "deleted"
	}
	m := map[string]any{
		"id": w.ID, "flavor": w.Flavor, "location": w.Location,
		"poolID": poolID(cl, w), "poolName": w.PoolName,
		"health": map[string]any{"state": w.State, "message": w.Status},
		"lifecycle": map[string]any{
			"desiredState": desired, "actualState": actualState(w.State), "message": w.Message,
			"messageDate": "", "messageDetails": "", "messageDetailsDate": "", "pendingOperation": "", "reasonForDelete": "",
		},
		"kubeVersion":       map[string]any{"actual": w.KubeVersion, "desired": cl.KubeVersion, "target": cl.KubeVersion, "eos": "", "masterEOS": ""},
		"networkInterfaces": []any{},
	}
	if ip := net.ParseIP(w.PrivateIP).To4(); ip != nil {
		m["networkInterfaces"] = []any{map[string]any{
			"cidr":      (&net.IPNet{IP: ip.Mask(net.CIDRMask(24, 32)), Mask: net.CIDRMask(24, 32)}).String(),
			"ipAddress": w.PrivateIP, "primary": true,
		}}
	}
	return m
}
