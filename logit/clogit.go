package logit

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// FitConditional fits a conditional logistic regression for matched sets
// by maximising the exact conditional likelihood, as survival's
// clogit(case ~ x + strata(s), method = "exact"). Stratum k with cases C_k
// among its members contributes
//
//	L_k(β) = exp(Σ_{i∈C_k} x_iᵀβ) / Σ_{|S|=|C_k|} exp(Σ_{i∈S} x_iᵀβ),
//
// the sum running over all subsets of the stratum of the size of C_k. The
// denominator B(m, n) and its first two derivatives are computed with the
// recursion of Gail, Lubin & Rubinstein (1981),
//
//	B(m, n) = B(m, n-1) + r_n B(m-1, n-1),  r_n = exp(x_nᵀβ),
//
// in O(n m p²) per stratum instead of enumerating C(n, m) subsets.
// Newton–Raphson starts at β = 0 with step halving, until max|Δβ| ≤
// opts.Tol (default 1e-10). Standard errors are from the inverse observed
// information, with Wald z and p; confidence limits are Wald limits β̂ ±
// z SE, which are what confint() gives for clogit (opts.CI is ignored).
// LogLikelihood is the fitted log conditional likelihood and NullDeviance
// is -2 times its value at β = 0 (fit$loglik); the LR test is
// summary(fit)$logtest. AIC = -2 ll + 2p and BIC = -2 ll + p log(events),
// as R's AIC and BIC for a clogit fit.
//
// The design has no intercept (a leading "(Intercept)" column is dropped:
// it cancels from the conditional likelihood). strata gives each row's
// matched set. Sets with only cases or only controls contribute nothing
// and are reported in a warning. Fitted is left nil.
func FitConditional(d *Design, strata []int, opts Options) (*Model, error) {
	if err := fthValidate(d); err != nil {
		return nil, err
	}
	n, _ := d.X.Dims()
	if len(strata) != n {
		return nil, fmt.Errorf("logit: %d strata labels for %d rows", len(strata), n)
	}
	if err := fthCheckOptions(opts); err != nil {
		return nil, err
	}
	opts = fthDefaults(opts)
	x, names := d.X, d.Names
	if d.Intercept() {
		_, p0 := x.Dims()
		if p0 == 1 {
			return nil, errors.New("logit: conditional model needs at least one covariate besides the intercept")
		}
		x = mat.DenseCopyOf(x.Slice(0, n, 1, p0))
		names = names[1:]
	}
	_, p := x.Dims()

	cp, skipped, err := newClogitProblem(x, d.Y, strata)
	if err != nil {
		return nil, err
	}
	if bad := cp.constantColumns(names); len(bad) > 0 {
		return nil, fmt.Errorf("logit: %s constant within every informative matched set: not estimable in a conditional model",
			strings.Join(bad, ", "))
	}

	beta := make([]float64, p)
	ll0, g, negH, err := cp.eval(beta)
	if err != nil {
		return nil, err
	}
	ll := ll0
	converged := false
	iter := 0
	for iter = 1; iter <= opts.MaxIter; iter++ {
		var ch mat.Cholesky
		if !ch.Factorize(negH) {
			return nil, errors.New("logit: conditional information matrix singular (collinear covariates or an infinite estimate)")
		}
		var delta mat.VecDense
		if err := ch.SolveVecTo(&delta, mat.NewVecDense(p, g)); err != nil {
			return nil, errors.New("logit: conditional information matrix singular")
		}
		step := 1.0
		cand := make([]float64, p)
		var nll float64
		var ng []float64
		var nH *mat.SymDense
		for h := 0; ; h++ {
			for j := range cand {
				cand[j] = beta[j] + step*delta.AtVec(j)
			}
			nll, ng, nH, err = cp.eval(cand)
			if err == nil && nll >= ll-1e-12*(1+math.Abs(ll)) {
				break
			}
			if h >= firthMaxHalvings {
				return nil, errors.New("logit: conditional likelihood step halving failed")
			}
			step /= 2
		}
		mx := 0.0
		for j := range cand {
			mx = math.Max(mx, math.Abs(cand[j]-beta[j]))
		}
		beta, ll, g, negH = cand, nll, ng, nH
		if mx <= opts.Tol {
			converged = true
			break
		}
	}
	if !converged {
		return nil, fmt.Errorf("logit: conditional likelihood did not converge in %d iterations (a coefficient may be infinite)", opts.MaxIter)
	}
	var ch mat.Cholesky
	if !ch.Factorize(negH) {
		return nil, errors.New("logit: conditional information matrix singular at the estimate")
	}
	cov := mat.NewSymDense(p, nil)
	if err := ch.InverseTo(cov); err != nil {
		return nil, fmt.Errorf("logit: conditional information not invertible: %w", err)
	}

	m := &Model{
		Method:        MethodClogit,
		Converged:     true,
		Iterations:    iter,
		N:             n,
		LogLikelihood: ll,
		Deviance:      -2 * ll,
		NullDeviance:  -2 * ll0,
		LRStatistic:   math.Max(0, 2*(ll-ll0)),
		LRDF:          p,
		Coef:          beta,
		Cov:           cov,
	}
	for _, v := range d.Y {
		if v == 1 {
			m.Events++
		}
	}
	m.LRPValue = distuv.ChiSquared{K: float64(p)}.Survival(m.LRStatistic)
	m.AIC = m.Deviance + 2*float64(p)
	m.BIC = m.Deviance + float64(p)*math.Log(float64(m.Events))
	m.EventsPerVariable = math.Min(float64(m.Events), float64(n-m.Events)) / float64(p)
	z := distuv.UnitNormal.Quantile(0.5 + opts.Level/2)
	m.Terms = make([]Term, p)
	for j := 0; j < p; j++ {
		se := math.Sqrt(cov.At(j, j))
		t := Term{Term: names[j], Estimate: beta[j], StdError: se, Statistic: beta[j] / se}
		t.PValue = 2 * distuv.UnitNormal.CDF(-math.Abs(t.Statistic)) // lower tail: Survival loses digits below 1e-16
		t.ConfLow, t.ConfHigh = beta[j]-z*se, beta[j]+z*se
		t.OddsRatio, t.ORConfLow, t.ORConfHigh = math.Exp(beta[j]), math.Exp(t.ConfLow), math.Exp(t.ConfHigh)
		m.Terms[j] = t
	}
	if skipped > 0 {
		m.warn(WarnUninformativeSets, fmt.Sprintf(
			"%d matched sets with only cases or only controls contribute nothing to the conditional likelihood", skipped))
	}
	return m, nil
}

