package i18n

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestGlossary holds ja_JP to one word per idea (glossary.json, seed 002's
// terms where it has one): a variant spelling in any message or in the
// catalog's Japanese fails, and so does a glossary entry that is never used
// (a stale entry hides a rename).
func TestGlossary(t *testing.T) {
	data, err := os.ReadFile("glossary.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Terms []struct {
			En, Ja, Source string
			Variants       []string
		}
	}
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatalf("glossary.json: %v", err)
	}
	ja := ids(t, "all.ja_JP.json")
	// The known-error catalog keeps its Japanese beside its English; every
	// line of it is held to the same words (the English lines hold none).
	catalog, err := os.ReadFile("../internal/catalog/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(catalog), "\n") {
		ja["catalog.yaml:"+strconv.Itoa(i+1)] = line
	}
	all := strings.Builder{}
	for _, msg := range ja {
		all.WriteString(msg + "\n")
	}
	seen := map[string]bool{}
	for _, term := range g.Terms {
		if seen[term.Ja] {
			t.Errorf("glossary: %q stands twice", term.Ja)
		}
		seen[term.Ja] = true
		if !strings.Contains(all.String(), term.Ja) {
			t.Errorf("glossary: %q (%s) is in no ja_JP message", term.Ja, term.En)
		}
		for _, v := range term.Variants {
			re, err := regexp.Compile(v)
			if err != nil {
				t.Fatalf("glossary: variant %q: %v", v, err)
			}
			for id, msg := range ja {
				if loc := re.FindStringIndex(msg); loc != nil {
					t.Errorf("%s: %q is a variant of %q (%s): %s", id, msg[loc[0]:loc[1]], term.Ja, term.En, msg)
				}
			}
		}
	}
}
