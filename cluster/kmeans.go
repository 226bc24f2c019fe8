package cluster

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
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
	// NStart is the number of random restarts (default DefaultNStart);
	// with MinHits > 0 it is the minimum number.
	NStart int
	// MinHits > 0 makes the restarts adaptive: restarts continue past
	// NStart until MinHits of them reached the best tot_withinss found
	// (within a relative TieTolerance), or MaxStarts ran (see KMeans).
	MinHits int
	// MaxStarts caps adaptive restarts (default DefaultMaxStarts, and at
	// least NStart). Unused without MinHits.
	MaxStarts int
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
	Ifault int `json:"ifault"`
	// NStart is the number of restarts run, BestRestart the 0-based index
	// of the reported one, and BestHits the number of restarts whose
	// tot_withinss is within a relative TieTolerance of it.
	NStart      int `json:"nstart"`
	BestRestart int `json:"best_restart"`
	BestHits    int `json:"best_hits"`
	// StartsCapped: adaptive restarts stopped at MaxStarts with fewer
	// than MinHits restarts at the best (a warning says so).
	StartsCapped bool     `json:"starts_capped"`
	Warnings     []string `json:"warnings"`
}

// Adaptive-restart defaults: analysis.DefaultClusterOptions uses
// NStart = DefaultMinStarts, MinHits = DefaultMinHits and
// MaxStarts = DefaultMaxStarts for the partitions it reports.
const (
	DefaultMinStarts = 100
	DefaultMinHits   = 20
	DefaultMaxStarts = 5000
	// TieTolerance is the relative difference below which two restarts'
	// tot_withinss count as the same optimum (rounding of the sums over
	// different iteration histories is ~1e-15).
	TieTolerance = 1e-10
	// restartBatch is the number of restarts run between two checks of
	// the adaptive rule. The rule is evaluated restart by restart in
	// index order, so the result does not depend on the batch size.
	restartBatch = 100
)

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
// codes; Lloyd is R's kmeans_Lloyd. Restart r starts from centres drawn
// with rand.NewPCG(Seed, r), as R's kmeans(nstart) keeps the best of its
// restarts. The restarts run in parallel; the reported run is the
// lowest-index restart whose tot_withinss is within a relative
// TieTolerance of the smallest, so the result does not depend on
// GOMAXPROCS.
//
// With MinHits = 0 exactly NStart restarts run (R's kmeans(nstart =
// NStart)). With MinHits = M > 0 the number of restarts N is the smallest
// N ≥ NStart at which at least M of restarts 0..N−1 reached the best
// tot_withinss among them, or MaxStarts if there is none (StartsCapped,
// with a warning). The rule adapts the effort to the data: N ≈ M/q when
// the best partition is reached by a fraction q of the starts, and a
// better partition whose basin of attraction is a fraction f of the best's
// is missed with probability about exp(−M·f) (M = 20: 0.7% at f = 1/4).
// Restarts are evaluated in index order, in batches whose size does not
// change the result.
// Errors: k < 1, k above the number of distinct rows, duplicated fixed
// centres, or an empty cluster in every run.
func KMeans(X *mat.Dense, k int, opts KMeansOptions) (*KMeansResult, error) {
	return kmeansWorkers(X, k, opts, runtime.GOMAXPROCS(0))
}

// kmeansWorkers is KMeans with an explicit bound on parallel restarts, so
// that callers that already parallelise (Gap, ClusterBoot) run it serially.
func kmeansWorkers(X *mat.Dense, k int, opts KMeansOptions, workers int) (*KMeansResult, error) {
	d, err := newKMData(X)
	if err != nil {
		return nil, err
	}
	return kmeansOn(d, k, opts, workers)
}

// kmData is a data matrix prepared for k-means: a row-major copy, and the
// first row of each distinct row once asked for. Gap prepares the data
// and each reference set once and runs every k and restart on it, instead
// of copying the matrix and hashing its rows for every k.
type kmData struct {
	x    []float64
	n, p int
	// bad is the non-finite-value error, reported when k-means runs (the
	// gap's k = 1 term is computed without the check, as before).
	bad  error
	uniq []int
	// rowU maps each row to its position in uniq (rowUniq), nil while
	// not computed or when every row is distinct.
	rowU     []int
	rowUDone bool
}

// newKMData copies X row-major and checks that its values are finite.
func newKMData(X *mat.Dense) (*kmData, error) {
	if X == nil {
		return nil, errors.New("cluster: nil matrix")
	}
	n, p := X.Dims()
	if n == 0 || p == 0 {
		return nil, errors.New("cluster: empty matrix")
	}
	d := &kmData{x: make([]float64, n*p), n: n, p: p}
	for i := 0; i < n; i++ {
		copy(d.x[i*p:(i+1)*p], X.RawRowView(i))
	}
	d.check()
	return d, nil
}

