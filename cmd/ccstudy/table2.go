package main

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/logit"
)

// table2Columns are the tidy CSV columns of Table 2: one row per model
// and coefficient (reference levels included, with estimate 0 and odds
// ratio 1 as broom.helpers' tidy_add_reference_rows), broom's names,
// numbers at full precision.
var table2Columns = []string{"model", "term", "variable", "level", "label", "reference", "n", "n_events",
	"estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high", "odds_ratio", "or_conf_low", "or_conf_high",
	"lr_p_value", "per", "odds_ratio_per", "or_conf_low_per", "or_conf_high_per", "separated"}

// table2Numeric are the columns of table2Columns that hold numbers.
var table2Numeric = []string{"n", "n_events", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high",
	"odds_ratio", "or_conf_low", "or_conf_high", "lr_p_value", "per", "odds_ratio_per", "or_conf_low_per", "or_conf_high_per"}

// table2Builder collects Table 2's rows, its tidy rows and the tests its
// p-values are.
type table2Builder struct {
	res         *analysis.LogitResult
	lang        string
	ci          logit.CI
	crude       map[string]logit.Term
	crudeModel  map[string]*analysis.ModelResult
	crudeByTerm map[string]*analysis.ModelResult
	failed      map[string]analysis.ModelFailure
	pn          pNotes
	globalNote  bool
	globalFirth bool
	globalFail  []string
	perNotes    []string
	tb          render.Table
}

// journalTable2 is Table 2 as journals print it (gtsummary's
// tbl_regression with add_global_p, Stata's allbaselevels): a header row
// per variable with its title; a factor's levels beneath it, the
// reference level as "1 (reference)" with "—" for its p-values; a 0/1
// or numeric variable on one row; an interaction as a block of its
// level combinations; the likelihood-ratio p of a multi-level factor or
// interaction block (type II) on its header row.
func journalTable2(res *analysis.LogitResult, level float64, ci logit.CI) render.Table {
	lang := res.Lang
	b := &table2Builder{res: res, lang: lang, ci: ci, crude: map[string]logit.Term{}, crudeModel: map[string]*analysis.ModelResult{},
		crudeByTerm: map[string]*analysis.ModelResult{}, failed: map[string]analysis.ModelFailure{}}
	for _, m := range res.Crude {
		b.crudeByTerm[strings.TrimPrefix(m.Name, "univariable:")] = m
		for _, t := range m.Terms {
			b.crude[t.Term], b.crudeModel[t.Term] = t, m
		}
	}
	for _, f := range res.Failures {
		b.failed[f.Term] = f
	}
	pct := levelPercent(level)
	outcome := res.OutcomeLabel
	if outcome == "" {
		outcome = res.Outcome
	}
	pv := i18n.T(lang, "p-value")
	b.tb = render.Table{Name: "table2", Title: i18n.Tf(lang, "Table 2. Crude and adjusted odds ratios of %s", outcome),
		Columns:    []string{i18n.T(lang, "Characteristic"), i18n.Tf(lang, "Crude OR (%s CI)", pct), pv, i18n.Tf(lang, "Adjusted OR (%s CI)", pct), pv},
		RawColumns: table2Columns}
	multi := res.Adjusted
	adjTerms := map[string]logit.Term{}
	for _, t := range multi.Terms {
		adjTerms[t.Term] = t
	}
	for _, tt := range res.Layout {
		cm := b.crudeByTerm[tt.Term]
		switch tt.Kind {
		case analysis.TermNumeric, analysis.TermBinary:
			label := tt.Label
			if p, ok := multi.PerOf(tt.Column); ok {
				label += " (" + perText(lang, p) + ")"
				b.perNote(p, tt.Label)
			}
			row := []string{label}
			row = append(row, b.cells(cm, tt.Term, tt.Column, false)...)
			row = append(row, b.cells(multi, tt.Term, tt.Column, true)...)
			b.add(render.RowHeader, row)
			b.raw(tt, analysis.TableLevel{Column: tt.Column, Label: tt.Label, Estimable: true}, cm, multi, adjTerms)
		default:
			head := []string{tt.Label, "", b.globalCell(cm, tt.Term, false), "", b.globalCell(multi, tt.Term, true)}
			if cm == nil {
				head[2] = ""
			}
			b.add(render.RowHeader, head)
			for _, lv := range tt.Levels {
				row := []string{lv.Label}
				switch {
				case lv.Reference:
					ref := i18n.T(lang, "1 (reference)")
					row = append(row, ref, "—", ref, "—")
					if cm == nil {
						row[1], row[2] = "", ""
					}
				case !lv.Estimable:
					na := i18n.T(lang, "not estimable (no rows)")
					row = append(row, b.cells(cm, tt.Term, lv.Column, false)...)
					row = append(row, na, "")
				default:
					row = append(row, b.cells(cm, tt.Term, lv.Column, false)...)
					row = append(row, b.cells(multi, tt.Term, lv.Column, true)...)
				}
				b.add(render.RowLevel, row)
				b.raw(tt, lv, cm, multi, adjTerms)
			}
		}
	}
	b.notes()
	return b.tb
}

