package logit

import (
	"bytes"
	"encoding/json"
)

// Warning is something about a fit that its reader must know: a Code that
// programs test and the Message people read. In JSON a Warning is its
// message alone, the string R would print.
type Warning struct {
	Code    WarningCode
	Message string
}

// WarningCode names a kind of warning.
type WarningCode string

// Warning codes. Callers decide by code, never by the message text.
const (
	// WarnNotConverged: IRLS stopped at its iteration bound.
	WarnNotConverged WarningCode = "not_converged"
	// WarnFitted01: fitted probabilities numerically 0 or 1 (R's glm.fit).
	WarnFitted01 WarningCode = "fitted_0_1"
	// WarnIllConditioned: the information matrix is near singular.
	WarnIllConditioned WarningCode = "ill_conditioned"
	// WarnProfile: a profile-likelihood limit is infinite or the profile
	// failed (Wald intervals instead).
	WarnProfile WarningCode = "profile"
	// WarnAUC: the AUC or its DeLong CI is not defined.
	WarnAUC WarningCode = "auc"
	// WarnHosmerLemeshow: the Hosmer–Lemeshow test could not be computed.
	WarnHosmerLemeshow WarningCode = "hosmer_lemeshow"
	// WarnLowEPV: fewer than 10 events per variable.
	WarnLowEPV WarningCode = "low_events_per_variable"
	// WarnVIF: the generalized VIFs could not be computed.
	WarnVIF WarningCode = "vif"
	// WarnSeparation: the data separate the outcome (MLEs do not exist).
	WarnSeparation WarningCode = "separation"
	// WarnPenalized: Firth estimates are penalized; the fit statistics are
	// unpenalized values at them.
	WarnPenalized WarningCode = "penalized"
	// WarnFitStatistics: the fit statistics were not computed.
	WarnFitStatistics WarningCode = "fit_statistics"
	// WarnUninformativeSets: matched sets of only cases or only controls.
	WarnUninformativeSets WarningCode = "uninformative_sets"
	// WarnSelected: the model was chosen by an exploratory selection.
	WarnSelected WarningCode = "selected"
	// WarnSeparationCheck: how the separation check decided when it was
	// not simply the linear program, or that it could not decide.
	WarnSeparationCheck WarningCode = "separation_check"
	// WarnMethodFallback: the fit the method asked for failed and the
	// other one is reported.
	WarnMethodFallback WarningCode = "method_fallback"
)

func (w Warning) String() string { return w.Message }

// warn adds a warning to the model.
func (m *Model) warn(c WarningCode, msg string) {
	m.Warnings = append(m.Warnings, Warning{Code: c, Message: msg})
}

// MarshalJSON writes the message as a JSON string, without HTML escaping
// (as the renderer writes every other string).
func (w Warning) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w.Message); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads a warning written by MarshalJSON, so results read
// back from JSON keep their messages (the code is not written, so it is
// lost).
func (w *Warning) UnmarshalJSON(b []byte) error {
	w.Code = ""
	return json.Unmarshal(b, &w.Message)
}

// Messages lists the messages of ws.
func Messages(ws []Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Message
	}
	return out
}

// HasWarning reports whether ws holds a warning with code c.
func HasWarning(ws []Warning, c WarningCode) bool {
	for _, w := range ws {
		if w.Code == c {
			return true
		}
	}
	return false
}
