package render

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Safe makes a value from outside ks-doctor (IBM Cloud's answers, names,
// worker messages, what a user typed) harmless on a terminal: control
// characters become visible escapes, so a "\r" cannot return to the start of
// a line and overwrite it with a fake "✓", an ESC sequence cannot clear the
// screen or recolour what follows, a newline cannot forge a line of the
// report, and a bidirectional override cannot reorder what the reader sees.
// Invalid UTF-8 bytes are shown as \xNN too. Text output passes every such
// value through Safe; JSON keeps values as they are (encoding/json escapes
// control characters itself).
func Safe(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			b.WriteString(escape(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// SafeLines is Safe for a message of several lines that ks-doctor itself
// put together (an error and its hint): the line breaks stay, everything
// else inside each line is made safe.
func SafeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Safe(l)
	}
	return strings.Join(lines, "\n")
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return true
		}
		i += size
	}
	return false
}

// unsafeRune: C0 controls (tab and newline included: in a one-line field
// they forge layout), DEL, C1 controls (0x9b is a one-byte CSI on some
// terminals), the line and paragraph separators, and the bidirectional
// marks, embeddings, overrides and isolates (the "Trojan Source" set,
// Unicode TR #9).
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r == 0x2028, r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func escape(r rune) string {
	switch r {
	case '\r':
		return `\r`
	case '\n':
		return `\n`
	case '\t':
		return `\t`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}
