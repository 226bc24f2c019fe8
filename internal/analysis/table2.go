package analysis

import (
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
)

// Kinds of a Table 2 term (TableTerm.Kind).
const (
	// TermNumeric is a numeric variable or log(x): one row.
	TermNumeric = "numeric"
	// TermBinary is a 0/1 (boolean or integer 0/1) variable: one row.
	TermBinary = "binary"
	// TermFactor is a categorical variable: a header row, then one row
	// per level, the reference level first.
	TermFactor = "factor"
	// TermInteraction is an interaction block: a header row, then one
	// row per design column.
	TermInteraction = "interaction"
)

// TableTerm is one term of the adjusted model as a journal Table 2
// lays it out (gtsummary's tbl_regression, Stata's allbaselevels): its
// header row and, for a factor or an interaction, the rows beneath it.
type TableTerm struct {
	// Term is the formula term ("novelty", "log(rd_expenditure)",
	// "novelty:company_type"), Label its display text, Variable the
	// field of a one-variable term ("" for an interaction).
	Term     string
	Label    string
	Variable string
	Kind     string
	// Column is the design column of a one-row term (numeric, binary).
	Column string
	// Levels are the rows beneath a factor's or interaction's header.
	Levels []TableLevel
}

// TableLevel is one row beneath a term's header row.
type TableLevel struct {
	// Column is the design column ("novelty[first_in_class]"); for the
	// reference level of a factor it is "" (no column: OR 1 by
	// definition).
	Column string
	// Level is the category code of a factor's level ("" for an
	// interaction row), Label the row's text: the level's label, or for
	// an interaction the levels (or titles of numeric variables) of its
	// factors joined by " × ".
	Level     string
	Label     string
	Reference bool
	// Estimable is false for a level without rows in the model's sample
	// (left out of the fit, as R's glm).
	Estimable bool
}

// tableLayout lays out the terms of the adjusted model m (fitted on t
// with reference levels ref) as Table 2 rows.
func tableLayout(t *dataset.Table, m *ModelResult, ref map[string]string, lang string) []TableTerm {
	lab := labeler{t.Schema, lang}
	d := m.Design
	if d == nil {
		return nil
	}
	inDesign := map[string]bool{}
	for _, n := range d.Names {
		inDesign[n] = true
	}
	var out []TableTerm
	for g := 1; g < len(d.Groups); g++ {
		group := d.Groups[g]
		tt := TableTerm{Term: group, Label: lab.term(group)}
		var cols []string
		for j, a := range d.Assign {
			if a == g {
				cols = append(cols, d.Names[j])
			}
		}
		vars := termVars(group)
		if len(vars) > 1 {
			tt.Kind = TermInteraction
			for _, c := range cols {
				tt.Levels = append(tt.Levels, TableLevel{Column: c, Label: lab.cellLabel(c), Estimable: true})
			}
			for _, u := range m.Unestimable {
				if len(u.Levels) > 1 && sameVars(u.Levels, vars, t.Schema) {
					tt.Levels = append(tt.Levels, TableLevel{Column: u.Column, Label: lab.cellLabel(u.Column)})
				}
			}
			out = append(out, tt)
			continue
		}
		v, err := dataset.ParseVariable(group)
		var f *dataset.Field
		if err == nil && t.Schema != nil {
			f, _ = t.Schema.Field(v.Name)
		}
		if f != nil {
			tt.Variable = f.Name
		}
		if f == nil || v.Log || !f.IsCategorical() {
			tt.Kind = TermNumeric
			if f != nil && !v.Log && f.IsBinary() {
				tt.Kind = TermBinary
			}
			if len(cols) == 1 {
				tt.Column = cols[0]
			}
			out = append(out, tt)
			continue
		}
		tt.Kind = TermFactor
		refIdx := 0
		if r, ok := ref[f.Name]; ok {
			if k, ok := f.CategoryIndex(r); ok {
				refIdx = k
			}
		}
		order := []int{refIdx}
		for k := range f.Categories {
			if k != refIdx {
				order = append(order, k)
			}
		}
		for _, k := range order {
			c := f.Categories[k]
			lv := TableLevel{Level: c.Name(), Label: c.DisplayLabel(lang), Reference: k == refIdx, Estimable: true}
			if k != refIdx {
				lv.Column = v.String() + "[" + c.Name() + "]"
				lv.Estimable = inDesign[lv.Column]
			}
			tt.Levels = append(tt.Levels, lv)
		}
		out = append(out, tt)
	}
	return out
}

// sameVars reports whether the levels of an unestimable interaction
// cell are of exactly the variables of an interaction term.
func sameVars(levels []dataset.VarLevel, vars []string, s *dataset.Schema) bool {
	if len(levels) != len(vars) {
		return false
	}
	for _, l := range levels {
		found := false
		for _, v := range vars {
			if pv, err := dataset.ParseVariable(v); err == nil && pv.Name == l.Variable {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// cellLabel is the text of one interaction column in its block: each
// factor's level label, or a numeric variable's title, joined by " × "
// ("traditional × first in class"), the variables being named by the
// block's header row. It matches factors as labeler.factors does.
func (l labeler) cellLabel(column string) string {
	if l.schema == nil {
		return column
	}
	var parts []string
	rest := column
	for rest != "" {
		best, bestLabel := 0, ""
		for _, f := range l.schema.Fields {
			for _, lg := range []bool{false, true} {
				v := dataset.Variable{Name: f.Name, Log: lg}.String()
				title := f.DisplayTitle(l.lang)
				if lg {
					title = "log(" + title + ")"
				}
				if f.IsCategorical() && !lg {
					for _, c := range f.Categories {
						p := v + "[" + c.Name() + "]"
						if len(p) > best && factorAt(rest, p) {
							best, bestLabel = len(p), c.DisplayLabel(l.lang)
						}
					}
				}
				if len(v) > best && factorAt(rest, v) {
					best, bestLabel = len(v), title
				}
			}
		}
		if best == 0 {
			return l.term(column)
		}
		parts = append(parts, bestLabel)
		rest = strings.TrimPrefix(rest[best:], ":")
	}
	return strings.Join(parts, " × ")
}
