package commands

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

// explain needs no session: it runs with no plugin context at all.
func explain(t *testing.T, locale, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		T: i18n.New(locale)}
	err := Execute(env, append([]string{"explain"}, args...))
	return out.String(), errb.String(), diag.ExitCode(err)
}

const terraformPaste = `2026-11-20T10:12:01Z [ERROR] provider.ibm: worker pool resize failed
│ Error: Request failed with status code: 409, ServerErrorResponse: {"incidentID":"9b8fd6b3-bd93-4449-90df-1f28ef7ff303","code":"E0051","description":"The user credentials could not be found.","type":"General"}
kube-c5r0bqmd0l1sq0c4e3gg-mycluster-default-00000123  critical  'classic' infrastructure exception: incorrect account for worker - The 'classic' infrastructure user credentials changed and no longer match the worker node instance infrastructure account.
`

func TestExplainGolden(t *testing.T) {
	for _, v := range []struct {
		name, locale string
		args         []string
		stdin        string
		code         int
	}{
		{"explain-paste-en", i18n.English, nil, terraformPaste, 0},
		{"explain-paste-ja", i18n.Japanese, nil, terraformPaste, 0},
		{"explain-paste-json", i18n.English, []string{"--output", "json"}, terraformPaste, 0},
		{"explain-arg-en", i18n.English, []string{"Could not obtain network VLAN with ID: 1234."}, "", 0},
		{"explain-nomatch-en", i18n.English, []string{"everything", "is", "fine"}, "", 1},
		{"explain-nomatch-ja", i18n.Japanese, []string{"everything", "is", "fine"}, "", 1},
		{"explain-nomatch-json", i18n.English, []string{"--output", "json", "everything is fine"}, "", 1},
		{"explain-empty-ja", i18n.Japanese, nil, "  \n", 2},
	} {
		stdout, stderr, code := explain(t, v.locale, v.stdin, v.args...)
		if code != v.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", v.name, code, v.code, stdout, stderr)
		}
		golden(t, v.name, stdout, stderr, code)
	}
}

