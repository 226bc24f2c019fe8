package main

import (
	"runtime"
	"strings"
	"testing"
)

// TestPowerLRJSON: --test lr reports one row per term, keyed by the term
// label with its df, and says which test in "test" and the method.
func TestPowerLRJSON(t *testing.T) {
	var res struct {
		Test   string `json:"test"`
		Method string `json:"method"`
		Terms  []struct {
			Term    string   `json:"term"`
			LogOR   *float64 `json:"true_log_or"`
			DF      int      `json:"df"`
			Columns []struct {
				Term string `json:"term"`
			} `json:"columns"`
		} `json:"terms"`
		Points []struct {
			Factors []struct {
				Term    string `json:"term"`
				DF      int    `json:"df"`
				Reduced *int   `json:"failed_reduced_fit"`
			} `json:"factors"`
		} `json:"points"`
	}
	runJSON(t, &res, "power", "--model", "dgp", "--sims", "10", "--test", "lr")
	if res.Test != "lr" || !strings.Contains(res.Method, "likelihood-ratio test") || len(res.Terms) != 11 {
		t.Fatalf("test %q, method %q, %d terms", res.Test, res.Method, len(res.Terms))
	}
	byTerm := map[string]int{}
	for i, tm := range res.Terms {
		byTerm[tm.Term] = i
	}
	nov, ok := byTerm["novelty"]
	if !ok || res.Terms[nov].DF != 2 || res.Terms[nov].LogOR != nil || len(res.Terms[nov].Columns) != 2 {
		t.Errorf("novelty term: %+v", res.Terms)
	}
	f := res.Points[0].Factors[nov]
	if f.Term != "novelty" || f.DF != 2 || f.Reduced == nil {
		t.Errorf("novelty row: %+v", f)
	}
	var firth struct {
		Test        string `json:"test"`
		FailureRule string `json:"failure_rule"`
	}
	runJSON(t, &firth, "power", "--exposure-or", "3", "--exposure-prevalence", "0.2", "--cases", "30", "--sims", "20", "--test", "firth-lr")
	if firth.Test != "firth-lr" || !strings.Contains(firth.FailureRule, "Firth") {
		t.Errorf("firth-lr: %+v", firth)
	}
}

// TestPowerWaldHasNoTermFields: the default stays the per-coefficient
// Wald output, without the fields of the LR tests.
func TestPowerWaldHasNoTermFields(t *testing.T) {
	out, errOut, code := runCLI(t, "", "power", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "40", "--sims", "20", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, key := range []string{`"df"`, `"columns"`, `"failed_reduced_fit"`} {
		if strings.Contains(out, key) {
			t.Errorf("wald JSON has %s", key)
		}
	}
	if !strings.Contains(out, `"test": "wald"`) {
		t.Error(`wald JSON lacks "test": "wald"`)
	}
}

func TestPowerTestFlag(t *testing.T) {
	_, errOut, code := runCLI(t, "", "power", "--model", "dgp", "--sims", "5", "--test", "score")
	if code != 2 || !strings.Contains(errOut, "expected one of wald, lr, firth-lr") {
		t.Errorf("--test score: exit %d: %s", code, errOut)
	}
	out, _, code := runCLI(t, "", "__complete", "power", "--test", "")
	if code != 0 || !strings.Contains(out, "wald\nlr\nfirth-lr\n") {
		t.Errorf("completion of --test: exit %d: %q", code, out)
	}
	// The tidy table carries the df of each term.
	csv, errOut, code := runCLI(t, "", "power", "--exposure-or", "2", "--exposure-prevalence", "0.3", "--cases", "40", "--sims", "20", "--test", "lr", "--format", "csv")
	if code != 0 || !strings.Contains(csv, "cases,controls,term,label,df,true_log_or,power,mc_se") || !strings.Contains(csv, "40,40,exposure,exposure,1,") {
		t.Errorf("lr CSV: exit %d: %s\n%s", code, errOut, csv)
	}
}

// TestPowerLRDeterministic: both LR tests give the same bytes at
// GOMAXPROCS 1, 2 and 8.
func TestPowerLRDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, test := range []string{"lr", "firth-lr"} {
		var first string
		for _, procs := range []int{1, 2, 8} {
			runtime.GOMAXPROCS(procs)
			out, errOut, code := runCLI(t, "", "power", "--model", "dgp", "--cases", "60", "--sims", "16", "--test", test, "--format", "json")
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", test, code, errOut)
			}
			if first == "" {
				first = out
			} else if out != first {
				t.Errorf("%s: GOMAXPROCS %d gives other bytes", test, procs)
			}
		}
	}
}
