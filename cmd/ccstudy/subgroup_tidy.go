package main

import (
	"strconv"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/logit"
)

// The tidy (CSV) forms of the subgroup tables: one row per observation,
// codes with their labels beside them, numbers at full precision in
// columns of their own (the text tables merge them as "2.31 (1.10, 4.86)"
// and put the strata in the headers). Column names follow broom and the
// JSON keys.

// subgroupORColumns: one row per term and stratum. estimate, std_error,
// statistic, p_value, conf_low and conf_high are on the log-odds scale
// (broom::tidy of the stratum's glm), odds_ratio and its limits their
// exponentials; status is "ok", "dropped" (the term is aliased in a
// fitted stratum) or the stratum's status (too_small, fit_failed, empty).
var subgroupORColumns = []string{"subgroup", "term", "label", "stratum", "stratum_label", "n", "n_events", "status", "method",
	"estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high", "odds_ratio", "or_conf_low", "or_conf_high"}

// subgroupORRaw is the row of term in stratum lv (tm nil when the stratum
// has no estimate of it; term "" when no stratum was fitted).
func subgroupORRaw(s *analysis.SubgroupSplit, lv *analysis.SubgroupLevel, term, label string, tm *logit.Term) []string {
	status, method := lv.Status, ""
	if lv.Status == analysis.StatusOK {
		method = string(lv.Method)
		if tm == nil && term != "" {
			status = "dropped"
		}
	}
	row := []string{s.By, term, label, lv.Level, lv.LevelLabel, strconv.Itoa(lv.N), strconv.Itoa(lv.Events), status, method}
	if tm == nil {
		return append(row, "", "", "", "", "", "", "", "", "")
	}
	f := render.FormatFloat
	return append(row, f(tm.Estimate), f(tm.StdError), f(tm.Statistic), f(tm.PValue), f(tm.ConfLow), f(tm.ConfHigh),
		f(tm.OddsRatio), f(tm.ORConfLow), f(tm.ORConfHigh))
}

// interactionColumns: one row per term and SPEC; the LR test of the
// interaction on the whole sample and Cochran's Q of the coefficient with
// the largest Q (cochran_coefficient); i2 in percent, as metafor reports
// it. duplicate_of_* name the test of the same pair kept in the
// multiplicity family (p_holm and q_bh are then empty).
var interactionColumns = []string{"subgroup", "term", "label", "lr_statistic", "df", "p_value", "p_holm", "q_bh",
	"duplicate_of_term", "duplicate_of_subgroup", "reason", "cochran_coefficient", "cochran_q", "cochran_df", "cochran_p", "i2", "cochran_reason"}

func interactionRaw(s *analysis.SubgroupSplit, x *analysis.Interaction) []string {
	df, dupTerm, dupBy := "", "", ""
	if x.LRStatistic != nil {
		df = strconv.Itoa(x.DF)
	}
	if d := x.DuplicateOf; d != nil {
		dupTerm, dupBy = d.Term, d.By
	}
	cdf := ""
	if x.CochranDF != nil && x.CochranQ != nil {
		cdf = strconv.Itoa(*x.CochranDF)
	}
	coef := ""
	if x.CochranQ != nil {
		coef = x.Coefficient
	}
	return []string{s.By, x.Term, x.Label, render.Num(x.LRStatistic), df, render.Num(x.PValue), render.Num(x.PHolm), render.Num(x.QBH),
		dupTerm, dupBy, x.Reason, coef, render.Num(x.CochranQ), cdf, render.Num(x.CochranP), render.Num(x.I2), x.CochranReason}
}

// mhColumns: one row per exposure and SPEC, named as the JSON's keys.
var mhColumns = []string{"exposure", "exposure_label", "subgroup", "subgroup_label", "or_mh", "or_conf_low", "or_conf_high", "conf_level",
	"mh_chi_square", "mh_p_value", "breslow_day", "breslow_day_p", "woolf", "woolf_p", "df", "informative", "reason"}

func mhRaw(m *analysis.MantelHaenszel) []string {
	df, inf := "", ""
	if m.ORMH != nil {
		df, inf = strconv.Itoa(m.DF), strconv.Itoa(m.Informative)
	}
	return []string{m.Exposure, m.ExposureLabel, m.By, m.ByLabel, render.Num(m.ORMH), render.Num(m.ORConfLow), render.Num(m.ORConfHigh),
		render.FormatFloat(m.Level), render.Num(m.ChiSquare), render.Num(m.PValue), render.Num(m.BreslowDay), render.Num(m.BreslowDayP),
		render.Num(m.Woolf), render.Num(m.WoolfP), df, inf, m.Reason}
}

// mhStrataTable lists each stratum's 2×2 table and odds ratio (Woolf
// interval) behind the Mantel-Haenszel rows: the text shows the cells
// and "OR (CI)", the CSV one column per number.
func mhStrataTable(res *analysis.SubgroupResult, lang string) render.Table {
	T := func(s string) string { return i18n.T(lang, s) }
	tb := render.Table{Name: "mantel_haenszel_strata", Title: T("Mantel-Haenszel strata: 2×2 tables and stratum ORs"),
		Columns: []string{T("exposure"), T("by"), T("stratum"), T("exposed cases"), T("exposed controls"), T("unexposed cases"), T("unexposed controls"),
			i18n.Tf(lang, "OR (%s CI)", levelPercent(res.Level))},
		RawColumns: []string{"exposure", "exposure_label", "subgroup", "subgroup_label", "stratum", "stratum_label", "n",
			"exposed_cases", "exposed_controls", "unexposed_cases", "unexposed_controls", "uninformative", "corrected",
			"odds_ratio", "se_log_or", "conf_low", "conf_high"}}
	f := render.FormatFloat
	for _, m := range res.MantelHaenszel {
		for _, st := range m.Strata {
			c := st.Table
			or := "—"
			orRaw := []string{"", "", "", ""}
			if !st.Uninformative {
				or = render.FormatRatioCI(st.OddsRatio, st.ConfLow, st.ConfHigh)
				if st.Corrected {
					or += " *"
				}
				orRaw = []string{f(st.OddsRatio), f(st.SELogOR), f(st.ConfLow), f(st.ConfHigh)}
			}
			tb.Rows = append(tb.Rows, []string{termShown(m.ExposureLabel, m.Exposure), termShown(m.ByLabel, m.By), termShown(st.LevelLabel, st.Level),
				f(c[0][0]), f(c[0][1]), f(c[1][0]), f(c[1][1]), or})
			tb.RawRows = append(tb.RawRows, append([]string{m.Exposure, m.ExposureLabel, m.By, m.ByLabel, st.Level, st.LevelLabel, f(st.N),
				f(c[0][0]), f(c[0][1]), f(c[1][0]), f(c[1][1]), strconv.FormatBool(st.Uninformative), strconv.FormatBool(st.Corrected)}, orRaw...))
		}
	}
	tb.Notes = append(tb.Notes, T("Stratum OR: ad/(bc) with the Woolf (log-scale Wald) interval; * 0.5 added to every cell of a stratum with a zero cell; — an uninformative stratum (empty margin)."))
	return tb
}
