package render

import (
	"fmt"
	"strings"

	"github.com/fatih/color"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

// namesShown is how many names a list shows in full; a longer list shows
// namesHead of them and says how many more there are (JSON has them all).
const (
	namesShown = 5
	namesHead  = 3
)

// orphanPlans writes the plan of each region + resource group. The scopes
// where nothing is to change — every cluster works with the credentials in
// use, none is undecided — share one line at the end, so that at fleet
// scale the plan shows what needs a decision.
func (t Text) orphanPlans(b *strings.Builder, r diag.OrphanReport) {
	var keep, noSingle []string
	for _, p := range r.Plan {
		if p.NoSingle {
			noSingle = append(noSingle, scopeName(p))
		}
	}
	for _, p := range r.Plan {
		if nothingToChange(p, r.Clusters) {
			keep = append(keep, scopeName(p))
			continue
		}
		t.scopePlan(b, p, len(noSingle) == 1)
	}
	if len(keep) > 0 {
		fmt.Fprintf(b, "\n%s\n", t.paint(t.T.T("orphan.plan.keep", map[string]any{"Count": len(keep), "Scopes": shortList(t.T, keep)}), color.Bold))
	}
	// Seed 000's advice, once for every scope it applies to.
	if len(noSingle) > 1 {
		fmt.Fprintf(b, "\n%s\n", t.T.T("orphan.note.no-single-many", map[string]any{"Count": len(noSingle), "Scopes": shortList(t.T, noSingle)}))
	}
}

func scopeName(p diag.ScopePlan) string { return Safe(p.Scope.Region) + "/" + Safe(p.Scope.Group.Name) }

// nothingToChange: the plan keeps the credentials of the scope, and every
// cluster of it is ok (or has no workers), at least one ok.
func nothingToChange(p diag.ScopePlan, verdicts []diag.ClusterVerdict) bool {
	if p.CredentialsErr != nil || len(p.Unknown) > 0 || p.NoSingle || p.Recommended == "" || p.Recommended != p.Current || len(p.Commands) > 0 {
		return false
	}
	ok := false
	for _, v := range verdicts {
		if v.Scope.Key() != p.Scope.Key() {
			continue
		}
		switch v.Status {
		case diag.OrphanOK:
			ok = true
		case diag.OrphanNoWorkers:
		default:
			return false
		}
	}
	return ok
}

// scopePlan writes one scope's plan: what each credential setting would
// manage and orphan, counted, with the first names of each list; note is
// whether seed 000's advice for a scope no setting serves goes here.
func (t Text) scopePlan(b *strings.Builder, p diag.ScopePlan, note bool) {
	T := t.T.T
	scope := map[string]any{"Region": Safe(p.Scope.Region), "Group": Safe(p.Scope.Group.Name), "Account": orDash(Safe(p.Current))}
	if p.CredentialsErr != nil {
		scope["Error"] = Safe(p.CredentialsErr.Error())
		fmt.Fprintf(b, "\n%s\n", t.paint(T("Plan for region {{.Region}}, resource group {{.Group}}: the credentials could not be read ({{.Error}}), so ks-doctor does not know which infrastructure account they use and recommends nothing.", scope), color.Bold))
	} else {
		fmt.Fprintf(b, "\n%s\n", t.paint(T("Plan for region {{.Region}}, resource group {{.Group}}: the credentials use infrastructure account {{.Account}}", scope), color.Bold))
	}
	for _, o := range p.Options {
		data := map[string]any{"Account": Safe(o.Account), "Manageable": clusters(t.T, o.Manageable), "Orphaned": clusters(t.T, o.Orphaned), "Unknown": clusters(t.T, o.Unknown)}
		if len(o.Unknown) > 0 {
			fmt.Fprintf(b, "  %s\n", T("orphan.plan.option-undecided", data))
		} else {
			fmt.Fprintf(b, "  %s\n", T("orphan.plan.option", data))
		}
	}
	switch {
	case p.CredentialsErr != nil:
	case len(p.Unknown) > 0:
		fmt.Fprintf(b, "  %s\n", T("orphan.plan.undecided", map[string]any{"Count": len(p.Unknown), "Clusters": clusters(t.T, p.Unknown)}))
	case p.Recommended == "":
		fmt.Fprintf(b, "  %s\n", T("Nothing to decide: no classic cluster with workers here."))
	case len(p.Commands) == 0:
		fmt.Fprintf(b, "  %s\n", T("Recommended: keep the current credentials (account {{.Account}}).", map[string]any{"Account": Safe(p.Recommended)}))
	default:
		fmt.Fprintf(b, "  %s\n", T("Recommended: switch the credentials to account {{.Account}}:", map[string]any{"Account": Safe(p.Recommended)}))
		for _, cmd := range p.Commands {
			fmt.Fprintf(b, "    %s\n", t.paint(Safe(cmd), color.FgYellow, color.Bold))
		}
	}
	if p.NoSingle && note {
		fmt.Fprintf(b, "  %s\n", T("orphan.note.no-single"))
	}
}

// clusters is a list of cluster names for text: how many, and the names
// (the first few of a long list), each through Safe; "no cluster" for none.
func clusters(tr *i18n.Translator, names []string) string {
	if len(names) == 0 {
		return tr.T("orphan.clusters.none")
	}
	safe := make([]string, len(names))
	for i, n := range names {
		safe[i] = Safe(n)
	}
	return tr.T("orphan.clusters", map[string]any{"Count": len(names), "Names": shortList(tr, safe)})
}

// shortList joins names that are already safe: all of them when they are
// few, else the first namesHead and how many more.
func shortList(tr *i18n.Translator, names []string) string {
	if len(names) <= namesShown {
		return strings.Join(names, ", ")
	}
	return tr.T("orphan.more", map[string]any{"Names": strings.Join(names[:namesHead], ", "), "More": len(names) - namesHead})
}
