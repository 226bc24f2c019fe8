package main

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/render"
)

type rHL struct {
	Statistic float64 `json:"statistic"`
	DF        int     `json:"df"`
	PValue    float64 `json:"p_value"`
}

type rModel struct {
	Name           string     `json:"name"`
	Names          []string   `json:"names"`
	Estimate       []float64  `json:"estimate"`
	StdError       []float64  `json:"std_error"`
	Statistic      []float64  `json:"statistic"`
	PValue         []float64  `json:"p_value"`
	ConfLow        []float64  `json:"conf_low"`
	ConfHigh       []float64  `json:"conf_high"`
	ExactLow       []float64  `json:"exact_low"`
	ExactHigh      []float64  `json:"exact_high"`
	VIF            []*float64 `json:"vif"`
	N              int        `json:"n"`
	Events         int        `json:"events"`
	NullDeviance   float64    `json:"null_deviance"`
	Deviance       float64    `json:"deviance"`
	LogLikelihood  float64    `json:"log_likelihood"`
	AIC            float64    `json:"aic"`
	BIC            float64    `json:"bic"`
	LRStatistic    float64    `json:"lr_statistic"`
	LRDF           int        `json:"lr_df"`
	LRPValue       float64    `json:"lr_p_value"`
	McFaddenR2     float64    `json:"mcfadden_r2"`
	NagelkerkeR2   float64    `json:"nagelkerke_r2"`
	AUC            float64    `json:"auc"`
	AUCConfLow     float64    `json:"auc_conf_low"`
	AUCConfHigh    float64    `json:"auc_conf_high"`
	Iterations     int        `json:"iterations"`
	HosmerLemeshow *rHL       `json:"hosmer_lemeshow"`
}

// jsonModel is the logit JSON contract as a script reads it.
type jsonModel struct {
	Name           string   `json:"name"`
	Formula        string   `json:"formula"`
	Method         string   `json:"method"`
	Converged      bool     `json:"converged"`
	Iterations     int      `json:"iterations"`
	N              int      `json:"n"`
	Events         int      `json:"events"`
	NullDeviance   float64  `json:"null_deviance"`
	Deviance       float64  `json:"deviance"`
	LogLikelihood  float64  `json:"log_likelihood"`
	AIC            float64  `json:"aic"`
	BIC            float64  `json:"bic"`
	LRStatistic    float64  `json:"lr_statistic"`
	LRDF           int      `json:"lr_df"`
	LRPValue       float64  `json:"lr_p_value"`
	McFaddenR2     float64  `json:"mcfadden_r2"`
	NagelkerkeR2   float64  `json:"nagelkerke_r2"`
	AUC            float64  `json:"auc"`
	AUCConfLow     float64  `json:"auc_conf_low"`
	AUCConfHigh    float64  `json:"auc_conf_high"`
	HosmerLemeshow *rHL     `json:"hosmer_lemeshow"`
	Separation     []string `json:"separation"`
	Warnings       []string `json:"warnings"`
	Terms          []struct {
		Term       string   `json:"term"`
		Label      string   `json:"label"`
		Estimate   float64  `json:"estimate"`
		StdError   float64  `json:"std_error"`
		Statistic  float64  `json:"statistic"`
		PValue     float64  `json:"p_value"`
		OddsRatio  float64  `json:"odds_ratio"`
		ORConfLow  float64  `json:"or_conf_low"`
		ORConfHigh float64  `json:"or_conf_high"`
		ConfLow    float64  `json:"conf_low"`
		ConfHigh   float64  `json:"conf_high"`
		VIF        *float64 `json:"vif"`
	} `json:"terms"`
}

type jsonLogit struct {
	Data struct {
		Path     string `json:"path"`
		RowsRead int    `json:"rows_read"`
		RowsUsed int    `json:"rows_used"`
	} `json:"data"`
	Models []jsonModel `json:"models"`
}

// rName is R's model.matrix column name for a ccstudy term name:
// "novelty[first_in_class]" → "noveltyfirst_in_class".
func rName(term string) string {
	return strings.NewReplacer("[", "", "]", "").Replace(term)
}

