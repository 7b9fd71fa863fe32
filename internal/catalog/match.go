package catalog

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

const (
	// MaxInput is how many bytes of a paste Match reads; the rest is ignored. 8 MiB holds
	// any worker list or Terraform debug log a person pastes, and bounds time and memory.
	MaxInput = 8 << 20
	// MaxExcerpt bounds Hit.Excerpt and every Hit.Params value, in bytes.
	MaxExcerpt = 240
	// maxHits bounds what Match returns; perPattern bounds the occurrences looked at per
	// pattern (repeats of one message are merged anyway).
	maxHits    = 100
	perPattern = 64

	// Confidences: a full template match is worth its entry's weight (confDefault unless set).
	confDefault = 0.95
	confCode    = 0.8  // a bare error code
	confKV      = 0.9  // State: critical, "state":"critical"
	confRow     = 0.85 // a worker ls row
	confAlone   = 0.7  // a line that is only the state word
)

// Hit is one error found in a paste.
type Hit struct {
	Entry      Entry
	Confidence float64 // 0..1: 0.95 for a full message, less for a truncated one, a bare code or a state word
	Excerpt    string  // the matched part of the input, normalized (quotes, spaces), at most MaxExcerpt bytes
	// Params holds values captured from the message: id (worker or instance), provider, vlan,
	// resource_group, router, guests, item, location, status, message, code, state, node, ….
	// Doc placeholders such as <ID> are not values and are left out. Nil when none.
	Params map[string]string
	// Layer says how the hit was found: LayerExact (a catalog message or code), LayerClass (the
	// classifier: service, status, code family and wording) or LayerFallback (an IBM Cloud error
	// outside every topic).
	Layer string
	// Service, Status and Code are what the structural decoders read from the error body or
	// rendering the hit lies in ("", 0, "" when it lies in none): the "why" of a class hit.
	Service string
	Status  int
	Code    string
}

// Match returns every distinct known error in text, in input order. Repeats of one entry with
// the same (or no conflicting) captured values are reported once; two workers with different
// ids are two hits. It never panics, reads at most MaxInput bytes and takes time linear in them.
func Match(text string) []Hit {
	if len(text) > MaxInput {
		text = text[:MaxInput]
	}
	disp := normalize(text)
	if disp == "" {
		return nil
	}
	sc := &scan{disp: disp, low: lowerASCII(disp)}
	m := compiled()
	cands := m.scan(sc)
	recs := decode(sc)
	cands = append(cands, classify(sc, recs, cands)...)
	return sc.hits(resolve(cands), recs)
}

// Best returns the most confident hit in text, e.g. for one worker's status message. A
// LayerFallback hit is never returned: "an IBM Cloud error" says nothing the message does not.
func Best(text string) (Hit, bool) {
	hits := slices.DeleteFunc(Match(text), func(h Hit) bool { return h.Layer == LayerFallback })
	if len(hits) == 0 {
		return Hit{}, false
	}
	best := hits[0]
	for _, h := range hits[1:] {
		if h.Confidence > best.Confidence || h.Confidence == best.Confidence && len(h.Excerpt) > len(best.Excerpt) {
			best = h
		}
	}
	return best, true
}

type scan struct{ disp, low string }

type cand struct {
	entry      int
	start, end int // what the excerpt shows
	core       int // end of the span that counts for overlaps
	conf       float64
	code       bool
	params     map[string]string
	layer      string  // "" is LayerExact
	dec        Decoded // the record a class hit was made from
}

func (c *cand) setParam(name, v string) {
	v = strings.Trim(v, " \n'\".,:;()#")
	if v == "" || strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") {
		return // a doc placeholder, not a value
	}
	if c.params == nil {
		c.params = map[string]string{}
	}
	c.params[name] = clip(v)
}

type rawPattern struct {
	entry  int
	re     *regexp.Regexp
	filter string
	weight float64
}

type matcher struct {
	templates []*template
	raws      []rawPattern
	codes     map[string]int // lower-cased code → entry
	states    map[string]int // state word (lower case, _ for space) → entry
	// State words as `worker get`, JSON and `worker ls` print them; the row only for states that
	// need action. Both start with a literal, which lets RE2 skip to candidates.
	stateKV, stateRow *regexp.Regexp
	provider          *regexp.Regexp
}

// compiled builds the matcher on first use: nothing runs at init, so `explain` starts fast.
var compiled = sync.OnceValue(func() *matcher {
	m, err := build(load().entries)
	if err != nil {
		panic("catalog: " + err.Error()) // embedded data; TestCatalogCompiles keeps it valid
	}
	return m
})

