package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPowerExposureJSON(t *testing.T) {
	var res struct {
		Power           *float64 `json:"power"`
		MCSE            *float64 `json:"mc_se"`
		ClosedFormPower *float64 `json:"closed_form_power"`
		Test            string   `json:"test"`
		Points          []struct {
			Cases, Controls, Sims int
		} `json:"points"`
	}
	runJSON(t, &res, "power", "--cases", "60", "--controls", "120", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "200", "--seed", "4")
	if res.Power == nil || res.MCSE == nil || res.ClosedFormPower == nil || res.Test != "wald" {
		t.Fatalf("missing power fields: %+v", res)
	}
	if len(res.Points) != 1 || res.Points[0].Cases != 60 || res.Points[0].Controls != 120 || res.Points[0].Sims != 200 {
		t.Errorf("points: %+v", res.Points)
	}
	out1, _, _ := runCLI(t, "", "power", "--cases", "60", "--controls", "120", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "200", "--seed", "4", "--format", "json")
	out2, _, _ := runCLI(t, "", "power", "--cases", "60", "--controls", "120", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "200", "--seed", "4", "--format", "json")
	if out1 != out2 {
		t.Error("two runs with one seed differ")
	}
}

func TestPowerCurveTableAndFigure(t *testing.T) {
	dir := t.TempDir()
	fig := filepath.Join(dir, "curve.svg")
	out, errOut, code := runCLI(t, "", "power", "--cases", "20:60:20", "--ratio", "2", "--exposure-or", "3", "--exposure-prevalence", "0.2", "--sims", "100", "--figure", fig, "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"# power", "20,40,exposure", "60,120,exposure", "# target"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if b, err := os.ReadFile(fig); err != nil || !strings.Contains(string(b), "<svg") {
		t.Errorf("figure: %v", err)
	}
}

func TestPowerDGPRuns(t *testing.T) {
	var res struct {
		Model  string `json:"model"`
		Points []struct {
			Factors []struct{ Term string } `json:"factors"`
		} `json:"points"`
	}
	runJSON(t, &res, "power", "--model", "dgp", "--sims", "20")
	if res.Model != "dgp" || len(res.Points) != 1 || len(res.Points[0].Factors) != 16 {
		t.Errorf("dgp result: %+v", res)
	}
}

// TestPowerFromLogitJSON runs the fitted-model design on the embedded
// study's own logit output.
func TestPowerFromLogitJSON(t *testing.T) {
	dir := t.TempDir()
	lj := filepath.Join(dir, "logit.json")
	if _, errOut, code := runCLI(t, "", "logit", "--format", "json", "-o", lj); code != 0 {
		t.Fatalf("logit: exit %d: %s", code, errOut)
	}
	var res struct {
		Model  string `json:"model"`
		Terms  []struct{ Term string }
		Points []struct{ Cases, Controls int } `json:"points"`
	}
	runJSON(t, &res, "power", "--from", lj, "--cases", "90", "--sims", "20")
	if res.Model != "from" || len(res.Terms) != 13 || res.Points[0].Controls != 90 {
		t.Errorf("from result: %+v", res)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"models":[{"name":"m","formula":"case ~ listed","terms":[{"term":"(Intercept)","estimate":0},{"term":"nope","estimate":1}]}]}`), 0o644)
	_, errOut, code := runCLI(t, "", "power", "--from", bad, "--cases", "90", "--sims", "5")
	if code != 1 || !strings.Contains(errOut, "listed") {
		t.Errorf("mismatched logit.json: exit %d: %s", code, errOut)
	}
}

func TestPowerUsageErrors(t *testing.T) {
	base := []string{"power", "--cases", "50", "--sims", "10"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--exposure-or", "0", "--exposure-prevalence", "0.3"}, "--exposure-or 0"},
		{[]string{"--exposure-or", "-1", "--exposure-prevalence", "0.3"}, "--exposure-or -1"},
		{[]string{"--exposure-or", "NaN", "--exposure-prevalence", "0.3"}, "--exposure-or NaN"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "1"}, "--exposure-prevalence 1"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0"}, "--exposure-prevalence 0"},
		{[]string{"--exposure-or", "2"}, "go together"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "0"}, "--sims 0"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "2000000"}, "--sims 2000000"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--alpha", "1.5"}, "--alpha 1.5"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--target-power", "0"}, "--target-power 0"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "50:10:5"}, "below FROM"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "50:100"}, "FROM:TO:BY"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "a:100:10"}, "is not a count"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "10:100:0"}, "is not a count"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "1:100000:1"}, "at most"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "10:30:10", "--controls", "10:20:10"}, "as many"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--controls", "10", "--ratio", "2"}, "both given"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--ratio", "0"}, "--ratio 0"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--figure", "x.pdf"}, ".svg or .png"},
		{[]string{"--exposure-or", "2", "--exposure-prevalence", "0.3", "--model", "dgp"}, "exactly one design"},
		{[]string{"--model", "true"}, "expected dgp"},
		{nil, "exactly one design"},
	} {
		_, errOut, code := runCLI(t, "", append(base, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q (expected exit 2 and %q)", c.args, code, errOut, c.want)
		}
	}
}
