package stats

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// mhHomogRef is testdata/reference/subgroup/mh_homogeneity.json, written by
// mh_homogeneity.R: the exclusion of uninformative strata and the
// zero-cell-only correction of Woolf's test, checked against
// mantelhaen.test, metafor (rma.mh, rma with to = "only0") and epiR.
type mhHomogRef struct {
	MH []struct {
		Name                string          `json:"name"`
		Tables              [][]reftest.Vec `json:"tables"`
		Excluded            []int           `json:"excluded"`
		Informative         int             `json:"informative"`
		DF                  int             `json:"df"`
		ORMH                reftest.Num     `json:"or_mh"`
		ConfInt             reftest.Vec     `json:"conf_int"`
		ConfInt90           reftest.Vec     `json:"conf_int_90"`
		Chisq               reftest.Num     `json:"chisq"`
		PValue              reftest.Num     `json:"p_value"`
		ChisqCorrected      reftest.Num     `json:"chisq_corrected"`
		PValueCorrected     reftest.Num     `json:"p_value_corrected"`
		RmaMHOR             reftest.Num     `json:"rma_mh_or"`
		BreslowDay          reftest.Num     `json:"breslow_day"`
		BreslowDayP         reftest.Num     `json:"breslow_day_p"`
		Tarone              reftest.Num     `json:"tarone"`
		TaroneP             reftest.Num     `json:"tarone_p"`
		EpiRBreslowDay      reftest.Num     `json:"epir_breslow_day"`
		EpiRBreslowDayDF    int             `json:"epir_breslow_day_df"`
		TextbookBreslowDay  reftest.Num     `json:"textbook_breslow_day"`
		TextbookTarone      reftest.Num     `json:"textbook_tarone"`
		TextbookBreslowDayP reftest.Num     `json:"textbook_breslow_day_p"`
		TextbookTaroneP     reftest.Num     `json:"textbook_tarone_p"`
		Woolf               reftest.Num     `json:"woolf"`
		WoolfP              reftest.Num     `json:"woolf_p"`
		WoolfDF             int             `json:"woolf_df"`
		EpiRWoolfAllCells   reftest.Num     `json:"epir_woolf_all_cells"`
		Strata              []struct {
			OR        reftest.Num `json:"or"`
			SELogOR   reftest.Num `json:"se_log_or"`
			Corrected bool        `json:"corrected"`
			Lower     reftest.Num `json:"lower"`
			Upper     reftest.Num `json:"upper"`
			Lower90   reftest.Num `json:"lower_90"`
			Upper90   reftest.Num `json:"upper_90"`
		} `json:"strata"`
	} `json:"mantel_haenszel"`
}

func loadMHHomog(t testing.TB) mhHomogRef {
	var r mhHomogRef
	reftest.Load(t, "testdata/reference/subgroup/mh_homogeneity.json", &r)
	if len(r.MH) == 0 {
		t.Fatal("no Mantel-Haenszel homogeneity cases")
	}
	return r
}

