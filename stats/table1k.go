package stats

import (
	"fmt"
	"math"
)

// Table1KRule states how TableOneK chooses its tests; commands print it
// under a Table 1 of k groups.
const Table1KRule = "Tests across the groups: categorical variables by Pearson's chi-square on the levels × groups table, " +
	"or Fisher's exact test when any expected count is below 5; continuous variables by Welch's one-way ANOVA " +
	"(R oneway.test, var.equal = FALSE: variances are not assumed equal), " +
	"or the Kruskal–Wallis test (chi-square approximation, tie correction) for nonnormal variables. " +
	"Percentages exclude missing values. SMD: the mean of the pairwise standardized mean differences (as tableone)."

// GroupSummary is one group's column of a Table 1 row: counts and
// percentages for a level of a categorical variable, the summaries of a
// continuous one. Missing is set on a variable's first row.
type GroupSummary struct {
	// Group is the group's code (the level of the grouping variable).
	Group   string   `json:"group"`
	N       int      `json:"n"`
	Percent *float64 `json:"percent,omitempty"`
	Mean    *float64 `json:"mean,omitempty"`
	SD      *float64 `json:"sd,omitempty"`
	Median  *float64 `json:"median,omitempty"`
	Q1      *float64 `json:"q1,omitempty"`
	Q3      *float64 `json:"q3,omitempty"`
	Missing *int     `json:"missing,omitempty"`
}

// Cells returns the row's group columns in order: Groups for a Table 1
// of k groups, else cases then controls.
func (r Table1Row) Cells() []GroupSummary {
	if r.Groups != nil {
		return r.Groups
	}
	return []GroupSummary{
		{Group: "cases", N: r.CasesN, Percent: r.CasesPercent, Mean: r.CasesMean, SD: r.CasesSD, Median: r.CasesMedian, Q1: r.CasesQ1, Q3: r.CasesQ3, Missing: r.CasesMissing},
		{Group: "controls", N: r.ControlsN, Percent: r.ControlsPercent, Mean: r.ControlsMean, SD: r.ControlsSD, Median: r.ControlsMedian, Q1: r.ControlsQ1, Q3: r.ControlsQ3, Missing: r.ControlsMissing},
	}
}

// OverallCell returns the row's overall column.
func (r Table1Row) OverallCell() GroupSummary {
	return GroupSummary{Group: "overall", N: r.OverallN, Percent: r.OverallPercent, Mean: r.OverallMean, SD: r.OverallSD,
		Median: r.OverallMedian, Q1: r.OverallQ1, Q3: r.OverallQ3, Missing: r.OverallMissing}
}

// TableOneK builds Table 1 of k ≥ 2 groups: each variable summarised in
// every group (group[i] in 0..k-1, named by groupNames) and overall,
// tested across the groups as Table1KRule says (Pearson chi-square or
// Fisher's exact r×k test; Welch's one-way ANOVA, R oneway.test with
// var.equal = FALSE, or Kruskal–Wallis, R kruskal.test), with the mean
// pairwise SMD (SMDMeanPairwise). Groups without values are left out of
// the tests, as R drops unused factor levels. Rows whose group is out of
// range are an error: the caller decides about them.
func TableOneK(vars []Variable, group []int, groupNames []string) ([]Table1Row, error) {
	k := len(groupNames)
	if k < 2 {
		return nil, fmt.Errorf("stats: Table 1 needs at least two groups (have %d)", k)
	}
	for i, g := range group {
		if g < 0 || g >= k {
			return nil, fmt.Errorf("group of row %d is %d (expected 0 to %d)", i+1, g, k-1)
		}
	}
	var rows []Table1Row
	for _, v := range vars {
		if len(v.Values) != len(group) {
			return nil, fmt.Errorf("variable %s has %d values for %d rows", v.Name, len(v.Values), len(group))
		}
		if v.Levels != nil {
			rows = append(rows, categoricalRowsK(v, group, groupNames)...)
		} else {
			rows = append(rows, continuousRowK(v, group, groupNames))
		}
	}
	return rows, nil
}

