package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/internal/analysis"
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
Table 2: crude and adjusted odds ratios with 95% confidence intervals and
p-values side by side, the coefficients in broom's columns, and the fit
statistics (deviances, AIC, BIC, likelihood-ratio test, pseudo-R²,
AUC with DeLong CI, Hosmer–Lemeshow test, events per variable, GVIF).

The model defaults to the schema's outcome and covariate fields (fields
analysed on the log scale enter as log(x)). Categorical variables use
treatment coding with the schema's first category as reference.

--method auto (default) fits by maximum likelihood and switches to Firth's
penalized likelihood when it detects separation, saying so. Confidence
intervals are profile likelihood by default (penalized profile for Firth).
--strata VAR fits conditional logistic regression for matched sets with the
exact conditional likelihood.`,
		Example: `  ccstudy logit
  ccstudy logit --formula "case ~ rd_leader_background + dev_years + novelty*company_type + log(rd_expenditure)"
  ccstudy logit --covariates novelty,orphan_drug --ref novelty=fast_follow --ci wald
  ccstudy logit --select aic
  ccstudy logit --data infert.csv --schema infert.schema.json --strata stratum`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.modelFlags.check(&opts.LogitOptions); err != nil {
				return err
			}
			opts.Univariable = true
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

// logitDocument renders a logit result (also used by report).
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
	multi := res.Adjusted
	crude := map[string]logit.Term{}
	crudeModel := map[string]*logit.Model{}
	for _, m := range res.Crude {
		for _, t := range m.Terms {
			crude[t.Term], crudeModel[t.Term] = t, m.Model
		}
	}
	pct := levelPercent(level)
	t2 := render.Table{Name: "table2", Title: "Table 2. Crude and adjusted odds ratios",
		Columns: []string{"term", "crude OR (" + pct + " CI)", "crude p", "adjusted OR (" + pct + " CI)", "adjusted p"}}
	for _, t := range multi.Terms {
		if t.Term == "(Intercept)" {
			continue
		}
		row := []string{t.Term, "", ""}
		if c, ok := crude[t.Term]; ok {
			row[1], row[2] = estimateCell(crudeModel[t.Term], c), pCell(crudeModel[t.Term], c)
		}
		row = append(row, estimateCell(multi.Model, t), pCell(multi.Model, t))
		t2.Rows = append(t2.Rows, row)
	}
	t2.Notes = []string{fmt.Sprintf("Crude: each variable alone; adjusted: %s (%s, n = %d, %d events).", multi.Formula, methodLabel(multi.Model), multi.N, multi.Events)}
	tables := []render.Table{t2, coefTable("coefficients", "Coefficients: "+multi.Name, multi.Model)}
	if showUni {
		for _, m := range res.Crude {
			tables = append(tables, coefTable("coefficients_"+sanitize(m.Name), "Coefficients: "+m.Name, m.Model))
		}
	}
	tables = append(tables, fitTable(multi, level))
	if s := res.Selection; s != nil {
		st := render.Table{Name: "selection", Title: "Exploratory model selection (" + s.Method + "): not a confirmatory analysis",
			Columns: []string{"step", "action", "term", "df", "aic", "statistic", "p_value"}}
		for i, step := range s.Steps {
			st.Rows = append(st.Rows, []string{strconv.Itoa(i + 1), step.Action, step.Term, strconv.Itoa(step.DF), fmtNum(step.AIC), fmtNum(step.Statistic), fmtPValue(step.PValue)})
		}
		if s.Model != nil {
			st.Notes = append(st.Notes, "Selected model: "+strings.Join(termsOf(s.Model), " + "))
		}
		tables = append(tables, st)
	}
	return tables
}

func termsOf(m *logit.Model) []string {
	var out []string
	for _, t := range m.Terms {
		out = append(out, t.Term)
	}
	return out
}

func coefTable(name, title string, m *logit.Model) render.Table {
	tb := render.Table{Name: name, Title: title + " (" + methodLabel(m) + ")",
		Columns: []string{"term", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high", "odds_ratio", "or_conf_low", "or_conf_high", "vif"}}
	for _, t := range m.Terms {
		vif := ""
		if t.VIF != nil {
			vif = fmtNum(*t.VIF)
		}
		if separated(m, t.Term) {
			tb.Rows = append(tb.Rows, []string{t.Term, "not estimable (separation)", "", "", "", "", "", "", "", "", vif})
			continue
		}
		tb.Rows = append(tb.Rows, []string{t.Term, f4(t.Estimate), f4(t.StdError), f4(t.Statistic), fmtPValue(t.PValue),
			f4(t.ConfLow), f4(t.ConfHigh), f4(t.OddsRatio), f4(t.ORConfLow), f4(t.ORConfHigh), vif})
	}
	// CSV: broom's columns at full precision, separated terms included
	// (their "separated" column says the numbers are not estimates).
	tb.RawColumns = append(append([]string(nil), tb.Columns...), "separated")
	for _, t := range m.Terms {
		tb.RawRows = append(tb.RawRows, []string{t.Term, render.FormatFloat(t.Estimate), render.FormatFloat(t.StdError), render.FormatFloat(t.Statistic),
			render.FormatFloat(t.PValue), render.FormatFloat(t.ConfLow), render.FormatFloat(t.ConfHigh), render.FormatFloat(t.OddsRatio),
			render.FormatFloat(t.ORConfLow), render.FormatFloat(t.ORConfHigh), render.Num(t.VIF), strconv.FormatBool(separated(m, t.Term))})
	}
	return tb
}

// fitTable lists the fit statistics of one model, one per row, so it
// stays readable in a terminal; the JSON has them for every model.
func fitTable(m *analysis.ModelResult, level float64) render.Table {
	tb := render.Table{Name: "fit", Title: "Model fit: " + m.Name, Columns: []string{"statistic", "value"}}
	add := func(k, v string) { tb.Rows = append(tb.Rows, []string{k, v}) }
	add("n (events)", fmt.Sprintf("%d (%d)", m.N, m.Events))
	add("null deviance", fmtNum(m.NullDeviance))
	add("residual deviance", fmtNum(m.Deviance))
	add("log-likelihood", fmtNum(m.LogLikelihood))
	add("AIC / BIC", fmtNum(m.AIC)+" / "+fmtNum(m.BIC))
	add("likelihood-ratio test vs null", fmt.Sprintf("%.2f on %d df, p %s", m.LRStatistic, m.LRDF, fmtPValue(m.LRPValue)))
	if m.Method == logit.MethodClogit {
		// R², AUC and Hosmer–Lemeshow need unconditional fitted
		// probabilities, which a conditional fit does not estimate.
		add("pseudo-R², AUC, Hosmer–Lemeshow", "not applicable (conditional likelihood)")
		add("method", methodLabel(m.Model)+fmt.Sprintf(", %d iterations, converged: %v", m.Iterations, m.Converged))
		return tb
	}
	add("McFadden / Nagelkerke R²", fmtOpt(m.McFaddenR2, 3)+" / "+fmtOpt(m.NagelkerkeR2, 3))
	auc := "not defined"
	if m.AUC != nil {
		auc = fmtOpt(m.AUC, 3)
		if m.AUCConfLow != nil && m.AUCConfHigh != nil {
			auc += fmt.Sprintf(" (%s, %s)", fmtOpt(m.AUCConfLow, 3), fmtOpt(m.AUCConfHigh, 3))
		}
	}
	add("AUC ("+levelPercent(level)+" CI, DeLong)", auc)
	if h := m.HosmerLemeshow; h != nil {
		add("Hosmer–Lemeshow", fmt.Sprintf("%.2f on %d df, p %s (%d groups)", h.Statistic, h.DF, fmtPValue(h.PValue), h.Groups))
	} else {
		add("Hosmer–Lemeshow", "not computed (see notes)")
	}
	add("events per variable", fmtNum(m.EventsPerVariable))
	add("method", methodLabel(m.Model)+fmt.Sprintf(", %d iterations, converged: %v", m.Iterations, m.Converged))
	return tb
}

// logitNotes collects every model's warnings and separation findings.
func logitNotes(res *analysis.LogitResult, ci logit.CI) []string {
	var notes []string
	for _, m := range res.Models() {
		for _, w := range m.Warnings {
			// Crude models of a categorical variable have too few distinct
			// fitted values for Hosmer–Lemeshow; that is expected, not news.
			if m != res.Adjusted && w.Code == logit.WarnHosmerLemeshow {
				continue
			}
			notes = append(notes, fmt.Sprintf("%s: %s", m.Name, w.Message))
		}
		if len(m.MissingByVar) > 0 && len(m.Excluded) > 0 {
			var parts []string
			for _, v := range m.MissingByVar {
				if v.Missing > 0 {
					parts = append(parts, fmt.Sprintf("%s %d", v.Variable, v.Missing))
				}
			}
			notes = append(notes, fmt.Sprintf("%s: %d rows excluded for missing values (%s)", m.Name, len(m.Excluded), strings.Join(parts, ", ")))
		}
	}
	notes = append(notes, "CI: "+ciLabel(res.Adjusted.Model, ci)+".")
	return notes
}

func methodLabel(m *logit.Model) string {
	switch m.Method {
	case logit.MethodFirth:
		return "Firth's penalized likelihood"
	case logit.MethodClogit:
		return "conditional likelihood (exact)"
	}
	return "maximum likelihood"
}

func ciLabel(m *logit.Model, ci logit.CI) string {
	switch {
	case ci == logit.CIWald:
		return "Wald"
	case m.Method == logit.MethodClogit:
		return "Wald (as survival::clogit's confint)"
	case m.Method == logit.MethodFirth:
		return "penalized profile likelihood"
	}
	return "profile likelihood"
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
func estimateCell(m *logit.Model, t logit.Term) string {
	if separated(m, t.Term) {
		return "not estimable (separation)"
	}
	return orCI(t)
}

func f4(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
