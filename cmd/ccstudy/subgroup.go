package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/logit"
	"github.com/spf13/cobra"
)

// SubgroupOptions are the inputs of `ccstudy subgroup`.
type SubgroupOptions struct {
	*GlobalOptions
	analysis.SubgroupOptions
	modelFlags
}

// NewCmdSubgroup analyses the heterogeneity of the factors across subgroups.
func NewCmdSubgroup(g *GlobalOptions, runF func(*SubgroupOptions) error) *cobra.Command {
	opts := &SubgroupOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "subgroup",
		Short: "Subgroup analysis: stratified ORs, interaction tests, heterogeneity, Mantel-Haenszel",
		Long: `Fit the multivariable model within the strata of each subgroup SPEC and
test whether each factor's effect on the outcome differs between them.

A SPEC is a categorical or 0/1 variable as is (sex, smoker), one level
against the rest (region=north), or a continuous variable split at its
median or at a value (age@median, age@50): x@v puts x < v in the first
stratum and x ≥ v in the second; the median is R's type-7 quantile over the
rows the model uses. Without --by, the fields the schema marks
"role": "subgroup" are used (categorical by level, numeric at the median);
the embedded reference study has six built-in subgroups. Without either,
the command says how to mark them and stops (exit 1).

Per stratum: the model without the split variable, fitted with --method
auto (maximum likelihood; Firth when separation is detected, saying so).
Strata with fewer than 10 events or non-events, or more coefficients than
events, are reported as too small. A column aliased within a stratum (a
level absent there) is dropped, as R's glm reports NA.

Per term and SPEC: the likelihood-ratio test for interaction on the whole
sample (model + S against model + S + X:S, maximum likelihood; aliased
interaction columns dropped and the df reduced), Cochran's Q and I² of the
stratum estimates (inverse-variance fixed effect, per coefficient; the term
row shows the coefficient with the largest Q), and Holm and
Benjamini-Hochberg adjustment across the interaction tests of the run, one
per pair of variables: "b by a" repeats "a by b" (the same hypothesis), so
a later test of a pair already tested keeps its p-value, is marked as a
repeat of the first, and is left out of the family.

Crude analysis: for each 0/1 covariate of the model (and each --exposure
VAR=LEVEL or 0/1 VAR) by each SPEC, the Mantel-Haenszel OR with the
Robins-Breslow-Greenland CI (at --level), Breslow-Day with Tarone's
correction, and Woolf's test of homogeneity (0.5 added to the cells of a
stratum only when it has a zero cell). A stratum with an empty margin (no
exposed, no unexposed, no cases or no controls) carries no information on
the odds ratio: it is excluded from all three and from their df, and named.

A stratum that cannot be fitted (empty, too small, or a failed fit), an
interaction or heterogeneity test that cannot be computed, or a
Mantel-Haenszel analysis that cannot be done is marked with its reason and
everything else is printed (exit status 0). Tables show the schema's field
titles and category labels (in --lang); JSON and CSV keep the codes, with
the labels beside them.`,
		Example: `  ccstudy subgroup --by sex --by age@median
  ccstudy subgroup --by region=north --exposure treatment=active
  ccstudy subgroup --by age@50 --covariates treatment,smoker,bmi
  ccstudy subgroup --data infert.csv --schema infert.schema.json --by education --by age@median --lang zh`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.modelFlags.check(&opts.LogitOptions); err != nil {
				return err
			}
			for _, b := range opts.By {
				if strings.TrimSpace(b) == "" {
					return usagef("--by needs a SPEC, e.g. --by VAR, --by VAR=LEVEL or --by VAR@median")
				}
			}
			for _, e := range opts.Exposures {
				if k, v, ok := strings.Cut(e, "="); strings.TrimSpace(e) == "" || (ok && (k == "" || v == "")) {
					return usagef("--exposure %q: expected VAR (a 0/1 variable) or VAR=LEVEL (a categorical variable and one of its levels)", e)
				}
			}
			opts.LogitOptions.Lang = g.Lang
			if runF != nil {
				return runF(opts)
			}
			return subgroupRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.By, "by", nil, "subgroup SPEC: VAR, VAR=LEVEL, VAR@median or VAR@VALUE (repeatable; default: the fields with role subgroup)")
	f.StringArrayVar(&opts.Exposures, "exposure", nil, "extra binary exposure for the Mantel-Haenszel table: a 0/1 VAR (VAR=0 takes the 0 rows as exposed), or VAR=LEVEL (level vs the rest); repeatable")
	addModelFlags(f, &opts.LogitOptions, &opts.modelFlags)
	return cmd
}

