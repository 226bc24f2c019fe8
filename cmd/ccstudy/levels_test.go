package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// writeWide writes reftest.WideStudy (n rows, f with k levels; with
// noCases every row is a control) to a temporary folder and returns the
// --data and --schema paths.
func writeWide(t *testing.T, n, k int, noCases bool) (string, string) {
	t.Helper()
	cases := -1
	if noCases {
		cases = 0
	}
	sb, csv := reftest.WideStudy(n, k, cases)
	dir := t.TempDir()
	data, sch := filepath.Join(dir, "wide.csv"), filepath.Join(dir, "wide.schema.json")
	if err := os.WriteFile(data, csv, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sch, sb, 0o644); err != nil {
		t.Fatal(err)
	}
	return data, sch
}

// TestManyLevelsRefusedByEveryCommand: a categorical field with a level
// per row (20000 levels here, 10^5 in the bug report) made logit, cluster,
// subgroup and describe allocate gigabytes and die with a goroutine dump.
// Each now refuses at once with a stated limit and its exit code.
func TestManyLevelsRefusedByEveryCommand(t *testing.T) {
	data, sch := writeWide(t, 20000, 20000, false)
	for _, tc := range []struct {
		args  []string
		code  int
		first string
	}{
		{[]string{"logit"}, 1, "ccstudy: f has 20000 levels: the design would be 20000 rows × 20001 columns (3.2 GB); ccstudy builds dense matrices up to 2e8 cells (1.6 GB) — collapse the levels or leave f out"},
		{[]string{"logit", "--formula", "case ~ x + f"}, 1, "ccstudy: f has 20000 levels: the design would be 20000 rows × 20001 columns (3.2 GB)"},
		{[]string{"cluster"}, 1, "ccstudy: f has 20000 levels: clustering gives each level a column of its own, and ccstudy clusters categorical variables of up to 50 levels"},
		{[]string{"subgroup", "--by", "f"}, 2, `ccstudy: --by "f": f has 20000 levels: subgroup splits into at most 100 strata (one model each)`},
		{[]string{"describe"}, 1, "ccstudy: f has 20000 levels: Table 1 lists at most 1000 levels of a variable (one row each) — collapse the levels, or leave f out with --vars"},
		{[]string{"describe", "--by", "f", "--vars", "x"}, 2, "ccstudy: --by f has 20000 levels: Table 1 compares at most 50 groups"},
	} {
		args := append(tc.args, "--data", data, "--schema", sch)
		_, stderr, code := runCLI(t, "", args...)
		first, _, _ := strings.Cut(stderr, "\n")
		if code != tc.code || !strings.HasPrefix(first, tc.first) || strings.Contains(stderr, "goroutine") {
			t.Errorf("ccstudy %s: exit %d, want %d; stderr first line\n %s\nwant prefix\n %s", strings.Join(tc.args, " "), code, tc.code, first, tc.first)
		}
	}
}

// TestLevelPerRowAndNoCases: a small factor with a level in every row is
// refused by logit with the reason (not fitted into 40 infinite
// coefficients), and describe on data without cases says that nothing can
// be compared and exits 1 (it used to exit 0 without a word).
func TestLevelPerRowAndNoCases(t *testing.T) {
	data, sch := writeWide(t, 40, 40, false)
	_, stderr, code := runCLI(t, "", "logit", "--data", data, "--schema", sch)
	if want := "ccstudy: f has 40 distinct levels in the 40 rows used: a factor needs fewer levels than rows"; code != 1 || !strings.HasPrefix(stderr, want) {
		t.Errorf("logit: exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
	data, sch = writeWide(t, 60, 3, true)
	out, stderr, code := runCLI(t, "", "describe", "--data", data, "--schema", sch)
	if want := "ccstudy: nothing to compare: all 60 rows are controls and none cases"; code != 1 || !strings.HasPrefix(stderr, want) || out != "" {
		t.Errorf("describe without cases: exit %d, stdout %q, stderr %q; want 1 and %q", code, out, stderr, want)
	}
}
