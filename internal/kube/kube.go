// Package kube reads what IBM Cloud's APIs do not hold: the cluster's own
// Kubernetes API, read-only (list nodes, list Calico node objects), through
// the official Go client, and the version of the kubectl client on this
// machine. It implements facts.ClusterReader.
//
// Sign-in (signin.go): what kubectl would use, with two exceptions that
// keep a run from changing anything: the kubeconfig is never written, and
// the refresh token of IKS's oidc sign-in is never spent, so an expired
// IAM id-token means no access (skipped), not a refresh.
//
// Start-up cost: Go initialises every linked package on every start, and
// the plug-in is one binary, so the commands that never read a cluster
// (SendMetadata, checks) pay for whatever this package links. It links
// only client-go's rest and clientcmd (the official kubeconfig loading,
// credentials and TLS) and the oidc auth provider, and
// reads the few fields it needs as plain JSON (nodes.go, calico.go): no
// clientset, no API types, no scheme registration. What remains is about
// 0.7 ms of each start (`make bench`, start-up rows); deps_test.go keeps
// the heavy packages out.
package kube

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Reader reads one cluster's API and the local kubectl. The zero value
// reads the default kubeconfig with the process environment.
type Reader struct {
	// Kubeconfig is --kubeconfig: the one file to read; "" = the files of
	// $KUBECONFIG, else $HOME/.kube/config (kubectl's own order).
	Kubeconfig string
	Getenv     func(string) string // nil = no environment
	// Run runs kubectl; nil = exec (kubectl.go). Tests inject a fake.
	Run Runner
	// Timeout bounds each call to the cluster's API (default 15s).
	Timeout time.Duration
	// Now is the clock an id-token's expiry is read against; nil = time.Now.
	Now func() time.Time

	once    sync.Once
	current *clientcmdapi.Context // the current context, once loaded
	context string                // its name
	rc      *rest.RESTClient      // its client, or
	err     error                 // why there is none
	expires time.Time             // the oidc id-token's expiry; zero for other sign-ins

	mu      sync.Mutex
	secrets []string // the current user's credentials, once loaded
}

var _ facts.ClusterReader = (*Reader)(nil)

func (r *Reader) getenv(k string) string {
	if r.Getenv == nil {
		return ""
	}
	return r.Getenv(k)
}

// IKS's own kubeconfig contexts are named "<cluster name>/<cluster ID>"
// (`ibmcloud ks cluster config`), and so is the cluster entry they point
// to. The current context is this cluster's when one of the "/"-separated
// parts of either name is the cluster's ID: a name alone could be another
// account's cluster, an ID cannot. Any other context is never read.
func pointsAt(name string, kc *clientcmdapi.Context, c facts.Cluster) bool {
	if c.ID == "" || kc == nil {
		return false
	}
	return slices.Contains(strings.Split(name, "/"), c.ID) || slices.Contains(strings.Split(kc.Cluster, "/"), c.ID)
}

// client returns the REST client of the kubeconfig's current context if
// that context is this cluster's. The kubeconfig is loaded once per run
// (check --all-clusters asks for every cluster); which cluster it is for
// is decided on every call, so no cluster is ever read with another's
// context.
func (r *Reader) client(c facts.Cluster) (*rest.RESTClient, error) {
	r.once.Do(r.load)
	switch {
	case r.current == nil:
		return nil, r.err
	case !pointsAt(r.context, r.current, c):
		return nil, &facts.NoAccessError{Reason: "other-context", Context: r.context}
	}
	return r.rc, r.err
}