func compareModel(t *testing.T, got jsonModel, want rModel) {
	t.Helper()
	name := want.Name
	if got.Name != name {
		t.Errorf("model %q, R %q", got.Name, name)
	}
	if len(got.Terms) != len(want.Names) {
		t.Fatalf("%s: %d terms, R %d", name, len(got.Terms), len(want.Names))
	}
	const tol = 1e-6
	for j, term := range got.Terms {
		if rName(term.Term) != want.Names[j] {
			t.Errorf("%s: term %d is %q, R's column is %q", name, j, term.Term, want.Names[j])
		}
		what := name + " " + term.Term
		checkClose(t, what+" estimate", term.Estimate, want.Estimate[j], tol)
		checkClose(t, what+" std_error", term.StdError, want.StdError[j], tol)
		checkClose(t, what+" statistic", term.Statistic, want.Statistic[j], tol)
		checkClose(t, what+" p_value", term.PValue, want.PValue[j], tol)
		// Profile limits are compared with the exact roots R's uniroot finds
		// on the constrained deviance. R's confint() (also in the JSON)
		// interpolates a spline through a grid of the profile and is off by
		// up to ~4e-4 here (an interaction term), so it is not the yardstick.
		checkClose(t, what+" conf_low", term.ConfLow, want.ExactLow[j], tol)
		checkClose(t, what+" conf_high", term.ConfHigh, want.ExactHigh[j], tol)
		if want.VIF != nil && want.VIF[j] != nil {
			if term.VIF == nil {
				t.Errorf("%s: no VIF, car::vif says %g", what, *want.VIF[j])
			} else {
				checkClose(t, what+" GVIF", *term.VIF, *want.VIF[j], tol)
			}
		}
	}
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"null_deviance", got.NullDeviance, want.NullDeviance}, {"deviance", got.Deviance, want.Deviance},
		{"log_likelihood", got.LogLikelihood, want.LogLikelihood}, {"aic", got.AIC, want.AIC}, {"bic", got.BIC, want.BIC},
		{"lr_statistic", got.LRStatistic, want.LRStatistic}, {"lr_p_value", got.LRPValue, want.LRPValue},
		{"mcfadden_r2", got.McFaddenR2, want.McFaddenR2}, {"nagelkerke_r2", got.NagelkerkeR2, want.NagelkerkeR2},
		{"auc", got.AUC, want.AUC}, {"auc_conf_low", got.AUCConfLow, want.AUCConfLow}, {"auc_conf_high", got.AUCConfHigh, want.AUCConfHigh},
	} {
		checkClose(t, name+" "+c.what, c.got, c.want, tol)
	}
	if got.N != want.N || got.Events != want.Events || got.LRDF != want.LRDF || got.Iterations != want.Iterations || !got.Converged {
		t.Errorf("%s: n %d events %d lr_df %d iterations %d converged %v; R n %d events %d lr_df %d iterations %d",
			name, got.N, got.Events, got.LRDF, got.Iterations, got.Converged, want.N, want.Events, want.LRDF, want.Iterations)
	}
	switch {
	case want.HosmerLemeshow == nil && got.HosmerLemeshow != nil:
		t.Errorf("%s: Hosmer–Lemeshow reported where R's has no degrees of freedom", name)
	case want.HosmerLemeshow != nil && got.HosmerLemeshow == nil:
		t.Errorf("%s: Hosmer–Lemeshow missing", name)
	case want.HosmerLemeshow != nil:
		checkClose(t, name+" HL statistic", got.HosmerLemeshow.Statistic, want.HosmerLemeshow.Statistic, tol)
		checkClose(t, name+" HL p", got.HosmerLemeshow.PValue, want.HosmerLemeshow.PValue, tol)
		if got.HosmerLemeshow.DF != want.HosmerLemeshow.DF {
			t.Errorf("%s: HL df %d, R %d", name, got.HosmerLemeshow.DF, want.HosmerLemeshow.DF)
		}
	}
}

func compareModels(t *testing.T, got []jsonModel, want []rModel) {
	t.Helper()
	if len(got) < len(want) {
		t.Fatalf("%d models, R has %d", len(got), len(want))
	}
	for i, w := range want {
		compareModel(t, got[i], w)
	}
}

