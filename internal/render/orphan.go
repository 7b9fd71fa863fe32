package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fatih/color"

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

// OrphanJSON writes the `orphan --output json` document.
func OrphanJSON(w io.Writer, tr *i18n.Translator, p Plugin, s facts.Session, r diag.OrphanReport) error {
	doc := struct {
		SchemaVersion string          `json:"schemaVersion"`
		Plugin        Plugin          `json:"plugin"`
		Target        target          `json:"target"`
		Clusters      []orphanCluster `json:"clusters"`
		Plan          []scopePlan     `json:"plan"`
		// LeftOut counts the clusters of other infrastructures in the
		// walked scopes (vpc, satellite), which orphan does not walk.
		LeftOut      map[string]int `json:"leftOut"`
		LeftOutError string         `json:"leftOutError,omitempty"`
		// Rejected lists the classic credentials the user gave that were
		// not accepted (never the key).
		Rejected   []rejected `json:"rejectedCredentials"`
		Incomplete bool       `json:"incomplete"`
	}{SchemaVersion: SchemaVersion, Plugin: p, Target: targetOf(s), Clusters: []orphanCluster{}, Plan: []scopePlan{},
		LeftOut: map[string]int{}, Rejected: []rejected{}, Incomplete: r.Fleet.Incomplete}
	for _, x := range r.Fleet.Rejected {
		doc.Rejected = append(doc.Rejected, rejected{Source: x.Source, Username: x.Username, Error: x.Err.Error()})
	}
	for k, n := range r.Fleet.LeftOut {
		doc.LeftOut[k] = n
	}
	if r.Fleet.LeftOutErr != nil {
		doc.LeftOutError = r.Fleet.LeftOutErr.Error()
	}
	for _, v := range r.Clusters {
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

// Orphan writes the table of clusters and the plan of each region +
// resource group.
func (t Text) Orphan(r diag.OrphanReport) error {
	var b strings.Builder
	T := t.T.T
	if len(r.Clusters) == 0 {
		fmt.Fprintln(&b, T("No classic clusters found in the walked regions and resource groups."))
	} else {
		rows := [][]string{{T("Region"), T("Resource group"), T("Cluster"), T("Status"), T("Infrastructure account"), T("Workers found")}}
		for _, v := range r.Clusters {
			var accts []string
			for _, a := range v.Accounts {
				accts = append(accts, orDash(Safe(accountName(t.T, a.Account)))+" ("+strconv.Itoa(a.Workers)+")")
			}
			rows = append(rows, []string{Safe(v.Cluster.Region), Safe(v.Cluster.ResourceGroupName), orDash(Safe(v.Cluster.Name)),
				t.orphanStatus(v.Status), orDash(strings.Join(accts, ", ")), t.workersFound(v)})
		}
		_ = table(&b, rows)
		for _, v := range r.Clusters {
			if v.Reason.Key != "" {
				fmt.Fprintf(&b, "%s: %s\n", orDash(Safe(v.Cluster.Name)), reasonText(t.T, v.Reason, Safe))
			}
		}
	}
	for _, p := range r.Plan {
		scope := map[string]any{"Region": Safe(p.Scope.Region), "Group": Safe(p.Scope.Group.Name), "Account": orDash(Safe(p.Current))}
		if p.CredentialsErr != nil {
			scope["Error"] = Safe(p.CredentialsErr.Error())
			fmt.Fprintf(&b, "\n%s\n", t.paint(T("Plan for region {{.Region}}, resource group {{.Group}}: the credentials could not be read ({{.Error}}), so ks-doctor does not know which infrastructure account they use and recommends nothing.", scope), color.Bold))
		} else {
			fmt.Fprintf(&b, "\n%s\n", t.paint(T("Plan for region {{.Region}}, resource group {{.Group}}: the credentials use infrastructure account {{.Account}}", scope), color.Bold))
		}
		for _, o := range p.Options {
			data := map[string]any{"Account": Safe(o.Account), "Manageable": list(t.T, o.Manageable), "Orphaned": list(t.T, o.Orphaned), "Unknown": list(t.T, o.Unknown)}
			if len(o.Unknown) > 0 {
				fmt.Fprintf(&b, "  %s\n", T("Account {{.Account}}: manages {{.Manageable}}; orphans {{.Orphaned}}; not decided for {{.Unknown}}", data))
			} else {
				fmt.Fprintf(&b, "  %s\n", T("Account {{.Account}}: manages {{.Manageable}}; orphans {{.Orphaned}}", data))
			}
		}
		switch {
		case p.CredentialsErr != nil:
		case len(p.Unknown) > 0:
			fmt.Fprintf(&b, "  %s\n", T("No recommendation: {{.Clusters}} could not be decided, and changing the credentials might orphan them. Run again when the reasons above are resolved.",
				map[string]any{"Clusters": list(t.T, p.Unknown)}))
		case p.Recommended == "":
			fmt.Fprintf(&b, "  %s\n", T("Nothing to decide: no classic cluster with workers here."))
		case len(p.Commands) == 0:
			fmt.Fprintf(&b, "  %s\n", T("Recommended: keep the current credentials (account {{.Account}}).", map[string]any{"Account": Safe(p.Recommended)}))
		default:
			fmt.Fprintf(&b, "  %s\n", T("Recommended: switch the credentials to account {{.Account}}:", map[string]any{"Account": Safe(p.Recommended)}))
			for _, cmd := range p.Commands {
				fmt.Fprintf(&b, "    %s\n", t.paint(Safe(cmd), color.FgYellow, color.Bold))
			}
		}
		if p.NoSingle {
			fmt.Fprintf(&b, "  %s\n", T("orphan.note.no-single"))
		}
	}
	t.leftOut(&b, r.Fleet)
	if r.Fleet.Incomplete {
		fmt.Fprintf(&b, "\n%s\n", t.paint(T("The walk was interrupted: these results are incomplete."), color.FgYellow, color.Bold))
	}
	_, err := io.WriteString(t.W, b.String())
	return err
}

// leftOut says which clusters the walk did not look at, and why, so that no
// one wonders whether a VPC or Satellite cluster was checked.
func (t Text) leftOut(b *strings.Builder, f *facts.Fleet) {
	vpc, sat := f.LeftOut[facts.InfraVPC], f.LeftOut[facts.InfraSatellite]
	if vpc+sat > 0 {
		fmt.Fprintf(b, "\n%s\n", t.T.T("Not walked: {{.VPC}} VPC and {{.Satellite}} Satellite clusters in these regions and resource groups. Their workers have no classic infrastructure device, so they cannot be orphaned this way; run 'ibmcloud ks-doctor check -c CLUSTER' on them.",
			map[string]any{"VPC": vpc, "Satellite": sat}))
	}
	if f.LeftOutErr != nil {
		fmt.Fprintf(b, "\n%s\n", t.T.T("VPC and Satellite clusters could not be listed ({{.Error}}): the walk covers classic clusters only.",
			map[string]any{"Error": Safe(f.LeftOutErr.Error())}))
	}
}

// workersFound is "found/total", with the workers that have no device yet
// said apart: they are neither found nor missing.
func (t Text) workersFound(v diag.ClusterVerdict) string {
	if v.Pending == 0 {
		return fmt.Sprintf("%d/%d", v.Found, v.Total)
	}
	return t.T.T("{{.Found}}/{{.Total}} ({{.Pending}} without a device yet)", map[string]any{"Found": v.Found, "Total": v.Total, "Pending": v.Pending})
}

func (t Text) orphanStatus(s string) string {
	label := t.T.T("orphan.status." + s)
	switch s {
	case diag.OrphanOrphaned, diag.OrphanMixed:
		return t.paint(label, color.FgRed, color.Bold)
	case diag.OrphanUnknown:
		return t.paint(label, color.FgYellow, color.Bold)
	}
	return label
}

func accountName(tr *i18n.Translator, a string) string {
	if a == "" {
		// Found in no account this session reads: not proof that the
		// devices are gone, nor that they are elsewhere.
		return tr.T("(not found)")
	}
	return a
}

// list joins names for text output, each through Safe.
func list(tr *i18n.Translator, names []string) string {
	if len(names) == 0 {
		return tr.T("(none)")
	}
	safe := make([]string, len(names))
	for i, n := range names {
		safe[i] = Safe(n)
	}
	return strings.Join(safe, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
