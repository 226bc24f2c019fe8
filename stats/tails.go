package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// NormalTwoSidedP is the two-sided p-value of a standard normal statistic,
//
//	p = 2·Φ(−|z|),
//
// R's 2 * pnorm(-abs(z)). It is taken from the lower tail on purpose:
// gonum's Normal.Survival is 1 − erf(·)/2, which loses every digit once
// p < 1e-16 (a true 1e-28 becomes 0), while Normal.CDF uses erfc and keeps
// full relative precision down to the smallest float64.
func NormalTwoSidedP(z float64) float64 {
	return 2 * distuv.UnitNormal.CDF(-math.Abs(z))
}
