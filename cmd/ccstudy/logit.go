package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/logit"
	"github.com/spf13/cobra"
)

// LogitOptions are the inputs of `ccstudy logit`.
type LogitOptions struct {
	*GlobalOptions
	analysis.LogitOptions
	modelFlags
	ShowUnivariable bool
	// Pers are the --per VAR=K flags, parsed into LogitOptions.Per.
	Pers []string
}

// NewCmdLogit fits logistic regressions and prints Table 2.
func NewCmdLogit(g *GlobalOptions, runF func(*LogitOptions) error) *cobra.Command {
	opts := &LogitOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "logit",
		Short: "Logistic regression: crude and adjusted odds ratios (Table 2) with fit statistics",
		Long: `Fit the multivariable logistic model and each variable alone, and print
Table 2: crude and adjusted odds ratios of the outcome with confidence
intervals and p-values side by side, as journals print it (gtsummary's
tbl_regression): one header row per variable with its title; a
categorical variable's levels beneath it, the reference level as
"1 (reference)" with "—" for its p-values; a 0/1 or numeric variable on
one row; an interaction as a block of its level combinations; the N and
cases of every model in the notes. ORs have two decimals (three
significant digits below 0.1, none from 100), p-values "<0.001", three
decimals below 0.01, else two. Then the global tests, the detailed
coefficient table in broom's columns, and the fit statistics (deviances,
AIC, BIC, likelihood-ratio test, pseudo-R², AUC with DeLong CI,
Hosmer–Lemeshow test, events per variable, GVIF).

The p-value on the header row of a variable with several columns (a
factor of three or more levels, an interaction block) is the
likelihood-ratio test of all its coefficients at once, type II as
car::Anova(fit, type = 2, test.statistic = "LR"): a main effect is
tested after every term that does not contain it, an interaction after
the rest (without interactions this is drop1(fit, test = "LRT")). Both
models are maximum-likelihood fits (conditional likelihood with
--strata); a Firth fit or a separated maximum-likelihood fit gets no
global test, with the reason. JSON: models[].global_tests[].

--per VAR=K (repeatable), or the schema's field property "per" (with
"unit", e.g. "per": 10, "unit": "years"), reports a numeric variable's OR
per K units: exp(K·β) with exp(K·lower), exp(K·upper), as glm with
I(x / K). JSON keeps the fitted coefficient per unit in terms[] (as broom)
and adds models[].per[] with estimate_per, conf_low_per, conf_high_per and
the odds ratios.

--format csv writes every table tidy (one observation per row, numbers at
full precision in their own columns): Table 2 as one row per model and
coefficient (reference levels included) with broom's columns and n,
n_events; the fit as one glance-like row.

The model defaults to the schema's outcome and covariate fields (fields
analysed on the log scale enter as log(x)). Categorical variables use
treatment coding with the schema's first category as reference. Tables
show the schema's field titles and category labels (in --lang); JSON and
CSV keep the codes, with the labels beside them.

--method auto (default) fits by maximum likelihood and switches to Firth's
penalized likelihood when it detects separation, saying so. Confidence
intervals are profile likelihood by default (penalized profile for Firth).
The p-values are Wald tests, except for Firth fits with profile intervals:
their tables show the penalized likelihood-ratio test (as logistf), which
agrees with the interval; JSON keeps the Wald p in p_value and the
penalized LR test in lr_p_value.
--strata VAR fits conditional logistic regression for matched sets with the
exact conditional likelihood.

Each crude model uses the rows available for its variable (and the
outcome), the adjusted model the complete cases of all its variables, so
their samples can differ; Table 2's notes give every model's N and cases.
--crude-sample complete fits the crude models on the adjusted model's rows.
A categorical level with no rows in a model's sample is left out of that
model, as R's glm does (it drops an unused level and reports NA for an
empty interaction cell), with a note naming it. Hosmer–Lemeshow
uses 10 groups of fitted risk with df = groups formed − 2;
ResourceSelection's hoslem.test uses g − 2 with the g = 10 groups asked
for, which differs only when tied fitted values merge groups.
In the JSON, "row" in excluded[] is the line of the data file (the header
is line 1).

A part that cannot be computed — a crude model, a fit statistic, a profile
limit, the selection — is marked with its reason and the rest is printed;
the exit status is 1 only when the adjusted model itself cannot be fitted.`,
		Example: `  ccstudy logit
  ccstudy logit --formula "case ~ age + sex + smoker*exposure + log(dose)"
  ccstudy logit --covariates exposure,smoker --ref exposure=none --ci wald
  ccstudy logit --select aic
  ccstudy logit --per dev_years=5
  ccstudy logit --data infert.csv --schema infert.schema.json --strata stratum --lang zh`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.modelFlags.check(&opts.LogitOptions); err != nil {
				return err
			}
			per, err := parsePer(opts.Pers)
			if err != nil {
				return err
			}
			opts.LogitOptions.Per = per
			opts.Univariable = true
			opts.LogitOptions.Lang = g.Lang
			if runF != nil {
				return runF(opts)
			}
			return logitRun(opts)
		},
	}
	f := cmd.Flags()
	addModelFlags(f, &opts.LogitOptions, &opts.modelFlags)
	f.BoolVar(&opts.ShowUnivariable, "univariable", false, "also print every univariable model's coefficient table")
	f.Var(&opts.Select, "select", "exploratory selection: aic (backward, as R's step) or lr (forward likelihood ratio, as SPSS)")
	f.StringVar(&opts.Strata, "strata", "", "matched-set variable: conditional logistic regression (exact likelihood)")
	f.StringArrayVar(&opts.Pers, "per", nil, "report a numeric variable's odds ratio per K units, VAR=K (repeatable; e.g. --per age=10; default: the schema's \"per\")")
	f.Var(&opts.CrudeSample, "crude-sample", "rows of the crude models: available (each variable's non-missing rows, as glm per model) or complete (the adjusted model's complete cases)")
	return cmd
}

