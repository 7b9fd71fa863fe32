package commands

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/sim"
	"github.com/ks-doctor/ks-doctor/internal/sim/simtest"
)

// sessionTokens are the access and refresh tokens config.json holds now.
func sessionTokens(t hostileT, home string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(home, ".bluemix", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct{ IAMToken, IAMRefreshToken string }
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	return []string{strings.TrimPrefix(cfg.IAMToken, "Bearer "), cfg.IAMRefreshToken}
}

// leaked names the first secret text holds (shortened), or "" when none;
// any JWT counts.
func leaked(text string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 8 && strings.Contains(text, s) {
			return fmt.Sprintf("%.24s...", s)
		}
	}
	if i := strings.Index(text, "eyJ"); i >= 0 {
		return fmt.Sprintf("a JWT (%.24s...)", text[i:])
	}
	return ""
}

// controlChars returns the first terminal control character in text
// (escape, bell, backspace, carriage return), or "".
func controlChars(text string) string {
	for _, c := range []string{"\x1b", "\x07", "\b", "\r"} {
		if strings.Contains(text, c) {
			return c
		}
	}
	return ""
}

func maps2Equal(a, b map[string][]string) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// diff lists the checks whose statuses differ.
func diff(got, want map[string][]string) string {
	var out []string
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			out = append(out, fmt.Sprintf("%s %v (want %v)", k, got[k], v))
		}
	}
	sort.Strings(out)
	if got == nil {
		return "no findings document"
	}
	return strings.Join(out, "; ")
}

// newHostileWorld is newWorld for parallel sub-tests: the same simulated
// login on a fresh simulator.
func newHostileWorld(t hostileT, scenario string, expired bool) *world {
	t.Helper()
	return newWorldOf(t, simtest.Load(t, scenario), sim.Options{}, session{expired: expired})
}
