package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Behaviour knobs: latency, a per-service rate limit and fault injection,
// applied in that order between the request log and dispatch
// (Server.wrap). Each can be set in Options or changed while serving.

// FaultKind is what an injected fault does to a matching request.
type FaultKind string

const (
	// FaultStatus answers Fault.Status (400-599) with an error body in the
	// service's own shape (Server.fail), with Retry-After when set (429:
	// Retry-After: 1 unless Fault.RetryAfter says otherwise).
	FaultStatus FaultKind = "status"
	// FaultExpired answers as for an expired access token: 401 in the
	// service's shape with its usual code (IKS A0003 ...); SoftLayer answers
	// 500 SoftLayer_Exception_Account_Authentication_AccessTokenValidation,
	// as it does for an expired bearer token.
	FaultExpired FaultKind = "expired"
	// FaultReset closes the connection without an answer (TCP RST).
	FaultReset FaultKind = "reset"
	// FaultHang answers nothing until the client goes away or the server
	// closes; with Fault.Hang > 0, the request is then served normally after
	// that long (a slow answer).
	FaultHang FaultKind = "hang"
	// FaultMalformed answers 200 with the first half of the real body:
	// truncated JSON.
	FaultMalformed FaultKind = "malformed"
	// FaultEmpty answers 200 with no body at all.
	FaultEmpty FaultKind = "empty"
	// FaultNull answers 200 with the JSON body null: it parses, and says
	// nothing (a correct client reads it as a failed read, not "none").
	FaultNull FaultKind = "null"
	// FaultEmptyObject answers 200 with the JSON body {}: it parses (into a
	// struct or as a list's wrapper object), and says nothing.
	FaultEmptyObject FaultKind = "emptyobject"
	// FaultHuge answers the real response with Fault.Size bytes (default
	// 20 MiB) of padding: a "simPadding" string property in the object (or
	// in an array's first object), else trailing whitespace. The JSON stays
	// valid and means the same.
	FaultHuge FaultKind = "huge"
)

// DefaultHugeSize is the padding of a FaultHuge without a Size.
const DefaultHugeSize = 20 << 20

// Fault injects a failure into the requests it matches.
type Fault struct {
	// Service restricts the fault to one service (iam, iks,
	// resource-manager, user-management, account-management, softlayer,
	// vpc); "" = any.
	Service string
	// Method restricts it to one HTTP method; "" = any.
	Method string
	// Path is a regular expression (unanchored) matched against the path
	// below the service prefix (/v1/clusters/x/workers for IKS,
	// /SoftLayer_Account/getVirtualGuests.json for SoftLayer,
	// /us-south/v1/subnets for VPC) and against the full path; a match on
	// either applies. "" matches every path.
	Path string
	Kind FaultKind
	// Status is the HTTP status of a FaultStatus.
	Status int
	// Code is the error code of a FaultStatus; "" = the service's usual
	// code for that status (IKS 401 A0003, SoftLayer 404
	// SoftLayer_Exception_ObjectNotFound, 429
	// SoftLayer_Exception_WebService_RateLimitExceeded ...), else SIM<status>.
	Code string
	// RetryAfter is the Retry-After header of a FaultStatus, in seconds;
	// 0 = none, except 1 for a 429.
	RetryAfter int
	// Hang is how long a FaultHang holds the request before serving it
	// normally; 0 = until the client goes away or the server closes.
	Hang time.Duration
	// Size is the padding of a FaultHuge in bytes; 0 = DefaultHugeSize.
	Size int
	// Count applies the fault to the first Count matching requests only,
	// then the requests are served normally (retries can succeed); 0 = to
	// every matching request.
	Count int
}

// ServiceNames are the simulated services, as logged and as Fault.Service
// and rate limits name them.
func ServiceNames() []string {
	var out []string
	for _, svc := range services {
		out = append(out, svc.name)
	}
	return out
}

// Validate checks a fault without installing it.
func (f Fault) Validate() error {
	_, err := compileFault(f)
	return err
}

