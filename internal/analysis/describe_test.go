package analysis

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/stats"
)

// dsRefDir holds describe_reference.R and its outputs.
var dsRefDir = filepath.Join("..", "..", "testdata", "reference", "describe")

func dsReadRef(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dsRefDir, name))
	if err != nil {
		t.Fatalf("%v (rerun Rscript testdata/reference/describe/describe_reference.R from the repo root)", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// referenceStudy loads the synthetic reference study's companies (its
// products section is internal/refstudy's).
func referenceStudy(t *testing.T) *dataset.Table {
	t.Helper()
	return sgLoad(t, filepath.Join("..", "..", "testdata", "companies.csv"), "")
}

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

type rDescribe struct {
	Table1 []rVar `json:"table1"`
}

func compareTable1(t *testing.T, rows []Table1Row, want []rVar) {
	got := make([]stats.Table1Row, len(rows))
	for i, r := range rows {
		got[i] = r.Table1Row
	}
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
				sgClose(t, name+" "+p.what, *p.got, *p.want, tol)
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
					sgClose(t, fmt.Sprintf("%s[%v] %s percent", name, w.Levels[j], g.what), *g.pct, g.ref.Percent[j], tol)
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
					sgClose(t, name+" "+g.what+" "+p.what, *p.got, *p.want, tol)
				}
			}
		}
	}
}

// TestDescribeMatchesR checks Table 1 of the reference data against
// testdata/reference/describe (R); its trend and portfolio are checked in
// internal/refstudy.
func TestDescribeMatchesR(t *testing.T) {
	got, err := Describe(referenceStudy(t), DescribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want rDescribe
	dsReadRef(t, "companies.json", &want)
	compareTable1(t, got.Table1, want.Table1)
}

// TestDescribeUserDataMatchesR runs describe on a public dataset (MASS's
// birthwt) given as a user's CSV with its own Table Schema.
func TestDescribeUserDataMatchesR(t *testing.T) {
	var want struct {
		Table1    []rVar   `json:"table1"`
		Nonnormal []string `json:"nonnormal"`
	}
	dsReadRef(t, "birthwt.json", &want)
	tb := sgLoad(t, filepath.Join(dsRefDir, "birthwt.csv"), filepath.Join(dsRefDir, "birthwt.schema.json"))
	got, err := Describe(tb, DescribeOptions{Vars: strings.Split("age,lwt,race,smoke,ptl,ht,ui,ftv", ","), Nonnormal: want.Nonnormal})
	if err != nil {
		t.Fatal(err)
	}
	compareTable1(t, got.Table1, want.Table1)
	if got.Data.RowsRead != 189 {
		t.Errorf("rows read %d, want 189", got.Data.RowsRead)
	}
}

// TestDescribeErrors: options naming what the data lacks are
// *OptionError (the command's usage errors), and so is a --by variable
// that is neither binary nor categorical (the choice of variable is
// wrong, as for subgroup --by).
func TestDescribeErrors(t *testing.T) {
	companies := referenceStudy(t)
	cases := []struct {
		opts   DescribeOptions
		option bool
		msg    string
	}{
		{DescribeOptions{Vars: []string{"novelt"}}, true, `unknown variable "novelt" in --vars (valid: case, company_type`},
		{DescribeOptions{Vars: []string{"case"}}, true, "--vars names the grouping variable case"},
		{DescribeOptions{By: "nope"}, true, `unknown --by variable "nope" (valid: company_id, case`},
		{DescribeOptions{Nonnormal: []string{"nope"}}, true, `unknown --nonnormal variable "nope"`},
		{DescribeOptions{Nonnormal: []string{"novelty"}}, true, "--nonnormal novelty: novelty is categorical"},
		// A category of three levels is a grouping of k groups
		// (describe_byk_test.go); an id field is none.
		{DescribeOptions{By: "company_id"}, true, "grouping variable company_id is not binary or categorical"},
		{DescribeOptions{By: "dev_years"}, true, "companies.csv:2 has 10): expected a binary (0/1) or categorical variable"},
	}
	for _, c := range cases {
		res, err := Describe(companies, c.opts)
		if err == nil || res != nil {
			t.Errorf("%+v: no error", c.opts)
			continue
		}
		if IsOptionError(err) != c.option || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: %v (option error %v); want %q, option error %v", c.opts, err, IsOptionError(err), c.msg, c.option)
		}
	}
	noOutcome, err := dataset.ParseSchema([]byte(`{"fields":[{"name":"y","type":"integer"}]}`), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := dataset.Load(strings.NewReader("y\n0\n1\n"), "d.csv", noOutcome, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Describe(tb, DescribeOptions{}); !IsOptionError(err) || !strings.Contains(err.Error(), "name the grouping variable with --by") {
		t.Errorf("schema without outcome: %v", err)
	}
}

// TestDescribeMatchedDesignNote: with the matched-set variable of a
// matched design (infert's stratum) Table 1 says that its tests ignore
// the matching, leaves the set id out of the variables, and its numbers
// are those of the unmatched table (the note changes nothing else).
func TestDescribeMatchedDesignNote(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "reference", "logitcmd")
	tb := sgLoad(t, filepath.Join(dir, "infert.csv"), filepath.Join(dir, "infert.schema.json"))
	vars := []string{"spontaneous", "induced", "age", "education"}
	plain, err := Describe(tb, DescribeOptions{Vars: vars})
	if err != nil {
		t.Fatal(err)
	}
	matched, err := Describe(tb, DescribeOptions{Vars: vars, Strata: "stratum"})
	if err != nil {
		t.Fatal(err)
	}
	if plain.MatchedNote != "" || matched.Strata != "stratum" || !strings.Contains(matched.MatchedNote, "these tests ignore the matching") || !strings.Contains(matched.MatchedNote, "logit --strata stratum") {
		t.Errorf("notes %q / %q", plain.MatchedNote, matched.MatchedNote)
	}
	a, _ := json.Marshal(plain.Table1)
	b, _ := json.Marshal(matched.Table1)
	if string(a) != string(b) {
		t.Error("the matched-design note changed Table 1")
	}
	all, err := Describe(tb, DescribeOptions{Strata: "stratum"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all.Table1 {
		if r.Variable == "stratum" {
			t.Fatal("the matched-set id is described as a variable")
		}
	}
	if _, err := Describe(tb, DescribeOptions{Strata: "stratun"}); !IsOptionError(err) || !strings.Contains(err.Error(), `unknown --strata variable "stratun"`) {
		t.Errorf("unknown --strata: %v", err)
	}
}
