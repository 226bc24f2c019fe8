package stats

import "testing"

// Benchmarks of the main entry points on the reference data; the R timings
// of the same calls are in testdata/reference/stats/bench.R.

func fisherCase(b *testing.B, name string) [][]float64 {
	ref := loadTests(b)
	for _, c := range ref.Fisher {
		if c.Name == name {
			return c.Table.Rows()
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

// BenchmarkFisherExact6x2CaseControl is a 6-level variable in 90 cases and
// 90 controls (n = 180), the shape of the study's Table 1.
func BenchmarkFisherExact6x2CaseControl(b *testing.B) {
	tab := fisherCase(b, "case_control_6x2")
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

// BenchmarkWilcoxonRankSum180 is birthwt bwt, first 90 vs next 90 (n = 180).
func BenchmarkWilcoxonRankSum180(b *testing.B) {
	x, y := bwt180(b)
	for b.Loop() {
		if _, err := WilcoxonRankSum(x, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWelchTTest180 uses the same data as the rank-sum benchmark.
func BenchmarkWelchTTest180(b *testing.B) {
	x, y := bwt180(b)
	for b.Loop() {
		if _, err := WelchTTest(x, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChiSquare6x2 is birthwt ftv × low.
func BenchmarkChiSquare6x2(b *testing.B) {
	tab := fisherCase(b, "birthwt_ftv_low")
	for b.Loop() {
		if _, err := ChiSquareTest(tab); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMantelHaenszel6 is UCBAdmissions (6 departments).
func BenchmarkMantelHaenszel6(b *testing.B) {
	ref := loadSubgroup(b)
	tabs := ref.mhTables(0)
	if ref.MH[0].Name != "ucb_admissions" || len(tabs) != 6 {
		b.Fatal("expected UCBAdmissions with 6 strata first")
	}
	for b.Loop() {
		if _, err := MantelHaenszel(tabs, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

// bwt180 returns birthwt's bwt split as bwt[1:90], bwt[91:180] (R indexing),
// taken from the Summarize reference case.
func bwt180(b *testing.B) ([]float64, []float64) {
	ref := loadDescriptive(b)
	for _, c := range ref.Summarize {
		if c.Name == "birthwt_bwt" {
			return c.X[:90], c.X[90:180]
		}
	}
	b.Fatal("birthwt_bwt missing")
	return nil, nil
}
