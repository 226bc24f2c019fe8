package render

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/mattn/go-runewidth"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// TextOptions say where the "table" format goes.
type TextOptions struct {
	// TTY is true when the output is a terminal: tables get box-drawing
	// borders. Otherwise (pipes, files, -o) they are plain aligned text
	// with no box characters, which diff, grep and editors read as-is.
	TTY bool
	// Width is the number of display columns available (the terminal's
	// width, or COLUMNS); 0 means unlimited. A table wider than Width
	// has its long cells wrapped; if it still does not fit, each row is
	// shown as a block of "column  value" lines instead.
	Width int
}

// WriteText renders doc as the "table" format with o's terminal settings.
func WriteText(w io.Writer, doc *Document, o TextOptions) error {
	var b strings.Builder
	// Prose lines wrap at spaces to the width too.
	line := func(l string) {
		if o.Width > 0 {
			l = wrapText(l, o.Width)
		}
		b.WriteString(l + "\n")
	}
	for _, l := range doc.Preamble {
		line(l)
	}
	if len(doc.Preamble) > 0 {
		b.WriteString("\n")
	}
	for i, t := range doc.Tables {
		if i > 0 {
			b.WriteString("\n")
		}
		if t.Title != "" {
			line(t.Title)
		}
		var tb strings.Builder
		if err := writeTextTable(&tb, t, o); err != nil {
			return err
		}
		if o.TTY {
			b.WriteString(tb.String())
		} else {
			b.WriteString(trimLineEnds(tb.String()))
		}
		for _, n := range t.Notes {
			line(n)
		}
	}
	if len(doc.Epilogue) > 0 {
		b.WriteString("\n")
	}
	for _, l := range doc.Epilogue {
		line(l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeText is the "table" format of Write: plain text, no width limit
// (what a pipe or a file gets).
func writeText(w io.Writer, doc *Document) error {
	return WriteText(w, doc, TextOptions{})
}

// textRenderer is the tablewriter renderer of the "table" format: light
// box drawing on a terminal, else columns separated by two spaces under a
// header line of dashes.
func textRenderer(tty bool) tw.Renderer {
	if tty {
		return renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight)})
	}
	return renderer.NewBlueprint(tw.Rendition{
		Borders: tw.BorderNone,
		Symbols: tw.NewSymbols(tw.StyleASCII),
		Settings: tw.Settings{
			Separators: tw.Separators{ShowHeader: tw.On, BetweenRows: tw.Off, BetweenColumns: tw.Off},
			Lines:      tw.Lines{ShowTop: tw.Off, ShowBottom: tw.Off, ShowHeaderLine: tw.On},
		},
	})
}

// writeTextTable renders one table within o.Width. In order, the first
// that fits: the table as is; with its headers and text cells wrapped;
// split into groups of columns, each repeating the first column (as R
// prints a wide data frame), with cells wrapped as needed; one block of
// "column  value" lines per row (after one more try with numbers
// wrapped too, for tables of two columns).
func writeTextTable(b *strings.Builder, t Table, o TextOptions) error {
	out, ok, err := fitTable(t, o, false)
	if err != nil {
		return err
	}
	if ok {
		b.WriteString(out)
		return nil
	}
	if groups := columnGroups(t, o); groups != nil {
		for i, g := range groups {
			if i > 0 {
				b.WriteString("\n")
			}
			out, _, err := fitTable(g, o, true)
			if err != nil {
				return err
			}
			b.WriteString(out)
		}
		return nil
	}
	if out, ok, err := fitTable(t, o, true); err != nil || ok {
		b.WriteString(out)
		return err
	}
	return writeRecords(b, t, o)
}

// fitTable renders t as is or with wrapped cells, reporting whether the
// result fits o.Width; breakNumbers allows wrapping inside numeric cells
// (an OR and its interval over two lines), the last resort.
func fitTable(t Table, o TextOptions, breakNumbers bool) (string, bool, error) {
	var out strings.Builder
	if err := renderTable(&out, t, textRenderer(o.TTY)); err != nil {
		return "", false, err
	}
	if o.Width <= 0 || fits(out.String(), o.Width) {
		return out.String(), true, nil
	}
	widths := shrinkWidths(t, o.Width, maxLineWidth(out.String()), breakNumbers)
	if widths == nil {
		return out.String(), false, nil
	}
	out.Reset()
	if err := renderTable(&out, wrapCells(t, widths), textRenderer(o.TTY)); err != nil {
		return "", false, err
	}
	return out.String(), fits(out.String(), o.Width), nil
}