func subgroupRun(opts *SubgroupOptions) error {
	st, err := opts.LoadStudy()
	if err != nil {
		return err
	}
	if len(opts.By) == 0 {
		if opts.By = st.profile().subgroups(st.Companies.Schema); len(opts.By) == 0 {
			// The analysis asked for cannot be computed: as R or Stata
			// would, fail with the reason and what to give (exit 1).
			// report skips the step with a note instead, its other parts
			// standing.
			return errors.New(i18n.T(opts.LogitOptions.Lang, noSubgroupsMessage))
		}
	}
	progress, done := opts.stepProgress()
	opts.SubgroupOptions.Progress = progress
	res, err := analysis.Subgroup(st.Companies, opts.SubgroupOptions)
	done()
	if err != nil {
		return err
	}
	return opts.Emit(subgroupDocument(res, st.Synthetic))
}

// subgroupDocument renders a subgroup result in the language of its
// labels; embedded adds the synthetic notice and what became of the DGP's
// two true interactions.
func subgroupDocument(res *analysis.SubgroupResult, embedded bool) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		markSynthetic(doc, res.Lang)
	}
	doc.Tables = subgroupTables(res, res.Level)
	doc.Epilogue = subgroupNotes(res, res.CI)
	if embedded {
		doc.Epilogue = append(doc.Epilogue, knownInteractionNotes(res)...)
	}
	return doc
}

// termShown is a label, or the code when there is none.
func termShown(label, code string) string {
	if label != "" {
		return label
	}
	return code
}

