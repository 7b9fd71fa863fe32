package sim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The --fault syntax: ParseFault reads it, Fault.String writes it.

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
