package cluster

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// GapOptions configures Gap.
type GapOptions struct {
	// B is the number of reference data sets (default DefaultGapB).
	B int
	// KMeans configures the k-means run for each k, on the data and on
	// every reference set (e.g. NStart). Its Seed is used for the data;
	// reference set b and k use a seed derived from Seed, b and k. As in
	// clusGap, which calls FUNcluster with the same arguments on the data
	// and on the reference sets, one setting serves both, so that the
	// optimisation error of W_k and of W*_kb is alike; the commands use a
	// fixed NStart here (the gap is a Monte-Carlo average over B·K fits),
	// not the adaptive rule of the partitions they report.
	KMeans KMeansOptions
	// Seed seeds reference set b with rand.NewPCG(Seed, b).
	Seed uint64
	// Progress, when set, is called after each reference set with the
	// number done and B (one call at a time, in order); it cannot change
	// the result.
	Progress func(done, total int)
}

// GapResult holds clusGap's table and the chosen numbers of clusters.
type GapResult struct {
	KMax int `json:"k_max"`
	B    int `json:"b"`
	N    int `json:"n"`
	// Per k = 1..KMax (index k−1).
	LogW  []float64 `json:"log_w"`
	ELogW []float64 `json:"e_log_w"`
	Gap   []float64 `json:"gap"`
	SESim []float64 `json:"se_sim"`
	// KTibshirani is the smallest k with gap_k ≥ gap_{k+1} − SE_{k+1}
	// (maxSE "Tibs2001SEmax"); KFirstSEMax is clusGap's default rule
	// (maxSE "firstSEmax").
	KTibshirani int `json:"k_tibshirani"`
	KFirstSEMax int `json:"k_first_se_max"`
	// BoundHit counts the k-means fits (on the data and the reference
	// sets, k ≥ 2) whose best restart stopped at iter.max or at the
	// quick-transfer step limit (Ifault 2 or 4), which R reports as
	// warnings of kmeans; 0 when every fit converged.
	BoundHit int `json:"bound_hit"`
}

