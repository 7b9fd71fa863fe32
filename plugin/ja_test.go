package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A Japanese run prints no English sentence. Every *-ja golden file is what
// a built binary printed end to end (TestScenarios, TestOrphanScenarios and
// the commands package's goldens compare them byte for byte), so this reads
// them as a Japanese user would: outside commands, quoted values, URLs and
// the messages servers send (shown verbatim on purpose), a run of four or
// more ASCII words with two or more lowercase ones is English prose that
// missed i18n. Product and permission names (Title Case) pass.
func TestJapaneseRunsHaveNoEnglishSentence(t *testing.T) {
	files, _ := filepath.Glob("testdata/*-ja.golden")
	more, _ := filepath.Glob("../commands/testdata/*-ja.golden")
	files = append(files, more...)
	if len(files) < 20 {
		t.Fatalf("only %d Japanese golden files found", len(files))
	}
	var (
		verbatim = regexp.MustCompile(`https?://\S+|'[^']*'|"[^"]*"|` + "`[^`]*`" + `|「[^」]*」`)
		command  = regexp.MustCompile(`^(\$ )?(ibmcloud|kubectl|calicoctl|exit:|---)`)
		inline   = regexp.MustCompile(`\b(ibmcloud|kubectl|calicoctl) `) // a command within a list of reads
		run      = regexp.MustCompile(`[A-Za-z][A-Za-z'-]*(?:[ ,]+[A-Za-z][A-Za-z'-]*){3,}`)
		lower    = regexp.MustCompile(`\b[a-z]{2,}\b`)
	)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			s := strings.TrimSpace(line)
			if command.MatchString(s) || strings.HasPrefix(s, "メッセージ:") {
				continue
			}
			s = verbatim.ReplaceAllString(s, "")
			for _, m := range run.FindAllString(s, -1) {
				if inline.MatchString(m) || len(lower.FindAllString(m, -1)) < 2 {
					continue
				}
				t.Errorf("%s:%d: English in a Japanese run: %q", f, i+1, m)
			}
		}
	}
}
