// Package shell writes commands for a POSIX shell. Fix commands get pasted
// into shells: a value that holds anything but plain characters is
// single-quoted, so a resource group named "Default Group" stays one
// argument and a name holding ';' or '$(…)' runs nothing. A placeholder
// such as <infrastructure_API_key> is left as written: it is there for the
// user to replace before running the command.
package shell

import (
	"regexp"
	"strings"
)

// Command joins a command's words, each quoted where it needs it.
func Command(words ...string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = Quote(w)
	}
	return strings.Join(out, " ")
}

var (
	plainWord   = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)
	placeholder = regexp.MustCompile(`^<[A-Za-z0-9_.-]+>$`)
)

// Quote is w as one shell word.
func Quote(w string) string {
	switch {
	case plainWord.MatchString(w) || placeholder.MatchString(w):
		return w
	case w == "":
		return "''"
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}
