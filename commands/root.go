// Package commands holds one file per verb of `ibmcloud ks-doctor`: the
// options, the cobra wiring, and a plain run function that returns an error.
// Nothing here exits the process; plugin/ maps the returned error to the exit
// code through diag.ExitCode.
package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"
	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/render"
)

// Name is the plug-in's name and its one top-level namespace.
const Name = "ks-doctor"

// Version is set at build time (-ldflags "-X .../commands.Version=x.y.z").
var Version = "0.1.0"

// Env is everything a command touches outside itself, injected so tests run
// commands in-process with buffers and a simulated session.
type Env struct {
	Ctx            context.Context // cancelled on Ctrl-C; nil means never
	Stdin          io.Reader
	StdinTerminal  bool // stdin is a terminal: never wait on it
	StderrTerminal bool // progress lines only on a terminal
	Stdout, Stderr io.Writer
	Context        plugin.PluginContext // nil for SendMetadata, which must not read config
	Getenv         func(string) string
	Terminal       bool // stdout is a terminal
	T              *i18n.Translator
}

func (e *Env) plugin() render.Plugin { return render.Plugin{Name: Name, Version: Version} }

func (e *Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

func (e *Env) context() context.Context {
	if e.Ctx == nil {
		return context.Background()
	}
	return e.Ctx
}

// global flags shared by every verb.
type global struct {
	output string
	quiet  bool
}

func (g *global) json() bool { return g.output == "json" }

// NewRoot builds the command tree. The tree is also the source of the
// plug-in metadata, so help and `ibmcloud help ks-doctor` never disagree.
func NewRoot(env *Env) *cobra.Command {
	T := env.T.T
	root := &cobra.Command{
		Use:           Name,
		Short:         T("Diagnose IBM Cloud Kubernetes Service clusters and worker nodes"),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.CompletionOptions.DisableDefaultCmd = true // completion is the CLI's job
	root.SetHelpCommand(&cobra.Command{Hidden: true})
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageErr(env, c, err) })
	root.PersistentFlags().BoolP("help", "h", false, T("Show help"))
	root.SetUsageFunc(usage(env.T))
	root.AddCommand(newCheck(env), newOrphan(env), newExplain(env), newChecks(env), newGather(env))
	for _, c := range root.Commands() {
		c.DisableFlagsInUseLine = true // the Use line lists the flags in the SDK's style
	}
	return root
}

func addGlobal(env *Env, c *cobra.Command, g *global) {
	c.Flags().StringVar(&g.output, "output", "", env.T.T("Print the output in FORMAT: json or text"))
	c.Flags().BoolVarP(&g.quiet, "quiet", "q", false, env.T.T("Suppress progress messages"))
}

// check global flags once parsing is done; cobra knows no enums.
func (g *global) validate(env *Env, c *cobra.Command) error {
	g.output = strings.ToLower(g.output)
	if g.output != "" && g.output != "json" && g.output != "text" {
		return usageErr(env, c, fmt.Errorf("--output %s", g.output))
	}
	if env.Getenv != nil && env.Getenv("IBMCLOUD_QUIET") != "" && env.Getenv("IBMCLOUD_QUIET") != "false" {
		g.quiet = true // `ibmcloud -q ks-doctor ...`
	}
	return nil
}

// Failure is an error whose message is already localized for the user.
type Failure struct{ Msg string }

func (f *Failure) Error() string { return f.Msg }

func usageErr(env *Env, c *cobra.Command, err error) error {
	return &Failure{Msg: env.T.T("Incorrect usage: {{.Error}}", map[string]any{"Error": err.Error()}) + "\n" +
		env.T.T("Run '{{.Command}} --help' for usage.", map[string]any{"Command": "ibmcloud " + c.CommandPath()})}
}

// Execute runs the tree with args and reports any error on stderr, in the
// CLI's FAILED style. Findings were already printed; a verdict is silent.
func Execute(env *Env, args []string) error {
	root := NewRoot(env)
	root.SetArgs(args)
	err := root.Execute()
	var v *diag.Verdict
	if err == nil || errors.As(err, &v) {
		return err
	}
	var f *Failure
	if !errors.As(err, &f) {
		// cobra's own errors (unknown command, bad arguments) are usage errors.
		err = usageErr(env, root, err)
	}
	fmt.Fprintf(env.Stderr, "%s\n%s\n", env.T.T("FAILED"), err.Error())
	return err
}

func parseTimeout(env *Env, c *cobra.Command, s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, usageErr(env, c, fmt.Errorf("--timeout %s", s))
	}
	return d, nil
}
