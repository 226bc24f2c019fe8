package dataset

import (
	"slices"
	"testing"
)

// TestCovariateTerms: log-scale fields become log(x), names R cannot
// read bare are quoted, names that are not fields stay as written, and
// every term parses back to the field it came from.
func TestCovariateTerms(t *testing.T) {
	s := &Schema{Name: "t", Fields: []*Field{
		{Name: "y", Type: TypeInteger, Role: RoleOutcome},
		{Name: "rd spend", Type: TypeNumber, Role: RoleCovariate, Transform: "log"},
		{Name: "age", Type: TypeNumber, Role: RoleCovariate},
		{Name: "size", Type: TypeNumber, Role: RoleCovariate, Transform: "log"},
	}}
	got := CovariateTerms(s, []string{"rd spend", "age", "size", "log(age)"})
	want := []string{"log(`rd spend`)", "age", "log(size)", "log(age)"}
	if !slices.Equal(got, want) {
		t.Fatalf("CovariateTerms = %q, want %q", got, want)
	}
	f, err := ParseFormula("y ~ " + got[0] + " + " + got[1] + " + " + got[2])
	if err != nil {
		t.Fatal(err)
	}
	wantVars := []Variable{{Name: "rd spend", Log: true}, {Name: "age"}, {Name: "size", Log: true}}
	if !slices.Equal(f.Vars, wantVars) {
		t.Errorf("parsed back as %+v, want %+v", f.Vars, wantVars)
	}
	for i, term := range got[:3] {
		v, err := ParseVariable(term)
		if err != nil || v != wantVars[i] {
			t.Errorf("ParseVariable(%q) = %+v, %v; want %+v", term, v, err, wantVars[i])
		}
	}
	if df, err := DefaultFormula(s); err != nil || df != "y ~ log(`rd spend`) + age + log(size)" {
		t.Errorf("DefaultFormula = %q, %v", df, err)
	}
}
