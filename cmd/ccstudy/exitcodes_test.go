package main

import (
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/analysis"
)

// TestUsageHintNamesSubcommand: a usage error of a subcommand points to
// that subcommand's help ("Run 'ccstudy logit --help'"), not the root's;
// an unknown command still points to the root's.
func TestUsageHintNamesSubcommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"logit", "--covariates", "novelt"}, "Run 'ccstudy logit --help' for usage."},
		{[]string{"describe", "--by", "nope"}, "Run 'ccstudy describe --help' for usage."},
		{[]string{"subgroup", "--by", "dev_years"}, "Run 'ccstudy subgroup --help' for usage."},
		{[]string{"frobnicate"}, "Run 'ccstudy --help' for usage."},
	} {
		_, stderr, code := runCLI(t, "", tc.args...)
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		if code != exitUsage || lines[len(lines)-1] != tc.hint {
			t.Errorf("ccstudy %s: exit %d, stderr %q; want exit 2 ending %q", strings.Join(tc.args, " "), code, stderr, tc.hint)
		}
	}
}

// TestPowerCurveWithFixedControls: --cases FROM:TO:BY with one --controls
// number keeps the controls fixed along the curve (it used to be refused
// with "1 values"); lists of different lengths are still refused, saying
// what is expected.
func TestPowerCurveWithFixedControls(t *testing.T) {
	var res analysis.PowerResult
	runJSON(t, &res, "power", "--cases", "50:150:50", "--controls", "100", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "20")
	if len(res.Points) != 3 {
		t.Fatalf("%d points, want 3", len(res.Points))
	}
	for i, p := range res.Points {
		if p.Cases != 50*(i+1) || p.Controls != 100 || p.Sims != 20 {
			t.Errorf("point %d: %d cases, %d controls, %d sims; want %d, 100, 20", i, p.Cases, p.Controls, p.Sims, 50*(i+1))
		}
	}
	_, stderr, code := runCLI(t, "", "power", "--cases", "50:100:50", "--controls", "100:300:50", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--sims", "20")
	if want := "ccstudy: --controls 100:300:50 gives 5 numbers of controls for the 2 of --cases 50:100:50 (expected one, fixed along the curve, or as many; or use --ratio)"; code != exitUsage || !strings.HasPrefix(stderr, want) {
		t.Errorf("mismatched lists: exit %d, stderr %q", code, stderr)
	}
}
