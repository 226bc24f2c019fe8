package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// WelchANOVAResult is Welch's one-way analysis of means.
type WelchANOVAResult struct {
	Statistic float64 `json:"statistic"`
	DF1       float64 `json:"df1"`
	DF2       float64 `json:"df2"`
	PValue    float64 `json:"p_value"`
}

// WelchANOVA tests equal means in k ≥ 2 groups without assuming equal
// variances, as R's oneway.test(y ~ g, var.equal = FALSE). With n_i, m_i,
// s²_i the size, mean and variance of group i:
//
//	w_i = n_i/s²_i,  W = Σ w_i,  m = Σ w_i m_i / W
//	A = Σ w_i (m_i − m)² / (k − 1)
//	λ = Σ (1 − w_i/W)² / (n_i − 1) / (k² − 1)
//	F = A / (1 + 2(k − 2)λ),  df1 = k − 1,  df2 = 1/(3λ)
//
// and p = P(F(df1, df2) > F). NaN entries are dropped; groups left empty
// are ignored (as R drops unused factor levels). It fails when fewer
// than two groups have values, when a group has a single value or when a
// group's values are all equal (zero variance).
func WelchANOVA(groups [][]float64) (WelchANOVAResult, error) {
	var ms, vs, ns []float64
	for _, g := range groups {
		x := dropNaN(g)
		if len(x) == 0 {
			continue
		}
		if len(x) < 2 {
			return WelchANOVAResult{}, errors.New("stats: Welch ANOVA needs at least two values in every group")
		}
		m, v := stat.MeanVariance(x, nil)
		if !(v > 0) {
			return WelchANOVAResult{}, errors.New("stats: Welch ANOVA undefined: a group has zero variance")
		}
		ms, vs, ns = append(ms, m), append(vs, v), append(ns, float64(len(x)))
	}
	k := float64(len(ms))
	if len(ms) < 2 {
		return WelchANOVAResult{}, fmt.Errorf("stats: Welch ANOVA needs at least two groups with values (have %d)", len(ms))
	}
	w := make([]float64, len(ms))
	var sw, swm float64
	for i := range ms {
		w[i] = ns[i] / vs[i]
		sw += w[i]
		swm += w[i] * ms[i]
	}
	m := swm / sw
	var a, lambda float64
	for i := range ms {
		a += w[i] * (ms[i] - m) * (ms[i] - m)
		r := 1 - w[i]/sw
		lambda += r * r / (ns[i] - 1)
	}
	a /= k - 1
	lambda /= k*k - 1
	f := a / (1 + 2*(k-2)*lambda)
	df1, df2 := k-1, 1/(3*lambda)
	p := distuv.F{D1: df1, D2: df2}.Survival(f)
	return WelchANOVAResult{Statistic: f, DF1: df1, DF2: df2, PValue: p}, nil
}

// KruskalWallisResult is the Kruskal–Wallis rank-sum test.
type KruskalWallisResult struct {
	Statistic float64 `json:"statistic"`
	DF        float64 `json:"df"`
	PValue    float64 `json:"p_value"`
}

// KruskalWallis tests equal distributions in k ≥ 2 groups by ranks, as
// R's kruskal.test(x, g): with mid-ranks in the pooled sample of N
// values, R_i the rank sum and n_i the size of group i, and t the sizes
// of the groups of tied values,
//
//	H = (12/(N(N+1)) Σ R_i²/n_i − 3(N+1)) / (1 − Σ(t³ − t)/(N³ − N))
//
// and p = P(χ²(k − 1) > H) (the chi-square approximation; R has no exact
// version). NaN entries are dropped and empty groups ignored. It fails
// when fewer than two groups have values or when all values are tied.
func KruskalWallis(groups [][]float64) (KruskalWallisResult, error) {
	type obs struct {
		v float64
		g int
	}
	var all []obs
	var sizes []float64
	for _, g := range groups {
		x := dropNaN(g)
		if len(x) == 0 {
			continue
		}
		for _, v := range x {
			all = append(all, obs{v, len(sizes)})
		}
		sizes = append(sizes, float64(len(x)))
	}
	k := len(sizes)
	if k < 2 {
		return KruskalWallisResult{}, fmt.Errorf("stats: Kruskal-Wallis test needs at least two groups with values (have %d)", k)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].v < all[j].v })
	n := len(all)
	rankSum := make([]float64, k)
	var ties float64
	for i := 0; i < n; {
		j := i + 1
		for j < n && all[j].v == all[i].v {
			j++
		}
		mid := float64(i+1+j) / 2
		for q := i; q < j; q++ {
			rankSum[all[q].g] += mid
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	fn := float64(n)
	denom := 1 - ties/(fn*fn*fn-fn)
	if !(denom > 0) {
		return KruskalWallisResult{}, errors.New("stats: Kruskal-Wallis test undefined: all values are tied")
	}
	var s float64
	for i := range sizes {
		s += rankSum[i] * rankSum[i] / sizes[i]
	}
	h := (12*s/(fn*(fn+1)) - 3*(fn+1)) / denom
	df := float64(k - 1)
	return KruskalWallisResult{Statistic: h, DF: df, PValue: distuv.ChiSquared{K: df}.Survival(h)}, nil
}

// SMDMeanPairwise is the standardized mean difference of k ≥ 2 groups as
// R's tableone prints it (print.TableOne, smd = TRUE: the "average"
// column of ExtractSmd): the mean over all pairs of groups of the
// two-group SMD given by smd(i, j). Pairs whose SMD is NaN (a group
// without values) are left out, as tableone's mean(na.rm = TRUE); the
// result is NaN when no pair has one.
func SMDMeanPairwise(k int, smd func(i, j int) float64) float64 {
	var s float64
	var n int
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			if d := smd(i, j); !math.IsNaN(d) {
				s += d
				n++
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}
