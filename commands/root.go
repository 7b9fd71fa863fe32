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
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"
	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/render"
	"github.com/ks-doctor/ks-doctor/internal/scrub"
)

// Name is the plug-in's name and its one top-level namespace.
const Name = "ks-doctor"

// Version is set at build time (-ldflags "-X .../commands.Version=x.y.z").
var Version = "0.1.0"

// Env is everything a command touches outside itself, injected so tests run
// commands in-process with buffers and a simulated session.
type Env struct {
	Interrupt      context.Context // cancelled on Ctrl-C; nil means never
	Stdin          io.Reader
	StdinTerminal  bool // stdin is a terminal: never wait on it
	StderrTerminal bool // progress lines only on a terminal
	Stdout, Stderr io.Writer
	CLI            plugin.PluginContext // the CLI's session and settings; nil for SendMetadata, which must not read config
	// ConfigPath is the CLI's config.json (cliconfig.Path() for the real
	// CLI): injected, so that runs in one process each have their own.
	ConfigPath string
	// Trace is IBMCLOUD_TRACE as the CLI gives it (PluginContext.Trace):
	// "true", a file, or "" / "false".
	Trace    string
	Getenv   func(string) string
	Terminal bool // stdout is a terminal
	// Width is the terminal's width in columns when stdout is one: text
	// reports fold to it. 0 (a pipe, a file) folds nothing.
	Width int
	T     *i18n.Translator

	scrub *scrub.Scrubber // set by Execute: masks the session's secrets in every output
}

func (e *Env) plugin() render.Plugin { return render.Plugin{Name: Name, Version: Version} }

func (e *Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// tracing tells whether IBMCLOUD_TRACE asks for details.
func (e *Env) tracing() bool {
	tr := strings.ToLower(strings.TrimSpace(e.Trace))
	return tr != "" && tr != "false"
}

// runContext is the run's context: Interrupt, or one that never ends.
func (e *Env) runContext() context.Context {
	if e.Interrupt == nil {
		return context.Background()
	}
	return e.Interrupt
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
		Version:       Version,
	}
	// --version prints "ks-doctor x.y.z"; the flag is declared here so that
	// its help is translated (cobra's own is English).
	root.Flags().Bool("version", false, T("Print the version of ks-doctor"))
	root.SetVersionTemplate(Name + " {{.Version}}\n")
	root.CompletionOptions.DisableDefaultCmd = true // completion is the CLI's job
	root.SetHelpCommand(&cobra.Command{Hidden: true})
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageErr(env, c, flagError(env, err)) })
	// The root runs (it prints its help) so that cobra hands an unknown
	// command to unknownCommand instead of its own English error.
	root.Args = unknownCommand(env)
	root.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
	root.PersistentFlags().BoolP("help", "h", false, T("Show help"))
	root.SetUsageFunc(usage(env.T))
	root.AddCommand(newCheck(env), newOrphan(env), newExplain(env), newChecks(env), newGather(env))
	addExamples(root, T)
	addCompletions(root)
	markRunErrors(root)
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
		return badValue(env, c, "--output", g.output, "json, text")
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

// badValue is the usage error of a flag value, naming what is allowed.
func badValue(env *Env, c *cobra.Command, flag, value, allowed string) error {
	return usageErr(env, c, errors.New(env.T.T("{{.Flag}} {{.Value}}: use {{.Allowed}}",
		map[string]any{"Flag": flag, "Value": render.Safe(value), "Allowed": allowed})))
}

// Execute runs the tree with args and reports any error on stderr, in the
// CLI's FAILED style. Findings were already printed; an Exit is silent.
// Everything the run writes to stdout and stderr passes the run's scrubber,
// so no secret of the session reaches either, whatever IBM Cloud echoed;
// a write to stdout that fails (closed pipe, full disk) is an I/O error,
// never a success.
func Execute(env *Env, args []string) error {
	run, out := withOutputs(env)
	err := execute(run, args)
	if werr := out.finishStdout(); werr != nil {
		err = &Failure{Msg: run.T.T("Could not write the output: {{.Error}}", map[string]any{"Error": werr.Error()})}
	}
	var v *diag.Exit
	if err != nil && !errors.As(err, &v) {
		failed := render.Text{Color: colourOn(run, run.StderrTerminal)}.Failure(run.T.T("FAILED"))
		fmt.Fprintf(run.Stderr, "%s\n%s\n", failed, render.SafeLines(err.Error()))
	}
	out.finishStderr()
	return err
}

