package logit

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Tolerances of the constrained fits and the root search. They are far
// tighter than glm's 1e-8 so the reported limits are the exact roots, not
// the spline interpolation of a coarse grid that R's confint returns.
const (
	profileTol     = 1e-13
	profileMaxIter = 200
	profileXTol    = 1e-11
	// profileMaxDoublings bounds the outward search for a bracket; beyond
	// it (or once the profile is flat) the limit is reported as infinite.
	profileMaxDoublings = 60
)

// profiler evaluates the signed root deviance of one coefficient.
type profiler struct {
	xOther *mat.Dense // X without column j (nil when p = 1)
	xj     []float64
	y      []float64
	trials []float64 // nil: 0/1 rows; else covariate patterns (irlsGrouped)
	// ws is reused by the constrained fits, which only keep coef and dev.
	ws    *irlsWork
	dev0  float64 // deviance at the MLE
	beta0 float64 // MLE of coefficient j
	// warm is the other coefficients at the last evaluated point; starting
	// the next constrained fit there keeps it a few Newton steps.
	warm   []float64
	offset []float64
}

// constrainedDeviance is D(b): the deviance with coefficient j fixed at b
// (as offset b·x_j) and all other coefficients refitted.
func (pr *profiler) constrainedDeviance(b float64) (float64, error) {
	for i := range pr.offset {
		pr.offset[i] = b * pr.xj[i]
	}
	f, err := irlsGrouped(pr.xOther, pr.y, pr.trials, pr.offset, pr.warm, profileTol, profileMaxIter, true, pr.ws)
	if err != nil {
		return 0, err
	}
	if !f.converged {
		// A deviance short of its minimum would move the limit silently.
		return 0, fmt.Errorf("constrained fit at %g did not converge in %d iterations", b, profileMaxIter)
	}
	if f.coef != nil {
		copy(pr.warm, f.coef)
	}
	return f.dev, nil
}

// rootDeviance is |z(b)| = √max(0, D(b) − D̂).
func (pr *profiler) rootDeviance(b float64) (float64, error) {
	d, err := pr.constrainedDeviance(b)
	if err != nil {
		return 0, err
	}
	return math.Sqrt(math.Max(0, d-pr.dev0)), nil
}

// ProfileCIs returns profile-likelihood confidence limits for every
// coefficient of a fitted model: the two values b where the signed root
// deviance
//
//	z(b) = sign(b − β̂ⱼ) √(D(b) − D̂),
//
// with D(b) the deviance when βⱼ = b and every other coefficient is
// refitted, equals ±z_{(1+level)/2}. Roots are exact (bracketing, then
// Brent), not R's spline interpolation of a grid. A limit the profile never
// reaches (e.g. under separation) is ±Inf with a warning. Each constrained
// fit is Newton's method (IRLS) warm-started from the MLE or the previous
// point; coefficients are profiled in parallel, deterministically.
func ProfileCIs(d *Design, m *Model, level float64) ([][2]float64, []string, error) {
	return profileCIs(d, m, level, true)
}

