package stats

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Quantile7 returns the p-quantile of x as R's quantile(x, p, type = 7)
// (the R default, also used by tableone and gtsummary):
//
//	h = (n-1)·p,  Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)
//
// on the sorted non-NaN values (0-based order statistics). NaN entries are
// ignored, like na.rm = TRUE. x is not modified. The result is NaN when no
// non-NaN value is left or p is outside [0, 1].
//
// gonum's stat.Quantile implements other definitions, hence this function.
func Quantile7(x []float64, p float64) float64 {
	s := sortedFinite(x)
	return quantile7Sorted(s, p)
}

// Quantile7Sorted is Quantile7 on x already sorted ascending and free of
// NaN, without Quantile7's sorted copy (for callers taking several
// quantiles of one large sorted vector).
func Quantile7Sorted(x []float64, p float64) float64 { return quantile7Sorted(x, p) }

// sortedFinite returns a sorted copy of x without NaN entries.
func sortedFinite(x []float64) []float64 {
	s := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			s = append(s, v)
		}
	}
	slices.Sort(s)
	return s
}

// quantile7Sorted is Quantile7 on already sorted, NaN-free data; it mirrors
// R's arithmetic ((1-h)·lo + h·hi) so results agree to the last bit.
func quantile7Sorted(s []float64, p float64) float64 {
	n := len(s)
	if n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	index := float64(n-1) * p
	lo := math.Floor(index)
	hi := math.Ceil(index)
	q := s[int(lo)]
	h := index - lo
	if h > 0 && s[int(hi)] != q {
		q = (1-h)*q + h*s[int(hi)]
	}
	return q
}

