package cluster

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// SilhouetteResult holds silhouette widths as cluster::silhouette reports
// them, in the original row order.
type SilhouetteResult struct {
	// Width is s(i) = (b(i) − a(i)) / max(a(i), b(i)), 0 for singletons.
	Width []float64 `json:"width"`
	// Cluster and Neighbor are the label of each row and of its nearest
	// other cluster (the one attaining b(i)).
	Cluster  []int `json:"cluster"`
	Neighbor []int `json:"neighbor"`
	// Labels lists the cluster labels in increasing order; ClusterAvg is
	// the mean width within each.
	Labels     []int     `json:"labels"`
	ClusterAvg []float64 `json:"cluster_avg"`
	AvgWidth   float64   `json:"avg_width"`
}

// Silhouette computes Rousseeuw's silhouette widths of a partition of the
// rows of X under Euclidean distance, as cluster::silhouette(cl, dist(X)):
//
//	a(i) = mean d(i, j) over j ≠ i in i's cluster
//	b(i) = min over other clusters C of mean d(i, j), j ∈ C
//	s(i) = (b(i) − a(i)) / max(a(i), b(i)),  s(i) = 0 if i is alone.
//
// cluster holds one positive integer label per row; there must be at least
// 2 and fewer than n distinct labels.
func Silhouette(X *mat.Dense, cluster []int) (SilhouetteResult, error) {
	if X == nil {
		return SilhouetteResult{}, errors.New("cluster: nil matrix")
	}
	// The distances are computed on the fly, in the order and arithmetic
	// of EuclideanDistances, so that memory is O(n·k) rather than the n×n
	// matrix (80 GB at n = 10^5); time stays O(n²·p). The rows are copied
	// contiguous and four distances are summed side by side, each in
	// column order, so every distance and every sum is the generic path's.
	n, p := X.Dims()
	x := make([]float64, n*p)
	for i := 0; i < n; i++ {
		copy(x[i*p:(i+1)*p], X.RawRowView(i))
	}
	pairs := func(codes []int, k int, diC []float64) error {
		for i := 0; i < n; i++ {
			xi := x[i*p : (i+1)*p]
			ci := codes[i]
			rowI := diC[k*i : k*i+k]
			j := i + 1
			for ; j+4 <= n; j += 4 {
				var s [4]float64
				s[0], s[1], s[2], s[3] = sqDist4(xi, x[j*p:(j+1)*p], x[(j+1)*p:(j+2)*p], x[(j+2)*p:(j+3)*p], x[(j+3)*p:(j+4)*p])
				for t, st := range s {
					d := math.Sqrt(st)
					// d ≥ 0, so this is NaN or +Inf, as the generic check.
					if !(d <= math.MaxFloat64) {
						return nonFinitePair(i, j+t)
					}
					rowI[codes[j+t]] += d
					diC[k*(j+t)+ci] += d
				}
			}
			for ; j < n; j++ {
				d := math.Sqrt(sqDist(xi, x[j*p:(j+1)*p]))
				if !(d <= math.MaxFloat64) {
					return nonFinitePair(i, j)
				}
				rowI[codes[j]] += d
				diC[k*j+ci] += d
			}
		}
		return nil
	}
	return silhouetteWith(n, pairs, cluster)
}

// nonFinitePair is silhouette's error for rows i and j (0-based).
func nonFinitePair(i, j int) error {
	return fmt.Errorf("cluster: non-finite dissimilarity between rows %d and %d", i+1, j+1)
}

// SilhouetteDiss is Silhouette for a precomputed dissimilarity matrix
// (e.g. Gower for PAM), as cluster::silhouette(cl, dmatrix = D).
func SilhouetteDiss(D *mat.SymDense, cluster []int) (SilhouetteResult, error) {
	if D == nil {
		return SilhouetteResult{}, errors.New("cluster: nil dissimilarity matrix")
	}
	return silhouette(D.SymmetricDim(), D.At, cluster)
}

// silhouette is cluster's sildist.c on the dissimilarities dist(i, j),
// i < j, of n observations.
func silhouette(n int, dist func(i, j int) float64, cluster []int) (SilhouetteResult, error) {
	pairs := func(codes []int, k int, diC []float64) error {
		for i := 0; i < n; i++ {
			ci := codes[i]
			for j := i + 1; j < n; j++ {
				d := dist(i, j)
				if math.IsNaN(d) || math.IsInf(d, 0) {
					return nonFinitePair(i, j)
				}
				diC[k*i+codes[j]] += d
				diC[k*j+ci] += d
			}
		}
		return nil
	}
	return silhouetteWith(n, pairs, cluster)
}