func categoricalRowsK(v Variable, group []int, names []string) []Table1Row {
	k, nl := len(names), len(v.Levels)
	counts := make([][]float64, k) // counts[g][level]
	miss := make([]int, k)
	for g := range counts {
		counts[g] = make([]float64, nl)
	}
	for i, x := range v.Values {
		if math.IsNaN(x) {
			miss[group[i]]++
			continue
		}
		counts[group[i]][int(x)]++
	}
	totals := make([]float64, k)
	var total float64
	var totalMiss int
	for g := range counts {
		totals[g] = sum(counts[g])
		total += totals[g]
		totalMiss += miss[g]
	}
	rows := make([]Table1Row, nl)
	for j := range v.Levels {
		r := &rows[j]
		r.Variable, r.Level, r.Kind = v.Name, v.Levels[j], "categorical"
		r.Groups = make([]GroupSummary, k)
		var all float64
		for g := range names {
			r.Groups[g] = GroupSummary{Group: names[g], N: int(counts[g][j]), Percent: percent(counts[g][j], totals[g])}
			all += counts[g][j]
		}
		r.OverallN, r.OverallPercent = int(all), percent(all, total)
	}
	first := &rows[0]
	for g := range names {
		first.Groups[g].Missing = ptrInt(miss[g])
	}
	first.OverallMissing = ptrInt(totalMiss)
	// The levels × groups table without empty levels or groups: they
	// carry no information for the tests.
	var used []int
	for g := range names {
		if totals[g] > 0 {
			used = append(used, g)
		}
	}
	var table [][]float64
	for j := 0; j < nl; j++ {
		row := make([]float64, 0, len(used))
		var s float64
		for _, g := range used {
			row = append(row, counts[g][j])
			s += counts[g][j]
		}
		if s > 0 {
			table = append(table, row)
		}
	}
	switch {
	case len(used) < 2:
		first.Note = "no test: fewer than two groups have values"
		return rows
	case len(table) < 2:
		first.Note = "no test: only one level observed"
		return rows
	}
	categoricalTest(table, first)
	if nl-1 > SMDMaxLevels {
		first.Note = joinNote(first.Note, SMDTooManyLevels(nl))
		return rows
	}
	first.SMD = ptr(SMDMeanPairwise(k, func(a, b int) float64 { return SMDCategorical(counts[a], counts[b]) }))
	return rows
}

func continuousRowK(v Variable, group []int, names []string) Table1Row {
	k := len(names)
	r := Table1Row{Variable: v.Name, Kind: "continuous", Nonnormal: v.Nonnormal, Groups: make([]GroupSummary, k)}
	split := make([][]float64, k)
	for i, x := range v.Values {
		split[group[i]] = append(split[group[i]], x)
	}
	clean := make([][]float64, k)
	withValues := 0
	for g := range names {
		s := Summarize(split[g])
		c := GroupSummary{Group: names[g], N: s.N}
		c.Mean, c.SD, c.Median, c.Q1, c.Q3, c.Missing = summaryPtrs(s)
		r.Groups[g] = c
		clean[g] = dropNaN(split[g])
		if s.N > 0 {
			withValues++
		}
	}
	so := Summarize(v.Values)
	r.OverallN = so.N
	r.OverallMean, r.OverallSD, r.OverallMedian, r.OverallQ1, r.OverallQ3, r.OverallMissing = summaryPtrs(so)
	if withValues < 2 {
		r.Note = "no test: fewer than two groups have values"
		return r
	}
	if smd := SMDMeanPairwise(k, func(a, b int) float64 { return SMDContinuous(clean[a], clean[b]) }); !math.IsNaN(smd) {
		r.SMD = ptr(smd)
	}
	if v.Nonnormal {
		kw, err := KruskalWallis(clean)
		if err != nil {
			r.Note = "no test: " + err.Error()
			return r
		}
		r.Test, r.Statistic, r.DF, r.PValue = TestKruskal, ptr(kw.Statistic), ptr(kw.DF), ptr(kw.PValue)
		return r
	}
	w, err := WelchANOVA(clean)
	if err != nil {
		r.Note = "no test: " + err.Error()
		return r
	}
	r.Test, r.Statistic, r.DF, r.DF2, r.PValue = TestWelchANOVA, ptr(w.Statistic), ptr(w.DF1), ptr(w.DF2), ptr(w.PValue)
	return r
}
