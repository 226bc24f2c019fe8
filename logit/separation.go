package logit

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// separationTol is detectseparation's default tolerance: LP coefficients
// smaller than this are taken as zero (finite).
const separationTol = 1e-4

// What decided DetectSeparation's answer (SeparationResult.DecidedBy).
const (
	SeparationByLP         = "linear program"
	SeparationByDivergence = "divergence of the maximum-likelihood iteration"
)

// ErrSeparationUndecided is returned (wrapped, with the reason) when
// neither the linear program nor the maximum-likelihood iteration could
// tell whether the MLE exists. FitAuto then fits Firth's penalized
// likelihood, which is finite either way, and says so.
var ErrSeparationUndecided = errors.New("logit: separation check could not decide")

// SeparationResult reports whether the maximum-likelihood estimates of a
// logistic model exist, and which are infinite when they do not.
type SeparationResult struct {
	// Separated is true under complete or quasi-complete separation.
	Separated bool `json:"separated"`
	// Complete is true when some β puts every row strictly on its side:
	// (2y_i - 1) x_iᵀβ > 0 for all i.
	Complete bool `json:"complete"`
	// Directions has, per column, +1 or -1 when the MLE is +∞ or -∞ and 0
	// when it is finite (or the column is aliased).
	Directions []int `json:"directions"`
	// Coefficients names the columns with infinite estimates.
	Coefficients []string `json:"coefficients"`
	// Terms names the term groups (Design.Groups) those columns belong to.
	Terms []string `json:"terms"`
	// Aliased names the columns left out because they are linear
	// combinations of the columns before them (R's glm estimates them as
	// NA); the check runs on the others.
	Aliased []string `json:"aliased"`
	// LPBeta and LPObjective are the solution and optimum of Konis's
	// linear program (0 for aliased columns).
	LPBeta      []float64 `json:"lp_beta"`
	LPObjective float64   `json:"lp_objective"`
	// LPPivots counts the simplex pivots of both programs.
	LPPivots int `json:"lp_pivots"`
	// DecidedBy is SeparationByLP, or SeparationByDivergence when the
	// linear program could not be solved reliably; Note then says why.
	DecidedBy string `json:"decided_by"`
	Note      string `json:"note,omitempty"`
}

// separationConfig holds the work bounds of the check; the zero value
// means the defaults.
type separationConfig struct {
	// maxPivots bounds the simplex pivots of each linear program;
	// marginMaxPivots, if set, that of the margin program.
	maxPivots, marginMaxPivots int
	// divIter1 and divIter2 are the two legs of the divergence check
	// (defaults divergenceIter1, divergenceIter2).
	divIter1, divIter2 int
	// lpOnly makes FitAuto decide by the linear program even when its
	// own fit proves that the MLE exists (mleExists): tests compare both.
	lpOnly bool
}

// defaultMaxPivots is the pivot bound of one program with m rows. The
// programs here take 5m–25m pivots (204 for both programs at most on the
// public-data reproductions, p ≤ 21; 1074 on a simulated n = 2000,
// p = 46 design), and one pivot costs O(N m) for N columns, so the bound
// caps the work at a few seconds for n = 10⁴ rows and p = 50; hitting it
// is not an error but hands the decision to the divergence check.
func defaultMaxPivots(m int) int { return 1000 + 100*m }

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
// determined by the data.
//
// So that the programs cannot meet a singular basis: aliased columns (as
// Aliased, R's glm's NA coefficients) are left out and reported in
// Aliased; columns are rescaled to max |x_ij| = 1 (β_j = γ_j / s_j with
// |γ_j| ≤ s_j, the same program); duplicate and all-zero rows are merged.
// Both programs are solved through their duals, which have only p (p + 1)
// rows, by the revised simplex method with Bland's anti-cycling rule
// whenever pivots stall and a bound on the pivots; the primal β are the
// dual's simplex multipliers. The answer is accepted only with its
// certificate: a primal-feasible β whose objective equals the dual's, or,
// for "no separation", a dual-feasible point of objective 0 (which bounds
// the primal optimum by weak duality).
//
// When the program hits its bound or its certificate fails, the answer is
// taken from the divergence of the maximum-likelihood iteration instead
// (DecidedBy = SeparationByDivergence, with Note): IRLS runs 30 and then 10
// more iterations; the MLE exists when the linear predictor stops moving,
// and the coefficients that keep growing (while no row on the wrong side
// of 0 moves further away) are the infinite ones; on 270 random subsets of
// pbc, birthwt and lung this agrees with the program in 268, is undecided
// in none, and flags one more coefficient in 2 where the program's
// optimal face is not one point. When that is not clear either, the
// error wraps ErrSeparationUndecided. Every step is bounded: no input
// makes this loop or hang.
func DetectSeparation(d *Design) (SeparationResult, error) {
	return detectSeparation(d, separationConfig{})
}

