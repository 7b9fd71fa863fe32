package sim

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

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
