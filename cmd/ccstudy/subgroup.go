package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/internal/analysis"
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
test whether each factor's effect differs between them.

A SPEC is a categorical or 0/1 variable as is (company_type, listed), one
level against the rest (main_indication=oncology), or a continuous variable
split at its median or at a value (rd_expenditure@median, founded_year@2010):
x@v puts x < v in the first stratum and x ≥ v in the second; the median is
R's type-7 quantile over the rows the model uses. Without --by, the fields
the schema marks "role": "subgroup" are used (categorical by level, numeric
at the median); the embedded reference study has six built-in subgroups.
Without either, the command says how to mark them (exit 2).

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
Benjamini-Hochberg adjustment across all interaction tests of the run.

Crude analysis: for each 0/1 covariate of the model (and each --exposure
VAR=LEVEL) by each SPEC, the Mantel-Haenszel OR with the
Robins-Breslow-Greenland CI, Breslow-Day with Tarone's correction, and
Woolf's test of homogeneity.`,
		Example: `  ccstudy subgroup
  ccstudy subgroup --by company_type --by listed --exposure novelty=first_in_class
  ccstudy subgroup --by founded_year@2010 --covariates novelty,orphan_drug,dev_years
  ccstudy subgroup --data infert.csv --schema infert.schema.json --by education --by age@median`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.modelFlags.check(&opts.LogitOptions); err != nil {
				return err
			}
			for _, b := range opts.By {
				if strings.TrimSpace(b) == "" {
					return usagef("--by needs a SPEC, e.g. --by company_type, --by main_indication=oncology or --by rd_expenditure@median")
				}
			}
			for _, e := range opts.Exposures {
				if k, v, ok := strings.Cut(e, "="); !ok || k == "" || v == "" {
					return usagef("--exposure %q: expected VAR=LEVEL, e.g. --exposure novelty=first_in_class", e)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return subgroupRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.By, "by", nil, "subgroup SPEC: VAR, VAR=LEVEL, VAR@median or VAR@VALUE (repeatable; default: the fields with role subgroup)")
	f.StringArrayVar(&opts.Exposures, "exposure", nil, "extra binary exposure for the Mantel-Haenszel table, VAR=LEVEL (level vs the rest; repeatable)")
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
			return usageError{errNoSubgroups}
		}
	}
	res, err := analysis.Subgroup(st.Companies, opts.SubgroupOptions)
	if err != nil {
		return err
	}
	return opts.Emit(subgroupDocument(res, st.Embedded))
}

// subgroupDocument renders a subgroup result; embedded adds the synthetic
// notice and what became of the DGP's two true interactions.
func subgroupDocument(res *analysis.SubgroupResult, embedded bool) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		doc.Preamble = append(doc.Preamble, SyntheticNotice)
	}
	doc.Tables = subgroupTables(res, res.Level)
	doc.Epilogue = subgroupNotes(res, res.CI)
	if embedded {
		doc.Epilogue = append(doc.Epilogue, knownInteractionNotes(res)...)
	}
	return doc
}

