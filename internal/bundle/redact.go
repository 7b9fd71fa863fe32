package bundle

import "github.com/ks-doctor/ks-doctor/internal/scrub"

// Redacted replaces every value the scrubber removes.
const Redacted = scrub.Redacted

// Redaction happens at the source: the caller builds files from plain facts,
// which hold no token or key. The scrubber is the second line: whatever
// slipped through (a service echoing a header into an error message, a
// token pasted into a worker's status) is replaced before anything is
// hashed or written. What it masks is internal/scrub's, the same for every
// output of ks-doctor.

// Scrubber removes secrets from bytes: the exact values it was given (the
// session's tokens) and anything shaped like a credential.
type Scrubber struct {
	s *scrub.Scrubber
}

// NewScrubber returns a scrubber for the given exact values (see
// scrub.Scrubber.Add: values shorter than 8 bytes are ignored, a "Bearer "
// prefix is stripped).
func NewScrubber(secrets ...string) *Scrubber {
	return &Scrubber{s: scrub.New(secrets...)}
}

// Scrub returns b with every secret replaced by Redacted, and how many
// replacements were made. b itself is not modified.
func (s *Scrubber) Scrub(b []byte) ([]byte, int) { return s.s.Scrub(b) }

// ScrubString is Scrub for a string, without the count.
func (s *Scrubber) ScrubString(v string) string { return s.s.String(v) }
