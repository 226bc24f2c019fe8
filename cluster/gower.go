package cluster

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// GowerColumn is one variable for Gower's dissimilarity. Missing values are
// NaN.
type GowerColumn struct {
	Name string `json:"name"`
	// Kind is "numeric" (interval scale), "ordinal" (integer codes of an
	// ordered factor, treated as interval after range scaling, as daisy
	// does) or "nominal" (category codes; only equality matters).
	Kind   string    `json:"kind"`
	Values []float64 `json:"values"`
}

// Gower computes Gower's (1971) dissimilarity between observations as
// cluster::daisy(x, metric = "gower"):
//
//	d(i, j) = Σ_f δ_ijf d_ijf / Σ_f δ_ijf
//
// where d_ijf = |x_if − x_jf| / (max_f − min_f) for numeric and ordinal
// variables (a constant variable has range 1), d_ijf = 1{x_if ≠ x_jf} for
// nominal ones, and δ_ijf = 0 when either value is missing. A pair with no
// variable observed in both is an error (daisy returns NA).
func Gower(columns []GowerColumn) (*mat.SymDense, error) {
	p := len(columns)
	if p == 0 {
		return nil, errors.New("cluster: no columns")
	}
	n := len(columns[0].Values)
	if n < 2 {
		return nil, errors.New("cluster: need at least 2 observations")
	}
	// Range-scale every column, as daisy does before its Fortran loop.
	scaled := make([][]float64, p)
	nominal := make([]bool, p)
	for f, c := range columns {
		if len(c.Values) != n {
			return nil, fmt.Errorf("cluster: column %q has %d values, want %d", c.Name, len(c.Values), n)
		}
		switch c.Kind {
		case "numeric", "ordinal":
		case "nominal":
			nominal[f] = true
		default:
			return nil, fmt.Errorf("cluster: column %q has unknown kind %q (want numeric, ordinal or nominal)", c.Name, c.Kind)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range c.Values {
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("cluster: column %q has an infinite value", c.Name)
			}
			if !math.IsNaN(v) {
				lo = math.Min(lo, v)
				hi = math.Max(hi, v)
			}
		}
		if math.IsInf(lo, 1) {
			return nil, fmt.Errorf("cluster: column %q has no observed value", c.Name)
		}
		sx := hi - lo
		if sx == 0 {
			sx = 1
		}
		scaled[f] = make([]float64, n)
		for i, v := range c.Values {
			scaled[f][i] = (v - lo) / sx
		}
	}
	D := mat.NewSymDense(n, nil)
	for l := 1; l < n; l++ {
		for k := 0; k < l; k++ {
			var ppa, dlk float64
			for f := 0; f < p; f++ {
				xl, xk := scaled[f][l], scaled[f][k]
				if math.IsNaN(xl) || math.IsNaN(xk) {
					continue
				}
				ppa++
				if nominal[f] {
					if xl != xk {
						dlk++
					}
				} else {
					dlk += math.Abs(xl - xk)
				}
			}
			if ppa == 0 {
				return nil, fmt.Errorf("cluster: observations %d and %d share no observed variable", k+1, l+1)
			}
			D.SetSym(l, k, dlk/ppa)
		}
	}
	return D, nil
}
