package render

import (
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

func TestFold(t *testing.T) {
	for _, c := range []struct {
		name, line, want string
		width            int
	}{
		{"short", "  ✓ session.login   Logged in", "  ✓ session.login   Logged in", 40},
		{"title under title", "  ✗ apikey.owner   The API key owner is no longer a member of the account", "" +
			"  ✗ apikey.owner   The API key owner is\n" +
			"                   no longer a member of\n" +
			"                   the account", 40},
		{"cause under its label", "      Cause: IKS uses the API key of a user who left the account", "" +
			"      Cause: IKS uses the API key of a\n" +
			"             user who left the account", 40},
		{"command never folded", "        ibmcloud ks api-key reset --region us-south --resource-group team-a", "        ibmcloud ks api-key reset --region us-south --resource-group team-a", 40},
		{"triage step never folded", "First step: ibmcloud ks api-key reset --region us-south --resource-group team-a", "First step: ibmcloud ks api-key reset --region us-south --resource-group team-a", 40},
		{"long word kept", "      Docs: https://cloud.ibm.com/docs/containers?topic=containers-debug_worker_nodes", "      Docs: https://cloud.ibm.com/docs/containers?topic=containers-debug_worker_nodes", 40},
		{"japanese", "      原因: ワーカー・ノードをプロビジョン、デプロイ、または再ロードできませんでした。", "" +
			"      原因: ワーカー・ノードをプロビジョ\n" +
			"            ン、デプロイ、または再ロード\n" +
			"            できませんでした。", 40},
		{"colour codes take no cells", "  \x1b[31;1m✗\x1b[0m apikey.owner   The API key owner is no longer a member", "" +
			"  \x1b[31;1m✗\x1b[0m apikey.owner   The API key owner is\n" +
			"                   no longer a member", 40},
	} {
		got := fold(c.line, c.width)
		if got != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.name, got, c.want)
		}
		if !command.MatchString(strings.TrimSpace(c.line)) && !strings.Contains(c.line, "http") && !strings.Contains(c.line, "First step") {
			for _, l := range strings.Split(got, "\n") {
				if w := runewidth.StringWidth(ansi.ReplaceAllString(l, "")); w > c.width {
					t.Errorf("%s: %q is %d cells wide", c.name, l, w)
				}
			}
		}
	}
}

// On a terminal, a table too wide for it wraps its cells inside their
// columns: every line fits, the first column's IDs are never cut, and no
// word of any cell is lost. Without a width (a pipe), rows stay whole.
func TestTableFitsTheTerminal(t *testing.T) {
	var wide, piped strings.Builder
	checks := diag.All
	if err := (Text{W: &wide, T: i18n.New(i18n.English), Width: 80, Color: true}).Checks(checks); err != nil {
		t.Fatal(err)
	}
	if err := (Text{W: &piped, T: i18n.New(i18n.English)}).Checks(checks); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(wide.String(), "\n"), "\n")
	for _, l := range lines {
		if w := runewidth.StringWidth(ansi.ReplaceAllString(l, "")); w > 80 {
			t.Errorf("%d columns: %q", w, l)
		}
	}
	for _, c := range checks {
		if !strings.Contains(wide.String(), c.ID+" ") {
			t.Errorf("check ID %s was cut", c.ID)
		}
	}
	words := func(s string) string { return strings.Join(strings.Fields(ansi.ReplaceAllString(s, "")), "") }
	if len(words(wide.String())) != len(words(piped.String())) {
		t.Errorf("the wrapped table lost or gained text:\n%s", wide.String())
	}
	if n := strings.Count(piped.String(), "\n"); n != len(checks)+1 {
		t.Errorf("piped: %d lines for %d checks", n, len(checks))
	}
}