// profileCIs is ProfileCIs; group allows the fits on covariate patterns.
func profileCIs(d *Design, m *Model, level float64, group bool) ([][2]float64, []string, error) {
	if err := validateDesign(d); err != nil {
		return nil, nil, err
	}
	_, p := d.X.Dims()
	if len(m.Coef) != p || m.Cov == nil {
		return nil, nil, fmt.Errorf("logit: model has %d coefficients for %d columns", len(m.Coef), p)
	}
	// Covariate patterns, when there are few, give the same likelihood
	// (see irlsGrouped) at a fraction of the cost.
	x, y := d.X, d.Y
	var trials []float64
	if group {
		if g, ok := collapsePatterns(d.X, d.Y); ok {
			x, y, trials = g.x, g.prop, g.trials
		}
	}
	n, _ := x.Dims()
	// Polish the MLE and its deviance at the profile tolerance so D(b) − D̂
	// is not biased by glm's looser stopping rule.
	best, err := irlsGrouped(x, y, trials, nil, m.Coef, profileTol, profileMaxIter, true, nil)
	if err != nil {
		return nil, nil, err
	}
	if !best.converged {
		return nil, nil, fmt.Errorf("logit: profile: the maximum-likelihood fit did not converge in %d iterations at the profile tolerance", profileMaxIter)
	}
	q := distuv.UnitNormal.Quantile((1 + level) / 2)
	out := make([][2]float64, p)
	warns := make([][]string, p)
	errs := make([]error, p)
	// The coefficients are profiled in parallel; each one's computation is
	// independent of the others and of scheduling, and the results are
	// collected in coefficient order, so the output does not depend on
	// GOMAXPROCS.
	profileOne := func(j int) {
		others := make([]int, 0, p-1)
		for k := 0; k < p; k++ {
			if k != j {
				others = append(others, k)
			}
		}
		pr := &profiler{
			xOther: selectColumns(x, others),
			xj:     mat.Col(nil, j, x),
			y:      y,
			trials: trials,
			dev0:   best.dev,
			beta0:  best.coef[j],
			offset: make([]float64, n),
			ws:     (*irlsWork)(nil).get(n, p-1),
		}
		se := math.Sqrt(m.Cov.At(j, j))
		for s, sign := range []float64{-1, 1} {
			// Warm start from the MLE: the other coefficients at β̂.
			pr.warm = make([]float64, 0, p-1)
			for _, k := range others {
				pr.warm = append(pr.warm, best.coef[k])
			}
			if len(others) == 0 {
				pr.warm = nil
			}
			b, ok, err := pr.limit(sign, se, q)
			if err != nil {
				errs[j] = fmt.Errorf("logit: profile of %s: %w", d.Names[j], err)
				return
			}
			if !ok {
				side := "lower"
				if sign > 0 {
					side = "upper"
				}
				warns[j] = append(warns[j], fmt.Sprintf("profile likelihood of %s never reaches the %s %g%% limit: reported as %s",
					d.Names[j], side, 100*level, fmt.Sprint(b)))
			}
			out[j][s] = b
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(p, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := int(next.Add(1)) - 1; j < p; j = int(next.Add(1)) - 1 {
				profileOne(j)
			}
		}()
	}
	wg.Wait()
	var all []string
	for j := 0; j < p; j++ {
		if errs[j] != nil {
			return nil, nil, errs[j]
		}
		all = append(all, warns[j]...)
	}
	return out, all, nil
}

// limit finds the root of |z(b)| = q on the side sign of β̂ⱼ. ok is false
// when the profile flattens below q, and the limit is then sign·Inf.
func (pr *profiler) limit(sign, se, q float64) (float64, bool, error) {
	inf := math.Inf(int(sign))
	if math.IsNaN(se) || math.IsInf(se, 0) || se <= 0 {
		return inf, false, nil
	}
	inner, zInner := pr.beta0, 0.0
	step := q * se
	prevDev := pr.dev0
	for k := 0; k < profileMaxDoublings; k++ {
		b := pr.beta0 + sign*step
		dev, err := pr.constrainedDeviance(b)
		if err != nil {
			return 0, false, err
		}
		z := math.Sqrt(math.Max(0, dev-pr.dev0))
		if z >= q {
			root, err := brentRoot(func(x float64) (float64, error) {
				r, err := pr.rootDeviance(x)
				return r - q, err
			}, inner, b, zInner-q, z-q, profileXTol*(1+math.Abs(b)), 200)
			return root, true, err
		}
		// A profile that stops rising will never cross: the likelihood is
		// maximised at infinity on this side (separation).
		if k > 2 && dev-prevDev <= 1e-10*(1+dev) {
			return inf, false, nil
		}
		inner, zInner, prevDev = b, z, dev
		step *= 2
	}
	return inf, false, nil
}