// Summary describes one continuous variable as a Table 1 does.
//
// N counts the non-missing values and Missing the NaN entries (which are
// excluded from every statistic). SD uses the n−1 denominator. Median, Q1
// and Q3 are R type-7 quantiles (see Quantile7). Statistics that are
// undefined (all of them when N == 0, SD when N < 2) are NaN and marshal to
// JSON null.
type Summary struct {
	N       int     `json:"n"`
	Missing int     `json:"missing"`
	Mean    float64 `json:"mean"`
	SD      float64 `json:"sd"`
	Median  float64 `json:"median"`
	Q1      float64 `json:"q1"`
	Q3      float64 `json:"q3"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
}

// Summarize returns n, missing, mean, sd (n−1), median, q1, q3, min and max
// of x; NaN entries are counted as missing and excluded.
func Summarize(x []float64) Summary {
	s := sortedFinite(x)
	n := len(s)
	out := Summary{N: n, Missing: len(x) - n}
	nan := math.NaN()
	if n == 0 {
		out.Mean, out.SD, out.Median, out.Q1, out.Q3, out.Min, out.Max = nan, nan, nan, nan, nan, nan, nan
		return out
	}
	out.Mean, out.SD = meanSD(s)
	out.Median = quantile7Sorted(s, 0.5)
	out.Q1 = quantile7Sorted(s, 0.25)
	out.Q3 = quantile7Sorted(s, 0.75)
	out.Min = s[0]
	out.Max = s[n-1]
	return out
}

// meanSD returns mean(x) and sd(x) (n−1 denominator, NaN for one value)
// of NaN-free x, as R's mean() and sd() give them. R accumulates both in
// long double, so the mean of finite values near 1e308 is finite although
// their double sum overflows; here that case is computed on the values
// scaled by an exact power of two (a scaling that loses nothing but
// subnormal bits far below the result), with R's second refining pass.
// The variance is scaled back as R converts its long double variance to a
// double, so sd is Inf exactly where R's is. Other data take the plain
// path, whose results are unchanged.
func meanSD(x []float64) (mean, sd float64) {
	n := float64(len(x))
	mean, sd = stat.Mean(x, nil), math.NaN()
	if len(x) > 1 {
		sd = stat.StdDev(x, nil)
	}
	if !math.IsInf(mean, 0) && !math.IsNaN(mean) {
		return mean, sd
	}
	maxAbs := 0.0
	for _, v := range x {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	if math.IsInf(maxAbs, 0) || math.IsNaN(maxAbs) {
		return mean, sd // an infinite value: the mean is truly infinite or undefined
	}
	_, e := math.Frexp(maxAbs)
	scaled := make([]float64, len(x))
	for i, v := range x {
		scaled[i] = math.Ldexp(v, -e) // |scaled| < 1, so the sum cannot overflow
	}
	m := stat.Mean(scaled, nil)
	var t float64
	for _, v := range scaled {
		t += v - m
	}
	m += t / n
	mean = math.Ldexp(m, e)
	if len(x) > 1 {
		sd = math.Sqrt(math.Ldexp(stat.Variance(scaled, nil), 2*e))
	}
	return mean, sd
}

// MarshalJSON writes undefined (NaN) statistics as null, because
// encoding/json cannot represent NaN.
func (s Summary) MarshalJSON() ([]byte, error) {
	f := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return json.Marshal(struct {
		N       int      `json:"n"`
		Missing int      `json:"missing"`
		Mean    *float64 `json:"mean"`
		SD      *float64 `json:"sd"`
		Median  *float64 `json:"median"`
		Q1      *float64 `json:"q1"`
		Q3      *float64 `json:"q3"`
		Min     *float64 `json:"min"`
		Max     *float64 `json:"max"`
	}{s.N, s.Missing, f(s.Mean), f(s.SD), f(s.Median), f(s.Q1), f(s.Q3), f(s.Min), f(s.Max)})
}

// SMDContinuous returns the absolute standardized mean difference of two
// groups as tableone reports it:
//
//	|mean(x) − mean(y)| / sqrt((var(x) + var(y)) / 2)
//
// with n−1 variances. tableone prints the absolute value, so the sign is
// dropped. Values near the largest (or smallest) float64 are scaled
// first, so that the result is finite wherever the formula is. NaN entries are ignored (na.rm = TRUE). The result is NaN when a
// group has fewer than two values, and +Inf when both variances are zero but
// the means differ; callers should report "not defined" for those.
func SMDContinuous(x, y []float64) float64 {
	xs, ys := sortedFinite(x), sortedFinite(y)
	if len(xs) < 2 || len(ys) < 2 {
		return math.NaN()
	}
	// The SMD does not change with the unit, but the sums and squares
	// of values near 1e308 overflow (and those of values near 1e-300
	// underflow): such data is first scaled by a power of two (exact),
	// and data of ordinary size is left as it is.
	if big := max(math.Abs(xs[0]), math.Abs(xs[len(xs)-1]), math.Abs(ys[0]), math.Abs(ys[len(ys)-1])); (big > 0x1p500 || big < 0x1p-500) && big > 0 && !math.IsInf(big, 0) {
		_, e := math.Frexp(big)
		for i := range xs {
			xs[i] = math.Ldexp(xs[i], -e)
		}
		for i := range ys {
			ys[i] = math.Ldexp(ys[i], -e)
		}
	}
	mx, vx := stat.MeanVariance(xs, nil)
	my, vy := stat.MeanVariance(ys, nil)
	return math.Abs(mx-my) / math.Sqrt((vx+vy)/2)
}

// ginvTol is MASS::ginv's relative tolerance for dropping singular values,
// sqrt(.Machine$double.eps) = 2⁻²⁶.
const ginvTol = 0x1p-26

// SMDMaxLevels bounds the levels (after the first) of SMDCategorical:
// its (k−1)×(k−1) covariance takes (k−1)² cells and its SVD O(k³) time,
// about a second at 500 levels and twenty at 1000 on a laptop core, so
// above it the SMD is NaN and Table 1 says why (SMDTooManyLevels).
const SMDMaxLevels = 500

// SMDTooManyLevels is Table 1's note for a categorical variable whose SMD
// is not computed because it has more than SMDMaxLevels + 1 levels.
func SMDTooManyLevels(levels int) string {
	return fmt.Sprintf("SMD not computed: %d levels (the multi-level SMD's covariance is computed up to %d levels)", levels, SMDMaxLevels+1)
}

// SMDCategorical returns the multi-level standardized mean difference of
// Yang & Dalton (2012) for a categorical variable, exactly as tableone
// computes it (smdModules.R: LstMeansFromFullTable, MultinomialVar,
// StdDiffFromLstMeans). countsX[k] and countsY[k] are the counts of level k
// in the two groups. With p and q the level proportions of each group over
// levels 2..K (the first level is dropped as redundant when K > 1):
//
//	S_g,kk = p_k(1 − p_k),  S_g,kl = −p_k p_l,   S = (S_x + S_y) / 2
//	SMD = sqrt((p − q)ᵀ S⁺ (p − q))
//
// For a binary variable this is |p − q| / sqrt((p(1−p) + q(1−q)) / 2).
//
// S⁺ is the Moore-Penrose generalized inverse, as tableone's MASS::ginv:
// singular values ≤ sqrt(machine eps)·(largest) are treated as zero. A
// level absent in both groups thus contributes nothing, and a single-level
// variable (or identical proportions) gives 0. The result is NaN when the
// slices differ in length or a group has no observations, and above
// SMDMaxLevels levels (see there).
func SMDCategorical(countsX, countsY []float64) float64 {
	k := len(countsX)
	if k == 0 || len(countsY) != k || k-1 > SMDMaxLevels {
		return math.NaN()
	}
	nx, ny := sum(countsX), sum(countsY)
	if !(nx > 0) || !(ny > 0) {
		return math.NaN()
	}
	start := 0
	if k > 1 {
		start = 1
	}
	m := k - start
	d := mat.NewVecDense(m, nil)
	s := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		pi, qi := countsX[start+i]/nx, countsY[start+i]/ny
		d.SetVec(i, pi-qi)
		for j := i; j < m; j++ {
			pj, qj := countsX[start+j]/nx, countsY[start+j]/ny
			var v float64
			if i == j {
				v = (pi*(1-pi) + qi*(1-qi)) / 2
			} else {
				v = (-pi*pj - qi*qj) / 2
			}
			s.SetSym(i, j, v)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(s, mat.SVDThin) {
		return math.NaN()
	}
	rank := svd.Rank(ginvTol)
	if rank == 0 {
		return 0
	}
	var sol mat.VecDense
	svd.SolveVecTo(&sol, d, rank)
	q := mat.Dot(d, &sol)
	if q < 0 {
		q = 0
	}
	return math.Sqrt(q)
}

func sum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}