func (b *table2Builder) add(kind render.RowKind, row []string) {
	b.tb.Rows = append(b.tb.Rows, row)
	b.tb.Kinds = append(b.tb.Kinds, kind)
}

// cells are the OR (CI) and p-value cells of column in model m (nil:
// no such model; a crude model that failed says so).
func (b *table2Builder) cells(m *analysis.ModelResult, term, column string, adjusted bool) []string {
	if m == nil {
		if !adjusted {
			if _, ok := b.failed[term]; ok {
				return []string{i18n.T(b.lang, "not computed (see notes)"), ""}
			}
		}
		return []string{"", ""}
	}
	var t logit.Term
	found := false
	for _, x := range m.Terms {
		if x.Term == column {
			t, found = x, true
		}
	}
	if !found {
		return []string{i18n.T(b.lang, "not estimable (no rows)"), ""}
	}
	b.pn.add(m.Model, t, b.ci, adjusted)
	if separated(m.Model, t.Term) {
		return []string{i18n.T(b.lang, "not estimable (separation)"), ""}
	}
	if p, ok := m.PerOf(column); ok {
		return []string{render.FormatRatioCI(p.OddsRatioPer, p.ORConfLowPer, p.ORConfHighPer), pCell(b.lang, m.Model, t, b.ci)}
	}
	return []string{render.FormatRatioCI(t.OddsRatio, t.ORConfLow, t.ORConfHigh), pCell(b.lang, m.Model, t, b.ci)}
}

// globalCell is the global p of term in m, or why it is missing.
func (b *table2Builder) globalCell(m *analysis.ModelResult, term string, adjusted bool) string {
	if m == nil {
		return ""
	}
	for _, g := range m.GlobalTests {
		if g.Term != term {
			continue
		}
		b.globalNote = true
		if g.Method == analysis.GlobalMethodFirth {
			b.globalFirth = true
		}
		if g.PValue == nil {
			which := i18n.Tf(b.lang, "crude model of %s", g.Label)
			if adjusted {
				which = i18n.T(b.lang, "adjusted model")
			}
			b.globalFail = append(b.globalFail, i18n.Tf(b.lang, "Global p of %s (%s) %s.", g.Label, which, g.Reason))
			return i18n.T(b.lang, "not computed (see notes)")
		}
		return render.FormatP(*g.PValue)
	}
	return ""
}

