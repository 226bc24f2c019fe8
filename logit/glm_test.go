package logit

import (
	"math"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

// Reference data written by testdata/reference/logit/glm/glm_reference.R.
const glmRefDir = "testdata/reference/logit/glm/"

type glmRefStep struct {
	Action    string  `json:"action"`
	Term      string  `json:"term"`
	Statistic float64 `json:"statistic"`
	DF        int     `json:"df"`
	PValue    float64 `json:"p_value"`
}

type glmRef struct {
	Name       string      `json:"name"`
	Level      float64     `json:"level"`
	X          [][]float64 `json:"x"`
	Names      []string    `json:"names"`
	Assign     []int       `json:"assign"`
	TermLabels []string    `json:"term_labels"`
	Y          []float64   `json:"y"`
	Converged  bool        `json:"converged"`
	Iter       int         `json:"iter"`
	Warnings   []string    `json:"warnings"`

	Coef         []float64   `json:"coef"`
	Vcov         [][]float64 `json:"vcov"`
	SE           []float64   `json:"se"`
	Z            []float64   `json:"z"`
	P            []float64   `json:"p"`
	Fitted       []float64   `json:"fitted"`
	Deviance     float64     `json:"deviance"`
	NullDeviance float64     `json:"null_deviance"`
	LogLik       float64     `json:"loglik"`
	AIC          float64     `json:"aic"`
	BIC          float64     `json:"bic"`
	LRStatistic  float64     `json:"lr_statistic"`
	LRDF         int         `json:"lr_df"`
	LRP          float64     `json:"lr_p"`
	McFadden     float64     `json:"mcfadden"`
	Nagelkerke   float64     `json:"nagelkerke"`
	Events       int         `json:"events"`
	N            int         `json:"n"`

	CIWald    [][]float64     `json:"ci_wald"`
	CIProfile [][]reftest.Num `json:"ci_profile"`
	CIExact   [][]reftest.Num `json:"ci_exact"`

	AUC   float64   `json:"auc"`
	AUCCI []float64 `json:"auc_ci"`
	HL    struct {
		Statistic float64 `json:"statistic"`
		DF        int     `json:"df"`
		PValue    float64 `json:"p_value"`
		Groups    int     `json:"groups"`
	} `json:"hl"`
	GVIF   []float64 `json:"gvif"`
	GVIFDF []int     `json:"gvif_df"`

	Step *struct {
		Step       []string      `json:"step"`
		DF         []reftest.Num `json:"df"`
		Deviance   []reftest.Num `json:"deviance"`
		ResidDF    []int         `json:"resid_df"`
		ResidDev   []float64     `json:"resid_dev"`
		AIC        []float64     `json:"aic"`
		FinalTerms []string      `json:"final_terms"`
		FinalCoef  []float64     `json:"final_coef"`
		FinalNames []string      `json:"final_names"`
	} `json:"step"`
	ForwardLR *struct {
		Steps      []glmRefStep `json:"steps"`
		FinalTerms []string     `json:"final_terms"`
		FinalCoef  []float64    `json:"final_coef"`
		FinalNames []string     `json:"final_names"`
	} `json:"forward_lr"`

	Aliased []string `json:"aliased"`
}

// design builds the Design exactly as R's model.matrix / terms gave it.
func (r *glmRef) design() *Design {
	n, p := len(r.X), len(r.Names)
	x := mat.NewDense(n, p, nil)
	for i, row := range r.X {
		x.SetRow(i, row)
	}
	return &Design{
		X:      x,
		Y:      r.Y,
		Names:  r.Names,
		Assign: r.Assign,
		Groups: append([]string{"(Intercept)"}, r.TermLabels...),
	}
}

func glmLoadRef(t testing.TB, name string) *glmRef {
	t.Helper()
	var r glmRef
	reftest.Load(t, glmRefDir+name+".json", &r)
	return &r
}

// glmConverged lists the reference models whose fits converged.
var glmConverged = []string{"birthwt", "birthwt_interaction", "infert", "mtcars_am", "mtcars_vs", "mtcars_vs_noint"}

func TestFitAgainstR(t *testing.T) {
	for _, name := range glmConverged {
		t.Run(name, func(t *testing.T) {
			r := glmLoadRef(t, name)
			d := r.design()
			m, err := Fit(d, Options{Level: r.Level, CI: CIWald})
			if err != nil {
				t.Fatal(err)
			}
			if !m.Converged || m.Iterations != r.Iter {
				t.Errorf("converged=%v iterations=%d, R: %v %d", m.Converged, m.Iterations, r.Converged, r.Iter)
			}
			if HasWarning(m.Warnings, WarnFitted01) {
				t.Errorf("unexpected warning: %v", m.Warnings)
			}
			for j, tm := range m.Terms {
				if tm.Term != r.Names[j] {
					t.Errorf("term %d named %q, want %q", j, tm.Term, r.Names[j])
				}
				reftest.Rel(t, "coef "+tm.Term, tm.Estimate, r.Coef[j], 1e-6)
				reftest.Rel(t, "se "+tm.Term, tm.StdError, r.SE[j], 1e-6)
				reftest.Rel(t, "z "+tm.Term, tm.Statistic, r.Z[j], 1e-6)
				reftest.Rel(t, "p "+tm.Term, tm.PValue, r.P[j], 1e-6)
				reftest.Rel(t, "OR "+tm.Term, tm.OddsRatio, math.Exp(r.Coef[j]), 1e-6)
				reftest.Rel(t, "wald low "+tm.Term, tm.ConfLow, r.CIWald[j][0], 1e-6)
				reftest.Rel(t, "wald high "+tm.Term, tm.ConfHigh, r.CIWald[j][1], 1e-6)
				reftest.Rel(t, "OR wald low "+tm.Term, tm.ORConfLow, math.Exp(r.CIWald[j][0]), 1e-6)
				for k := range r.Vcov[j] {
					reftest.Rel(t, "vcov", m.Cov.At(j, k), r.Vcov[j][k], 1e-6)
				}
			}
			for i := range r.Fitted {
				reftest.Rel(t, "fitted", m.Fitted[i], r.Fitted[i], 1e-6)
			}
		})
	}
}

func TestFitSeparatedWarns(t *testing.T) {
	r := glmLoadRef(t, "mtcars_separated")
	m, err := Fit(r.design(), Options{CI: CIWald})
	if err != nil {
		t.Fatal(err)
	}
	if m.Converged || r.Converged {
		t.Fatalf("converged = %v (R %v), want false", m.Converged, r.Converged)
	}
	if m.Iterations != r.Iter {
		t.Errorf("iterations %d, R %d", m.Iterations, r.Iter)
	}
	for _, want := range []WarningCode{WarnNotConverged, WarnFitted01} {
		if !HasWarning(m.Warnings, want) {
			t.Errorf("warnings %q lack %s", m.Warnings, want)
		}
	}
	// R's glm reports both as warnings too.
	if len(r.Warnings) != 2 {
		t.Errorf("R warnings: %v", r.Warnings)
	}
	// The IRLS path is R's own, so even the diverging iterate after 25
	// steps matches glm's.
	reftest.Rel(t, "deviance", m.Deviance, r.Deviance, 1e-6)
	for j := range r.Coef {
		reftest.Rel(t, "coef "+r.Names[j], m.Coef[j], r.Coef[j], 1e-6)
	}
}

func TestFitAliasedNamesColumns(t *testing.T) {
	r := glmLoadRef(t, "birthwt_aliased")
	_, err := Fit(r.design(), Options{})
	if err == nil {
		t.Fatal("want an error for aliased columns")
	}
	for _, a := range r.Aliased {
		if !strings.Contains(err.Error(), a) {
			t.Errorf("error %q does not name R's aliased column %q", err, a)
		}
	}
	if got := Aliased(r.design().X); len(got) != len(r.Aliased) {
		t.Errorf("Aliased found %d columns, R %d", len(got), len(r.Aliased))
	}
}

func TestFitInputErrors(t *testing.T) {
	r := glmLoadRef(t, "mtcars_vs")
	good := r.design()
	cases := map[string]func(d *Design){
		"nil X":          func(d *Design) { d.X = nil },
		"short y":        func(d *Design) { d.Y = d.Y[1:] },
		"non-binary y":   func(d *Design) { d.Y = append([]float64{2}, d.Y[1:]...) },
		"single level":   func(d *Design) { d.Y = make([]float64, len(d.Y)) },
		"NaN in X":       func(d *Design) { x := mat.DenseCopyOf(d.X); x.Set(3, 1, math.NaN()); d.X = x },
		"names mismatch": func(d *Design) { d.Names = d.Names[:1] },
		"bad assign":     func(d *Design) { d.Assign = []int{0, 7} },
	}
	for name, mutate := range cases {
		d := *good
		mutate(&d)
		if _, err := Fit(&d, Options{}); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := Fit(good, Options{CI: "bootstrap"}); err == nil {
		t.Error("unknown CI method: want an error")
	}
	if _, err := Fit(good, Options{Level: 1.5}); err == nil {
		t.Error("level 1.5: want an error")
	}
}

func TestFitMaxIterReported(t *testing.T) {
	r := glmLoadRef(t, "mtcars_am") // R needs 8 iterations
	m, err := Fit(r.design(), Options{MaxIter: 3, CI: CIWald})
	if err != nil {
		t.Fatal(err)
	}
	if m.Converged || m.Iterations != 3 {
		t.Errorf("converged=%v after %d iterations, want false after 3", m.Converged, m.Iterations)
	}
	if !HasWarning(m.Warnings, WarnNotConverged) {
		t.Errorf("no non-convergence warning: %v", m.Warnings)
	}
}

// The intercept-only model (where ForwardLR can end) has the closed-form
// MLE logit(ȳ); every statistic must be finite and the LR test trivial.
func TestFitInterceptOnly(t *testing.T) {
	r := glmLoadRef(t, "mtcars_vs")
	d := SubDesign(r.design(), nil)
	m, err := Fit(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ybar := float64(r.Events) / float64(r.N)
	reftest.Rel(t, "intercept", m.Coef[0], math.Log(ybar/(1-ybar)), 1e-6)
	reftest.Rel(t, "deviance = null deviance", m.Deviance, r.NullDeviance, 1e-6)
	if m.LRDF != 0 || m.LRPValue != 1 || math.Abs(deref(m.McFaddenR2)) > 1e-12 {
		t.Errorf("LR df %d p %v McFadden %v", m.LRDF, m.LRPValue, deref(m.McFaddenR2))
	}
	tm := m.Terms[0]
	for _, v := range []float64{tm.ConfLow, tm.ConfHigh, tm.StdError, deref(m.AUC), deref(m.AUCConfLow), deref(m.AUCConfHigh), deref(m.NagelkerkeR2)} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("non-finite value %v in %+v", v, tm)
		}
	}
	if !(tm.ConfLow < tm.Estimate && tm.Estimate < tm.ConfHigh) {
		t.Errorf("profile CI [%v, %v] around %v", tm.ConfLow, tm.ConfHigh, tm.Estimate)
	}
	if m.HosmerLemeshow != nil {
		t.Error("HL computed with one distinct fitted value")
	}
}
