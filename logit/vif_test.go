package logit

import (
	"errors"
	"math"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

func TestGVIFAgainstCar(t *testing.T) {
	for _, name := range []string{"birthwt", "birthwt_interaction", "infert", "mtcars_am"} {
		t.Run(name, func(t *testing.T) {
			r := glmLoadRef(t, name)
			d := r.design()
			m, err := Fit(d, Options{CI: CIWald})
			if err != nil {
				t.Fatal(err)
			}
			v, err := GVIF(d, m.Cov)
			if err != nil {
				t.Fatal(err)
			}
			if len(v) != len(r.GVIF) {
				t.Fatalf("%d groups, car %d", len(v), len(r.GVIF))
			}
			for k, g := range v {
				if g.Term != r.TermLabels[k] || g.DF != r.GVIFDF[k] {
					t.Errorf("group %d: %s df %d, car %s df %d", k, g.Term, g.DF, r.TermLabels[k], r.GVIFDF[k])
				}
				reftest.Rel(t, "GVIF "+g.Term, g.GVIF, r.GVIF[k], 1e-6)
				reftest.Rel(t, "GVIF^(1/2df) "+g.Term, g.Adjusted, math.Pow(r.GVIF[k], 1/(2*float64(r.GVIFDF[k]))), 1e-6)
			}
			// Every coefficient row carries its group's value, except in a
			// model with interactions, where the values are not meaningful
			// (car::vif warns) and a warning says so instead.
			if len(InteractionTerms(d)) > 0 {
				if !HasWarning(m.Warnings, WarnVIF) {
					t.Errorf("interaction model without the GVIF warning: %v", m.Warnings)
				}
				for _, tm := range m.Terms {
					if tm.VIF != nil {
						t.Errorf("%s: VIF %g shown in a model with interactions", tm.Term, *tm.VIF)
					}
				}
				return
			}
			for j, tm := range m.Terms {
				if d.Assign[j] == 0 {
					if tm.VIF != nil {
						t.Errorf("intercept has a VIF")
					}
					continue
				}
				if tm.VIF == nil || tm.VIFAdjusted == nil {
					t.Fatalf("%s: no VIF", tm.Term)
				}
				reftest.Rel(t, "row VIF "+tm.Term, *tm.VIF, r.GVIF[d.Assign[j]-1], 1e-6)
			}
		})
	}
}

func TestGVIFOneTerm(t *testing.T) {
	r := glmLoadRef(t, "mtcars_vs")
	d := r.design()
	m, err := Fit(d, Options{CI: CIWald})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := GVIF(d, m.Cov); !errors.Is(err, ErrVIFFewTerms) {
		t.Errorf("one term: err = %v, want ErrVIFFewTerms", err)
	}
	for _, tm := range m.Terms {
		if tm.VIF != nil {
			t.Errorf("%s: VIF set for a one-term model", tm.Term)
		}
	}
}
