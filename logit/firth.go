package logit

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Firth fitting defaults. The change tolerance is far below logistf's 1e-4
// so that estimates agree with brglm2 run to convergence to ~1e-10.
const (
	firthDefaultMaxIter = 100
	firthDefaultTol     = 1e-10
	firthMaxStep        = 5 // logistf's maxstep: cap on max|Δβ| per iteration
	firthMaxHalvings    = 30
	firthMaxBracket     = 60
)

// FitFirth fits a logistic regression by Firth's penalized likelihood, the
// log-likelihood plus the log of the Jeffreys prior:
//
//	pl(β) = Σ [y log π + (1-y) log(1-π)] + ½ log det I(β),  I(β) = Xᵀ W X,
//
// whose maximiser solves Firth's modified score
//
//	U*(β) = Xᵀ (y - π + h ∘ (½ - π)) = 0,  h = diag(W^½ X I⁻¹ Xᵀ W^½).
//
// The estimates are those of logistf and of brglm2 with type = "AS_mean";
// they stay finite under separation. The iteration is logistf's: Newton
// steps Δ = I⁻¹ U* capped at max|Δ| = 5, halved while pl decreases, until
// max|Δ| ≤ opts.Tol (default 1e-10) within opts.MaxIter (default 100)
// iterations.
//
// Standard errors are from I(β̂)⁻¹, with Wald z and p as brglm2's summary.
// Confidence limits are, by default, logistf's penalized profile limits:
// the b with 2 (pl(β̂) - max pl(β | β_j = b)) = χ²₁(level); opts.CI =
// CIWald gives β̂ ± z SE. Each Term also carries logistf's penalized
// likelihood-ratio test of β_j = 0 (LRStatistic, LRPValue), and the model
// LR test is 2 (pl(β̂) - pl(β̂₀)) with β̂₀ the penalized fit with only the
// intercept free, as logistf. LogLikelihood, Deviance, AIC and BIC are the
// unpenalized values at β̂ and NullDeviance is that of the intercept-only
// Firth fit, as brglm2 reports them. AUC, Hosmer–Lemeshow, R² (against
// the unpenalized intercept-only MLE) and events per variable are filled
// by FitStatistics from the penalized fitted probabilities. opts.Tol is
// here the tolerance on max|Δβ|, not a deviance change.
//
// A penalized LR test or profile limit that cannot be computed (far out,
// fitted probabilities round to 0 or 1 and I(β) is singular in floating
// point) is left out (nil) or replaced by its Wald limit, with a warning;
// the fit fails only when the estimates themselves cannot be found. Every
// loop is bounded: opts.MaxIter Newton steps of at most 30 halvings each,
// at most 60 doublings and 30 bisections to bracket a profile limit, and
// 200 Brent iterations to solve it.
func FitFirth(d *Design, opts Options) (*Model, error) {
	if err := fthValidate(d); err != nil {
		return nil, err
	}
	if err := fthCheckOptions(opts); err != nil {
		return nil, err
	}
	opts = fthDefaults(opts)
	fp := newFirthProblem(d.X, d.Y)
	n, p := fp.n, fp.p

	start := make([]float64, p)
	res, err := fp.fit(start, nil, opts)
	if err != nil {
		return nil, err
	}
	if !res.converged {
		return nil, fmt.Errorf("logit: Firth iteration did not converge in %d iterations", opts.MaxIter)
	}
	beta := res.beta
	st, err := fp.eval(beta, true)
	if err != nil {
		return nil, err
	}
	cov := mat.NewSymDense(p, nil)
	if err := st.chol.InverseTo(cov); err != nil {
		return nil, fmt.Errorf("logit: Firth information matrix not invertible: %w", err)
	}

	m := &Model{
		Method:     MethodFirth,
		Converged:  true,
		Iterations: res.iter,
		N:          n,
		Coef:       beta,
		Cov:        cov,
		Fitted:     st.pi,
	}
	for _, v := range d.Y {
		if v == 1 {
			m.Events++
		}
	}
	m.LogLikelihood = st.ll
	m.Deviance = -2 * st.ll
	m.AIC = m.Deviance + 2*float64(p)
	m.BIC = m.Deviance + math.Log(float64(n))*float64(p)
	k := p
	if d.Intercept() {
		k = p - 1
	}
	if k > 0 {
		minor := math.Min(float64(m.Events), float64(n-m.Events))
		m.EventsPerVariable = minor / float64(k)
	}

	// Null deviance as brglm2: the intercept-only bias-reduced fit.
	if d.Intercept() {
		ones := mat.NewDense(n, 1, nil)
		for i := 0; i < n; i++ {
			ones.Set(i, 0, 1)
		}
		np := newFirthProblem(ones, d.Y)
		nr, err := np.fit([]float64{0}, nil, opts)
		if err != nil {
			return nil, fmt.Errorf("logit: intercept-only Firth fit: %w", err)
		}
		nst, err := np.eval(nr.beta, false)
		if err != nil {
			return nil, err
		}
		m.NullDeviance = -2 * nst.ll
	} else {
		m.NullDeviance = 2 * float64(n) * math.Ln2
	}

	// Model LR test as logistf: only the intercept free in the null fit.
	chi1 := distuv.ChiSquared{K: 1}
	if k > 0 {
		nullStart := make([]float64, p)
		fixed := make([]bool, p)
		for j := range fixed {
			fixed[j] = true
		}
		if d.Intercept() {
			fixed[0] = false
			nullStart[0] = beta[0]
		}
		nr, err := fp.fit(nullStart, fixed, opts)
		if err != nil {
			return nil, fmt.Errorf("logit: null penalized fit: %w", err)
		}
		m.LRStatistic = math.Max(0, 2*(st.pl-nr.pl))
		m.LRDF = k
		m.LRPValue = distuv.ChiSquared{K: float64(k)}.Survival(m.LRStatistic)
	}

	z := distuv.UnitNormal.Quantile(0.5 + opts.Level/2)
	q := distuv.ChiSquared{K: 1}.Quantile(opts.Level)
	m.Terms = make([]Term, p)
	for j := 0; j < p; j++ {
		se := math.Sqrt(cov.At(j, j))
		t := Term{
			Term:      d.Names[j],
			Estimate:  beta[j],
			StdError:  se,
			Statistic: beta[j] / se,
		}
		t.PValue = 2 * distuv.UnitNormal.CDF(-math.Abs(t.Statistic)) // lower tail: Survival loses digits below 1e-16

		// A part that cannot be computed (the constrained fit fails where
		// fitted probabilities round to 0 or 1) is left out or replaced by
		// its Wald counterpart with a warning; the estimates stand.
		if lr, err := fp.profileStat(beta, st.pl, j, 0, opts); err != nil {
			m.warn(WarnProfile, fmt.Sprintf("penalized likelihood-ratio test of %s not computed: %v", d.Names[j], err))
		} else {
			lrp := chi1.Survival(lr)
			t.LRStatistic, t.LRPValue = &lr, &lrp
		}

		if opts.CI == CIWald {
			t.ConfLow, t.ConfHigh = beta[j]-z*se, beta[j]+z*se
		} else {
			lo, err := fp.profileBound(beta, st.pl, se, q, j, -1, opts)
			if err != nil {
				lo = beta[j] - z*se
				m.warn(WarnProfile, fmt.Sprintf("penalized profile lower limit of %s not computed (%v): Wald limit reported", d.Names[j], err))
			}
			hi, err := fp.profileBound(beta, st.pl, se, q, j, 1, opts)
			if err != nil {
				hi = beta[j] + z*se
				m.warn(WarnProfile, fmt.Sprintf("penalized profile upper limit of %s not computed (%v): Wald limit reported", d.Names[j], err))
			}
			t.ConfLow, t.ConfHigh = lo, hi
			if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
				m.warn(WarnProfile, fmt.Sprintf(
					"penalized profile likelihood of %s never reaches the %g%% limit: reported as infinite", d.Names[j], 100*opts.Level))
			}
		}
		t.OddsRatio = math.Exp(t.Estimate)
		t.ORConfLow = math.Exp(t.ConfLow)
		t.ORConfHigh = math.Exp(t.ConfHigh)
		m.Terms[j] = t
	}
	// AUC, Hosmer–Lemeshow, R² and the EPV warning as for MLE fits; the
	// null deviance and LR test are then put back to the Firth ones.
	nullDev, lr, lrdf, lrp := m.NullDeviance, m.LRStatistic, m.LRDF, m.LRPValue
	if err := FitStatistics(d, m, opts); err != nil {
		// E.g. no events: the estimates stand, the statistics do not.
		m.warn(WarnFitStatistics, "fit statistics not computed: "+err.Error())
	}
	m.NullDeviance, m.LRStatistic, m.LRDF, m.LRPValue = nullDev, lr, lrdf, lrp
	m.warn(WarnPenalized,
		"estimates are penalized (Firth's penalized likelihood, Jeffreys prior): "+
			"log-likelihood, deviance and AIC are unpenalized values at the penalized estimates")
	return m, nil
}