// execute runs the command tree; an unexpected panic becomes a localized
// internal error (its stack only with IBMCLOUD_TRACE), never a crash with a
// Go stack trace on the user's terminal.
func execute(env *Env, args []string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = internalError(env, p)
		}
	}()
	root := NewRoot(env)
	root.SetArgs(args)
	err = root.Execute()
	var v *diag.Exit
	var f *Failure
	var re *runError
	switch {
	case err == nil || errors.As(err, &v) || errors.As(err, &f):
		return err
	case errors.As(err, &re):
		return &Failure{Msg: re.err.Error()}
	}
	// Only cobra's own errors are left (unknown command, bad arguments):
	// usage errors.
	return usageErr(env, root, err)
}

// runError marks an error that a verb's run returned without a message for
// the user (an SDK or I/O error): it is reported as it is, never as
// "Incorrect usage".
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }

// markRunErrors wraps the RunE of every command so that its plain errors
// are told apart from cobra's usage errors.
func markRunErrors(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(c *cobra.Command, args []string) error {
			err := run(c, args)
			var v *diag.Exit
			var f *Failure
			if err == nil || errors.As(err, &v) || errors.As(err, &f) {
				return err
			}
			return &runError{err: err}
		}
	}
	for _, sub := range c.Commands() {
		markRunErrors(sub)
	}
}

func internalError(env *Env, p any) error {
	if env.tracing() {
		fmt.Fprintf(env.Stderr, "panic: %v\n%s\n", p, debug.Stack())
	}
	return &Failure{Msg: env.T.T("Internal error: ks-doctor stopped unexpectedly ({{.Error}}). Please report this problem to the ks-doctor maintainers; run the command again with IBMCLOUD_TRACE=true to include the details.",
		map[string]any{"Error": fmt.Sprint(p)})}
}

func parseTimeout(env *Env, c *cobra.Command, s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, badValue(env, c, "--timeout", s, env.T.T("a positive duration, for example 90s or 5m"))
	}
	return d, nil
}

// outputs are a run's stdout and stderr as the commands see them: through
// the run's scrubber, and watched for failed writes.
type outputs struct {
	stdout, stderr *scrub.Writer
	stdoutErr      *watchedWriter
}

// withOutputs returns a copy of env whose Stdout and Stderr mask the
// session's secrets (and anything shaped like a credential), and the
// outputs to finish when the run ends.
func withOutputs(env *Env) (*Env, *outputs) {
	run := *env
	run.scrub = scrub.New(SessionSecrets(env, nil)...)
	o := &outputs{stdoutErr: &watchedWriter{w: orDiscard(env.Stdout)}}
	o.stdout = run.scrub.NewWriter(o.stdoutErr)
	o.stderr = run.scrub.NewWriter(orDiscard(env.Stderr))
	run.Stdout, run.Stderr = o.stdout, o.stderr
	return &run, o
}

// finishStdout writes what the scrubber kept back and returns the first
// error of any write to stdout.
func (o *outputs) finishStdout() error {
	_ = o.stdout.Flush()
	return o.stdoutErr.failed()
}

func (o *outputs) finishStderr() { _ = o.stderr.Flush() }

// addSecrets tells the run's scrubber about more secret values: the tokens
// a client refreshed or exchanged (SessionSecrets), classic infrastructure
// API keys.
func (e *Env) addSecrets(secrets ...string) {
	if e.scrub != nil {
		e.scrub.Add(secrets...)
	}
}

// watchedWriter remembers the first failed write: a report that did not
// reach stdout is an error even when the renderer ignored it.
type watchedWriter struct {
	w   io.Writer
	mu  sync.Mutex
	err error
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.mu.Lock()
		if w.err == nil {
			w.err = err
		}
		w.mu.Unlock()
	}
	return n, err
}

func (w *watchedWriter) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
