package main

import (
	"encoding/json"
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
