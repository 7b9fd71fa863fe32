package render

import (
	"io"
	"strings"

	"github.com/fatih/color"
	"github.com/jedib0t/go-pretty/v6/text"
)

// table writes rows as aligned columns. Widths are display widths (a
// Japanese character takes two cells; colour codes take none), which
// text/tabwriter gets wrong. The CLI SDK's own table wraps to the terminal
// width read from stdin, which would make output depend on where it runs.
//
// The header row (rows[0]) is bold on a colour terminal, as the CLI's own
// tables have it.
func (t Text) table(w io.Writer, rows [][]string) error {
	if len(rows) > 0 && t.Color {
		head := make([]string, len(rows[0]))
		for i, c := range rows[0] {
			head[i] = t.paint(c, color.Bold)
		}
		rows = append([][]string{head}, rows[1:]...)
	}
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], text.RuneWidthWithoutEscSequences(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-text.RuneWidthWithoutEscSequences(c)+2))
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
