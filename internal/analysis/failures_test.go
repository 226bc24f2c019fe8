package analysis

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/logit"
)

// failing is a fit that fails, with err, whenever when says so and fits
// as FitDesign otherwise.
func failing(when func(d *logit.Design, m logit.Method, o logit.Options) bool, err error) fitFunc {
	return func(d *logit.Design, m logit.Method, o logit.Options) (*logit.Model, error) {
		if when(d, m, o) {
			return nil, err
		}
		return FitDesign(d, m, o)
	}
}

// hasColumn reports whether design d has the column name.
func hasColumn(d *logit.Design, name string) bool { return slices.Contains(d.Names, name) }

func companies(t *testing.T) string {
	return filepath.Join("..", "..", "testdata", "companies.csv")
}

// TestLogitCrudeFailureIsMarked: a crude model that cannot be fitted is
// listed with its reason; the adjusted model and the other crude models
// stand.
func TestLogitCrudeFailureIsMarked(t *testing.T) {
	tb := sgLoad(t, companies(t), "")
	opts := DefaultLogitOptions()
	opts.Covariates, opts.Univariable = []string{"novelty", "orphan_drug", "dev_years"}, true
	// Only the crude model of orphan_drug has exactly two columns, one of
	// them orphan_drug.
	opts.fit = failing(func(d *logit.Design, _ logit.Method, _ logit.Options) bool {
		return hasColumn(d, "orphan_drug") && len(d.Names) == 2
	}, errors.New("logit: injected failure"))
	res, err := Logit(tb, opts)
	if err != nil {
		t.Fatalf("the run failed with its crude model: %v", err)
	}
	if len(res.Failures) != 1 || res.Failures[0].Term != "orphan_drug" || res.Failures[0].Status != StatusFailed || res.Failures[0].Reason != "univariable:orphan_drug model: injected failure" {
		t.Fatalf("failures %+v", res.Failures)
	}
	if len(res.Crude) != 2 || res.Crude[0].Name != "univariable:novelty" || res.Crude[1].Name != "univariable:dev_years" {
		t.Errorf("crude models %v", res.Models())
	}
	if res.Adjusted == nil || len(res.Adjusted.Terms) != 5 {
		t.Errorf("adjusted model %+v", res.Adjusted)
	}
	b, err := res.MarshalJSON()
	if err != nil || !strings.Contains(string(b), `"failed_models":[{"name":"univariable:orphan_drug"`) || !strings.Contains(string(b), `"reason":"univariable:orphan_drug model: injected failure"`) {
		t.Errorf("JSON %v: %s", err, b)
	}
}

// TestLogitAdjustedFailureFails: without the adjusted model there is no
// result, so the run is an error.
func TestLogitAdjustedFailureFails(t *testing.T) {
	tb := sgLoad(t, companies(t), "")
	opts := DefaultLogitOptions()
	opts.Covariates, opts.Univariable = []string{"novelty", "orphan_drug"}, true
	opts.fit = failing(func(d *logit.Design, _ logit.Method, _ logit.Options) bool { return len(d.Names) == 4 }, errors.New("logit: injected failure"))
	if _, err := Logit(tb, opts); err == nil || !strings.Contains(err.Error(), "multivariable model: logit: injected failure") {
		t.Errorf("error %v", err)
	}
}

