package refstudy_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/logit"
)

// TestLargeSampleRecoversTrueSlopes: case-control sampling keeps the
// slopes of the true model, so a fit on a large simulated study
// (10,000 cases, 10,000 controls) must recover every true slope within
// three standard errors. The seed is fixed; it was not chosen by outcome.
func TestLargeSampleRecoversTrueSlopes(t *testing.T) {
	if testing.Short() {
		t.Skip("large simulation")
	}
	sim, err := refstudy.Simulate(refstudy.SimOptions{Seed: 7, Population: 200000, Cases: 10000, Controls: 10000, NoProducts: true})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sim.WriteCompanies(&buf); err != nil {
		t.Fatal(err)
	}
	schema, err := refstudy.Schema("companies")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := dataset.Load(&buf, "simulated.csv", schema, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := analysis.DesignFor(tab, refstudy.TrueFormula, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := logit.Fit(ds.Logit, logit.Options{CI: logit.CIWald})
	if err != nil {
		t.Fatal(err)
	}
	est := map[string]logit.Term{}
	for _, term := range m.Terms {
		est[term.Term] = term
	}
	for _, c := range refstudy.TrueCoefficients() {
		got, ok := est[c.Term]
		if !ok {
			t.Errorf("the fit has no term %s", c.Term)
			continue
		}
		if z := (got.Estimate - c.LogOR) / got.StdError; math.Abs(z) > 3 {
			t.Errorf("%s: estimate %.3f (SE %.3f), true %.3f: %.1f SEs away", c.Term, got.Estimate, got.StdError, c.LogOR, z)
		}
	}
	if len(est) != len(refstudy.TrueCoefficients())+1 {
		t.Errorf("fit has %d terms, the true model %d slopes plus the intercept", len(est), len(refstudy.TrueCoefficients()))
	}
}