// columnGroups splits t into tables of the first column and as many
// following columns as fit o.Width once wrapped (at least one); nil when
// the first column and one other do not fit.
func columnGroups(t Table, o TextOptions) []Table {
	if len(t.Columns) < 3 {
		return nil
	}
	sub := func(cols []int) Table {
		g := Table{Kinds: t.Kinds}
		for _, j := range cols {
			g.Columns = append(g.Columns, t.Columns[j])
		}
		for _, r := range t.Rows {
			row := make([]string, len(cols))
			for k, j := range cols {
				if j < len(r) {
					row[k] = r[j]
				}
			}
			g.Rows = append(g.Rows, row)
		}
		return g
	}
	// The key columns start every group: the first, and a second one of
	// words (Table 1's level beside its variable).
	keys := []int{0}
	if len(t.Columns) > 3 && textColumn(t, 1) {
		keys = append(keys, 1)
	}
	var groups []Table
	cols := slices.Clone(keys)
	for j := len(keys); j < len(t.Columns); j++ {
		try := append(slices.Clone(cols), j)
		if _, ok, err := fitTable(sub(try), o, false); err == nil && ok {
			cols = try
			continue
		}
		if len(cols) == len(keys) {
			return nil
		}
		groups = append(groups, sub(cols))
		cols = append(slices.Clone(keys), j)
		if _, ok, err := fitTable(sub(cols), o, true); err != nil || !ok {
			return nil
		}
	}
	return append(groups, sub(cols))
}

// writeRecords shows each row as a small two-column table of the table's
// column names and the row's values: the layout of last resort.
func writeRecords(b *strings.Builder, t Table, o TextOptions) error {
	rows := indentLevels(t)
	for i, r := range rows {
		if i > 0 {
			b.WriteString("\n")
		}
		rec := Table{Columns: []string{"", fmt.Sprintf("%d/%d", i+1, len(rows))}}
		for j, c := range t.Columns {
			v := ""
			if j < len(r) {
				v = r[j]
			}
			rec.Rows = append(rec.Rows, []string{c, v})
		}
		out, _, err := fitTable(rec, o, true)
		if err != nil {
			return err
		}
		b.WriteString(out)
	}
	return nil
}

// fits reports whether every line of s is at most width display columns
// (CJK characters count two).
func fits(s string, width int) bool {
	for _, l := range strings.Split(s, "\n") {
		if DisplayWidth(l) > width {
			return false
		}
	}
	return true
}

// trimLineEnds drops the spaces tablewriter pads the last column with:
// plain text goes to files and diffs, where trailing spaces are noise.
func trimLineEnds(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// maxLineWidth is the display width of the widest line of s.
func maxLineWidth(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, DisplayWidth(l))
	}
	return w
}

// minWrapWidth is the narrowest a column is wrapped to: narrower, a
// confidence interval or a label breaks into fragments nobody can read.
const minWrapWidth = 8

// shrinkWidths returns the widths of t's columns that bring a table of
// total width natural (as first rendered) down to width, or nil. Column
// headers wrap first (down to their longest word), then text columns,
// widest first, down to their longest word; with breakNumbers, then any
// column down to its longest word and finally to minWrapWidth.
func shrinkWidths(t Table, width, natural int, breakNumbers bool) []int {
	rows := indentLevels(t)
	n := len(t.Columns)
	w, body, word, hword := make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	letters, cells := make([]int, n), make([]int, n)
	for j, c := range t.Columns {
		w[j] = DisplayWidth(c)
		for _, f := range strings.Fields(c) {
			hword[j] = max(hword[j], DisplayWidth(f))
		}
	}
	for _, r := range rows {
		for j := 0; j < n && j < len(r); j++ {
			body[j] = max(body[j], DisplayWidth(r[j]))
			for _, f := range strings.Fields(r[j]) {
				word[j] = max(word[j], DisplayWidth(f))
			}
			if strings.TrimSpace(r[j]) != "" {
				cells[j]++
				if hasLetter(r[j]) {
					letters[j]++
				}
			}
		}
	}
	// A text column is the first (the terms) or one whose cells are
	// mostly words; "1 (reference)" rows leave a column of ORs numeric.
	text := make([]bool, n)
	for j := range text {
		text[j] = j == 0 || 2*letters[j] > cells[j]
	}
	sum := 0
	for j := range w {
		w[j] = max(w[j], body[j])
		sum += w[j]
	}
	target := width - (natural - sum) // borders and padding stay
	floors := []func(j int) int{
		func(j int) int { return max(body[j], hword[j], minWrapWidth) },
		func(j int) int {
			if !text[j] {
				return w[j]
			}
			return max(word[j], hword[j], minWrapWidth)
		},
	}
	if breakNumbers {
		floors = append(floors,
			func(j int) int { return max(word[j], hword[j], minWrapWidth) },
			func(int) int { return minWrapWidth })
	}
	for _, floor := range floors {
		for sum > target {
			widest := -1
			for j := range w {
				if w[j] > floor(j) && (widest < 0 || w[j] > w[widest]) {
					widest = j
				}
			}
			if widest < 0 {
				break
			}
			w[widest]--
			sum--
		}
	}
	if sum > target {
		return nil
	}
	return w
}

