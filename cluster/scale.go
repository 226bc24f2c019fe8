package cluster

import (
	"errors"
	"fmt"
	"math"

	"github.com/ccstudy/ccstudy/internal/choice"
	"gonum.org/v1/gonum/mat"
)

// Scaling records how Standardize transformed each column, so that the same
// transformation can be reported or applied to new data.
type Scaling struct {
	// Method is the standardization applied.
	Method Standardization `json:"method"`
	// Center is subtracted from each column (mean for "z", minimum for
	// "range", 0 for "none").
	Center []float64 `json:"center"`
	// Scale divides each centred column (sample SD for "z", max−min for
	// "range", 1 for "none"; 1 for constant columns).
	Scale []float64 `json:"scale"`
	// ConstantColumns lists the 0-based columns with zero spread. They
	// cannot be scaled and are returned as all zeros; callers should drop
	// them and tell the user.
	ConstantColumns []int `json:"constant_columns"`
}

// Standardize rescales the columns of X.
//
//	ScaleZ:     (x − mean) / sd, sd with denominator n−1 (R's scale())
//	ScaleRange: (x − min) / (max − min)
//	ScaleNone:  x unchanged
//
// A column with zero spread cannot be scaled: under "z" and "range" it is
// returned centred (all zeros, never NaN) and its index is listed in
// Scaling.ConstantColumns. Non-finite input values are an error.
func Standardize(X *mat.Dense, method Standardization) (*mat.Dense, Scaling, error) {
	if X == nil {
		return nil, Scaling{}, errors.New("cluster: nil matrix")
	}
	n, p := X.Dims()
	if n == 0 || p == 0 {
		return nil, Scaling{}, errors.New("cluster: empty matrix")
	}
	if _, err := choice.Parse(string(method), Standardizations()); err != nil {
		return nil, Scaling{}, fmt.Errorf("cluster: standardization %q: %w", method, err)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < p; j++ {
			if v := X.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, Scaling{}, fmt.Errorf("cluster: non-finite value at row %d, column %d", i+1, j+1)
			}
		}
	}
	sc := Scaling{Method: method, Center: make([]float64, p), Scale: make([]float64, p), ConstantColumns: []int{}}
	out := mat.NewDense(n, p, nil)
	col := make([]float64, n)
	for j := 0; j < p; j++ {
		mat.Col(col, j, X)
		var c, s float64
		switch method {
		case ScaleZ:
			// Two-pass mean and SD, as R's scale() (colMeans, then
			// sqrt(sum(x^2)/(n-1)) of the centred column).
			for _, v := range col {
				c += v
			}
			c /= float64(n)
			var ss float64
			for _, v := range col {
				ss += (v - c) * (v - c)
			}
			if n > 1 {
				s = math.Sqrt(ss / float64(n-1))
			}
		case ScaleRange:
			lo, hi := col[0], col[0]
			for _, v := range col {
				lo = math.Min(lo, v)
				hi = math.Max(hi, v)
			}
			c, s = lo, hi-lo
		case ScaleNone:
			c, s = 0, 1
		}
		if method != ScaleNone && !(s > 0) {
			sc.ConstantColumns = append(sc.ConstantColumns, j)
			s = 1
			if method == ScaleZ {
				// A constant column's centred values are exactly zero.
				c = col[0]
			}
		}
		sc.Center[j], sc.Scale[j] = c, s
		for i, v := range col {
			out.Set(i, j, (v-c)/s)
		}
	}
	return out, sc, nil
}
