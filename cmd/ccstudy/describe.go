package main

import (
	"fmt"
	"strconv"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/stats"
	"github.com/spf13/cobra"
)

// DescribeOptions are the inputs of `ccstudy describe`.
type DescribeOptions struct {
	*GlobalOptions
	analysis.DescribeOptions
}

// NewCmdDescribe prints Table 1 and the products trend and portfolio.
func NewCmdDescribe(g *GlobalOptions, runF func(*DescribeOptions) error) *cobra.Command {
	opts := &DescribeOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "describe",
		Short: "Table 1 (cases vs controls, with tests and SMDs), products per year and portfolio",
		Long: `Print Table 1: every variable among cases, controls and overall.

Categorical variables show n (%) per level and are tested by Pearson's
chi-square, or Fisher's exact test when any expected count is below 5.
Continuous variables show mean (SD) and Welch's t-test, or median [Q1, Q3]
and the Wilcoxon rank-sum test for --nonnormal variables (default: the
fields the schema analyses on the log scale, e.g. rd_expenditure). Each
variable has its standardized mean difference (SMD). Missing values are
counted per variable.

With a products file (the embedded data has one), also prints products per
overseas year (change and cumulative count, by company type) and the
portfolio: modalities, indications, cases' first overseas year and the
company types of the cases.`,
		Example: `  ccstudy describe
  ccstudy describe --vars novelty,dev_years,rd_expenditure --format markdown
  ccstudy describe --data birthwt.csv --schema birthwt.schema.json --nonnormal lwt`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return describeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.By, "by", "", "binary grouping variable (default: the schema's outcome)")
	cmd.Flags().StringSliceVar(&opts.Vars, "vars", nil, "variables to describe, comma-separated (default: all but the id and the grouping variable)")
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
	if _, err := st.profile().productsSection(res, doc, opts.Lang); err != nil {
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
	doc.Epilogue = res.Notes
	return doc
}

func table1Table(res *analysis.DescribeResult) render.Table {
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
	tb := render.Table{Name: "table1", Title: "Table 1. " + res.Groups[0] + " vs " + res.Groups[1],
		Columns: []string{"variable", "level",
			fmt.Sprintf("%s (n=%d)", res.Groups[0], n[0]), fmt.Sprintf("%s (n=%d)", res.Groups[1], n[1]), fmt.Sprintf("overall (n=%d)", n[2]),
			"test", "statistic", "p_value", "smd"}}
	for i, r := range res.Table1 {
		first := i == 0 || res.Table1[i-1].Variable != r.Variable
		row := []string{"", r.Level}
		if first {
			row[0] = r.Variable
		}
		if r.Kind == "categorical" {
			if first {
				row[0] += ", n (%)"
			}
			row = append(row, countPct(r.CasesN, r.CasesPercent), countPct(r.ControlsN, r.ControlsPercent), countPct(r.OverallN, r.OverallPercent))
		} else {
			if r.Nonnormal {
				row[0] += ", median [Q1, Q3]"
				row = append(row, medianIQR(r.CasesMedian, r.CasesQ1, r.CasesQ3), medianIQR(r.ControlsMedian, r.ControlsQ1, r.ControlsQ3), medianIQR(r.OverallMedian, r.OverallQ1, r.OverallQ3))
			} else {
				row[0] += ", mean (SD)"
				row = append(row, meanSD(r.CasesMean, r.CasesSD), meanSD(r.ControlsMean, r.ControlsSD), meanSD(r.OverallMean, r.OverallSD))
			}
		}
		if first {
			row = append(row, testLabel(r), fmtStat(r.Statistic, r.DF), fmtP(r.PValue), fmtOpt(r.SMD, 3))
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
				tb.Rows = append(tb.Rows, []string{"", "missing", strconv.Itoa(*head.CasesMissing), strconv.Itoa(*head.ControlsMissing), strconv.Itoa(*head.OverallMissing), "", "", "", ""})
			}
		}
	}
	tb.Notes = []string{res.Rule}
	tb.RawColumns, tb.RawRows = table1Raw(res.Table1)
	return tb
}

// table1Raw is Table 1 for CSV: the JSON contract's columns, one row per
// level, numbers at full precision.
func table1Raw(rows []stats.Table1Row) ([]string, [][]string) {
	cols := []string{"variable", "level", "kind"}
	for _, g := range []string{"cases", "controls", "overall"} {
		for _, c := range []string{"n", "percent", "mean", "sd", "median", "q1", "q3", "missing"} {
			cols = append(cols, g+"_"+c)
		}
	}
	cols = append(cols, "test", "statistic", "df", "p_value", "smd", "note")
	var out [][]string
	for _, r := range rows {
		row := []string{r.Variable, r.Level, r.Kind}
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

func testLabel(r stats.Table1Row) string {
	switch r.Test {
	case stats.TestChiSquare:
		return "chi-square"
	case stats.TestFisher:
		return "Fisher exact"
	case stats.TestWelchT:
		return "Welch t"
	case stats.TestWilcoxon:
		return "Wilcoxon"
	}
	if r.Note != "" {
		return "none (see note)"
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
