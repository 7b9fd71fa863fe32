package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// orphanReport is a walk of two scopes: us-south/default, whose
// credentials use 111 and which holds a cluster of every status, and
// eu-de/default, where all is well.
func orphanReport() diag.OrphanReport {
	south := facts.Scope{Region: "us-south", Group: facts.ResourceGroup{ID: "rg1", Name: "default"}, Account: "111"}
	de := facts.Scope{Region: "eu-de", Group: facts.ResourceGroup{ID: "rg1", Name: "default"}, Account: "111"}
	v := func(s facts.Scope, name, status string, found, total int, accts ...diag.AccountWorkers) diag.ClusterVerdict {
		return diag.ClusterVerdict{Scope: s, Status: status, Found: found, Total: total, Accounts: accts,
			Cluster: facts.Cluster{ID: name + "-id", Name: name, Region: s.Region, ResourceGroupID: "rg1", ResourceGroupName: "default"}}
	}
	unknown := v(south, "u1", diag.OrphanUnknown, 0, 0)
	unknown.Reason = diag.Reason{Key: "orphan.reason.interrupted"}
	r := diag.OrphanReport{
		Fleet: &facts.Fleet{Scopes: []facts.Scope{de, south}},
		Clusters: []diag.ClusterVerdict{
			v(south, "ok2", diag.OrphanOK, 2, 2, diag.AccountWorkers{Account: "111", Workers: 2}),
			v(de, "ok1", diag.OrphanOK, 1, 1, diag.AccountWorkers{Account: "111", Workers: 1}),
			v(south, "empty", diag.OrphanNoWorkers, 0, 0),
			unknown,
			v(south, "o2", diag.OrphanOrphaned, 0, 3, diag.AccountWorkers{Account: "222", Workers: 3}),
			v(south, "m1", diag.OrphanMixed, 1, 2, diag.AccountWorkers{Account: "111", Workers: 1}, diag.AccountWorkers{Account: "222", Workers: 1}),
			v(south, "o1", diag.OrphanOrphaned, 0, 1, diag.AccountWorkers{Account: "", Workers: 1}),
		},
		Plan: []diag.ScopePlan{
			{Scope: de, Current: "111", Recommended: "111", Options: []diag.PlanOption{{Account: "111", Manageable: []string{"ok1"}, Orphaned: []string{}}}},
			{Scope: south, Current: "111", Unknown: []string{"u1"}, Options: []diag.PlanOption{
				{Account: "111", Manageable: []string{"ok2"}, Orphaned: []string{"o2", "m1", "o1"}, Unknown: []string{"u1"}},
				{Account: "222", Manageable: []string{"o2"}, Orphaned: []string{"ok2", "m1", "o1"}, Unknown: []string{"u1"}},
			}},
		},
	}
	return r
}

// The counts of the whole walk come first, the rows most urgent first (then
// by region and name), the plan counts its clusters, and the scopes where
// nothing is to change share one line.
func TestOrphanText(t *testing.T) {
	var b bytes.Buffer
	if err := (Text{W: &b, T: i18n.New(i18n.English)}).Orphan(orphanReport(), nil); err != nil {
		t.Fatal(err)
	}
	want := `Checked 7 classic clusters in 2 regions and 1 resource group.
Summary: 2 orphaned, 1 mixed, 1 unknown, 1 with no workers, 2 ok

Region    Resource group  Cluster  Status      Workers in credentials' account  Workers by account
us-south  default         o1       orphaned    111: 0/1                         (not found): 1
us-south  default         o2       orphaned    111: 0/3                         222: 3
us-south  default         m1       mixed       111: 1/2                         111: 1, 222: 1
us-south  default         u1       unknown     -                                -
us-south  default         empty    no workers  111: 0/0                         -
eu-de     default         ok1      ok          111: 1/1                         111: 1
us-south  default         ok2      ok          111: 2/2                         111: 2
u1: the walk was interrupted before this cluster was decided

Plan for region us-south, resource group default: the credentials use infrastructure account 111
  Account 111: manages 1 cluster (ok2); orphans 3 clusters (o2, m1, o1); not decided for 1 cluster (u1)
  Account 222: manages 1 cluster (o2); orphans 3 clusters (ok2, m1, o1); not decided for 1 cluster (u1)
  No recommendation: 1 cluster (u1) could not be decided, and changing the credentials might orphan it. Run again when the reason above is resolved.

Plan for region/resource group eu-de/default: keep the credentials in use; every cluster there can be managed with them.
`
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// --status keeps the rows of those statuses and says so under the counts,
// which still cover the whole walk; JSON lists the same clusters in the
// same order, with the summary of the whole walk and the filter.
func TestOrphanStatusFilterRender(t *testing.T) {
	r := orphanReport()
	var b bytes.Buffer
	if err := (Text{W: &b, T: i18n.New(i18n.Japanese)}).Orphan(r, []string{"unknown", "orphaned"}); err != nil {
		t.Fatal(err)
	}
	head := strings.Join(strings.Split(b.String(), "\n")[:3], "\n")
	want := "クラシック・クラスター 7 個をチェックしました (リージョン 2 個、リソース・グループ 1 個)。\n" +
		"サマリー: 孤立化 2 個、混在 1 個、不明 1 個、ワーカー・ノードなし 1 個、OK 2 個\n" +
		"7 個のクラスターのうち 3 個を表示しています ('--status unknown,orphaned')。サマリーはチェックしたすべてのクラスターを数えています。"
	if head != want {
		t.Errorf("got:\n%s\nwant:\n%s", head, want)
	}
	var js bytes.Buffer
	if err := OrphanJSON(&js, i18n.New(i18n.English), Plugin{}, facts.Session{}, r, []string{"unknown", "orphaned"}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Summary      map[string]int
		StatusFilter []string
		Clusters     []struct{ Name string }
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(doc.Summary) != "map[mixed:1 no-workers:1 ok:2 orphaned:2 total:7 unknown:1]" ||
		fmt.Sprint(doc.StatusFilter) != "[unknown orphaned]" || fmt.Sprint(doc.Clusters) != "[{o1} {o2} {u1}]" {
		t.Errorf("summary %v, filter %v, clusters %v", doc.Summary, doc.StatusFilter, doc.Clusters)
	}
}

// A long list shows its first names and how many more; a short one shows
// every name. Names from IBM Cloud pass through Safe.
func TestClusterLists(t *testing.T) {
	en, ja := i18n.New(i18n.English), i18n.New(i18n.Japanese)
	names := func(n int) []string {
		var out []string
		for i := 1; i <= n; i++ {
			out = append(out, fmt.Sprintf("c%d", i))
		}
		return out
	}
	for _, c := range []struct {
		tr    *i18n.Translator
		names []string
		want  string
	}{
		{en, nil, "no cluster"},
		{ja, nil, "クラスターなし"},
		{en, names(1), "1 cluster (c1)"},
		{en, names(5), "5 clusters (c1, c2, c3, c4, c5)"},
		{en, names(48), "48 clusters (c1, c2, c3 and 45 more)"},
		{en, []string{"a\x1b[2J"}, `1 cluster (a\x1b[2J)`},
		{ja, names(1), "クラスター 1 個 (c1)"},
		{ja, names(48), "クラスター 48 個 (c1, c2, c3 ほか 45 個)"},
	} {
		if got := clusters(c.tr, c.names); got != c.want {
			t.Errorf("%d names: %q, want %q", len(c.names), got, c.want)
		}
	}
}
