package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// A private-endpoint session (`ibmcloud login -a private.cloud.ibm.com`,
// with and without --vpc) runs check and orphan end to end, and every
// request goes to a private endpoint of its service: the session's private
// IAM endpoint, the private Kubernetes Service API of the targeted region,
// the private platform services, the classic infrastructure's backend
// endpoint and the VPC API's private endpoint, over TLS, by their real
// names. No name is looked up in DNS: the runs go through HTTPS_PROXY, a
// loopback proxy that records each host asked for, answers as that host
// with a certificate from a test CA (SSL_CERT_FILE), and passes the request
// on to the simulator's path for that service; a host that is not the
// expected private one is refused and fails the test. Each run prints what
// the same run prints over the simulator's public overrides.
func TestPrivateEndpoints(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" || runtime.GOOS == "ios" {
		t.Skip("SSL_CERT_FILE does not choose the roots here")
	}
	dir := t.TempDir()
	ksd := build(t, dir, "./plugin", "ks-doctor")
	simBin := build(t, dir, "./cmd/ks-doctor-sim", "ks-doctor-sim")
	// What the CLI reads before it runs a plug-in in a private session.
	var md struct{ PrivateEndpointSupported, IsAccessFromVPC bool }
	if stdout, stderr, code := run(t, ksd, nil, "SendMetadata"); code != 0 || json.Unmarshal([]byte(stdout), &md) != nil {
		t.Fatalf("SendMetadata: exit %d %s", code, stderr)
	}
	if !md.PrivateEndpointSupported || !md.IsAccessFromVPC {
		t.Errorf("metadata declares %+v, want both", md)
	}

	ca := newTestCA(t)
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, ca.pem, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		vpc    bool
		region string // targeted
		iam    string // the session's private IAM endpoint for its network
		hosts  map[string]string
	}{
		// Tokyo has a private Kubernetes Service API of its own; the
		// platform services' private endpoints are Dallas's.
		{"classic private network", false, "jp-tok", "https://private.us-south.iam.cloud.ibm.com", map[string]string{
			"iam": "private.us-south.iam.cloud.ibm.com", "iks": "private.jp-tok.containers.cloud.ibm.com",
			"resource-manager": "private.us-south.resource-controller.cloud.ibm.com", "user-management": "private.us-south.user-management.cloud.ibm.com",
			"account-management": "private.us-south.accounts.cloud.ibm.com", "softlayer": "api.service.softlayer.com",
		}},
		{"from a VPC", true, "eu-de", "https://private.iam.cloud.ibm.com", map[string]string{
			"iam": "private.iam.cloud.ibm.com", "iks": "private.eu-de.containers.cloud.ibm.com",
			"resource-manager": "private.resource-controller.cloud.ibm.com", "user-management": "private.user-management.cloud.ibm.com",
			"account-management": "private.accounts.cloud.ibm.com", "softlayer": "api.service.softlayer.com",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			served := map[string]bool{}
			for _, r := range []struct {
				scenario string
				args     []string
			}{
				{"healthy-classic", []string{"check", "-c", "mycluster", "--output", "json"}},
				{"healthy-classic", []string{"orphan", "--all-regions", "--all-resource-groups", "--output", "json"}},
				{"healthy-vpc", []string{"check", "-c", "vpc-dev", "--output", "json"}},
			} {
				env, _ := startSim(t, simBin, "--scenario", r.scenario, "--region", tc.region)
				wantOut, wantErr, wantCode := run(t, ksd, env, r.args...)

				p := newPrivateProxy(t, ca, simURL(t, env), tc.hosts)
				privateSession(t, simHome(t, env), tc.vpc, tc.iam)
				out, errOut, code := run(t, ksd, p.env(env, caFile), r.args...)
				out, wantOut = durationMs.ReplaceAllString(out, "0"), durationMs.ReplaceAllString(wantOut, "0")
				if code != wantCode || out != wantOut {
					t.Errorf("%s %v: exit %d, want %d as over the public overrides\nstdout:\n%.3000s\nwant:\n%.3000s\nstderr:\n%s\nwant:\n%s",
						r.scenario, r.args, code, wantCode, out, wantOut, errOut, wantErr)
				}
				for _, bad := range p.refused() {
					t.Errorf("%s %v: a request for %s, not a private endpoint of this session", r.scenario, r.args, bad)
				}
				for svc := range p.served() {
					served[svc] = true
				}
			}
			for _, svc := range []string{"iam", "iks", "resource-manager", "user-management", "account-management", "softlayer", "vpc"} {
				if !served[svc] {
					t.Errorf("no request reached %s over its private endpoint", svc)
				}
			}
		})
	}
}

