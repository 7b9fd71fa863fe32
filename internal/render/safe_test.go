package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafe(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"kube-dal10-cr1a2b3c-w1", "kube-dal10-cr1a2b3c-w1"},
		{"ワーカー・ノード", "ワーカー・ノード"},
		{"boot failed\r  ✓ fixed", `boot failed\r  ✓ fixed`},
		{"\x1b[2Jcleared", `\x1b[2Jcleared`},
		{"two\nlines\tand a tab", `two\nlines\tand a tab`},
		{"bell\x07 del\x7f nul\x00", `bell\x07 del\x7f nul\x00`},
		{"c1 \u009b31m csi", `c1 \u009b31m csi`},
		{"rtl \u202eevil\u202c \u2066iso\u2069", `rtl \u202eevil\u202c \u2066iso\u2069`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"", ""},
	} {
		got := Safe(c.in)
		if got != c.want {
			t.Errorf("Safe(%q) = %q, want %q", c.in, got, c.want)
		}
		if Safe(got) != got {
			t.Errorf("Safe is not idempotent on %q", got)
		}
	}
	if got := SafeLines("FAILED\nname \x1b]0;title\x07 here"); got != "FAILED\nname \\x1b]0;title\\x07 here" {
		t.Errorf("SafeLines = %q", got)
	}
}

// Whatever the input, Safe's output holds no control character, no
// bidirectional control and no invalid UTF-8.
func FuzzSafe(f *testing.F) {
	for _, s := range []string{"a\rb", "\x1b[31m", "\u202e", "\xc3", "ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Safe(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q: %q", s, out)
		}
		for _, r := range out {
			if unsafeRune(r) {
				t.Fatalf("%U survived in %q", r, out)
			}
		}
		if !needsEscape(s) && out != s {
			t.Fatalf("a clean value changed: %q -> %q", s, out)
		}
		if strings.ContainsRune(out, '\r') {
			t.Fatal("carriage return survived")
		}
	})
}