// subgroupTables renders, per SPEC, the side-by-side OR table and the
// interaction tests, then the ranking and the Mantel-Haenszel table.
// Text shows labels; CSV keeps the codes with a label column beside them.
func subgroupTables(res *analysis.SubgroupResult, level float64) []render.Table {
	lang := res.Lang
	var tables []render.Table
	pct := levelPercent(level)
	for _, s := range res.Subgroups {
		by := termShown(s.Label, s.By)
		or := render.Table{Name: "or_" + sanitize(s.By), Title: i18n.Tf(lang, "Adjusted ORs (%s CI) by %s", pct, by),
			Columns: []string{i18n.T(lang, "term")}, RawColumns: subgroupORColumns}
		var order []string
		seen := map[string]bool{}
		labels := map[string]string{}
		byLevel := make([]map[string]logit.Term, len(s.Levels))
		for k, lv := range s.Levels {
			or.Columns = append(or.Columns, levelHeader(lang, false, s, lv))
			byLevel[k] = map[string]logit.Term{}
			for _, tm := range lv.Terms {
				byLevel[k][tm.Term] = tm
				if tm.Term != "(Intercept)" && !seen[tm.Term] {
					seen[tm.Term] = true
					order = append(order, tm.Term)
					labels[tm.Term] = tm.Label
				}
			}
		}
		if len(order) == 0 {
			row := []string{i18n.T(lang, "(no stratum fitted)")}
			for _, lv := range s.Levels {
				row = append(row, "")
				or.RawRows = append(or.RawRows, subgroupORRaw(s, lv, "", "", nil))
			}
			or.Rows = append(or.Rows, row)
		}
		for _, term := range order {
			row := []string{termShown(labels[term], term)}
			for k, lv := range s.Levels {
				tm, ok := byLevel[k][term]
				switch {
				case ok:
					row = append(row, orCI(tm))
				case lv.Status == analysis.StatusOK:
					row = append(row, i18n.T(lang, "dropped"))
				default:
					row = append(row, "—")
				}
				var tp *logit.Term
				if ok {
					tp = &tm
				}
				or.RawRows = append(or.RawRows, subgroupORRaw(s, lv, term, labels[term], tp))
			}
			or.Rows = append(or.Rows, row)
		}
		or.Notes = append(or.Notes, i18n.T(lang, "Subgroups: ")+s.DefinitionLabel+".", i18n.T(lang, "Stratum model: ")+s.Formula+".")
		for _, lv := range s.Levels {
			name := termShown(lv.LevelLabel, lv.Level)
			switch lv.Status {
			case analysis.StatusOK:
				switch {
				case logit.HasWarning(lv.Warnings, analysis.WarnFitFallback):
					// The fallback's warning (in the notes) says why.
					or.Notes = append(or.Notes, i18n.Tf(lang, "%s: %s (fallback, see notes).", name, methodText(lang, &logit.Model{Method: lv.Method})))
				case lv.Method == logit.MethodFirth && res.CI != logit.CIWald:
					or.Notes = append(or.Notes, i18n.Tf(lang, "%s: Firth's penalized likelihood (separation); penalized profile-likelihood intervals.", name))
				case lv.Method == logit.MethodFirth:
					or.Notes = append(or.Notes, i18n.Tf(lang, "%s: Firth's penalized likelihood (separation).", name))
				}
			default:
				or.Notes = append(or.Notes, i18n.Tf(lang, "%s: not fitted (%s): %s.", name, i18n.T(lang, strings.ReplaceAll(lv.Status, "_", " ")), lv.Reason))
			}
		}
		tables = append(tables, or)

		cols := []string{"term", "LR chi2 (df)", "p", "p Holm", "q BH", "Cochran's Q (df)", "Q p", "I²"}
		it := render.Table{Name: "interactions_" + sanitize(s.By), Title: i18n.Tf(lang, "Interaction with %s", by),
			RawColumns: interactionColumns}
		for _, c := range cols {
			it.Columns = append(it.Columns, i18n.T(lang, c))
		}
		for _, x := range s.Interactions {
			cells := []string{i18n.T(lang, "not testable"), "", "", ""}
			if x.LRStatistic != nil {
				df := float64(x.DF)
				cells = []string{fmtStat(x.LRStatistic, &df), fmtP(x.PValue), fmtP(x.PHolm), fmtP(x.QBH)}
				if x.DuplicateOf != nil {
					cells[2], cells[3] = "—", "—"
				}
			} else if x.Reason != "" {
				cells[0] = i18n.T(lang, "not testable (see notes)")
			}
			if x.CochranQ != nil {
				df := float64(*x.CochranDF)
				q := fmtStat(x.CochranQ, &df)
				if len(x.Coefficients) > 1 {
					q += " " + strings.TrimPrefix(x.Coefficient, x.Term)
				}
				cells = append(cells, q, fmtP(x.CochranP), strconv.FormatFloat(*x.I2, 'f', 0, 64)+"%")
			} else if x.CochranReason != "" {
				cells = append(cells, i18n.T(lang, "not computed (see notes)"), "", "")
			} else {
				cells = append(cells, "", "", "")
			}
			it.Rows = append(it.Rows, append([]string{termShown(x.Label, x.Term)}, cells...))
			it.RawRows = append(it.RawRows, interactionRaw(s, x))
			name := termShown(x.Label, x.Term)
			if x.LRStatistic == nil && x.Reason != "" {
				it.Notes = append(it.Notes, i18n.Tf(lang, "%s: interaction not tested: %s.", name, x.Reason))
			}
			if d := x.DuplicateOf; d != nil {
				it.Notes = append(it.Notes, i18n.Tf(lang, "%s: the same pair of variables as %s × %s, which is the test kept in the multiplicity family; not adjusted here.", name, d.Term, d.By))
			}
			for _, n := range x.Notes {
				if x.Reason != "" && n == "no estimable interaction column: not testable" {
					continue // said by the reason
				}
				it.Notes = append(it.Notes, name+": "+n)
			}
			if x.CochranQ == nil && x.CochranReason != "" {
				it.Notes = append(it.Notes, i18n.Tf(lang, "%s: Cochran's Q not computed: %s.", name, x.CochranReason))
			}
		}
		it.Notes = append(it.Notes, i18n.T(lang, "LR: model + S vs model + S + term:S on the whole sample (maximum likelihood). Q and I²: inverse-variance fixed effect over the fitted strata; for a term with several coefficients, the one with the largest Q (in brackets)."))
		it.Notes = append(it.Notes, cochranMethodNotes(lang, s)...)
		tables = append(tables, it)
	}
	rcols := []string{"rank", "term", "subgroup", "p", "p Holm", "q BH"}
	rk := render.Table{Name: "ranking", Title: i18n.T(lang, "Term × subgroup interactions ranked by p-value"),
		RawColumns: []string{"rank", "term", "label", "subgroup", "subgroup_label", "p_value", "p_holm", "q_bh"}}
	for _, c := range rcols {
		rk.Columns = append(rk.Columns, i18n.T(lang, c))
	}
	for i, r := range res.Ranking {
		ps := []string{fmtPValue(r.PValue), fmtPValue(r.PHolm), fmtPValue(r.QBH)}
		rk.Rows = append(rk.Rows, append([]string{strconv.Itoa(i + 1), termShown(r.Label, r.Term), termShown(r.ByLabel, r.By)}, ps...))
		rk.RawRows = append(rk.RawRows, []string{strconv.Itoa(i + 1), r.Term, r.Label, r.By, r.ByLabel,
			render.FormatFloat(r.PValue), render.FormatFloat(r.PHolm), render.FormatFloat(r.QBH)})
	}
	rk.Notes = res.SummaryText
	if len(rk.Notes) == 0 {
		rk.Notes = res.Summary
	}
	tables = append(tables, rk)

	mcols := []string{"exposure", "by", "stratum ORs", "OR MH (%s CI)", "Breslow-Day-Tarone (df)", "p", "Woolf (df)", "p"}
	mh := render.Table{Name: "mantel_haenszel", Title: i18n.T(lang, "Crude stratified analysis of binary exposures (Mantel-Haenszel)")}
	for _, c := range mcols {
		h := i18n.T(lang, c)
		if strings.Contains(c, "%s") {
			h = i18n.Tf(lang, c, pct)
		}
		mh.Columns = append(mh.Columns, h)
	}
	mh.RawColumns = mhColumns
	for _, m := range res.MantelHaenszel {
		ex, by := termShown(m.ExposureLabel, m.Exposure), termShown(m.ByLabel, m.By)
		var cells []string
		if m.ORMH == nil {
			cells = []string{"", i18n.T(lang, "not computed (see notes)"), "", "", "", ""}
			mh.Notes = append(mh.Notes, i18n.Tf(lang, "%s by %s: not computed: %s.", ex, by, m.Reason))
		} else {
			var ors, excl []string
			for _, s := range m.Strata {
				if s.Uninformative {
					ors = append(ors, "—")
					excl = append(excl, termShown(s.LevelLabel, s.Level))
					continue
				}
				ors = append(ors, render.FormatRatio(s.OddsRatio))
			}
			if len(excl) > 0 {
				mh.Notes = append(mh.Notes, i18n.Tf(lang, "%s by %s: excluded as uninformative (empty margin): %s; df %d.", ex, by, joinList(lang, excl), m.DF))
			}
			df := float64(m.DF)
			cells = []string{strings.Join(ors, " / "),
				render.FormatRatioCI(*m.ORMH, *m.ORConfLow, *m.ORConfHigh),
				fmtStat(m.BreslowDay, &df), fmtP(m.BreslowDayP), fmtStat(m.Woolf, &df), fmtP(m.WoolfP)}
		}
		mh.Rows = append(mh.Rows, append([]string{ex, by}, cells...))
		mh.RawRows = append(mh.RawRows, mhRaw(m))
	}
	if len(res.MantelHaenszelSkipped) > 0 {
		var pairs []string
		for _, sk := range res.MantelHaenszelSkipped {
			pairs = append(pairs, i18n.Tf(lang, "%s by %s", termShown(sk.ExposureLabel, sk.Exposure), termShown(sk.ByLabel, sk.By)))
		}
		mh.Notes = append(mh.Notes, i18n.Tf(lang, "Not stratified by its own variable (constant within each stratum): %s.", joinList(lang, pairs)))
	}
	if len(res.MantelHaenszel) == 0 && len(res.MantelHaenszelSkipped) == 0 {
		mh.Notes = append(mh.Notes, i18n.T(lang, "No 0/1 covariate in the model: give --exposure VAR=LEVEL for a crude stratified analysis."))
	}
	mh.Notes = append(mh.Notes, i18n.T(lang, "Stratum ORs in the order of the subgroup's strata (0.5 added to every cell of a stratum with a zero cell; — for an uninformative stratum). CI: Robins-Breslow-Greenland. A stratum with an empty margin (no exposed, no unexposed, no cases or no controls) is uninformative: it is excluded from the MH OR, Breslow-Day and Woolf and from their df. Woolf: inverse-variance Q of the stratum log ORs shown (0.5 added only to strata with a zero cell)."))
	tables = append(tables, mh, mhStrataTable(res, lang))
	return tables
}

