package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/stats"
)

// rGroup is one group's summary as the R reference writes it.
type rGroup struct {
	N       any       `json:"n"` // a number (continuous) or a list (categorical)
	Percent []float64 `json:"percent"`
	Mean    *float64  `json:"mean"`
	SD      *float64  `json:"sd"`
	Median  *float64  `json:"median"`
	Q1      *float64  `json:"q1"`
	Q3      *float64  `json:"q3"`
	Missing int       `json:"missing"`
}

type rVar struct {
	Variable  string   `json:"variable"`
	Kind      string   `json:"kind"`
	Levels    []any    `json:"levels"`
	Cases     rGroup   `json:"cases"`
	Controls  rGroup   `json:"controls"`
	Overall   rGroup   `json:"overall"`
	Test      string   `json:"test"`
	Statistic *float64 `json:"statistic"`
	DF        *float64 `json:"df"`
	PValue    *float64 `json:"p_value"`
	SMD       *float64 `json:"smd"`
}

type rTrend struct {
	Year        int  `json:"year"`
	Products    int  `json:"products"`
	Cumulative  int  `json:"cumulative"`
	Change      *int `json:"change"`
	Biotech     int  `json:"biotech"`
	Traditional int  `json:"traditional"`
}

type rDescribe struct {
	Table1            []rVar         `json:"table1"`
	Trend             []rTrend       `json:"trend"`
	BiotechShareCases float64        `json:"biotech_share_cases"`
	Modality          map[string]int `json:"modality"`
	Indication        map[string]int `json:"indication"`
}

func compareTable1(t *testing.T, got []stats.Table1Row, want []rVar) {
	t.Helper()
	byVar := map[string][]stats.Table1Row{}
	for _, r := range got {
		byVar[r.Variable] = append(byVar[r.Variable], r)
	}
	if len(byVar) != len(want) {
		t.Errorf("Table 1 has %d variables, R has %d", len(byVar), len(want))
	}
	const tol = 1e-6
	for _, w := range want {
		rows := byVar[w.Variable]
		if len(rows) == 0 {
			t.Errorf("%s: missing from Table 1", w.Variable)
			continue
		}
		head := rows[0]
		name := w.Variable
		if w.Test == "none" {
			if head.Test != "" || head.Note == "" {
				t.Errorf("%s: R runs no test, got test %q note %q", name, head.Test, head.Note)
			}
		} else if head.Test != w.Test {
			t.Errorf("%s: test %q, R's rule gives %q", name, head.Test, w.Test)
		}
		pairs := []struct {
			what      string
			got, want *float64
		}{{"statistic", head.Statistic, w.Statistic}, {"df", head.DF, w.DF}, {"p_value", head.PValue, w.PValue}, {"smd", head.SMD, w.SMD}}
		for _, p := range pairs {
			switch {
			case p.want == nil && p.got != nil:
				t.Errorf("%s: %s = %g, R has none", name, p.what, *p.got)
			case p.want != nil && p.got == nil:
				t.Errorf("%s: %s missing, R says %g", name, p.what, *p.want)
			case p.want != nil:
				checkClose(t, name+" "+p.what, *p.got, *p.want, tol)
			}
		}
		if w.Kind == "categorical" {
			if len(rows) != len(w.Levels) {
				t.Errorf("%s: %d levels, R has %d", name, len(rows), len(w.Levels))
				continue
			}
			for j, r := range rows {
				for _, g := range []struct {
					what string
					n    int
					pct  *float64
					ref  rGroup
				}{{"cases", r.CasesN, r.CasesPercent, w.Cases}, {"controls", r.ControlsN, r.ControlsPercent, w.Controls}, {"overall", r.OverallN, r.OverallPercent, w.Overall}} {
					ns := g.ref.N.([]any)
					if float64(g.n) != ns[j].(float64) {
						t.Errorf("%s[%v] %s n = %d, R %v", name, w.Levels[j], g.what, g.n, ns[j])
					}
					checkClose(t, fmt.Sprintf("%s[%v] %s percent", name, w.Levels[j], g.what), *g.pct, g.ref.Percent[j], tol)
				}
			}
			continue
		}
		r := rows[0]
		for _, g := range []struct {
			what                     string
			n                        int
			mean, sd, median, q1, q3 *float64
			missing                  *int
			ref                      rGroup
		}{
			{"cases", r.CasesN, r.CasesMean, r.CasesSD, r.CasesMedian, r.CasesQ1, r.CasesQ3, r.CasesMissing, w.Cases},
			{"controls", r.ControlsN, r.ControlsMean, r.ControlsSD, r.ControlsMedian, r.ControlsQ1, r.ControlsQ3, r.ControlsMissing, w.Controls},
			{"overall", r.OverallN, r.OverallMean, r.OverallSD, r.OverallMedian, r.OverallQ1, r.OverallQ3, r.OverallMissing, w.Overall},
		} {
			if float64(g.n) != g.ref.N.(float64) || *g.missing != g.ref.Missing {
				t.Errorf("%s %s: n %d missing %d, R n %v missing %d", name, g.what, g.n, *g.missing, g.ref.N, g.ref.Missing)
			}
			for _, p := range []struct {
				what      string
				got, want *float64
			}{{"mean", g.mean, g.ref.Mean}, {"sd", g.sd, g.ref.SD}, {"median", g.median, g.ref.Median}, {"q1", g.q1, g.ref.Q1}, {"q3", g.q3, g.ref.Q3}} {
				if (p.got == nil) != (p.want == nil) {
					t.Errorf("%s %s %s: presence differs from R", name, g.what, p.what)
				} else if p.got != nil {
					checkClose(t, name+" "+g.what+" "+p.what, *p.got, *p.want, tol)
				}
			}
		}
	}
}

