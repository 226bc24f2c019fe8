package logit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// aliasTol is the relative residual norm below which a column counts as a
// linear combination of the columns before it (R's lm/qr tolerance 1e-7).
const aliasTol = 1e-7

// Polishing after glm's stopping rule: at most polishMaxSteps further
// Newton (IRLS) steps, stopping once max |Δβⱼ|/(|βⱼ| + 0.1) < polishTol.
// Newton converges quadratically, so two or three steps take glm's
// estimate (relative deviance change 1e-8, coefficients good to ~1e-5) to
// the MLE in double precision.
// A change below polishFloor that stops shrinking is rounding noise
// (about cond(X)·ε), not a lack of convergence.
const (
	polishTol      = 1e-14
	polishFloor    = 1e-10
	polishMaxSteps = 8
)

// irlsFit is the state IRLS ends in.
type irlsFit struct {
	coef      []float64
	eta, mu   []float64
	dev       float64
	iter      int
	converged bool
	// polish is the number of Newton steps taken after glm's criterion
	// was met; polished is whether the coefficients then settled to
	// polishTol (false also when polishing was not attempted).
	polish   int
	polished bool
	// polishChange is the last relative coefficient change while polishing.
	polishChange float64
	// cov is (XᵀWX)⁻¹ with W the working weights at the final
	// coefficients: the inverse Fisher information at the returned
	// estimate. covWarn says when it is ill-conditioned.
	cov     *mat.SymDense
	covWarn string
}

// irls fits a logistic GLM with offset by iteratively reweighted least
// squares as R's glm.fit: without start it begins at μ = (y + ½)/2,
// η = logit μ; each step solves the weighted least-squares problem
// √w X β ≈ √w z with z = η − offset + (y − μ)/μ', w = μ'²/(μ(1−μ)),
// and stops when |D − D_old|/(|D| + 0.1) < tol. iter counts these steps
// exactly as glm's fit$iter does.
//
// Each step is one blocked pass over the rows accumulating XᵀWX and the
// score XᵀW(z − η + offset) (see normalEq), then a Cholesky solve for the
// change in β; the pivoted QR of √W X that R uses is the fallback when
// Cholesky fails or the equilibrated XᵀWX has condition number above
// cholCondMax. From the second step on the system is solved for the
// increment Δβ (β + Δβ is glm's β_new in exact arithmetic), so rounding in
// the solve slows convergence at worst and never moves the fixed point.
//
// Unlike glm.fit, once that criterion is met the (unsafeguarded) fit takes
// up to polishMaxSteps further Newton steps until the coefficients change
// by less than polishTol relative, and the returned coefficients, fitted
// values, deviance and covariance all belong to that final β. R's
// summary.glm takes the covariance from the last least-squares step, whose
// weights belong to the previous iterate; that differs from the inverse
// information at the MLE by up to ~1e-5 relative at glm's 1e-8, while this
// agrees with glm(control = glm.control(epsilon = 1e-14)) and with Stata.
// The polishing steps are not counted in iter (they are in polish).
//
// safeguarded is for the constrained fits of the profile likelihood, whose
// large offsets make plain IRLS diverge (R's glm.fit does too): it uses
// the exact, unclamped likelihood (R clamps e^η at |η| > 30, which makes
// the deviance flat there) and halves the step while the deviance rises.
// The problem is convex, so this reaches the same minimum monotonically.
// Safeguarded fits run to their own tight tol and return no covariance.
func irls(x *mat.Dense, y, offset, start []float64, tol float64, maxIter int, safeguarded bool) (*irlsFit, error) {
	return irlsGrouped(x, y, nil, offset, start, tol, maxIter, safeguarded, nil)
}

// irlsWork holds the buffers of one IRLS fit so that a sequence of fits of
// the same size (the profile's constrained fits) reuses them instead of
// allocating four n-vectors and the block partials every time. The slices
// of a fit that used it are overwritten by the next one.
type irlsWork struct {
	n, p                   int
	eta, mu, newEta, newMu []float64
	// ex and newEx hold e^η of eta and newEta where the maximum-likelihood
	// iteration needs them (nil in the safeguarded one).
	ex, newEx []float64
	ne        *normalEq
}

// get returns ws sized for n rows and p columns (a new one if ws is nil or
// of another size).
func (ws *irlsWork) get(n, p int) *irlsWork {
	if ws != nil && ws.n == n && ws.p == p {
		return ws
	}
	ws = &irlsWork{n: n, p: p, eta: make([]float64, n), mu: make([]float64, n)}
	if p > 0 {
		ws.newEta, ws.newMu, ws.ne = make([]float64, n), make([]float64, n), newNormalEq(n, p)
	}
	return ws
}

