package refstudy

import (
	"fmt"

	"github.com/ccstudy/ccstudy/dataset"
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
// it returns nil. Problems are collected into a *dataset.ValidationError.
func CheckCompanies(t *dataset.Table) error {
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
	ps := dataset.NewProblems(t.Source)
	for i, line := range t.Lines {
		if oc.Missing[i] {
			continue
		}
		switch {
		case oc.Num[i] == 1 && fo.Missing[i]:
			ps.Add(line, fo.Field.Name, "empty for a case (expected the year of the company's first overseas clinical trial, since %s = 1)", outcome)
		case oc.Num[i] == 0 && !fo.Missing[i]:
			ps.Add(line, fo.Field.Name, "%s given for a control (expected an empty cell, since %s = 0)", fo.Value(i), outcome)
		case hasFounded && !fo.Missing[i] && !founded.Missing[i] && fo.Num[i] < founded.Num[i]:
			ps.Add(line, fo.Field.Name, "%s is before the company was founded in %s (expected %s <= %s)",
				fo.Value(i), founded.Value(i), founded.Field.Name, fo.Field.Name)
		}
	}
	return ps.Err()
}

// CheckProducts checks a products table against its companies table:
// every product's company exists in companies and is a case (only cases
// have products abroad), and a product's overseas_year is not before its
// company's first_overseas_year when both are given. The company key is
// the products schema's foreign key (company_id by default). Problems are
// collected into a *dataset.ValidationError; a table lacking the needed columns
// is a plain error.
func CheckProducts(companies, products *dataset.Table) error {
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
	ps := dataset.NewProblems(products.Source)
	for i, line := range products.Lines {
		if pc.Missing[i] {
			continue
		}
		id := pc.Value(i)
		c, ok := rowOf[id]
		if !ok {
			ps.Add(line, pField, "unknown company %q (not in %s)", id, companies.Source)
			continue
		}
		if hasOutcome && !oc.Missing[c] && oc.Num[c] != 1 {
			ps.Add(line, pField, "company %q is a control (%s = %s at %s:%d), but only cases have products abroad (expected a company with %s = 1)",
				id, outcome, oc.Value(c), companies.Source, companies.Lines[c], outcome)
			continue
		}
		if hasFO && hasPY && !fo.Missing[c] && !py.Missing[i] && py.Num[i] < fo.Num[c] {
			ps.Add(line, py.Field.Name, "%s is before the first overseas trial of company %q (%s %s at %s:%d; expected %s or later)",
				py.Value(i), id, fo.Field.Name, fo.Value(c), companies.Source, companies.Lines[c], fo.Value(c))
		}
	}
	return ps.Err()
}
