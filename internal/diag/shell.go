package diag

import (
	"regexp"
	"strings"
)

// Fix commands get pasted into shells. cmd joins a command's words for a
// POSIX shell: a word that holds anything but plain characters is
// single-quoted, so a resource group named "Default Group" stays one
// argument and a name holding ';' or '$(…)' runs nothing. A placeholder
// such as <infrastructure_API_key> is left as written: it is there for the
// user to replace before running the command.
func cmd(words ...string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = shellWord(w)
	}
	return strings.Join(out, " ")
}

var (
	plainWord   = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)
	placeholder = regexp.MustCompile(`^<[A-Za-z0-9_.-]+>$`)
)

func shellWord(w string) string {
	switch {
	case plainWord.MatchString(w) || placeholder.MatchString(w):
		return w
	case w == "":
		return "''"
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// targetCmd is `ibmcloud target` for a region and resource group: the
// credential and API key commands act on the targeted ones (seed 000).
func targetCmd(region, group string) string {
	return cmd("ibmcloud", "target", "-r", orPlaceholder(region, "<region>"), "-g", orPlaceholder(group, "<resource_group>"))
}
