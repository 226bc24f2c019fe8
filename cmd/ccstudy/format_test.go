package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFmtNumLargeMagnitudes: descriptive statistics of values near the
// largest double are printed in scientific notation, not as a 309-digit
// number (h-bad found a Table 1 cell of that width); ordinary magnitudes
// keep the journal's fixed decimals.
func TestFmtNumLargeMagnitudes(t *testing.T) {
	for x, want := range map[float64]string{
		4.1666666666666664e307: "4.167e+307",
		-1.5e308:               "-1.500e+308",
		1e15:                   "1.000e+15",
		999999999999999:        "999999999999999.0",
		123.456:                "123.5",
		-3.14159:               "-3.14",
	} {
		if got := fmtNum(x); got != want {
			t.Errorf("fmtNum(%g) = %q, want %q", x, got, want)
		}
	}
}

// TestDescribeHugeValuesStayNarrow: Table 1 of a variable with values
// near 1e308 fits a terminal line per cell.
func TestDescribeHugeValuesStayNarrow(t *testing.T) {
	dir := t.TempDir()
	data, schema := filepath.Join(dir, "big.csv"), filepath.Join(dir, "big.schema.json")
	if err := writeFile(data, "case,x\n1,1e308\n1,1.5e308\n0,1e308\n0,-1e308\n1,2\n0,3\n"); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(schema, `{"fields": [{"name": "case", "type": "integer", "role": "outcome"}, {"name": "x", "type": "number", "role": "covariate"}]}`); err != nil {
		t.Fatal(err)
	}
	out, errb, code := runCLI(t, "", "describe", "--data", data, "--schema", schema)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "x, mean (SD)") && len([]rune(l)) > 160 {
			t.Errorf("Table 1 row of %d characters: %q", len([]rune(l)), l)
		}
	}
	if !strings.Contains(out, "8.333e+307") {
		t.Errorf("cases' mean not in scientific notation:\n%s", out)
	}
}
