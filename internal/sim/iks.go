package sim

import (
	"fmt"
	"hash/fnv"
	"net"
	"net/http"
	"slices"
	"strings"
)

const (
	descClusterNotFound = "The specified cluster could not be found. If applicable, make sure that you target the correct account and resource group."
	recoveryClusterLs   = "To list the clusters you have access to, run 'ibmcloud ks cluster ls'. To list the resource groups that you have access to, run 'ibmcloud resource groups'. To target the resource group, run 'ibmcloud target -g <resource_group>'."
)

// iks serves the read-only Kubernetes Service calls (reference §5,
// Appendix A); p is the path below /iks/global.
func (s *Server) iks(w http.ResponseWriter, r *http.Request, p string) {
	c, ok := s.bearer(w, r, "A0003", "Your IAM token could not be verified. Log in again and retry.")
	if !ok {
		return
	}
	q := r.URL.Query()
	showDeleted := q.Get("showDeleted") == "true"
	seg := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case p == "/v1/clusters":
		// The v1 list returns classic clusters only, OpenShift on classic
		// included; VPC and Satellite clusters are v2 resources
		// (container-services-go-sdk: ClassicGetClusters/VpcGetClusters are
		// the per-provider v2 lists; terraform-provider-ibm issue #1363:
		// classic and VPC clusters are separated "based on their API
		// endpoint version") [I].
		out := []map[string]any{}
		for _, cl := range s.visible(r, c) {
			if cl.Provider == "classic" {
				out = append(out, s.v1Cluster(cl))
			}
		}
		writeJSON(w, http.StatusOK, out)
	case p == "/v2/vpc/getClusters", p == "/v2/classic/getClusters", p == "/v2/satellite/getClusters":
		provider := q.Get("provider")
		if p == "/v2/classic/getClusters" {
			provider = "classic"
		}
		if p == "/v2/satellite/getClusters" {
			provider = "satellite" // [I] the Satellite list of the same shape
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
	case p == "/v2/getCluster", p == "/v2/vpc/getCluster", p == "/v2/classic/getCluster", p == "/v2/satellite/getCluster":
		if cl := s.findCluster(w, r, c, q.Get("cluster")); cl != nil {
			writeJSON(w, http.StatusOK, s.v2Cluster(cl))
		}
	case p == "/v2/getWorkers", p == "/v2/classic/getWorkers", p == "/v2/vpc/getWorkers":
		if cl := s.findCluster(w, r, c, q.Get("cluster")); cl != nil {
			out := []map[string]any{}
			for _, wk := range workers(cl, showDeleted, q.Get("pool")) {
				out = append(out, s.v2Worker(cl, wk))
			}
			writeJSON(w, http.StatusOK, out)
		}
	case p == "/v2/getWorker", p == "/v2/classic/getWorker", p == "/v2/vpc/getWorker":
		if cl := s.findCluster(w, r, c, q.Get("cluster")); cl != nil {
			if wk := findWorker(w, cl, q.Get("worker")); wk != nil {
				writeJSON(w, http.StatusOK, s.v2Worker(cl, wk))
			}
		}
	case p == "/v2/getWorkerPools", p == "/v2/classic/getWorkerPools", p == "/v2/vpc/getWorkerPools":
		// Always an array: the SDK types the classic/vpc variants as one
		// object, but the server (and bluemix-go) return a list.
		if cl := s.findCluster(w, r, c, q.Get("cluster")); cl != nil {
			out := []map[string]any{}
			for i := range cl.WorkerPools {
				out = append(out, s.v2Pool(cl, &cl.WorkerPools[i]))
			}
			writeJSON(w, http.StatusOK, out)
		}
	case p == "/v2/getWorkerPool", p == "/v2/classic/getWorkerPool", p == "/v2/vpc/getWorkerPool":
		if cl := s.findCluster(w, r, c, q.Get("cluster")); cl != nil {
			if wp := findPool(w, cl, q.Get("workerpool")); wp != nil {
				writeJSON(w, http.StatusOK, s.v2Pool(cl, wp))
			}
		}
	case p == "/v1/versions":
		writeJSON(w, http.StatusOK, s.sc.versionsBody())
	case p == "/v1/credentials":
		s.credentials(w, r, c)
	case p == "/v1/infra-permissions":
		s.infraPermissions(w, r, c)
	case p == "/v1/user-config":
		s.userConfig(w, r, c)
	case len(seg) == 3 && seg[0] == "v1" && seg[1] == "clusters":
		if cl := s.findCluster(w, r, c, seg[2]); cl != nil {
			writeJSON(w, http.StatusOK, s.v1Cluster(cl))
		}
	case len(seg) == 4 && seg[0] == "v1" && seg[1] == "clusters" && seg[3] == "workers":
		if cl := s.findCluster(w, r, c, seg[2]); cl != nil {
			out := []map[string]any{}
			for _, wk := range workers(cl, showDeleted, q.Get("pool")) {
				out = append(out, v1Worker(cl, wk))
			}
			writeJSON(w, http.StatusOK, out)
		}
	case len(seg) == 5 && seg[0] == "v1" && seg[1] == "clusters" && seg[3] == "workers":
		if cl := s.findCluster(w, r, c, seg[2]); cl != nil {
			if wk := findWorker(w, cl, seg[4]); wk != nil {
				writeJSON(w, http.StatusOK, v1Worker(cl, wk))
			}
		}
	case len(seg) == 4 && seg[0] == "v1" && seg[1] == "clusters" && seg[3] == "workerpools":
		if cl := s.findCluster(w, r, c, seg[2]); cl != nil {
			out := []map[string]any{}
			for i := range cl.WorkerPools {
				out = append(out, s.v1Pool(cl, &cl.WorkerPools[i]))
			}
			writeJSON(w, http.StatusOK, out)
		}
	case len(seg) == 5 && seg[0] == "v1" && seg[1] == "clusters" && seg[3] == "workerpools":
		if cl := s.findCluster(w, r, c, seg[2]); cl != nil {
			if wp := findPool(w, cl, seg[4]); wp != nil {
				writeJSON(w, http.StatusOK, s.v1Pool(cl, wp))
			}
		}
	case len(seg) == 4 && seg[0] == "v1" && seg[1] == "clusters" && seg[3] == "subnets":
		if cl := s.findCluster(w, r, c, seg[2]); cl != nil {
			writeJSON(w, http.StatusOK, clusterSubnets(cl))
		}
	case len(seg) == 4 && seg[0] == "v1" && seg[1] == "logging" && seg[3] == "clusterkeyowner":
		s.clusterKeyOwner(w, r, c, seg[2])
	case len(seg) == 4 && seg[0] == "v1" && seg[1] == "datacenters" && seg[3] == "vlans":
		s.datacenterVLANs(w, r, c, seg[2])
	default:
		s.notSimulated(w, r)
	}
}

