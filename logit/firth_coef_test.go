package logit

import (
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestFirthCoefIsFitFirths: the estimate alone is FitFirth's, bit for
// bit, including under separation.
func TestFirthCoefIsFitFirths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sep := range []bool{false, true} {
		n := 60
		x := make([]float64, 3*n)
		y := make([]float64, n)
		for i := range n {
			x[3*i], x[3*i+1], x[3*i+2] = 1, rng.NormFloat64(), float64(rng.IntN(2))
			if rng.Float64() < 0.4+0.2*x[3*i+2] {
				y[i] = 1
			}
			if sep && x[3*i+2] == 1 {
				y[i] = 1
			}
		}
		d := &Design{X: mat.NewDense(n, 3, x), Y: y, Names: []string{"(Intercept)", "z", "b"}, Assign: []int{0, 1, 2}, Groups: []string{"(Intercept)", "z", "b"}}
		m, err := FitFirth(d, Options{CI: CIWald})
		if err != nil {
			t.Fatal(err)
		}
		b, conv, err := FirthCoef(d, Options{})
		if err != nil || !conv {
			t.Fatalf("separated %v: %v, converged %v", sep, err, conv)
		}
		if !slices.Equal(b, m.Coef) {
			t.Errorf("separated %v: FirthCoef %v, FitFirth %v", sep, b, m.Coef)
		}
	}
	if _, _, err := FirthCoef(&Design{}, Options{}); err == nil {
		t.Error("nil design accepted")
	}
}
