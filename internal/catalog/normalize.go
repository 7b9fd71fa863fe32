package catalog

import (
	"strings"
	"unicode/utf8"
)

// normalize folds a paste into the one form the patterns are written for.
//
// It is a hand-rolled subset of NFKC plus what pastes of IKS errors carry: full-width ASCII
// (Japanese input methods) becomes ASCII; curly quotes, primes and backticks become ' or ";
// dashes become -; no-break, ideographic and other spaces become a space; zero-width characters
// and soft hyphens vanish; Terraform's box-drawing frame (│ ╷ ╵) and ANSI colour sequences
// vanish; JSON string escapes (\" \' \n \t \uXXXX, any number of backslashes before them) and the
// HTML entities of the docs (&lt; &gt; &amp; &quot; &#39; &apos; &nbsp;) are decoded; invalid
// UTF-8 becomes a space. Runs of spaces become one space, line breaks are kept (one per run of
// blank lines) so that "rest of the line" captures stop there, and lines are trimmed.
//
// Case is kept (excerpts are cut from this text); lowerASCII gives the matching form with the
// same byte offsets. The result is never longer than s, so the input bound also bounds it.
func normalize(s string) string {
	n := normalizer{}
	n.b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			i = skipANSI(s, i)
		case c == '\\':
			i = n.escape(s, i)
		case c == '&':
			if r, size := entity(s[i:]); size > 0 {
				n.put(r)
				i += size
			} else {
				n.put('&')
				i++
			}
		case c < utf8.RuneSelf:
			n.put(rune(c))
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size <= 1 {
				r = ' '
			}
			n.put(r)
			i += size
		}
	}
	return n.b.String()
}

type normalizer struct {
	b       strings.Builder
	space   bool // a space is pending
	newline bool // a line break is pending
}

// put appends r after folding; whitespace is held back so that it never leads, trails or repeats.
func (n *normalizer) put(r rune) {
	r = fold(r)
	switch r {
	case -1: // dropped
		return
	case '\n':
		n.newline = true
		return
	case ' ':
		n.space = true
		return
	case '…':
		n.put('.')
		n.put('.')
		n.put('.')
		return
	}
	if n.b.Len() > 0 {
		if n.newline {
			n.b.WriteByte('\n')
		} else if n.space {
			n.b.WriteByte(' ')
		}
	}
	n.newline, n.space = false, false
	n.b.WriteRune(r)
}

// fold maps one rune to its matching form: ' ', '\n', -1 (drop), '…' (expanded by put) or a rune.
func fold(r rune) rune {
	switch {
	case r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029 || r == 0x85:
		return '\n'
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return ' '
	case r < 0x80:
		if r == '`' {
			return '\''
		}
		return r
	case r >= 0xff01 && r <= 0xff5e: // full-width ASCII
		return fold(r - 0xfee0)
	case r >= 0x2500 && r <= 0x257f: // box drawing: Terraform's error frame
		return ' '
	case r >= 0x2000 && r <= 0x200a:
		return ' '
	case r >= 0x200b && r <= 0x200d:
		return -1
	case r >= 0x2010 && r <= 0x2015:
		return '-'
	}
	switch r {
	case 0xa0, 0x1680, 0x202f, 0x205f, 0x3000:
		return ' '
	case 0xad, 0x2060, 0xfeff:
		return -1
	case 0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x2035, 0x2b9, 0x2bc, 0xb4:
		return '\''
	case 0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x2036, 0xab, 0xbb:
		return '"'
	case 0x2212, 0xfe58, 0xfe63:
		return '-'
	case 0xfffd:
		return ' '
	}
	return r
}

// escape decodes a JSON-style escape at s[i] (any run of backslashes, as in doubly encoded
// bodies) and returns the index after it. Unknown escapes keep one backslash.
func (n *normalizer) escape(s string, i int) int {
	j := i
	for j < len(s) && s[j] == '\\' {
		j++
	}
	if j == len(s) {
		n.put('\\')
		return j
	}
	switch c := s[j]; c {
	case '"', '\'', '/':
		n.put(rune(c))
		return j + 1
	case 'n', 'r':
		n.put('\n')
		return j + 1
	case 't':
		n.put(' ')
		return j + 1
	case 'u':
		if r, ok := hex4(s, j+1); ok {
			end := j + 5
			// A surrogate pair arrives as two escapes.
			if r >= 0xd800 && r < 0xdc00 && end+1 < len(s) && s[end] == '\\' && s[end+1] == 'u' {
				if lo, ok := hex4(s, end+2); ok && lo >= 0xdc00 && lo < 0xe000 {
					n.put((r-0xd800)<<10 | (lo - 0xdc00) + 0x10000)
					return end + 6
				}
			}
			if r >= 0xd800 && r < 0xe000 {
				r = ' '
			}
			n.put(r)
			return end
		}
	}
	n.put('\\')
	return j
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

var entities = []struct {
	name string
	r    rune
}{{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}, {"&nbsp;", ' '}}

func entity(s string) (rune, int) {
	for _, e := range entities {
		if len(s) >= len(e.name) && strings.EqualFold(s[:len(e.name)], e.name) {
			return e.r, len(e.name)
		}
	}
	return 0, 0
}

// skipANSI returns the index after the escape sequence at s[i]: CSI (ESC [ ... final byte),
// OSC (ESC ] ... BEL or ESC \), or a two-byte escape.
func skipANSI(s string, i int) int {
	i++
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		for i++; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return i
	case ']':
		for i++; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return i
	}
	return i + 1
}

// lowerASCII lower-cases ASCII letters only, so byte offsets stay those of s. After normalize,
// every letter the patterns look at is ASCII.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
