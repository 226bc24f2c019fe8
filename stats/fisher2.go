package stats

import (
	"math"
	"slices"
)

// Exact Fisher p-value of a table with two rows or two columns (2×c, r×2):
// the common cluster × case-status shape. The long dimension's L "lines"
// (totals t_k) are the stages of a network; a node at stage k is the number
// s of the first short category among lines 0..k−1, so there are at most
// m + 1 nodes a stage. A table's probability is exp(K + Σ_k h_k(x_k)) with
// h_k(x) = −log x! − log (t_k − x)! and K = log m! + log (n − m)! +
// Σ log t_k! − log n!.
//
// The network is searched from both ends. Forward, each node keeps the
// values v of its partial tables ("pasts", equal values merged with their
// path counts); backward, each node keeps the values g of its completions
// ("futures"). Exact bounds make most of both lists unnecessary:
//   - a past with v + maxFuture ≤ T counts with all its completions, whose
//     total probability is closed form (Vandermonde); one with
//     v + minFuture > T counts with none; only the band between is kept;
//   - likewise a future with g + maxPast ≤ T counts with every past (it is
//     folded into the node's "always" weight) and one with g + minPast > T
//     with none.
// The max and min over completions (or pasts) are found exactly by dynamic
// programming over the stages, so nothing is lost to loose bounds. Lists are
// kept sorted, so the summed and dropped parts of an edge are a prefix and a
// suffix found by binary search and summed through prefix sums, and only the
// band is copied. The side whose next step is cheaper advances; when both
// reach the same stage each past is matched with the futures of its node by
// a merge of the two sorted lists. Every table is counted exactly once: a
// past decided forward never reaches the meeting, and a future decided
// "always" is added only to the pasts that do.

// fisherMergeTol merges partial values that agree to this absolute amount:
// they are the same sum of log factorials in another order (equal line
// totals), and far below the tie tolerance fexactTol.
const fisherMergeTol = 1e-9

// entry is a partial value with its number of paths.
type entry struct{ v, w float64 }

// vlist is a node's list of partial values, ascending, with
// c[i] = Σ_{l≤i} w_l·exp(v_l − top), top the largest v.
type vlist struct {
	e   []entry
	c   []float64
	top float64
}

func (l *vlist) len() int { return len(l.e) }

