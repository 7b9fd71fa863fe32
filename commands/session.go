package commands

import (
	"context"
	"errors"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/trace"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/cliconfig"
	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
)

// The session every verb that reads IBM Cloud starts from (check, orphan,
// gather), and the errors that stop a run before it reads anything.

// connectCtx reads the CLI session and builds the IBM Cloud clients on it,
// within ctx (pass the run's --timeout context, so that an expired token
// whose IAM endpoint does not answer ends the run on time) and the
// per-call limit. config.json must exist and hold a JSON object
// before the CLI SDK is asked anything (plugin/ checked it already; the
// check is repeated for in-process callers); ks-doctor never lets the CLI
// SDK write it.
func connectCtx(ctx context.Context, env *Env) (facts.Session, *ibm.Client, error) {
	path := env.ConfigPath
	if err := cliconfig.Check(ctx, path); err != nil {
		return facts.Session{}, nil, configError(env, err)
	}
	if env.CLI == nil {
		return facts.Session{}, nil, notLoggedIn(env)
	}
	sess, err := ibm.ReadSession(env.CLI)
	if err != nil {
		return sess, nil, notLoggedIn(env)
	}
	ep := ibm.ResolveEndpoints(ibm.NetworkOf(env.CLI), env.Getenv)
	opts := ibm.Options{CallTimeout: callTimeout(env), Store: cliconfig.File(path), UserAgent: Name + "/" + Version}
	if env.tracing() {
		// The trace goes where IBMCLOUD_TRACE says (stderr, or a file),
		// through this run's own printer.
		opts.TraceTo = trace.NewLogger(env.Trace)
	}
	// Retry tuning, for slow links and for tests that fail reads on purpose.
	if n, err := strconv.Atoi(env.getenv(EnvRetries)); err == nil {
		opts.Retries = n
		if n == 0 {
			opts.Retries = -1
		}
	}
	if d, err := time.ParseDuration(env.getenv(EnvRetryWait)); err == nil {
		opts.RetryWait = d
	}
	if n, err := strconv.ParseInt(env.getenv(EnvMaxBody), 10, 64); err == nil && n > 0 {
		opts.MaxBody = n
	}
	client, err := ibm.New(env.CLI, ep, opts)
	if err != nil {
		return sess, nil, err
	}
	// An expired token is refreshed now, once, so that a refused refresh
	// token reads as "not logged in" rather than as every read failing.
	rctx, cancel := context.WithTimeout(ctx, opts.CallTimeout)
	defer cancel()
	tok, err := client.EnsureToken(rctx)
	if err != nil {
		return sess, nil, refreshError(ctx, env, ep.IAM, err)
	}
	if tok != env.CLI.IAMToken() {
		if s, err := ibm.SessionWithToken(env.CLI, tok); err == nil {
			sess = s
		}
	}
	return sess, client, nil
}

// callTimeout is the per-call limit: `ibmcloud config --http-timeout`
// (seconds; core_config HTTPTimeout) when set, else 30 s.
func callTimeout(env *Env) time.Duration {
	if s := env.CLI.HTTPTimeout(); s > 0 {
		return time.Duration(s) * time.Second
	}
	return 30 * time.Second
}

// SessionSecrets are the values the output scrubbers must mask for this
// run: the session's access and refresh tokens as the CLI loaded them and,
// once connected, every token the client held or obtained since (refreshed
// and account-bound ones). client may be nil.
func SessionSecrets(env *Env, client *ibm.Client) []string {
	var out []string
	if env.CLI != nil && cliconfig.Check(env.runContext(), env.ConfigPath) == nil {
		out = append(out, strings.TrimPrefix(env.CLI.IAMToken(), "Bearer "), env.CLI.IAMRefreshToken())
	}
	if client != nil {
		out = append(out, client.Secrets()...)
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

func configError(env *Env, err error) error {
	var broken *cliconfig.BrokenError
	switch {
	case errors.As(err, &broken):
		return &Failure{Msg: env.T.T("The ibmcloud CLI configuration {{.Path}} cannot be used: {{.Error}}. ks-doctor left it unchanged. Repair or remove it, then run 'ibmcloud login'.",
			map[string]any{"Path": broken.Path, "Error": broken.Err.Error()})}
	case errors.Is(err, cliconfig.ErrNoConfig):
		return notLoggedIn(env)
	case errors.Is(err, context.Canceled):
		return &Failure{Msg: env.T.T("Interrupted while reading the IBM Cloud session; nothing was read.")}
	}
	return &Failure{Msg: env.T.T("The IBM Cloud session could not be read: {{.Error}}", map[string]any{"Error": err.Error()})}
}

func refreshError(ctx context.Context, env *Env, iamURL string, err error) error {
	switch {
	case errors.Is(err, ibm.ErrNotLoggedIn):
		return notLoggedIn(env)
	case errors.Is(ctx.Err(), context.Canceled):
		return &Failure{Msg: env.T.T("Interrupted while reading the IBM Cloud session; nothing was read.")}
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		return &Failure{Msg: env.T.T("The IBM Cloud session could not be refreshed in time: IAM ({{.URL}}) did not answer. Try again later; if it keeps failing, run 'ibmcloud login'.",
			map[string]any{"URL": iamURL})}
	}
	return &Failure{Msg: env.T.T("The IBM Cloud session could not be refreshed: {{.Error}}", map[string]any{"Error": err.Error()})}
}

// Environment variables that tune retries of reads answered 429 or 5xx.
const (
	EnvRetries   = "KS_DOCTOR_RETRIES"    // retries per read (default 3; 0 = none)
	EnvRetryWait = "KS_DOCTOR_RETRY_WAIT" // first back-off without Retry-After (default 1s)
	EnvMaxBody   = "KS_DOCTOR_MAX_BODY"   // largest answer read, in bytes (default 64 MiB)
)

func notLoggedIn(env *Env) error {
	return &Failure{Msg: env.T.T("Not logged in. Log in by running 'ibmcloud login'.")}
}

func clusterNotFound(env *Env, s facts.Session, cluster string) error {
	region, group := s.Region, env.T.T("(none targeted)")
	if region == "" {
		region = env.T.T("(none targeted)")
	}
	if s.ResourceGroup != nil {
		group = s.ResourceGroup.Name
	}
	return &Failure{Msg: env.T.T("Cluster '{{.Cluster}}' was not found in account {{.Account}}. ks-doctor searched every resource group and region of the account (targeted region: {{.Region}}, resource group: {{.Group}}). To list the clusters you have access to, run 'ibmcloud ks cluster ls'.",
		map[string]any{"Cluster": cluster, "Account": s.AccountName, "Region": region, "Group": group})}
}
