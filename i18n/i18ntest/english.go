// Package i18ntest finds English prose in text meant to be Japanese: the
// tests of every package that prints read their Japanese runs with it.
package i18ntest

import (
	"regexp"
	"strings"
)

var (
	// Shown verbatim on purpose: URLs, quoted values and the messages
	// servers send, commands.
	verbatim = regexp.MustCompile(`https?://\S+|'[^']*'|"[^"]*"|` + "`[^`]*`" + `|「[^」]*」`)
	command  = regexp.MustCompile(`^(\$ )?(ibmcloud|kubectl|calicoctl|exit:|---)`)
	inline   = regexp.MustCompile(`\b(ibmcloud|kubectl|calicoctl) `) // a command within a list of reads
	run      = regexp.MustCompile(`[A-Za-z][A-Za-z'-]*(?:[ ,]+[A-Za-z][A-Za-z'-]*){3,}`)
	lower    = regexp.MustCompile(`\b[a-z]{2,}\b`)
)

// EnglishRuns returns the runs of English prose in text, line by line
// ("line N: run"): outside commands, quoted values, URLs and the messages
// servers send (after "メッセージ:"), a run of four or more ASCII words
// with two or more lowercase ones is English that missed i18n. Product
// and permission names (Title Case) pass.
func EnglishRuns(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		s := strings.TrimSpace(line)
		if command.MatchString(s) || strings.HasPrefix(s, "メッセージ:") {
			continue
		}
		s = verbatim.ReplaceAllString(s, "")
		for _, m := range run.FindAllString(s, -1) {
			if inline.MatchString(m) || len(lower.FindAllString(m, -1)) < 2 {
				continue
			}
			out = append(out, m)
		}
	}
	return out
}
