package cluster

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/ccstudy/ccstudy/internal/choice"
	"gonum.org/v1/gonum/mat"
)

// KMeansOptions configures KMeans. The zero value gives R's defaults for
// Hartigan–Wong with kmeans++ seeding and 25 restarts.
type KMeansOptions struct {
	// Algorithm is HartiganWong (default; AS 136 as R's kmeans) or Lloyd
	// (R's algorithm = "Lloyd").
	Algorithm Algorithm
	// Init chooses starting centres: KMeansPP (default) or RandomInit
	// (k distinct data rows drawn uniformly, as R does).
	Init Init
	// Centers, if non-nil, are fixed starting centres (one row per
	// cluster). They override Init and NStart, as in R.
	Centers *mat.Dense
	// NStart is the number of random restarts (default DefaultNStart).
	NStart int
	// MaxIter is R's iter.max (default DefaultMaxIter).
	MaxIter int
	// Seed seeds restart r with rand.NewPCG(Seed, r).
	Seed uint64
}

// KMeansResult is a k-means partition. Clusters are numbered 1..k by
// decreasing size, ties broken by the cluster holding the earliest row.
type KMeansResult struct {
	K         int       `json:"k"`
	Algorithm Algorithm `json:"algorithm"`
	// Cluster is the 1-based cluster of each row of X.
	Cluster     []int       `json:"cluster"`
	Centers     [][]float64 `json:"centers"`
	Withinss    []float64   `json:"withinss"`
	TotWithinss float64     `json:"tot_withinss"`
	Betweenss   float64     `json:"betweenss"`
	Totss       float64     `json:"totss"`
	Size        []int       `json:"size"`
	// Iter is R's iter: iter.max+1 when the run did not converge.
	Iter      int  `json:"iter"`
	Converged bool `json:"converged"`
	// Ifault is AS 136's fault code of the winning run as R reports it:
	// 0 ok, 2 iter.max reached, 4 quick-transfer step limit reached.
	Ifault      int      `json:"ifault"`
	NStart      int      `json:"nstart"`
	BestRestart int      `json:"best_restart"`
	Warnings    []string `json:"warnings"`
}

// errEmptyCluster mirrors R's "empty cluster: try a better set of initial
// centers" (AS 136 ifault 1; an emptied cluster under Lloyd).
var errEmptyCluster = errors.New("cluster: empty cluster: try a better set of initial centers")

var errKRange = errors.New("cluster: number of cluster centres must lie between 1 and nrow(x)")

// kmRun is one k-means run on row-major data (0-based cluster numbers).
type kmRun struct {
	cl      []int
	centers []float64 // k×p row-major
	wss     []float64
	nc      []int
	iter    int
	ifault  int
	err     error
}

func (r *kmRun) tot() float64 {
	var s float64
	for _, w := range r.wss {
		s += w
	}
	return s
}

// KMeans partitions the rows of X into k clusters minimising the total
// within-cluster sum of squares Σ_k Σ_{i∈C_k} ‖x_i − c_k‖².
//
// Hartigan–Wong is a line-by-line port of AS 136 (R's kmns), including its
// optimal-transfer/quick-transfer stages, its iteration count and its fault
// codes; Lloyd is R's kmeans_Lloyd. With NStart > 1 the restarts run in
// parallel and the run with the lowest tot_withinss wins (ties: lowest
// restart index), so the result does not depend on GOMAXPROCS.
// Errors: k < 1, k above the number of distinct rows, duplicated fixed
// centres, or an empty cluster in every run.
func KMeans(X *mat.Dense, k int, opts KMeansOptions) (*KMeansResult, error) {
	return kmeansWorkers(X, k, opts, runtime.GOMAXPROCS(0))
}

