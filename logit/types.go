// Package logit fits logistic regression models: maximum likelihood by
// IRLS, Firth's penalized likelihood, and conditional logistic regression
// for matched sets, with the fit statistics epidemiologists report.
//
// It is pure computation: inputs are gonum matrices and slices, outputs
// are result structs with JSON tags that follow R's broom.
package logit

import "gonum.org/v1/gonum/mat"

// Design is a model matrix with R's term structure.
type Design struct {
	// X is n×p; when the model has an intercept its first column is all ones.
	X *mat.Dense
	// Y holds the 0/1 outcome, one entry per row of X.
	Y []float64
	// Names are the column names, e.g. "(Intercept)", "dev_years",
	// "novelty[first_in_class]", "novelty[first_in_class]:company_type[traditional]".
	Names []string
	// Assign maps each column to its term group, as R's attr(X, "assign"):
	// 0 is the intercept, 1.. index Groups.
	Assign []int
	// Groups are the term labels as R's attr(terms, "term.labels") with
	// "(Intercept)" at index 0: "novelty", "log(rd_expenditure)", "novelty:company_type".
	Groups []string
}

// Intercept reports whether the first column is the intercept.
func (d *Design) Intercept() bool { return len(d.Names) > 0 && d.Names[0] == "(Intercept)" }

// Options controls a fit. The zero value means R's defaults.
type Options struct {
	// MaxIter caps the iterations (R's glm.control: 25).
	MaxIter int
	// Tol is the relative deviance change that stops IRLS (R: 1e-8).
	Tol float64
	// Level is the confidence level of intervals (default DefaultLevel).
	Level float64
	// CI is CIProfile (default) or CIWald.
	CI CI
}

// Term is one coefficient row, named as in R's broom::tidy.
type Term struct {
	Term string `json:"term"`
	// Label is Term's display text (field titles, category labels),
	// filled by callers that know the schema; this package leaves it
	// empty, as it knows only column names.
	Label     string  `json:"label"`
	Estimate  float64 `json:"estimate"`
	StdError  float64 `json:"std_error"`
	Statistic float64 `json:"statistic"`
	PValue    float64 `json:"p_value"`
	// ConfLow and ConfHigh bound the log-odds estimate.
	ConfLow    float64 `json:"conf_low"`
	ConfHigh   float64 `json:"conf_high"`
	OddsRatio  float64 `json:"odds_ratio"`
	ORConfLow  float64 `json:"or_conf_low"`
	ORConfHigh float64 `json:"or_conf_high"`
	// VIF is the generalized VIF (GVIF^(1/(2 df)) is in VIFAdjusted) of the
	// term group the coefficient belongs to; nil for the intercept or when
	// not computed.
	VIF         *float64 `json:"vif"`
	VIFAdjusted *float64 `json:"vif_adjusted,omitempty"`
	// LRStatistic and LRPValue are the per-coefficient (penalized)
	// likelihood-ratio test of β_j = 0 that logistf reports for Firth
	// fits; nil when not computed.
	LRStatistic *float64 `json:"lr_statistic,omitempty"`
	LRPValue    *float64 `json:"lr_p_value,omitempty"`
}

// HosmerLemeshow is the Hosmer–Lemeshow goodness-of-fit test.
type HosmerLemeshow struct {
	Statistic float64 `json:"statistic"`
	DF        int     `json:"df"`
	PValue    float64 `json:"p_value"`
	Groups    int     `json:"groups"`
}

// Model is a fitted logistic model and its fit statistics.
type Model struct {
	Name          string  `json:"name"`
	Formula       string  `json:"formula"`
	Method        Method  `json:"method"`
	Converged     bool    `json:"converged"`
	Iterations    int     `json:"iterations"`
	N             int     `json:"n"`
	Events        int     `json:"events"`
	NullDeviance  float64 `json:"null_deviance"`
	Deviance      float64 `json:"deviance"`
	LogLikelihood float64 `json:"log_likelihood"`
	AIC           float64 `json:"aic"`
	BIC           float64 `json:"bic"`
	LRStatistic   float64 `json:"lr_statistic"`
	LRDF          int     `json:"lr_df"`
	LRPValue      float64 `json:"lr_p_value"`
	// McFaddenR2, NagelkerkeR2 and the AUC are nil (JSON null) where they
	// are not defined: for a conditional fit, which has no unconditional
	// fitted probabilities, and the AUC's CI with a single outcome class.
	McFaddenR2     *float64        `json:"mcfadden_r2"`
	NagelkerkeR2   *float64        `json:"nagelkerke_r2"`
	AUC            *float64        `json:"auc"`
	AUCConfLow     *float64        `json:"auc_conf_low"`
	AUCConfHigh    *float64        `json:"auc_conf_high"`
	HosmerLemeshow *HosmerLemeshow `json:"hosmer_lemeshow"`
	// EventsPerVariable is min(events, non-events) / (p - 1).
	EventsPerVariable float64   `json:"events_per_variable"`
	Separation        []string  `json:"separation"`
	Warnings          []Warning `json:"warnings"`
	Terms             []Term    `json:"terms"`

	// Coef, Cov and Fitted keep the numbers later steps need (profile
	// CIs, predictions, GVIF) without re-fitting.
	Coef   []float64     `json:"-"`
	Cov    *mat.SymDense `json:"-"`
	Fitted []float64     `json:"-"`
}
