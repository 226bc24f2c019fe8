// Package analysis joins the data layer (dataset) to the computation
// packages (stats, logit, cluster): it turns a table and a model
// specification into design matrices, runs the fits and collects the
// results the commands render. It is pure: no printing, no files.
package analysis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/choice"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/logit"
)

// LogitOptions specify the logistic models of one run. Start from
// DefaultLogitOptions: a zero field is not a default but an error.
type LogitOptions struct {
	// Formula is an R-style formula; empty means Covariates, or else the
	// schema's outcome and covariate roles.
	Formula    string   `json:"formula,omitempty"`
	Covariates []string `json:"covariates,omitempty"`
	// Method is how the models are fitted (auto: Firth under separation).
	Method logit.Method `json:"method,omitempty"`
	// CI and Level are the kind and level of the confidence intervals.
	CI    logit.CI `json:"ci,omitempty"`
	Level float64  `json:"level,omitempty"`
	// Ref overrides reference levels (variable → level).
	Ref map[string]string `json:"ref,omitempty"`
	// Univariable also fits each main-effect variable alone (crude ORs).
	Univariable bool `json:"univariable,omitempty"`
	// CrudeSample is which rows the crude models use: those available for
	// their variable (as glm's na.omit per model) or the adjusted model's
	// complete cases. Checked only with Univariable.
	CrudeSample CrudeSample `json:"crude_sample,omitempty"`
	// Select is an exploratory selection of the adjusted model; empty for
	// none.
	Select logit.Criterion `json:"select,omitempty"`
	// Per reports the odds ratios of numeric variables per K units
	// (variable → K, from --per VAR=K); the schema's "per" property
	// applies to the variables not listed.
	Per map[string]float64 `json:"per,omitempty"`
	// Strata names the matching variable for conditional logistic regression.
	Strata string `json:"strata,omitempty"`
	// Lang is the language of the labels beside the codes (field titles
	// and category labels of the schema; "" for the default).
	Lang string `json:"-"`
	// Progress, when set, is told how far a long step is (step "crude
	// models"; subgroup's "subgroups"); called one at a time, it cannot
	// change a result.
	Progress func(step string, done, total int) `json:"-"`

	// fit replaces FitDesign in tests, which make chosen fits fail to
	// check that the failure is reported and the rest stands.
	fit fitFunc
}

// fitFunc fits a design by a method (FitDesign's signature).
type fitFunc func(*logit.Design, logit.Method, logit.Options) (*logit.Model, error)

// fitter is the fit function of the run: FitDesign unless a test
// replaced it.
func (o LogitOptions) fitter() fitFunc {
	if o.fit != nil {
		return o.fit
	}
	return FitDesign
}

// DefaultLogitOptions are the model settings of the commands: Firth only
// under separation, profile-likelihood intervals at 95%, crude models on
// the rows available for their variable.
func DefaultLogitOptions() LogitOptions {
	return LogitOptions{Method: logit.MethodAuto, CI: logit.CIProfile, Level: logit.DefaultLevel, CrudeSample: CrudeAvailable}
}

// CrudeSample is the sample of the crude (univariable) models.
type CrudeSample string

const (
	// CrudeAvailable: each crude model uses every row complete for its
	// own variable and the outcome, as glm(y ~ x) with na.omit does, so
	// crude models can have more rows than the adjusted one.
	CrudeAvailable CrudeSample = "available"
	// CrudeComplete: every crude model uses the adjusted model's complete
	// cases, so crude and adjusted odds ratios compare the same subjects.
	CrudeComplete CrudeSample = "complete"
)

// CrudeSamples lists the valid values.
func CrudeSamples() []CrudeSample { return []CrudeSample{CrudeAvailable, CrudeComplete} }

func (c CrudeSample) String() string      { return string(c) }
func (c *CrudeSample) Set(s string) error { return choice.Set(c, s, CrudeSamples()) }

// Type is pflag's name for the value in help texts.
func (CrudeSample) Type() string { return "string" }

// Choices lists the valid values for shell completion.
func (CrudeSample) Choices() []string { return choice.Strings(CrudeSamples()) }

