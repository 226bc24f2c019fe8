package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/stats"
	"github.com/spf13/cobra"
)

// DescribeOptions are the inputs of `ccstudy describe`.
type DescribeOptions struct {
	*GlobalOptions
	By        string
	Vars      []string
	Nonnormal []string
}

// DescribeResult is the JSON contract of `ccstudy describe`.
type DescribeResult struct {
	Data      dataset.DataInfo  `json:"data"`
	By        string            `json:"by"`
	Groups    [2]string         `json:"groups"`
	Table1    []stats.Table1Row `json:"table1"`
	Rule      string            `json:"rule"`
	Trend     []stats.TrendRow  `json:"trend"`
	Portfolio []stats.Frequency `json:"portfolio"`
	Notes     []string          `json:"notes"`
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
	res, err := buildDescribe(st.Companies, st.Products, opts)
	if err != nil {
		return err
	}
	return opts.Emit(describeDocument(res, st.Embedded))
}

// describeDocument renders a describe result (also used by report).
func describeDocument(res *DescribeResult, embedded bool) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		doc.Preamble = append(doc.Preamble, SyntheticNotice)
	}
	doc.Tables = append(doc.Tables, table1Table(res))
	if len(res.Trend) > 0 {
		doc.Tables = append(doc.Tables, trendTable(res.Trend), portfolioTable(res.Portfolio))
	}
	doc.Epilogue = res.Notes
	return doc
}

// groupColumn returns the 0/1 group of each row, the group labels
// (group 1 first) and the rows whose group is missing.
func groupColumn(t *dataset.Table, by string) ([]int, [2]string, []int, error) {
	col, ok := t.Col(by)
	if !ok {
		return nil, [2]string{}, nil, usagef("unknown --by variable %q (valid: %s)", by, strings.Join(t.Schema.FieldNames(), ", "))
	}
	f := col.Field
	labels := [2]string{by + "=1", by + "=0"}
	if by == t.Schema.Outcome() {
		labels = [2]string{"cases", "controls"}
	}
	switch {
	case f.IsCategorical() && len(f.Categories) == 2:
		labels = [2]string{by + "=" + f.Categories[1].Name(), by + "=" + f.Categories[0].Name()}
		if by == t.Schema.Outcome() {
			labels = [2]string{"cases", "controls"}
		}
	case f.IsNumeric():
		for i, v := range col.Num {
			if !col.Missing[i] && v != 0 && v != 1 {
				return nil, labels, nil, fmt.Errorf("%s:%d:%s: grouping variable must be 0 or 1, found %s (expected a binary variable for --by)", t.Source, t.Lines[i], by, col.Value(i))
			}
		}
	default:
		return nil, labels, nil, fmt.Errorf("grouping variable %s is not binary (expected a 0/1 variable or a categorical one with two levels)", by)
	}
	group := make([]int, t.NRows())
	var missing []int
	for i := range group {
		if col.Missing[i] {
			missing = append(missing, i)
			group[i] = -1
			continue
		}
		group[i] = int(col.Num[i])
	}
	return group, labels, missing, nil
}