// Gap computes Tibshirani, Walther & Hastie's (2001) gap statistic for
// k-means with k = 1..kMax, as cluster::clusGap(x, kmeans, K.max, B,
// d.power = 2, spaceH0 = "scaledPCA"):
//
//	W_k    = ½ Σ_r D_r / n_r,  D_r = Σ_{i<j ∈ C_r} ‖x_i − x_j‖²  (= ½ tot.withinss)
//	gap_k  = mean_b log W*_kb − log W_k
//	SE_k   = sd_b(log W*_kb) · sqrt(1 + 1/B)
//
// Reference sets are uniform in the bounding box of the data rotated to its
// principal axes (SVD of the centred data), rotated back and re-centred.
// Reference sets run in parallel, each on its own random stream.
func Gap(X *mat.Dense, kMax int, opts GapOptions) (*GapResult, error) {
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
	// The data is copied and its distinct rows found once, for every k.
	data, err := newKMData(X)
	if err != nil {
		return nil, err
	}
	x := data.x
	if d := len(data.distinct()); kMax >= d {
		return nil, fmt.Errorf("cluster: K.max = %d needs more than %d distinct rows", kMax, d)
	}
	// Each worker keeps one gapWork for every fit it runs, on the data
	// and on its reference sets: only tot.withinss and the fault code of
	// each fit are kept, so no fit needs storage of its own. Which worker
	// runs which fit changes no number.
	workers := min(runtime.GOMAXPROCS(0), max(B, kMax-1))
	works := make([]gapWork, workers)
	// The data's fits for k = 2..kMax run side by side (bestRestart gives
	// bit for bit kmeansOn's tot.withinss and fault code); they are then
	// checked in k order, so the first failing k is reported as before.
	dataTot := make([]float64, kMax)
	dataHit := make([]bool, kMax)
	dataErr := make([]error, kMax)
	_ = forEachWorker(kMax-1, min(workers, kMax-1), func(w, i int) error {
		k := i + 2
		var ifault int
		dataTot[k-1], ifault, dataErr[k-1] = bestRestart(&works[w].km, data, k, opts.KMeans)
		dataHit[k-1] = ifault != 0
		return nil
	})
	logW := make([]float64, kMax)
	boundHit := 0
	for k := 1; k <= kMax; k++ {
		w, hit, err := 0.5*totalSS(x, n, p), false, error(nil)
		if k > 1 {
			w, hit, err = 0.5*dataTot[k-1], dataHit[k-1], dataErr[k-1]
		}
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

	// Principal axes of the centred data.
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
	hits := make([]int, B) // per reference set, so the count is deterministic
	tick := progressTicker(opts.Progress, B)
	err = forEachWorker(B, min(workers, B), func(w, b int) error {
		defer tick()
		rw := &works[w]
		if rw.z1 == nil {
			rw.z1, rw.z = mat.NewDense(n, q, nil), mat.NewDense(n, p, nil)
			rw.rng = rand.New(&rw.pcg)
		}
		rw.pcg.Seed(opts.Seed, uint64(b)) // the stream of rand.NewPCG(Seed, b)
		rng := rw.rng
		z1 := rw.z1.RawMatrix()
		for j := 0; j < q; j++ { // column by column, as clusGap's apply()
			for i := 0; i < n; i++ {
				z1.Data[i*z1.Stride+j] = lo[j] + (hi[j]-lo[j])*rng.Float64()
			}
		}
		z := rw.z
		z.Mul(rw.z1, V.T())
		for i := 0; i < n; i++ {
			row := z.RawRowView(i)
			for j := range row {
				row[j] += mean[j]
			}
		}
		rw.data = kmData{x: z.RawMatrix().Data, n: n, p: p}
		rw.data.check()
		// The distinct rows of this reference set, in the worker's storage
		// (the same indices as uniqueRows, without its map and keys).
		rw.data.uniq = uniqueRowsIn(&rw.uq, rw.data.x, n, p)
		for k := 1; k <= kMax; k++ {
			ko := opts.KMeans
			ko.Seed = mixSeed(opts.Seed, b, k)
			var w float64
			var hit bool
			var err error
			if k == 1 {
				w = 0.5 * totalSS(rw.data.x, n, p)
			} else {
				var tot float64
				var ifault int
				tot, ifault, err = bestRestart(&rw.km, &rw.data, k, ko)
				w, hit = 0.5*tot, ifault != 0
			}
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

// gapWork is one worker's storage for Gap: the uniform draw z1 and the
// rotated reference set z, its k-means data and distinct rows, the random
// source, and the k-means restart storage (also used for the data's fits).
type gapWork struct {
	z1, z *mat.Dense
	data  kmData
	uq    uniqWork
	pcg   rand.PCG
	rng   *rand.Rand
	km    kmWork
}

// forEachWorker runs f(w, i) for i = 0..n−1 on at most workers goroutines;
// w (0..workers−1) names the goroutine, so that f can use that worker's
// storage. Each index writes only its own output slots, so results do not
// depend on scheduling; the first error by index order is returned, as
// parallelFor does.
func forEachWorker(n, workers int, f func(w, i int) error) error {
	errs := make([]error, n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			errs[i] = f(0, i)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					errs[i] = f(w, i)
				}
			}()
		}
		for i := 0; i < n; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// gapW is clusGap's W.k with d.power = 2: half the total within-cluster sum
// of squares of the k-means partition (the whole data set for k = 1),
// and whether the best restart stopped at an iteration bound. Gap gets
// the same numbers from bestRestart in reused storage.
func gapW(d *kmData, k int, ko KMeansOptions, workers int) (float64, bool, error) {
	if k == 1 {
		return 0.5 * totalSS(d.x, d.n, d.p), false, nil
	}
	res, err := kmeansOn(d, k, ko, workers)
	if err != nil {
		return 0, false, err
	}
	return 0.5 * res.TotWithinss, res.Ifault != 0, nil
}

// MaxSE chooses the number of clusters from gap values f and their
// standard errors se (1-based result), as cluster::maxSE with SE.factor 1:
//
//	"Tibs2001SEmax": smallest k with f_k ≥ f_{k+1} − se_{k+1}
//	"firstSEmax":    smallest k with f_k ≥ f_K − se_K, K the first local max
//	"globalSEmax":   as firstSEmax with K the global maximum
//	"firstmax", "globalmax": the first local / the global maximum.
//
// An unknown method returns 0.
func MaxSE(f, se []float64, method string) int {
	K := len(f)
	if K == 0 || len(se) != K {
		return 0
	}
	firstMax := func() int {
		for k := 0; k+1 < K; k++ {
			if f[k+1]-f[k] <= 0 {
				return k + 1
			}
		}
		return K
	}
	globalMax := func() int {
		best := 0
		for k := 1; k < K; k++ {
			if f[k] > f[best] {
				best = k
			}
		}
		return best + 1
	}
	seRule := func(nc int) int {
		for k := 0; k < nc-1; k++ {
			if f[k] >= f[nc-1]-se[nc-1] {
				return k + 1
			}
		}
		return nc
	}
	switch method {
	case "firstmax":
		return firstMax()
	case "globalmax":
		return globalMax()
	case "Tibs2001SEmax":
		for k := 0; k+1 < K; k++ {
			if f[k] >= f[k+1]-se[k+1] {
				return k + 1
			}
		}
		return K
	case "firstSEmax":
		return seRule(firstMax())
	case "globalSEmax":
		return seRule(globalMax())
	}
	return 0
}
