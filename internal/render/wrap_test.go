package render

import (
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
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
