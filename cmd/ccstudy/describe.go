package main

import (
	"fmt"
	"strconv"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/stats"
	"github.com/spf13/cobra"
)

// DescribeOptions are the inputs of `ccstudy describe`.
type DescribeOptions struct {
	*GlobalOptions
	analysis.DescribeOptions
}

// NewCmdDescribe prints Table 1.
func NewCmdDescribe(g *GlobalOptions, runF func(*DescribeOptions) error) *cobra.Command {
	opts := &DescribeOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "describe",
		Short: "Table 1: every variable among cases, controls and overall, with tests and SMDs",
		Long: `Print Table 1: every variable among cases, controls and overall (or the
two groups of --by), counted in rows.

Categorical variables show n (%) per level and are tested by Pearson's
chi-square, or Fisher's exact test when any expected count is below 5.
Continuous variables show mean (SD) and Welch's t-test, or median [Q1, Q3]
and the Wilcoxon rank-sum test for --nonnormal variables (default: the
fields the schema analyses on the log scale). Each variable has its
standardized mean difference (SMD). Missing values are counted per
variable. A variable whose test cannot be computed (one level observed,
no values in a group, ...) is marked with the reason; the rest of the
table is printed as usual.

The groups are the schema's outcome (cases and controls) unless --by names
another binary field. Tables show the schema's field titles and category
labels (--lang picks the language); JSON and CSV keep the codes, with the
labels beside them.`,
		Example: `  ccstudy describe
  ccstudy describe --data birthwt.csv --schema birthwt.schema.json
  ccstudy describe --data birthwt.csv --schema birthwt.schema.json --vars age,lwt,race --nonnormal lwt --format markdown
  ccstudy describe --data birthwt.csv --schema birthwt.schema.json --by smoke`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DescribeOptions.Lang = g.Lang
			if runF != nil {
				return runF(opts)
			}
			return describeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.By, "by", "", "binary grouping variable (default: the schema's outcome)")
	cmd.Flags().StringSliceVar(&opts.Vars, "vars", nil, "variables to describe, comma-separated (default: all but the id and the grouping variable)")
	cmd.Flags().StringVar(&opts.Strata, "strata", "", "matched-set variable of a matched design: Table 1 notes that its tests ignore the matching")
	cmd.Flags().StringSliceVar(&opts.Nonnormal, "nonnormal", nil, "continuous variables to show as median [Q1, Q3] with the Wilcoxon test, in addition to the schema's log-scale fields")
	return cmd
}

func describeRun(opts *DescribeOptions) error {
	st, err := opts.LoadStudy()
	if err != nil {
		return err
	}
	res, err := analysis.Describe(st.Companies, opts.DescribeOptions)
	if analysis.IsOptionError(err) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	doc := describeDocument(res, st.Embedded)
	if _, err := st.profile().productsSection(res, doc, opts.GlobalOptions.Lang); err != nil {
		return err
	}
	return opts.Emit(doc)
}

// describeDocument renders a describe result (also used by report).
func describeDocument(res *analysis.DescribeResult, embedded bool) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		doc.Preamble = append(doc.Preamble, SyntheticNotice)
	}
	doc.Tables = append(doc.Tables, table1Table(res))
	// The notes of JSON name variables by code; people read the titles.
	for _, r := range res.Table1 {
		if r.Note != "" {
			doc.Epilogue = append(doc.Epilogue, fmt.Sprintf("%s: %s", r.VariableLabel, i18n.T(res.Lang, r.Note)))
		}
	}
	return doc
}

