package cluster

import (
	"math"
	"math/rand/v2"
	"testing"
)

// sqDist4BelowOld is sqDist4Below as it was before its loop took a block
// of four columns a turn (issue 14): the reference for
// TestSqDist4BelowSameBits.
func sqDist4BelowOld(a, b0, b1, b2, b3 []float64, lim [4]float64) (s0, s1, s2, s3 float64, done int) {
	n := len(a)
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	for j := 0; j < n; j++ {
		x := a[j]
		d0 := x - b0[j]
		d1 := x - b1[j]
		d2 := x - b2[j]
		d3 := x - b3[j]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
		if j&3 == 3 && s0 >= lim[0] && s1 >= lim[1] && s2 >= lim[2] && s3 >= lim[3] {
			return s0, s1, s2, s3, j + 1
		}
	}
	return s0, s1, s2, s3, n
}

// awkwardVec is a vector of n values drawn to make sums awkward: small
// integers (exact ties), huge and tiny magnitudes (overflow to +Inf,
// subnormal squares), signed zeros, and now and then an Inf or a NaN.
func awkwardVec(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for j := range v {
		switch rng.IntN(12) {
		case 0:
			v[j] = float64(rng.IntN(3))
		case 1:
			v[j] = rng.NormFloat64() * 1e154
		case 2:
			v[j] = rng.NormFloat64() * 1e-160
		case 3:
			v[j] = math.Copysign(0, rng.NormFloat64())
		case 4:
			if rng.IntN(20) == 0 {
				v[j] = []float64{math.Inf(1), math.Inf(-1), math.NaN()}[rng.IntN(3)]
			}
		default:
			v[j] = rng.NormFloat64()
		}
	}
	return v
}

// sameBitsOrNaN is sameBits with any two NaNs equal: when two NaNs of
// different payloads meet in an addition, which one survives depends on
// the operand order the compiler picks for a commutative instruction, in
// the old loop as in the new; no decision (every comparison with NaN is
// false) and no printed number ("NaN") depends on the payload.
func sameBitsOrNaN(x, y []float64) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) && !(math.IsNaN(x[i]) && math.IsNaN(y[i])) {
			return false
		}
	}
	return true
}

// TestSqDist4BelowSameBits: the blocked sqDist4Below returns the very
// bits and stopping column of the column-at-a-time loop, for every
// length 0..40 (full blocks and remainders), limits that stop it at any
// block or never, and awkward values (ties, ±Inf, NaN, overflow,
// subnormals).
func TestSqDist4BelowSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 21))
	const cases = 200000
	early := 0
	for c := 0; c < cases; c++ {
		n := rng.IntN(41)
		a := awkwardVec(rng, n)
		var b [4][]float64
		for t := range b {
			if rng.IntN(4) == 0 {
				b[t] = append([]float64(nil), a...) // distance 0
			} else {
				b[t] = awkwardVec(rng, n)
			}
		}
		var lim [4]float64
		for t := range lim {
			// Limits at a partial sum of the old loop make every
			// block a possible stop; others never or always stop.
			switch rng.IntN(5) {
			case 0:
				lim[t] = math.Inf(1)
			case 1:
				lim[t] = 0
			case 2:
				lim[t] = math.NaN()
			default:
				s, _, _, _, _ := sqDist4BelowOld(a[:rng.IntN(n+1)], b[t], b[t], b[t], b[t], [4]float64{math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)})
				lim[t] = s
			}
		}
		g0, g1, g2, g3, gd := sqDist4Below(a, b[0], b[1], b[2], b[3], lim)
		w0, w1, w2, w3, wd := sqDist4BelowOld(a, b[0], b[1], b[2], b[3], lim)
		if gd != wd || !sameBitsOrNaN([]float64{g0, g1, g2, g3}, []float64{w0, w1, w2, w3}) {
			t.Fatalf("case %d (n = %d, lim %v): got %v %v %v %v stop %d, want %v %v %v %v stop %d",
				c, n, lim, g0, g1, g2, g3, gd, w0, w1, w2, w3, wd)
		}
		if wd < n {
			early++
		}
	}
	// The stop at a block boundary must be exercised, not only full sums.
	if early < cases/10 {
		t.Fatalf("weak test: %d of %d sums stopped early", early, cases)
	}
}
