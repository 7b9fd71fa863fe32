package commands

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// fleet300 is the case: 300 classic clusters in 2 regions and 3
// resource groups, 5% of them (15) orphaned.
const fleet300 = "fleet:clusters=300,workers=3,regions=2,groups=3,accounts=2,orphans=0.05,seed=7"

// orphanDoc is what these tests read of `orphan --output json`.
type orphanDoc struct {
	Summary      map[string]int
	StatusFilter []string
	Clusters     []struct{ Name, Region, Status string }
	Plan         []struct {
		Region        string
		ResourceGroup struct{ Name string }
		Options       []struct {
			InfraAccount         string
			Manageable, Orphaned []string
		}
	}
}

// At fleet scale the report opens with the counts of the whole walk, lists
// the orphaned clusters first, and keeps the plan short: counts and the
// first names in text, every name in JSON.
func TestOrphanFleetCountsFirstAndCompactPlan(t *testing.T) {
	t.Parallel() // a world of its own
	w := newWorld(t, fleet300, session{})
	all := []string{"orphan", "--all-regions", "--all-resource-groups"}
	text, stderr, code := w.run(t, "en_US", all...)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (15 clusters are orphaned)\n%s", code, stderr)
	}
	lines := strings.Split(text, "\n")
	if lines[0] != "Checked 300 classic clusters in 2 regions and 3 resource groups." ||
		lines[1] != "Summary: 15 orphaned, 0 mixed, 0 unknown, 0 with no workers, 285 ok" ||
		lines[2] != "Tip: to list only the clusters that need attention, add '--status orphaned,mixed,unknown'." {
		t.Fatalf("the report does not open with the counts:\n%s", strings.Join(lines[:4], "\n"))
	}
	// The table: a header, then the 15 orphaned clusters before any ok one.
	lines = lines[1:]
	var rows []string
	for _, l := range lines[3:] {
		if l == "" {
			break
		}
		rows = append(rows, l)
	}
	if len(rows) != 301 {
		t.Fatalf("%d table lines, want a header and 300 rows", len(rows))
	}
	for i, r := range rows[1:] {
		if orphaned := strings.Contains(r, " orphaned "); orphaned != (i < 15) {
			t.Errorf("row %d is out of order (orphaned first): %s", i+1, r)
		}
	}
	// The plan: no list names more than five clusters; long lists say how
	// many more there are.
	name := regexp.MustCompile(`fleet-\d+`)
	plan := strings.Join(lines[3+len(rows):], "\n")
	for _, list := range regexp.MustCompile(`\([^)]*\)`).FindAllString(plan, -1) {
		if n := len(name.FindAllString(list, -1)); n > 5 {
			t.Errorf("a plan list names %d clusters: %.200s", n, list)
		}
	}
	if !regexp.MustCompile(`manages \d+ clusters \(fleet-\d+, fleet-\d+, fleet-\d+ and \d+ more\)`).MatchString(plan) {
		t.Errorf("the plan does not count its clusters:\n%s", plan)
	}
	if len(strings.Split(plan, "\n")) > 40 {
		t.Errorf("the plan of 6 regions and resource groups takes %d lines:\n%s", len(strings.Split(plan, "\n")), plan)
	}

	// JSON: the same counts, orphaned first, and the plan's lists in full.
	js, _, _ := w.run(t, "en_US", append(all, "--output", "json")...)
	var doc orphanDoc
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary["total"] != 300 || doc.Summary["orphaned"] != 15 || doc.Summary["ok"] != 285 || len(doc.Clusters) != 300 ||
		doc.StatusFilter == nil || len(doc.StatusFilter) != 0 {
		t.Errorf("summary %v, statusFilter %v, %d clusters", doc.Summary, doc.StatusFilter, len(doc.Clusters))
	}
	if doc.Clusters[14].Status != "orphaned" || doc.Clusters[15].Status != "ok" {
		t.Errorf("JSON clusters are not orphaned first")
	}
	listed := 0
	for _, p := range doc.Plan {
		for _, o := range p.Options {
			listed += len(o.Manageable) + len(o.Orphaned)
		}
	}
	if listed < 300 {
		t.Errorf("the JSON plan lists %d cluster names, want every cluster in every option", listed)
	}
	w.readOnly(t)
}

