package cluster

import "math"

// hwBig is AS 136's BIG, a single-precision 1.E30 literal stored in a
// double, as in R's kmns.f.
var hwBig = float64(float32(1e30))

// hwState holds AS 136's work arrays. Cluster numbers are 0-based; point
// indices stored in live and ncp are 1-based, as in the Fortran, because
// they are compared with step counters.
type hwState struct {
	a             []float64 // m×n data, row-major
	m, n, k       int
	c             []float64 // k×n centres, row-major
	ic1, ic2      []int
	nc, ncp       []int
	itran, live   []int
	an1, an2, d   []float64
	indx, iMaxQtr int
	// cand is OPTRA's per-point list of candidate clusters; part and
	// cols are the first assignment's (partial) squared distances of a
	// group of centres and how many columns each sum covers.
	cand []int
	part []float64
	cols []int
}

// hwWork is the storage of one Hartigan–Wong run, reusable by the next
// run once the previous run's result is no longer needed (Gap keeps only
// tot_withinss and the fault code of each restart).
type hwWork struct {
	ib  []int
	fb  []float64
	s   hwState
	run kmRun
}

// hartiganWong is a port of AS 136 (Hartigan & Wong 1979) as in R's
// kmns.f: KMNS with its OPTRA and QTRAN stages. cen holds the k starting
// centres and is overwritten. ifault: 1 empty cluster (returned as error),
// 2 iter.max exceeded, 3 k out of range, 4 quick-transfer limit reached.
func hartiganWong(a []float64, m, n int, cen []float64, k, maxIter int) *kmRun {
	return hartiganWongIn(new(hwWork), a, m, n, cen, k, maxIter)
}

// hartiganWongIn is hartiganWong with its work arrays and result in w;
// the result is valid until w's next use.
func hartiganWongIn(w *hwWork, a []float64, m, n int, cen []float64, k, maxIter int) *kmRun {
	return hartiganWongSeeded(w, a, m, n, cen, k, maxIter, nil, nil)
}

