package commands

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/render"
)

type checkOpts struct {
	global
	scopeFlags  // with --all-clusters
	allClusters bool
	cluster     string
	only        []string
	skip        []string
	failOn      string
	timeout     string
	concurrency int
}

func newCheck(env *Env) *cobra.Command {
	o := &checkOpts{}
	T := env.T.T
	c := &cobra.Command{
		Use: "check [-c, --cluster CLUSTER | --all-clusters [-r, --region REGION | --all-regions] [-g, --resource-group GROUP | --all-resource-groups]] " +
			"[--only CHECK_ID,...] [--skip CHECK_ID,...] [--fail-on LEVEL] [--timeout DURATION] [--concurrency N] [--output FORMAT] [-q]",
		Short: T("Run the troubleshooting checks on a cluster or before creating one"),
		Args:  noArgs(env),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := o.validate(env, c); err != nil {
				return err
			}
			return runCheck(env, c, o)
		},
	}
	c.Flags().StringVarP(&o.cluster, "cluster", "c", "", T("Name or ID of the cluster; without it, check whether a cluster can be created"))
	c.Flags().BoolVar(&o.allClusters, "all-clusters", false, T("Check every cluster of the targeted region and resource group (or of those that -r, -g, --all-regions and --all-resource-groups choose)"))
	o.scopeFlags.add(env, c, T("With --all-clusters: check the clusters of every region"), T("With --all-clusters: check the clusters of every resource group"))
	c.Flags().StringSliceVar(&o.only, "only", nil, T("Run only these checks (IDs, comma-separated)"))
	c.Flags().StringSliceVar(&o.skip, "skip", nil, T("Skip these checks (IDs, comma-separated)"))
	c.Flags().StringVar(&o.failOn, "fail-on", "fail", T("Exit with 1 on findings of LEVEL or worse: fail or warn"))
	c.Flags().StringVar(&o.timeout, "timeout", "2m", T("Stop reading IBM Cloud after DURATION, for example 90s"))
	c.Flags().IntVar(&o.concurrency, "concurrency", 8, T("Read at most N things from IBM Cloud at a time"))
	kubeconfigFlag(env, c)
	addGlobal(env, c, &o.global)
	return c
}

func runCheck(env *Env, c *cobra.Command, o *checkOpts) error {
	T := env.T.T
	failOn := diag.Status(strings.ToLower(o.failOn))
	if failOn != diag.Fail && failOn != diag.Warn {
		return badValue(env, c, "--fail-on", o.failOn, "fail, warn")
	}
	timeout, err := parseTimeout(env, c, o.timeout)
	if err != nil {
		return err
	}
	if o.concurrency < 1 || o.concurrency > 64 {
		return badValue(env, c, "--concurrency", strconv.Itoa(o.concurrency), T("a whole number from 1 to 64"))
	}
	o.cluster = strings.TrimSpace(o.cluster)
	if c.Flags().Changed("cluster") && o.cluster == "" {
		// `check -c "$CLUSTER"` with an unset variable: checking whether a
		// cluster can be created instead would answer another question.
		return usageErr(env, c, errors.New(T("give the cluster name or ID with -c or --cluster, or leave out -c to check whether a cluster can be created")))
	}
	fleetFlags := slices.ContainsFunc([]string{"region", "all-regions", "resource-group", "all-resource-groups"}, c.Flags().Changed)
	switch {
	case o.allClusters && o.cluster != "":
		return usageErr(env, c, errors.New("--cluster, --all-clusters"))
	case fleetFlags && !o.allClusters:
		return usageErr(env, c, errors.New(T("-r, -g, --all-regions and --all-resource-groups choose the clusters of --all-clusters: add --all-clusters, or use -c CLUSTER")))
	}
	if err := o.scopeFlags.check(env, c); err != nil {
		return err
	}
	scope := diag.CreateScope
	if o.cluster != "" || o.allClusters {
		scope = diag.ClusterScope
	}
	checks, err := diag.Select(scope, o.only, o.skip)
	if err != nil {
		return selectErr(env, c, err)
	}

	// --timeout bounds the whole run, the session's token refresh included.
	ctx, cancel := context.WithTimeout(env.runContext(), timeout)
	defer cancel()
	sess, client, err := connectCtx(ctx, env)
	if err != nil {
		return err
	}
	env.addSecrets(SessionSecrets(env, client)...)
	withClusterReader(env, c, client)
	if o.allClusters {
		return checkFleet(ctx, env, c, o, client, sess, checks, failOn)
	}
	progress, endProgress := progressLine(env, o.quiet)
	set := facts.CollectReporting(ctx, client, sess, o.cluster, diag.Needs(checks), o.concurrency, progress)
	endProgress()
	// Cut short by Ctrl-C or --timeout: what was read is judged and
	// printed, marked incomplete (the reads that did not finish are unknown).
	incomplete := ctx.Err() != nil
	if !incomplete && errors.Is(set.Cluster.Err, facts.ErrClusterNotFound) {
		return clusterNotFound(env, sess, o.cluster)
	}

	report := diag.Run(checks, set)
	env.addSecrets(SessionSecrets(env, client)...) // a token refreshed during the reads
	if o.json() {
		err = render.CheckJSON(env.Stdout, env.T, env.plugin(), report, incomplete)
	} else {
		err = textRenderer(env).Check(report, incomplete)
	}
	if err != nil {
		return err
	}
	return checkExit(report, failOn, incomplete)
}

