package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Synthetic data keep their notice when read back with --data: the
// embedded file byte for byte, and what `ccstudy simulate` wrote (its
// SYNTHETIC.json marker names the file's hash); a file without a
// matching marker is the user's own and gets none.
func TestSyntheticNoticeFollowsTheData(t *testing.T) {
	dir := t.TempDir()
	sim := filepath.Join(dir, "sim")
	if _, errOut, code := runCLI(t, "", "simulate", "--out-dir", sim, "--seed", "7"); code != 0 {
		t.Fatalf("simulate: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(sim, "SYNTHETIC.json")); err != nil {
		t.Fatalf("simulate wrote no marker: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(sim, "companies.csv"))
	if err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(dir, "own", "companies.csv")
	if err := os.MkdirAll(filepath.Dir(edited), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edited, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, data string
		notice     bool
	}{
		{"simulated", filepath.Join(sim, "companies.csv"), true},
		{"embedded file given with --data", testdataPath("companies.csv"), true},
		{"a copy without the marker", edited, false},
	} {
		for _, format := range []string{"table", "csv", "markdown", "html"} {
			out, errOut, code := runCLI(t, "", "logit", "--ci", "wald", "--univariable=false", "--data", c.data, "--format", format)
			if code != 0 {
				t.Fatalf("%s %s: exit %d %s", c.name, format, code, errOut)
			}
			if got := strings.Contains(out, "SYNTHETIC"); got != c.notice {
				t.Errorf("%s, --format %s: notice %v, want %v:\n%.300s", c.name, format, got, c.notice, out)
			}
		}
	}
}