// kmeansWorkers is KMeans with an explicit bound on parallel restarts, so
// that callers that already parallelise (Gap, ClusterBoot) run it serially.
func kmeansWorkers(X *mat.Dense, k int, opts KMeansOptions, workers int) (*KMeansResult, error) {
	if X == nil {
		return nil, errors.New("cluster: nil matrix")
	}
	n, p := X.Dims()
	if n == 0 || p == 0 {
		return nil, errors.New("cluster: empty matrix")
	}
	x := make([]float64, n*p)
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			v := X.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("cluster: non-finite value at row %d, column %d", i+1, j+1)
			}
			x[i*p+j] = v
		}
	}
	alg := opts.Algorithm
	switch alg {
	case "":
		alg = HartiganWong
	case HartiganWong, Lloyd:
	default:
		return nil, fmt.Errorf("cluster: k-means algorithm %q: expected %s or %s", opts.Algorithm, HartiganWong, Lloyd)
	}
	init := opts.Init
	if init == "" {
		init = KMeansPP
	}
	if _, err := choice.Parse(string(init), Inits()); err != nil {
		return nil, fmt.Errorf("cluster: k-means init %q: %w", opts.Init, err)
	}
	maxIter := opts.MaxIter
	if maxIter == 0 {
		maxIter = DefaultMaxIter
	}
	if maxIter < 1 {
		return nil, errors.New("cluster: MaxIter must be positive")
	}
	nstart := opts.NStart
	if nstart == 0 {
		nstart = DefaultNStart
	}
	if nstart < 1 {
		return nil, errors.New("cluster: NStart must be positive")
	}
	if workers < 1 {
		workers = 1
	}

	var fixed []float64
	if opts.Centers != nil {
		kr, pc := opts.Centers.Dims()
		if pc != p {
			return nil, errors.New("cluster: centers and X must have the same number of columns")
		}
		if k != 0 && k != kr {
			return nil, fmt.Errorf("cluster: k = %d but %d starting centers given", k, kr)
		}
		k = kr
		fixed = make([]float64, k*p)
		for i := 0; i < k; i++ {
			for j := 0; j < p; j++ {
				fixed[i*p+j] = opts.Centers.At(i, j)
			}
		}
		if len(uniqueRows(fixed, k, p)) < k {
			return nil, errors.New("cluster: initial centers are not distinct")
		}
		if n < k {
			return nil, errors.New("cluster: more cluster centers than data points")
		}
		nstart = 1
	}
	if k < 1 {
		return nil, fmt.Errorf("cluster: k must be at least 1, got %d", k)
	}
	var uniq []int
	if fixed == nil {
		uniq = uniqueRows(x, n, p)
		if len(uniq) < k {
			return nil, fmt.Errorf("cluster: k = %d exceeds the %d distinct rows", k, len(uniq))
		}
	}
	if alg == HartiganWong && k > 1 && k >= n {
		return nil, errKRange
	}

	runOne := func(r int) *kmRun {
		var c []float64
		if fixed != nil {
			c = append([]float64(nil), fixed...)
		} else {
			rng := rand.New(rand.NewPCG(opts.Seed, uint64(r)))
			if init == RandomInit {
				c = randomCenters(x, p, uniq, k, rng)
			} else {
				c = kmeansPPCenters(x, p, uniq, k, rng)
			}
		}
		switch {
		case k == 1:
			return oneCluster(x, n, p)
		case alg == HartiganWong:
			return hartiganWong(x, n, p, c, k, maxIter)
		default:
			return lloyd(x, n, p, c, k, maxIter)
		}
	}

	runs := make([]*kmRun, nstart)
	if nstart == 1 || workers == 1 {
		for r := range runs {
			runs[r] = runOne(r)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < min(workers, nstart); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range next {
					runs[r] = runOne(r)
				}
			}()
		}
		for r := range runs {
			next <- r
		}
		close(next)
		wg.Wait()
	}

	best := -1
	failed, notConv := 0, 0
	for r, run := range runs {
		if run.err != nil {
			failed++
			continue
		}
		if run.ifault != 0 {
			notConv++
		}
		if best < 0 || run.tot() < runs[best].tot() {
			best = r
		}
	}
	if best < 0 {
		return nil, runs[0].err
	}
	res := finishKMeans(x, n, p, k, runs[best])
	res.Algorithm = alg
	res.NStart = nstart
	res.BestRestart = best
	res.Warnings = []string{}
	switch runs[best].ifault {
	case 2:
		res.Warnings = append(res.Warnings, fmt.Sprintf("did not converge in %d iterations", maxIter))
	case 4:
		res.Warnings = append(res.Warnings, fmt.Sprintf("Quick-TRANSfer stage steps exceeded maximum (= %d)", min(50*n, math.MaxInt32)))
	}
	if failed > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d of %d restarts ended with an empty cluster and were discarded", failed, nstart))
	}
	if notConv > 0 && nstart > 1 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d of %d restarts did not converge", notConv, nstart))
	}
	return res, nil
}

// finishKMeans relabels a run by decreasing cluster size and fills the
// R-style summary (totss, betweenss).
func finishKMeans(x []float64, n, p, k int, run *kmRun) *KMeansResult {
	newLab := sizeOrder(run.cl, run.nc, k)
	res := &KMeansResult{
		K:        k,
		Cluster:  make([]int, n),
		Centers:  make([][]float64, k),
		Withinss: make([]float64, k),
		Size:     make([]int, k),
		Iter:     run.iter,
		Ifault:   run.ifault,
	}
	res.Converged = run.ifault == 0
	for i, c := range run.cl {
		res.Cluster[i] = newLab[c] + 1
	}
	for ol, nl := range newLab {
		res.Centers[nl] = append([]float64(nil), run.centers[ol*p:(ol+1)*p]...)
		res.Withinss[nl] = run.wss[ol]
		res.Size[nl] = run.nc[ol]
	}
	res.TotWithinss = run.tot()
	res.Totss = totalSS(x, n, p)
	res.Betweenss = res.Totss - res.TotWithinss
	return res
}