// checkExit: a fail (or a warn with --fail-on warn) is exit 1 even in an
// incomplete run; otherwise an incomplete run is exit 3, like unknowns.
func checkExit(r diag.Report, failOn diag.Status, incomplete bool) error {
	v := r.Judge(failOn)
	if v == nil && incomplete {
		v = &diag.Exit{Code: diag.ExitUnknown}
	}
	if v == nil {
		return nil
	}
	return v
}

// selectErr: --only and --skip name checks; a wrong name (the message lists
// the checks), or a check in both, is a usage error.
func selectErr(env *Env, c *cobra.Command, err error) error {
	var unknown *diag.UnknownCheckError
	if errors.As(err, &unknown) {
		ids := make([]string, len(diag.All))
		for i, ch := range diag.All {
			ids[i] = ch.ID
		}
		return usageErr(env, c, errors.New(env.T.T("unknown check {{.Check}}; the checks are: {{.Checks}}",
			map[string]any{"Check": render.Safe(unknown.ID), "Checks": strings.Join(ids, ", ")})))
	}
	var conflict *diag.ConflictError
	if errors.As(err, &conflict) {
		return usageErr(env, c, errors.New(env.T.T("check {{.Check}} is named by both --only and --skip: name it in one of them",
			map[string]any{"Check": render.Safe(conflict.ID)})))
	}
	return usageErr(env, c, err)
}

// colour follows the CLI: on a terminal unless turned off (`ibmcloud config
// --color false`, IBMCLOUD_COLOR=false), or forced on with true; never
// with NO_COLOR set (https://no-color.org). explain, which has no plug-in
// context, reads only the environment.
func colour(env *Env) bool { return colourOn(env, env.Terminal) }

// colourOn is colour for a stream that is a terminal or not (stderr's
// FAILED has its own).
func colourOn(env *Env, terminal bool) bool {
	if env.getenv("NO_COLOR") != "" {
		return false // https://no-color.org: NO_COLOR wins over any setting
	}
	setting := strings.ToLower(env.getenv("IBMCLOUD_COLOR"))
	if env.CLI != nil && env.CLI.ColorEnabled() != "" {
		setting = strings.ToLower(env.CLI.ColorEnabled())
	}
	switch setting {
	case "true":
		return true
	case "false":
		return false
	}
	return terminal
}

// textRenderer is the text renderer of this run.
func textRenderer(env *Env) render.Text {
	return render.Text{W: render.Wrapped(env.Stdout, env.Width), T: env.T, Color: colour(env), Width: env.Width}
}