func build(entries []Entry) (*matcher, error) {
	m := &matcher{codes: map[string]int{}, states: map[string]int{}}
	var states, problems []string
	for i, e := range entries {
		w := cmp.Or(e.weight, confDefault)
		for _, p := range e.Patterns {
			t, err := compileTemplate(p, i, w)
			if err != nil {
				return nil, err
			}
			m.templates = append(m.templates, t)
		}
		for _, r := range e.regex {
			re, err := regexp.Compile(r.RE)
			if err != nil {
				return nil, err
			}
			if r.Filter == "" || r.Filter != strings.ToLower(r.Filter) {
				return nil, fmt.Errorf("%s: regex %q needs a lower-case filter word", e.ID, r.RE)
			}
			m.raws = append(m.raws, rawPattern{entry: i, re: re, filter: r.Filter, weight: cmp.Or(r.Weight, w)})
		}
		for _, c := range e.Codes {
			m.codes[strings.ToLower(c)] = i
		}
		if e.state != "" {
			m.states[e.state] = i
			s := strings.ReplaceAll(regexp.QuoteMeta(e.state), "_", "[_ ]")
			states = append(states, s)
			if e.Topic == "worker_state_critical" {
				problems = append(problems, s)
			}
		}
	}
	var err error
	compile := func(s string) *regexp.Regexp {
		re, e := regexp.Compile(s)
		if e != nil && err == nil {
			err = e
		}
		return re
	}
	m.stateKV = compile(`stat(?:e|us)"?\s*[:=]\s*"?(` + strings.Join(states, "|") + `)\b`)
	// ibmcloud ks worker ls: ID, Public IP, Private IP, Flavor, State, Status, Zone, Version.
	m.stateRow = compile(`(kube-[^\s'"]+)\s+\S+\s+\S+\s+\S+\s+(` + strings.Join(problems, "|") + `)\b`)
	m.provider = compile(`'([a-z0-9_-]{1,30})'\s*infrastructure\b`)
	return m, err
}

func (m *matcher) scan(sc *scan) []cand {
	var cands []cand
	for _, t := range m.templates {
		if t.filter != "" && !strings.Contains(sc.low, t.filter) {
			continue
		}
		for _, loc := range t.regexp().FindAllStringIndex(sc.low, perPattern) {
			if c, ok := t.apply(sc, loc[0], loc[1]); ok {
				cands = append(cands, c)
			}
		}
	}
	for _, r := range m.raws {
		if !strings.Contains(sc.low, r.filter) {
			continue
		}
		names := r.re.SubexpNames()
		for _, sub := range r.re.FindAllStringSubmatchIndex(sc.low, perPattern) {
			c := cand{entry: r.entry, start: sub[0], end: sub[1], core: sub[1], conf: r.weight}
			for g := 1; g < len(names); g++ {
				if names[g] != "" && sub[2*g] >= 0 {
					c.setParam(names[g], sc.disp[sub[2*g]:sub[2*g+1]])
				}
			}
			cands = append(cands, c)
		}
	}
	state := func(s, e int, word string, conf float64) *cand {
		i, ok := m.states[strings.ReplaceAll(word, " ", "_")]
		if !ok {
			return nil
		}
		cands = append(cands, cand{entry: i, start: s, end: e, core: e, conf: conf})
		c := &cands[len(cands)-1]
		c.setParam("state", strings.ReplaceAll(word, " ", "_"))
		return c
	}
	for _, sub := range m.stateKV.FindAllStringSubmatchIndex(sc.low, perPattern) {
		state(sub[0], sub[1], sc.low[sub[2]:sub[3]], confKV)
	}
	for _, sub := range m.stateRow.FindAllStringSubmatchIndex(sc.low, perPattern) {
		if c := state(sub[0], sub[1], sc.low[sub[4]:sub[5]], confRow); c != nil {
			c.setParam("id", sc.disp[sub[2]:sub[3]])
		}
	}
	// A line that is only a state word ("Critical", "`Provision_failed`").
	for s := 0; s < len(sc.low); {
		e := strings.IndexByte(sc.low[s:], '\n')
		if e < 0 {
			e = len(sc.low)
		} else {
			e += s
		}
		if e-s <= 24 {
			state(s, e, strings.Trim(sc.low[s:e], "'\".:"), confAlone)
		}
		s = e + 1
	}
	// Codes are words: one pass with a map beats an alternation of 30 codes without a prefix.
	codes := 0
	for s := 0; s < len(sc.low) && codes < perPattern; {
		for s < len(sc.low) && !isWordByte(sc.low[s]) {
			s++
		}
		e := s
		for e < len(sc.low) && isWordByte(sc.low[e]) {
			e++
		}
		if i, ok := m.codes[sc.low[s:e]]; ok {
			c := cand{entry: i, start: s, end: e, core: e, conf: confCode, code: true}
			c.setParam("code", sc.disp[s:e])
			cands = append(cands, c)
			codes++
		}
		s = e
	}
	for i := range cands {
		m.addProvider(sc, &cands[i])
	}
	return cands
}

