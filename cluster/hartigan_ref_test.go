package cluster

// This file keeps the straightforward port of AS 136 that hartigan.go had
// before its distance loops were batched (hartiganWongRef, and the
// kmeans++ seeding as kmeansPPCentersRef). hw_exact_test.go runs both on
// many inputs and requires bit-identical results: the optimisations in
// hartigan.go are only allowed to reorder independent work, never an
// addition within one sum.

import (
	"math"
	"math/rand/v2"
)

// hwBigRef is AS 136's BIG, a single-precision 1.E30 literal stored in a
// double, as in R's kmns.f.
var hwBigRef = float64(float32(1e30))

// hwStateRef holds AS 136's work arrays. Cluster numbers are 0-based; point
// indices stored in live and ncp are 1-based, as in the Fortran, because
// they are compared with step counters.
type hwStateRef struct {
	a             []float64 // m×n data, row-major
	m, n, k       int
	c             []float64 // k×n centres, row-major
	ic1, ic2      []int
	nc, ncp       []int
	itran, live   []int
	an1, an2, d   []float64
	indx, iMaxQtr int
}

// hartiganWongRef is a port of AS 136 (Hartigan & Wong 1979) as in R's
// kmns.f: KMNS with its OPTRA and QTRAN stages. cen holds the k starting
// centres and is overwritten. ifault: 1 empty cluster (returned as error),
// 2 iter.max exceeded, 3 k out of range, 4 quick-transfer limit reached.
func hartiganWongRef(a []float64, m, n int, cen []float64, k, maxIter int) *kmRun {
	s := &hwStateRef{
		a: a, m: m, n: n, k: k, c: cen,
		ic1: make([]int, m), ic2: make([]int, m),
		nc: make([]int, k), ncp: make([]int, k),
		itran: make([]int, k), live: make([]int, k),
		an1: make([]float64, k), an2: make([]float64, k), d: make([]float64, m),
		iMaxQtr: min(50*m, math.MaxInt32),
	}
	run := &kmRun{}
	if k <= 1 || k >= m {
		run.ifault = 3
		run.err = errKRange
		return run
	}
	// For each point find its two closest centres, IC1 and IC2.
	for i := 0; i < m; i++ {
		ai := a[i*n : (i+1)*n]
		s.ic1[i], s.ic2[i] = 0, 1
		var dt [2]float64
		for il := 0; il < 2; il++ {
			for j := 0; j < n; j++ {
				da := ai[j] - cen[il*n+j]
				dt[il] += da * da
			}
		}
		if dt[0] > dt[1] {
			s.ic1[i], s.ic2[i] = 1, 0
			dt[0], dt[1] = dt[1], dt[0]
		}
	nextL:
		for l := 2; l < k; l++ {
			var db float64
			for j := 0; j < n; j++ {
				dc := ai[j] - cen[l*n+j]
				db += dc * dc
				if db >= dt[1] {
					continue nextL
				}
			}
			if db >= dt[0] {
				dt[1] = db
				s.ic2[i] = l
			} else {
				dt[1] = dt[0]
				s.ic2[i] = s.ic1[i]
				dt[0] = db
				s.ic1[i] = l
			}
		}
	}
	// Centres become the means of their points.
	for l := 0; l < k; l++ {
		s.nc[l] = 0
		for j := 0; j < n; j++ {
			cen[l*n+j] = 0
		}
	}
	for i := 0; i < m; i++ {
		l := s.ic1[i]
		s.nc[l]++
		for j := 0; j < n; j++ {
			cen[l*n+j] += a[i*n+j]
		}
	}
	for l := 0; l < k; l++ {
		if s.nc[l] == 0 {
			run.ifault = 1
			run.err = errEmptyCluster
			return run
		}
		aa := float64(s.nc[l])
		for j := 0; j < n; j++ {
			cen[l*n+j] /= aa
		}
		s.an2[l] = aa / (aa + 1)
		s.an1[l] = hwBigRef
		if aa > 1 {
			s.an1[l] = aa / (aa - 1)
		}
		s.itran[l] = 1
		s.ncp[l] = -1
	}

	s.indx = 0
	ifault := 2
	ij := 1
	for ; ij <= maxIter; ij++ {
		s.optra()
		// Stop if no transfer took place in the last M optimal transfer steps.
		if s.indx == m {
			ifault = 0
			break
		}
		s.qtran()
		if s.iMaxQtr < 0 {
			ifault = 4
			break
		}
		// With two clusters there is no need to re-enter OPTRA.
		if k == 2 {
			ifault = 0
			break
		}
		for l := 0; l < k; l++ {
			s.ncp[l] = 0
		}
	}
	run.iter = ij
	run.ifault = ifault

	// Within-cluster sums of squares, in KMNS's loop order.
	wss := make([]float64, k)
	for l := 0; l < k; l++ {
		for j := 0; j < n; j++ {
			cen[l*n+j] = 0
		}
	}
	for i := 0; i < m; i++ {
		ii := s.ic1[i]
		for j := 0; j < n; j++ {
			cen[ii*n+j] += a[i*n+j]
		}
	}
	for j := 0; j < n; j++ {
		for l := 0; l < k; l++ {
			cen[l*n+j] /= float64(s.nc[l])
		}
		for i := 0; i < m; i++ {
			ii := s.ic1[i]
			da := a[i*n+j] - cen[ii*n+j]
			wss[ii] += da * da
		}
	}
	run.cl = s.ic1
	run.centers = cen
	run.wss = wss
	run.nc = s.nc
	return run
}

