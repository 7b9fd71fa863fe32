// Command ks-doctor is the `ibmcloud ks-doctor` plug-in. This package is the
// only place that exits the process: commands return errors, diag.ExitCode
// turns them into the documented exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/trace"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"
	"github.com/mattn/go-isatty"

	"github.com/ks-doctor/ks-doctor/commands"
	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

type ksDoctor struct{}

func main() { plugin.Start(ksDoctor{}) }

// GetMetadata is called on every start, SendMetadata included, so it reads no
// config and makes no call. Metadata is English: the CLI caches it at install
// time, whatever locale is set later, and the SDK's validator rules
// (capitalised descriptions, plural words) are rules of English. `--help` of
// every command is localized.
func (ksDoctor) GetMetadata() plugin.PluginMetadata {
	tr := i18n.New(i18n.English)
	return metadata(commands.NewRoot(&commands.Env{T: tr, Stdout: os.Stdout, Stderr: os.Stderr}))
}

func (ksDoctor) Run(ctx plugin.PluginContext, args []string) {
	trace.Logger = trace.NewLogger(ctx.Trace())
	env := &commands.Env{
		Stdin: os.Stdin, StdinTerminal: isatty.IsTerminal(os.Stdin.Fd()), StderrTerminal: isatty.IsTerminal(os.Stderr.Fd()),
		Stdout: os.Stdout, Stderr: os.Stderr, Context: ctx, Getenv: os.Getenv,
		Terminal: isatty.IsTerminal(os.Stdout.Fd()),
		T:        i18n.New(i18n.Resolve(ctx.Locale(), os.Getenv)),
	}
	// Ctrl-C cancels the reads; the command prints what it has, marked
	// incomplete, and exits with 3.
	sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env.Ctx = sig
	code := diag.ExitCode(commands.Execute(env, args))
	stop()
	os.Exit(code)
}