// hartiganWongSeeded is hartiganWongIn given pre, the squared distances
// of the distinct rows to the starting centres (m′×k, row u to centre l
// at pre[u*k+l], as kmeansPPInto records them), and rowU, the distinct
// row of each row (nil: row i is distinct row i). The first assignment
// then reads them instead of summing its own: they are the same sums in
// the same column order ((x−c)² and (c−x)² are the same bits), so every
// decision and result is bit-identical to hartiganWongIn's, without the
// m·k distances that were about a fifth of a run's work. pre nil is
// hartiganWongIn.
func hartiganWongSeeded(w *hwWork, a []float64, m, n int, cen []float64, k, maxIter int, pre []float64, rowU []int) *kmRun {
	// The work arrays are carved from two blocks, cleared on reuse so a
	// reused run starts as a fresh one; the gap statistic runs 10⁵ runs.
	w.ib = zeroed(w.ib, 2*m+6*k)
	w.fb = zeroed(w.fb, m+4*k)
	ib, fb := w.ib, w.fb
	cut := func(n int) []int { r := ib[:n:n]; ib = ib[n:]; return r }
	cutF := func(n int) []float64 { r := fb[:n:n]; fb = fb[n:]; return r }
	s := &w.s
	*s = hwState{
		a: a, m: m, n: n, k: k, c: cen,
		ic1: cut(m), ic2: cut(m),
		nc: cut(k), ncp: cut(k),
		itran: cut(k), live: cut(k),
		an1: cutF(k), an2: cutF(k), d: cutF(m),
		iMaxQtr: min(50*m, math.MaxInt32),
		cand:    cut(k), part: cutF(k), cols: cut(k),
	}
	wss := cutF(k)
	run := &w.run
	*run = kmRun{}
	if k <= 1 || k >= m {
		run.ifault = 3
		run.err = errKRange
		return run
	}
	// For each point find its two closest centres, IC1 and IC2. The
	// distances to centres 2.. are summed four at a time (sqDist4Below);
	// AS 136 abandons a sum once it reaches DT(2), which is the same as
	// testing the full sum (partial sums of squares never decrease), so
	// the batched test below takes the same decisions.
	if pre != nil {
		for i := 0; i < m; i++ {
			u := i
			if rowU != nil {
				u = rowU[i]
			}
			du := pre[u*k : (u+1)*k]
			s.ic1[i], s.ic2[i] = 0, 1
			dt0, dt1 := du[0], du[1]
			if dt0 > dt1 {
				s.ic1[i], s.ic2[i] = 1, 0
				dt0, dt1 = dt1, dt0
			}
			for l := 2; l < k; l++ {
				db := du[l]
				if db >= dt1 {
					continue
				}
				if db >= dt0 {
					dt1 = db
					s.ic2[i] = l
				} else {
					dt1 = dt0
					s.ic2[i] = s.ic1[i]
					dt0 = db
					s.ic1[i] = l
				}
			}
		}
	}
	for i := 0; i < m && pre == nil; i++ {
		ai := a[i*n : (i+1)*n]
		s.ic1[i], s.ic2[i] = 0, 1
		var dt [2]float64
		dt[0], dt[1] = sqDist2(ai, cen[0:n], cen[n:2*n])
		if dt[0] > dt[1] {
			s.ic1[i], s.ic2[i] = 1, 0
			dt[0], dt[1] = dt[1], dt[0]
		}
		for l0 := 2; l0 < k; l0 += 4 {
			g := min(4, k-l0)
			s.batch(ai, cen, l0, g, dt[1])
			for t := 0; t < g; t++ {
				l := l0 + t
				db := s.part[t]
				if s.cols[t] < n {
					if db >= dt[1] {
						continue
					}
					db = sqDistFrom(ai, cen[l*n:(l+1)*n], db, s.cols[t])
				}
				if db >= dt[1] {
					continue
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
	}
	// Centres become the means of their points.
	clear(s.nc)
	for _, l := range s.ic1 {
		s.nc[l]++
	}
	sumRows(cen[:k*n], a, s.ic1, n)
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
		s.an1[l] = hwBig
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

	// Within-cluster sums of squares, in KMNS's loop order: column by
	// column, each point's term added to its cluster's sum in point order.
	// (KMNS divides column j of the centres just before summing column j;
	// dividing them all first gives the same centres, as the sums of
	// column j read column j only.)
	sumRows(cen[:k*n], a, s.ic1, n)
	for l := 0; l < k; l++ {
		cl := cen[l*n : (l+1)*n]
		for j := range cl {
			cl[j] /= float64(s.nc[l])
		}
	}
	ic1 := s.ic1[:m]
	for j := 0; j < n; j++ {
		// col[p] is a[i*n+j] at p = i*n, cc[ii*n] is centre ii's column j.
		col, cc := a[j:], cen[j:]
		p := 0
		for _, ii := range ic1 {
			da := col[p] - cc[ii*n]
			wss[ii] += da * da
			p += n
		}
	}
	run.cl = s.ic1
	run.centers = cen
	run.wss = wss
	run.nc = s.nc
	return run
}

// sumRows sets cen (k×n) to the sums of the rows of a (m×n) in each
// cluster, cl[i] being row i's: each centre's column is added to in row
// order, starting from +0, as KMNS does.
func sumRows(cen, a []float64, cl []int, n int) {
	clear(cen)
	for i, l := range cl {
		ai := a[i*n : (i+1)*n]
		c := cen[l*n : (l+1)*n]
		c = c[:len(ai)]
		for j, x := range ai {
			c[j] += x
		}
	}
}

// transfer moves point i (0-based) from cluster l1 to l2, updating centres,
// counts and the AN1/AN2 factors as in AS 136.
func (s *hwState) transfer(i, l1, l2 int) {
	n := s.n
	al1 := float64(s.nc[l1])
	alw := al1 - 1
	al2 := float64(s.nc[l2])
	alt := al2 + 1
	ai := s.a[i*n : (i+1)*n]
	c1, c2 := s.c[l1*n:(l1+1)*n], s.c[l2*n:(l2+1)*n]
	c1, c2 = c1[:len(ai)], c2[:len(ai)]
	for j, x := range ai {
		c1[j] = (c1[j]*al1 - x) / alw
		c2[j] = (c2[j]*al2 + x) / alt
	}
	s.nc[l1]--
	s.nc[l2]++
	s.an2[l1] = alw / al1
	s.an1[l1] = hwBig
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
func (s *hwState) optra() {
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
			c := s.c
			// Recompute D(I) only if L1 was updated in this stage.
			var r2 float64
			if s.ncp[l1] != 0 {
				d1, d2 := sqDist2(ai, c[l1*n:(l1+1)*n], c[l2*n:(l2+1)*n])
				s.d[i] = d1 * s.an1[l1]
				r2 = d2 * s.an2[l2]
			} else {
				r2 = sqDist(ai, c[l2*n:(l2+1)*n]) * s.an2[l2]
			}
			// Find the cluster with minimum R2. The candidates do not
			// depend on the outcome, so they are listed first and their
			// distances summed four at a time, each abandoned (at a block
			// boundary) only once it reaches the limit R2/AN2(L) of the
			// group's start. AS 136 accepts L iff the full sum is below
			// R2/AN2(L) for the R2 of that moment (its early exit tests
			// a partial sum, and partial sums never decrease); a sum
			// abandoned above the start limit is finished when R2 has
			// since risen by a rounding, so the decisions are AS 136's.
			nc := 0
			for l := 0; l < k; l++ {
				if (i1 >= s.live[l1] && i1 >= s.live[l]) || l == l1 || l == ll {
					continue
				}
				s.cand[nc] = l
				nc++
			}
			for g0 := 0; g0 < nc; g0 += 4 {
				ls := s.cand[g0:min(g0+4, nc)]
				g := len(ls)
				if g == 1 {
					l := ls[0]
					if dc, ok := sqDistBelow(ai, c[l*n:(l+1)*n], r2/s.an2[l]); ok {
						r2 = dc * s.an2[l]
						l2 = l
					}
					continue
				}
				// The group's four sums (padding repeats the last
				// candidate, whose repeats are ignored), each limit
				// R2/AN2(L) for the R2 of the group's start; the sums
				// and their column count stay in registers.
				var l4 [4]int
				var lim, part [4]float64
				for t := range l4 {
					l := ls[min(t, g-1)]
					l4[t] = l
					lim[t] = r2 / s.an2[l]
				}
				var done int
				part[0], part[1], part[2], part[3], done = sqDist4Below(ai,
					c[l4[0]*n:(l4[0]+1)*n], c[l4[1]*n:(l4[1]+1)*n], c[l4[2]*n:(l4[2]+1)*n], c[l4[3]*n:(l4[3]+1)*n],
					lim)
				for t, l := range ls {
					rr := r2 / s.an2[l]
					dc := part[t]
					if done < n {
						if dc >= rr {
							continue
						}
						dc = sqDistFrom(ai, c[l*n:(l+1)*n], dc, done)
					}
					if dc < rr {
						r2 = dc * s.an2[l]
						l2 = l
					}
				}
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
func (s *hwState) qtran() {
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
				// the last M steps. When L2 is tested too, both sums run
				// side by side; L2's is then not abandoned early, which
				// changes no decision (the full sum is compared).
				c := s.c
				needD := istep <= s.ncp[l1]
				test := istep < s.ncp[l1] || istep < s.ncp[l2]
				move := false
				switch {
				case needD && test:
					d1, d2 := sqDist2(ai, c[l1*n:(l1+1)*n], c[l2*n:(l2+1)*n])
					s.d[i] = d1 * s.an1[l1]
					move = d2 < s.d[i]/s.an2[l2]
				case needD:
					s.d[i] = sqDist(ai, c[l1*n:(l1+1)*n]) * s.an1[l1]
				case test:
					_, move = sqDistBelow(ai, c[l2*n:(l2+1)*n], s.d[i]/s.an2[l2])
				}
				if move {
					icoun = 0
					s.indx = 0
					s.itran[l1] = 1
					s.itran[l2] = 1
					s.ncp[l1] = istep + m
					s.ncp[l2] = istep + m
					s.transfer(i, l1, l2)
				}
			}
			if icoun == m {
				return
			}
		}
	}
}

// sqDist is the squared Euclidean distance, summed in column order as
// AS 136 does (the order matters for bit-identical results with R).
// Reslicing b to a's length lets the compiler drop the bounds checks.
func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for j, x := range a {
		d := x - b[j]
		s += d * d
	}
	return s
}

// sqDistBelow is sqDist that gives up (ok false) as soon as the partial
// sum reaches limit, as AS 136's inner loops do.
func sqDistBelow(a, b []float64, limit float64) (float64, bool) {
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

// batch sums the squared distances from ai to the g ≤ 4 consecutive
// centres l0.. into s.part, abandoning them once all reach lim (s.cols
// says how many columns each sum covers).
func (s *hwState) batch(ai, c []float64, l0, g int, lim float64) {
	n := s.n
	var ls [4]int
	for t := range ls {
		ls[t] = l0 + min(t, g-1)
	}
	s.run4(ai, c, ls, [4]float64{lim, lim, lim, lim}, g, n)
}

// run4 sums four distances (padding repeats the last centre, whose
// result is ignored) and stores the first g.
func (s *hwState) run4(ai, c []float64, ls [4]int, lim [4]float64, g, n int) {
	var sum [4]float64
	var done int
	sum[0], sum[1], sum[2], sum[3], done = sqDist4Below(ai,
		c[ls[0]*n:(ls[0]+1)*n], c[ls[1]*n:(ls[1]+1)*n], c[ls[2]*n:(ls[2]+1)*n], c[ls[3]*n:(ls[3]+1)*n],
		lim)
	for t := 0; t < g; t++ {
		s.part[t] = sum[t]
		s.cols[t] = done
	}
}

// sqDist2 is sqDist from a to b0 and to b1, the two sums interleaved so
// that their additions overlap; each is summed in column order exactly
// as sqDist does, so the results are bit-identical.
func sqDist2(a, b0, b1 []float64) (s0, s1 float64) {
	b0 = b0[:len(a)]
	b1 = b1[:len(a)]
	for j, x := range a {
		d0 := x - b0[j]
		d1 := x - b1[j]
		s0 += d0 * d0
		s1 += d1 * d1
	}
	return s0, s1
}

// sqDist4Below sums the squared distances from a to b0..b3, each in
// column order exactly as sqDist (four independent chains: one sum's
// additions wait on each other, four do not). After every block of four
// columns it stops once each partial sum has reached its limit; done is
// the number of columns summed, len(a) when the sums are complete. A
// turn of the loop is one block, written out, so the test and the loop
// counting are done once per block rather than once per column.
func sqDist4Below(a, b0, b1, b2, b3 []float64, lim [4]float64) (s0, s1, s2, s3 float64, done int) {
	n := len(a)
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	j := 0
	for ; j+4 <= n; j += 4 {
		x := a[j : j+4 : j+4]
		y0, y1, y2, y3 := b0[j:j+4:j+4], b1[j:j+4:j+4], b2[j:j+4:j+4], b3[j:j+4:j+4]
		d0, d1, d2, d3 := x[0]-y0[0], x[0]-y1[0], x[0]-y2[0], x[0]-y3[0]
		s0, s1, s2, s3 = s0+d0*d0, s1+d1*d1, s2+d2*d2, s3+d3*d3
		d0, d1, d2, d3 = x[1]-y0[1], x[1]-y1[1], x[1]-y2[1], x[1]-y3[1]
		s0, s1, s2, s3 = s0+d0*d0, s1+d1*d1, s2+d2*d2, s3+d3*d3
		d0, d1, d2, d3 = x[2]-y0[2], x[2]-y1[2], x[2]-y2[2], x[2]-y3[2]
		s0, s1, s2, s3 = s0+d0*d0, s1+d1*d1, s2+d2*d2, s3+d3*d3
		d0, d1, d2, d3 = x[3]-y0[3], x[3]-y1[3], x[3]-y2[3], x[3]-y3[3]
		s0, s1, s2, s3 = s0+d0*d0, s1+d1*d1, s2+d2*d2, s3+d3*d3
		if s0 >= lim[0] && s1 >= lim[1] && s2 >= lim[2] && s3 >= lim[3] {
			return s0, s1, s2, s3, j + 4
		}
	}
	for ; j < n; j++ {
		x := a[j]
		d0 := x - b0[j]
		d1 := x - b1[j]
		d2 := x - b2[j]
		d3 := x - b3[j]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	return s0, s1, s2, s3, n
}

// sqDistFrom continues sqDist's sum s, which covers columns 0..from−1,
// over the remaining columns: the same additions in the same order.
func sqDistFrom(a, b []float64, s float64, from int) float64 {
	b = b[:len(a)]
	for j := from; j < len(a); j++ {
		d := a[j] - b[j]
		s += d * d
	}
	return s
}

// sqDist4 is sqDist from a to each of b0..b3, the four sums interleaved.
func sqDist4(a, b0, b1, b2, b3 []float64) (s0, s1, s2, s3 float64) {
	n := len(a)
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	for j, x := range a {
		d0 := x - b0[j]
		d1 := x - b1[j]
		d2 := x - b2[j]
		d3 := x - b3[j]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	return s0, s1, s2, s3
}

// zeroed is buf resized to n zeros, reusing its storage when large enough.
func zeroed[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}
