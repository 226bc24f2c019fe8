package analysis

import (
	"fmt"

	"github.com/ccstudy/ccstudy/dataset"
	"math"
	"slices"
	"strings"

	"github.com/ccstudy/ccstudy/logit"
	"gonum.org/v1/gonum/stat/distuv"
)

// GlobalMethod names the test of GlobalTest for maximum-likelihood and
// conditional fits; GlobalMethodFirth the test of a Firth fit.
const (
	GlobalMethod      = "likelihood_ratio_type2"
	GlobalMethodFirth = "penalized_likelihood_ratio_type2"
)

// GlobalTest is the likelihood-ratio test of every column of one model
// term at once: a multi-level factor, or an interaction block, as
// car::Anova(fit, type = 2, test.statistic = "LR") reports it. Statistic
// and PValue are nil when the test could not be computed; Reason says
// why.
type GlobalTest struct {
	// Term is the formula term ("novelty", "novelty:company_type") and
	// Label its display text.
	Term  string `json:"term"`
	Label string `json:"label"`
	// DF is the number of the term's columns.
	DF        int      `json:"df"`
	Statistic *float64 `json:"statistic"`
	PValue    *float64 `json:"p_value"`
	// Method is GlobalMethod.
	Method string `json:"method"`
	Reason string `json:"reason,omitempty"`
}

// addTests fills m's global tests and per-K rescaling (Logit's models;
// subgroup and report fits do without them).
func addTests(t *dataset.Table, m *ModelResult, opts LogitOptions) error {
	var strata []int
	if opts.Strata != "" {
		var err error
		if strata, err = strataOf(t, m.Rows, opts.Strata); err != nil {
			return err
		}
	}
	m.GlobalTests = globalTests(m.Design, m.Model, strata, labeler{t.Schema, opts.Lang})
	m.Per = perTerms(t, m.Model, opts.Per)
	return nil
}

// globalTests tests every term of m with more than one column by
// likelihood ratio, type II (car::Anova's default): the term is dropped
// from the model without the terms that contain it (its interactions),
// so a main effect is tested after every term not containing it and an
// interaction after all the others; without interactions this is
// drop1(fit, test = "LRT"). Both models are fitted by maximum likelihood
// on the design's columns (car refits model.matrix columns with
// glm.fit, as here), LR = deviance(reduced) − deviance(larger) on df =
// the term's columns. A conditional fit is refitted by the conditional
// likelihood (LR = 2 Δ log-likelihood). A Firth fit gets the penalized
// likelihood-ratio test of globalFirthLR; a maximum-likelihood fit under
// separation (--method mle) gets no test (the reason says why): the
// maximum-likelihood estimates it would compare do not exist. A refit that fails or does not converge marks its test only.
func globalTests(d *logit.Design, m *logit.Model, strata []int, lab labeler) []GlobalTest {
	var out []GlobalTest
	for g := 1; g < len(d.Groups); g++ {
		cols := 0
		for _, a := range d.Assign {
			if a == g {
				cols++
			}
		}
		if cols < 2 {
			continue
		}
		t := GlobalTest{Term: d.Groups[g], Label: lab.term(d.Groups[g]), DF: cols, Method: GlobalMethod}
		var stat float64
		var err error
		if m.Method == logit.MethodFirth {
			t.Method = GlobalMethodFirth
			stat, err = globalFirthLR(d, g)
		} else {
			stat, err = globalLR(d, m, g, strata)
		}
		if err != nil {
			t.Reason = Reason(err)
		} else {
			p := distuv.ChiSquared{K: float64(cols)}.Survival(stat)
			t.Statistic, t.PValue = &stat, &p
		}
		out = append(out, t)
	}
	return out
}

