package analysis

import (
	"fmt"
	"math"
	"slices"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/logit"
)

// PerTerm is a coefficient of a numeric variable rescaled to K units:
// for the log-odds β per unit, K·β per K units, its interval K·(lower,
// upper) and the odds ratio exp(K·β) with exp(K·lower), exp(K·upper)
// (what R gives for glm(y ~ I(x / K)), since the profile-likelihood and
// Wald limits scale with the coefficient). The fitted coefficient stays
// per unit in the model's terms, as broom's tidy reports it.
type PerTerm struct {
	// Term is the design column ("dev_years"), Variable its field.
	Term     string `json:"term"`
	Variable string `json:"variable"`
	// Per is K and Unit the schema's unit ("years"; "" when none).
	Per         float64 `json:"per"`
	Unit        string  `json:"unit,omitempty"`
	EstimatePer float64 `json:"estimate_per"`
	StdErrorPer float64 `json:"std_error_per"`
	ConfLowPer  float64 `json:"conf_low_per"`
	ConfHighPer float64 `json:"conf_high_per"`
	// OddsRatioPer and its limits are exp of the rescaled estimate and
	// limits.
	OddsRatioPer  float64 `json:"odds_ratio_per"`
	ORConfLowPer  float64 `json:"or_conf_low_per"`
	ORConfHighPer float64 `json:"or_conf_high_per"`
}

// CheckPer checks the --per variables against the schema: each must be
// a numeric (number or integer, not categorical or 0/1) field, K a
// positive finite number. Its messages name the flag.
func CheckPer(s *dataset.Schema, per map[string]float64) error {
	names := make([]string, 0, len(per))
	for v := range per {
		names = append(names, v)
	}
	slices.Sort(names)
	for _, v := range names {
		k := per[v]
		if !(k > 0) || math.IsInf(k, 0) {
			return fmt.Errorf("--per %s=%v: expected a positive number of units, e.g. --per %s=10", v, k, v)
		}
		f, ok := s.Field(v)
		if !ok {
			return optionErrorf("--per %s: no field %q in the schema (valid: %s%s)", dataset.ElideValue(v), dataset.ElideValue(v), dataset.ElideList(s.FieldNames(), ", "), didYouMean(v, s.FieldNames()))
		}
		if !perField(f) {
			return fmt.Errorf("--per %s: %s is not a numeric field (expected a number or integer field, not categorical or 0/1)", v, v)
		}
	}
	return nil
}

// perField reports whether f can be rescaled: a number or integer field
// that is neither categorical nor 0/1.
func perField(f *dataset.Field) bool {
	return !f.IsCategorical() && !f.IsBinary() && (f.Type == dataset.TypeNumber || f.Type == dataset.TypeInteger)
}

// perTerms rescales the columns of m that are a numeric variable itself
// (not log(x), not an interaction) to K units: K from per (--per) or
// else the schema's "per" property.
func perTerms(t *dataset.Table, m *logit.Model, per map[string]float64) []PerTerm {
	if t.Schema == nil {
		return nil
	}
	var out []PerTerm
	for _, f := range t.Schema.Fields {
		k, ok := per[f.Name]
		if !ok && f.Per != nil {
			k, ok = *f.Per, true
		}
		if !ok || !perField(f) {
			continue
		}
		col := dataset.Variable{Name: f.Name}.String()
		for _, tm := range m.Terms {
			if tm.Term != col {
				continue
			}
			out = append(out, PerTerm{Term: tm.Term, Variable: f.Name, Per: k, Unit: f.Unit,
				EstimatePer: k * tm.Estimate, StdErrorPer: k * tm.StdError, ConfLowPer: k * tm.ConfLow, ConfHighPer: k * tm.ConfHigh,
				OddsRatioPer: math.Exp(k * tm.Estimate), ORConfLowPer: math.Exp(k * tm.ConfLow), ORConfHighPer: math.Exp(k * tm.ConfHigh)})
		}
	}
	return out
}

// PerOf returns the rescaling of term in m, if any.
func (m *ModelResult) PerOf(term string) (PerTerm, bool) {
	for _, p := range m.Per {
		if p.Term == term {
			return p, true
		}
	}
	return PerTerm{}, false
}

// perUnused lists, sorted, the variables of per that m has no rescaled
// term for.
func perUnused(m *ModelResult, per map[string]float64) []string {
	var out []string
	for v := range per {
		found := false
		for _, p := range m.Per {
			found = found || p.Variable == v
		}
		if !found {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}