// fthCheckOptions rejects option values that have no default meaning.
func fthCheckOptions(o Options) error {
	if o.CI != "" && o.CI != CIProfile && o.CI != CIWald {
		return fmt.Errorf("logit: unknown CI method %q", o.CI)
	}
	if o.Level < 0 || o.Level >= 1 || math.IsNaN(o.Level) {
		return fmt.Errorf("logit: confidence level %v outside (0, 1)", o.Level)
	}
	return nil
}

// fthDefaults fills the zero values of Options for Firth and clogit fits.
func fthDefaults(o Options) Options {
	if o.MaxIter <= 0 {
		o.MaxIter = firthDefaultMaxIter
	}
	if o.Tol <= 0 {
		o.Tol = firthDefaultTol
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
	if o.CI == "" {
		o.CI = CIProfile
	}
	return o
}

// fthValidate checks a Design for the Firth and separation code.
func fthValidate(d *Design) error {
	if d == nil || d.X == nil {
		return errors.New("logit: nil design")
	}
	n, p := d.X.Dims()
	if n == 0 || p == 0 {
		return errors.New("logit: empty design matrix")
	}
	if len(d.Y) != n {
		return fmt.Errorf("logit: %d outcomes for %d rows", len(d.Y), n)
	}
	if len(d.Names) != p {
		return fmt.Errorf("logit: %d names for %d columns", len(d.Names), p)
	}
	for i, v := range d.Y {
		if v != 0 && v != 1 {
			return fmt.Errorf("logit: outcome %d is %v, not 0/1", i+1, v)
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			if v := d.X.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("logit: X[%d, %s] is %v", i+1, d.Names[j], v)
			}
		}
	}
	return nil
}

