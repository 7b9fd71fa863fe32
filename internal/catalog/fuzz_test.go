package catalog

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func addSeeds(f *testing.F) {
	for _, sm := range seedMessages {
		for _, text := range noisy(sm.msg) {
			f.Add(text)
		}
	}
	f.Add(noise)
	f.Add("\\\\\\u00")
	f.Add("&lt\x1b[")
	f.Add("\xff\xfe\xfd")
}

func FuzzMatch(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		hits := Match(text)
		if len(hits) > maxHits {
			t.Fatalf("%d hits", len(hits))
		}
		for _, h := range hits {
			if h.Confidence <= 0 || h.Confidence > 1 || h.Entry.ID == "" {
				t.Fatalf("bad hit %+v", h)
			}
			if len(h.Excerpt) > MaxExcerpt || !utf8.ValidString(h.Excerpt) {
				t.Fatalf("bad excerpt %q", h.Excerpt)
			}
			for k, v := range h.Params {
				if v == "" || len(v) > MaxExcerpt || !utf8.ValidString(v) {
					t.Fatalf("bad param %s=%q", k, v)
				}
			}
		}
		// Best is the strongest hit that is not the fallback (an unknown
		// IBM Cloud error is no finding about a worker).
		known := slices.DeleteFunc(slices.Clone(hits), func(h Hit) bool { return h.Layer == LayerFallback })
		if b, ok := Best(text); ok != (len(known) > 0) || ok && b.Confidence < known[0].Confidence {
			t.Fatalf("Best disagrees with Match")
		}
	})
}

func FuzzNormalize(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		n := normalize(s)
		if len(n) > len(s) || !utf8.ValidString(n) {
			t.Fatalf("normalize(%q) = %q", s, n)
		}
		if strings.ContainsAny(n, "\r\t") || strings.Contains(n, "  ") || strings.Contains(n, " \n") ||
			strings.Contains(n, "\n ") || strings.Contains(n, "\n\n") || n != strings.TrimSpace(n) {
			t.Fatalf("whitespace not folded: %q", n)
		}
		if l := lowerASCII(n); len(l) != len(n) {
			t.Fatalf("lowerASCII changed length")
		}
	})
}
