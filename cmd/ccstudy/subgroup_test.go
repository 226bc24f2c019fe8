package main

import (
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/analysis"
)

// subgroupRef is the part of testdata/reference/subgroup/*.json (written
// by subgroup_reference.R) that the command tests compare.
type subgroupRef struct {
	Formula   string `json:"formula"`
	Subgroups []struct {
		By     string   `json:"by"`
		Cut    *float64 `json:"cut"`
		Levels []struct {
			N            int    `json:"n"`
			Events       int    `json:"events"`
			Status       string `json:"status"`
			Coefficients []struct {
				Term     string   `json:"term"`
				Estimate float64  `json:"estimate"`
				StdError float64  `json:"std_error"`
				ConfLow  *float64 `json:"conf_low"`
				ConfHigh *float64 `json:"conf_high"`
			} `json:"coefficients"`
		} `json:"levels"`
		Interactions []struct {
			Term        string   `json:"term"`
			LRStatistic float64  `json:"lr_statistic"`
			DF          int      `json:"df"`
			PValue      *float64 `json:"p_value"`
			PHolm       *float64 `json:"p_holm"`
			QBH         *float64 `json:"q_bh"`
			DuplicateOf *struct {
				Term string `json:"term"`
				By   string `json:"by"`
			} `json:"duplicate_of"`
		} `json:"interactions"`
	} `json:"subgroups"`
	MantelHaenszel []struct {
		Exposure     string  `json:"exposure"`
		By           string  `json:"by"`
		ORMH         float64 `json:"or_mh"`
		ORConfLow    float64 `json:"or_conf_low"`
		ORConfHigh   float64 `json:"or_conf_high"`
		ORConfLow90  float64 `json:"or_conf_low_90"`
		ORConfHigh90 float64 `json:"or_conf_high_90"`
		BreslowDay   float64 `json:"breslow_day"`
		BreslowDayP  float64 `json:"breslow_day_p"`
		Woolf        float64 `json:"woolf"`
		WoolfP       float64 `json:"woolf_p"`
	} `json:"mantel_haenszel"`
}

