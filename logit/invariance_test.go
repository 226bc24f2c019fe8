package logit

import (
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// TestFitGroupedMatchesUngroupedEverywhere extends
// TestFitGroupedMatchesUngrouped (estimates, SEs, deviance, AIC, fitted
// values) to every other number a fit reports: z, p, the intervals
// (Wald and profile), the model LR test, BIC, R², the AUC and
// Hosmer–Lemeshow, so no statistic computed after the fit can use the
// patterns where it should use the rows (issue 15 item 3).
func TestFitGroupedMatchesUngroupedEverywhere(t *testing.T) {
	for name, d := range map[string]*Design{
		"infert":   glmLoadRef(t, "infert").design(),
		"discrete": discreteDesign(5000),
	} {
		t.Run(name, func(t *testing.T) {
			if _, ok := collapsePatterns(d.X, d.Y); !ok {
				t.Fatal("not grouped")
			}
			for _, ci := range []CI{CIWald, CIProfile} {
				opts := withDefaults(Options{CI: ci})
				g, err := fitML(d, opts, true)
				if err != nil {
					t.Fatal(err)
				}
				r, err := fitML(d, opts, false)
				if err != nil {
					t.Fatal(err)
				}
				// The profile of the ungrouped fit is profiled on the
				// rows too.
				if ci == CIProfile {
					rows, _, err := profileCIs(d, r, opts.Level, false)
					if err != nil {
						t.Fatal(err)
					}
					for j := range rows {
						r.Terms[j].ConfLow, r.Terms[j].ConfHigh = rows[j][0], rows[j][1]
					}
				}
				for j, x := range r.Terms {
					y := g.Terms[j]
					w := string(ci) + " " + x.Term
					reftest.Rel(t, w+" z", y.Statistic, x.Statistic, 1e-10)
					reftest.Rel(t, w+" p", y.PValue, x.PValue, 1e-10)
					reftest.Rel(t, w+" conf_low", y.ConfLow, x.ConfLow, 1e-10)
					reftest.Rel(t, w+" conf_high", y.ConfHigh, x.ConfHigh, 1e-10)
					if (x.VIF == nil) != (y.VIF == nil) {
						t.Errorf("%s: VIF %v vs %v", w, y.VIF, x.VIF)
					} else if x.VIF != nil {
						reftest.Rel(t, w+" VIF", *y.VIF, *x.VIF, 1e-10)
					}
				}
				reftest.Rel(t, "null deviance", g.NullDeviance, r.NullDeviance, 1e-10)
				reftest.Rel(t, "log-likelihood", g.LogLikelihood, r.LogLikelihood, 1e-10)
				reftest.Rel(t, "BIC", g.BIC, r.BIC, 1e-10)
				reftest.Rel(t, "LR statistic", g.LRStatistic, r.LRStatistic, 1e-10)
				reftest.Rel(t, "LR p", g.LRPValue, r.LRPValue, 1e-10)
				for _, s := range []struct {
					what string
					a, b *float64
				}{{"McFadden R2", g.McFaddenR2, r.McFaddenR2}, {"Nagelkerke R2", g.NagelkerkeR2, r.NagelkerkeR2}, {"AUC", g.AUC, r.AUC}, {"AUC low", g.AUCConfLow, r.AUCConfLow}} {
					if s.a == nil || s.b == nil {
						t.Errorf("%s missing: %v %v", s.what, s.a, s.b)
						continue
					}
					reftest.Rel(t, s.what, *s.a, *s.b, 1e-10)
				}
				if (g.HosmerLemeshow == nil) != (r.HosmerLemeshow == nil) {
					t.Errorf("Hosmer-Lemeshow %v vs %v", g.HosmerLemeshow, r.HosmerLemeshow)
				} else if g.HosmerLemeshow != nil {
					if g.HosmerLemeshow.DF != r.HosmerLemeshow.DF || g.HosmerLemeshow.Groups != r.HosmerLemeshow.Groups {
						t.Errorf("Hosmer-Lemeshow df/groups %d/%d vs %d/%d", g.HosmerLemeshow.DF, g.HosmerLemeshow.Groups, r.HosmerLemeshow.DF, r.HosmerLemeshow.Groups)
					}
					// The groups are deciles of fitted values that tie
					// across rows of one pattern: a last-digit change
					// may move a tied row, so the statistic is compared
					// loosely.
					reftest.Rel(t, "Hosmer-Lemeshow", g.HosmerLemeshow.Statistic, r.HosmerLemeshow.Statistic, 1e-6)
				}
				if g.EventsPerVariable != r.EventsPerVariable || g.N != r.N || g.Events != r.Events {
					t.Errorf("n/events/EPV %d/%d/%v vs %d/%d/%v", g.N, g.Events, g.EventsPerVariable, r.N, r.Events, r.EventsPerVariable)
				}
			}
		})
	}
}