// check sets d.bad from the first non-finite value in row order.
func (d *kmData) check() {
	d.bad = nil
	for i, v := range d.x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			d.bad = fmt.Errorf("cluster: non-finite value at row %d, column %d", i/d.p+1, i%d.p+1)
			return
		}
	}
}

// distinct returns uniqueRows of the data, computed on the first call
// with rowUniq, so that fits sharing d in parallel only read both.
func (d *kmData) distinct() []int {
	if d.uniq == nil {
		d.uniq = uniqueRows(d.x, d.n, d.p)
		d.rowUniq()
	}
	return d.uniq
}

// rowUniq maps row i to the position in distinct() of the first row equal
// to it (−0 and +0 alike), so the seeding's distances to the distinct rows
// serve every row; nil when every row is distinct (the identity).
func (d *kmData) rowUniq() []int {
	if d.rowUDone {
		return d.rowU
	}
	d.rowUDone = true
	uniq := d.uniq
	if len(uniq) == d.n {
		return nil
	}
	key := func(i int, buf []byte) []byte {
		for j := 0; j < d.p; j++ {
			v := d.x[i*d.p+j]
			if v == 0 {
				v = 0
			}
			b := math.Float64bits(v)
			buf = append(buf, byte(b), byte(b>>8), byte(b>>16), byte(b>>24), byte(b>>32), byte(b>>40), byte(b>>48), byte(b>>56))
		}
		return buf
	}
	pos := make(map[string]int, len(uniq))
	var buf []byte
	for u, i := range uniq {
		buf = key(i, buf[:0])
		pos[string(buf)] = u
	}
	d.rowU = make([]int, d.n)
	for i := range d.rowU {
		buf = key(i, buf[:0])
		d.rowU[i] = pos[string(buf)]
	}
	return d.rowU
}

// kmSettings are KMeansOptions with R's defaults filled in and checked.
type kmSettings struct {
	alg                       Algorithm
	init                      Init
	maxIter, nstart, maxStart int
}

func resolveKMeans(opts KMeansOptions) (kmSettings, error) {
	var s kmSettings
	s.alg = opts.Algorithm
	switch s.alg {
	case "":
		s.alg = HartiganWong
	case HartiganWong, Lloyd:
	default:
		return s, fmt.Errorf("cluster: k-means algorithm %q: expected %s or %s", opts.Algorithm, HartiganWong, Lloyd)
	}
	s.init = opts.Init
	if s.init == "" {
		s.init = KMeansPP
	}
	if _, err := choice.Parse(string(s.init), Inits()); err != nil {
		return s, fmt.Errorf("cluster: k-means init %q: %w", opts.Init, err)
	}
	s.maxIter = opts.MaxIter
	if s.maxIter == 0 {
		s.maxIter = DefaultMaxIter
	}
	if s.maxIter < 1 {
		return s, errors.New("cluster: MaxIter must be positive")
	}
	s.nstart = opts.NStart
	if s.nstart == 0 {
		s.nstart = DefaultNStart
	}
	if s.nstart < 1 {
		return s, errors.New("cluster: NStart must be positive")
	}
	if opts.MinHits < 0 || opts.MaxStarts < 0 {
		return s, errors.New("cluster: MinHits and MaxStarts must not be negative")
	}
	s.maxStart = s.nstart
	if opts.MinHits > 0 {
		s.maxStart = opts.MaxStarts
		if s.maxStart == 0 {
			s.maxStart = DefaultMaxStarts
		}
		s.maxStart = max(s.maxStart, s.nstart)
	}
	return s, nil
}

