package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/creack/pty"
	"github.com/mattn/go-runewidth"
)

var ansiCode = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// On a terminal of 80 columns, as a person runs it: the report is in
// colour, every line fits in 80 columns (but commands and URLs, which a
// fold would break when pasted), and the reads' progress shows on stderr.
// The same run into pipes has no colour, no folding and no progress.
func TestTerminalLook(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	dir := t.TempDir()
	ksd := build(t, dir, "./plugin", "ks-doctor")
	simBin := build(t, dir, "./cmd/ks-doctor-sim", "ks-doctor-sim")
	for _, lang := range []string{"en_US", "ja_JP"} {
		env, _ := startSim(t, simBin, "--scenario", "apikey-owner-pending-deletion", "--locale", lang)
		args := []string{"check", "-c", "payments"}

		out, code := runOnTerminal(t, ksd, env, 80, args...)
		if code != 1 {
			t.Errorf("%s terminal: exit %d\n%s", lang, code, out)
		}
		// The CLI's palette: entity names cyan and bold, commands yellow
		// and bold, failures red and bold.
		for _, c := range []string{"\x1b[36;1m", "\x1b[33;1m", "\x1b[31;1m"} {
			if !strings.Contains(out, c) {
				t.Errorf("%s terminal: no %q in\n%q", lang, c, out)
			}
		}
		if !strings.Contains(out, "Reading IBM Cloud: ") && !strings.Contains(out, "IBM Cloud を読み取っています: ") {
			t.Errorf("%s terminal: no progress\n%q", lang, out)
		}
		folded := 0
		for _, line := range strings.Split(ansiCode.ReplaceAllString(out, ""), "\n") {
			line = line[strings.LastIndex(line, "\r")+1:] // what the progress line left
			text := strings.TrimSpace(line)
			if w := runewidth.StringWidth(line); w > 80 && !strings.Contains(text, "https://") && !isCommandLine(text) {
				t.Errorf("%s terminal: %d columns: %q", lang, w, line)
			}
			if strings.HasPrefix(line, "                     ") && !strings.HasPrefix(text, "ibmcloud") {
				folded++ // a continuation under a title
			}
		}
		if folded == 0 {
			t.Errorf("%s terminal: nothing folded under its title\n%s", lang, out)
		}

		// A table wider than the terminal wraps inside its columns.
		if out, code := runOnTerminal(t, ksd, env, 80, "checks"); code != 0 {
			t.Errorf("%s checks: exit %d", lang, code)
		} else {
			for _, line := range strings.Split(ansiCode.ReplaceAllString(out, ""), "\n") {
				if w := runewidth.StringWidth(line); w > 80 {
					t.Errorf("%s checks: %d columns: %q", lang, w, line)
				}
			}
		}
		if out, code := runOnTerminal(t, ksd, env, 80, "check", "-c", "nosuch"); code != 2 || !strings.Contains(out, "\x1b[31;1m") {
			t.Errorf("%s terminal: FAILED not in red (exit %d): %q", lang, code, out)
		}

		stdout, stderr, code := run(t, ksd, env, args...)
		if code != 1 || strings.Contains(stdout+stderr, "\x1b[") || stderr != "" {
			t.Errorf("%s piped: exit %d, colour or stderr: %q", lang, code, stderr)
		}
		long := false
		for _, line := range strings.Split(stdout, "\n") {
			long = long || runewidth.StringWidth(line) > 80
		}
		if !long {
			t.Errorf("%s piped: folded although not on a terminal", lang)
		}
	}
}

func isCommandLine(s string) bool {
	for _, p := range []string{"ibmcloud ", "kubectl ", "First step: ibmcloud", "最初のステップ: ibmcloud"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// runOnTerminal runs the plug-in with stdout and stderr on a pseudo
// terminal of the given width, and returns everything the terminal got.
func runOnTerminal(t *testing.T, bin string, env []string, cols uint16, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "IBMCLOUD_PLUGIN_NAMESPACE=ks-doctor", "LANG=C", "TERM=xterm"}, env...)
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: cols})
	if err != nil {
		// Linux (CI and this project's machines) always has pseudo
		// terminals: there the claim is checked, never skipped.
		if runtime.GOOS == "linux" {
			t.Fatalf("no pseudo terminal: %v", err)
		}
		t.Skipf("no pseudo terminal here: %v", err)
	}
	var out bytes.Buffer
	_, err = io.Copy(&out, ptmx) // ends with EIO when the process is gone
	ptmx.Close()
	if err != nil && !errors.Is(err, syscall.EIO) {
		t.Fatal(err)
	}
	code := 0
	var exit *exec.ExitError
	if err := cmd.Wait(); errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(out.String(), "\r\n", "\n"), code
}
