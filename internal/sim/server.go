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
	"strings"
	"sync"
	"time"
)

// Path prefixes of the simulated services on the one listener.
const (
	PrefixIAM             = "/iam"
	PrefixIKS             = "/iks/global"
	PrefixResourceManager = "/resource-manager"
)

// Options tune a Server.
type Options struct {
	// Log receives one JSON line per request (in addition to Requests()).
	Log io.Writer
	// Now is the clock; nil means time.Now. Tokens' iat/exp use it.
	Now func() time.Time
}

// Server is a running (or runnable) simulator for one scenario. It is safe
// for concurrent use.
type Server struct {
	sc   *Scenario
	opts Options
	key  []byte // HMAC key: only tokens minted by this server are accepted

	mu       sync.Mutex
	refresh  map[string]string // live refresh token -> user IAM id; rotated on use
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
	s := &Server{sc: sc, opts: opts, key: make([]byte, 32), refresh: map[string]string{}, secrets: map[string]bool{}}
	rand.Read(s.key)
	for _, v := range sc.Secrets() {
		s.secrets[v] = true
	}
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
func (s *Server) Close() error {
	if s.httpSrv == nil {
		return nil
	}
	// Shutdown waits for in-flight requests, but counts a connection that a
	// client dialled and never used (Go's transport races dials) as busy for
	// five seconds; after a short grace period, close whatever is left.
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	if err := s.httpSrv.Shutdown(ctx); errors.Is(err, context.DeadlineExceeded) {
		return s.httpSrv.Close()
	}
	return nil
}

// Env keys written to the env file, in order.
var EnvKeys = []string{"IBMCLOUD_HOME", "IAM_ENDPOINT", "KS_DOCTOR_IAM_URL", "KS_DOCTOR_IKS_URL", "KS_DOCTOR_RESOURCE_MANAGER_URL", "KS_DOCTOR_SIM_URL"}

// Env returns the environment that points the CLI SDK (IBMCLOUD_HOME,
// IAM_ENDPOINT) and ks-doctor (KS_DOCTOR_*_URL) at this server. home is the
// directory holding .bluemix/config.json (see WriteSession).
func (s *Server) Env(home string) map[string]string {
	return map[string]string{
		"IBMCLOUD_HOME":                  home,
		"IAM_ENDPOINT":                   s.url + PrefixIAM,
		"KS_DOCTOR_IAM_URL":              s.url + PrefixIAM,
		"KS_DOCTOR_IKS_URL":              s.url + PrefixIKS,
		"KS_DOCTOR_RESOURCE_MANAGER_URL": s.url + PrefixResourceManager,
		"KS_DOCTOR_SIM_URL":              s.url,
	}
}

// Handler routes by path prefix and logs every request.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		service, violation := s.route(rec, r)
		s.record(r, service, rec.status, time.Since(start), violation)
	})
}

// route dispatches one request and reports the service name and whether the
// request was a refused mutating call.
func (s *Server) route(w http.ResponseWriter, r *http.Request) (service string, violation bool) {
	p := r.URL.Path
	switch {
	case under(p, PrefixIAM):
		service, p = "iam", strings.TrimPrefix(p, PrefixIAM)
		if p == "/identity/token" && r.Method == http.MethodPost {
			s.token(w, r)
			return service, false
		}
	case under(p, PrefixIKS):
		service, p = "iks", strings.TrimPrefix(p, PrefixIKS)
	case under(p, PrefixResourceManager):
		service, p = "resource-manager", strings.TrimPrefix(p, PrefixResourceManager)
	default:
		ikserror(w, http.StatusNotFound, "SIM404", "General", "ks-doctor-sim does not simulate "+r.URL.Path+".", "")
		return "unknown", false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// Checked before auth: any attempt to change something is a bug in
		// ks-doctor, whatever its credentials.
		ikserror(w, http.StatusMethodNotAllowed, "SIM405", "General",
			fmt.Sprintf("ks-doctor-sim refused %s %s: ks-doctor is read-only and must never call an API that changes something.", r.Method, r.URL.Path), "")
		return service, true
	}
	claims, ok := s.authenticate(r)
	if !ok {
		ikserror(w, http.StatusUnauthorized, "A0003", "Authentication",
			"Your IAM token could not be verified. Log in again and retry.", "To log in to IBM Cloud, run 'ibmcloud login'.")
		return service, false
	}
	switch service {
	case "iks":
		s.iks(w, r, p, claims)
	case "resource-manager":
		s.resourceManager(w, r, p, claims)
	default:
		ikserror(w, http.StatusNotFound, "SIM404", "General", "ks-doctor-sim does not simulate "+r.URL.Path+".", "")
	}
	return service, false
}

func under(p, prefix string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") }

// ikserror writes the IKS error body. Never an "errors" array: go-sdk-core
// panics on an empty one, and IKS does not send one.
func ikserror(w http.ResponseWriter, status int, code, typ, desc, recovery string) {
	body := map[string]string{"incidentID": newID(), "code": code, "description": desc, "type": typ}
	if recovery != "" {
		body["recoveryCLI"] = recovery
	}
	writeJSON(w, status, body)
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

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
