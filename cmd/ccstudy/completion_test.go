package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/render"
)

// completions runs cobra's __complete for args and returns the offered
// values and the directive line.
func completions(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	out, errOut, code := runCLI(t, "", append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %v: exit %d: %s", args, code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

// TestCompletionFromSchema: variable flags complete with the schema's
// fields (the embedded one, or --schema on the line), VAR=LEVEL flags
// with the categories, comma lists item by item, subgroup SPECs with
// @median; global flags with their closed sets; --sheet with the sheets
// of the --data workbook.
func TestCompletionFromSchema(t *testing.T) {
	pima := testdataPath("foreign/pima/pima.schema.json")
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "p.xlsx")
	writeXLSX(t, xlsx, pimaRecords(t))
	for _, c := range []struct {
		args []string
		want []string
		dir  string
	}{
		{[]string{"logit", "--ref", "company_"}, []string{"company_type="}, ":6"},
		{[]string{"logit", "--ref", "company_type=b"}, []string{"company_type=biotech"}, ":4"},
		{[]string{"describe", "--vars", "dev_years,f"}, []string{"dev_years,founded_year", "dev_years,founder_background", "dev_years,first_overseas_year"}, ":6"},
		{[]string{"describe", "--by", "lis"}, []string{"listed"}, ":4"},
		{[]string{"subgroup", "--by", "dev_years@"}, []string{"dev_years@median"}, ":4"},
		{[]string{"subgroup", "--exposure", "novelty=f"}, []string{"novelty=fast_follow", "novelty=first_in_class"}, ":4"},
		{[]string{"logit", "--schema", pima, "--strata", "g"}, []string{"glu"}, ":4"},
		{[]string{"logit", "--schema", pima, "--covariates", "bmi,a"}, []string{"bmi,age"}, ":6"},
		{[]string{"cluster", "--schema", filepath.Join(dir, "none.json"), "--vars", ""}, nil, ":4"},
		{[]string{"logit", "--format", ""}, render.Formats, ":4"}, // the shell filters by prefix
		{[]string{"logit", "--lang", ""}, []string{"en", "zh"}, ":4"},
		{[]string{"validate", "--data", xlsx, "--sheet", ""}, []string{"Notes", "Pima"}, ":4"},
	} {
		got, dir := completions(t, c.args...)
		if strings.Join(got, "|") != strings.Join(c.want, "|") || dir != c.dir {
			t.Errorf("__complete %q = %q %s, want %q %s", c.args, got, dir, c.want, c.dir)
		}
	}
}
