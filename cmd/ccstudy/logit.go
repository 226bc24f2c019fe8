package main

import (
	"fmt"
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
}

// NewCmdLogit fits logistic regressions and prints Table 2.
func NewCmdLogit(g *GlobalOptions, runF func(*LogitOptions) error) *cobra.Command {
	opts := &LogitOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "logit",
		Short: "Logistic regression: crude and adjusted odds ratios (Table 2) with fit statistics",
		Long: `Fit the multivariable logistic model and each variable alone, and print
Table 2: crude and adjusted odds ratios of the outcome with confidence
intervals and p-values side by side, the coefficients in broom's columns,
and the fit statistics (deviances, AIC, BIC, likelihood-ratio test,
pseudo-R², AUC with DeLong CI, Hosmer–Lemeshow test, events per variable,
GVIF).

The model defaults to the schema's outcome and covariate fields (fields
analysed on the log scale enter as log(x)). Categorical variables use
treatment coding with the schema's first category as reference. Tables
show the schema's field titles and category labels (in --lang); JSON and
CSV keep the codes, with the labels beside them.

--method auto (default) fits by maximum likelihood and switches to Firth's
penalized likelihood when it detects separation, saying so. Confidence
intervals are profile likelihood by default (penalized profile for Firth).
--strata VAR fits conditional logistic regression for matched sets with the
exact conditional likelihood.

A part that cannot be computed — a crude model, a fit statistic, a profile
limit, the selection — is marked with its reason and the rest is printed;
the exit status is 1 only when the adjusted model itself cannot be fitted.`,
		Example: `  ccstudy logit
  ccstudy logit --formula "case ~ age + sex + smoker*exposure + log(dose)"
  ccstudy logit --covariates exposure,smoker --ref exposure=none --ci wald
  ccstudy logit --select aic
  ccstudy logit --data infert.csv --schema infert.schema.json --strata stratum --lang zh`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.modelFlags.check(&opts.LogitOptions); err != nil {
				return err
			}
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
	return cmd
}

func logitRun(opts *LogitOptions) error {
	st, err := opts.LoadStudy()
	if err != nil {
		return err
	}
	res, err := analysis.Logit(st.Companies, opts.LogitOptions)
	if err != nil {
		return err
	}
	return opts.Emit(logitDocument(res, opts, st.Embedded))
}

// logitDocument renders a logit result (also used by report) in the
// language of its labels.
func logitDocument(res *analysis.LogitResult, opts *LogitOptions, embedded bool) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		doc.Preamble = append(doc.Preamble, SyntheticNotice)
	}
	doc.Tables = logitTables(res, opts.Level, opts.ShowUnivariable)
	doc.Epilogue = logitNotes(res, opts.CI)
	return doc
}

