package stats

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Methods of FisherResult.
const (
	FisherMethodExact      = "exact"
	FisherMethodMonteCarlo = "monte-carlo"
)

// DefaultFisherMaxWork is the default bound on the exact r×c enumeration, in
// steps (partial tables stored plus edges of the network followed). For a
// table with two rows or columns a step costs 30–80 ns, so a table at the
// bound takes about one second of CPU and half a gigabyte of memory before
// the simulation takes over; larger tables get a tenth as many steps of
// their costlier network (also about a second). R's FEXACT with
// workspace = 2e7 gives up on much smaller tables (see
// testdata/reference/stats/fisher_rxc_bench.R).
const DefaultFisherMaxWork = 20_000_000

// DefaultFisherReplicates is R's default B for simulate.p.value = TRUE.
const DefaultFisherReplicates = 2000

// ErrFisherTooLarge reports that the exact enumeration would exceed its work
// bound (only with FisherOptions.ExactOnly; otherwise the p-value is
// simulated).
var ErrFisherTooLarge = errors.New("stats: table too large for Fisher's exact enumeration")

// FisherOptions controls FisherExactOpts. The zero value is the default of
// FisherExact: exact within DefaultFisherMaxWork, else a Monte-Carlo p-value
// from 2000 tables with seed 0.
type FisherOptions struct {
	// MaxWork bounds the exact enumeration of tables larger than 2×2;
	// 0 means DefaultFisherMaxWork.
	MaxWork int
	// MonteCarlo simulates the p-value of a table larger than 2×2 without
	// trying the exact enumeration, as fisher.test(simulate.p.value = TRUE).
	MonteCarlo bool
	// Replicates is the number B of simulated tables; 0 means 2000.
	Replicates int
	// Seed seeds the simulation's generator (PCG from math/rand/v2), so that
	// a seed gives the same p-value on every run and machine.
	Seed uint64
	// ExactOnly returns an error wrapping ErrFisherTooLarge instead of
	// simulating when the exact enumeration exceeds MaxWork.
	ExactOnly bool
}

// FisherResult is Fisher's exact test as R's fisher.test reports it.
// For 2×2 tables HasOddsRatio is true and OddsRatio is the conditional
// maximum-likelihood estimate with its exact ConfLevel interval (0 or +Inf
// when a cell makes the estimate degenerate, as in R).
//
// Method says how the p-value was found: FisherMethodExact, or
// FisherMethodMonteCarlo with Replicates tables drawn from generator seed
// Seed; Note then says why.
type FisherResult struct {
	PValue       float64 `json:"p_value"`
	Method       string  `json:"method"`
	Replicates   int     `json:"replicates,omitempty"`
	Seed         uint64  `json:"seed"`
	Note         string  `json:"note,omitempty"`
	HasOddsRatio bool    `json:"has_odds_ratio"`
	OddsRatio    float64 `json:"odds_ratio"`
	ConfLevel    float64 `json:"conf_level"`
	ConfLow      float64 `json:"conf_low"`
	ConfHigh     float64 `json:"conf_high"`
}

