package commands

import (
	"io"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/i18n"
)

// explain and checks need no network: what they cost is start-up work.
func BenchmarkExplain(b *testing.B) {
	for b.Loop() {
		env := &Env{Stdin: strings.NewReader(terraformPaste), Stdout: io.Discard, Stderr: io.Discard,
			Getenv: func(string) string { return "" }, T: i18n.New(i18n.Japanese)}
		_ = Execute(env, []string{"explain"})
	}
}

func BenchmarkChecks(b *testing.B) {
	for b.Loop() {
		env := &Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, T: i18n.New(i18n.English)}
		_ = Execute(env, []string{"checks", "--output", "json"})
	}
}
