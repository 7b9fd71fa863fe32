package scrub

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzScrub plants a secret in arbitrary text: neither String nor a Writer
// fed in two pieces may let it out. Secrets that cannot be masked by
// design (shorter than MinSecretLen, or part of Redacted) are not planted.
func FuzzScrub(f *testing.F) {
	f.Add("before ", "KSDOCTORCANARY-abc123", " after", 3)
	f.Add("ED]ab", "ED]abcde", "abcde", 1)
	f.Add(`{"x":"`, "a/b&c<d>e\"q", `"}`, 7)
	f.Add("Bearer ", "eyJhbGciOiJIUzI1NiJ9", ".x.y", 0)
	f.Fuzz(func(t *testing.T, pre, secret, post string, split int) {
		v := strings.TrimSpace(secret)
		v = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(v, "Bearer "), "bearer "), "BEARER ")
		if len(v) < MinSecretLen || strings.Contains(Redacted, v) {
			return
		}
		s := New(secret)
		in := pre + v + post + v
		if got := s.String(in); strings.Contains(got, v) {
			t.Fatalf("String leaked %q: %q", v, got)
		}
		var out bytes.Buffer
		w := s.NewWriter(&out)
		cut := 0
		if len(in) > 0 {
			cut = (split%len(in) + len(in)) % len(in)
		}
		w.Write([]byte(in[:cut]))
		w.Write([]byte(in[cut:]))
		w.Flush()
		if strings.Contains(out.String(), v) {
			t.Fatalf("Writer leaked %q: %q", v, out.String())
		}
	})
}
