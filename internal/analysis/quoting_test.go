package analysis

import (
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
)

// TestFormulasQuoteOddNames: the formulas the analyses build themselves
// (from --covariates, for a crude model, for a subgroup's model without
// the split variable) quote an outcome or covariate whose name is not
// syntactic in R, so they parse back to the same fields.
func TestFormulasQuoteOddNames(t *testing.T) {
	js := `{"fields": [
	  {"name": "case status", "type": "integer", "role": "outcome"},
	  {"name": "a:b", "type": "number", "role": "covariate"},
	  {"name": "log(x)", "type": "number", "role": "covariate", "transform": "log"},
	  {"name": "g` + "`" + `h", "type": "string", "role": "subgroup", "categories": ["p", "q"]}
	]}`
	s, err := dataset.ParseSchema([]byte(js), "odd.json")
	if err != nil {
		t.Fatal(err)
	}
	src, err := ResolveFormula(s, "", []string{"a:b", "log(x)", "g`h"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := dataset.ParseFormula(src)
	if err != nil {
		t.Fatalf("ResolveFormula wrote %s: %v", src, err)
	}
	want := []dataset.Variable{{Name: "a:b"}, {Name: "log(x)", Log: true}, {Name: "g`h"}}
	if f.Response != "case status" || len(f.Vars) != len(want) {
		t.Fatalf("%s parses to %q ~ %+v", src, f.Response, f.Vars)
	}
	for i, v := range want {
		if f.Vars[i] != v {
			t.Errorf("%s: variable %d is %+v, want %+v", src, i, f.Vars[i], v)
		}
	}
	without, _ := formulaWithout(f, "g`h")
	g, err := dataset.ParseFormula(without)
	if err != nil {
		t.Fatalf("formulaWithout wrote %s: %v", without, err)
	}
	if g.Response != "case status" || len(g.Vars) != 2 {
		t.Errorf("formulaWithout wrote %s, parsed as %q ~ %+v", without, g.Response, g.Vars)
	}
}
