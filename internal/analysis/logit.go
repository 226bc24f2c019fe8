// Package analysis joins the data layer (dataset) to the computation
// packages (stats, logit, cluster): it turns a table and a model
// specification into design matrices, runs the fits and collects the
// results the commands render. It is pure: no printing, no files.
package analysis

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/logit"
)

// LogitOptions specify the logistic models of one run.
type LogitOptions struct {
	// Formula is an R-style formula; empty means Covariates, or else the
	// schema's outcome and covariate roles.
	Formula    string   `json:"formula,omitempty"`
	Covariates []string `json:"covariates,omitempty"`
	// Method is logit.MethodMLE, MethodFirth or MethodAuto (default).
	Method string  `json:"method,omitempty"`
	CI     string  `json:"ci,omitempty"`
	Level  float64 `json:"level,omitempty"`
	// Ref overrides reference levels (variable → level).
	Ref map[string]string `json:"ref,omitempty"`
	// Univariable also fits each main-effect variable alone (crude ORs).
	Univariable bool `json:"univariable,omitempty"`
	// Select is "", "aic" (backward, R's step) or "lr" (forward LR).
	Select string `json:"select,omitempty"`
	// Strata names the matching variable for conditional logistic regression.
	Strata string `json:"strata,omitempty"`
}

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

// LogitResult is the JSON contract of `ccstudy logit`.
type LogitResult struct {
	Data      dataset.DataInfo `json:"data"`
	Models    []*ModelResult   `json:"models"`
	Selection *logit.Selection `json:"selection,omitempty"`
}

// Model names.
const (
	ModelMultivariable = "multivariable"
	univariablePrefix  = "univariable:"
)

// ResolveFormula returns the formula the options describe: Formula as
// given, or "outcome ~ covariates" where fields the schema analyses on
// the log scale enter as log(x).
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
	terms := make([]string, len(covariates))
	for i, c := range covariates {
		terms[i] = c
		if f, ok := s.Field(c); ok && f.Transform == "log" {
			terms[i] = "log(" + c + ")"
		}
	}
	return outcome + " ~ " + strings.Join(terms, " + "), nil
}

// DesignFor parses formula and encodes t with it.
func DesignFor(t *dataset.Table, formula string, ref map[string]string) (*dataset.Formula, *dataset.DesignMatrix, *logit.Design, error) {
	f, err := dataset.ParseFormula(formula)
	if err != nil {
		return nil, nil, nil, err
	}
	dm, err := dataset.Design(t, f, dataset.DesignOptions{Ref: ref})
	if err != nil {
		return nil, nil, nil, err
	}
	return f, dm, ToLogit(dm), nil
}

// ToLogit converts a dataset design matrix into logit's.
func ToLogit(dm *dataset.DesignMatrix) *logit.Design {
	return &logit.Design{X: dm.X, Y: dm.Y, Names: dm.Names, Assign: dm.Assign, Groups: dm.Groups}
}

// FitDesign fits d by method ("mle", "firth" or "auto").
func FitDesign(d *logit.Design, method string, opts logit.Options) (*logit.Model, error) {
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
			m.Warnings = append([]string{fmt.Sprintf("separation detected (%s): the maximum-likelihood estimates of these coefficients do not exist; their odds ratios and Wald tests are meaningless (use --method firth or auto)",
				strings.Join(sep.Coefficients, ", "))}, m.Warnings...)
		} else if errors.Is(err, logit.ErrSeparationUndecided) {
			m.Warnings = append([]string{fmt.Sprintf("%v: whether these maximum-likelihood estimates exist is unknown (use --method firth or auto)", err)}, m.Warnings...)
		}
		return m, nil
	case logit.MethodFirth:
		return logit.FitFirth(d, opts)
	case logit.MethodAuto, "":
		return logit.FitAuto(d, opts)
	}
	return nil, fmt.Errorf("unknown method %q (expected mle, firth or auto)", method)
}

// FitFormula encodes t with formula and fits it.
func FitFormula(t *dataset.Table, name, formula string, opts LogitOptions) (*ModelResult, error) {
	f, dm, d, err := DesignFor(t, formula, opts.Ref)
	if err != nil {
		return nil, err
	}
	lo := logit.Options{CI: opts.CI, Level: opts.Level}
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
	} else if m, err = FitDesign(d, opts.Method, lo); err != nil {
		return nil, fmt.Errorf("%s model: %w", name, err)
	}
	m.Name, m.Formula = name, f.String()
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
	formula, err := ResolveFormula(t.Schema, opts.Formula, opts.Covariates)
	if err != nil {
		return nil, err
	}
	multi, err := FitFormula(t, ModelMultivariable, formula, opts)
	if err != nil {
		return nil, err
	}
	res := &LogitResult{Data: dataset.NewDataInfo(t), Models: []*ModelResult{multi}}
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
			uf := f.Response + " ~ " + label
			if !f.Intercept {
				uf += " - 1"
			}
			m, err := FitFormula(t, univariablePrefix+label, uf, opts)
			if err != nil {
				return nil, err
			}
			res.Models = append(res.Models, m)
		}
	}
	switch opts.Select {
	case "":
	case "aic":
		if res.Selection, err = logit.StepAIC(multi.Design, logit.Options{CI: opts.CI, Level: opts.Level}); err != nil {
			return nil, fmt.Errorf("selection: %w", err)
		}
	case "lr":
		if res.Selection, err = logit.ForwardLR(multi.Design, logit.Options{CI: opts.CI, Level: opts.Level}, 0.05, 0.10); err != nil {
			return nil, fmt.Errorf("selection: %w", err)
		}
	default:
		return nil, fmt.Errorf("unknown selection %q (expected aic or lr)", opts.Select)
	}
	return res, nil
}

// UnivariableName returns the variable of a univariable model name, or "".
func UnivariableName(name string) string {
	if v, ok := strings.CutPrefix(name, univariablePrefix); ok {
		return v
	}
	return ""
}
