package render

import (
	"io"
	"strings"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

type checkEntry struct {
	ID       string   `json:"id"`
	Category string   `json:"category"`
	Title    string   `json:"title"`
	Seed     string   `json:"seed"`
	Scope    []string `json:"scope"`
	Reads    []string `json:"reads"`
	Doc      string   `json:"doc"`
}

func scopes(s diag.Scope) []string {
	var out []string
	if s&diag.ClusterScope != 0 {
		out = append(out, "cluster")
	}
	if s&diag.CreateScope != 0 {
		out = append(out, "create")
	}
	return out
}

// ChecksJSON writes the `checks --output json` document.
func ChecksJSON(w io.Writer, tr *i18n.Translator, checks []diag.Check) error {
	doc := struct {
		SchemaVersion string       `json:"schemaVersion"`
		Checks        []checkEntry `json:"checks"`
	}{SchemaVersion: SchemaVersion, Checks: []checkEntry{}}
	for _, c := range checks {
		doc.Checks = append(doc.Checks, checkEntry{ID: c.ID, Category: c.Category, Title: tr.T("check." + c.ID + ".title"),
			Seed: c.Seed, Scope: scopes(c.Scope), Reads: c.Reads, Doc: c.Doc})
	}
	return writeJSON(w, doc)
}

// Checks writes the check catalog as a table.
func (t Text) Checks(checks []diag.Check) error {
	rows := [][]string{{t.T.T("ID"), t.T.T("Category"), t.T.T("Title"), t.T.T("Reads")}}
	for _, c := range checks {
		rows = append(rows, []string{c.ID, c.Category, t.T.T("check." + c.ID + ".title"), strings.Join(c.Reads, ", ")})
	}
	return t.table(t.W, rows)
}
