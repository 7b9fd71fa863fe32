package sim

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// LogEntry is one request as logged. It never holds a secret: bodies are
// not logged, Authorization keeps only its scheme, and query values that
// are credentials are replaced by "[redacted]".
//
// For critical-path analysis, Start is the real wall-clock arrival time
// (nanosecond precision, not Options.Now) and DurationMs the time from
// arrival to the handler's return (microsecond precision), injected
// latency included; Seq numbers requests in arrival order (lines are
// written as requests finish).
type LogEntry struct {
	Time       time.Time         `json:"time"`    // when the request finished, by Options.Now
	Start      time.Time         `json:"start"`   // real arrival time
	Seq        int64             `json:"seq"`     // arrival order, from 1
	Service    string            `json:"service"` // iam, iks, resource-manager, user-management, account-management, softlayer, vpc, unknown
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	Query      map[string]string `json:"query,omitempty"`
	Status     int               `json:"status"` // 0: no answer (connection reset, or the client left first)
	DurationMs float64           `json:"durationMs"`
	LatencyMs  float64           `json:"latencyMs,omitempty"` // injected latency, part of DurationMs
	Bytes      int64             `json:"bytes"`               // response body bytes written
	Headers    map[string]string `json:"headers,omitempty"`
	Violation  bool              `json:"violation,omitempty"` // a refused call that would change something
	// Knob says a behaviour knob answered instead of the simulated API:
	// "rate-limit", or "fault:<kind>" (fault:429, fault:503, fault:reset,
	// fault:hang, fault:malformed, fault:empty, fault:huge, fault:expired).
	Knob string `json:"knob,omitempty"`
}

// entryMeta is what the log wrapper measured about one request.
type entryMeta struct {
	seq           int64
	start         time.Time
	service, knob string
	status        int
	d, latency    time.Duration
	violation     bool
	bytes         int64
}

const redacted = "[redacted]"

// loggedHeaders are the request headers worth seeing when debugging scoping.
var loggedHeaders = []string{"X-Region", "X-Auth-Resource-Group", "X-Auth-Resource-Group-Id", "User-Agent"}

// secretParam tells whether a query parameter name carries a credential.
func secretParam(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"key", "token", "password", "secret", "passcode"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func (s *Server) record(r *http.Request, m entryMeta) {
	e := LogEntry{
		Time: s.opts.Now().UTC(), Start: m.start.UTC(), Seq: m.seq, Service: m.service, Method: r.Method,
		Status: m.status, DurationMs: float64(m.d.Microseconds()) / 1000, LatencyMs: float64(m.latency.Microseconds()) / 1000,
		Bytes: m.bytes, Violation: m.violation, Knob: m.knob,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	segs := strings.Split(r.URL.Path, "/")
	for i, seg := range segs {
		if s.looksSecret(seg) {
			segs[i] = redacted
		}
	}
	e.Path = strings.Join(segs, "/")
	for k, vs := range r.URL.Query() {
		v := strings.Join(vs, ",")
		if secretParam(k) || s.looksSecret(v) {
			v = redacted
		}
		if e.Query == nil {
			e.Query = map[string]string{}
		}
		e.Query[k] = v
	}
	for _, h := range loggedHeaders {
		if v := r.Header.Get(h); v != "" {
			if s.looksSecret(v) {
				v = redacted
			}
			if e.Headers == nil {
				e.Headers = map[string]string{}
			}
			e.Headers[h] = v
		}
	}
	if a := r.Header.Get("Authorization"); a != "" {
		// Only a known scheme word is kept: whatever the header's shape (no
		// space, a tab, an unknown scheme), the credential never is.
		v := redacted
		if f := strings.Fields(a); len(f) > 1 && (strings.EqualFold(f[0], "Bearer") || strings.EqualFold(f[0], "Basic")) {
			v = f[0] + " " + redacted
		}
		if e.Headers == nil {
			e.Headers = map[string]string{}
		}
		e.Headers["Authorization"] = v
	}
	s.requests = append(s.requests, e)
	if s.opts.Log != nil {
		line, _ := json.Marshal(e)
		s.opts.Log.Write(append(line, '\n'))
	}
}

// looksSecret catches a credential passed where none belongs (say, a token
// in a cluster name): a planted secret, a refresh token ever issued, or a
// JWT. Caller holds s.mu.
// looksSecret: a value that is, or holds, a secret of the scenario or a
// JWT-shaped string is never logged.
func (s *Server) looksSecret(v string) bool {
	if s.secrets[v] || strings.Contains(v, "eyJ") {
		return true
	}
	for secret := range s.secrets {
		if len(secret) >= 8 && strings.Contains(v, secret) {
			return true
		}
	}
	return false
}

// Requests returns a copy of every request logged so far.
func (s *Server) Requests() []LogEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LogEntry(nil), s.requests...)
}

// Violations returns the refused calls that would have changed something.
func (s *Server) Violations() []LogEntry {
	var out []LogEntry
	for _, e := range s.Requests() {
		if e.Violation {
			out = append(out, e)
		}
	}
	return out
}
