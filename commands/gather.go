package commands

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/bundle"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/render"
)

type gatherOpts struct {
	global
	cluster string
	file    string
	timeout string
}

func newGather(env *Env) *cobra.Command {
	o := &gatherOpts{}
	T := env.T.T
	c := &cobra.Command{
		Use:   "gather (-c, --cluster CLUSTER) [--file PATH] [--timeout DURATION] [--output FORMAT] [-q]",
		Short: T("Collect what IBM Cloud support needs about a cluster into one archive, without secrets"),
		Long: T("Collect what IBM Cloud support needs about a cluster into one archive: the API key owner, the target, " +
			"the infrastructure credentials and permissions of the cluster's region and resource group (and of the targeted " +
			"ones when they differ), the cluster, its unhealthy worker nodes, and the findings of 'ibmcloud ks-doctor check'. " +
			"No API key or token is read into the archive (the account ID is kept in full: support needs it); manifest.json lists every file " +
			"with its source, size and SHA-256."),
		Args: noArgs(env),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := o.validate(env, c); err != nil {
				return err
			}
			return runGather(env, c, o)
		},
	}
	c.Flags().StringVarP(&o.cluster, "cluster", "c", "", T("Name or ID of the cluster"))
	c.Flags().StringVar(&o.file, "file", "", T("Write the archive to PATH, a zip archive if PATH ends in .zip (default: ks-doctor-gather-CLUSTER-TIMESTAMP.tar.gz in the current directory)"))
	c.Flags().StringVar(&o.timeout, "timeout", "2m", T("Stop reading IBM Cloud after DURATION, for example 90s"))
	kubeconfigFlag(env, c)
	addGlobal(env, c, &o.global)
	return c
}

// runGather is `check -c` whose report goes into an archive with what the
// archive adds (facts.KeyTarget…: the targeted scope's credentials and
// permissions). The reads are facts.Collect's, the documents bundle's, what
// it prints render's.
func runGather(env *Env, c *cobra.Command, o *gatherOpts) error {
	T := env.T.T
	o.cluster = strings.TrimSpace(o.cluster)
	if o.cluster == "" {
		return usageErr(env, c, errors.New(T("give the cluster name or ID with -c or --cluster")))
	}
	timeout, err := parseTimeout(env, c, o.timeout)
	if err != nil {
		return err
	}
	checks, err := diag.Select(diag.ClusterScope, nil, nil)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(env.runContext(), timeout)
	defer cancel()
	sess, client, err := connectCtx(ctx, env)
	if err != nil {
		return err
	}
	env.addSecrets(SessionSecrets(env, client)...)
	now := time.Now().UTC()
	dest := bundle.GatherDest(o.file, o.cluster, now)
	// Before anything is read: an archive that cannot be written is known
	// now, not after two minutes of reading IBM Cloud.
	if err := bundle.CheckDest(dest); err != nil {
		return archiveErr(env, dest, err)
	}
	if !o.quiet {
		_ = render.Text{W: env.Stderr, T: env.T}.GatherStarted(o.cluster) // progress: a lost line stops nothing
	}

	withClusterReader(env, c, client)
	progress, endProgress := progressLine(env, o.quiet)
	set := facts.CollectReporting(ctx, client, sess, o.cluster, bundle.GatherNeeds(diag.Needs(checks)), 8, progress)
	endProgress()
	if errors.Is(set.Cluster.Err, facts.ErrClusterNotFound) {
		return clusterNotFound(env, sess, o.cluster)
	}
	// Ctrl-C means stop, not "write what there is": an archive of
	// cancelled reads would only look complete, so none is written (exit 2,
	// as for any archive that cannot be written). A timeout, by contrast, is
	// recorded file by file and check.json says it is incomplete.
	if env.runContext().Err() != nil {
		return &Failure{Msg: T("Interrupted: no archive was written.")}
	}
	report := diag.Run(checks, set)

	env.addSecrets(SessionSecrets(env, client)...) // a token refreshed during the reads
	var check bytes.Buffer
	if err := render.CheckJSON(&check, env.T, env.plugin(), report, ctx.Err() != nil); err != nil {
		return err
	}
	m := bundle.GatherManifest(bundle.Plugin{Name: Name, Version: Version}, env.T, set)
	// The run's scrubber, the one of stdout and stderr: fed with the
	// session's secrets.
	entries, err := bundle.Write(dest, m, bundle.GatherFiles(set, check.Bytes(), env.T),
		bundle.Options{Format: bundle.FormatOf(dest), Time: now, Scrub: env.scrub, T: env.T})
	if err != nil {
		return archiveErr(env, dest, err)
	}
	if o.json() {
		return render.GatherJSON(env.Stdout, dest, entries)
	}
	name := set.ClusterQuery
	if cl, ok := set.ReadCluster(); ok {
		name = cl.Name
	}
	return textRenderer(env).Gather(dest, name, entries)
}

func archiveErr(env *Env, dest string, err error) error {
	if errors.Is(err, bundle.ErrExists) {
		return &Failure{Msg: env.T.T("The file {{.File}} already exists. Give another path with --file.", map[string]any{"File": dest})}
	}
	var be *bundle.Error
	if errors.As(err, &be) {
		err = be.Err
	}
	return &Failure{Msg: env.T.T("Could not write the archive {{.File}}: {{.Error}}", map[string]any{"File": dest, "Error": err.Error()})}
}
