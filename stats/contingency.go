package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ChiSquareResult is Pearson's chi-square test of independence as R's
// chisq.test(table, correct = FALSE) reports it. Expected holds the expected
// counts under independence; MinExpected is their minimum, so that callers
// can switch to Fisher's exact test when it is below 5.
type ChiSquareResult struct {
	Statistic   float64     `json:"statistic"`
	DF          int         `json:"df"`
	PValue      float64     `json:"p_value"`
	N           float64     `json:"n"`
	Expected    [][]float64 `json:"expected"`
	MinExpected float64     `json:"min_expected"`
}

// ChiSquareTest runs Pearson's chi-square test on an r×c table of counts
// (rows = levels of one variable, columns = the other), without continuity
// correction:
//
//	E_ij = r_i c_j / n,  X² = Σ (O_ij − E_ij)² / E_ij,  df = (r−1)(c−1)
//
// It fails on a table with fewer than two rows or columns (a single level),
// a ragged or negative table, or an empty row or column (its expected counts
// would be zero; drop unused levels first).
func ChiSquareTest(table [][]float64) (ChiSquareResult, error) {
	rs, cs, n, err := margins(table)
	if err != nil {
		return ChiSquareResult{}, err
	}
	if err := nonEmptyMargins(rs, cs); err != nil {
		return ChiSquareResult{}, err
	}
	r, c := len(rs), len(cs)
	exp := make([][]float64, r)
	minE := math.Inf(1)
	var x2 float64
	for i := range r {
		exp[i] = make([]float64, c)
		for j := range c {
			e := rs[i] * cs[j] / n
			exp[i][j] = e
			minE = math.Min(minE, e)
			d := table[i][j] - e
			x2 += d * d / e
		}
	}
	df := (r - 1) * (c - 1)
	p := distuv.ChiSquared{K: float64(df)}.Survival(x2)
	return ChiSquareResult{Statistic: x2, DF: df, PValue: p, N: n, Expected: exp, MinExpected: minE}, nil
}

// margins validates a contingency table (at least 2×2, rectangular, finite,
// non-negative) and returns its row sums, column sums and total.
func margins(table [][]float64) (rows, cols []float64, n float64, err error) {
	if len(table) < 2 {
		return nil, nil, 0, fmt.Errorf("stats: contingency table needs at least 2 rows (levels), has %d", len(table))
	}
	c := len(table[0])
	if c < 2 {
		return nil, nil, 0, fmt.Errorf("stats: contingency table needs at least 2 columns (levels), has %d", c)
	}
	rows = make([]float64, len(table))
	cols = make([]float64, c)
	for i, row := range table {
		if len(row) != c {
			return nil, nil, 0, fmt.Errorf("stats: contingency table row %d has %d columns, row 0 has %d", i, len(row), c)
		}
		for j, v := range row {
			if !(v >= 0) || math.IsInf(v, 0) {
				return nil, nil, 0, fmt.Errorf("stats: contingency table cell [%d][%d] = %v is not a non-negative count", i, j, v)
			}
			rows[i] += v
			cols[j] += v
			n += v
		}
	}
	return rows, cols, n, nil
}

func nonEmptyMargins(rows, cols []float64) error {
	for i, v := range rows {
		if v == 0 {
			return fmt.Errorf("stats: contingency table row %d is empty (drop unused levels)", i)
		}
	}
	for j, v := range cols {
		if v == 0 {
			return fmt.Errorf("stats: contingency table column %d is empty (drop unused levels)", j)
		}
	}
	return nil
}

// TrendResult is the chi-square test for trend in proportions as R's
// prop.trend.test reports it (df is always 1).
type TrendResult struct {
	Statistic float64 `json:"statistic"`
	DF        int     `json:"df"`
	PValue    float64 `json:"p_value"`
}

// TrendTest is the Cochran-Armitage chi-square test for a linear trend in
// the proportions events[i]/totals[i] across ordered groups with the given
// scores (R: prop.trend.test(events, totals, score)). It is the regression
// sum of squares of the weighted least-squares fit of the proportions f_i on
// the scores s_i, with weights w_i = n_i / (p̄(1−p̄)):
//
//	X² = (Σ w_i (s_i − s̄)(f_i − f̄))² / Σ w_i (s_i − s̄)²   (weighted means)
//
// A nil score means 1, 2, …, k as in R. It fails with fewer than two groups,
// an empty group, constant scores, or when no or every subject has the event.
func TrendTest(events, totals, score []float64) (TrendResult, error) {
	k := len(events)
	if k < 2 || len(totals) != k {
		return TrendResult{}, fmt.Errorf("stats: trend test needs at least 2 groups with matching events and totals (have %d and %d)", k, len(totals))
	}
	if score == nil {
		score = make([]float64, k)
		for i := range score {
			score[i] = float64(i + 1)
		}
	}
	if len(score) != k {
		return TrendResult{}, fmt.Errorf("stats: trend test has %d scores for %d groups", len(score), k)
	}
	var sx, sn float64
	for i := range k {
		if !(totals[i] > 0) || !(events[i] >= 0) || events[i] > totals[i] {
			return TrendResult{}, fmt.Errorf("stats: trend test group %d has events %v of %v", i, events[i], totals[i])
		}
		sx += events[i]
		sn += totals[i]
	}
	pbar := sx / sn
	if pbar == 0 || pbar == 1 {
		return TrendResult{}, errors.New("stats: trend test undefined: the proportion is 0 or 1 in every group")
	}
	var sw, sws, swf float64
	for i := range k {
		w := totals[i] / pbar / (1 - pbar)
		sw += w
		sws += w * score[i]
		swf += w * events[i] / totals[i]
	}
	sbar, fbar := sws/sw, swf/sw
	var sxy, sxx float64
	for i := range k {
		w := totals[i] / pbar / (1 - pbar)
		ds := score[i] - sbar
		sxy += w * ds * (events[i]/totals[i] - fbar)
		sxx += w * ds * ds
	}
	if !(sxx > 0) {
		return TrendResult{}, errors.New("stats: trend test undefined: all scores are equal")
	}
	x2 := sxy * sxy / sxx
	return TrendResult{Statistic: x2, DF: 1, PValue: distuv.ChiSquared{K: 1}.Survival(x2)}, nil
}
