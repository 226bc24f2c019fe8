package analysis

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"github.com/ccstudy/ccstudy/logit"
)

// A numeric × factor product that is 0 throughout a level which has rows
// (pregnancies among never-pregnant women) is not estimable: R's glm
// reports NA for it and fits the rest; so does ccstudy, with a warning
// that says why, instead of refusing the model as aliased.
func TestZeroProductColumnIsNAAsInR(t *testing.T) {
	var ref struct {
		Formula  string        `json:"formula"`
		Names    []string      `json:"names"`
		Estimate []reftest.Num `json:"estimate"`
		StdError []reftest.Num `json:"std_error"`
		Deviance float64       `json:"deviance"`
		Aliased  []string      `json:"aliased"`
	}
	reftest.Load(t, "testdata/reference/logitcmd/zero_product.json", &ref)
	dir := filepath.Join("..", "..", "testdata", "reference", "logitcmd")
	tab := sgLoad(t, filepath.Join(dir, "pima_parous.csv"), filepath.Join(dir, "pima_parous.schema.json"))
	o := DefaultLogitOptions()
	o.Method, o.CI = logit.MethodMLE, logit.CIWald
	m, err := FitFormula(tab, "multivariable", ref.Formula, o)
	if err != nil {
		t.Fatalf("the model R fits (with NA for %v) is refused: %v", ref.Aliased, err)
	}
	rname := strings.NewReplacer("[", "", "]", "")
	got := map[string]logit.Term{}
	for _, term := range m.Terms {
		got[rname.Replace(term.Term)] = term
	}
	for j, name := range ref.Names {
		term, ok := got[name]
		if isNA := slices.Contains(ref.Aliased, name); isNA {
			if ok {
				t.Errorf("%s: estimated as %g, R reports NA", name, term.Estimate)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: not estimated, R %g", name, float64(ref.Estimate[j]))
			continue
		}
		reftest.Close(t, name+" estimate", term.Estimate, float64(ref.Estimate[j]), 1e-6, 1e-9)
		reftest.Close(t, name+" std_error", term.StdError, float64(ref.StdError[j]), 1e-6, 1e-9)
	}
	reftest.Close(t, "deviance", m.Deviance, ref.Deviance, 1e-9, 0)
	var warned bool
	for _, w := range m.Warnings {
		if w.Code == WarnEmptyLevel && strings.Contains(w.Message, "npreg:parous[no]") && strings.Contains(w.Message, "parous = no") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning naming npreg:parous[no] and the level parous = no: %v", logit.Messages(m.Warnings))
	}
}