// transfer moves point i (0-based) from cluster l1 to l2, updating centres,
// counts and the AN1/AN2 factors as in AS 136.
func (s *hwStateRef) transfer(i, l1, l2 int) {
	n := s.n
	al1 := float64(s.nc[l1])
	alw := al1 - 1
	al2 := float64(s.nc[l2])
	alt := al2 + 1
	for j := 0; j < n; j++ {
		s.c[l1*n+j] = (s.c[l1*n+j]*al1 - s.a[i*n+j]) / alw
		s.c[l2*n+j] = (s.c[l2*n+j]*al2 + s.a[i*n+j]) / alt
	}
	s.nc[l1]--
	s.nc[l2]++
	s.an2[l1] = alw / al1
	s.an1[l1] = hwBigRef
	if alw > 1 {
		s.an1[l1] = alw / (alw - 1)
	}
	s.an1[l2] = alt / al2
	s.an2[l2] = alt / (alt + 1)
	s.ic1[i] = l2
	s.ic2[i] = l1
}

// optra is AS 136.1, the optimal-transfer stage: one pass through the data
// moving each point to the cluster that most reduces the within SS.
func (s *hwStateRef) optra() {
	m, n, k := s.m, s.n, s.k
	// A cluster updated in the last quick-transfer stage stays live
	// throughout this stage.
	for l := 0; l < k; l++ {
		if s.itran[l] == 1 {
			s.live[l] = m + 1
		}
	}
	for i1 := 1; i1 <= m; i1++ { // i1: 1-based point index
		i := i1 - 1
		ai := s.a[i*n : (i+1)*n]
		s.indx++
		l1 := s.ic1[i]
		l2 := s.ic2[i]
		ll := l2
		// A point that is the only member of its cluster is not moved.
		if s.nc[l1] != 1 {
			// Recompute D(I) only if L1 was updated in this stage.
			if s.ncp[l1] != 0 {
				s.d[i] = sqDistRef(ai, s.c[l1*n:(l1+1)*n]) * s.an1[l1]
			}
			// Find the cluster with minimum R2.
			r2 := sqDistRef(ai, s.c[l2*n:(l2+1)*n]) * s.an2[l2]
		nextL:
			for l := 0; l < k; l++ {
				if (i1 >= s.live[l1] && i1 >= s.live[l]) || l == l1 || l == ll {
					continue
				}
				rr := r2 / s.an2[l]
				dc, ok := sqDistBelowRef(ai, s.c[l*n:(l+1)*n], rr)
				if !ok {
					continue nextL
				}
				r2 = dc * s.an2[l]
				l2 = l
			}
			if r2 >= s.d[i] {
				// No transfer: L2 is the new IC2(I).
				s.ic2[i] = l2
			} else {
				s.indx = 0
				s.live[l1] = m + i1
				s.live[l2] = m + i1
				s.ncp[l1] = i1
				s.ncp[l2] = i1
				s.transfer(i, l1, l2)
			}
		}
		if s.indx == m {
			return
		}
	}
	for l := 0; l < k; l++ {
		s.itran[l] = 0
		s.live[l] -= m
	}
}

// qtran is AS 136.2, the quick-transfer stage: each point is tested for a
// move to its second-closest cluster until m steps pass without a move.
func (s *hwStateRef) qtran() {
	m, n := s.m, s.n
	icoun, istep := 0, 0
	for {
		for i1 := 1; i1 <= m; i1++ {
			i := i1 - 1
			ai := s.a[i*n : (i+1)*n]
			icoun++
			istep++
			if istep >= s.iMaxQtr {
				s.iMaxQtr = -1
				return
			}
			l1 := s.ic1[i]
			l2 := s.ic2[i]
			if s.nc[l1] != 1 {
				// Recompute the distance to L1 only if L1 changed within
				// the last M steps.
				if istep <= s.ncp[l1] {
					s.d[i] = sqDistRef(ai, s.c[l1*n:(l1+1)*n]) * s.an1[l1]
				}
				if istep < s.ncp[l1] || istep < s.ncp[l2] {
					r2 := s.d[i] / s.an2[l2]
					if _, move := sqDistBelowRef(ai, s.c[l2*n:(l2+1)*n], r2); move {
						icoun = 0
						s.indx = 0
						s.itran[l1] = 1
						s.itran[l2] = 1
						s.ncp[l1] = istep + m
						s.ncp[l2] = istep + m
						s.transfer(i, l1, l2)
					}
				}
			}
			if icoun == m {
				return
			}
		}
	}
}

// sqDistRef is the squared Euclidean distance, summed in column order as
// AS 136 does (the order matters for bit-identical results with R).
// Reslicing b to a's length lets the compiler drop the bounds checks.
func sqDistRef(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for j, x := range a {
		d := x - b[j]
		s += d * d
	}
	return s
}

// sqDistBelowRef is sqDistRef that gives up (ok false) as soon as the partial
// sum reaches limit, as AS 136's inner loops do.
func sqDistBelowRef(a, b []float64, limit float64) (float64, bool) {
	b = b[:len(a)]
	var s float64
	for j, x := range a {
		d := x - b[j]
		s += d * d
		if s >= limit {
			return s, false
		}
	}
	return s, true
}
func kmeansPPCentersRef(x []float64, p int, uniq []int, k int, rng *rand.Rand) []float64 {
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