// MarshalJSON writes +Inf as the string "Inf" (as R's jsonlite does), since
// encoding/json cannot represent it, omits the odds ratio for tables larger
// than 2×2, and the replicates and seed of an exact p-value.
func (r FisherResult) MarshalJSON() ([]byte, error) {
	type or struct {
		OddsRatio jsonFloat `json:"odds_ratio"`
		ConfLevel float64   `json:"conf_level"`
		ConfLow   jsonFloat `json:"conf_low"`
		ConfHigh  jsonFloat `json:"conf_high"`
	}
	type mc struct {
		Replicates int    `json:"replicates"`
		Seed       uint64 `json:"seed"`
	}
	v := struct {
		PValue float64 `json:"p_value"`
		Method string  `json:"method"`
		*mc
		Note         string `json:"note,omitempty"`
		HasOddsRatio bool   `json:"has_odds_ratio"`
		*or
	}{PValue: r.PValue, Method: r.Method, Note: r.Note, HasOddsRatio: r.HasOddsRatio}
	if r.Method == FisherMethodMonteCarlo {
		v.mc = &mc{r.Replicates, r.Seed}
	}
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

// fisherRelErr is R's tolerance for "as or less probable than observed" in
// a 2×2 table (fisher.test: relErr <- 1 + 10^(-7)).
const fisherRelErr = 1 + 1e-7

// fexactTol is the same tolerance for larger tables, on the log scale, as
// R's FEXACT (f2xact: tol = 3.45254e-7, obs = tol + log P(observed)): a
// table counts when log P ≤ log P(observed) + fexactTol. It differs from
// log(fisherRelErr) enough to matter (cluster_2x8_random_6 in
// testdata/reference/stats/fisher_rxc.R).
const fexactTol = 3.45254e-7

// FisherExact is FisherExactOpts with the default options: the exact
// p-value when the enumeration stays within DefaultFisherMaxWork, else the
// Monte-Carlo p-value of 2000 tables from seed 0 (Method says which).
func FisherExact(table [][]float64) (FisherResult, error) {
	return FisherExactOpts(table, FisherOptions{})
}

// FisherExactOpts returns the two-sided p-value of Fisher's test of an r×c
// table of counts, as R's fisher.test:
//
//	p = Σ P(y) over tables y with the observed margins and P(y) ≤ P(x)·(1 + 1e-7) (2×2),
//	  or log P(y) ≤ log P(x) + 3.45254e-7 (larger tables, as R's FEXACT),
//	P(y) = Π r_i! Π c_j! / (n! Π y_ij!)  (multiple hypergeometric).
//
// Exact (fisher.test(x), or fisher.test(x, workspace = 2e7) for larger
// tables): tables with two rows or two columns, the common case, go through
// a network over the long side searched from both ends with exact bounds
// (see fisher2.go); other tables through a network over rows (Mehta & Patel
// 1983) with relaxed bounds. As R's FEXACT, tables larger than 2×2 count
// ties within a factor exp(3.45254e-7) (fexactTol) rather than 1 + 1e-7.
//
// Monte-Carlo (fisher.test(x, simulate.p.value = TRUE, B = 2000)), used when
// opts.MonteCarlo is set or the exact enumeration would exceed opts.MaxWork:
// B tables with the observed margins are drawn by Patefield's algorithm (as
// R's r2dtable) and
//
//	p = (1 + #{b : S_b ≤ S_obs / (1 + 64ε)}) / (B + 1),  S = −Σ log y_ij!,
//
// the statistic and tie rule of R. The generator is seeded by opts.Seed only,
// so a seed gives the same p-value whatever the parallelism.
//
// For a 2×2 table the p-value is always exact (as in R) and the conditional
// MLE of the odds ratio and its exact 95% interval are computed as well (see
// FisherResult).
//
// Cells must be non-negative integers. In tables larger than 2×2, empty
// rows or columns do not change the p-value and are dropped; fewer than two
// non-empty rows or columns is an error. A 2×2 table with an empty row or
// column is an error (its odds ratio is undefined).
func FisherExactOpts(table [][]float64, opts FisherOptions) (FisherResult, error) {
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
		res := fisher2x2(x[0][0], x[0][1], x[1][0], x[1][1], 0.95)
		res.Method = FisherMethodExact
		return res, nil
	}
	x = dropEmpty(x)
	if len(x) < 2 || len(x[0]) < 2 {
		return FisherResult{}, errors.New("stats: Fisher's exact test needs at least 2 non-empty rows and columns")
	}
	maxWork := opts.MaxWork
	if maxWork <= 0 {
		maxWork = DefaultFisherMaxWork
	}
	var note string
	if !opts.MonteCarlo {
		p, err := fisherExactRxC(x, maxWork)
		if err == nil {
			return FisherResult{PValue: p, Method: FisherMethodExact}, nil
		}
		if opts.ExactOnly {
			return FisherResult{}, err
		}
		note = fmt.Sprintf("exact enumeration would exceed %d steps", maxWork)
	}
	b := opts.Replicates
	if b <= 0 {
		b = DefaultFisherReplicates
	}
	res := FisherResult{PValue: fisherMonteCarlo(x, b, opts.Seed), Method: FisherMethodMonteCarlo, Replicates: b, Seed: opts.Seed}
	if note == "" {
		note = "Monte-Carlo p-value requested"
	}
	res.Note = fmt.Sprintf("%s: p-value simulated from %d tables with the observed margins (seed %d), as fisher.test(simulate.p.value = TRUE, B = %d)", note, b, opts.Seed, b)
	return res, nil
}

