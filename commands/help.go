package commands

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ks-doctor/ks-doctor/i18n"
)

// valueNames are the placeholders of flag values, in the SDK's style (the
// same words as the Use lines).
var valueNames = map[string]string{
	"cluster": "CLUSTER", "output": "FORMAT", "only": "CHECK_ID,...", "skip": "CHECK_ID,...", "fail-on": "LEVEL",
	"timeout": "DURATION", "concurrency": "N", "region": "REGION", "resource-group": "GROUP",
	"classic-credentials": "FILE", "file": "PATH",
}

// flagUsages renders a command's options like pflag does, but with the value
// placeholders of the Use line and a translated "default", so that `--help`
// is wholly in the session's language.
func flagUsages(tr *i18n.Translator) func(*pflag.FlagSet) string {
	return func(fs *pflag.FlagSet) string {
		type line struct{ left, right string }
		var lines []line
		width := 0
		fs.VisitAll(func(f *pflag.Flag) {
			if f.Hidden {
				return
			}
			left := "      --" + f.Name
			if f.Shorthand != "" {
				left = "  -" + f.Shorthand + ", --" + f.Name
			}
			if f.Value.Type() != "bool" {
				name := valueNames[f.Name]
				if name == "" {
					name = strings.ToUpper(f.Name)
				}
				left += " " + name
			}
			right := f.Usage
			if d := f.DefValue; d != "" && d != "false" && d != "[]" && d != "0" {
				right += " " + tr.T("(default: {{.Value}})", map[string]any{"Value": d})
			}
			lines = append(lines, line{left, right})
			width = max(width, len(left))
		})
		var b strings.Builder
		for _, l := range lines {
			fmt.Fprintf(&b, "%-*s   %s\n", width, l.left, l.right)
		}
		return strings.TrimRight(b.String(), "\n")
	}
}

// usage writes a command's usage: its Use line, its sub-commands and its
// options, with translated headings. cobra calls it for --help and after a
// usage error; every command of the tree inherits it from the root.
func usage(tr *i18n.Translator) func(*cobra.Command) error {
	options := flagUsages(tr)
	return func(c *cobra.Command) error {
		var b strings.Builder
		b.WriteString(tr.T("Usage:") + "\n")
		if c.Runnable() {
			fmt.Fprintf(&b, "  ibmcloud %s\n", c.UseLine())
		}
		if c.HasAvailableSubCommands() {
			fmt.Fprintf(&b, "  ibmcloud %s COMMAND\n\n%s\n", c.CommandPath(), tr.T("Commands:"))
			for _, sub := range c.Commands() {
				if sub.IsAvailableCommand() {
					fmt.Fprintf(&b, "  %-*s %s\n", sub.NamePadding(), sub.Name(), sub.Short)
				}
			}
		}
		if c.HasAvailableLocalFlags() {
			fmt.Fprintf(&b, "\n%s\n%s\n", tr.T("Options:"), options(c.LocalFlags()))
		}
		if c.HasExample() {
			fmt.Fprintf(&b, "\n%s\n%s\n", tr.T("Examples:"), c.Example)
		}
		_, err := fmt.Fprint(c.OutOrStderr(), b.String())
		return err
	}
}
