package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestSubgroupSummaryLabelsAndLanguage: the multiplicity summary under
// the ranking names terms and splits by their labels, in --lang (it was
// English with codes, left open at stop 21); JSON summary keeps the
// English with codes for scripts.
func TestSubgroupSummaryLabelsAndLanguage(t *testing.T) {
	out, errOut, code := runCLI(t, "", "subgroup")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Multiplicity family:") || !strings.Contains(out, "Company type × Founder background (kept: Founder background × Company type)") {
		t.Errorf("English summary lacks the labelled duplicates:\n%s", out)
	}
	zh, _, code := runCLI(t, "", "subgroup", "--lang", "zh")
	if code != 0 || !strings.Contains(zh, "多重检验族：") || strings.Contains(zh, "Multiplicity family") {
		t.Errorf("--lang zh summary not in Chinese (exit %d)", code)
	}
	js, _, _ := runCLI(t, "", "subgroup", "--lang", "zh", "--format", "json")
	var res struct{ Summary []string }
	if err := json.Unmarshal([]byte(js), &res); err != nil || len(res.Summary) == 0 ||
		!strings.HasPrefix(res.Summary[len(res.Summary)-1], "Multiplicity family:") || !strings.Contains(res.Summary[len(res.Summary)-1], "company_type × founder_background") {
		t.Errorf("JSON summary (err %v): %q", err, res.Summary)
	}
}

// TestSubgroupExposureIsTheSplit: an exposure stratified by its own
// variable has no stratified OR; the table says so by name instead of
// claiming there is no 0/1 covariate (found on carData's TitanicSurvival,
// `--by sex --exposure sex=female`), and JSON lists the pair.
func TestSubgroupExposureIsTheSplit(t *testing.T) {
	out, errOut, code := runCLI(t, "", "subgroup", "--by", "listed", "--exposure", "listed=1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Not stratified by its own variable (constant within each stratum): Listed by Listed") || strings.Contains(out, "No 0/1 covariate in the model") {
		t.Errorf("the skipped pair is not named:\n%s", out)
	}
	js, _, _ := runCLI(t, "", "subgroup", "--by", "listed", "--format", "json")
	var res struct {
		Skipped []struct{ Exposure, By string } `json:"mantel_haenszel_skipped"`
	}
	if err := json.Unmarshal([]byte(js), &res); err != nil || len(res.Skipped) != 1 || res.Skipped[0].Exposure != "listed" || res.Skipped[0].By != "listed" {
		t.Errorf("JSON mantel_haenszel_skipped = %+v (%v)", res.Skipped, err)
	}
}

// TestSubgroupExposureBinaryLevels: --exposure VAR=1 of a 0/1 variable is
// VAR itself and VAR=0 takes the 0 rows as exposed (its MH OR is the
// reciprocal); other levels are a usage error that says which are valid.
func TestSubgroupExposureBinaryLevels(t *testing.T) {
	mhOR := func(args ...string) map[string]float64 {
		js, errOut, code := runCLI(t, "", append([]string{"subgroup", "--by", "company_type", "--format", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var res struct {
			MH []struct {
				Exposure string
				ORMH     *float64 `json:"or_mh"`
			} `json:"mantel_haenszel"`
		}
		if err := json.Unmarshal([]byte(js), &res); err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, m := range res.MH {
			if m.ORMH != nil {
				out[m.Exposure] = *m.ORMH
			}
		}
		return out
	}
	one, zero := mhOR("--exposure", "listed=1"), mhOR("--exposure", "listed=0")
	if len(one) != len(mhOR()) {
		t.Errorf("listed=1 added a row: %v", one)
	}
	if a, b := one["listed"], zero["listed=0"]; a == 0 || b == 0 || math.Abs(a*b-1) > 1e-12 {
		t.Errorf("MH OR of listed %v and of listed=0 %v: want reciprocals", a, b)
	}
	if _, errOut, code := runCLI(t, "", "subgroup", "--by", "company_type", "--exposure", "listed=2"); code != 2 || !strings.Contains(errOut, "listed is a 0/1 variable (expected listed, listed=1 or listed=0)") {
		t.Errorf("listed=2: exit %d: %s", code, errOut)
	}
}

// TestSubgroupBooleanSplitSpelledAsData: a yes/no field splits into
// strata named by its own spellings ("participation = no / = yes", as
// the CSV says), not 0/1 (found on AER's HMDA data); a 0/1 integer
// field keeps 0 and 1.
func TestSubgroupBooleanSplitSpelledAsData(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "foreign", "programeffectiveness")
	out, errOut, code := runCLI(t, "", "subgroup", "--data", filepath.Join(dir, "programeffectiveness.csv"),
		"--schema", filepath.Join(dir, "programeffectiveness.inferred.schema.json"), "--by", "participation", "--method", "firth")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "participation = no vs participation = yes") || strings.Contains(out, "participation = 0") {
		t.Errorf("boolean strata not named as the data spells them:\n%s", out)
	}
	ref, _, _ := runCLI(t, "", "subgroup", "--by", "listed")
	if !strings.Contains(ref, "Listed = 0 vs Listed = 1") {
		t.Errorf("0/1 strata lost their 0 and 1:\n%s", ref)
	}
}