// simURL is the simulator's base URL in its env.
func simURL(t *testing.T, env []string) *url.URL {
	t.Helper()
	v := envValue(env, "KS_DOCTOR_SIM_URL")
	if v == "" {
		t.Fatal("no KS_DOCTOR_SIM_URL in the simulator's env")
	}
	u, err := url.Parse(v)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// privateSession turns the simulator's CLI session into one logged in to
// private.cloud.ibm.com (from a VPC when vpc), as `ibmcloud login -a
// private.cloud.ibm.com [--vpc]` leaves it: the keys the CLI SDK reads
// (core_config bx_config.go) change, every other byte's value stays.
func privateSession(t *testing.T, home string, vpc bool, iam string) {
	t.Helper()
	path := filepath.Join(home, ".bluemix", "config.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	cfg["APIEndpoint"] = "https://private.cloud.ibm.com"
	cfg["IsPrivate"] = true
	cfg["IsAccessFromVPC"] = vpc
	// The public IAM endpoint is a real one no request may reach; the
	// private one of the other network is unused.
	cfg["IAMEndpoint"] = "https://iam.cloud.ibm.com"
	if vpc {
		cfg["IAMPrivateEndpoint"], cfg["IAMPrivateVPCEndpoint"] = "https://private.us-east.iam.cloud.ibm.com", iam
	} else {
		cfg["IAMPrivateEndpoint"], cfg["IAMPrivateVPCEndpoint"] = iam, "https://private.us-east.iam.cloud.ibm.com"
	}
	out, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
}

// privateProxy is an HTTPS proxy on loopback that stands in for IBM Cloud's
// private endpoints: each tunnelled connection is answered as the host it
// was opened for (TLS with a test CA's certificate for that name), and each
// request on it goes to the simulator's path for that host's service.
type privateProxy struct {
	url   string
	sim   *url.URL
	hosts map[string]string // service -> the private host this session must use

	mu      sync.Mutex
	bad     []string
	byHost  map[string]string // host -> service, of the requests served
	tunnels chan net.Conn
}

// quiet keeps the proxy's connection errors (a run ending) out of the test log.
var quiet = log.New(io.Discard, "", 0)

// vpcHost is the VPC API's private name in any region.
var vpcHost = regexp.MustCompile(`^([a-z]+-[a-z]+)\.private\.iaas\.cloud\.ibm\.com$`)

func newPrivateProxy(t *testing.T, ca *testCA, sim *url.URL, hosts map[string]string) *privateProxy {
	t.Helper()
	p := &privateProxy{sim: sim, hosts: hosts, byHost: map[string]string{}, tunnels: make(chan net.Conn)}

	// The inner server: TLS as the requested host, then the simulator.
	inner := &http.Server{
		Handler:  http.HandlerFunc(p.forward),
		ErrorLog: quiet,
		TLSConfig: &tls.Config{GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			return ca.leaf(hello.ServerName)
		}},
	}
	l := &chanListener{conns: p.tunnels, done: make(chan struct{}), addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}}
	go inner.ServeTLS(l, "", "")

	// The outer server: CONNECT only.
	outer := &http.Server{ErrorLog: quiet, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			p.refuse(r.Method + " " + r.URL.String() + " (not tunnelled)")
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		host, port, err := net.SplitHostPort(r.Host)
		if err != nil || port != "443" || p.service(host) == "" {
			p.refuse(r.Host)
			http.Error(w, "not a private endpoint of this session", http.StatusForbidden)
			return
		}
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		rw.WriteString("HTTP/1.1 200 Connection established\r\n\r\n")
		rw.Flush()
		select {
		case p.tunnels <- bufferedConn{conn, rw.Reader}:
		case <-l.done:
			conn.Close()
		}
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go outer.Serve(ln)
	p.url = "http://" + ln.Addr().String()
	t.Cleanup(func() {
		outer.Close()
		inner.Close()
		l.Close()
	})
	return p
}

// service is the service whose private host host is in this session, or "".
func (p *privateProxy) service(host string) string {
	for svc, h := range p.hosts {
		if h == host {
			return svc
		}
	}
	if vpcHost.MatchString(host) {
		return "vpc"
	}
	return ""
}

// forward passes a request for a private host to the simulator's path of
// its service (the paths below each service's base URL are the real ones).
func (p *privateProxy) forward(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	svc := p.service(host)
	if svc == "" || r.TLS == nil || r.TLS.ServerName != host {
		p.refuse(host + r.URL.Path)
		http.Error(w, "not a private endpoint of this session", http.StatusForbidden)
		return
	}
	var prefix, path = "", r.URL.Path
	switch svc {
	case "iam":
		prefix = sim.PrefixIAM
	case "iks":
		prefix = strings.TrimSuffix(sim.PrefixIKS, "/global") // the base URL's /global is in path
	case "resource-manager":
		prefix = sim.PrefixResourceManager
	case "user-management":
		prefix = sim.PrefixUserManagement
	case "account-management":
		prefix = sim.PrefixAccountManagement
	case "softlayer":
		prefix = strings.TrimSuffix(sim.PrefixSoftLayer, "/rest/v3.1") // so is /rest/v3.1
	case "vpc":
		prefix = sim.PrefixVPC + "/" + vpcHost.FindStringSubmatch(host)[1]
	}
	p.mu.Lock()
	p.byHost[host] = svc
	p.mu.Unlock()
	(&httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host, pr.Out.Host = p.sim.Scheme, p.sim.Host, p.sim.Host
			pr.Out.URL.Path, pr.Out.URL.RawPath = prefix+path, ""
		},
		ErrorLog: quiet,
	}).ServeHTTP(w, r)
}

