package cluster

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

type kmRef struct {
	Data  map[string][][]float64 `json:"data"`
	Fixed []struct {
		Dataset     string      `json:"dataset"`
		K           int         `json:"k"`
		Start       []int       `json:"start"`
		Algorithm   string      `json:"algorithm"`
		IterMax     int         `json:"iter_max"`
		Cluster     []int       `json:"cluster"`
		Centers     [][]float64 `json:"centers"`
		Withinss    []float64   `json:"withinss"`
		TotWithinss float64     `json:"tot_withinss"`
		Betweenss   float64     `json:"betweenss"`
		Totss       float64     `json:"totss"`
		Size        []int       `json:"size"`
		Iter        int         `json:"iter"`
		Ifault      int         `json:"ifault"`
		Warnings    []string    `json:"warnings"`
	} `json:"fixed"`
	Best []struct {
		Dataset     string  `json:"dataset"`
		K           int     `json:"k"`
		TotWithinss float64 `json:"tot_withinss"`
	} `json:"best"`
	Standardize map[string]struct {
		X      [][]float64 `json:"x"`
		Z      [][]float64 `json:"z"`
		Center []float64   `json:"center"`
		Scale  []float64   `json:"scale"`
		Range  [][]float64 `json:"range"`
	} `json:"standardize"`
}

// TestKMeansFixedCentersMatchR: from R's starting rows, both algorithms must
// reach R's exact partition, iteration count and fault code.
func TestKMeansFixedCentersMatchR(t *testing.T) {
	var ref kmRef
	reftest.Load(t, refDir+"kmeans.json", &ref)
	if len(ref.Fixed) == 0 {
		t.Fatal("no reference cases")
	}
	for _, c := range ref.Fixed {
		name := fmt.Sprintf("%s/k%d/%s/%v/it%d", c.Dataset, c.K, c.Algorithm, c.Start, c.IterMax)
		t.Run(name, func(t *testing.T) {
			X := denseOf(ref.Data[c.Dataset])
			_, p := X.Dims()
			cen := mat.NewDense(c.K, p, nil)
			for l, s := range c.Start {
				cen.SetRow(l, X.RawRowView(s-1))
			}
			alg := HartiganWong
			if c.Algorithm == "Lloyd" {
				alg = Lloyd
			}
			res, err := KMeans(X, c.K, KMeansOptions{Algorithm: alg, Centers: cen, MaxIter: c.IterMax})
			if err != nil {
				t.Fatal(err)
			}
			want := canon(c.Cluster)
			if !slices.Equal(res.Cluster, want) {
				t.Fatalf("partition differs from R\n got %v\nwant %v", res.Cluster, want)
			}
			reftest.Close(t, "tot_withinss", res.TotWithinss, c.TotWithinss, 1e-9, 0)
			reftest.Close(t, "totss", res.Totss, c.Totss, 1e-9, 0)
			reftest.Close(t, "betweenss", res.Betweenss, c.Betweenss, 1e-9, 0)
			if res.Iter != c.Iter {
				t.Errorf("iter %d, R %d", res.Iter, c.Iter)
			}
			if res.Ifault != c.Ifault || res.Converged != (c.Ifault == 0) {
				t.Errorf("ifault %d converged %v, R ifault %d", res.Ifault, res.Converged, c.Ifault)
			}
			if (len(c.Warnings) > 0) != (len(res.Warnings) > 0) {
				t.Errorf("warnings %q, R %q", res.Warnings, c.Warnings)
			}
			// Per-cluster quantities, matched through R's labels.
			for i, rc := range c.Cluster {
				g := res.Cluster[i] - 1
				if res.Size[g] != c.Size[rc-1] {
					t.Fatalf("size of cluster %d: %d, R %d", g+1, res.Size[g], c.Size[rc-1])
				}
				if !reftest.Close(t, fmt.Sprintf("withinss of cluster %d", g+1), res.Withinss[g], c.Withinss[rc-1], 1e-9, 0) ||
					!reftest.CloseSlice(t, fmt.Sprintf("centre %d", g+1), res.Centers[g], c.Centers[rc-1], 0, 1e-12) {
					t.FailNow()
				}
			}
		})
	}
}

