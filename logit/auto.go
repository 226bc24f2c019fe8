package logit

import (
	"errors"
	"fmt"
	"strings"
)

// FitAuto fits by maximum likelihood (Fit) when the MLE exists and by
// Firth's penalized likelihood (FitFirth) under separation, so that no
// meaningless infinite odds ratio is ever reported. The maximum-likelihood
// iteration runs first, and when it converges to fitted values that prove
// the MLE exists (a bounded-rounding Stiemke certificate, see mleExists)
// its fit is returned; otherwise separation is detected with
// DetectSeparation, which would have found none in the first case, so
// the answer is the same either way. The returned Model's Method is the
// method actually used (MethodMLE or MethodFirth); after a switch,
// Separation lists the terms with infinite MLEs (the intercept only when
// it is the sole one) and Warnings says
// "separation detected (terms …): switched to Firth's penalized likelihood".
//
// FitAuto succeeds wherever Fit or FitFirth does, and says in Warnings
// whenever it departs from the rule above: when the separation check
// cannot decide (ErrSeparationUndecided) it fits Firth, whose estimates
// are finite either way; when the fit the rule asks for fails, it reports
// the other one.
func FitAuto(d *Design, opts Options) (*Model, error) {
	return fitAuto(d, opts, separationConfig{})
}

func fitAuto(d *Design, opts Options, cfg separationConfig) (*Model, error) {
	if !cfg.lpOnly {
		if m, ok := fitIfMLEExists(d, opts); ok {
			return m, nil
		}
	}
	sep, err := detectSeparation(d, cfg)
	if errors.Is(err, ErrSeparationUndecided) {
		m, ferr := FitFirth(d, opts)
		if ferr == nil {
			m.Warnings = append([]Warning{{Code: WarnSeparationCheck, Message: fmt.Sprintf(
				"%v: fitted Firth's penalized likelihood, whose estimates are finite with or without separation", err)}}, m.Warnings...)
			return m, nil
		}
		m, merr := Fit(d, opts)
		if merr != nil {
			return nil, fmt.Errorf("%w; Firth fit failed: %v; maximum-likelihood fit failed: %v", err, ferr, merr)
		}
		m.Warnings = append([]Warning{{Code: WarnSeparationCheck, Message: fmt.Sprintf(
			"%v and the Firth fit failed (%v): maximum-likelihood estimates reported, meaningless if the data are separated", err, ferr)}}, m.Warnings...)
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	// How the check decided, when it was not simply the linear program.
	var note []Warning
	switch {
	case sep.DecidedBy != SeparationByLP:
		note = []Warning{{Code: WarnSeparationCheck, Message: fmt.Sprintf("separation check decided by the %s (%s)", sep.DecidedBy, sep.Note)}}
	case sep.Note != "":
		note = []Warning{{Code: WarnSeparationCheck, Message: "separation check: " + sep.Note}}
	}
	if !sep.Separated {
		m, err := Fit(d, opts)
		if err == nil {
			m.Warnings = append(note, m.Warnings...)
			return m, nil
		}
		fm, ferr := FitFirth(d, opts)
		if ferr != nil {
			return nil, err
		}
		fm.Warnings = append(append(note, Warning{Code: WarnMethodFallback, Message: fmt.Sprintf(
			"no separation, but the maximum-likelihood fit failed (%v): fitted Firth's penalized likelihood instead", err)}), fm.Warnings...)
		return fm, nil
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
	kind := "quasi-complete"
	if sep.Complete {
		kind = "complete"
	}
	m, err := FitFirth(d, opts)
	if err != nil {
		mm, merr := Fit(d, opts)
		if merr != nil {
			return nil, fmt.Errorf("logit: separation detected, Firth fit failed: %w", err)
		}
		mm.Separation = terms
		mm.Warnings = append(append([]Warning{{Code: WarnSeparation, Message: fmt.Sprintf(
			"separation detected (terms %s; %s separation) but the Firth fit failed (%v): maximum-likelihood estimates reported; those of %s do not exist and their odds ratios and tests are meaningless",
			strings.Join(terms, ", "), kind, err, strings.Join(sep.Coefficients, ", "))}}, note...), mm.Warnings...)
		return mm, nil
	}
	m.Separation = terms
	m.Warnings = append(append([]Warning{{Code: WarnSeparation, Message: fmt.Sprintf(
		"separation detected (terms %s; %s separation): switched to Firth's penalized likelihood",
		strings.Join(terms, ", "), kind)}}, note...), m.Warnings...)
	return m, nil
}

// fitIfMLEExists is Fit when its own converged iteration proves that the
// MLE exists (mleExists), which is the answer DetectSeparation's linear
// program would give; ok false leaves the decision to that program, and
// the caller then fits again (the iteration is deterministic, so a
// refit is the same fit).
func fitIfMLEExists(d *Design, opts Options) (*Model, bool) {
	if validateDesign(d) != nil {
		return nil, false
	}
	opts = withDefaults(opts)
	if (opts.CI != CIProfile && opts.CI != CIWald) || opts.Level <= 0 || opts.Level >= 1 {
		return nil, false
	}
	if len(Aliased(d.X)) > 0 {
		return nil, false
	}
	f, err := irlsML(d, opts, true)
	if err != nil || !f.converged || !mleExists(d.X, d.Y, f.mu) {
		return nil, false
	}
	m, err := finishML(d, opts, f)
	if err != nil {
		return nil, false
	}
	return m, true
}
