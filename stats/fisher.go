package stats

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// FisherResult is Fisher's exact test as R's fisher.test reports it.
// For 2×2 tables HasOddsRatio is true and OddsRatio is the conditional
// maximum-likelihood estimate with its exact ConfLevel interval (0 or +Inf
// when a cell makes the estimate degenerate, as in R).
type FisherResult struct {
	PValue       float64 `json:"p_value"`
	HasOddsRatio bool    `json:"has_odds_ratio"`
	OddsRatio    float64 `json:"odds_ratio"`
	ConfLevel    float64 `json:"conf_level"`
	ConfLow      float64 `json:"conf_low"`
	ConfHigh     float64 `json:"conf_high"`
}

// MarshalJSON writes +Inf as the string "Inf" (as R's jsonlite does), since
// encoding/json cannot represent it, and omits the odds ratio for tables
// larger than 2×2.
func (r FisherResult) MarshalJSON() ([]byte, error) {
	type or struct {
		OddsRatio jsonFloat `json:"odds_ratio"`
		ConfLevel float64   `json:"conf_level"`
		ConfLow   jsonFloat `json:"conf_low"`
		ConfHigh  jsonFloat `json:"conf_high"`
	}
	v := struct {
		PValue       float64 `json:"p_value"`
		HasOddsRatio bool    `json:"has_odds_ratio"`
		*or
	}{PValue: r.PValue, HasOddsRatio: r.HasOddsRatio}
	if r.HasOddsRatio {
		v.or = &or{jsonFloat(r.OddsRatio), r.ConfLevel, jsonFloat(r.ConfLow), jsonFloat(r.ConfHigh)}
	}
	return json.Marshal(v)
}

