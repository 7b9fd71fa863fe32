package diag

import (
	"errors"
	"sort"
	"strings"

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

// OrphanStatuses are the statuses of an orphan walk, most urgent first: the
// order in which orphan lists and counts its clusters, and the values
// --status takes.
var OrphanStatuses = []string{OrphanOrphaned, OrphanMixed, OrphanUnknown, OrphanNoWorkers, OrphanOK}

// ClusterVerdict says where one classic cluster's workers are, against the
// infrastructure account its region + resource group's credentials use.
type ClusterVerdict struct {
	Scope    facts.Scope
	Cluster  facts.Cluster
	Status   string
	Accounts []AccountWorkers // where the workers were found; "" = in no account this session can read
	Found    int              // workers found in the account the credentials use
	Pending  int              // workers with no device yet (or no more): no evidence either way
	Total    int
	Reason   Reason // why an unknown cluster could not be decided
}

// Reason is why a cluster is unknown, as an i18n key (orphan.reason.KEY)
// and its values: the text and JSON show it in the session's language.
type Reason struct {
	Key    string
	Params map[string]string
}

// reason builds a Reason from its key and value pairs.
func reason(key string, kv ...string) Reason {
	r := Reason{Key: "orphan.reason." + key, Params: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Params[kv[i]] = kv[i+1]
	}
	return r
}

// AccountWorkers counts a cluster's workers in one infrastructure account.
type AccountWorkers struct {
	Account string
	Workers int
}

// ScopePlan is seed 000's decision for one region + resource group: which
// credential setting manages the clusters of the scope, and whether to
// change it.
type ScopePlan struct {
	Scope facts.Scope
	// Current is the infrastructure account the credentials use; "" when
	// they could not be read (CredentialsErr says why).
	Current        string
	CredentialsErr error
	Recommended    string
	Commands       []string
	Options        []PlanOption
	// Unknown lists the clusters of the scope that could not be decided:
	// while there is one, nothing is recommended (changing the setting
	// might orphan it).
	Unknown []string
	// NoSingle is set when no one setting manages every cluster: seed 000
	// suggests re-creating the clusters in one infrastructure account.
	NoSingle bool
}

// PlanOption is what one credential setting would do to each cluster of the
// scope.
type PlanOption struct {
	Account    string
	Manageable []string
	Orphaned   []string
	Unknown    []string
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
		r.Clusters = append(r.Clusters, classify(f, scope[facts.ScopeKey(fc.Cluster.Region, fc.Cluster.ResourceGroupID)], fc))
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
		v.Status, v.Reason = OrphanUnknown, reason("workers-unread", "error", fc.Workers.Err.Error())
		return v
	case s.Credentials.Err != nil:
		v.Status, v.Reason = OrphanUnknown, reason("credentials-unread", "error", s.Credentials.Err.Error())
		return v
	}
	sp := spreadOf(fc.LiveWorkers(), s.Account, f.Devices.Find)
	v.Total, v.Found, v.Pending = sp.Live, len(sp.Here), len(sp.Pending)
	if v.Total == 0 {
		v.Status = OrphanNoWorkers
		return v
	}
	count := map[string]int{}
	if len(sp.Here) > 0 {
		count[s.Account] = len(sp.Here)
	}
	for a, ws := range sp.Elsewhere {
		count[a] = len(ws)
	}
	if len(sp.Missing) > 0 {
		count[""] = len(sp.Missing)
	}
	for a, n := range count {
		v.Accounts = append(v.Accounts, AccountWorkers{Account: a, Workers: n})
	}
	sort.Slice(v.Accounts, func(i, j int) bool {
		return v.Accounts[i].Workers > v.Accounts[j].Workers || v.Accounts[i].Workers == v.Accounts[j].Workers && v.Accounts[i].Account < v.Accounts[j].Account
	})
	complete, visibility, searchErr := f.Devices.Searchable(s.Account)
	switch {
	case len(sp.Missing) > 0 && searchErr != nil:
		// The credentials' own account could not be searched, so "not
		// found" proves nothing for the workers that were found nowhere.
		var unreachable *facts.UnreachableAccountError
		if errors.As(searchErr, &unreachable) {
			v.Status, v.Reason = OrphanUnknown, reason("account-unreachable", "account", orPlaceholder(unreachable.Account, "?"))
		} else {
			v.Status, v.Reason = OrphanUnknown, reason("account-unsearched", "account", orPlaceholder(s.Account, "?"), "error", searchErr.Error())
		}
	case len(sp.Missing) > 0 && !complete:
		key := "not-visible"
		if visibility == "?" {
			key = "not-visible-unread"
		}
		v.Status, v.Reason = OrphanUnknown, reason(key, "workers", strings.Join(sp.Missing, ", "), "account", s.Account, "permissions", visibility)
	case len(sp.Missing) == 0 && len(sp.Elsewhere) == 0:
		v.Status = OrphanOK
	case len(count) == 1:
		v.Status = OrphanOrphaned
	default:
		v.Status = OrphanMixed
	}
	if f.Incomplete && v.Status != OrphanOK {
		v.Status, v.Reason = OrphanUnknown, reason("interrupted")
	}
	return v
}

