// Package render turns a command's result into one of the output formats
// every ccstudy command supports: an aligned text table, CSV, JSON or
// Markdown. Commands build a Document once; the format is the user's
// choice, so every command behaves the same way in every format.
package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter/renderer"
)

// Formats lists the supported output formats.
var Formats = []string{"table", "csv", "json", "markdown", "html", "latex", "docx", "xlsx"}

// Table is one rectangular result, already formatted as text for people.
type Table struct {
	// Name identifies the table in file names (tables/NAME.csv).
	Name string
	// Title is shown above the table in text and Markdown.
	Title   string
	Columns []string
	Rows    [][]string
	// Notes are printed under the table: test rules, warnings, footnotes.
	Notes []string
	// RawColumns and RawRows, when set, replace Columns and Rows in CSV
	// output: full-precision numbers in their own columns for scripts,
	// where the text table shows "2.31 (1.10, 4.86)".
	RawColumns []string
	RawRows    [][]string
	// Kinds, when set, has one entry per row of Rows and marks a journal
	// table's variable header rows and the level rows beneath them:
	// every writer typesets them (indent, bold) in its own way.
	Kinds []RowKind
}

// Document is everything a command outputs.
type Document struct {
	// Preamble lines come before the tables in text and Markdown (for
	// example the synthetic-data notice).
	Preamble []string
	Tables   []Table
	// Epilogue lines come after the tables in text and Markdown.
	Epilogue []string
	// JSON is the machine-readable result (the command's JSON contract);
	// it keeps full precision, unlike the text tables.
	JSON any
	// Synthetic is the synthetic-data notice when the data are synthetic
	// ("" for a user's data). JSON output then carries "synthetic": true
	// and "notice" at its top level (see WithSynthetic), so the label
	// travels with the numbers as the Preamble does in the other formats.
	Synthetic string
}

// CheckFormat returns an error naming the valid formats.
func CheckFormat(f string) error {
	for _, v := range Formats {
		if f == v {
			return nil
		}
	}
	return fmt.Errorf("unknown format %q (expected one of %s)", f, strings.Join(Formats, ", "))
}

// Write renders doc in format to w.
func Write(w io.Writer, format string, doc *Document) error {
	switch format {
	case "json":
		v, err := WithSynthetic(doc.JSON, doc.Synthetic)
		if err != nil {
			return err
		}
		return WriteJSON(w, v)
	case "csv":
		return writeCSV(w, doc)
	case "markdown":
		return writeMarkdown(w, doc)
	case "table":
		return writeText(w, doc)
	case "html":
		return WriteHTML(w, doc)
	case "latex":
		return WriteLatex(w, doc)
	case "docx":
		return WriteDocx(w, doc)
	case "xlsx":
		return WriteXLSX(w, doc)
	}
	return CheckFormat(format)
}

