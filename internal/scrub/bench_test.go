package scrub

import (
	"io"
	"strings"
	"testing"
)

// A hostile body: long JSON lines full of key-like names and tokens.
var body = []byte(strings.Repeat(`{"apiKeyOwner":"jane","name":"w1","token":"tok-0123456789abcdef","msg":"Bearer abcdefghij0123456789"}`+"\n", 2000) +
	strings.Repeat("eyJhbGciOiJIUzI1NiJ9", 10000))

func BenchmarkString(b *testing.B) {
	s := New(apiKey, access, refresh)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		s.Bytes(body)
	}
}

func BenchmarkWriter(b *testing.B) {
	s := New(apiKey, access, refresh)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		w := s.NewWriter(io.Discard)
		for rest := body; len(rest) > 0; rest = rest[min(len(rest), 4096):] {
			w.Write(rest[:min(len(rest), 4096)])
		}
		w.Flush()
	}
}
