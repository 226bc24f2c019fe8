package logit

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// aliasTol is the relative residual norm below which a column counts as a
// linear combination of the columns before it (R's lm/qr tolerance 1e-7).
const aliasTol = 1e-7

// irlsFit is the state IRLS ends in.
type irlsFit struct {
	coef      []float64
	eta, mu   []float64
	dev       float64
	iter      int
	converged bool
	// r is the R factor of the last weighted least-squares QR, from which
	// R's summary.glm takes the unscaled covariance (chol2inv(R)).
	r *mat.TriDense
}

// irls fits a logistic GLM with offset by iteratively reweighted least
// squares as R's glm.fit: without start it begins at μ = (y + ½)/2,
// η = logit μ; each step solves the weighted least-squares problem
// √w X β ≈ √w z with z = η − offset + (y − μ)/μ', w = μ'²/(μ(1−μ)) by QR,
// and stops when |D − D_old|/(|D| + 0.1) < tol.
//
// safeguarded is for the constrained fits of the profile likelihood, whose
// large offsets make plain IRLS diverge (R's glm.fit does too): it uses
// the exact, unclamped likelihood (R clamps e^η at |η| > 30, which makes
// the deviance flat there) and halves the step while the deviance rises.
// The problem is convex, so this reaches the same minimum monotonically.
func irls(x *mat.Dense, y, offset, start []float64, tol float64, maxIter int, safeguarded bool) (*irlsFit, error) {
	n := len(y)
	p := 0
	if x != nil {
		_, p = x.Dims()
	}
	eta := make([]float64, n)
	mu := make([]float64, n)
	off := func(i int) float64 {
		if offset == nil {
			return 0
		}
		return offset[i]
	}
	// update sets μ from η and returns the deviance.
	update := func(eta, mu []float64) float64 {
		if safeguarded {
			return exactMuDeviance(y, eta, mu)
		}
		for i, e := range eta {
			mu[i] = Logistic(e)
		}
		return BinomialDeviance(y, mu)
	}
	if p == 0 {
		for i := range eta {
			eta[i] = off(i)
		}
		dev := update(eta, mu)
		return &irlsFit{eta: eta, mu: mu, dev: dev, converged: true}, nil
	}
	coef := make([]float64, p)
	prev := make([]float64, p)
	haveStart := start != nil
	var devOld float64
	if haveStart {
		copy(coef, start)
		linearPredictor(x, coef, offset, eta)
		devOld = update(eta, mu)
	} else {
		for i := range mu {
			mu[i] = (y[i] + 0.5) / 2
			eta[i] = math.Log(mu[i] / (1 - mu[i]))
		}
		devOld = BinomialDeviance(y, mu)
	}

	xw := mat.NewDense(n, p, nil)
	zw := mat.NewVecDense(n, nil)
	var qr mat.QR
	var sol, xtz mat.VecDense
	var xtwx mat.SymDense
	var chol mat.Cholesky
	newEta := make([]float64, n)
	newMu := make([]float64, n)
	fit := &irlsFit{}
	for iter := 1; iter <= maxIter; iter++ {
		for i := 0; i < n; i++ {
			var w, z float64
			if safeguarded {
				// μ' = μ(1−μ) for the logit link; floored as R floors μ'.
				v := math.Max(mu[i]*(1-mu[i]), dblEpsilon)
				w = math.Sqrt(v)
				z = eta[i] - off(i) + (y[i]-mu[i])/v
			} else {
				me := logitMuEta(eta[i])
				v := mu[i] * (1 - mu[i])
				w = math.Sqrt(me * me / v)
				z = eta[i] - off(i) + (y[i]-mu[i])/me
			}
			row, xr := xw.RawRowView(i), x.RawRowView(i)
			for j := range row {
				row[j] = xr[j] * w
			}
			zw.SetVec(i, z*w)
		}
		if err := solveWLS(xw, zw, &qr, &xtwx, &chol, &xtz, &sol, safeguarded); err != nil {
			return nil, fmt.Errorf("logit: weighted least squares failed at iteration %d: %w", iter, err)
		}
		copy(prev, coef)
		for j := 0; j < p; j++ {
			c := sol.AtVec(j)
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return nil, fmt.Errorf("logit: non-finite coefficients at iteration %d", iter)
			}
			coef[j] = c
		}
		linearPredictor(x, coef, offset, newEta)
		dev := update(newEta, newMu)
		if safeguarded && (haveStart || iter > 1) {
			for h := 0; h < 200 && dev > devOld*(1+1e-13); h++ {
				for j := range coef {
					coef[j] = (coef[j] + prev[j]) / 2
				}
				linearPredictor(x, coef, offset, newEta)
				dev = update(newEta, newMu)
			}
		}
		copy(eta, newEta)
		copy(mu, newMu)
		fit.iter = iter
		conv := math.Abs(dev-devOld)/(math.Abs(dev)+0.1) < tol
		devOld = dev
		if conv {
			fit.converged = true
			break
		}
	}
	fit.coef = coef
	fit.eta = eta
	fit.mu = mu
	fit.dev = devOld
	if safeguarded {
		return fit, nil
	}
	var rd mat.Dense
	qr.RTo(&rd)
	r := mat.NewTriDense(p, mat.Upper, nil)
	for i := 0; i < p; i++ {
		// Row signs do not change RᵀR; positive diagonals make R a valid
		// Cholesky factor of the information matrix.
		s := 1.0
		if rd.At(i, i) < 0 {
			s = -1
		}
		for j := i; j < p; j++ {
			r.SetTri(i, j, s*rd.At(i, j))
		}
	}
	fit.r = r
	return fit, nil
}

