package logit

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// ErrVIFFewTerms is returned when a model has fewer than two term groups,
// for which car::vif refuses to compute (G)VIFs.
var ErrVIFFewTerms = errors.New("logit: GVIF needs at least two terms")

// GroupVIF is the generalized VIF of one term group.
type GroupVIF struct {
	Term string  `json:"term"`
	GVIF float64 `json:"gvif"`
	DF   int     `json:"df"`
	// Adjusted is GVIF^(1/(2·DF)), comparable across groups of different
	// size (the square root of the ordinary VIF when DF = 1).
	Adjusted float64 `json:"gvif_adjusted"`
}

// GVIF is the generalized variance-inflation factor of every term group
// (Fox & Monette 1992) as car::vif on a glm: with R the correlation matrix
// of the coefficient estimates without the intercept,
//
//	GVIFⱼ = det(R_jj) · det(R_−j,−j) / det(R),
//
// where R_jj is the block of group j's coefficients. With one column per
// group it is the ordinary VIF. Fewer than two groups gives ErrVIFFewTerms.
func GVIF(d *Design, cov *mat.SymDense) ([]GroupVIF, error) {
	p := cov.SymmetricDim()
	if p != len(d.Assign) {
		return nil, fmt.Errorf("logit: covariance is %d×%d for %d columns", p, p, len(d.Assign))
	}
	idx := make([]int, 0, p)
	for j := 0; j < p; j++ {
		if !(j == 0 && d.Intercept()) {
			idx = append(idx, j)
		}
	}
	var groups []int
	seen := map[int]bool{}
	for _, j := range idx {
		if g := d.Assign[j]; !seen[g] {
			seen[g] = true
			groups = append(groups, g)
		}
	}
	if len(groups) < 2 {
		return nil, ErrVIFFewTerms
	}
	k := len(idx)
	corr := mat.NewSymDense(k, nil)
	for a, ja := range idx {
		for b := a; b < k; b++ {
			jb := idx[b]
			corr.SetSym(a, b, cov.At(ja, jb)/math.Sqrt(cov.At(ja, ja)*cov.At(jb, jb)))
		}
	}
	detR := mat.Det(corr)
	if !(detR > 0) {
		return nil, fmt.Errorf("logit: coefficient correlation matrix is singular (det %g)", detR)
	}
	out := make([]GroupVIF, 0, len(groups))
	for _, g := range groups {
		var in, rest []int
		for a, j := range idx {
			if d.Assign[j] == g {
				in = append(in, a)
			} else {
				rest = append(rest, a)
			}
		}
		gv := mat.Det(subSym(corr, in)) * mat.Det(subSym(corr, rest)) / detR
		df := len(in)
		out = append(out, GroupVIF{
			Term:     d.Groups[g],
			GVIF:     gv,
			DF:       df,
			Adjusted: math.Pow(gv, 1/(2*float64(df))),
		})
	}
	return out, nil
}

// ErrVIFInteractions is returned by SetGVIF for a model with interaction
// terms. The GVIF of a main effect then measures its collinearity with
// its own product terms, which is built in by the coding (values in the
// hundreds for centred-free covariates) and says nothing about the
// design; car::vif prints "there are higher-order terms (interactions)
// in this model" and its alternative, type = "predictor", is available
// only for unweighted linear models, not for a glm.
var ErrVIFInteractions = errors.New("logit: GVIFs are not meaningful with interaction terms")

// InteractionTerms lists the term groups of d that are interactions (an
// R term label with a top-level ':').
func InteractionTerms(d *Design) []string {
	var out []string
	seen := map[int]bool{}
	for _, g := range d.Assign {
		if g == 0 || seen[g] {
			continue
		}
		seen[g] = true
		if len(termVars(d.Groups[g])) > 1 {
			out = append(out, d.Groups[g])
		}
	}
	return out
}

// SetGVIF computes GVIF from m.Cov and writes each group's value on its
// coefficient rows (Term.VIF, Term.VIFAdjusted); the intercept keeps nil.
// A model with interaction terms gets no values but an error wrapping
// ErrVIFInteractions that names them (GVIF itself still computes car's
// numbers). Any covariance works, since GVIF depends only on its
// correlations: the inverse information at the MLE (glm) or at Firth's
// estimate (brglm2's vcov), so Firth fits get car::vif's values of the
// brglm2 model.
func SetGVIF(d *Design, m *Model) ([]GroupVIF, error) {
	if m.Cov == nil {
		return nil, errors.New("logit: model has no covariance matrix")
	}
	if in := InteractionTerms(d); len(in) > 0 {
		return nil, fmt.Errorf("%w (%s; car::vif warns so)", ErrVIFInteractions, strings.Join(in, ", "))
	}
	v, err := GVIF(d, m.Cov)
	if err != nil {
		return nil, err
	}
	byTerm := map[string]GroupVIF{}
	for _, g := range v {
		byTerm[g.Term] = g
	}
	for j := range m.Terms {
		if j == 0 && d.Intercept() {
			continue
		}
		g, ok := byTerm[d.Groups[d.Assign[j]]]
		if !ok {
			continue
		}
		gv, adj := g.GVIF, g.Adjusted
		m.Terms[j].VIF = &gv
		m.Terms[j].VIFAdjusted = &adj
	}
	return v, nil
}

// subSym is the symmetric submatrix of s on the listed indices.
func subSym(s *mat.SymDense, idx []int) *mat.SymDense {
	out := mat.NewSymDense(len(idx), nil)
	for a, i := range idx {
		for b := a; b < len(idx); b++ {
			out.SetSym(a, b, s.At(i, idx[b]))
		}
	}
	return out
}