// checkSubgroupJSON compares the command's JSON with R's run.
func checkSubgroupJSON(t *testing.T, res *analysis.SubgroupResult, ref *subgroupRef) {
	t.Helper()
	if res.Formula != ref.Formula {
		t.Errorf("formula %q, R %q", res.Formula, ref.Formula)
	}
	if len(res.Subgroups) != len(ref.Subgroups) {
		t.Fatalf("%d subgroups, R %d", len(res.Subgroups), len(ref.Subgroups))
	}
	for i, rs := range ref.Subgroups {
		gs := res.Subgroups[i]
		if gs.By != rs.By || len(gs.Levels) != len(rs.Levels) || len(gs.Interactions) != len(rs.Interactions) {
			t.Fatalf("subgroup %d: %s with %d levels, %d interactions; R %s with %d, %d", i, gs.By, len(gs.Levels), len(gs.Interactions), rs.By, len(rs.Levels), len(rs.Interactions))
		}
		if (gs.Cut == nil) != (rs.Cut == nil) || (gs.Cut != nil && *gs.Cut != *rs.Cut) {
			t.Errorf("%s: cut %v, R %v", gs.By, gs.Cut, rs.Cut)
		}
		for k, rl := range rs.Levels {
			gl := gs.Levels[k]
			if gl.N != rl.N || gl.Events != rl.Events {
				t.Errorf("%s/%s: n %d events %d, R %d %d", gs.By, gl.Level, gl.N, gl.Events, rl.N, rl.Events)
			}
			if rl.Status == analysis.StatusTooSmall {
				if gl.Status != analysis.StatusTooSmall || len(gl.Terms) != 0 || gl.Reason == "" {
					t.Errorf("%s/%s: R does not fit it (too small), got status %q with %d terms", gs.By, gl.Level, gl.Status, len(gl.Terms))
				}
				continue
			}
			if string(gl.Method) != rl.Status || len(gl.Terms) != len(rl.Coefficients) {
				t.Errorf("%s/%s: method %q with %d terms, R %q with %d", gs.By, gl.Level, gl.Method, len(gl.Terms), rl.Status, len(rl.Coefficients))
				continue
			}
			for j, rc := range rl.Coefficients {
				tm := gl.Terms[j]
				w := gs.By + "/" + gl.Level + " " + rc.Term
				if tm.Term != rc.Term {
					t.Errorf("%s: got term %q", w, tm.Term)
					continue
				}
				checkClose(t, w+" estimate", tm.Estimate, rc.Estimate, 1e-6)
				checkClose(t, w+" std_error", tm.StdError, rc.StdError, 1e-6)
				if rc.ConfLow != nil {
					checkClose(t, w+" conf_low", tm.ConfLow, *rc.ConfLow, 1e-6)
					checkClose(t, w+" conf_high", tm.ConfHigh, *rc.ConfHigh, 1e-6)
				}
			}
		}
		for k, ri := range rs.Interactions {
			gi := gs.Interactions[k]
			w := gi.Term + " × " + gs.By
			if gi.Term != ri.Term || gi.DF != ri.DF {
				t.Errorf("%s: df %d, R %s df %d", w, gi.DF, ri.Term, ri.DF)
				continue
			}
			if ri.PValue == nil {
				if gi.PValue != nil {
					t.Errorf("%s: R cannot test it, got p %g", w, *gi.PValue)
				}
				continue
			}
			if gi.PValue == nil || gi.LRStatistic == nil {
				t.Errorf("%s: missing test results", w)
				continue
			}
			checkClose(t, w+" LR", *gi.LRStatistic, ri.LRStatistic, 1e-6)
			checkClose(t, w+" p", *gi.PValue, *ri.PValue, 1e-6)
			if ri.DuplicateOf != nil {
				// A repeat of a pair already tested: outside the family.
				if d := gi.DuplicateOf; d == nil || d.Term != ri.DuplicateOf.Term || d.By != ri.DuplicateOf.By || gi.PHolm != nil || gi.QBH != nil {
					t.Errorf("%s: duplicate of %+v with Holm %v, BH %v; R: duplicate of %+v, not adjusted", w, d, gi.PHolm, gi.QBH, *ri.DuplicateOf)
				}
				continue
			}
			if gi.DuplicateOf != nil || gi.PHolm == nil || gi.QBH == nil {
				t.Errorf("%s: duplicate of %+v, Holm %v, BH %v; R keeps it in the family", w, gi.DuplicateOf, gi.PHolm, gi.QBH)
				continue
			}
			checkClose(t, w+" p_holm", *gi.PHolm, *ri.PHolm, 1e-6)
			checkClose(t, w+" q_bh", *gi.QBH, *ri.QBH, 1e-6)
		}
	}
	if len(res.MantelHaenszel) != len(ref.MantelHaenszel) {
		t.Fatalf("%d MH rows, R %d", len(res.MantelHaenszel), len(ref.MantelHaenszel))
	}
	for i, rm := range ref.MantelHaenszel {
		gm := res.MantelHaenszel[i]
		w := rm.Exposure + " by " + rm.By
		if gm.Exposure != rm.Exposure || gm.By != rm.By || gm.ORMH == nil {
			t.Errorf("MH row %d: %s by %s (%s), R %s", i, gm.Exposure, gm.By, gm.Reason, w)
			continue
		}
		checkClose(t, w+" or_mh", *gm.ORMH, rm.ORMH, 1e-6)
		checkClose(t, w+" or_conf_low", *gm.ORConfLow, rm.ORConfLow, 1e-6)
		checkClose(t, w+" or_conf_high", *gm.ORConfHigh, rm.ORConfHigh, 1e-6)
		checkClose(t, w+" breslow_day", *gm.BreslowDay, rm.BreslowDay, 1e-6)
		checkClose(t, w+" breslow_day_p", *gm.BreslowDayP, rm.BreslowDayP, 1e-6)
		checkClose(t, w+" woolf", *gm.Woolf, rm.Woolf, 1e-6)
		checkClose(t, w+" woolf_p", *gm.WoolfP, rm.WoolfP, 1e-6)
	}
}

func TestSubgroupDefaultMatchesR(t *testing.T) {
	var res analysis.SubgroupResult
	runJSON(t, &res, "subgroup", "--exposure", "novelty=first_in_class")
	var ref subgroupRef
	readReference(t, "subgroup/companies.json", &ref)
	checkSubgroupJSON(t, &res, &ref)
	if res.Data.RowsUsed != 180 || len(res.Ranking) == 0 || len(res.Summary) == 0 {
		t.Errorf("rows used %d, %d ranked tests, summary %q", res.Data.RowsUsed, len(res.Ranking), res.Summary)
	}
	for i := 1; i < len(res.Ranking); i++ {
		if res.Ranking[i].PValue < res.Ranking[i-1].PValue {
			t.Fatalf("ranking not by p-value at %d", i)
		}
	}
}