func table1Table(res *analysis.DescribeResult) render.Table {
	lang := res.Lang
	T := func(s string) string { return i18n.T(lang, s) }
	n := [3]int{}
	for _, r := range res.Table1 {
		if r.CasesMissing != nil {
			n = [3]int{r.CasesN + *r.CasesMissing, r.ControlsN + *r.ControlsMissing, r.OverallN + *r.OverallMissing}
			if r.Kind == "categorical" {
				n = [3]int{0, 0, 0}
				for _, q := range res.Table1 {
					if q.Variable == r.Variable {
						n[0] += q.CasesN
						n[1] += q.ControlsN
						n[2] += q.OverallN
					}
				}
				n[0] += *r.CasesMissing
				n[1] += *r.ControlsMissing
				n[2] += *r.OverallMissing
			}
			break
		}
	}
	groups := res.GroupLabels
	if groups[0] == "" {
		groups = res.Groups
	}
	tb := render.Table{Name: "table1", Title: i18n.Tf(lang, "Table 1. %s vs %s", groups[0], groups[1]),
		Columns: []string{T("variable"), T("level"),
			fmt.Sprintf("%s (n=%d)", groups[0], n[0]), fmt.Sprintf("%s (n=%d)", groups[1], n[1]), i18n.Tf(lang, "overall (n=%d)", n[2]),
			T("test"), T("statistic"), T("p_value"), T("smd")}}
	for i, r := range res.Table1 {
		first := i == 0 || res.Table1[i-1].Variable != r.Variable
		row := []string{"", r.LevelLabel}
		if first {
			row[0] = r.VariableLabel
		}
		if r.Kind == "categorical" {
			if first {
				row[0] += T(", n (%)")
			}
			row = append(row, countPct(r.CasesN, r.CasesPercent), countPct(r.ControlsN, r.ControlsPercent), countPct(r.OverallN, r.OverallPercent))
		} else {
			if r.Nonnormal {
				row[0] += T(", median [Q1, Q3]")
				row = append(row, medianIQR(r.CasesMedian, r.CasesQ1, r.CasesQ3), medianIQR(r.ControlsMedian, r.ControlsQ1, r.ControlsQ3), medianIQR(r.OverallMedian, r.OverallQ1, r.OverallQ3))
			} else {
				row[0] += T(", mean (SD)")
				row = append(row, meanSD(r.CasesMean, r.CasesSD), meanSD(r.ControlsMean, r.ControlsSD), meanSD(r.OverallMean, r.OverallSD))
			}
		}
		if first {
			row = append(row, testLabel(r.Table1Row, lang), fmtStat(r.Statistic, r.DF), fmtP(r.PValue), fmtOpt(r.SMD, 3))
		} else {
			row = append(row, "", "", "", "")
		}
		tb.Rows = append(tb.Rows, row)
		last := i == len(res.Table1)-1 || res.Table1[i+1].Variable != r.Variable
		if last {
			head := r
			for j := i; j >= 0 && res.Table1[j].Variable == r.Variable; j-- {
				head = res.Table1[j]
			}
			if head.OverallMissing != nil && *head.OverallMissing > 0 {
				tb.Rows = append(tb.Rows, []string{"", T("missing"), strconv.Itoa(*head.CasesMissing), strconv.Itoa(*head.ControlsMissing), strconv.Itoa(*head.OverallMissing), "", "", "", ""})
			}
		}
	}
	tb.Notes = []string{T(res.Rule)}
	if res.Strata != "" {
		tb.Notes = append(tb.Notes, i18n.Tf(res.Lang, analysis.MatchedNote, res.Strata, res.Strata))
	}
	tb.RawColumns, tb.RawRows = table1Raw(res.Table1)
	return tb
}

// table1Raw is Table 1 for CSV: the JSON contract's columns, one row per
// level, numbers at full precision, codes with their labels beside.
func table1Raw(rows []analysis.Table1Row) ([]string, [][]string) {
	cols := []string{"variable", "variable_label", "level", "level_label", "kind"}
	for _, g := range []string{"cases", "controls", "overall"} {
		for _, c := range []string{"n", "percent", "mean", "sd", "median", "q1", "q3", "missing"} {
			cols = append(cols, g+"_"+c)
		}
	}
	cols = append(cols, "test", "statistic", "df", "p_value", "smd", "note")
	var out [][]string
	for _, r := range rows {
		row := []string{r.Variable, r.VariableLabel, r.Level, r.LevelLabel, r.Kind}
		for _, g := range []struct {
			n                             int
			pct, mean, sd, median, q1, q3 *float64
			missing                       *int
		}{
			{r.CasesN, r.CasesPercent, r.CasesMean, r.CasesSD, r.CasesMedian, r.CasesQ1, r.CasesQ3, r.CasesMissing},
			{r.ControlsN, r.ControlsPercent, r.ControlsMean, r.ControlsSD, r.ControlsMedian, r.ControlsQ1, r.ControlsQ3, r.ControlsMissing},
			{r.OverallN, r.OverallPercent, r.OverallMean, r.OverallSD, r.OverallMedian, r.OverallQ1, r.OverallQ3, r.OverallMissing},
		} {
			missing := ""
			if g.missing != nil {
				missing = strconv.Itoa(*g.missing)
			}
			row = append(row, strconv.Itoa(g.n), render.Num(g.pct), render.Num(g.mean), render.Num(g.sd), render.Num(g.median), render.Num(g.q1), render.Num(g.q3), missing)
		}
		row = append(row, r.Test, render.Num(r.Statistic), render.Num(r.DF), render.Num(r.PValue), render.Num(r.SMD), r.Note)
		out = append(out, row)
	}
	return cols, out
}

func testLabel(r stats.Table1Row, lang string) string {
	switch r.Test {
	case stats.TestChiSquare:
		return i18n.T(lang, "chi-square")
	case stats.TestFisher:
		return i18n.T(lang, "Fisher exact")
	case stats.TestWelchT:
		return i18n.T(lang, "Welch t")
	case stats.TestWilcoxon:
		return i18n.T(lang, "Wilcoxon")
	}
	if r.Note != "" {
		return i18n.T(lang, "not computed (see note)")
	}
	return ""
}

func countPct(n int, pct *float64) string {
	if pct == nil {
		return strconv.Itoa(n)
	}
	return fmt.Sprintf("%d (%.1f%%)", n, *pct)
}

func meanSD(m, sd *float64) string {
	if m == nil {
		return "–"
	}
	if sd == nil {
		return fmtNum(*m)
	}
	return fmt.Sprintf("%s (%s)", fmtNum(*m), fmtNum(*sd))
}

func medianIQR(m, q1, q3 *float64) string {
	if m == nil {
		return "–"
	}
	return fmt.Sprintf("%s [%s, %s]", fmtNum(*m), fmtNum(*q1), fmtNum(*q3))
}