// TestProfileFailureFallsBackToWald: when the profile-likelihood limits
// cannot be computed the model is kept with Wald intervals, and a typed
// warning names the failure; the Wald intervals are those of --ci wald.
func TestProfileFailureFallsBackToWald(t *testing.T) {
	tb := sgLoad(t, companies(t), "")
	for _, method := range []logit.Method{logit.MethodMLE, logit.MethodAuto} {
		opts := DefaultLogitOptions()
		opts.Covariates, opts.Method = []string{"novelty", "orphan_drug"}, method
		opts.fit = failing(func(_ *logit.Design, _ logit.Method, o logit.Options) bool { return o.CI == logit.CIProfile },
			errors.New("logit: profile of orphan_drug: injected failure"))
		res, err := Logit(tb, opts)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		m := res.Adjusted
		if len(m.Warnings) == 0 || m.Warnings[0].Code != WarnFitFallback ||
			m.Warnings[0].Message != "profile-likelihood intervals not computed (profile of orphan_drug: injected failure): Wald intervals reported" {
			t.Errorf("%s: warnings %+v", method, m.Warnings)
		}
		wopts := DefaultLogitOptions()
		wopts.Covariates, wopts.Method, wopts.CI = opts.Covariates, method, logit.CIWald
		wald, err := Logit(tb, wopts)
		if err != nil {
			t.Fatal(err)
		}
		for j, tm := range m.Terms {
			if w := wald.Adjusted.Terms[j]; tm.ConfLow != w.ConfLow || tm.ConfHigh != w.ConfHigh {
				t.Errorf("%s %s: CI (%v, %v), Wald (%v, %v)", method, tm.Term, tm.ConfLow, tm.ConfHigh, w.ConfLow, w.ConfHigh)
			}
		}
	}
}

// TestAutoFailureFallsBackToFirth: when --method auto fails (a separation
// check that errors, say) the model is fitted by Firth and says why.
func TestAutoFailureFallsBackToFirth(t *testing.T) {
	tb := sgLoad(t, companies(t), "")
	opts := DefaultLogitOptions()
	opts.Covariates = []string{"novelty", "orphan_drug"}
	opts.fit = failing(func(_ *logit.Design, m logit.Method, _ logit.Options) bool { return m == logit.MethodAuto },
		errors.New("logit: separation linear program: injected failure"))
	res, err := Logit(tb, opts)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Adjusted
	if m.Method != logit.MethodFirth || !logit.HasWarning(m.Warnings, WarnFitFallback) || !strings.Contains(m.Warnings[0].Message, "automatic fit failed (separation linear program: injected failure)") {
		t.Errorf("method %s, warnings %+v", m.Method, m.Warnings)
	}
}

// TestSubgroupStratumFailureIsMarked: a stratum whose every fit fails is
// marked fit_failed with the reason; the other stratum and the
// interaction tests (on the whole sample) stand, and Cochran's Q, which
// needs two fitted strata, says why it is missing.
func TestSubgroupStratumFailureIsMarked(t *testing.T) {
	tb := sgLoad(t, companies(t), "")
	opts := sgOpts(func(o *SubgroupOptions) {
		o.By, o.Covariates = []string{"company_type"}, []string{"novelty", "orphan_drug"}
	})
	// The strata are fitted in order; the first fails whichever method
	// or interval is tried.
	var failed *logit.Design
	opts.fit = func(d *logit.Design, m logit.Method, o logit.Options) (*logit.Model, error) {
		if failed == nil {
			failed = d
		}
		if d == failed {
			return nil, errors.New("logit: injected failure")
		}
		return FitDesign(d, m, o)
	}
	res, err := Subgroup(tb, opts)
	if err != nil {
		t.Fatalf("the run failed with one stratum: %v", err)
	}
	lv := res.Subgroups[0].Levels
	if lv[0].Status != StatusFailed || lv[0].Reason != "injected failure" || len(lv[0].Terms) != 0 {
		t.Errorf("stratum 1: %s %q", lv[0].Status, lv[0].Reason)
	}
	if lv[1].Status != StatusOK || len(lv[1].Terms) == 0 {
		t.Errorf("stratum 2: %s %q", lv[1].Status, lv[1].Reason)
	}
	for _, it := range res.Subgroups[0].Interactions {
		if it.LRStatistic == nil || it.Reason != "" {
			t.Errorf("interaction %s: LR %v, reason %q", it.Term, it.LRStatistic, it.Reason)
		}
		if it.CochranQ != nil || !strings.Contains(it.CochranReason, "at least 2") {
			t.Errorf("interaction %s: Q %v, reason %q", it.Term, it.CochranQ, it.CochranReason)
		}
	}
}
