package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy"
)

// TestSimulateZeroIsAValue: --seed 0 is seed 0 (not the embedded data's
// seed), and --cases 0 / --controls 0 are usage errors, not 90.
func TestSimulateZeroIsAValue(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := runCLI(t, "", "simulate", "--seed", "0", "--out-dir", dir); code != 0 || !strings.Contains(errOut, "seed 0") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got, err := os.ReadFile(filepath.Join(dir, "companies.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, ccstudy.CompaniesCSV) {
		t.Error("--seed 0 wrote the embedded (seed 20211) data")
	}
	for _, args := range [][]string{{"--cases", "0"}, {"--controls", "0"}, {"--population", "10"}, {"--products", "all"}} {
		_, errOut, code := runCLI(t, "", append([]string{"simulate", "--out-dir", t.TempDir()}, args...)...)
		if code != 2 || !strings.Contains(errOut, args[0]) {
			t.Errorf("%v: exit %d, %q (want a usage error naming %s)", args, code, errOut, args[0])
		}
	}
}

// TestSimulateProductsNone writes companies.csv only.
func TestSimulateProductsNone(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := runCLI(t, "", "simulate", "--products", "none", "--cases", "100", "--controls", "120", "--out-dir", dir, "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "products.csv")); err == nil {
		t.Error("--products none wrote products.csv")
	}
	b, err := os.ReadFile(filepath.Join(dir, "companies.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("\n")); n != 1+220 {
		t.Errorf("companies.csv has %d lines, want a header and 220 rows", n)
	}
}
