package kube

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/sim"
	"github.com/ks-doctor/ks-doctor/internal/sim/simtest"
)

func TestPointsAt(t *testing.T) {
	c := facts.Cluster{ID: "9b7371a7fcbe46d08e04f046d5e6d8b4", Name: "calico-dal10"}
	for _, tc := range []struct {
		name, cluster string
		want          bool
	}{
		{"calico-dal10/9b7371a7fcbe46d08e04f046d5e6d8b4", "calico-dal10/9b7371a7fcbe46d08e04f046d5e6d8b4", true},
		{"admin", "calico-dal10/9b7371a7fcbe46d08e04f046d5e6d8b4", true},
		{"calico-dal10", "calico-dal10", false}, // a name alone could be another account's cluster
		{"other/c0000000000000000001", "other/c0000000000000000001", false},
		{"x9b7371a7fcbe46d08e04f046d5e6d8b4", "", false},
	} {
		if got := pointsAt(tc.name, &clientcmdapi.Context{Cluster: tc.cluster}, c); got != tc.want {
			t.Errorf("%s/%s: %v, want %v", tc.name, tc.cluster, got, tc.want)
		}
	}
}

// reader serves a scenario and returns a Reader of the session the
// simulator wrote (kubeconfig and kubectl included), and its cluster.
func reader(t *testing.T, scenario string) (*Reader, facts.Cluster) {
	t.Helper()
	r, c, _ := readerOf(t, simtest.Load(t, scenario))
	return r, c
}

func readerOf(t *testing.T, sc *sim.Scenario) (*Reader, facts.Cluster, *sim.Server) {
	t.Helper()
	srv := simtest.Start(t, sc, sim.Options{})
	env := srv.Env(simtest.Login(t, srv, nil))
	cl := sc.Clusters[0]
	return &Reader{Getenv: func(k string) string { return env[k] }}, facts.Cluster{ID: cl.ID, Name: cl.Name}, srv
}

func TestReadsTheSimulatedCluster(t *testing.T) {
	r, c := reader(t, "stale-nodes")
	ctx := context.Background()
	nodes, err := r.Nodes(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]facts.Node{}
	for _, n := range nodes {
		byName[n.Name] = n
	}
	if n := byName["10.176.48.76"]; !n.Ready || n.WorkerID != "kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w1" || n.InternalIP != "10.176.48.76" {
		t.Errorf("node by private IP: %+v", n)
	}
	if n, ok := byName["169.61.101.76"]; !ok || n.Ready {
		t.Errorf("stale public-IP node: %+v (%v)", n, ok)
	}
	cn, err := r.CalicoNodes(ctx, c)
	if err != nil || !cn.Served || len(cn.Nodes) != 3 {
		t.Fatalf("calico nodes %+v, %v", cn, err)
	}
	if last := cn.Nodes[2]; last.Name != "kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w2" || last.IPv4 != "10.176.48.77" || last.NodeName != "" {
		t.Errorf("stale calico node %+v", last)
	}
	// The simulator's kubectl, found through KS_DOCTOR_KUBECTL.
	k, err := r.Kubectl(ctx)
	if err != nil || !k.Found || k.Major != 1 || k.Minor != 28 || k.Version != "v1.28.3" {
		t.Errorf("kubectl %+v, %v", k, err)
	}
}

// Another cluster's context is never read; no kubeconfig at all is no
// access, not an error.
func TestNoAccess(t *testing.T) {
	r, _ := reader(t, "stale-nodes")
	_, err := r.Nodes(context.Background(), facts.Cluster{ID: "c0000000000000000001", Name: "other"})
	var na *facts.NoAccessError
	if !errors.As(err, &na) || na.Reason != "other-context" || na.Context != "calico-dal10/9b7371a7fcbe46d08e04f046d5e6d8b4" {
		t.Errorf("other cluster: %v", err)
	}
	r, c := reader(t, "healthy-classic")
	if _, err := r.Nodes(context.Background(), c); !errors.As(err, &na) || na.Reason != "no-kubeconfig" {
		t.Errorf("no kubeconfig: %v", err)
	}
	if k, err := r.Kubectl(context.Background()); err != nil || k.Found {
		t.Errorf("no kubectl: %+v, %v", k, err)
	}
	bad := filepath.Join(t.TempDir(), "missing")
	r = &Reader{Kubeconfig: bad}
	if _, err := r.Nodes(context.Background(), c); !errors.As(err, &na) || na.Reason != "bad-kubeconfig" {
		t.Errorf("--kubeconfig to a missing file: %v", err)
	}
}

