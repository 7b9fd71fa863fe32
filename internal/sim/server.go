package sim

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Path prefixes of the simulated services on the one listener. A client's
// base URL is the simulator URL plus the prefix; the production path follows.
const (
	PrefixIAM               = "/iam"                 // https://iam.cloud.ibm.com
	PrefixIKS               = "/iks/global"          // https://containers.cloud.ibm.com/global
	PrefixResourceManager   = "/resource-manager"    // https://resource-controller.cloud.ibm.com
	PrefixUserManagement    = "/user-management"     // https://user-management.cloud.ibm.com
	PrefixAccountManagement = "/account-management"  // https://accounts.cloud.ibm.com
	PrefixSoftLayer         = "/softlayer/rest/v3.1" // https://api.softlayer.com/rest/v3.1
	PrefixVPC               = "/vpc"                 // /vpc/{region}/v1 = https://{region}.iaas.cloud.ibm.com/v1
)

// Options tune a Server. The behaviour knobs (latency, rate limits,
// faults, token lifetime) can also be changed while serving: SetLatency,
// SetRateLimit, SetFaults.
type Options struct {
	// Log receives one JSON line per request (in addition to Requests()).
	Log io.Writer
	// Now is the clock; nil means time.Now. Tokens' iat/exp use it.
	Now func() time.Time

	// Latency delays every request (the token endpoint included) before it
	// is handled, plus a uniformly random extra in [0, Jitter). Requests
	// are delayed concurrently, never one after another.
	Latency, Jitter time.Duration
	// RateLimit is a token bucket per service (iam, iks, resource-manager,
	// user-management, account-management, softlayer, vpc): RateLimit
	// requests per second with a burst of one second's worth; a request
	// over the limit is answered 429 with Retry-After: 1 in the service's
	// error shape. 0 = unlimited.
	RateLimit float64
	// RateLimits overrides RateLimit per service name (0 = unlimited).
	RateLimits map[string]float64
	// Faults answer matching requests instead of (or around) the handler;
	// the first matching fault with requests left applies. New panics on
	// an invalid fault (see Fault.Validate, ParseFault).
	Faults []Fault
	// TokenLifetime overrides the scenario's session.tokenLifetime for
	// every access token minted (0 = the scenario's).
	TokenLifetime time.Duration
	// SoftLayerPageOrder overrides the scenario's wire.softlayerPageOrder
	// (stable or unordered); "" = the scenario's.
	SoftLayerPageOrder string
	// SoftLayerMaxResultLimit overrides wire.softlayerMaxResultLimit when
	// positive.
	SoftLayerMaxResultLimit int
}

// Server is a running (or runnable) simulator for one scenario. It is safe
// for concurrent use.
type Server struct {
	sc   *Scenario
	opts Options
	key  []byte // HMAC key: only tokens minted by this server are accepted

	// wrap holds middleware applied around dispatch, inside the request
	// log (latency, rate limits and faults hook in here); wrap[0] is
	// outermost.
	wrap []func(http.Handler) http.Handler
	mux  *http.ServeMux // the route table (routes.go), built by New

	knobs    knobState     // latency, rate limits, faults (knobs.go)
	seq      atomic.Int64  // arrival order of requests, for the log
	inflight atomic.Int64  // requests being handled
	done     chan struct{} // closed by Close: hangs and latency end early
	doneOnce sync.Once
	idx      index // lookups built on first use (index.go)

	mu       sync.Mutex
	refresh  map[string]refreshGrant // live refresh token; rotated on use
	requests []LogEntry
	secrets  map[string]bool // values scrubbed from the log if they ever show up

	httpSrv *http.Server
	url     string
}

// New builds a simulator for sc. It does not listen: call Start, or mount
// Handler yourself.
func New(sc *Scenario, opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{sc: sc, opts: opts, key: make([]byte, 32), refresh: map[string]refreshGrant{}, secrets: map[string]bool{},
		done: make(chan struct{})}
	rand.Read(s.key)
	for _, v := range sc.Secrets() {
		s.secrets[v] = true
	}
	s.SetLatency(opts.Latency, opts.Jitter)
	if err := s.SetRateLimit(opts.RateLimit, opts.RateLimits); err != nil {
		panic("sim.New: " + err.Error())
	}
	if err := s.SetFaults(opts.Faults...); err != nil {
		panic("sim.New: " + err.Error())
	}
	s.wrap = []func(http.Handler) http.Handler{s.latencyLayer, s.rateLimitLayer, s.faultLayer}
	s.mux = s.newMux()
	return s
}