// irlsGrouped is irls for grouped binomial data: row i is a covariate
// pattern with trials[i] Bernoulli rows of which y[i]·trials[i] are events
// (trials nil: every row is one 0/1 observation). Everything the fit uses
// is a sum over the Bernoulli rows, and each sum is formed per pattern:
// XᵀWX and the score weigh row i by trials[i], and the deviance is the
// Bernoulli one, −2 Σ [s log μ + (t − s) log(1 − μ)], not R's grouped
// deviance (which differs by a constant). glm's start μ = (y + ½)/2 is
// per Bernoulli row, so the first step uses its two values per pattern.
// The path, stopping step and result are then those of the ungrouped fit
// up to rounding in the order of summation.
func irlsGrouped(x *mat.Dense, y, trials, offset, start []float64, tol float64, maxIter int, safeguarded bool, ws *irlsWork) (*irlsFit, error) {
	n := len(y)
	p := 0
	if x != nil {
		_, p = x.Dims()
	}
	ws = ws.get(n, p)
	eta, mu := ws.eta, ws.mu
	// ex[i] is e^η[i] as Logistic computed it for μ[i] (see update), so
	// row's μ' = e^η/(1+e^η)², logitMuEta's formula, needs no second exp.
	var ex, newEx []float64
	if !safeguarded {
		if ws.ex == nil {
			ws.ex, ws.newEx = make([]float64, n), make([]float64, n)
		}
		ex, newEx = ws.ex, ws.newEx
	}
	haveEx := false
	t := func(i int) float64 {
		if trials == nil {
			return 1
		}
		return trials[i]
	}
	// update sets μ (and e^η in ex, outside the safeguarded iteration)
	// from η and returns the Bernoulli deviance.
	update := func(eta, mu, ex []float64) float64 {
		return blockSum(n, func(lo, hi int) float64 {
			if safeguarded {
				return exactMuDeviance(y[lo:hi], trialsPart(trials, lo, hi), eta[lo:hi], mu[lo:hi])
			}
			for i := lo; i < hi; i++ {
				mu[i], ex[i] = logisticExp(eta[i])
			}
			return groupedDeviance(y[lo:hi], trialsPart(trials, lo, hi), mu[lo:hi])
		})
	}
	if p == 0 {
		for i := range eta {
			eta[i] = 0
			if offset != nil {
				eta[i] = offset[i]
			}
		}
		dev := update(eta, mu, ex)
		return &irlsFit{eta: eta, mu: mu, dev: dev, converged: true, polished: true}, nil
	}
	coef := make([]float64, p)
	prev := make([]float64, p)
	haveStart := start != nil
	var devOld float64
	if haveStart {
		copy(coef, start)
		linearPredictor(x, coef, offset, eta)
		devOld = update(eta, mu, ex)
		haveEx = true
	} else {
		// glm's start: every Bernoulli row at μ = (y + ½)/2, i.e. ¾ for an
		// event and ¼ for a non-event; the deviance is 2 log(4/3) per row.
		for i := range mu {
			mu[i] = (y[i] + 0.5) / 2
			eta[i] = math.Log(mu[i] / (1 - mu[i]))
		}
		if trials == nil {
			devOld = BinomialDeviance(y, mu)
		} else {
			var nb float64
			for _, v := range trials {
				nb += v
			}
			devOld = nb * unitDeviance(1, 0.75)
		}
	}

	ne := ws.ne
	delta := make([]float64, p)
	newEta, newMu := ws.newEta, ws.newMu
	// first: the working response of glm's start is not X β, so the first
	// step solves for β itself; later steps solve for the increment.
	first := !haveStart
	// row gives observation i's working weight and right-hand side.
	row := func(i int) (w, r float64) {
		ti := t(i)
		if first && trials != nil {
			// Pattern i's start is ¾ on its events and ¼ on the others:
			// both rows weigh 3/16 and have z = ±(log 3 + 4/3).
			r := (math.Log(3) + 4.0/3) * (2*y[i] - 1)
			if offset != nil {
				r -= offset[i]
			}
			return ti * 3.0 / 16, r
		}
		var res float64
		if safeguarded {
			// μ' = μ(1−μ) for the logit link; floored as R floors μ'.
			v := math.Max(mu[i]*(1-mu[i]), dblEpsilon)
			w, res = v, (y[i]-mu[i])/v
		} else {
			var me float64
			if haveEx {
				me = muEtaOfExp(eta[i], ex[i])
			} else {
				me = logitMuEta(eta[i])
			}
			v := mu[i] * (1 - mu[i])
			w, res = me*me/v, (y[i]-mu[i])/me
		}
		if first {
			res += eta[i]
			if offset != nil {
				res -= offset[i]
			}
		}
		return ti * w, res
	}
	// step solves one weighted least-squares problem into coef (the old
	// coefficients kept in prev).
	step := func(iter int) error {
		ne.accumulate(x, row)
		ok := ne.solve(delta)
		if !ok {
			if err := ne.solveQR(x, row, delta); err != nil {
				return fmt.Errorf("logit: weighted least squares failed at iteration %d: %w", iter, err)
			}
		}
		copy(prev, coef)
		for j := 0; j < p; j++ {
			c := delta[j]
			if !first {
				c += coef[j]
			}
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return fmt.Errorf("logit: non-finite coefficients at iteration %d", iter)
			}
			coef[j] = c
		}
		first = false
		return nil
	}
	fit := &irlsFit{}
	for iter := 1; iter <= maxIter; iter++ {
		if err := step(iter); err != nil {
			return nil, err
		}
		linearPredictor(x, coef, offset, newEta)
		dev := update(newEta, newMu, newEx)
		if safeguarded && (haveStart || iter > 1) {
			for h := 0; h < 200 && dev > devOld*(1+1e-13); h++ {
				for j := range coef {
					coef[j] = (coef[j] + prev[j]) / 2
				}
				linearPredictor(x, coef, offset, newEta)
				dev = update(newEta, newMu, newEx)
			}
		}
		eta, newEta = newEta, eta
		mu, newMu = newMu, mu
		ex, newEx = newEx, ex
		haveEx = !safeguarded
		fit.iter = iter
		conv := math.Abs(dev-devOld)/(math.Abs(dev)+0.1) < tol
		devOld = dev
		if conv {
			fit.converged = true
			break
		}
	}
	if safeguarded {
		fit.coef = coef
		fit.eta = eta
		fit.mu = mu
		fit.dev = devOld
		return fit, nil
	}
	// Under separation glm's criterion can be met while the estimates
	// diverge (fitted values 0 or 1): there is no finite MLE to polish
	// towards, and Fit warns about the fitted values instead.
	if fit.converged && !fittedAtBoundary(mu) {
		// Newton steps from glm's estimate to the MLE. A step that raises
		// the deviance beyond rounding is undone: the estimate is then as
		// good as double precision allows.
		for k := 1; k <= polishMaxSteps; k++ {
			if err := step(fit.iter + k); err != nil {
				return nil, err
			}
			linearPredictor(x, coef, offset, newEta)
			dev := update(newEta, newMu, newEx)
			if dev > devOld+4*dblEpsilon*(math.Abs(devOld)+0.1) {
				copy(coef, prev)
				fit.polished = true
				break
			}
			change := 0.0
			for j := range coef {
				change = math.Max(change, math.Abs(coef[j]-prev[j])/(math.Abs(coef[j])+0.1))
			}
			eta, newEta = newEta, eta
			mu, newMu = newMu, mu
			ex, newEx = newEx, ex
			devOld = dev
			prevChange := fit.polishChange
			fit.polish = k
			fit.polishChange = change
			// Converged, or at the rounding floor: the change no longer
			// shrinks (Newton's quadratic rate is spent) and is tiny.
			if change < polishTol || (k > 1 && change >= prevChange && change < polishFloor) {
				fit.polished = true
				break
			}
		}
		if !fit.polished && fit.polishChange < polishFloor {
			fit.polished = true
		}
	}
	fit.coef = coef
	fit.eta = eta
	fit.mu = mu
	fit.dev = devOld
	// The information at the final β: weights from the final η.
	ne.accumulate(x, row)
	if cov, ok := ne.inverse(); ok {
		fit.cov = cov
		return fit, nil
	}
	r, err := ne.qrFactor(x, row)
	if err != nil {
		return nil, err
	}
	cov, warn, err := covFromR(r)
	if err != nil {
		return nil, err
	}
	fit.cov, fit.covWarn = cov, warn
	return fit, nil
}

