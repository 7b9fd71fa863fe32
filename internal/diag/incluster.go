package diag

import (
	"errors"
	"net"
	"strconv"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

const (
	DocKubectl        = "https://cloud.ibm.com/docs/containers?topic=containers-cs_cli_install#kubectl"
	DocDuplicateNodes = "https://cloud.ibm.com/docs/containers?topic=containers-debug_worker_nodes#cs_duplicate_nodes"
)

var kubectlSkew = Check{
	ID: "kubectl.skew", Category: "local", Seed: "001",
	Needs: []facts.Key{facts.KeyCluster, facts.KeyKubectl},
	Reads: []string{"ibmcloud ks cluster get", "kubectl version --client"},
	Doc:   DocKubectl, Scope: ClusterScope,
	Judge: judgeKubectlSkew,
}

// Seed 001 "Make sure that your kubectl CLI client matches the same
// Kubernetes version as your cluster server": Kubernetes supports kubectl
// within one minor version of kube-apiserver
// (https://kubernetes.io/releases/version-skew-policy/#kubectl). The
// client is on this machine, not in IBM Cloud, so the finding is at most
// info: it never fails a run, nor makes it unknown. OpenShift clusters
// are compared by the Kubernetes version they run (`oc` embeds kubectl).
func judgeKubectlSkew(s *facts.Set) []Finding {
	if s.Cluster.Err != nil {
		return []Finding{unknownRead(s.Cluster.Err)}
	}
	c := s.Cluster.Value
	k := s.Kubectl.Value
	p := map[string]string{"cluster": c.Name, "version": c.Version, "client": k.Version}
	if err := s.Kubectl.Err; err != nil {
		var na *facts.NoAccessError
		if errors.As(err, &na) {
			return []Finding{{Status: Skipped, Key: "kubectl.skew.not-read", Params: p}}
		}
		p["error"] = err.Error()
		return []Finding{{Status: Info, Key: "kubectl.skew.unreadable", Params: p}}
	}
	if !k.Found {
		return []Finding{{Status: Info, Key: "kubectl.skew.absent", Params: p}}
	}
	v, ok := facts.ParseVersion(c.Version)
	if !ok {
		return []Finding{{Status: Info, Key: "kubectl.skew.unreadable", Params: p}}
	}
	major, minor := v.Kubernetes()
	p["server"] = strconv.Itoa(major) + "." + strconv.Itoa(minor)
	p["clientMinor"] = strconv.Itoa(k.Major) + "." + strconv.Itoa(k.Minor)
	if k.Major == major && k.Minor >= minor-1 && k.Minor <= minor+1 {
		return []Finding{{Status: OK, Key: "kubectl.skew.ok", Params: p}}
	}
	return []Finding{{Status: Info, Key: "kubectl.skew.out", Params: p, Actor: User}}
}

// noAccess is the finding of an in-cluster check without access to the
// cluster's API: skipped, with the command that gives access, or, when
// the API server could not be reached, the one that shows its endpoints.
func noAccess(err error, c facts.Cluster) (Finding, bool) {
	var na *facts.NoAccessError
	if !errors.As(err, &na) {
		return Finding{}, false
	}
	fix := cmd("ibmcloud", "ks", "cluster", "config", "-c", c.Name)
	if na.Reason == "unreachable" {
		fix = cmd("ibmcloud", "ks", "cluster", "get", "-c", c.Name)
	}
	return Finding{Status: Skipped, Key: "incluster." + na.Reason, Actor: User,
		Params: map[string]string{"cluster": c.Name, "context": na.Context},
		Fix:    []string{fix}}, true
}

func inClusterErr(err error, c facts.Cluster) Finding {
	if f, ok := noAccess(err, c); ok {
		return f
	}
	return unknownRead(err)
}

var nodesDuplicate = Check{
	ID: "nodes.duplicate", Category: "in-cluster", Seed: "001",
	Needs: []facts.Key{facts.KeyNodes, facts.KeyWorkers},
	Reads: []string{"kubectl get nodes", "ibmcloud ks worker ls"},
	Doc:   DocDuplicateNodes, Scope: ClusterScope,
	Judge: judgeDuplicateNodes,
}

// Seed 001 §cs_duplicate_nodes: after a reload or update, a NotReady node
// named by a public IP remains beside the Ready node named by the
// worker's private IP. Only the cluster's API shows it. A NotReady node is
// such a leftover only when its worker is also another node: the node's
// name is a worker's public IP and that worker has a node under its
// private IP, or another node carries the same worker-id label. Older
// clusters named every node by its public IP, so a NotReady node under a
// public IP with no second node for its worker is a worker that is down
// (workers.state's business), and deleting it would help nothing. Without
// the worker list and without a label to tie them, it is unknown.
func judgeDuplicateNodes(s *facts.Set) []Finding {
	c := s.Cluster.Value
	if s.Nodes.Err != nil {
		return []Finding{inClusterErr(s.Nodes.Err, c)}
	}
	named := map[string]bool{}  // node names
	byLabel := map[string]int{} // worker-id label → nodes that carry it
	for _, n := range s.Nodes.Value {
		named[n.Name] = true
		if n.WorkerID != "" {
			byLabel[n.WorkerID]++
		}
	}
	privateOf := map[string]string{} // a live worker's public IP → its private IP
	if s.Workers.Err == nil {
		for _, w := range s.Workers.Value {
			if w.PublicIP != "" && !w.Deleted {
				privateOf[w.PublicIP] = w.PrivateIP
			}
		}
	}
	var stale []string
	untied := false // a NotReady public-IP node that only the worker list could tie to a worker
	for _, n := range s.Nodes.Value {
		ip := net.ParseIP(n.Name)
		if n.Ready || ip == nil || ip.IsPrivate() || ip.IsLoopback() {
			continue
		}
		private, known := privateOf[n.Name]
		switch {
		case n.WorkerID != "" && byLabel[n.WorkerID] > 1, known && private != "" && named[private]:
			stale = append(stale, n.Name)
		case s.Workers.Err != nil:
			untied = true
		}
	}
	p := map[string]string{"cluster": c.Name, "count": itoa(len(s.Nodes.Value))}
	if len(stale) == 0 {
		if untied {
			return []Finding{unknownRead(s.Workers.Err)}
		}
		return []Finding{{Status: OK, Key: "nodes.duplicate.none", Params: p}}
	}
	p["nodes"] = strings.Join(stale, ", ")
	return []Finding{{Status: Warn, Key: "nodes.duplicate.found", Params: p, Actor: User, Subject: stale[0],
		Fix: []string{cmd("kubectl", "get", "nodes"), cmd(append([]string{"kubectl", "delete", "node"}, stale...)...)}}}
}

var calicoStaleNode = Check{
	ID: "calico.stale-node", Category: "in-cluster", Seed: "001",
	Needs: []facts.Key{facts.KeyCalicoNodes, facts.KeyNodes, facts.KeyWorkers},
	Reads: []string{"calicoctl get nodes", "kubectl get nodes", "ibmcloud ks worker ls --show-deleted"},
	Doc:   DocDuplicateIP, Scope: ClusterScope,
	Judge: judgeCalicoStaleNode,
}

// Seed 001 §cs_nodes_duplicate_ip, seen from inside: a Calico node object
// that is no longer a Kubernetes node but still holds an IP a live node
// uses makes Calico route that IP to the deleted node. workers.duplicate-ip
// sees the IKS side; this sees the Calico object itself. A Calico node is
// a live node's own when it is named like it (its private IP, on current
// clusters), refers to it (orchRefs), or is named by a live worker's ID,
// as on the older clusters seed 001 shows (`calicoctl get nodes` lists
// kube-dal10-…-w1): only the others can be stale.
func judgeCalicoStaleNode(s *facts.Set) []Finding {
	c := s.Cluster.Value
	if s.CalicoNodes.Err != nil {
		return []Finding{inClusterErr(s.CalicoNodes.Err, c)}
	}
	p := map[string]string{"cluster": c.Name}
	if !s.CalicoNodes.Value.Served {
		return []Finding{{Status: Info, Key: "calico.stale-node.not-served", Params: p, Actor: User,
			Fix: []string{"calicoctl get nodes --config=<path_to_file>/calicoctl.cfg"}}}
	}
	if s.Nodes.Err != nil {
		return []Finding{inClusterErr(s.Nodes.Err, c)}
	}
	live := map[string]bool{}       // names of live nodes, and live workers' IDs
	liveByIP := map[string]string{} // IP → the live worker (or node) that holds it
	for _, n := range s.Nodes.Value {
		live[n.Name] = true
		if n.WorkerID != "" {
			live[n.WorkerID] = true
		}
		if n.InternalIP != "" {
			liveByIP[n.InternalIP] = orPlaceholder(n.WorkerID, n.Name)
		}
	}
	deleted := map[string]bool{}
	if s.Workers.Err == nil {
		for _, w := range s.Workers.Value {
			switch {
			case w.Deleted:
				deleted[w.ID] = true
			default:
				live[w.ID] = true
				if w.PrivateIP != "" {
					liveByIP[w.PrivateIP] = w.ID
				}
			}
		}
	}
	var out []Finding
	for _, cn := range s.CalicoNodes.Value.Nodes {
		if live[cn.Name] || cn.NodeName != "" && live[cn.NodeName] {
			continue
		}
		live, reused := liveByIP[cn.IPv4]
		fp := map[string]string{"cluster": c.Name, "node": cn.Name, "ip": cn.IPv4, "live": live}
		f := Finding{Subject: cn.Name, Params: fp, Actor: User, Doc: DocDuplicateIP}
		del := cmd("calicoctl", "delete", "node", cn.Name) + " --config=<path_to_file>/calicoctl.cfg"
		switch {
		case reused && cn.IPv4 != "" || deleted[cn.Name]:
			f.Status, f.Key = Warn, "calico.stale-node.found"
			f.Fix = []string{"calicoctl get nodes --config=<path_to_file>/calicoctl.cfg", del}
			if live != "" && net.ParseIP(live) == nil { // a worker ID: reboot it once Calico forgot the old node
				f.Fix = append(f.Fix, cmd("ibmcloud", "ks", "worker", "reboot", "--cluster", c.Name, "--worker", live))
			}
		default:
			f.Status, f.Key, f.Fix = Info, "calico.stale-node.leftover", []string{del}
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		p["count"] = itoa(len(s.CalicoNodes.Value.Nodes))
		return []Finding{{Status: OK, Key: "calico.stale-node.none", Params: p}}
	}
	return out
}
