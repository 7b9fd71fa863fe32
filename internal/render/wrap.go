package render

import (
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// Wrapped returns w itself when width is 0, else a writer that folds every
// line wider than width (display cells: a Japanese character takes two,
// colour codes none) and indents what follows under the line's text: a
// finding's title under its title, a cause under the text after "Cause: ",
// a table row under its last column. Commands are never folded (a fold
// would break them when pasted), and neither is a word longer than the
// line (a URL). Writes must end at line ends, as the renderers' do.
func Wrapped(w io.Writer, width int) io.Writer {
	if width <= 0 {
		return w
	}
	return wrapper{w: w, width: width}
}

type wrapper struct {
	w     io.Writer
	width int
}

func (x wrapper) Write(p []byte) (int, error) {
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(p), "\n") {
		body, nl := strings.CutSuffix(line, "\n")
		b.WriteString(fold(body, x.width))
		if nl {
			b.WriteString("\n")
		}
	}
	if _, err := io.WriteString(x.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

var (
	ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")
	// gap: two or more spaces between columns (before a finding's title,
	// a table's next column); label: "Cause: ".
	gap     = regexp.MustCompile(`\S {2,}`)
	label   = regexp.MustCompile(`^ *[^ :：][^:：]{0,30}?[:：] +`)
	command = regexp.MustCompile(`^(\$ )?(ibmcloud|kubectl|calicoctl|export|curl) `)
)

// noLineStart are characters a Japanese line must not begin with (kinsoku).
const noLineStart = "、。，．・）」』】〕：！？ー"

// fold breaks line into lines of at most width cells where it can.
func fold(line string, width int) string {
	plain := ansi.ReplaceAllString(line, "")
	if runewidth.StringWidth(plain) <= width {
		return line
	}
	indent := hangingIndent(plain, width)
	if command.MatchString(strings.TrimLeft(plain, " ")) || command.MatchString(cutCells(plain, indent)) {
		return line
	}
	var b strings.Builder
	pad := "\n" + strings.Repeat(" ", indent)
	start, col := 0, 0 // start of the current output line; its width
	brk, brkSpace := -1, false
	prevWide := false
	for i := 0; i < len(line); {
		if loc := ansi.FindStringIndex(line[i:]); loc != nil && loc[0] == 0 {
			i += loc[1]
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		w := runewidth.RuneWidth(r)
		switch {
		case r == ' ' && col > indent:
			brk, brkSpace = i, true
		case (w == 2 || prevWide) && col > indent && !strings.ContainsRune(noLineStart, r):
			brk, brkSpace = i, false
		}
		if col+w > width && brk > start {
			b.WriteString(line[start:brk])
			b.WriteString(pad)
			start, brk = brk, -1
			if brkSpace {
				start++ // the space the line broke at is not printed
			}
			if start > i { // it was this rune
				col, prevWide = indent, false
				i += size
				continue
			}
			col = indent + runewidth.StringWidth(ansi.ReplaceAllString(line[start:i], ""))
		}
		col += w
		prevWide = w == 2
		i += size
	}
	b.WriteString(line[start:])
	return b.String()
}

// hangingIndent is the column continuation lines start at: under a
// title or a label's text when that leaves half the line, else under the
// line's own indentation.
func hangingIndent(plain string, width int) int {
	lead := len(plain) - len(strings.TrimLeft(plain, " "))
	at := lead
	for _, g := range gap.FindAllStringIndex(plain, -1) {
		if n := runewidth.StringWidth(plain[:g[1]]); n <= width/2 {
			at = n
		}
	}
	if at > lead {
		return at
	}
	if m := label.FindString(plain); m != "" {
		if n := runewidth.StringWidth(m); n <= width/2 {
			return n
		}
	}
	return lead
}

// cutCells is s without its first n cells.
func cutCells(s string, n int) string {
	for i, r := range s {
		if n <= 0 {
			return s[i:]
		}
		n -= runewidth.RuneWidth(r)
	}
	return ""
}