// TestLogitMatchesR runs `ccstudy logit` on the reference data and on
// MASS::birthwt as a user's CSV, and compares every model with R's glm.
func TestLogitMatchesR(t *testing.T) {
	var want struct {
		FormulaInteraction string   `json:"formula_interaction"`
		Models             []rModel `json:"models"`
	}
	readReference(t, "logitcmd/companies.json", &want)
	var got jsonLogit
	runJSON(t, &got, "logit")
	if got.Data.Path != "embedded" || got.Data.RowsUsed != 180 {
		t.Errorf("data %+v", got.Data)
	}
	for _, m := range got.Models {
		if m.Method != "mle" || len(m.Separation) != 0 {
			t.Errorf("%s: method %s separation %v (the reference data are not separated)", m.Name, m.Method, m.Separation)
		}
	}
	compareModels(t, got.Models, want.Models[:len(want.Models)-1])

	var inter jsonLogit
	runJSON(t, &inter, "logit", "--formula", want.FormulaInteraction)
	// car::vif's values for a model with an interaction are not
	// meaningful (it says so); ccstudy shows none (TestLogitGVIF).
	iw := rModel(want.Models[len(want.Models)-1])
	iw.VIF = nil
	compareModel(t, inter.Models[0], iw)
	for _, term := range inter.Models[0].Terms {
		if term.VIF != nil {
			t.Errorf("interaction model: %s has a GVIF", term.Term)
		}
	}

	var bwant struct {
		Models []rModel `json:"models"`
	}
	readReference(t, "logitcmd/birthwt.json", &bwant)
	var bgot jsonLogit
	runJSON(t, &bgot, "logit", "--data", testdataPath("reference/describe/birthwt.csv"), "--schema", testdataPath("reference/describe/birthwt.schema.json"),
		"--covariates", "age,lwt,race,smoke,ptl,ht,ui,ftv")
	compareModels(t, bgot.Models, bwant.Models)
}

func TestLogitBadInput(t *testing.T) {
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		// A variable the data lack is a usage error (exit 2), as for --per,
		// --ref and describe --by, with a did-you-mean.
		{[]string{"logit", "--covariates", "novelt"}, 2, `unknown variable "novelt" in formula (valid: case, company_type`},
		{[]string{"logit", "--covariates", "novelt"}, 2, "did you mean novelty?)"},
		{[]string{"logit", "--formula", "case ~ dev_yeers + novelty"}, 2, "did you mean dev_years?)"},
		{[]string{"logit", "--per", "dev_yeers=2"}, 2, "did you mean dev_years?)"},
		{[]string{"logit", "--strata", "nope"}, 2, `unknown --strata variable "nope"`},
		{[]string{"logit", "--formula", "case ~ dev_years + log()"}, 1, "^"},
		{[]string{"logit", "--formula", "case ~ log(company_type)"}, 1, "company_type"},
		{[]string{"logit", "--formula", "novelty ~ dev_years"}, 1, "novelty"},
		{[]string{"logit", "--ref", "novelty=frist"}, 2, "frist"}, // a flag value the data lack: usage (exit 2), as --exposure
	}
	for _, c := range cases {
		_, errOut, code := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("ccstudy %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, errOut, c.code, c.msg)
		}
	}
}

