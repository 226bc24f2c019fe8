package logit

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// The maximum-likelihood estimates of a logistic model with a full-rank
// design exist exactly when the data are not (quasi-)separated, and by
// Stiemke's theorem of the alternative the data are not separated exactly
// when some w > 0 has Σᵢ wᵢ sᵢ xᵢ = 0 for any sᵢ of the sign of 2yᵢ − 1.
// A converged fit nearly gives one: with sᵢ = yᵢ − μᵢ and wᵢ = 1 the sum
// is the score, nearly 0. mleExists proves that a correction makes it
// exactly 0 while keeping every wᵢ positive, and so lets FitAuto skip the
// linear program of DetectSeparation, whose cost at 10⁶ rows was a fifth
// of `logit`'s; it gives "no separation" whenever the proof holds, so no
// answer changes.
//
// The proof: let S be the n×p matrix of rows sᵢxᵢᵀ, r = Sᵀ1 (the score)
// and P the projection onto S's columns. w = 1 − P1 has Sᵀw = 0, and
// every wᵢ ≥ 1 − ‖P1‖ > 0 when Q = ‖P1‖ = √(rᵀ(SᵀS)⁻¹r) < 1. (Under
// separation Q ≥ 1 for every such s: Sβ = u ≥ 0, u ≠ 0 for some β gives
// ‖P1‖‖u‖ ≥ 1ᵀu ≥ ‖u‖.) At the MLE r = 0, so Q is rounding noise. The
// computed Q is bounded with room for every rounding: r's n-term sums
// are within eⱼ = γ Σᵢ|sᵢxᵢⱼ| of the exact ones (γ twice the bound on an
// n-term sum's relative error), the condition limit below keeps the
// computed inverse of SᵀS within a factor 2 of the true one, and by the
// triangle inequality in the (SᵀS)⁻¹ norm
//
//	Q ≤ √(2 r̂ᵀ M̂ r̂) + Σⱼ eⱼ √(2 M̂ⱼⱼ),   M̂ the computed (SᵀS)⁻¹,
//
// which must be below ½. No rounding can then make the proof claim what
// the linear program would deny.

// certCondMax bounds the condition number (gonum's 1-norm estimate) of
// the equilibrated SᵀS at which its computed inverse is trusted to a
// factor 2, together with the size check in mleExists.
const certCondMax = 1e10

// mleExists reports whether the fitted probabilities mu of a fit prove
// that the MLE of the logistic model of y on x exists (x of full column
// rank, y 0/1). false means only that this proof did not hold.
func mleExists(x *mat.Dense, y, mu []float64) bool {
	n, p := x.Dims()
	if n == 0 || p == 0 || len(y) != n || len(mu) != n {
		return false
	}
	for i, yi := range y {
		// s = y − μ must have the sign of 2y − 1 (NaN fails too).
		if s := yi - mu[i]; !(yi == 1 && s > 0 || yi == 0 && s < 0) {
			return false
		}
	}
	// One pass over the row blocks: SᵀS (upper triangle), Sᵀ1 and Σ|s x|.
	stride := p*p + 2*p
	parts := make([]float64, blocks(n)*stride)
	forBlocks(n, func(b, lo, hi int) {
		part := parts[b*stride : (b+1)*stride]
		g, r, a := part[:p*p], part[p*p:p*p+p], part[p*p+p:]
		for i := lo; i < hi; i++ {
			s := y[i] - mu[i]
			xr := x.RawRowView(i)
			for j, xj := range xr {
				sx := s * xj
				r[j] += sx
				a[j] += math.Abs(sx)
				gj := g[j*p : (j+1)*p]
				for k := j; k < p; k++ {
					gj[k] += sx * s * xr[k]
				}
			}
		}
	})
	g := make([]float64, p*p)
	r := make([]float64, p)
	abs := make([]float64, p)
	for b := 0; b < blocks(n); b++ {
		part := parts[b*stride : (b+1)*stride]
		for k, v := range part[:p*p] {
			g[k] += v
		}
		for j := 0; j < p; j++ {
			r[j] += part[p*p+j]
			abs[j] += part[p*p+p+j]
		}
	}
	// Equilibrated E = D SᵀS D, D = diag(SᵀS)^−½, so M = D E⁻¹ D.
	d := make([]float64, p)
	for j := 0; j < p; j++ {
		gjj := g[j*p+j]
		if !(gjj > 0) || math.IsInf(gjj, 0) {
			return false
		}
		d[j] = 1 / math.Sqrt(gjj)
	}
	e := mat.NewSymDense(p, nil)
	for j := 0; j < p; j++ {
		for k := j; k < p; k++ {
			e.SetSym(j, k, g[j*p+k]*d[j]*d[k])
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(e) {
		return false
	}
	// The relative error of the computed inverse is about cond times the
	// relative perturbation of E: n-term sums (γ) in forming SᵀS and the
	// factorization's own p-term rounding. A quarter keeps the computed
	// inverse within a factor 2 of the true one.
	const u = 0x1p-53
	gamma := 2 * float64(n+p+2) * u
	cond := chol.Cond()
	fp := float64(p)
	if math.IsNaN(cond) || cond > certCondMax || cond*fp*fp*(gamma+4*fp*u) > 0.25 {
		return false
	}
	dr := mat.NewVecDense(p, nil)
	for j := 0; j < p; j++ {
		dr.SetVec(j, d[j]*r[j])
	}
	var sol mat.VecDense
	if err := chol.SolveVecTo(&sol, dr); err != nil {
		return false
	}
	q := mat.Dot(dr, &sol)
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		return false
	}
	bound := math.Sqrt(2 * math.Max(q, 0))
	for j := 0; j < p; j++ {
		mjj := inv.At(j, j) * d[j] * d[j]
		if !(mjj > 0) || math.IsInf(mjj, 0) {
			return false
		}
		bound += gamma * abs[j] * math.Sqrt(2*mjj)
	}
	return !math.IsNaN(q) && bound < 0.5
}