func compileFault(f Fault) (*activeFault, error) {
	if f.Service != "" && !slices.Contains(ServiceNames(), f.Service) {
		return nil, fmt.Errorf("fault: unknown service %q (one of: %s)", f.Service, strings.Join(ServiceNames(), ", "))
	}
	re, err := regexp.Compile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("fault: bad path pattern %q: %v", f.Path, err)
	}
	switch f.Kind {
	case FaultStatus:
		if f.Status < 400 || f.Status > 599 {
			return nil, fmt.Errorf("fault: status must be 400-599, got %d", f.Status)
		}
	case FaultExpired, FaultReset, FaultHang, FaultMalformed, FaultEmpty, FaultNull, FaultEmptyObject, FaultHuge:
	default:
		return nil, fmt.Errorf("fault: unknown kind %q", f.Kind)
	}
	if f.Count < 0 || f.RetryAfter < 0 || f.Hang < 0 || f.Size < 0 {
		return nil, errors.New("fault: count, retry-after, hang and size must not be negative")
	}
	return &activeFault{Fault: f, re: re}, nil
}

// String renders the fault in the --fault syntax.
func (f Fault) String() string {
	var b strings.Builder
	if f.Method != "" {
		b.WriteString(f.Method + " ")
	}
	if f.Service != "" {
		b.WriteString(f.Service + ":")
	}
	b.WriteString(f.Path + "=" + f.kindName())
	switch {
	case f.Kind == FaultStatus && f.RetryAfter > 0:
		fmt.Fprintf(&b, ":%d", f.RetryAfter)
	case f.Kind == FaultHang && f.Hang > 0:
		b.WriteString(":" + f.Hang.String())
	case f.Kind == FaultHuge && f.Size > 0:
		fmt.Fprintf(&b, ":%d", f.Size)
	}
	if f.Count > 0 {
		fmt.Fprintf(&b, "x%d", f.Count)
	}
	return b.String()
}

// kindName is the kind as --fault and the log's knob field spell it: the
// status number for a FaultStatus.
func (f Fault) kindName() string {
	if f.Kind == FaultStatus {
		return strconv.Itoa(f.Status)
	}
	return string(f.Kind)
}

var faultSpecRe = regexp.MustCompile(`^(?:([A-Z]+) )?(?:(iam|iks|resource-manager|user-management|account-management|softlayer|vpc):)?(.*)=([a-z0-9]+?)(?::([^=]*?))?(?:x([0-9]+))?$`)

// serviceLikeRe catches a misspelt SERVICE: prefix, which would otherwise
// become part of the pattern and silently match nothing.
var serviceLikeRe = regexp.MustCompile(`^([a-z][a-z-]*):`)

// ParseFault reads the --fault syntax:
//
//	[METHOD ][SERVICE:]PATTERN=KIND[:ARG][xCOUNT]
//
// KIND is an HTTP status 400-599 (ARG: Retry-After seconds; 429 defaults to
// 1), expired, reset, hang (ARG: a Go duration after which the request is
// served normally), malformed, empty, null, emptyobject or huge (ARG: bytes,
// or with a KiB/MiB suffix). Examples: "softlayer:getVirtualGuests=429:2x3",
// "GET iks:^/v1/clusters/[^/]+/workers$=hangx1", "=503" (every request).
func ParseFault(spec string) (Fault, error) {
	m := faultSpecRe.FindStringSubmatch(spec)
	if m == nil {
		return Fault{}, fmt.Errorf("fault %q: want [METHOD ][SERVICE:]PATTERN=KIND[:ARG][xCOUNT]", spec)
	}
	f := Fault{Method: m[1], Service: m[2], Path: m[3]}
	if m := serviceLikeRe.FindStringSubmatch(f.Path); f.Service == "" && m != nil {
		return Fault{}, fmt.Errorf("fault %q: unknown service %q (one of: %s)", spec, m[1], strings.Join(ServiceNames(), ", "))
	}
	kind, arg := m[4], m[5]
	if m[6] != "" {
		n, err := strconv.Atoi(m[6])
		if err != nil || n < 1 {
			return Fault{}, fmt.Errorf("fault %q: bad count %q", spec, m[6])
		}
		f.Count = n
	}
	noArg := func() error {
		if arg != "" {
			return fmt.Errorf("fault %q: %s takes no argument", spec, kind)
		}
		return nil
	}
	var err error
	switch kind {
	case "expired", "reset", "malformed", "empty", "null", "emptyobject":
		f.Kind, err = FaultKind(kind), noArg()
	case "hang":
		f.Kind = FaultHang
		if arg != "" {
			if f.Hang, err = time.ParseDuration(arg); err != nil || f.Hang <= 0 {
				err = fmt.Errorf("fault %q: hang wants a positive duration such as 30s, got %q", spec, arg)
			}
		}
	case "huge":
		f.Kind = FaultHuge
		if arg != "" {
			if f.Size, err = parseSize(arg); err != nil {
				err = fmt.Errorf("fault %q: %v", spec, err)
			}
		}
	default:
		f.Kind = FaultStatus
		if f.Status, err = strconv.Atoi(kind); err != nil {
			return Fault{}, fmt.Errorf("fault %q: unknown kind %q (an HTTP status 400-599, expired, reset, hang, malformed, empty, null, emptyobject, huge)", spec, kind)
		}
		if arg != "" {
			if f.RetryAfter, err = strconv.Atoi(arg); err != nil || f.RetryAfter < 0 {
				err = fmt.Errorf("fault %q: Retry-After wants whole seconds, got %q", spec, arg)
			}
		}
	}
	if err != nil {
		return Fault{}, err
	}
	if err := f.Validate(); err != nil {
		return Fault{}, fmt.Errorf("%q: %v", spec, err)
	}
	return f, nil
}

