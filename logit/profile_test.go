package logit

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// Profile limits against the exact R roots (uniroot at tol 1e-10 on the
// constrained deviance) at relative 1e-6, and against confint() (MASS's
// spline interpolation of a grid profile) no further than R's own exact
// root is from confint.
func TestProfileCIsAgainstR(t *testing.T) {
	for _, name := range glmConverged {
		t.Run(name, func(t *testing.T) {
			r := glmLoadRef(t, name)
			d := r.design()
			m, err := Fit(d, Options{Level: r.Level})
			if err != nil {
				t.Fatal(err)
			}
			for j, tm := range m.Terms {
				got := [2]float64{tm.ConfLow, tm.ConfHigh}
				for s := 0; s < 2; s++ {
					exact := float64(r.CIExact[j][s])
					spline := float64(r.CIProfile[j][s])
					reftest.Rel(t, tm.Term+" profile limit vs exact root", got[s], exact, 1e-6)
					if dev, rdev := math.Abs(got[s]-spline), math.Abs(exact-spline); dev > rdev+1e-6*math.Abs(exact) {
						t.Errorf("%s limit %d: |Go − confint| = %.3g exceeds |exact R − confint| = %.3g", tm.Term, s, dev, rdev)
					}
				}
				reftest.Rel(t, tm.Term+" OR low", tm.ORConfLow, math.Exp(float64(r.CIExact[j][0])), 1e-6)
				reftest.Rel(t, tm.Term+" OR high", tm.ORConfHigh, math.Exp(float64(r.CIExact[j][1])), 1e-6)
			}
		})
	}
}

// Under complete separation the profile never reaches the limits in the
// diverging direction: ±Inf with a warning, never a huge finite number.
func TestProfileCIsSeparationInfinite(t *testing.T) {
	r := glmLoadRef(t, "mtcars_separated")
	m, err := Fit(r.design(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	infinite := 0
	for j, tm := range m.Terms {
		// R: separated_profile in glm_reference.R (inf D = 0, uniroot).
		reftest.Rel(t, tm.Term+" low", tm.ConfLow, float64(r.CIExact[j][0]), 1e-6)
		reftest.Rel(t, tm.Term+" high", tm.ConfHigh, float64(r.CIExact[j][1]), 1e-6)
		for _, b := range []float64{tm.ConfLow, tm.ConfHigh} {
			if math.IsInf(b, 0) {
				infinite++
			} else if math.Abs(b) > 1e6 {
				t.Errorf("%s: huge finite limit %g", tm.Term, b)
			}
		}
		if tm.ConfLow > tm.Estimate || tm.ConfHigh < tm.Estimate {
			t.Errorf("%s: interval [%g, %g] excludes the estimate %g", tm.Term, tm.ConfLow, tm.ConfHigh, tm.Estimate)
		}
	}
	if infinite == 0 {
		t.Fatal("no infinite profile limit under separation")
	}
	if !strings.Contains(strings.Join(Messages(m.Warnings), "\n"), "never reaches") {
		t.Errorf("no warning for the infinite limits: %v", m.Warnings)
	}
}

func TestBrentRoot(t *testing.T) {
	f := func(x float64) (float64, error) { return math.Cos(x) - x, nil }
	fa, _ := f(0)
	fb, _ := f(1)
	x, err := brentRoot(f, 0, 1, fa, fb, 1e-14, 100)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f(x); math.Abs(v) > 1e-13 {
		t.Errorf("cos(x) − x = %g at %v", v, x)
	}
	if _, err := brentRoot(f, 0, 0.5, fa, fa, 1e-14, 100); err == nil {
		t.Error("same signs: want errNoBracket")
	}
}

func TestProfileCIsRejectsMismatchedModel(t *testing.T) {
	d := glmLoadRef(t, "mtcars_vs").design()
	if _, _, err := ProfileCIs(d, &Model{Coef: []float64{1}}, 0.95); err == nil {
		t.Error("one coefficient for two columns: want an error")
	}
}

// Profiling on covariate patterns gives the limits profiling the rows
// gives, and the parallel loop over coefficients gives the same limits
// for any number of threads.
func TestProfileCIsGroupedAndDeterministic(t *testing.T) {
	d := discreteDesign(5000)
	m, err := Fit(d, Options{CI: CIWald})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := collapsePatterns(d.X, d.Y); !ok {
		t.Fatal("design not grouped")
	}
	grouped, _, err := ProfileCIs(d, m, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := profileCIs(d, m, 0.95, false)
	if err != nil {
		t.Fatal(err)
	}
	for j := range grouped {
		reftest.Rel(t, d.Names[j]+" low", grouped[j][0], rows[j][0], 1e-9)
		reftest.Rel(t, d.Names[j]+" high", grouped[j][1], rows[j][1], 1e-9)
	}
	prev := runtime.GOMAXPROCS(1)
	serial, _, err := ProfileCIs(d, m, 0.95)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	for j := range grouped {
		if serial[j] != grouped[j] {
			t.Errorf("%s: GOMAXPROCS 1 gives %v, %d gives %v", d.Names[j], serial[j], prev, grouped[j])
		}
	}
}
