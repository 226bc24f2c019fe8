package logit

import (
	"math"
	"math/rand/v2"
	"regexp"
	"runtime"
	"strconv"
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
	// At glm.control()'s defaults (the references use epsilon = 1e-14).
	ConvergedDefault bool      `json:"converged_default"`
	IterDefault      int       `json:"iter_default"`
	CoefDefault      []float64 `json:"coef_default"`
	DevianceDefault  float64   `json:"deviance_default"`
	Warnings         []string  `json:"warnings"`

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
			// Iterations is glm's count at its default control.
			if !m.Converged || m.Iterations != r.IterDefault || !r.ConvergedDefault {
				t.Errorf("converged=%v iterations=%d, R: %v %d", m.Converged, m.Iterations, r.ConvergedDefault, r.IterDefault)
			}
			if HasWarning(m.Warnings, WarnIllConditioned) {
				t.Errorf("unexpected warning: %v", m.Warnings)
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
	if m.Converged || r.ConvergedDefault {
		t.Fatalf("converged = %v (R %v), want false", m.Converged, r.ConvergedDefault)
	}
	if m.Iterations != r.IterDefault {
		t.Errorf("iterations %d, R %d", m.Iterations, r.IterDefault)
	}
	for _, want := range []WarningCode{WarnNotConverged, WarnFitted01} {
		if !HasWarning(m.Warnings, want) {
			t.Errorf("warnings %q lack %s", m.Warnings, want)
		}
	}
	// R's glm warns of the fitted values too (at epsilon = 1e-14 it stops
	// by its criterion, so that is its only warning).
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "fitted probabilities numerically 0 or 1") {
		t.Errorf("R warnings: %v", r.Warnings)
	}
	// The IRLS path is R's own, so even the diverging iterate after 25
	// steps matches glm's (at glm.control()'s defaults).
	reftest.Rel(t, "deviance", m.Deviance, r.DevianceDefault, 1e-6)
	for j := range r.CoefDefault {
		reftest.Rel(t, "coef "+r.Names[j], m.Coef[j], r.CoefDefault[j], 1e-6)
	}
	// At epsilon = 1e-14 glm declares convergence while the estimates still
	// diverge; so does this fit, without polishing towards a finite MLE.
	m14, err := Fit(r.design(), Options{CI: CIWald, Tol: 1e-14, MaxIter: 100})
	if err != nil {
		t.Fatal(err)
	}
	if m14.Converged != r.Converged || m14.Iterations != r.Iter {
		t.Errorf("epsilon 1e-14: converged %v after %d, R %v after %d", m14.Converged, m14.Iterations, r.Converged, r.Iter)
	}
	if !HasWarning(m14.Warnings, WarnFitted01) || HasWarning(m14.Warnings, WarnIllConditioned) {
		t.Errorf("epsilon 1e-14 warnings: %v", m14.Warnings)
	}
	reftest.Rel(t, "deviance 1e-14", m14.Deviance, r.Deviance, 1e-6)
	for j := range r.Coef {
		reftest.Rel(t, "coef 1e-14 "+r.Names[j], m14.Coef[j], r.Coef[j], 1e-6)
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

// Stata's logit on Spector & Mazzeo's data, as statsmodels' test suite
// publishes it (testdata/reference/logit/stata/README.md), and R's glm at
// epsilon = 1e-14 on the same CSV (spector.R).
const stataDir = "testdata/reference/logit/stata/"

// spectorDesign reads spector.csv (whitespace-separated, header OBS GPA
// TUCE PSI GRADE) into the design (Intercept), GPA, TUCE, PSI.
func spectorDesign(t *testing.T) *Design {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(reftest.Read(t, stataDir+"spector.csv"))), "\n")
	if got := strings.Fields(lines[0]); strings.Join(got, " ") != "OBS GPA TUCE PSI GRADE" {
		t.Fatalf("spector.csv header %q", got)
	}
	rows := lines[1:]
	x := mat.NewDense(len(rows), 4, nil)
	y := make([]float64, len(rows))
	for i, line := range rows {
		f := strings.Fields(line)
		if len(f) != 5 {
			t.Fatalf("spector.csv:%d: %d fields, want 5", i+2, len(f))
		}
		v := make([]float64, 5)
		for k, s := range f {
			var err error
			if v[k], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("spector.csv:%d:%d: %v", i+2, k+1, err)
			}
		}
		x.SetRow(i, []float64{1, v[1], v[2], v[3]})
		y[i] = v[4]
	}
	return &Design{X: x, Y: y, Names: []string{"(Intercept)", "GPA", "TUCE", "PSI"},
		Assign: []int{0, 1, 2, 3}, Groups: []string{"(Intercept)", "GPA", "TUCE", "PSI"}}
}