// raw appends the tidy rows of one Table 2 row: the crude model's, then
// the adjusted model's.
func (b *table2Builder) raw(tt analysis.TableTerm, lv analysis.TableLevel, cm, multi *analysis.ModelResult, adj map[string]logit.Term) {
	variable := tt.Variable
	if variable == "" {
		variable = tt.Term
	}
	column := lv.Column
	if lv.Reference {
		column = tt.Term + "[" + lv.Level + "]"
	}
	label := lv.Label
	if tt.Kind == analysis.TermFactor || tt.Kind == analysis.TermInteraction {
		label = tt.Label + ": " + lv.Label
	}
	for _, mm := range []struct {
		name string
		m    *analysis.ModelResult
	}{{"crude", cm}, {"adjusted", multi}} {
		m := mm.m
		if m == nil {
			continue
		}
		row := []string{mm.name, column, variable, lv.Level, label, strconv.FormatBool(lv.Reference), strconv.Itoa(m.N), strconv.Itoa(m.Events)}
		var t logit.Term
		found := false
		for _, x := range m.Terms {
			if x.Term == lv.Column && lv.Column != "" {
				t, found = x, true
			}
		}
		switch {
		case lv.Reference:
			row = append(row, "0", "", "", "", "", "", "1", "", "", "", "", "", "", "", "false")
		case !found:
			row = append(row, "NA", "NA", "NA", "NA", "NA", "NA", "NA", "NA", "NA", "NA", "", "", "", "", "false")
		default:
			row = append(row, render.FormatFloat(t.Estimate), render.FormatFloat(t.StdError), render.FormatFloat(t.Statistic),
				render.FormatFloat(t.PValue), render.FormatFloat(t.ConfLow), render.FormatFloat(t.ConfHigh), render.FormatFloat(t.OddsRatio),
				render.FormatFloat(t.ORConfLow), render.FormatFloat(t.ORConfHigh), render.Num(t.LRPValue))
			if p, ok := m.PerOf(t.Term); ok {
				row = append(row, render.FormatFloat(p.Per), render.FormatFloat(p.OddsRatioPer), render.FormatFloat(p.ORConfLowPer), render.FormatFloat(p.ORConfHighPer))
			} else {
				row = append(row, "", "", "", "")
			}
			row = append(row, strconv.FormatBool(separated(m.Model, t.Term)))
		}
		b.tb.RawRows = append(b.tb.RawRows, row)
	}
}

// perText is "per 10 years" (or "per 10" without a unit).
func perText(lang string, p analysis.PerTerm) string {
	k := strconv.FormatFloat(p.Per, 'g', -1, 64)
	if p.Unit != "" {
		return i18n.Tf(lang, "per %s %s", k, p.Unit)
	}
	return i18n.Tf(lang, "per %s units", k)
}

func (b *table2Builder) perNote(p analysis.PerTerm, label string) {
	b.perNotes = append(b.perNotes, i18n.Tf(b.lang, "%s: odds ratio %s (exp(%s × coefficient)); the JSON keeps the coefficient per unit.",
		label, perText(b.lang, p), strconv.FormatFloat(p.Per, 'g', -1, 64)))
}