// load reads the kubeconfig as kubectl would and prepares its current
// context: current is nil when there is none to use (err says why).
func (r *Reader) load() {
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: r.Kubeconfig}
	if r.Kubeconfig == "" {
		if env := r.getenv("KUBECONFIG"); env != "" {
			rules.Precedence = filepath.SplitList(env)
		} else if home := r.getenv("HOME"); home != "" {
			rules.Precedence = []string{filepath.Join(home, ".kube", "config")}
		}
	}
	raw, err := rules.Load()
	if err != nil {
		r.err = &facts.NoAccessError{Reason: "bad-kubeconfig"}
		return
	}
	kc, ok := raw.Contexts[raw.CurrentContext]
	if raw.CurrentContext == "" || !ok {
		r.err = &facts.NoAccessError{Reason: "no-kubeconfig"}
		return
	}
	r.current, r.context = kc, raw.CurrentContext
	r.keepSecrets(raw.AuthInfos[kc.AuthInfo])
	if r.err = r.signIn(raw.AuthInfos[kc.AuthInfo]); r.err != nil {
		return
	}
	// No ConfigAccess: client-go gets nothing it could write the
	// kubeconfig with (NewDefaultClientConfig would hand an auth provider
	// the default files to persist renewed tokens to).
	cfg, err := clientcmd.NewNonInteractiveClientConfig(*raw, raw.CurrentContext, &clientcmd.ConfigOverrides{}, nil).ClientConfig()
	if err != nil {
		r.err = r.noAccess("bad-kubeconfig")
		return
	}
	cfg.Timeout = r.Timeout
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	// A connection that never comes (a private endpoint from outside the
	// private network) fails as a dial error before the request timeout,
	// so that readError can tell it from a slow answer.
	cfg.Dial = (&net.Dialer{Timeout: min(10*time.Second, cfg.Timeout), KeepAlive: 30 * time.Second}).DialContext
	cfg.UserAgent = "ks-doctor"
	// A client whose answers are read as streams (pages.go) and decoded
	// into this package's own structs. Its scheme knows only metav1's
	// Status, so an error answer still becomes an apierrors.APIStatus with
	// the API's code, reason and message; it is never client-go's global
	// scheme. A config client-go cannot make a client of (a certificate
	// file it cannot read) is no access, not a read error; auth providers
	// other than oidc were turned away before (signIn).
	scheme := runtime.NewScheme()
	core := schema.GroupVersion{Version: "v1"}
	metav1.AddToGroupVersion(scheme, core)
	cfg.APIPath, cfg.GroupVersion = "/api", &core
	cfg.NegotiatedSerializer = serializer.NewCodecFactory(scheme).WithoutConversion()
	if r.rc, err = rest.RESTClientFor(cfg); err != nil {
		r.err = r.noAccess("bad-kubeconfig")
	}
}

// readError turns a failed read of the cluster's API into a ReadError:
// the HTTP status and the API's own message (never a header or token).
// An API server this machine cannot connect to (a private-only cluster
// seen from outside IBM Cloud's private network) is no access, and so is
// an answer about the caller rather than the cluster: 401
// (the credentials were not taken), 403 (RBAC does not let this user list
// the resource), or a request the client could not sign because the
// id-token expired during the run.
func (r *Reader) readError(op string, err error) error {
	switch {
	case unreachable(err):
		return r.noAccess("unreachable")
	case apierrors.IsUnauthorized(err):
		return r.noAccess("unauthorized")
	case apierrors.IsForbidden(err):
		return r.noAccess("forbidden")
	case r.expired():
		return r.noAccess("token-expired")
	}
	re := &facts.ReadError{Op: op, Message: err.Error(), Err: err}
	var se apierrors.APIStatus
	if errors.As(err, &se) {
		st := se.Status()
		re.Status, re.Code, re.Message = int(st.Code), string(st.Reason), st.Message
	}
	return re
}

// Nodes is `kubectl get nodes`, page by page.
func (r *Reader) Nodes(ctx context.Context, c facts.Cluster) ([]facts.Node, error) {
	rc, err := r.client(c)
	if err != nil {
		return nil, err
	}
	var out []facts.Node
	err = listPages(ctx, func() *rest.Request { return rc.Get().Resource("nodes") }, func(n node) { out = append(out, n.fact()) })
	if err != nil {
		return nil, r.readError("kubectl get nodes", err)
	}
	return out, nil
}

// calicoGroup serves Calico's node objects when the Calico API server is
// installed (projectcalico.org/v3, whatever Calico's datastore); without
// it the group is absent and only calicoctl reads them.
const calicoGroup = "/apis/projectcalico.org/v3"

// CalicoNodes is `calicoctl get nodes` through the cluster's API.
func (r *Reader) CalicoNodes(ctx context.Context, c facts.Cluster) (facts.CalicoNodes, error) {
	rc, err := r.client(c)
	if err != nil {
		return facts.CalicoNodes{}, err
	}
	var disc struct {
		Resources []struct{ Name string } `json:"resources"`
	}
	if err := get(ctx, rc.Get().AbsPath(calicoGroup), &disc); err != nil {
		if apierrors.IsNotFound(err) {
			return facts.CalicoNodes{}, nil
		}
		return facts.CalicoNodes{}, r.readError("kubectl get --raw "+calicoGroup, err)
	}
	if !slices.ContainsFunc(disc.Resources, func(x struct{ Name string }) bool { return x.Name == "nodes" }) {
		return facts.CalicoNodes{}, nil
	}
	out := facts.CalicoNodes{Served: true}
	err = listPages(ctx, func() *rest.Request { return rc.Get().AbsPath(calicoGroup, "nodes") },
		func(n calicoNode) { out.Nodes = append(out.Nodes, n.fact()) })
	if err != nil {
		return facts.CalicoNodes{}, r.readError("calicoctl get nodes", err)
	}
	return out, nil
}

// unreachable tells whether a request never reached the API server: the
// name did not resolve, or the connection was refused or timed out. An
// answer that was late or broken after connecting is a read error.
func unreachable(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	return errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}
