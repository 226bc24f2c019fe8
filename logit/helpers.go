package logit

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Constants of R's C implementation of the logit link (src/library/stats/
// src/family.c); reproducing them keeps fitted values and IRLS paths equal
// to glm.fit's, including under separation where they bind.
const (
	logitThresh  = 30.0
	logitMThresh = -30.0
	dblEpsilon   = 2.220446049250313e-16
	invEpsilon   = 1 / dblEpsilon
)

// Logistic is the inverse logit link as R's binomial()$linkinv:
//
//	μ = e^η / (1 + e^η),
//
// with e^η clamped to [ε, 1/ε] (ε = machine epsilon) outside |η| ≤ 30 so μ
// never reaches exactly 0 or 1.
func Logistic(eta float64) float64 {
	mu, _ := logisticExp(eta)
	return mu
}

// logisticExp is Logistic(eta) together with the e^η it divided (the
// clamped value outside |η| ≤ 30), for muEtaOfExp.
func logisticExp(eta float64) (mu, ex float64) {
	var t float64
	switch {
	case eta < logitMThresh:
		t = dblEpsilon
	case eta > logitThresh:
		t = invEpsilon
	default:
		t = math.Exp(eta)
	}
	return t / (1 + t), t
}

// muEtaOfExp is logitMuEta(eta) given ex = logisticExp(eta)'s e^η: the
// same value, without computing the exponential again.
func muEtaOfExp(eta, ex float64) float64 {
	if eta > logitThresh || eta < logitMThresh {
		return dblEpsilon
	}
	op := 1 + ex
	return ex / (op * op)
}

// logitMuEta is dμ/dη as R's binomial()$mu.eta: e^η/(1+e^η)², ε outside
// |η| ≤ 30.
func logitMuEta(eta float64) float64 {
	if eta > logitThresh || eta < logitMThresh {
		return dblEpsilon
	}
	e := math.Exp(eta)
	op := 1 + e
	return e / (op * op)
}

// unitDeviance is one observation's binomial deviance residual for 0/1 y,
// as R's binomial()$dev.resids with unit weight: 2[y log(y/μ) + (1−y) log((1−y)/(1−μ))].
func unitDeviance(y, mu float64) float64 {
	var d float64
	if y > 0 {
		d += y * math.Log(y/mu)
	}
	if y < 1 {
		d += (1 - y) * math.Log((1-y)/(1-mu))
	}
	return 2 * d
}

// BinomialDeviance is the deviance of fitted probabilities mu for 0/1
// outcomes y: D = Σ unitDeviance(yᵢ, μᵢ) = −2 log L for 0/1 data.
func BinomialDeviance(y, mu []float64) float64 {
	var s float64
	for i := range y {
		s += unitDeviance(y[i], mu[i])
	}
	return s
}

// WaldTerms builds the coefficient table: z = β/SE, two-sided normal p,
// odds ratio e^β, and Wald limits β ± z_{(1+level)/2}·SE on both scales.
// Profile limits, when wanted, replace ConfLow/ConfHigh afterwards.
func WaldTerms(names []string, coef, se []float64, level float64) []Term {
	q := distuv.UnitNormal.Quantile((1 + level) / 2)
	terms := make([]Term, len(coef))
	for j := range coef {
		z := coef[j] / se[j]
		t := Term{
			Term:      names[j],
			Estimate:  coef[j],
			StdError:  se[j],
			Statistic: z,
			PValue:    2 * distuv.UnitNormal.CDF(-math.Abs(z)),
			ConfLow:   coef[j] - q*se[j],
			ConfHigh:  coef[j] + q*se[j],
			OddsRatio: math.Exp(coef[j]),
		}
		t.ORConfLow, t.ORConfHigh = math.Exp(t.ConfLow), math.Exp(t.ConfHigh)
		terms[j] = t
	}
	return terms
}

// errNoBracket reports that f has the same sign at both ends.
var errNoBracket = errors.New("logit: root not bracketed")

// brentRoot finds a root of f in [a, b] by Brent's method (Brent 1973,
// "zeroin", as R's uniroot), given fa = f(a), fb = f(b) of opposite signs.
// gonum has minimizers but no scalar root finder.
func brentRoot(f func(float64) (float64, error), a, b, fa, fb, xtol float64, maxIter int) (float64, error) {
	if fa == 0 {
		return a, nil
	}
	if fb == 0 {
		return b, nil
	}
	if (fa > 0) == (fb > 0) {
		return 0, errNoBracket
	}
	c, fc := a, fa
	d := b - a
	e := d
	for it := 0; it < maxIter; it++ {
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tol := 2*dblEpsilon*math.Abs(b) + xtol/2
		m := (c - b) / 2
		if math.Abs(m) <= tol || fb == 0 {
			return b, nil
		}
		if math.Abs(e) >= tol && math.Abs(fa) > math.Abs(fb) {
			// Interpolate: secant when a == c, inverse quadratic otherwise.
			var p, q float64
			s := fb / fa
			if a == c {
				p = 2 * m * s
				q = 1 - s
			} else {
				qq := fa / fc
				r := fb / fc
				p = s * (2*m*qq*(qq-r) - (b-a)*(r-1))
				q = (qq - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if 2*p < math.Min(3*m*q-math.Abs(tol*q), math.Abs(e*q)) {
				e = d
				d = p / q
			} else {
				d, e = m, m
			}
		} else {
			d, e = m, m
		}
		a, fa = b, fb
		if math.Abs(d) > tol {
			b += d
		} else if m > 0 {
			b += tol
		} else {
			b -= tol
		}
		var err error
		if fb, err = f(b); err != nil {
			return 0, err
		}
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
	}
	return b, fmt.Errorf("logit: root finder did not converge in %d iterations", maxIter)
}

// selectColumns copies the listed columns of x into a new matrix.
func selectColumns(x *mat.Dense, cols []int) *mat.Dense {
	n, _ := x.Dims()
	if len(cols) == 0 {
		return nil
	}
	out := mat.NewDense(n, len(cols), nil)
	for k, j := range cols {
		for i := 0; i < n; i++ {
			out.Set(i, k, x.At(i, j))
		}
	}
	return out
}

// sortedCopy returns x sorted ascending without touching x.
func sortedCopy(x []float64) []float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return s
}

// withDefaults fills zero option fields with R's defaults.
func withDefaults(o Options) Options {
	if o.MaxIter <= 0 {
		o.MaxIter = 25
	}
	if o.Tol <= 0 {
		o.Tol = 1e-8
	}
	if o.Level <= 0 {
		o.Level = DefaultLevel
	}
	if o.CI == "" {
		o.CI = CIProfile
	}
	return o
}
