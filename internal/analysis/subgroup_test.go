package analysis

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/logit"
)

// R's output of testdata/reference/subgroup/subgroup_reference.R.
type sgRCoef struct {
	Term      string   `json:"term"`
	Estimate  float64  `json:"estimate"`
	StdError  float64  `json:"std_error"`
	Statistic float64  `json:"statistic"`
	PValue    float64  `json:"p_value"`
	ConfLow   *float64 `json:"conf_low"`
	ConfHigh  *float64 `json:"conf_high"`
}

type sgRLevel struct {
	N            int       `json:"n"`
	Events       int       `json:"events"`
	Status       string    `json:"status"`
	Dropped      []string  `json:"dropped"`
	Coefficients []sgRCoef `json:"coefficients"`
}

type sgRQ struct {
	Coefficient string   `json:"coefficient"`
	K           int      `json:"k"`
	Q           *float64 `json:"q"`
	DF          int      `json:"df"`
	QP          *float64 `json:"q_p"`
	I2          *float64 `json:"i2"`
}

type sgRInteraction struct {
	Term        string   `json:"term"`
	LRStatistic float64  `json:"lr_statistic"`
	DF          int      `json:"df"`
	PValue      *float64 `json:"p_value"`
	Method      string   `json:"method"`
	PHolm       *float64 `json:"p_holm"`
	QBH         *float64 `json:"q_bh"`
	DuplicateOf *struct {
		Term string `json:"term"`
		By   string `json:"by"`
	} `json:"duplicate_of"`
	Coefficients []sgRQ `json:"coefficients"`
}

type sgRSplit struct {
	By           string           `json:"by"`
	Cut          *float64         `json:"cut"`
	Levels       []sgRLevel       `json:"levels"`
	Interactions []sgRInteraction `json:"interactions"`
}

type sgRMH struct {
	Exposure              string      `json:"exposure"`
	By                    string      `json:"by"`
	Tables                [][]float64 `json:"tables"`
	Excluded              []string    `json:"excluded"`
	ORMH                  float64     `json:"or_mh"`
	ORConfLow             float64     `json:"or_conf_low"`
	ORConfHigh            float64     `json:"or_conf_high"`
	ORConfLow90           float64     `json:"or_conf_low_90"`
	ORConfHigh90          float64     `json:"or_conf_high_90"`
	MHChisq               float64     `json:"mh_chisq"`
	MHP                   float64     `json:"mh_p"`
	BreslowDay            float64     `json:"breslow_day"`
	BreslowDayP           float64     `json:"breslow_day_p"`
	BreslowDayUncorrected float64     `json:"breslow_day_uncorrected"`
	BreslowDayDF          int         `json:"breslow_day_df"`
	Woolf                 float64     `json:"woolf"`
	WoolfP                float64     `json:"woolf_p"`
	EpiRBreslowDay        float64     `json:"epir_breslow_day"`
	MetaforWoolf          float64     `json:"metafor_woolf"`
	MetaforWoolfP         float64     `json:"metafor_woolf_p"`
	EpiROR                float64     `json:"epir_or_mh"`
}

type sgRRun struct {
	Formula        string     `json:"formula"`
	Subgroups      []sgRSplit `json:"subgroups"`
	MantelHaenszel []sgRMH    `json:"mantel_haenszel"`
	// The deduplicated multiplicity family and R's p.adjust over it.
	FamilySize int        `json:"family_size"`
	FamilyP    []*float64 `json:"family_p"`
	FamilyHolm []*float64 `json:"family_holm"`
	FamilyBH   []*float64 `json:"family_bh"`
}

func sgReadRef(t testing.TB, name string) *sgRRun {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reference", "subgroup", name))
	if err != nil {
		t.Fatal(err)
	}
	var r sgRRun
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &r
}

