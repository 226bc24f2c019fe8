package cluster

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// awkwardCase draws an awkward data set for TestHartiganWongAwkwardBitIdentical: Gaussian
// groups, uniform boxes, small integers (ties and duplicated rows), a few
// distinct rows repeated, or any of these scaled by a huge or tiny factor
// (squared distances that overflow or underflow).
func awkwardCase(rng *rand.Rand, kind, m, n int) []float64 {
	var a []float64
	switch kind {
	case 3: // few distinct rows, each repeated
		d := 2 + rng.IntN(6)
		base := exactCase(rng, 0, d, n)
		a = make([]float64, m*n)
		for i := 0; i < m; i++ {
			r := rng.IntN(d)
			copy(a[i*n:(i+1)*n], base[r*n:(r+1)*n])
		}
	default:
		a = exactCase(rng, kind%3, m, n)
	}
	switch rng.IntN(6) {
	case 0:
		scale := []float64{1e150, 1e-160, 1e200, 1e30}[rng.IntN(4)]
		for i := range a {
			a[i] *= scale
		}
	case 1: // one column with a spread far beyond the others
		j := rng.IntN(n)
		for i := 0; i < m; i++ {
			a[i*n+j] *= 1e8
		}
	}
	return a
}

// hwSame reports whether two runs agree to the bit.
func hwSame(x, y *kmRun) bool {
	if (x.err == nil) != (y.err == nil) || x.ifault != y.ifault {
		return false
	}
	if x.err != nil {
		return true
	}
	return slices.Equal(x.cl, y.cl) && slices.Equal(x.nc, y.nc) && x.iter == y.iter &&
		sameBits(x.wss, y.wss) && sameBits(x.centers, y.centers)
}

// TestHartiganWongAwkwardBitIdentical: hartigan.go's run, seeded from
// the kmeans++ distances or not, gives exactly what the plain port
// (hartiganWongRef) gives — partition, centres and withinss to the bit,
// iter and fault — on k = 2 to k = m − 1, few distinct rows repeated,
// ties, iter.max stops, and data whose squared distances overflow to
// +Inf or fall to subnormals.
func TestHartiganWongAwkwardBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 7))
	cases := 4000
	if testing.Short() {
		cases = 400
	}
	var checked, faults, kmax int
	for c := 0; c < cases; c++ {
		kind := c % 4
		m := 3 + rng.IntN(150)
		if c%50 == 0 {
			m = 3 + rng.IntN(6)
		}
		n := 1 + rng.IntN(24)
		a := awkwardCase(rng, kind, m, n)
		d := &kmData{x: a, n: m, p: n}
		du := d.distinct()
		var k int
		switch c % 7 {
		case 0:
			k = 2
		case 1:
			k = m - 1
		default:
			k = 2 + rng.IntN(9)
		}
		if k >= len(du) || k >= m || k < 2 {
			continue
		}
		if k == m-1 {
			kmax++
		}
		maxIter := 10
		if c%5 == 0 {
			maxIter = 1 + rng.IntN(2)
		}
		seed := rng.Uint64()
		dist := make([]float64, len(du)*k)
		cen := kmeansPPInto(make([]float64, k*n), make([]float64, len(du)), make([]bool, len(du)), dist, a, n, du, k, rand.New(rand.NewPCG(seed, 0)))
		var pre []float64
		var rowU []int
		if c%3 != 0 { // the seeded path, as the gap statistic runs it
			pre, rowU = dist, d.rowUniq()
		}
		got := hartiganWongSeeded(new(hwWork), a, m, n, slices.Clone(cen), k, maxIter, pre, rowU)
		ref := hartiganWongRef(a, m, n, slices.Clone(cen), k, maxIter)
		if !hwSame(got, ref) {
			t.Fatalf("case %d (kind %d, %d×%d, k = %d, iter.max %d): differs from the reference: iter %d/%d ifault %d/%d tot %v/%v",
				c, kind, m, n, k, maxIter, got.iter, ref.iter, got.ifault, ref.ifault, got.tot(), ref.tot())
		}
		checked++
		if got.err != nil || got.ifault != 0 {
			faults++
		}
	}
	if checked < cases/2 || faults == 0 || kmax == 0 {
		t.Fatalf("weak test: %d cases, %d errors or faults, %d with k = m−1", checked, faults, kmax)
	}
}

// TestHartiganWongLargeBitIdentical: 10⁶ rows (2·10⁵ under -short), the
// size of the commands' largest inputs, bit-identical to the plain port.
func TestHartiganWongLargeBitIdentical(t *testing.T) {
	m, n, k := 1000000, 3, 5
	if testing.Short() {
		m = 200000
	}
	rng := rand.New(rand.NewPCG(14, 9))
	a := exactCase(rng, 0, m, n)
	cen := slices.Clone(a[:k*n])
	got := hartiganWong(a, m, n, slices.Clone(cen), k, 10)
	ref := hartiganWongRef(a, m, n, slices.Clone(cen), k, 10)
	if !hwSame(got, ref) {
		t.Fatalf("%d×%d, k = %d: differs from the reference (iter %d/%d, tot %v/%v)", m, n, k, got.iter, ref.iter, got.tot(), ref.tot())
	}
	if slices.Equal(got.centers, cen) {
		t.Fatal("weak test: the centres did not move")
	}
}
