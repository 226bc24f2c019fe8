package stats

import (
	"fmt"
	"math"
)

// Test names used in Table 1.
const (
	TestChiSquare = "chisq"
	TestFisher    = "fisher"
	TestWelchT    = "welch_t"
	TestWilcoxon  = "wilcoxon"
	// TestWelchANOVA and TestKruskal are the tests of k ≥ 3 groups
	// (TableOneK).
	TestWelchANOVA = "welch_anova"
	TestKruskal    = "kruskal"
)

// Table1Rule states how TableOne chooses its tests; commands print it
// under the table.
const Table1Rule = "Tests: categorical variables by Pearson's chi-square (no continuity correction), " +
	"or Fisher's exact test when any expected count is below 5; continuous variables by Welch's t-test, " +
	"or the Wilcoxon rank-sum test (normal approximation, tie and continuity corrections) for nonnormal variables. " +
	"Percentages exclude missing values. SMD: standardized mean difference (Yang & Dalton for categorical variables)."

// Variable is one variable of a Table 1, split later by the group vector.
type Variable struct {
	Name string
	// Levels names the categories of a categorical variable; nil means
	// continuous.
	Levels []string
	// Values holds, per row, the level index (categorical) or the value
	// (continuous); NaN is missing.
	Values []float64
	// Nonnormal selects median [Q1, Q3] and the Wilcoxon test.
	Nonnormal bool
}

// Table1Row is one row of Table 1. A categorical variable has a row per
// level; a continuous variable has one row. The first row of a variable
// carries its test, p-value and SMD (or Note, when no test applies).
type Table1Row struct {
	Variable string `json:"variable"`
	Level    string `json:"level"`
	Kind     string `json:"kind"`

	CasesN          int      `json:"cases_n"`
	CasesPercent    *float64 `json:"cases_percent,omitempty"`
	CasesMean       *float64 `json:"cases_mean,omitempty"`
	CasesSD         *float64 `json:"cases_sd,omitempty"`
	CasesMedian     *float64 `json:"cases_median,omitempty"`
	CasesQ1         *float64 `json:"cases_q1,omitempty"`
	CasesQ3         *float64 `json:"cases_q3,omitempty"`
	CasesMissing    *int     `json:"cases_missing,omitempty"`
	ControlsN       int      `json:"controls_n"`
	ControlsPercent *float64 `json:"controls_percent,omitempty"`
	ControlsMean    *float64 `json:"controls_mean,omitempty"`
	ControlsSD      *float64 `json:"controls_sd,omitempty"`
	ControlsMedian  *float64 `json:"controls_median,omitempty"`
	ControlsQ1      *float64 `json:"controls_q1,omitempty"`
	ControlsQ3      *float64 `json:"controls_q3,omitempty"`
	ControlsMissing *int     `json:"controls_missing,omitempty"`
	OverallN        int      `json:"overall_n"`
	OverallPercent  *float64 `json:"overall_percent,omitempty"`
	OverallMean     *float64 `json:"overall_mean,omitempty"`
	OverallSD       *float64 `json:"overall_sd,omitempty"`
	OverallMedian   *float64 `json:"overall_median,omitempty"`
	OverallQ1       *float64 `json:"overall_q1,omitempty"`
	OverallQ3       *float64 `json:"overall_q3,omitempty"`
	OverallMissing  *int     `json:"overall_missing,omitempty"`

	// Groups holds the summaries of each group when Table 1 has k
	// groups (TableOneK); the Cases and Controls fields are then unused.
	Groups []GroupSummary `json:"groups,omitempty"`

	Nonnormal bool     `json:"nonnormal,omitempty"`
	Test      string   `json:"test,omitempty"`
	Statistic *float64 `json:"statistic,omitempty"`
	DF        *float64 `json:"df,omitempty"`
	// DF2 is the denominator degrees of freedom of Welch's ANOVA.
	DF2    *float64 `json:"df2,omitempty"`
	PValue *float64 `json:"p_value,omitempty"`
	SMD    *float64 `json:"smd,omitempty"`
	// Note says why no test or SMD is given, instead of a NaN.
	Note string `json:"note,omitempty"`
}

// TableOne builds Table 1: each variable summarised among cases
// (group 1), controls (group 0) and overall, with the test chosen by
// Table1Rule and the standardized mean difference. Rows whose group is
// neither 0 nor 1 are an error: the caller decides about them.
func TableOne(vars []Variable, group []int) ([]Table1Row, error) {
	for i, g := range group {
		if g != 0 && g != 1 {
			return nil, fmt.Errorf("group of row %d is %d (expected 0 for controls or 1 for cases)", i+1, g)
		}
	}
	var rows []Table1Row
	for _, v := range vars {
		if len(v.Values) != len(group) {
			return nil, fmt.Errorf("variable %s has %d values for %d rows", v.Name, len(v.Values), len(group))
		}
		if v.Levels != nil {
			rows = append(rows, categoricalRows(v, group)...)
		} else {
			rows = append(rows, continuousRow(v, group))
		}
	}
	return rows, nil
}

func split(v []float64, group []int) (cases, controls []float64) {
	for i, x := range v {
		if group[i] == 1 {
			cases = append(cases, x)
		} else {
			controls = append(controls, x)
		}
	}
	return cases, controls
}

