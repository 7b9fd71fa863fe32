package render

import (
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

func TestStatusLine(t *testing.T) {
	tr := i18n.New("en_US")
	ok := diag.Report{Findings: []diag.Finding{{Status: diag.OK}, {Status: diag.Warn}}}
	if got := StatusLine(tr, ok); got != "" {
		t.Errorf("no failure, yet %q", got)
	}
	failed := diag.Report{Findings: []diag.Finding{{Status: diag.OK}, {Status: diag.Fail}}}
	if got := StatusLine(tr, failed); !strings.Contains(got, StatusPage) {
		t.Errorf("a failure without the status page: %q", got)
	}
}
