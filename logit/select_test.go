package logit

import (
	"slices"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

func TestStepAICAgainstR(t *testing.T) {
	for _, name := range []string{"birthwt", "birthwt_interaction", "infert"} {
		t.Run(name, func(t *testing.T) {
			r := glmLoadRef(t, name)
			st := r.Step
			sel, err := StepAIC(r.design(), Options{CI: CIWald})
			if err != nil {
				t.Fatal(err)
			}
			if len(sel.Steps) != len(st.Step) {
				t.Fatalf("%d steps, R %d (%v)", len(sel.Steps), len(st.Step), st.Step)
			}
			for k, s := range sel.Steps {
				want := ""
				if k > 0 {
					want = "- " + s.Term
					reftest.Rel(t, "step deviance change", s.Deviance, float64(st.Deviance[k]), 1e-6)
					if s.DF != int(st.DF[k]) {
						t.Errorf("step %d df %d, R %v", k, s.DF, st.DF[k])
					}
				}
				if st.Step[k] != want {
					t.Errorf("step %d is %q, R %q", k, want, st.Step[k])
				}
				if s.ResidDF != st.ResidDF[k] {
					t.Errorf("step %d resid df %d, R %d", k, s.ResidDF, st.ResidDF[k])
				}
				reftest.Rel(t, "step resid deviance", s.ResidDev, st.ResidDev[k], 1e-6)
				reftest.Rel(t, "step AIC", s.AIC, st.AIC[k], 1e-6)
			}
			if !slices.Equal(sel.Design.Groups[1:], st.FinalTerms) || !slices.Equal(sel.Design.Names, st.FinalNames) {
				t.Errorf("final %v / %v, R %v / %v", sel.Design.Groups[1:], sel.Design.Names, st.FinalTerms, st.FinalNames)
			}
			for j, c := range sel.Model.Coef {
				reftest.Rel(t, "final coef "+st.FinalNames[j], c, st.FinalCoef[j], 1e-6)
			}
		})
	}
}

func TestForwardLRAgainstR(t *testing.T) {
	for _, name := range []string{"birthwt", "birthwt_interaction", "infert"} {
		t.Run(name, func(t *testing.T) {
			r := glmLoadRef(t, name)
			fw := r.ForwardLR
			sel, err := ForwardLR(r.design(), Options{CI: CIWald}, 0.05, 0.10)
			if err != nil {
				t.Fatal(err)
			}
			if len(sel.Steps) != len(fw.Steps) {
				t.Fatalf("%d steps, R %d", len(sel.Steps), len(fw.Steps))
			}
			for k, s := range sel.Steps {
				w := fw.Steps[k]
				if s.Action != w.Action || s.Term != w.Term || s.DF != w.DF {
					t.Errorf("step %d: %s %s df %d, R %s %s df %d", k, s.Action, s.Term, s.DF, w.Action, w.Term, w.DF)
				}
				reftest.Rel(t, "LR statistic", s.Statistic, w.Statistic, 1e-6)
				reftest.Rel(t, "LR p", s.PValue, w.PValue, 1e-6)
			}
			if !slices.Equal(sel.Design.Names, fw.FinalNames) {
				t.Errorf("final %v, R %v", sel.Design.Names, fw.FinalNames)
			}
			for j, c := range sel.Model.Coef {
				reftest.Rel(t, "final coef", c, fw.FinalCoef[j], 1e-6)
			}
		})
	}
}

// Marginality: with smoke:race in the model neither smoke nor race may be
// dropped, and the interaction may not enter before both main effects.
func TestSelectionMarginality(t *testing.T) {
	d := glmLoadRef(t, "birthwt_interaction").design()
	all := presentGroups(d) // smoke, race, age, smoke:race
	dr := droppable(d, all)
	for _, g := range dr {
		if name := d.Groups[g]; name == "smoke" || name == "race" {
			t.Errorf("%s droppable while smoke:race is in", name)
		}
	}
	if len(dr) != 2 {
		t.Errorf("droppable %v, want age and smoke:race", dr)
	}
	en := enterable(d, []int{1}) // only smoke in
	for _, g := range en {
		if d.Groups[g] == "smoke:race" {
			t.Error("smoke:race enterable without race")
		}
	}
	if got := termVars("log(a:b):c"); !slices.Equal(got, []string{"log(a:b)", "c"}) {
		t.Errorf("termVars = %v", got)
	}
}

func TestForwardLRBadThresholds(t *testing.T) {
	d := glmLoadRef(t, "infert").design()
	if _, err := ForwardLR(d, Options{}, 0.2, 0.1); err == nil {
		t.Error("pEnter > pRemove: want an error")
	}
}
