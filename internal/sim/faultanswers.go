package sim

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// What an injected fault answers: faultLayer applies the first matching
// fault, in the error shape of the service the request addresses.

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
