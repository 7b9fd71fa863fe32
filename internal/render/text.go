package render

import (
	"fmt"
	"github.com/mattn/go-runewidth"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

// Text writes reports for people.
type Text struct {
	W     io.Writer
	T     *i18n.Translator
	Color bool // only on a terminal, and only if the user did not turn it off
	// Width is the terminal's width that tables fit themselves to (their
	// cells wrap inside their columns); 0 (not a terminal) leaves them wide.
	Width int
}

var symbols = map[diag.Status]string{
	diag.OK: "✓", diag.Info: "i", diag.Warn: "!", diag.Fail: "✗", diag.Unknown: "?", diag.Skipped: "-",
}

func (t Text) paint(s string, attrs ...color.Attribute) string {
	if !t.Color {
		return s
	}
	c := color.New(attrs...)
	c.EnableColor() // per value: never touch fatih/color's global NoColor
	return c.Sprint(s)
}

// Failure is s (the CLI's "FAILED") as the CLI paints a failure: red, bold.
func (t Text) Failure(s string) string { return t.paint(s, color.FgRed, color.Bold) }

func (t Text) status(st diag.Status) string {
	sym := symbols[st]
	switch st {
	case diag.OK:
		return t.paint(sym, color.FgGreen, color.Bold)
	case diag.Warn:
		return t.paint(sym, color.FgMagenta, color.Bold)
	case diag.Fail:
		return t.paint(sym, color.FgRed, color.Bold)
	case diag.Unknown:
		return t.paint(sym, color.FgYellow, color.Bold)
	}
	return sym
}

// Check writes a `check` report: a header naming what was checked, findings
// grouped by category in registry order, then the details of every problem
// (cause, who acts, fix commands, doc link) and a summary line; incomplete
// (Ctrl-C, --timeout) adds a line saying the results are partial. Every
// value from IBM Cloud goes through Safe.
func (t Text) Check(r diag.Report, incomplete bool) error {
	var b strings.Builder
	s := r.Facts.Session
	group := t.T.T("(none targeted)")
	if s.ResourceGroup != nil {
		group = Safe(s.ResourceGroup.Name)
	}
	region := Safe(s.Region)
	if region == "" {
		region = t.T.T("(none targeted)")
	}
	fmt.Fprintln(&b, t.T.T("Target: account {{.Account}}, region {{.Region}}, resource group {{.Group}}",
		map[string]any{"Account": Safe(s.AccountName + " (" + MaskAccount(s.AccountID) + ")"), "Region": region, "Group": group}))
	if c, ok := r.Facts.ReadCluster(); ok {
		fmt.Fprintln(&b, t.T.T("Cluster: {{.Name}} ({{.ID}}), {{.Provider}}, region {{.Region}}, resource group {{.Group}}",
			map[string]any{"Name": Safe(c.Name), "ID": Safe(c.ID), "Provider": Safe(c.Provider), "Region": Safe(c.Region), "Group": Safe(c.ResourceGroupName)}))
	}

	t.triage(&b, r)
	category := ""
	for _, f := range r.Findings {
		if f.Category != category {
			category = f.Category
			fmt.Fprintf(&b, "\n%s\n", t.paint(t.T.T("category."+category), color.Bold))
		}
		fmt.Fprintf(&b, "  %s %-24s %s\n", t.status(f.Status), f.Check, t.safeTitle(f))
		switch f.Status {
		case diag.OK:
		case diag.Skipped: // why it did not run is all there is to say
			fmt.Fprintf(&b, "      %s %s\n", t.T.T("Cause:"), t.safeCause(f))
		default:
			t.details(&b, f)
		}
	}

	sum := r.Summary()
	fmt.Fprintf(&b, "\n%s\n", t.T.T("Summary: {{.OK}} ok, {{.Info}} info, {{.Warn}} warn, {{.Fail}} fail, {{.Unknown}} unknown, {{.Skipped}} skipped",
		map[string]any{"OK": sum[diag.OK], "Info": sum[diag.Info], "Warn": sum[diag.Warn], "Fail": sum[diag.Fail],
			"Unknown": sum[diag.Unknown], "Skipped": sum[diag.Skipped]}))
	if incomplete {
		fmt.Fprintf(&b, "%s\n", t.paint(t.T.T("The run was interrupted or ran out of time: these results are incomplete."), color.FgYellow, color.Bold))
	}
	if line := StatusLine(t.T, r); line != "" {
		fmt.Fprintln(&b, line)
	}
	_, err := io.WriteString(t.W, b.String())
	return err
}

func (t Text) details(b *strings.Builder, f diag.Finding) {
	const pad = "      "
	if f.Subject != "" {
		fmt.Fprintf(b, "%s%s %s\n", pad, t.T.T("Subject:"), Safe(f.Subject))
	}
	if f.Raw != "" {
		fmt.Fprintf(b, "%s%s %s\n", pad, t.T.T("Message:"), Safe(f.Raw))
	}
	fmt.Fprintf(b, "%s%s %s\n", pad, t.T.T("Cause:"), t.safeCause(f))
	if f.Actor != "" {
		fmt.Fprintf(b, "%s%s %s\n", pad, t.T.T("Who acts:"), t.T.T("actor."+string(f.Actor)))
	}
	if f.Root != "" {
		fmt.Fprintf(b, "%s%s\n", pad, t.T.T("Same cause as {{.Check}}: its fix comes first.", map[string]any{"Check": f.Root}))
	}
	if len(f.Fix) > 0 {
		fmt.Fprintf(b, "%s%s\n", pad, t.T.T("Fix:"))
		for _, cmd := range f.Fix {
			fmt.Fprintf(b, "%s  %s\n", pad, t.paint(Safe(cmd), color.FgYellow, color.Bold))
		}
	}
	if len(f.Alternative) > 0 {
		fmt.Fprintf(b, "%s%s\n", pad, t.T.T("Or instead:"))
		for _, cmd := range f.Alternative {
			fmt.Fprintf(b, "%s  %s\n", pad, t.paint(Safe(cmd), color.FgYellow, color.Bold))
		}
	}
	if f.Doc != "" {
		fmt.Fprintf(b, "%s%s %s\n", pad, t.T.T("Docs:"), Safe(f.Doc))
	}
}

// triage names, first, the most likely cause and the first thing to do
// (diag.Report.Triage).
func (t Text) triage(b *strings.Builder, r diag.Report) {
	f, ok := r.Triage()
	if !ok {
		return
	}
	fmt.Fprintf(b, "\n%s %s %s: %s\n", t.paint(t.T.T("Most likely cause:"), color.Bold), t.status(f.Status), f.Check, t.safeTitle(f))
	// The first command, and the next one too when the first only targets
	// the region and resource group the rest acts on.
	steps := f.Fix[:min(1, len(f.Fix))]
	if len(f.Fix) > 1 && strings.HasPrefix(f.Fix[0], "ibmcloud target ") {
		steps = f.Fix[:2]
	}
	for i, cmd := range steps {
		label := strings.Repeat(" ", runewidth.StringWidth(t.T.T("First step:")))
		if i == 0 {
			label = t.paint(t.T.T("First step:"), color.Bold)
		}
		fmt.Fprintf(b, "%s %s\n", label, t.paint(Safe(cmd), color.FgYellow, color.Bold))
	}
}