// kmeansOn is kmeansWorkers on prepared data.
func kmeansOn(d *kmData, k int, opts KMeansOptions, workers int) (*KMeansResult, error) {
	if d.bad != nil {
		return nil, d.bad
	}
	x, n, p := d.x, d.n, d.p
	set, err := resolveKMeans(opts)
	if err != nil {
		return nil, err
	}
	alg, init, maxIter, nstart, maxStarts := set.alg, set.init, set.maxIter, set.nstart, set.maxStart
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
		nstart, maxStarts = 1, 1
	}
	if k < 1 {
		return nil, fmt.Errorf("cluster: k must be at least 1, got %d", k)
	}
	var uniq, rowU []int
	if fixed == nil {
		uniq = d.distinct()
		rowU = d.rowUniq()
		if len(uniq) < k {
			return nil, fmt.Errorf("cluster: k = %d exceeds the %d distinct rows", k, len(uniq))
		}
	}
	if alg == HartiganWong && k > 1 && k >= n {
		return nil, errKRange
	}

	runOne := func(r int) *kmRun {
		var c, dist []float64
		if fixed != nil {
			c = append([]float64(nil), fixed...)
		} else {
			rng := rand.New(rand.NewPCG(opts.Seed, uint64(r)))
			if init == RandomInit {
				c = randomCenters(x, p, uniq, k, rng)
			} else {
				m := len(uniq)
				dist = make([]float64, m*k)
				c = kmeansPPInto(make([]float64, k*p), make([]float64, m), make([]bool, m), dist, x, p, uniq, k, rng)
			}
		}
		switch {
		case k == 1:
			return oneCluster(x, n, p)
		case alg == HartiganWong:
			return hartiganWongSeeded(new(hwWork), x, n, p, c, k, maxIter, dist, rowU)
		default:
			return lloyd(x, n, p, c, k, maxIter)
		}
	}

	// Restarts run in batches; sc scans them in index order and says
	// when the rule is met.
	sc := restartScan{minStarts: nstart, minHits: opts.MinHits, maxStarts: maxStarts}
	for done := 0; !sc.stopped; {
		size := nstart
		if done > 0 {
			size = restartBatch
		}
		size = min(size, maxStarts-done)
		batch := runBatch(done, size, workers, runOne)
		for _, run := range batch {
			if sc.add(run) {
				break
			}
		}
		done += size
	}
	if sc.best == nil {
		return nil, sc.firstErr
	}
	res := finishKMeans(x, n, p, k, sc.best)
	res.Algorithm = alg
	res.NStart = sc.n
	res.BestRestart = sc.bestAt
	res.BestHits = sc.hits
	res.Warnings = []string{}
	switch sc.best.ifault {
	case 2:
		res.Warnings = append(res.Warnings, fmt.Sprintf("did not converge in %d iterations", maxIter))
	case 4:
		res.Warnings = append(res.Warnings, fmt.Sprintf("Quick-TRANSfer stage steps exceeded maximum (= %d)", min(50*n, math.MaxInt32)))
	}
	if sc.failed > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d of %d restarts ended with an empty cluster and were discarded", sc.failed, sc.n))
	}
	if sc.notConv > 0 && sc.n > 1 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d of %d restarts did not converge", sc.notConv, sc.n))
	}
	if opts.MinHits > 0 && sc.hits < opts.MinHits && fixed == nil {
		res.StartsCapped = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("the best tot.withinss was reached by %d of %d restarts (the cap), fewer than the %d the restart rule asks for: a better partition may exist", sc.hits, sc.n, opts.MinHits))
	}
	return res, nil
}

// runBatch runs restarts from..from+size−1 on up to workers goroutines;
// each writes only its own slot.
func runBatch(from, size, workers int, runOne func(r int) *kmRun) []*kmRun {
	runs := make([]*kmRun, size)
	if size == 1 || workers <= 1 {
		for i := range runs {
			runs[i] = runOne(from + i)
		}
		return runs
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(workers, size); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runs[i] = runOne(from + i)
			}
		}()
	}
	for i := range runs {
		next <- i
	}
	close(next)
	wg.Wait()
	return runs
}

// restartScan applies the restart rule to the runs in index order.
type restartScan struct {
	minStarts, minHits, maxStarts int

	n       int       // restarts scanned
	tots    []float64 // tot_withinss per scanned restart (NaN: failed)
	bestTot float64   // the smallest tot_withinss so far
	// ties are the restarts within TieTolerance of bestTot, in index
	// order; best is the first of them, the reported run.
	ties       []indexedRun
	best       *kmRun
	bestAt     int
	bestIfault int
	hits       int // = len(ties)
	failed     int
	notConv    int
	firstErr   error
	stopped    bool
}

// add scans the next restart and reports whether the rule says stop.
func (s *restartScan) add(run *kmRun) bool {
	if run.err != nil {
		return s.addOutcome(run.err, 0, 0, run)
	}
	return s.addOutcome(nil, run.tot(), run.ifault, run)
}