// TestLogitSeparationSwitchesToFirth: a covariate that predicts the
// outcome perfectly triggers Firth automatically, and the output says so.
func TestLogitSeparationSwitchesToFirth(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,y,x,z\n")
	for i := 0; i < 40; i++ {
		y := i % 2
		x := y // x separates y completely
		z := (i / 2) % 5
		b.WriteString(strings.Join([]string{"r" + itoa(i), itoa(y), itoa(x), itoa(z)}, ",") + "\n")
	}
	dir := t.TempDir()
	sp := dir + "/s.json"
	if err := writeFile(sp, `{"fields":[{"name":"id","type":"string","role":"id"},{"name":"y","type":"integer","role":"outcome"},
	{"name":"x","type":"integer","role":"covariate"},{"name":"z","type":"integer","role":"covariate"}]}`); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, b.String(), "logit", "--data", "-", "--schema", sp)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "separation detected") || !strings.Contains(out, "Firth") {
		t.Errorf("output does not say it switched to Firth:\n%s", out)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestLogitStrataMatchesClogit runs conditional logistic regression on
// R's infert matched sets and compares with survival::clogit (exact).
func TestLogitStrataMatchesClogit(t *testing.T) {
	var want struct {
		Names     []string  `json:"names"`
		Estimate  []float64 `json:"estimate"`
		StdError  []float64 `json:"std_error"`
		Statistic []float64 `json:"statistic"`
		PValue    []float64 `json:"p_value"`
		ConfLow   []float64 `json:"conf_low"`
		ConfHigh  []float64 `json:"conf_high"`
		LogLik    float64   `json:"loglik"`
		LRStat    float64   `json:"lr_statistic"`
		LRPValue  float64   `json:"lr_p_value"`
		N, Events int
	}
	readReference(t, "logitcmd/clogit_infert.json", &want)
	var got jsonLogit
	runJSON(t, &got, "logit", "--data", testdataPath("reference/logitcmd/infert.csv"), "--schema", testdataPath("reference/logitcmd/infert.schema.json"),
		"--strata", "stratum", "--covariates", "spontaneous,induced")
	m := got.Models[0]
	out, _, _ := runCLI(t, "", "logit", "--data", testdataPath("reference/logitcmd/infert.csv"), "--schema", testdataPath("reference/logitcmd/infert.schema.json"),
		"--strata", "stratum", "--covariates", "spontaneous,induced", "--format", "json")
	if !strings.Contains(out, `"auc": null`) || !strings.Contains(out, `"mcfadden_r2": null`) {
		t.Errorf("a conditional fit must leave AUC and pseudo-R² null, not 0")
	}
	if m.Method != "clogit" || len(m.Terms) != len(want.Names) {
		t.Fatalf("method %s, %d terms", m.Method, len(m.Terms))
	}
	for j, term := range m.Terms {
		if term.Term != want.Names[j] {
			t.Errorf("term %d: %s, R %s", j, term.Term, want.Names[j])
		}
		checkClose(t, term.Term+" estimate", term.Estimate, want.Estimate[j], 1e-6)
		checkClose(t, term.Term+" std_error", term.StdError, want.StdError[j], 1e-6)
		checkClose(t, term.Term+" statistic", term.Statistic, want.Statistic[j], 1e-6)
		checkClose(t, term.Term+" p_value", term.PValue, want.PValue[j], 1e-6)
		checkClose(t, term.Term+" conf_low", term.ConfLow, want.ConfLow[j], 1e-6)
		checkClose(t, term.Term+" conf_high", term.ConfHigh, want.ConfHigh[j], 1e-6)
	}
	checkClose(t, "log-likelihood", m.LogLikelihood, want.LogLik, 1e-6)
	checkClose(t, "LR statistic", m.LRStatistic, want.LRStat, 1e-6)
	checkClose(t, "LR p", m.LRPValue, want.LRPValue, 1e-6)
	if m.N != want.N || m.Events != want.Events {
		t.Errorf("n %d events %d, R %d %d", m.N, m.Events, want.N, want.Events)
	}
}

// TestLogitMLESeparationIsFlagged: with --method mle on separated data the
// MLE does not exist; the output must say so instead of printing the huge
// odds ratio IRLS stops at, and the JSON must survive the infinite limit.
func TestLogitMLESeparationIsFlagged(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,y,x\n")
	for i := 0; i < 20; i++ {
		b.WriteString("r" + itoa(i) + "," + itoa(i%2) + "," + itoa(i%2) + "\n")
	}
	sp := t.TempDir() + "/s.json"
	if err := writeFile(sp, `{"fields":[{"name":"id","type":"string","role":"id"},{"name":"y","type":"integer","role":"outcome"},{"name":"x","type":"integer","role":"covariate"}]}`); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, b.String(), "logit", "--data", "-", "--schema", sp, "--method", "mle")
	if code != 0 || !strings.Contains(out, "not estimable (separation)") || !strings.Contains(out, "separation detected (x)") {
		t.Errorf("exit %d %s\n%s", code, errOut, out)
	}
	if strings.Contains(out, "e+") || strings.Contains(out, "0000000000") {
		t.Errorf("a huge odds ratio is printed:\n%s", out)
	}
	out, errOut, code = runCLI(t, b.String(), "logit", "--data", "-", "--schema", sp, "--method", "mle", "--format", "json")
	if code != 0 || !strings.Contains(out, `"Inf"`) {
		t.Errorf("json: exit %d %s\n%s", code, errOut, out)
	}
}