func sgLoad(t testing.TB, csv, schema string) *dataset.Table {
	t.Helper()
	var s *dataset.Schema
	var err error
	if schema == "" {
		s, err = refstudy.Schema("companies")
	} else {
		var b []byte
		if b, err = os.ReadFile(schema); err == nil {
			s, err = dataset.ParseSchema(b, schema)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := dataset.Load(bytes.NewReader(b), csv, s, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// sgClose compares at relative tolerance rel (absolute 1e-12 for values
// below 1e-10, as the project's standards allow for p-values).
func sgClose(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.Abs(want) < 1e-10 {
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %.12g, R says %.12g", what, got, want)
		}
		return
	}
	if math.IsNaN(got) || math.Abs(got-want) > rel*math.Abs(want) {
		t.Errorf("%s = %.12g, R says %.12g (relative difference %.2g)", what, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

func sgClosePtr(t *testing.T, what string, got, want *float64, rel float64) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v, R says %v", what, fmtPtr(got), fmtPtr(want))
	default:
		sgClose(t, what, *got, *want, rel)
	}
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "null"
	}
	return strings.TrimSpace(strings.Repeat(" ", 0) + jsonNum(*p))
}

func jsonNum(x float64) string { b, _ := json.Marshal(x); return string(b) }

// compareWithR checks every number of res against R's run.
func compareWithR(t *testing.T, res *SubgroupResult, ref *sgRRun) {
	t.Helper()
	if res.Formula != ref.Formula {
		t.Errorf("formula %q, R %q", res.Formula, ref.Formula)
	}
	if len(res.Subgroups) != len(ref.Subgroups) {
		t.Fatalf("%d subgroups, R has %d", len(res.Subgroups), len(ref.Subgroups))
	}
	for i, rs := range ref.Subgroups {
		gs := res.Subgroups[i]
		if gs.By != rs.By {
			t.Fatalf("subgroup %d is %q, R has %q", i, gs.By, rs.By)
		}
		sgClosePtr(t, gs.By+" cut", gs.Cut, rs.Cut, 1e-12)
		if len(gs.Levels) != len(rs.Levels) {
			t.Fatalf("%s: %d levels, R has %d", gs.By, len(gs.Levels), len(rs.Levels))
		}
		for k, rl := range rs.Levels {
			gl := gs.Levels[k]
			name := gs.By + "/" + gl.Level
			if gl.N != rl.N || gl.Events != rl.Events {
				t.Errorf("%s: n %d events %d, R n %d events %d", name, gl.N, gl.Events, rl.N, rl.Events)
			}
			wantStatus, wantMethod := StatusOK, rl.Status
			if rl.Status == StatusTooSmall {
				wantStatus, wantMethod = StatusTooSmall, ""
			}
			if gl.Status != wantStatus || string(gl.Method) != wantMethod {
				t.Errorf("%s: status %q method %q, R %q (%s)", name, gl.Status, gl.Method, rl.Status, gl.Reason)
				continue
			}
			if strings.Join(gl.Dropped, ",") != strings.Join(rl.Dropped, ",") {
				t.Errorf("%s: dropped %v, R %v", name, gl.Dropped, rl.Dropped)
			}
			if len(gl.Terms) != len(rl.Coefficients) {
				t.Errorf("%s: %d terms, R %d", name, len(gl.Terms), len(rl.Coefficients))
				continue
			}
			for j, rc := range rl.Coefficients {
				tm := gl.Terms[j]
				if tm.Term != rc.Term {
					t.Errorf("%s: term %d is %q, R %q", name, j, tm.Term, rc.Term)
					continue
				}
				w := name + " " + tm.Term
				sgClose(t, w+" estimate", tm.Estimate, rc.Estimate, 1e-6)
				sgClose(t, w+" std_error", tm.StdError, rc.StdError, 1e-6)
				sgClose(t, w+" statistic", tm.Statistic, rc.Statistic, 1e-6)
				sgClose(t, w+" p_value", tm.PValue, rc.PValue, 1e-6)
				if rc.ConfLow != nil && gl.Method == logit.MethodMLE {
					sgClose(t, w+" conf_low", tm.ConfLow, *rc.ConfLow, 1e-6)
					sgClose(t, w+" conf_high", tm.ConfHigh, *rc.ConfHigh, 1e-6)
				}
			}
		}
		if len(gs.Interactions) != len(rs.Interactions) {
			t.Fatalf("%s: %d interactions, R has %d", gs.By, len(gs.Interactions), len(rs.Interactions))
		}
		for k, ri := range rs.Interactions {
			gi := gs.Interactions[k]
			name := gi.Term + " × " + gs.By
			if gi.Term != ri.Term || gi.DF != ri.DF {
				t.Errorf("interaction %d of %s: %q df %d, R %q df %d", k, gs.By, gi.Term, gi.DF, ri.Term, ri.DF)
				continue
			}
			if ri.PValue == nil {
				if gi.PValue != nil || gi.LRStatistic != nil {
					t.Errorf("%s: R cannot test it (df 0), got p %v", name, fmtPtr(gi.PValue))
				}
			} else if gi.LRStatistic == nil {
				t.Errorf("%s: no LR statistic, R %g", name, ri.LRStatistic)
			} else {
				sgClose(t, name+" LR", *gi.LRStatistic, ri.LRStatistic, 1e-6)
				if string(gi.Method) != ri.Method {
					t.Errorf("%s: test by %q, R by %q", name, gi.Method, ri.Method)
				}
			}
			sgClosePtr(t, name+" p", gi.PValue, ri.PValue, 1e-6)
			sgClosePtr(t, name+" Holm", gi.PHolm, ri.PHolm, 1e-6)
			sgClosePtr(t, name+" BH", gi.QBH, ri.QBH, 1e-6)
			switch {
			case (gi.DuplicateOf == nil) != (ri.DuplicateOf == nil):
				t.Errorf("%s: duplicate of %+v, R %+v", name, gi.DuplicateOf, ri.DuplicateOf)
			case gi.DuplicateOf != nil && (gi.DuplicateOf.Term != ri.DuplicateOf.Term || gi.DuplicateOf.By != ri.DuplicateOf.By):
				t.Errorf("%s: duplicate of %+v, R %+v", name, *gi.DuplicateOf, *ri.DuplicateOf)
			}
			if len(gi.Coefficients) != len(ri.Coefficients) {
				t.Errorf("%s: %d coefficients, R %d", name, len(gi.Coefficients), len(ri.Coefficients))
				continue
			}
			var bestQ *float64
			for j, rq := range ri.Coefficients {
				gq := gi.Coefficients[j]
				if gq.Coefficient != rq.Coefficient || gq.K != rq.K {
					t.Errorf("%s: coefficient %q k %d, R %q k %d", name, gq.Coefficient, gq.K, rq.Coefficient, rq.K)
					continue
				}
				sgClosePtr(t, name+" "+gq.Coefficient+" Q", gq.Q, rq.Q, 1e-6)
				sgClosePtr(t, name+" "+gq.Coefficient+" Q p", gq.PValue, rq.QP, 1e-6)
				sgClosePtr(t, name+" "+gq.Coefficient+" I2", gq.I2, rq.I2, 1e-6)
				if rq.Q != nil && (bestQ == nil || *rq.Q > *bestQ) {
					bestQ = rq.Q
				}
			}
			sgClosePtr(t, name+" term-level Q (largest)", gi.CochranQ, bestQ, 1e-6)
		}
	}
	if len(res.MantelHaenszel) != len(ref.MantelHaenszel) {
		t.Fatalf("%d MH rows, R has %d", len(res.MantelHaenszel), len(ref.MantelHaenszel))
	}
	for i, rm := range ref.MantelHaenszel {
		gm := res.MantelHaenszel[i]
		name := gm.Exposure + " by " + gm.By
		if gm.Exposure != rm.Exposure || gm.By != rm.By {
			t.Fatalf("MH row %d is %s, R %s by %s", i, name, rm.Exposure, rm.By)
		}
		if gm.ORMH == nil {
			t.Errorf("%s: no MH estimate (%s)", name, gm.Reason)
			continue
		}
		for k, tb := range rm.Tables {
			got := gm.Strata[k].Table
			if got[0][0] != tb[0] || got[0][1] != tb[1] || got[1][0] != tb[2] || got[1][1] != tb[3] {
				t.Errorf("%s stratum %d: table %v, R %v", name, k, got, tb)
			}
		}
		sgClose(t, name+" OR_MH", *gm.ORMH, rm.ORMH, 1e-6)
		sgClose(t, name+" OR_MH (epiR)", *gm.ORMH, rm.EpiROR, 1e-6)
		sgClose(t, name+" conf_low", *gm.ORConfLow, rm.ORConfLow, 1e-6)
		sgClose(t, name+" conf_high", *gm.ORConfHigh, rm.ORConfHigh, 1e-6)
		sgClose(t, name+" MH chi2", *gm.ChiSquare, rm.MHChisq, 1e-6)
		sgClose(t, name+" MH p", *gm.PValue, rm.MHP, 1e-6)
		sgClose(t, name+" Breslow-Day-Tarone", *gm.BreslowDay, rm.BreslowDay, 1e-6)
		sgClose(t, name+" Breslow-Day-Tarone p", *gm.BreslowDayP, rm.BreslowDayP, 1e-6)
		sgClose(t, name+" Breslow-Day", *gm.BreslowDayUncorrected, rm.BreslowDayUncorrected, 1e-6)
		sgClose(t, name+" Breslow-Day (epiR)", *gm.BreslowDayUncorrected, rm.EpiRBreslowDay, 1e-6)
		sgClose(t, name+" Woolf", *gm.Woolf, rm.Woolf, 1e-6)
		sgClose(t, name+" Woolf (metafor only0)", *gm.Woolf, rm.MetaforWoolf, 1e-6)
		sgClose(t, name+" Woolf p (metafor only0)", *gm.WoolfP, rm.MetaforWoolfP, 1e-6)
		if strings.Join(gm.ExcludedStrata, ",") != strings.Join(rm.Excluded, ",") {
			t.Errorf("%s: excluded strata %v, R %v", name, gm.ExcludedStrata, rm.Excluded)
		}
		sgClose(t, name+" Woolf p", *gm.WoolfP, rm.WoolfP, 1e-6)
		if gm.DF != rm.BreslowDayDF {
			t.Errorf("%s: df %d, R %d", name, gm.DF, rm.BreslowDayDF)
		}
	}
	// The family: its size, and the ranking (every member once) against
	// R's p.adjust on the deduplicated p-values.
	var rp, rh, rb []float64
	for i, p := range ref.FamilyP {
		if p != nil {
			rp, rh, rb = append(rp, *p), append(rh, *ref.FamilyHolm[i]), append(rb, *ref.FamilyBH[i])
		}
	}
	if res.FamilySize != ref.FamilySize || len(res.Ranking) != ref.FamilySize || len(rp) != ref.FamilySize {
		t.Fatalf("family of %d (%d ranked), R %d (%d p-values)", res.FamilySize, len(res.Ranking), ref.FamilySize, len(rp))
	}
	for _, r := range res.Ranking {
		k := -1
		for j := range rp {
			if math.Abs(rp[j]-r.PValue) <= 1e-6*rp[j] {
				k = j
			}
		}
		if k < 0 {
			t.Errorf("ranked %s × %s p %g is not in R's family", r.Term, r.By, r.PValue)
			continue
		}
		sgClose(t, r.Term+" × "+r.By+" ranked Holm", r.PHolm, rh[k], 1e-6)
		sgClose(t, r.Term+" × "+r.By+" ranked BH", r.QBH, rb[k], 1e-6)
	}
}

// sgOpts are the commands' defaults on the reference study (its six
// subgroups) with change applied.
func sgOpts(change func(*SubgroupOptions)) SubgroupOptions {
	o := DefaultSubgroupOptions()
	o.By = refstudy.DefaultSubgroupSpecs
	change(&o)
	return o
}

func TestSubgroupCompaniesMatchesR(t *testing.T) {
	tb := sgLoad(t, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	res, err := Subgroup(tb, sgOpts(func(o *SubgroupOptions) { o.Exposures = []string{"novelty=first_in_class"} }))
	if err != nil {
		t.Fatal(err)
	}
	compareWithR(t, res, sgReadRef(t, "companies.json"))
}

func TestSubgroupInfertMatchesR(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "reference", "subgroup")
	tb := sgLoad(t, filepath.Join(dir, "infert.csv"), filepath.Join(dir, "infert.schema.json"))
	res, err := Subgroup(tb, sgOpts(func(o *SubgroupOptions) { o.By = []string{"education", "age@median", "parity@3"} }))
	if err != nil {
		t.Fatal(err)
	}
	compareWithR(t, res, sgReadRef(t, "infert.json"))
}

// A separated stratum (Firth, checked against brglm2) and an interaction
// that loses an aliased column (df 2 → 1, as anova in R).
func TestSubgroupFirthAndReducedDFMatchR(t *testing.T) {
	tb := sgLoad(t, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	res, err := Subgroup(tb, sgOpts(func(o *SubgroupOptions) {
		o.Covariates = []string{"company_type", "founder_background", "rd_leader_background", "listed", "product_source", "novelty", "orphan_drug"}
		o.By = []string{"dev_years@12", "main_indication=infection"}
	}))
	if err != nil {
		t.Fatal(err)
	}
	compareWithR(t, res, sgReadRef(t, "companies_extra.json"))
	lv := res.Subgroups[0].Levels[1]
	if lv.Method != logit.MethodFirth || len(lv.Warnings) == 0 || !strings.Contains(strings.Join(logit.Messages(lv.Warnings), " "), "Firth") {
		t.Errorf("dev_years ≥ 12: method %q, warnings %q; want Firth and a warning saying so", lv.Method, lv.Warnings)
	}
	var nov *Interaction
	for _, it := range res.Subgroups[1].Interactions {
		if it.Term == "novelty" {
			nov = it
		}
	}
	if nov == nil || nov.DF != 1 || len(nov.Aliased) != 1 || len(nov.Notes) == 0 {
		t.Fatalf("novelty × infection: %+v; want df 1 with one aliased column and a note", nov)
	}
}

func TestSubgroupEdgeCases(t *testing.T) {
	tb := sgLoad(t, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	res, err := Subgroup(tb, sgOpts(func(o *SubgroupOptions) {
		o.Covariates = []string{"novelty", "orphan_drug", "listed"}
		o.By = []string{"main_indication=infection", "founded_year@median"}
		o.Exposures = []string{"main_indication=oncology"}
	}))
	if err != nil {
		t.Fatal(err)
	}
	// One stratum is too small: Cochran's Q needs two fitted strata and
	// must say so instead of printing a number.
	inf := res.Subgroups[0]
	if inf.Levels[0].Status != StatusTooSmall || !strings.Contains(inf.Levels[0].Reason, "at least 10") {
		t.Errorf("infection stratum: %+v", inf.Levels[0])
	}
	for _, it := range inf.Interactions {
		if it.CochranQ != nil || it.I2 != nil || len(it.Coefficients) == 0 || it.Coefficients[0].Reason == "" {
			t.Errorf("%s: Q %v from one fitted stratum; coefficients %+v", it.Term, it.CochranQ, it.Coefficients)
		}
	}
	// The MH rows include the --exposure dichotomy and skip the split
	// variable's own exposure.
	var names []string
	for _, m := range res.MantelHaenszel {
		names = append(names, m.Exposure+"|"+m.By)
	}
	want := "orphan_drug|main_indication=infection,listed|main_indication=infection,orphan_drug|founded_year@median,listed|founded_year@median,main_indication=oncology|founded_year@median"
	if strings.Join(names, ",") != want {
		t.Errorf("MH rows %s, want %s", strings.Join(names, ","), want)
	}
	// The whole result must marshal: encoding/json rejects NaN and Inf.
	if _, err := json.Marshal(res); err != nil {
		t.Fatal(err)
	}
}

// An empty stratum is a part that cannot be computed: it is marked with
// its reason and a hint, the other stratum is fitted, the interaction
// tests (the split is constant) say why they cannot be made, and the run
// succeeds.
func TestSubgroupEmptyStratumIsMarked(t *testing.T) {
	tb := sgLoad(t, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	for spec, empty := range map[string]int{"founded_year@2030": 1, "rd_expenditure@0.01": 0} {
		res, err := Subgroup(tb, sgOpts(func(o *SubgroupOptions) { o.By, o.Covariates = []string{spec}, []string{"novelty", "orphan_drug"} }))
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		s := res.Subgroups[0]
		lv, other := s.Levels[empty], s.Levels[1-empty]
		if lv.Status != StatusEmpty || lv.N != 0 || !strings.Contains(lv.Reason, "no rows among the") || !strings.Contains(lv.Reason, "@median") {
			t.Errorf("%s: empty stratum %+v", spec, lv)
		}
		if other.Status != StatusOK || len(other.Terms) == 0 {
			t.Errorf("%s: the other stratum was not fitted: %+v", spec, other)
		}
		for _, it := range s.Interactions {
			if it.LRStatistic != nil || it.Reason == "" {
				t.Errorf("%s: interaction %s: LR %v, reason %q (want none, with a reason)", spec, it.Term, it.LRStatistic, it.Reason)
			}
			if it.CochranQ != nil || it.CochranReason == "" {
				t.Errorf("%s: interaction %s: Q %v, reason %q (want none, with a reason)", spec, it.Term, it.CochranQ, it.CochranReason)
			}
		}
	}
}

func TestSubgroupSpecErrors(t *testing.T) {
	tb := sgLoad(t, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	for spec, want := range map[string]string{
		"rd_expenditure":            "rd_expenditure@median",
		"nothing":                   "valid: company_type",
		"company_id":                "unknown subgroup variable",
		"novelty=breakthrough":      "valid: me_too, fast_follow, first_in_class",
		"listed=1":                  "not categorical",
		"listed@median":             "not continuous",
		"dev_years@":                "dev_years@NUMBER",
		"dev_years@1e400":           "dev_years@NUMBER",
		"main_indication=neurology": "",
	} {
		_, err := Subgroup(tb, sgOpts(func(o *SubgroupOptions) { o.By, o.Covariates = []string{spec}, []string{"novelty", "orphan_drug"} }))
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", spec, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: error %v, want it to mention %q", spec, err, want)
		}
	}
	// Defaults are the fields with role "subgroup": categorical by level,
	// numeric at the median; the study schema marks none.
	if specs := DefaultSpecsFor(tb.Schema); len(specs) != 0 {
		t.Errorf("defaults for the study schema: %v, want none", specs)
	}
	marked := *tb.Schema
	marked.Fields = nil
	for _, f := range tb.Schema.Fields {
		g := *f
		if g.Name == "company_type" || g.Name == "rd_expenditure" || g.Name == "listed" {
			g.Role = dataset.RoleSubgroup
		}
		marked.Fields = append(marked.Fields, &g)
	}
	if specs := DefaultSpecsFor(&marked); strings.Join(specs, ",") != "company_type,rd_expenditure@median,listed" {
		t.Errorf("defaults for subgroup roles: %v", specs)
	}
	inf := sgLoad(t, filepath.Join("..", "..", "testdata", "reference", "subgroup", "infert.csv"), filepath.Join("..", "..", "testdata", "reference", "subgroup", "infert.schema.json"))
	if specs := DefaultSpecsFor(inf.Schema); len(specs) != 0 {
		t.Errorf("defaults for infert: %v, want none", specs)
	}
	if _, err := Subgroup(inf, DefaultSubgroupOptions()); err == nil || !strings.Contains(err.Error(), "--by") {
		t.Errorf("infert without --by: %v", err)
	}
}

func TestMantelHaenszelForReportsFailure(t *testing.T) {
	tb := sgLoad(t, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	// Exposure = the split itself inside each stratum: every stratum is all
	// exposed or all unexposed, so the MH OR is undefined.
	rows := make([]int, tb.NRows())
	for i := range rows {
		rows[i] = i
	}
	col, _ := tb.Col("listed")
	assign := make([]int, len(rows))
	for i := range rows {
		assign[i] = int(col.Num[i])
	}
	f, _ := tb.Schema.Field("listed")
	m := mantelHaenszelFor(tb, "case", exposure{name: "listed", field: f, level: -1}, "listed", strata{assign: assign, labels: []string{"0", "1"}}, 0.95)
	if m.ORMH != nil || m.Reason == "" {
		t.Errorf("degenerate MH: OR %v, reason %q", m.ORMH, m.Reason)
	}
	if _, err := json.Marshal(m); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkSubgroupDefault(b *testing.B) {
	tb := sgLoad(b, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	for b.Loop() {
		if _, err := Subgroup(tb, sgOpts(func(*SubgroupOptions) {})); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSubgroupWald(b *testing.B) {
	tb := sgLoad(b, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	for b.Loop() {
		if _, err := Subgroup(tb, sgOpts(func(o *SubgroupOptions) { o.CI = logit.CIWald })); err != nil {
			b.Fatal(err)
		}
	}
}

// --level reaches the Mantel-Haenszel intervals (R: mantelhaen.test with
// conf.level = 0.9, in companies.json).
func TestSubgroupMantelHaenszelLevel(t *testing.T) {
	tb := sgLoad(t, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	res, err := Subgroup(tb, sgOpts(func(o *SubgroupOptions) {
		o.Exposures = []string{"novelty=first_in_class"}
		o.Level = 0.9
		o.CI = logit.CIWald // the stratum models are not under test here
	}))
	if err != nil {
		t.Fatal(err)
	}
	ref := sgReadRef(t, "companies.json")
	if len(res.MantelHaenszel) != len(ref.MantelHaenszel) || len(ref.MantelHaenszel) == 0 {
		t.Fatalf("%d MH rows, R %d", len(res.MantelHaenszel), len(ref.MantelHaenszel))
	}
	for i, rm := range ref.MantelHaenszel {
		gm := res.MantelHaenszel[i]
		name := gm.Exposure + " by " + gm.By
		if gm.ORMH == nil || gm.Level != 0.9 {
			t.Errorf("%s: OR %v at level %v (%s)", name, gm.ORMH, gm.Level, gm.Reason)
			continue
		}
		sgClose(t, name+" conf_low 90%", *gm.ORConfLow, rm.ORConfLow90, 1e-6)
		sgClose(t, name+" conf_high 90%", *gm.ORConfHigh, rm.ORConfHigh90, 1e-6)
	}
}

// A stratum with no rows is an uninformative 2×2 table: the crude
// analysis excludes it and names it instead of failing.
func TestSubgroupMantelHaenszelExcludesEmptyStratum(t *testing.T) {
	tb := sgLoad(t, filepath.Join("..", "..", "testdata", "companies.csv"), "")
	res, err := Subgroup(tb, sgOpts(func(o *SubgroupOptions) {
		o.By, o.Covariates = []string{"founded_year@2030"}, []string{"novelty", "orphan_drug"}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.MantelHaenszel) == 0 {
		t.Fatal("no MH rows")
	}
	for _, m := range res.MantelHaenszel {
		if m.ORMH == nil || strings.Join(m.ExcludedStrata, ",") != "≥ 2030" || m.Informative != 1 || m.DF != 0 {
			t.Errorf("%s: OR %v, excluded %v, informative %d, df %d (%s)", m.Exposure, m.ORMH, m.ExcludedStrata, m.Informative, m.DF, m.Reason)
		}
		if len(m.Strata) != 2 || !m.Strata[1].Uninformative || m.Strata[1].N != 0 {
			t.Errorf("%s: strata %+v", m.Exposure, m.Strata)
		}
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatal(err)
	}
}
