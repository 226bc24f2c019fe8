package main

import (
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/stats"
)

// Journal layout of Table 1 (as gtsummary's tbl_summary and tableone
// print it): a header row per variable with its schema title and the
// summary it shows ("Age, mean (SD)"), indented level rows beneath a
// categorical variable, a 0/1 variable on one row showing its "1"
// level, a "Missing" row where values are missing, the Overall column
// first and the groups after it with their N in the header, p-values in
// the journal style (render.FormatP) with a footnote letter naming the
// test, and no statistic or df column (those are in JSON and CSV).

// footnoteMarks are the superscript letters of the test footnotes.
var footnoteMarks = []string{"ᵃ", "ᵇ", "ᶜ", "ᵈ", "ᵉ", "ᶠ"}

// testName is the footnote text of a Table 1 test.
func testName(test, lang string) string {
	switch test {
	case stats.TestChiSquare:
		return i18n.T(lang, "Pearson's chi-square test")
	case stats.TestFisher:
		return i18n.T(lang, "Fisher's exact test")
	case stats.TestWelchT:
		return i18n.T(lang, "Welch's t-test")
	case stats.TestWilcoxon:
		return i18n.T(lang, "Wilcoxon rank-sum test")
	case stats.TestWelchANOVA:
		return i18n.T(lang, "Welch's one-way ANOVA")
	case stats.TestKruskal:
		return i18n.T(lang, "Kruskal–Wallis test")
	}
	return test
}

// groupHeader is a group's column header: its label and N.
func groupHeader(code, label string, n int, lang string) string {
	switch code {
	case "cases":
		label = i18n.T(lang, "Cases")
	case "controls":
		label = i18n.T(lang, "Controls")
	}
	return i18n.Tf(lang, "%s, N = %d", label, n)
}

// isDichotomous reports whether a categorical variable's levels are the
// codes 0 and 1, shown on one row as the "1" level's n (%).
func isDichotomous(rows []analysis.Table1Row) bool {
	return len(rows) == 2 && rows[0].Level == "0" && rows[1].Level == "1"
}

// variableBlocks splits Table 1's rows into one slice per variable.
func variableBlocks(rows []analysis.Table1Row) [][]analysis.Table1Row {
	var out [][]analysis.Table1Row
	for i, r := range rows {
		if i == 0 || rows[i-1].Variable != r.Variable {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], r)
	}
	return out
}

func table1Table(res *analysis.DescribeResult) render.Table {
	lang := res.Lang
	T := func(s string) string { return i18n.T(lang, s) }
	labels := res.GroupLabels
	cols := []string{T("Characteristic"), groupHeader("overall", T("Overall"), res.N, lang)}
	for i, g := range res.Groups {
		label := g
		if i < len(labels) && labels[i] != "" {
			label = labels[i]
		}
		n := 0
		if i < len(res.GroupN) {
			n = res.GroupN[i]
		}
		cols = append(cols, groupHeader(g, label, n, lang))
	}
	cols = append(cols, T("p-value"), T("SMD"))
	first := firstNonEmpty(labels, res.Groups, 0)
	if len(res.Groups) > 0 && res.Groups[0] == "cases" {
		// The title starts with the group: "Cases vs controls", not a
		// variable name, which keeps its case ("y = 1 vs y = 0").
		first = T("Cases")
	}
	title := i18n.Tf(lang, "Table 1. %s vs %s", first, firstNonEmpty(labels, res.Groups, 1))
	if len(res.Groups) > 2 || res.Members != "" {
		title = i18n.Tf(lang, "Table 1. By %s", res.ByLabel)
	}
	tb := render.Table{Name: "table1", Title: title, Columns: cols}
	marks := map[string]string{}
	var footnotes []string
	pCell := func(r analysis.Table1Row) string {
		if r.PValue == nil {
			return "—"
		}
		m, ok := marks[r.Test]
		if !ok && len(marks) < len(footnoteMarks) {
			m = footnoteMarks[len(marks)]
			marks[r.Test] = m
			footnotes = append(footnotes, m+" "+testName(r.Test, lang))
		}
		return render.FormatP(*r.PValue) + m
	}
	add := func(kind render.RowKind, row ...string) {
		tb.Rows = append(tb.Rows, row)
		tb.Kinds = append(tb.Kinds, kind)
	}
	width := len(res.Groups) + 1
	for _, rows := range variableBlocks(res.Table1) {
		head := rows[0]
		cells := func(r analysis.Table1Row, f func(stats.GroupSummary) string) []string {
			out := []string{f(r.OverallCell())}
			for _, c := range r.Cells() {
				out = append(out, f(c))
			}
			return out
		}
		p, smd := pCell(head), fmtOpt(head.SMD, 3)
		if head.Test == "" {
			p = "—"
		}
		switch {
		case head.Kind == "continuous":
			label, f := head.VariableLabel+T(", mean (SD)"), func(c stats.GroupSummary) string { return meanSD(c.Mean, c.SD) }
			if head.Nonnormal {
				label, f = head.VariableLabel+T(", median [Q1, Q3]"), func(c stats.GroupSummary) string { return medianIQR(c.Median, c.Q1, c.Q3) }
			}
			add(render.RowHeader, append(append([]string{label}, cells(head, f)...), p, smd)...)
		case isDichotomous(rows):
			add(render.RowHeader, append(append([]string{head.VariableLabel + T(", n (%)")}, cells(rows[1], countPctCell)...), p, smd)...)
		default:
			add(render.RowHeader, append(append([]string{head.VariableLabel + T(", n (%)")}, make([]string, width)...), p, smd)...)
			for _, r := range rows {
				add(render.RowLevel, append(append([]string{r.LevelLabel}, cells(r, countPctCell)...), "", "")...)
			}
		}
		if head.OverallMissing != nil && *head.OverallMissing > 0 {
			add(render.RowLevel, append(append([]string{T("Missing")}, cells(head, missingCell)...), "", "")...)
		}
	}
	tb.Notes = append(footnotes, T(res.Rule))
	if res.Strata != "" {
		tb.Notes = append(tb.Notes, i18n.Tf(lang, analysis.MatchedNote, res.Strata, res.Strata))
	}
	if n := len(res.Data.Excluded); n > 0 {
		if res.Members != "" {
			tb.Notes = append(tb.Notes, i18n.Tf(lang, analysis.ExcludedNoClusterNote, n, res.Members))
		} else {
			tb.Notes = append(tb.Notes, i18n.Tf(lang, analysis.ExcludedMissingNote, n, res.By))
		}
	}
	tb.RawColumns, tb.RawRows = table1Raw(res)
	return tb
}

