package sim

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
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

// service is one simulated API on its path prefix.
type service struct {
	name, prefix string
	// fail writes an error in this service's own body shape.
	fail func(s *Server, w http.ResponseWriter, r *http.Request, status int, code, msg string)
	// serve answers a read; p is the path below the prefix. Each service
	// authenticates itself: SoftLayer takes Basic as well as Bearer.
	serve func(s *Server, w http.ResponseWriter, r *http.Request, p string)
}

var services []*service

// init fills the table: the handlers refer back to it (through fail), which
// a package-level initializer may not.
func init() {
	services = []*service{
		{"iam", PrefixIAM, failIAM, (*Server).iam},
		{"iks", PrefixIKS, failIKS, (*Server).iks},
		{"resource-manager", PrefixResourceManager, failPlatform, (*Server).resourceManager},
		{"user-management", PrefixUserManagement, failPlatform, (*Server).userManagement},
		{"account-management", PrefixAccountManagement, failPlatform, (*Server).accountManagement},
		{"softlayer", PrefixSoftLayer, failSoftLayer, (*Server).softlayer},
		{"vpc", PrefixVPC, failVPC, (*Server).vpc},
		{"kube", PrefixKube, failKube, (*Server).kube},
	}
}

// serviceOf finds the service a path belongs to, or nil.
func serviceOf(path string) *service {
	for _, svc := range services {
		if under(path, svc.prefix) {
			return svc
		}
	}
	return nil
}

func under(p, prefix string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") }

// reqInfo travels in the request context from the log wrapper to dispatch
// and back, through whatever middleware sits in between.
type reqInfo struct {
	service   string
	violation bool
	knob      string        // which knob answered: "rate-limit", "fault:<kind>"
	latency   time.Duration // injected before the handler
	reset     bool          // the connection was reset without an answer
}

type infoKey struct{}

// Handler routes by path prefix and logs every request.
func (s *Server) Handler() http.Handler {
	var h http.Handler = http.HandlerFunc(s.dispatch)
	for i := len(s.wrap) - 1; i >= 0; i-- {
		h = s.wrap[i](h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.inflight.Add(1)
		defer s.inflight.Add(-1)
		seq := s.seq.Add(1)
		info := &reqInfo{service: "unknown"}
		if svc := serviceOf(r.URL.Path); svc != nil {
			info.service = svc.name
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
		status := rec.status
		if !rec.wrote && (info.reset || r.Context().Err() != nil) {
			status = 0 // nothing was answered: the connection was reset, or the client left
		}
		s.record(r, entryMeta{seq: seq, start: start, service: info.service, status: status, d: time.Since(start),
			violation: info.violation, knob: info.knob, latency: info.latency, bytes: rec.bytes})
	})
}

// dispatch refuses calls that would change something and hands reads to
// their service.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	svc := serviceOf(r.URL.Path)
	if svc == nil {
		ikserror(w, http.StatusNotFound, "SIM404", "General", "ks-doctor-sim does not simulate "+r.URL.Path+".", "")
		return
	}
	p := strings.TrimPrefix(r.URL.Path, svc.prefix)
	if svc.name == "iam" && p == "/identity/token" && r.Method == http.MethodPost {
		s.token(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// Checked before auth: any attempt to change something is a bug in
		// ks-doctor, whatever its credentials.
		s.refuse(w, r)
		return
	}
	svc.serve(s, w, r, p)
}

// refuse answers a call that would change something with 405 and records
// it as a violation.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request) {
	if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		info.violation = true
	}
	s.fail(w, r, http.StatusMethodNotAllowed, "SIM405",
		fmt.Sprintf("ks-doctor-sim refused %s %s: ks-doctor is read-only and must never call an API that changes something.", r.Method, r.URL.Path))
}

// fail writes an error in the shape of the service r is addressed to.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if svc := serviceOf(r.URL.Path); svc != nil {
		svc.fail(s, w, r, status, code, msg)
		return
	}
	ikserror(w, status, code, "General", msg, "")
}

func (s *Server) notSimulated(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "SIM404", "ks-doctor-sim does not simulate "+r.Method+" "+r.URL.Path+".")
}

// ikserror writes the IKS error body. Never an "errors" array: go-sdk-core
// panics on an empty one, and IKS does not send one.
func ikserror(w http.ResponseWriter, status int, code, typ, desc, recovery string) {
	body := map[string]string{"incidentID": newID(), "code": code, "description": desc, "type": typ}
	if recovery != "" {
		body["recoveryCLI"] = recovery
	}
	writeJSON(w, status, body)
}

func failIKS(_ *Server, w http.ResponseWriter, _ *http.Request, status int, code, msg string) {
	typ := "General"
	switch status {
	case http.StatusUnauthorized:
		typ = "Authentication"
	case http.StatusForbidden:
		typ = "Authorization"
	}
	ikserror(w, status, code, typ, msg, "")
}

func failIAM(s *Server, w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	s.iamError(w, r, status, code, msg)
}

// failPlatform is the error body of the newer platform APIs (resource
// manager, user and account management) [I]: go-sdk-core surfaces
// errors[0].message.
func failPlatform(_ *Server, w http.ResponseWriter, _ *http.Request, status int, code, msg string) {
	writeJSON(w, status, map[string]any{
		"errors":      []map[string]string{{"code": code, "message": msg}},
		"trace":       newID(),
		"status_code": status,
	})
}

func failVPC(_ *Server, w http.ResponseWriter, _ *http.Request, status int, code, msg string) {
	writeJSON(w, status, map[string]any{
		"errors": []map[string]string{{"code": code, "message": msg,
			"more_info": "https://cloud.ibm.com/docs/vpc?topic=vpc-rias-error-messages#" + code}},
		"trace":       newID(),
		"status_code": status,
	})
}

// failSoftLayer writes {"error","code"}, which softlayer-go decodes into
// sl.Error{Message, Exception}.
func failSoftLayer(_ *Server, w http.ResponseWriter, _ *http.Request, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"error": msg, "code": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// newID returns a random UUID-shaped id (incident and request ids).
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// statusRecorder remembers what was answered; Unwrap lets
// http.ResponseController reach the connection (Hijack, Flush).
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool // a header or body byte was written
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
