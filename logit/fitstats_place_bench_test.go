package logit

import (
	"math"
	"sort"
	"testing"
)

// placeBenchInput is the controls of the AUC benchmark's input sorted,
// and the cases' scores in row order: the v10 placements' searches.
func placeBenchInput() (sorted, queries []float64) {
	y, mu := fitStatsInput()
	for i, v := range y {
		if v == 1 {
			queries = append(queries, mu[i])
		} else {
			sorted = append(sorted, mu[i])
		}
	}
	sort.Float64s(sorted)
	return sorted, queries
}

// BenchmarkPlaceBisect1e6: the placements of the 10^6-row benchmark's
// cases among its controls by the old searches (bisection of the whole
// slice, then galloping past the ties).
func BenchmarkPlaceBisect1e6(b *testing.B) {
	sorted, queries := placeBenchInput()
	var sink float64
	for b.Loop() {
		for _, v := range queries {
			below := lowerBound(sorted, v)
			var upTo int
			if len(sorted) > 0 && !math.IsNaN(sorted[0]) {
				upTo = upperBoundFrom(sorted, below, v)
			} else {
				upTo = sort.Search(len(sorted), func(i int) bool { return sorted[i] > v })
			}
			sink += float64(below) + 0.5*float64(upTo-below)
		}
	}
	_ = sink
}

// BenchmarkPlacements1e6: the same placements by placements (16
// bisections in lockstep).
func BenchmarkPlacements1e6(b *testing.B) {
	sorted, queries := placeBenchInput()
	q := make([]float64, len(queries))
	for b.Loop() {
		copy(q, queries)
		placements(sorted, q)
	}
}

// BenchmarkPlaceSort1e6: the sort of the benchmark's controls, for scale.
func BenchmarkPlaceSort1e6(b *testing.B) {
	sorted, _ := placeBenchInput()
	y, mu := fitStatsInput()
	s := make([]float64, len(sorted))
	for b.Loop() {
		s = s[:0]
		for i, v := range y {
			if v != 1 {
				s = append(s, mu[i])
			}
		}
		sort.Float64s(s)
	}
}

// BenchmarkFitStatistics1e6: all the fit statistics of a 10^6-row fit
// (deviances, AUC with DeLong CI, Hosmer–Lemeshow), as each of the
// logit command's fits computes them.
func BenchmarkFitStatistics1e6(b *testing.B) {
	y, mu := fitStatsInput()
	d := fitStatsDesign(y, true)
	b.ReportAllocs()
	for b.Loop() {
		m := &Model{Coef: []float64{0.1, 0.2}, Fitted: mu}
		if err := FitStatistics(d, m, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitStatisticsOld1e6: BenchmarkFitStatistics1e6 by the code
// before issue 14's speed work, for comparison.
func BenchmarkFitStatisticsOld1e6(b *testing.B) {
	y, mu := fitStatsInput()
	d := fitStatsDesign(y, true)
	b.ReportAllocs()
	for b.Loop() {
		m := &Model{Coef: []float64{0.1, 0.2}, Fitted: mu}
		if err := fitStatisticsOld(d, m, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