// logitTables renders Table 2, the coefficient tables and the fit.
func logitTables(res *analysis.LogitResult, level float64, showUni bool) []render.Table {
	lang := res.Lang
	multi := res.Adjusted
	crude := map[string]logit.Term{}
	crudeModel := map[string]*logit.Model{}
	for _, m := range res.Crude {
		for _, t := range m.Terms {
			crude[t.Term], crudeModel[t.Term] = t, m.Model
		}
	}
	// The crude cells of a variable whose crude model failed say so.
	failed := map[string]analysis.ModelFailure{}
	for _, f := range res.Failures {
		failed[f.Term] = f
	}
	pct := levelPercent(level)
	outcome := res.OutcomeLabel
	if outcome == "" {
		outcome = res.Outcome
	}
	t2 := render.Table{Name: "table2", Title: i18n.Tf(lang, "Table 2. Crude and adjusted odds ratios of %s", outcome),
		Columns:    []string{i18n.T(lang, "term"), i18n.Tf(lang, "crude OR (%s CI)", pct), i18n.T(lang, "crude p"), i18n.Tf(lang, "adjusted OR (%s CI)", pct), i18n.T(lang, "adjusted p")},
		RawColumns: []string{"term", "label", "crude OR (" + pct + " CI)", "crude p", "adjusted OR (" + pct + " CI)", "adjusted p"}}
	for j, t := range multi.Terms {
		if t.Term == "(Intercept)" {
			continue
		}
		row := []string{displayTerm(t), "", ""}
		if c, ok := crude[t.Term]; ok {
			row[1], row[2] = estimateCell(lang, crudeModel[t.Term], c), pCell(crudeModel[t.Term], c)
		} else if multi.Design != nil && j < len(multi.Design.Assign) {
			if _, ok := failed[multi.Design.Groups[multi.Design.Assign[j]]]; ok {
				row[1] = i18n.T(lang, "not computed (see notes)")
			}
		}
		row = append(row, estimateCell(lang, multi.Model, t), pCell(multi.Model, t))
		t2.Rows = append(t2.Rows, row)
		t2.RawRows = append(t2.RawRows, append([]string{t.Term, t.Label}, row[1:]...))
	}
	t2.Notes = []string{i18n.Tf(lang, "Crude: each variable alone; adjusted: %s (%s, n = %d, %d events).", multi.Formula, methodText(lang, multi.Model), multi.N, multi.Events)}
	for _, f := range res.Failures {
		t2.Notes = append(t2.Notes, i18n.Tf(lang, "Crude model of %s not computed: %s.", f.Label, f.Reason))
	}
	tables := []render.Table{t2, coefTable(lang, "coefficients", i18n.T(lang, "Coefficients: ")+modelName(lang, multi.Model), multi.Model)}
	if showUni {
		for _, m := range res.Crude {
			tables = append(tables, coefTable(lang, "coefficients_"+sanitize(m.Name), i18n.T(lang, "Coefficients: ")+modelName(lang, m.Model), m.Model))
		}
	}
	tables = append(tables, fitTable(lang, multi, level))
	if s := res.Selection; s != nil {
		st := render.Table{Name: "selection", Title: i18n.Tf(lang, "Exploratory model selection (%s): not a confirmatory analysis", s.Method),
			Columns:    []string{i18n.T(lang, "step"), i18n.T(lang, "action"), i18n.T(lang, "term"), "df", "aic", i18n.T(lang, "statistic"), "p_value"},
			RawColumns: []string{"step", "action", "term", "df", "aic", "statistic", "p_value"}}
		for i, step := range s.Steps {
			raw := []string{strconv.Itoa(i + 1), step.Action, step.Term, strconv.Itoa(step.DF), fmtNum(step.AIC), fmtNum(step.Statistic), fmtPValue(step.PValue)}
			st.RawRows = append(st.RawRows, raw)
			st.Rows = append(st.Rows, []string{raw[0], i18n.T(lang, step.Action), raw[2], raw[3], raw[4], raw[5], raw[6]})
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
	if v, ok := strings.CutPrefix(m.Name, "univariable:"); ok {
		for _, t := range m.Terms {
			if t.Term != "(Intercept)" && t.Label != "" && t.Term == v {
				v = t.Label
			}
		}
		return i18n.T(lang, "univariable:") + v
	}
	return m.Name
}

func termsOf(m *logit.Model) []string {
	var out []string
	for _, t := range m.Terms {
		out = append(out, displayTerm(t))
	}
	return out
}

func coefTable(lang, name, title string, m *logit.Model) render.Table {
	cols := []string{"term", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high", "odds_ratio", "or_conf_low", "or_conf_high", "vif"}
	tb := render.Table{Name: name, Title: title + " (" + methodText(lang, m) + ")"}
	for _, c := range cols {
		tb.Columns = append(tb.Columns, i18n.T(lang, c))
	}
	for _, t := range m.Terms {
		vif := ""
		if t.VIF != nil {
			vif = fmtNum(*t.VIF)
		}
		if separated(m, t.Term) {
			tb.Rows = append(tb.Rows, []string{displayTerm(t), i18n.T(lang, "not estimable (separation)"), "", "", "", "", "", "", "", "", vif})
			continue
		}
		tb.Rows = append(tb.Rows, []string{displayTerm(t), f4(t.Estimate), f4(t.StdError), f4(t.Statistic), fmtPValue(t.PValue),
			f4(t.ConfLow), f4(t.ConfHigh), f4(t.OddsRatio), f4(t.ORConfLow), f4(t.ORConfHigh), vif})
	}
	// CSV: the code, its label, broom's columns at full precision,
	// separated terms included (their "separated" column says the numbers
	// are not estimates).
	tb.RawColumns = append(append([]string{"term", "label"}, cols[1:]...), "separated")
	for _, t := range m.Terms {
		tb.RawRows = append(tb.RawRows, []string{t.Term, t.Label, render.FormatFloat(t.Estimate), render.FormatFloat(t.StdError), render.FormatFloat(t.Statistic),
			render.FormatFloat(t.PValue), render.FormatFloat(t.ConfLow), render.FormatFloat(t.ConfHigh), render.FormatFloat(t.OddsRatio),
			render.FormatFloat(t.ORConfLow), render.FormatFloat(t.ORConfHigh), render.Num(t.VIF), strconv.FormatBool(separated(m, t.Term))})
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
	add("likelihood-ratio test vs null", fmt.Sprintf("%.2f on %d df, p %s", m.LRStatistic, m.LRDF, fmtPValue(m.LRPValue)),
		i18n.Tf(lang, "%.2f on %d df, p %s", m.LRStatistic, m.LRDF, fmtPValue(m.LRPValue)))
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
		add("Hosmer–Lemeshow", fmt.Sprintf("%.2f on %d df, p %s (%d groups)", h.Statistic, h.DF, fmtPValue(h.PValue), h.Groups),
			i18n.Tf(lang, "%.2f on %d df, p %s (%d groups)", h.Statistic, h.DF, fmtPValue(h.PValue), h.Groups))
	} else {
		raw, shown := notComputed(logit.WarnHosmerLemeshow)
		add("Hosmer–Lemeshow", raw, shown)
	}
	if w, ok := warningOf(m.Model, logit.WarnVIF); ok {
		add("GVIF", "not computed: "+w, i18n.T(lang, "not computed: ")+w)
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

func orCI(t logit.Term) string {
	return fmt.Sprintf("%s (%s, %s)", fmtNum(t.OddsRatio), fmtNum(t.ORConfLow), fmtNum(t.ORConfHigh))
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

// pCell is the Wald p-value, blank where the estimate does not exist.
func pCell(m *logit.Model, t logit.Term) string {
	if separated(m, t.Term) {
		return ""
	}
	return fmtPValue(t.PValue)
}

// estimateCell shows a coefficient's OR with CI, or says it does not exist.
func estimateCell(lang string, m *logit.Model, t logit.Term) string {
	if separated(m, t.Term) {
		return i18n.T(lang, "not estimable (separation)")
	}
	return orCI(t)
}

func f4(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
