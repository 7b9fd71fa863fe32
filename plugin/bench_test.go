package main

import "testing"

// The CLI runs `ks-doctor SendMetadata` at install time and GetMetadata on
// every start: it must stay in the microseconds.
func BenchmarkGetMetadata(b *testing.B) {
	for b.Loop() {
		_ = ksDoctor{}.GetMetadata()
	}
}
