package logit

import (
	"math"
	"sort"
)

// placeBatch is the number of searches placements runs side by side.
// One bisection of a 5·10⁵-value slice is a chain of ~19 dependent
// loads, the last several of which miss the cache; 16 independent
// chains stepped together keep 16 loads in flight instead of one. (A
// two-level index, every 64th value in a small slice and then one block,
// measured no faster than a plain bisection: the block's 64 compares cost
// what the misses saved.)
const placeBatch = 16

// placements replaces each score q[j] by its placement among sorted,
// the number of values below it plus half the number tied with it,
// float64(below) + 0.5·float64(upTo − below), where below is
// sort.SearchFloat64s(sorted, q[j]) and upTo is the first index with
// sorted[i] > q[j]. sorted must be sorted as sort.Float64s sorts (NaN
// first).
//
// Both searches' predicates are false on the NaN values and monotone
// along sorted (and false everywhere for a NaN q[j]), so each has one
// boundary and any correct search returns the same index as sort's.
func placements(sorted, q []float64) {
	var below [placeBatch]int
	for start := 0; start < len(q); start += placeBatch {
		batch := q[start:min(start+placeBatch, len(q))]
		lowerBounds(sorted, batch, below[:len(batch)])
		for j, v := range batch {
			var upTo int
			if len(sorted) > 0 && !math.IsNaN(sorted[0]) {
				// The first value > v is at or soon after below: ties
				// are short runs, so gallop from there.
				upTo = upperBoundFrom(sorted, below[j], v)
			} else {
				upTo = sort.Search(len(sorted), func(i int) bool { return sorted[i] > v })
			}
			batch[j] = float64(below[j]) + 0.5*float64(upTo-below[j])
		}
	}
}

// lowerBounds sets below[j] to lowerBound(a, vs[j]), the smallest i with
// a[i] ≥ vs[j] (len(a) if none), for len(vs) ≤ placeBatch searches at
// once. Each bisection takes the same fixed number of steps, so they
// advance in lockstep, and moves its base by a mask, not a branch (a
// branch on the compare would be mispredicted half the time, and the
// compiler keeps a branch rather than a conditional move when the
// variable feeds the next load).
func lowerBounds(a, vs []float64, below []int) {
	var base [placeBatch]int
	vs = vs[:min(len(vs), placeBatch)]
	if len(a) == 0 {
		for j := range vs {
			below[j] = 0
		}
		return
	}
	for n := len(a); n > 1; {
		half := n / 2
		for j, v := range vs {
			base[j] += half & -placeOne(!(a[base[j]+half] >= v))
		}
		n -= half
	}
	for j, v := range vs {
		below[j] = base[j] + placeOne(!(a[base[j]] >= v))
	}
}

// placeOne is 1 for true and 0 for false, which the compiler forms with
// a SETcc instead of a branch.
func placeOne(b bool) int {
	if b {
		return 1
	}
	return 0
}

// upperBoundFrom is the smallest i ≥ from with a[i] > v, for a sorted
// without NaN and a[i] ≤ v for every i < from: galloping from from, then
// bisection, so a short run of ties costs a few steps.
func upperBoundFrom(a []float64, from int, v float64) int {
	lo, hi, step := from, from, 1
	for hi < len(a) && !(a[hi] > v) {
		lo = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, len(a))
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if a[h] > v {
			hi = h
		} else {
			lo = h + 1
		}
	}
	return lo
}

// firstAtLeast is lowerBound(a, v), the smallest i with a[i] ≥ v
// (len(a) if none), for a on which that predicate is monotone, by the
// branch-free bisection of lowerBounds: Hosmer–Lemeshow's search of 11
// breaks per row was a mispredicted branch per step.
func firstAtLeast(a []float64, v float64) int {
	vs, below := [1]float64{v}, [1]int{}
	lowerBounds(a, vs[:], below[:])
	return below[0]
}

// orderStats are the values of a and b (either may be empty), each
// sorted as sort.Float64s sorts (NaN first), in the order of the slice
// their merge would be: sort.Float64s's order, with a's value first
// where a value of a and one of b compare equal (as −0 and 0). It gives
// order statistics and quantiles of the union without forming it.
type orderStats struct {
	a, b []float64
}

// finite is o without its NaN values (the first of each slice).
func (o orderStats) finite() orderStats {
	skip := func(s []float64) []float64 {
		// NaN are sorted first: the first non-NaN bounds them.
		return s[sort.Search(len(s), func(i int) bool { return !math.IsNaN(s[i]) }):]
	}
	return orderStats{a: skip(o.a), b: skip(o.b)}
}

// len is the number of values.
func (o orderStats) len() int { return len(o.a) + len(o.b) }

// at is the k-th value (from 0) of the merge of o.a and o.b, which must
// hold no NaN, 0 ≤ k < o.len().
//
// The first k values of the merge are a[:i] and b[:k−i] for the
// smallest i at which b[k−i−1] < a[i] (b's value is taken first only
// when it is smaller), found by bisection; the k-th is then the smaller
// of a[i] and b[k−i], a's on a tie.
func (o orderStats) at(k int) float64 {
	a, b := o.a, o.b
	lo, hi := max(0, k-len(b)), min(k, len(a))
	i := lo + sort.Search(hi-lo, func(t int) bool {
		i := lo + t
		j := k - i
		return j == 0 || i == len(a) || b[j-1] < a[i]
	})
	j := k - i
	if i < len(a) && (j == len(b) || !(b[j] < a[i])) {
		return a[i]
	}
	return b[j]
}

// quantile7 is stats.Quantile7Sorted of the merge of o.a and o.b (which
// must hold no NaN) at p, with the same arithmetic: R's quantile type 7,
// (1 − h)·x₍⌊i⌋₎ + h·x₍⌈i⌉₎ for i = (n − 1)·p and h = i − ⌊i⌋.
func (o orderStats) quantile7(p float64) float64 {
	n := o.len()
	if n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	index := float64(n-1) * p
	lo := math.Floor(index)
	hi := math.Ceil(index)
	q := o.at(int(lo))
	h := index - lo
	if h > 0 && o.at(int(hi)) != q {
		q = (1-h)*q + h*o.at(int(hi))
	}
	return q
}
