package commands

import (
	"strings"

	"github.com/spf13/cobra"
)

// example is one line of a command's help: what it does, in the session's
// language, and the command itself, which is never translated.
type example struct{ what, cmd string }

// examples holds every command's help examples in one table, so that a test
// can parse each one with the command it belongs to.
func examples(T func(string, ...any) string) map[string][]example {
	return map[string][]example{
		"check": {
			{T("Every check on one cluster"), "ibmcloud ks-doctor check -c mycluster"},
			{T("Whether a cluster can be created in the targeted region and resource group"), "ibmcloud ks-doctor check"},
			{T("Only the credential checks, as JSON for a script"), "ibmcloud ks-doctor check -c mycluster --only apikey.owner,credentials.manual --output json"},
			{T("Every cluster of every region and resource group"), "ibmcloud ks-doctor check --all-clusters --all-regions --all-resource-groups"},
		},
		"orphan": {
			{T("The classic clusters of the targeted region and resource group"), "ibmcloud ks-doctor orphan"},
			{T("Every region and resource group, also searching a legacy infrastructure account whose credentials are in a file"), "ibmcloud ks-doctor orphan --all-regions --all-resource-groups --classic-credentials creds.txt"},
			{T("Only the orphaned, mixed and undecided clusters of every region and resource group"), "ibmcloud ks-doctor orphan --all-regions --all-resource-groups --status orphaned,mixed,unknown"},
		},
		"explain": {
			{T("An error message given as an argument"), "ibmcloud ks-doctor explain 'Could not obtain network VLAN with ID: 1234.'"},
			{T("The output of another command, on standard input"), "ibmcloud ks worker get --cluster mycluster --worker WORKER_ID | ibmcloud ks-doctor explain"},
			{T("Every known error, then one of them in full"), "ibmcloud ks-doctor explain --list\nibmcloud ks-doctor explain E-orphan-incorrect-account"},
		},
		"gather": {
			{T("An archive for IBM Cloud support, in the current directory"), "ibmcloud ks-doctor gather -c mycluster"},
			{T("The same as a .zip file"), "ibmcloud ks-doctor gather -c mycluster --file support.zip"},
		},
		"checks": {
			{T("Every check with what it reads"), "ibmcloud ks-doctor checks"},
			{T("The same as JSON"), "ibmcloud ks-doctor checks --output json"},
		},
	}
}

// addExamples sets each command's Example from the table: a comment line
// with what it does, then the command lines, indented as cobra's are.
func addExamples(root *cobra.Command, T func(string, ...any) string) {
	table := examples(T)
	for _, c := range root.Commands() {
		var b strings.Builder
		for i, e := range table[c.Name()] {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString("  # " + e.what + "\n")
			for _, line := range strings.Split(e.cmd, "\n") {
				b.WriteString("  " + line + "\n")
			}
		}
		c.Example = strings.TrimRight(b.String(), "\n")
	}
}
