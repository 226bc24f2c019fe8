package logit

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// accumulateOld is normalEq.accumulate as it was before its four-row
// loop (commit 764d56f), kept to show that the loop changed no bit.
func (ne *normalEq) accumulateOld(x *mat.Dense, row func(i int) (w, r float64)) {
	p := ne.p
	stride := p*p + p
	forBlocks(ne.n, func(b, lo, hi int) {
		part := ne.parts[b*stride : (b+1)*stride]
		clear(part)
		a, s := part[:p*p], part[p*p:]
		for i := lo; i < hi; i++ {
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

// The normal equations are the same bits with the four-row loop, for
// row counts around the block and unroll boundaries, one to a dozen
// columns, a strided matrix, and values of very different magnitudes.
func TestAccumulateBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 4))
	for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 9, 4095, 4096, 4097, 4099, 3*4096 + 2, 20001} {
		for _, p := range []int{1, 2, 3, 5, 11, 12} {
			big := mat.NewDense(n, p+2, nil)
			for i := 0; i < n; i++ {
				for j := 0; j < p+2; j++ {
					v := rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-4))
					if rng.IntN(7) == 0 {
						v = float64(rng.IntN(2))
					}
					big.Set(i, j, v)
				}
			}
			x := big.Slice(0, n, 1, p+1).(*mat.Dense) // stride p+2
			w := make([]float64, n)
			r := make([]float64, n)
			for i := range w {
				w[i] = rng.Float64() * math.Pow(10, float64(rng.IntN(7)-3))
				r[i] = rng.NormFloat64() * 3
			}
			row := func(i int) (float64, float64) { return w[i], r[i] }
			got, want := newNormalEq(n, p), newNormalEq(n, p)
			got.accumulate(x, row)
			want.accumulateOld(x, row)
			for k := range want.a {
				if math.Float64bits(got.a[k]) != math.Float64bits(want.a[k]) {
					t.Fatalf("n %d p %d: XᵀWX[%d] = %v, was %v", n, p, k, got.a[k], want.a[k])
				}
			}
			for k := range want.s {
				if math.Float64bits(got.s[k]) != math.Float64bits(want.s[k]) {
					t.Fatalf("n %d p %d: XᵀWr[%d] = %v, was %v", n, p, k, got.s[k], want.s[k])
				}
			}
		}
	}
}

// logisticOld is Logistic before it was written through logisticExp.
func logisticOld(eta float64) float64 {
	var t float64
	switch {
	case eta < logitMThresh:
		t = dblEpsilon
	case eta > logitThresh:
		t = invEpsilon
	default:
		t = math.Exp(eta)
	}
	return t / (1 + t)
}

// IRLS takes μ' from the e^η that Logistic computed (muEtaOfExp) instead
// of a second exp (logitMuEta): the same bits for every η, the clamps at
// ±30 and the non-finite values included.
func TestMuEtaOfExpIsLogitMuEta(t *testing.T) {
	etas := []float64{0, math.Copysign(0, -1), 30, -30, math.Nextafter(30, 31), math.Nextafter(-30, -31),
		math.Nextafter(30, 0), math.Nextafter(-30, 0), 1e-300, -1e-300, 700, -700, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN()}
	rng := rand.New(rand.NewPCG(3, 30))
	for k := 0; k < 200000; k++ {
		etas = append(etas, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(5)-2)))
	}
	for _, eta := range etas {
		mu, ex := logisticExp(eta)
		if math.Float64bits(mu) != math.Float64bits(logisticOld(eta)) {
			t.Fatalf("η = %v: μ %v, Logistic was %v", eta, mu, logisticOld(eta))
		}
		if got, want := muEtaOfExp(eta, ex), logitMuEta(eta); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("η = %v: μ' %v, logitMuEta %v", eta, got, want)
		}
	}
}

// validateDesign's one-subtraction test refuses exactly the non-finite
// cells (NaN, ±Inf) and names the first, and passes the extremes of the
// finite ones.
func TestValidateDesignNonFinite(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.MaxFloat64, 5e-324, math.Copysign(0, -1)} {
		x := mat.NewDense(4, 2, []float64{1, 0, 1, 1, 1, v, 1, 2})
		err := validateDesign(&Design{X: x, Y: []float64{0, 1, 0, 1}, Names: []string{"(Intercept)", "x"}, Assign: []int{0, 1}, Groups: []string{"(Intercept)", "x"}})
		finite := !math.IsNaN(v) && !math.IsInf(v, 0)
		if finite && err != nil {
			t.Errorf("%v: %v", v, err)
		}
		if !finite && (err == nil || err.Error() != `logit: non-finite value in row 3, column "x"`) {
			t.Errorf("%v: error %v", v, err)
		}
	}
}

// linearPredictorOld is linearPredictor before its four-row loop.
func linearPredictorOld(x *mat.Dense, coef, offset, eta []float64) {
	n, _ := x.Dims()
	forBlocks(n, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
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

// The linear predictor is the same bits with the four-row loop, with and
// without an offset, for row counts around the unroll and block sizes.
func TestLinearPredictorBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 55))
	for _, n := range []int{1, 3, 4, 5, 8, 4095, 4097, 9003} {
		for _, p := range []int{1, 2, 3, 7, 12} {
			big := mat.NewDense(n, p+1, nil)
			for i := 0; i < n; i++ {
				for j := 0; j <= p; j++ {
					big.Set(i, j, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(9)-4)))
				}
			}
			x := big.Slice(0, n, 0, p).(*mat.Dense) // stride p+1
			coef := make([]float64, p)
			for j := range coef {
				coef[j] = rng.NormFloat64() * 5
			}
			offset := make([]float64, n)
			for i := range offset {
				offset[i] = rng.NormFloat64()
			}
			for _, off := range [][]float64{nil, offset} {
				got, want := make([]float64, n), make([]float64, n)
				linearPredictor(x, coef, off, got)
				linearPredictorOld(x, coef, off, want)
				for i := range want {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("n %d p %d offset %v: η[%d] = %v, was %v", n, p, off != nil, i, got[i], want[i])
					}
				}
			}
		}
	}
}
