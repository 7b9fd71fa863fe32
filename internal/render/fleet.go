package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/diag"
)

// Fleet writes `check --all-clusters`: one summary row per cluster (its
// counts per status and its worst finding), then the whole report of every
// cluster that has a failure or could not be decided.
func (t Text) Fleet(reports []diag.Report, incomplete bool) error {
	var b strings.Builder
	T := t.T.T
	if len(reports) == 0 {
		fmt.Fprintln(&b, T("No clusters found in the checked regions and resource groups."))
	} else {
		rows := [][]string{{T("Cluster"), T("Region"), T("Resource group"), "ok", "info", "warn", "fail", "unknown", "skipped", T("Worst finding")}}
		for _, r := range reports {
			c, _ := r.Facts.ReadCluster()
			name := c.Name
			if name == "" {
				name = r.Facts.ClusterQuery
			}
			sum := r.Summary()
			row := []string{Safe(name), Safe(c.Region), Safe(c.ResourceGroupName)}
			for _, st := range []diag.Status{diag.OK, diag.Info, diag.Warn, diag.Fail, diag.Unknown, diag.Skipped} {
				row = append(row, strconv.Itoa(sum[st]))
			}
			row = append(row, t.worst(r))
			rows = append(rows, row)
		}
		if err := t.table(&b, rows); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(t.W, b.String()); err != nil {
		return err
	}
	for _, r := range reports {
		sum := r.Summary()
		if sum[diag.Fail] == 0 && sum[diag.Unknown] == 0 {
			continue
		}
		if _, err := io.WriteString(t.W, "\n"); err != nil {
			return err
		}
		if err := t.Check(r, incomplete); err != nil {
			return err
		}
	}
	if incomplete && len(reports) == 0 {
		_, err := fmt.Fprintln(t.W, t.paint(T("The run was interrupted or ran out of time: these results are incomplete.")))
		return err
	}
	return nil
}

// worst is the first finding of the worst status: its check and title.
func (t Text) worst(r diag.Report) string {
	rank := map[diag.Status]int{diag.Fail: 5, diag.Unknown: 4, diag.Warn: 3, diag.Info: 2, diag.Skipped: 1, diag.OK: 0}
	var w *diag.Finding
	for i, f := range r.Findings {
		if w == nil || rank[f.Status] > rank[w.Status] {
			w = &r.Findings[i]
		}
	}
	if w == nil || w.Status == diag.OK || w.Status == diag.Skipped || w.Status == diag.Info {
		return "-"
	}
	return t.status(w.Status) + " " + w.Check + ": " + t.safeTitle(*w)
}