// fthInvLogit is the logistic function 1/(1+e^{-η}); a private copy so
// that this file does not depend on glm.go.
func fthInvLogit(eta float64) float64 {
	if eta >= 0 {
		return 1 / (1 + math.Exp(-eta))
	}
	e := math.Exp(eta)
	return e / (1 + e)
}

// fthLog1pExp is log(1+e^η) without overflow.
func fthLog1pExp(eta float64) float64 {
	if eta > 0 {
		return eta + math.Log1p(math.Exp(-eta))
	}
	return math.Log1p(math.Exp(eta))
}

type firthProblem struct {
	x    *mat.Dense // contiguous copy, so xd is row-major n×p
	xd   []float64
	y    []float64
	n, p int
}

func newFirthProblem(x *mat.Dense, y []float64) *firthProblem {
	n, p := x.Dims()
	xc := mat.DenseCopyOf(x)
	return &firthProblem{x: xc, xd: xc.RawMatrix().Data, y: y, n: n, p: p}
}

// firthState is everything evaluated at one β.
type firthState struct {
	pi    []float64
	w     []float64 // π(1-π)
	h     []float64 // hat values, filled with the score
	chol  mat.Cholesky
	ll    float64 // log-likelihood
	pl    float64 // penalized log-likelihood
	score []float64
}

var errFirthSingular = errors.New("logit: Fisher information is singular (collinear columns or fitted probabilities 0/1)")

