package scrub

import (
	"strings"
	"sync"
	"testing"
)

const (
	apiKey  = "KSDOCTORCANARY-apikey-9Xq2abcdEF"
	access  = "tok-ABCDEFGH12345678"
	refresh = "refresh-XYZ-0987654321"
	slash   = "a/b&c<d>e f+g=h?i"
)

func TestString(t *testing.T) {
	s := New("Bearer "+access, refresh, apiKey, slash, "short", "", "REDACTED")
	for _, c := range []struct{ in, want string }{
		{"access " + access + " and " + refresh, "access [REDACTED] and [REDACTED]"},
		{"twice " + apiKey + apiKey + " touching", "twice [REDACTED] touching"},
		{"jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln end", "jwt [REDACTED] end"},
		{"Authorization: Bearer abcdef0123456789xyz", "Authorization: Bearer [REDACTED]"},
		{"authorization: bearer\tabcdef0123456789xyz", "authorization: bearer\t[REDACTED]"},
		{"Authorization: Basic Ym9iOnNlY3JldA==", "Authorization: Basic [REDACTED]"},
		{`{"apikey": "some-other-key-value"}`, `{"apikey": "[REDACTED]"}`},
		{`{"api_key":"v4lue-xyz","name":"n"}`, `{"api_key":"[REDACTED]","name":"n"}`},
		{"grant_type=refresh_token&refresh_token=r1r2r3r4r5&x=1", "grant_type=refresh_token&refresh_token=[REDACTED]&x=1"},
		{"api_key=abcd1234&x=1", "api_key=[REDACTED]&x=1"},
		{"refresh_token: r1r2r3r4r5", "refresh_token: [REDACTED]"},
		{`"password" : "hunter2x"`, `"password" : "[REDACTED]"`},
		{`X-Auth: BEARER abcdef0123456789xyz; ApiKey=QWERTY12`, `X-Auth: BEARER [REDACTED]; ApiKey=[REDACTED]`},
		{`{"delegated_refresh_token": "d1d2d3d4"}`, `{"delegated_refresh_token": "[REDACTED]"}`},
		// escaped forms of a given secret
		{"path /k/a%2Fb&c%3Cd%3Ee%20f+g=h%3Fi/x", "path /k/[REDACTED]/x"},
		{"query a%2Fb%26c%3Cd%3Ee+f%2Bg%3Dh%3Fi end", "query [REDACTED] end"},
		{`json "a/b\u0026c\u003cd\u003ee f+g=h?i"`, `json "[REDACTED]"`},
		{`json "a\/b&c<d>e f+g=h?i"`, `json "[REDACTED]"`},
		// prose and ks-doctor's own texts stay as they are
		{"Basic authentication failed for the user", "Basic authentication failed for the user"},
		{"ibmcloud ks api-key reset --region us-south", "ibmcloud ks api-key reset --region us-south"},
		{"HeyJude, the keyJumper is eyJ", "HeyJude, the keyJumper is eyJ"},
		{`"apiKeyOwner": "jane@example.com"`, `"apiKeyOwner": "jane@example.com"`},
		{"a short secret, REDACTED", "a short secret, REDACTED"},
		{"[REDACTED]", "[REDACTED]"},
		{"", ""},
	} {
		if got := s.String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := s.String(s.String(c.in)); got != c.want {
			t.Errorf("not idempotent on %q: %q", c.in, got)
		}
	}
}

func TestNilScrubberMasksShapes(t *testing.T) {
	var s *Scrubber
	s.Add("ignored-on-nil-123")
	if got := s.String("Authorization: Bearer abcdef0123456789xyz"); got != "Authorization: Bearer [REDACTED]" {
		t.Errorf("nil: %q", got)
	}
	if got := string(s.Bytes([]byte("plain"))); got != "plain" {
		t.Errorf("nil: %q", got)
	}
	var zero Scrubber
	if got := zero.String("apikey=abcdefgh"); got != "apikey=[REDACTED]" {
		t.Errorf("zero: %q", got)
	}
}

func TestScrubCountsAndKeepsInput(t *testing.T) {
	s := New(apiKey)
	in := []byte("apikey=abcd1234efgh and " + apiKey)
	out, n := s.Scrub(in)
	if n != 2 || string(in) != "apikey=abcd1234efgh and "+apiKey || string(out) != "apikey=[REDACTED] and [REDACTED]" {
		t.Errorf("count %d, out %q, input now %q", n, out, in)
	}
}

// A secret that overlaps the mask's letters must not reappear through it.
func TestMaskCannotFormSecret(t *testing.T) {
	s := New("ED]abcde")
	if got := s.String("ED]abcdeabcde"); strings.Contains(got, "ED]abcde") {
		t.Errorf("leaked through the mask: %q", got)
	}
}

func TestConcurrentAddAndScrub(t *testing.T) {
	s := New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() { defer wg.Done(); s.Add(strings.Repeat(string(rune('a'+i)), 9)) }()
		go func() { defer wg.Done(); _ = s.String("aaaaaaaaa bbbbbbbbb " + apiKey) }()
	}
	wg.Wait()
	if got := s.String("aaaaaaaaa hhhhhhhhh"); got != "[REDACTED] [REDACTED]" {
		t.Errorf("after concurrent adds: %q", got)
	}
}
