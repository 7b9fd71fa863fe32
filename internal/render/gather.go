package render

import (
	"fmt"
	"io"

	"github.com/ks-doctor/ks-doctor/internal/bundle"
)

// What `gather` prints: a line on stderr when it starts, then the archive's
// path and a summary (text), or the archive and its files (JSON).

// GatherStarted is the line gather writes to stderr before it reads.
func (t Text) GatherStarted(cluster string) error {
	_, err := fmt.Fprintln(t.W, t.T.T("Gathering support information for cluster {{.Cluster}}...", map[string]any{"Cluster": Safe(cluster)}))
	return err
}

// Gather writes the archive's path and how many files it holds, and how
// many of them record a read error. cluster is the cluster's name, or what
// the user asked for when it could not be read.
func (t Text) Gather(dest, cluster string, entries []bundle.Entry) error {
	failed := 0
	for _, e := range entries {
		if e.Status == bundle.StatusError {
			failed++
		}
	}
	data := map[string]any{"Count": len(entries), "Cluster": Safe(cluster), "Failed": failed}
	summary := t.T.T("Gathered {{.Count}} files for cluster {{.Cluster}}. Attach the archive to your IBM Cloud support case.", data)
	if failed > 0 {
		summary = t.T.T("Gathered {{.Count}} files for cluster {{.Cluster}}; {{.Failed}} of them record a read error (see manifest.json). Attach the archive to your IBM Cloud support case.", data)
	}
	_, err := fmt.Fprintf(t.W, "%s\n%s\n", Safe(dest), summary)
	return err
}

type gatherFile struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

type gatherDoc struct {
	SchemaVersion string       `json:"schemaVersion"`
	File          string       `json:"file"`
	Files         []gatherFile `json:"files"`
}

// GatherJSON writes gather's --output json: the archive and every file in
// it, as the manifest lists them.
func GatherJSON(w io.Writer, dest string, entries []bundle.Entry) error {
	doc := gatherDoc{SchemaVersion: SchemaVersion, File: dest, Files: make([]gatherFile, 0, len(entries))}
	for _, e := range entries {
		doc.Files = append(doc.Files, gatherFile{Name: e.Name, Source: e.Source, Bytes: e.Bytes, SHA256: e.SHA256,
			Status: e.Status, Error: e.Error})
	}
	return writeJSON(w, doc)
}