func TestExplainJSONFindsEachError(t *testing.T) {
	stdout, _, _ := explain(t, i18n.English, terraformPaste, "--output", "json")
	var doc struct {
		Matches []struct{ Entry, Topic string }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range doc.Matches {
		ids = append(ids, m.Entry)
	}
	if len(ids) < 2 || ids[0] != "E-no-credentials-set" || !strings.Contains(strings.Join(ids, ","), "E-orphan-incorrect-account") {
		t.Errorf("matches %v", ids)
	}
}

// explain ENTRY_ID shows the entry explain prints; --list lists them all; both in JSON too.
func TestExplainEntryAndList(t *testing.T) {
	out, _, code := explain(t, i18n.English, "", "E-could-not-place-order")
	if code != 0 || !strings.Contains(out, "E-could-not-place-order (capacity_order)") || !strings.Contains(out, "Docs: https://") {
		t.Errorf("entry: exit %d\n%s", code, out)
	}
	out, _, code = explain(t, i18n.Japanese, "", "c-permission-vpc", "--output", "json")
	var one struct {
		Entry struct {
			ID, Topic, Title string
			Class            bool
			Sources          []string
		}
	}
	if err := json.Unmarshal([]byte(out), &one); err != nil || code != 0 || one.Entry.ID != "C-permission-vpc" || !one.Entry.Class ||
		!strings.Contains(one.Entry.Title, "VPC インフラストラクチャー") || len(one.Entry.Sources) == 0 {
		t.Errorf("entry json: exit %d %v\n%s", code, err, out)
	}
	out, _, code = explain(t, i18n.English, "", "--list", "--output", "json")
	var all struct {
		Entries []struct{ ID, Topic, Title string }
	}
	if err := json.Unmarshal([]byte(out), &all); err != nil || code != 0 || len(all.Entries) < 90 {
		t.Fatalf("list json: exit %d %v", code, err)
	}
	out, _, _ = explain(t, i18n.English, "", "--list")
	if strings.Count(out, "\n") != len(all.Entries) || !strings.Contains(out, "E-vlan-not-found") {
		t.Errorf("list text:\n%s", out)
	}
	if _, _, code := explain(t, i18n.English, "", "--list", "some message"); code != 2 {
		t.Errorf("--list with a message: exit %d", code)
	}
}

// Input past the limit is cut, and explain says so on stderr in the user's language.
func TestExplainTruncates(t *testing.T) {
	defer func(l int) { explainLimit = l }(explainLimit)
	explainLimit = 1 << 20
	paste := "Could not obtain network VLAN with ID: 1234.\n" + strings.Repeat("x", 1<<20)
	out, stderr, code := explain(t, i18n.Japanese, paste)
	if code != 0 || !strings.Contains(out, "E-vlan-not-found") || !strings.Contains(stderr, "1 MiB") || !strings.Contains(stderr, "入力") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	if _, stderr, _ := explain(t, i18n.English, paste[:1<<20]); stderr != "" {
		t.Errorf("input at the limit: %q", stderr)
	}
}

// The second layer in explain's own words: which layer matched and why, in both languages.
func TestExplainSaysWhy(t *testing.T) {
	vpc := `{"errors":[{"code":"not_authorized","message":"The request is not authorized.","more_info":"https://cloud.ibm.com/docs/vpc?topic=vpc-rias-error-messages#not_authorized"}],"trace":"e3574c09","status_code":403}`
	out, _, code := explain(t, i18n.English, vpc)
	if code != 0 || !strings.Contains(out, "C-permission-vpc") ||
		!strings.Contains(out, "Matched by: the classifier (service, status, code family, wording), from service VPC Infrastructure Services, HTTP 403, code not_authorized") {
		t.Errorf("en:\n%s", out)
	}
	out, _, _ = explain(t, i18n.Japanese, vpc)
	if !strings.Contains(out, "一致の根拠: サービス VPC インフラストラクチャー・サービス、HTTP 403、コード not_authorized に基づく分類器") {
		t.Errorf("ja:\n%s", out)
	}
	out, _, _ = explain(t, i18n.English, vpc, "--output", "json")
	if !strings.Contains(out, `"layer": "class"`) || !strings.Contains(out, `"service": "vpc"`) || !strings.Contains(out, `"status": 403`) {
		t.Errorf("json:\n%s", out)
	}
}

// Any bytes, any size: bounded, no panic.
func TestTableExplainHostileInput(t *testing.T) {
	heavyTable(t)
	big := strings.Repeat("\xff\x00'classic' infrastructure exception: ", 100000)
	if _, _, code := explain(t, i18n.English, big); code != 0 && code != 1 {
		t.Errorf("exit %d", code)
	}
}

// FuzzExplain feeds arbitrary bytes to explain on standard input, in both
// output formats: no panic, exit 0 or 1, and JSON output always parses.
func FuzzExplain(f *testing.F) {
	f.Add([]byte(terraformPaste), false)
	f.Add([]byte("{\"code\":\"E0051\""), true)
	f.Add([]byte("\xff\xfe'\u201cclassic\u201d' infrastructure exception: <ID>"), false)
	f.Fuzz(func(t *testing.T, in []byte, asJSON bool) {
		if len(strings.TrimSpace(string(in))) == 0 {
			return // empty input is a usage error, tested above
		}
		args := []string{}
		if asJSON {
			args = append(args, "--output", "json")
		}
		stdout, _, code := explain(t, i18n.English, string(in), args...)
		if code != 0 && code != 1 {
			t.Fatalf("exit %d for %q", code, in)
		}
		if asJSON && !json.Valid([]byte(stdout)) {
			t.Fatalf("invalid JSON for %q: %s", in, stdout)
		}
	})
}
