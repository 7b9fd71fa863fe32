package commands

import (
	"path/filepath"
	"strings"
	"testing"
)

// check and gather show their reads' progress on a terminal's stderr as
// they end, and clear the line before the report; -q, or a stderr that is
// not a terminal, gets none.
func TestCheckProgress(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	for _, c := range []struct {
		name     string
		terminal bool
		args     []string
		want     bool
	}{
		{"terminal", true, nil, true},
		{"terminal -q", true, []string{"-q"}, false},
		{"piped", false, nil, false},
		{"gather", true, []string{"gather"}, true},
		{"gather -q", true, []string{"gather", "-q"}, false},
	} {
		var writes []string
		rec := writerFunc(func(p []byte) (int, error) { writes = append(writes, string(p)); return len(p), nil })
		args := append([]string{"check", "-c", "mycluster"}, c.args...)
		if len(c.args) > 0 && c.args[0] == "gather" {
			args = append([]string{"gather", "-c", "mycluster", "--file", filepath.Join(t.TempDir(), "b.tar.gz")}, c.args[1:]...)
		}
		stdout, stderr, code := w.runWith(t, runOpts{locale: "en_US", stderr: rec, stderrTerminal: c.terminal}, args...)
		shown := 0
		for _, s := range writes {
			if strings.Contains(s, "Reading IBM Cloud: ") {
				shown++
			}
		}
		switch {
		case code != 0 || !strings.Contains(stdout, "workers.state") && !strings.Contains(stdout, "b.tar.gz"):
			t.Errorf("%s: exit %d\n%s", c.name, code, stdout)
		case c.want && (shown < 2 || !strings.HasSuffix(stderr, "\r\x1b[K")):
			t.Errorf("%s: %d progress writes; stderr %q", c.name, shown, stderr)
		case !c.want && strings.Contains(stderr, "Reading IBM Cloud"):
			t.Errorf("%s: stderr %q, want no progress", c.name, stderr)
		}
		if strings.Contains(stdout, "Reading IBM Cloud") {
			t.Errorf("%s: progress on stdout", c.name)
		}
	}
}