// Blocking of the IRLS passes. Rows are cut into fixed blocks of
// irlsBlockRows; each block's partial sums are formed by one goroutine
// (any of them) and the partials are added in block order, so the result
// is the same bit for bit for any GOMAXPROCS.
const irlsBlockRows = 4096

// cholCondMax is the largest condition number (1-norm estimate) of the
// equilibrated XᵀWX, D XᵀWX D with D = diag(XᵀWX)^(−½), at which the
// Cholesky solve is trusted: its relative error is about cond·ε ≈ 2e-8
// there. Above it (near separation, or nearly collinear columns) the step
// and the covariance come from the QR of √W X as in R, whose error grows
// with √cond only.
const cholCondMax = 1e8

// blocks returns the number of row blocks of n rows.
func blocks(n int) int { return (n + irlsBlockRows - 1) / irlsBlockRows }

// forBlocks runs fn on every row block [lo, hi), block b by any worker.
// Small problems run inline: goroutines would cost more than they save.
func forBlocks(n int, fn func(b, lo, hi int)) {
	nb := blocks(n)
	workers := min(runtime.GOMAXPROCS(0), nb)
	if workers <= 1 {
		for b := 0; b < nb; b++ {
			fn(b, b*irlsBlockRows, min(n, (b+1)*irlsBlockRows))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				b := int(next.Add(1)) - 1
				if b >= nb {
					return
				}
				fn(b, b*irlsBlockRows, min(n, (b+1)*irlsBlockRows))
			}
		}()
	}
	wg.Wait()
}

// blockSum is Σ over blocks of part(lo, hi), added in block order.
func blockSum(n int, part func(lo, hi int) float64) float64 {
	nb := blocks(n)
	if nb <= 1 {
		return part(0, n)
	}
	parts := make([]float64, nb)
	forBlocks(n, func(b, lo, hi int) { parts[b] = part(lo, hi) })
	var s float64
	for _, v := range parts {
		s += v
	}
	return s
}

