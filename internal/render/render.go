// Package render writes a diag.Report for people (text, colour only on a
// terminal) and for scripts (JSON, one document, versioned schema). A
// terminal changes the shape of the text, never its content.
package render

import (
	"github.com/ks-doctor/ks-doctor/i18n"
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

// Title and Cause localize a finding's text from its key and params.
func Title(tr *i18n.Translator, f diag.Finding) string { return tr.T(f.Key+".title", params(f)) }
func Cause(tr *i18n.Translator, f diag.Finding) string { return tr.T(f.Key+".cause", params(f)) }

func params(f diag.Finding) map[string]any {
	m := make(map[string]any, len(f.Params))
	for k, v := range f.Params {
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
