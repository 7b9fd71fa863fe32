package render

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/fatih/color"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// tipRows is the size of table past which orphan points to --status.
const tipRows = 20

// Orphan writes an orphan walk for a person: the counts of the whole walk,
// the clusters of the statuses asked for (every cluster when statuses is
// empty) most urgent first, then the plan of each region + resource group.
func (t Text) Orphan(r diag.OrphanReport, statuses []string) error {
	var b strings.Builder
	T := t.T.T
	if len(r.Clusters) == 0 {
		fmt.Fprintln(&b, T("No classic clusters found in the walked regions and resource groups."))
	} else {
		t.orphanSummary(&b, r)
		rows := orphanRows(r, statuses)
		switch {
		case len(statuses) > 0:
			fmt.Fprintln(&b, T("orphan.filter", map[string]any{"Shown": len(rows), "Count": len(r.Clusters), "Statuses": strings.Join(statuses, ",")}))
		case len(rows) > tipRows && r.Counts()[diag.OrphanOK] > 0:
			fmt.Fprintln(&b, T("orphan.tip.status"))
		}
		if len(rows) > 0 {
			b.WriteString("\n")
			t.orphanTable(&b, rows)
		}
	}
	t.orphanPlans(&b, r)
	t.leftOut(&b, r.Fleet)
	if r.Fleet.Incomplete {
		fmt.Fprintf(&b, "\n%s\n", t.paint(T("The walk was interrupted: these results are incomplete."), color.FgYellow, color.Bold))
	}
	_, err := io.WriteString(t.W, b.String())
	return err
}

// orphanSummary is the two lines that come first: what was walked, and how
// many clusters have each status. They count every cluster walked, whatever
// --status shows.
func (t Text) orphanSummary(b *strings.Builder, r diag.OrphanReport) {
	regions, groups := map[string]bool{}, map[string]bool{}
	for _, s := range r.Fleet.Scopes {
		regions[s.Region] = true
		groups[cmp.Or(s.Group.ID, s.Group.Name)] = true
	}
	T := t.T.T
	fmt.Fprintln(b, T("orphan.checked", map[string]any{
		"Clusters": T("orphan.count.classic-clusters", map[string]any{"Count": len(r.Clusters)}),
		"Regions":  T("orphan.count.regions", map[string]any{"Count": len(regions)}),
		"Groups":   T("orphan.count.resource-groups", map[string]any{"Count": len(groups)}),
	}))
	n := r.Counts()
	count := func(s string, attrs ...color.Attribute) string {
		if n[s] == 0 || len(attrs) == 0 {
			return strconv.Itoa(n[s])
		}
		return t.paint(strconv.Itoa(n[s]), attrs...)
	}
	fmt.Fprintln(b, T("orphan.summary", map[string]any{
		"Orphaned": count(diag.OrphanOrphaned, color.FgRed, color.Bold), "Mixed": count(diag.OrphanMixed, color.FgRed, color.Bold),
		"Unknown": count(diag.OrphanUnknown, color.FgYellow, color.Bold), "NoWorkers": count(diag.OrphanNoWorkers), "OK": count(diag.OrphanOK),
	}))
}

// orphanTable writes one row per cluster, then why each undecided one could
// not be decided. "Workers in credentials' account" names the account the
// credentials of the cluster's region and resource group use and counts the
// workers whose device is there, of the workers the cluster has ("2093847:
// 0/2"); "Workers by account" says where the devices are ("1446722: 2").
func (t Text) orphanTable(b *strings.Builder, rows []diag.ClusterVerdict) {
	T := t.T.T
	cells := [][]string{{T("Region"), T("Resource group"), T("Cluster"), T("Status"),
		T("Workers in credentials' account"), T("Workers by account")}}
	for _, v := range rows {
		var accts []string
		for _, a := range v.Accounts {
			accts = append(accts, Safe(accountName(t.T, a.Account))+": "+strconv.Itoa(a.Workers))
		}
		cells = append(cells, []string{Safe(v.Cluster.Region), Safe(v.Cluster.ResourceGroupName), orDash(Safe(v.Cluster.Name)),
			t.orphanStatus(v.Status), t.workersFound(v), orDash(strings.Join(accts, ", "))})
	}
	_ = t.table(b, cells)
	for _, v := range rows {
		if v.Reason.Key != "" {
			fmt.Fprintf(b, "%s: %s\n", orDash(Safe(v.Cluster.Name)), reasonText(t.T, v.Reason, Safe))
		}
	}
}

// orphanRows is the clusters orphan shows: those of the statuses asked for
// (every cluster when none is), most urgent first (diag.OrphanStatuses),
// then by region, resource group and name.
func orphanRows(r diag.OrphanReport, statuses []string) []diag.ClusterVerdict {
	rank := map[string]int{}
	for i, s := range diag.OrphanStatuses {
		rank[s] = i
	}
	var out []diag.ClusterVerdict
	for _, v := range r.Clusters {
		if len(statuses) == 0 || slices.Contains(statuses, v.Status) {
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b diag.ClusterVerdict) int {
		return cmp.Or(cmp.Compare(rank[a.Status], rank[b.Status]), cmp.Compare(a.Cluster.Region, b.Cluster.Region),
			cmp.Compare(a.Cluster.ResourceGroupName, b.Cluster.ResourceGroupName),
			cmp.Compare(a.Cluster.Name, b.Cluster.Name), cmp.Compare(a.Cluster.ID, b.Cluster.ID))
	})
	return out
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

// workersFound is "account: found/total", with the workers that have no
// device yet said apart: they are neither found nor missing.
func (t Text) workersFound(v diag.ClusterVerdict) string {
	if v.Scope.Account == "" || v.Status == diag.OrphanUnknown && v.Total == 0 {
		return "-" // its workers or its credentials could not be read
	}
	n := fmt.Sprintf("%d/%d", v.Found, v.Total)
	if v.Pending > 0 {
		n = t.T.T("{{.Found}}/{{.Total}} ({{.Pending}} without a device yet)", map[string]any{"Found": v.Found, "Total": v.Total, "Pending": v.Pending})
	}
	return Safe(v.Scope.Account) + ": " + n
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

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
