package analysis

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"github.com/ccstudy/ccstudy/logit"
)

// globalRef is one model of testdata/reference/logitcmd/global_p.json.
type globalRef struct {
	Name    string `json:"name"`
	Formula string `json:"formula"`
	N       int    `json:"n"`
	Tests   []struct {
		Term      string  `json:"term"`
		DF        int     `json:"df"`
		Statistic float64 `json:"statistic"`
		PValue    float64 `json:"p_value"`
	} `json:"tests"`
}

// TestGlobalTestsMatchR compares the global likelihood-ratio tests of
// multi-level factors and interaction blocks, adjusted and crude, on the
// reference study and on survival::pbc, with car::Anova(type = 2, LR).
func TestGlobalTestsMatchR(t *testing.T) {
	var ref struct {
		Companies []globalRef `json:"companies"`
		PBC       []globalRef `json:"pbc"`
		Lung      []globalRef `json:"lung"`
	}
	reftest.Load(t, "testdata/reference/logitcmd/global_p.json", &ref)
	pbcDir := filepath.Join("..", "..", "testdata", "foreign", "pbc")
	lungDir := filepath.Join("..", "..", "testdata", "foreign", "lung")
	sets := []struct {
		name   string
		csv    string
		schema string
		models []globalRef
		method string
	}{
		{"companies", companies(t), "", ref.Companies, GlobalMethod},
		{"pbc", filepath.Join(pbcDir, "pbc.csv"), filepath.Join(pbcDir, "pbc.schema.json"), ref.PBC, GlobalMethod},
		// lung is separated: the default fit is Firth's, tested by the
		// penalized likelihood ratio.
		{"lung", filepath.Join(lungDir, "lung.csv"), filepath.Join(lungDir, "lung.schema.json"), ref.Lung, GlobalMethodFirth},
	}
	checked := 0
	for _, s := range sets {
		tb := sgLoad(t, s.csv, s.schema)
		for _, want := range s.models {
			opts := DefaultLogitOptions()
			opts.CI = logit.CIWald
			opts.Formula = want.Formula
			m, err := FitFormula(tb, want.Name, want.Formula, opts)
			if err == nil {
				err = addTests(tb, m, opts)
			}
			if err != nil {
				t.Fatalf("%s %s: %v", s.name, want.Formula, err)
			}
			if m.N != want.N {
				t.Errorf("%s %s: n = %d, R %d", s.name, want.Formula, m.N, want.N)
			}
			if len(m.GlobalTests) != len(want.Tests) {
				t.Fatalf("%s %s: %d global tests %+v, R has %d", s.name, want.Formula, len(m.GlobalTests), m.GlobalTests, len(want.Tests))
			}
			for k, w := range want.Tests {
				g := m.GlobalTests[k]
				what := s.name + " " + want.Formula + " " + w.Term
				// R writes a:b where the design says a:b too; compare
				// the variables, not the spelling.
				if g.Term != w.Term || g.DF != w.DF || g.Method != s.method {
					t.Errorf("%s: term %q df %d method %q, R %q df %d", what, g.Term, g.DF, g.Method, w.Term, w.DF)
					continue
				}
				if g.Statistic == nil || g.PValue == nil {
					t.Errorf("%s: not computed: %s", what, g.Reason)
					continue
				}
				reftest.Rel(t, what+" statistic", *g.Statistic, w.Statistic, 1e-6)
				reftest.Rel(t, what+" p", *g.PValue, w.PValue, 1e-6)
				checked++
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d tests compared", checked)
	}
}

// TestGlobalTestsMarkTheirReason: under separation (maximum likelihood
// asked for) the tests are not computed and say why; a Firth fit gets
// the penalized test;
// a refit that fails marks its test and leaves the model standing.
func TestGlobalTestsMarkTheirReason(t *testing.T) {
	tb := sgLoad(t, companies(t), "")
	opts := DefaultLogitOptions()
	opts.CI = logit.CIWald
	opts.Method = logit.MethodFirth
	m, err := FitFormula(tb, "firth", "case ~ novelty + dev_years", opts)
	if err == nil {
		err = addTests(tb, m, opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	// A Firth fit's test is the penalized likelihood ratio (compared with
	// R on lung in TestGlobalTestsMatchR).
	if len(m.GlobalTests) != 1 || m.GlobalTests[0].Statistic == nil || m.GlobalTests[0].Method != GlobalMethodFirth {
		t.Errorf("Firth fit: global tests %+v, want one penalized LR test", m.GlobalTests)
	}
	opts.Method = logit.MethodMLE
	sep := &logit.Model{Method: logit.MethodMLE, Separation: []string{"novelty[fast_follow]"}}
	d := m.Design
	gt := globalTests(d, sep, nil, labeler{tb.Schema, ""})
	if len(gt) != 1 || gt[0].Statistic != nil || !strings.Contains(gt[0].Reason, "separation (novelty[fast_follow])") {
		t.Errorf("separated fit: %+v", gt)
	}
	// A refit that fails: a design whose reduced model is aliased.
	ok, err := FitFormula(tb, "ml", "case ~ novelty + dev_years", opts)
	if err == nil {
		err = addTests(tb, ok, opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	if ok.GlobalTests[0].Statistic == nil {
		t.Fatalf("ML fit: %+v", ok.GlobalTests)
	}
	_, err = globalLR(aliasedReduced(d), ok.Model, 1, nil)
	if err == nil || !strings.Contains(err.Error(), "refit without novelty failed") {
		t.Errorf("failing refit: %v", err)
	}
	if errors.Unwrap(err) == nil {
		t.Errorf("the refit error does not wrap its cause: %v", err)
	}
}

// aliasedReduced copies d (DropColumns copies the matrix) with its last
// column, dev_years, set to the intercept, so that the model without
// novelty is aliased.
func aliasedReduced(d *logit.Design) *logit.Design {
	c := logit.DropColumns(d, map[string]bool{})
	r, p := c.X.Dims()
	for i := 0; i < r; i++ {
		c.X.Set(i, p-1, 1)
	}
	return c
}

// TestGlobalTestsConditional: with --strata the global test of a
// three-level factor compares conditional (exact) fits, as R's anova()
// of nested clogit models (car::Anova has no LR test with strata).
func TestGlobalTestsConditional(t *testing.T) {
	var ref struct {
		Infert []globalRef `json:"infert"`
	}
	reftest.Load(t, "testdata/reference/logitcmd/global_p.json", &ref)
	dir := filepath.Join("..", "..", "testdata", "reference", "logitcmd")
	b, err := os.ReadFile(filepath.Join(dir, "infert.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `{"name": "spontaneous", "type": "integer", `, `{"name": "spontaneous", "type": "integer", "categories": [0, 1, 2], `, 1)
	if s == string(b) {
		t.Fatal("infert.schema.json no longer spells spontaneous as the test expects")
	}
	sp := filepath.Join(t.TempDir(), "infert.schema.json")
	if err := os.WriteFile(sp, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	tb := sgLoad(t, filepath.Join(dir, "infert.csv"), sp)
	want := ref.Infert[0]
	opts := DefaultLogitOptions()
	opts.CI, opts.Strata = logit.CIWald, "stratum"
	m, err := FitFormula(tb, want.Name, want.Formula, opts)
	if err == nil {
		err = addTests(tb, m, opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	if m.Method != logit.MethodClogit || m.N != want.N || len(m.GlobalTests) != 1 {
		t.Fatalf("method %s n %d global tests %+v", m.Method, m.N, m.GlobalTests)
	}
	g, w := m.GlobalTests[0], want.Tests[0]
	if g.Term != w.Term || g.DF != w.DF || g.Statistic == nil {
		t.Fatalf("%+v, R %+v", g, w)
	}
	reftest.Rel(t, "clogit global statistic", *g.Statistic, w.Statistic, 1e-6)
	reftest.Rel(t, "clogit global p", *g.PValue, w.PValue, 1e-6)
}
