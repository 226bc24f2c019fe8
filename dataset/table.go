// Package dataset holds the Table Schema, the schema-driven loader, the
// validation of case-control data, the encoding of tables into design
// matrices and the simulation of the synthetic reference study.
//
// It never prints and never opens files: callers hand it readers and
// byte slices, so the same code serves files, standard input and the
// embedded reference data.
package dataset

import "math"

// Table is a loaded, validated data file: one Column per schema field,
// in schema order, all of the same length.
type Table struct {
	// Source names where the data came from ("embedded", a path, or "-").
	Source string `json:"path"`
	// SHA256 is the hex digest of the raw bytes that were read.
	SHA256 string `json:"sha256"`
	// Schema is the schema the table was read with.
	Schema *Schema `json:"-"`
	// Columns follow the schema's field order.
	Columns []*Column `json:"-"`
	// Lines holds, for each row, its line number in the source file
	// (the header is line 1), so later errors can name the row.
	Lines []int `json:"-"`
	// Warnings are problems that did not stop loading (ignored extra
	// columns, an unexpected case/control count).
	Warnings []string `json:"warnings,omitempty"`
}

// Column is one field's values. Numeric, year, boolean and integer
// fields fill Num; categorical fields fill Num with the 0-based index of
// the category (schema order, so 0 is the reference level); plain string
// fields fill Str. Missing values are NaN in Num and "" in Str, with
// Missing[i] set.
type Column struct {
	Field   *Field
	Num     []float64
	Str     []string
	Missing []bool
}

// NRows returns the number of data rows.
func (t *Table) NRows() int { return len(t.Lines) }

// Col returns the column called name.
func (t *Table) Col(name string) (*Column, bool) {
	for _, c := range t.Columns {
		if c.Field.Name == name {
			return c, true
		}
	}
	return nil, false
}

// IsMissing reports whether row i of c is missing.
func (c *Column) IsMissing(i int) bool { return c.Missing[i] }

// Level returns the category code of row i of a categorical column, or
// "" when missing.
func (c *Column) Level(i int) string {
	if c.Missing[i] || !c.Field.IsCategorical() {
		return ""
	}
	return c.Field.Categories[int(c.Num[i])].Name()
}

// Value returns row i as text as it would be written back to a CSV
// (category values, integers without a decimal point).
func (c *Column) Value(i int) string {
	if c.Missing[i] {
		return ""
	}
	switch {
	case c.Field.IsCategorical():
		return c.Field.Categories[int(c.Num[i])].Value
	case c.Str != nil:
		return c.Str[i]
	}
	return formatNumber(c.Num[i], c.Field.Type)
}

// CountMissing returns how many rows of c are missing.
func (c *Column) CountMissing() int {
	n := 0
	for _, m := range c.Missing {
		if m {
			n++
		}
	}
	return n
}

// Subset returns a new table with only the given rows (indices into t),
// in that order. Columns are copied, so the result is independent of t.
func (t *Table) Subset(rows []int) *Table {
	out := &Table{Source: t.Source, SHA256: t.SHA256, Schema: t.Schema, Lines: make([]int, len(rows))}
	for k, r := range rows {
		out.Lines[k] = t.Lines[r]
	}
	for _, c := range t.Columns {
		nc := &Column{Field: c.Field, Missing: make([]bool, len(rows))}
		if c.Num != nil {
			nc.Num = make([]float64, len(rows))
		}
		if c.Str != nil {
			nc.Str = make([]string, len(rows))
		}
		for k, r := range rows {
			nc.Missing[k] = c.Missing[r]
			if c.Num != nil {
				nc.Num[k] = c.Num[r]
			}
			if c.Str != nil {
				nc.Str[k] = c.Str[r]
			}
		}
		out.Columns = append(out.Columns, nc)
	}
	return out
}

var nan = math.NaN()