func (p *privateProxy) refuse(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bad = append(p.bad, what)
}

// refused lists each refused request once (a read is retried).
func (p *privateProxy) refused() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	bad := slices.Clone(p.bad)
	slices.Sort(bad)
	return slices.Compact(bad)
}

// served is the set of services that answered through a private host.
func (p *privateProxy) served() map[string]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]bool{}
	for _, svc := range p.byHost {
		out[svc] = true
	}
	return out
}

// env is the simulator's env without its public overrides (the session
// decides every URL), with the proxy and the test CA.
func (p *privateProxy) env(simEnv []string, caFile string) []string {
	var out []string
	for _, kv := range simEnv {
		k, _, _ := strings.Cut(kv, "=")
		if k == "IAM_ENDPOINT" || strings.HasPrefix(k, "KS_DOCTOR_") && strings.HasSuffix(k, "_URL") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "HTTPS_PROXY="+p.url, "NO_PROXY=", "SSL_CERT_FILE="+caFile)
}

// chanListener hands the proxy's tunnels to the inner server.
type chanListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
	addr  net.Addr
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *chanListener) Addr() net.Addr { return l.addr }

// bufferedConn reads what the CONNECT's reader already buffered first.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// testCA signs a certificate for any name it is asked for.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ks-doctor test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), leaves: map[string]*tls.Certificate{}}
}

func (ca *testCA) leaf(name string) (*tls.Certificate, error) {
	if name == "" {
		return nil, errors.New("no server name")
	}
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c, ok := ca.leaves[name]; ok {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	ca.leaves[name] = c
	return c, nil
}

// plugin.json (the repository index's source, bin/dist) declares what the
// binary's metadata declares: the CLI SDK guide (§9) wants both to agree.
func TestPrivateEndpointsDeclaredInPluginJSON(t *testing.T) {
	b, err := os.ReadFile("../plugin.json")
	if err != nil {
		t.Fatal(err)
	}
	var entry struct {
		Private *bool `json:"private_endpoint_supported"`
	}
	if err := json.Unmarshal(b, &entry); err != nil || entry.Private == nil {
		t.Fatalf("plugin.json: %v, private_endpoint_supported %v", err, entry.Private)
	}
	if md := (ksDoctor{}).GetMetadata(); *entry.Private != md.PrivateEndpointSupported {
		t.Errorf("plugin.json private_endpoint_supported %v, metadata PrivateEndpointSupported %v", *entry.Private, md.PrivateEndpointSupported)
	}
}
