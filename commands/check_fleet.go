package commands

import (
	"context"
	"fmt"
	"sync"

	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
	"github.com/ks-doctor/ks-doctor/internal/render"
)

// checkFleet is `check --all-clusters`: every check on every cluster of the
// chosen regions and resource groups. What does not depend on one cluster
// is read once for all of them (ibm.Shared); --concurrency clusters are
// read at a time, each with a few reads in flight, paced under the
// services' rate limits by the client.
func checkFleet(ctx context.Context, env *Env, c *cobra.Command, o *checkOpts, client *ibm.Client, sess facts.Session,
	checks []diag.Check, failOn diag.Status) error {
	wo, err := o.scopeFlags.walkOptions(ctx, env, c, client, sess)
	if err != nil {
		return err
	}
	clusters, listErr := client.ClustersIn(ctx, sess, wo)
	if listErr != nil {
		if len(clusters) == 0 {
			return &Failure{Msg: render.Safe(listErr.Error())}
		}
		fmt.Fprintln(env.Stderr, env.T.T("Warning: some clusters could not be listed ({{.Error}}); the others are checked.",
			map[string]any{"Error": render.Safe(listErr.Error())}))
	}
	shared := ibm.NewShared(client)
	needs := diag.Needs(checks)
	reports := make([]diag.Report, len(clusters))
	sem := make(chan struct{}, o.concurrency)
	var wg sync.WaitGroup
	for i, cl := range clusters {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			// By ID: names need not be unique across resource groups.
			set := facts.Collect(ctx, shared, sess, cl.ID, needs, 4)
			reports[i] = diag.Run(checks, set)
		})
	}
	wg.Wait()
	incomplete := ctx.Err() != nil || listErr != nil
	env.addSecrets(SessionSecrets(env, client)...)
	if o.json() {
		err = render.FleetJSON(env.Stdout, env.T, env.plugin(), sess, reports, incomplete)
	} else {
		err = textRenderer(env).Fleet(reports, incomplete)
	}
	if err != nil {
		return err
	}
	// The worst cluster decides: 1 wins over 3.
	var worst *diag.Exit
	for _, r := range reports {
		if v, ok := checkExit(r, failOn, incomplete).(*diag.Exit); ok && v != nil && (worst == nil || v.Code == diag.ExitFail) {
			worst = v
		}
	}
	if worst == nil && incomplete {
		worst = &diag.Exit{Code: diag.ExitUnknown}
	}
	if worst == nil {
		return nil
	}
	return worst
}
