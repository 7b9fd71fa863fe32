package commands

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"mvdan.cc/sh/v3/syntax"

	"github.com/ks-doctor/ks-doctor/i18n"
)

// Every command's help shows its examples, in both languages, and each
// example is a command a person can paste: it parses as POSIX shell, and
// the ks-doctor part of it names that command with flags it accepts.
func TestHelpExamples(t *testing.T) {
	for _, locale := range []string{i18n.English, "ja_JP"} {
		var out bytes.Buffer
		env := &Env{Stdout: &out, Stderr: io.Discard, Getenv: func(string) string { return "" }, T: i18n.New(locale)}
		root := NewRoot(env)
		table := examples(env.T.T)
		for _, c := range root.Commands() {
			if c.Hidden {
				continue
			}
			if len(table[c.Name()]) == 0 {
				t.Errorf("%s: no examples", c.Name())
				continue
			}
			out.Reset()
			root.SetArgs([]string{c.Name(), "--help"})
			if err := root.Execute(); err != nil {
				t.Fatalf("%s --help: %v", c.Name(), err)
			}
			heading := env.T.T("Examples:")
			if !strings.Contains(out.String(), heading+"\n") || !strings.Contains(out.String(), "ibmcloud ks-doctor "+c.Name()) {
				t.Errorf("%s %s --help shows no examples:\n%s", locale, c.Name(), out.String())
			}
			for _, e := range table[c.Name()] {
				for _, line := range strings.Split(e.cmd, "\n") {
					for _, args := range ksDoctorCalls(t, line) {
						sub, rest, err := root.Find(args)
						if err != nil || sub.Name() != c.Name() {
							t.Errorf("%q: resolves to %v (%v), want %s", line, sub, err, c.Name())
							continue
						}
						if err := sub.ParseFlags(rest); err != nil {
							t.Errorf("%q: %v", line, err)
						}
						sub.Flags().VisitAll(func(f *pflag.Flag) { f.Changed = false })
					}
				}
			}
		}
	}
}

// ksDoctorCalls parses a shell line and returns the arguments of each
// `ibmcloud ks-doctor …` call in it, after "ks-doctor".
func ksDoctorCalls(t *testing.T, line string) [][]string {
	t.Helper()
	f, err := syntax.NewParser().Parse(strings.NewReader(line), "")
	if err != nil {
		t.Fatalf("%q does not parse as shell: %v", line, err)
	}
	var calls [][]string
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		var words []string
		for _, w := range call.Args {
			words = append(words, w.Lit())
			if w.Lit() == "" { // quoted: take its text
				var b strings.Builder
				syntax.NewPrinter().Print(&b, w)
				words[len(words)-1] = strings.Trim(b.String(), `'"`)
			}
		}
		if len(words) > 1 && words[0] == "ibmcloud" && words[1] == "ks-doctor" {
			calls = append(calls, words[2:])
		}
		return true
	})
	if len(calls) == 0 && strings.Contains(line, "ks-doctor") {
		t.Errorf("%q: no ibmcloud ks-doctor call found", line)
	}
	return calls
}
