package logit

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

func TestFitAutoSwitches(t *testing.T) {
	sep := map[string]separationCase{}
	for _, c := range loadSeparationCases(t) {
		sep[c.Name] = c
	}
	for _, c := range loadFirthCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			s, ok := sep[c.Name]
			if !ok {
				t.Fatalf("no separation reference for %s", c.Name)
			}
			m, err := FitAuto(c.design(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !s.Separation {
				if m.Method != MethodMLE || len(m.Separation) != 0 {
					t.Fatalf("no separation in R, got method %q separation %q", m.Method, m.Separation)
				}
				for j, tm := range m.Terms {
					reftest.Close(t, c.Names[j]+" MLE estimate", tm.Estimate, c.GLM.Estimate[j], 1e-6, 0)
					reftest.Close(t, c.Names[j]+" MLE se", tm.StdError, c.GLM.StdError[j], 1e-6, 0)
				}
				return
			}
			if m.Method != MethodFirth {
				t.Fatalf("separated data fitted with %q", m.Method)
			}
			want := slices.DeleteFunc(slices.Clone(s.InfiniteTerms), func(x string) bool { return x == "(Intercept)" })
			if !slices.Equal(m.Separation, want) {
				t.Errorf("separation terms %q, want %q", m.Separation, want)
			}
			if len(m.Warnings) == 0 || !strings.HasPrefix(m.Warnings[0].Message, "separation detected (terms "+strings.Join(want, ", ")) ||
				!strings.Contains(m.Warnings[0].Message, "switched to Firth's penalized likelihood") {
				t.Errorf("warning %q", m.Warnings)
			}
			for j, tm := range m.Terms {
				reftest.Close(t, c.Names[j]+" Firth estimate", tm.Estimate, c.Brglm2.Estimate[j], 1e-6, 0)
				reftest.Close(t, c.Names[j]+" Firth OR", tm.OddsRatio, math.Exp(c.Brglm2.Estimate[j]), 1e-6, 0)
			}
		})
	}
}

// With no events at all the intercept's MLE is -∞: FitAuto must switch to
// Firth, whose intercept-only estimate solves Σ(y - π) + (½ - π) = 0
// (the hat values sum to 1), i.e. π = (Σy + ½)/(n + 1).
func TestFitAutoNoEvents(t *testing.T) {
	const n = 12
	x := mat.NewDense(n, 1, nil)
	for i := 0; i < n; i++ {
		x.Set(i, 0, 1)
	}
	d := &Design{X: x, Y: make([]float64, n), Names: []string{"(Intercept)"}, Assign: []int{0}, Groups: []string{"(Intercept)"}}
	m, err := FitAuto(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Method != MethodFirth || !slices.Equal(m.Separation, []string{"(Intercept)"}) {
		t.Fatalf("method %q separation %q", m.Method, m.Separation)
	}
	pi := 0.5 / (n + 1)
	reftest.Close(t, "intercept", m.Terms[0].Estimate, math.Log(pi/(1-pi)), 1e-9, 0)
	if !HasWarning(m.Warnings, WarnFitStatistics) {
		t.Errorf("warnings %q", m.Warnings)
	}
}
