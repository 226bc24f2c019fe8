package cluster

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// gapOld is Gap as it was before its storage was reused (commit 0059818's
// parent): every k-means fit, on the data and on each reference set, goes
// through kmeansWorkers, which copies the matrix and finds its distinct
// rows again, and each reference set is drawn into fresh matrices. It is
// kept here, unchanged but for its name, so that TestGapBitIdenticalToOldPath
// can show that reusing storage changed no number.
func gapOld(X *mat.Dense, kMax int, opts GapOptions) (*GapResult, error) {
	if X == nil {
		return nil, errors.New("cluster: nil matrix")
	}
	n, p := X.Dims()
	if kMax < 2 {
		return nil, fmt.Errorf("cluster: K.max must be at least 2, got %d", kMax)
	}
	if opts.KMeans.Centers != nil {
		return nil, errors.New("cluster: Gap needs k-means with random starts, not fixed Centers")
	}
	B := opts.B
	if B == 0 {
		B = DefaultGapB
	}
	if B < 2 {
		return nil, errors.New("cluster: B must be at least 2")
	}
	x := mat.DenseCopyOf(X).RawMatrix().Data
	if d := len(uniqueRows(x, n, p)); kMax >= d {
		return nil, fmt.Errorf("cluster: K.max = %d needs more than %d distinct rows", kMax, d)
	}
	logW := make([]float64, kMax)
	boundHit := 0
	for k := 1; k <= kMax; k++ {
		w, hit, err := gapWOld(X, k, opts.KMeans, runtime.GOMAXPROCS(0))
		if hit {
			boundHit++
		}
		if err != nil {
			return nil, fmt.Errorf("cluster: k-means on the data, k = %d: %w", k, err)
		}
		if !(w > 0) {
			return nil, fmt.Errorf("cluster: within sum of squares is zero at k = %d", k)
		}
		logW[k-1] = math.Log(w)
	}
	mean := make([]float64, p)
	for j := 0; j < p; j++ {
		for i := 0; i < n; i++ {
			mean[j] += x[i*p+j]
		}
		mean[j] /= float64(n)
	}
	xs := mat.NewDense(n, p, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			xs.Set(i, j, x[i*p+j]-mean[j])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(xs, mat.SVDThinV) {
		return nil, errors.New("cluster: SVD of the centred data failed")
	}
	var V mat.Dense
	svd.VTo(&V)
	_, q := V.Dims()
	var rot mat.Dense
	rot.Mul(xs, &V)
	lo := make([]float64, q)
	hi := make([]float64, q)
	for j := 0; j < q; j++ {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			v := rot.At(i, j)
			lo[j] = math.Min(lo[j], v)
			hi[j] = math.Max(hi[j], v)
		}
	}
	logWs := make([]float64, B*kMax)
	hits := make([]int, B)
	err := parallelFor(B, func(b int) error {
		rng := rand.New(rand.NewPCG(opts.Seed, uint64(b)))
		z1 := mat.NewDense(n, q, nil)
		for j := 0; j < q; j++ {
			for i := 0; i < n; i++ {
				z1.Set(i, j, lo[j]+(hi[j]-lo[j])*rng.Float64())
			}
		}
		z := mat.NewDense(n, p, nil)
		z.Mul(z1, V.T())
		for i := 0; i < n; i++ {
			row := z.RawRowView(i)
			for j := range row {
				row[j] += mean[j]
			}
		}
		for k := 1; k <= kMax; k++ {
			ko := opts.KMeans
			ko.Seed = mixSeed(opts.Seed, b, k)
			w, hit, err := gapWOld(z, k, ko, 1)
			if hit {
				hits[b]++
			}
			if err != nil {
				return fmt.Errorf("cluster: k-means on reference set %d, k = %d: %w", b+1, k, err)
			}
			logWs[b*kMax+k-1] = math.Log(w)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		boundHit += h
	}
	res := &GapResult{KMax: kMax, B: B, N: n, LogW: logW, BoundHit: boundHit,
		ELogW: make([]float64, kMax), Gap: make([]float64, kMax), SESim: make([]float64, kMax)}
	for k := 0; k < kMax; k++ {
		var m float64
		for b := 0; b < B; b++ {
			m += logWs[b*kMax+k]
		}
		m /= float64(B)
		var ss float64
		for b := 0; b < B; b++ {
			d := logWs[b*kMax+k] - m
			ss += d * d
		}
		res.ELogW[k] = m
		res.Gap[k] = m - logW[k]
		res.SESim[k] = math.Sqrt((1 + 1/float64(B)) * ss / float64(B-1))
	}
	res.KTibshirani = MaxSE(res.Gap, res.SESim, "Tibs2001SEmax")
	res.KFirstSEMax = MaxSE(res.Gap, res.SESim, "firstSEmax")
	return res, nil
}

// gapWOld is the old path's W_k: a full kmeansWorkers call per k.
func gapWOld(X *mat.Dense, k int, ko KMeansOptions, workers int) (float64, bool, error) {
	if k == 1 {
		n, p := X.Dims()
		return 0.5 * totalSS(mat.DenseCopyOf(X).RawMatrix().Data, n, p), false, nil
	}
	res, err := kmeansWorkers(X, k, ko, workers)
	if err != nil {
		return 0, false, err
	}
	return 0.5 * res.TotWithinss, res.Ifault != 0, nil
}

// sameGap reports the first float (by bits) or count in which a and b
// differ, or "".
func sameGap(a, b *GapResult) string {
	if a.KMax != b.KMax || a.B != b.B || a.N != b.N || a.KTibshirani != b.KTibshirani || a.KFirstSEMax != b.KFirstSEMax || a.BoundHit != b.BoundHit {
		return fmt.Sprintf("counts differ: %+v vs %+v", *a, *b)
	}
	for _, f := range []struct {
		name string
		x, y []float64
	}{{"log_w", a.LogW, b.LogW}, {"e_log_w", a.ELogW, b.ELogW}, {"gap", a.Gap, b.Gap}, {"se_sim", a.SESim, b.SESim}} {
		if len(f.x) != len(f.y) {
			return f.name + ": lengths differ"
		}
		for i := range f.x {
			if math.Float64bits(f.x[i]) != math.Float64bits(f.y[i]) {
				return fmt.Sprintf("%s[%d] = %v, old path %v", f.name, i, f.x[i], f.y[i])
			}
		}
	}
	return ""
}

// TestGapBitIdenticalToOldPath: Gap with its reused storage gives, bit for
// bit, every float of the old path's result (gapOld) for three seeds,
// each with other k-means settings (Hartigan–Wong from kmeans++ starts,
// from random starts with adaptive restarts and a low iter.max so fits hit
// the bound, Lloyd), on R's 180×20 timing input and on data with
// duplicated rows, at GOMAXPROCS 1 and 2. It fails if a reused buffer
// leaks state from one fit, k or reference set into the next.
func TestGapBitIdenticalToOldPath(t *testing.T) {
	bench := benchInput(t)
	rng := rand.New(rand.NewPCG(11, 12))
	dup := mat.NewDense(90, 3, nil)
	for i := 0; i < 90; i++ {
		for j := 0; j < 3; j++ {
			dup.Set(i, j, float64(rng.IntN(4))+float64(i%3)) // many repeated rows
		}
	}
	settings := []struct {
		seed uint64
		km   KMeansOptions
	}{
		{1, KMeansOptions{NStart: 10, Seed: 101}},
		{2, KMeansOptions{NStart: 4, MinHits: 3, MaxStarts: 30, Init: RandomInit, MaxIter: 2, Seed: 202}},
		{3, KMeansOptions{NStart: 6, Algorithm: Lloyd, Seed: 303}},
	}
	B := 8
	if testing.Short() {
		B = 3
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, data := range []struct {
		name string
		X    *mat.Dense
		kMax int
	}{{"bench 180x20", bench, 8}, {"duplicated rows 90x3", dup, 6}} {
		for _, s := range settings {
			opts := GapOptions{B: B, Seed: s.seed, KMeans: s.km}
			runtime.GOMAXPROCS(2)
			old, err := gapOld(data.X, data.kMax, opts)
			if err != nil {
				t.Fatalf("%s seed %d: old path: %v", data.name, s.seed, err)
			}
			for _, procs := range []int{1, 2} {
				runtime.GOMAXPROCS(procs)
				got, err := Gap(data.X, data.kMax, opts)
				if err != nil {
					t.Fatalf("%s seed %d: %v", data.name, s.seed, err)
				}
				if d := sameGap(got, old); d != "" {
					t.Errorf("%s seed %d GOMAXPROCS %d: %s", data.name, s.seed, procs, d)
				}
			}
			if s.km.MaxIter == 2 && old.BoundHit == 0 && data.kMax == 8 {
				t.Errorf("%s seed %d: no fit hit iter.max = 2; the bound path is not exercised", data.name, s.seed)
			}
		}
	}
}

// TestUniqueRowsInMatchesUniqueRows: the sort-based distinct rows of the
// reference sets are uniqueRows' indices, in order, with −0 and +0 alike,
// on one reused uniqWork over data of changing size with many repeats.
func TestUniqueRowsInMatchesUniqueRows(t *testing.T) {
	var w uniqWork
	rng := rand.New(rand.NewPCG(21, 22))
	for trial := 0; trial < 200; trial++ {
		n, p := 1+rng.IntN(80), 1+rng.IntN(4)
		x := make([]float64, n*p)
		for i := range x {
			switch trial % 3 {
			case 0:
				x[i] = rng.NormFloat64()
			case 1:
				x[i] = float64(rng.IntN(2))
			default:
				x[i] = []float64{0, math.Copysign(0, -1), 1}[rng.IntN(3)]
			}
		}
		want := uniqueRows(x, n, p)
		got := uniqueRowsIn(&w, x, n, p)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("trial %d n=%d p=%d: %v, uniqueRows %v", trial, n, p, got, want)
		}
	}
}