func parseSize(s string) (int, error) {
	mult := 1
	for suffix, m := range map[string]int{"KiB": 1 << 10, "MiB": 1 << 20, "K": 1 << 10, "M": 1 << 20} {
		if n, ok := strings.CutSuffix(s, suffix); ok && n != "" {
			s, mult = n, m
			break
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1<<30/mult {
		return 0, fmt.Errorf("huge wants a size in bytes (or KiB/MiB) up to 1 GiB, got %q", s)
	}
	return n * mult, nil
}

// activeFault is an installed fault with its compiled pattern and how many
// requests it has answered.
type activeFault struct {
	Fault
	re   *regexp.Regexp
	used int
}

func (f *activeFault) matches(service, method, below, full string) bool {
	return (f.Service == "" || f.Service == service) && (f.Method == "" || strings.EqualFold(f.Method, method)) &&
		(f.re.MatchString(below) || f.re.MatchString(full))
}

// knobState is the live knob settings, guarded by mu.
type knobState struct {
	mu              sync.Mutex
	latency, jitter time.Duration
	rate            float64
	rates           map[string]float64
	buckets         map[string]*bucket
	faults          []*activeFault
}

// SetLatency changes the injected latency and jitter while serving.
func (s *Server) SetLatency(latency, jitter time.Duration) {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.latency, s.knobs.jitter = max(0, latency), max(0, jitter)
}

// SetRateLimit changes the per-service rate limit while serving: perSecond
// for every service, overridden per service name by perService (0 =
// unlimited). Buckets start full.
func (s *Server) SetRateLimit(perSecond float64, perService map[string]float64) error {
	for name, r := range perService {
		if !slices.Contains(ServiceNames(), name) {
			return fmt.Errorf("rate limit: unknown service %q (one of: %s)", name, strings.Join(ServiceNames(), ", "))
		}
		if r < 0 {
			return fmt.Errorf("rate limit of %s must not be negative", name)
		}
	}
	if perSecond < 0 {
		return errors.New("rate limit must not be negative")
	}
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.rate, s.knobs.rates, s.knobs.buckets = perSecond, perService, map[string]*bucket{}
	return nil
}

// SetFaults replaces the injected faults while serving; their counts start
// again from zero. No fault is installed if one is invalid.
func (s *Server) SetFaults(faults ...Fault) error {
	var active []*activeFault
	for _, f := range faults {
		af, err := compileFault(f)
		if err != nil {
			return err
		}
		active = append(active, af)
	}
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.faults = active
	return nil
}

// claimFault finds the first fault that matches and has requests left,
// and counts the request against it.
func (s *Server) claimFault(service, method, below, full string) *activeFault {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	for _, f := range s.knobs.faults {
		if (f.Count == 0 || f.used < f.Count) && f.matches(service, method, below, full) {
			f.used++
			return f
		}
	}
	return nil
}

// bucket is a token bucket holding up to one second's worth of requests.
type bucket struct {
	tokens float64
	last   time.Time
}

// allow takes a token from service's bucket, or says the request is over
// the limit.
func (s *Server) allow(service string, now time.Time) bool {
	k := &s.knobs
	k.mu.Lock()
	defer k.mu.Unlock()
	rate := k.rate
	if r, ok := k.rates[service]; ok {
		rate = r
	}
	if rate <= 0 {
		return true
	}
	burst := max(1, rate)
	b := k.buckets[service]
	if b == nil {
		b = &bucket{tokens: burst, last: now}
		k.buckets[service] = b
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func reqInfoOf(r *http.Request) *reqInfo {
	if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		return info
	}
	return &reqInfo{service: "unknown"}
}

// wait blocks for d, or until the client goes away or the server closes;
// it tells whether the whole time passed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

// latencyLayer delays each request on its own goroutine, so concurrent
// requests overlap.
func (s *Server) latencyLayer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.knobs.mu.Lock()
		d, jitter := s.knobs.latency, s.knobs.jitter
		s.knobs.mu.Unlock()
		if jitter > 0 {
			d += rand.N(jitter)
		}
		if d > 0 {
			reqInfoOf(r).latency = d
			if !s.wait(r.Context(), d) {
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// rateLimitLayer answers 429 with Retry-After: 1 once a service's bucket
// is empty.
func (s *Server) rateLimitLayer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := reqInfoOf(r)
		if info.service == "unknown" || s.allow(info.service, time.Now()) {
			next.ServeHTTP(w, r)
			return
		}
		info.knob = "rate-limit"
		w.Header().Set("Retry-After", "1")
		s.fail(w, r, http.StatusTooManyRequests, faultCode(info.service, http.StatusTooManyRequests),
			fmt.Sprintf("ks-doctor-sim: the rate limit of the %s service was exceeded; retry after 1 second.", info.service))
	})
}

// faultLayer applies the first matching fault.
func (s *Server) faultLayer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := reqInfoOf(r)
		below := r.URL.Path
		if svc := serviceOf(r.URL.Path); svc != nil {
			below = strings.TrimPrefix(r.URL.Path, svc.prefix)
		}
		f := s.claimFault(info.service, r.Method, below, r.URL.Path)
		if f == nil {
			next.ServeHTTP(w, r)
			return
		}
		info.knob = "fault:" + f.kindName()
		switch f.Kind {
		case FaultStatus:
			retry := f.RetryAfter
			if retry == 0 && f.Status == http.StatusTooManyRequests {
				retry = 1
			}
			if retry > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(retry))
			}
			code := f.Code
			if code == "" {
				code = faultCode(info.service, f.Status)
			}
			s.fail(w, r, f.Status, code, fmt.Sprintf("ks-doctor-sim injected HTTP %d %s.", f.Status, http.StatusText(f.Status)))
		case FaultExpired:
			s.expired(w, r, info.service)
		case FaultReset:
			info.reset = true
			reset(w)
		case FaultHang:
			if f.Hang == 0 {
				select {
				case <-r.Context().Done():
				case <-s.done:
				}
			} else if s.wait(r.Context(), f.Hang) {
				next.ServeHTTP(w, r)
			}
		case FaultEmpty:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusOK)
		case FaultNull, FaultEmptyObject:
			body := "null"
			if f.Kind == FaultEmptyObject {
				body = "{}"
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(body))
		case FaultMalformed, FaultHuge:
			rec := &bufferWriter{h: http.Header{}}
			next.ServeHTTP(rec, r)
			body := rec.buf.Bytes()
			for k, v := range rec.h {
				if k != "Content-Length" {
					w.Header()[k] = v
				}
			}
			w.Header().Set("Content-Type", "application/json")
			if f.Kind == FaultMalformed {
				cut := []byte(`{"`)
				if len(body) > 1 {
					cut = body[:len(body)/2]
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(cut)))
				w.WriteHeader(http.StatusOK)
				w.Write(cut)
				return
			}
			size := f.Size
			if size == 0 {
				size = DefaultHugeSize
			}
			writeHuge(w, orStatus(rec.status), body, size)
		}
	})
}