// visible applies IKS scoping: only the token's account, and with
// X-Auth-Resource-Group (a group ID; GetClusterKeyOwner sends it as
// X-Auth-Resource-Group-Id) only that group; without it every cluster of
// the account.
func (s *Server) visible(r *http.Request, c *caller) []*Cluster {
	if !c.home(s.sc) {
		return nil
	}
	rg := groupHeader(r)
	var out []*Cluster
	for i := range s.sc.Clusters {
		cl := &s.sc.Clusters[i]
		if rg == "" || s.groupID(cl) == rg {
			out = append(out, cl)
		}
	}
	return out
}

// groupHeader is the resource group ID a request is scoped to, "" for none.
func groupHeader(r *http.Request) string {
	if rg := r.Header.Get("X-Auth-Resource-Group"); rg != "" {
		return rg
	}
	return r.Header.Get("X-Auth-Resource-Group-Id")
}

// findCluster resolves an id or name among the visible clusters, writing
// the real 404 G0004 when it is not there.
func (s *Server) findCluster(w http.ResponseWriter, r *http.Request, c *caller, idOrName string) *Cluster {
	if cl := s.clusterByKey(idOrName); cl != nil && idOrName != "" && c.home(s.sc) {
		if rg := groupHeader(r); rg == "" || s.groupID(cl) == rg {
			return cl
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

func workers(cl *Cluster, showDeleted bool, pool string) []*Worker {
	var out []*Worker
	for i := range cl.Workers {
		w := &cl.Workers[i]
		if (showDeleted || !w.Deleted) && (pool == "" || pool == w.PoolName || pool == poolID(cl, w.PoolName)) {
			out = append(out, w)
		}
	}
	return out
}

// findWorker finds a worker that is not deleted, writing the real 404
// E0011 otherwise (seed 001: `worker get` after `worker rm`).
func findWorker(w http.ResponseWriter, cl *Cluster, id string) *Worker {
	for _, wk := range workers(cl, false, "") {
		if wk.ID == id {
			return wk
		}
	}
	ikserror(w, http.StatusNotFound, "E0011", "General", "The specified worker node could not be found.",
		"To list the worker nodes in the cluster, run 'ibmcloud ks worker ls --cluster "+cl.Name+"'.")
	return nil
}

// findPool finds a worker pool by name or id.
func findPool(w http.ResponseWriter, cl *Cluster, nameOrID string) *WorkerPool {
	for i := range cl.WorkerPools {
		if p := &cl.WorkerPools[i]; p.Name == nameOrID || poolID(cl, p.Name) == nameOrID {
			return p
		}
	}
	// [I] the real code for an unknown pool is not known.
	ikserror(w, http.StatusNotFound, "SIM404", "General", "The specified worker pool could not be found.",
		"To list the worker pools in the cluster, run 'ibmcloud ks worker-pool ls --cluster "+cl.Name+"'.")
	return nil
}

func zones(cl *Cluster) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, w := range workers(cl, false, "") {
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
	paid := !freeAccountType(s.sc.Account.Type)
	return map[string]any{
		"id": cl.ID, "name": cl.Name, "region": cl.Region, "location": cl.Location,
		"resourceGroup": s.groupID(cl), "resourceGroupName": cl.ResourceGroup,
		"state": cl.State, "status": cl.Status, "type": cl.Type, "provider": cl.Provider,
		"masterKubeVersion": cl.KubeVersion, "targetVersion": cl.TargetVersion, "versionEOS": cl.VersionEOS,
		"workerCount": len(workers(cl, false, "")), "workerZones": zones(cl),
		"crn":         fmt.Sprintf("crn:v1:bluemix:public:containers-kubernetes:%s:a/%s:%s::", cl.Region, s.sc.Account.ID, cl.ID),
		"createdDate": cl.CreatedDate, "isPaid": paid, "multiAzCapable": true,
		"podSubnet": "172.30.0.0/16", "serviceSubnet": "172.21.0.0/16",
		"masterURL": masterURL(cl, false), "ownerEmail": s.sc.Account.Owner, "addons": []any{},
		"apiUser": s.apiUser(cl),
	}
}

// apiUser is the "Infrastructure User" the console shows for a cluster
// (seed 001 #orphaned) [I]: the manually set credentials' user of its
// region and group, "" when the linked account is used.
func (s *Server) apiUser(cl *Cluster) string {
	if cr := s.sc.credentialFor(cl.Region, cl.ResourceGroup); cr != nil {
		return cr.Username
	}
	return ""
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
	if cl.Provider == "satellite" {
		satelliteFields(m, cl)
	}
	if strings.HasPrefix(cl.Provider, "vpc") {
		// Not in the SDK model, but the real API sends it (bluemix-go).
		vpcs := []string{}
		for _, w := range workers(cl, false, "") {
			if vp, _ := s.subnetOf(cl.Region, w.PrivateIP); vp != nil && !slices.Contains(vpcs, vp.ID) {
				vpcs = append(vpcs, vp.ID)
			}
		}
		m["vpcs"] = vpcs
	}
	return m
}

func poolID(cl *Cluster, pool string) string {
	return fmt.Sprintf("%s-%07x", cl.ID, hashN(cl.ID+"/"+pool, 1<<28))
}

// v1Worker is the v1 Worker shape (note the lowercase poolid/privateVlan).
func v1Worker(cl *Cluster, w *Worker) map[string]any {
	return map[string]any{
		"id": w.ID, "state": w.State, "status": w.Status, "statusDate": w.StatusDate, "statusDetails": "",
		"errorMessage": w.Message, "errorMessageDate": messageDate(w), "pendingOperation": "", "reasonForDelete": "",
		"privateIP": w.PrivateIP, "publicIP": w.PublicIP, "privateVlan": w.PrivateVlan, "publicVlan": w.PublicVlan,
		"machineType": w.Flavor, "isolation": isolation(cl), "location": w.Location,
		"poolid": poolID(cl, w.PoolName), "poolName": w.PoolName,
		"kubeVersion": w.KubeVersion, "targetVersion": w.TargetVersion, "versionEOS": "", "masterVersionEOS": cl.VersionEOS,
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

func messageDate(w *Worker) string {
	if w.Message == "" {
		return ""
	}
	return w.StatusDate
}

// v2Worker is the v2 GetWorkerResponse shape; a VPC worker's interface
// names the subnet that holds its IP.
func (s *Server) v2Worker(cl *Cluster, w *Worker) map[string]any {
	desired := "deployed"
	if w.Deleted {
		desired = "deleted"
	}
	m := map[string]any{
		"id": w.ID, "flavor": w.Flavor, "location": w.Location,
		"poolID": poolID(cl, w.PoolName), "poolName": w.PoolName,
		"health": map[string]any{"state": w.State, "message": w.Status},
		"lifecycle": map[string]any{
			"desiredState": desired, "actualState": actualState(w.State), "message": w.Message,
			"messageDate": messageDate(w), "messageDetails": "", "messageDetailsDate": "", "pendingOperation": "", "reasonForDelete": "",
		},
		"kubeVersion":       map[string]any{"actual": w.KubeVersion, "desired": cl.KubeVersion, "target": w.TargetVersion, "eos": "", "masterEOS": cl.VersionEOS},
		"networkInterfaces": []any{},
	}
	if ip := net.ParseIP(w.PrivateIP).To4(); ip != nil {
		nic := map[string]any{
			"cidr":      (&net.IPNet{IP: ip.Mask(net.CIDRMask(24, 32)), Mask: net.CIDRMask(24, 32)}).String(),
			"ipAddress": w.PrivateIP, "primary": true,
		}
		if _, sn := s.subnetOf(cl.Region, w.PrivateIP); sn != nil {
			nic["cidr"], nic["subnetID"] = sn.CIDR, sn.ID
		}
		m["networkInterfaces"] = []any{nic}
	}
	return m
}