// stataResults parses the `obj.name = value` assignments of the copied
// statsmodels block into flat number lists (nested lists row by row).
func stataResults(t *testing.T) map[string][]float64 {
	t.Helper()
	src := string(reftest.Read(t, stataDir+"results_discrete_spector_logit.py.txt"))
	assign := regexp.MustCompile(`(?m)^\s*obj\.(\w+)\s*=`)
	num := regexp.MustCompile(`-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`)
	locs := assign.FindAllStringSubmatchIndex(src, -1)
	out := map[string][]float64{}
	for k, l := range locs {
		end := len(src)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		var vals []float64
		for _, line := range strings.Split(src[l[1]:end], "\n") {
			if c := strings.Index(line, "#"); c >= 0 {
				line = line[:c]
			}
			for _, s := range num.FindAllString(line, -1) {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatalf("%s: %v", src[l[2]:l[3]], err)
				}
				vals = append(vals, v)
			}
		}
		out[src[l[2]:l[3]]] = vals
	}
	return out
}

type spectorR struct {
	Names     []string    `json:"names"`
	Converged bool        `json:"converged"`
	Coef      []float64   `json:"coef"`
	SE        []float64   `json:"se"`
	Z         []float64   `json:"z"`
	P         []float64   `json:"p"`
	Vcov      [][]float64 `json:"vcov"`
	Deviance  float64     `json:"deviance"`
	LogLik    float64     `json:"loglik"`
	AIC       float64     `json:"aic"`
	BIC       float64     `json:"bic"`
	Fitted    []float64   `json:"fitted"`
}