// countLE returns the number of entries with v ≤ lim.
func (l *vlist) countLE(lim float64) int {
	lo, hi := 0, len(l.e)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if l.e[mid].v <= lim {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// prefixLog returns log Σ_{l<i} w_l·exp(v_l), or −Inf for i = 0.
func (l *vlist) prefixLog(i int) float64 {
	if i == 0 {
		return math.Inf(-1)
	}
	return l.top + math.Log(l.c[i-1])
}

type twoLines struct {
	t        []int // line totals, in stage order
	m, n     int   // first short total and grand total
	lf       []float64
	thresh   float64 // T: log value at or below which a table counts
	k        float64 // K above
	pre, suf []int   // Σ t_j over j < k and j ≥ k
	preLF    []float64
	sufLF    []float64
	sLo, sHi []int       // feasible s at stage k = 0..L
	sh, sl   [][]float64 // max/min Σ_{j≥k} h_j over completions, index s−sLo[k]
	ph, pl   [][]float64 // max/min Σ_{j<k} h_j over pasts
	work     int
	maxWork  int
	pval     neumaier
}

// neumaier is compensated summation, so that millions of small terms keep
// full precision.
type neumaier struct{ s, c float64 }

func (a *neumaier) add(x float64) {
	t := a.s + x
	if math.Abs(a.s) >= math.Abs(x) {
		a.c += (a.s - t) + x
	} else {
		a.c += (x - t) + a.s
	}
	a.s = t
}

func (a *neumaier) sum() float64 { return a.s + a.c }

func (q *twoLines) h(k, x int) float64 { return -q.lf[x] - q.lf[q.t[k]-x] }

// logFuture is log Σ exp(Σ_{j≥k} h_j) over all completions from node (k, s).
func (q *twoLines) logFuture(k, s int) float64 {
	r, mm := q.suf[k], q.m-s
	return q.lf[r] - q.lf[mm] - q.lf[r-mm] - q.sufLF[k]
}

// fisherTwoLines returns the exact p-value for line totals t, observed
// first-category counts x (Σ x = m) and grand total n, or ok = false when
// the work would exceed maxWork.
func fisherTwoLines(t, x []int, n int, lf []float64, maxWork int) (p float64, work int, ok bool) {
	// Lines in decreasing size, for a deterministic order; the order matters
	// little (within a factor 1.5 on the reference tables) since the
	// schedule below advances whichever end is cheaper.
	order := make([]int, len(t))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return t[b] - t[a] })
	q := &twoLines{n: n, lf: lf, maxWork: maxWork}
	L := len(t)
	q.t = make([]int, L)
	var obs float64
	for i, o := range order {
		q.t[i] = t[o]
		q.m += x[o]
		obs += -lf[x[o]] - lf[t[o]-x[o]]
	}
	q.thresh = obs + fexactTol
	q.k = lf[q.m] + lf[n-q.m] - lf[n]
	for _, v := range q.t {
		q.k += lf[v]
	}
	q.pre = make([]int, L+1)
	q.suf = make([]int, L+1)
	q.preLF = make([]float64, L+1)
	q.sufLF = make([]float64, L+1)
	for i := range L {
		q.pre[i+1] = q.pre[i] + q.t[i]
		q.preLF[i+1] = q.preLF[i] + lf[q.t[i]]
	}
	for i := L - 1; i >= 0; i-- {
		q.suf[i] = q.suf[i+1] + q.t[i]
		q.sufLF[i] = q.sufLF[i+1] + lf[q.t[i]]
	}
	q.sLo = make([]int, L+1)
	q.sHi = make([]int, L+1)
	for k := 0; k <= L; k++ {
		q.sLo[k] = max(0, q.m-q.suf[k], q.pre[k]-(n-q.m))
		q.sHi[k] = min(q.m, q.pre[k])
	}
	// The bounds cost (nodes × edges) a stage, cheap operations charged at
	// a sixteenth of a step; a long table with few lines (large n) can
	// exceed the bound here already.
	for k := range L {
		q.work += (q.sHi[k] - q.sLo[k] + 1) * (q.t[k] + 1) / 16
	}
	if q.work > maxWork {
		return 0, q.work, false
	}
	q.bounds()
	if q.sh[0][0] <= q.thresh {
		return 1, q.work, true // even the most probable table counts
	}

	fwd := make([]vlist, q.sHi[0]-q.sLo[0]+1)
	fwd[0] = newVlist([]entry{{0, 1}})
	bwd := make([]vlist, q.sHi[L]-q.sLo[L]+1)
	bwd[0] = newVlist([]entry{{0, 1}})
	always := make([]float64, len(bwd)) // fraction of logFuture(kb, s) that always counts
	kf, kb := 0, L
	var scratch mergeBuf
	for kf < kb {
		fcost := listsLen(fwd) * (q.t[kf] + 1)
		bcost := listsLen(bwd) * (q.t[kb-1] + 1)
		if fcost <= bcost {
			if fwd, ok = q.forward(kf, fwd, &scratch); !ok {
				return 0, q.work, false
			}
			kf++
		} else {
			if bwd, always, ok = q.backward(kb, bwd, always, &scratch); !ok {
				return 0, q.work, false
			}
			kb--
		}
	}
	q.meet(kf, fwd, bwd, always)
	return math.Min(1, q.pval.sum()), q.work, true
}

func listsLen(ls []vlist) int {
	n := 0
	for i := range ls {
		n += ls[i].len()
	}
	return n
}

