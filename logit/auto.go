package logit

import (
	"fmt"
	"strings"
)

// FitAuto fits by maximum likelihood (Fit) when the MLE exists and by
// Firth's penalized likelihood (FitFirth) under separation, so that no
// meaningless infinite odds ratio is ever reported. Separation is
// detected first with DetectSeparation. The returned Model's Method is the
// method actually used (MethodMLE or MethodFirth); after a switch,
// Separation lists the terms with infinite MLEs (the intercept only when
// it is the sole one) and Warnings says
// "separation detected (terms …): switched to Firth's penalized likelihood".
func FitAuto(d *Design, opts Options) (*Model, error) {
	sep, err := DetectSeparation(d)
	if err != nil {
		return nil, err
	}
	if !sep.Separated {
		return Fit(d, opts)
	}
	m, err := FitFirth(d, opts)
	if err != nil {
		return nil, fmt.Errorf("logit: separation detected, Firth fit failed: %w", err)
	}
	terms := make([]string, 0, len(sep.Terms))
	for _, t := range sep.Terms {
		if t != "(Intercept)" {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		terms = sep.Terms
	}
	m.Separation = terms
	kind := "quasi-complete"
	if sep.Complete {
		kind = "complete"
	}
	m.Warnings = append([]Warning{{Code: WarnSeparation, Message: fmt.Sprintf(
		"separation detected (terms %s; %s separation): switched to Firth's penalized likelihood",
		strings.Join(terms, ", "), kind)}}, m.Warnings...)
	return m, nil
}
