package refstudy

import (
	"fmt"
	"math/rand/v2"
)

// CaseControlDraw is one case-control sample drawn from the DGP, encoded
// as the true model's design: X is row-major, n × (1 + len(TrueCoefficients())),
// with the intercept first and then the columns of TrueCoefficients in
// their order; Y is 1 for the cases (the first Cases rows) and 0 after.
type CaseControlDraw struct {
	X     []float64
	Y     []float64
	Names []string
	// Draws is the number of population members drawn to fill the sample.
	Draws int
}

// MaxDrawsPerUnit bounds DrawCaseControl: it draws at most this many
// population members per unit asked for before giving up.
const MaxDrawsPerUnit = 1000

// DrawCaseControl draws a case-control sample of the given size from an
// infinite source population with the DGP's covariate distribution
// (drawCompany): each member drawn is a case with the true model's
// probability, and is kept while its group still has room. This is
// retrospective sampling by rejection; it is what Simulate does with an
// unbounded population, without the products.
func DrawCaseControl(rng *rand.Rand, cases, controls int) (*CaseControlDraw, error) {
	if cases < 1 || controls < 1 {
		return nil, fmt.Errorf("refstudy: %d cases and %d controls (expected at least one of each)", cases, controls)
	}
	model := newTrueModel(trueCoefMap())
	terms := TrueCoefficients()
	p := 1 + len(terms)
	n := cases + controls
	out := &CaseControlDraw{X: make([]float64, n*p), Y: make([]float64, n), Names: make([]string, p)}
	out.Names[0] = "(Intercept)"
	for j, t := range terms {
		out.Names[j+1] = t.Term
	}
	nCase, nCtrl := 0, 0
	limit := MaxDrawsPerUnit * n
	var c company
	for nCase < cases || nCtrl < controls {
		if out.Draws >= limit {
			return nil, fmt.Errorf("refstudy: %d population members drawn gave %d of %d cases and %d of %d controls (limit %d per unit)",
				out.Draws, nCase, cases, nCtrl, controls, MaxDrawsPerUnit)
		}
		out.Draws++
		c = company{}
		drawCompany(rng, model, &c)
		var row int
		if rng.Float64() < c.caseProb {
			if nCase == cases {
				continue
			}
			row = nCase
			nCase++
			out.Y[row] = 1
		} else {
			if nCtrl == controls {
				continue
			}
			row = cases + nCtrl
			nCtrl++
		}
		c.designRow(out.X[row*p : (row+1)*p])
	}
	return out, nil
}

// designRow writes c's row of the true model's design (intercept, then
// the columns of TrueCoefficients); it mirrors linearPredictor.
func (c *company) designRow(x []float64) {
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	x[0] = 1
	x[1] = b(c.traditional)
	x[2] = b(c.founder == 1)
	x[3] = b(c.founder == 2)
	x[4] = b(c.leader == 1)
	x[5] = b(c.leader == 2)
	x[6] = float64(c.devYears)
	x[7] = c.logRD
	x[8] = float64(c.listed)
	x[9] = b(c.source == 1)
	x[10] = b(c.source == 2)
	x[11] = b(c.novelty == 1)
	x[12] = b(c.novelty == 2)
	x[13] = float64(c.orphanDrug)
	x[14] = x[1] * x[11]
	x[15] = x[1] * x[12]
	x[16] = x[8] * x[13]
}

// TrueTermGroups is the term structure of DrawCaseControl's design, as
// R's model.matrix of TrueFormula gives it: assign maps each column
// (intercept first) to its term group, 0 being the intercept, and groups
// are the term labels ("(Intercept)", "company_type", …,
// "company_type:novelty", "listed:orphan_drug"). A column's term is its
// name without the bracketed levels, so the two levels of a 3-level
// factor share one group.
func TrueTermGroups() (assign []int, groups []string) {
	assign = []int{0}
	groups = []string{"(Intercept)"}
	index := map[string]int{}
	for _, t := range TrueCoefficients() {
		label := stripLevels(t.Term)
		g, ok := index[label]
		if !ok {
			g = len(groups)
			index[label] = g
			groups = append(groups, label)
		}
		assign = append(assign, g)
	}
	return assign, groups
}

// stripLevels removes every "[level]" of a column name:
// company_type[traditional]:novelty[fast_follow] -> company_type:novelty.
func stripLevels(name string) string {
	var b []byte
	depth := 0
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth == 0:
			b = append(b, c)
		}
	}
	return string(b)
}
