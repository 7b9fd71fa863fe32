package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/catalog"
	"github.com/ks-doctor/ks-doctor/internal/shell"
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
	// Additive (schema 1): how the match was made and what the decoders read.
	Layer   string `json:"layer"`             // exact | class | fallback
	Service string `json:"service,omitempty"` // iks, vpc, iam, softlayer, …
	Status  int    `json:"status,omitempty"`  // HTTP status
	Code    string `json:"code,omitempty"`    // the error code
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
			Excerpt: h.Excerpt, Layer: h.Layer, Service: h.Service, Status: h.Status, Code: h.Code})
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
	// The values come from the paste: each fills one quoted word.
	vals := make(map[string]string, len(h.Params))
	for k, v := range h.Params {
		vals[k] = shell.Quote(v)
	}
	fix := h.Entry.FixWith(vals)
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
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Message:"), Safe(h.Excerpt))
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Matched by:"), t.why(h))
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Cause:"), cause(t.T, e))
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Who acts:"), t.T.T("actor."+e.Actor))
		if fix := fixOf(h); len(fix) > 0 {
			fmt.Fprintf(&b, "%s%s\n", pad, t.T.T("Fix:"))
			for _, cmd := range fix {
				fmt.Fprintf(&b, "%s  %s\n", pad, t.paint(Safe(cmd), color.FgYellow, color.Bold))
			}
		} else {
			fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Fix:"), t.T.T("The documentation gives no command for this error; follow the cause above or open a support case."))
		}
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Docs:"), e.Doc)
	}
	_, err := io.WriteString(t.W, b.String())
	return err
}

// why says which layer matched and on what evidence, e.g. "the classifier, from service VPC
// Infrastructure Services, HTTP 403, code not_authorized".
func (t Text) why(h catalog.Hit) string {
	layer := t.T.T("explain.layer." + h.Layer)
	var ev []string
	if h.Service != "" {
		ev = append(ev, t.T.T("explain.service", map[string]any{"Service": t.T.T("explain.service." + h.Service)}))
	}
	if h.Status != 0 {
		ev = append(ev, t.T.T("explain.status", map[string]any{"Status": h.Status}))
	}
	if h.Code != "" {
		ev = append(ev, t.T.T("explain.code", map[string]any{"Code": Safe(h.Code)}))
	}
	if len(ev) == 0 {
		return layer
	}
	return t.T.T("explain.why", map[string]any{"Layer": layer, "Evidence": strings.Join(ev, t.T.T("explain.list-sep"))})
}

type entryDoc struct {
	ID      string   `json:"id"`
	Topic   string   `json:"topic"`
	Title   string   `json:"title"`
	Cause   string   `json:"cause,omitempty"`
	Actor   string   `json:"actor,omitempty"`
	Fix     []string `json:"fix,omitempty"`
	Doc     string   `json:"doc,omitempty"`
	Class   bool     `json:"class,omitempty"`
	Codes   []string `json:"codes,omitempty"`
	Sources []string `json:"sources,omitempty"`
}

// EntryJSON writes `explain ENTRY_ID --output json`: {schemaVersion, entry: {id, topic, title, cause, actor, fix, doc, class, codes, sources}}.
func EntryJSON(w io.Writer, tr *i18n.Translator, e catalog.Entry) error {
	return writeJSON(w, struct {
		SchemaVersion string   `json:"schemaVersion"`
		Entry         entryDoc `json:"entry"`
	}{SchemaVersion, entryDoc{ID: e.ID, Topic: e.Topic, Title: e.Title(tr.Lang()), Cause: cause(tr, e), Actor: e.Actor,
		Fix: e.Fix, Doc: e.Doc, Class: e.Class, Codes: e.Codes, Sources: e.Sources}})
}

// EntriesJSON writes `explain --list --output json`: {schemaVersion, entries: [{id, topic, title}]}.
func EntriesJSON(w io.Writer, tr *i18n.Translator, es []catalog.Entry) error {
	doc := struct {
		SchemaVersion string     `json:"schemaVersion"`
		Entries       []entryDoc `json:"entries"`
	}{SchemaVersion: SchemaVersion, Entries: []entryDoc{}}
	for _, e := range es {
		doc.Entries = append(doc.Entries, entryDoc{ID: e.ID, Topic: e.Topic, Title: e.Title(tr.Lang()), Class: e.Class})
	}
	return writeJSON(w, doc)
}

// Entry writes one catalog entry, for `explain ENTRY_ID`.
func (t Text) Entry(e catalog.Entry) error {
	var b strings.Builder
	const pad = "    "
	fmt.Fprintf(&b, "%s %s\n", t.paint("●", color.FgCyan, color.Bold), t.paint(e.Title(t.T.Lang()), color.Bold))
	fmt.Fprintf(&b, "%s%s %s (%s)\n", pad, t.T.T("Entry:"), e.ID, e.Topic)
	if e.Class {
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Matched by:"), t.T.T("explain.layer.class"))
	}
	if len(e.Codes) > 0 {
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("explain.codes"), strings.Join(e.Codes, ", "))
	}
	fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Cause:"), cause(t.T, e))
	fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Who acts:"), t.T.T("actor."+e.Actor))
	if len(e.Fix) > 0 {
		fmt.Fprintf(&b, "%s%s\n", pad, t.T.T("Fix:"))
		for _, cmd := range e.Fix {
			fmt.Fprintf(&b, "%s  %s\n", pad, t.paint(cmd, color.FgYellow, color.Bold))
		}
	}
	fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("Docs:"), e.Doc)
	for _, s := range e.Sources {
		fmt.Fprintf(&b, "%s%s %s\n", pad, t.T.T("explain.source"), s)
	}
	_, err := io.WriteString(t.W, b.String())
	return err
}

// Entries lists the catalog, one entry a line: id, topic, title.
func (t Text) Entries(es []catalog.Entry) error {
	var b strings.Builder
	w := 0
	for _, e := range es {
		w = max(w, len(e.ID))
	}
	for _, e := range es {
		fmt.Fprintf(&b, "%-*s  %-24s  %s\n", w, e.ID, e.Topic, e.Title(t.T.Lang()))
	}
	_, err := io.WriteString(t.W, b.String())
	return err
}
