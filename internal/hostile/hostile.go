// Package hostile is a misbehaving layer in front of the simulator
// (internal/sim): for the requests that match a rule it answers in one
// hostile way instead of (or around) the simulated API, so tests can prove
// that ks-doctor neither crashes, hangs, leaks a credential nor prints a
// server's control characters whatever a service sends.
//
// It is an http.Handler wrapping the simulator's handler, served on its own
// loopback listener, plus a second loopback listener that redirects point
// to and that records every credential it receives.
package hostile

import (
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// Kind is one hostile way to answer.
type Kind string

const (
	Null        Kind = "null"         // 200, body `null`
	EmptyObject Kind = "empty-object" // 200, body `{}`
	HTML        Kind = "html"         // 200, an HTML error page as a load balancer sends it
	EchoAuth    Kind = "echo-auth"    // Rule.Status (400 or 500) in the service's error shape, echoing the credentials
	Redirect    Kind = "redirect"     // 307 to the same path on the second listener (another port of this host)
	Drip        Kind = "drip"         // the real answer, a few bytes per tick
	Huge        Kind = "huge"         // 200, HugeSize bytes of whitespace before the real answer, streamed
	RetryAfter  Kind = "retry-after"  // 429 with a Retry-After of about 30 years, in the service's error shape
	Control     Kind = "control"      // the real answer with terminal control characters in every data string
	Shell       Kind = "shell"        // the real answer with shell metacharacters in every data string
)

// Kinds lists every Kind, for tables.
var Kinds = []Kind{Null, EmptyObject, HTML, EchoAuth, Redirect, Drip, Huge, RetryAfter, Control, Shell}

// Rule picks the requests to answer hostilely: Service is a simulator
// service name (iam, iks, resource-manager, user-management,
// account-management, softlayer, vpc) and Path a regexp matched against the
// path below that service's prefix, as sim.Fault does.
type Rule struct {
	Service string
	Path    string
	Kind    Kind
	Status  int // EchoAuth: the status to answer (default 500)
}

// Options tune a Layer.
type Options struct {
	// DripBytes is how many bytes a Drip answer writes per tick (default 16).
	DripBytes int
	// Tick waits between two drips; it returns false to stop (the client
	// left). Default: 1 ms of wall clock, or until the request ends.
	Tick func(r *http.Request) bool
	// HugeSize is the padding of a Huge answer (default 72 MiB: above
	// ks-doctor's 64 MiB body cap, internal/ibm DefaultMaxBody).
	HugeSize int64
}

// RetryAfterSeconds is the Retry-After of a RetryAfter answer.
const RetryAfterSeconds = 999999999

// Layer is the hostile front. Safe for concurrent use.
type Layer struct {
	inner http.Handler
	rules []rule
	opts  Options

	front, target   *http.Server
	frontURL, tgURL string
	hits            atomic.Int64

	mu       sync.Mutex
	received []Received
}

type rule struct {
	Rule
	prefix string
	re     *regexp.Regexp
}

// Received is a credential the redirect target was sent.
type Received struct {
	Method, Path, Header, Value string
}

// prefixes of the simulator's services, by name.
var prefixes = map[string]string{
	"iam": sim.PrefixIAM, "iks": sim.PrefixIKS, "resource-manager": sim.PrefixResourceManager,
	"user-management": sim.PrefixUserManagement, "account-management": sim.PrefixAccountManagement,
	"softlayer": sim.PrefixSoftLayer, "vpc": sim.PrefixVPC,
}

// New wraps inner (a simulator's Handler) with rules.
func New(inner http.Handler, o Options, rules ...Rule) (*Layer, error) {
	if o.DripBytes <= 0 {
		o.DripBytes = 16
	}
	if o.Tick == nil {
		o.Tick = wallTick
	}
	if o.HugeSize <= 0 {
		o.HugeSize = 72 << 20
	}
	l := &Layer{inner: inner, opts: o}
	for _, r := range rules {
		p, ok := prefixes[r.Service]
		if !ok {
			return nil, fmt.Errorf("hostile: unknown service %q", r.Service)
		}
		re, err := regexp.Compile(r.Path)
		if err != nil {
			return nil, fmt.Errorf("hostile: rule %s %s: %v", r.Service, r.Path, err)
		}
		if !known(r.Kind) {
			return nil, fmt.Errorf("hostile: unknown kind %q", r.Kind)
		}
		if r.Status == 0 {
			r.Status = http.StatusInternalServerError
		}
		l.rules = append(l.rules, rule{Rule: r, prefix: p, re: re})
	}
	return l, nil
}

func known(k Kind) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func wallTick(r *http.Request) bool {
	t := time.NewTimer(time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// Start serves the layer and the redirect target on two loopback
// listeners (addr: "127.0.0.1:0").
func (l *Layer) Start(addr string) error {
	if err := sim.CheckLoopback(addr); err != nil {
		return err
	}
	fl, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	tl, err := net.Listen("tcp", addr)
	if err != nil {
		fl.Close()
		return err
	}
	l.frontURL, l.tgURL = "http://"+fl.Addr().String(), "http://"+tl.Addr().String()
	l.front = &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second}
	l.target = &http.Server{Handler: http.HandlerFunc(l.redirected), ReadHeaderTimeout: 10 * time.Second}
	go l.front.Serve(fl)
	go l.target.Serve(tl)
	return nil
}

// URL is the front's base URL after Start.
func (l *Layer) URL() string { return l.frontURL }

// TargetURL is the redirect target's base URL after Start.
func (l *Layer) TargetURL() string { return l.tgURL }

// Close stops both listeners at once (drips and huge bodies end).
func (l *Layer) Close() error {
	var err error
	for _, s := range []*http.Server{l.front, l.target} {
		if s != nil {
			if e := s.Close(); e != nil {
				err = e
			}
		}
	}
	return err
}

// Env returns simEnv (sim.Server.Env) with every URL of the simulator
// simURL pointed at the front instead. The CLI session's IAM endpoint
// (config.json, IAM_ENDPOINT) is left alone.
func (l *Layer) Env(simEnv map[string]string, simURL string) map[string]string {
	out := make(map[string]string, len(simEnv))
	for k, v := range simEnv {
		if strings.HasPrefix(k, "KS_DOCTOR_") {
			v = strings.Replace(v, simURL, l.frontURL, 1)
		}
		out[k] = v
	}
	return out
}

// Hits is how many requests a rule answered.
func (l *Layer) Hits() int64 { return l.hits.Load() }

// Received returns the credentials the redirect target was sent.
func (l *Layer) Received() []Received {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Received(nil), l.received...)
}

// ServeHTTP answers a matching request hostilely and passes any other to
// the simulator.
func (l *Layer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for _, ru := range l.rules {
		if r.URL.Path != ru.prefix && !strings.HasPrefix(r.URL.Path, ru.prefix+"/") {
			continue
		}
		if !ru.re.MatchString(strings.TrimPrefix(r.URL.Path, ru.prefix)) {
			continue
		}
		l.hits.Add(1)
		l.answer(w, r, ru)
		return
	}
	l.inner.ServeHTTP(w, r)
}
