// Package render writes a diag.Report for people (text, colour only on a
// terminal) and for scripts (JSON, one document, versioned schema). A
// terminal changes the shape of the text, never its content.
package render

import (
	"github.com/fatih/color"
	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/catalog"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

// SchemaVersion of every JSON document ks-doctor prints. Additive changes
// keep it; anything else bumps it.
const SchemaVersion = "1"

// Plugin identifies the program in JSON output.
type Plugin struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Title and Cause localize a finding's text from its key and params; a
// finding matched to the known-error catalog takes the catalog entry's text,
// which carries both languages itself. They keep the params as IBM Cloud
// sent them (for JSON); text output uses the safe forms below.
func Title(tr *i18n.Translator, f diag.Finding) string {
	return findingTitle(tr, f, templateData(f.Params, nil))
}

func Cause(tr *i18n.Translator, f diag.Finding) string {
	return findingCause(tr, f, templateData(f.Params, nil))
}

// safeTitle and safeCause are Title and Cause with every param made Safe
// before it enters the template: a cluster or worker name from IBM Cloud
// reaches the terminal only through Safe. On a colour terminal the names
// of things (cluster, pool, worker, account…) are painted as the CLI paints
// entity names: cyan, bold.
func (t Text) safeTitle(f diag.Finding) string {
	return findingTitle(t.T, f, t.params(f))
}

func (t Text) safeCause(f diag.Finding) string {
	return findingCause(t.T, f, t.params(f))
}

// entityParams are the params that name a thing in IBM Cloud.
var entityParams = map[string]bool{
	"cluster": true, "pool": true, "worker": true, "node": true, "group": true, "account": true,
	"otherAccount": true, "owner": true, "zone": true, "vlan": true,
}

func (t Text) params(f diag.Finding) map[string]any {
	m := templateData(f.Params, Safe)
	if t.Color {
		for k, v := range m {
			if s, ok := v.(string); ok && entityParams[k] && s != "" {
				m[k] = t.paint(s, color.FgCyan, color.Bold)
			}
		}
	}
	return m
}

func findingTitle(tr *i18n.Translator, f diag.Finding, ps map[string]any) string {
	if e, ok := entry(f); ok {
		return tr.T(f.Key+".title", ps) + ": " + e.Title(tr.Lang())
	}
	return tr.T(f.Key+".title", ps)
}

func findingCause(tr *i18n.Translator, f diag.Finding, ps map[string]any) string {
	if e, ok := entry(f); ok {
		if note := e.Note(tr.Lang()); note != "" {
			return e.Cause(tr.Lang()) + " " + note
		}
		return e.Cause(tr.Lang())
	}
	return tr.T(f.Key+".cause", ps)
}

func entry(f diag.Finding) (catalog.Entry, bool) {
	if f.Catalog == "" {
		return catalog.Entry{}, false
	}
	return catalog.Lookup(f.Catalog)
}

// templateData is the values of a message template, each through clean
// when there is one (Safe, for text).
func templateData(ps map[string]string, clean func(string) string) map[string]any {
	m := make(map[string]any, len(ps))
	for k, v := range ps {
		if clean != nil {
			v = clean(v)
		}
		m[k] = v
	}
	return m
}

// MaskAccount keeps enough of an account id to recognise it and no more: the
// output is pasted into tickets and chats.
func MaskAccount(id string) string {
	if len(id) <= 8 {
		return id
	}
	return id[:4] + "…" + id[len(id)-4:]
}