// The estimates, SEs (inverse information at the MLE), z, p, covariance
// and likelihood agree with Stata's published values and with R's glm at
// epsilon = 1e-14. Stata and R list GPA, TUCE, PSI, then the constant.
func TestFitSpectorAgainstStataAndR(t *testing.T) {
	d := spectorDesign(t)
	st := stataResults(t)
	var r spectorR
	reftest.Load(t, stataDir+"spector_r.json", &r)
	m, err := Fit(d, Options{CI: CIWald})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Converged || !r.Converged || HasWarning(m.Warnings, WarnIllConditioned) {
		t.Fatalf("converged %v (R %v), warnings %v", m.Converged, r.Converged, m.Warnings)
	}
	ours := []int{1, 2, 3, 0} // Stata's column k is our column ours[k]
	for _, key := range []string{"params", "bse", "z", "pvalues", "cov_params", "llf", "llnull", "llr", "prsquared", "llr_pvalue", "aic", "bic"} {
		if len(st[key]) == 0 {
			t.Fatalf("no %s in the Stata results", key)
		}
	}
	if len(st["params"]) != 4 || len(st["cov_params"]) != 16 {
		t.Fatalf("Stata params %v, cov_params %d entries", st["params"], len(st["cov_params"]))
	}
	for k, j := range ours {
		tm := m.Terms[j]
		if r.Names[k] != tm.Term {
			t.Fatalf("R column %d is %s, ours %s", k, r.Names[k], tm.Term)
		}
		for _, ref := range []struct {
			who            string
			coef, se, z, p float64
		}{
			{"Stata", st["params"][k], st["bse"][k], st["z"][k], st["pvalues"][k]},
			{"R", r.Coef[k], r.SE[k], r.Z[k], r.P[k]},
		} {
			reftest.Rel(t, ref.who+" coef "+tm.Term, tm.Estimate, ref.coef, 1e-6)
			reftest.Rel(t, ref.who+" se "+tm.Term, tm.StdError, ref.se, 1e-6)
			reftest.Rel(t, ref.who+" z "+tm.Term, tm.Statistic, ref.z, 1e-6)
			reftest.Rel(t, ref.who+" p "+tm.Term, tm.PValue, ref.p, 1e-6)
		}
		for l, i := range ours {
			reftest.Rel(t, "Stata cov", m.Cov.At(j, i), st["cov_params"][4*k+l], 1e-6)
			reftest.Rel(t, "R vcov", m.Cov.At(j, i), r.Vcov[k][l], 1e-6)
		}
	}
	reftest.Rel(t, "Stata llf", m.LogLikelihood, st["llf"][0], 1e-6)
	reftest.Rel(t, "Stata deviance", m.Deviance, -2*st["llf"][0], 1e-6)
	reftest.Rel(t, "Stata null deviance", m.NullDeviance, -2*st["llnull"][0], 1e-6)
	reftest.Rel(t, "Stata LR", m.LRStatistic, st["llr"][0], 1e-6)
	reftest.Rel(t, "Stata LR p", m.LRPValue, st["llr_pvalue"][0], 1e-6)
	reftest.Rel(t, "Stata pseudo R2", deref(m.McFaddenR2), st["prsquared"][0], 1e-6)
	reftest.Rel(t, "Stata AIC", m.AIC, st["aic"][0], 1e-6)
	reftest.Rel(t, "Stata BIC", m.BIC, st["bic"][0], 1e-6)
	reftest.Rel(t, "R deviance", m.Deviance, r.Deviance, 1e-6)
	reftest.Rel(t, "R logLik", m.LogLikelihood, r.LogLik, 1e-6)
	reftest.Rel(t, "R AIC", m.AIC, r.AIC, 1e-6)
	reftest.Rel(t, "R BIC", m.BIC, r.BIC, 1e-6)
	reftest.RelSlice(t, "R fitted", m.Fitted, r.Fitted, 1e-6)
}

// discreteDesign is an n-row design of a 3-level factor, a binary and an
// integer 0..9 covariate (at most 60 patterns), with a logistic outcome.
func discreteDesign(n int) *Design {
	rng := rand.New(rand.NewPCG(13, 2))
	x := mat.NewDense(n, 5, nil)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		f := rng.IntN(3)
		b := float64(rng.IntN(2))
		k := float64(rng.IntN(10))
		row := []float64{1, 0, 0, b, k}
		if f > 0 {
			row[f] = 1
		}
		x.SetRow(i, row)
		eta := -1 + 0.5*row[1] - 0.4*row[2] + 0.8*b + 0.1*k
		if rng.Float64() < Logistic(eta) {
			y[i] = 1
		}
	}
	return &Design{X: x, Y: y, Names: []string{"(Intercept)", "f[b]", "f[c]", "b", "k"},
		Assign: []int{0, 1, 1, 2, 3}, Groups: []string{"(Intercept)", "f", "b", "k"}}
}