// TestDescribeMatchesR checks Table 1, the trend and the portfolio of the
// reference data against testdata/reference/describe (R).
func TestDescribeMatchesR(t *testing.T) {
	var got DescribeResult
	runJSON(t, &got, "describe")
	var gotTrend struct {
		Trend []rTrend `json:"trend"`
	}
	runJSON(t, &gotTrend, "describe")
	var want rDescribe
	readReference(t, "describe/companies.json", &want)
	compareTable1(t, got.Table1, want.Table1)
	if len(gotTrend.Trend) != len(want.Trend) {
		t.Fatalf("trend has %d years, R %d", len(gotTrend.Trend), len(want.Trend))
	}
	for i, w := range want.Trend {
		g := gotTrend.Trend[i]
		if g.Year != w.Year || g.Products != w.Products || g.Cumulative != w.Cumulative || g.Biotech != w.Biotech || g.Traditional != w.Traditional ||
			(w.Change == nil) != (g.Change == nil) || (w.Change != nil && *w.Change != *g.Change) {
			t.Errorf("trend %d differs from R: got %+v, R %+v", w.Year, g, w)
		}
	}
	seen := 0
	for _, f := range got.Portfolio {
		switch f.Table {
		case "product_modality":
			if f.N != want.Modality[f.Level] {
				t.Errorf("modality %s: %d, R %d", f.Level, f.N, want.Modality[f.Level])
			}
			seen++
		case "product_indication":
			if f.N != want.Indication[f.Level] {
				t.Errorf("indication %s: %d, R %d", f.Level, f.N, want.Indication[f.Level])
			}
			seen++
		case "cases_company_type":
			if f.Level == "biotech" {
				checkClose(t, "biotech share among cases", f.Percent/100, want.BiotechShareCases, 1e-12)
				seen++
			}
		}
	}
	if seen != len(want.Modality)+len(want.Indication)+1 {
		t.Errorf("portfolio rows compared: %d", seen)
	}
}

// TestDescribeUserDataMatchesR runs describe on a public dataset (MASS's
// birthwt) given as a user's CSV with its own Table Schema.
func TestDescribeUserDataMatchesR(t *testing.T) {
	var want struct {
		Table1    []rVar   `json:"table1"`
		Nonnormal []string `json:"nonnormal"`
	}
	readReference(t, "describe/birthwt.json", &want)
	var got DescribeResult
	runJSON(t, &got, "describe", "--data", testdataPath("reference/describe/birthwt.csv"),
		"--schema", testdataPath("reference/describe/birthwt.schema.json"),
		"--vars", "age,lwt,race,smoke,ptl,ht,ui,ftv", "--nonnormal", strings.Join(want.Nonnormal, ","))
	compareTable1(t, got.Table1, want.Table1)
	if got.Data.RowsRead != 189 || len(got.Trend) != 0 {
		t.Errorf("rows read %d, trend %d rows (birthwt has no products)", got.Data.RowsRead, len(got.Trend))
	}
}

func TestDescribeBadInput(t *testing.T) {
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"describe", "--vars", "novelt"}, 2, `unknown variable "novelt" in --vars (valid: case, company_type`},
		{[]string{"describe", "--by", "novelty"}, 1, "grouping variable novelty is not binary"},
		{[]string{"describe", "--by", "dev_years"}, 1, "grouping variable must be 0 or 1"},
		{[]string{"describe", "--by", "nope"}, 2, `unknown --by variable "nope"`},
		{[]string{"describe", "--nonnormal", "novelty"}, 2, "novelty is categorical"},
	}
	for _, c := range cases {
		_, errOut, code := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("ccstudy %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, errOut, c.code, c.msg)
		}
	}
}

// TestDescribeSingleLevelAndZeroVariance: a variable with one level, and
// a constant continuous variable, get a stated reason instead of NaN.
func TestDescribeSingleLevelAndZeroVariance(t *testing.T) {
	csv := "id,y,g,k\n1,0,a,5\n2,0,a,5\n3,1,a,5\n4,1,a,5\n"
	schema := `{"fields":[{"name":"id","type":"string","role":"id"},{"name":"y","type":"integer","role":"outcome"},
	{"name":"g","type":"string","categories":["a","b"]},{"name":"k","type":"number"}]}`
	dir := t.TempDir()
	sp := dir + "/s.json"
	if err := writeFile(sp, schema); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, csv, "describe", "--data", "-", "--schema", sp)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"g: no test: only one level observed", "k: no test:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Errorf("output shows NaN:\n%s", out)
	}
}
