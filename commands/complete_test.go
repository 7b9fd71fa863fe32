package commands

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/i18n"
)

// The CLI's completion delegation: `SendCompletion WORDS` prints the
// candidates for the last word, one per line, without descriptions.
func TestComplete(t *testing.T) {
	for _, c := range []struct {
		words        []string
		want, absent []string
	}{
		{[]string{""}, []string{"check", "checks", "explain", "gather", "orphan"}, []string{"__complete", "help"}},
		{[]string{"ch"}, []string{"check", "checks"}, []string{"orphan"}},
		{[]string{"ks-doctor", "ch"}, []string{"check", "checks"}, nil},
		{[]string{"check", "--ou"}, []string{"--output"}, nil},
		{[]string{"check", "--output", ""}, []string{"json", "text"}, nil},
		{[]string{"check", "--fail-on", ""}, []string{"fail", "warn"}, nil},
		{[]string{"check", "--only", "session."}, []string{"session.login", "session.region", "session.resource-group"}, []string{"workers.state"}},
		{[]string{"check", "--skip", "session.login,workers.s"}, []string{"session.login,workers.state"}, []string{"session.login,session.login"}},
		{[]string{"orphan", "-r", "us-"}, []string{"us-south", "us-east"}, []string{"eu-de"}},
		{[]string{"explain", "E-could"}, []string{"E-could-not-place-order"}, nil},
		{[]string{"explain", "E-could-not-place-order", ""}, nil, []string{"E-could-not-place-order"}},
	} {
		var out bytes.Buffer
		Complete(&Env{T: i18n.New(i18n.English), Stdout: &out}, c.words)
		got := strings.Split(strings.TrimSpace(out.String()), "\n")
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %q missing from %q", c.words, w, got)
			}
		}
		for _, w := range c.absent {
			if slices.Contains(got, w) {
				t.Errorf("%q: %q offered in %q", c.words, w, got)
			}
		}
		for _, line := range got {
			if strings.ContainsAny(line, "\t:") && !strings.HasPrefix(line, "E-") {
				t.Errorf("%q: %q is not a bare candidate", c.words, line)
			}
		}
	}
}