// Validate checks the options that need no data; its messages name the
// command-line flags.
func (o LogitOptions) Validate() error {
	if o.Formula != "" && len(o.Covariates) > 0 {
		return fmt.Errorf("give --formula or --covariates, not both")
	}
	if err := choice.Check("--method", o.Method, logit.Methods()); err != nil {
		return err
	}
	if err := choice.Check("--ci", o.CI, logit.CIs()); err != nil {
		return err
	}
	if o.Univariable {
		if err := choice.Check("--crude-sample", o.CrudeSample, CrudeSamples()); err != nil {
			return err
		}
	}
	if !(o.Level > 0 && o.Level < 1) {
		return fmt.Errorf("--level %v must be between 0 and 1 (e.g. 0.95)", o.Level)
	}
	if o.Select != "" {
		if err := choice.Check("--select", o.Select, logit.Criteria()); err != nil {
			return err
		}
		if o.Strata != "" {
			return fmt.Errorf("--select is not available with --strata")
		}
	}
	return nil
}

// fitOptions are the logit package's options of every fit of a run.
func (o LogitOptions) fitOptions() logit.Options { return logit.Options{CI: o.CI, Level: o.Level} }

// ModelResult is one fitted model with the rows it used.
type ModelResult struct {
	*logit.Model
	Excluded     []dataset.Exclusion `json:"excluded"`
	MissingByVar []dataset.VarCount  `json:"missing_by_var"`
	// Unestimable are the design columns left out of the fit because no
	// row of the model's sample has their level: R's glm drops an unused
	// level (model.frame's drop.unused.levels) and reports an empty
	// interaction cell as NA. Each also has a WarnEmptyLevel warning.
	Unestimable []Unestimable `json:"unestimable,omitempty"`
	// GlobalTests are the likelihood-ratio tests of the model's terms
	// with more than one column (multi-level factors, interaction
	// blocks), as car::Anova type II.
	GlobalTests []GlobalTest `json:"global_tests,omitempty"`
	// Per are the coefficients of the numeric variables reported per K
	// units (--per VAR=K or the schema's "per").
	Per []PerTerm `json:"per,omitempty"`
	// Design is kept for later steps (selection, subgroup tests); it has
	// no Unestimable columns. Logit's crude models drop it, and their
	// fitted values, once their tests are done: nothing reads them later,
	// and at 10⁶ rows they were most of the command's live heap (issue 14).
	Design *logit.Design `json:"-"`
	// Rows are the table rows the model used.
	Rows []int `json:"-"`
}

// LogitResult is the JSON contract of `ccstudy logit`: the adjusted
// (multivariable) model, the crude (univariable) ones, and the selection.
// In JSON the models are one list, the adjusted model first.
type LogitResult struct {
	Data dataset.DataInfo `json:"data"`
	// Outcome is the outcome field and OutcomeLabel its display title.
	Outcome      string `json:"-"`
	OutcomeLabel string `json:"-"`
	// Lang is the language of the labels (LogitOptions.Lang).
	Lang string `json:"-"`
	// CrudeSample is the sample of the crude models ("" without them).
	CrudeSample CrudeSample `json:"-"`
	// Adjusted is the model of every covariate together.
	Adjusted *ModelResult `json:"-"`
	// Crude holds one model per main-effect variable alone, in the
	// formula's order (with LogitOptions.Univariable).
	Crude []*ModelResult `json:"-"`
	// Layout is the adjusted model's terms as Table 2 shows them
	// (header rows, levels with the reference level).
	Layout []TableTerm `json:"-"`
	// PerUnused are the --per variables that no linear term of the
	// adjusted model has (entered as log(x), only in an interaction, or
	// not in the model): their ORs stay per unit.
	PerUnused []string `json:"-"`
	// Failures are the crude models that could not be fitted, with why;
	// the adjusted model and the other crude models stand.
	Failures  []ModelFailure   `json:"-"`
	Selection *logit.Selection `json:"selection,omitempty"`
	// SelectionReason says why the selection could not be run (nil
	// Selection).
	SelectionReason string `json:"-"`
}

