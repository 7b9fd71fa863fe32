package sim

import (
	"net/http"
)

const (
	descClusterNotFound = "The specified cluster could not be found. If applicable, make sure that you target the correct account and resource group."
	recoveryClusterLs   = "To list the clusters you have access to, run 'ibmcloud ks cluster ls'. To list the resource groups that you have access to, run 'ibmcloud resource groups'. To target the resource group, run 'ibmcloud target -g <resource_group>'."
)

// iksCaller is the gate of every IKS read: a token of this simulator, else
// 401 A0003.
func iksCaller(s *Server, w http.ResponseWriter, r *http.Request) (*caller, bool) {
	return s.bearer(w, r, "A0003", "Your IAM token could not be verified. Log in again and retry.")
}

// listClustersV1 serves GET /v1/clusters: classic clusters only, OpenShift
// on classic included; VPC and Satellite clusters are v2 resources
// (container-services-go-sdk: ClassicGetClusters/VpcGetClusters are the
// per-provider v2 lists; terraform-provider-ibm issue #1363: classic and
// VPC clusters are separated "based on their API endpoint version") [I].
func (s *Server) listClustersV1(w http.ResponseWriter, r *http.Request, c *caller) {
	out := []map[string]any{}
	for _, cl := range s.visible(r, c) {
		if cl.Provider == "classic" {
			out = append(out, s.v1Cluster(cl))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// clusterListV2 serves a v2 cluster list of one provider; "" takes the
// provider query parameter, and without one every provider is listed
// (bluemix-go uses the VPC list as its list-all call). The Satellite list
// has the same shape [I].
func clusterListV2(provider string) func(s *Server, w http.ResponseWriter, r *http.Request, c *caller) {
	return func(s *Server, w http.ResponseWriter, r *http.Request, c *caller) {
		want := provider
		if want == "" {
			want = r.URL.Query().Get("provider")
		}
		out := []map[string]any{}
		for _, cl := range s.visible(r, c) {
			if want == "" || cl.Provider == want {
				out = append(out, s.v2Cluster(cl))
			}
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// getClusterV1 serves GET /v1/clusters/{cluster}, of any provider.
func (s *Server) getClusterV1(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl := s.namedCluster(w, r, c); cl != nil {
		writeJSON(w, http.StatusOK, s.v1Cluster(cl))
	}
}

// getClusterV2 serves GET /v2/getCluster and its provider variants.
func (s *Server) getClusterV2(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl := s.namedCluster(w, r, c); cl != nil {
		writeJSON(w, http.StatusOK, s.v2Cluster(cl))
	}
}

// listWorkersV1 serves GET /v1/clusters/{cluster}/workers.
func (s *Server) listWorkersV1(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl := s.namedCluster(w, r, c); cl != nil {
		writeJSON(w, http.StatusOK, listedWorkers(r, cl, v1Worker))
	}
}

// listWorkersV2 serves GET /v2/getWorkers and its provider variants.
func (s *Server) listWorkersV2(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl := s.namedCluster(w, r, c); cl != nil {
		writeJSON(w, http.StatusOK, listedWorkers(r, cl, s.v2Worker))
	}
}

// listedWorkers renders a cluster's workers in one shape, narrowed by the
// showDeleted and pool query parameters.
func listedWorkers(r *http.Request, cl *Cluster, shape func(*Cluster, *Worker) map[string]any) []map[string]any {
	q := r.URL.Query()
	out := []map[string]any{}
	for _, wk := range workers(cl, q.Get("showDeleted") == "true", q.Get("pool")) {
		out = append(out, shape(cl, wk))
	}
	return out
}

// getWorkerV1 serves GET /v1/clusters/{cluster}/workers/{worker}.
func (s *Server) getWorkerV1(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl, wk := s.namedWorker(w, r, c); wk != nil {
		writeJSON(w, http.StatusOK, v1Worker(cl, wk))
	}
}

// getWorkerV2 serves GET /v2/getWorker and its provider variants.
func (s *Server) getWorkerV2(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl, wk := s.namedWorker(w, r, c); wk != nil {
		writeJSON(w, http.StatusOK, s.v2Worker(cl, wk))
	}
}

// listPoolsV1 serves GET /v1/clusters/{cluster}/workerpools.
func (s *Server) listPoolsV1(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl := s.namedCluster(w, r, c); cl != nil {
		writeJSON(w, http.StatusOK, listedPools(cl, s.v1Pool))
	}
}

// listPoolsV2 serves GET /v2/getWorkerPools and its provider variants:
// always a JSON array; the SDK types the classic and vpc variants as one
// object, but the server (and bluemix-go) return a list.
func (s *Server) listPoolsV2(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl := s.namedCluster(w, r, c); cl != nil {
		writeJSON(w, http.StatusOK, listedPools(cl, s.v2Pool))
	}
}

// listedPools renders a cluster's worker pools in one shape.
func listedPools(cl *Cluster, shape func(*Cluster, *WorkerPool) map[string]any) []map[string]any {
	out := []map[string]any{}
	for i := range cl.WorkerPools {
		out = append(out, shape(cl, &cl.WorkerPools[i]))
	}
	return out
}

// getPoolV1 serves GET /v1/clusters/{cluster}/workerpools/{pool}.
func (s *Server) getPoolV1(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl, wp := s.namedPool(w, r, c); wp != nil {
		writeJSON(w, http.StatusOK, s.v1Pool(cl, wp))
	}
}

// getPoolV2 serves GET /v2/getWorkerPool and its provider variants.
func (s *Server) getPoolV2(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl, wp := s.namedPool(w, r, c); wp != nil {
		writeJSON(w, http.StatusOK, s.v2Pool(cl, wp))
	}
}

// listClusterSubnets serves GET /v1/clusters/{cluster}/subnets.
func (s *Server) listClusterSubnets(w http.ResponseWriter, r *http.Request, c *caller) {
	if cl := s.namedCluster(w, r, c); cl != nil {
		writeJSON(w, http.StatusOK, clusterSubnets(cl))
	}
}

// listVersions serves GET /v1/versions.
func (s *Server) listVersions(w http.ResponseWriter, _ *http.Request, _ *caller) {
	writeJSON(w, http.StatusOK, s.sc.versionsBody())
}

// pathOrQuery is what a v1 call names in its path (the wildcard) and a v2
// call in its query (the parameter).
func pathOrQuery(r *http.Request, wildcard, param string) string {
	if v := r.PathValue(wildcard); v != "" {
		return v
	}
	return r.URL.Query().Get(param)
}

// namedCluster finds the cluster a request names among those the caller
// sees, writing the real 404 G0004 when it is not there.
func (s *Server) namedCluster(w http.ResponseWriter, r *http.Request, c *caller) *Cluster {
	return s.findCluster(w, r, c, pathOrQuery(r, "cluster", "cluster"))
}

// namedWorker finds the cluster and the worker a request names (404 E0011
// for a worker that is not there, or deleted).
func (s *Server) namedWorker(w http.ResponseWriter, r *http.Request, c *caller) (*Cluster, *Worker) {
	if cl := s.namedCluster(w, r, c); cl != nil {
		return cl, findWorker(w, cl, pathOrQuery(r, "worker", "worker"))
	}
	return nil, nil
}

// namedPool finds the cluster and the worker pool a request names.
func (s *Server) namedPool(w http.ResponseWriter, r *http.Request, c *caller) (*Cluster, *WorkerPool) {
	if cl := s.namedCluster(w, r, c); cl != nil {
		return cl, findPool(w, cl, pathOrQuery(r, "pool", "workerpool"))
	}
	return nil, nil
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
