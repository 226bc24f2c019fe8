package stats

import (
	"math"
	"slices"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

type subgroupRef struct {
	PAdjust []struct {
		Name string      `json:"name"`
		P    reftest.Vec `json:"p"`
		Holm reftest.Vec `json:"holm"`
		BH   reftest.Vec `json:"bh"`
	} `json:"padjust"`
	Cochran []struct {
		Name   string      `json:"name"`
		Est    reftest.Vec `json:"est"`
		SE     reftest.Vec `json:"se"`
		Beta   reftest.Num `json:"beta"`
		SEBeta reftest.Num `json:"se_beta"`
		Z      reftest.Num `json:"zval"`
		P      reftest.Num `json:"pval"`
		CILB   reftest.Num `json:"ci_lb"`
		CIUB   reftest.Num `json:"ci_ub"`
		Q      reftest.Num `json:"q"`
		QP     reftest.Num `json:"q_p"`
		DF     int         `json:"df"`
		I2     reftest.Num `json:"i2"`
	} `json:"cochran"`
	MH []struct {
		Name            string          `json:"name"`
		Tables          [][]reftest.Vec `json:"tables"`
		ORMH            reftest.Num     `json:"or_mh"`
		ConfInt         reftest.Vec     `json:"conf_int"`
		SELogORMH       reftest.Num     `json:"se_log_or_mh"`
		Chisq           reftest.Num     `json:"chisq"`
		PValue          reftest.Num     `json:"p_value"`
		ChisqCorrected  reftest.Num     `json:"chisq_corrected"`
		PValueCorrected reftest.Num     `json:"p_value_corrected"`
		EpiROR          reftest.Num     `json:"epir_or_mh"`
		EpiRLower       reftest.Num     `json:"epir_or_mh_lower"`
		EpiRUpper       reftest.Num     `json:"epir_or_mh_upper"`
		Woolf           reftest.Num     `json:"woolf"`
		WoolfDF         int             `json:"woolf_df"`
		WoolfP          reftest.Num     `json:"woolf_p"`
		BreslowDay      reftest.Num     `json:"breslow_day"`
		BreslowDayDF    int             `json:"breslow_day_df"`
		BreslowDayP     reftest.Num     `json:"breslow_day_p"`
		Textbook        struct {
			BreslowDay  reftest.Num `json:"breslow_day"`
			Tarone      reftest.Num `json:"tarone"`
			PBreslowDay reftest.Num `json:"p_breslow_day"`
			PTarone     reftest.Num `json:"p_tarone"`
		} `json:"textbook"`
		Strata []struct {
			OR      reftest.Num `json:"or"`
			SELogOR reftest.Num `json:"se_log_or"`
			Lower   reftest.Num `json:"lower"`
			Upper   reftest.Num `json:"upper"`
		} `json:"strata"`
	} `json:"mantel_haenszel"`
}

func loadSubgroup(t testing.TB) subgroupRef {
	var r subgroupRef
	reftest.Load(t, refDir+"subgroup.json", &r)
	return r
}

func (r subgroupRef) mhTables(i int) [][2][2]float64 {
	out := make([][2][2]float64, len(r.MH[i].Tables))
	for k, tab := range r.MH[i].Tables {
		for a := range 2 {
			for b := range 2 {
				out[k][a][b] = tab[a][b]
			}
		}
	}
	return out
}

func TestPAdjustAgainstR(t *testing.T) {
	ref := loadSubgroup(t)
	if len(ref.PAdjust) == 0 {
		t.Fatal("no p.adjust cases")
	}
	for _, c := range ref.PAdjust {
		orig := slices.Clone([]float64(c.P))
		reftest.RelSlice(t, c.Name+" holm", HolmAdjust(c.P), c.Holm, relTol)
		reftest.RelSlice(t, c.Name+" BH", BHAdjust(c.P), c.BH, relTol)
		for i := range orig {
			if orig[i] != c.P[i] && !(math.IsNaN(orig[i]) && math.IsNaN(c.P[i])) {
				t.Fatalf("%s: input modified", c.Name)
			}
		}
	}
	if len(HolmAdjust(nil)) != 0 || len(BHAdjust(nil)) != 0 {
		t.Error("empty input should give empty output")
	}
}

func TestCochranQAgainstR(t *testing.T) {
	ref := loadSubgroup(t)
	if len(ref.Cochran) == 0 {
		t.Fatal("no Cochran cases")
	}
	for _, c := range ref.Cochran {
		r, err := CochranQ(c.Est, c.SE)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		reftest.Rel(t, c.Name+" beta", r.Estimate, float64(c.Beta), relTol)
		reftest.Rel(t, c.Name+" se", r.SE, float64(c.SEBeta), relTol)
		reftest.Rel(t, c.Name+" z", r.Z, float64(c.Z), relTol)
		reftest.Rel(t, c.Name+" p", r.P, float64(c.P), relTol)
		reftest.Rel(t, c.Name+" ci.lb", r.ConfLow, float64(c.CILB), relTol)
		reftest.Rel(t, c.Name+" ci.ub", r.ConfHigh, float64(c.CIUB), relTol)
		reftest.Rel(t, c.Name+" QE", r.Q, float64(c.Q), relTol)
		reftest.Rel(t, c.Name+" QEp", r.QP, float64(c.QP), relTol)
		reftest.Rel(t, c.Name+" I2", r.I2, float64(c.I2), relTol)
		if r.DF != c.DF {
			t.Errorf("%s: df %d, R %d", c.Name, r.DF, c.DF)
		}
	}
}

func TestCochranQErrors(t *testing.T) {
	_, err := CochranQ([]float64{0.1}, []float64{0.2})
	wantErr(t, "one estimate", err, "at least 2")
	_, err = CochranQ([]float64{0.1, 0.2}, []float64{0.2})
	wantErr(t, "length mismatch", err, "standard errors")
	_, err = CochranQ([]float64{0.1, 0.2}, []float64{0.2, 0})
	wantErr(t, "zero se", err, "positive")
	_, err = CochranQ([]float64{0.1, math.NaN()}, []float64{0.2, 0.1})
	wantErr(t, "NaN estimate", err, "estimate 1")
}

func TestMantelHaenszelAgainstR(t *testing.T) {
	ref := loadSubgroup(t)
	if len(ref.MH) == 0 {
		t.Fatal("no Mantel-Haenszel cases")
	}
	for i, c := range ref.MH {
		r, err := MantelHaenszel(ref.mhTables(i), 0.95)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		// R mantelhaen.test
		reftest.Rel(t, c.Name+" OR_MH", r.OddsRatio, float64(c.ORMH), relTol)
		reftest.Rel(t, c.Name+" CI low", r.ConfLow, c.ConfInt[0], relTol)
		reftest.Rel(t, c.Name+" CI high", r.ConfHigh, c.ConfInt[1], relTol)
		reftest.Rel(t, c.Name+" SE log OR", r.SELogOR, float64(c.SELogORMH), relTol)
		reftest.Rel(t, c.Name+" X2", r.ChiSquare, float64(c.Chisq), relTol)
		reftest.Rel(t, c.Name+" p", r.PValue, float64(c.PValue), relTol)
		reftest.Rel(t, c.Name+" X2 corrected", r.ChiSquareCorrected, float64(c.ChisqCorrected), relTol)
		reftest.Rel(t, c.Name+" p corrected", r.PValueCorrected, float64(c.PValueCorrected), relTol)
		// epiR
		reftest.Rel(t, c.Name+" epiR OR_MH", r.OddsRatio, float64(c.EpiROR), relTol)
		reftest.Rel(t, c.Name+" epiR lower", r.ConfLow, float64(c.EpiRLower), relTol)
		reftest.Rel(t, c.Name+" epiR upper", r.ConfHigh, float64(c.EpiRUpper), relTol)
		// epiR's Woolf adds 0.5 to every cell; ours only to zero-cell
		// strata (checked in TestMantelHaenszelHomogeneityAgainstR).
		reftest.Rel(t, c.Name+" Breslow-Day", r.BreslowDay, float64(c.BreslowDay), relTol)
		reftest.Rel(t, c.Name+" Breslow-Day p", r.BreslowDayP, float64(c.BreslowDayP), relTol)
		if r.HomogeneityDF != c.WoolfDF || r.HomogeneityDF != c.BreslowDayDF {
			t.Errorf("%s: df %d, epiR %d/%d", c.Name, r.HomogeneityDF, c.WoolfDF, c.BreslowDayDF)
		}
		// textbook Breslow-Day with Tarone's correction, computed in R
		reftest.Rel(t, c.Name+" BD (textbook)", r.BreslowDay, float64(c.Textbook.BreslowDay), relTol)
		reftest.Rel(t, c.Name+" BD Tarone", r.BreslowDayTarone, float64(c.Textbook.Tarone), relTol)
		reftest.Rel(t, c.Name+" BD Tarone p", r.BreslowDayTaroneP, float64(c.Textbook.PTarone), relTol)
		// per-stratum odds ratios
		if len(r.Strata) != len(c.Strata) {
			t.Fatalf("%s: %d strata, R %d", c.Name, len(r.Strata), len(c.Strata))
		}
		for k, s := range c.Strata {
			g := r.Strata[k]
			what := c.Name + " stratum " + ftoa(float64(k))
			reftest.Rel(t, what+" OR", g.OddsRatio, float64(s.OR), relTol)
			reftest.Rel(t, what+" SE", g.SELogOR, float64(s.SELogOR), relTol)
			reftest.Rel(t, what+" lower", g.ConfLow, float64(s.Lower), relTol)
			reftest.Rel(t, what+" upper", g.ConfHigh, float64(s.Upper), relTol)
		}
	}
}

func TestMantelHaenszelZeroCellsFlagged(t *testing.T) {
	ref := loadSubgroup(t)
	for i, c := range ref.MH {
		if c.Name != "esoph_alcohol_by_age" {
			continue
		}
		tabs := ref.mhTables(i)
		r, err := MantelHaenszel(tabs, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		seen := false
		for k, s := range r.Strata {
			hasZero := slices.Contains(tabs[k][0][:], 0) || slices.Contains(tabs[k][1][:], 0)
			if s.Corrected != hasZero {
				t.Errorf("stratum %d: corrected=%v, has zero=%v", k, s.Corrected, hasZero)
			}
			seen = seen || hasZero
			if math.IsNaN(s.OddsRatio) || math.IsInf(s.OddsRatio, 0) {
				t.Errorf("stratum %d: OR %v", k, s.OddsRatio)
			}
		}
		if !seen {
			t.Error("esoph should have a stratum with a zero cell")
		}
		return
	}
	t.Fatal("esoph case missing")
}

func TestMantelHaenszelErrors(t *testing.T) {
	_, err := MantelHaenszel(nil, 0.95)
	wantErr(t, "no strata", err, "at least one")
	ok := [2][2]float64{{10, 5}, {4, 12}}
	_, err = MantelHaenszel([][2][2]float64{ok}, 1.5)
	wantErr(t, "bad level", err, "confidence level")
	// A one-subject stratum has an empty margin: excluded, not an error.
	r, err := MantelHaenszel([][2][2]float64{ok, {{1, 0}, {0, 0}}, ok}, 0.95)
	if err != nil || !slices.Equal(r.Excluded, []int{1}) || r.Informative != 2 || r.HomogeneityDF != 1 || !r.Strata[1].Uninformative {
		t.Errorf("one-subject stratum: %v, excluded %v, informative %d, df %d", err, r.Excluded, r.Informative, r.HomogeneityDF)
	}
	_, err = MantelHaenszel([][2][2]float64{ok, {{1, -1}, {0, 3}}}, 0.95)
	wantErr(t, "negative", err, "non-negative")
	_, err = MantelHaenszel([][2][2]float64{{{0, 5}, {4, 12}}, {{0, 3}, {2, 2}}}, 0.95)
	wantErr(t, "OR zero", err, "not estimable")
	_, err = MantelHaenszel([][2][2]float64{{{3, 0}, {4, 0}}, {{2, 0}, {2, 0}}}, 0.95)
	wantErr(t, "no controls anywhere", err, "no informative stratum")

	// A single (informative) stratum is allowed: homogeneity has 0 df and
	// p = 1, also when the other strata are uninformative.
	for _, tabs := range [][][2][2]float64{{ok}, {{{0, 0}, {3, 4}}, ok, {{2, 0}, {5, 0}}}} {
		r, err := MantelHaenszel(tabs, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if r.HomogeneityDF != 0 || r.Informative != 1 || r.WoolfP != 1 || r.BreslowDayP != 1 || r.Woolf != 0 {
			t.Errorf("single informative stratum homogeneity: %+v", r)
		}
	}
}