// adaptiveDefaults is the restart rule of the reported partitions
// (analysis.DefaultClusterOptions).
var adaptiveDefaults = KMeansOptions{NStart: DefaultMinStarts, MinHits: DefaultMinHits, MaxStarts: DefaultMaxStarts}

// TestKMeansRestartsNoWorseThanR: 25 kmeans++ restarts, and the adaptive
// rule, must do at least as well as R's kmeans(x, k, nstart = 100); the
// adaptive rule must reach R's value.
func TestKMeansRestartsNoWorseThanR(t *testing.T) {
	var ref kmRef
	reftest.Load(t, refDir+"kmeans.json", &ref)
	if len(ref.Best) == 0 {
		t.Fatal("no cases")
	}
	for _, b := range ref.Best {
		X := denseOf(ref.Data[b.Dataset])
		adaptive := adaptiveDefaults
		adaptive.Seed = 1
		for _, o := range []KMeansOptions{{Seed: 1}, adaptive} {
			res, err := KMeans(X, b.K, o)
			if err != nil {
				t.Fatal(err)
			}
			checkRestartResult(t, fmt.Sprintf("%s k=%d (MinHits %d)", b.Dataset, b.K, o.MinHits), res, b.TotWithinss)
			if o.MinHits > 0 {
				reftest.Close(t, fmt.Sprintf("%s k=%d adaptive tot_withinss", b.Dataset, b.K), res.TotWithinss, b.TotWithinss, 1e-9, 0)
			}
		}
	}
}

// checkRestartResult: no worse than R's best, converged, clusters ordered
// by size, withinss summing to tot_withinss.
func checkRestartResult(t *testing.T, what string, res *KMeansResult, rBest float64) {
	t.Helper()
	if res.TotWithinss > rBest*(1+1e-9) {
		t.Errorf("%s: tot_withinss %.12g worse than R nstart=100 %.12g", what, res.TotWithinss, rBest)
	}
	if !res.Converged {
		t.Errorf("%s: not converged", what)
	}
	var sum float64
	prev := math.MaxInt
	for l, w := range res.Withinss {
		sum += w
		if res.Size[l] > prev {
			t.Errorf("%s: clusters not ordered by size: %v", what, res.Size)
		}
		prev = res.Size[l]
	}
	reftest.Close(t, what+": sum of withinss vs tot_withinss", sum, res.TotWithinss, 1e-12, 0)
}