// cochranMethodNotes says where Cochran's Q pools Firth's penalized
// estimates of some strata (with the maximum-likelihood estimates of the
// others): the estimates then come from different likelihoods. One note
// for the SPEC when every Q pools the same strata, else one per term that
// pools a Firth estimate.
func cochranMethodNotes(lang string, s *analysis.SubgroupSplit) []string {
	type pooled struct{ term, firth, mle string }
	var ps []pooled
	withQ := 0
	for _, x := range s.Interactions {
		if x.CochranQ != nil {
			withQ++
		}
		if x.CochranQ == nil || len(x.CochranFirthStrata) == 0 {
			continue
		}
		var firth, mle []string
		for _, lv := range s.Levels {
			if lv.Status != analysis.StatusOK || !estimates(lv, x.Coefficient) {
				continue
			}
			if slices.Contains(x.CochranFirthStrata, lv.Level) {
				firth = append(firth, termShown(lv.LevelLabel, lv.Level))
			} else {
				mle = append(mle, termShown(lv.LevelLabel, lv.Level))
			}
		}
		ps = append(ps, pooled{termShown(x.Label, x.Term), joinList(lang, firth), joinList(lang, mle)})
	}
	text := func(p pooled) string {
		if p.mle == "" {
			return i18n.T(lang, "Cochran's Q and I² pool Firth's penalized estimates only (every stratum was fitted by Firth's method).")
		}
		return i18n.Tf(lang, "Cochran's Q and I² pool Firth's penalized estimates (%s) with maximum-likelihood estimates (%s).", p.firth, p.mle)
	}
	// One note speaks for every Q only when every Q pools the same strata.
	same := len(ps) > 0 && len(ps) == withQ
	for _, p := range ps {
		same = same && p.firth == ps[0].firth && p.mle == ps[0].mle
	}
	if same {
		return []string{text(ps[0])}
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.term+": "+text(p))
	}
	return out
}