func logitRun(opts *LogitOptions) error {
	st, err := opts.LoadStudy()
	if err != nil {
		return err
	}
	if err := analysis.CheckPer(st.Companies.Schema, opts.Per); err != nil {
		return usageError{err}
	}
	progress, done := opts.stepProgress()
	opts.LogitOptions.Progress = progress
	res, err := analysis.Logit(st.Companies, opts.LogitOptions)
	done()
	if err != nil {
		return err
	}
	return opts.Emit(logitDocument(res, opts, st.Synthetic))
}

// logitDocument renders a logit result (also used by report) in the
// language of its labels.
func logitDocument(res *analysis.LogitResult, opts *LogitOptions, embedded bool) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		markSynthetic(doc, res.Lang)
	}
	doc.Tables = logitTables(res, opts.Level, opts.CI, opts.ShowUnivariable)
	doc.Epilogue = logitNotes(res, opts.CI)
	return doc
}

// logitTables renders Table 2, the coefficient tables and the fit; ci
// is the kind of interval asked for, which decides the p-value a Firth
// fit shows (shownP).
func logitTables(res *analysis.LogitResult, level float64, ci logit.CI, showUni bool) []render.Table {
	lang := res.Lang
	multi := res.Adjusted
	tables := []render.Table{journalTable2(res, level, ci)}
	if g := globalTable(res); g != nil {
		tables = append(tables, *g)
	}
	tables = append(tables, coefTable(lang, "coefficients", i18n.T(lang, "Coefficients: ")+modelName(lang, multi.Model), multi.Model, ci))
	if showUni {
		for _, m := range res.Crude {
			tables = append(tables, coefTable(lang, "coefficients_"+sanitize(m.Name), i18n.T(lang, "Coefficients: ")+modelName(lang, m.Model), m.Model, ci))
		}
	}
	tables = append(tables, fitTable(lang, multi, level))
	if s := res.Selection; s != nil {
		st := render.Table{Name: "selection", Title: i18n.Tf(lang, "Exploratory model selection (%s): not a confirmatory analysis", s.Method),
			Columns:    []string{i18n.T(lang, "step"), i18n.T(lang, "action"), i18n.T(lang, "term"), "df", "aic", i18n.T(lang, "statistic"), "p_value"},
			RawColumns: []string{"step", "action", "term", "df", "aic", "statistic", "p_value"}}
		for i, step := range s.Steps {
			raw := []string{strconv.Itoa(i + 1), step.Action, step.Term, strconv.Itoa(step.DF), render.FormatFloat(step.AIC), render.FormatFloat(step.Statistic), render.FormatFloat(step.PValue)}
			st.RawRows = append(st.RawRows, raw)
			st.Rows = append(st.Rows, []string{raw[0], i18n.T(lang, step.Action), raw[2], raw[3], fmtNum(step.AIC), fmtNum(step.Statistic), render.FormatP(step.PValue)})
		}
		if s.Model != nil {
			st.Notes = append(st.Notes, i18n.T(lang, "Selected model: ")+strings.Join(termsOf(s.Model), " + "))
		}
		tables = append(tables, st)
	} else if res.SelectionReason != "" {
		tables = append(tables, render.Table{Name: "selection", Title: i18n.T(lang, "Exploratory model selection: not computed"),
			Columns: []string{i18n.T(lang, "status"), i18n.T(lang, "reason")}, RawColumns: []string{"status", "reason"},
			Rows: [][]string{{i18n.T(lang, "not computed"), res.SelectionReason}}, RawRows: [][]string{{"not_computed", res.SelectionReason}}})
	}
	return tables
}