// WithSynthetic returns v with "synthetic": true and "notice" as the
// first keys of its JSON object when notice is not empty (a key v already
// has is kept as it is); v itself when notice is empty or v's JSON is not
// an object (the rows of one --table, an array, stay an array).
func WithSynthetic(v any, notice string) (any, error) {
	if notice == "" {
		return v, nil
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, v); err != nil {
		return nil, err
	}
	b := bytes.TrimSpace(buf.Bytes())
	if len(b) == 0 || b[0] != '{' {
		return v, nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteByte('{')
	if _, ok := keys["synthetic"]; !ok {
		out.WriteString(`"synthetic":true,`)
	}
	if _, ok := keys["notice"]; !ok {
		n, err := json.Marshal(notice)
		if err != nil {
			return nil, err
		}
		out.WriteString(`"notice":` + string(n) + ",")
	}
	rest := bytes.TrimSpace(b[1:])
	if len(keys) == 0 {
		out.Truncate(out.Len() - 1) // no comma before the closing brace
	}
	out.Write(rest)
	return json.RawMessage(out.Bytes()), nil
}

// WriteJSON writes v as indented JSON with a trailing newline. HTML
// escaping is off so "<" in labels survives for scripts.
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	var uv *json.UnsupportedValueError
	if errors.As(err, &uv) {
		// Non-finite numbers: encode them as jsonlite does.
		b, err := marshalJSON(v)
		if err != nil {
			return err
		}
		buf.Reset()
		if err := json.Indent(&buf, b, "", "  "); err != nil {
			return err
		}
		buf.WriteByte('\n')
	} else if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// writeCSV writes the document as tidy CSV that R's
// read.csv(comment.char = "#") and pandas' read_csv(comment="#") read:
// the Preamble (the synthetic-data notice) as "# " comment lines and a
// blank line, then every table as a "# name" line, its CSV block and a
// blank line, then the Epilogue as "# " lines. One table reads as is;
// several split on the blank lines (README, "CSV output").
func writeCSV(w io.Writer, doc *Document) error {
	if err := writeComments(w, doc.Preamble); err != nil {
		return err
	}
	for _, t := range doc.Tables {
		if err := WriteTableCSV(w, t, true, false); err != nil {
			return err
		}
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
	}
	if len(doc.Epilogue) == 0 {
		return nil
	}
	return writeComments(w, doc.Epilogue)
}

// WriteTableCSV writes one table as CSV (RawColumns/RawRows when set),
// optionally with a blank line before it and a "# name" comment line.
// A cell holding "#" is quoted, so that no reader takes it for a comment.
func WriteTableCSV(w io.Writer, t Table, named, blankBefore bool) error {
	if blankBefore {
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
	}
	if named {
		if _, err := fmt.Fprintf(w, "# %s\n", t.Name); err != nil {
			return err
		}
	}
	cols, rows := t.RawColumns, t.RawRows
	if cols == nil {
		cols, rows = t.Columns, t.Rows
	}
	if err := writeRecord(w, cols); err != nil {
		return err
	}
	for _, r := range rows {
		if err := writeRecord(w, r); err != nil {
			return err
		}
	}
	return nil
}

// writeRecord writes one CSV record as encoding/csv quotes it, with one
// addition: a cell holding the comment character "#" is quoted too.
// read.csv(comment.char = "#") would otherwise drop the rest of the line
// (it honours "#" inside quotes), and Go's csv.Reader with Comment '#'
// a line whose first cell starts with it.
func writeRecord(w io.Writer, rec []string) error {
	var line bytes.Buffer
	for i, cell := range rec {
		if i > 0 {
			line.WriteByte(',')
		}
		var one bytes.Buffer
		cw := csv.NewWriter(&one)
		if err := cw.Write([]string{cell}); err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		q := strings.TrimSuffix(one.String(), "\n")
		if strings.Contains(cell, "#") && !strings.HasPrefix(q, `"`) {
			q = `"` + strings.ReplaceAll(cell, `"`, `""`) + `"`
		}
		line.WriteString(q)
	}
	line.WriteByte('\n')
	_, err := w.Write(line.Bytes())
	return err
}

// writeMarkdown writes doc as Markdown that pandoc and CommonMark read as
// meant: every heading, table and paragraph is a block with a blank line
// before and after it, and each preamble, note and epilogue line is a
// paragraph of its own (consecutive lines would merge into one).
func writeMarkdown(w io.Writer, doc *Document) error {
	var b strings.Builder
	for _, l := range doc.Preamble {
		b.WriteString(l + "\n\n")
	}
	for _, t := range doc.Tables {
		if t.Title != "" {
			fmt.Fprintf(&b, "### %s\n\n", t.Title)
		}
		if err := renderTable(&b, markdownLevels(t), renderer.NewMarkdown()); err != nil {
			return err
		}
		b.WriteString("\n")
		for _, n := range t.Notes {
			fmt.Fprintf(&b, "%s\n\n", n)
		}
	}
	for _, l := range doc.Epilogue {
		b.WriteString(l + "\n\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Num formats a number for CSV at full precision (shortest round-trip
// form), "" for nil, and Inf/-Inf/NA as R writes them.
func Num(x *float64) string {
	if x == nil {
		return ""
	}
	return FormatFloat(*x)
}

// FormatFloat formats x at full precision as R's write.csv would read it back.
func FormatFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NA"
	case math.IsInf(x, 1):
		return "Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// indentLevels returns t's rows with the first cell of each level row
// indented, so a plain-text journal table shows which variable a level
// belongs to.
func indentLevels(t Table) [][]string {
	if t.Kinds == nil {
		return t.Rows
	}
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = r
		if i < len(t.Kinds) && t.Kinds[i] == RowLevel && len(r) > 0 {
			rows[i] = append([]string{"  " + r[0]}, r[1:]...)
		}
	}
	return rows
}

// markdownLevels indents the first cell of each level row by four
// no-break spaces and bolds each variable's header label: Markdown
// collapses ordinary leading spaces, so pandoc and GitHub would show the
// levels flush with their variable.
func markdownLevels(t Table) Table {
	if t.Kinds == nil {
		return t
	}
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = r
		if i >= len(t.Kinds) || len(r) == 0 || r[0] == "" {
			continue
		}
		switch t.Kinds[i] {
		case RowLevel:
			rows[i] = append([]string{"\u00a0\u00a0\u00a0\u00a0" + r[0]}, r[1:]...)
		case RowHeader:
			rows[i] = append([]string{"**" + r[0] + "**"}, r[1:]...)
		}
	}
	t.Rows, t.Kinds = rows, nil
	return t
}