// estimates reports whether a fitted stratum estimates coefficient c.
func estimates(lv *analysis.SubgroupLevel, c string) bool {
	for _, tm := range lv.Terms {
		if tm.Term == c {
			return true
		}
	}
	return false
}

// levelHeader names a stratum column with its size: by its label in
// lang, or by its code (codes, for CSV headers).
func levelHeader(lang string, codes bool, s *analysis.SubgroupSplit, lv *analysis.SubgroupLevel) string {
	name := lv.Level
	if !codes && lv.LevelLabel != "" {
		name = lv.LevelLabel
	} else if name == "0" || name == "1" {
		name = s.Variable + " = " + name
	}
	return i18n.Tf(lang, "%s (n=%d, %d events)", name, lv.N, lv.Events)
}

// subgroupNotes collects the stratum warnings and the rules.
func subgroupNotes(res *analysis.SubgroupResult, ci logit.CI) []string {
	lang := res.Lang
	kind := i18n.T(lang, "profile-likelihood")
	if ci == logit.CIWald {
		kind = i18n.T(lang, "Wald")
	}
	// A Firth stratum's profile intervals are of the penalized likelihood.
	firth, fitted := 0, 0
	for _, s := range res.Subgroups {
		for _, lv := range s.Levels {
			if lv.Status == analysis.StatusOK {
				fitted++
				if lv.Method == logit.MethodFirth {
					firth++
				}
			}
		}
	}
	var notes []string
	if firth > 0 && ci != logit.CIWald {
		notes = append(notes, i18n.Tf(lang, "Model: %s. Stratum ORs: profile-likelihood intervals, penalized profile-likelihood intervals for the strata fitted by Firth's penalized likelihood (%d of %d fitted strata); a stratum needs at least %d events and %d non-events and no more coefficients than either.",
			res.Formula, firth, fitted, analysis.MinStratumEvents, analysis.MinStratumEvents))
	} else {
		notes = append(notes, i18n.Tf(lang, "Model: %s. Stratum ORs: %s intervals; a stratum needs at least %d events and %d non-events and no more coefficients than either.",
			res.Formula, kind, analysis.MinStratumEvents, analysis.MinStratumEvents))
	}
	// Small strata almost always have fewer than 10 events per variable;
	// one summary line says so instead of one line per stratum (the JSON
	// keeps every stratum's warnings).
	lowEPV, strata := 0, 0
	for _, s := range res.Subgroups {
		for _, lv := range s.Levels {
			strata++
			for _, w := range lv.Warnings {
				if w.Code == logit.WarnLowEPV {
					lowEPV++
					continue
				}
				notes = append(notes, fmt.Sprintf("%s, %s: %s", termShown(s.Label, s.By), termShown(lv.LevelLabel, lv.Level), w.Message))
			}
		}
	}
	if lowEPV > 0 {
		notes = append(notes, i18n.Tf(lang, "%d of %d strata have fewer than 10 events per variable: their ORs are imprecise and can be biased away from 1 (the warnings per stratum are in --format json).", lowEPV, strata))
	}
	return notes
}

