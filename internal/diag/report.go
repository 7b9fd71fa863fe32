package diag

import (
	"slices"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Report is the judgement of one run.
type Report struct {
	Facts    *facts.Set
	Findings []Finding
	// Incomplete is set when the run was cut short (Ctrl-C, --timeout)
	// before every read finished.
	Incomplete bool
}

// Run judges the facts with each check, in order. A check never sees another
// check's findings: independent checks always run.
func Run(checks []Check, set *facts.Set) Report {
	r := Report{Facts: set}
	for _, c := range checks {
		start := time.Now()
		found := applyCheck(c, set)
		// A check's duration is its slowest read plus its judgement: what
		// the user waited for this answer.
		d := time.Since(start)
		var reads time.Duration
		for _, k := range c.Needs {
			reads = max(reads, set.Took(k))
		}
		d += reads
		var evidence []Evidence
		for _, k := range c.Needs {
			if set.Loaded(k) {
				evidence = append(evidence, Evidence{Read: k, Complete: set.Complete(k)})
			}
		}
		for _, f := range found {
			f.Evidence = evidence
			f.Check, f.Category = c.ID, c.Category
			if f.Doc == "" {
				f.Doc = c.Doc
			}
			f.Duration = d
			r.Findings = append(r.Findings, f)
		}
	}
	linkCauses(r.Findings)
	return r
}

// Summary counts findings per status; every status is present.
func (r Report) Summary() map[Status]int {
	return tally(Statuses, r.Findings, func(f Finding) Status { return f.Status })
}

// tally counts items by their status: every status of all present, even
// at zero (reports list them all).
func tally[S comparable, T any](all []S, items []T, status func(T) S) map[S]int {
	m := make(map[S]int, len(all))
	for _, s := range all {
		m[s] = 0
	}
	for _, it := range items {
		m[status(it)]++
	}
	return m
}

// applyCheck runs a check where it applies to the cluster; elsewhere it is
// skipped with the reason.
func applyCheck(c Check, s *facts.Set) []Finding {
	cl, read := s.ReadCluster()
	if len(c.Infra) == 0 || !read {
		return c.Judge(s)
	}
	infra := cl.Infrastructure()
	if slices.Contains(c.Infra, infra) {
		return c.Judge(s)
	}
	p := map[string]string{"provider": cl.Provider}
	switch {
	case infra == facts.InfraSatellite:
		return []Finding{{Status: Skipped, Key: "check.not-satellite", Params: p}}
	case infra != facts.InfraClassic && infra != facts.InfraVPC:
		return []Finding{{Status: Skipped, Key: "check.unknown-provider", Params: p}}
	case slices.Contains(c.Infra, facts.InfraClassic):
		return []Finding{{Status: Skipped, Key: "check.classic-only", Params: p}}
	}
	return []Finding{{Status: Skipped, Key: "check.vpc-only", Params: p}}
}