// subgroupTables renders, per SPEC, the side-by-side OR table and the
// interaction tests, then the ranking and the Mantel-Haenszel table.
func subgroupTables(res *analysis.SubgroupResult, level float64) []render.Table {
	var tables []render.Table
	pct := levelPercent(level)
	for _, s := range res.Subgroups {
		or := render.Table{Name: "or_" + sanitize(s.By), Title: "Adjusted ORs (" + pct + " CI) by " + s.By, Columns: []string{"term"}}
		var order []string
		seen := map[string]bool{}
		byLevel := make([]map[string]logit.Term, len(s.Levels))
		for k, lv := range s.Levels {
			or.Columns = append(or.Columns, levelHeader(s, lv))
			byLevel[k] = map[string]logit.Term{}
			for _, tm := range lv.Terms {
				byLevel[k][tm.Term] = tm
				if tm.Term != "(Intercept)" && !seen[tm.Term] {
					seen[tm.Term] = true
					order = append(order, tm.Term)
				}
			}
		}
		if len(order) == 0 {
			row := []string{"(no stratum fitted)"}
			for range s.Levels {
				row = append(row, "")
			}
			or.Rows = append(or.Rows, row)
		}
		for _, term := range order {
			row := []string{term}
			for k, lv := range s.Levels {
				tm, ok := byLevel[k][term]
				switch {
				case ok:
					row = append(row, orCI(tm))
				case lv.Status == analysis.StatusOK:
					row = append(row, "dropped")
				default:
					row = append(row, "—")
				}
			}
			or.Rows = append(or.Rows, row)
		}
		or.Notes = append(or.Notes, "Subgroups: "+s.Definition+".", "Stratum model: "+s.Formula+".")
		for _, lv := range s.Levels {
			switch lv.Status {
			case analysis.StatusOK:
				if lv.Method == logit.MethodFirth {
					or.Notes = append(or.Notes, fmt.Sprintf("%s: Firth's penalized likelihood (separation).", lv.Level))
				}
			default:
				or.Notes = append(or.Notes, fmt.Sprintf("%s: not fitted (%s): %s.", lv.Level, strings.ReplaceAll(lv.Status, "_", " "), lv.Reason))
			}
		}
		tables = append(tables, or)

		it := render.Table{Name: "interactions_" + sanitize(s.By), Title: "Interaction with " + s.By,
			Columns: []string{"term", "LR chi2 (df)", "p", "p Holm", "q BH", "Cochran's Q (df)", "Q p", "I²"}}
		for _, x := range s.Interactions {
			row := []string{x.Term, "not testable", "", "", ""}
			if x.LRStatistic != nil {
				df := float64(x.DF)
				row = []string{x.Term, fmtStat(x.LRStatistic, &df), fmtP(x.PValue), fmtP(x.PHolm), fmtP(x.QBH)}
			}
			if x.CochranQ != nil {
				df := float64(*x.CochranDF)
				q := fmtStat(x.CochranQ, &df)
				if len(x.Coefficients) > 1 {
					q += " " + strings.TrimPrefix(x.Coefficient, x.Term)
				}
				row = append(row, q, fmtP(x.CochranP), strconv.FormatFloat(*x.I2, 'f', 0, 64)+"%")
			} else {
				row = append(row, "", "", "")
			}
			it.Rows = append(it.Rows, row)
			for _, n := range x.Notes {
				it.Notes = append(it.Notes, x.Term+": "+n)
			}
		}
		it.Notes = append(it.Notes, "LR: model + S vs model + S + term:S on the whole sample (maximum likelihood). Q and I²: inverse-variance fixed effect over the fitted strata; for a term with several coefficients, the one with the largest Q (in brackets).")
		tables = append(tables, it)
	}
	rk := render.Table{Name: "ranking", Title: "Term × subgroup interactions ranked by p-value", Columns: []string{"rank", "term", "subgroup", "p", "p Holm", "q BH"}}
	for i, r := range res.Ranking {
		rk.Rows = append(rk.Rows, []string{strconv.Itoa(i + 1), r.Term, r.By, fmtPValue(r.PValue), fmtPValue(r.PHolm), fmtPValue(r.QBH)})
	}
	rk.Notes = res.Summary
	tables = append(tables, rk)

	mh := render.Table{Name: "mantel_haenszel", Title: "Crude stratified analysis of binary exposures (Mantel-Haenszel)",
		Columns: []string{"exposure", "by", "stratum ORs", "OR MH (95% CI)", "Breslow-Day-Tarone (df)", "p", "Woolf (df)", "p"}}
	for _, m := range res.MantelHaenszel {
		if m.ORMH == nil {
			mh.Rows = append(mh.Rows, []string{m.Exposure, m.By, "", "not computed", "", "", "", ""})
			mh.Notes = append(mh.Notes, fmt.Sprintf("%s by %s: %s.", m.Exposure, m.By, m.Reason))
			continue
		}
		var ors []string
		for _, s := range m.Strata {
			ors = append(ors, fmtNum(s.OddsRatio))
		}
		df := float64(m.DF)
		mh.Rows = append(mh.Rows, []string{m.Exposure, m.By, strings.Join(ors, " / "),
			fmt.Sprintf("%s (%s, %s)", fmtNum(*m.ORMH), fmtNum(*m.ORConfLow), fmtNum(*m.ORConfHigh)),
			fmtStat(m.BreslowDay, &df), fmtP(m.BreslowDayP), fmtStat(m.Woolf, &df), fmtP(m.WoolfP)})
	}
	if len(res.MantelHaenszel) == 0 {
		mh.Notes = append(mh.Notes, "No 0/1 covariate in the model: give --exposure VAR=LEVEL for a crude stratified analysis.")
	}
	mh.Notes = append(mh.Notes, "Stratum ORs in the order of the subgroup's strata (0.5 added to every cell of a stratum with a zero cell). CI: Robins-Breslow-Greenland. Woolf: 0.5 added to every cell, as epiR.")
	tables = append(tables, mh)
	return tables
}

// levelHeader names a stratum column with its size.
func levelHeader(s *analysis.SubgroupSplit, lv *analysis.SubgroupLevel) string {
	name := lv.Level
	if name == "0" || name == "1" {
		name = s.Variable + " = " + name
	}
	return fmt.Sprintf("%s (n=%d, %d events)", name, lv.N, lv.Events)
}

// subgroupNotes collects the stratum warnings and the rules.
func subgroupNotes(res *analysis.SubgroupResult, ci logit.CI) []string {
	notes := []string{fmt.Sprintf("Model: %s. Stratum ORs: %s intervals; a stratum needs at least %d events and %d non-events and no more coefficients than either.",
		res.Formula, map[bool]string{true: "Wald", false: "profile-likelihood"}[ci == logit.CIWald], analysis.MinStratumEvents, analysis.MinStratumEvents)}
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
				notes = append(notes, fmt.Sprintf("%s, %s: %s", s.By, lv.Level, w.Message))
			}
		}
	}
	if lowEPV > 0 {
		notes = append(notes, fmt.Sprintf("%d of %d strata have fewer than 10 events per variable: their ORs are imprecise and can be biased away from 1 (the warnings per stratum are in --format json).", lowEPV, strata))
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
						ors = append(ors, fmt.Sprintf("%s %s", levelHeader(s, lv), orCI(tm)))
					}
				}
			}
			for _, x := range s.Interactions {
				if x.Term != k.Term || x.PValue == nil || x.QBH == nil {
					continue
				}
				verdict := "does not reach q < 0.05"
				if *x.QBH < analysis.SubgroupAlpha {
					verdict = "reaches q < 0.05"
				}
				notes = append(notes, fmt.Sprintf("True interaction in the synthetic DGP: %s. Estimated %s: %s; interaction LR p = %s, q = %s: it %s at n = %d.",
					k.Text, k.Coef, strings.Join(ors, " vs "), fmtPValue(*x.PValue), fmtPValue(*x.QBH), verdict, s.N))
			}
		}
	}
	return notes
}
