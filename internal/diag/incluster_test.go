package diag

import (
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

func withKubectl(k facts.Kubectl, err error, version string) *facts.Set {
	return world("classic", func(s *facts.Set) {
		s.Cluster.Value.Version = version
		s.Kubectl = facts.Slot[facts.Kubectl]{Loaded: true, Value: k, Err: err}
	})
}

func kubectl(minor int) facts.Kubectl {
	return facts.Kubectl{Found: true, Version: "v1." + itoa(minor) + ".3", Major: 1, Minor: minor}
}

func TestKubectlSkew(t *testing.T) {
	run(t, via(kubectlSkew), []tcase{
		tc("same minor", withKubectl(kubectl(30), nil, "1.30.4_1532"), OK, "kubectl.skew.ok"),
		tc("one newer", withKubectl(kubectl(31), nil, "1.30.4_1532"), OK, "kubectl.skew.ok"),
		tc("one older", withKubectl(kubectl(29), nil, "1.30.4_1532"), OK, "kubectl.skew.ok"),
		tc("two newer", withKubectl(kubectl(32), nil, "1.30.4_1532"), Info, "kubectl.skew.out"),
		tc("two older", withKubectl(kubectl(28), nil, "1.30.4_1532"), Info, "kubectl.skew.out"),
		tc("openshift 4.16 runs 1.29", withKubectl(kubectl(29), nil, "4.16.12_1545_openshift"), OK, "kubectl.skew.ok"),
		tc("openshift 4.16 with kubectl 1.32", withKubectl(kubectl(32), nil, "4.16.12_1545_openshift"), Info, "kubectl.skew.out"),
		tc("absent", withKubectl(facts.Kubectl{}, nil, "1.30.4_1532"), Info, "kubectl.skew.absent"),
		tc("unreadable output", withKubectl(facts.Kubectl{}, e500, "1.30.4_1532"), Info, "kubectl.skew.unreadable"),
		tc("cluster version unreadable", withKubectl(kubectl(30), nil, "latest"), Info, "kubectl.skew.unreadable"),
		tc("not read by this command", withKubectl(facts.Kubectl{}, &facts.NoAccessError{Reason: "not-read"}, "1.30.4_1532"), Skipped, "kubectl.skew.not-read"),
		tc("cluster unreadable", world("classic", func(s *facts.Set) { s.Cluster.Err = e500 }), Unknown, "read.failed"),
	})
}

// inCluster is world() with the cluster's nodes as IKS names them: by
// private IP, labelled with their worker's ID.
func inCluster(edit func(*facts.Set)) *facts.Set {
	return world("classic", func(s *facts.Set) {
		s.Workers.Value[0].PublicIP, s.Workers.Value[1].PublicIP = "169.60.1.1", "169.60.1.2"
		s.Nodes = facts.Slot[[]facts.Node]{Loaded: true, Value: []facts.Node{
			{Name: "10.0.0.1", Ready: true, WorkerID: "w1", InternalIP: "10.0.0.1"},
			{Name: "10.0.0.2", Ready: true, WorkerID: "w2", InternalIP: "10.0.0.2"}}}
		s.CalicoNodes = facts.Slot[facts.CalicoNodes]{Loaded: true, Value: facts.CalicoNodes{Served: true, Nodes: []facts.CalicoNode{
			{Name: "10.0.0.1", NodeName: "10.0.0.1", IPv4: "10.0.0.1"}, {Name: "10.0.0.2", NodeName: "10.0.0.2", IPv4: "10.0.0.2"}}}}
		if edit != nil {
			edit(s)
		}
	})
}

func addNode(n facts.Node) func(*facts.Set) {
	return func(s *facts.Set) { s.Nodes.Value = append(s.Nodes.Value, n) }
}

func TestDuplicateNodes(t *testing.T) {
	run(t, via(nodesDuplicate), []tcase{
		tc("nodes by private IP, all Ready", inCluster(nil), OK, "nodes.duplicate.none"),
		tc("NotReady node named by a worker's public IP", inCluster(addNode(facts.Node{Name: "169.60.1.1"})), Warn, "nodes.duplicate.found"),
		// Without the worker list, only the worker-id label ties a NotReady
		// node to a worker that is also another node.
		tc("NotReady public-IP node, workers unreadable", inCluster(func(s *facts.Set) {
			addNode(facts.Node{Name: "169.61.9.9"})(s)
			s.Workers.Err = e500
		}), Unknown, "read.failed"),
		tc("NotReady public-IP node labelled as a worker that is another node, workers unreadable", inCluster(func(s *facts.Set) {
			addNode(facts.Node{Name: "169.61.9.9", WorkerID: "w1"})(s)
			s.Workers.Err = e500
		}), Warn, "nodes.duplicate.found"),
		// An older cluster names every node by its public IP: a NotReady one
		// whose worker has no other node is a worker that is down.
		tc("old cluster, a worker down under its public IP", inCluster(func(s *facts.Set) {
			s.Nodes.Value = []facts.Node{{Name: "169.60.1.1", WorkerID: "w1"}, {Name: "169.60.1.2", Ready: true, WorkerID: "w2"}}
		}), OK, "nodes.duplicate.none"),
		tc("NotReady public-IP node of no worker", inCluster(addNode(facts.Node{Name: "169.61.9.9"})), OK, "nodes.duplicate.none"),
		tc("NotReady node by private IP is not a duplicate", inCluster(addNode(facts.Node{Name: "10.0.0.3"})), OK, "nodes.duplicate.none"),
		tc("NotReady node with a host name", inCluster(addNode(facts.Node{Name: "kube-old"})), OK, "nodes.duplicate.none"),
		tc("no kubeconfig", inCluster(func(s *facts.Set) { s.Nodes.Err = &facts.NoAccessError{Reason: "no-kubeconfig"} }), Skipped, "incluster.no-kubeconfig"),
		tc("another cluster's context", inCluster(func(s *facts.Set) {
			s.Nodes.Err = &facts.NoAccessError{Reason: "other-context", Context: "other/c9"}
		}), Skipped, "incluster.other-context"),
		tc("IAM id-token expired", inCluster(func(s *facts.Set) {
			s.Nodes.Err = &facts.NoAccessError{Reason: "token-expired", Context: "mycluster/c1"}
		}), Skipped, "incluster.token-expired"),
		tc("RBAC role may not list nodes", inCluster(func(s *facts.Set) {
			s.Nodes.Err = &facts.NoAccessError{Reason: "forbidden", Context: "mycluster/c1"}
		}), Skipped, "incluster.forbidden"),
		tc("API server unreachable", inCluster(func(s *facts.Set) {
			s.Nodes.Err = &facts.NoAccessError{Reason: "unreachable", Context: "mycluster/c1"}
		}), Skipped, "incluster.unreachable"),
		tc("API denied", inCluster(func(s *facts.Set) { s.Nodes.Err = e403 }), Unknown, "read.denied"),
	})
	f := judgeDuplicateNodes(inCluster(func(s *facts.Set) {
		addNode(facts.Node{Name: "169.60.1.1"})(s)
		addNode(facts.Node{Name: "169.60.1.2"})(s)
	}))[0]
	if want := "kubectl delete node 169.60.1.1 169.60.1.2"; f.Fix[len(f.Fix)-1] != want {
		t.Errorf("fix %q, want %q", f.Fix, want)
	}
	skipped := judgeDuplicateNodes(inCluster(func(s *facts.Set) { s.Nodes.Err = &facts.NoAccessError{Reason: "no-kubeconfig"} }))[0]
	if len(skipped.Fix) != 1 || skipped.Fix[0] != "ibmcloud ks cluster config -c mycluster" {
		t.Errorf("skipped without how to get access: %+v", skipped)
	}
	// The kubeconfig is fine; where its API server can be reached from is
	// the question, and the cluster's endpoints answer it.
	offline := judgeDuplicateNodes(inCluster(func(s *facts.Set) { s.Nodes.Err = &facts.NoAccessError{Reason: "unreachable"} }))[0]
	if len(offline.Fix) != 1 || offline.Fix[0] != "ibmcloud ks cluster get -c mycluster" {
		t.Errorf("unreachable: %+v", offline)
	}
}

func TestCalicoStaleNode(t *testing.T) {
	stale := func(name, ip string) func(*facts.Set) {
		return func(s *facts.Set) {
			s.CalicoNodes.Value.Nodes = append(s.CalicoNodes.Value.Nodes, facts.CalicoNode{Name: name, IPv4: ip})
		}
	}
	run(t, via(calicoStaleNode), []tcase{
		tc("every Calico node is a node", inCluster(nil), OK, "calico.stale-node.none"),
		tc("deleted node holds a live worker's IP", inCluster(stale("kube-old-w1", "10.0.0.2")), Warn, "calico.stale-node.found"),
		tc("named by a deleted worker", inCluster(func(s *facts.Set) {
			stale("w0", "10.9.9.9")(s)
			s.Workers.Value = append(s.Workers.Value, facts.Worker{ID: "w0", Deleted: true, PrivateIP: "10.9.9.9"})
		}), Warn, "calico.stale-node.found"),
		tc("leftover without a live IP", inCluster(stale("kube-old-w9", "10.0.0.9")), Info, "calico.stale-node.leftover"),
		tc("known by its orchestrator ref", inCluster(func(s *facts.Set) {
			s.CalicoNodes.Value.Nodes = append(s.CalicoNodes.Value.Nodes, facts.CalicoNode{Name: "kube-w2", NodeName: "10.0.0.2", IPv4: "10.0.0.2"})
		}), OK, "calico.stale-node.none"),
		// Seed 001's older cluster: Calico nodes named by worker ID, without
		// orchestrator refs; the live worker's own is not stale, the
		// deleted one's is.
		tc("named by live workers' IDs", inCluster(func(s *facts.Set) {
			s.CalicoNodes.Value.Nodes = []facts.CalicoNode{{Name: "w1", IPv4: "10.0.0.1"}, {Name: "w2", IPv4: "10.0.0.2"}}
		}), OK, "calico.stale-node.none"),
		tc("named by worker IDs, one deleted whose IP was reused", inCluster(func(s *facts.Set) {
			s.CalicoNodes.Value.Nodes = []facts.CalicoNode{{Name: "w1", IPv4: "10.0.0.1"}, {Name: "w2", IPv4: "10.0.0.2"}, {Name: "w0", IPv4: "10.0.0.2"}}
			s.Workers.Value = append(s.Workers.Value, facts.Worker{ID: "w0", Deleted: true, PrivateIP: "10.0.0.2"})
		}), Warn, "calico.stale-node.found"),
		tc("named by a live worker's ID, nodes list without labels", inCluster(func(s *facts.Set) {
			for i := range s.Nodes.Value {
				s.Nodes.Value[i].WorkerID = ""
			}
			s.CalicoNodes.Value.Nodes = []facts.CalicoNode{{Name: "w1", IPv4: "10.0.0.1"}}
		}), OK, "calico.stale-node.none"),
		tc("no Calico API server", inCluster(func(s *facts.Set) { s.CalicoNodes.Value = facts.CalicoNodes{} }), Info, "calico.stale-node.not-served"),
		tc("no kubeconfig", inCluster(func(s *facts.Set) { s.CalicoNodes.Err = &facts.NoAccessError{Reason: "no-kubeconfig"} }), Skipped, "incluster.no-kubeconfig"),
		tc("nodes unreadable", inCluster(func(s *facts.Set) { s.Nodes.Err = e500 }), Unknown, "read.failed"),
		tc("Calico objects unreadable", inCluster(func(s *facts.Set) { s.CalicoNodes.Err = e403 }), Unknown, "read.denied"),
	})
	f := judgeCalicoStaleNode(inCluster(stale("kube-old-w1", "10.0.0.2")))[0]
	if got := strings.Join(f.Fix, "\n"); !strings.Contains(got, "calicoctl delete node kube-old-w1 --config=<path_to_file>/calicoctl.cfg") ||
		!strings.HasSuffix(got, "ibmcloud ks worker reboot --cluster mycluster --worker w2") {
		t.Errorf("fix %q", got)
	}
}