// trialsPart is trials[lo:hi], or nil for ungrouped data.
func trialsPart(trials []float64, lo, hi int) []float64 {
	if trials == nil {
		return nil
	}
	return trials[lo:hi]
}

// normalEq holds the normal equations (XᵀWX) Δ = XᵀW r of one IRLS step
// and the per-block partial sums they are added from.
type normalEq struct {
	n, p  int
	a     []float64 // XᵀWX, upper triangle, row-major p×p
	s     []float64 // XᵀW r
	parts []float64 // per block: p×p upper triangle then p
	sym   *mat.SymDense
	chol  mat.Cholesky
	d     []float64 // equilibration diag(a)^(−½)
	rhs   *mat.VecDense
	sol   mat.VecDense
	// The QR fallback's n×p matrix, allocated only when needed.
	xw *mat.Dense
	zw *mat.VecDense
	qr mat.QR
}

func newNormalEq(n, p int) *normalEq {
	return &normalEq{
		n: n, p: p,
		a:     make([]float64, p*p),
		s:     make([]float64, p),
		parts: make([]float64, blocks(n)*(p*p+p)),
		sym:   mat.NewSymDense(p, nil),
		d:     make([]float64, p),
		rhs:   mat.NewVecDense(p, nil),
	}
}

// accumulate forms XᵀWX = Σ wᵢ xᵢxᵢᵀ and XᵀWr = Σ wᵢ rᵢ xᵢ with (wᵢ, rᵢ)
// = row(i), in one pass over the row blocks.
func (ne *normalEq) accumulate(x *mat.Dense, row func(i int) (w, r float64)) {
	p := ne.p
	stride := p*p + p
	forBlocks(ne.n, func(b, lo, hi int) {
		part := ne.parts[b*stride : (b+1)*stride]
		clear(part)
		a, s := part[:p*p], part[p*p:]
		i := lo
		// Four rows at a time: each sum still adds its terms one row
		// after another, in row order, so the bits are those of the
		// one-row loop below; a partial sum is loaded and stored once
		// per four rows instead of once per row.
		for ; i+4 <= hi; i += 4 {
			w0, r0 := row(i)
			w1, r1 := row(i + 1)
			w2, r2 := row(i + 2)
			w3, r3 := row(i + 3)
			x0, x1, x2, x3 := x.RawRowView(i)[:p], x.RawRowView(i + 1)[:p], x.RawRowView(i + 2)[:p], x.RawRowView(i + 3)[:p]
			for j := 0; j < p; j++ {
				wx0, wx1, wx2, wx3 := w0*x0[j], w1*x1[j], w2*x2[j], w3*x3[j]
				sj := s[j]
				sj += wx0 * r0
				sj += wx1 * r1
				sj += wx2 * r2
				sj += wx3 * r3
				s[j] = sj
				aj := a[j*p+j : (j+1)*p]
				y0, y1, y2, y3 := x0[j:], x1[j:], x2[j:], x3[j:]
				y1, y2, y3 = y1[:len(y0)], y2[:len(y0)], y3[:len(y0)]
				aj = aj[:len(y0)]
				for k, v := range y0 {
					t := aj[k]
					t += wx0 * v
					t += wx1 * y1[k]
					t += wx2 * y2[k]
					t += wx3 * y3[k]
					aj[k] = t
				}
			}
		}
		for ; i < hi; i++ {
			w, r := row(i)
			xr := x.RawRowView(i)
			for j, xj := range xr {
				wx := w * xj
				s[j] += wx * r
				aj := a[j*p : (j+1)*p]
				for k := j; k < p; k++ {
					aj[k] += wx * xr[k]
				}
			}
		}
	})
	clear(ne.a)
	clear(ne.s)
	for b := 0; b < blocks(ne.n); b++ {
		part := ne.parts[b*stride : (b+1)*stride]
		for k, v := range part[:p*p] {
			ne.a[k] += v
		}
		for k, v := range part[p*p:] {
			ne.s[k] += v
		}
	}
}

// factor equilibrates and Cholesky-factorizes XᵀWX; false when it is not
// numerically positive definite or cholCondMax is exceeded.
func (ne *normalEq) factor() bool {
	p := ne.p
	for j := 0; j < p; j++ {
		ajj := ne.a[j*p+j]
		if !(ajj > 0) || math.IsInf(ajj, 0) {
			return false
		}
		ne.d[j] = 1 / math.Sqrt(ajj)
	}
	for j := 0; j < p; j++ {
		for k := j; k < p; k++ {
			ne.sym.SetSym(j, k, ne.a[j*p+k]*ne.d[j]*ne.d[k])
		}
	}
	if !ne.chol.Factorize(ne.sym) {
		return false
	}
	c := ne.chol.Cond()
	return !math.IsNaN(c) && c <= cholCondMax
}