// knownInteractionNotes reports, for the synthetic reference data, what
// became of the two interactions its DGP builds in (testdata/README.md),
// from this run's own numbers.
func knownInteractionNotes(res *analysis.SubgroupResult) []string {
	var notes []string
	for _, k := range refstudy.KnownInteractions() {
		for _, s := range res.Subgroups {
			if s.By != k.By {
				continue
			}
			var ors []string
			for _, lv := range s.Levels {
				for _, tm := range lv.Terms {
					if tm.Term == k.Coef {
						ors = append(ors, fmt.Sprintf("%s %s", levelHeader("", false, s, lv), orCI(tm)))
					}
				}
			}
			for _, x := range s.Interactions {
				if x.Term != k.Term || x.PValue == nil || x.QBH == nil {
					continue
				}
				verdict := fmt.Sprintf("does not reach q < %.2g", res.Alpha)
				if *x.QBH < res.Alpha {
					verdict = fmt.Sprintf("reaches q < %.2g", res.Alpha)
				}
				notes = append(notes, fmt.Sprintf("True interaction in the synthetic DGP: %s. Estimated %s: %s; interaction LR p %s, q %s: it %s at n = %d.",
					k.Text, k.Coef, strings.Join(ors, " vs "), render.FormatPRelation(*x.PValue), render.FormatPRelation(*x.QBH), verdict, s.N))
			}
		}
	}
	return notes
}
