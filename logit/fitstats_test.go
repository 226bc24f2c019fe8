package logit

import (
	"math"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

func TestFitStatisticsAgainstR(t *testing.T) {
	for _, name := range glmConverged {
		t.Run(name, func(t *testing.T) {
			r := glmLoadRef(t, name)
			m, err := Fit(r.design(), Options{Level: r.Level, CI: CIWald})
			if err != nil {
				t.Fatal(err)
			}
			if m.N != r.N || m.Events != r.Events {
				t.Errorf("n=%d events=%d, R %d %d", m.N, m.Events, r.N, r.Events)
			}
			reftest.Rel(t, "deviance", m.Deviance, r.Deviance, 1e-6)
			reftest.Rel(t, "null deviance", m.NullDeviance, r.NullDeviance, 1e-6)
			reftest.Rel(t, "logLik", m.LogLikelihood, r.LogLik, 1e-6)
			reftest.Rel(t, "AIC", m.AIC, r.AIC, 1e-6)
			reftest.Rel(t, "BIC", m.BIC, r.BIC, 1e-6)
			reftest.Rel(t, "LR statistic", m.LRStatistic, r.LRStatistic, 1e-6)
			if m.LRDF != r.LRDF {
				t.Errorf("LR df %d, R %d", m.LRDF, r.LRDF)
			}
			reftest.Rel(t, "LR p", m.LRPValue, r.LRP, 1e-6)
			reftest.Rel(t, "McFadden", deref(m.McFaddenR2), r.McFadden, 1e-6)
			reftest.Rel(t, "Nagelkerke", deref(m.NagelkerkeR2), r.Nagelkerke, 1e-6)
			reftest.Rel(t, "AUC", deref(m.AUC), r.AUC, 1e-6)
			reftest.Rel(t, "AUC low", deref(m.AUCConfLow), r.AUCCI[0], 1e-6)
			reftest.Rel(t, "AUC high", deref(m.AUCConfHigh), r.AUCCI[1], 1e-6)
			hl := m.HosmerLemeshow
			if hl == nil {
				t.Fatalf("no Hosmer-Lemeshow test; warnings %v", m.Warnings)
			}
			if hl.Groups != r.HL.Groups || hl.DF != r.HL.DF {
				t.Errorf("HL groups %d df %d, R %d %d", hl.Groups, hl.DF, r.HL.Groups, r.HL.DF)
			}
			reftest.Rel(t, "HL statistic", hl.Statistic, r.HL.Statistic, 1e-6)
			reftest.Rel(t, "HL p", hl.PValue, r.HL.PValue, 1e-6)
			p := len(r.Coef)
			if r.Names[0] == "(Intercept)" {
				p--
			}
			epv := float64(min(r.Events, r.N-r.Events)) / float64(p)
			reftest.Rel(t, "EPV", m.EventsPerVariable, epv, 1e-12)
			if low := HasWarning(m.Warnings, WarnLowEPV); low != (epv < 10) {
				t.Errorf("EPV %.2f: low-EPV warning present = %v", epv, low)
			}
		})
	}
}

// Under separation only two distinct fitted values remain (R's reference
// shows 2 groups): the test is refused with a reason instead of a
// statistic on zero or negative df.
func TestHosmerLemeshowTooFewGroups(t *testing.T) {
	r := glmLoadRef(t, "mtcars_separated")
	if r.HL.Groups >= 3 {
		t.Fatalf("reference has %d groups; the test needs < 3", r.HL.Groups)
	}
	m, err := Fit(r.design(), Options{CI: CIWald})
	if err != nil {
		t.Fatal(err)
	}
	if m.HosmerLemeshow != nil {
		t.Errorf("HL computed on %d groups", m.HosmerLemeshow.Groups)
	}
	if !HasWarning(m.Warnings, WarnHosmerLemeshow) {
		t.Errorf("no HL warning: %v", m.Warnings)
	}
	reftest.Rel(t, "AUC", deref(m.AUC), r.AUC, 1e-12)
}

func TestAUCDeLongTiesAndErrors(t *testing.T) {
	// All scores tied: AUC = ½ exactly (every pair counts ½).
	y := []float64{0, 0, 1, 1, 0, 1}
	s := []float64{0.3, 0.3, 0.3, 0.3, 0.3, 0.3}
	auc, _, _, err := AUCDeLong(y, s, 0.95)
	if err != nil || auc != 0.5 {
		t.Errorf("tied AUC = %v, %v; want 0.5", auc, err)
	}
	// One case: the AUC exists (the case outranks one of two controls),
	// the DeLong variance does not.
	a, lo, _, err := AUCDeLong([]float64{0, 1, 0}, []float64{1, 2, 3}, 0.95)
	if err == nil || a != 0.5 || !math.IsNaN(lo) {
		t.Errorf("one case: AUC %v, low %v, err %v; want 0.5, NaN, an error", a, lo, err)
	}
	if _, _, _, err := AUCDeLong([]float64{0, 0}, []float64{1, 2}, 0.95); err == nil {
		t.Error("no case: want an error")
	}
}

// deref reads an optional statistic; nil (not defined) is NaN, which
// fails every comparison with R.
func deref(x *float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x
}
