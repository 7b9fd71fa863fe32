package catalog

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// A template is one message family written as the docs print it, e.g.
//
//	The worker node instance '<id>' can't be found. Review '<provider>' infrastructure user permissions.
//
// Words match case-insensitively with any whitespace (line breaks included) between them;
// punctuation and quotes are optional, so that JSON escaping, lost quotes and reflowed lines do
// not matter; "can't" also matches "cannot"; {a|b} is an alternation of literal phrases; <name>
// is a hole whose value goes to Hit.Params[name] (a doc placeholder such as <ID> is accepted in
// its place, so the docs' own strings match, but is not reported as a value).
// A hole named message, operation or rest takes the rest of the line and must come last.
//
// Truncated pastes: only a head of the template is required (half of its letters, at most 32,
// and three words; all of a template under 16 letters). Every later token is optional, nested,
// so the regexp matches the longest prefix that is present. Empty marker groups after each
// token tell how far it got, which scales the confidence down for a partial match.
type template struct {
	entry   int
	src     string
	expr    string
	once    sync.Once
	re      *regexp.Regexp
	filter  string  // a head word: the regexp runs only on texts that contain it
	weight  float64 // confidence of a full match
	markers []int   // capture group of the marker after token i
	cum     []int   // letters matched up to and including token i
	total   int
	holes   []hole
	rest    bool // the last token is a rest-of-line hole
}

type hole struct {
	group int
	name  string
}

type tokKind int

const (
	tWord tokKind = iota
	tPunct
	tHole
	tAlt
)

type token struct {
	kind   tokKind
	re     string
	text   string // a word as written
	weight int    // letters it stands for
	name   string // of a hole
	rest   bool
}

// holeValues are the regexps of holes, over lower-cased normalized text. A doc placeholder
// (<ID>, <vlan id>) is accepted as well, so the seeds' own strings match.
var holeValues = map[string]string{
	"id":       `[^\s'"<>]+`,
	"provider": `[a-z0-9_-]+`,
	"vlan":     `#?[0-9]+`,
	"item":     `[a-z0-9](?:[a-z0-9 _/-]*[a-z0-9])?`,
	"guests":   `[^'"\n]+`,
	"price":    `[^'"\n]{1,80}?`, // "2 x 2.0 GHz Cores (#112863)"
	"status":   `[a-z0-9_ -]+`,
}

const (
	anyValue      = `[^\s'"<>]+`
	docHole       = `<[^<>\n]{1,60}>`
	restOfLine    = `[^\n"]*`
	headLetters   = 32
	shortTemplate = 16 // letters
)

func holeRE(name string) string {
	v, ok := holeValues[name]
	if !ok {
		v = anyValue
	}
	return `(?:` + docHole + `|` + v + `)`
}

func isRest(name string) bool { return name == "message" || name == "operation" || name == "rest" }

// tokenize splits a lower-cased template into tokens.
func tokenize(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t':
			i++
		case c == '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return nil, fmt.Errorf("unclosed <hole> in %q", s)
			}
			name := s[i+1 : i+j]
			if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz_") != "" {
				return nil, fmt.Errorf("bad hole name %q in %q", name, s)
			}
			re := holeRE(name)
			if isRest(name) {
				re = restOfLine
			}
			toks = append(toks, token{kind: tHole, re: re, name: name, rest: isRest(name)})
			i += j + 1
		case c == '{':
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				return nil, fmt.Errorf("unclosed {alternation} in %q", s)
			}
			var alts []string
			w := math.MaxInt
			for _, a := range strings.Split(s[i+1:i+j], "|") {
				sub, err := tokenize(a)
				if err != nil {
					return nil, err
				}
				re, n := joinTokens(sub)
				if n == 0 {
					return nil, fmt.Errorf("empty alternative in %q", s)
				}
				alts = append(alts, re)
				w = min(w, n)
			}
			toks = append(toks, token{kind: tAlt, re: `(?:` + strings.Join(alts, "|") + `)`, weight: w})
			i += j + 1
		case isWordByte(c):
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] == '\'' && j+1 < len(s) && isWordByte(s[j+1]) && j > i) {
				j++
			}
			w := s[i:j]
			toks = append(toks, token{kind: tWord, re: wordRE(w), text: w, weight: len(strings.ReplaceAll(w, "'", ""))})
			i = j
		default:
			r := []rune(s[i:])[0]
			toks = append(toks, token{kind: tPunct, re: punctRE(r)})
			i += len(string(r))
		}
	}
	return toks, nil
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
}

// wordRE: the docs moved from "cannot" to "can't" in 2024; real output has both.
func wordRE(w string) string {
	switch w {
	case "can't", "cannot":
		return `can(?:not|'t|t| not)`
	}
	if a, b, ok := strings.Cut(w, "'"); ok {
		return regexp.QuoteMeta(a) + `'?` + regexp.QuoteMeta(b)
	}
	return regexp.QuoteMeta(w)
}

func punctRE(r rune) string {
	if r == '\'' || r == '"' {
		return `['"]?`
	}
	return regexp.QuoteMeta(string(r)) + `?`
}

func sep(a, b token) string {
	if a.kind != tPunct && b.kind != tPunct {
		return `\s+`
	}
	return `\s*`
}

