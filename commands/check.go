package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/render"
)

type checkOpts struct {
	global
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
		Use:   "check [-c, --cluster CLUSTER] [--only CHECK_ID,...] [--skip CHECK_ID,...] [--fail-on LEVEL] [--timeout DURATION] [--concurrency N] [--output FORMAT] [-q]",
		Short: T("Run the troubleshooting checks on a cluster or before creating one"),
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := o.validate(env, c); err != nil {
				return err
			}
			return runCheck(env, c, o)
		},
	}
	c.Flags().StringVarP(&o.cluster, "cluster", "c", "", T("Name or ID of the cluster; without it, check whether a cluster can be created"))
	c.Flags().StringSliceVar(&o.only, "only", nil, T("Run only these checks (IDs, comma-separated)"))
	c.Flags().StringSliceVar(&o.skip, "skip", nil, T("Skip these checks (IDs, comma-separated)"))
	c.Flags().StringVar(&o.failOn, "fail-on", "fail", T("Exit with 1 on findings of LEVEL or worse: fail or warn"))
	c.Flags().StringVar(&o.timeout, "timeout", "2m", T("Stop reading IBM Cloud after DURATION, for example 90s"))
	c.Flags().IntVar(&o.concurrency, "concurrency", 8, T("Read at most N things from IBM Cloud at a time"))
	addGlobal(env, c, &o.global)
	return c
}

func runCheck(env *Env, c *cobra.Command, o *checkOpts) error {
	failOn := diag.Status(strings.ToLower(o.failOn))
	if failOn != diag.Fail && failOn != diag.Warn {
		return usageErr(env, c, fmt.Errorf("--fail-on %s", o.failOn))
	}
	timeout, err := parseTimeout(env, c, o.timeout)
	if err != nil {
		return err
	}
	if o.concurrency < 1 || o.concurrency > 64 {
		return usageErr(env, c, fmt.Errorf("--concurrency %d", o.concurrency))
	}
	scope := diag.CreateScope
	if o.cluster != "" {
		scope = diag.ClusterScope
	}
	checks, err := diag.Select(scope, o.only, o.skip)
	var unknown *diag.UnknownCheckError
	if errors.As(err, &unknown) {
		return usageErr(env, c, err)
	}

	sess, client, err := connect(env)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(env.context(), timeout)
	defer cancel()
	set := facts.Collect(ctx, client, sess, o.cluster, diag.Needs(checks), o.concurrency)
	if errors.Is(set.Cluster.Err, facts.ErrClusterNotFound) {
		return clusterNotFound(env, sess, o.cluster)
	}

	report := diag.Run(checks, set)
	if o.json() {
		err = render.CheckJSON(env.Stdout, env.T, env.plugin(), report)
	} else {
		err = render.Text{W: env.Stdout, T: env.T, Color: colour(env)}.Check(report)
	}
	if err != nil {
		return err
	}
	if v := report.Judge(failOn); v != nil {
		return v
	}
	return nil
}

// colour follows the CLI: on a terminal unless turned off (`ibmcloud config
// --color false`, IBMCLOUD_COLOR=false), or forced on with true.
func colour(env *Env) bool {
	setting := ""
	if env.Context != nil {
		setting = strings.ToLower(env.Context.ColorEnabled())
	}
	switch setting {
	case "true":
		return true
	case "false":
		return false
	}
	return env.Terminal
}