// --level 0.9 reaches the Mantel-Haenszel interval (R: mantelhaen.test
// with conf.level = 0.9), its header, the subgroup forest's header and
// axis, and the verdict prints the threshold it compares with.
func TestSubgroupLevelEverywhere(t *testing.T) {
	var res analysis.SubgroupResult
	runJSON(t, &res, "subgroup", "--exposure", "novelty=first_in_class", "--level", "0.9", "--ci", "wald")
	var ref subgroupRef
	readReference(t, "subgroup/companies.json", &ref)
	if len(res.MantelHaenszel) != len(ref.MantelHaenszel) || len(ref.MantelHaenszel) == 0 {
		t.Fatalf("%d MH rows, R %d", len(res.MantelHaenszel), len(ref.MantelHaenszel))
	}
	for i, rm := range ref.MantelHaenszel {
		gm := res.MantelHaenszel[i]
		w := rm.Exposure + " by " + rm.By
		if gm.ORMH == nil || gm.Level != 0.9 {
			t.Errorf("%s: OR %v at level %v (%s)", w, gm.ORMH, gm.Level, gm.Reason)
			continue
		}
		checkClose(t, w+" or_conf_low 90%", *gm.ORConfLow, rm.ORConfLow90, 1e-6)
		checkClose(t, w+" or_conf_high 90%", *gm.ORConfHigh, rm.ORConfHigh90, 1e-6)
	}
	out, errOut, code := runCLI(t, "", "subgroup", "--level", "0.9", "--ci", "wald")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"OR MH (90% CI)", "Adjusted ORs (90% CI) by Company type", "q < 0.05"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "95%") {
		t.Error("output at --level 0.9 still prints 95%")
	}
	figs := subgroupFigures(&res, "en")
	if len(figs) == 0 {
		t.Fatal("no subgroup figures")
	}
	for _, f := range figs {
		if f.Err != nil {
			t.Fatalf("%s: %v", f.Name, f.Err)
		}
		svg, err := f.Drawing.SVG()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for _, want := range []string{">OR (90% CI)</text>", ">Odds ratio (90% CI, log scale)</text>"} {
			if !strings.Contains(string(svg), want) {
				t.Errorf("%s does not draw %q", f.Name, want)
			}
		}
		if strings.Contains(string(svg), "95% CI") {
			t.Errorf("%s draws a 95%% CI header at --level 0.9", f.Name)
		}
	}
}

func TestSubgroupInfertEndToEnd(t *testing.T) {
	var res analysis.SubgroupResult
	runJSON(t, &res, "subgroup", "--data", testdataPath("reference/subgroup/infert.csv"),
		"--schema", testdataPath("reference/subgroup/infert.schema.json"),
		"--by", "education", "--by", "age@median", "--by", "parity@3")
	var ref subgroupRef
	readReference(t, "subgroup/infert.json", &ref)
	checkSubgroupJSON(t, &res, &ref)
}

func TestSubgroupTextOutput(t *testing.T) {
	out, errOut, code := runCLI(t, "", "subgroup")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"SYNTHETIC", "Adjusted ORs (95% CI) by Company type", "Interaction with Listed",
		"Year founded < 2010 vs Year founded ≥ 2010 (2010 = the median of Year founded over the 180 rows used",
		"ranked by p-value", "Mantel-Haenszel", "not testable",
		"True interaction in the synthetic DGP: orphan status matters more in listed companies",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Error("output prints NaN")
	}
}

