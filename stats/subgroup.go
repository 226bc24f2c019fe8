package stats

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// HolmAdjust returns Holm's step-down adjusted p-values, as R's
// p.adjust(p, method = "holm"): with the m non-NaN p-values sorted
// ascending, p̃₍ᵢ₎ = min(1, max_{j≤i} (m − j + 1) p₍ⱼ₎). NaN entries pass
// through unchanged and do not count in m. The input is not modified.
func HolmAdjust(p []float64) []float64 {
	out, idx, vals := adjustSetup(p)
	m := float64(len(vals))
	order := sortedOrder(vals, false)
	run := math.Inf(-1)
	for rank, k := range order {
		run = math.Max(run, (m-float64(rank))*vals[k])
		out[idx[k]] = math.Min(1, run)
	}
	return out
}

// BHAdjust returns Benjamini-Hochberg false-discovery-rate adjusted
// p-values, as R's p.adjust(p, method = "BH"): with the m non-NaN p-values
// sorted ascending, p̃₍ᵢ₎ = min(1, min_{j≥i} m p₍ⱼ₎ / j). NaN entries pass
// through unchanged and do not count in m. The input is not modified.
func BHAdjust(p []float64) []float64 {
	out, idx, vals := adjustSetup(p)
	m := len(vals)
	order := sortedOrder(vals, true) // descending, i = m, m−1, …
	run := math.Inf(1)
	for pos, k := range order {
		i := float64(m - pos)
		run = math.Min(run, float64(m)/i*vals[k])
		out[idx[k]] = math.Min(1, run)
	}
	return out
}

// adjustSetup copies p (so NaN entries stay) and collects the non-NaN values
// with their positions.
func adjustSetup(p []float64) (out []float64, idx []int, vals []float64) {
	out = make([]float64, len(p))
	copy(out, p)
	for i, v := range p {
		if !math.IsNaN(v) {
			idx = append(idx, i)
			vals = append(vals, v)
		}
	}
	return out, idx, vals
}

// sortedOrder is R's order(v) / order(v, decreasing = TRUE): stable, so
// ties keep their input order.
func sortedOrder(v []float64, decreasing bool) []int {
	o := make([]int, len(v))
	for i := range o {
		o[i] = i
	}
	sort.SliceStable(o, func(a, b int) bool {
		if decreasing {
			return v[o[a]] > v[o[b]]
		}
		return v[o[a]] < v[o[b]]
	})
	return o
}

// HeterogeneityResult is an inverse-variance fixed-effect meta-analysis of
// subgroup estimates with Cochran's Q, as metafor's rma(yi, sei = se,
// method = "FE") reports it: Estimate (beta), SE (se), Z (zval), P (pval),
// the 95% interval (ci.lb, ci.ub), Q (QE), DF (k − 1), QP (QEp) and I2 (I², in
// percent).
type HeterogeneityResult struct {
	K        int     `json:"k"`
	Estimate float64 `json:"estimate"`
	SE       float64 `json:"se"`
	Z        float64 `json:"z"`
	P        float64 `json:"p_value"`
	ConfLow  float64 `json:"conf_low"`
	ConfHigh float64 `json:"conf_high"`
	Q        float64 `json:"q"`
	DF       int     `json:"df"`
	QP       float64 `json:"q_p_value"`
	I2       float64 `json:"i2"`
}

// CochranQ pools subgroup estimates est (e.g. log odds ratios) with standard
// errors se by inverse-variance weighting and tests their heterogeneity:
//
//	w_i = 1/se_i²,  θ = Σ w_i est_i / Σ w_i,  SE(θ) = 1/sqrt(Σ w_i)
//	Q = Σ w_i (est_i − θ)²  ~ χ²(k − 1),  I² = max(0, (Q − (k−1))/Q)·100
//
// I² is 0 when Q = 0. It fails with fewer than two estimates, mismatched
// lengths, or a non-finite estimate or non-positive standard error.
func CochranQ(est, se []float64) (HeterogeneityResult, error) {
	k := len(est)
	if len(se) != k {
		return HeterogeneityResult{}, fmt.Errorf("stats: %d estimates but %d standard errors", k, len(se))
	}
	if k < 2 {
		return HeterogeneityResult{}, fmt.Errorf("stats: heterogeneity needs at least 2 estimates, have %d", k)
	}
	var sw, swy float64
	for i := range k {
		if math.IsNaN(est[i]) || math.IsInf(est[i], 0) {
			return HeterogeneityResult{}, fmt.Errorf("stats: estimate %d is %v", i, est[i])
		}
		if !(se[i] > 0) || math.IsInf(se[i], 0) {
			return HeterogeneityResult{}, fmt.Errorf("stats: standard error %d is %v, must be positive and finite", i, se[i])
		}
		w := 1 / (se[i] * se[i])
		sw += w
		swy += w * est[i]
	}
	theta := swy / sw
	var q float64
	for i := range k {
		d := est[i] - theta
		q += d * d / (se[i] * se[i])
	}
	df := k - 1
	i2 := 0.0
	if q > float64(df) {
		i2 = (q - float64(df)) / q * 100
	}
	seTheta := 1 / math.Sqrt(sw)
	z := theta / seTheta
	std := distuv.Normal{Mu: 0, Sigma: 1}
	zc := std.Quantile(0.975)
	return HeterogeneityResult{
		K: k, Estimate: theta, SE: seTheta, Z: z, P: NormalTwoSidedP(z),
		ConfLow: theta - zc*seTheta, ConfHigh: theta + zc*seTheta,
		Q: q, DF: df, QP: distuv.ChiSquared{K: float64(df)}.Survival(q), I2: i2,
	}, nil
}