// uniqueRows returns the indices of the first occurrence of each distinct
// row, in row order (R's unique(x)).
func uniqueRows(x []float64, n, p int) []int {
	seen := make(map[string]struct{}, n)
	var out []int
	buf := make([]byte, 0, 8*p)
	for i := 0; i < n; i++ {
		buf = buf[:0]
		for j := 0; j < p; j++ {
			v := x[i*p+j]
			if v == 0 {
				v = 0 // -0 and +0 are the same point
			}
			b := math.Float64bits(v)
			buf = append(buf, byte(b), byte(b>>8), byte(b>>16), byte(b>>24), byte(b>>32), byte(b>>40), byte(b>>48), byte(b>>56))
		}
		if _, ok := seen[string(buf)]; !ok {
			seen[string(buf)] = struct{}{}
			out = append(out, i)
		}
	}
	return out
}

// randomCenters draws k distinct rows among the distinct rows uniq.
func randomCenters(x []float64, p int, uniq []int, k int, rng *rand.Rand) []float64 {
	idx := append([]int(nil), uniq...)
	c := make([]float64, k*p)
	for l := 0; l < k; l++ {
		j := l + rng.IntN(len(idx)-l)
		idx[l], idx[j] = idx[j], idx[l]
		copy(c[l*p:(l+1)*p], x[idx[l]*p:(idx[l]+1)*p])
	}
	return c
}

// kmeansPPCenters is Arthur & Vassilvitskii's (2007) seeding over the
// distinct rows: the first centre uniformly, each next one with probability
// proportional to the squared distance to the nearest chosen centre.
func kmeansPPCenters(x []float64, p int, uniq []int, k int, rng *rand.Rand) []float64 {
	m := len(uniq)
	c := make([]float64, k*p)
	d2 := make([]float64, m)
	chosen := make([]bool, m)
	pick := rng.IntN(m)
	for l := 0; l < k; l++ {
		if l > 0 {
			var total float64
			for u := 0; u < m; u++ {
				total += d2[u]
			}
			pick = -1
			if total > 0 {
				t := rng.Float64() * total
				for u := 0; u < m; u++ {
					if chosen[u] || d2[u] <= 0 {
						continue
					}
					pick = u
					t -= d2[u]
					if t < 0 {
						break
					}
				}
			}
			if pick < 0 { // cannot happen with distinct rows; be safe
				for u := 0; u < m; u++ {
					if !chosen[u] {
						pick = u
						break
					}
				}
			}
		}
		chosen[pick] = true
		row := x[uniq[pick]*p : (uniq[pick]+1)*p]
		copy(c[l*p:(l+1)*p], row)
		for u := 0; u < m; u++ {
			var s float64
			xu := x[uniq[u]*p : (uniq[u]+1)*p]
			for j := 0; j < p; j++ {
				d := xu[j] - row[j]
				s += d * d
			}
			if l == 0 || s < d2[u] {
				d2[u] = s
			}
		}
	}
	return c
}

// oneCluster is the trivial k = 1 partition (R switches to MacQueen, which
// converges in one iteration).
func oneCluster(x []float64, n, p int) *kmRun {
	r := &kmRun{cl: make([]int, n), centers: make([]float64, p), wss: make([]float64, 1), nc: []int{n}, iter: 1}
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			r.centers[j] += x[i*p+j]
		}
	}
	for j := 0; j < p; j++ {
		r.centers[j] /= float64(n)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			d := x[i*p+j] - r.centers[j]
			r.wss[0] += d * d
		}
	}
	return r
}

// lloyd is R's kmeans_Lloyd. An emptied cluster gets a NaN centre in R and
// is never chosen again; such a run is reported as failed here.
func lloyd(x []float64, n, p int, cen []float64, k, maxIter int) *kmRun {
	cl := make([]int, n)
	nc := make([]int, k)
	for i := range cl {
		cl[i] = -1
	}
	iter := 0
	for iter = 0; iter < maxIter; iter++ {
		updated := false
		for i := 0; i < n; i++ {
			best := math.Inf(1)
			inew := 0
			for j := 0; j < k; j++ {
				var dd float64
				for c := 0; c < p; c++ {
					t := x[i*p+c] - cen[j*p+c]
					dd += t * t
				}
				if dd < best {
					best = dd
					inew = j
				}
			}
			if cl[i] != inew {
				updated = true
				cl[i] = inew
			}
		}
		if !updated {
			break
		}
		for j := range cen {
			cen[j] = 0
		}
		for j := range nc {
			nc[j] = 0
		}
		for i := 0; i < n; i++ {
			it := cl[i]
			nc[it]++
			for c := 0; c < p; c++ {
				cen[it*p+c] += x[i*p+c]
			}
		}
		for j := 0; j < k; j++ {
			for c := 0; c < p; c++ {
				cen[j*p+c] /= float64(nc[j])
			}
		}
	}
	run := &kmRun{cl: cl, centers: cen, wss: make([]float64, k), nc: nc, iter: iter + 1}
	for _, m := range nc {
		if m == 0 {
			run.err = errEmptyCluster
			return run
		}
	}
	for i := 0; i < n; i++ {
		it := cl[i]
		for c := 0; c < p; c++ {
			t := x[i*p+c] - cen[it*p+c]
			run.wss[it] += t * t
		}
	}
	if run.iter > maxIter {
		run.ifault = 2
	}
	return run
}
