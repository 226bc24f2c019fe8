package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/logit"
)

// Issue 13 item 4: the p-value a Firth fit shows is its penalized
// likelihood-ratio test (logistf's default), which agrees with the
// penalized profile interval beside it; the Wald p stays in the JSON.

// firthRefModel is one model of testdata/reference/logitcmd/firth_birthwt.json
// (firth_birthwt.R: brglm2 estimates, penalized LR tests and profile
// limits from the definition of the penalized likelihood).
type firthRefModel struct {
	Name             string    `json:"name"`
	Names            []string  `json:"names"`
	N                int       `json:"n"`
	Events           int       `json:"events"`
	Estimate         []float64 `json:"estimate"`
	StdError         []float64 `json:"std_error"`
	Statistic        []float64 `json:"statistic"`
	PValue           []float64 `json:"p_value"`
	ConfLow          []float64 `json:"conf_low"`
	ConfHigh         []float64 `json:"conf_high"`
	LRStatistic      []float64 `json:"lr_statistic"`
	LRPValue         []float64 `json:"lr_p_value"`
	ModelLRStatistic float64   `json:"model_lr_statistic"`
	ModelLRDF        int       `json:"model_lr_df"`
	ModelLRPValue    float64   `json:"model_lr_p_value"`
}

type firthBirthwtRef struct {
	Formula  string          `json:"formula"`
	Models   []firthRefModel `json:"models"`
	Subgroup struct {
		By         string `json:"by"`
		Formula    string `json:"formula"`
		MLEStratum struct {
			Level    string    `json:"level"`
			N        int       `json:"n"`
			Events   int       `json:"events"`
			Names    []string  `json:"names"`
			Estimate []float64 `json:"estimate"`
			StdError []float64 `json:"std_error"`
		} `json:"mle_stratum"`
		FirthStratum struct {
			Level string `json:"level"`
			firthRefModel
		} `json:"firth_stratum"`
		Cochran []struct {
			Coefficient string  `json:"coefficient"`
			Q           float64 `json:"q"`
			DF          int     `json:"df"`
			PValue      float64 `json:"p_value"`
		} `json:"cochran"`
	} `json:"subgroup_ptl"`
}

func birthwtArgs() []string {
	return []string{"--data", testdataPath("reference/describe/birthwt.csv"), "--schema", testdataPath("reference/describe/birthwt.schema.json")}
}

// csvSection is the CSV table introduced by "# name" in a --format csv
// output.
func csvSection(t *testing.T, out, name string) [][]string {
	t.Helper()
	i := strings.Index(out, "# "+name+"\n")
	if i < 0 {
		t.Fatalf("no CSV section %q", name)
	}
	sec := out[i+len(name)+3:]
	if j := strings.Index(sec, "\n\n"); j >= 0 {
		sec = sec[:j]
	}
	rows, err := csv.NewReader(strings.NewReader(sec)).ReadAll()
	if err != nil {
		t.Fatalf("CSV section %s: %v", name, err)
	}
	return rows
}

// column is the index of a header in a CSV header row.
func column(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, header)
	return -1
}

func parseNum(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}