// bounds fills sh/sl (completions) and ph/pl (pasts) by dynamic programming.
func (q *twoLines) bounds() {
	L := len(q.t)
	q.sh, q.sl = make([][]float64, L+1), make([][]float64, L+1)
	q.ph, q.pl = make([][]float64, L+1), make([][]float64, L+1)
	for k := range L + 1 {
		w := q.sHi[k] - q.sLo[k] + 1
		q.sh[k], q.sl[k] = make([]float64, w), make([]float64, w)
		q.ph[k], q.pl[k] = make([]float64, w), make([]float64, w)
	}
	// s at stage L is m only; at stage 0 it is 0 only.
	for k := L - 1; k >= 0; k-- {
		for s := q.sLo[k]; s <= q.sHi[k]; s++ {
			hi, lo := math.Inf(-1), math.Inf(1)
			for x := max(0, q.sLo[k+1]-s); x <= min(q.t[k], q.sHi[k+1]-s); x++ {
				v := q.h(k, x)
				i := s + x - q.sLo[k+1]
				hi = math.Max(hi, v+q.sh[k+1][i])
				lo = math.Min(lo, v+q.sl[k+1][i])
			}
			q.sh[k][s-q.sLo[k]], q.sl[k][s-q.sLo[k]] = hi, lo
		}
	}
	for k := 1; k <= L; k++ {
		for s := q.sLo[k]; s <= q.sHi[k]; s++ {
			hi, lo := math.Inf(-1), math.Inf(1)
			for x := max(0, s-q.sHi[k-1]); x <= min(q.t[k-1], s-q.sLo[k-1]); x++ {
				v := q.h(k-1, x)
				i := s - x - q.sLo[k-1]
				hi = math.Max(hi, v+q.ph[k-1][i])
				lo = math.Min(lo, v+q.pl[k-1][i])
			}
			q.ph[k][s-q.sLo[k]], q.pl[k][s-q.sLo[k]] = hi, lo
		}
	}
}

// forward advances the pasts from stage k to k+1.
func (q *twoLines) forward(k int, cur []vlist, buf *mergeBuf) ([]vlist, bool) {
	next := make([]vlist, q.sHi[k+1]-q.sLo[k+1]+1)
	for s2 := q.sLo[k+1]; s2 <= q.sHi[k+1]; s2++ {
		i2 := s2 - q.sLo[k+1]
		hiF, loF := q.sh[k+1][i2], q.sl[k+1][i2]
		lfut := q.logFuture(k+1, s2)
		buf.reset()
		for x := max(0, s2-q.sHi[k]); x <= min(q.t[k], s2-q.sLo[k]); x++ {
			src := &cur[s2-x-q.sLo[k]]
			if src.len() == 0 {
				continue
			}
			hx := q.h(k, x)
			q.work++
			// v + hx + maxFuture ≤ T: every completion counts.
			ia := src.countLE(q.thresh - hx - hiF)
			if ia > 0 {
				q.pval.add(math.Exp(q.k + src.prefixLog(ia) + hx + lfut))
			}
			// v + hx + minFuture > T: none does.
			ib := src.countLE(q.thresh - hx - loF)
			if ib > ia {
				buf.addRun(src.e[ia:ib], hx, 1)
			}
		}
		q.work += buf.n()
		if q.work > q.maxWork {
			return nil, false
		}
		next[i2] = buf.merged()
	}
	return next, true
}

// backward advances the futures from stage k to k−1. always[s] is the
// fraction of exp(logFuture(k, s)) that counts with any past.
func (q *twoLines) backward(k int, cur []vlist, always []float64, buf *mergeBuf) ([]vlist, []float64, bool) {
	next := make([]vlist, q.sHi[k-1]-q.sLo[k-1]+1)
	nextAlways := make([]float64, len(next))
	for s := q.sLo[k-1]; s <= q.sHi[k-1]; s++ {
		i := s - q.sLo[k-1]
		hiP, loP := q.ph[k-1][i], q.pl[k-1][i]
		lfut := q.logFuture(k-1, s)
		var a float64
		buf.reset()
		for x := max(0, q.sLo[k]-s); x <= min(q.t[k-1], q.sHi[k]-s); x++ {
			j := s + x - q.sLo[k]
			hx := q.h(k-1, x)
			q.work++
			if always[j] > 0 {
				a += always[j] * math.Exp(hx+q.logFuture(k, s+x)-lfut)
			}
			src := &cur[j]
			if src.len() == 0 {
				continue
			}
			ia := src.countLE(q.thresh - hx - hiP)
			if ia > 0 {
				a += math.Exp(src.prefixLog(ia) + hx - lfut)
			}
			ib := src.countLE(q.thresh - hx - loP)
			if ib > ia {
				buf.addRun(src.e[ia:ib], hx, 1)
			}
		}
		q.work += buf.n()
		if q.work > q.maxWork {
			return nil, nil, false
		}
		next[i] = buf.merged()
		nextAlways[i] = a
	}
	return next, nextAlways, true
}