// fisherExactRxC dispatches a table without empty lines to the two-line
// network or the general one.
func fisherExactRxC(x [][]int, maxWork int) (float64, error) {
	if len(x) == 2 || len(x[0]) == 2 {
		if len(x) != 2 {
			x = transpose(x) // two rows: the columns are the lines
		}
		t := make([]int, len(x[0]))
		n := 0
		for j := range t {
			t[j] = x[0][j] + x[1][j]
			n += t[j]
		}
		p, _, ok := fisherTwoLines(t, x[0], n, logFactorials(n), maxWork)
		if !ok {
			return 0, tooLarge(maxWork)
		}
		return p, nil
	}
	// A step of the general network (a map of string keys, min-cost-flow
	// bounds) costs about ten of the two-line one.
	return fisherNetwork(x, max(1, maxWork/10))
}

func tooLarge(maxWork int) error {
	return fmt.Errorf("%w (over %d steps); simulate the p-value or use the chi-square test", ErrFisherTooLarge, maxWork)
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

// tableMargins returns the row and column totals of x, its total n, the
// log-factorials up to n and the observed statistic −Σ log x_ij!, which
// the exact and the simulated tests both rank tables by.
func tableMargins(x [][]int) (rows, cols []int, n int, lf []float64, obs float64) {
	rows = make([]int, len(x))
	cols = make([]int, len(x[0]))
	for i := range x {
		for j, v := range x[i] {
			rows[i] += v
			cols[j] += v
			n += v
		}
	}
	lf = logFactorials(n)
	for i := range x {
		for _, v := range x[i] {
			obs -= lf[v]
		}
	}
	return rows, cols, n, lf, obs
}

// fisherNetwork computes the exact p-value of a table with at least three
// rows and columns. A table's probability is exp(K + v) with
// K = Σ log r_i! + Σ log c_j! − log n! and v = −Σ log x_ij!.
//
// Tables are enumerated row by row as a network (Mehta & Patel 1983): nodes
// are the remaining column totals, paths with equal partial probability are
// merged, and a subtree is summed in closed form or skipped when bounds on
// its most and least probable completion put it entirely below or above the
// observed probability. The most probable completion is exact (a convex
// min-cost flow), the least probable one a relaxation. More than maxWork
// steps is an error wrapping ErrFisherTooLarge.
func fisherNetwork(x [][]int, maxWork int) (float64, error) {
	// Enumerate over the smaller dimension's compositions: make columns the
	// shorter side.
	if len(x[0]) > len(x) {
		x = transpose(x)
	}
	r, c := len(x), len(x[0])
	rows, cols, n, lf, obs := tableMargins(x)
	k := -lf[n]
	for _, v := range rows {
		k += lf[v]
	}
	for _, v := range cols {
		k += lf[v]
	}
	thresh := obs + fexactTol
	// Smaller rows first: the two largest rows come last, where they are
	// handled in one sorted sweep (lastTwoRows) instead of by expansion.
	slices.SortFunc(rows, func(a, b int) int { return a - b })
	suffix := make([]int, r+1)
	for i := r - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] + rows[i]
	}
	nw := &network{rows: rows, suffix: suffix, lf: lf, c: c}
	nw.memo = make([]map[string][2]float64, r)
	for i := range nw.memo {
		nw.memo[i] = map[string][2]float64{}
	}

	type node struct {
		cols  []int
		key   string
		pasts mergeBuf // sorted runs of partial values −Σ log x! with path counts
	}
	type edge struct {
		to   *node
		dv   float64
		mult float64
	}
	start := slices.Clone(cols)
	slices.Sort(start)
	root := &node{cols: start, key: colKey(start)}
	root.pasts.addRun([]entry{{0, 1}}, 0, 1)
	level := map[string]*node{root.key: root}
	var pval neumaier
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
			hi, lo := nw.bounds(stage, nd.cols, &work)
			logTotal := lf[suffix[stage]] - nw.sumLF(rows[stage:]) - nw.sumLF(nd.cols)
			// Merge the runs; paths whose values agree have the same future.
			ps := nd.pasts.merged()
			nd.pasts = mergeBuf{}
			m := ps.len()
			work += m
			if work > maxWork {
				return 0, tooLarge(maxWork)
			}
			// Ascending v: a prefix lies wholly at or below the observed
			// probability (summed in closed form), a suffix wholly above
			// (dropped); only the band between is expanded. Below the root
			// the parent's edge already did this with the same bounds.
			i := ps.countLE(thresh - hi)
			if i > 0 {
				pval.add(math.Exp(k + ps.prefixLog(i) + logTotal))
			}
			j := ps.countLE(thresh - lo)
			if j == i {
				continue
			}
			band := ps
			if i > 0 || j < m {
				band = newVlist(ps.e[i:j])
			}
			if stage == r-2 {
				// Two rows left: the next row fixes the last one, so each
				// completion's value g is known. Sort them once and give
				// every past its sum over g ≤ thresh − v by binary search,
				// instead of building the last level.
				gs, ok := nw.lastTwoRows(rows[stage], nd.cols, comp, &work, maxWork)
				if !ok {
					return 0, tooLarge(maxWork)
				}
				for _, p := range band.e {
					lim := thresh - p.v
					cut := sort.Search(len(gs.g), func(l int) bool { return gs.g[l] > lim })
					if cut > 0 {
						pval.add(p.w * gs.cum[cut-1] * math.Exp(k+p.v+gs.ref))
					}
				}
				continue
			}
			// Ways to fill this row, grouped by child and merged when their
			// values agree (columns with equal totals).
			var edges []edge
			ok := nw.compositions(rows[stage], nd.cols, comp, 0, func(comp []int) bool {
				work++
				if work > maxWork {
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
					nn = &node{cols: slices.Clone(rem), key: ck}
					next[ck] = nn
				}
				edges = append(edges, edge{nn, dv, 1})
				return true
			})
			if !ok {
				return 0, tooLarge(maxWork)
			}
			slices.SortStableFunc(edges, func(a, b edge) int {
				if a.to != b.to {
					return strings.Compare(a.to.key, b.to.key)
				}
				switch {
				case a.dv < b.dv:
					return -1
				case a.dv > b.dv:
					return 1
				}
				return 0
			})
			me := 0
			for _, e := range edges {
				if me > 0 && edges[me-1].to == e.to && e.dv-edges[me-1].dv <= fisherMergeTol {
					edges[me-1].mult++
					continue
				}
				edges[me] = e
				me++
			}
			edges = edges[:me]
			// Per edge, with the child's bounds: a prefix of the band counts
			// with every completion (summed through prefix sums), a suffix
			// with none; only the rest is copied to the child, as one
			// sorted run.
			for _, e := range edges {
				chi, clo := nw.bounds(stage+1, e.to.cols, &work)
				ia := band.countLE(thresh - e.dv - chi)
				ib := band.countLE(thresh - e.dv - clo)
				if ia > 0 {
					lt := lf[suffix[stage+1]] - nw.sumLF(rows[stage+1:]) - nw.sumLF(e.to.cols)
					pval.add(e.mult * math.Exp(k+band.prefixLog(ia)+e.dv+lt))
				}
				if ib > ia {
					work += ib - ia
					e.to.pasts.addRun(band.e[ia:ib], e.dv, e.mult)
				}
			}
			if work > maxWork {
				return 0, tooLarge(maxWork)
			}
		}
		level = next
		if len(level) == 0 {
			break
		}
	}
	return math.Min(1, pval.sum()), nil
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
func (nw *network) lastTwoRows(t int, cols, comp []int, work *int, maxWork int) (completions, bool) {
	var g []float64
	ok := nw.compositions(t, cols, comp, 0, func(comp []int) bool {
		*work++
		if *work > maxWork {
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
	// memo[stage][colKey] caches {hi, lo}.
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
//
// A new bound costs a min-cost flow of one unit per remaining count, each
// unit a few passes over the cells: it is charged to work as
// 1 + units·cells/16 steps, about its time relative to a network step.
func (nw *network) bounds(stage int, cols []int, work *int) (hi, lo float64) {
	rows := nw.rows[stage:]
	key := colKey(cols)
	if b, ok := nw.memo[stage][key]; ok {
		return b[0], b[1]
	}
	*work += 1 + nw.suffix[stage]*len(rows)*len(cols)/16
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