// solveWLS solves the weighted least-squares step min ‖√W X β − √W z‖ by
// QR, as R does. The safeguarded (profile) fits, which run hundreds of
// times per model and do not need R's exact arithmetic path, solve the
// normal equations (XᵀWX) β = XᵀWz by Cholesky instead, falling back to
// QR if XᵀWX is not numerically positive definite.
func solveWLS(xw *mat.Dense, zw *mat.VecDense, qr *mat.QR, xtwx *mat.SymDense, chol *mat.Cholesky, xtz, sol *mat.VecDense, normal bool) error {
	if normal {
		_, p := xw.Dims()
		xtwx.Reset()
		xtwx.SymOuterK(1, xw.T())
		if chol.Factorize(xtwx) {
			xtz.Reset()
			xtz.MulVec(xw.T(), zw)
			if err := chol.SolveVecTo(sol, xtz); err == nil && sol.Len() == p {
				return nil
			}
		}
	}
	qr.Factorize(xw)
	return qr.SolveVecTo(sol, false, zw)
}

// exactMuDeviance sets μ = 1/(1 + e^−η) without R's clamping and returns
// the binomial deviance D = −2 Σ [y log μ + (1−y) log(1−μ)], computed from
// η with one exp and one log1p per observation so it stays finite and
// strictly convex however large |η| is.
func exactMuDeviance(y, eta, mu []float64) float64 {
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
		if y[i] == 1 {
			s -= logMu
		} else {
			s -= log1mMu
		}
	}
	return 2 * s
}

// linearPredictor sets eta = X β + offset.
func linearPredictor(x *mat.Dense, coef, offset, eta []float64) {
	n, p := x.Dims()
	for i := 0; i < n; i++ {
		s := 0.0
		if offset != nil {
			s = offset[i]
		}
		row := x.RawRowView(i)
		for j := 0; j < p; j++ {
			s += row[j] * coef[j]
		}
		eta[i] = s
	}
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
			if math.IsNaN(v) || math.IsInf(v, 0) {
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

// Fit fits a logistic regression by maximum likelihood with IRLS exactly
// as R's glm(family = binomial) does, then adds the Wald table, confidence
// intervals (profile likelihood by default, Wald with CIWald), fit
// statistics and generalized VIFs.
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
	f, err := irls(d.X, d.Y, nil, nil, opts.Tol, opts.MaxIter, false)
	if err != nil {
		return nil, err
	}
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
	}
	if fittedAtBoundary(f.mu) {
		m.warn(WarnFitted01, "fitted probabilities numerically 0 or 1 occurred")
	}
	cov, warn, err := covFromR(f.r)
	if err != nil {
		return nil, err
	}
	if warn != "" {
		m.warn(WarnIllConditioned, warn)
	}
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
	if err := FitStatistics(d, m, opts); err != nil {
		return nil, err
	}
	if _, err := SetGVIF(d, m); err != nil && !errors.Is(err, ErrVIFFewTerms) {
		m.warn(WarnVIF, err.Error())
	}
	return m, nil
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
// the last IRLS QR, as R's chol2inv in summary.glm. An ill-conditioned
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
