package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSilhouetteFastPathBitIdentical: Silhouette's contiguous, four-wide
// pair loop gives bit for bit the widths of the generic sildist.c loop
// on the distance closure it replaced (row views, one distance at a
// time), on sizes around the block of four, with duplicate rows and a
// singleton cluster; and the same first non-finite pair error.
func TestSilhouetteFastPathBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for trial := 0; trial < 40; trial++ {
		n := 3 + rng.IntN(40)
		p := 1 + rng.IntN(6)
		k := 2 + rng.IntN(min(4, n-2))
		X := mat.NewDense(n, p, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < p; j++ {
				v := rng.NormFloat64() * 3
				if trial%3 == 0 {
					v = float64(rng.IntN(2))
				}
				X.Set(i, j, v)
			}
		}
		cl := make([]int, n)
		for i := range cl {
			cl[i] = 1 + i%k
		}
		rng.Shuffle(n, func(i, j int) { cl[i], cl[j] = cl[j], cl[i] })
		if trial%4 == 1 {
			cl[0] = k + 1 // a singleton cluster
		}
		name := fmt.Sprintf("trial %d n=%d p=%d", trial, n, p)
		got, gerr := Silhouette(X, cl)
		want, werr := silhouette(n, oldEuclid(X), cl)
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("%s: errors %v and %v", name, gerr, werr)
		}
		if gerr != nil {
			continue
		}
		for i := range want.Width {
			if math.Float64bits(got.Width[i]) != math.Float64bits(want.Width[i]) {
				t.Fatalf("%s: width %d = %v, generic %v", name, i, got.Width[i], want.Width[i])
			}
		}
		if !slices.Equal(got.Neighbor, want.Neighbor) || math.Float64bits(got.AvgWidth) != math.Float64bits(want.AvgWidth) {
			t.Fatalf("%s: neighbours or average differ", name)
		}
	}
	// The first non-finite pair in row order is named, as before.
	X := mat.NewDense(9, 2, nil)
	X.Set(6, 1, math.Inf(1))
	X.Set(2, 0, math.NaN())
	cl := []int{1, 2, 1, 2, 1, 2, 1, 2, 1}
	_, gerr := Silhouette(X, cl)
	_, werr := silhouette(9, oldEuclid(X), cl)
	if gerr == nil || werr == nil || gerr.Error() != werr.Error() {
		t.Fatalf("non-finite: %v, generic %v", gerr, werr)
	}
}

// oldEuclid is the distance closure Silhouette used before its fast path.
func oldEuclid(X *mat.Dense) func(i, l int) float64 {
	_, p := X.Dims()
	return func(i, l int) float64 {
		xi, xl := X.RawRowView(i), X.RawRowView(l)
		var s float64
		for j := 0; j < p; j++ {
			d := xi[j] - xl[j]
			s += d * d
		}
		return math.Sqrt(s)
	}
}