// The fit on covariate patterns is the fit on the rows: same estimates,
// SEs, deviance (the Bernoulli one, as R's glm reports for 0/1 data), AIC,
// fitted values and iteration count, to rounding.
func TestFitGroupedMatchesUngrouped(t *testing.T) {
	for name, d := range map[string]*Design{
		"infert":    glmLoadRef(t, "infert").design(),
		"discrete":  discreteDesign(20000),
		"separated": glmLoadRef(t, "mtcars_separated").design(),
	} {
		t.Run(name, func(t *testing.T) {
			g, ok := collapsePatterns(d.X, d.Y)
			if name == "separated" {
				// Continuous covariates: every row its own pattern.
				if ok {
					t.Fatalf("grouped %d rows into %d patterns", len(d.Y), len(g.trials))
				}
				return
			}
			if !ok || len(g.trials) > len(d.Y)/2 {
				t.Fatalf("not grouped (ok %v)", ok)
			}
			grouped, err := fitML(d, withDefaults(Options{CI: CIWald}), true)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := fitML(d, withDefaults(Options{CI: CIWald}), false)
			if err != nil {
				t.Fatal(err)
			}
			if grouped.Iterations != rows.Iterations || !grouped.Converged || !rows.Converged {
				t.Errorf("iterations %d vs %d, converged %v %v", grouped.Iterations, rows.Iterations, grouped.Converged, rows.Converged)
			}
			for j := range rows.Terms {
				reftest.Rel(t, "estimate", grouped.Terms[j].Estimate, rows.Terms[j].Estimate, 1e-10)
				reftest.Rel(t, "se", grouped.Terms[j].StdError, rows.Terms[j].StdError, 1e-10)
			}
			reftest.Rel(t, "deviance", grouped.Deviance, rows.Deviance, 1e-10)
			reftest.Rel(t, "AIC", grouped.AIC, rows.AIC, 1e-10)
			reftest.RelSlice(t, "fitted", grouped.Fitted, rows.Fitted, 1e-10)
		})
	}
}

// The blocked passes add their partial sums in a fixed order, so the fit
// is bit-for-bit the same whatever the number of threads.
func TestIRLSDeterministicAcrossGOMAXPROCS(t *testing.T) {
	d := glmSimDesign(3*irlsBlockRows + 123)
	fitWith := func(procs int) *irlsFit {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		f, err := irls(d.X, d.Y, nil, nil, 1e-8, 25, false)
		if err != nil || !f.converged {
			t.Fatalf("GOMAXPROCS %d: %v, converged %v", procs, err, f.converged)
		}
		return f
	}
	one, four := fitWith(1), fitWith(4)
	if one.dev != four.dev || one.iter != four.iter {
		t.Errorf("deviance %v vs %v, iterations %d vs %d", one.dev, four.dev, one.iter, four.iter)
	}
	_, p := d.X.Dims()
	for j := 0; j < p; j++ {
		if one.coef[j] != four.coef[j] {
			t.Errorf("coef %d: %v vs %v", j, one.coef[j], four.coef[j])
		}
		for k := 0; k < p; k++ {
			if one.cov.At(j, k) != four.cov.At(j, k) {
				t.Errorf("cov %d,%d: %v vs %v", j, k, one.cov.At(j, k), four.cov.At(j, k))
			}
		}
	}
}

// The Cholesky pre-check only accepts designs far from aliasing; a column
// 1e-5 of its norm from the others is left to the QR, which keeps it
// (R's tolerance is 1e-7), and an exact multiple is aliased.
func TestAliasedPrecheck(t *testing.T) {
	d := glmLoadRef(t, "mtcars_vs").design()
	n, _ := d.X.Dims()
	x := mat.NewDense(n, 3, nil)
	for i := 0; i < n; i++ {
		v := d.X.At(i, 1)
		wiggle := 1e-5 * v * float64(i%2*2-1)
		x.SetRow(i, []float64{1, v, 3*v + wiggle})
	}
	if !clearlyFullRank(d.X) {
		t.Error("mtcars_vs design not clearly full rank")
	}
	if clearlyFullRank(x) {
		t.Error("near-aliased design passed the pre-check")
	}
	if al := Aliased(x); len(al) != 0 {
		t.Errorf("near-aliased (1e-5) column reported aliased: %v", al)
	}
	for i := 0; i < n; i++ {
		x.Set(i, 2, 3*x.At(i, 1))
	}
	if al := Aliased(x); len(al) != 1 || al[0] != 2 {
		t.Errorf("exact multiple: aliased %v, want [2]", al)
	}
}
