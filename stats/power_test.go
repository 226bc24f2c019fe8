package stats

import (
	"math"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// TestPowerSSCCAgainstR checks the closed form against the Schlesselman
// formula written out in R at every (OR, p0, n, ratio, alpha), and against
// epiR::epi.sscc where the two coincide (one control per case).
func TestPowerSSCCAgainstR(t *testing.T) {
	var rows []struct {
		OR, P0, Cases, Controls, Alpha float64
		Schlesselman                   float64
		EpiR                           float64 `json:"epir"`
	}
	reftest.Load(t, "testdata/reference/power/closed_form.json", &rows)
	if len(rows) < 100 {
		t.Fatalf("%d reference rows, expected the full grid", len(rows))
	}
	epir := 0
	for _, r := range rows {
		got, err := PowerSSCC(r.Cases, r.Controls, r.OR, r.P0, r.Alpha)
		if err != nil {
			t.Fatal(err)
		}
		reftest.Rel(t, "schlesselman", got, r.Schlesselman, 1e-6)
		if r.Cases == r.Controls {
			epir++
			reftest.Rel(t, "epi.sscc", got, r.EpiR, 1e-6)
		}
	}
	if epir == 0 {
		t.Fatal("no 1:1 rows to compare with epi.sscc")
	}
}

func TestPowerSSCCRejects(t *testing.T) {
	for _, c := range []struct{ n1, n0, or, p0, a float64 }{
		{0, 10, 2, 0.3, 0.05}, {10, -1, 2, 0.3, 0.05}, {10, 10, 0, 0.3, 0.05}, {10, 10, math.NaN(), 0.3, 0.05},
		{10, 10, 2, 0, 0.05}, {10, 10, 2, 1, 0.05}, {10, 10, 2, 0.3, 0}, {10, 10, 2, 0.3, 1}, {math.Inf(1), 10, 2, 0.3, 0.05},
	} {
		if _, err := PowerSSCC(c.n1, c.n0, c.or, c.p0, c.a); err == nil {
			t.Errorf("PowerSSCC%v: no error", c)
		}
	}
}

func TestMonteCarloSE(t *testing.T) {
	if got := MonteCarloSE(0.8, 2000); math.Abs(got-math.Sqrt(0.8*0.2/2000)) > 1e-15 {
		t.Errorf("MonteCarloSE = %v", got)
	}
	if !math.IsNaN(MonteCarloSE(0.5, 0)) {
		t.Error("MonteCarloSE with 0 sims is not NaN")
	}
}

// TestCasesSSCCAgainstR checks the closed-form sample size against the
// Schlesselman formula in R at every ratio and against epiR::epi.sscc at
// one control per case; and that it inverts PowerSSCC.
func TestCasesSSCCAgainstR(t *testing.T) {
	var rows []struct {
		Power, OR, P0, Ratio, Alpha float64
		Schlesselman                float64
		EpiR                        float64 `json:"epir_r1"`
	}
	reftest.Load(t, "testdata/reference/power/sample_size.json", &rows)
	if len(rows) < 200 {
		t.Fatalf("%d reference rows, expected the full grid", len(rows))
	}
	for _, r := range rows {
		got, err := CasesSSCC(r.Power, r.Ratio, r.OR, r.P0, r.Alpha)
		if err != nil {
			t.Fatal(err)
		}
		reftest.Rel(t, "schlesselman n", got, r.Schlesselman, 1e-6)
		if r.Ratio == 1 {
			reftest.Rel(t, "epi.sscc n.case", got, r.EpiR, 1e-6)
		}
		back, _ := PowerSSCC(got, r.Ratio*got, r.OR, r.P0, r.Alpha)
		reftest.Rel(t, "PowerSSCC(CasesSSCC)", back, r.Power, 1e-9)
	}
	if n, _ := CasesSSCC(0.8, 1, 1, 0.3, 0.05); !math.IsInf(n, 1) {
		t.Errorf("OR 1: %v cases", n)
	}
	if _, err := CasesSSCC(1, 1, 2, 0.3, 0.05); err == nil {
		t.Error("power 1 accepted")
	}
}
