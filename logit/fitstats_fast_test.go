package logit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// TestSearchesMatchSortPackage: the closure-free searches behind the AUC
// placements and the Hosmer–Lemeshow groups return sort.SearchFloat64s's
// and sort.Search's indices, on sorted data with long tie runs, values
// outside the range, and (for lowerBound, used on any data) NaN.
func TestSearchesMatchSortPackage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 14))
	for trial := 0; trial < 300; trial++ {
		n := rng.IntN(60)
		a := make([]float64, n)
		for i := range a {
			a[i] = float64(rng.IntN(1 + trial%9))
			if trial%7 == 6 && rng.IntN(5) == 0 {
				a[i] = math.NaN()
			}
		}
		sort.Float64s(a)
		hasNaN := n > 0 && math.IsNaN(a[0])
		for _, v := range []float64{-1, 0, 0.5, 1, 2, 3, 8, 100, math.NaN()} {
			name := fmt.Sprintf("trial %d v=%v a=%v", trial, v, a)
			want := sort.SearchFloat64s(a, v)
			if got := lowerBound(a, v); got != want {
				t.Fatalf("%s: lowerBound %d, sort %d", name, got, want)
			}
			if hasNaN || math.IsNaN(v) {
				continue
			}
			wantUp := sort.Search(n, func(i int) bool { return a[i] > v })
			if got := upperBoundFrom(a, want, v); got != wantUp {
				t.Fatalf("%s: upperBoundFrom %d, sort %d", name, got, wantUp)
			}
		}
	}
}

// TestAUCAndHLTies: on scores with many ties the AUC equals the
// pairwise definition (Σ ψ over all case-control pairs, computed here
// by brute force), and Hosmer–Lemeshow's groups hold every row.
func TestAUCAndHLTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 14))
	for trial := 0; trial < 50; trial++ {
		n := 20 + rng.IntN(200)
		y, s := make([]float64, n), make([]float64, n)
		for i := range y {
			s[i] = float64(1+rng.IntN(2+trial%12)) / 16
			if rng.Float64() < s[i] {
				y[i] = 1
			}
		}
		y[0], y[1] = 0, 1
		var sum float64
		m, c := 0, 0
		for i := range y {
			if y[i] != 1 {
				c++
				continue
			}
			m++
			for j := range y {
				switch {
				case y[j] == 1:
				case s[i] > s[j]:
					sum++
				case s[i] == s[j]:
					sum += 0.5
				}
			}
		}
		want := sum / float64(m*c)
		auc, _, _, _ := AUCDeLong(y, s, 0.95)
		if math.Abs(auc-want) > 1e-12 {
			t.Fatalf("trial %d: AUC %v, pairwise %v", trial, auc, want)
		}
		if hl, err := HosmerLemeshowTest(y, s, 10); err == nil && hl.Groups < 3 {
			t.Fatalf("trial %d: %d groups", trial, hl.Groups)
		}
	}
}

// TestMergeSortedMatchesSort: the fit statistics sort the fitted values
// for Hosmer–Lemeshow by merging the AUC's sorted cases and controls,
// which must give sort.Float64s's order bit for bit, with ties, NaN
// (first) and infinities, and either group empty.
func TestMergeSortedMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	for trial := 0; trial < 300; trial++ {
		a, b := make([]float64, rng.IntN(40)), make([]float64, rng.IntN(40))
		for _, s := range [][]float64{a, b} {
			for i := range s {
				s[i] = float64(rng.IntN(1+trial%11)) / 4
				switch rng.IntN(12) {
				case 0:
					s[i] = math.NaN()
				case 1:
					s[i] = math.Inf(1 - 2*rng.IntN(2))
				}
			}
		}
		want := append(append([]float64(nil), a...), b...)
		sort.Float64s(want)
		sort.Float64s(a)
		sort.Float64s(b)
		got := mergeSorted(a, b)
		if len(got) != len(want) {
			t.Fatalf("trial %d: %d values, want %d", trial, len(got), len(want))
		}
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("trial %d: merged %v, sorted %v", trial, got, want)
			}
		}
	}
}
