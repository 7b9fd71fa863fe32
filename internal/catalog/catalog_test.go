package catalog

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

var (
	idRE   = regexp.MustCompile(`^[EWIC]-[a-z0-9]+(-[a-z0-9]+)*$`)
	topics = map[string]bool{
		"credentials_permissions": true, "api_key_owner": true, "resource_group_mismatch": true, "orphaned_cluster": true,
		"totp_paid_account": true, "vpe_endpoint": true, "vlan_invalid": true, "bare_metal_id_changed": true,
		"firewall_worker_comm": true, "capacity_order": true, "location_invalid": true, "ordering_prohibited": true,
		"registry_role": true, "iam_token_exchange": true, "worker_state_critical": true, "worker_state": true, "unknown_other": true,
		// kubectl with the kubeconfig of `ibmcloud ks cluster config` (seed 001, the in-cluster checks).
		"cluster_access": true, "kubectl_skew": true,
	}
)

// Templates compile lazily in production; here every one must compile.
func TestCatalogCompiles(t *testing.T) {
	m, err := build(load().entries)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range m.templates {
		if _, err := regexp.Compile(tp.expr); err != nil {
			t.Errorf("%s: %v", tp.src, err)
		}
		if tp.filter == "" {
			t.Errorf("%s: no filter word", tp.src)
		}
	}
}

func TestParity(t *testing.T) {
	es := Entries()
	if len(es) < 50 {
		t.Fatalf("only %d entries", len(es))
	}
	seen := map[string]bool{}
	for _, e := range es {
		if !idRE.MatchString(e.ID) || seen[strings.ToLower(e.ID)] {
			t.Errorf("bad or duplicate id %q", e.ID)
		}
		seen[strings.ToLower(e.ID)] = true
		if !topics[e.Topic] {
			t.Errorf("%s: topic %q", e.ID, e.Topic)
		}
		if e.Actor != "user" && e.Actor != "account-owner" {
			t.Errorf("%s: actor %q", e.ID, e.Actor)
		}
		if !strings.HasPrefix(e.Doc, "https://cloud.ibm.com/docs/containers?topic=containers-") {
			t.Errorf("%s: doc %q", e.ID, e.Doc)
		}
		if len(e.Patterns)+len(e.regex)+len(e.Codes) == 0 && e.state == "" && !e.Class {
			t.Errorf("%s: nothing to match", e.ID)
		}
		if e.Class != strings.HasPrefix(e.ID, "C-") || e.Class && len(e.Sources) == 0 {
			t.Errorf("%s: a class entry has a C- id and cites its sources", e.ID)
		}
		for _, lang := range []string{"en", "ja"} {
			if e.Title(lang) == "" || e.Cause(lang) == "" {
				t.Errorf("%s: empty %s text", e.ID, lang)
			}
		}
		for name, tx := range map[string]text{"title": e.title, "cause": e.cause, "note": e.note} {
			if (tx.En == "") != (tx.Ja == "") {
				t.Errorf("%s: %s has only one language", e.ID, name)
			}
			if tx.Ja != "" && !strings.ContainsFunc(tx.Ja, func(r rune) bool { return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) }) {
				t.Errorf("%s: %s ja is not Japanese: %q", e.ID, name, tx.Ja)
			}
			// Its words: i18n/glossary.json (TestGlossary reads this catalog).
		}
		for _, cmd := range e.Fix {
			if !strings.HasPrefix(cmd, "ibmcloud ") && !strings.HasPrefix(cmd, "kubectl ") {
				t.Errorf("%s: fix is not a command: %q", e.ID, cmd)
			}
		}
	}
}

func TestLookupAndText(t *testing.T) {
	e, ok := Lookup("e-orphan-incorrect-account")
	if !ok || e.Topic != "orphaned_cluster" || e.Doc != "https://cloud.ibm.com/docs/containers?topic=containers-cluster_infra_errors#orphaned" {
		t.Fatalf("lookup: %+v", e)
	}
	if !strings.Contains(e.Title("ja_JP"), "孤立") || e.Title("ja-JP") != e.Title("ja") || e.Title("fr_FR") != e.Title("en") || e.Title("jav") != e.Title("en") {
		t.Errorf("languages: %q %q", e.Title("ja"), e.Title("en"))
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("found nope")
	}
	fix := e.FixWith(map[string]string{"region": "us-south", "cluster_name_or_ID": "mycluster"})
	if fix[0] != "ibmcloud ks credential get --region us-south" || e.Fix[0] == fix[0] {
		t.Errorf("FixWith: %v", fix)
	}
	// Callers can't change the catalog through returned slices.
	e.Fix[0] = "changed"
	if again, _ := Lookup(e.ID); again.Fix[0] == "changed" {
		t.Error("Lookup shares its Fix slice")
	}
}