// Scenario returns the scenario the server simulates.
func (s *Server) Scenario() *Scenario { return s.sc }

// Start listens on addr, which must be a loopback address (127.0.0.1:0 picks
// a free port), and serves in the background until Close.
func (s *Server) Start(addr string) error {
	if err := CheckLoopback(addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.url = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go s.httpSrv.Serve(ln)
	return nil
}

// CheckLoopback refuses any address that is not on the loopback interface:
// the simulator hands out tokens and must never be reachable from outside.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bad address %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("address %q is not a loopback address (use 127.0.0.1 or [::1])", addr)
	}
	return nil
}

// URL is the base URL after Start, e.g. http://127.0.0.1:38211.
func (s *Server) URL() string { return s.url }

// Close stops a started server, letting in-flight requests finish briefly.
// Injected hangs and latency end at once, and Close waits (up to a second)
// for every handler to return, so no request goroutine outlives it. A
// server used only through Handler can be closed too, to end its hangs.
func (s *Server) Close() error {
	s.doneOnce.Do(func() { close(s.done) })
	var err error
	if s.httpSrv != nil {
		// Shutdown waits for in-flight requests, but counts a connection that
		// a client dialled and never used (Go's transport races dials) as busy
		// for five seconds; after a short grace period, close whatever is left.
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		if e := s.httpSrv.Shutdown(ctx); errors.Is(e, context.DeadlineExceeded) {
			err = s.httpSrv.Close()
		}
	}
	for deadline := time.Now().Add(time.Second); s.inflight.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(2 * time.Millisecond)
	}
	return err
}

// EnvKeys are the keys written to the env file, in order.
var EnvKeys = []string{"IBMCLOUD_HOME", "IAM_ENDPOINT", "KS_DOCTOR_IAM_URL", "KS_DOCTOR_IKS_URL",
	"KS_DOCTOR_RESOURCE_MANAGER_URL", "KS_DOCTOR_USER_MANAGEMENT_URL", "KS_DOCTOR_ACCOUNT_MANAGEMENT_URL",
	"KS_DOCTOR_SOFTLAYER_URL", "KS_DOCTOR_VPC_URL", "KS_DOCTOR_SIM_URL", "KUBECONFIG", "KS_DOCTOR_KUBECTL"}

// Env returns the environment that points the CLI SDK (IBMCLOUD_HOME,
// IAM_ENDPOINT) and ks-doctor (KS_DOCTOR_*_URL) at this server. home is the
// directory holding .bluemix/config.json (see WriteSession). The VPC URL
// keeps a literal {region} for the client to fill in.
func (s *Server) Env(home string) map[string]string {
	return map[string]string{
		"IBMCLOUD_HOME":                    home,
		"IAM_ENDPOINT":                     s.url + PrefixIAM,
		"KS_DOCTOR_IAM_URL":                s.url + PrefixIAM,
		"KS_DOCTOR_IKS_URL":                s.url + PrefixIKS,
		"KS_DOCTOR_RESOURCE_MANAGER_URL":   s.url + PrefixResourceManager,
		"KS_DOCTOR_USER_MANAGEMENT_URL":    s.url + PrefixUserManagement,
		"KS_DOCTOR_ACCOUNT_MANAGEMENT_URL": s.url + PrefixAccountManagement,
		"KS_DOCTOR_SOFTLAYER_URL":          s.url + PrefixSoftLayer,
		"KS_DOCTOR_VPC_URL":                s.url + PrefixVPC + "/{region}/v1",
		"KS_DOCTOR_SIM_URL":                s.url,
		// Written by WriteSession when the scenario has them (writeKube);
		// a path that holds nothing means no kubeconfig, no kubectl.
		"KUBECONFIG":        filepath.Join(home, ".kube", "config"),
		"KS_DOCTOR_KUBECTL": filepath.Join(home, "bin", "kubectl"),
	}
}