func orStatus(status int) int {
	if status == 0 {
		return http.StatusOK
	}
	return status
}

// faultCode is the error code a service uses for a status, where one is
// known; else the simulator's own SIM<status>.
func faultCode(service string, status int) string {
	switch service {
	case "softlayer":
		switch status {
		case http.StatusUnauthorized:
			return slInvalidLogin
		case http.StatusForbidden:
			return slDenied
		case http.StatusNotFound:
			return slNotFound
		case http.StatusTooManyRequests:
			return "SoftLayer_Exception_WebService_RateLimitExceeded"
		}
		return "SoftLayer_Exception_Public"
	case "iks":
		switch status {
		case http.StatusUnauthorized:
			return "A0003"
		case http.StatusForbidden:
			return iksForbidden
		}
	case "iam":
		if status == http.StatusForbidden {
			return "BXNIM0513E"
		}
	case "resource-manager", "user-management", "account-management", "vpc":
		switch status {
		case http.StatusUnauthorized:
			return platformUnauthorized
		case http.StatusForbidden:
			return platformForbidden
		case http.StatusNotFound:
			return "not_found"
		}
	}
	return fmt.Sprintf("SIM%d", status)
}

// expired answers as each service does for an expired access token.
func (s *Server) expired(w http.ResponseWriter, r *http.Request, service string) {
	switch service {
	case "softlayer":
		failSoftLayer(s, w, r, http.StatusInternalServerError, slTokenInvalid, "The IAM access token is invalid or expired.")
	case "iks":
		s.fail(w, r, http.StatusUnauthorized, "A0003", "Your IAM token could not be verified. Log in again and retry.")
	case "iam":
		s.fail(w, r, http.StatusUnauthorized, "SIM401", "ks-doctor-sim: the access token is missing, malformed, foreign or expired.")
	default:
		s.fail(w, r, http.StatusUnauthorized, platformUnauthorized, platformUnauthMsg)
	}
}