// TestSubgroupPartsThatFailAreMarked: an empty stratum, interaction tests
// that cannot be made (the split is constant on the rows) and Cochran's Q
// without two fitted strata are marked with their reasons; the fitted
// stratum is printed and the command succeeds.
func TestSubgroupPartsThatFailAreMarked(t *testing.T) {
	out, errOut, code := runCLI(t, "", "subgroup", "--by", "founded_year@1800", "--covariates", "novelty,orphan_drug")
	if code != 0 {
		t.Fatalf("exit %d, want 0: %s", code, errOut)
	}
	for _, want := range []string{
		"< 1800: not fitted (empty): no rows among the 180 used; choose a value inside",
		"Novelty of lead product: interaction not tested: no estimable interaction column.",
		"Orphan-drug status: Cochran's Q not computed: ",
		"not testable (see notes)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// The fitted stratum's row: no estimate in the empty one, 3.01 in the other.
	if !lineWith(out, "│ Novelty of lead product: First-in-class │ — ", "│ 3.01") {
		t.Errorf("output lacks the First-in-class row with — and 3.01:\n%s", out)
	}
	var res analysis.SubgroupResult
	runJSON(t, &res, "subgroup", "--by", "founded_year@1800", "--covariates", "novelty,orphan_drug")
	lv := res.Subgroups[0].Levels
	if lv[0].Status != analysis.StatusEmpty || lv[0].Reason == "" || lv[1].Status != analysis.StatusOK {
		t.Errorf("levels: %+v / %+v", lv[0], lv[1])
	}
	for _, it := range res.Subgroups[0].Interactions {
		if it.Reason == "" || it.CochranReason == "" {
			t.Errorf("interaction %s without reasons: %+v", it.Term, it)
		}
	}
}

// TestSubgroupWithoutDefaults: without --by on a schema that defines no
// default subgroups there is nothing to compute: the command fails with
// the reason and what to give (exit 1, nothing on standard output, as R
// or Stata would stop), in every format.
func TestSubgroupWithoutDefaults(t *testing.T) {
	infert := []string{"--data", testdataPath("reference/subgroup/infert.csv"), "--schema", testdataPath("reference/subgroup/infert.schema.json")}
	for _, format := range []string{"table", "json"} {
		out, errOut, code := runCLI(t, "", append([]string{"subgroup", "--format", format}, infert...)...)
		first, _, _ := strings.Cut(errOut, "\n")
		if code != 1 || out != "" || !strings.HasPrefix(first, "ccstudy: No subgroups to analyse") || !strings.Contains(first, "--by VAR=LEVEL") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", format, code, out, errOut)
		}
	}
}

func TestSubgroupBadInput(t *testing.T) {
	infert := []string{"--data", testdataPath("reference/subgroup/infert.csv"), "--schema", testdataPath("reference/subgroup/infert.schema.json")}
	cases := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"--by", "rd_expenditure"}, exitUsage, []string{"rd_expenditure is continuous", "rd_expenditure@median"}},
		{[]string{"--by", "revenue"}, exitUsage, []string{`unknown subgroup variable "revenue"`, "company_type", "founded_year@median"}},
		{[]string{"--by", "main_indication=dermatology"}, exitUsage, []string{`unknown level "dermatology"`, "oncology, infection"}},
		{[]string{"--by", "company_type@3"}, exitUsage, []string{"company_type is not continuous"}},
		{[]string{"--by", "dev_years@abc"}, exitUsage, []string{"dev_years@median or dev_years@NUMBER"}},
		{[]string{"--by", "case"}, exitUsage, []string{"unknown subgroup variable"}},
		{[]string{"--exposure", "novelty=unknown"}, exitUsage, []string{`unknown level "unknown" of novelty`, "first_in_class"}},
		{append(append([]string{}, infert...), "--by", "spontaneous"), exitUsage, []string{"spontaneous is continuous", "spontaneous@median"}},
	}
	for _, c := range cases {
		_, errOut, code := runCLI(t, "", append([]string{"subgroup"}, c.args...)...)
		if code != c.code {
			t.Errorf("subgroup %s: exit %d, want %d (%s)", strings.Join(c.args, " "), code, c.code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("subgroup %s: message %q lacks %q", strings.Join(c.args, " "), errOut, w)
			}
		}
	}
}