// TestLogitCSVFullPrecision: scripts reading --format csv get the
// coefficients at full precision, equal to the JSON's.
func TestLogitCSVFullPrecision(t *testing.T) {
	out, errOut, code := runCLI(t, "", "logit", "--format", "csv", "--ci", "wald")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var js jsonLogit
	runJSON(t, &js, "logit", "--ci", "wald")
	sec := out[strings.Index(out, "# coefficients\n")+len("# coefficients\n"):]
	sec = sec[:strings.Index(sec, "\n\n")]
	rows, err := csv.NewReader(strings.NewReader(sec)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The code comes first, its label beside it, then broom's columns.
	if strings.Join(rows[0][:3], ",") != "term,label,estimate" || len(rows)-1 != len(js.Models[0].Terms) {
		t.Fatalf("header %v, %d rows", rows[0], len(rows)-1)
	}
	for i, term := range js.Models[0].Terms {
		est, err := strconv.ParseFloat(rows[i+1][2], 64)
		if err != nil || est != term.Estimate || rows[i+1][0] != term.Term || rows[i+1][1] != term.Label {
			t.Errorf("row %d: %v, JSON %s %s %v", i, rows[i+1][:3], term.Term, term.Label, term.Estimate)
		}
	}
}

// TestLogitPartsThatFailAreMarked: a fit statistic that cannot be
// computed (Hosmer–Lemeshow with one binary covariate: too few distinct
// fitted values) says why in its cell, and the run succeeds; a crude
// model that failed marks its Table 2 cells and says why in a note; a
// selection that failed gets a table with its reason.
func TestLogitPartsThatFailAreMarked(t *testing.T) {
	out, errOut, code := runCLI(t, "", "logit", "--covariates", "orphan_drug")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "│ Hosmer–Lemeshow               │ not computed: Hosmer-Lemeshow test not computed: fitted probabilities form only") {
		t.Errorf("the Hosmer–Lemeshow cell does not say why:\n%s", out)
	}

	st, err := (&GlobalOptions{}).LoadStudy()
	if err != nil {
		t.Fatal(err)
	}
	o := analysis.DefaultLogitOptions()
	o.Covariates, o.Univariable = []string{"novelty", "orphan_drug"}, true
	res, err := analysis.Logit(st.Companies, o)
	if err != nil {
		t.Fatal(err)
	}
	// As analysis.Logit reports a crude model that failed (its own tests
	// make one fail): without its model, with its reason.
	res.Crude = res.Crude[:1]
	res.Failures = []analysis.ModelFailure{{Name: "univariable:orphan_drug", Term: "orphan_drug", Label: "orphan_drug", Status: analysis.StatusFailed, Reason: "injected failure"}}
	res.SelectionReason = "injected selection failure"
	opts := &LogitOptions{GlobalOptions: &GlobalOptions{}, LogitOptions: o}
	var b strings.Builder
	if err := render.WriteText(&b, logitDocument(res, opts, false), render.TextOptions{TTY: true}); err != nil { // the terminal layout
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"│ Orphan-drug status      │ not computed (see notes) │",
		"Crude model of orphan_drug not computed: injected failure.",
		"Exploratory model selection: not computed", "│ not computed │ injected selection failure │",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

// rGLM is one glm fit of samples_levels.R: the estimable coefficients.
type rGLM struct {
	Name      string    `json:"name"`
	Estimable []string  `json:"estimable"`
	Estimate  []float64 `json:"estimate"`
	StdError  []float64 `json:"std_error"`
	PValue    []float64 `json:"p_value"`
	N         int       `json:"n"`
	Events    int       `json:"events"`
	Deviance  float64   `json:"deviance"`
}

type samplesLevelsRef struct {
	EmptyLevel struct {
		Schema string `json:"schema"`
		Models []rGLM `json:"models"`
	} `json:"empty_level"`
	Samples struct {
		Covariates []string `json:"covariates"`
		Adjusted   rGLM     `json:"adjusted"`
		Available  []rGLM   `json:"available"`
		Complete   []rGLM   `json:"complete"`
	} `json:"samples"`
	FirthGVIF struct {
		Terms []string  `json:"terms"`
		GVIF  []float64 `json:"gvif"`
	} `json:"firth_gvif"`
	InteractionVIF struct {
		Formula    string `json:"formula"`
		CarMessage string `json:"car_message"`
	} `json:"interaction_vif"`
}

// compareGLM compares a model's terms, estimates, SEs, p-values,
// deviance, n and events with R's glm at epsilon = 1e-14: which columns
// and which rows make the model, and that its SEs are those at the MLE.
func compareGLM(t *testing.T, got jsonModel, want rGLM) {
	t.Helper()
	if got.Name != want.Name || len(got.Terms) != len(want.Estimable) {
		t.Fatalf("model %s with %d terms, R %s with %v", got.Name, len(got.Terms), want.Name, want.Estimable)
	}
	for j, term := range got.Terms {
		if rName(term.Term) != want.Estimable[j] {
			t.Errorf("%s: term %d is %s, R %s", want.Name, j, term.Term, want.Estimable[j])
		}
		checkClose(t, want.Name+" "+term.Term+" estimate", term.Estimate, want.Estimate[j], 1e-6)
		checkClose(t, want.Name+" "+term.Term+" std_error", term.StdError, want.StdError[j], 1e-6)
		checkClose(t, want.Name+" "+term.Term+" p_value", term.PValue, want.PValue[j], 1e-6)
	}
	checkClose(t, want.Name+" deviance", got.Deviance, want.Deviance, 1e-6)
	if got.N != want.N || got.Events != want.Events {
		t.Errorf("%s: n %d (%d events), R %d (%d)", want.Name, got.N, got.Events, want.N, want.Events)
	}
}

// TestLogitEmptyLevelMatchesR: a level that no row has (race = asian,
// declared in the schema only) is left out of the adjusted and the crude
// model with a typed note naming it, and the other coefficients are R's.
func TestLogitEmptyLevelMatchesR(t *testing.T) {
	var want samplesLevelsRef
	readReference(t, "logitcmd/samples_levels.json", &want)
	args := []string{"logit", "--data", testdataPath("reference/describe/birthwt.csv"), "--schema", testdataPath("reference/logitcmd/birthwt_emptylevel.schema.json"),
		"--formula", "low ~ age + lwt + race + smoke", "--ci", "wald"}
	var got struct {
		Models []struct {
			jsonModel
			Unestimable []struct {
				Code   string `json:"code"`
				Column string `json:"column"`
				Levels []struct {
					Variable string `json:"variable"`
					Level    string `json:"level"`
				} `json:"levels"`
			} `json:"unestimable"`
		} `json:"models"`
	}
	runJSON(t, &got, args...)
	if len(got.Models) < 2 {
		t.Fatalf("%d models", len(got.Models))
	}
	byName := map[string]int{}
	for i, m := range got.Models {
		byName[m.Name] = i
	}
	for _, w := range want.EmptyLevel.Models {
		i, ok := byName[w.Name]
		if !ok {
			t.Fatalf("no model %s", w.Name)
		}
		m := got.Models[i]
		compareGLM(t, m.jsonModel, w)
		if u := m.Unestimable; len(u) != 1 || u[0].Code != "empty_level" || u[0].Column != "race[asian]" || len(u[0].Levels) != 1 ||
			u[0].Levels[0].Variable != "race" || u[0].Levels[0].Level != "asian" {
			t.Errorf("%s: unestimable %+v", w.Name, u)
		}
	}
	out, errOut, code := runCLI(t, "", args...)
	if code != 0 || !strings.Contains(out, "multivariable: race = asian has no rows in the model's sample: not estimable, left out (as R's glm).") {
		t.Errorf("exit %d %s: no note naming the empty level:\n%s", code, errOut, out)
	}
}

// TestLogitCrudeSamplesMatchR: on survival::lung, whose covariates have
// missing values, each crude model uses its variable's available rows by
// default and the adjusted model's complete cases with --crude-sample
// complete; Table 2 shows each crude model's n and events.
func TestLogitCrudeSamplesMatchR(t *testing.T) {
	var want samplesLevelsRef
	readReference(t, "logitcmd/samples_levels.json", &want)
	base := []string{"logit", "--data", testdataPath("foreign/lung/lung.csv"), "--schema", testdataPath("foreign/lung/lung.schema.json"),
		"--covariates", strings.Join(want.Samples.Covariates, ","), "--ci", "wald"}
	for _, c := range []struct {
		sample string
		want   []rGLM
	}{{"", want.Samples.Available}, {"available", want.Samples.Available}, {"complete", want.Samples.Complete}} {
		args := base
		if c.sample != "" {
			args = append(append([]string(nil), base...), "--crude-sample", c.sample)
		}
		var got struct {
			CrudeSample string      `json:"crude_sample"`
			Models      []jsonModel `json:"models"`
		}
		runJSON(t, &got, args...)
		if wantSample := c.sample; got.CrudeSample != wantSample && !(wantSample == "" && got.CrudeSample == "available") {
			t.Errorf("crude_sample %q for --crude-sample %q", got.CrudeSample, c.sample)
		}
		if len(got.Models) != 1+len(c.want) {
			t.Fatalf("%d models, R %d", len(got.Models), 1+len(c.want))
		}
		compareGLM(t, got.Models[0], want.Samples.Adjusted)
		for k, w := range c.want {
			compareGLM(t, got.Models[k+1], w)
		}
		out, errOut, code := runCLI(t, "", append(args, "--format", "csv")...)
		if code != 0 {
			t.Fatalf("exit %d %s", code, errOut)
		}
		// Table 2's tidy CSV: each crude row carries its model's n and
		// events in their own columns.
		t2 := csvSection(t, out, "table2")
		nc, ec, mc, vc := column(t, t2[0], "n"), column(t, t2[0], "n_events"), column(t, t2[0], "model"), column(t, t2[0], "variable")
		seen := 0
		for _, row := range t2[1:] {
			if row[mc] != "crude" {
				continue
			}
			for k, v := range want.Samples.Covariates {
				if row[vc] == v {
					seen++
					if w := c.want[k]; row[nc] != strconv.Itoa(w.N) || row[ec] != strconv.Itoa(w.Events) {
						t.Errorf("--crude-sample %q: %s crude n %s events %s, R n %d events %d", c.sample, row[vc], row[nc], row[ec], w.N, w.Events)
					}
				}
			}
		}
		if seen < len(want.Samples.Covariates) {
			t.Errorf("--crude-sample %q: %d crude rows of the covariates %v", c.sample, seen, want.Samples.Covariates)
		}
	}
	if _, errOut, code := runCLI(t, "", append(base, "--crude-sample", "all")...); code != 2 || !strings.Contains(errOut, "expected one of available, complete") {
		t.Errorf("--crude-sample all: exit %d %s", code, errOut)
	}
}

// TestLogitGVIF: a Firth fit gets car::vif's GVIFs of the brglm2 model;
// a model with an interaction gets a note instead of values, as car::vif
// warns.
func TestLogitGVIF(t *testing.T) {
	var want samplesLevelsRef
	readReference(t, "logitcmd/samples_levels.json", &want)
	data := []string{"--data", testdataPath("reference/describe/birthwt.csv"), "--schema", testdataPath("reference/describe/birthwt.schema.json")}
	var got jsonLogit
	runJSON(t, &got, append([]string{"logit", "--method", "firth", "--ci", "wald", "--covariates", "age,lwt,race,smoke,ptl,ht,ui,ftv"}, data...)...)
	m := got.Models[0]
	if m.Method != "firth" {
		t.Fatalf("method %s", m.Method)
	}
	gvif := map[string]float64{}
	for k, term := range want.FirthGVIF.Terms {
		gvif[term] = want.FirthGVIF.GVIF[k]
	}
	for _, term := range m.Terms {
		if term.Term == "(Intercept)" {
			continue
		}
		v, _, _ := strings.Cut(term.Term, "[")
		if term.VIF == nil {
			t.Errorf("%s: no GVIF, car::vif of the brglm2 fit %g", term.Term, gvif[v])
			continue
		}
		checkClose(t, term.Term+" Firth GVIF", *term.VIF, gvif[v], 1e-6)
	}

	if want.InteractionVIF.CarMessage == "" {
		t.Fatal("the reference lacks car::vif's interaction message")
	}
	var inter jsonLogit
	runJSON(t, &inter, append([]string{"logit", "--ci", "wald", "--formula", want.InteractionVIF.Formula}, data...)...)
	for _, term := range inter.Models[0].Terms {
		if term.VIF != nil {
			t.Errorf("%s: GVIF %g shown in a model with an interaction", term.Term, *term.VIF)
		}
	}
	out, _, _ := runCLI(t, "", append([]string{"logit", "--ci", "wald", "--formula", want.InteractionVIF.Formula}, data...)...)
	if !strings.Contains(out, "not shown: GVIFs are not meaningful with interaction terms (smoke:ui; car::vif warns so)") {
		t.Errorf("no GVIF note for the interaction model:\n%s", out)
	}
}
