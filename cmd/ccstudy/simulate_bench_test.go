package main

import "testing"

// BenchmarkSimulate5e6 is issue 14's large synthetic study: a source
// population of 5·10^6 and a sample of 10^6 with its products, written to
// a fresh folder each time (simulate's own help example).
func BenchmarkSimulate5e6(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchMain(b, "simulate", "--seed", "1", "--population", "5000000", "--cases", "500000",
			"--controls", "500000", "--out-dir", b.TempDir())
	}
}
