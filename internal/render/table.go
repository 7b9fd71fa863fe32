package render

import (
	"io"
	"slices"
	"strings"

	"github.com/fatih/color"
	"github.com/jedib0t/go-pretty/v6/text"
)

// table writes rows as aligned columns. Widths are display widths (a
// Japanese character takes two cells; colour codes take none), which
// text/tabwriter gets wrong. The header row (rows[0]) is bold on a colour
// terminal, as the CLI's own tables have it.
//
// On a terminal (t.Width > 0) a table wider than the terminal narrows its
// widest columns and wraps their cells inside the column, as the CLI's own
// tables do, so that no row breaks across the next column's place. A pipe
// gets every row on one line.
func (t Text) table(w io.Writer, rows [][]string) error {
	if len(rows) > 0 && t.Color {
		head := make([]string, len(rows[0]))
		for i, c := range rows[0] {
			head[i] = t.paint(c, color.Bold)
		}
		rows = append([][]string{head}, rows[1:]...)
	}
	var widths, words []int // each column's width, and its longest word
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths, words = append(widths, 0), append(words, 0)
			}
			widths[i] = max(widths[i], text.RuneWidthWithoutEscSequences(c))
			for _, word := range strings.Fields(c) {
				words[i] = max(words[i], text.RuneWidthWithoutEscSequences(word))
			}
		}
	}
	// Words are kept whole where the table fits that way; else long words
	// (a list of API paths) are cut too, but never those of the first
	// column (check IDs, regions).
	if !fit(widths, words, t.Width) {
		cut := slices.Clone(words)
		for i := 1; i < len(cut); i++ {
			cut[i] = min(cut[i], minColumn)
		}
		fit(widths, cut, t.Width)
	}
	var b strings.Builder
	for _, r := range rows {
		cells := make([][]string, len(r))
		height := 1
		for i, c := range r {
			if text.RuneWidthWithoutEscSequences(c) > widths[i] {
				c = text.WrapSoft(c, widths[i])
			}
			cells[i] = strings.Split(c, "\n")
			height = max(height, len(cells[i]))
		}
		for line := range height {
			var row strings.Builder
			for i, lines := range cells {
				c := ""
				if line < len(lines) {
					c = lines[line]
				}
				row.WriteString(c)
				if i < len(cells)-1 {
					row.WriteString(strings.Repeat(" ", max(0, widths[i]-text.RuneWidthWithoutEscSequences(c))+2))
				}
			}
			line := row.String()
			if height > 1 { // a wrapped row: no padding left at its ends
				line = strings.TrimRight(line, " ")
			}
			b.WriteString(line + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// minColumn is as narrow as a column gets when its words must be cut.
const minColumn = 12

// fit narrows the widest columns, one cell at a time, until the row (with
// two spaces between columns) fits in width, never below a column's
// minimum, and says whether it fits; width 0 leaves them as they are.
func fit(widths, mins []int, width int) bool {
	if width <= 0 {
		return true
	}
	total := 2 * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	for total > width {
		widest := -1
		for i, w := range widths {
			if w > mins[i] && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			return false // every column at its minimum
		}
		widths[widest]--
		total--
	}
	return true
}