// globalFirthLR is the type II test of group g of a Firth fit: the
// larger model (every group but those containing g) is fitted by
// Firth's penalized likelihood and g's columns are tested by the
// penalized likelihood ratio with that model's penalty in both maxima
// (logit.FirthBlockTest; logistf's anova(larger, formula = ~ . - g),
// method "nested"). It exists under separation, where the ML test does
// not.
func globalFirthLR(d *logit.Design, g int) (float64, error) {
	var larger []int
	for h := 1; h < len(d.Groups); h++ {
		if h == g || !termContains(d.Groups[h], d.Groups[g]) {
			larger = append(larger, h)
		}
	}
	sd := logit.SubDesign(d, larger)
	var cols []int
	for j, a := range sd.Assign {
		if a > 0 && sd.Groups[a] == d.Groups[g] {
			cols = append(cols, j)
		}
	}
	bt, err := logit.FirthBlockTest(sd, cols, nil, logit.Options{})
	if err != nil {
		return 0, fmt.Errorf("penalized likelihood-ratio test of %s not computed: %w", d.Groups[g], err)
	}
	return bt.Statistic, nil
}

// globalLR is the type II likelihood-ratio statistic of group g.
func globalLR(d *logit.Design, m *logit.Model, g int, strata []int) (float64, error) {
	switch {
	case m.Method == logit.MethodMLE && len(m.Separation) > 0:
		return 0, fmt.Errorf("not computed: separation (%s), the maximum-likelihood fits do not exist", strings.Join(m.Separation, ", "))
	}
	// larger: every group but those containing g; reduced: also without g.
	var larger []int
	for h := 1; h < len(d.Groups); h++ {
		if h == g || !termContains(d.Groups[h], d.Groups[g]) {
			larger = append(larger, h)
		}
	}
	reduced := slices.DeleteFunc(slices.Clone(larger), func(h int) bool { return h == g })
	fitLL := func(groups []int) (float64, error) {
		if len(groups) == len(d.Groups)-1 {
			// The model itself.
			return m.LogLikelihood, nil
		}
		sd := logit.SubDesign(d, groups)
		if m.Method == logit.MethodClogit {
			if len(groups) == 0 {
				// No covariate: the conditional null model, whose
				// log-likelihood the fit's LR test vs null gives.
				return m.LogLikelihood - m.LRStatistic/2, nil
			}
			f, err := logit.FitConditional(sd, strata, logit.Options{CI: logit.CIWald})
			if err != nil {
				return 0, fmt.Errorf("refit without %s failed: %w", d.Groups[g], err)
			}
			return f.LogLikelihood, nil
		}
		if len(sd.Names) == 0 {
			// No column at all (no intercept): every probability 1/2.
			mu := make([]float64, len(d.Y))
			for i := range mu {
				mu[i] = 0.5
			}
			return -logit.BinomialDeviance(d.Y, mu) / 2, nil
		}
		f, err := logit.Fit(sd, logit.Options{CI: logit.CIWald})
		if err != nil {
			return 0, fmt.Errorf("refit without %s failed: %w", d.Groups[g], err)
		}
		if !f.Converged {
			return 0, fmt.Errorf("refit without %s did not converge", d.Groups[g])
		}
		return f.LogLikelihood, nil
	}
	l1, err := fitLL(larger)
	if err != nil {
		return 0, err
	}
	l0, err := fitLL(reduced)
	if err != nil {
		return 0, err
	}
	stat := 2 * (l1 - l0)
	if math.IsNaN(stat) || math.IsInf(stat, 0) {
		return 0, fmt.Errorf("not computed: the likelihood-ratio statistic is not finite")
	}
	// Rounding can make a zero statistic slightly negative.
	return math.Max(stat, 0), nil
}

// termContains reports whether every variable of term a is in term b
// (R's term labels, variables joined by ":" outside parentheses and
// backquotes).
func termContains(b, a string) bool {
	vb := termVars(b)
	for _, v := range termVars(a) {
		if !slices.Contains(vb, v) {
			return false
		}
	}
	return true
}

// termVars splits an R term label into its variables at top-level ":".
func termVars(label string) []string {
	var out []string
	depth, start, quoted := 0, 0, false
	for i, r := range label {
		switch {
		case r == '`':
			quoted = !quoted
		case quoted:
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			depth--
		case r == ':' && depth == 0:
			out = append(out, label[start:i])
			start = i + 1
		}
	}
	return append(out, label[start:])
}
