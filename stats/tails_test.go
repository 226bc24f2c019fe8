package stats

import (
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// tailsRef is testdata/reference/stats/tails.json (tails.R).
type tailsRef struct {
	Wilcoxon []struct {
		Name      string    `json:"name"`
		X         []float64 `json:"x"`
		Y         []float64 `json:"y"`
		Statistic float64   `json:"statistic"`
		PValue    float64   `json:"p_value"`
	} `json:"wilcoxon"`
	Pooled []struct {
		Name   string    `json:"name"`
		Est    []float64 `json:"est"`
		SE     []float64 `json:"se"`
		Z      float64   `json:"z"`
		PValue float64   `json:"p_value"`
	} `json:"pooled"`
	Normal []struct {
		Z      float64 `json:"z"`
		PValue float64 `json:"p_value"`
	} `json:"normal"`
}

// TestFarTailPValues: p-values of 1e-23 to 1e-269 keep full relative
// precision (R: 2 * pnorm(-abs(z)), wilcox.test, metafor::rma FE), in
// both directions of the statistic.
func TestFarTailPValues(t *testing.T) {
	var r tailsRef
	reftest.Load(t, refDir+"tails.json", &r)
	if len(r.Normal) == 0 || len(r.Wilcoxon) == 0 || len(r.Pooled) == 0 {
		t.Fatal("empty tails reference")
	}
	for _, c := range r.Normal {
		reftest.Rel(t, "2*pnorm(-|z|)", NormalTwoSidedP(c.Z), c.PValue, 1e-12)
	}
	for _, c := range r.Wilcoxon {
		w, err := WilcoxonRankSum(c.X, c.Y)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		reftest.Rel(t, c.Name+" W", w.Statistic, c.Statistic, 1e-12)
		reftest.Rel(t, c.Name+" p", w.PValue, c.PValue, 1e-9)
	}
	for _, c := range r.Pooled {
		h, err := CochranQ(c.Est, c.SE)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		reftest.Rel(t, c.Name+" z", h.Z, c.Z, 1e-12)
		reftest.Rel(t, c.Name+" p", h.P, c.PValue, 1e-9)
	}
}
