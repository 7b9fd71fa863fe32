package diag

import (
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
		found := c.Judge(set)
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
	return r
}

// Summary counts findings per status; every status is present.
func (r Report) Summary() map[Status]int {
	m := make(map[Status]int, len(Statuses))
	for _, s := range Statuses {
		m[s] = 0
	}
	for _, f := range r.Findings {
		m[f.Status]++
	}
	return m
}
