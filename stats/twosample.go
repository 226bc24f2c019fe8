package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TTestResult is Welch's two-sample t-test as R's t.test(x, y) reports it.
// MeanDiff = MeanX − MeanY; ConfLow/ConfHigh is its ConfLevel interval.
type TTestResult struct {
	Statistic float64 `json:"statistic"`
	DF        float64 `json:"df"`
	PValue    float64 `json:"p_value"`
	NX        int     `json:"n_x"`
	NY        int     `json:"n_y"`
	MeanX     float64 `json:"mean_x"`
	MeanY     float64 `json:"mean_y"`
	MeanDiff  float64 `json:"mean_diff"`
	StdErr    float64 `json:"std_err"`
	ConfLevel float64 `json:"conf_level"`
	ConfLow   float64 `json:"conf_low"`
	ConfHigh  float64 `json:"conf_high"`
}

// WelchTTest compares the means of x and y without assuming equal variances
// (R: t.test(x, y), two-sided, 95% CI):
//
//	se² = s_x²/n_x + s_y²/n_y,  t = (mean_x − mean_y)/se
//	df  = se⁴ / ((s_x²/n_x)²/(n_x−1) + (s_y²/n_y)²/(n_y−1))   (Welch–Satterthwaite)
//	p   = 2·P(T_df > |t|),  CI = mean_x − mean_y ± t_{df,0.975}·se
//
// NaN entries are dropped (R's na.action). It fails when a group has fewer
// than two values, or when both groups are constant (R: "data are
// essentially constant"), since t is then undefined.
func WelchTTest(x, y []float64) (TTestResult, error) {
	xs, ys := dropNaN(x), dropNaN(y)
	nx, ny := len(xs), len(ys)
	if nx < 2 || ny < 2 {
		return TTestResult{}, fmt.Errorf("stats: t-test needs at least 2 non-missing values per group (have %d and %d)", nx, ny)
	}
	mx, vx := stat.MeanVariance(xs, nil)
	my, vy := stat.MeanVariance(ys, nil)
	sx2, sy2 := vx/float64(nx), vy/float64(ny)
	se := math.Sqrt(sx2 + sy2)
	// Same test as R: a standard error this small relative to the means is
	// rounding noise, so t would be meaningless.
	if se < 10*0x1p-52*math.Max(math.Abs(mx), math.Abs(my)) || se == 0 {
		return TTestResult{}, errors.New("stats: t-test undefined: both groups have zero variance (data are essentially constant)")
	}
	df := math.Pow(se, 4) / (sx2*sx2/float64(nx-1) + sy2*sy2/float64(ny-1))
	t := (mx - my) / se
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	p := 2 * dist.Survival(math.Abs(t))
	q := dist.Quantile(0.975)
	return TTestResult{
		Statistic: t, DF: df, PValue: math.Min(1, p),
		NX: nx, NY: ny, MeanX: mx, MeanY: my, MeanDiff: mx - my, StdErr: se,
		ConfLevel: 0.95, ConfLow: (t - q) * se, ConfHigh: (t + q) * se,
	}, nil
}

// WilcoxonResult is the Wilcoxon rank-sum (Mann-Whitney) test as R's
// wilcox.test(x, y, exact = FALSE, correct = TRUE) reports it. Z is the
// continuity-corrected normal deviate behind PValue.
type WilcoxonResult struct {
	Statistic float64 `json:"statistic"`
	Z         float64 `json:"z"`
	PValue    float64 `json:"p_value"`
	NX        int     `json:"n_x"`
	NY        int     `json:"n_y"`
}

// WilcoxonRankSum tests whether x and y come from the same distribution,
// using the normal approximation with tie and continuity corrections exactly
// as R's wilcox.test(x, y, exact = FALSE, correct = TRUE):
//
//	W = Σ rank(x_i) − n_x(n_x+1)/2   (mid-ranks in the pooled sample)
//	σ² = n_x n_y/12 · ((N+1) − Σ(t³ − t)/(N(N−1))),  t = tie-group sizes
//	z = (W − n_x n_y/2 − sign(·)·0.5)/σ,   p = 2·min(Φ(z), 1 − Φ(z))
//
// NaN entries are dropped. It fails when a group is empty or when all
// values are tied (σ = 0).
func WilcoxonRankSum(x, y []float64) (WilcoxonResult, error) {
	xs, ys := dropNaN(x), dropNaN(y)
	nx, ny := len(xs), len(ys)
	if nx == 0 || ny == 0 {
		return WilcoxonResult{}, fmt.Errorf("stats: rank-sum test needs non-missing values in both groups (have %d and %d)", nx, ny)
	}
	n := nx + ny
	type obs struct {
		v   float64
		isX bool
	}
	all := make([]obs, 0, n)
	for _, v := range xs {
		all = append(all, obs{v, true})
	}
	for _, v := range ys {
		all = append(all, obs{v, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	var rankSumX, ties float64
	for i := 0; i < n; {
		j := i + 1
		for j < n && all[j].v == all[i].v {
			j++
		}
		// Positions i..j-1 (0-based) share the mid-rank of ranks i+1..j.
		mid := float64(i+1+j) / 2
		for k := i; k < j; k++ {
			if all[k].isX {
				rankSumX += mid
			}
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	fx, fy, fn := float64(nx), float64(ny), float64(n)
	w := rankSumX - fx*(fx+1)/2
	z := w - fx*fy/2
	var sigma float64
	if n > 1 {
		sigma = math.Sqrt(fx * fy / 12 * ((fn + 1) - ties/(fn*(fn-1))))
	}
	if !(sigma > 0) {
		return WilcoxonResult{}, errors.New("stats: rank-sum test undefined: all values are tied")
	}
	corr := 0.0
	switch {
	case z > 0:
		corr = 0.5
	case z < 0:
		corr = -0.5
	}
	z = (z - corr) / sigma
	return WilcoxonResult{Statistic: w, Z: z, PValue: math.Min(1, NormalTwoSidedP(z)), NX: nx, NY: ny}, nil
}

func dropNaN(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}
