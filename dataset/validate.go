package dataset

import (
	"fmt"
	"strings"
)

// Field names of the study design that the cross-checks look for. The
// checks run only when a schema has them, so a researcher's own schema
// without these columns is not held to the study's rules.
const (
	fieldCompanyID         = "company_id"
	fieldFirstOverseasYear = "first_overseas_year"
	fieldFoundedYear       = "founded_year"
	fieldOverseasYear      = "overseas_year"
)

// CheckCompanies applies the study's rules across the columns of a
// companies table: first_overseas_year is present for every case, empty
// for every control, and not before founded_year. It checks only what the
// table's schema has: without an outcome field and first_overseas_year
// it returns nil. Problems are collected into a *ValidationError.
func CheckCompanies(t *Table) error {
	if t.Schema == nil {
		return nil
	}
	outcome := t.Schema.Outcome()
	oc, ok1 := t.Col(outcome)
	fo, ok2 := t.Col(fieldFirstOverseasYear)
	if !ok1 || !ok2 {
		return nil
	}
	founded, hasFounded := t.Col(fieldFoundedYear)
	ps := newProblems(t.Source, DefaultMaxProblems)
	for i, line := range t.Lines {
		if oc.Missing[i] {
			continue
		}
		switch {
		case oc.Num[i] == 1 && fo.Missing[i]:
			ps.add(line, fo.Field.Name, 0, "empty for a case (expected the year of the company's first overseas clinical trial, since %s = 1)", outcome)
		case oc.Num[i] == 0 && !fo.Missing[i]:
			ps.add(line, fo.Field.Name, 0, "%s given for a control (expected an empty cell, since %s = 0)", fo.Value(i), outcome)
		case hasFounded && !fo.Missing[i] && !founded.Missing[i] && fo.Num[i] < founded.Num[i]:
			ps.add(line, fo.Field.Name, 0, "%s is before the company was founded in %s (expected %s <= %s)",
				fo.Value(i), founded.Value(i), founded.Field.Name, fo.Field.Name)
		}
	}
	return ps.err()
}

// CheckProducts checks a products table against its companies table:
// every product's company exists in companies and is a case (only cases
// have products abroad), and a product's overseas_year is not before its
// company's first_overseas_year when both are given. The company key is
// the products schema's foreign key (company_id by default). Problems are
// collected into a *ValidationError; a table lacking the needed columns
// is a plain error.
func CheckProducts(companies, products *Table) error {
	if companies.Schema == nil || products.Schema == nil {
		return fmt.Errorf("CheckProducts needs tables read with a schema (use Load)")
	}
	pField, cField := fieldCompanyID, fieldCompanyID
	for _, fk := range products.Schema.ForeignKeys {
		if len(fk.Fields) == 1 && len(fk.Reference.Fields) == 1 {
			pField, cField = fk.Fields[0], fk.Reference.Fields[0]
			break
		}
	}
	pc, ok := products.Col(pField)
	if !ok {
		return fmt.Errorf("%s: no %s column to link products to companies", products.Source, pField)
	}
	cc, ok := companies.Col(cField)
	if !ok {
		return fmt.Errorf("%s: no %s column to link products to companies", companies.Source, cField)
	}
	outcome := companies.Schema.Outcome()
	oc, hasOutcome := companies.Col(outcome)
	fo, hasFO := companies.Col(fieldFirstOverseasYear)
	py, hasPY := products.Col(fieldOverseasYear)

	rowOf := make(map[string]int, companies.NRows())
	for i := range companies.Lines {
		if !cc.Missing[i] {
			rowOf[cc.Value(i)] = i
		}
	}
	ps := newProblems(products.Source, DefaultMaxProblems)
	for i, line := range products.Lines {
		if pc.Missing[i] {
			continue
		}
		id := pc.Value(i)
		c, ok := rowOf[id]
		if !ok {
			ps.add(line, pField, 0, "unknown company %q (not in %s)", id, companies.Source)
			continue
		}
		if hasOutcome && !oc.Missing[c] && oc.Num[c] != 1 {
			ps.add(line, pField, 0, "company %q is a control (%s = %s at %s:%d), but only cases have products abroad (expected a company with %s = 1)",
				id, outcome, oc.Value(c), companies.Source, companies.Lines[c], outcome)
			continue
		}
		if hasFO && hasPY && !fo.Missing[c] && !py.Missing[i] && py.Num[i] < fo.Num[c] {
			ps.add(line, py.Field.Name, 0, "%s is before the first overseas trial of company %q (%s %s at %s:%d; expected %s or later)",
				py.Value(i), id, fo.Field.Name, fo.Value(c), companies.Source, companies.Lines[c], fo.Value(c))
		}
	}
	return ps.err()
}

// Summary describes a loaded table: its size, the case/control split and
// the missing values per column.
type Summary struct {
	Rows int `json:"rows"`
	// Outcome, Cases and Controls are omitted when the schema marks no outcome.
	Outcome  string `json:"outcome,omitempty"`
	Cases    *int   `json:"cases,omitempty"`
	Controls *int   `json:"controls,omitempty"`
	// Missing follows the schema's field order.
	Missing  []MissingCount `json:"missing"`
	Warnings []string       `json:"warnings,omitempty"`
}

// MissingCount is the number of missing cells in one column.
type MissingCount struct {
	Column  string `json:"column"`
	Missing int    `json:"missing"`
}

// Summarize counts rows, cases, controls and missing values of t.
func Summarize(t *Table) Summary {
	s := Summary{Rows: t.NRows(), Missing: make([]MissingCount, 0, len(t.Columns)), Warnings: t.Warnings}
	if t.Schema != nil {
		if oc, ok := t.Col(t.Schema.Outcome()); ok {
			cases, controls := countOutcome(oc)
			s.Outcome, s.Cases, s.Controls = oc.Field.Name, &cases, &controls
		}
	}
	for _, c := range t.Columns {
		s.Missing = append(s.Missing, MissingCount{Column: c.Field.Name, Missing: c.CountMissing()})
	}
	return s
}

// DataInfo is the "data" object every command prints, so a result can be
// traced to the exact bytes and rows it came from.
type DataInfo struct {
	// Path is the file read, or "embedded" for the built-in data.
	Path     string `json:"path"`
	SHA256   string `json:"sha256"`
	RowsRead int    `json:"rows_read"`
	// RowsUsed and Excluded are filled by the analysis that drops rows
	// (for instance rows with a missing covariate).
	RowsUsed int         `json:"rows_used"`
	Excluded []Exclusion `json:"excluded"`
}

// NewDataInfo describes t with every row used.
func NewDataInfo(t *Table) DataInfo {
	path := t.Source
	if path == "" || strings.HasPrefix(path, "embedded") {
		path = "embedded"
	}
	return DataInfo{Path: path, SHA256: t.SHA256, RowsRead: t.NRows(), RowsUsed: t.NRows(), Excluded: []Exclusion{}}
}

// Exclude records that the row at file line row was left out, and why.
func (d *DataInfo) Exclude(row int, reason string) {
	d.Excluded = append(d.Excluded, Exclusion{Row: row, Reason: reason})
	d.RowsUsed--
}
