// Command ks-doctor is the `ibmcloud ks-doctor` plug-in. This package is the
// only place that exits the process: commands return errors, diag.ExitCode
// turns them into the documented exit codes.
package main

import (
	"context"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/trace"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"
	"github.com/mattn/go-isatty"
	"golang.org/x/term"

	"github.com/ks-doctor/ks-doctor/commands"
	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/cliconfig"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
)

// Exit codes of a second signal: the shell's 128+signal, so that scripts see
// an interrupted run the way they see any other.
const (
	ExitSecondInterrupt = 130 // SIGINT (Ctrl-C) twice
	ExitSecondTerminate = 143 // SIGTERM twice
)

// saveGrace is how long the process waits, after the command returned, for
// a token refresh or exchange that outlived its caller to save what IAM
// issued (ibm.WaitDetached).
const saveGrace = 300 * time.Millisecond

// memoryLimit is the soft heap limit (runtime/debug.SetMemoryLimit).
const memoryLimit = 90 << 20

type ksDoctor struct{ ctx context.Context }

func main() {
	// A soft heap limit: a walk of ten thousand clusters keeps every worker
	// device of every account in memory, and the collector then works
	// harder instead of letting the heap double (peak RSS 153 MB -> 108 MB
	// there, no slower). Soft: a run that needs more still gets it. The
	// user's GOMEMLIMIT wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	// Libraries log their internals to the standard logger (net/http's
	// "RoundTripper returned a response & error" after go-sdk-core's last
	// retry): ks-doctor speaks only through its own output.
	log.SetOutput(io.Discard)
	args := os.Args[1:]
	if len(args) == 1 && args[0] == "SendMetadata" {
		plugin.StartWithArgs(ksDoctor{}, args) // reads no config
		return
	}
	if len(args) > 0 && args[0] == commands.CompletionCommand {
		// Completion reads no config and makes no call; its words are
		// English ids, flags and values.
		commands.Complete(&commands.Env{T: i18n.New(i18n.English), Stdout: os.Stdout, Stderr: io.Discard, Getenv: os.Getenv}, args[1:])
		return
	}
	ctx := interruptible()
	// The CLI SDK reads config.json lazily, from its first question on
	// (plugin.StartWithArgs asks for the locale at once): a file it cannot
	// parse it replaces with a blank one (bluemix/configuration/persistor.go
	// Load), and a path it cannot use makes it panic (InitPluginContext). So
	// the file is checked first, under the CLI's lock and without writing,
	// and the SDK only ever sees a sound one. Otherwise the commands run
	// without a session: explain, checks and help work; the others report
	// the broken file (or "not logged in" when there is none), exit 2.
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err := cliconfig.Check(cctx, cliconfig.Path())
	cancel()
	if err == nil {
		plugin.StartWithArgs(ksDoctor{ctx: ctx}, args)
		return
	}
	runCommand(ctx, nil, args)
}

// interruptible returns the run's context: the first Ctrl-C or SIGTERM
// cancels it (the command prints what it has, marked incomplete, exit 3);
// a second one ends the process at once.
func interruptible() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ch
		cancel()
		s := <-ch
		if s == syscall.SIGTERM {
			os.Exit(ExitSecondTerminate)
		}
		os.Exit(ExitSecondInterrupt)
	}()
	return ctx
}

// GetMetadata is called on every start, SendMetadata included, so it reads no
// config and makes no call. Metadata is English: the CLI caches it at install
// time, whatever locale is set later, and the SDK's validator rules
// (capitalised descriptions, plural words) are rules of English. `--help` of
// every command is localized.
func (ksDoctor) GetMetadata() plugin.PluginMetadata {
	tr := i18n.New(i18n.English)
	return metadata(commands.NewRoot(&commands.Env{T: tr, Stdout: os.Stdout, Stderr: os.Stderr}))
}

func (k ksDoctor) Run(ctx plugin.PluginContext, args []string) {
	runCommand(k.ctx, ctx, args)
}

// runCommand runs one command; pctx is nil when config.json is missing or broken.
func runCommand(ctx context.Context, pctx plugin.PluginContext, args []string) {
	if ctx == nil {
		ctx = interruptible()
	}
	locale, tr := "", os.Getenv("IBMCLOUD_TRACE")
	if pctx != nil {
		locale, tr = pctx.Locale(), pctx.Trace()
	}
	trace.Logger = ibm.TraceLogger(trace.NewLogger(tr))
	env := &commands.Env{
		Interrupt: ctx, Stdin: os.Stdin, StdinTerminal: isatty.IsTerminal(os.Stdin.Fd()), StderrTerminal: isatty.IsTerminal(os.Stderr.Fd()),
		Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, ConfigPath: cliconfig.Path(), Trace: tr,
		Terminal: isatty.IsTerminal(os.Stdout.Fd()),
		T:        i18n.New(i18n.Resolve(locale, os.Getenv)),
	}
	if pctx != nil {
		env.CLI = pctx
	}
	if env.Terminal {
		env.Width, _, _ = term.GetSize(int(os.Stdout.Fd()))
	}
	code := diag.ExitCode(commands.Execute(env, args))
	ibm.WaitDetached(saveGrace)
	os.Exit(code)
}
