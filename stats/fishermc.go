package stats

import (
	"math"
	"math/rand/v2"
)

// fisherStream is the PCG stream of the Fisher simulation, so that the same
// seed used elsewhere gives an unrelated sequence here.
const fisherStream = 0x6669736865725f6d // "fisher_m"

// newFisherRand is the simulation's generator: PCG seeded by seed alone.
func newFisherRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, fisherStream)) }

// fisherAlmostOne is R's tie factor in fisher.test's simulation:
// almost.1 <- 1 + 64 * .Machine$double.eps.
const fisherAlmostOne = 1 + 64*2.220446049250313e-16

// fisherMonteCarlo returns R's simulated p-value for the table x (no empty
// rows or columns): (1 + #{b : S_b ≤ S_obs/almost.1}) / (B + 1) with
// S = −Σ log y_ij!, over b tables drawn with x's margins.
func fisherMonteCarlo(x [][]int, b int, seed uint64) float64 {
	r, c := len(x), len(x[0])
	rows, cols, _, lf, obs := tableMargins(x)
	lim := obs / fisherAlmostOne
	rng := newFisherRand(seed)
	g := newPatefield(rows, cols, lf)
	y := make([]int, r*c)
	hits := 0
	for range b {
		g.draw(rng, y)
		var s float64
		for _, v := range y {
			s -= lf[v]
		}
		if s <= lim {
			hits++
		}
	}
	return float64(1+hits) / float64(b+1)
}

// patefield draws r×c tables uniformly from the multiple hypergeometric
// distribution with fixed margins, by Patefield's algorithm (AS 159, 1981;
// R's r2dtable): cells are filled row by row, each from its hypergeometric
// distribution given the cells before it.
type patefield struct {
	rows, cols []int
	lf         []float64
	colRem     []int
}

func newPatefield(rows, cols []int, lf []float64) *patefield {
	return &patefield{rows: rows, cols: cols, lf: lf, colRem: make([]int, len(cols))}
}

// draw fills y (row-major, len r·c) with one table.
func (p *patefield) draw(rng *rand.Rand, y []int) {
	r, c := len(p.rows), len(p.cols)
	copy(p.colRem, p.cols)
	left := 0 // units in rows i.. (all columns)
	for _, v := range p.rows {
		left += v
	}
	for i := 0; i < r-1; i++ {
		rowRem := p.rows[i]
		pop := left // units in rows i.. and columns j..
		for j := 0; j < c-1; j++ {
			k := p.colRem[j]
			v := 0
			if rowRem > 0 && k > 0 {
				v = p.hyper(rng, pop, k, rowRem)
			}
			y[i*c+j] = v
			rowRem -= v
			p.colRem[j] -= v
			pop -= k
		}
		y[i*c+c-1] = rowRem
		p.colRem[c-1] -= rowRem
		left -= p.rows[i]
	}
	for j := range c {
		y[(r-1)*c+j] = p.colRem[j]
	}
}

// hyper draws the number of successes in d draws without replacement from a
// population of n with k successes, by inversion from the mode outwards
// (as AS 159), so that the search is short and no probability underflows.
func (p *patefield) hyper(rng *rand.Rand, n, k, d int) int {
	lo, hi := max(0, d-(n-k)), min(d, k)
	if lo == hi {
		return lo
	}
	mode := min(hi, max(lo, int(float64(d+1)*float64(k+1)/float64(n+2))))
	lf := p.lf
	pm := math.Exp(lf[k] - lf[mode] - lf[k-mode] + lf[n-k] - lf[d-mode] - lf[n-k-d+mode] - lf[n] + lf[d] + lf[n-d])
	u := rng.Float64()
	if u <= pm {
		return mode
	}
	u -= pm
	down, up := mode, mode
	pd, pu := pm, pm
	for down > lo || up < hi {
		if up < hi {
			// P(x+1)/P(x) = (k−x)(d−x) / ((x+1)(n−k−d+x+1))
			pu *= float64(k-up) * float64(d-up) / (float64(up+1) * float64(n-k-d+up+1))
			up++
			if u <= pu {
				return up
			}
			u -= pu
		}
		if down > lo {
			// P(x−1)/P(x) = x(n−k−d+x) / ((k−x+1)(d−x+1))
			pd *= float64(down) * float64(n-k-d+down) / (float64(k-down+1) * float64(d-down+1))
			down--
			if u <= pd {
				return down
			}
			u -= pd
		}
	}
	return mode // u beyond the total by rounding only
}
