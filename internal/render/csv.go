package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteCSV writes doc as --format csv does (the report's tables/*.csv
// use it, so that every CSV of ccstudy follows one rule).
func WriteCSV(w io.Writer, doc *Document) error { return writeCSV(w, doc) }

// writeComments writes lines as "# " comment lines (a line break inside
// a line starts another comment line) and then a blank line.
func writeComments(w io.Writer, lines []string) error {
	if len(lines) == 0 {
		return nil
	}
	var b strings.Builder
	for _, l := range lines {
		for _, part := range strings.Split(strings.TrimRight(l, "\n"), "\n") {
			if part == "" {
				b.WriteString("#\n")
				continue
			}
			b.WriteString("# " + part + "\n")
		}
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// TableNames lists the names of doc's tables in order.
func TableNames(doc *Document) []string {
	names := make([]string, len(doc.Tables))
	for i, t := range doc.Tables {
		names[i] = t.Name
	}
	return names
}

// UnknownTableError is returned by SelectTable for a name the document
// has no table of; Names lists the ones it has.
type UnknownTableError struct {
	Name  string
	Names []string
}

func (e *UnknownTableError) Error() string {
	if len(e.Names) == 0 {
		return fmt.Sprintf("--table %s: this output has no tables", e.Name)
	}
	return fmt.Sprintf("--table %s: no such table (expected one of %s)", e.Name, strings.Join(e.Names, ", "))
}

// SelectTable returns a copy of doc holding only its first table named
// name (the Preamble kept, the notes of other tables dropped), with the
// JSON replaced by that table's tidy rows (Records), so that every format
// shows the one table.
func SelectTable(doc *Document, name string) (*Document, error) {
	for _, t := range doc.Tables {
		if t.Name == name {
			return &Document{Preamble: doc.Preamble, Tables: []Table{t}, JSON: Records(t), Synthetic: doc.Synthetic}, nil
		}
	}
	return nil, &UnknownTableError{Name: name, Names: TableNames(doc)}
}

// Records returns the tidy (CSV) form of t as one JSON object per row,
// keyed by the CSV column names in order. A column whose every cell is a
// number, "", NA, Inf or -Inf (IsNumericColumn) holds numbers, with null
// for "" and NA and the strings "Inf"/"-Inf" for the infinities, as
// jsonlite writes them; "true"/"false" columns hold booleans; the others
// hold strings.
func Records(t Table) []OrderedRecord {
	cols, rows := t.RawColumns, t.RawRows
	if cols == nil {
		cols, rows = t.Columns, t.Rows
	}
	kind := make([]byte, len(cols))
	for j := range cols {
		col := make([]string, 0, len(rows))
		for _, r := range rows {
			if j < len(r) {
				col = append(col, r[j])
			}
		}
		switch {
		case IsNumericColumn(col):
			kind[j] = 'n'
		case isBoolColumn(col):
			kind[j] = 'b'
		default:
			kind[j] = 's'
		}
	}
	out := make([]OrderedRecord, len(rows))
	for i, r := range rows {
		rec := OrderedRecord{Keys: cols, Values: make([]any, len(cols))}
		for j := range cols {
			cell := ""
			if j < len(r) {
				cell = r[j]
			}
			rec.Values[j] = typedCell(kind[j], cell)
		}
		out[i] = rec
	}
	return out
}

func typedCell(kind byte, cell string) any {
	switch kind {
	case 'n':
		if cell == "" || cell == "NA" {
			return nil
		}
		x, _ := strconv.ParseFloat(cell, 64)
		if math.IsInf(x, 0) {
			return cell // jsonlite's "Inf"/"-Inf"
		}
		return x
	case 'b':
		if cell == "" {
			return nil
		}
		return cell == "true"
	}
	return cell
}

// IsNumericColumn reports whether every cell parses as a number (or is
// "", NA, Inf or -Inf, as R's read.csv reads a numeric column) and at
// least one is a number.
func IsNumericColumn(cells []string) bool {
	seen := false
	for _, c := range cells {
		switch c {
		case "", "NA":
			continue
		case "Inf", "-Inf":
			seen = true
			continue
		}
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			return false
		}
		seen = true
	}
	return seen
}

func isBoolColumn(cells []string) bool {
	seen := false
	for _, c := range cells {
		switch c {
		case "":
		case "true", "false":
			seen = true
		default:
			return false
		}
	}
	return seen
}

// OrderedRecord is one table row as a JSON object whose keys keep the
// table's column order (a Go map would sort them).
type OrderedRecord struct {
	Keys   []string
	Values []any
}

// MarshalJSON writes the keys in order; "<" and "&" stay as they are,
// as WriteJSON writes them.
func (r OrderedRecord) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, k := range r.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
		b.WriteByte(':')
		if err := enc.Encode(r.Values[i]); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
