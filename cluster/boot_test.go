package cluster

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

type bootRef struct {
	Cases []struct {
		Dataset     string      `json:"dataset"`
		X           [][]float64 `json:"x"`
		Method      string      `json:"method"`
		K           int         `json:"k"`
		B           int         `json:"B"`
		Partition   []int       `json:"partition"`
		Bootmean    []float64   `json:"bootmean"`
		Bootbrd     []int       `json:"bootbrd"`
		Bootrecover []int       `json:"bootrecover"`
	} `json:"cases"`
}

// TestClusterBootMatchesR is a Monte-Carlo comparison with
// fpc::clusterboot (B = 200) from the same original partition: the mean
// Jaccard per cluster must agree within 0.1.
func TestClusterBootMatchesR(t *testing.T) {
	var ref bootRef
	reftest.Load(t, refDir+"clusterboot.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range ref.Cases {
		t.Run(fmt.Sprintf("%s/%s/k%d", c.Dataset, c.Method, c.K), func(t *testing.T) {
			X := denseOf(c.X)
			var fit BootFit
			if c.Method == "pam" {
				D, err := EuclideanDistances(X)
				if err != nil {
					t.Fatal(err)
				}
				fit = PAMFit(D, c.K)
			} else {
				// kmeansCBI: one random start, iter.max = 100.
				fit = KMeansFit(X, c.K, KMeansOptions{Init: "random", NStart: 1, MaxIter: 100})
			}
			res, err := ClusterBoot(c.Partition, fit, BootOptions{B: c.B, Seed: 42})
			if err != nil {
				t.Fatal(err)
			}
			for j, bc := range res.Clusters {
				d := bc.JaccardMean - c.Bootmean[j]
				t.Logf("cluster %d: jaccard %.3f R %.3f (diff %+.3f); dissolved %d R %d; recovered %d R %d",
					j+1, bc.JaccardMean, c.Bootmean[j], d, bc.Dissolved, c.Bootbrd[j], bc.Recovered, c.Bootrecover[j])
				if math.Abs(d) >= 0.1 {
					t.Errorf("cluster %d: mean Jaccard %.3f, R %.3f", j+1, bc.JaccardMean, c.Bootmean[j])
				}
				if bc.Unstable != (bc.JaccardMean < 0.6) {
					t.Errorf("unstable flag wrong")
				}
			}
		})
	}
}

func TestClusterBootDeterministicAcrossGOMAXPROCS(t *testing.T) {
	var ref bootRef
	reftest.Load(t, refDir+"clusterboot.json", &ref)
	c := ref.Cases[0]
	X := denseOf(c.X)
	old := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(old)
	var r [2]*BootResult
	for i, procs := range []int{1, 8} {
		runtime.GOMAXPROCS(procs)
		b, err := ClusterBoot(c.Partition, KMeansFit(X, c.K, KMeansOptions{NStart: 3}), BootOptions{B: 40, Seed: 8})
		if err != nil {
			t.Fatal(err)
		}
		r[i] = b
	}
	for j := range r[0].Jaccard {
		if !slices.Equal(r[0].Jaccard[j], r[1].Jaccard[j]) {
			t.Fatalf("GOMAXPROCS changes cluster %d's Jaccard values", j+1)
		}
	}
}

func TestClusterBootEdgeCases(t *testing.T) {
	// Two far-apart groups are recovered perfectly in every replicate.
	X := mat.NewDense(8, 1, []float64{0, 0.1, 0.2, 0.3, 10, 10.1, 10.2, 10.3})
	cl := []int{1, 1, 1, 1, 2, 2, 2, 2}
	res, err := ClusterBoot(cl, KMeansFit(X, 2, KMeansOptions{NStart: 2}), BootOptions{B: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, bc := range res.Clusters {
		if bc.JaccardMean != 1 || bc.Recovered != 20 || bc.Dissolved != 0 || bc.Unstable || bc.Size != 4 {
			t.Errorf("separated groups: %+v", bc)
		}
	}
	boom := errors.New("boom")
	if _, err := ClusterBoot(cl, func([]int, *rand.Rand) ([]int, error) { return nil, boom }, BootOptions{B: 3}); !errors.Is(err, boom) {
		t.Errorf("fit error not propagated: %v", err)
	}
	if _, err := ClusterBoot(cl, func(r []int, _ *rand.Rand) ([]int, error) { return []int{1}, nil }, BootOptions{B: 3}); err == nil {
		t.Error("wrong number of labels accepted")
	}
	// A fit that puts everything in one cluster: γ = |C*| / |resample|.
	one, err := ClusterBoot(cl, func(r []int, _ *rand.Rand) ([]int, error) { return make1(len(r)), nil }, BootOptions{B: 50, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if m := one.Clusters[0].JaccardMean; m < 0.3 || m > 0.7 {
		t.Errorf("one-cluster fit: mean Jaccard %g, expected about 0.5", m)
	}
}

func make1(n int) []int {
	o := make([]int, n)
	for i := range o {
		o[i] = 1
	}
	return o
}