func firstNonEmpty(a, b []string, i int) string {
	if i < len(a) && a[i] != "" {
		return a[i]
	}
	if i < len(b) {
		return b[i]
	}
	return ""
}

func countPctCell(c stats.GroupSummary) string { return countPct(c.N, c.Percent) }

func missingCell(c stats.GroupSummary) string {
	if c.Missing == nil {
		return ""
	}
	return strconv.Itoa(*c.Missing)
}

// table1RawColumns are the columns of Table 1's tidy CSV.
var table1RawColumns = []string{"variable", "variable_label", "level", "level_label", "kind", "group", "group_label",
	"n", "pct", "mean", "sd", "median", "q1", "q3", "missing", "test", "statistic", "df", "df2", "p_value", "smd", "note"}

// table1Raw is Table 1 as a tidy CSV: one observation per row (a
// variable's level, or a continuous variable, in one group or overall),
// numbers at full precision in numeric columns, codes with their labels
// beside them. A variable's test, its missing count per group and its
// SMD are repeated on each of its rows so that any row can be read alone.
func table1Raw(res *analysis.DescribeResult) ([]string, [][]string) {
	var out [][]string
	groupLabel := func(i int, code string) string {
		if code == "cases" || code == "controls" {
			return i18n.T(res.Lang, strings.ToUpper(code[:1])+code[1:])
		}
		return firstNonEmpty(res.GroupLabels, res.Groups, i)
	}
	for _, rows := range variableBlocks(res.Table1) {
		head := rows[0]
		headCells := append([]stats.GroupSummary{head.OverallCell()}, head.Cells()...)
		for _, r := range rows {
			cells := append([]stats.GroupSummary{r.OverallCell()}, r.Cells()...)
			for g, c := range cells {
				code, label := "overall", i18n.T(res.Lang, "Overall")
				if g > 0 {
					code = res.Groups[g-1]
					label = groupLabel(g-1, code)
				}
				missing := ""
				if m := headCells[g].Missing; m != nil {
					missing = strconv.Itoa(*m)
				}
				out = append(out, []string{r.Variable, r.VariableLabel, r.Level, r.LevelLabel, r.Kind, code, label,
					strconv.Itoa(c.N), render.Num(c.Percent), render.Num(c.Mean), render.Num(c.SD), render.Num(c.Median), render.Num(c.Q1), render.Num(c.Q3),
					missing, head.Test, render.Num(head.Statistic), render.Num(head.DF), render.Num(head.DF2), render.Num(head.PValue), render.Num(head.SMD), head.Note})
			}
		}
	}
	return table1RawColumns, out
}

// describeByGroupsJSON documents, for --help, the JSON of a Table 1 of k
// groups.
const describeByGroupsJSON = `JSON: "groups" lists the group codes (cases and controls; the levels of
--by; the cluster numbers), "group_labels" their labels, "group_n" their
sizes and "n" the rows described. Each row of "table1" has the variable
and level codes with "variable_label" and "level_label" beside them, the
overall_* summaries, "test", "statistic", "df" ("df2": Welch ANOVA's
denominator df), "p_value" and "smd". A binary grouping's rows keep the
cases_* and controls_* summaries; with k groups they carry instead a
"groups" array in the order of "groups", each {group, n, percent, mean,
sd, median, q1, q3, missing}. Excluded rows are listed in data.excluded
and counted in "excluded_note".`
