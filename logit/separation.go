package logit

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// separationTol is detectseparation's default tolerance: LP coefficients
// smaller than this are taken as zero (finite).
const separationTol = 1e-4

// SeparationResult reports whether the maximum-likelihood estimates of a
// logistic model exist, and which are infinite when they do not.
type SeparationResult struct {
	// Separated is true under complete or quasi-complete separation.
	Separated bool `json:"separated"`
	// Complete is true when some β puts every row strictly on its side:
	// (2y_i - 1) x_iᵀβ > 0 for all i.
	Complete bool `json:"complete"`
	// Directions has, per column, +1 or -1 when the MLE is +∞ or -∞ and 0
	// when it is finite.
	Directions []int `json:"directions"`
	// Coefficients names the columns with infinite estimates.
	Coefficients []string `json:"coefficients"`
	// Terms names the term groups (Design.Groups) those columns belong to.
	Terms []string `json:"terms"`
	// LPBeta and LPObjective are the solution and optimum of Konis's
	// linear program.
	LPBeta      []float64 `json:"lp_beta"`
	LPObjective float64   `json:"lp_objective"`
}

// DetectSeparation detects complete and quasi-complete separation with the
// linear program of Konis (2007), as detectseparation::detect_separation
// (formerly brglm2) does by default:
//
//	maximise  Σ_i (2y_i - 1) x_iᵀβ
//	s.t.      (2y_i - 1) x_iᵀβ ≥ 0 for every i,  -1 ≤ β_j ≤ 1.
//
// The optimum is 0, at β = 0, exactly when the MLE exists. Otherwise the
// coefficients with |β_j| > 1e-4 in the solution are infinite with the
// sign of β_j. To keep that threshold meaningful for columns measured in
// large units, |β_j| is multiplied by max(1, max_i |x_ij|) before the
// comparison (for columns within [-1, 1] this is detectseparation's rule).
// Separation is complete when max t s.t. (2y_i - 1) x_iᵀβ ≥ t, |β_j| ≤ 1,
// t ≤ 1 exceeds 1e-4. Under complete separation the separating directions
// form a cone with interior and the LP picks one vertex of it, as in
// detectseparation; under quasi-complete separation the infinite set is
// determined by the data. The programs are solved with gonum's simplex.
func DetectSeparation(d *Design) (SeparationResult, error) {
	if err := fthValidate(d); err != nil {
		return SeparationResult{}, err
	}
	n, p := d.X.Dims()
	xbar := mat.NewDense(n, p, nil)
	scale := make([]float64, p)
	for j := range scale {
		scale[j] = 1
	}
	for i := 0; i < n; i++ {
		sgn := 2*d.Y[i] - 1
		for j := 0; j < p; j++ {
			v := d.X.At(i, j)
			xbar.Set(i, j, sgn*v)
			scale[j] = math.Max(scale[j], math.Abs(v))
		}
	}

	res := SeparationResult{
		Directions:   make([]int, p),
		LPBeta:       make([]float64, p),
		Coefficients: []string{},
		Terms:        []string{},
	}
	// The dual program has p rows instead of n + 2p and the same optimum;
	// an optimum of 0 proves there is no separation, the usual case, and
	// spares the large primal.
	dual, err := konisDualValue(xbar)
	if err != nil {
		return SeparationResult{}, err
	}
	var size float64
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			size += math.Abs(xbar.At(i, j))
		}
	}
	if dual <= 1e-10*size {
		return res, nil
	}

	beta, obj, err := konisLP(xbar)
	if err != nil {
		return SeparationResult{}, err
	}
	res = SeparationResult{
		Directions:   make([]int, p),
		LPBeta:       beta,
		LPObjective:  obj,
		Coefficients: []string{},
		Terms:        []string{},
	}
	seen := map[string]bool{}
	for j, b := range beta {
		if math.Abs(b)*scale[j] <= separationTol {
			continue
		}
		res.Separated = true
		if b > 0 {
			res.Directions[j] = 1
		} else {
			res.Directions[j] = -1
		}
		res.Coefficients = append(res.Coefficients, d.Names[j])
		term := d.Names[j]
		if j < len(d.Assign) && d.Assign[j] >= 0 && d.Assign[j] < len(d.Groups) {
			term = d.Groups[d.Assign[j]]
		}
		if !seen[term] {
			seen[term] = true
			res.Terms = append(res.Terms, term)
		}
	}
	if res.Separated {
		margin, err := konisMargin(xbar)
		if err != nil {
			return SeparationResult{}, err
		}
		res.Complete = margin > separationTol
	}
	return res, nil
}

