package dataset

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

func TestIndicators(t *testing.T) {
	tab := makeTable(t, "companies.csv",
		testCol{Name: "company_id", Role: RoleID, Str: []string{"a", "b", "c", "d"}},
		testCol{Name: "novelty", Levels: []string{"me_too", "fast_follow", "first_in_class"},
			Str: []string{"me_too", "first_in_class", "", "fast_follow"}},
		testCol{Name: "dev_years", Type: TypeInteger, Num: []float64{1, 2, 3, math.NaN()}},
		testCol{Name: "rd_expenditure", Num: []float64{10, 20, 30, 40}},
	)
	e, err := Indicators(tab, []string{"dev_years", "novelty", "log(rd_expenditure)"})
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"dev_years", "novelty[me_too]", "novelty[fast_follow]", "novelty[first_in_class]", "log(rd_expenditure)"}
	if !slices.Equal(e.Names, wantNames) {
		t.Errorf("names %q", e.Names)
	}
	if !slices.Equal(e.Vars, []string{"dev_years", "novelty", "novelty", "novelty", "log(rd_expenditure)"}) {
		t.Errorf("vars %q", e.Vars)
	}
	if !slices.Equal(e.Rows, []int{0, 1}) {
		t.Errorf("rows %v", e.Rows)
	}
	wantEx := []Exclusion{{Row: 4, Reason: "missing novelty"}, {Row: 5, Reason: "missing dev_years"}}
	if !slices.Equal(e.Excluded, wantEx) {
		t.Errorf("excluded %+v", e.Excluded)
	}
	nov, _ := tab.Col("novelty")
	dev, _ := tab.Col("dev_years")
	rd, _ := tab.Col("rd_expenditure")
	for r, i := range e.Rows {
		if e.X.At(r, 0) != dev.Num[i] || e.X.At(r, 4) != math.Log(rd.Num[i]) {
			t.Errorf("row %d numeric columns %v", r, e.X.RawRowView(r))
		}
		sum := 0.0
		for l := 0; l < 3; l++ {
			want := 0.0
			if int(nov.Num[i]) == l {
				want = 1
			}
			if e.X.At(r, 1+l) != want {
				t.Errorf("row %d level %d = %v", r, l, e.X.At(r, 1+l))
			}
			sum += e.X.At(r, 1+l)
		}
		if sum != 1 {
			t.Errorf("row %d: indicators sum to %v", r, sum)
		}
	}
}

func TestIndicatorsErrors(t *testing.T) {
	tab := makeTable(t, "companies.csv",
		testCol{Name: "company_id", Str: []string{"a", "b"}},
		testCol{Name: "novelty", Levels: []string{"me_too", "fast_follow"}, Str: []string{"me_too", "fast_follow"}},
		testCol{Name: "x", Num: []float64{-1, 2}},
		testCol{Name: "y", Num: []float64{math.NaN(), math.NaN()}},
	)
	// A NaN that the loader did not flag missing must not pass silently.
	inf := &Column{Field: &Field{Name: "inf", Type: TypeNumber}, Num: []float64{1, math.Inf(1)}, Missing: []bool{false, false}}
	tab.Columns = append(tab.Columns, inf)
	tab.Schema.Fields = append(tab.Schema.Fields, inf.Field)
	cases := []struct {
		vars []string
		want string
	}{
		{[]string{"company_id"}, "variable company_id is text without categories and cannot be used (expected a number or a categorical field)"},
		{[]string{"novelt"}, `unknown variable "novelt" (valid: novelty, x, y, inf; did you mean novelty?)`},
		{[]string{"log(x)"}, "companies.csv:2:x: log() of -1 (expected a positive number)"},
		{[]string{"log(novelty)"}, "novelty is categorical"},
		{[]string{"x", "y"}, "all 2 rows have a missing value"},
		{nil, "no variables"},
		{[]string{"log()"}, "log() needs a field name"},
		{[]string{"inf"}, "companies.csv:3:inf: value +Inf is not a finite number"},
	}
	for _, c := range cases {
		_, err := Indicators(tab, c.vars)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.vars, err, c.want)
		}
	}
}

func TestIndicatorsMatchR(t *testing.T) {
	ref := loadDesignReference(t)
	if len(ref.Indicators) == 0 {
		t.Fatal("no indicator cases in the reference")
	}
	for _, rc := range ref.Indicators {
		t.Run(strings.Join(rc.Vars, "+"), func(t *testing.T) {
			tab := refTable(t, ref, rc.Data)
			e, err := Indicators(tab, rc.Vars)
			if err != nil {
				t.Fatal(err)
			}
			var rnames []string
			for _, n := range e.Names {
				rnames = append(rnames, rColumnName(n))
			}
			if !slices.Equal(rnames, rc.Colnames) {
				t.Fatalf("columns %q (R style %q), R %q", e.Names, rnames, rc.Colnames)
			}
			if !slices.Equal(e.Rows, rc.Rows) {
				t.Errorf("rows %v, R %v", e.Rows, rc.Rows)
			}
			if len(e.Rows)+len(e.Excluded) != tab.NRows() {
				t.Errorf("%d rows + %d excluded != %d", len(e.Rows), len(e.Excluded), tab.NRows())
			}
			if !reftest.CloseMatrix(t, "X", e.X, rc.Matrix, 1e-12, 1e-12) {
				t.FailNow()
			}
		})
	}
}

func BenchmarkIndicators(b *testing.B) {
	tab, _ := synthCompanies(b, 20000, 1)
	vars := []string{"company_type", "founder_background", "rd_leader_background", "dev_years",
		"log(rd_expenditure)", "listed", "product_source", "novelty", "orphan_drug"}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Indicators(tab, vars); err != nil {
			b.Fatal(err)
		}
	}
}