// TestSubgroupPbcWomenFitted: the 242 women of survival::pbc (19
// covariates, quasi-separated by stage: R's glm warns "fitted
// probabilities numerically 0 or 1") once were "not fitted (fit failed)"
// because the separation check failed. The stratum must be fitted by
// Firth's penalized likelihood with brglm2's estimates, the way it was
// fitted must be said, and the run must succeed.
func TestSubgroupPbcWomenFitted(t *testing.T) {
	var ref struct {
		Strata []struct {
			Level     string `json:"level"`
			N, Events int
		} `json:"strata"`
		Women struct {
			Names         []string  `json:"names"`
			GLMWarnings   []string  `json:"glm_warnings"`
			FirthEstimate []float64 `json:"firth_estimate"`
			FirthStdError []float64 `json:"firth_std_error"`
		} `json:"women"`
	}
	readReference(t, "subgroup/pbc_sex.json", &ref)
	if len(ref.Women.GLMWarnings) == 0 {
		t.Fatal("the reference lost its premise: R's glm no longer warns on this stratum")
	}
	args := []string{"subgroup", "--data", testdataPath("reference/subgroup/pbc_sex.csv"), "--schema", testdataPath("reference/subgroup/pbc_sex.schema.json"),
		"--by", "sex", "--ci", "wald"}
	out, errOut, code := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "f: Firth's penalized likelihood (") {
		t.Errorf("the output does not say how the women's stratum was fitted:\n%s", out)
	}
	var res analysis.SubgroupResult
	runJSON(t, &res, args...)
	lv := res.Subgroups[0].Levels
	for k, s := range ref.Strata {
		if lv[k].Level != s.Level || lv[k].N != s.N || lv[k].Events != s.Events {
			t.Errorf("stratum %d: %s n %d events %d, R %s %d %d", k, lv[k].Level, lv[k].N, lv[k].Events, s.Level, s.N, s.Events)
		}
	}
	w := lv[0]
	if w.Status != analysis.StatusOK || w.Method != "firth" || len(w.Terms) != len(ref.Women.Names) {
		t.Fatalf("women: status %s (%s), method %s, %d terms (R %d)", w.Status, w.Reason, w.Method, len(w.Terms), len(ref.Women.Names))
	}
	for j, tm := range w.Terms {
		checkClose(t, tm.Term+" Firth estimate", tm.Estimate, ref.Women.FirthEstimate[j], 1e-6)
		checkClose(t, tm.Term+" Firth std_error", tm.StdError, ref.Women.FirthStdError[j], 1e-6)
	}
	if lv[1].Status != analysis.StatusTooSmall {
		t.Errorf("men: %s (%s), want too_small", lv[1].Status, lv[1].Reason)
	}
}

// A bare 0/1 variable is an --exposure (exposed = 1), as the model's own
// 0/1 covariates are; its Mantel-Haenszel analysis is R's, whether or not
// the variable is in the model, and naming a model covariate again does
// not repeat it.
func TestSubgroupBareBinaryExposure(t *testing.T) {
	var ref subgroupRef
	readReference(t, "subgroup/companies.json", &ref)
	w := -1
	for i, m := range ref.MantelHaenszel {
		if m.Exposure == "listed" && m.By == "company_type" {
			w = i
		}
	}
	if w < 0 {
		t.Fatal("R reference has no Mantel-Haenszel analysis of listed by company_type")
	}
	want := ref.MantelHaenszel[w]
	for _, covs := range []string{"dev_years,orphan_drug", "dev_years,listed"} {
		var res subgroupRef
		runJSON(t, &res, "subgroup", "--covariates", covs, "--by", "company_type", "--exposure", "listed")
		n := 0
		for _, m := range res.MantelHaenszel {
			if m.Exposure != "listed" {
				continue
			}
			n++
			checkClose(t, covs+": MH OR of listed", m.ORMH, want.ORMH, 1e-6)
			checkClose(t, covs+": MH CI low", m.ORConfLow, want.ORConfLow, 1e-6)
			checkClose(t, covs+": MH CI high", m.ORConfHigh, want.ORConfHigh, 1e-6)
			checkClose(t, covs+": Breslow-Day", m.BreslowDay, want.BreslowDay, 1e-6)
			checkClose(t, covs+": Woolf", m.Woolf, want.Woolf, 1e-6)
		}
		if n != 1 {
			t.Errorf("--covariates %s --exposure listed: %d Mantel-Haenszel analyses of listed, want 1", covs, n)
		}
	}
	_, errOut, code := runCLI(t, "", "subgroup", "--by", "company_type", "--exposure", "dev_years")
	if code != exitUsage || !strings.Contains(errOut, "expected a 0/1 variable, or VAR=LEVEL") {
		t.Errorf("--exposure dev_years (not 0/1): exit %d, %q", code, errOut)
	}
}

// A split is defined in codes in JSON's "definition" and with the
// schema's titles and labels, in the run's language, beside it.
func TestSubgroupDefinitionLabel(t *testing.T) {
	for _, c := range []struct{ lang, def, label string }{
		{"en", "one stratum per category of company_type (biotech, traditional)", "one stratum per category of Company type (Biotech, Traditional pharma)"},
		{"zh", "one stratum per category of company_type (biotech, traditional)", "按企业类型的每个类别分层（生物科技公司, 传统药企）"},
	} {
		var res analysis.SubgroupResult
		runJSON(t, &res, "subgroup", "--by", "company_type", "--lang", c.lang)
		if len(res.Subgroups) != 1 || res.Subgroups[0].Definition != c.def || res.Subgroups[0].DefinitionLabel != c.label {
			t.Errorf("--lang %s: %+v", c.lang, res.Subgroups)
		}
	}
}
