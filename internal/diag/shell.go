package diag

import "github.com/ks-doctor/ks-doctor/internal/shell"

// cmd is a fix command, quoted for a POSIX shell (internal/shell).
func cmd(words ...string) string { return shell.Command(words...) }

// shellWord is one value of a fix command, quoted.
func shellWord(w string) string { return shell.Quote(w) }

// targetCmd is `ibmcloud target` for a region and resource group: the
// credential and API key commands act on the targeted ones (seed 000).
func targetCmd(region, group string) string {
	return cmd("ibmcloud", "target", "-r", orPlaceholder(region, "<region>"), "-g", orPlaceholder(group, "<resource_group>"))
}
