package logit

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// BlockTest is a likelihood-ratio test that several coefficients are 0.
type BlockTest struct {
	// Columns are the tested columns of the design, by name.
	Columns   []string `json:"columns"`
	Statistic float64  `json:"statistic"`
	DF        int      `json:"df"`
	PValue    float64  `json:"p_value"`
	// Iterations of the constrained fit.
	Iterations int `json:"iterations"`
}

// FirthBlockTest is Firth's penalized likelihood-ratio test that the
// coefficients of cols are all 0:
//
//	PLR = 2 (pl(β̂) − max pl(β) subject to β_cols = 0) ~ χ²(len(cols)),
//
// with pl the penalized log-likelihood ℓ(β) + ½ log det I(β) of the FULL
// design, so that both maxima carry the same penalty (Jeffreys prior).
// This is logistf's logistftest(fit, test = cols) and anova.logistf's
// default method "nested" (Heinze & Ploner 2004): unlike the ML
// likelihood-ratio test, it exists when the data are separated. beta is
// the penalized estimate of the full design (a FitFirth result's Coef)
// or nil to fit it here.
func FirthBlockTest(d *Design, cols []int, beta []float64, opts Options) (*BlockTest, error) {
	if err := fthValidate(d); err != nil {
		return nil, err
	}
	if err := fthCheckOptions(opts); err != nil {
		return nil, err
	}
	opts = fthDefaults(opts)
	fp := newFirthProblem(d.X, d.Y)
	if len(cols) == 0 {
		return nil, errors.New("logit: penalized LR test of no columns")
	}
	fixed := make([]bool, fp.p)
	names := make([]string, len(cols))
	for i, j := range cols {
		if j < 0 || j >= fp.p {
			return nil, fmt.Errorf("logit: penalized LR test: column %d of a %d-column design", j, fp.p)
		}
		if fixed[j] {
			return nil, fmt.Errorf("logit: penalized LR test: column %s given twice", d.Names[j])
		}
		fixed[j] = true
		names[i] = d.Names[j]
	}
	if beta == nil {
		r, err := fp.fit(make([]float64, fp.p), nil, opts)
		if err != nil {
			return nil, err
		}
		if !r.converged {
			return nil, fmt.Errorf("logit: Firth iteration did not converge in %d iterations", opts.MaxIter)
		}
		beta = r.beta
	} else if len(beta) != fp.p {
		return nil, fmt.Errorf("logit: penalized LR test: %d coefficients for a %d-column design", len(beta), fp.p)
	}
	full, err := fp.eval(beta, false)
	if err != nil {
		return nil, err
	}
	// The constrained fit starts from the full estimate with the tested
	// coefficients set to 0, as logistftest starts from beta0.
	start := append([]float64(nil), beta...)
	for _, j := range cols {
		start[j] = 0
	}
	r, err := fp.fit(start, fixed, opts)
	if err != nil {
		return nil, fmt.Errorf("logit: constrained penalized fit: %w", err)
	}
	if !r.converged {
		return nil, fmt.Errorf("logit: constrained penalized fit did not converge in %d iterations", opts.MaxIter)
	}
	stat := math.Max(0, 2*(full.pl-r.pl))
	return &BlockTest{Columns: names, Statistic: stat, DF: len(cols),
		PValue: distuv.ChiSquared{K: float64(len(cols))}.Survival(stat), Iterations: r.iter}, nil
}