// notes: the sample of each model (N and cases), the tests of the
// p-values, the rescaled variables, what could not be computed.
func (b *table2Builder) notes() {
	lang, res, multi := b.lang, b.res, b.res.Adjusted
	var notes []string
	notes = append(notes, i18n.Tf(lang, "Adjusted: %s (%s); N = %d (%d cases).", multi.Formula, methodText(lang, multi.Model), multi.N, multi.Events))
	if len(res.Crude) > 0 {
		// One N when every crude model has the same sample, else each.
		type ne struct{ n, e int }
		groups := map[ne][]string{}
		var order []ne
		for _, m := range res.Crude {
			k := ne{m.N, m.Events}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], crudeVariable(m.Model))
		}
		if len(order) == 1 {
			notes = append(notes, i18n.Tf(lang, "Crude: each variable alone; N = %d (%d cases) each.", order[0].n, order[0].e))
		} else {
			var parts []string
			for _, k := range order {
				parts = append(parts, i18n.Tf(lang, "N = %d (%d cases) for %s", k.n, k.e, joinList(lang, groups[k])))
			}
			notes = append(notes, i18n.T(lang, "Crude: each variable alone; ")+strings.Join(parts, "; ")+".")
		}
		if res.CrudeSample == analysis.CrudeComplete {
			notes = append(notes, i18n.T(lang, "Crude models use the adjusted model's complete cases (--crude-sample complete)."))
		} else {
			notes = append(notes, i18n.T(lang, "Crude models use the rows available for their variable (--crude-sample available, the default), the adjusted model its complete cases: the samples can differ."))
		}
	}
	if b.globalNote {
		notes = append(notes, i18n.T(lang, "p-value on the row of a variable with several levels (or of an interaction): likelihood-ratio test of all its coefficients together (type II, as car::Anova; see global_tests); on a level's row: the test of that coefficient."))
	}
	if b.globalFirth {
		notes = append(notes, i18n.T(lang, "For a model fitted by Firth's penalized likelihood that test is the penalized likelihood ratio, with the larger model's penalty in both fits (logistf's anova, method nested)."))
	}
	notes = append(notes, b.pn.notes(lang)...)
	notes = append(notes, b.perNotes...)
	for _, v := range res.PerUnused {
		notes = append(notes, i18n.Tf(lang, "--per %s not applied: the adjusted model has no linear term of %s (log(x) and interaction terms keep their scale).", v, v))
	}
	notes = append(notes, b.globalFail...)
	for _, m := range res.Models() {
		for _, u := range m.Unestimable {
			if len(u.Levels) == 0 {
				// 0 in every row for another reason (a numeric part
				// that is 0 throughout its level): the reason says which.
				notes = append(notes, i18n.Tf(lang, "%s: %s: not estimable, left out (as R's glm, which reports NA).", modelName(lang, m.Model), u.Reason))
				continue
			}
			notes = append(notes, i18n.Tf(lang, "%s: %s has no rows in the model's sample: not estimable, left out (as R's glm).", modelName(lang, m.Model), levelsText(u)))
		}
	}
	for _, f := range res.Failures {
		notes = append(notes, i18n.Tf(lang, "Crude model of %s not computed: %s.", f.Label, f.Reason))
	}
	b.tb.Notes = notes
}

// globalTable lists every model's global likelihood-ratio tests (nil
// when no model has a term with several columns).
func globalTable(res *analysis.LogitResult) *render.Table {
	lang := res.Lang
	tb := render.Table{Name: "global_tests", Title: i18n.T(lang, "Global tests of multi-level terms (likelihood ratio, type II, as car::Anova)"),
		Columns:    []string{i18n.T(lang, "model"), i18n.T(lang, "term"), "df", i18n.T(lang, "LR chi-square"), i18n.T(lang, "p-value")},
		RawColumns: []string{"model", "term", "label", "df", "statistic", "p_value", "method", "reason"}}
	for _, m := range res.Models() {
		for _, g := range m.GlobalTests {
			stat, p := i18n.T(lang, "not computed (see notes)"), ""
			if g.Reason != "" {
				note := modelName(lang, m.Model) + ", " + g.Label + ": " + g.Reason + "."
				if !slices.Contains(tb.Notes, note) {
					tb.Notes = append(tb.Notes, note)
				}
			}
			if g.Statistic != nil && g.PValue != nil {
				stat, p = strconv.FormatFloat(*g.Statistic, 'f', 2, 64), render.FormatP(*g.PValue)
			}
			tb.Rows = append(tb.Rows, []string{modelName(lang, m.Model), g.Label, strconv.Itoa(g.DF), stat, p})
			tb.RawRows = append(tb.RawRows, []string{m.Name, g.Term, g.Label, strconv.Itoa(g.DF), render.Num(g.Statistic), render.Num(g.PValue), g.Method, g.Reason})
		}
	}
	if len(tb.Rows) == 0 {
		return nil
	}
	return &tb
}