// jsonFloat marshals NaN as null and ±Inf as "Inf"/"-Inf".
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte("null"), nil
	case math.IsInf(v, 1):
		return []byte(`"Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// fisherRelErr is R's tolerance for "as or less probable than observed".
const fisherRelErr = 1 + 1e-7

var errTooLarge = fmt.Errorf("stats: table too large for Fisher's exact test (over %d enumeration steps); use the chi-square test", fisherMaxWork)

// fisherMaxWork bounds the work of the exact enumeration so that a large
// table fails with an error instead of running for hours.
const fisherMaxWork = 2_000_000

// FisherExact returns the two-sided exact p-value of an r×c table of counts:
// the total probability, under the multiple hypergeometric distribution with
// the observed margins, of all tables whose probability is at most the
// observed one times (1 + 1e-7), as R's fisher.test.
//
// Tables are enumerated row by row as a network (Mehta & Patel 1983): nodes
// are the remaining column totals, paths with equal partial probability are
// merged, and a subtree is summed in closed form or skipped when bounds on
// its most and least probable completion put it entirely below or above the
// observed probability. The bounds are exact for two columns (r×2 or 2×c,
// the common case) and relaxations otherwise. A table needing more than
// fisherMaxWork steps is refused with an error (use the chi-square test).
//
// For a 2×2 table the conditional MLE of the odds ratio and its exact 95%
// interval are computed as well (see FisherResult).
//
// Cells must be non-negative integers. In tables larger than 2×2, empty
// rows or columns do not change the p-value and are dropped; fewer than two
// non-empty rows or columns is an error. A 2×2 table with an empty row or
// column is an error (its odds ratio is undefined).
func FisherExact(table [][]float64) (FisherResult, error) {
	if _, _, _, err := margins(table); err != nil {
		return FisherResult{}, err
	}
	x, err := integerTable(table)
	if err != nil {
		return FisherResult{}, err
	}
	if len(table) == 2 && len(table[0]) == 2 {
		rs, cs, _, _ := margins(table)
		if err := nonEmptyMargins(rs, cs); err != nil {
			return FisherResult{}, err
		}
		return fisher2x2(x[0][0], x[0][1], x[1][0], x[1][1], 0.95), nil
	}
	x = dropEmpty(x)
	if len(x) < 2 || len(x[0]) < 2 {
		return FisherResult{}, errors.New("stats: Fisher's exact test needs at least 2 non-empty rows and columns")
	}
	p, err := fisherNetwork(x)
	if err != nil {
		return FisherResult{}, err
	}
	return FisherResult{PValue: p}, nil
}

func integerTable(table [][]float64) ([][]int, error) {
	x := make([][]int, len(table))
	for i, row := range table {
		x[i] = make([]int, len(row))
		for j, v := range row {
			if v != math.Trunc(v) || v > 1e9 {
				return nil, fmt.Errorf("stats: Fisher's exact test needs integer counts, cell [%d][%d] = %v", i, j, v)
			}
			x[i][j] = int(v)
		}
	}
	return x, nil
}

// dropEmpty removes all-zero rows and columns.
func dropEmpty(x [][]int) [][]int {
	var rows [][]int
	for _, r := range x {
		s := 0
		for _, v := range r {
			s += v
		}
		if s > 0 {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	var keep []int
	for j := range rows[0] {
		s := 0
		for _, r := range rows {
			s += r[j]
		}
		if s > 0 {
			keep = append(keep, j)
		}
	}
	out := make([][]int, len(rows))
	for i, r := range rows {
		out[i] = make([]int, len(keep))
		for k, j := range keep {
			out[i][k] = r[j]
		}
	}
	return out
}

// logFactorials returns log(k!) for k = 0..n.
func logFactorials(n int) []float64 {
	lf := make([]float64, n+1)
	for k := 2; k <= n; k++ {
		lf[k] = lf[k-1] + math.Log(float64(k))
	}
	return lf
}

// fisherNetwork computes the r×c exact p-value. A table's probability is
// exp(K + v) with K = Σ log r_i! + Σ log c_j! − log n! and v = −Σ log x_ij!.
func fisherNetwork(x [][]int) (float64, error) {
	// Enumerate over the smaller dimension's compositions: make columns the
	// shorter side.
	if len(x[0]) > len(x) {
		x = transpose(x)
	}
	r, c := len(x), len(x[0])
	rows := make([]int, r)
	cols := make([]int, c)
	n := 0
	for i := range r {
		for j := range c {
			rows[i] += x[i][j]
			cols[j] += x[i][j]
			n += x[i][j]
		}
	}
	lf := logFactorials(n)
	var obs float64
	for i := range r {
		for j := range c {
			obs -= lf[x[i][j]]
		}
	}
	k := -lf[n]
	for _, v := range rows {
		k += lf[v]
	}
	for _, v := range cols {
		k += lf[v]
	}
	thresh := obs + math.Log(fisherRelErr)
	// Smaller rows first: the two largest rows come last, where they are
	// handled in one sorted sweep (lastTwoRows) instead of by expansion.
	slices.SortFunc(rows, func(a, b int) int { return a - b })
	suffix := make([]int, r+1)
	for i := r - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] + rows[i]
	}
	nw := &network{rows: rows, suffix: suffix, lf: lf, c: c}
	if c == 2 {
		nw.exact2 = exactBounds2(rows, lf)
	} else {
		nw.memo = make([]map[string][2]float64, r)
		for i := range nw.memo {
			nw.memo[i] = map[string][2]float64{}
		}
	}

	type past struct {
		v    float64 // −Σ log x! over the rows filled so far
		mult float64 // number of merged paths with this value
	}
	type node struct {
		cols  []int
		pasts []past // appended in a deterministic order, merged when expanded
	}
	type edge struct {
		to *node
		dv float64
	}
	start := slices.Clone(cols)
	slices.Sort(start)
	level := map[string]*node{colKey(start): {cols: start, pasts: []past{{0, 1}}}}
	var pval float64
	work := 0
	comp := make([]int, c)
	rem := make([]int, c)
	for stage := range r {
		next := map[string]*node{}
		keys := make([]string, 0, len(level))
		for key := range level {
			keys = append(keys, key)
		}
		sort.Strings(keys) // deterministic summation order
		for _, key := range keys {
			nd := level[key]
			hi, lo := nw.bounds(stage, nd.cols)
			logTotal := lf[suffix[stage]] - nw.sumLF(rows[stage:]) - nw.sumLF(nd.cols)
			// Sort by partial value and merge paths whose values agree to
			// 1e-9: they have the same future.
			ps := nd.pasts
			slices.SortFunc(ps, func(a, b past) int { return cmp.Compare(a.v, b.v) })
			m := 0
			for i := range ps {
				if m > 0 && math.Round(ps[i].v*1e9) == math.Round(ps[m-1].v*1e9) {
					ps[m-1].mult += ps[i].mult
					continue
				}
				ps[m] = ps[i]
				m++
			}
			ps = ps[:m]
			work += m
			if work > fisherMaxWork {
				return 0, errTooLarge
			}
			// Ascending v: a prefix lies wholly at or below the observed
			// probability (summed in closed form), a suffix wholly above
			// (dropped); only the band between is expanded.
			i := 0
			for ; i < m && ps[i].v+hi <= thresh; i++ {
				pval += ps[i].mult * math.Exp(k+ps[i].v+logTotal)
			}
			j := i
			for j < m && ps[j].v+lo <= thresh {
				j++
			}
			if j == i {
				continue
			}
			if stage == r-2 {
				// Two rows left: the next row fixes the last one, so each
				// completion's value g is known. Sort them once and give
				// every past its sum over g ≤ thresh − v by binary search,
				// instead of building the last level.
				gs, ok := nw.lastTwoRows(rows[stage], nd.cols, comp, &work)
				if !ok {
					return 0, errTooLarge
				}
				for _, p := range ps[i:j] {
					lim := thresh - p.v
					cut := sort.Search(len(gs.g), func(l int) bool { return gs.g[l] > lim })
					if cut > 0 {
						pval += p.mult * gs.cum[cut-1] * math.Exp(k+p.v+gs.ref)
					}
				}
				continue
			}
			var edges []edge // ways to fill this row
			ok := nw.compositions(rows[stage], nd.cols, comp, 0, func(comp []int) bool {
				work++
				if work > fisherMaxWork {
					return false
				}
				var dv float64
				for jj := range c {
					rem[jj] = nd.cols[jj] - comp[jj]
					dv -= lf[comp[jj]]
				}
				slices.Sort(rem)
				ck := colKey(rem)
				nn, ok := next[ck]
				if !ok {
					nn = &node{cols: slices.Clone(rem)}
					next[ck] = nn
				}
				edges = append(edges, edge{nn, dv})
				return true
			})
			if !ok {
				return 0, errTooLarge
			}
			work += (j - i) * len(edges)
			if work > fisherMaxWork {
				return 0, errTooLarge
			}
			for _, p := range ps[i:j] {
				for _, e := range edges {
					e.to.pasts = append(e.to.pasts, past{p.v + e.dv, p.mult})
				}
			}
			nd.pasts = nil
		}
		level = next
		if len(level) == 0 {
			break
		}
	}
	return math.Min(1, pval), nil
}

// completions holds the values g of all ways to fill the last two rows,
// ascending, with cum[i] = Σ_{l≤i} exp(g_l − ref).
type completions struct {
	g, cum []float64
	ref    float64
}

// lastTwoRows enumerates the fillings of a row with total t under column
// totals cols, the final row taking the rest, and returns their values
// g = −Σ log x! over both rows.
func (nw *network) lastTwoRows(t int, cols, comp []int, work *int) (completions, bool) {
	var g []float64
	ok := nw.compositions(t, cols, comp, 0, func(comp []int) bool {
		*work++
		if *work > fisherMaxWork {
			return false
		}
		var v float64
		for j, x := range comp {
			v -= nw.lf[x] + nw.lf[cols[j]-x]
		}
		g = append(g, v)
		return true
	})
	if !ok || len(g) == 0 {
		return completions{}, ok
	}
	slices.Sort(g)
	ref := g[len(g)-1]
	cum := make([]float64, len(g))
	var acc float64
	for i, v := range g {
		acc += math.Exp(v - ref)
		cum[i] = acc
	}
	return completions{g: g, cum: cum, ref: ref}, true
}

func transpose(x [][]int) [][]int {
	t := make([][]int, len(x[0]))
	for j := range t {
		t[j] = make([]int, len(x))
		for i := range x {
			t[j][i] = x[i][j]
		}
	}
	return t
}

func colKey(cols []int) string {
	var b strings.Builder
	for _, v := range cols {
		b.WriteString(strconv.Itoa(v))
		b.WriteByte(',')
	}
	return b.String()
}

type network struct {
	rows   []int
	suffix []int
	lf     []float64
	c      int
	// exact2[stage][s] = {max, min} of −Σ log x! over completions of rows
	// stage.. when the first of two columns has s remaining.
	exact2 [][][2]float64
	// memo[stage][colKey] caches {hi, lo} for more than two columns.
	memo []map[string][2]float64
}

func (nw *network) sumLF(v []int) float64 {
	var s float64
	for _, x := range v {
		s += nw.lf[x]
	}
	return s
}

// bounds returns the largest and smallest −Σ log x! over all completions of
// rows stage.. with remaining column totals cols.
func (nw *network) bounds(stage int, cols []int) (hi, lo float64) {
	if nw.exact2 != nil {
		b := nw.exact2[stage][cols[0]]
		return b[0], b[1]
	}
	rows := nw.rows[stage:]
	key := colKey(cols)
	if b, ok := nw.memo[stage][key]; ok {
		return b[0], b[1]
	}
	// The most probable completion is found exactly (a convex min-cost
	// flow); for the least probable one, keep only one set of margins as
	// caps (both relaxations are valid lower bounds; take the tighter).
	hi = maxTableValue(rows, cols, nw.lf)
	lo = math.Max(relaxMin(rows, cols, nw.lf), relaxMin(cols, rows, nw.lf))
	nw.memo[stage][key] = [2]float64{hi, lo}
	return hi, lo
}

// maxTableValue returns max −Σ log x_ij! over the tables with row totals
// rows and column totals cols, i.e. the log (up to a constant) of the most
// probable table. Σ log x_ij! is separable and convex, so it is minimized
// exactly as a min-cost transportation flow by successive shortest paths,
// one unit at a time: a unit sent through cell (i, j) costs
// log(x_ij + 1), one taken back refunds log(x_ij). Paths are found with
// Bellman-Ford because refunds make residual costs negative.
func maxTableValue(rows, cols []int, lf []float64) float64 {
	r, c := len(rows), len(cols)
	x := make([]int, r*c)
	rowFlow := make([]int, r)
	colFlow := make([]int, c)
	dist := make([]float64, r+c)
	pred := make([]int, r+c) // predecessor node; rows are 0..r-1, cols r..r+c-1
	total := 0
	for _, v := range rows {
		total += v
	}
	inf := math.Inf(1)
	for range total {
		for i := range r {
			dist[i] = inf
			if rowFlow[i] < rows[i] {
				dist[i] = 0
			}
			pred[i] = -1
		}
		for j := range c {
			dist[r+j] = inf
			pred[r+j] = -1
		}
		for range r + c {
			changed := false
			for i := range r {
				if dist[i] == inf {
					continue
				}
				for j := range c {
					if d := dist[i] + lf[x[i*c+j]+1] - lf[x[i*c+j]]; d < dist[r+j]-1e-12 {
						dist[r+j], pred[r+j] = d, i
						changed = true
					}
				}
			}
			for j := range c {
				if dist[r+j] == inf {
					continue
				}
				for i := range r {
					if x[i*c+j] > 0 {
						if d := dist[r+j] - (lf[x[i*c+j]] - lf[x[i*c+j]-1]); d < dist[i]-1e-12 {
							dist[i], pred[i] = d, r+j
							changed = true
						}
					}
				}
			}
			if !changed {
				break
			}
		}
		best := -1
		for j := range c {
			if colFlow[j] < cols[j] && dist[r+j] < inf && (best < 0 || dist[r+j] < dist[r+best]) {
				best = j
			}
		}
		if best < 0 {
			break // cannot happen when the margins agree
		}
		colFlow[best]++
		node := r + best
		for {
			p := pred[node]
			if node >= r { // reached column node from row p: add a unit
				x[p*c+node-r]++
			} else { // reached row node from column p: take a unit back
				if p < 0 {
					rowFlow[node]++
					break
				}
				x[node*c+p-r]--
			}
			node = p
		}
	}
	var v float64
	for _, xij := range x {
		v -= lf[xij]
	}
	return v
}

// relaxMax bounds max −Σ log x_ij! from above: each line (total t) is filled
// on its own, as evenly as the caps allow, which maximizes the concave sum.
func relaxMax(totals, caps []int, lf []float64) float64 {
	sc := slices.Clone(caps)
	slices.Sort(sc)
	var s float64
	for _, t := range totals {
		rem, k := t, len(sc)
		for _, cp := range sc {
			// Even share of what is left among the k remaining cells.
			share := rem / k
			if cp <= share {
				s -= lf[cp]
				rem -= cp
				k--
				continue
			}
			// All later caps are ≥ cp > share: split rem evenly over k cells.
			q, extra := rem/k, rem%k
			s -= float64(k-extra)*lf[q] + float64(extra)*lf[q+1]
			rem = 0
			break
		}
	}
	return s
}

// relaxMin bounds min −Σ log x_ij! from below: each line is filled into its
// largest caps first, which maximizes the convex Σ log x! (the greedy
// vector majorizes every feasible one).
func relaxMin(totals, caps []int, lf []float64) float64 {
	sc := slices.Clone(caps)
	slices.SortFunc(sc, func(a, b int) int { return b - a })
	var s float64
	for _, t := range totals {
		rem := t
		for _, cp := range sc {
			if rem == 0 {
				break
			}
			v := min(cp, rem)
			s -= lf[v]
			rem -= v
		}
	}
	return s
}

// exactBounds2 computes, for two columns, the exact max and min of
// −Σ (log x_i! + log (r_i − x_i)!) over rows stage.. with Σ x_i = s, by
// dynamic programming from the last row.
func exactBounds2(rows []int, lf []float64) [][][2]float64 {
	r := len(rows)
	out := make([][][2]float64, r+1)
	out[r] = [][2]float64{{0, 0}}
	tot := 0
	for st := r - 1; st >= 0; st-- {
		ri := rows[st]
		prevTot := tot
		tot += ri
		cur := make([][2]float64, tot+1)
		for s := 0; s <= tot; s++ {
			hi, lo := math.Inf(-1), math.Inf(1)
			for x := max(0, s-prevTot); x <= min(ri, s); x++ {
				v := -lf[x] - lf[ri-x]
				b := out[st+1][s-x]
				hi = math.Max(hi, v+b[0])
				lo = math.Min(lo, v+b[1])
			}
			cur[s] = [2]float64{hi, lo}
		}
		out[st] = cur
	}
	return out
}

// compositions calls f with every comp (Σ comp = total, comp_j ≤ caps_j)
// until f returns false; it reports whether the enumeration completed.
func (nw *network) compositions(total int, caps, comp []int, j int, f func([]int) bool) bool {
	if j == len(caps)-1 {
		if total <= caps[j] {
			comp[j] = total
			return f(comp)
		}
		return true
	}
	restCap := 0
	for _, cp := range caps[j+1:] {
		restCap += cp
	}
	for v := max(0, total-restCap); v <= min(caps[j], total); v++ {
		comp[j] = v
		if !nw.compositions(total-v, caps, comp, j+1, f) {
			return false
		}
	}
	return true
}

// fisher2x2 handles [[a, b], [c, d]] as R's fisher.test does: the p-value
// from the hypergeometric distribution of a, and the conditional MLE and
// exact CI of the odds ratio from the noncentral hypergeometric.
func fisher2x2(a, b, c, d int, conf float64) FisherResult {
	m := a + c // first column total
	n := b + d // second column total
	k := a + b // first row total
	lo, hi := max(0, k-n), min(k, m)
	lf := logFactorials(a + b + c + d)
	support := make([]float64, 0, hi-lo+1)
	logdc := make([]float64, 0, hi-lo+1)
	for x := lo; x <= hi; x++ {
		support = append(support, float64(x))
		// log dhyper(x; m, n, k) up to a constant, which cancels.
		logdc = append(logdc, -lf[x]-lf[m-x]-lf[k-x]-lf[n-k+x])
	}
	h := &nchyper{support: support, logdc: logdc, x: float64(a), lo: float64(lo), hi: float64(hi)}
	d1 := h.density(0)
	obs := d1[a-lo]
	var p float64
	for _, v := range d1 {
		if v <= obs*fisherRelErr {
			p += v
		}
	}
	alpha := (1 - conf) / 2
	res := FisherResult{PValue: math.Min(1, p), HasOddsRatio: true, ConfLevel: conf}
	switch {
	case a == lo:
		res.OddsRatio = 0
	case a == hi:
		res.OddsRatio = math.Inf(1)
	default:
		res.OddsRatio = math.Exp(solveIncreasing(func(t float64) float64 { return h.mean(t) - h.x }))
	}
	if a == lo {
		res.ConfLow = 0
	} else {
		res.ConfLow = math.Exp(solveIncreasing(func(t float64) float64 { return h.upperTail(t) - alpha }))
	}
	if a == hi {
		res.ConfHigh = math.Inf(1)
	} else {
		res.ConfHigh = math.Exp(solveIncreasing(func(t float64) float64 { return alpha - h.lowerTail(t) }))
	}
	return res
}

// nchyper is Fisher's noncentral hypergeometric distribution of the (1,1)
// cell, parametrized by the log odds ratio t.
type nchyper struct {
	support, logdc []float64
	x, lo, hi      float64
	buf            []float64
}

// density returns the probabilities at log odds ratio t in a buffer that the
// next call reuses.
func (h *nchyper) density(t float64) []float64 {
	if h.buf == nil {
		h.buf = make([]float64, len(h.support))
	}
	d := h.buf
	mx := math.Inf(-1)
	for i := range d {
		d[i] = h.logdc[i] + t*h.support[i]
		mx = math.Max(mx, d[i])
	}
	var s float64
	for i := range d {
		d[i] = math.Exp(d[i] - mx)
		s += d[i]
	}
	for i := range d {
		d[i] /= s
	}
	return d
}

func (h *nchyper) mean(t float64) float64 {
	var m float64
	for i, v := range h.density(t) {
		m += v * h.support[i]
	}
	return m
}

// lowerTail is P(X ≤ x), decreasing in t; upperTail is P(X ≥ x), increasing.
func (h *nchyper) lowerTail(t float64) float64 {
	var s float64
	for i, v := range h.density(t) {
		if h.support[i] <= h.x {
			s += v
		}
	}
	return s
}

func (h *nchyper) upperTail(t float64) float64 {
	var s float64
	for i, v := range h.density(t) {
		if h.support[i] >= h.x {
			s += v
		}
	}
	return s
}

// solveIncreasing finds the root of an increasing function of the log odds
// ratio by bracketing and bisection to full double precision (R uses uniroot
// with a looser tolerance; see the reference script).
func solveIncreasing(f func(float64) float64) float64 {
	lo, hi := -1.0, 1.0
	for f(lo) > 0 && lo > -700 {
		lo *= 2
	}
	for f(hi) < 0 && hi < 700 {
		hi *= 2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if hi-lo <= 4e-16*math.Max(1, math.Abs(mid)) {
			break
		}
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
