package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"

	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
)

// runbookFunc issues the runbook's calls one after another. It may call
// start once its preparation is done (what is read before is not counted);
// it returns the factor by which the measured figures are extrapolated.
type runbookFunc func(ctx context.Context, c *ibm.Client, s facts.Session, start func()) (float64, error)

func runbook(simBin, name string, simArgs []string, latency time.Duration, rate float64, f runbookFunc) (Row, error) {
	r := Row{Case: name, Variant: "runbook baseline (one call after another)"}
	s, err := startSim(simBin, simArgs)
	if err != nil {
		return r, err
	}
	defer s.stop()
	for _, kv := range s.env {
		k, v, _ := strings.Cut(kv, "=")
		os.Setenv(k, v)
	}
	pctx := plugin.InitPluginContext("ks-doctor")
	sess, err := ibm.ReadSession(pctx)
	if err != nil {
		return r, err
	}
	client, err := ibm.New(pctx, ibm.ResolveEndpoints(ibm.NetworkOf(pctx), os.Getenv), ibm.Options{})
	if err != nil {
		return r, err
	}
	var before int
	var begin time.Time
	mark := func() {
		es, _ := s.entries()
		before, begin = len(es), time.Now()
	}
	mark()
	scale, err := f(context.Background(), client, sess, mark)
	if err != nil {
		return r, err
	}
	wall := time.Since(begin)
	es, _ := s.entries()
	es = es[before:]
	r.WallMs = float64(wall.Microseconds()) / 1000 * scale
	r.Requests = int(float64(len(es)) * scale)
	r.Rounds = int(float64(rounds(es)) * scale)
	r.Throttled = throttled(es)
	r.BoundMs = float64(r.Rounds) * float64(latency.Milliseconds())
	r.BoundWhy = fmt.Sprintf("%d sequential calls x %s", r.Rounds, latency)
	if scale != 1 {
		r.Modelled = true
		r.Note = fmt.Sprintf("measured on a sample, extrapolated x%.0f", scale)
	}
	return r, nil
}

// checkRunbook: seed 000/001 for one cluster — cluster get, worker ls, worker
// get for each worker, api-key info, credential get, infra-permissions get,
// the account's MFA setting, and a device-list search for each worker ID.
func checkRunbook(ctx context.Context, c *ibm.Client, s facts.Session, _ func()) (float64, error) {
	cl, err := c.Cluster(ctx, "fleet-0001")
	if err != nil {
		return 0, err
	}
	ws, err := c.Workers(ctx, cl)
	if err != nil {
		return 0, err
	}
	for range ws { // `ibmcloud ks worker get` per worker: one read each
		if _, err := c.Workers(ctx, cl); err != nil {
			return 0, err
		}
	}
	c.APIKeyOwner(ctx, cl)
	c.Credentials(ctx, cl.Region, cl.ResourceGroupID)
	c.InfraPermissions(ctx, cl.Region, cl.ResourceGroupID)
	c.AccountSettings(ctx, s.AccountID)
	for _, w := range ws {
		searchDevices(ctx, c, w, s)
	}
	return 1, nil
}

// orphanRunbook: seed 000 #orphaned for each cluster — credential get for
// its region and resource group, worker ls, and a device-list search for
// each worker ID in the account the credentials use — on the first n
// clusters, extrapolated to the fleet. (Looking the missing workers up in
// the other accounts, as the seed then says, is not even counted.)
func orphanRunbook(n int) runbookFunc {
	return func(ctx context.Context, c *ibm.Client, s facts.Session, start func()) (float64, error) {
		// Which clusters exist is what a person sees in the console list;
		// it is read once, before the clock starts.
		f := c.Walk(ctx, s, ibm.WalkOptions{AllRegions: true, AllGroups: true, Concurrency: 8})
		if len(f.Clusters) == 0 {
			return 0, fmt.Errorf("no clusters")
		}
		n = min(n, len(f.Clusters))
		start()
		for _, fc := range f.Clusters[:n] {
			cl := fc.Cluster
			c.Credentials(ctx, cl.Region, cl.ResourceGroupID)
			ws, err := c.Workers(ctx, cl)
			if err != nil {
				return 0, err
			}
			for _, w := range ws {
				searchDevices(ctx, c, w, s)
			}
		}
		return float64(len(f.Clusters)) / float64(n), nil
	}
}

// searchDevices is what the seed tells a person to do for each worker: search
// the console's device list for the worker ID.
func searchDevices(ctx context.Context, c *ibm.Client, w facts.Worker, s facts.Session) {
	c.Devices(ctx, facts.Cluster{ID: w.ID, Provider: "classic"}, s.IMSAccountID)
}
