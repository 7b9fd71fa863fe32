package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Row is one measured run.
type Row struct {
	Case       string         `json:"case"`
	Variant    string         `json:"variant"`
	Requests   int            `json:"requests"`
	Rounds     int            `json:"sequentialRoundTrips"`
	WallMs     float64        `json:"wallMs"`
	RSSKiB     int64          `json:"peakRssKiB,omitempty"`
	BoundMs    float64        `json:"lowerBoundMs"`
	BoundWhy   string         `json:"lowerBound"`
	Note       string         `json:"note,omitempty"`
	Correct    *bool          `json:"correct,omitempty"`
	ExitCode   int            `json:"exitCode"`
	Modelled   bool           `json:"extrapolated,omitempty"`
	Throttled  int            `json:"throttled429,omitempty"`
	PerService map[string]int `json:"perService,omitempty"`
}

// printTable writes the rows as the table `make bench` shows.
func printTable(w io.Writer, rows []Row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "case\tvariant\trequests\tround trips\twall\tpeak RSS\tlower bound\twall / bound\tnote")
	for _, r := range rows {
		rss := "-"
		if r.RSSKiB > 0 {
			rss = fmt.Sprintf("%.1f MB", float64(r.RSSKiB)/1024)
		}
		ratio := "-"
		if r.BoundMs > 0 {
			ratio = fmt.Sprintf("%.2fx", r.WallMs/r.BoundMs)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f ms\t%s\t%.0f ms (%s)\t%s\t%s\n", r.Case, r.Variant, r.Requests, r.Rounds, r.WallMs, rss, r.BoundMs, r.BoundWhy, ratio, r.Note)
	}
	tw.Flush()
}