// eval computes π, the Cholesky factor of I(β), ll, pl and, when
// withScore, Firth's modified score.
func (fp *firthProblem) eval(beta []float64, withScore bool) (*firthState, error) {
	n, p := fp.n, fp.p
	st := &firthState{pi: make([]float64, n), w: make([]float64, n)}
	eta := mat.NewVecDense(n, nil)
	eta.MulVec(fp.x, mat.NewVecDense(p, beta))
	xwd := make([]float64, n*p)
	w := st.w
	for i := 0; i < n; i++ {
		e := eta.AtVec(i)
		pi := fthInvLogit(e)
		st.pi[i] = pi
		st.ll += fp.y[i]*e - fthLog1pExp(e)
		w[i] = pi * fthInvLogit(-e)
		sw := math.Sqrt(w[i])
		row, dst := fp.xd[i*p:(i+1)*p], xwd[i*p:(i+1)*p]
		for j, v := range row {
			dst[j] = sw * v
		}
	}
	xw := mat.NewDense(n, p, xwd)
	info := mat.NewSymDense(p, nil)
	info.SymOuterK(1, xw.T())
	if !st.chol.Factorize(info) {
		return nil, errFirthSingular
	}
	st.pl = st.ll + 0.5*st.chol.LogDet()
	if math.IsNaN(st.pl) || math.IsInf(st.pl, 0) {
		return nil, errFirthSingular
	}
	if !withScore {
		return st, nil
	}
	// h_i = w_i x_iᵀ I⁻¹ x_i.
	var z mat.Dense
	if err := st.chol.SolveTo(&z, fp.x.T()); err != nil {
		return nil, errFirthSingular
	}
	r := make([]float64, n)
	st.h = make([]float64, n)
	zr := z.RawMatrix()
	for i := 0; i < n; i++ {
		var h float64
		row := fp.xd[i*p : (i+1)*p]
		for j, v := range row {
			h += v * zr.Data[j*zr.Stride+i]
		}
		h *= w[i]
		st.h[i] = h
		r[i] = fp.y[i] - st.pi[i] + h*(0.5-st.pi[i])
	}
	u := mat.NewVecDense(p, nil)
	u.MulVec(fp.x.T(), mat.NewVecDense(n, r))
	st.score = u.RawVector().Data
	return st, nil
}

type firthResult struct {
	beta      []float64
	pl        float64
	iter      int
	converged bool
}

// fit maximises pl over the coefficients not marked in fixed (nil: all
// free), starting from start, whose fixed entries are kept.
func (fp *firthProblem) fit(start []float64, fixed []bool, opts Options) (firthResult, error) {
	p := fp.p
	beta := append([]float64(nil), start...)
	free := make([]int, 0, p)
	for j := 0; j < p; j++ {
		if fixed == nil || !fixed[j] {
			free = append(free, j)
		}
	}
	st, err := fp.eval(beta, true)
	if err != nil {
		return firthResult{}, err
	}
	if len(free) == 0 {
		return firthResult{beta: beta, pl: st.pl, converged: true}, nil
	}
	k := len(free)
	exact, prevStep := false, 0.0
	for it := 1; it <= opts.MaxIter; it++ {
		// logistf's Fisher step (Hessian of pl ≈ -I) while it converges
		// fast; once the steps shrink by less than a factor 10 per
		// iteration, Newton steps with the exact Hessian of pl (where it
		// is negative definite on the free block). Both have the same
		// fixed point; the exact Hessian restores quadratic convergence
		// where the penalty's curvature is large (separated data, far
		// profile points), where Fisher steps converge only linearly.
		info := mat.NewSymDense(p, nil)
		st.chol.ToSym(info)
		uf := mat.NewVecDense(k, nil)
		for a, ja := range free {
			uf.SetVec(a, st.score[ja])
		}
		var ch mat.Cholesky
		ok := false
		if exact {
			ok = ch.Factorize(fthSubSym(fp.negHessian(st), free))
		}
		if !ok && !ch.Factorize(fthSubSym(info, free)) {
			return firthResult{}, errFirthSingular
		}
		var delta mat.VecDense
		if err := ch.SolveVecTo(&delta, uf); err != nil {
			return firthResult{}, errFirthSingular
		}
		mx := 0.0
		for a := 0; a < k; a++ {
			mx = math.Max(mx, math.Abs(delta.AtVec(a)))
		}
		if mx > firthMaxStep {
			delta.ScaleVec(firthMaxStep/mx, &delta)
			mx = firthMaxStep
		}
		var next *firthState
		cand := make([]float64, p)
		step := 1.0
		for h := 0; ; h++ {
			copy(cand, beta)
			for a, j := range free {
				cand[j] += step * delta.AtVec(a)
			}
			ns, err := fp.eval(cand, true)
			if err == nil && (ns.pl >= st.pl-1e-12*(1+math.Abs(st.pl)) || h >= firthMaxHalvings) {
				next = ns
				break
			}
			if h >= firthMaxHalvings {
				return firthResult{}, fmt.Errorf("logit: step halving failed: %w", err)
			}
			step /= 2
		}
		beta, st = cand, next
		if step*mx <= opts.Tol {
			return firthResult{beta: beta, pl: st.pl, iter: it, converged: true}, nil
		}
		switch {
		case exact && step < 0.125:
			// Exact-Hessian directions that need three or more halvings
			// are poor (far profile points, where the penalty's
			// curvature is nearly singular): back to Fisher steps,
			// which are always ascent directions.
			exact = false
		case it > 1 && step*mx > 0.1*prevStep:
			exact = true
		}
		prevStep = step * mx
	}
	return firthResult{beta: beta, pl: st.pl, iter: opts.MaxIter, converged: false}, nil
}