// silhouetteWith is sildist.c with its pair loop given: pairs adds each
// dissimilarity d(i, j), i < j in row-major order, to diC[k·i + code(j)]
// and diC[k·j + code(i)].
func silhouetteWith(n int, pairs func(codes []int, k int, diC []float64) error, cluster []int) (SilhouetteResult, error) {
	if len(cluster) != n {
		return SilhouetteResult{}, fmt.Errorf("cluster: %d labels for %d observations", len(cluster), n)
	}
	codes, labels, err := recode(cluster)
	if err != nil {
		return SilhouetteResult{}, err
	}
	k := len(labels)
	if k < 2 || k >= n {
		return SilhouetteResult{}, fmt.Errorf("cluster: silhouette needs 2 <= clusters < n, got %d clusters for n = %d", k, n)
	}
	// Port of cluster's sildist.c.
	diC := make([]float64, n*k)
	counts := make([]int, k)
	for i := 0; i < n; i++ {
		counts[codes[i]]++
	}
	if err := pairs(codes, k, diC); err != nil {
		return SilhouetteResult{}, err
	}
	res := SilhouetteResult{
		Width: make([]float64, n), Cluster: append([]int(nil), cluster...),
		Neighbor: make([]int, n), Labels: labels, ClusterAvg: make([]float64, k),
	}
	for i := 0; i < n; i++ {
		ki := k * i
		ci := codes[i]
		computeSi := true
		for j := 0; j < k; j++ {
			if j == ci {
				if counts[j] == 1 {
					computeSi = false
				} else {
					diC[ki+j] /= float64(counts[j] - 1)
				}
			} else {
				diC[ki+j] /= float64(counts[j])
			}
		}
		ai := diC[ki+ci]
		var bi float64
		nb := 0
		if ci == 0 {
			bi, nb = diC[ki+1], 1
		} else {
			bi, nb = diC[ki], 0
		}
		for j := 1; j < k; j++ {
			if j != ci && bi > diC[ki+j] {
				bi, nb = diC[ki+j], j
			}
		}
		if computeSi && bi != ai {
			res.Width[i] = (bi - ai) / math.Max(ai, bi)
		}
		res.Neighbor[i] = labels[nb]
	}
	var tot float64
	for i, w := range res.Width {
		res.ClusterAvg[codes[i]] += w
		tot += w
	}
	for c := range res.ClusterAvg {
		res.ClusterAvg[c] /= float64(counts[c])
	}
	res.AvgWidth = tot / float64(n)
	return res, nil
}

// recode maps positive labels to 0..k−1 in increasing label order.
func recode(cluster []int) (codes, labels []int, err error) {
	seen := map[int]bool{}
	for i, c := range cluster {
		if c < 1 {
			return nil, nil, fmt.Errorf("cluster: label %d of row %d is not a positive integer", c, i+1)
		}
		if !seen[c] {
			seen[c] = true
			labels = append(labels, c)
		}
	}
	sort.Ints(labels)
	idx := make(map[int]int, len(labels))
	for i, l := range labels {
		idx[l] = i
	}
	codes = make([]int, len(cluster))
	for i, c := range cluster {
		codes[i] = idx[c]
	}
	return codes, labels, nil
}

// CalinskiHarabasz is the Calinski–Harabasz (1974) variance-ratio criterion
// of a partition of the rows of X, as fpc::calinhara:
//
//	CH = (B / (k − 1)) / (W / (n − k)),
//
// with W the total within-cluster and B = T − W the between-cluster sum of
// squares. Labels must be positive; k is the number of distinct labels.
func CalinskiHarabasz(X *mat.Dense, cluster []int) (float64, error) {
	if X == nil {
		return 0, errors.New("cluster: nil matrix")
	}
	n, p := X.Dims()
	if len(cluster) != n {
		return 0, fmt.Errorf("cluster: %d labels for %d rows", len(cluster), n)
	}
	codes, labels, err := recode(cluster)
	if err != nil {
		return 0, err
	}
	k := len(labels)
	if k < 2 || k >= n {
		return 0, fmt.Errorf("cluster: Calinski-Harabasz needs 2 <= clusters < n, got %d for n = %d", k, n)
	}
	x := mat.DenseCopyOf(X).RawMatrix().Data
	size := make([]int, k)
	mean := make([]float64, k*p)
	for i, c := range codes {
		size[c]++
		for j := 0; j < p; j++ {
			mean[c*p+j] += x[i*p+j]
		}
	}
	for c := 0; c < k; c++ {
		for j := 0; j < p; j++ {
			mean[c*p+j] /= float64(size[c])
		}
	}
	var w float64
	for i, c := range codes {
		for j := 0; j < p; j++ {
			d := x[i*p+j] - mean[c*p+j]
			w += d * d
		}
	}
	t := totalSS(x, n, p)
	if !(w > 0) {
		return 0, errors.New("cluster: within-cluster sum of squares is zero; Calinski-Harabasz is undefined")
	}
	return ((t - w) / float64(k-1)) / (w / float64(n-k)), nil
}
