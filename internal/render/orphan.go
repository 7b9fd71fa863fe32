package render

import (
	"io"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

type infraAccount struct {
	ID      string `json:"id"`
	Workers int    `json:"workers"`
}

type orphanCluster struct {
	Region        string         `json:"region"`
	ResourceGroup group          `json:"resourceGroup"`
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Status        string         `json:"status"`
	InfraAccounts []infraAccount `json:"infraAccounts"`
	WorkersFound  int            `json:"workersFound"`
	WorkersTotal  int            `json:"workersTotal"`
	// WorkersPending have no device yet (provisioning, failed orders):
	// no evidence either way.
	WorkersPending int    `json:"workersPending"`
	Reason         string `json:"reason,omitempty"`
}

type rejected struct {
	Source   string `json:"source"`
	Username string `json:"username"`
	Error    string `json:"error"`
}

type recommendation struct {
	InfraAccount string   `json:"infraAccount"`
	Commands     []string `json:"commands"`
}

type option struct {
	InfraAccount string   `json:"infraAccount"`
	Manageable   []string `json:"manageable"`
	Orphaned     []string `json:"orphaned"`
	Unknown      []string `json:"unknown"`
}

type scopePlan struct {
	Region        string `json:"region"`
	ResourceGroup group  `json:"resourceGroup"`
	Current       string `json:"currentInfraAccount"`
	// CredentialsError says why the credentials of the scope could not be
	// read; then nothing is recommended.
	CredentialsError string `json:"credentialsError,omitempty"`
	// Undecided clusters of the scope: while there is one, nothing is
	// recommended.
	Undecided   []string       `json:"undecided"`
	Recommended recommendation `json:"recommended"`
	Options     []option       `json:"options"`
	Note        string         `json:"note,omitempty"`
}

// orphanSummary counts every cluster of the walk by status, whatever
// --status shows.
type orphanSummary struct {
	Total     int `json:"total"`
	Orphaned  int `json:"orphaned"`
	Mixed     int `json:"mixed"`
	Unknown   int `json:"unknown"`
	NoWorkers int `json:"no-workers"`
	OK        int `json:"ok"`
}

// OrphanJSON writes the `orphan --output json` document: the clusters of
// the statuses asked for (every cluster when statuses is empty), most
// urgent first as in text; the summary and the plan cover the whole walk,
// the plan's lists in full.
func OrphanJSON(w io.Writer, tr *i18n.Translator, p Plugin, s facts.Session, r diag.OrphanReport, statuses []string) error {
	n := r.Counts()
	doc := struct {
		SchemaVersion string        `json:"schemaVersion"`
		Plugin        Plugin        `json:"plugin"`
		Target        target        `json:"target"`
		Summary       orphanSummary `json:"summary"`
		// StatusFilter is --status: the statuses clusters lists ([] =
		// every cluster).
		StatusFilter []string        `json:"statusFilter"`
		Clusters     []orphanCluster `json:"clusters"`
		Plan         []scopePlan     `json:"plan"`
		// LeftOut counts the clusters of other infrastructures in the
		// walked scopes (vpc, satellite), which orphan does not walk.
		LeftOut      map[string]int `json:"leftOut"`
		LeftOutError string         `json:"leftOutError,omitempty"`
		// Rejected lists the classic credentials the user gave that were
		// not accepted (never the key).
		Rejected   []rejected `json:"rejectedCredentials"`
		Incomplete bool       `json:"incomplete"`
	}{SchemaVersion: SchemaVersion, Plugin: p, Target: targetOf(s), Clusters: []orphanCluster{}, Plan: []scopePlan{},
		Summary: orphanSummary{Total: len(r.Clusters), Orphaned: n[diag.OrphanOrphaned], Mixed: n[diag.OrphanMixed],
			Unknown: n[diag.OrphanUnknown], NoWorkers: n[diag.OrphanNoWorkers], OK: n[diag.OrphanOK]},
		StatusFilter: nonNil(statuses), LeftOut: map[string]int{}, Rejected: []rejected{}, Incomplete: r.Fleet.Incomplete}
	for _, x := range r.Fleet.Rejected {
		doc.Rejected = append(doc.Rejected, rejected{Source: x.Source, Username: x.Username, Error: x.Err.Error()})
	}
	for k, n := range r.Fleet.LeftOut {
		doc.LeftOut[k] = n
	}
	if r.Fleet.LeftOutErr != nil {
		doc.LeftOutError = r.Fleet.LeftOutErr.Error()
	}
	for _, v := range orphanRows(r, statuses) {
		c := orphanCluster{Region: v.Cluster.Region, ResourceGroup: group{ID: v.Cluster.ResourceGroupID, Name: v.Cluster.ResourceGroupName},
			ID: v.Cluster.ID, Name: v.Cluster.Name, Status: v.Status, InfraAccounts: []infraAccount{},
			WorkersFound: v.Found, WorkersTotal: v.Total, WorkersPending: v.Pending, Reason: reasonText(tr, v.Reason, nil)}
		for _, a := range v.Accounts {
			c.InfraAccounts = append(c.InfraAccounts, infraAccount{ID: a.Account, Workers: a.Workers})
		}
		doc.Clusters = append(doc.Clusters, c)
	}
	for _, p := range r.Plan {
		sp := scopePlan{Region: p.Scope.Region, ResourceGroup: group{ID: p.Scope.Group.ID, Name: p.Scope.Group.Name},
			Current: p.Current, Recommended: recommendation{InfraAccount: p.Recommended, Commands: nonNil(p.Commands)}, Options: []option{},
			Undecided: nonNil(p.Unknown)}
		if p.CredentialsErr != nil {
			sp.CredentialsError = p.CredentialsErr.Error()
		}
		for _, o := range p.Options {
			sp.Options = append(sp.Options, option{InfraAccount: o.Account, Manageable: o.Manageable, Orphaned: o.Orphaned, Unknown: nonNil(o.Unknown)})
		}
		if p.NoSingle {
			sp.Note = tr.T("orphan.note.no-single")
		}
		doc.Plan = append(doc.Plan, sp)
	}
	return writeJSON(w, doc)
}

func targetOf(s facts.Session) target {
	t := target{Account: MaskAccount(s.AccountID), AccountID: s.AccountID, Region: s.Region}
	if g := s.ResourceGroup; g != nil {
		t.ResourceGroup = &group{ID: g.ID, Name: g.Name}
	}
	return t
}

// reasonText is why a cluster is unknown, in the session's language ("" when
// there is none); clean is Safe for text, nil for JSON, as for findings.
func reasonText(tr *i18n.Translator, r diag.Reason, clean func(string) string) string {
	if r.Key == "" {
		return ""
	}
	return tr.T(r.Key, templateData(r.Params, clean))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