// solve sets delta = (XᵀWX)⁻¹ XᵀWr by Cholesky; false asks for the QR.
func (ne *normalEq) solve(delta []float64) bool {
	if !ne.factor() {
		return false
	}
	for j := range ne.s {
		ne.rhs.SetVec(j, ne.s[j]*ne.d[j])
	}
	if err := ne.chol.SolveVecTo(&ne.sol, ne.rhs); err != nil {
		return false
	}
	for j := range delta {
		delta[j] = ne.sol.AtVec(j) * ne.d[j]
		if math.IsNaN(delta[j]) || math.IsInf(delta[j], 0) {
			return false
		}
	}
	return true
}

// inverse is (XᵀWX)⁻¹ = D (D XᵀWX D)⁻¹ D by Cholesky; false asks for the QR.
func (ne *normalEq) inverse() (*mat.SymDense, bool) {
	if !ne.factor() {
		return nil, false
	}
	var inv mat.SymDense
	if err := ne.chol.InverseTo(&inv); err != nil {
		return nil, false
	}
	p := ne.p
	cov := mat.NewSymDense(p, nil)
	for j := 0; j < p; j++ {
		for k := j; k < p; k++ {
			cov.SetSym(j, k, inv.At(j, k)*ne.d[j]*ne.d[k])
		}
	}
	return cov, true
}

// weigh fills the fallback's √W X and √W r.
func (ne *normalEq) weigh(x *mat.Dense, row func(i int) (w, r float64)) {
	if ne.xw == nil {
		ne.xw = mat.NewDense(ne.n, ne.p, nil)
		ne.zw = mat.NewVecDense(ne.n, nil)
	}
	forBlocks(ne.n, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			w, r := row(i)
			sw := math.Sqrt(w)
			xr, out := x.RawRowView(i), ne.xw.RawRowView(i)
			for j := range out {
				out[j] = xr[j] * sw
			}
			ne.zw.SetVec(i, r*sw)
		}
	})
}

// solveQR solves min ‖√W X Δ − √W r‖ by Householder QR, as R does.
func (ne *normalEq) solveQR(x *mat.Dense, row func(i int) (w, r float64), delta []float64) error {
	ne.weigh(x, row)
	ne.qr.Factorize(ne.xw)
	var sol mat.VecDense
	if err := ne.qr.SolveVecTo(&sol, false, ne.zw); err != nil {
		return err
	}
	for j := range delta {
		delta[j] = sol.AtVec(j)
	}
	return nil
}

// qrFactor is the R factor of √W X with a positive diagonal, so RᵀR =
// XᵀWX (R's summary.glm takes the covariance from it by chol2inv).
func (ne *normalEq) qrFactor(x *mat.Dense, row func(i int) (w, r float64)) (*mat.TriDense, error) {
	ne.weigh(x, row)
	ne.qr.Factorize(ne.xw)
	var rd mat.Dense
	ne.qr.RTo(&rd)
	p := ne.p
	r := mat.NewTriDense(p, mat.Upper, nil)
	for i := 0; i < p; i++ {
		// Row signs do not change RᵀR.
		s := 1.0
		if rd.At(i, i) < 0 {
			s = -1
		}
		for j := i; j < p; j++ {
			r.SetTri(i, j, s*rd.At(i, j))
		}
	}
	return r, nil
}

// groupedDeviance is the Bernoulli deviance of patterns with trials t
// (nil: one 0/1 row each) and event proportion y: Σ t·unitDeviance(y, μ)
// for 0/1 rows, −2 [s log μ + (t − s) log(1 − μ)] with s = t·y otherwise.
func groupedDeviance(y, t, mu []float64) float64 {
	if t == nil {
		return BinomialDeviance(y, mu)
	}
	var d float64
	for i := range y {
		s := t[i] * y[i]
		if s > 0 {
			d += 2 * s * math.Log(1/mu[i])
		}
		if f := t[i] - s; f > 0 {
			d += 2 * f * math.Log(1/(1-mu[i]))
		}
	}
	return d
}

// exactMuDeviance sets μ = 1/(1 + e^−η) without R's clamping and returns
// the Bernoulli deviance D = −2 Σ t [y log μ + (1−y) log(1−μ)] (t nil:
// one 0/1 row each), computed from η with one exp and one log1p per
// observation so it stays finite and strictly convex however large |η| is.
func exactMuDeviance(y, t, eta, mu []float64) float64 {
	var s float64
	for i, v := range eta {
		e := math.Exp(-math.Abs(v))
		l := math.Log1p(e) // −log of the larger of μ, 1−μ
		var logMu, log1mMu float64
		if v >= 0 {
			mu[i] = 1 / (1 + e)
			logMu, log1mMu = -l, -v-l
		} else {
			mu[i] = e / (1 + e)
			logMu, log1mMu = v-l, -l
		}
		switch {
		case t != nil:
			ev := t[i] * y[i]
			if ev > 0 {
				s -= ev * logMu
			}
			if f := t[i] - ev; f > 0 {
				s -= f * log1mMu
			}
		case y[i] == 1:
			s -= logMu
		default:
			s -= log1mMu
		}
	}
	return 2 * s
}

