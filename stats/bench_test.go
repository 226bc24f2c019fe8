package stats

import "testing"

// Benchmarks of the main entry points on the reference data; the R timings
// of the same calls are in testdata/reference/stats/bench.R.

func fisherCase(b *testing.B, name string) [][]float64 {
	ref := loadTests(b)
	for _, c := range ref.Fisher {
		if c.Name == name {
			return c.Table.rows()
		}
	}
	b.Fatalf("no Fisher case %s", name)
	return nil
}

// BenchmarkFisherExact6x2 is birthwt ftv × low: 6×2, n = 189.
func BenchmarkFisherExact6x2(b *testing.B) {
	tab := fisherCase(b, "birthwt_ftv_low")
	for b.Loop() {
		if _, err := FisherExact(tab); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFisherExact3x3 is mtcars cyl × gear.
func BenchmarkFisherExact3x3(b *testing.B) {
	tab := fisherCase(b, "mtcars_cyl_gear")
	for b.Loop() {
		if _, err := FisherExact(tab); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFisherExact2x2 is birthwt smoke × low, incl. the OR and its CI.
func BenchmarkFisherExact2x2(b *testing.B) {
	tab := fisherCase(b, "birthwt_smoke_low")
	for b.Loop() {
		if _, err := FisherExact(tab); err != nil {
			b.Fatal(err)
		}
	}
}
