package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDescribeFlags: the flags reach the options describe computes with.
func TestDescribeFlags(t *testing.T) {
	o, err := parseOnly(t, NewCmdDescribe, "--by", "listed", "--vars", "novelty,dev_years", "--nonnormal", "dev_years")
	if err != nil {
		t.Fatal(err)
	}
	if o.By != "listed" || strings.Join(o.Vars, "|") != "novelty|dev_years" || strings.Join(o.Nonnormal, "|") != "dev_years" {
		t.Errorf("describe options %+v", o.DescribeOptions)
	}
}

// TestDescribeBadInput: options naming what the data lacks, or a --by
// variable that is neither binary nor categorical (as subgroup --by on a
// continuous one), are usage errors (exit 2); a membership file that
// cannot be read is the data's (exit 1).
func TestDescribeBadInput(t *testing.T) {
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"describe", "--vars", "novelt"}, 2, `unknown variable "novelt" in --vars (valid: case, company_type`},
		{[]string{"describe", "--by", "company_id"}, 2, "--by company_id: grouping variable company_id is not binary or categorical"},
		{[]string{"describe", "--members", "m.csv"}, 2, "--members groups Table 1 by cluster: use it with --by cluster"},
		{[]string{"describe", "--by", "cluster"}, 2, "--by cluster needs --members FILE"},
		{[]string{"describe", "--by", "cluster", "--members", "/nonexistent/m.csv"}, 1, "/nonexistent/m.csv"},
		{[]string{"describe", "--by", "dev_years"}, 2, "ccstudy: --by dev_years: dev_years is continuous (embedded:2 has 10): expected a binary (0/1) or categorical variable"},
		{[]string{"describe", "--vars", "dev_yeers"}, 2, "did you mean dev_years?"},
		{[]string{"describe", "--by", "novelti"}, 2, "did you mean novelty?"},
		{[]string{"describe", "--by", "nope"}, 2, `unknown --by variable "nope"`},
		{[]string{"describe", "--nonnormal", "novelty"}, 2, "novelty is categorical"},
	}
	for _, c := range cases {
		_, errOut, code := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("ccstudy %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, errOut, c.code, c.msg)
		}
	}
}

// TestDescribeSingleLevelAndZeroVariance: a variable with one level, and
// a constant continuous variable, get a stated reason instead of NaN.
func TestDescribeSingleLevelAndZeroVariance(t *testing.T) {
	csv := "id,y,g,k\n1,0,a,5\n2,0,a,5\n3,1,a,5\n4,1,a,5\n"
	schema := `{"fields":[{"name":"id","type":"string","role":"id"},{"name":"y","type":"integer","role":"outcome"},
	{"name":"g","type":"string","categories":["a","b"]},{"name":"k","type":"number"}]}`
	dir := t.TempDir()
	sp := dir + "/s.json"
	if err := writeFile(sp, schema); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, csv, "describe", "--data", "-", "--schema", sp)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The test column says why, the notes give the reason, the summaries stand.
	for _, want := range []string{"g: no test: only one level observed", "k: no test:", "│ —       │", "4 (100.0%)", "5.00"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Errorf("output shows NaN:\n%s", out)
	}
	var res struct {
		Table1 []struct {
			Variable string `json:"variable"`
			Status   string `json:"status"`
			Note     string `json:"note"`
		} `json:"table1"`
	}
	out, errOut, code = runCLI(t, csv, "describe", "--data", "-", "--schema", sp, "--format", "json")
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	notComputed := 0
	for _, r := range res.Table1 {
		if r.Status == "not computed" && strings.HasPrefix(r.Note, "no test: ") {
			notComputed++
		}
	}
	if notComputed != 2 {
		t.Errorf("%d rows marked not computed with a reason, expected 2 (g and k): %+v", notComputed, res.Table1)
	}
}
