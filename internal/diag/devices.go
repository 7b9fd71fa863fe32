package diag

import (
	"sort"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// One reading of "where are this cluster's workers", for infra.orphan
// (`check`) and for `orphan`: a worker is placed by the device found for it;
// a worker that should have a device by now and has none in any readable
// account is missing — evidence of an orphan only when the listing of the
// account the credentials use is complete for this caller; a worker that
// has no device yet (or no more) is pending, no evidence either way.

// deviceExpected reports whether IKS has a classic device for the worker by
// now. A worker still being ordered or provisioned, one whose order or
// deployment failed, and one being deleted may have none: its absence from a
// device listing proves nothing (seed 001's worker states).
func deviceExpected(w facts.Worker) bool {
	if w.Deleted {
		return false
	}
	switch strings.ToLower(w.State) {
	case "", "requested", "provision_pending", "provisioning", "provision_failed",
		"deploy_failed", "deleting", "deleted":
		return false
	}
	return true
}

// spread is where a cluster's live workers are.
type spread struct {
	Here      []string            // in the account the credentials use
	Elsewhere map[string][]string // in another readable account: account -> workers
	Missing   []string            // should have a device; none in any readable account
	Pending   []string            // no device found, none expected yet
	Live      int
}

// spreadOf places every live worker; find is the device found for a worker
// in any account this run could read.
func spreadOf(workers []facts.Worker, account string, find func(id string) (facts.Device, bool)) spread {
	sp := spread{Elsewhere: map[string][]string{}}
	for _, w := range workers {
		if w.Deleted {
			continue
		}
		sp.Live++
		dev, ok := find(w.ID)
		switch {
		case ok && dev.Account == account:
			sp.Here = append(sp.Here, w.ID)
		case ok:
			sp.Elsewhere[dev.Account] = append(sp.Elsewhere[dev.Account], w.ID)
		case deviceExpected(w):
			sp.Missing = append(sp.Missing, w.ID)
		default:
			sp.Pending = append(sp.Pending, w.ID)
		}
	}
	return sp
}

// accounts lists the other accounts holding workers, sorted.
func (sp spread) accounts() []string {
	out := make([]string, 0, len(sp.Elsewhere))
	for a := range sp.Elsewhere {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}