func detectSeparation(d *Design, cfg separationConfig) (SeparationResult, error) {
	if err := fthValidate(d); err != nil {
		return SeparationResult{}, err
	}
	_, p := d.X.Dims()
	res := SeparationResult{
		Directions:   make([]int, p),
		LPBeta:       make([]float64, p),
		Coefficients: []string{},
		Terms:        []string{},
		Aliased:      []string{},
		DecidedBy:    SeparationByLP,
	}
	aliased := map[int]bool{}
	for _, j := range Aliased(d.X) {
		aliased[j] = true
		res.Aliased = append(res.Aliased, d.Names[j])
	}
	keep := make([]int, 0, p)
	for j := 0; j < p; j++ {
		if !aliased[j] {
			keep = append(keep, j)
		}
	}
	if len(keep) == 0 {
		// Every column is zero: the likelihood does not depend on β.
		return res, nil
	}
	kp := newKonisProblem(d.X, d.Y, keep)

	sol, err := kp.solveKonis(cfg)
	res.LPPivots += sol.pivots
	if err != nil {
		return divergenceResult(d, keep, res, cfg, fmt.Sprintf("linear program: %v", err))
	}
	if sol.objective <= 1e-10*kp.size {
		// β = 0 is optimal: the MLE exists.
		return res, nil
	}
	for k, j := range keep {
		res.LPBeta[j] = sol.gamma[k] / kp.scale[k]
	}
	res.LPObjective = kp.objective(sol.gamma)
	markInfinite(d, &res, res.LPBeta)
	if !res.Separated {
		return res, nil
	}
	margin, pivots, err := kp.solveMargin(cfg)
	res.LPPivots += pivots
	if err != nil {
		// The infinite set stands; only completeness is decided from the
		// iteration, whose deviance tends to 0 exactly under complete
		// separation.
		dv, derr := divergenceSeparation(d.X, d.Y, keep, cfg)
		if derr != nil {
			res.Note = fmt.Sprintf("margin program: %v; %v: whether the separation is complete is not decided (reported as quasi-complete)", err, derr)
			return res, nil
		}
		res.Complete = dv.complete
		res.Note = fmt.Sprintf("margin program: %v; completeness decided by the %s", err, SeparationByDivergence)
		return res, nil
	}
	res.Complete = margin > separationTol
	return res, nil
}