// reset closes the client's connection without an answer; SO_LINGER 0
// makes the close a TCP RST ("connection reset by peer").
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // not hijackable (HTTP/2): abort the stream
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// bufferWriter captures a handler's answer for the faults that rewrite it.
type bufferWriter struct {
	h      http.Header
	status int
	buf    bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.h }

func (b *bufferWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.buf.Write(p)
}

// writeHuge streams body with size bytes of padding that keeps it valid
// JSON of the same meaning: a "simPadding" string property first in the
// top-level object (or the first object of a top-level array), else
// whitespace after the document.
func writeHuge(w http.ResponseWriter, status int, body []byte, size int) {
	prefix, rest, comma := body, []byte(nil), false
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	at := len(body) - len(trimmed)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		inner := bytes.TrimLeft(trimmed[1:], " \t\r\n")
		if len(inner) > 0 && inner[0] == '{' {
			at = len(body) - len(inner)
			trimmed = inner
		}
	}
	property := len(trimmed) > 0 && trimmed[0] == '{'
	if property {
		prefix, rest = body[:at+1], body[at+1:]
		after := bytes.TrimLeft(rest, " \t\r\n")
		comma = len(after) > 0 && after[0] != '}'
	} else if len(body) == 0 {
		prefix, rest, property = []byte("{"), []byte("}"), true
	}
	total := len(prefix) + size + len(rest)
	if property {
		total += len(`"simPadding":""`)
		if comma {
			total++
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(total))
	w.WriteHeader(status)
	w.Write(prefix)
	fill := byte(' ')
	if property {
		w.Write([]byte(`"simPadding":"`))
		fill = 'x'
	}
	chunk := bytes.Repeat([]byte{fill}, 64<<10)
	for left := size; left > 0; left -= len(chunk) {
		if _, err := w.Write(chunk[:min(left, len(chunk))]); err != nil {
			return // the client went away
		}
	}
	if property {
		w.Write([]byte(`"`))
		if comma {
			w.Write([]byte(","))
		}
	}
	w.Write(rest)
}
