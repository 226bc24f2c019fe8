package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestBestRestartMatchesKMeans: bestRestart, which Gap runs on reused
// storage, reports bit for bit the tot_withinss and fault code of
// kmeansOn's result, for both algorithms, both seedings, adaptive and
// fixed restarts, and one kmWork reused across data sets of growing and
// shrinking size and k (so stale storage would show). It fails if the
// storage is not cleared (the within SS accumulate) or a seed differs.
func TestBestRestartMatchesKMeans(t *testing.T) {
	var w kmWork
	rng := rand.New(rand.NewPCG(7, 7))
	cases := 0
	for trial := 0; trial < 60; trial++ {
		n := 6 + rng.IntN(60)
		p := 1 + rng.IntN(5)
		X := mat.NewDense(n, p, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < p; j++ {
				// Few distinct values in some trials: ties and duplicate rows.
				v := rng.NormFloat64()
				if trial%3 == 0 {
					v = float64(rng.IntN(3))
				}
				X.Set(i, j, v)
			}
		}
		d, err := newKMData(X)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []int{1, 2, 3, 5} {
			opts := KMeansOptions{NStart: 1 + rng.IntN(8), Seed: rng.Uint64(), MaxIter: 1 + rng.IntN(10)}
			if trial%2 == 1 {
				opts.Init = RandomInit
			}
			if trial%4 == 3 {
				opts.Algorithm = Lloyd
			}
			if trial%5 == 4 {
				opts.MinHits, opts.MaxStarts = 3, 40
			}
			name := fmt.Sprintf("trial %d n=%d p=%d k=%d %+v", trial, n, p, k, opts)
			want, werr := kmeansOn(d, k, opts, 2)
			tot, ifault, gerr := bestRestart(&w, d, k, opts)
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("%s: errors differ: kmeans %v, bestRestart %v", name, werr, gerr)
			}
			if werr != nil {
				if werr.Error() != gerr.Error() {
					t.Errorf("%s: error %q, want %q", name, gerr, werr)
				}
				continue
			}
			cases++
			if math.Float64bits(tot) != math.Float64bits(want.TotWithinss) || ifault != want.Ifault {
				t.Errorf("%s: bestRestart (%v, %d), kmeans (%v, %d)", name, tot, ifault, want.TotWithinss, want.Ifault)
			}
		}
	}
	if cases < 150 {
		t.Fatalf("only %d comparable cases", cases)
	}
}
