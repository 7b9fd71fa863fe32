package main

import (
	"strconv"
	"strings"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"
	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/commands"
)

// metadata is generated from the cobra tree: one namespace, ks-doctor, and
// one command per verb, with the same usage and flags as `--help` shows.
func metadata(root *cobra.Command) plugin.PluginMetadata {
	md := plugin.PluginMetadata{
		Name:          commands.Name,
		Version:       version(commands.Version),
		MinCliVersion: plugin.VersionType{Major: 2, Minor: 20, Build: 0},
		IsCobraPlugin: true,
		// Completion of check ids, formats and regions: the CLI runs
		// `ks-doctor SendCompletion WORDS` (commands.Complete).
		DelegateBashCompletion: true,
		Namespaces:             []plugin.Namespace{{Name: commands.Name, Description: root.Short}},
		// Every service is read over the private network when the session
		// is private (`ibmcloud login -a private.cloud.ibm.com`, with or
		// without --vpc): internal/ibm ResolveEndpoints, each URL with its
		// source. The CLI fails a plug-in's commands in a private session
		// unless it declares support (CLI SDK plugin_developer_guide.md §9);
		// IsAccessFromVPC declares it for a session from a VPC (the field's
		// doc: "supports private endpoint access via VPC"). plugin.json's
		// private_endpoint_supported must agree (a test checks).
		PrivateEndpointSupported: true,
		IsAccessFromVPC:          true,
	}
	for _, c := range root.Commands() {
		if c.Hidden || !c.IsAvailableCommand() {
			continue
		}
		md.Commands = append(md.Commands, plugin.Command{
			Namespace:   commands.Name,
			Name:        c.Name(),
			Aliases:     c.Aliases,
			Description: c.Short,
			Usage:       usage(c),
			Flags:       plugin.ConvertCobraFlagsToPluginFlags(c),
		})
	}
	return md
}

func version(s string) plugin.VersionType {
	var n [3]int
	for i, p := range strings.SplitN(s, ".", 3) {
		n[i], _ = strconv.Atoi(strings.TrimFunc(p, func(r rune) bool { return r < '0' || r > '9' }))
	}
	return plugin.VersionType{Major: n[0], Minor: n[1], Build: n[2]}
}

// usage is "ibmcloud ks-doctor check [-c, --cluster CLUSTER] ...", the same
// line --help prints (cobra would append a lower-case "[flags]", which the
// validator rejects; the commands set DisableFlagsInUseLine).
func usage(c *cobra.Command) string { return "ibmcloud " + c.UseLine() }