// meet adds, for every past at stage k, the completions that count with it.
func (q *twoLines) meet(k int, fwd, bwd []vlist, always []float64) {
	for s := q.sLo[k]; s <= q.sHi[k]; s++ {
		i := s - q.sLo[k]
		f, b := &fwd[i], &bwd[i]
		if f.len() == 0 || (b.len() == 0 && always[i] == 0) {
			continue
		}
		lfut := q.logFuture(k, s)
		var bScale float64
		if b.len() > 0 {
			bScale = math.Exp(b.top - lfut)
		}
		// Ascending v: the limit T − v falls, so the count of futures
		// at or below it only shrinks.
		j := b.len()
		for _, x := range f.e {
			for j > 0 && b.e[j-1].v > q.thresh-x.v {
				j--
			}
			frac := always[i]
			if j > 0 {
				frac += b.c[j-1] * bScale
			}
			if frac > 0 {
				q.pval.add(x.w * math.Exp(q.k+x.v+lfut) * frac)
			}
		}
		q.work += f.len() + b.len()
	}
}

func newVlist(e []entry) vlist {
	l := vlist{e: e, c: make([]float64, len(e))}
	l.top = e[len(e)-1].v
	var acc float64
	for i, x := range e {
		acc += x.w * math.Exp(x.v-l.top)
		l.c[i] = acc
	}
	return l
}

// mergeBuf collects sorted runs (each shifted by a constant) and merges them
// into one sorted list with equal values combined.
type mergeBuf struct {
	a, b   []entry
	starts []int
}

func (b *mergeBuf) reset() {
	b.a, b.starts = b.a[:0], b.starts[:0]
}

func (b *mergeBuf) n() int { return len(b.a) }

// addRun appends the sorted run e with every value shifted by shift and
// every path count multiplied by mult.
func (b *mergeBuf) addRun(e []entry, shift, mult float64) {
	b.starts = append(b.starts, len(b.a))
	for _, x := range e {
		b.a = append(b.a, entry{x.v + shift, x.w * mult})
	}
}

// merged merges the runs pairwise (log₂ of their number passes), combines
// values within fisherMergeTol, and returns a fresh list.
func (b *mergeBuf) merged() vlist {
	n := len(b.a)
	if n == 0 {
		return vlist{}
	}
	starts := append(b.starts, n)
	if cap(b.b) < n {
		b.b = make([]entry, n, 2*n)
	}
	for len(starts) > 2 {
		src, dst := b.a[:n], b.b[:n]
		w := 0
		ns := starts[:0:0]
		for r := 0; r+1 < len(starts); r += 2 {
			ns = append(ns, w)
			lo, mid := starts[r], starts[r+1]
			hi := mid
			if r+2 < len(starts) {
				hi = starts[r+2]
			}
			i, j := lo, mid
			for i < mid && j < hi {
				if src[i].v <= src[j].v {
					dst[w] = src[i]
					i++
				} else {
					dst[w] = src[j]
					j++
				}
				w++
			}
			w += copy(dst[w:], src[i:mid])
			w += copy(dst[w:], src[j:hi])
		}
		starts = append(ns, n)
		b.a, b.b = b.b, b.a
	}
	// Combine equal values: compare with the group's first value so that
	// merging cannot drift.
	out := make([]entry, 0, n)
	for _, x := range b.a[:n] {
		if k := len(out) - 1; k >= 0 && x.v-out[k].v <= fisherMergeTol {
			out[k].w += x.w
			continue
		}
		out = append(out, x)
	}
	return newVlist(slices.Clip(out))
}