// --status shows the clusters of the statuses asked for (a comma list or
// the flag repeated) and says that the counts still cover every cluster;
// JSON lists the same clusters and keeps the whole walk's summary.
func TestOrphanStatusFilter(t *testing.T) {
	t.Parallel() // a world of its own
	w := newWorld(t, fleet300, session{})
	for _, args := range [][]string{
		{"--status", "orphaned,unknown"},
		{"--status", "orphaned", "--status", "unknown"},
		{"--status", "Orphaned, unknown,orphaned"},
	} {
		text, stderr, code := w.run(t, "en_US", append([]string{"orphan", "--all-regions", "--all-resource-groups"}, args...)...)
		if code != 1 {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr)
		}
		if !strings.Contains(text, "Summary: 15 orphaned, 0 mixed, 0 unknown, 0 with no workers, 285 ok\n"+
			"Showing 15 of 300 clusters ('--status orphaned,unknown'); the summary counts every cluster checked.\n") {
			t.Errorf("%v: the filter is not said under the counts:\n%.600s", args, text)
		}
		if n := strings.Count(text, " orphaned "); n != 15 || strings.Contains(text, " ok ") {
			t.Errorf("%v: %d orphaned rows, or an ok row shown:\n%s", args, n, text)
		}
	}
	js, _, _ := w.run(t, "en_US", "orphan", "--all-regions", "--all-resource-groups", "--status", "ok", "--output", "json")
	var doc orphanDoc
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Clusters) != 285 || doc.Summary["total"] != 300 || doc.Summary["orphaned"] != 15 || !slices.Equal(doc.StatusFilter, []string{"ok"}) {
		t.Errorf("%d clusters, summary %v, statusFilter %v", len(doc.Clusters), doc.Summary, doc.StatusFilter)
	}
	// Nothing of a status: no table, and the counts say why.
	text, _, code := w.run(t, "en_US", "orphan", "--all-regions", "--all-resource-groups", "--status", "mixed")
	if code != 1 || !strings.Contains(text, "Showing 0 of 300 clusters ('--status mixed')") || strings.Contains(text, "Workers by account") {
		t.Errorf("exit %d:\n%.600s", code, text)
	}
}

// A value --status does not take is a usage error (exit 2) that names the
// values it takes, in the session's language, before anything is read.
func TestOrphanStatusUsage(t *testing.T) {
	w := newWorld(t, "orphan-cluster1", session{})
	for _, c := range []struct{ locale, value, want string }{
		{"en_US", "orphan", "--status orphan: use orphaned, mixed, unknown, no-workers, ok"},
		{"en_US", "orphaned,,ok", "--status : use orphaned, mixed, unknown, no-workers, ok"},
		{"en_US", "", "--status '': use orphaned, mixed, unknown, no-workers, ok"},
		{"ja_JP", "broken", "--status broken: orphaned, mixed, unknown, no-workers, ok を指定してください"},
	} {
		before := len(w.srv.Requests())
		_, stderr, code := w.run(t, c.locale, "orphan", "--status", c.value)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("--status %q: exit %d, stderr %q, want %q", c.value, code, stderr, c.want)
		}
		if n := len(w.srv.Requests()) - before; n != 0 {
			t.Errorf("--status %q: %d requests before the usage error", c.value, n)
		}
	}
}

// The 300 clusters as a user who asks for what needs attention sees
// them, in English and Japanese: the counts, the 15 orphaned clusters, a
// plan of counts and first names, seed 000's advice once.
func TestOrphanFleetGolden(t *testing.T) {
	t.Parallel() // a world of its own
	w := newWorld(t, fleet300, session{})
	for _, v := range []struct{ suffix, locale string }{{"en", "en_US"}, {"ja", "ja_JP"}} {
		stdout, stderr, code := w.run(t, v.locale, "orphan", "--all-regions", "--all-resource-groups", "--status", "orphaned,mixed,unknown")
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", v.suffix, code)
		}
		golden(t, "orphan-fleet300-attention-"+v.suffix, stdout, stderr, code)
	}
}
