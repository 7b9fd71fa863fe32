package render

import (
	"encoding/json"
	"io"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

type group struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type target struct {
	Account string `json:"account"` // masked, as the text shows it
	// AccountID is the account in full, for scripts and IBM support; an
	// account ID is no secret, and "account" stays masked for those who
	// paste the JSON where the text would go.
	AccountID     string `json:"accountId"`
	Region        string `json:"region"`
	ResourceGroup *group `json:"resourceGroup"`
}

type cluster struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Provider      string `json:"provider"`
	Region        string `json:"region"`
	ResourceGroup group  `json:"resourceGroup"`
}

type summary struct {
	OK      int `json:"ok"`
	Info    int `json:"info"`
	Warn    int `json:"warn"`
	Fail    int `json:"fail"`
	Unknown int `json:"unknown"`
	Skipped int `json:"skipped"`
}

type finding struct {
	Check      string            `json:"check"`
	Category   string            `json:"category"`
	Status     diag.Status       `json:"status"`
	Title      string            `json:"title"`
	Cause      string            `json:"cause"`
	Actor      diag.Actor        `json:"actor,omitempty"`
	Fix        []string          `json:"fix"`
	Steps      []step            `json:"steps"` // fix, command by command: its kind and who runs it
	Doc        string            `json:"doc"`
	Subject    string            `json:"subject,omitempty"`
	Subjects   []string          `json:"subjects,omitempty"` // the same, one by one
	Raw        string            `json:"raw,omitempty"`
	Catalog    string            `json:"catalog,omitempty"`
	Params     map[string]string `json:"params"`
	DurationMs int64             `json:"durationMs"`
	Evidence   []evidence        `json:"evidence"`
	// RootCause is the check whose failing finding is this one's cause
	// (its fix comes first); absent when there is none.
	RootCause string `json:"rootCause,omitempty"`
}

// step is one command of a fix: "target", "check" (only reads) or "do".
type step struct {
	Kind    string     `json:"kind"`
	Command string     `json:"command"`
	Actor   diag.Actor `json:"actor"`
}

// triage is the most likely cause and the first thing to do.
type triage struct {
	Check     string `json:"check"`
	Title     string `json:"title"`
	FirstStep string `json:"firstStep"`
}

// evidence is one read a finding rests on and whether it answered in full
// for this caller (SPEC: the evidence rule).
type evidence struct {
	Read     string `json:"read"`
	Complete bool   `json:"complete"`
}

type checkDoc struct {
	SchemaVersion string    `json:"schemaVersion"`
	Plugin        Plugin    `json:"plugin"`
	Target        target    `json:"target"`
	Cluster       *cluster  `json:"cluster"`
	Summary       summary   `json:"summary"`
	Findings      []finding `json:"findings"`
	Triage        *triage   `json:"triage"`
	Incomplete    bool      `json:"incomplete"` // Ctrl-C or --timeout cut the reads short
}

// CheckJSON writes the `check --output json` document. Human text is in the
// translator's locale; keys, ids and statuses never are. incomplete says the
// reads were cut short (Ctrl-C, --timeout).
func CheckJSON(w io.Writer, tr *i18n.Translator, p Plugin, r diag.Report, incomplete bool) error {
	return writeJSON(w, checkDocOf(tr, p, r, incomplete))
}

// FleetJSON writes the `check --all-clusters --output json` document: one
// check document per cluster, in cluster name order.
func FleetJSON(w io.Writer, tr *i18n.Translator, p Plugin, s facts.Session, reports []diag.Report, incomplete bool) error {
	doc := struct {
		SchemaVersion string     `json:"schemaVersion"`
		Plugin        Plugin     `json:"plugin"`
		Target        target     `json:"target"`
		Clusters      []checkDoc `json:"clusters"`
		Incomplete    bool       `json:"incomplete"`
	}{SchemaVersion: SchemaVersion, Plugin: p, Target: targetOf(s), Clusters: []checkDoc{}, Incomplete: incomplete}
	for _, r := range reports {
		doc.Clusters = append(doc.Clusters, checkDocOf(tr, p, r, incomplete))
	}
	return writeJSON(w, doc)
}

func checkDocOf(tr *i18n.Translator, p Plugin, r diag.Report, incomplete bool) checkDoc {
	s := r.Facts.Session
	doc := checkDoc{SchemaVersion: SchemaVersion, Plugin: p,
		Target:   targetOf(s),
		Findings: []finding{}, Incomplete: incomplete}
	if c, ok := r.Facts.ReadCluster(); ok {
		doc.Cluster = &cluster{ID: c.ID, Name: c.Name, Provider: c.Provider, Region: c.Region,
			ResourceGroup: group{ID: c.ResourceGroupID, Name: c.ResourceGroupName}}
	}
	sum := r.Summary()
	doc.Summary = summary{sum[diag.OK], sum[diag.Info], sum[diag.Warn], sum[diag.Fail], sum[diag.Unknown], sum[diag.Skipped]}
	for _, f := range r.Findings {
		fix := f.Fix
		if fix == nil {
			fix = []string{}
		}
		ps := f.Params
		if ps == nil {
			ps = map[string]string{}
		}
		steps := []step{}
		for _, s := range f.Steps() {
			steps = append(steps, step{Kind: s.Kind, Command: s.Command, Actor: s.Actor})
		}
		doc.Findings = append(doc.Findings, finding{Check: f.Check, Category: f.Category, Status: f.Status,
			Title: Title(tr, f), Cause: Cause(tr, f), Actor: f.Actor, Fix: fix, Steps: steps, Doc: f.Doc,
			Subject: f.Subject, Subjects: f.Subjects(), Raw: f.Raw, Catalog: f.Catalog, Params: ps, DurationMs: f.Duration.Milliseconds(),
			Evidence: evidenceOf(f), RootCause: f.Root})
	}
	if f, ok := r.Triage(); ok {
		doc.Triage = &triage{Check: f.Check, Title: Title(tr, f)}
		if len(f.Fix) > 0 {
			doc.Triage.FirstStep = f.Fix[0]
		}
	}
	return doc
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // commands contain < and >; keep them copy-pasteable
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func evidenceOf(f diag.Finding) []evidence {
	out := make([]evidence, 0, len(f.Evidence))
	for _, e := range f.Evidence {
		out = append(out, evidence{Read: string(e.Read), Complete: e.Complete})
	}
	return out
}
