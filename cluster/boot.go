package cluster

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// BootFit reclusters a bootstrap resample. rows holds the 0-based indices
// of the distinct original observations drawn, in order of first draw; the
// fit returns one positive cluster label per entry of rows. rng is the
// replicate's own stream, for randomised methods.
type BootFit func(rows []int, rng *rand.Rand) ([]int, error)

// BootOptions configures ClusterBoot.
type BootOptions struct {
	// B is the number of bootstrap replicates (default 100, as
	// clusterboot).
	B int
	// Seed seeds replicate b with rand.NewPCG(Seed, b).
	Seed uint64
	// Dissolution, Recover and Unstable are the Jaccard thresholds
	// (defaults 0.5, 0.75 and 0.6).
	Dissolution, Recover, Unstable float64
	// Progress, when set, is called after each replicate with the number
	// done and B (one call at a time, in order); it cannot change the
	// result.
	Progress func(done, total int)
}

// BootResult is the bootstrap stability of each original cluster.
type BootResult struct {
	B        int           `json:"b"`
	Clusters []BootCluster `json:"clusters"`
	// Jaccard[c][b] is cluster c's best Jaccard similarity in replicate b.
	Jaccard [][]float64 `json:"jaccard"`
}

// BootCluster summarises one original cluster over the replicates.
type BootCluster struct {
	Cluster     int     `json:"cluster"`
	Size        int     `json:"size"`
	JaccardMean float64 `json:"jaccard_mean"`
	// Dissolved counts replicates with Jaccard ≤ Dissolution, Recovered
	// those with Jaccard > Recover (clusterboot's bootbrd, bootrecover).
	Dissolved int  `json:"dissolved"`
	Recovered int  `json:"recovered"`
	Unstable  bool `json:"unstable"`
}

// ClusterBoot assesses cluster stability by Hennig's (2007) nonparametric
// bootstrap, as fpc::clusterboot(x, B, bootmethod = "boot"): each replicate
// draws n observations with replacement, keeps the distinct ones, reclusters
// them with fit, and records for every original cluster C
//
//	γ_C = max over resample clusters D of |C* ∩ D| / |C* ∪ D|,
//
// C* being C restricted to the distinct drawn observations (0 when both are
// empty). A cluster with mean γ below Unstable is flagged unstable.
// Replicates run in parallel, each on its own random stream.
func ClusterBoot(cluster []int, fit BootFit, opts BootOptions) (*BootResult, error) {
	n := len(cluster)
	if n < 2 {
		return nil, errors.New("cluster: need at least 2 observations")
	}
	if fit == nil {
		return nil, errors.New("cluster: nil fit function")
	}
	codes, labels, err := recode(cluster)
	if err != nil {
		return nil, err
	}
	k := len(labels)
	B := opts.B
	if B == 0 {
		B = 100
	}
	if B < 1 {
		return nil, errors.New("cluster: B must be positive")
	}
	dis, rec, uns := opts.Dissolution, opts.Recover, opts.Unstable
	if dis == 0 {
		dis = 0.5
	}
	if rec == 0 {
		rec = 0.75
	}
	if uns == 0 {
		uns = 0.6
	}
	gamma := make([]float64, k*B)
	tick := progressTicker(opts.Progress, B)
	err = parallelFor(B, func(b int) error {
		defer tick()
		rng := rand.New(rand.NewPCG(opts.Seed, uint64(b)))
		seen := make([]bool, n)
		rows := make([]int, 0, n)
		for i := 0; i < n; i++ {
			r := rng.IntN(n)
			if !seen[r] {
				seen[r] = true
				rows = append(rows, r)
			}
		}
		bl, err := fit(rows, rng)
		if err != nil {
			return fmt.Errorf("cluster: bootstrap replicate %d: %w", b+1, err)
		}
		if len(bl) != len(rows) {
			return fmt.Errorf("cluster: bootstrap replicate %d: fit returned %d labels for %d rows", b+1, len(bl), len(rows))
		}
		bcodes, blabels, err := recode(bl)
		if err != nil {
			return fmt.Errorf("cluster: bootstrap replicate %d: %w", b+1, err)
		}
		kb := len(blabels)
		inter := make([]int, k*kb)
		sizeA := make([]int, k)
		sizeB := make([]int, kb)
		for t, r := range rows {
			inter[codes[r]*kb+bcodes[t]]++
			sizeA[codes[r]]++
			sizeB[bcodes[t]]++
		}
		for c := 0; c < k; c++ {
			best := 0.0
			for d := 0; d < kb; d++ {
				in := inter[c*kb+d]
				union := sizeA[c] + sizeB[d] - in
				if union == 0 {
					continue // zerobyzero = 0
				}
				if g := float64(in) / float64(union); g > best {
					best = g
				}
			}
			gamma[c*B+b] = best
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := &BootResult{B: B, Clusters: make([]BootCluster, k), Jaccard: make([][]float64, k)}
	for c := 0; c < k; c++ {
		g := gamma[c*B : (c+1)*B]
		res.Jaccard[c] = append([]float64(nil), g...)
		bc := BootCluster{Cluster: labels[c]}
		for _, code := range codes {
			if code == c {
				bc.Size++
			}
		}
		var s float64
		for _, v := range g {
			s += v
			if v <= dis {
				bc.Dissolved++
			}
			if v > rec {
				bc.Recovered++
			}
		}
		bc.JaccardMean = s / float64(B)
		bc.Unstable = bc.JaccardMean < uns
		res.Clusters[c] = bc
	}
	return res, nil
}

// KMeansFit returns a BootFit that runs KMeans with k clusters on the
// resampled rows of X. The restarts of each fit run serially (replicates
// are already parallel) and are seeded from the replicate's stream.
// fpc's kmeansCBI corresponds to KMeansOptions{Init: RandomInit, NStart: 1,
// MaxIter: 100}. The commands pass a fixed NStart: the Jaccard means are
// averages over B replicates, and adaptive restarts would multiply their
// cost for little change.
func KMeansFit(X *mat.Dense, k int, opts KMeansOptions) BootFit {
	return func(rows []int, rng *rand.Rand) ([]int, error) {
		_, p := X.Dims()
		Xb := mat.NewDense(len(rows), p, nil)
		for t, r := range rows {
			Xb.SetRow(t, X.RawRowView(r))
		}
		o := opts
		o.Seed = rng.Uint64()
		res, err := kmeansWorkers(Xb, k, o, 1)
		if err != nil {
			return nil, err
		}
		return res.Cluster, nil
	}
}

// PAMFit returns a BootFit that runs PAM with k clusters on the
// dissimilarities among the resampled rows (as fpc's pamkCBI with fixed k).
func PAMFit(D *mat.SymDense, k int) BootFit {
	return func(rows []int, _ *rand.Rand) ([]int, error) {
		Db := mat.NewSymDense(len(rows), nil)
		for a, ra := range rows {
			for b := a + 1; b < len(rows); b++ {
				Db.SetSym(a, b, D.At(ra, rows[b]))
			}
		}
		res, err := PAM(Db, k)
		if err != nil {
			return nil, err
		}
		return res.Clustering, nil
	}
}