// joinTokens concatenates tokens without truncation support (alternatives are short).
func joinTokens(toks []token) (string, int) {
	var b strings.Builder
	n := 0
	for i, t := range toks {
		if t.kind == tHole {
			continue
		}
		if i > 0 {
			b.WriteString(sep(toks[i-1], t))
		}
		b.WriteString(t.re)
		n += t.weight
	}
	return b.String(), n
}

func compileTemplate(src string, entry int, weight float64) (*template, error) {
	toks, err := tokenize(strings.ToLower(src))
	if err != nil {
		return nil, err
	}
	t := &template{entry: entry, src: src, weight: weight}
	for i, tk := range toks {
		if tk.rest && i != len(toks)-1 {
			return nil, fmt.Errorf("rest hole <%s> must be last in %q", tk.name, src)
		}
		t.total += tk.weight
		t.cum = append(t.cum, t.total)
	}
	if t.total == 0 {
		return nil, fmt.Errorf("template %q has no words", src)
	}
	t.rest = toks[len(toks)-1].rest

	// The head: enough letters to be specific, and at least three words when there are three.
	// Short templates ("Out of disk") match whole or not at all.
	need := min(int(math.Ceil(0.5*float64(t.total))), headLetters)
	if t.total < shortTemplate {
		need = t.total
	}
	words, allWords := 0, 0
	for _, tk := range toks {
		if tk.weight > 0 {
			allWords++
		}
	}
	head := len(toks)
	for i, tk := range toks {
		if tk.weight > 0 {
			words++
		}
		if t.cum[i] >= need && words >= min(3, allWords) {
			head = i + 1
			break
		}
	}
	for _, tk := range toks[:head] {
		if tk.kind == tWord && tk.re == tk.text && len(tk.text) > len(t.filter) { // a plain word
			t.filter = tk.text
		}
	}

	var b strings.Builder
	group := 0
	for i, tk := range toks {
		if i >= head {
			b.WriteString(`(?:`)
		}
		if i > 0 {
			b.WriteString(sep(toks[i-1], tk))
		}
		if tk.kind == tHole {
			group++
			t.holes = append(t.holes, hole{group: group, name: tk.name})
			b.WriteString(`(` + tk.re + `)`)
		} else {
			b.WriteString(tk.re)
		}
		group++
		t.markers = append(t.markers, group)
		b.WriteString(`()`)
	}
	b.WriteString(strings.Repeat(`)?`, len(toks)-head))
	t.expr = b.String()
	return t, nil
}

// regexp compiles t on first need: most pastes contain few templates' filter words, and
// compiling all of them would cost more than a typical Match. TestCatalogCompiles compiles
// every template, so MustCompile can't fail here.
func (t *template) regexp() *regexp.Regexp {
	t.once.Do(func() { t.re = regexp.MustCompile(t.expr) })
	return t.re
}

// apply turns one match of t, found at sc.low[start:end], into a candidate. Submatches are
// taken on that slice only: FindAllStringIndex over the whole text carries no capture groups,
// which keeps the scan fast, and the same leftmost-first match is found again on the slice.
func (t *template) apply(sc *scan, start, end int) (cand, bool) {
	sub := t.regexp().FindStringSubmatchIndex(sc.low[start:end])
	if sub == nil {
		return cand{}, false
	}
	last := -1
	for i, g := range t.markers {
		if sub[2*g] >= 0 {
			last = i
		}
	}
	if last < 0 {
		return cand{}, false
	}
	// The overlap span stops before a trailing rest-of-line hole, so that an error quoted
	// inside another ("IAM token exchange request failed: Cannot create IMS portal token…")
	// is still reported on its own.
	core := start + sub[2*t.markers[last]]
	if t.rest && last == len(t.markers)-1 && last > 0 {
		core = start + sub[2*t.markers[last-1]]
	}
	// A head of the message counts as a truncated paste only where the paste stops: at the
	// end of the text or line, or before punctuation. A head followed by other words is a
	// different sentence that shares its first words ("Failed to create an instance").
	if t.total > 0 && t.cum[last] < t.total && !pasteStops(sc.low[start+sub[1]:]) {
		return cand{}, false
	}
	conf := t.weight
	if t.total > 0 && t.cum[last] < t.total {
		conf *= 0.4 + 0.6*float64(t.cum[last])/float64(t.total)
	}
	c := cand{entry: t.entry, start: start + sub[0], end: start + sub[1], core: core, conf: conf}
	for _, h := range t.holes {
		if s, e := sub[2*h.group], sub[2*h.group+1]; s >= 0 {
			c.setParam(h.name, sc.disp[start+s:start+e])
		}
	}
	return c, true
}

// pasteStops reports whether the paste stops after a head: at the end of the text or line, at
// punctuation (a closing quote, a full stop, JSON around the message), or inside the next word
// (a cut-off paste ends mid-word), or a few words before the end of the paste. Other words
// after it are a different sentence that shares its first words.
func pasteStops(rest string) bool {
	if len(rest) <= 48 && !strings.ContainsAny(rest, "\n\r") {
		return true // the paste ends a few words on: cut inside a phrase of the template
	}
	word := false
	for _, r := range rest {
		switch {
		case r == '\n' || r == '\r':
			return true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = true
		case r == ' ' || r == '\t':
			if word {
				return false
			}
		default:
			return !word
		}
	}
	return true
}
