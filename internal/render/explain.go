package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/catalog"
)

type match struct {
	Entry      string   `json:"entry"`
	Topic      string   `json:"topic"`
	Confidence float64  `json:"confidence"`
	Title      string   `json:"title"`
	Cause      string   `json:"cause"`
	Actor      string   `json:"actor"`
	Fix        []string `json:"fix"`
	Doc        string   `json:"doc"`
	Excerpt    string   `json:"excerpt"`
}

// ExplainJSON writes the `explain --output json` document; matches is []
// when nothing matched.
func ExplainJSON(w io.Writer, tr *i18n.Translator, hits []catalog.Hit) error {
	doc := struct {
		SchemaVersion string  `json:"schemaVersion"`
		Matches       []match `json:"matches"`
	}{SchemaVersion: SchemaVersion, Matches: []match{}}
	for _, h := range hits {
		doc.Matches = append(doc.Matches, match{Entry: h.Entry.ID, Topic: h.Entry.Topic, Confidence: h.Confidence,
			Title: h.Entry.Title(tr.Lang()), Cause: cause(tr, h.Entry), Actor: h.Entry.Actor, Fix: fixOf(h), Doc: h.Entry.Doc,
			Excerpt: h.Excerpt})
	}
	return writeJSON(w, doc)
}

func cause(tr *i18n.Translator, e catalog.Entry) string {
	if n := e.Note(tr.Lang()); n != "" {
		return e.Cause(tr.Lang()) + " " + n
	}
	return e.Cause(tr.Lang())
}

// fixOf fills the placeholders the message itself answered (a worker id,
// a VLAN); the others stay for the user to fill.
func fixOf(h catalog.Hit) []string {
	fix := h.Entry.FixWith(h.Params)
	if fix == nil {
		return []string{}
	}
	return fix
}

// Explain writes one block per known error found in a paste.
func (t Text) Explain(hits []catalog.Hit) error {
	var b strings.Builder
	if len(hits) == 0 {
		fmt.Fprintln(&b, t.T.T("No known error matched. To check a cluster, run 'ibmcloud ks-doctor check -c CLUSTER'."))
		_, err := io.WriteString(t.W, b.String())
		return err
	}
	const pad = "    "
	for i, h := range hits {
		if i > 0 {
			b.WriteString("\n")
		}
		e := h.Entry
		fmt.Fprintf(&b, "%s %s\n", t.paint("●", color.FgRed, color.Bold), t.paint(e.Title(t.T.Lang()), color.Bold))
		fmt.Fprintf(&b, "%s%s %s (%s, %s %.0f%%)\n", pad, t.T.T("Entry:"), e.ID, e.Topic, t.T.T("confidence"), h.Confidence*100)
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Message:"), h.Excerpt)
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Cause:"), cause(t.T, e))
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Who acts:"), t.T.T("actor."+e.Actor))
		if fix := fixOf(h); len(fix) > 0 {
			fmt.Fprintf(&b, "%s%s\n", pad, t.T.T("Fix:"))
			for _, cmd := range fix {
				fmt.Fprintf(&b, "%s  %s\n", pad, t.paint(cmd, color.FgYellow, color.Bold))
			}
		} else {
			fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Fix:"), t.T.T("The documentation gives no command for this error; follow the cause above or open a support case."))
		}
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Docs:"), e.Doc)
	}
	_, err := io.WriteString(t.W, b.String())
	return err
}
