package diag

import (
	"sort"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Orphan statuses of a cluster.
const (
	OrphanOK        = "ok"
	OrphanOrphaned  = "orphaned"
	OrphanMixed     = "mixed"
	OrphanNoWorkers = "no-workers"
	OrphanUnknown   = "unknown"
)

// ClusterVerdict says where one classic cluster's workers are, against the
// infrastructure account its region + resource group's credentials use.
type ClusterVerdict struct {
	Scope    facts.Scope
	Cluster  facts.Cluster
	Status   string
	Accounts []AccountWorkers // where the workers were found; "" = in no account this session can read
	Found    int              // workers found in the account the credentials use
	Total    int
	Reason   string // for unknown
}

// AccountWorkers counts a cluster's workers in one infrastructure account.
type AccountWorkers struct {
	Account string
	Workers int
}

// ScopePlan is seed 000's decision for one region + resource group: which
// credential setting leaves the fewest clusters orphaned.
type ScopePlan struct {
	Scope       facts.Scope
	Current     string
	Recommended string
	Commands    []string
	Options     []PlanOption
	// NoSingle is set when no one setting manages every cluster: seed 000
	// suggests re-creating the clusters in one infrastructure account.
	NoSingle bool
}

// PlanOption is what one credential setting would do.
type PlanOption struct {
	Account    string
	Manageable []string
	Orphaned   []string
}

// OrphanReport is the judgement of an orphan walk.
type OrphanReport struct {
	Fleet    *facts.Fleet
	Clusters []ClusterVerdict
	Plan     []ScopePlan
}

// Orphans classifies every cluster of the fleet and plans each scope. It is
// pure: the walk read everything it needs. linkedIMS is the session's linked
// infrastructure account, the one `credential unset` returns to.
func Orphans(f *facts.Fleet, linkedIMS string) OrphanReport {
	r := OrphanReport{Fleet: f}
	scope := map[string]facts.Scope{}
	for _, s := range f.Scopes {
		scope[s.Key()] = s
	}
	for _, fc := range f.Clusters {
		r.Clusters = append(r.Clusters, classify(f, scope[fc.Cluster.Region+"/"+fc.Cluster.ResourceGroupID], fc))
	}
	for _, s := range f.Scopes {
		r.Plan = append(r.Plan, plan(s, r.Clusters, linkedIMS))
	}
	return r
}

func classify(f *facts.Fleet, s facts.Scope, fc facts.FleetCluster) ClusterVerdict {
	v := ClusterVerdict{Scope: s, Cluster: fc.Cluster}
	switch {
	case fc.Workers.Err != nil:
		v.Status, v.Reason = OrphanUnknown, fc.Workers.Err.Error()
		return v
	case s.Credentials.Err != nil:
		v.Status, v.Reason = OrphanUnknown, s.Credentials.Err.Error()
		return v
	}
	v.Total = len(fc.Workers.Value)
	if v.Total == 0 {
		v.Status = OrphanNoWorkers
		return v
	}
	count := map[string]int{}
	for _, w := range fc.Workers.Value {
		count[f.Where[w.ID].Account]++ // "" when no readable account has it
	}
	for a, n := range count {
		v.Accounts = append(v.Accounts, AccountWorkers{Account: a, Workers: n})
	}
	sort.Slice(v.Accounts, func(i, j int) bool {
		return v.Accounts[i].Workers > v.Accounts[j].Workers || v.Accounts[i].Workers == v.Accounts[j].Workers && v.Accounts[i].Account < v.Accounts[j].Account
	})
	v.Found = count[s.Account]
	searchErr, searched := f.Searched[s.Account]
	switch {
	case v.Found == v.Total:
		v.Status = OrphanOK
	case (!searched || searchErr != nil) && count[""] > 0:
		// The credentials' own account could not be searched, so "not found"
		// proves nothing for the workers that were found nowhere.
		v.Status, v.Reason = OrphanUnknown, "infrastructure account "+orPlaceholder(s.Account, "(none)")+" could not be searched"
		if searchErr != nil {
			v.Reason += ": " + searchErr.Error()
		}
	case len(count) == 1:
		v.Status = OrphanOrphaned
	default:
		v.Status = OrphanMixed
	}
	if f.Incomplete && v.Status != OrphanOK {
		v.Status, v.Reason = OrphanUnknown, "the walk was interrupted"
	}
	return v
}

func plan(s facts.Scope, verdicts []ClusterVerdict, linkedIMS string) ScopePlan {
	p := ScopePlan{Scope: s, Current: s.Account}
	var mine []ClusterVerdict
	cands := map[string]bool{}
	if s.Account != "" {
		cands[s.Account] = true
	}
	for _, v := range verdicts {
		if v.Scope.Key() != s.Key() || v.Status == OrphanNoWorkers || v.Status == OrphanUnknown {
			continue
		}
		mine = append(mine, v)
		for _, a := range v.Accounts {
			if a.Account != "" {
				cands[a.Account] = true
			}
		}
	}
	accounts := make([]string, 0, len(cands))
	for a := range cands {
		accounts = append(accounts, a)
	}
	sort.Strings(accounts)
	best := -1
	for _, a := range accounts {
		o := PlanOption{Account: a, Manageable: []string{}, Orphaned: []string{}}
		for _, v := range mine {
			if len(v.Accounts) == 1 && v.Accounts[0].Account == a {
				o.Manageable = append(o.Manageable, v.Cluster.Name)
			} else {
				o.Orphaned = append(o.Orphaned, v.Cluster.Name)
			}
		}
		p.Options = append(p.Options, o)
		// The most manageable clusters; on a tie keep what is set, then the
		// linked account (no credentials to manage).
		if best < 0 || len(o.Manageable) > len(p.Options[best].Manageable) ||
			len(o.Manageable) == len(p.Options[best].Manageable) && rank(a, s.Account, linkedIMS) < rank(p.Options[best].Account, s.Account, linkedIMS) {
			best = len(p.Options) - 1
		}
	}
	if best < 0 {
		return p
	}
	p.Recommended = p.Options[best].Account
	p.NoSingle = len(p.Options[best].Orphaned) > 0
	if p.Recommended == s.Account {
		return p
	}
	target := "ibmcloud target -r " + s.Region + " -g " + s.Group.Name
	if p.Recommended == linkedIMS {
		p.Commands = []string{target, "ibmcloud ks credential unset --region " + s.Region}
	} else {
		p.Commands = []string{target, "ibmcloud ks credential set classic --infrastructure-username <username_in_account_" + p.Recommended +
			"> --infrastructure-api-key <infrastructure_API_key> --region " + s.Region}
	}
	return p
}

func rank(a, current, linked string) int {
	switch a {
	case current:
		return 0
	case linked:
		return 1
	}
	return 2
}

// Verdict is the exit code of an orphan walk: 1 when a cluster is orphaned
// (or mixed), else 3 when one could not be decided or the walk was cut.
func (r OrphanReport) Verdict() *Verdict {
	unknown := r.Fleet.Incomplete
	for _, v := range r.Clusters {
		switch v.Status {
		case OrphanOrphaned, OrphanMixed:
			return &Verdict{Code: ExitFail}
		case OrphanUnknown:
			unknown = true
		}
	}
	if unknown {
		return &Verdict{Code: ExitUnknown}
	}
	return nil
}
