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
	logW := make([]float64, kMax)
	boundHit := 0
	for k := 1; k <= kMax; k++ {
		w, hit, err := gapW(data, k, opts.KMeans, runtime.GOMAXPROCS(0))
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
	// Each goroutine reuses one set of buffers for its reference sets:
	// the uniform draw, the rotated set and its k-means storage. Which
	// goroutine runs which set does not change any number.
	var pool sync.Pool
	tick := progressTicker(opts.Progress, B)
	err = parallelFor(B, func(b int) error {
		defer tick()
		rw, _ := pool.Get().(*gapRefWork)
		if rw == nil {
			rw = &gapRefWork{z1: mat.NewDense(n, q, nil), z: mat.NewDense(n, p, nil)}
		}
		defer pool.Put(rw)
		rng := rand.New(rand.NewPCG(opts.Seed, uint64(b)))
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

// gapRefWork is one goroutine's storage for Gap's reference sets.
type gapRefWork struct {
	z1, z *mat.Dense
	data  kmData
	km    kmWork
}

// gapW is clusGap's W.k with d.power = 2: half the total within-cluster sum
// of squares of the k-means partition (the whole data set for k = 1),
// and whether the best restart stopped at an iteration bound.
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