// levelsText names the level (or combination of levels) of an
// unestimable column: "race = asian".
func levelsText(u analysis.Unestimable) string {
	parts := make([]string, len(u.Levels))
	for k, l := range u.Levels {
		parts[k] = l.Variable + " = " + l.Level
	}
	return strings.Join(parts, " & ")
}

// displayTerm is a coefficient as tables show it: its label (field
// titles, category labels), or its code when it has none.
func displayTerm(t logit.Term) string {
	if t.Label != "" {
		return t.Label
	}
	return t.Term
}

// modelName shows a model's name: the adjusted model, or a crude model
// by its variable's label.
func modelName(lang string, m *logit.Model) string {
	if m.Name == analysis.ModelMultivariable {
		return i18n.T(lang, m.Name)
	}
	if strings.HasPrefix(m.Name, "univariable:") {
		return i18n.T(lang, "univariable:") + crudeVariable(m)
	}
	return m.Name
}

// crudeVariable is the variable of a crude model as shown: its label, or
// its code.
func crudeVariable(m *logit.Model) string {
	v := strings.TrimPrefix(m.Name, "univariable:")
	for _, t := range m.Terms {
		if t.Term != "(Intercept)" && t.Label != "" && t.Term == v {
			v = t.Label
		}
	}
	return v
}

func termsOf(m *logit.Model) []string {
	var out []string
	for _, t := range m.Terms {
		out = append(out, displayTerm(t))
	}
	return out
}