// The runner is injected: no test depends on a real kubectl.
func TestKubectlVersions(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "kubectl")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		out       string
		err       error
		wantMinor int
		wantErr   bool
	}{
		{`{"clientVersion":{"major":"1","minor":"32+","gitVersion":"v1.32.4-dispatcher"}}`, nil, 32, false},
		{`{"clientVersion":{"major":"","minor":"","gitVersion":"v1.29.1"}}`, nil, 29, false},
		{`{"clientVersion":{"gitVersion":"devel"}}`, nil, 0, true},
		{`not json`, nil, 0, true},
		{``, errors.New("exit status 1"), 0, true},
	} {
		r := &Reader{Getenv: func(k string) string { return map[string]string{"PATH": dir}[k] },
			Run: func(ctx context.Context, path string, args ...string) ([]byte, error) {
				if path != fake {
					t.Errorf("ran %s", path)
				}
				return []byte(tc.out), tc.err
			}}
		k, err := r.Kubectl(context.Background())
		if (err != nil) != tc.wantErr || !tc.wantErr && (!k.Found || k.Minor != tc.wantMinor) {
			t.Errorf("%q: %+v, %v", tc.out, k, err)
		}
	}
}

// check --all-clusters gives one Reader every cluster: the kubeconfig's
// context is the one cluster's it points at, whichever is asked first, and
// no other cluster is ever read with it.
func TestOneReaderForManyClusters(t *testing.T) {
	r, c := reader(t, "stale-nodes")
	other := facts.Cluster{ID: "c0000000000000000001", Name: "other"}
	var na *facts.NoAccessError
	for i, tc := range []struct {
		cluster facts.Cluster
		read    bool
	}{{other, false}, {c, true}, {other, false}, {c, true}} {
		nodes, err := r.Nodes(context.Background(), tc.cluster)
		switch {
		case tc.read && (err != nil || len(nodes) != 3):
			t.Errorf("%d %s: %v, %v", i, tc.cluster.Name, nodes, err)
		case !tc.read && (!errors.As(err, &na) || na.Reason != "other-context" || nodes != nil):
			t.Errorf("%d %s: read with another cluster's context: %v, %v", i, tc.cluster.Name, nodes, err)
		}
	}
}

// Whatever answers to the name kubectl on the PATH cannot hold the run or
// fill its memory: its output is read up to a bound, and a child it left
// holding that output is cut off a second after it exits.
func TestKubectlThatMisbehaves(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts stand in for kubectl")
	}
	dir := t.TempDir()
	for name, script := range map[string]string{
		"floods":  "#!/bin/sh\nhead -c 20000000 /dev/zero\n",
		"lingers": "#!/bin/sh\nsleep 30 &\necho '{\"clientVersion\":{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.2\"}}'\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		out, _ := execRun(context.Background(), path, "version", "--client", "-o", "json")
		if d := time.Since(start); d > 20*time.Second { // held until the child's 30 s sleep ended
			t.Errorf("%s: returned after %v", name, d)
		}
		if len(out) > maxKubectlOutput {
			t.Errorf("%s: read %d bytes", name, len(out))
		}
		if name == "lingers" {
			if k, err := parseClientVersion(out); err != nil || k.Minor != 31 {
				t.Errorf("lingers: %+v, %v", k, err)
			}
		}
	}
}
