package diag

import (
	"strings"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

const DocDebugWorkers = "https://cloud.ibm.com/docs/containers?topic=containers-debug_worker_nodes"

var clusterState = Check{
	ID: "cluster.state", Category: "cluster", Seed: "001",
	Needs: []facts.Key{facts.KeyCluster},
	Reads: []string{"ibmcloud ks cluster get"},
	Doc:   DocDebugWorkers, Scope: ClusterScope,
	Judge: judgeClusterState,
}

// pendingTooLong is when a cluster "stuck in the Pending state for a long
// time" (seed 001) becomes worth a warning: provisioning a cluster normally
// takes well under an hour.
const pendingTooLong = 2 * time.Hour

// Seed 001 §debug_worker_nodes step 1: a Critical, Delete failed or Warning
// cluster, or one pending for a long time, is debugged through its workers.
func judgeClusterState(s *facts.Set) []Finding {
	if s.Cluster.Err != nil {
		return []Finding{unknownRead(s.Cluster.Err)}
	}
	c := s.Cluster.Value
	p := map[string]string{"cluster": c.Name, "state": c.State, "status": c.Status, "masterHealth": c.MasterHealth, "masterState": c.MasterState}
	workers := []string{cmd("ibmcloud", "ks", "worker", "ls", "--cluster", c.Name)}
	switch strings.ToLower(c.State) {
	case "critical", "delete_failed", "deploy_failed", "aborted":
		return []Finding{{Status: Fail, Key: "cluster.state.critical", Params: p, Actor: User, Fix: workers}}
	case "warning":
		return []Finding{{Status: Warn, Key: "cluster.state.warning", Params: p, Actor: User, Fix: workers}}
	case "pending", "requested", "deploying":
		if !c.Created.IsZero() && s.Now.Sub(c.Created) > pendingTooLong {
			p["since"] = c.Created.UTC().Format("2006-01-02 15:04 UTC")
			return []Finding{{Status: Warn, Key: "cluster.state.stuck", Params: p, Actor: User, Fix: workers}}
		}
		return []Finding{{Status: Info, Key: "cluster.state.in-progress", Params: p}}
	}
	switch strings.ToLower(c.MasterHealth) {
	case "error", "unavailable":
		return []Finding{{Status: Fail, Key: "cluster.state.master", Params: p, Actor: User,
			Fix: []string{cmd("ibmcloud", "ks", "cluster", "get", "-c", c.Name), cmd("ibmcloud", "ks", "cluster", "master", "refresh", "-c", c.Name)}}}
	}
	return []Finding{{Status: OK, Key: "cluster.state.ok", Params: p}}
}