// linearPredictor sets eta = X β + offset, in parallel over row blocks.
func linearPredictor(x *mat.Dense, coef, offset, eta []float64) {
	n, _ := x.Dims()
	forBlocks(n, func(_, lo, hi int) {
		i := lo
		// Four rows side by side: each row's sum is still formed term by
		// term in column order (the same bits), but the four chains of
		// additions overlap instead of waiting on each other.
		if _, p := x.Dims(); p > 0 {
			c := coef[:p]
			for ; i+4 <= hi; i += 4 {
				var s0, s1, s2, s3 float64
				if offset != nil {
					s0, s1, s2, s3 = offset[i], offset[i+1], offset[i+2], offset[i+3]
				}
				x0, x1, x2, x3 := x.RawRowView(i)[:p], x.RawRowView(i + 1)[:p], x.RawRowView(i + 2)[:p], x.RawRowView(i + 3)[:p]
				for j, cj := range c {
					s0 += x0[j] * cj
					s1 += x1[j] * cj
					s2 += x2[j] * cj
					s3 += x3[j] * cj
				}
				eta[i], eta[i+1], eta[i+2], eta[i+3] = s0, s1, s2, s3
			}
		}
		for ; i < hi; i++ {
			s := 0.0
			if offset != nil {
				s = offset[i]
			}
			for j, v := range x.RawRowView(i) {
				s += v * coef[j]
			}
			eta[i] = s
		}
	})
}

// validateDesign reports what makes a design unusable for a fit.
func validateDesign(d *Design) error {
	if d == nil || d.X == nil {
		return errors.New("logit: design has no model matrix")
	}
	n, p := d.X.Dims()
	if n == 0 || p == 0 {
		return errors.New("logit: empty model matrix")
	}
	if len(d.Y) != n {
		return fmt.Errorf("logit: %d outcomes for %d rows", len(d.Y), n)
	}
	if len(d.Names) != p || len(d.Assign) != p {
		return fmt.Errorf("logit: %d columns but %d names and %d assign entries", p, len(d.Names), len(d.Assign))
	}
	for _, a := range d.Assign {
		if a < 0 || a >= len(d.Groups) {
			return fmt.Errorf("logit: assign index %d outside the %d term groups", a, len(d.Groups))
		}
	}
	events := 0
	for i, y := range d.Y {
		if y != 0 && y != 1 {
			return fmt.Errorf("logit: outcome %d is %v, not 0/1", i+1, y)
		}
		if y == 1 {
			events++
		}
	}
	if events == 0 || events == n {
		return fmt.Errorf("logit: the outcome has a single level (%d events in %d rows)", events, n)
	}
	for i := 0; i < n; i++ {
		for j, v := range d.X.RawRowView(i) {
			// v − v is 0 for every finite v and NaN for ±Inf and NaN:
			// one test instead of IsNaN and IsInf, on every cell of
			// every fit's design.
			if v-v != 0 {
				return fmt.Errorf("logit: non-finite value in row %d, column %q", i+1, d.Names[j])
			}
		}
	}
	return nil
}

// Aliased returns the columns of x that are linear combinations of the
// columns before them, in the spirit of R's pivoting QR (dqrdc2): a column
// whose residual after least-squares projection on the kept columns has
// norm below 1e-7 times its own norm is aliased. R would report these
// coefficients as NA; a logistic fit here refuses them instead.
func Aliased(x *mat.Dense) []int {
	n, p := x.Dims()
	if n >= p && clearlyFullRank(x) {
		return nil
	}
	// Fast path: without pivoting |R_jj| is the distance of column j from
	// the span of the columns before it, so one QR decides the usual
	// full-rank case; the column-by-column check below names the culprits.
	if n >= p {
		var qr mat.QR
		qr.Factorize(x)
		var rd mat.Dense
		qr.RTo(&rd)
		full := true
		for j := 0; j < p; j++ {
			if math.Abs(rd.At(j, j)) < aliasTol*floats.Norm(mat.Col(nil, j, x), 2) || rd.At(j, j) == 0 {
				full = false
				break
			}
		}
		if full {
			return nil
		}
	}
	var kept []int
	var aliased []int
	col := make([]float64, n)
	for j := 0; j < p; j++ {
		mat.Col(col, j, x)
		norm := floats.Norm(col, 2)
		if norm == 0 {
			aliased = append(aliased, j)
			continue
		}
		if len(kept) > 0 {
			a := selectColumns(x, kept)
			var qr mat.QR
			qr.Factorize(a)
			var b, fitted mat.Dense
			target := mat.NewDense(n, 1, append([]float64(nil), col...))
			if err := qr.SolveTo(&b, false, target); err != nil {
				aliased = append(aliased, j)
				continue
			}
			fitted.Mul(a, &b)
			res := 0.0
			for i := 0; i < n; i++ {
				r := col[i] - fitted.At(i, 0)
				res += r * r
			}
			if math.Sqrt(res) < aliasTol*norm {
				aliased = append(aliased, j)
				continue
			}
		}
		kept = append(kept, j)
	}
	return aliased
}