// clogitProblem holds the informative matched sets.
type clogitProblem struct {
	x    *mat.Dense
	p    int
	sets []clogitSet
}

type clogitSet struct {
	rows  []int
	cases int
	// sumCases is Σ x_i over the cases.
	sumCases []float64
}

// newClogitProblem groups rows by stratum (in increasing label order, so
// results do not depend on row order beyond floating-point summation) and
// keeps the sets with both cases and controls.
func newClogitProblem(x *mat.Dense, y []float64, strata []int) (*clogitProblem, int, error) {
	_, p := x.Dims()
	byLabel := map[int][]int{}
	for i, s := range strata {
		byLabel[s] = append(byLabel[s], i)
	}
	labels := make([]int, 0, len(byLabel))
	for s := range byLabel {
		labels = append(labels, s)
	}
	slices.Sort(labels)
	cp := &clogitProblem{x: x, p: p}
	skipped := 0
	for _, s := range labels {
		rows := byLabel[s]
		set := clogitSet{rows: rows, sumCases: make([]float64, p)}
		for _, i := range rows {
			if y[i] == 1 {
				set.cases++
				for j := 0; j < p; j++ {
					set.sumCases[j] += x.At(i, j)
				}
			}
		}
		if set.cases == 0 || set.cases == len(rows) {
			skipped++
			continue
		}
		cp.sets = append(cp.sets, set)
	}
	if len(cp.sets) == 0 {
		return nil, skipped, errors.New("logit: no matched set has both cases and controls")
	}
	return cp, skipped, nil
}

// constantColumns names the columns without variation inside any
// informative set.
func (cp *clogitProblem) constantColumns(names []string) []string {
	var bad []string
	for j := 0; j < cp.p; j++ {
		varies := false
		for _, s := range cp.sets {
			v0 := cp.x.At(s.rows[0], j)
			for _, i := range s.rows[1:] {
				if cp.x.At(i, j) != v0 {
					varies = true
					break
				}
			}
			if varies {
				break
			}
		}
		if !varies {
			bad = append(bad, names[j])
		}
	}
	return bad
}

// eval returns the log conditional likelihood, its gradient and minus its
// Hessian at beta.
func (cp *clogitProblem) eval(beta []float64) (float64, []float64, *mat.SymDense, error) {
	p := cp.p
	var ll float64
	grad := make([]float64, p)
	negH := mat.NewSymDense(p, nil)
	xi := make([]float64, p)
	for _, s := range cp.sets {
		nk, m := len(s.rows), s.cases
		eta := make([]float64, nk)
		var centre float64
		for a, i := range s.rows {
			mat.Row(xi, i, cp.x)
			for j := 0; j < p; j++ {
				eta[a] += xi[j] * beta[j]
			}
			centre += eta[a]
		}
		// Scaling every r_i by e^{-c} scales numerator and denominator by
		// e^{-mc}; centring keeps B(m, n) in range.
		centre /= float64(nk)
		b := make([]float64, m+1)
		db := make([][]float64, m+1)
		d2b := make([]*mat.SymDense, m+1)
		for k := 0; k <= m; k++ {
			db[k] = make([]float64, p)
			d2b[k] = mat.NewSymDense(p, nil)
		}
		b[0] = 1
		for a, i := range s.rows {
			r := math.Exp(eta[a] - centre)
			mat.Row(xi, i, cp.x)
			top := min(a+1, m)
			for k := top; k >= 1; k-- {
				bp, dp, d2p := b[k-1], db[k-1], d2b[k-1]
				for u := 0; u < p; u++ {
					for v := u; v < p; v++ {
						val := d2b[k].At(u, v) + r*(xi[u]*xi[v]*bp+xi[u]*dp[v]+dp[u]*xi[v]+d2p.At(u, v))
						d2b[k].SetSym(u, v, val)
					}
				}
				for u := 0; u < p; u++ {
					db[k][u] += r * (xi[u]*bp + dp[u])
				}
				b[k] += r * bp
			}
		}
		bm := b[m]
		if !(bm > 0) || math.IsInf(bm, 0) {
			return 0, nil, nil, fmt.Errorf("logit: matched set of %d with %d cases overflows the exact likelihood", nk, m)
		}
		var num float64
		for j := 0; j < p; j++ {
			num += s.sumCases[j] * beta[j]
		}
		ll += num - float64(m)*centre - math.Log(bm)
		for u := 0; u < p; u++ {
			eu := db[m][u] / bm
			grad[u] += s.sumCases[u] - eu
			for v := u; v < p; v++ {
				ev := db[m][v] / bm
				negH.SetSym(u, v, negH.At(u, v)+d2b[m].At(u, v)/bm-eu*ev)
			}
		}
	}
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return 0, nil, nil, errors.New("logit: conditional log-likelihood not finite")
	}
	return ll, grad, negH, nil
}
