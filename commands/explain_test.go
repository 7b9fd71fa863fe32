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

// Any bytes, any size: bounded, no panic.
func TestExplainHostileInput(t *testing.T) {
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