// addOutcome is add for a restart's outcome: its error, or its
// tot_withinss and fault code. run may be nil when only the best
// tot_withinss and fault code are wanted (Gap), so that the run's storage
// can be reused; s.best is then nil.
func (s *restartScan) addOutcome(err error, t float64, ifault int, run *kmRun) bool {
	s.n++
	switch {
	case err != nil:
		s.failed++
		if s.firstErr == nil {
			s.firstErr = err
		}
		s.tots = append(s.tots, math.NaN())
	default:
		if ifault != 0 {
			s.notConv++
		}
		s.tots = append(s.tots, t)
		switch {
		case len(s.ties) == 0 || t < s.bestTot:
			// A run of an earlier tie can still be within the tolerance
			// of the new best; no other earlier run can.
			s.bestTot = t
			kept := s.ties[:0]
			for _, tr := range s.ties {
				if s.tots[tr.r] <= t*(1+TieTolerance) {
					kept = append(kept, tr)
				}
			}
			s.ties = append(kept, indexedRun{s.n - 1, run, ifault})
		case t <= s.bestTot*(1+TieTolerance):
			s.ties = append(s.ties, indexedRun{s.n - 1, run, ifault})
		}
		s.hits = len(s.ties)
		s.best, s.bestAt = s.ties[0].run, s.ties[0].r
		s.bestIfault = s.ties[0].ifault
	}
	switch {
	case s.n >= s.maxStarts:
		s.stopped = true
	case s.minHits > 0:
		s.stopped = s.n >= s.minStarts && s.hits >= s.minHits
	default:
		s.stopped = s.n >= s.minStarts
	}
	return s.stopped
}

