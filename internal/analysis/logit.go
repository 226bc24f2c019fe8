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
	"strings"

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
	// Select is an exploratory selection of the adjusted model; empty for
	// none.
	Select logit.Criterion `json:"select,omitempty"`
	// Strata names the matching variable for conditional logistic regression.
	Strata string `json:"strata,omitempty"`
	// Lang is the language of the labels beside the codes (field titles
	// and category labels of the schema; "" for the default).
	Lang string `json:"-"`

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
// under separation, profile-likelihood intervals at 95%.
func DefaultLogitOptions() LogitOptions {
	return LogitOptions{Method: logit.MethodAuto, CI: logit.CIProfile, Level: logit.DefaultLevel}
}

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
	// Design is kept for later steps (selection, subgroup tests).
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
	// Adjusted is the model of every covariate together.
	Adjusted *ModelResult `json:"-"`
	// Crude holds one model per main-effect variable alone, in the
	// formula's order (with LogitOptions.Univariable).
	Crude []*ModelResult `json:"-"`
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
	if err := render.WriteJSON(&b, logitJSON{Data: r.Data, Models: r.Models(), Failures: r.Failures, Selection: r.Selection, SelectionReason: r.SelectionReason}); err != nil {
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
	*r = LogitResult{Data: v.Data, Failures: v.Failures, Selection: v.Selection, SelectionReason: v.SelectionReason}
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

// FitFormula encodes t with formula and fits it.
func FitFormula(t *dataset.Table, name, formula string, opts LogitOptions) (*ModelResult, error) {
	ds, err := DesignFor(t, formula, opts.Ref)
	if err != nil {
		return nil, err
	}
	dm, d := ds.Matrix, ds.Logit
	lo := opts.fitOptions()
	var m *logit.Model
	if opts.Strata != "" {
		strata, err := strataOf(t, dm.Rows, opts.Strata)
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
	m.Name, m.Formula = name, ds.Formula.String()
	labeler{t.Schema, opts.Lang}.labelModel(m)
	return &ModelResult{Model: m, Excluded: nonNil(dm.Excluded), MissingByVar: dm.MissingByVar, Design: d, Rows: dm.Rows}, nil
}

// strataOf numbers the matched sets of the used rows.
func strataOf(t *dataset.Table, rows []int, name string) ([]int, error) {
	col, ok := t.Col(name)
	if !ok {
		return nil, fmt.Errorf("unknown --strata variable %q (valid: %s)", name, strings.Join(t.Schema.FieldNames(), ", "))
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
	formula, err := ResolveFormula(t.Schema, opts.Formula, opts.Covariates)
	if err != nil {
		return nil, err
	}
	multi, err := FitFormula(t, ModelMultivariable, formula, opts)
	if err != nil {
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
	if opts.Univariable {
		f, err := dataset.ParseFormula(formula)
		if err != nil {
			return nil, err
		}
		for _, term := range f.Terms {
			if term.Order() != 1 {
				continue
			}
			label := term.Label()
			uf := dataset.QuoteName(f.Response) + " ~ " + label
			if !f.Intercept {
				uf += " - 1"
			}
			m, err := FitFormula(t, univariablePrefix+label, uf, opts)
			if err != nil {
				// A crude model is one column of Table 2: the adjusted
				// model and the other crude models stand without it.
				res.Failures = append(res.Failures, ModelFailure{Name: univariablePrefix + label, Formula: uf,
					Term: label, Label: lab.term(label), Status: StatusFailed, Reason: Reason(err)})
				continue
			}
			res.Crude = append(res.Crude, m)
		}
	}
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