// TestLogitFirthShowsPenalizedLRP: `ccstudy logit --method firth` on
// MASS::birthwt shows in Table 2 (adjusted and crude) and in the
// coefficient table the penalized LR p-values R computes, labels them,
// keeps brglm2's Wald p in JSON and CSV, and calls the model test the
// penalized LR test.
func TestLogitFirthShowsPenalizedLRP(t *testing.T) {
	var ref firthBirthwtRef
	readReference(t, "logitcmd/firth_birthwt.json", &ref)
	args := append([]string{"logit", "--method", "firth"}, birthwtArgs()...)

	// The premise: on these data the Wald and LR p-values differ as
	// printed for some coefficient, so showing the wrong one is caught.
	differ := false
	for _, m := range ref.Models {
		for j := range m.Names {
			differ = differ || fmtPValue(m.PValue[j]) != fmtPValue(m.LRPValue[j])
		}
	}
	if !differ {
		t.Fatal("the reference lost its premise: Wald and penalized LR p-values print the same")
	}

	// JSON: p_value stays Wald (as broom/brglm2), lr_p_value the penalized LR test.
	var js struct {
		Models []struct {
			Name        string  `json:"name"`
			Method      string  `json:"method"`
			LRStatistic float64 `json:"lr_statistic"`
			LRDF        int     `json:"lr_df"`
			LRPValue    float64 `json:"lr_p_value"`
			Terms       []struct {
				Term        string   `json:"term"`
				Estimate    float64  `json:"estimate"`
				StdError    float64  `json:"std_error"`
				PValue      float64  `json:"p_value"`
				ConfLow     float64  `json:"conf_low"`
				ConfHigh    float64  `json:"conf_high"`
				LRStatistic *float64 `json:"lr_statistic"`
				LRPValue    *float64 `json:"lr_p_value"`
			} `json:"terms"`
		} `json:"models"`
	}
	runJSON(t, &js, args...)
	if len(js.Models) != len(ref.Models) {
		t.Fatalf("%d models, R %d", len(js.Models), len(ref.Models))
	}
	for i, want := range ref.Models {
		got := js.Models[i]
		if got.Name != want.Name || got.Method != "firth" || len(got.Terms) != len(want.Names) {
			t.Fatalf("model %d: %s (%s) with %d terms; R %s with %d", i, got.Name, got.Method, len(got.Terms), want.Name, len(want.Names))
		}
		for j, tm := range got.Terms {
			what := want.Name + " " + tm.Term
			if rName(tm.Term) != want.Names[j] {
				t.Errorf("%s: R's column is %s", what, want.Names[j])
			}
			checkClose(t, what+" estimate", tm.Estimate, want.Estimate[j], 1e-6)
			checkClose(t, what+" std_error", tm.StdError, want.StdError[j], 1e-6)
			checkClose(t, what+" p_value (Wald)", tm.PValue, want.PValue[j], 1e-6)
			checkClose(t, what+" conf_low", tm.ConfLow, want.ConfLow[j], 1e-6)
			checkClose(t, what+" conf_high", tm.ConfHigh, want.ConfHigh[j], 1e-6)
			if tm.LRPValue == nil || tm.LRStatistic == nil {
				t.Errorf("%s: no lr_p_value in JSON", what)
				continue
			}
			checkClose(t, what+" lr_statistic", *tm.LRStatistic, want.LRStatistic[j], 1e-6)
			checkClose(t, what+" lr_p_value", *tm.LRPValue, want.LRPValue[j], 1e-6)
		}
		checkClose(t, want.Name+" model lr_statistic", got.LRStatistic, want.ModelLRStatistic, 1e-6)
		checkClose(t, want.Name+" model lr_p_value", got.LRPValue, want.ModelLRPValue, 1e-6)
		if got.LRDF != want.ModelLRDF {
			t.Errorf("%s: model LR df %d, R %d", want.Name, got.LRDF, want.ModelLRDF)
		}
	}

	// The value behind every shown p is R's penalized LR p (1e-6), and
	// the cells print it.
	st, err := (&GlobalOptions{Data: testdataPath("reference/describe/birthwt.csv"), Schema: testdataPath("reference/describe/birthwt.schema.json")}).LoadStudy()
	if err != nil {
		t.Fatal(err)
	}
	o := analysis.DefaultLogitOptions()
	o.Method, o.Univariable = logit.MethodFirth, true
	res, err := analysis.Logit(st.Companies, o)
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]map[string]float64{} // model → R column → p shown
	for _, m := range res.Models() {
		shown[m.Name] = map[string]float64{}
		for _, tm := range m.Terms {
			p, kind := shownP(m.Model, tm, o.CI)
			if kind != pPenalizedLR {
				t.Errorf("%s %s: p shown is of kind %d, want the penalized LR test", m.Name, tm.Term, kind)
			}
			shown[m.Name][rName(tm.Term)] = p
		}
	}
	byName := map[string]firthRefModel{}
	for _, m := range ref.Models {
		byName[m.Name] = m
		for j, c := range m.Names {
			checkClose(t, m.Name+" "+c+" p shown", shown[m.Name][c], m.LRPValue[j], 1e-6)
		}
	}

	out, errOut, code := runCLI(t, "", append(args, "--format", "csv")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Table 2's tidy CSV: each model's coefficient rows carry the Wald
	// p (p_value) and the penalized LR p (lr_p_value) that the table
	// shows, at full precision.
	t2 := csvSection(t, out, "table2")
	mc, tc, pc2, lc2 := column(t, t2[0], "model"), column(t, t2[0], "term"), column(t, t2[0], "p_value"), column(t, t2[0], "lr_p_value")
	rc := column(t, t2[0], "reference")
	adj := byName[analysis.ModelMultivariable]
	seen := 0
	for _, row := range t2[1:] {
		if row[rc] == "true" {
			continue
		}
		c := rName(row[tc])
		m := adj
		if row[mc] == "crude" {
			m = firthRefModel{}
			for _, r := range ref.Models {
				if indexOf(r.Names, c) >= 0 && len(r.Names) < len(adj.Names) {
					m = r
				}
			}
		}
		j := indexOf(m.Names, c)
		if j < 0 {
			t.Fatalf("Table 2 %s row %s not in R's model", row[mc], row[tc])
		}
		checkClose(t, row[mc]+" "+c+" Table 2 lr_p_value", parseNum(t, row[lc2]), m.LRPValue[j], 1e-6)
		checkClose(t, row[mc]+" "+c+" Table 2 p_value", parseNum(t, row[pc2]), m.PValue[j], 1e-6)
		seen++
	}
	if seen < 2*(len(adj.Names)-1) {
		t.Errorf("Table 2 CSV has %d coefficient rows, want %d", seen, 2*(len(adj.Names)-1))
	}

	// Coefficient CSV: Wald and penalized LR columns at full precision.
	co := csvSection(t, out, "coefficients")
	pc, lc, sc := column(t, co[0], "p_value"), column(t, co[0], "lr_p_value"), column(t, co[0], "lr_statistic")
	for i, row := range co[1:] {
		checkClose(t, row[0]+" CSV p_value", parseNum(t, row[pc]), adj.PValue[i], 1e-6)
		checkClose(t, row[0]+" CSV lr_p_value", parseNum(t, row[lc]), adj.LRPValue[i], 1e-6)
		checkClose(t, row[0]+" CSV lr_statistic", parseNum(t, row[sc]), adj.LRStatistic[i], 1e-6)
	}
	// The fit CSV is one tidy row: the model's LR test vs null is the
	// penalized one, at full precision.
	fit := csvSection(t, out, "fit")
	if len(fit) != 2 || fit[1][column(t, fit[0], "lr_penalized")] != "true" {
		t.Errorf("the Firth model's LR test is not marked penalized: %v", fit)
	} else {
		checkClose(t, "fit lr_statistic", parseNum(t, fit[1][column(t, fit[0], "lr_statistic")]), adj.ModelLRStatistic, 1e-6)
		checkClose(t, "fit lr_p_value", parseNum(t, fit[1][column(t, fit[0], "lr_p_value")]), adj.ModelLRPValue, 1e-6)
		if got := fit[1][column(t, fit[0], "lr_df")]; got != strconv.Itoa(adj.ModelLRDF) {
			t.Errorf("fit lr_df %s, R %d", got, adj.ModelLRDF)
		}
	}

	// Text: the tables say which test the p-values are.
	text, _, _ := runCLI(t, "", args...)
	for _, want := range []string{
		"p: penalized likelihood-ratio test (Firth, as logistf), which agrees with the penalized profile-likelihood interval; the Wald p-values are in the JSON (p_value).",
		"│ lr_statistic │ lr_p_value │",
		"lr_statistic, lr_p_value: penalized likelihood-ratio test of each coefficient = 0 (as logistf)",
		"│ penalized likelihood-ratio test vs null │",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	zh, _, _ := runCLI(t, "", append(args, "--lang", "zh")...)
	for _, want := range []string{"p值：惩罚似然比检验（Firth，同 logistf）", "惩罚似然比p值", "与零模型的惩罚似然比检验"} {
		if !strings.Contains(zh, want) {
			t.Errorf("--lang zh output lacks %q", want)
		}
	}
	checkAligned(t, zh)
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// TestLogitFirthWaldOptions: with --ci wald a Firth fit shows its Wald p
// beside its Wald interval (logistf with pl = FALSE), and says so; a
// maximum-likelihood fit keeps its Wald p with no note (R's summary.glm).
func TestLogitFirthWaldOptions(t *testing.T) {
	var ref firthBirthwtRef
	readReference(t, "logitcmd/firth_birthwt.json", &ref)
	adj := ref.Models[0]
	out, errOut, code := runCLI(t, "", append([]string{"logit", "--method", "firth", "--ci", "wald", "--format", "csv"}, birthwtArgs()...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The text Table 2 shows the Wald p of each adjusted coefficient
	// (journal style), read back from the tidy CSV's terms.
	t2 := csvSection(t, out, "table2")
	tc, mc, rc := column(t, t2[0], "term"), column(t, t2[0], "model"), column(t, t2[0], "reference")
	text0, _, _ := runCLI(t, "", append([]string{"logit", "--method", "firth", "--ci", "wald"}, birthwtArgs()...)...)
	for _, row := range t2[1:] {
		if row[mc] != "adjusted" || row[rc] == "true" {
			continue
		}
		j := indexOf(adj.Names, rName(row[tc]))
		if j < 0 {
			t.Fatalf("--ci wald: Table 2 term %s not in R's model", row[tc])
		}
		checkClose(t, "--ci wald "+row[tc]+" p_value", parseNum(t, row[column(t, t2[0], "p_value")]), adj.PValue[j], 1e-6)
		if want := "│ " + render.FormatP(adj.PValue[j]) + " "; !strings.Contains(text0, want) {
			t.Errorf("--ci wald: Table 2 lacks R's Wald p of %s %q", row[tc], want)
		}
	}
	text, _, _ := runCLI(t, "", append([]string{"logit", "--method", "firth", "--ci", "wald"}, birthwtArgs()...)...)
	if !strings.Contains(text, "p of the Firth fits: Wald test, as their Wald intervals (--ci wald; logistf with pl = FALSE).") ||
		strings.Contains(text, "│ lr_p_value │") {
		t.Errorf("--ci wald output does not say its p-values are Wald:\n%s", text)
	}
	mle, _, _ := runCLI(t, "", append([]string{"logit", "--method", "mle"}, birthwtArgs()...)...)
	if strings.Contains(mle, "penalized") || strings.Contains(mle, "lr_p_value") {
		t.Errorf("a maximum-likelihood fit speaks of penalized tests:\n%s", mle)
	}
}

// TestLogitAutoFirthMixedNote: complete separation (firth.R's "complete"
// case) makes --method auto fit the adjusted model by Firth while the
// crude models are maximum-likelihood fits: the adjusted p is R's
// penalized LR p (<0.001 where the Wald p is 0.032) and the note says
// which p-values are which.
func TestLogitAutoFirthMixedNote(t *testing.T) {
	var cases []struct {
		Name   string      `json:"name"`
		Names  []string    `json:"names"`
		X      [][]float64 `json:"x"`
		Y      []float64   `json:"y"`
		Brglm2 struct {
			PValue []float64 `json:"p_value"`
		} `json:"brglm2"`
		Penalized struct {
			LRPValue []float64 `json:"lr_p_value"`
		} `json:"penalized"`
	}
	readReference(t, "logit/firth/firth.json", &cases)
	c := cases[0]
	if c.Name != "complete" || strings.Join(c.Names, ",") != "(Intercept),x1,x2" {
		t.Fatalf("firth.json case 0 is %s %v", c.Name, c.Names)
	}
	var b strings.Builder
	b.WriteString("id,y,x1,x2\n")
	for i, x := range c.X {
		fmt.Fprintf(&b, "r%d,%g,%s,%s\n", i, c.Y[i], render.FormatFloat(x[1]), render.FormatFloat(x[2]))
	}
	sp := t.TempDir() + "/s.json"
	if err := writeFile(sp, `{"fields":[{"name":"id","type":"string","role":"id"},{"name":"y","type":"integer","role":"outcome"},
	{"name":"x1","type":"number","role":"covariate"},{"name":"x2","type":"number","role":"covariate"}]}`); err != nil {
		t.Fatal(err)
	}
	var js jsonLogit
	out, errOut, code := runCLI(t, b.String(), "logit", "--data", "-", "--schema", sp, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatal(err)
	}
	methods := []string{}
	for _, m := range js.Models {
		methods = append(methods, m.Method)
	}
	if strings.Join(methods, ",") != "firth,mle,mle" {
		t.Fatalf("methods %v: the test expects a Firth adjusted model and maximum-likelihood crude models", methods)
	}
	csvOut, _, _ := runCLI(t, b.String(), "logit", "--data", "-", "--schema", sp, "--format", "csv")
	t2 := csvSection(t, csvOut, "table2")
	tc, mc := column(t, t2[0], "term"), column(t, t2[0], "model")
	text0, _, _ := runCLI(t, b.String(), "logit", "--data", "-", "--schema", sp)
	for _, row := range t2[1:] {
		if row[mc] != "adjusted" {
			continue
		}
		j := indexOf(c.Names, row[tc])
		checkClose(t, row[tc]+" lr_p_value", parseNum(t, row[column(t, t2[0], "lr_p_value")]), c.Penalized.LRPValue[j], 1e-6)
		if want := "│ " + render.FormatP(c.Penalized.LRPValue[j]) + " "; !strings.Contains(text0, want) {
			t.Errorf("%s: Table 2 lacks R's penalized LR p %q (Wald %q)", row[tc], want, render.FormatP(c.Brglm2.PValue[j]))
		}
	}
	text, _, _ := runCLI(t, b.String(), "logit", "--data", "-", "--schema", sp)
	if !strings.Contains(text, "p: penalized likelihood-ratio test (Firth, as logistf) for the adjusted model, which agrees with the penalized profile-likelihood interval; Wald test for the other fits.") {
		t.Errorf("the note does not say which p-values are penalized LR tests:\n%s", text)
	}
}

// TestFirthPWaldFallback: where a Firth fit's penalized LR test of a
// coefficient could not be computed (logit leaves LRPValue nil with a
// warning), the tables show its Wald p marked "(Wald)" and say why, in
// Table 2 and in the coefficient table, in English and Chinese.
func TestFirthPWaldFallback(t *testing.T) {
	for _, lang := range []string{"", "zh"} {
		st, err := (&GlobalOptions{Data: testdataPath("reference/describe/birthwt.csv"), Schema: testdataPath("reference/describe/birthwt.schema.json"), Lang: lang}).LoadStudy()
		if err != nil {
			t.Fatal(err)
		}
		o := analysis.DefaultLogitOptions()
		o.Method, o.Univariable, o.Covariates, o.Lang = logit.MethodFirth, true, []string{"lwt", "ht"}, lang
		res, err := analysis.Logit(st.Companies, o)
		if err != nil {
			t.Fatal(err)
		}
		// As FitFirth reports a penalized LR test it could not compute.
		m := res.Adjusted.Model
		var ht *logit.Term
		for i := range m.Terms {
			if m.Terms[i].Term == "ht" {
				ht = &m.Terms[i]
			}
		}
		ht.LRStatistic, ht.LRPValue = nil, nil
		m.Warnings = append(m.Warnings, logit.Warning{Code: logit.WarnProfile, Message: "penalized likelihood-ratio test of ht not computed: injected failure"})
		var crudeHt *logit.Term
		for _, c := range res.Crude {
			for i := range c.Terms {
				if c.Terms[i].Term == "ht" {
					crudeHt = &c.Terms[i]
				}
			}
		}
		crudeHt.LRStatistic, crudeHt.LRPValue = nil, nil
		opts := &LogitOptions{GlobalOptions: &GlobalOptions{Lang: lang}, LogitOptions: o}
		var b strings.Builder
		if err := render.WriteText(&b, logitDocument(res, opts, false), render.TextOptions{TTY: true}); err != nil { // the terminal layout
			t.Fatal(err)
		}
		text := b.String()
		cell := render.FormatP(ht.PValue) + " (Wald)"
		wants := []string{
			"│ " + cell,
			"(Wald): no penalized likelihood-ratio test could be computed for the crude p of ht, adjusted p of ht (see notes); the Wald p is shown instead.",
			"(Wald): the penalized likelihood-ratio test of ht could not be computed (see notes); the Wald p is shown instead.",
			"│ not computed │ " + cell,
			"multivariable: penalized likelihood-ratio test of ht not computed: injected failure",
		}
		if lang == "zh" {
			cell = render.FormatP(ht.PValue) + " （Wald）"
			wants = []string{
				"│ " + cell,
				"（Wald）：ht的粗p值、ht的校正p值的惩罚似然比检验未能计算（见注释），改为显示 Wald p值。",
				"（Wald）：ht的惩罚似然比检验未能计算（见注释），改为显示 Wald p值。",
				"│ 未计算           │ " + cell,
			}
		}
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("lang %q: output lacks %q:\n%s", lang, want, text)
			}
		}
		if p, kind := shownP(m, *ht, o.CI); kind != pWaldFallback || p != ht.PValue {
			t.Errorf("shownP = %v, %d; want the Wald p %v as a fallback", p, kind, ht.PValue)
		}
		checkAligned(t, text)
	}
}

// TestSubgroupFirthStratumNotes: `subgroup --by ptl@1` on birthwt fits
// ptl < 1 by maximum likelihood and ptl ≥ 1 (separated) by Firth, as R
// does (glm, brglm2 and the penalized profile limits); the notes say the
// Firth stratum's intervals are penalized profile-likelihood ones and
// that Cochran's Q (metafor's, to 1e-6) pools a penalized with a
// maximum-likelihood estimate.
func TestSubgroupFirthStratumNotes(t *testing.T) {
	var ref firthBirthwtRef
	readReference(t, "logitcmd/firth_birthwt.json", &ref)
	sg := ref.Subgroup
	args := append([]string{"subgroup", "--by", sg.By}, birthwtArgs()...)
	var res analysis.SubgroupResult
	runJSON(t, &res, args...)
	s := res.Subgroups[0]
	if s.Formula != sg.Formula || len(s.Levels) != 2 {
		t.Fatalf("stratum model %q with %d strata, R %q", s.Formula, len(s.Levels), sg.Formula)
	}
	ml, fs := s.Levels[0], s.Levels[1]
	if ml.Level != sg.MLEStratum.Level || ml.Method != logit.MethodMLE || ml.N != sg.MLEStratum.N || ml.Events != sg.MLEStratum.Events ||
		fs.Level != sg.FirthStratum.Level || fs.Method != logit.MethodFirth || fs.N != sg.FirthStratum.N || fs.Events != sg.FirthStratum.Events {
		t.Fatalf("strata %s (%s, n %d, %d events) and %s (%s, n %d, %d events); R %+v / %s n %d %d", ml.Level, ml.Method, ml.N, ml.Events,
			fs.Level, fs.Method, fs.N, fs.Events, sg.MLEStratum, sg.FirthStratum.Level, sg.FirthStratum.N, sg.FirthStratum.Events)
	}
	for j, tm := range ml.Terms {
		checkClose(t, "ML stratum "+tm.Term+" estimate", tm.Estimate, sg.MLEStratum.Estimate[j], 1e-6)
		checkClose(t, "ML stratum "+tm.Term+" std_error", tm.StdError, sg.MLEStratum.StdError[j], 1e-6)
	}
	fr := sg.FirthStratum.firthRefModel
	for j, tm := range fs.Terms {
		what := "Firth stratum " + tm.Term
		if rName(tm.Term) != fr.Names[j] {
			t.Fatalf("%s: R's column is %s", what, fr.Names[j])
		}
		checkClose(t, what+" estimate", tm.Estimate, fr.Estimate[j], 1e-6)
		checkClose(t, what+" std_error", tm.StdError, fr.StdError[j], 1e-6)
		checkClose(t, what+" p_value (Wald)", tm.PValue, fr.PValue[j], 1e-6)
		checkClose(t, what+" conf_low", tm.ConfLow, fr.ConfLow[j], 1e-6)
		checkClose(t, what+" conf_high", tm.ConfHigh, fr.ConfHigh[j], 1e-6)
		if tm.LRPValue == nil {
			t.Errorf("%s: no lr_p_value in JSON", what)
		} else {
			checkClose(t, what+" lr_p_value", *tm.LRPValue, fr.LRPValue[j], 1e-6)
		}
	}
	q := map[string]*analysis.CoefHeterogeneity{} // by R's column name
	for _, it := range s.Interactions {
		for i := range it.Coefficients {
			q[rName(it.Coefficients[i].Coefficient)] = &it.Coefficients[i]
		}
		if it.CochranQ != nil && strings.Join(it.CochranFirthStrata, ",") != fs.Level {
			t.Errorf("%s: cochran_firth_strata %v, want [%s]", it.Term, it.CochranFirthStrata, fs.Level)
		}
	}
	for _, c := range sg.Cochran {
		h := q[c.Coefficient]
		if h == nil || h.Q == nil {
			t.Errorf("%s: no Cochran's Q", c.Coefficient)
			continue
		}
		checkClose(t, c.Coefficient+" Cochran's Q", *h.Q, c.Q, 1e-6)
		checkClose(t, c.Coefficient+" Cochran's Q p", *h.PValue, c.PValue, 1e-6)
		if h.DF != c.DF || strings.Join(h.FirthStrata, ",") != fs.Level {
			t.Errorf("%s: df %d (R %d), firth_strata %v", c.Coefficient, h.DF, c.DF, h.FirthStrata)
		}
	}

	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"≥ 1: Firth's penalized likelihood (separation); penalized profile-likelihood intervals.",
		"Cochran's Q and I² pool Firth's penalized estimates (≥ 1) with maximum-likelihood estimates (< 1).",
		"Stratum ORs: profile-likelihood intervals, penalized profile-likelihood intervals for the strata fitted by Firth's penalized likelihood (1 of 2 fitted strata);",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "Cochran's Q and I² pool") != 1 {
		t.Errorf("the pooling note is repeated per term although every Q pools the same strata:\n%s", out)
	}
	zh, _, _ := runCLI(t, "", append(args, "--lang", "zh")...)
	for _, want := range []string{"≥ 1：Firth惩罚似然（分离）；惩罚轮廓似然区间。", "Cochran Q 与 I² 合并了 Firth 惩罚估计（≥ 1）与最大似然估计（< 1）。", "（已拟合的 2 层中的 1 层）为惩罚轮廓似然区间"} {
		if !strings.Contains(zh, want) {
			t.Errorf("--lang zh output lacks %q:\n%s", want, zh)
		}
	}
	checkAligned(t, zh)

	// With Wald intervals nothing is called penalized profile.
	wald, _, _ := runCLI(t, "", append(args, "--ci", "wald")...)
	if strings.Contains(wald, "penalized profile") || !strings.Contains(wald, "≥ 1: Firth's penalized likelihood (separation).") ||
		!strings.Contains(wald, "Stratum ORs: Wald intervals;") {
		t.Errorf("--ci wald notes:\n%s", wald)
	}
}

// TestCochranMethodNotes: one note per term where the pooled strata
// differ between terms, and the wording where every stratum is a Firth
// fit; none where no Firth estimate is pooled.
func TestCochranMethodNotes(t *testing.T) {
	q := 1.0
	lv := func(code string, m logit.Method, terms ...string) *analysis.SubgroupLevel {
		l := &analysis.SubgroupLevel{Level: code, LevelLabel: "L" + code, Status: analysis.StatusOK, Method: m}
		for _, tm := range terms {
			l.Terms = append(l.Terms, logit.Term{Term: tm})
		}
		return l
	}
	s := &analysis.SubgroupSplit{
		Levels: []*analysis.SubgroupLevel{lv("a", logit.MethodFirth, "x", "z"), lv("b", logit.MethodMLE, "x"), lv("c", logit.MethodFirth, "x", "z")},
		Interactions: []*analysis.Interaction{
			{Term: "x", Label: "X", Coefficient: "x", CochranQ: &q, CochranFirthStrata: []string{"a", "c"}},
			{Term: "z", Label: "Z", Coefficient: "z", CochranQ: &q, CochranFirthStrata: []string{"a", "c"}},
		},
	}
	got := strings.Join(cochranMethodNotes("", s), "\n")
	want := "X: Cochran's Q and I² pool Firth's penalized estimates (La, Lc) with maximum-likelihood estimates (Lb).\n" +
		"Z: Cochran's Q and I² pool Firth's penalized estimates only (every stratum was fitted by Firth's method)."
	if got != want {
		t.Errorf("notes:\n%s\nwant:\n%s", got, want)
	}
	// Only one of two Qs pools a Firth estimate: the note names its term.
	s.Interactions[1].CochranFirthStrata = nil
	if got := strings.Join(cochranMethodNotes("", s), "\n"); got != "X: Cochran's Q and I² pool Firth's penalized estimates (La, Lc) with maximum-likelihood estimates (Lb)." {
		t.Errorf("note for one term: %s", got)
	}
	for _, it := range s.Interactions {
		it.CochranFirthStrata = nil
	}
	if n := cochranMethodNotes("", s); len(n) != 0 {
		t.Errorf("notes without Firth strata: %v", n)
	}
}
