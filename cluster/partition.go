package cluster

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Relabel renumbers a partition's clusters 1..k by decreasing size, ties
// broken by the cluster holding the earliest row: the numbering KMeans
// returns, so that partitions of other methods (PAM numbers clusters by
// their first observation, as R does) read the same way. cl holds labels
// 1..k.
func Relabel(cl []int, k int) []int {
	zero := make([]int, len(cl))
	size := make([]int, k)
	for i, c := range cl {
		zero[i] = c - 1
		size[c-1]++
	}
	newLab := sizeOrder(zero, size, k)
	out := make([]int, len(cl))
	for i, c := range zero {
		out[i] = newLab[c] + 1
	}
	return out
}

// sizeOrder maps each 0-based cluster of cl (of sizes size) to its new
// 0-based label: by decreasing size, ties by the earliest row.
func sizeOrder(cl, size []int, k int) []int {
	first := make([]int, k)
	for l := range first {
		first[l] = len(cl)
	}
	for i := len(cl) - 1; i >= 0; i-- {
		first[cl[i]] = i
	}
	order := make([]int, k)
	for l := range order {
		order[l] = l
	}
	sort.SliceStable(order, func(a, b int) bool {
		la, lb := order[a], order[b]
		if size[la] != size[lb] {
			return size[la] > size[lb]
		}
		return first[la] < first[lb]
	})
	newLab := make([]int, k)
	for nl, ol := range order {
		newLab[ol] = nl
	}
	return newLab
}

// Spread is the sum-of-squares decomposition of a partition, as R's
// kmeans reports it: the cluster means, withinss_c = Σ_{i∈C_c} ‖x_i − c_c‖²,
// tot.withinss = Σ_c withinss_c, totss = Σ_ij (x_ij − mean_j)² and
// betweenss = totss − tot.withinss.
type Spread struct {
	Centers     [][]float64 `json:"centers"`
	Withinss    []float64   `json:"withinss"`
	TotWithinss float64     `json:"tot_withinss"`
	Totss       float64     `json:"totss"`
	Betweenss   float64     `json:"betweenss"`
}

// WithinSS decomposes the sums of squares of the rows of X partitioned by
// cl (labels 1..k, every cluster non-empty), for a partition found by any
// method (PAM's medoids are not its means).
func WithinSS(X *mat.Dense, cl []int, k int) (*Spread, error) {
	n, p := X.Dims()
	if len(cl) != n {
		return nil, fmt.Errorf("cluster: %d labels for %d rows", len(cl), n)
	}
	s := &Spread{Centers: make([][]float64, k), Withinss: make([]float64, k)}
	size := make([]int, k)
	for c := range s.Centers {
		s.Centers[c] = make([]float64, p)
	}
	for i := 0; i < n; i++ {
		c := cl[i] - 1
		if c < 0 || c >= k {
			return nil, fmt.Errorf("cluster: label %d of row %d is not in 1..%d", cl[i], i+1, k)
		}
		size[c]++
		for j := 0; j < p; j++ {
			s.Centers[c][j] += X.At(i, j)
		}
	}
	for c := range s.Centers {
		if size[c] == 0 {
			return nil, fmt.Errorf("cluster: cluster %d is empty", c+1)
		}
		for j := range s.Centers[c] {
			s.Centers[c][j] /= float64(size[c])
		}
	}
	for i := 0; i < n; i++ {
		c := cl[i] - 1
		for j := 0; j < p; j++ {
			d := X.At(i, j) - s.Centers[c][j]
			s.Withinss[c] += d * d
		}
	}
	for _, w := range s.Withinss {
		s.TotWithinss += w
	}
	s.Totss = TotalSS(X)
	s.Betweenss = s.Totss - s.TotWithinss
	return s, nil
}

// TotalSS is Σ_ij (x_ij − mean_j)², R's sum(scale(x, scale = FALSE)^2).
func TotalSS(X *mat.Dense) float64 {
	n, p := X.Dims()
	return totalSS(mat.DenseCopyOf(X).RawMatrix().Data, n, p)
}

// totalSS is TotalSS on row-major data.
func totalSS(x []float64, n, p int) float64 {
	var tot float64
	for j := 0; j < p; j++ {
		var m float64
		for i := 0; i < n; i++ {
			m += x[i*p+j]
		}
		m /= float64(n)
		for i := 0; i < n; i++ {
			d := x[i*p+j] - m
			tot += d * d
		}
	}
	return tot
}

// DistinctRows counts the distinct rows of X (nrow(unique(x)) in R; −0
// and +0 are the same point). k-means and the gap statistic need k below
// it.
func DistinctRows(X *mat.Dense) int {
	n, p := X.Dims()
	return len(uniqueRows(mat.DenseCopyOf(X).RawMatrix().Data, n, p))
}

// EuclideanDistances is R's dist(X): d(i, l) = sqrt(Σ_j (x_ij − x_lj)²).
// A non-finite distance is an error.
func EuclideanDistances(X *mat.Dense) (*mat.SymDense, error) {
	n, p := X.Dims()
	D := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		xi := X.RawRowView(i)
		for l := i + 1; l < n; l++ {
			xl := X.RawRowView(l)
			var s float64
			for j := 0; j < p; j++ {
				d := xi[j] - xl[j]
				s += d * d
			}
			if math.IsNaN(s) || math.IsInf(s, 0) {
				return nil, fmt.Errorf("cluster: non-finite distance between rows %d and %d", i+1, l+1)
			}
			D.SetSym(i, l, math.Sqrt(s))
		}
	}
	return D, nil
}
