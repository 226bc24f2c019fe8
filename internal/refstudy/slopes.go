package refstudy

import (
	"fmt"
	"strings"
)

// NullInteractionCoefficients are TrueCoefficients with both interactions
// of the DGP (company_type:novelty and listed:orphan_drug) set to 0: a
// DGP under which the interaction tests' null hypothesis is true, for
// checking their type-I error by simulation. The main effects are the
// reference design's.
func NullInteractionCoefficients() []TrueCoef {
	out := TrueCoefficients()
	for i := range out {
		if strings.Contains(out[i].Term, ":") {
			out[i].LogOR = 0
		}
	}
	return out
}

// SimulateWithSlopes is Simulate with the DGP's slopes replaced by slopes
// (terms as in TrueCoefficients; the intercept stays TrueIntercept, the
// covariate distributions and the sampling are unchanged). Every term of
// TrueCoefficients must be given exactly once, so a misspelt term cannot
// silently become a zero slope. With TrueCoefficients() it gives exactly
// Simulate's study.
func SimulateWithSlopes(opts SimOptions, slopes []TrueCoef) (*Simulated, error) {
	known := trueCoefMap()
	coef := make(map[string]float64, len(slopes))
	for _, s := range slopes {
		if _, ok := known[s.Term]; !ok {
			return nil, fmt.Errorf("simulate: unknown slope %q (expected a term of TrueCoefficients)", s.Term)
		}
		if _, dup := coef[s.Term]; dup {
			return nil, fmt.Errorf("simulate: slope %q given twice", s.Term)
		}
		coef[s.Term] = s.LogOR
	}
	if len(coef) != len(known) {
		return nil, fmt.Errorf("simulate: %d slopes given (expected all %d terms of TrueCoefficients)", len(coef), len(known))
	}
	return simulate(opts, coef)
}
