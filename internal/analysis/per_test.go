package analysis

import (
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"github.com/ccstudy/ccstudy/logit"
)

// TestPerMatchesR: dev_years per 5 years in the default model equals R's
// glm(case ~ ... + I(dev_years / 5) + ...) with Wald intervals; the
// fitted coefficient stays per year.
func TestPerMatchesR(t *testing.T) {
	var want struct {
		Variable      string  `json:"variable"`
		Per           float64 `json:"per"`
		EstimatePer   float64 `json:"estimate_per"`
		StdErrorPer   float64 `json:"std_error_per"`
		ConfLowPer    float64 `json:"conf_low_per"`
		ConfHighPer   float64 `json:"conf_high_per"`
		OddsRatioPer  float64 `json:"odds_ratio_per"`
		ORConfLowPer  float64 `json:"or_conf_low_per"`
		ORConfHighPer float64 `json:"or_conf_high_per"`
	}
	reftest.Load(t, "testdata/reference/logitcmd/per.json", &want)
	tb := sgLoad(t, companies(t), "")
	opts := DefaultLogitOptions()
	opts.CI = logit.CIWald
	opts.Per = map[string]float64{want.Variable: want.Per}
	res, err := Logit(tb, opts)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := res.Adjusted.PerOf(want.Variable)
	if !ok || len(res.Adjusted.Per) != 1 {
		t.Fatalf("per terms %+v, want one for %s", res.Adjusted.Per, want.Variable)
	}
	if p.Per != want.Per || p.Variable != want.Variable {
		t.Errorf("per %v of %s", p.Per, p.Variable)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"estimate_per", p.EstimatePer, want.EstimatePer}, {"std_error_per", p.StdErrorPer, want.StdErrorPer},
		{"conf_low_per", p.ConfLowPer, want.ConfLowPer}, {"conf_high_per", p.ConfHighPer, want.ConfHighPer},
		{"odds_ratio_per", p.OddsRatioPer, want.OddsRatioPer}, {"or_conf_low_per", p.ORConfLowPer, want.ORConfLowPer},
		{"or_conf_high_per", p.ORConfHighPer, want.ORConfHighPer},
	} {
		reftest.Rel(t, c.name, c.got, c.want, 1e-6)
	}
	for _, tm := range res.Adjusted.Terms {
		if tm.Term == want.Variable {
			reftest.Rel(t, "estimate per unit", tm.Estimate, want.EstimatePer/want.Per, 1e-6)
		}
	}
}

// TestCheckPer: unknown, non-numeric and non-positive --per values are
// refused with messages naming the flag.
func TestCheckPer(t *testing.T) {
	tb := sgLoad(t, companies(t), "")
	if err := CheckPer(tb.Schema, map[string]float64{"dev_years": 10}); err != nil {
		t.Errorf("dev_years=10: %v", err)
	}
	for _, c := range []struct {
		per  map[string]float64
		want string
	}{
		{map[string]float64{"dev_yrs": 10}, `--per dev_yrs: no field "dev_yrs"`},
		{map[string]float64{"novelty": 10}, "--per novelty: novelty is not a numeric field"},
		{map[string]float64{"listed": 10}, "--per listed: listed is not a numeric field"},
		{map[string]float64{"dev_years": 0}, "--per dev_years=0: expected a positive number"},
		{map[string]float64{"dev_years": -2}, "--per dev_years=-2: expected a positive number"},
	} {
		err := CheckPer(tb.Schema, c.per)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.per, err, c.want)
		}
	}
}