// fthSubSym is the symmetric submatrix of a on rows/columns idx.
func fthSubSym(a *mat.SymDense, idx []int) *mat.SymDense {
	k := len(idx)
	sub := mat.NewSymDense(k, nil)
	for i, ji := range idx {
		for j := i; j < k; j++ {
			sub.SetSym(i, j, a.At(ji, idx[j]))
		}
	}
	return sub
}

// negHessian is -∂²pl/∂β∂βᵀ at a state evaluated with its score. With
// w' = w(1-2π), w” = w(1-6w), A_a = Xᵀ diag(w' x_a) X and B_a = I⁻¹ A_a,
//
//	-∂²pl/∂β_a∂β_b = I_ab - ½ Σ_i x_ia x_ib (1-6w_i) h_i + ½ tr(B_a B_b),
//
// the last two terms being the second derivative of ½ log det I(β).
func (fp *firthProblem) negHessian(st *firthState) *mat.SymDense {
	n, p := fp.n, fp.p
	info := mat.NewSymDense(p, nil)
	st.chol.ToSym(info)
	// t1 = Xᵀ diag(½ (1-6w) h) X and, in one product, every
	// A_a = Xᵀ diag(w' x_a) X as the p×p² matrix Xᵀ G with
	// G[i, a p + k] = w'_i x_ia x_ik.
	xs := make([]float64, n*p)
	g := make([]float64, n*p*p)
	for i := 0; i < n; i++ {
		row := fp.xd[i*p : (i+1)*p]
		c := 0.5 * (1 - 6*st.w[i]) * st.h[i]
		wp := st.w[i] * (1 - 2*st.pi[i])
		gi := g[i*p*p : (i+1)*p*p]
		for a, va := range row {
			xs[i*p+a] = c * va
			f := wp * va
			for k, vk := range row {
				gi[a*p+k] = f * vk
			}
		}
	}
	var t1 mat.Dense
	t1.Mul(fp.x.T(), mat.NewDense(n, p, xs))
	var aa, bb mat.Dense
	aa.Mul(fp.x.T(), mat.NewDense(n, p*p, g))
	if err := st.chol.SolveTo(&bb, &aa); err != nil {
		return info
	}
	// B_a = I⁻¹ A_a is bb[:, a p : (a+1) p].
	br := bb.RawMatrix()
	out := mat.NewSymDense(p, nil)
	for a := 0; a < p; a++ {
		for b := a; b < p; b++ {
			var tr float64
			for r := 0; r < p; r++ {
				rowR := br.Data[r*br.Stride:]
				for s := 0; s < p; s++ {
					tr += rowR[a*p+s] * br.Data[s*br.Stride+b*p+r]
				}
			}
			out.SetSym(a, b, info.At(a, b)-0.5*(t1.At(a, b)+t1.At(b, a))+0.5*tr)
		}
	}
	return out
}

// profilePL is max pl(β | β_j = b), started from warm (with β_j replaced).
// Should that start fail (far from warm, Newton can wander into the region
// where I(β) is singular in floating point), the fit is retried from the
// first-order predictor of the profile path,
//
//	β_-j = warm_-j - I_-j,-j⁻¹ I_-j,j (b - warm_j),
//
// which keeps the linear predictor where the data are.
func (fp *firthProblem) profilePL(warm []float64, j int, b float64, opts Options) (firthResult, error) {
	start := append([]float64(nil), warm...)
	start[j] = b
	fixed := make([]bool, fp.p)
	fixed[j] = true
	r, err := fp.fit(start, fixed, opts)
	if err == nil && !r.converged {
		err = fmt.Errorf("constrained fit at %g did not converge", b)
	}
	if err == nil {
		return r, nil
	}
	if pred, ok := fp.predictor(warm, j, b); ok {
		if r2, err2 := fp.fit(pred, fixed, opts); err2 == nil && r2.converged {
			return r2, nil
		}
	}
	return r, err
}