// clearFullRankRatio: a design whose every column keeps at least this
// fraction of its norm after projection on the columns before it is full
// rank by a wide margin over aliasTol (1e-7). Judged from the Cholesky
// factor of XᵀX (one blocked pass, no n×p copy), whose diagonal Uⱼⱼ is
// that distance; squaring the ratio in XᵀX costs accuracy only near
// aliasTol, which is left to the QR.
const clearFullRankRatio = 1e-4

// clearlyFullRank reports whether every column of x is at least
// clearFullRankRatio of its norm away from the span of those before it.
func clearlyFullRank(x *mat.Dense) bool {
	n, p := x.Dims()
	ne := newNormalEq(n, p)
	ne.accumulate(x, func(int) (float64, float64) { return 1, 0 })
	g := mat.NewSymDense(p, nil)
	for j := 0; j < p; j++ {
		for k := j; k < p; k++ {
			g.SetSym(j, k, ne.a[j*p+k])
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(g) {
		return false
	}
	var u mat.TriDense
	ch.UTo(&u)
	for j := 0; j < p; j++ {
		if !(u.At(j, j) >= clearFullRankRatio*math.Sqrt(g.At(j, j))) {
			return false
		}
	}
	return true
}

// Fit fits a logistic regression by maximum likelihood with IRLS exactly
// as R's glm(family = binomial) does, then adds the Wald table, confidence
// intervals (profile likelihood by default, Wald with CIWald), fit
// statistics and generalized VIFs.
//
// Once glm's stopping rule is met (Iterations counts the steps to it, as
// fit$iter), a few more Newton steps take the estimate to the MLE in
// double precision, and the covariance (XᵀWX)⁻¹, standard errors, fitted
// values and every fit statistic are those at that final β: the values of
// glm(control = glm.control(epsilon = 1e-14)) and of Stata's logit, not
// summary.glm's covariance from the previous iterate's weights.
//
// A design with at most half as many distinct rows (covariate patterns) as
// rows is fitted on the patterns as grouped binomial data (see
// collapsePatterns and irlsGrouped); every reported number, including the
// deviance, is that of the 0/1 fit R's glm reports, to rounding.
//
// Non-convergence and fitted probabilities of 0 or 1 are reported in
// Converged and Warnings, never silently. Aliased columns are an error
// naming them. Should the profile fail, Wald intervals are reported with
// a warning saying so.
func Fit(d *Design, opts Options) (*Model, error) {
	if err := validateDesign(d); err != nil {
		return nil, err
	}
	opts = withDefaults(opts)
	if opts.CI != CIProfile && opts.CI != CIWald {
		return nil, fmt.Errorf("logit: unknown CI method %q", opts.CI)
	}
	if opts.Level <= 0 || opts.Level >= 1 {
		return nil, fmt.Errorf("logit: confidence level %v outside (0, 1)", opts.Level)
	}
	if al := Aliased(d.X); len(al) > 0 {
		names := make([]string, len(al))
		for k, j := range al {
			names[k] = d.Names[j]
		}
		return nil, fmt.Errorf("logit: aliased (collinear) columns: %s", strings.Join(names, ", "))
	}
	return fitML(d, opts, true)
}

// fitML is Fit after the checks; group allows the fit on covariate
// patterns (collapsePatterns), which gives the ungrouped fit's results.
func fitML(d *Design, opts Options, group bool) (*Model, error) {
	f, err := irlsML(d, opts, group)
	if err != nil {
		return nil, err
	}
	return finishML(d, opts, f)
}

// irlsML is fitML's iteration: the IRLS fit, on covariate patterns when
// group allows and they shrink the data, with fitted values per row.
func irlsML(d *Design, opts Options, group bool) (*irlsFit, error) {
	var f *irlsFit
	var err error
	var g *patterns
	ok := false
	if group {
		g, ok = collapsePatterns(d.X, d.Y)
	}
	if ok {
		if f, err = irlsGrouped(g.x, g.prop, g.trials, nil, nil, opts.Tol, opts.MaxIter, false, nil); err == nil {
			f.eta, f.mu = g.expand(f.eta), g.expand(f.mu)
		}
	} else {
		f, err = irls(d.X, d.Y, nil, nil, opts.Tol, opts.MaxIter, false)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// finishML turns the IRLS fit f of d into fitML's Model: warnings,
// standard errors, intervals, fit statistics and GVIFs.
func finishML(d *Design, opts Options, f *irlsFit) (*Model, error) {
	n, p := d.X.Dims()
	m := &Model{
		Method:     MethodMLE,
		Converged:  f.converged,
		Iterations: f.iter,
		N:          n,
		Coef:       f.coef,
		Fitted:     f.mu,
	}
	if !f.converged {
		m.warn(WarnNotConverged, fmt.Sprintf("IRLS did not converge (glm.fit: algorithm did not converge) after %d iterations", f.iter))
	} else if !f.polished && !fittedAtBoundary(f.mu) {
		m.warn(WarnIllConditioned, fmt.Sprintf("the estimates still changed by %.3g (relative) after %d Newton steps beyond glm's criterion: standard errors are at the last iterate", f.polishChange, f.polish))
	}
	if fittedAtBoundary(f.mu) {
		m.warn(WarnFitted01, "fitted probabilities numerically 0 or 1 occurred")
	}
	if f.covWarn != "" {
		m.warn(WarnIllConditioned, f.covWarn)
	}
	cov := f.cov
	m.Cov = cov
	se := make([]float64, p)
	for j := range se {
		se[j] = math.Sqrt(cov.At(j, j))
	}
	m.Terms = WaldTerms(d.Names, f.coef, se, opts.Level)
	if opts.CI == CIProfile {
		ci, warns, err := ProfileCIs(d, m, opts.Level)
		for _, w := range warns {
			m.warn(WarnProfile, w)
		}
		if err != nil {
			// The estimates stand; only the intervals fall back.
			m.warn(WarnProfile, fmt.Sprintf("%v; Wald intervals reported instead", err))
			ci = nil
		}
		for j := range ci {
			t := &m.Terms[j]
			t.ConfLow, t.ConfHigh = ci[j][0], ci[j][1]
			t.ORConfLow, t.ORConfHigh = math.Exp(t.ConfLow), math.Exp(t.ConfHigh)
		}
	}
	// d passed validateDesign before the fit (Fit, fitIfMLEExists).
	if err := fitStatistics(d, m, opts); err != nil {
		return nil, err
	}
	if _, err := SetGVIF(d, m); err != nil && !errors.Is(err, ErrVIFFewTerms) {
		m.warn(WarnVIF, err.Error())
	}
	return m, nil
}

// patterns is a design collapsed to its distinct rows (covariate
// patterns): row g of x holds trials[g] of the original rows, of which a
// proportion prop[g] are events; of[i] is the pattern of original row i.
type patterns struct {
	x            *mat.Dense
	trials, prop []float64
	of           []int
}

// Grouping rule: fit on covariate patterns when there are at most half as
// many patterns as rows. The scan gives up early (a continuous covariate
// makes nearly every row distinct) once the first patternProbe rows hold
// more than patternProbe/2 patterns, or the count passes n/2.
const patternProbe = 4096

// collapsePatterns groups identical rows of x (bitwise equal values), in
// order of first appearance; ok is false when the grouping rule says no.
// Every sum IRLS forms is the same over the patterns as over the rows
// (irlsGrouped), so the fit is the ungrouped one; it costs one hash per
// row and saves a factor n/G on every pass.
func collapsePatterns(x *mat.Dense, y []float64) (*patterns, bool) {
	n, p := x.Dims()
	if n < 4 {
		return nil, false
	}
	index := make(map[string]int)
	key := make([]byte, 8*p)
	// of starts at the probe's length: a continuous covariate ends the
	// scan within it, and an n-sized slice per fit was 8 MB of garbage at
	// 10⁶ rows for every fit that does not group.
	of := make([]int, min(n, patternProbe))
	var first []int
	for i := 0; i < n; i++ {
		if i == len(of) {
			of = append(of, make([]int, n-len(of))...)
		}
		for j, v := range x.RawRowView(i) {
			binary.LittleEndian.PutUint64(key[8*j:], math.Float64bits(v))
		}
		g, seen := index[string(key)]
		if !seen {
			g = len(first)
			index[string(key)] = g
			first = append(first, i)
			if len(first) > n/2 || (i < patternProbe && len(first) > patternProbe/2) {
				return nil, false
			}
		}
		of[i] = g
	}
	gn := len(first)
	pt := &patterns{x: mat.NewDense(gn, p, nil), trials: make([]float64, gn), prop: make([]float64, gn), of: of}
	for g, i := range first {
		pt.x.SetRow(g, x.RawRowView(i))
	}
	for i, g := range of {
		pt.trials[g]++
		pt.prop[g] += y[i]
	}
	for g := range pt.prop {
		pt.prop[g] /= pt.trials[g]
	}
	return pt, true
}

// expand maps per-pattern values back to the original rows.
func (pt *patterns) expand(v []float64) []float64 {
	out := make([]float64, len(pt.of))
	for i, g := range pt.of {
		out[i] = v[g]
	}
	return out
}

// fittedAtBoundary is R's check after glm.fit: any μ > 1 − 10ε or μ < 10ε.
func fittedAtBoundary(mu []float64) bool {
	eps := 10 * dblEpsilon
	for _, v := range mu {
		if v > 1-eps || v < eps {
			return true
		}
	}
	return false
}

// covFromR is the inverse Fisher information (RᵀR)⁻¹ from the R factor of
// the QR of √W X at the final estimate, as R's chol2inv in summary.glm. An ill-conditioned
// information matrix (near separation) still yields R's huge variances,
// with a warning; only an exactly singular one is an error.
func covFromR(r *mat.TriDense) (*mat.SymDense, string, error) {
	var ch mat.Cholesky
	ch.SetFromU(r)
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		var cond mat.Condition
		if !errors.As(err, &cond) {
			return nil, "", fmt.Errorf("logit: information matrix is singular: %w", err)
		}
		return &cov, fmt.Sprintf("information matrix is ill-conditioned (condition number %.3g): standard errors are unreliable", float64(cond)), nil
	}
	return &cov, "", nil
}
