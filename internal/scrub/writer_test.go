package scrub

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

var streams = []string{
	"line one " + apiKey + " tail\nsecond " + refresh + "\n",
	"Authorization: Bearer abcdef0123456789xyz\nno newline at end " + access,
	`{"refresh_token":"r1r2r3r4r5r6","apikey":"` + apiKey + `"}`,
	"jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\n" + strings.Repeat("x", 700) + apiKey + strings.Repeat("y", 700),
	strings.Repeat("plain text without secrets, ", 40),
}

// Whatever the chunking, a Writer's output equals String over the whole.
func TestWriterMatchesString(t *testing.T) {
	s := New(apiKey, access, refresh)
	r := rand.New(rand.NewPCG(1, 2))
	for _, in := range streams {
		want := s.String(in)
		for try := range 12 {
			var out bytes.Buffer
			w := s.NewWriter(&out)
			rest := in
			for rest != "" {
				n := 1 + r.IntN(min(len(rest), 1+try*try*2))
				if _, err := w.Write([]byte(rest[:n])); err != nil {
					t.Fatal(err)
				}
				rest = rest[n:]
			}
			if err := Flush(w); err != nil {
				t.Fatal(err)
			}
			if out.String() != want {
				t.Fatalf("chunked output differs:\n got %q\nwant %q", out.String(), want)
			}
		}
	}
}

// Finished lines go out at once; only an unfinished tail waits for Flush.
func TestWriterPassesLinesOn(t *testing.T) {
	var out bytes.Buffer
	w := New(apiKey).Writer(&out)
	w.Write([]byte("first " + apiKey[:10]))
	if out.Len() != 0 {
		t.Fatalf("an unfinished short line went out: %q", out.String())
	}
	w.Write([]byte(apiKey[10:] + " done\nnext"))
	if out.String() != "first [REDACTED] done\n" {
		t.Fatalf("after the line: %q", out.String())
	}
	w.(*Writer).Close()
	if out.String() != "first [REDACTED] done\nnext" {
		t.Fatalf("after Close: %q", out.String())
	}
}

// A token larger than the writer keeps back is masked, not held forever.
func TestWriterHugeToken(t *testing.T) {
	var out bytes.Buffer
	w := New().NewWriter(&out)
	w.Write([]byte("Authorization: Bearer 0"))
	chunk := bytes.Repeat([]byte("abcdef0123"), 800)
	for range 60 { // 480 kB of one token, more than a Writer keeps back
		w.Write(chunk)
	}
	w.Write([]byte(" after\n"))
	w.Flush()
	if got := out.String(); got != "Authorization: Bearer [REDACTED] after\n" {
		t.Fatalf("huge token: %d bytes out, starts %q", len(got), got[:min(len(got), 80)])
	}
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterError(t *testing.T) {
	w := New().Writer(failing{})
	if _, err := w.Write([]byte("a line\n")); err == nil {
		t.Fatal("no error from a failing writer")
	}
	if err := Flush(w); err == nil {
		t.Fatal("the error is not sticky")
	}
	if Flush(&bytes.Buffer{}) != nil {
		t.Fatal("Flush of a plain writer")
	}
}