// predictor is the first-order predictor of the profile path at β_j = b
// from warm; ok is false where it cannot be computed.
func (fp *firthProblem) predictor(warm []float64, j int, b float64) ([]float64, bool) {
	st, err := fp.eval(warm, false)
	if err != nil || fp.p < 2 {
		return nil, false
	}
	info := mat.NewSymDense(fp.p, nil)
	st.chol.ToSym(info)
	free := make([]int, 0, fp.p-1)
	for k := 0; k < fp.p; k++ {
		if k != j {
			free = append(free, k)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(fthSubSym(info, free)) {
		return nil, false
	}
	rhs := mat.NewVecDense(len(free), nil)
	for a, k := range free {
		rhs.SetVec(a, info.At(k, j)*(b-warm[j]))
	}
	var shift mat.VecDense
	if err := ch.SolveVecTo(&shift, rhs); err != nil {
		return nil, false
	}
	pred := append([]float64(nil), warm...)
	pred[j] = b
	for a, k := range free {
		v := pred[k] - shift.AtVec(a)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, false
		}
		pred[k] = v
	}
	return pred, true
}

// profileStat is the penalized LR statistic 2 (pl(β̂) - max pl | β_j = b).
func (fp *firthProblem) profileStat(beta []float64, plHat float64, j int, b float64, opts Options) (float64, error) {
	r, err := fp.profilePL(beta, j, b, opts)
	if err != nil {
		return 0, err
	}
	return math.Max(0, 2*(plHat-r.pl)), nil
}

// profileBound finds the penalized profile limit on side dir (±1): the b
// with 2 (pl(β̂) - pl_j(b)) = q, bracketed by doubling steps of √q·SE and
// then solved by Brent's method.
func (fp *firthProblem) profileBound(beta []float64, plHat, se, q float64, j int, dir float64, opts Options) (float64, error) {
	warm := append([]float64(nil), beta...)
	f := func(b float64) (float64, error) {
		r, err := fp.profilePL(warm, j, b, opts)
		if err != nil {
			return 0, err
		}
		warm = r.beta
		return 2*(plHat-r.pl) - q, nil
	}
	lo, flo := beta[j], -q
	step := math.Sqrt(q) * se
	var hi, fhi float64
	// fail is the nearest point found where the constrained fit cannot be
	// evaluated (far out, fitted probabilities round to 0 or 1 and I(β)
	// is singular in floating point). Once there is one, the candidates
	// are midpoints between lo and fail, and after each midpoint that
	// succeeds, fail itself again from the better start; doubling resumes
	// when fail succeeds. Every evaluation counts against one bound.
	fail, failed, retry, failErr := 0.0, false, false, error(nil)
	for it := 0; ; it++ {
		if it >= firthMaxBracket+firthMaxHalvings {
			if failed {
				return 0, fmt.Errorf("penalized profile cannot be evaluated beyond %.6g: %w", lo, failErr)
			}
			return math.Inf(int(dir)), nil
		}
		switch {
		case failed && retry:
			hi = fail
		case failed:
			hi = (lo + fail) / 2
		default:
			if it >= firthMaxBracket {
				return math.Inf(int(dir)), nil
			}
			hi = beta[j] + dir*step
		}
		v, err := f(hi)
		if err != nil {
			if failed && !retry && math.Abs(fail-lo) <= 1e-8*(1+math.Abs(lo)) {
				return 0, fmt.Errorf("penalized profile cannot be evaluated beyond %.6g: %w", lo, err)
			}
			// warm still holds the fit at lo, the last point evaluated.
			if !retry {
				fail = hi
			}
			failed, retry, failErr = true, false, err
			continue
		}
		fhi = v
		if fhi >= 0 {
			break
		}
		lo, flo = hi, fhi
		switch {
		case failed && retry:
			failed, retry = false, false
			step = 2 * math.Abs(lo-beta[j])
		case failed:
			retry = true
		default:
			step *= 2
		}
	}
	tol := 1e-11 * math.Max(1, math.Abs(hi))
	return brentRoot(f, lo, hi, flo, fhi, tol, 200)
}