// konisLP solves Konis's program in gonum's standard form (min cᵀz, Az = b,
// z ≥ 0) with β = w - v, 0 ≤ w, v ≤ 1: z = (w, v, s, u, r), rows
// X̄(w - v) - s = 0, w + u = 1 and v + r = 1. β = 0 (u, r basic at 1, s
// basic at 0) is a feasible start whose basis is exactly ±I, so gonum's
// phase 1 is not needed.
func konisLP(xbar *mat.Dense) (beta []float64, objective float64, err error) {
	return konisSolve(xbar, false)
}

// konisDualValue is the optimum of the dual of Konis's program,
//
//	minimise 1ᵀ(a + b)  s.t.  -X̄ᵀλ + a - b = X̄ᵀ1,  λ, a, b ≥ 0,
//
// started from λ = 0, a - b = X̄ᵀ1. Rows of X̄ that are all zero are left
// out (their λ columns would be zero, which lp.Simplex rejects).
func konisDualValue(xbar *mat.Dense) (float64, error) {
	n, p := xbar.Dims()
	var keep []int
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			if xbar.At(i, j) != 0 {
				keep = append(keep, i)
				break
			}
		}
	}
	nk := len(keep)
	a := mat.NewDense(p, nk+2*p, nil)
	b := make([]float64, p)
	c := make([]float64, nk+2*p)
	basic := make([]int, p)
	for col, i := range keep {
		for j := 0; j < p; j++ {
			v := xbar.At(i, j)
			a.Set(j, col, -v)
			b[j] += v
		}
	}
	for j := 0; j < p; j++ {
		a.Set(j, nk+j, 1)
		a.Set(j, nk+p+j, -1)
		c[nk+j], c[nk+p+j] = 1, 1
		if b[j] >= 0 {
			basic[j] = nk + j
		} else {
			basic[j] = nk + p + j
		}
	}
	opt, _, err := lp.Simplex(c, a, b, 1e-10, basic)
	if err != nil {
		return 0, fmt.Errorf("logit: dual separation linear program: %w", err)
	}
	return opt, nil
}

// konisMargin is max t s.t. X̄β ≥ t, |β_j| ≤ 1, 0 ≤ t ≤ 1: positive under
// complete separation only.
func konisMargin(xbar *mat.Dense) (float64, error) {
	_, t, err := konisSolve(xbar, true)
	return t, err
}

// konisSolve builds and solves either program; with margin it adds t (and
// its bound slack q) after r and returns t* as the objective.
func konisSolve(xbar *mat.Dense, margin bool) ([]float64, float64, error) {
	n, p := xbar.Dims()
	extra := 0
	if margin {
		extra = 2
	}
	rows, nv := n+2*p+extra/2, n+4*p+extra
	a := mat.NewDense(rows, nv, nil)
	b := make([]float64, rows)
	c := make([]float64, nv)
	wOff, vOff, sOff, uOff, rOff := 0, p, 2*p, 2*p+n, 3*p+n
	tIdx, qIdx := 4*p+n, 4*p+n+1
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			v := xbar.At(i, j)
			a.Set(i, wOff+j, v)
			a.Set(i, vOff+j, -v)
			if !margin {
				c[wOff+j] -= v
				c[vOff+j] += v
			}
		}
		a.Set(i, sOff+i, -1)
		if margin {
			a.Set(i, tIdx, -1)
		}
	}
	basic := make([]int, 0, rows)
	for i := 0; i < n; i++ {
		basic = append(basic, sOff+i)
	}
	for j := 0; j < p; j++ {
		a.Set(n+j, wOff+j, 1)
		a.Set(n+j, uOff+j, 1)
		b[n+j] = 1
		a.Set(n+p+j, vOff+j, 1)
		a.Set(n+p+j, rOff+j, 1)
		b[n+p+j] = 1
	}
	for j := 0; j < p; j++ {
		basic = append(basic, uOff+j)
	}
	for j := 0; j < p; j++ {
		basic = append(basic, rOff+j)
	}
	if margin {
		a.Set(n+2*p, tIdx, 1)
		a.Set(n+2*p, qIdx, 1)
		b[n+2*p] = 1
		c[tIdx] = -1
		basic = append(basic, qIdx)
	}
	_, z, err := lp.Simplex(c, a, b, 1e-10, basic)
	if err != nil {
		return nil, 0, fmt.Errorf("logit: separation linear program: %w", err)
	}
	beta := make([]float64, p)
	for j := range beta {
		beta[j] = z[wOff+j] - z[vOff+j]
	}
	if margin {
		return beta, z[tIdx], nil
	}
	eta := mat.NewVecDense(n, nil)
	eta.MulVec(xbar, mat.NewVecDense(p, beta))
	return beta, mat.Sum(eta), nil
}