func (r mhHomogRef) tables(i int) [][2][2]float64 {
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

// TestMantelHaenszelHomogeneityAgainstR checks, at 95% and 90%, the MH
// estimate, interval and test (mantelhaen.test on the informative strata),
// Breslow-Day and Tarone (metafor's rma.mh, epiR, textbook), Woolf's Q with
// 0.5 added only to strata with a zero cell (metafor's rma, to = "only0")
// and the per-stratum ORs, with uninformative strata excluded from all of
// them and from the df.
func TestMantelHaenszelHomogeneityAgainstR(t *testing.T) {
	ref := loadMHHomog(t)
	sawExcluded, sawZeroCell := false, false
	for i, c := range ref.MH {
		tabs := ref.tables(i)
		r, err := MantelHaenszel(tabs, 0.95)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		n := c.Name
		if !slices.Equal(r.Excluded, c.Excluded) || r.Informative != c.Informative || r.K != len(tabs) {
			t.Errorf("%s: excluded %v (%d informative of %d), R %v (%d)", n, r.Excluded, r.Informative, r.K, c.Excluded, c.Informative)
		}
		sawExcluded = sawExcluded || len(c.Excluded) > 0
		if r.HomogeneityDF != c.DF || c.DF != c.WoolfDF || c.DF != c.EpiRBreslowDayDF {
			t.Errorf("%s: df %d, R %d (Woolf %d, epiR BD %d)", n, r.HomogeneityDF, c.DF, c.WoolfDF, c.EpiRBreslowDayDF)
		}
		reftest.Rel(t, n+" OR_MH", r.OddsRatio, float64(c.ORMH), relTol)
		reftest.Rel(t, n+" OR_MH (rma.mh)", r.OddsRatio, float64(c.RmaMHOR), relTol)
		reftest.Rel(t, n+" CI low", r.ConfLow, c.ConfInt[0], relTol)
		reftest.Rel(t, n+" CI high", r.ConfHigh, c.ConfInt[1], relTol)
		reftest.Rel(t, n+" X2", r.ChiSquare, float64(c.Chisq), relTol)
		reftest.Rel(t, n+" p", r.PValue, float64(c.PValue), relTol)
		reftest.Rel(t, n+" X2 corrected", r.ChiSquareCorrected, float64(c.ChisqCorrected), relTol)
		reftest.Rel(t, n+" p corrected", r.PValueCorrected, float64(c.PValueCorrected), relTol)
		reftest.Rel(t, n+" BD (rma.mh)", r.BreslowDay, float64(c.BreslowDay), relTol)
		reftest.Rel(t, n+" BD p (rma.mh)", r.BreslowDayP, float64(c.BreslowDayP), relTol)
		reftest.Rel(t, n+" BD (epiR)", r.BreslowDay, float64(c.EpiRBreslowDay), relTol)
		reftest.Rel(t, n+" BD (textbook)", r.BreslowDay, float64(c.TextbookBreslowDay), relTol)
		reftest.Rel(t, n+" BD p (textbook)", r.BreslowDayP, float64(c.TextbookBreslowDayP), relTol)
		reftest.Rel(t, n+" Tarone (rma.mh)", r.BreslowDayTarone, float64(c.Tarone), relTol)
		reftest.Rel(t, n+" Tarone p (rma.mh)", r.BreslowDayTaroneP, float64(c.TaroneP), relTol)
		reftest.Rel(t, n+" Tarone (textbook)", r.BreslowDayTarone, float64(c.TextbookTarone), relTol)
		reftest.Rel(t, n+" Tarone p (textbook)", r.BreslowDayTaroneP, float64(c.TextbookTaroneP), relTol)
		reftest.Rel(t, n+" Woolf (rma only0)", r.Woolf, float64(c.Woolf), relTol)
		reftest.Rel(t, n+" Woolf p (rma only0)", r.WoolfP, float64(c.WoolfP), relTol)

		// Per-stratum ORs: R lists the informative strata in order.
		var kept []MHStratum
		for k, s := range r.Strata {
			if s.Uninformative != slices.Contains(c.Excluded, k) {
				t.Errorf("%s stratum %d: uninformative %v, R excluded %v", n, k, s.Uninformative, c.Excluded)
			}
			if s.Uninformative {
				if s.OddsRatio != 0 || s.SELogOR != 0 || s.Corrected {
					t.Errorf("%s stratum %d: uninformative but has an OR %+v", n, k, s)
				}
				continue
			}
			kept = append(kept, s)
		}
		if len(kept) != len(c.Strata) {
			t.Fatalf("%s: %d informative strata, R %d", n, len(kept), len(c.Strata))
		}
		for k, s := range c.Strata {
			g := kept[k]
			what := n + " informative stratum " + ftoa(float64(k))
			if g.Corrected != s.Corrected {
				t.Errorf("%s: corrected %v, R %v", what, g.Corrected, s.Corrected)
			}
			sawZeroCell = sawZeroCell || s.Corrected
			reftest.Rel(t, what+" OR", g.OddsRatio, float64(s.OR), relTol)
			reftest.Rel(t, what+" SE", g.SELogOR, float64(s.SELogOR), relTol)
			reftest.Rel(t, what+" lower", g.ConfLow, float64(s.Lower), relTol)
			reftest.Rel(t, what+" upper", g.ConfHigh, float64(s.Upper), relTol)
		}

		// --level 0.9: mantelhaen.test(conf.level = 0.9) and the Woolf
		// stratum intervals at 90%; nothing else depends on the level.
		r90, err := MantelHaenszel(tabs, 0.9)
		if err != nil {
			t.Fatalf("%s at 0.9: %v", n, err)
		}
		if r90.ConfLevel != 0.9 {
			t.Errorf("%s: conf level %v", n, r90.ConfLevel)
		}
		reftest.Rel(t, n+" CI low 90%", r90.ConfLow, c.ConfInt90[0], relTol)
		reftest.Rel(t, n+" CI high 90%", r90.ConfHigh, c.ConfInt90[1], relTol)
		kept = kept[:0]
		for _, s := range r90.Strata {
			if !s.Uninformative {
				kept = append(kept, s)
			}
		}
		for k, s := range c.Strata {
			what := n + " informative stratum " + ftoa(float64(k)) + " at 90%"
			reftest.Rel(t, what+" lower", kept[k].ConfLow, float64(s.Lower90), relTol)
			reftest.Rel(t, what+" upper", kept[k].ConfHigh, float64(s.Upper90), relTol)
		}
		// An uninformative stratum's zero fields are left out of JSON.
		if _, err := json.Marshal(r); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if !sawExcluded || !sawZeroCell {
		t.Errorf("the reference must hold a case with an uninformative stratum (%v) and one with a zero cell (%v)", sawExcluded, sawZeroCell)
	}
}

// TestWoolfRuleDiffersFromEpiRAllCells shows that the reference really
// tells the two correction rules apart: on tables without a zero cell,
// epiR's all-cells Woolf differs from the zero-cell-only one.
func TestWoolfRuleDiffersFromEpiRAllCells(t *testing.T) {
	ref := loadMHHomog(t)
	for i, c := range ref.MH {
		if c.Name != "ucb_admissions" {
			continue
		}
		r, err := MantelHaenszel(ref.tables(i), 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if reftest.WithinRel(r.Woolf, float64(c.EpiRWoolfAllCells), 1e-3) {
			t.Errorf("Woolf %v equals epiR's all-cells %v: the reference cannot tell the rules apart", r.Woolf, float64(c.EpiRWoolfAllCells))
		}
		return
	}
	t.Fatal("ucb_admissions case missing")
}
