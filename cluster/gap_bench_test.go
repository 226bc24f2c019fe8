package cluster

import "testing"

// BenchmarkGapB20 is BenchmarkGap with B = 20 reference sets: the same
// per-fit work at 1/25 of the cost, small enough to count instructions
// under valgrind --tool=callgrind (repeatable on a loaded machine).
func BenchmarkGapB20(b *testing.B) {
	X := benchInput(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Gap(X, 8, GapOptions{B: 20, Seed: 1, KMeans: KMeansOptions{NStart: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}