type indexedRun struct {
	r      int
	run    *kmRun
	ifault int
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

// uniqWork is reusable storage for uniqueRowsIn.
type uniqWork struct {
	idx, out []int
}

// uniqueRowsIn returns the same indices as uniqueRows (the first
// occurrence of each distinct row, in row order; −0 and +0 alike) without
// a map: the row indices are sorted by the bits of their values, ties by
// index, so the first index of each run of equal rows is its first
// occurrence. The result lives in w until its next use. Gap finds the
// distinct rows of each of its B reference sets with it.
func uniqueRowsIn(w *uniqWork, x []float64, n, p int) []int {
	w.idx = w.idx[:0]
	for i := 0; i < n; i++ {
		w.idx = append(w.idx, i)
	}
	bits := func(v float64) uint64 {
		if v == 0 {
			v = 0 // -0 and +0 are the same point
		}
		return math.Float64bits(v)
	}
	slices.SortFunc(w.idx, func(a, b int) int {
		ra, rb := x[a*p:(a+1)*p], x[b*p:(b+1)*p]
		for j := range ra {
			if c := cmp.Compare(bits(ra[j]), bits(rb[j])); c != 0 {
				return c
			}
		}
		return cmp.Compare(a, b)
	})
	w.out = w.out[:0]
	for t, i := range w.idx {
		if t == 0 || !slices.EqualFunc(x[i*p:(i+1)*p], x[w.idx[t-1]*p:(w.idx[t-1]+1)*p], func(u, v float64) bool { return bits(u) == bits(v) }) {
			w.out = append(w.out, i)
		}
	}
	slices.Sort(w.out)
	return w.out
}

// randomCenters draws k distinct rows among the distinct rows uniq.
func randomCenters(x []float64, p int, uniq []int, k int, rng *rand.Rand) []float64 {
	return randomCentersInto(make([]float64, k*p), nil, x, p, uniq, k, rng)
}

// randomCentersInto is randomCenters writing the centres into c (k×p)
// and using idx's storage for the draw.
func randomCentersInto(c []float64, idx []int, x []float64, p int, uniq []int, k int, rng *rand.Rand) []float64 {
	idx = append(idx[:0], uniq...)
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
	return kmeansPPInto(make([]float64, k*p), make([]float64, m), make([]bool, m), nil, x, p, uniq, k, rng)
}

// kmeansPPInto is kmeansPPCenters writing the centres into c (k×p), with
// d2 and chosen (one per distinct row, chosen all false) as scratch. When
// dist is not nil (m×k) it receives the squared distance of every distinct
// row to every centre, which the seeding computes anyway: Hartigan–Wong's
// first assignment then needs none of its own (hartiganWongSeeded).
func kmeansPPInto(c, d2 []float64, chosen []bool, dist []float64, x []float64, p int, uniq []int, k int, rng *rand.Rand) []float64 {
	m := len(uniq)
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
		// Four rows at a time: each sum is sqDist's, in column order
		// (x−c and c−x square to the same bits), only interleaved.
		u := 0
		for ; u+4 <= m; u += 4 {
			var s [4]float64
			s[0], s[1], s[2], s[3] = sqDist4(row,
				x[uniq[u]*p:(uniq[u]+1)*p], x[uniq[u+1]*p:(uniq[u+1]+1)*p],
				x[uniq[u+2]*p:(uniq[u+2]+1)*p], x[uniq[u+3]*p:(uniq[u+3]+1)*p])
			for t, st := range s {
				if l == 0 || st < d2[u+t] {
					d2[u+t] = st
				}
				if dist != nil {
					dist[(u+t)*k+l] = st
				}
			}
		}
		for ; u < m; u++ {
			st := sqDist(row, x[uniq[u]*p:(uniq[u]+1)*p])
			if dist != nil {
				dist[u*k+l] = st
			}
			if l == 0 || st < d2[u] {
				d2[u] = st
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

// kmWork is one goroutine's reusable storage for k-means restarts whose
// runs are not kept: the Hartigan–Wong arrays, the starting centres, the
// seeding scratch and the random source, allocated once for all the
// restarts, k and reference sets that goroutine runs in Gap.
type kmWork struct {
	hw     hwWork
	c, d2  []float64
	dist   []float64 // the seeding's distances (kmeansPPInto)
	chosen []bool
	idx    []int
	pcg    rand.PCG
	rng    *rand.Rand
	// tots and ties are the restart scan's storage.
	tots []float64
	ties []indexedRun
}

// bestRestart runs the restarts of kmeansOn(d, k, opts, 1) one after
// another in w's storage and returns the part of its result that Gap
// uses: the reported restart's tot_withinss and fault code. Restarts are
// scanned in index order by the same rule and restart r is seeded as in
// kmeansOn, so the numbers are those of kmeansOn's result (a test
// compares them bit for bit).
func bestRestart(w *kmWork, d *kmData, k int, opts KMeansOptions) (tot float64, ifault int, err error) {
	if d.bad != nil {
		return 0, 0, d.bad
	}
	set, err := resolveKMeans(opts)
	if err != nil {
		return 0, 0, err
	}
	if opts.Centers != nil {
		return 0, 0, errors.New("cluster: bestRestart needs random starts, not fixed Centers")
	}
	x, n, p := d.x, d.n, d.p
	if k < 1 {
		return 0, 0, fmt.Errorf("cluster: k must be at least 1, got %d", k)
	}
	uniq := d.distinct()
	rowU := d.rowUniq()
	if len(uniq) < k {
		return 0, 0, fmt.Errorf("cluster: k = %d exceeds the %d distinct rows", k, len(uniq))
	}
	if set.alg == HartiganWong && k > 1 && k >= n {
		return 0, 0, errKRange
	}
	if w.rng == nil {
		w.rng = rand.New(&w.pcg)
	}
	sc := restartScan{minStarts: set.nstart, minHits: opts.MinHits, maxStarts: set.maxStart, tots: w.tots[:0], ties: w.ties[:0]}
	for r := 0; !sc.stopped; r++ {
		w.pcg.Seed(opts.Seed, uint64(r))
		w.c = zeroed(w.c, k*p)
		if set.init == RandomInit {
			w.idx = randomIdx(w.idx, len(uniq))
			randomCentersInto(w.c, w.idx, x, p, uniq, k, w.rng)
		} else {
			w.d2 = zeroed(w.d2, len(uniq))
			w.chosen = zeroed(w.chosen, len(uniq))
			w.dist = zeroed(w.dist, len(uniq)*k)
			kmeansPPInto(w.c, w.d2, w.chosen, w.dist, x, p, uniq, k, w.rng)
		}
		var run *kmRun
		switch {
		case k == 1:
			run = oneCluster(x, n, p)
		case set.alg == HartiganWong:
			var pre []float64
			if set.init != RandomInit {
				pre = w.dist
			}
			run = hartiganWongSeeded(&w.hw, x, n, p, w.c, k, set.maxIter, pre, rowU)
		default:
			run = lloyd(x, n, p, w.c, k, set.maxIter)
		}
		if run.err != nil {
			sc.addOutcome(run.err, 0, 0, nil)
		} else {
			sc.addOutcome(nil, run.tot(), run.ifault, nil)
		}
	}
	w.tots, w.ties = sc.tots, sc.ties // kept for the next call
	if len(sc.ties) == 0 {
		return 0, 0, sc.firstErr
	}
	return sc.tots[sc.bestAt], sc.bestIfault, nil
}

// randomIdx is idx with room for n indices (randomCentersInto fills it).
func randomIdx(idx []int, n int) []int {
	if cap(idx) < n {
		return make([]int, 0, n)
	}
	return idx[:0]
}
