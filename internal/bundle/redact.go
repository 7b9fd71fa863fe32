package bundle

import (
	"bytes"
	"regexp"
)

// Redacted replaces every value the scrubber removes.
const Redacted = "[REDACTED]"

// Redaction happens at the source: the caller builds files from plain facts,
// which hold no token or key. The scrubber is the second line: whatever
// slipped through (a service echoing a header into an error message, a
// token pasted into a worker's status) is replaced before anything is
// hashed or written.
var patterns = []struct {
	// re's last group is the secret; what precedes it in the match stays.
	re *regexp.Regexp
	// ok decides whether a match is a secret rather than prose; nil: always.
	ok func(secret []byte) bool
}{
	// A JWT, or any base64url-encoded JSON object: both start with eyJ ({").
	{re: regexp.MustCompile(`(eyJ[A-Za-z0-9_\-+/=.]*)`)},
	// Authorization header values; "Basic authentication" is prose, a
	// credential has a digit or a base64 symbol.
	{re: regexp.MustCompile(`(?i)\b(?:bearer|basic)\s+([A-Za-z0-9._~+/=\-]{12,})`), ok: tokenLike},
	// key=value, "key": "value" and key: value for the usual secret names.
	{re: regexp.MustCompile(`(?i)"?\b(?:api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|password|passwd|secret)"?\s*[:=]\s*"?([^"\s,;&}\]\[]{4,})`)},
}

func tokenLike(b []byte) bool {
	return bytes.ContainsAny(b, "0123456789+/=")
}

// Scrubber removes secrets from bytes: the exact values it was given (the
// session's tokens) and anything matching the secret patterns.
type Scrubber struct {
	exact [][]byte
}

// NewScrubber returns a scrubber for the given exact values; values shorter
// than 8 bytes are ignored (they would match ordinary text). A "Bearer "
// prefix is stripped, so the CLI's stored token form works as given.
func NewScrubber(secrets ...string) *Scrubber {
	s := &Scrubber{}
	for _, v := range secrets {
		b := bytes.TrimSpace([]byte(v))
		for _, p := range [][]byte{[]byte("Bearer "), []byte("bearer ")} {
			b = bytes.TrimPrefix(b, p)
		}
		if len(b) >= 8 {
			s.exact = append(s.exact, b)
		}
	}
	return s
}

// Scrub returns b with every secret replaced by Redacted, and how many
// replacements were made. b itself is not modified.
func (s *Scrubber) Scrub(b []byte) ([]byte, int) {
	n := 0
	for _, v := range s.exact {
		if c := bytes.Count(b, v); c > 0 {
			n += c
			b = bytes.ReplaceAll(b, v, []byte(Redacted))
		}
	}
	for _, p := range patterns {
		b = p.re.ReplaceAllFunc(b, func(m []byte) []byte {
			loc := p.re.FindSubmatchIndex(m)
			i, j := loc[len(loc)-2], loc[len(loc)-1]
			if i < 0 || (p.ok != nil && !p.ok(m[i:j])) {
				return m
			}
			n++
			out := make([]byte, 0, len(m)-(j-i)+len(Redacted))
			out = append(append(append(out, m[:i]...), Redacted...), m[j:]...)
			return out
		})
	}
	return b, n
}

// ScrubString is Scrub for a string, without the count.
func (s *Scrubber) ScrubString(v string) string {
	b, _ := s.Scrub([]byte(v))
	return string(b)
}