// markInfinite flags the coefficients with |β_j| max(1, max_i |x_ij|) above
// separationTol and names them and their terms.
func markInfinite(d *Design, res *SeparationResult, beta []float64) {
	n, _ := d.X.Dims()
	seen := map[string]bool{}
	for j, b := range beta {
		scale := 1.0
		for i := 0; i < n; i++ {
			scale = math.Max(scale, math.Abs(d.X.At(i, j)))
		}
		if math.Abs(b)*scale <= separationTol {
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
}

// divergenceResult answers from the maximum-likelihood iteration after the
// linear program failed for the reason why.
func divergenceResult(d *Design, keep []int, res SeparationResult, cfg separationConfig, why string) (SeparationResult, error) {
	dv, err := divergenceSeparation(d.X, d.Y, keep, cfg)
	if err != nil {
		return SeparationResult{}, fmt.Errorf("%w: %s; %v", ErrSeparationUndecided, why, err)
	}
	res.DecidedBy = SeparationByDivergence
	res.Note = why
	res.LPBeta = make([]float64, len(res.LPBeta))
	res.LPObjective = 0
	beta := make([]float64, len(res.LPBeta))
	for k, j := range keep {
		beta[j] = dv.direction[k]
	}
	markInfinite(d, &res, beta)
	res.Complete = res.Separated && dv.complete
	return res, nil
}

// Bounds of the divergence check: IRLS runs divergenceIter1 iterations and
// then divergenceIter2 more. Newton's method moves a separated row's
// linear predictor by about 1 per iteration, so the second leg moves it
// by about divergenceIter2, while a finite MLE has converged to rounding
// long before divergenceIter1.
const (
	divergenceIter1 = 30
	divergenceIter2 = 10
	// divergenceStill and divergenceMoving bound max_i |Δη_i| over the
	// second leg: below the first the iteration has converged, above the
	// second it diverges; in between the check cannot tell.
	divergenceStill  = 1e-6
	divergenceMoving = 1
)

type divergence struct {
	// direction is Δβ / max_i |Δη_i| over the second leg (0 when
	// converged), per kept column.
	direction []float64
	complete  bool
}

// divergenceSeparation decides separation from the path of the exact
// (unclamped, step-halving) IRLS of the profile code on the kept columns
// of x, as R users do with glm(control = glm.control(maxit = …)): finite
// coefficients converge, infinite ones grow linearly, and under complete
// separation the deviance tends to 0.
func divergenceSeparation(x *mat.Dense, y []float64, keep []int, cfg separationConfig) (divergence, error) {
	it1, it2 := cfg.divIter1, cfg.divIter2
	if it1 <= 0 {
		it1 = divergenceIter1
	}
	if it2 <= 0 {
		it2 = divergenceIter2
	}
	xk := selectColumns(x, keep)
	n, p := xk.Dims()
	f1, err := irls(xk, y, nil, nil, 0, it1, true)
	if err != nil {
		return divergence{}, fmt.Errorf("maximum-likelihood iteration: %w", err)
	}
	f2, err := irls(xk, y, nil, f1.coef, 0, it2, true)
	if err != nil {
		return divergence{}, fmt.Errorf("maximum-likelihood iteration: %w", err)
	}
	delta := make([]float64, p)
	for j := range delta {
		delta[j] = f2.coef[j] - f1.coef[j]
	}
	deta := make([]float64, n)
	linearPredictor(xk, delta, nil, deta)
	moved := 0.0
	for _, v := range deta {
		moved = math.Max(moved, math.Abs(v))
	}
	dv := divergence{direction: make([]float64, p)}
	switch {
	case moved <= divergenceStill:
		return dv, nil
	case moved < divergenceMoving:
		return divergence{}, fmt.Errorf("maximum-likelihood iteration neither converged nor diverged in %d iterations (linear predictor still moving by %.3g)",
			it1+it2, moved)
	}
	for i, v := range deta {
		// A row may drift back while it stays on its own side (the
		// divergent direction still turning); one on the wrong side
		// moving further away is no separation pattern.
		s := 2*y[i] - 1
		if s*v < -1e-3*moved && s*f2.eta[i] < 0 {
			return divergence{}, fmt.Errorf("maximum-likelihood iteration moves row %d away from its outcome: not a separation pattern", i+1)
		}
	}
	for j := range delta {
		dv.direction[j] = delta[j] / moved
	}
	dv.complete = f2.dev <= 1e-6
	return dv, nil
}

// konisProblem is Konis's program on the kept columns, rescaled: with
// s_j = max_i |x_ij| and x̃_ij = (2y_i - 1) x_ij / s_j, γ_j = s_j β_j,
//
//	maximise c̃ᵀγ,  c̃ = Σ_i x̃_i,  s.t. x̃_iᵀγ ≥ 0,  |γ_j| ≤ s_j,
//
// whose constraints are the distinct non-zero rows of X̃.
type konisProblem struct {
	p     int
	scale []float64 // s_j
	// The distinct non-zero rows of X̃ are kept as the numbers of their
	// first occurrences in x (in that order: the simplex's column order,
	// which Bland's rule depends on) and recomputed by row when needed,
	// exactly as first computed: at 10⁶ rows a copy of them cost as much
	// as the design matrix, and one slice per row more.
	x     *mat.Dense
	y     []float64
	keep  []int
	first []int32
	norms []float64 // max_j |x̃_ij| of each distinct row
	c     []float64 // c̃ over all n rows
	// zeroRow is true when some x̃_i = 0, which caps the margin at 0.
	zeroRow bool
	// size is Σ_ij |x̄_ij| in original units, the scale of the objective.
	size float64
}

// numRows is the number of distinct non-zero rows.
func (kp *konisProblem) numRows() int { return len(kp.first) }

// row writes the k-th distinct row of X̃ to dst (length p) and returns it.
func (kp *konisProblem) row(dst []float64, k int) []float64 {
	kp.rowOf(dst, int(kp.first[k]))
	return dst
}

// rowOf writes row i of X̃, x̃_ij = ((2y_i - 1) x_ij) / s_j, to dst.
func (kp *konisProblem) rowOf(dst []float64, i int) {
	sgn := 2*kp.y[i] - 1
	xi := kp.x.RawRowView(i)
	for k, j := range kp.keep {
		dst[k] = (sgn * xi[j]) / kp.scale[k]
	}
}

func newKonisProblem(x *mat.Dense, y []float64, keep []int) *konisProblem {
	n, _ := x.Dims()
	p := len(keep)
	kp := &konisProblem{p: p, scale: make([]float64, p), c: make([]float64, p), x: x, y: y, keep: keep}
	// Row by row: x is row-major, and a maximum does not depend on the
	// order it is taken in.
	for i := 0; i < n; i++ {
		xi := x.RawRowView(i)
		for k, j := range keep {
			kp.scale[k] = math.Max(kp.scale[k], math.Abs(xi[j]))
		}
	}
	// A row is kept when no earlier row has the same bits (-0 taken as
	// 0), found through an open-addressing table hashed on those bits.
	// An entry is the distinct-row number + 1 (0 = empty) in the low 32
	// bits and the hash's high 32 bits above it, so that only rows of
	// equal hash are recomputed and compared value by value (a hash
	// collision cannot merge two rows); comparing at every occupied slot
	// had taken as long as the rest of the check at 10⁶ rows. (Row
	// numbers are 32 bits: a design of 2³¹ rows would not fit in memory
	// as a mat.Dense anyway.)
	slots := 16
	for slots < 2*n {
		slots *= 2
	}
	table := make([]uint64, slots)
	mask := uint64(slots - 1)
	row, other := make([]float64, p), make([]float64, p)
	// Room for every row: grown by append, at 1.25× a step once large,
	// they would allocate about 5 times their final size.
	kp.first, kp.norms = make([]int32, 0, n), make([]float64, 0, n)
	for i := 0; i < n; i++ {
		sgn := 2*y[i] - 1
		xi := x.RawRowView(i)
		norm := 0.0
		h := uint64(0)
		for k, j := range keep {
			v := sgn * xi[j]
			kp.size += math.Abs(v)
			row[k] = v / kp.scale[k]
			kp.c[k] += row[k]
			norm = math.Max(norm, math.Abs(row[k]))
			h = mixBits(h ^ math.Float64bits(row[k]+0)) // +0 folds -0 into 0
		}
		if norm == 0 {
			kp.zeroRow = true
			continue
		}
		slot, fp := h&mask, h&^(1<<32-1)
		dup := false
		for ; table[slot] != 0; slot = (slot + 1) & mask {
			e := table[slot]
			if e&^(1<<32-1) == fp && sameBits(kp.row(other, int(uint32(e))-1), row) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		kp.first = append(kp.first, int32(i))
		kp.norms = append(kp.norms, norm)
		table[slot] = fp | uint64(len(kp.first))
	}
	if 2*len(kp.first) < n {
		// Mostly duplicates (categorical designs): keep only what is used.
		kp.first = append([]int32(nil), kp.first...)
		kp.norms = append([]float64(nil), kp.norms...)
	}
	return kp
}

// mixBits is the 64-bit finalizer of MurmurHash3: every input bit moves
// about half the output bits, so rows of small integers (whose low bits
// are all 0) still spread over the table's low-bit slots.
func mixBits(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// sameBits reports whether a and b are equal bit for bit with -0 taken
// as 0, the identity of newKonisProblem's merged rows.
func sameBits(a, b []float64) bool {
	for k, v := range a {
		if math.Float64bits(v+0) != math.Float64bits(b[k]+0) {
			return false
		}
	}
	return true
}

// objective is Σ_i x̄_iᵀβ = c̃ᵀγ.
func (kp *konisProblem) objective(gamma []float64) float64 {
	var s float64
	for k, v := range gamma {
		s += kp.c[k] * v
	}
	return s
}

type konisSolution struct {
	gamma     []float64
	objective float64
	pivots    int
}

// certTol is the relative tolerance of the certificates.
const certTol = 1e-7

// solveKonis solves the dual of the rescaled program,
//
//	minimise Σ_j s_j (u_j + v_j)  s.t.  -Σ_i λ_i x̃_i / ‖x̃_i‖ + u - v = c̃,  λ, u, v ≥ 0,
//
// from the basis of u_j (v_j where c̃_j < 0), and returns γ, the simplex
// multipliers, once the certificate holds.
func (kp *konisProblem) solveKonis(cfg separationConfig) (konisSolution, error) {
	p, k := kp.p, kp.numRows()
	lp := newStdLP(append([]float64(nil), kp.c...), k+2*p)
	r := make([]float64, p)
	for i := 0; i < k; i++ {
		col := lp.addCol(0)
		for j, v := range kp.row(r, i) {
			col[j] = -v / kp.norms[i]
		}
	}
	for s := 0; s < 2; s++ {
		for j := 0; j < p; j++ {
			lp.addCol(kp.scale[j])[j] = 1 - 2*float64(s)
		}
	}
	basis := make([]int, p)
	for j := range basis {
		basis[j] = k + j
		if kp.c[j] < 0 {
			basis[j] = k + p + j
		}
	}
	maxPivots := cfg.maxPivots
	if maxPivots <= 0 {
		maxPivots = defaultMaxPivots(p)
	}
	sol, err := lp.solve(basis, maxPivots)
	if err != nil {
		return konisSolution{pivots: sol.pivots}, err
	}
	gamma := sol.y
	// Certificate: γ primal feasible, (λ, u, v) dual feasible, equal
	// objectives.
	for i := 0; i < kp.numRows(); i++ {
		kp.row(r, i)
		var s, mag float64
		for j, v := range r {
			s += v * gamma[j]
			mag += math.Abs(v * kp.scale[j])
		}
		if s < -certTol*mag {
			return konisSolution{pivots: sol.pivots}, fmt.Errorf("solution violates constraint %d by %.3g", i+1, -s)
		}
	}
	for j, g := range gamma {
		if math.Abs(g) > kp.scale[j]*(1+certTol) {
			return konisSolution{pivots: sol.pivots}, fmt.Errorf("solution outside the box at column %d", j+1)
		}
	}
	if err := lp.checkResidual(sol); err != nil {
		return konisSolution{pivots: sol.pivots}, err
	}
	primal := kp.objective(gamma)
	if math.Abs(primal-sol.obj) > certTol*(1+math.Abs(sol.obj)+kp.size*1e-3) {
		return konisSolution{pivots: sol.pivots}, fmt.Errorf("duality gap %.3g", primal-sol.obj)
	}
	return konisSolution{gamma: gamma, objective: sol.obj, pivots: sol.pivots}, nil
}

// solveMargin is max t s.t. x̃_iᵀγ ≥ t, |γ_j| ≤ s_j, t ≤ 1, through its dual
//
//	minimise Σ_j s_j (u_j + v_j) + w  s.t.  Σ_i λ_i (-x̃_i, 1) / ‖x̃_i‖ + (u - v, w) = (0, 1),
//
// started from the basis of u and w. A zero row forces t ≤ 0.
func (kp *konisProblem) solveMargin(cfg separationConfig) (float64, int, error) {
	if kp.zeroRow {
		return 0, 0, nil
	}
	p := kp.p
	m := p + 1
	k := kp.numRows()
	lp := newStdLP(make([]float64, m), k+2*p+1)
	lp.b[p] = 1
	r := make([]float64, p)
	for i := 0; i < k; i++ {
		col := lp.addCol(0)
		for j, v := range kp.row(r, i) {
			col[j] = -v / kp.norms[i]
		}
		col[p] = 1 / kp.norms[i]
	}
	for s := 0; s < 2; s++ {
		for j := 0; j < p; j++ {
			lp.addCol(kp.scale[j])[j] = 1 - 2*float64(s)
		}
	}
	lp.addCol(1)[p] = 1
	basis := make([]int, m)
	for j := 0; j < p; j++ {
		basis[j] = k + j
	}
	basis[p] = k + 2*p
	maxPivots := cfg.maxPivots
	if cfg.marginMaxPivots > 0 {
		maxPivots = cfg.marginMaxPivots
	}
	if maxPivots <= 0 {
		maxPivots = defaultMaxPivots(m)
	}
	sol, err := lp.solve(basis, maxPivots)
	if err != nil {
		return 0, sol.pivots, err
	}
	gamma, t := sol.y[:p], sol.y[p]
	for i := 0; i < kp.numRows(); i++ {
		kp.row(r, i)
		var s, mag float64
		for j, v := range r {
			s += v * gamma[j]
			mag += math.Abs(v * kp.scale[j])
		}
		if s < t-certTol*(1+mag) {
			return 0, sol.pivots, fmt.Errorf("margin solution violates constraint %d", i+1)
		}
	}
	if err := lp.checkResidual(sol); err != nil {
		return 0, sol.pivots, err
	}
	if math.Abs(t-sol.obj) > certTol*(1+math.Abs(sol.obj)) {
		return 0, sol.pivots, fmt.Errorf("margin duality gap %.3g", t-sol.obj)
	}
	return t, sol.pivots, nil
}

// konisDualValue is the optimum of the dual of Konis's program for the
// sign-adjusted matrix X̄ (rows (2y_i - 1) x_i), all columns kept.
func konisDualValue(xbar *mat.Dense) (float64, error) {
	n, p := xbar.Dims()
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	keep := make([]int, p)
	for j := range keep {
		keep[j] = j
	}
	sol, err := newKonisProblem(xbar, ones, keep).solveKonis(separationConfig{})
	if err != nil {
		return 0, err
	}
	return sol.objective, nil
}

// stdLP is min cᵀx s.t. A x = b, x ≥ 0, A stored by columns. gonum's
// lp.Simplex has no pivot bound and no reliable anti-cycling (it cycled
// for minutes on degenerate separation programs and failed on singular
// bases), hence this small revised simplex for programs with few rows.
type stdLP struct {
	// a holds the columns one after another, len(b) entries each: the
	// separation programs have a column per distinct data row, and one
	// slice per column cost more than the design matrix at 10⁶ rows.
	a    []float64
	b, c []float64
}

// newStdLP is the program with right-hand side b and room for nCols
// columns, added by addCol.
func newStdLP(b []float64, nCols int) *stdLP {
	return &stdLP{a: make([]float64, 0, nCols*len(b)), b: b, c: make([]float64, 0, nCols)}
}

// addCol appends a zero column of cost c and returns it to be filled in.
func (lp *stdLP) addCol(c float64) []float64 {
	m := len(lp.b)
	lp.a = append(lp.a, make([]float64, m)...)
	lp.c = append(lp.c, c)
	return lp.col(len(lp.c) - 1)
}

// col is column j (a view into a).
func (lp *stdLP) col(j int) []float64 {
	m := len(lp.b)
	return lp.a[j*m : (j+1)*m : (j+1)*m]
}

type stdLPSolution struct {
	// basic are the basic variables of the optimal basic solution in
	// increasing order and xb their values (every other variable is 0).
	basic  []int
	xb     []float64
	y      []float64 // simplex multipliers: yᵀA_j ≤ c_j for all j
	obj    float64
	pivots int
}

// Simplex tolerances on problems whose columns have entries in [-1, 1].
const (
	lpPivotTol    = 1e-9  // smallest usable pivot element
	lpOptTol      = 1e-10 // reduced cost counted as negative (times 1 + max c)
	lpFeasTol     = 1e-9  // negative basic value tolerated as rounding
	lpRefactor    = 32    // pivots between fresh factorizations of B
	lpBlandAfter  = 2     // consecutive degenerate pivots before Bland's rule
	lpMaxBasisCnd = 1e12  // condition number beyond which B counts as singular
)

var (
	errLPPivotBound = errors.New("simplex pivot bound reached")
	errLPSingular   = errors.New("simplex basis numerically singular")
	errLPUnbounded  = errors.New("simplex found the program unbounded (numerically impossible for this bounded program)")
)

// solve runs the revised simplex method from the feasible basis (one
// column index per row) with an explicit B⁻¹, refactorized every
// lpRefactor pivots. Entering columns follow Dantzig's rule; after
// lpBlandAfter consecutive degenerate pivots, Bland's rule (smallest
// index enters, smallest index leaves among ties) until a pivot makes
// progress, which rules out cycling; at most maxPivots pivots.
func (lp *stdLP) solve(basis []int, maxPivots int) (stdLPSolution, error) {
	m, nCols := len(lp.b), len(lp.c)
	basis = append([]int(nil), basis...)
	inBasis := make([]bool, nCols)
	for _, j := range basis {
		inBasis[j] = true
	}
	cmax := 0.0
	for _, v := range lp.c {
		cmax = math.Max(cmax, math.Abs(v))
	}
	optTol := lpOptTol * (1 + cmax)
	binv := mat.NewDense(m, m, nil)
	xb := make([]float64, m)
	y := make([]float64, m)
	d := make([]float64, m)
	refactor := func() error {
		bm := mat.NewDense(m, m, nil)
		for k, j := range basis {
			bm.SetCol(k, lp.col(j))
		}
		var lu mat.LU
		lu.Factorize(bm)
		if c := lu.Cond(); !(c < lpMaxBasisCnd) {
			return fmt.Errorf("%w (condition number %.3g)", errLPSingular, c)
		}
		eye := mat.NewDiagDense(m, nil)
		for i := 0; i < m; i++ {
			eye.SetDiag(i, 1)
		}
		if err := lu.SolveTo(binv, false, eye); err != nil {
			return fmt.Errorf("%w: %v", errLPSingular, err)
		}
		for i := 0; i < m; i++ {
			var s float64
			for k := 0; k < m; k++ {
				s += binv.At(i, k) * lp.b[k]
			}
			if s < -lpFeasTol*(1+math.Abs(lp.b[i])) {
				return fmt.Errorf("simplex lost feasibility (basic value %.3g)", s)
			}
			xb[i] = math.Max(s, 0)
		}
		return nil
	}
	bland, degenerate := false, 0
	pivots := 0
	for {
		if pivots%lpRefactor == 0 {
			if err := refactor(); err != nil {
				return stdLPSolution{pivots: pivots}, err
			}
		}
		for k := 0; k < m; k++ {
			var s float64
			for i := 0; i < m; i++ {
				s += lp.c[basis[i]] * binv.At(i, k)
			}
			y[k] = s
		}
		enter, best := -1, -optTol
		for j := 0; j < nCols; j++ {
			if inBasis[j] {
				continue
			}
			r := lp.c[j]
			for k, v := range lp.col(j) {
				r -= y[k] * v
			}
			if bland {
				if r < -optTol {
					enter = j
					break
				}
			} else if r < best {
				enter, best = j, r
			}
		}
		if enter < 0 {
			break
		}
		if pivots >= maxPivots {
			return stdLPSolution{pivots: pivots}, fmt.Errorf("%w (%d pivots)", errLPPivotBound, maxPivots)
		}
		col := lp.col(enter)
		for i := 0; i < m; i++ {
			var s float64
			for k, v := range col {
				s += binv.At(i, k) * v
			}
			d[i] = s
		}
		leave, theta := -1, math.Inf(1)
		for i := 0; i < m; i++ {
			if d[i] <= lpPivotTol {
				continue
			}
			ratio := xb[i] / d[i]
			switch {
			case leave < 0 || ratio < theta-1e-12*(1+theta):
				leave, theta = i, ratio
			case ratio <= theta+1e-12*(1+theta):
				// A tie: Bland takes the smallest variable index; otherwise
				// the larger pivot is the more stable one.
				if (bland && basis[i] < basis[leave]) || (!bland && d[i] > d[leave]) {
					leave, theta = i, math.Min(ratio, theta)
				}
			}
		}
		if leave < 0 {
			return stdLPSolution{pivots: pivots}, errLPUnbounded
		}
		theta = math.Max(theta, 0)
		for i := 0; i < m; i++ {
			if i != leave {
				xb[i] = math.Max(xb[i]-theta*d[i], 0)
			}
		}
		xb[leave] = theta
		piv := d[leave]
		for k := 0; k < m; k++ {
			binv.Set(leave, k, binv.At(leave, k)/piv)
		}
		for i := 0; i < m; i++ {
			if i == leave || d[i] == 0 {
				continue
			}
			f := d[i]
			for k := 0; k < m; k++ {
				binv.Set(i, k, binv.At(i, k)-f*binv.At(leave, k))
			}
		}
		inBasis[basis[leave]] = false
		basis[leave] = enter
		inBasis[enter] = true
		pivots++
		if theta <= 1e-12 {
			degenerate++
			bland = bland || degenerate >= lpBlandAfter
		} else {
			degenerate, bland = 0, false
		}
	}
	var obj float64
	for i, j := range basis {
		obj += lp.c[j] * xb[i]
	}
	// Only the basic variables can be non-zero: kept by column index
	// (the order checkResidual sums in) rather than as an nCols vector.
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return basis[order[a]] < basis[order[b]] })
	sol := stdLPSolution{basic: make([]int, m), xb: make([]float64, m), y: append([]float64(nil), y...), obj: obj, pivots: pivots}
	for k, i := range order {
		sol.basic[k], sol.xb[k] = basis[i], xb[i]
	}
	return sol, nil
}

// value is variable j of the solution.
func (s *stdLPSolution) value(j int) float64 {
	for k, b := range s.basic {
		if b == j {
			return s.xb[k]
		}
	}
	return 0
}

// checkResidual verifies A x = b and x ≥ 0 for a solution.
func (lp *stdLP) checkResidual(sol stdLPSolution) error {
	m := len(lp.b)
	res := append([]float64(nil), lp.b...)
	mag := make([]float64, m)
	for k, v := range lp.b {
		mag[k] = math.Abs(v)
	}
	for t, j := range sol.basic {
		col, xj := lp.col(j), sol.xb[t]
		if xj < 0 {
			return fmt.Errorf("simplex solution has a negative variable")
		}
		if xj == 0 {
			continue
		}
		for k := 0; k < m; k++ {
			res[k] -= col[k] * xj
			mag[k] += math.Abs(col[k] * xj)
		}
	}
	for k, r := range res {
		if math.Abs(r) > certTol*(1+mag[k]) {
			return fmt.Errorf("simplex solution misses equality constraint %d by %.3g", k+1, r)
		}
	}
	return nil
}
