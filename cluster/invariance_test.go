package cluster_test

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ccstudy/ccstudy"
	"github.com/ccstudy/ccstudy/cluster"
	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"gonum.org/v1/gonum/mat"
)

// Invariance tests (issue 15 item 3): a partition must not depend on the
// order of the rows nor on the order in which the starting centres are
// given. Compared as memberships in the original row order, renumbered
// canonically (cluster.Relabel): equal vectors are the same partition
// (adjusted Rand index 1). On the embedded study and on MASS's Pima data
// (testdata/foreign/pima), as the typology command encodes them.

func invMatrices(t *testing.T) map[string]*mat.Dense {
	t.Helper()
	cs, err := refstudy.Schema("companies")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "testdata", "foreign", "pima")
	pcsv, err := os.ReadFile(filepath.Join(dir, "pima.csv"))
	if err != nil {
		t.Fatal(err)
	}
	pjson, err := os.ReadFile(filepath.Join(dir, "pima.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := dataset.ParseSchema(pjson, "pima.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*mat.Dense{}
	for name, d := range map[string]struct {
		csv    []byte
		schema *dataset.Schema
	}{"embedded": {ccstudy.CompaniesCSV, cs}, "pima": {pcsv, ps}} {
		tab, err := dataset.Load(bytes.NewReader(d.csv), name+".csv", d.schema, dataset.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		in, err := analysis.PrepareCluster(tab, analysis.DefaultClusterOptions())
		if err != nil {
			t.Fatal(err)
		}
		out[name] = in.X
	}
	return out
}

// permuteRows returns P·X: row i of the result is row perm[i] of X.
func permuteRows(X *mat.Dense, perm []int) *mat.Dense {
	n, p := X.Dims()
	out := mat.NewDense(n, p, nil)
	for i, j := range perm {
		out.SetRow(i, X.RawRowView(j))
	}
	return out
}

// backToOriginal maps a membership of the permuted rows to the original
// rows and renumbers it canonically.
func backToOriginal(cl, perm []int, k int) []int {
	orig := make([]int, len(cl))
	for i, j := range perm {
		orig[j] = cl[i]
	}
	return cluster.Relabel(orig, k)
}

func samePartition(t *testing.T, what string, got, want []int) {
	t.Helper()
	if !slices.Equal(got, want) {
		diff := 0
		for i := range got {
			if got[i] != want[i] {
				diff++
			}
		}
		t.Errorf("%s: partition changed (%d of %d rows in another cluster)", what, diff, len(got))
	}
}

// TestKMeansInvariantToRowOrder: k-means with the typology's restart
// rule (at least 100 restarts, until 20 reach the best) finds the same
// best partition, with the same tot.withinss, whatever the row order.
func TestKMeansInvariantToRowOrder(t *testing.T) {
	o := analysis.DefaultClusterOptions()
	opts := cluster.KMeansOptions{Algorithm: o.Algorithm, Init: o.Init, NStart: o.NStart, MinHits: o.MinHits, MaxStarts: o.MaxStarts, MaxIter: o.MaxIter, Seed: 1}
	for name, X := range invMatrices(t) {
		n, _ := X.Dims()
		for _, k := range []int{2, 3} {
			base, err := cluster.KMeans(X, k, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := cluster.Relabel(base.Cluster, k)
			rng := rand.New(rand.NewPCG(uint64(k), 5))
			for rep := 0; rep < 2; rep++ {
				perm := rng.Perm(n)
				o2 := opts
				o2.Seed = uint64(rep + 2) // other starts as well as another order
				got, err := cluster.KMeans(permuteRows(X, perm), k, o2)
				if err != nil {
					t.Fatal(err)
				}
				samePartition(t, name+" k-means", backToOriginal(got.Cluster, perm, k), want)
				if math.Abs(got.TotWithinss-base.TotWithinss) > 1e-10*base.TotWithinss {
					t.Errorf("%s k=%d: tot.withinss %.15g after the shuffle, %.15g before", name, k, got.TotWithinss, base.TotWithinss)
				}
			}
		}
	}
}

// TestKMeansInvariantToCentreOrder: from given starting centres,
// Hartigan–Wong and Lloyd reach the same partition whatever the order of
// the centres (only the cluster numbers change), and Lloyd, whose steps
// treat all rows at once, whatever the order of the rows.
func TestKMeansInvariantToCentreOrder(t *testing.T) {
	for name, X := range invMatrices(t) {
		n, p := X.Dims()
		const k = 4
		rng := rand.New(rand.NewPCG(11, 3))
		start := rng.Perm(n)[:k]
		centres := func(order []int) *mat.Dense {
			c := mat.NewDense(k, p, nil)
			for i, j := range order {
				c.SetRow(i, X.RawRowView(start[j]))
			}
			return c
		}
		for _, alg := range []cluster.Algorithm{cluster.HartiganWong, cluster.Lloyd} {
			base, err := cluster.KMeans(X, k, cluster.KMeansOptions{Algorithm: alg, Centers: centres([]int{0, 1, 2, 3}), MaxIter: 100})
			if err != nil {
				t.Fatal(err)
			}
			want := cluster.Relabel(base.Cluster, k)
			for _, order := range [][]int{{3, 2, 1, 0}, {1, 3, 0, 2}} {
				got, err := cluster.KMeans(X, k, cluster.KMeansOptions{Algorithm: alg, Centers: centres(order), MaxIter: 100})
				if err != nil {
					t.Fatal(err)
				}
				samePartition(t, name+" "+string(alg)+" centre order", cluster.Relabel(got.Cluster, k), want)
			}
			if alg == cluster.Lloyd {
				perm := rng.Perm(n)
				got, err := cluster.KMeans(permuteRows(X, perm), k, cluster.KMeansOptions{Algorithm: alg, Centers: centres([]int{0, 1, 2, 3}), MaxIter: 100})
				if err != nil {
					t.Fatal(err)
				}
				samePartition(t, name+" Lloyd row order", backToOriginal(got.Cluster, perm, k), want)
			}
		}
	}
}

// TestPAMInvariantToRowOrder: PAM's BUILD and SWAP pick the same medoids
// (as observations) and the same partition from a reordered
// dissimilarity matrix.
func TestPAMInvariantToRowOrder(t *testing.T) {
	for name, X := range invMatrices(t) {
		D, err := cluster.EuclideanDistances(X)
		if err != nil {
			t.Fatal(err)
		}
		n := D.SymmetricDim()
		const k = 3
		base, err := cluster.PAM(D, k)
		if err != nil {
			t.Fatal(err)
		}
		want := cluster.Relabel(base.Clustering, k)
		wantMed := slices.Clone(base.Medoids)
		slices.Sort(wantMed)
		perm := rand.New(rand.NewPCG(3, 9)).Perm(n)
		pd := mat.NewSymDense(n, nil)
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				pd.SetSym(i, j, D.At(perm[i], perm[j]))
			}
		}
		got, err := cluster.PAM(pd, k)
		if err != nil {
			t.Fatal(err)
		}
		samePartition(t, name+" PAM", backToOriginal(got.Clustering, perm, k), want)
		med := make([]int, k)
		for c, m := range got.Medoids {
			med[c] = perm[m-1] + 1
		}
		slices.Sort(med)
		if !slices.Equal(med, wantMed) {
			t.Errorf("%s: medoids %v after the shuffle, %v before", name, med, wantMed)
		}
		if math.Abs(got.ObjectiveSwap-base.ObjectiveSwap) > 1e-12*base.ObjectiveSwap {
			t.Errorf("%s: objective %.15g vs %.15g", name, got.ObjectiveSwap, base.ObjectiveSwap)
		}
	}
}