func categoricalRows(v Variable, group []int) []Table1Row {
	k := len(v.Levels)
	cases, controls := make([]float64, k), make([]float64, k)
	var missCases, missControls int
	for i, x := range v.Values {
		switch {
		case math.IsNaN(x) && group[i] == 1:
			missCases++
		case math.IsNaN(x):
			missControls++
		case group[i] == 1:
			cases[int(x)]++
		default:
			controls[int(x)]++
		}
	}
	nCases, nControls := sum(cases), sum(controls)
	rows := make([]Table1Row, k)
	for j := range v.Levels {
		r := &rows[j]
		r.Variable, r.Level, r.Kind = v.Name, v.Levels[j], "categorical"
		r.CasesN, r.ControlsN, r.OverallN = int(cases[j]), int(controls[j]), int(cases[j]+controls[j])
		r.CasesPercent = percent(cases[j], nCases)
		r.ControlsPercent = percent(controls[j], nControls)
		r.OverallPercent = percent(cases[j]+controls[j], nCases+nControls)
	}
	first := &rows[0]
	first.CasesMissing, first.ControlsMissing = ptrInt(missCases), ptrInt(missControls)
	first.OverallMissing = ptrInt(missCases + missControls)
	// Levels seen in neither group carry no information for the tests.
	var table [][]float64
	for j := 0; j < k; j++ {
		if cases[j]+controls[j] > 0 {
			table = append(table, []float64{cases[j], controls[j]})
		}
	}
	switch {
	case nCases == 0 || nControls == 0:
		first.Note = "no test: all values missing among " + emptyGroup(nCases, nControls)
		return rows
	case len(table) < 2:
		first.Note = "no test: only one level observed"
		return rows
	}
	categoricalTest(table, first)
	if k-1 > SMDMaxLevels {
		first.Note = joinNote(first.Note, SMDTooManyLevels(k))
		return rows
	}
	first.SMD = ptr(SMDCategorical(cases, controls))
	return rows
}

func continuousRow(v Variable, group []int) Table1Row {
	r := Table1Row{Variable: v.Name, Kind: "continuous", Nonnormal: v.Nonnormal}
	xc, xk := split(v.Values, group)
	sc, sk, so := Summarize(xc), Summarize(xk), Summarize(v.Values)
	r.CasesN, r.ControlsN, r.OverallN = sc.N, sk.N, so.N
	r.CasesMean, r.CasesSD, r.CasesMedian, r.CasesQ1, r.CasesQ3, r.CasesMissing = summaryPtrs(sc)
	r.ControlsMean, r.ControlsSD, r.ControlsMedian, r.ControlsQ1, r.ControlsQ3, r.ControlsMissing = summaryPtrs(sk)
	r.OverallMean, r.OverallSD, r.OverallMedian, r.OverallQ1, r.OverallQ3, r.OverallMissing = summaryPtrs(so)
	if sc.N < 2 || sk.N < 2 {
		if sc.N == 0 || sk.N == 0 {
			r.Note = "no test: all values missing among " + emptyGroup(float64(sc.N), float64(sk.N))
		} else {
			r.Note = "no test: fewer than two values in a group"
		}
		return r
	}
	x, y := dropNaN(xc), dropNaN(xk)
	if smd := SMDContinuous(x, y); !math.IsNaN(smd) {
		r.SMD = ptr(smd)
	}
	if v.Nonnormal {
		w, err := WilcoxonRankSum(x, y)
		if err != nil {
			r.Note = "no test: " + err.Error()
			return r
		}
		r.Test, r.Statistic, r.PValue = TestWilcoxon, ptr(w.Statistic), ptr(w.PValue)
		return r
	}
	t, err := WelchTTest(x, y)
	if err != nil {
		r.Note = "no test: " + err.Error()
		return r
	}
	r.Test, r.Statistic, r.DF, r.PValue = TestWelchT, ptr(t.Statistic), ptr(t.DF), ptr(t.PValue)
	return r
}

func summaryPtrs(s Summary) (mean, sd, median, q1, q3 *float64, missing *int) {
	missing = ptrInt(s.Missing)
	if s.N == 0 {
		return nil, nil, nil, nil, nil, missing
	}
	mean, median, q1, q3 = ptr(s.Mean), ptr(s.Median), ptr(s.Q1), ptr(s.Q3)
	if s.N > 1 {
		sd = ptr(s.SD)
	}
	return mean, sd, median, q1, q3, missing
}

func emptyGroup(nCases, nControls float64) string {
	switch {
	case nCases == 0 && nControls == 0:
		return "cases and controls"
	case nCases == 0:
		return "cases"
	}
	return "controls"
}

func percent(n, total float64) *float64 {
	if total == 0 {
		return nil
	}
	return ptr(100 * n / total)
}

func ptr(x float64) *float64 { return &x }

// joinNote appends b to the note a ("a; b").
func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
func ptrInt(x int) *int { return &x }

// categoricalTest sets row's test of a levels × groups table: Pearson's
// chi-square (chisq.test(correct = FALSE)), or Fisher's exact test
// (fisher.test) when an expected count is below 5, as tableone and
// gtsummary do; a table that cannot be tested leaves the reason in Note.
func categoricalTest(table [][]float64, row *Table1Row) {
	chi, err := ChiSquareTest(table)
	if err != nil {
		row.Note = "no test: " + err.Error()
		return
	}
	if chi.MinExpected < 5 {
		f, err := FisherExact(table)
		if err != nil {
			row.Note = "no test: " + err.Error()
			return
		}
		// Beyond the exact limit FisherExact simulates the p-value (seed 0,
		// so Table 1 stays reproducible) and its note says so.
		row.Test, row.PValue, row.Note = TestFisher, ptr(f.PValue), f.Note
		return
	}
	row.Test, row.Statistic, row.DF, row.PValue = TestChiSquare, ptr(chi.Statistic), ptr(float64(chi.DF)), ptr(chi.PValue)
}