// coefTable lists a model's coefficients in broom's columns. For a
// Firth fit with penalized profile intervals the test columns are the
// penalized likelihood-ratio test (lr_statistic, lr_p_value), as
// logistf prints, since brglm2's Wald z and p can contradict the interval
// beside them; the Wald columns stay in the CSV and JSON.
func coefTable(lang, name, title string, m *logit.Model, ci logit.CI) render.Table {
	broom := []string{"term", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high", "odds_ratio", "or_conf_low", "or_conf_high", "vif"}
	lr := penalizedLR(m, ci)
	cols := append([]string(nil), broom...)
	if lr {
		cols[3], cols[4] = "lr_statistic", "lr_p_value"
	}
	tb := render.Table{Name: name, Title: title + " (" + methodText(lang, m) + ")"}
	for _, c := range cols {
		tb.Columns = append(tb.Columns, i18n.T(lang, c))
	}
	var fallback []string
	for _, t := range m.Terms {
		vif := ""
		if t.VIF != nil {
			vif = fmtNum(*t.VIF)
		}
		if separated(m, t.Term) {
			tb.Rows = append(tb.Rows, []string{displayTerm(t), i18n.T(lang, "not estimable (separation)"), "", "", "", "", "", "", "", "", vif})
			continue
		}
		stat := f4(t.Statistic)
		if lr {
			stat = i18n.T(lang, "not computed")
			if t.LRStatistic != nil {
				stat = f4(*t.LRStatistic)
			} else {
				fallback = append(fallback, displayTerm(t))
			}
		}
		tb.Rows = append(tb.Rows, []string{displayTerm(t), f4(t.Estimate), f4(t.StdError), stat, pCell(lang, m, t, ci),
			f4(t.ConfLow), f4(t.ConfHigh), f4(t.OddsRatio), f4(t.ORConfLow), f4(t.ORConfHigh), vif})
	}
	if lr {
		tb.Notes = append(tb.Notes, i18n.T(lang, "lr_statistic, lr_p_value: penalized likelihood-ratio test of each coefficient = 0 (as logistf), which agrees with the penalized profile-likelihood interval; the Wald statistic and p_value (as brglm2's summary) are in the JSON and CSV."))
		if len(fallback) > 0 {
			tb.Notes = append(tb.Notes, i18n.Tf(lang, "(Wald): the penalized likelihood-ratio test of %s could not be computed (see notes); the Wald p is shown instead.", joinList(lang, fallback)))
		}
	}
	// CSV: the code, its label, broom's columns at full precision,
	// the penalized LR test of a Firth fit (as in the JSON), separated
	// terms included (their "separated" column says the numbers are not
	// estimates).
	tb.RawColumns = append([]string{"term", "label"}, broom[1:]...)
	firth := m.Method == logit.MethodFirth
	if firth {
		tb.RawColumns = append(tb.RawColumns, "lr_statistic", "lr_p_value")
	}
	tb.RawColumns = append(tb.RawColumns, "separated")
	for _, t := range m.Terms {
		raw := []string{t.Term, t.Label, render.FormatFloat(t.Estimate), render.FormatFloat(t.StdError), render.FormatFloat(t.Statistic),
			render.FormatFloat(t.PValue), render.FormatFloat(t.ConfLow), render.FormatFloat(t.ConfHigh), render.FormatFloat(t.OddsRatio),
			render.FormatFloat(t.ORConfLow), render.FormatFloat(t.ORConfHigh), render.Num(t.VIF)}
		if firth {
			raw = append(raw, render.Num(t.LRStatistic), render.Num(t.LRPValue))
		}
		tb.RawRows = append(tb.RawRows, append(raw, strconv.FormatBool(separated(m, t.Term))))
	}
	return tb
}

// warningOf is the message of m's first warning with code c.
func warningOf(m *logit.Model, c logit.WarningCode) (string, bool) {
	for _, w := range m.Warnings {
		if w.Code == c {
			return w.Message, true
		}
	}
	return "", false
}

// fitTable lists the fit statistics of one model, one per row, so it
// stays readable in a terminal; the JSON has them for every model. A
// statistic that could not be computed shows why.
func fitTable(lang string, m *analysis.ModelResult, level float64) render.Table {
	tb := fitRows(lang, m, level)
	tb.RawColumns, tb.RawRows = fitGlance(m)
	return tb
}

// fitGlance is the fit table's tidy CSV: one row for the model in the
// columns of broom's glance (nobs, null_deviance, deviance, logLik, AIC,
// BIC) and the tests beside them, numbers at full precision, "" where a
// statistic is not defined or not computed (the text table says why).
func fitGlance(m *analysis.ModelResult) ([]string, [][]string) {
	cols := []string{"model", "n", "n_events", "null_deviance", "deviance", "log_likelihood", "aic", "bic",
		"lr_statistic", "lr_df", "lr_p_value", "lr_penalized", "mcfadden_r2", "nagelkerke_r2", "auc", "auc_conf_low", "auc_conf_high",
		"hl_statistic", "hl_df", "hl_p_value", "hl_groups", "events_per_variable", "method", "iterations", "converged"}
	f := render.FormatFloat
	row := []string{m.Name, strconv.Itoa(m.N), strconv.Itoa(m.Events), f(m.NullDeviance), f(m.Deviance), f(m.LogLikelihood), f(m.AIC), f(m.BIC),
		f(m.LRStatistic), strconv.Itoa(m.LRDF), f(m.LRPValue), strconv.FormatBool(m.Method == logit.MethodFirth),
		render.Num(m.McFaddenR2), render.Num(m.NagelkerkeR2), render.Num(m.AUC), render.Num(m.AUCConfLow), render.Num(m.AUCConfHigh)}
	if h := m.HosmerLemeshow; h != nil {
		row = append(row, f(h.Statistic), strconv.Itoa(h.DF), f(h.PValue), strconv.Itoa(h.Groups))
	} else {
		row = append(row, "", "", "", "")
	}
	row = append(row, f(m.EventsPerVariable), string(m.Method), strconv.Itoa(m.Iterations), strconv.FormatBool(m.Converged))
	return cols, [][]string{row}
}

// fitRows is the fit table as people read it: one statistic per row.
func fitRows(lang string, m *analysis.ModelResult, level float64) render.Table {
	tb := render.Table{Name: "fit", Title: i18n.T(lang, "Model fit: ") + modelName(lang, m.Model),
		Columns: []string{i18n.T(lang, "statistic"), i18n.T(lang, "value")}, RawColumns: []string{"statistic", "value"}}
	add := func(k, raw, shown string) {
		tb.RawRows = append(tb.RawRows, []string{k, raw})
		tb.Rows = append(tb.Rows, []string{i18n.T(lang, k), shown})
	}
	same := func(k, v string) { add(k, v, v) }
	notComputed := func(c logit.WarningCode) (string, string) {
		if w, ok := warningOf(m.Model, c); ok {
			w = strings.TrimPrefix(w, "logit: ")
			return "not computed: " + w, i18n.T(lang, "not computed: ") + w
		}
		return "not computed (see notes)", i18n.T(lang, "not computed (see notes)")
	}
	same("n (events)", fmt.Sprintf("%d (%d)", m.N, m.Events))
	same("null deviance", fmtNum(m.NullDeviance))
	same("residual deviance", fmtNum(m.Deviance))
	same("log-likelihood", fmtNum(m.LogLikelihood))
	same("AIC / BIC", fmtNum(m.AIC)+" / "+fmtNum(m.BIC))
	// Under Firth the test is of the penalized likelihoods (as logistf):
	// its name says so.
	lrKey := "likelihood-ratio test vs null"
	if m.Method == logit.MethodFirth {
		lrKey = "penalized likelihood-ratio test vs null"
	}
	add(lrKey, fmt.Sprintf("%.2f on %d df, p %s", m.LRStatistic, m.LRDF, render.FormatPRelation(m.LRPValue)),
		i18n.Tf(lang, "%.2f on %d df, p %s", m.LRStatistic, m.LRDF, render.FormatPRelation(m.LRPValue)))
	iters := func() (string, string) {
		return methodText("", m.Model) + fmt.Sprintf(", %d iterations, converged: %v", m.Iterations, m.Converged),
			methodText(lang, m.Model) + i18n.Tf(lang, ", %d iterations, converged: %v", m.Iterations, m.Converged)
	}
	if m.Method == logit.MethodClogit {
		// R², AUC and Hosmer–Lemeshow need unconditional fitted
		// probabilities, which a conditional fit does not estimate.
		add("pseudo-R², AUC, Hosmer–Lemeshow", "not applicable (conditional likelihood)", i18n.T(lang, "not applicable (conditional likelihood)"))
		raw, shown := iters()
		add("method", raw, shown)
		return tb
	}
	same("McFadden / Nagelkerke R²", fmtOpt(m.McFaddenR2, 3)+" / "+fmtOpt(m.NagelkerkeR2, 3))
	aucKey := "AUC (" + levelPercent(level) + " CI, DeLong)"
	if m.AUC != nil {
		auc := fmtOpt(m.AUC, 3)
		if m.AUCConfLow != nil && m.AUCConfHigh != nil {
			auc += fmt.Sprintf(" (%s, %s)", fmtOpt(m.AUCConfLow, 3), fmtOpt(m.AUCConfHigh, 3))
		} else if w, ok := warningOf(m.Model, logit.WarnAUC); ok {
			auc += " (" + i18n.T(lang, "CI not computed: ") + w + ")"
		}
		tb.RawRows = append(tb.RawRows, []string{aucKey, auc})
		tb.Rows = append(tb.Rows, []string{i18n.Tf(lang, "AUC (%s CI, DeLong)", levelPercent(level)), auc})
	} else {
		raw, shown := notComputed(logit.WarnAUC)
		tb.RawRows = append(tb.RawRows, []string{aucKey, raw})
		tb.Rows = append(tb.Rows, []string{i18n.Tf(lang, "AUC (%s CI, DeLong)", levelPercent(level)), shown})
	}
	if h := m.HosmerLemeshow; h != nil {
		add("Hosmer–Lemeshow", fmt.Sprintf("%.2f on %d df, p %s (%d groups)", h.Statistic, h.DF, render.FormatPRelation(h.PValue), h.Groups),
			i18n.Tf(lang, "%.2f on %d df, p %s (%d groups)", h.Statistic, h.DF, render.FormatPRelation(h.PValue), h.Groups))
		tb.Notes = append(tb.Notes, i18n.T(lang, "Hosmer–Lemeshow: groups of fitted risk (deciles), df = groups formed − 2; ResourceSelection's hoslem.test uses g − 2 with the 10 groups asked for, which differs only when tied fitted values merge groups."))
	} else {
		raw, shown := notComputed(logit.WarnHosmerLemeshow)
		add("Hosmer–Lemeshow", raw, shown)
	}
	if w, ok := warningOf(m.Model, logit.WarnVIF); ok {
		w = strings.TrimPrefix(w, "logit: ")
		if m.Design != nil && len(logit.InteractionTerms(m.Design)) > 0 {
			add("GVIF", "not shown: "+w, i18n.T(lang, "not shown: ")+w)
		} else {
			add("GVIF", "not computed: "+w, i18n.T(lang, "not computed: ")+w)
		}
	}
	same("events per variable", fmtNum(m.EventsPerVariable))
	raw, shown := iters()
	add("method", raw, shown)
	return tb
}

// logitNotes collects every model's warnings and separation findings.
func logitNotes(res *analysis.LogitResult, ci logit.CI) []string {
	lang := res.Lang
	var notes []string
	for _, m := range res.Models() {
		for _, w := range m.Warnings {
			// Crude models of a categorical variable have too few distinct
			// fitted values for Hosmer–Lemeshow; that is expected, not news.
			if m != res.Adjusted && w.Code == logit.WarnHosmerLemeshow {
				continue
			}
			notes = append(notes, fmt.Sprintf("%s: %s", modelName(lang, m.Model), w.Message))
		}
		if len(m.MissingByVar) > 0 && len(m.Excluded) > 0 {
			var parts []string
			for _, v := range m.MissingByVar {
				if v.Missing > 0 {
					parts = append(parts, fmt.Sprintf("%s %d", v.Variable, v.Missing))
				}
			}
			notes = append(notes, i18n.Tf(lang, "%s: %d rows excluded for missing values (%s)", modelName(lang, m.Model), len(m.Excluded), strings.Join(parts, ", ")))
		}
	}
	if res.SelectionReason != "" {
		notes = append(notes, i18n.T(lang, "Selection not computed: ")+res.SelectionReason)
	}
	notes = append(notes, "CI: "+ciLabel(lang, res.Adjusted.Model, ci)+".")
	return notes
}

// methodLabel is the method of m in English (figures).
func methodLabel(m *logit.Model) string { return methodText("", m) }

// methodText is the method of m in lang.
func methodText(lang string, m *logit.Model) string {
	switch m.Method {
	case logit.MethodFirth:
		return i18n.T(lang, "Firth's penalized likelihood")
	case logit.MethodClogit:
		return i18n.T(lang, "conditional likelihood (exact)")
	}
	return i18n.T(lang, "maximum likelihood")
}

func ciLabel(lang string, m *logit.Model, ci logit.CI) string {
	switch {
	case ci == logit.CIWald:
		return i18n.T(lang, "Wald")
	case m.Method == logit.MethodClogit:
		return i18n.T(lang, "Wald (as survival::clogit's confint)")
	case m.Method == logit.MethodFirth:
		return i18n.T(lang, "penalized profile likelihood")
	}
	return i18n.T(lang, "profile likelihood")
}

func levelPercent(level float64) string {
	return strconv.FormatFloat(level*100, 'g', -1, 64) + "%"
}

// orCI is a term's OR and interval in the journal style Table 2 uses.
func orCI(t logit.Term) string {
	return render.FormatRatioCI(t.OddsRatio, t.ORConfLow, t.ORConfHigh)
}

// separated reports whether an MLE coefficient has no finite estimate.
// Firth fits list separated terms too, but their estimates are finite.
func separated(m *logit.Model, term string) bool {
	if m.Method != logit.MethodMLE {
		return false
	}
	for _, s := range m.Separation {
		if s == term {
			return true
		}
	}
	return false
}

// pKind is the test behind a p-value a table shows.
type pKind int

const (
	// pWald: the Wald z test, as R's summary.glm and brglm2's summary.
	pWald pKind = iota
	// pPenalizedLR: the penalized likelihood-ratio test of β_j = 0, as
	// logistf reports for Firth fits by default.
	pPenalizedLR
	// pWaldFallback: a Firth fit whose penalized LR test of this
	// coefficient could not be computed; its Wald p stands in.
	pWaldFallback
)

// penalizedLR reports whether m's p-values are its penalized
// likelihood-ratio tests: a Firth fit with penalized profile intervals,
// the pair logistf reports by default (pl = TRUE). A profile limit and
// the LR test of the same coefficient come from the same penalized
// profile, so they agree: the interval excludes 0 exactly when p < 1 −
// level; the Wald p need not (it can exceed 0.05 beside an interval that
// excludes 1). With --ci wald the Wald p goes with the Wald interval, as
// logistf's pl = FALSE. (A fallback from profile to Wald intervals does
// not produce a Firth fit that --ci profile would not: FitFirth fails
// the same way with either.)
func penalizedLR(m *logit.Model, ci logit.CI) bool {
	return m.Method == logit.MethodFirth && ci != logit.CIWald
}

// shownP is the p-value tables show for t, and its test.
func shownP(m *logit.Model, t logit.Term, ci logit.CI) (float64, pKind) {
	if !penalizedLR(m, ci) {
		return t.PValue, pWald
	}
	if t.LRPValue == nil {
		return t.PValue, pWaldFallback
	}
	return *t.LRPValue, pPenalizedLR
}

// pCell is the p-value shownP picks, marked "(Wald)" where a Firth fit's
// penalized LR test is missing, blank where the estimate does not exist.
func pCell(lang string, m *logit.Model, t logit.Term, ci logit.CI) string {
	if separated(m, t.Term) {
		return ""
	}
	p, kind := shownP(m, t, ci)
	if kind == pWaldFallback {
		return render.FormatP(p) + " " + i18n.T(lang, "(Wald)")
	}
	return render.FormatP(p)
}

// pNotes gathers, over Table 2's cells, which test each p-value is, so
// that the notes name the penalized LR tests of Firth fits. A table of
// maximum-likelihood fits only gets no note (its p-values are Wald, as R's
// summary.glm).
type pNotes struct {
	lrAdjusted bool
	lrCrude    []string    // crude models (by variable) with penalized LR p
	waldFirth  bool        // a Firth fit with --ci wald: Wald p
	otherWald  bool        // a maximum-likelihood or conditional fit: Wald p
	fallback   []pCellName // cells of Firth fits whose LR test is missing
}

// pCellName names a p-value cell: format is "adjusted p of %s" or
// "crude p of %s", term the coefficient as shown.
type pCellName struct{ format, term string }

func (pn *pNotes) add(m *logit.Model, t logit.Term, ci logit.CI, adjusted bool) {
	if separated(m, t.Term) {
		return
	}
	_, kind := shownP(m, t, ci)
	switch {
	case m.Method == logit.MethodFirth && !penalizedLR(m, ci):
		pn.waldFirth = true
	case kind == pWald:
		pn.otherWald = true
	case adjusted:
		pn.lrAdjusted = true
	default:
		v := crudeVariable(m)
		if !slices.Contains(pn.lrCrude, v) {
			pn.lrCrude = append(pn.lrCrude, v)
		}
	}
	if kind == pWaldFallback {
		which := "crude p of %s"
		if adjusted {
			which = "adjusted p of %s"
		}
		pn.fallback = append(pn.fallback, pCellName{which, displayTerm(t)})
	}
}

// notes says which p-values are penalized likelihood-ratio tests and
// where a Wald p stands in for one.
func (pn *pNotes) notes(lang string) []string {
	var out []string
	lr := pn.lrAdjusted || len(pn.lrCrude) > 0
	switch {
	case lr && !pn.otherWald && !pn.waldFirth:
		out = append(out, i18n.T(lang, "p: penalized likelihood-ratio test (Firth, as logistf), which agrees with the penalized profile-likelihood interval; the Wald p-values are in the JSON (p_value)."))
	case lr:
		var which []string
		if pn.lrAdjusted {
			which = append(which, i18n.T(lang, "the adjusted model"))
		}
		if len(pn.lrCrude) > 0 {
			which = append(which, i18n.Tf(lang, "the crude models of %s", joinList(lang, pn.lrCrude)))
		}
		out = append(out, i18n.Tf(lang, "p: penalized likelihood-ratio test (Firth, as logistf) for %s, which agrees with the penalized profile-likelihood interval; Wald test for the other fits.", strings.Join(which, i18n.T(lang, " and "))))
	}
	if pn.waldFirth {
		out = append(out, i18n.T(lang, "p of the Firth fits: Wald test, as their Wald intervals (--ci wald; logistf with pl = FALSE)."))
	}
	if len(pn.fallback) > 0 {
		var cells []string
		for _, c := range pn.fallback {
			cells = append(cells, i18n.Tf(lang, c.format, c.term))
		}
		out = append(out, i18n.Tf(lang, "(Wald): no penalized likelihood-ratio test could be computed for the %s (see notes); the Wald p is shown instead.", joinList(lang, cells)))
	}
	return out
}

// joinList joins names with the language's list separator.
func joinList(lang string, xs []string) string {
	return strings.Join(xs, i18n.T(lang, ", "))
}

func f4(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

// parsePer reads --per VAR=K flags; K must be a positive finite number.
func parsePer(pers []string) (map[string]float64, error) {
	if len(pers) == 0 {
		return nil, nil
	}
	out := map[string]float64{}
	for _, p := range pers {
		k, v, ok := strings.Cut(p, "=")
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || k == "" || err != nil {
			return nil, usagef("--per %q: expected VAR=K with K a number of units, e.g. --per age=10", p)
		}
		if !(x > 0) || math.IsInf(x, 0) {
			return nil, usagef("--per %q: K must be a positive number of units, e.g. --per %s=10", p, k)
		}
		out[k] = x
	}
	return out, nil
}
