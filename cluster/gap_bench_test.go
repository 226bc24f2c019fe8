package cluster

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

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

// silBench is a 5000 × 10 normal matrix (the cluster command's silhouette
// subsample size) with a 4-cluster labelling.
func silBench() (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(5, 5))
	n, p := 5000, 10
	X := mat.NewDense(n, p, nil)
	cl := make([]int, n)
	for i := 0; i < n; i++ {
		cl[i] = 1 + rng.IntN(4)
		for j := 0; j < p; j++ {
			X.Set(i, j, rng.NormFloat64()+float64(cl[i]))
		}
	}
	return X, cl
}

// BenchmarkSilhouette5000: the Euclidean silhouette at the command's
// subsample size, 5000 rows × 10 columns, k = 4.
func BenchmarkSilhouette5000(b *testing.B) {
	X, cl := silBench()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Silhouette(X, cl); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSilhouette5000Generic is the same on the generic pair loop
// with the distance closure Silhouette used before its fast path, for
// before/after instruction counts.
func BenchmarkSilhouette5000Generic(b *testing.B) {
	X, cl := silBench()
	n, _ := X.Dims()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := silhouette(n, oldEuclid(X), cl); err != nil {
			b.Fatal(err)
		}
	}
}
