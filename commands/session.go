package commands

import (
	"strconv"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"

	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
)

// The session every verb that reads IBM Cloud starts from (check, orphan,
// gather), and the errors that stop a run before it reads anything.

// connect reads the CLI session and builds the IBM Cloud clients on it.
func connect(env *Env) (facts.Session, *ibm.Client, error) {
	if env.Context == nil {
		return facts.Session{}, nil, notLoggedIn(env)
	}
	sess, err := ibm.ReadSession(env.Context)
	if err != nil {
		return sess, nil, notLoggedIn(env)
	}
	ep := ibm.ResolveEndpoints(ibm.NetworkOf(env.Context), env.Getenv)
	tr := env.Context.Trace()
	opts := ibm.Options{Trace: tr != "" && tr != "false", CallTimeout: 30 * time.Second}
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
	// After account-bound token exchanges (orphan), the refreshed pair of the
	// session's own account is written back the way the CLI SDK writes a
	// refreshed token; nothing else in config.json changes.
	opts.SaveTokens = func(access, refresh string) error {
		var cerr error
		cfg := core_config.NewCoreConfig(func(err error) { cerr = err })
		cfg.SetIAMToken(access)
		cfg.SetIAMRefreshToken(refresh)
		return cerr
	}
	client, err := ibm.New(env.Context, ep, opts)
	if err != nil {
		return sess, nil, err
	}
	return sess, client, nil
}

// Environment variables that tune retries of reads answered 429 or 5xx.
const (
	EnvRetries   = "KS_DOCTOR_RETRIES"    // retries per read (default 3; 0 = none)
	EnvRetryWait = "KS_DOCTOR_RETRY_WAIT" // first back-off without Retry-After (default 1s)
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