// textColumn reports whether most non-empty cells of column j are words.
func textColumn(t Table, j int) bool {
	letters, cells := 0, 0
	for _, r := range t.Rows {
		if j < len(r) && strings.TrimSpace(r[j]) != "" {
			cells++
			if hasLetter(r[j]) {
				letters++
			}
		}
	}
	return 2*letters > cells
}

// hasLetter reports whether s reads as words rather than a number: more
// letters than digits ("biotech", "1 (reference)"; not "0.597 (df 2)",
// "1.2e-05" or "NA").
func hasLetter(s string) bool {
	letters, digits := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters > digits && s != "NA" && s != "Inf" && s != "-Inf"
}

// wrapCells returns t with every cell (and header) wrapped onto lines of
// at most widths[j] display columns.
func wrapCells(t Table, widths []int) Table {
	out := t
	out.Kinds = nil // the rows below are indented already
	out.Columns = make([]string, len(t.Columns))
	for j, c := range t.Columns {
		out.Columns[j] = wrapText(c, widths[j])
	}
	rows := indentLevels(t)
	out.Rows = make([][]string, len(rows))
	for i, r := range rows {
		out.Rows[i] = make([]string, len(r))
		for j, c := range r {
			if j < len(widths) {
				c = wrapText(c, widths[j])
			}
			out.Rows[i][j] = c
		}
	}
	return out
}

// wrapText breaks s into lines of at most width display columns at
// spaces, cutting a word only when it alone is longer than width. The
// leading indent of a level row is kept.
func wrapText(s string, width int) string {
	if DisplayWidth(s) <= width {
		return s
	}
	indent := s[:len(s)-len(strings.TrimLeft(s, " "))]
	var lines []string
	line := indent
	for _, f := range strings.Fields(s) {
		for DisplayWidth(f) > width-len(indent) {
			if strings.TrimSpace(line) != "" {
				lines = append(lines, line)
				line = indent
			}
			head := runewidth.Truncate(f, width-len(indent), "")
			if head == "" { // a character wider than the column
				head = string([]rune(f)[:1])
			}
			lines = append(lines, indent+head)
			f = f[len(head):]
		}
		switch {
		case f == "":
		case strings.TrimSpace(line) == "":
			line = indent + f
		case DisplayWidth(line)+1+DisplayWidth(f) <= width:
			line += " " + f
		default:
			lines = append(lines, line)
			line = indent + f
		}
	}
	if strings.TrimSpace(line) != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// DisplayWidth is the number of terminal columns s takes.
func DisplayWidth(s string) int { return runewidth.StringWidth(s) }

// renderTable renders t with renderer r; extra options (a maximum width,
// wrapping) come after the defaults and override them.
func renderTable(w io.Writer, t Table, r tw.Renderer, extra ...tablewriter.Option) error {
	opts := append([]tablewriter.Option{
		tablewriter.WithRenderer(r),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithTrimSpace(tw.Off),
	}, extra...)
	tbl := tablewriter.NewTable(w, opts...)
	tbl.Header(t.Columns)
	if err := tbl.Bulk(indentLevels(t)); err != nil {
		return err
	}
	return tbl.Render()
}
