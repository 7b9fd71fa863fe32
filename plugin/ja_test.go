package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ks-doctor/ks-doctor/i18n/i18ntest"
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
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range i18ntest.EnglishRuns(string(data)) {
			t.Errorf("%s: English in a Japanese run: %q", f, m)
		}
	}
}
