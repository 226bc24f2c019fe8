package logit

import (
	"math/rand/v2"
	"testing"
)

// fitStatsInput is 10^6 outcomes and fitted probabilities of a logistic
// model (rounded to 1e-6 so that ties occur, as grouped fits give).
func fitStatsInput() (y, mu []float64) {
	rng := rand.New(rand.NewPCG(14, 2))
	n := 1_000_000
	y, mu = make([]float64, n), make([]float64, n)
	for i := range y {
		p := Logistic(rng.NormFloat64())
		mu[i] = float64(int(p*1e6+0.5)) / 1e6
		if rng.Float64() < p {
			y[i] = 1
		}
	}
	return y, mu
}

// BenchmarkAUCDeLong1e6: the AUC and its DeLong CI at 10^6 rows
// (placements by sorting and binary search: O(n log n)).
func BenchmarkAUCDeLong1e6(b *testing.B) {
	y, mu := fitStatsInput()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := AUCDeLong(y, mu, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHosmerLemeshow1e6: the Hosmer–Lemeshow test (10 groups) at
// 10^6 rows (one sort, then a search among 11 breaks per row).
func BenchmarkHosmerLemeshow1e6(b *testing.B) {
	y, mu := fitStatsInput()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HosmerLemeshowTest(y, mu, 10); err != nil {
			b.Fatal(err)
		}
	}
}
