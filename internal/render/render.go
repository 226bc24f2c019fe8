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
var Formats = []string{"table", "csv", "json", "markdown"}

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
		return WriteJSON(w, doc.JSON)
	case "csv":
		return writeCSV(w, doc)
	case "markdown":
		return writeMarkdown(w, doc)
	case "table":
		return writeText(w, doc)
	}
	return CheckFormat(format)
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

// writeCSV writes each table with its header. Several tables are
// separated by a blank line and introduced by a "# name" comment line,
// which R's read.csv(comment.char = "#") and pandas (comment="#") skip.
func writeCSV(w io.Writer, doc *Document) error {
	for i, t := range doc.Tables {
		if err := WriteTableCSV(w, t, len(doc.Tables) > 1, i > 0); err != nil {
			return err
		}
	}
	return nil
}

// WriteTableCSV writes one table as CSV, optionally with a comment line
// naming it and a blank line before it.
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
	cols, rows := t.Columns, t.Rows
	if t.RawColumns != nil {
		cols, rows = t.RawColumns, t.RawRows
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func writeMarkdown(w io.Writer, doc *Document) error {
	var b strings.Builder
	for _, l := range doc.Preamble {
		b.WriteString(l + "\n")
	}
	if len(doc.Preamble) > 0 {
		b.WriteString("\n")
	}
	for _, t := range doc.Tables {
		if t.Title != "" {
			fmt.Fprintf(&b, "### %s\n\n", t.Title)
		}
		if err := renderTable(&b, t, renderer.NewMarkdown()); err != nil {
			return err
		}
		b.WriteString("\n")
		for _, n := range t.Notes {
			fmt.Fprintf(&b, "%s\n", n)
		}
		if len(t.Notes) > 0 {
			b.WriteString("\n")
		}
	}
	for _, l := range doc.Epilogue {
		b.WriteString(l + "\n")
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