// addProvider fills params["provider"] from a "'<provider>' infrastructure" on the same line,
// the prefix IKS puts before worker messages ("'classic' infrastructure exception: …").
func (m *matcher) addProvider(sc *scan, c *cand) {
	if c.params["provider"] != "" {
		return
	}
	from := strings.LastIndexByte(sc.low[:c.start], '\n') + 1
	// A terminal may wrap right after "'classic' infrastructure exception:".
	if from >= 2 && strings.TrimSpace(sc.low[from:c.start]) == "" && sc.low[from-2] == ':' {
		from = strings.LastIndexByte(sc.low[:from-1], '\n') + 1
	}
	for _, sub := range m.provider.FindAllStringSubmatchIndex(sc.low[from:c.core], 4) {
		if c.setParam("provider", sc.low[from+sub[2]:from+sub[3]]); c.params["provider"] != "" {
			return
		}
	}
}

// resolve keeps, where candidates overlap, the most confident (then the longest); drops a bare
// code when its entry's message is present anyway; orders by position; and merges repeats.
func resolve(cands []cand) []cand {
	hasText := map[int]bool{}
	for _, c := range cands {
		if !c.code {
			hasText[c.entry] = true
		}
	}
	cands = slices.DeleteFunc(cands, func(c cand) bool { return c.code && hasText[c.entry] })
	slices.SortStableFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.conf, a.conf), cmp.Compare(b.core-b.start, a.core-a.start), cmp.Compare(a.start, b.start))
	})
	var kept []cand // sorted by start, pairwise disjoint on [start, core)
	for _, c := range cands {
		i, _ := slices.BinarySearchFunc(kept, c.start, func(k cand, start int) int { return cmp.Compare(k.start, start) })
		if i > 0 && kept[i-1].core > c.start || i < len(kept) && kept[i].start < c.core {
			continue
		}
		kept = slices.Insert(kept, i, c)
	}
	var out []cand
next:
	for _, c := range kept {
		for j := range out {
			if out[j].entry == c.entry && compatible(out[j].params, c.params) {
				out[j].conf = max(out[j].conf, c.conf)
				for k, v := range c.params {
					if out[j].params == nil {
						out[j].params = map[string]string{}
					}
					out[j].params[k] = v
				}
				continue next
			}
		}
		if len(out) == maxHits {
			break
		}
		out = append(out, c)
	}
	return out
}

func compatible(a, b map[string]string) bool {
	for k, v := range a {
		if w, ok := b[k]; ok && !strings.EqualFold(v, w) {
			return false
		}
	}
	return true
}

func (sc *scan) hits(cands []cand, recs []Decoded) []Hit {
	if len(cands) == 0 {
		return nil
	}
	entries := load().entries
	hits := make([]Hit, 0, len(cands))
	for _, c := range cands {
		s, e := c.start, c.end
		if c.code { // a bare code says little: show its line, or a window of it around the code
			s = max(strings.LastIndexByte(sc.disp[:s], '\n')+1, s-MaxExcerpt/2)
			e = len(sc.disp)
			if i := strings.IndexByte(sc.disp[c.end:], '\n'); i >= 0 {
				e = c.end + i
			}
			for !utf8.RuneStart(sc.disp[s]) {
				s++
			}
		}
		// Copy no more than an excerpt can show; a message hole can run to the end of a long line.
		e = min(e, s+2*MaxExcerpt)
		for e < len(sc.disp) && !utf8.RuneStart(sc.disp[e]) {
			e--
		}
		h := Hit{
			Entry:      entries[c.entry].clone(),
			Confidence: math.Round(c.conf*100) / 100,
			Excerpt:    clip(strings.TrimSpace(strings.ReplaceAll(sc.disp[s:e], "\n", " "))),
			Params:     c.params,
			Layer:      cmp.Or(c.layer, LayerExact),
		}
		d := c.dec
		if c.layer == "" { // an exact hit inside a decoded body: say what the body said too
			for _, r := range recs {
				if c.start < r.end && r.start < c.end {
					d = r
					break
				}
			}
		}
		h.Service, h.Status, h.Code = d.Service, d.Status, d.Code
		hits = append(hits, h)
	}
	return hits
}

// clip bounds s to MaxExcerpt bytes without splitting a rune.
func clip(s string) string {
	if len(s) <= MaxExcerpt {
		return s
	}
	const ell = "…"
	i := MaxExcerpt - len(ell)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + ell
}
