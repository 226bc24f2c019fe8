package cluster

import (
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

// benchInput is the 180×20 matrix of testdata/reference/cluster/bench.R,
// whose R timings are recorded in bench.json.
func benchInput(b testing.TB) *mat.Dense {
	var ref struct {
		X [][]float64 `json:"x"`
	}
	reftest.Load(b, refDir+"bench.json", &ref)
	return denseOf(ref.X)
}

// BenchmarkKMeans: Hartigan–Wong, 25 kmeans++ restarts, k = 4 (R:
// kmeans(x, 4, nstart = 25)).
func BenchmarkKMeans(b *testing.B) {
	X := benchInput(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := KMeans(X, 4, KMeansOptions{NStart: 25, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGap: B = 500, k = 1..8, 25 restarts per k-means (R: clusGap(x,
// kmeans, K.max = 8, B = 500, d.power = 2, nstart = 25)).
func BenchmarkGap(b *testing.B) {
	X := benchInput(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Gap(X, 8, GapOptions{B: 500, Seed: 1, KMeans: KMeansOptions{NStart: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClusterBoot: B = 200 replicates of one random-start k-means,
// k = 4 (R: clusterboot(x, B = 200, clustermethod = kmeansCBI, krange = 4)).
func BenchmarkClusterBoot(b *testing.B) {
	X := benchInput(b)
	km, err := KMeans(X, 4, KMeansOptions{Init: "random", NStart: 1, MaxIter: 100, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	fit := KMeansFit(X, 4, KMeansOptions{Init: "random", NStart: 1, MaxIter: 100})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ClusterBoot(km.Cluster, fit, BootOptions{B: 200, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPAM: PAM with k = 4 on the Euclidean distances of the 180 rows.
func BenchmarkPAM(b *testing.B) {
	X := benchInput(b)
	D, err := EuclideanDistances(X)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PAM(D, 4); err != nil {
			b.Fatal(err)
		}
	}
}