func buildDescribe(t *dataset.Table, products *dataset.Table, opts *DescribeOptions) (*DescribeResult, error) {
	by := opts.By
	if by == "" {
		if by = t.Schema.Outcome(); by == "" {
			return nil, usagef("the schema marks no outcome: name the grouping variable with --by")
		}
	}
	group, labels, missing, err := groupColumn(t, by)
	if err != nil {
		return nil, err
	}
	res := &DescribeResult{Data: dataset.NewDataInfo(t), By: by, Groups: labels, Rule: stats.Table1Rule, Trend: []stats.TrendRow{}, Portfolio: []stats.Frequency{}}
	if len(missing) > 0 {
		keep := make([]int, 0, t.NRows()-len(missing))
		for i := range group {
			if group[i] >= 0 {
				keep = append(keep, i)
			}
		}
		for _, i := range missing {
			res.Data.Exclude(t.Lines[i], "missing "+by)
		}
		t = t.Subset(keep)
		group, _, _, _ = groupColumn(t, by)
	}
	vars, err := describeVars(t, by, opts)
	if err != nil {
		return nil, err
	}
	if res.Table1, err = stats.TableOne(vars, group); err != nil {
		return nil, err
	}
	for _, r := range res.Table1 {
		if r.Note != "" {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %s", r.Variable, r.Note))
		}
	}
	if products != nil {
		if err := addProducts(res, t, products); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// describeVars turns the selected columns into stats.Variables.
func describeVars(t *dataset.Table, by string, opts *DescribeOptions) ([]stats.Variable, error) {
	names := opts.Vars
	if len(names) == 0 {
		for _, f := range t.Schema.Fields {
			if f.Name == by || f.Role == dataset.RoleID || f.Role == dataset.RoleOutcome || (!f.IsCategorical() && !f.IsNumeric()) {
				continue
			}
			names = append(names, f.Name)
		}
	}
	nonnormal := map[string]bool{}
	for _, f := range t.Schema.Fields {
		if f.Transform == "log" {
			nonnormal[f.Name] = true
		}
	}
	for _, n := range opts.Nonnormal {
		if _, ok := t.Col(n); !ok {
			return nil, usagef("unknown --nonnormal variable %q (valid: %s)", n, strings.Join(describable(t), ", "))
		}
		nonnormal[n] = true
	}
	var vars []stats.Variable
	for _, n := range names {
		col, ok := t.Col(n)
		if !ok || (!col.Field.IsCategorical() && !col.Field.IsNumeric()) {
			return nil, usagef("unknown variable %q in --vars (valid: %s)", n, strings.Join(describable(t), ", "))
		}
		if n == by {
			return nil, usagef("--vars names the grouping variable %s", by)
		}
		v := stats.Variable{Name: n, Values: make([]float64, t.NRows()), Nonnormal: nonnormal[n]}
		for i := range v.Values {
			v.Values[i] = col.Num[i]
			if col.Missing[i] {
				v.Values[i] = math.NaN()
			}
		}
		switch f := col.Field; {
		case f.IsCategorical():
			v.Levels = f.CategoryNames()
		case f.IsBinary():
			v.Levels = []string{"0", "1"}
		}
		if v.Levels != nil && v.Nonnormal {
			return nil, usagef("--nonnormal %s: %s is categorical", n, n)
		}
		vars = append(vars, v)
	}
	return vars, nil
}

func describable(t *dataset.Table) []string {
	var out []string
	for _, f := range t.Schema.Fields {
		if f.IsCategorical() || f.IsNumeric() {
			out = append(out, f.Name)
		}
	}
	return out
}

// addProducts fills the trend and portfolio from the products file.
func addProducts(res *DescribeResult, companies, products *dataset.Table) error {
	yearCol, ok := products.Col("overseas_year")
	if !ok {
		return nil
	}
	years := make([]int, products.NRows())
	for i := range years {
		years[i] = int(yearCol.Num[i])
	}
	var group []int
	var groupNames []string
	if ct, _, err := dataset.Lookup(products, "company_id", companies, "company_id", "company_type"); err == nil && ct.Field.IsCategorical() {
		groupNames = ct.Field.CategoryNames()
		group = make([]int, len(years))
		for i := range group {
			group[i] = -1
			if !ct.Missing[i] {
				group[i] = int(ct.Num[i])
			}
		}
	}
	var err error
	if res.Trend, err = stats.Trend(years, group, groupNames); err != nil {
		return err
	}
	for _, name := range []string{"modality", "indication"} {
		if c, ok := products.Col(name); ok {
			res.Portfolio = append(res.Portfolio, stats.Frequencies("product_"+name, levelsOf(c, nil), c.Field.CategoryNames())...)
		}
	}
	outcome, ok := companies.Col(companies.Schema.Outcome())
	if !ok {
		return nil
	}
	var cases []int
	for i := 0; i < companies.NRows(); i++ {
		if !outcome.Missing[i] && outcome.Num[i] == 1 {
			cases = append(cases, i)
		}
	}
	if c, ok := companies.Col("first_overseas_year"); ok {
		res.Portfolio = append(res.Portfolio, stats.Frequencies("cases_first_overseas_year", levelsOf(c, cases), nil)...)
	}
	if c, ok := companies.Col("company_type"); ok {
		res.Portfolio = append(res.Portfolio, stats.Frequencies("cases_company_type", levelsOf(c, cases), c.Field.CategoryNames())...)
	}
	return nil
}

// levelsOf returns the text of each selected row (all rows when rows is
// nil), with "(missing)" for missing values so none is dropped.
func levelsOf(c *dataset.Column, rows []int) []string {
	if rows == nil {
		rows = make([]int, len(c.Missing))
		for i := range rows {
			rows[i] = i
		}
	}
	out := make([]string, len(rows))
	for k, i := range rows {
		switch {
		case c.Missing[i]:
			out[k] = "(missing)"
		case c.Field.IsCategorical():
			out[k] = c.Level(i)
		default:
			out[k] = c.Value(i)
		}
	}
	return out
}

func table1Table(res *DescribeResult) render.Table {
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
				if r.Level == "0" || r.Level == "1" {
					row[0] += ", n (%)"
				} else {
					row[0] += ", n (%)"
				}
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

func trendTable(rows []stats.TrendRow) render.Table {
	tb := render.Table{Name: "trend", Title: "Internationalised products per overseas year", Columns: []string{"year", "products", "change", "cumulative"}}
	if len(rows) > 0 {
		tb.Columns = append(tb.Columns, rows[0].GroupNames...)
	}
	peak := slices.MaxFunc(rows, func(a, b stats.TrendRow) int { return a.Count - b.Count })
	for _, r := range rows {
		change := ""
		if r.Change != nil {
			change = fmt.Sprintf("%+d", *r.Change)
		}
		row := []string{strconv.Itoa(r.Year), strconv.Itoa(r.Count), change, strconv.Itoa(r.Cumulative)}
		for _, g := range r.Groups {
			row = append(row, strconv.Itoa(g))
		}
		tb.Rows = append(tb.Rows, row)
	}
	tb.Notes = []string{fmt.Sprintf("Peak: %d products in %d.", peak.Count, peak.Year)}
	return tb
}

func portfolioTable(rows []stats.Frequency) render.Table {
	tb := render.Table{Name: "portfolio", Title: "Portfolio: products by modality and indication; cases by first overseas year and company type", Columns: []string{"table", "level", "n", "percent"}}
	for _, r := range rows {
		tb.Rows = append(tb.Rows, []string{r.Table, r.Level, strconv.Itoa(r.N), strconv.FormatFloat(r.Percent, 'f', 1, 64)})
	}
	return tb
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