// ModelFailure is a model that could not be fitted.
type ModelFailure struct {
	Name    string `json:"name"`
	Formula string `json:"formula"`
	// Term is the formula term the model is about (a crude model's
	// variable) and Label its display text.
	Term   string `json:"term"`
	Label  string `json:"label"`
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// logitJSON is LogitResult as it is written.
type logitJSON struct {
	Data            dataset.DataInfo `json:"data"`
	CrudeSample     CrudeSample      `json:"crude_sample,omitempty"`
	Models          []*ModelResult   `json:"models"`
	Failures        []ModelFailure   `json:"failed_models,omitempty"`
	Selection       *logit.Selection `json:"selection,omitempty"`
	SelectionReason string           `json:"selection_reason,omitempty"`
}

// MarshalJSON writes the models as one list, the adjusted model first.
// It encodes with render.WriteJSON, which writes the infinite profile
// limits of a separated fit as "Inf" (as R's jsonlite) where json.Marshal
// would fail.
func (r *LogitResult) MarshalJSON() ([]byte, error) {
	var b, c bytes.Buffer
	if err := render.WriteJSON(&b, logitJSON{Data: r.Data, CrudeSample: r.CrudeSample, Models: r.Models(), Failures: r.Failures, Selection: r.Selection, SelectionReason: r.SelectionReason}); err != nil {
		return nil, err
	}
	if err := json.Compact(&c, b.Bytes()); err != nil {
		return nil, err
	}
	return c.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes: the first model is the
// adjusted one.
func (r *LogitResult) UnmarshalJSON(b []byte) error {
	var v logitJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = LogitResult{Data: v.Data, CrudeSample: v.CrudeSample, Failures: v.Failures, Selection: v.Selection, SelectionReason: v.SelectionReason}
	if len(v.Models) > 0 {
		r.Adjusted, r.Crude = v.Models[0], v.Models[1:]
	}
	return nil
}

// Models lists the adjusted model, then the crude ones.
func (r *LogitResult) Models() []*ModelResult {
	return append([]*ModelResult{r.Adjusted}, r.Crude...)
}

// Model names.
const (
	ModelMultivariable = "multivariable"
	univariablePrefix  = "univariable:"
)

// ResolveFormula returns the formula the options describe: Formula as
// given, or "outcome ~ covariates" with each covariate written by
// dataset.CovariateTerms (log(x) where the schema says so).
func ResolveFormula(s *dataset.Schema, formula string, covariates []string) (string, error) {
	if formula != "" {
		return formula, nil
	}
	if len(covariates) == 0 {
		return dataset.DefaultFormula(s)
	}
	outcome := s.Outcome()
	if outcome == "" {
		return "", fmt.Errorf("the schema marks no outcome field: give --formula \"y ~ ...\"")
	}
	return dataset.QuoteName(outcome) + " ~ " + strings.Join(dataset.CovariateTerms(s, covariates), " + "), nil
}

// WarnEmptyLevel marks a model that left out a column because no row of
// its sample has the column's categorical level (as R's glm).
const WarnEmptyLevel logit.WarningCode = "empty_level"

// Unestimable is a design column without rows, left out of a fit.
type Unestimable struct {
	// Code is WarnEmptyLevel.
	Code logit.WarningCode `json:"code"`
	// Column is the design column ("race[asian]"), Levels the level (or,
	// for an interaction, the combination of levels) no row has; Levels
	// is empty for a column that is 0 for another reason (a numeric
	// variable 0 throughout a level it multiplies), which Reason says.
	Column string             `json:"column"`
	Levels []dataset.VarLevel `json:"levels"`
	Reason string             `json:"reason,omitempty"`
}

// Design is a model formula encoded for a table.
type Design struct {
	Formula *dataset.Formula
	Matrix  *dataset.DesignMatrix
	Logit   *logit.Design
}

// DesignFor parses formula and encodes t with it.
func DesignFor(t *dataset.Table, formula string, ref map[string]string) (*Design, error) {
	f, err := dataset.ParseFormula(formula)
	if err != nil {
		return nil, err
	}
	dm, err := dataset.Design(t, f, dataset.DesignOptions{Ref: ref})
	if err != nil {
		return nil, err
	}
	return &Design{Formula: f, Matrix: dm, Logit: ToLogit(dm)}, nil
}

// ToLogit converts a dataset design matrix into logit's.
func ToLogit(dm *dataset.DesignMatrix) *logit.Design {
	return &logit.Design{X: dm.X, Y: dm.Y, Names: dm.Names, Assign: dm.Assign, Groups: dm.Groups}
}

// FitDesign fits d by method (mle, firth or auto).
func FitDesign(d *logit.Design, method logit.Method, opts logit.Options) (*logit.Model, error) {
	switch method {
	case logit.MethodMLE:
		m, err := logit.Fit(d, opts)
		if err != nil {
			return nil, err
		}
		// The user asked for the MLE; under separation it does not exist,
		// so say which terms are affected rather than let a huge odds
		// ratio pass for an estimate.
		sep, err := logit.DetectSeparation(d)
		if err == nil && sep.Separated {
			m.Separation = sep.Coefficients
			m.Warnings = append([]logit.Warning{{Code: logit.WarnSeparation, Message: fmt.Sprintf("separation detected (%s): the maximum-likelihood estimates of these coefficients do not exist; their odds ratios and Wald tests are meaningless (use --method firth or auto)",
				strings.Join(sep.Coefficients, ", "))}}, m.Warnings...)
		} else if errors.Is(err, logit.ErrSeparationUndecided) {
			m.Warnings = append([]logit.Warning{{Code: logit.WarnSeparationCheck, Message: fmt.Sprintf("%v: whether these maximum-likelihood estimates exist is unknown (use --method firth or auto)", err)}}, m.Warnings...)
		}
		return m, nil
	case logit.MethodFirth:
		return logit.FitFirth(d, opts)
	case logit.MethodAuto:
		return logit.FitAuto(d, opts)
	}
	return nil, choice.Check("method", method, logit.Methods())
}

// WarnFitFallback marks a model fitted another way than asked because
// the asked way failed (the warning says why and how it was fitted).
const WarnFitFallback logit.WarningCode = "fit_fallback"

// FitRobust fits d as FitDesign does and, when that fails, falls back so
// that one part that cannot be computed does not lose the model:
//
//   - profile-likelihood intervals that fail: the same method with Wald
//     intervals;
//   - --method auto (separation check, or the Firth fit it chose, failed):
//     Firth's penalized likelihood, whose estimates are finite whether or
//     not the data are separated (profile, then Wald intervals), and last
//     the maximum-likelihood fit as R's glm makes it (with its
//     warnings: fitted probabilities 0 or 1, non-convergence).
//
// Each fallback adds a WarnFitFallback warning naming the failure. When
// every attempt fails, the first error (the one of the method asked for)
// is returned.
func FitRobust(d *logit.Design, method logit.Method, opts logit.Options) (*logit.Model, error) {
	return fitRobust(FitDesign, d, method, opts)
}

func fitRobust(fit fitFunc, d *logit.Design, method logit.Method, opts logit.Options) (*logit.Model, error) {
	m, first := fit(d, method, opts)
	if first == nil {
		return m, nil
	}
	reason := Reason(first)
	type attempt struct {
		method logit.Method
		ci     logit.CI
		why    string
	}
	wald := "profile-likelihood intervals not computed (" + reason + "): Wald intervals reported"
	var tries []attempt
	switch method {
	case logit.MethodAuto:
		firth := "automatic fit failed (" + reason + "): fitted by Firth's penalized likelihood, whose estimates are finite with or without separation"
		if opts.CI == logit.CIProfile {
			tries = append(tries, attempt{logit.MethodAuto, logit.CIWald, wald},
				attempt{logit.MethodFirth, logit.CIProfile, firth},
				attempt{logit.MethodFirth, logit.CIWald, firth + "; Wald intervals"})
		} else {
			tries = append(tries, attempt{logit.MethodFirth, logit.CIWald, firth})
		}
		tries = append(tries, attempt{logit.MethodMLE, opts.CI, "automatic and Firth fits failed (" + reason + "): fitted by maximum likelihood, as R's glm"})
	default:
		if opts.CI == logit.CIProfile {
			tries = append(tries, attempt{method, logit.CIWald, wald})
		}
	}
	for _, a := range tries {
		o := opts
		o.CI = a.ci
		if m, err := fit(d, a.method, o); err == nil {
			m.Warnings = append([]logit.Warning{{Code: WarnFitFallback, Message: a.why}}, m.Warnings...)
			return m, nil
		}
	}
	return nil, first
}

// Reason is an error as a reason shown in a table: without the package
// prefixes ("logit: ", "stats: ") that a chain of wrapped errors repeats.
func Reason(err error) string {
	r := err.Error()
	for _, p := range []string{"logit: ", "stats: "} {
		r = strings.ReplaceAll(r, p, "")
	}
	return r
}

// designDropEmpty encodes t with formula and leaves out the columns of
// levels that no used row has, which R's glm drops (an unused level) or
// estimates as NA (an empty interaction cell), and the other columns that
// are 0 in every row used (a numeric × factor product whose numeric part
// is 0 throughout the level, which glm also reports as NA), so that the
// model of the other columns is fitted as R fits it. A column that
// is a combination of other columns is still an error: which of the
// collinear columns R would set to NA depends on the column order, and a
// model that silently loses a variable the user asked for is worse than
// a message naming it.
func designDropEmpty(t *dataset.Table, formula string, ref map[string]string) (*dataset.Formula, *dataset.DesignMatrix, *logit.Design, []Unestimable, error) {
	f, err := dataset.ParseFormula(formula)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	dm, err := dataset.Design(t, f, dataset.DesignOptions{Ref: ref})
	var aerr *dataset.AliasError
	if err != nil && !(errors.As(err, &aerr) && aerr.ZeroOnly()) {
		return nil, nil, nil, nil, err
	}
	d := ToLogit(dm)
	if aerr == nil {
		return f, dm, d, nil, nil
	}
	drop := map[string]bool{}
	var un []Unestimable
	for _, c := range aerr.Columns {
		drop[c.Name] = true
		u := Unestimable{Code: WarnEmptyLevel, Column: c.Name, Levels: c.Empty}
		if len(c.Empty) == 0 {
			u.Reason = c.Reason
		}
		un = append(un, u)
	}
	d = logit.DropColumns(d, drop)
	if len(d.Names) == 0 {
		return nil, nil, nil, nil, err
	}
	return f, dm, d, un, nil
}

// emptyLevelWarning says which levels a model left out and why.
func emptyLevelWarning(u Unestimable) logit.Warning {
	if len(u.Levels) == 0 {
		return logit.Warning{Code: WarnEmptyLevel, Message: u.Reason + ": not estimable and left out of the fit (R's glm reports NA for it)"}
	}
	parts := make([]string, len(u.Levels))
	for k, l := range u.Levels {
		parts[k] = l.Variable + " = " + l.Level
	}
	return logit.Warning{Code: WarnEmptyLevel, Message: fmt.Sprintf("no rows with %s in the model's sample: %s is not estimable and is left out of the fit (as R's glm, which drops unused levels and reports NA for an empty interaction cell)",
		strings.Join(parts, " and "), u.Column)}
}

// FitFormula encodes t with formula and fits it. Columns of levels
// without rows are left out, with a WarnEmptyLevel warning each.
func FitFormula(t *dataset.Table, name, formula string, opts LogitOptions) (*ModelResult, error) {
	f, dm, d, un, err := designDropEmpty(t, formula, opts.Ref)
	if err != nil {
		return nil, err
	}
	ds := &Design{Formula: f, Matrix: dm, Logit: d}
	lo := opts.fitOptions()
	var m *logit.Model
	var strata []int
	if opts.Strata != "" {
		strata, err = strataOf(t, dm.Rows, opts.Strata)
		if err != nil {
			return nil, err
		}
		m, err = logit.FitConditional(d, strata, lo)
		if err != nil {
			return nil, fmt.Errorf("%s model: %w", name, err)
		}
	} else if m, err = fitRobust(opts.fitter(), d, opts.Method, lo); err != nil {
		return nil, fmt.Errorf("%s model: %w", name, err)
	}
	if m.Method == logit.MethodFirth && !hasVIF(m) {
		// GVIF depends only on the correlations of the estimates, which
		// the Firth covariance (brglm2's vcov) gives as glm's does at
		// the MLE; car::vif on the brglm2 fit gives these values.
		if _, err := logit.SetGVIF(d, m); err != nil && !errors.Is(err, logit.ErrVIFFewTerms) {
			m.Warnings = append(m.Warnings, logit.Warning{Code: logit.WarnVIF, Message: err.Error()})
		}
	}
	m.Name, m.Formula = name, ds.Formula.String()
	for _, u := range un {
		m.Warnings = append(m.Warnings, emptyLevelWarning(u))
	}
	lab := labeler{t.Schema, opts.Lang}
	lab.labelModel(m)
	mr := &ModelResult{Model: m, Excluded: nonNil(dm.Excluded), MissingByVar: dm.MissingByVar, Unestimable: un, Design: d, Rows: dm.Rows}
	return mr, nil
}

// hasVIF reports whether a fit already set its GVIFs or said why not.
func hasVIF(m *logit.Model) bool {
	for _, t := range m.Terms {
		if t.VIF != nil {
			return true
		}
	}
	return logit.HasWarning(m.Warnings, logit.WarnVIF)
}

// strataOf numbers the matched sets of the used rows.
func strataOf(t *dataset.Table, rows []int, name string) ([]int, error) {
	col, ok := t.Col(name)
	if !ok {
		return nil, unknownNamef("unknown --strata variable", name, t.Schema.FieldNames())
	}
	ids := map[string]int{}
	out := make([]int, len(rows))
	for k, i := range rows {
		if col.Missing[i] {
			return nil, fmt.Errorf("%s:%d:%s: missing matched-set id (expected every row to belong to a set)", t.Source, t.Lines[i], name)
		}
		v := col.Value(i)
		id, ok := ids[v]
		if !ok {
			id = len(ids)
			ids[v] = id
		}
		out[k] = id
	}
	return out, nil
}

func nonNil(e []dataset.Exclusion) []dataset.Exclusion {
	if e == nil {
		return []dataset.Exclusion{}
	}
	return e
}

// Logit fits the multivariable model and, if asked, each variable alone
// and an exploratory selection.
func Logit(t *dataset.Table, opts LogitOptions) (*LogitResult, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := CheckPer(t.Schema, opts.Per); err != nil {
		return nil, err
	}
	formula, err := ResolveFormula(t.Schema, opts.Formula, opts.Covariates)
	if err != nil {
		return nil, err
	}
	// With Wald intervals, crude models on their own rows are fitted
	// while the adjusted model is: they do not need it, and its serial
	// parts (design, sorts, tests) then share the cores with them (3.40 →
	// 3.26 s at 10⁶ × 10, 723 → 854 MB). Profile intervals keep both
	// cores busy on their own and their profilers' copies of X made the
	// overlap cost 1.16 → 1.45 GB at 10⁶ × 10, so they run after it.
	// Every fit is deterministic and the results are collected in order,
	// so nothing depends on which finishes first.
	var crude *crudeRun
	if opts.Univariable && opts.CrudeSample != CrudeComplete && opts.CI == logit.CIWald {
		crude = &crudeRun{done: make(chan struct{})}
		go func() {
			defer close(crude.done)
			crude.err = fitCrude(t, formula, nil, opts, &crude.res)
		}()
	}
	multi, err := FitFormula(t, ModelMultivariable, formula, opts)
	if err != nil {
		if crude != nil {
			<-crude.done
		}
		return nil, err
	}
	res := &LogitResult{Data: dataset.NewDataInfo(t), Adjusted: multi, Lang: opts.Lang}
	lab := labeler{t.Schema, opts.Lang}
	if f, err := dataset.ParseFormula(formula); err == nil {
		res.Outcome, res.OutcomeLabel = f.Response, lab.variable(f.Response)
	}
	for _, e := range multi.Excluded {
		res.Data.Exclude(e.Row, e.Reason)
	}
	res.Layout = tableLayout(t, multi, opts.Ref, opts.Lang)
	// The crude models have theirs in fitCrude.
	if err := addTests(t, multi, opts); err != nil {
		if crude != nil {
			<-crude.done
		}
		return nil, err
	}

	if opts.Univariable {
		res.CrudeSample = opts.CrudeSample
		if crude != nil {
			<-crude.done
			if crude.err != nil {
				return nil, crude.err
			}
			res.Crude = crude.res.Crude
			res.Failures = append(res.Failures, crude.res.Failures...)
		} else if err := fitCrude(t, formula, multi, opts, res); err != nil {
			return nil, err
		}
	}
	res.PerUnused = perUnused(multi, opts.Per)
	switch opts.Select {
	case logit.SelectAIC:
		res.Selection, err = logit.StepAIC(multi.Design, opts.fitOptions())
	case logit.SelectLR:
		res.Selection, err = logit.ForwardLR(multi.Design, opts.fitOptions(), 0.05, 0.10)
	}
	if err != nil {
		// The selection is exploratory and comes after the models it
		// starts from: they stand without it.
		res.Selection, res.SelectionReason = nil, Reason(err)
	}
	if res.Selection != nil {
		lab.labelModel(res.Selection.Model)
	}
	return res, nil
}

// crudeRun is fitCrude running beside the adjusted model's fit: res
// collects its models and failures, err its error, and done closes when
// it has finished.
type crudeRun struct {
	done chan struct{}
	res  LogitResult
	err  error
}

// crudeJob is one crude model to fit.
type crudeJob struct {
	term, name, formula string
	m                   *ModelResult
	// err is why the model could not be fitted (a crude failure),
	// testErr why its tests could not be run (an error of the run).
	err, testErr error
}

// fitCrude fits each main-effect variable of formula alone on the sample
// opts.CrudeSample names, in parallel; the models are listed in the
// formula's order whatever order they finish in, and each fit is
// deterministic, so the result does not depend on GOMAXPROCS. Each model
// gets its tests (addTests) as soon as it is fitted and then lets go of
// its design and fitted values (see ModelResult.Design), so that the
// crude models of a large table do not all hold n-sized copies at once.
// multi, the adjusted model, is read only for the complete-case sample
// and may be nil otherwise.
func fitCrude(t *dataset.Table, formula string, multi *ModelResult, opts LogitOptions, res *LogitResult) error {
	f, err := dataset.ParseFormula(formula)
	if err != nil {
		return err
	}
	var jobs []*crudeJob
	for _, term := range f.Terms {
		if term.Order() != 1 {
			continue
		}
		label := term.Label()
		uf := dataset.QuoteName(f.Response) + " ~ " + label
		if !f.Intercept {
			uf += " - 1"
		}
		jobs = append(jobs, &crudeJob{term: label, name: univariablePrefix + label, formula: uf})
	}
	sample := t
	if opts.CrudeSample == CrudeComplete {
		// The adjusted model's rows, once, read by every fit.
		sample = t.Subset(multi.Rows)
	}
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	next := make(chan *crudeJob)
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	fitted := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				j.m, j.err = FitFormula(sample, j.name, j.formula, opts)
				if j.err == nil {
					j.testErr = finishCrude(t, sample, multi, j.m, opts)
				}
				if opts.Progress != nil {
					progressMu.Lock()
					fitted++
					opts.Progress("crude models", fitted, len(jobs))
					progressMu.Unlock()
				}
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	lab := labeler{t.Schema, opts.Lang}
	for _, j := range jobs {
		if j.testErr != nil {
			return j.testErr
		}
		if j.err != nil {
			// A crude model is one column of Table 2: the adjusted model
			// and the other crude models stand without it.
			res.Failures = append(res.Failures, ModelFailure{Name: j.name, Formula: j.formula,
				Term: j.term, Label: lab.term(j.term), Status: StatusFailed, Reason: Reason(j.err)})
			continue
		}
		res.Crude = append(res.Crude, j.m)
	}
	return nil
}

// finishCrude makes crude model m, fitted on sample, one of t's: its rows
// index t, it gets its tests, and it drops its design and fitted values.
func finishCrude(t, sample *dataset.Table, multi, m *ModelResult, opts LogitOptions) error {
	if sample != t {
		// Rows index the table, not the subset; the rows left out are
		// the adjusted model's, for the same reasons.
		for k, r := range m.Rows {
			m.Rows[k] = multi.Rows[r]
		}
		m.Excluded, m.MissingByVar = multi.Excluded, multi.MissingByVar
	}
	if err := addTests(t, m, opts); err != nil {
		return err
	}
	m.Design, m.Fitted = nil, nil
	return nil
}
