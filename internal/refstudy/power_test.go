package refstudy

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDrawCaseControlDesignMatchesLinearPredictor checks that the design
// row and TrueCoefficients give the DGP's own linear predictor, so the
// columns are in TrueCoefficients' order and mean what their names say.
func TestDrawCaseControlDesignMatchesLinearPredictor(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	model := newTrueModel(trueCoefMap())
	terms := TrueCoefficients()
	x := make([]float64, 1+len(terms))
	for i := 0; i < 2000; i++ {
		var c company
		drawCompany(rng, model, &c)
		c.designRow(x)
		eta := TrueIntercept
		for j, tc := range terms {
			eta += tc.LogOR * x[j+1]
		}
		if want := model.linearPredictor(&c); math.Abs(eta-want) > 1e-12 {
			t.Fatalf("company %d: design row gives η = %v, linearPredictor %v", i, eta, want)
		}
	}
}

func TestDrawCaseControlCounts(t *testing.T) {
	d, err := DrawCaseControl(rand.New(rand.NewPCG(3, 4)), 30, 60)
	if err != nil {
		t.Fatal(err)
	}
	cases := 0.0
	for _, y := range d.Y {
		cases += y
	}
	if len(d.Y) != 90 || cases != 30 || len(d.X) != 90*len(d.Names) {
		t.Fatalf("%d rows, %v cases, %d values for %d columns", len(d.Y), cases, len(d.X), len(d.Names))
	}
	// About 14% of the population are cases: 30 cases need ~200 draws.
	if d.Draws < 90 || d.Draws > 1000 {
		t.Errorf("%d draws for 30 cases", d.Draws)
	}
	if _, err := DrawCaseControl(rand.New(rand.NewPCG(3, 4)), 0, 5); err == nil {
		t.Error("0 cases accepted")
	}
}
