// Package scrub removes secrets from anything ks-doctor prints, logs,
// traces or archives: one place for the idea, used by every output.
//
// A Scrubber masks two kinds of text with Redacted:
//   - exact values it was given (the session's tokens, API keys, the
//     infrastructure keys), also in their URL-escaped and JSON-escaped forms;
//   - anything shaped like a credential, even from a nil Scrubber: Bearer and
//     Basic header values, JWTs, and apikey / refresh_token / password style
//     key=value and "key": "value" pairs (see patterns.go).
//
// Masking is line-local: no shape reaches across a line break, so a Writer
// can pass each finished line on at once.
package scrub

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Redacted replaces every masked value.
const Redacted = "[REDACTED]"

// MinSecretLen is the shortest value Add accepts: shorter ones would match
// ordinary words.
const MinSecretLen = 8

// Scrubber masks secrets. The zero value and a nil *Scrubber mask the
// shapes only. It is safe for concurrent use.
type Scrubber struct {
	mu      sync.RWMutex
	forms   [][]byte // every accepted secret in every encoding, longest first
	seen    map[string]bool
	longest int  // length of the longest form
	multi   bool // some form holds a line break: the Writer may not cut at lines
}

// New returns a Scrubber that masks the given secret values (see Add).
func New(secrets ...string) *Scrubber {
	s := &Scrubber{}
	s.Add(secrets...)
	return s
}

// Add makes s mask more values. Surrounding space and a "Bearer " prefix
// (the CLI stores the access token that way) are dropped; what is left is
// ignored when shorter than MinSecretLen or when it is part of Redacted
// itself (masking it could never succeed, and no key looks like that).
func (s *Scrubber) Add(secrets ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	// Copy on write: a snapshot taken by a running Scrub stays intact.
	forms := append([][]byte(nil), s.forms...)
	for _, v := range secrets {
		v = strings.TrimSpace(v)
		for _, p := range []string{"Bearer ", "bearer ", "BEARER "} {
			v = strings.TrimPrefix(v, p)
		}
		if len(v) < MinSecretLen || strings.Contains(Redacted, v) {
			continue
		}
		for _, f := range encodings(v) {
			if s.seen[f] {
				continue
			}
			s.seen[f] = true
			forms = append(forms, []byte(f))
			s.longest = max(s.longest, len(f))
			s.multi = s.multi || strings.ContainsAny(f, "\r\n")
		}
	}
	sort.SliceStable(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	s.forms = forms
}

// encodings are the ways a secret shows up in text: as is, in a URL (query
// and path escaping) and inside a JSON string (Go's encoder escapes <, >
// and & by default, other encoders also escape /).
func encodings(v string) []string {
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	var b bytes.Buffer
	for _, html := range []bool{true, false} {
		b.Reset()
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		_ = enc.Encode(v) // a string always encodes
		q := strings.TrimSuffix(b.String(), "\n")
		q = q[1 : len(q)-1]
		out = append(out, q, strings.ReplaceAll(q, "/", `\/`))
	}
	return out
}

// String returns in with every secret masked.
func (s *Scrubber) String(in string) string {
	out, _ := s.Scrub([]byte(in))
	return string(out)
}

// Bytes returns a masked copy of in; in is not modified.
func (s *Scrubber) Bytes(in []byte) []byte {
	out, _ := s.Scrub(in)
	return out
}

// Scrub returns a masked copy of in and how many runs of text it masked
// (adjacent and overlapping secrets count once). in is not modified.
func (s *Scrubber) Scrub(in []byte) ([]byte, int) {
	forms := s.snapshot()
	sp := spans(in, forms)
	if len(sp) == 0 {
		return append([]byte(nil), in...), 0
	}
	return settle(render(in, sp), forms), len(sp)
}

// snapshot returns the forms to search for; nil for a nil Scrubber.
func (s *Scrubber) snapshot() [][]byte {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.forms // Add replaces the slice, never changes it
}

// multiline tells whether some secret form holds a line break.
func (s *Scrubber) multiline() bool {
	if s == nil {
		return false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.multi
}
