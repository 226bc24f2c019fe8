package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// exactCase draws one data set for the equivalence tests: Gaussian groups,
// uniform boxes (as the gap statistic's reference sets), or small
// integers, whose many exactly equal distances exercise the ties of
// AS 136's strict comparisons.
func exactCase(rng *rand.Rand, kind, m, n int) []float64 {
	a := make([]float64, m*n)
	groups := 1 + rng.IntN(5)
	for i := 0; i < m; i++ {
		g := float64(i % groups)
		for j := 0; j < n; j++ {
			switch kind {
			case 0:
				a[i*n+j] = rng.NormFloat64() + 2*g*float64(j%2)
			case 1:
				a[i*n+j] = rng.Float64()*3 - 1
			default:
				a[i*n+j] = float64(rng.IntN(3))
			}
		}
	}
	return a
}

func sameBits(x, y []float64) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return false
		}
	}
	return true
}

// TestHartiganWongBitIdentical: the batched Hartigan–Wong (and kmeans++
// seeding) must give exactly what the plain port gives — same partition,
// same centres and withinss to the bit, same iter and fault — on data of
// every shape the commands meet, including iter.max stops and ties.
func TestHartiganWongBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	cases := 3000
	if testing.Short() {
		cases = 300
	}
	var checked, moved, capped, dups int
	for c := 0; c < cases; c++ {
		kind := c % 3
		m := 8 + rng.IntN(200)
		n := 1 + rng.IntN(24)
		a := exactCase(rng, kind, m, n)
		uniq := uniqueRows(a, m, n)
		k := 2 + rng.IntN(9)
		if k >= len(uniq) || k >= m {
			continue
		}
		maxIter := 10
		if c%5 == 0 {
			maxIter = 1 + rng.IntN(2)
		}
		seed := rng.Uint64()
		c1 := kmeansPPCenters(a, n, uniq, k, rand.New(rand.NewPCG(seed, 0)))
		c2 := kmeansPPCentersRef(a, n, uniq, k, rand.New(rand.NewPCG(seed, 0)))
		if !sameBits(c1, c2) {
			t.Fatalf("case %d: kmeans++ centres differ", c)
		}
		// The seeded path: the first assignment from the seeding's own
		// distances (with duplicate rows mapped to their first copy).
		d := &kmData{x: a, n: m, p: n}
		du := d.distinct()
		dist := make([]float64, len(du)*k)
		c3 := kmeansPPInto(make([]float64, k*n), make([]float64, len(du)), make([]bool, len(du)), dist, a, n, du, k, rand.New(rand.NewPCG(seed, 0)))
		if !sameBits(c1, c3) {
			t.Fatalf("case %d: kmeans++ centres differ when the distances are recorded", c)
		}
		if d.rowUniq() != nil {
			dups++
		}
		start := slices.Clone(c1)
		got := hartiganWong(a, m, n, c1, k, maxIter)
		want := hartiganWongRef(a, m, n, c2, k, maxIter)
		seeded := hartiganWongSeeded(new(hwWork), a, m, n, c3, k, maxIter, dist, d.rowUniq())
		if (seeded.err == nil) != (want.err == nil) || (want.err == nil && (!slices.Equal(seeded.cl, want.cl) || !slices.Equal(seeded.nc, want.nc) ||
			seeded.iter != want.iter || seeded.ifault != want.ifault || !sameBits(seeded.wss, want.wss) || !sameBits(seeded.centers, want.centers))) {
			t.Fatalf("case %d (kind %d, %d×%d, k = %d): the seeded run differs from the reference (error %v/%v)", c, kind, m, n, k, seeded.err, want.err)
		}
		if (got.err == nil) != (want.err == nil) {
			t.Fatalf("case %d: error %v, reference %v", c, got.err, want.err)
		}
		checked++
		if want.err != nil {
			continue
		}
		if !slices.Equal(got.cl, want.cl) || !slices.Equal(got.nc, want.nc) ||
			got.iter != want.iter || got.ifault != want.ifault ||
			!sameBits(got.wss, want.wss) || !sameBits(got.centers, want.centers) {
			t.Fatalf("case %d (kind %d, %d×%d, k = %d): differs from the reference: iter %d/%d ifault %d/%d tot %v/%v",
				c, kind, m, n, k, got.iter, want.iter, got.ifault, want.ifault, got.tot(), want.tot())
		}
		if !sameBits(start, got.centers) {
			moved++
		}
		if got.ifault != 0 {
			capped++
		}
	}
	// The cases must exercise the algorithm, not only its early exits.
	if checked < cases/2 || moved < checked/2 || capped == 0 || dups == 0 {
		t.Fatalf("weak test: %d cases checked, %d changed centres, %d hit a bound, %d with duplicate rows", checked, moved, capped, dups)
	}
}
