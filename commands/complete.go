package commands

import (
	"bufio"
	"bytes"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ks-doctor/ks-doctor/internal/catalog"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
)

// CompletionCommand is how the IBM Cloud CLI delegates completion to a
// plug-in that declares DelegateBashCompletion: it runs
// `<plugin binary> SendCompletion <words>` (ibm-cloud-cli-sdk
// plugin/plugin.go) and offers what the plug-in prints, one per line.
const CompletionCommand = "SendCompletion"

// flagValues is every flag value ks-doctor can complete without reading
// IBM Cloud, by flag name, whichever verb declares the flag. Lists of
// values (--only a,b) complete their last element.
func flagValues() map[string]func() []string {
	ids := func() []string {
		out := make([]string, len(diag.All))
		for i, c := range diag.All {
			out[i] = c.ID
		}
		return out
	}
	fixed := func(v ...string) func() []string { return func() []string { return v } }
	return map[string]func() []string{
		"only":    ids,
		"skip":    ids,
		"output":  fixed("json", "text"),
		"fail-on": fixed("fail", "warn"),
		"region":  func() []string { return ibm.Regions },
	}
}

// addCompletions registers the flag values above on every verb, and the
// catalog's entry ids on `explain` (`explain E-<TAB>`).
func addCompletions(root *cobra.Command) {
	values := flagValues()
	for _, c := range root.Commands() {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			list, ok := values[f.Name]
			if !ok {
				return
			}
			_ = c.RegisterFlagCompletionFunc(f.Name, func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
				done, last := "", typed
				if i := strings.LastIndex(typed, ","); i >= 0 && f.Value.Type() == "stringSlice" {
					done, last = typed[:i+1], typed[i+1:]
				}
				var out []string
				for _, v := range list() {
					if strings.HasPrefix(v, last) && !strings.Contains(","+done, ","+v+",") {
						out = append(out, done+v)
					}
				}
				return out, cobra.ShellCompDirectiveNoFileComp
			})
		})
		if c.Name() == "explain" {
			c.ValidArgsFunction = func(_ *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 { // explain takes one entry id or one message
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				var out []string
				for _, e := range catalog.Entries() {
					if strings.HasPrefix(e.ID, typed) {
						out = append(out, e.ID)
					}
				}
				return out, cobra.ShellCompDirectiveNoFileComp
			}
		}
	}
}

// Complete prints the completions of words (what the user typed after
// `ibmcloud ks-doctor`, the word being completed last, possibly ""), one
// per line, through cobra's own completion engine: commands, flags and
// the values above. It reads no session and makes no call.
func Complete(env *Env, words []string) {
	if len(words) > 0 && words[0] == Name { // the CLI may pass the namespace too
		words = words[1:]
	}
	if len(words) == 0 {
		words = []string{""}
	}
	var out bytes.Buffer
	root := NewRoot(&Env{T: env.T, Stdout: &out, Stderr: io.Discard, Getenv: env.Getenv})
	root.SetOut(&out)
	root.SetErr(io.Discard)
	root.SetArgs(append([]string{cobra.ShellCompRequestCmd}, words...))
	if root.Execute() != nil {
		return
	}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, ":") { // cobra's directive line ends the list
			break
		}
		name, _, _ := strings.Cut(line, "\t") // no descriptions: bash shows names
		if name != "" {
			_, _ = io.WriteString(env.Stdout, name+"\n")
		}
	}
}