// TestKMeansAdaptiveRestartRule checks the stopping rule against fixed
// restart counts, which run the same seeded restarts 0..N−1: the adaptive
// run stops at the smallest N ≥ NStart whose first N restarts hold MinHits
// restarts at their best, and reports that fixed run's partition. With a
// low cap it stops at the cap and says so.
func TestKMeansAdaptiveRestartRule(t *testing.T) {
	var ref kmRef
	reftest.Load(t, refDir+"kmeans.json", &ref)
	X := denseOf(ref.Data["iris"])
	for _, c := range []struct{ k, nstart, hits int }{{4, 10, 5}, {6, 20, 8}, {6, 150, 3}, {3, 5, 30}} {
		o := KMeansOptions{NStart: c.nstart, MinHits: c.hits, MaxStarts: 5000, Seed: 9}
		ad, err := KMeans(X, c.k, o)
		if err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("k=%d nstart=%d hits=%d", c.k, c.nstart, c.hits)
		if ad.StartsCapped || ad.BestHits != c.hits && ad.NStart > c.nstart || ad.BestHits < c.hits {
			t.Fatalf("%s: %d restarts, %d at the best, capped %v", what, ad.NStart, ad.BestHits, ad.StartsCapped)
		}
		fixed, err := KMeans(X, c.k, KMeansOptions{NStart: ad.NStart, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		if fixed.TotWithinss != ad.TotWithinss || fixed.BestRestart != ad.BestRestart || fixed.BestHits != ad.BestHits ||
			!slices.Equal(fixed.Cluster, ad.Cluster) {
			t.Errorf("%s: adaptive (N %d, best %d, hits %d, %.12g) differs from nstart = N (best %d, hits %d, %.12g)", what,
				ad.NStart, ad.BestRestart, ad.BestHits, ad.TotWithinss, fixed.BestRestart, fixed.BestHits, fixed.TotWithinss)
		}
		if ad.NStart > c.nstart {
			prev, err := KMeans(X, c.k, KMeansOptions{NStart: ad.NStart - 1, Seed: 9})
			if err != nil {
				t.Fatal(err)
			}
			if prev.BestHits >= c.hits {
				t.Errorf("%s: the first %d restarts already hold %d at their best; the rule should have stopped there", what, ad.NStart-1, prev.BestHits)
			}
		}
		t.Logf("%s: %d restarts, best restart %d, %d at the best", what, ad.NStart, ad.BestRestart, ad.BestHits)
	}
	// The cap: 40 restarts cannot give 1000 at the best.
	capped, err := KMeans(X, 5, KMeansOptions{NStart: 10, MinHits: 1000, MaxStarts: 40, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if !capped.StartsCapped || capped.NStart != 40 || len(capped.Warnings) == 0 {
		t.Errorf("cap: %d restarts, capped %v, warnings %q", capped.NStart, capped.StartsCapped, capped.Warnings)
	}
	if _, err := KMeans(X, 3, KMeansOptions{MinHits: -1}); err == nil {
		t.Error("negative MinHits accepted")
	}
}

// TestKMeansLloydAndRandomInit: Hartigan–Wong from R-style random starts
// reaches R's nstart = 100 optimum given 300 starts (R's best optimum on
// iris k = 5 is hit by only ~1% of random starts, in R as here). Lloyd's
// result is a Lloyd fixed point (every row at its nearest centre, centres
// are cluster means).
func TestKMeansLloydAndRandomInit(t *testing.T) {
	var ref kmRef
	reftest.Load(t, refDir+"kmeans.json", &ref)
	if len(ref.Best) == 0 {
		t.Fatal("no cases")
	}
	for _, b := range ref.Best {
		X := denseOf(ref.Data[b.Dataset])
		res, err := KMeans(X, b.K, KMeansOptions{Init: "random", NStart: 300, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.TotWithinss > b.TotWithinss*(1+1e-9) {
			t.Errorf("%s k=%d HW/random: %.12g worse than R %.12g", b.Dataset, b.K, res.TotWithinss, b.TotWithinss)
		}
		ll, err := KMeans(X, b.K, KMeansOptions{Algorithm: "lloyd", NStart: 10, MaxIter: 100, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if !ll.Converged {
			t.Fatalf("%s k=%d lloyd did not converge", b.Dataset, b.K)
		}
		n, p := X.Dims()
		for i := 0; i < n; i++ {
			best, arg := math.Inf(1), -1
			for l, c := range ll.Centers {
				var d float64
				for j := 0; j < p; j++ {
					d += (X.At(i, j) - c[j]) * (X.At(i, j) - c[j])
				}
				if d < best {
					best, arg = d, l
				}
			}
			if arg+1 != ll.Cluster[i] {
				t.Fatalf("%s k=%d lloyd: row %d not at its nearest centre", b.Dataset, b.K, i)
			}
		}
		for l, c := range ll.Centers {
			for j := 0; j < p; j++ {
				var s float64
				for i := 0; i < n; i++ {
					if ll.Cluster[i] == l+1 {
						s += X.At(i, j)
					}
				}
				if math.Abs(s/float64(ll.Size[l])-c[j]) > 1e-12 {
					t.Fatalf("lloyd centre %d is not its cluster mean", l)
				}
			}
		}
	}
}

func TestKMeansErrors(t *testing.T) {
	X := mat.NewDense(4, 1, []float64{1, 1, 2, 2})
	if _, err := KMeans(X, 0, KMeansOptions{}); err == nil {
		t.Error("k = 0 accepted")
	}
	if _, err := KMeans(X, 3, KMeansOptions{}); err == nil {
		t.Error("k above the number of distinct rows accepted")
	}
	dup := mat.NewDense(2, 1, []float64{1, 1})
	if _, err := KMeans(X, 2, KMeansOptions{Centers: dup}); err == nil {
		t.Error("duplicated centres accepted")
	}
	far := mat.NewDense(2, 1, []float64{1, 100})
	if _, err := KMeans(X, 2, KMeansOptions{Centers: far}); err == nil {
		t.Error("empty cluster (AS 136 ifault 1) not reported")
	}
	nan := mat.NewDense(2, 1, []float64{1, math.NaN()})
	if _, err := KMeans(nan, 1, KMeansOptions{}); err == nil {
		t.Error("NaN accepted")
	}
	res, err := KMeans(X, 2, KMeansOptions{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Cluster, []int{1, 1, 2, 2}) || res.TotWithinss != 0 {
		t.Errorf("two exact groups: %v %g", res.Cluster, res.TotWithinss)
	}
	one, err := KMeans(X, 1, KMeansOptions{})
	if err != nil || one.TotWithinss != 1 || one.Centers[0][0] != 1.5 || one.Betweenss != 0 {
		t.Errorf("k = 1: %+v %v", one, err)
	}
}

func TestKMeansDeterministicAcrossGOMAXPROCS(t *testing.T) {
	var ref kmRef
	reftest.Load(t, refDir+"kmeans.json", &ref)
	X := denseOf(ref.Data["iris"])
	old := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(old)
	var results [2]*KMeansResult
	for i, procs := range []int{1, 8} {
		runtime.GOMAXPROCS(procs)
		r, err := KMeans(X, 4, KMeansOptions{NStart: 25, Seed: 77})
		if err != nil {
			t.Fatal(err)
		}
		results[i] = r
	}
	a, b := results[0], results[1]
	if a.TotWithinss != b.TotWithinss || a.BestRestart != b.BestRestart || !slices.Equal(a.Cluster, b.Cluster) ||
		!slices.Equal(a.Withinss, b.Withinss) || !slices.Equal(a.Centers[0], b.Centers[0]) {
		t.Errorf("GOMAXPROCS changes the result: %g/%d vs %g/%d", a.TotWithinss, a.BestRestart, b.TotWithinss, b.BestRestart)
	}
	// The adaptive rule: the same restarts are scanned in index order
	// whatever the number of workers.
	var ad [2]*KMeansResult
	for i, procs := range []int{1, 8} {
		runtime.GOMAXPROCS(procs)
		r, err := KMeans(X, 6, KMeansOptions{NStart: 30, MinHits: 10, Seed: 77})
		if err != nil {
			t.Fatal(err)
		}
		ad[i] = r
	}
	if ad[0].NStart != ad[1].NStart || ad[0].BestRestart != ad[1].BestRestart || ad[0].TotWithinss != ad[1].TotWithinss || !slices.Equal(ad[0].Cluster, ad[1].Cluster) {
		t.Errorf("GOMAXPROCS changes the adaptive result: N %d/%d, best %d/%d", ad[0].NStart, ad[1].NStart, ad[0].BestRestart, ad[1].BestRestart)
	}
}

func TestStandardizeMatchesR(t *testing.T) {
	var ref kmRef
	reftest.Load(t, refDir+"kmeans.json", &ref)
	if len(ref.Standardize) == 0 {
		t.Fatal("no cases")
	}
	for name, s := range ref.Standardize {
		X := denseOf(s.X)
		z, sc, err := Standardize(X, "z")
		if err != nil {
			t.Fatal(err)
		}
		reftest.CloseMatrix(t, name+" z", z, s.Z, 0, 1e-12)
		reftest.CloseSlice(t, name+" centre", sc.Center, s.Center, 1e-12, 0)
		reftest.CloseSlice(t, name+" scale", sc.Scale, s.Scale, 1e-12, 0)
		r, _, err := Standardize(X, "range")
		if err != nil {
			t.Fatal(err)
		}
		reftest.CloseMatrix(t, name+" range", r, s.Range, 0, 1e-12)
	}
	c := mat.NewDense(3, 2, []float64{1, 5, 2, 5, 3, 5})
	for _, m := range []Standardization{ScaleZ, ScaleRange} {
		out, sc, err := Standardize(c, m)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sc.ConstantColumns, []int{1}) {
			t.Errorf("%s: constant columns %v", m, sc.ConstantColumns)
		}
		for i := 0; i < 3; i++ {
			if v := out.At(i, 1); v != 0 {
				t.Errorf("%s: constant column value %g, want 0", m, v)
			}
		}
	}
	if _, _, err := Standardize(c, "bogus"); err == nil {
		t.Error("unknown method accepted")
	}
}