// plan weighs every credential setting of the scope: the account in use and
// every account that holds one of its clusters' workers. A setting is
// recommended only when every cluster of the scope was decided, and never
// one that would orphan a cluster that works today (seed 000, step 6: the
// fix for Cluster2 orphans Cluster1).
func plan(s facts.Scope, verdicts []ClusterVerdict, linkedIMS string) ScopePlan {
	p := ScopePlan{Scope: s, Current: s.Account, CredentialsErr: s.Credentials.Err}
	var placed []ClusterVerdict
	cands := map[string]bool{}
	if s.Account != "" {
		cands[s.Account] = true
	}
	for _, v := range verdicts {
		if v.Scope.Key() != s.Key() {
			continue
		}
		switch {
		case v.Status == OrphanUnknown:
			p.Unknown = append(p.Unknown, v.Cluster.Name)
			continue
		case len(v.Accounts) == 0:
			continue // no workers, or none with a device yet: no setting changes anything
		}
		placed = append(placed, v)
		for _, a := range v.Accounts {
			if a.Account != "" {
				cands[a.Account] = true
			}
		}
	}
	if p.CredentialsErr != nil {
		return p
	}
	accounts := make([]string, 0, len(cands))
	for a := range cands {
		accounts = append(accounts, a)
	}
	sort.Strings(accounts)
	manages := func(v ClusterVerdict, a string) bool { return len(v.Accounts) == 1 && v.Accounts[0].Account == a }
	best := -1
	p.NoSingle = len(placed) > 0
	for _, a := range accounts {
		o := PlanOption{Account: a, Manageable: []string{}, Orphaned: []string{}, Unknown: append([]string{}, p.Unknown...)}
		breaksWorking := false
		for _, v := range placed {
			if manages(v, a) {
				o.Manageable = append(o.Manageable, v.Cluster.Name)
				continue
			}
			o.Orphaned = append(o.Orphaned, v.Cluster.Name)
			breaksWorking = breaksWorking || manages(v, s.Account)
		}
		p.Options = append(p.Options, o)
		if len(o.Orphaned) == 0 {
			p.NoSingle = false
		}
		if breaksWorking && a != s.Account {
			continue // never trade a cluster that works today for another
		}
		// The most manageable clusters; on a tie keep what is set, then the
		// linked account (no credentials to manage).
		if best < 0 || len(o.Manageable) > len(p.Options[best].Manageable) ||
			len(o.Manageable) == len(p.Options[best].Manageable) && rank(a, s.Account, linkedIMS) < rank(p.Options[best].Account, s.Account, linkedIMS) {
			best = len(p.Options) - 1
		}
	}
	if best < 0 || len(p.Unknown) > 0 {
		return p
	}
	p.Recommended = p.Options[best].Account
	if p.Recommended == s.Account {
		return p
	}
	if p.Recommended == linkedIMS {
		p.Commands = []string{targetCmd(s.Region, s.Group.Name), cmd("ibmcloud", "ks", "credential", "unset", "--region", s.Region)}
	} else {
		p.Commands = []string{targetCmd(s.Region, s.Group.Name),
			cmd("ibmcloud", "ks", "credential", "set", "classic", "--infrastructure-username", "<username_in_account_"+p.Recommended+">",
				"--infrastructure-api-key", "<infrastructure_API_key>", "--region", s.Region)}
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

// Counts is how many clusters of the walk have each status, every status
// of OrphanStatuses present (0 when none).
func (r OrphanReport) Counts() map[string]int {
	return tally(OrphanStatuses, r.Clusters, func(v ClusterVerdict) string { return v.Status })
}

// Exit is the exit code of an orphan walk: 1 when a cluster is orphaned
// (or mixed), else 3 when one could not be decided or the walk was cut.
func (r OrphanReport) Exit() *Exit {
	// A credential the user gave that was refused left an account
	// unsearched: the walk is not what the user asked for.
	unknown := r.Fleet.Incomplete || len(r.Fleet.Rejected) > 0
	for _, v := range r.Clusters {
		switch v.Status {
		case OrphanOrphaned, OrphanMixed:
			return &Exit{Code: ExitFail}
		case OrphanUnknown:
			unknown = true
		}
	}
	if unknown {
		return &Exit{Code: ExitUnknown}
	}
	return nil
}
