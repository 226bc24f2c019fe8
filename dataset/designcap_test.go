package dataset

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// levelsCol is a factor column named name with k levels "L0".."L(k-1)";
// row i takes level at(i).
func levelsCol(name string, k, n int, at func(i int) int) testCol {
	c := testCol{Name: name, Role: RoleCovariate}
	for l := 0; l < k; l++ {
		c.Levels = append(c.Levels, fmt.Sprintf("L%d", l))
	}
	for i := 0; i < n; i++ {
		c.Str = append(c.Str, c.Levels[at(i)])
	}
	return c
}

func outcomeCol(n int) testCol {
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(i % 2)
	}
	return testCol{Name: "case", Type: TypeInteger, Role: RoleOutcome, Num: y}
}

// TestDesignRefusesAboveCellCap: a three-way interaction of 100-level
// factors has 10^6 columns; on 300 rows that is 3e8 cells, above
// MaxDesignCells. Design must refuse before enumerating the columns (the
// test would otherwise take gigabytes) with a message that states the size
// and the limit.
func TestDesignRefusesAboveCellCap(t *testing.T) {
	n := 300
	tab := makeTable(t, "wide.csv", outcomeCol(n),
		levelsCol("f", 100, n, func(i int) int { return i % 100 }),
		levelsCol("g", 100, n, func(i int) int { return (i / 3) % 100 }),
		levelsCol("h", 100, n, func(i int) int { return (i * 7) % 100 }))
	f, err := ParseFormula("case ~ f*g*h")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Design(tab, f, DesignOptions{})
	var se *DesignSizeError
	if !errors.As(err, &se) {
		t.Fatalf("Design: %v, want a *DesignSizeError", err)
	}
	want := "f has 100 levels: the design would be 300 rows × 1000000 columns (2.4 GB); ccstudy builds dense matrices up to 2e8 cells (1.6 GB) — collapse the levels or leave f out"
	if err.Error() != want {
		t.Errorf("message\n got %s\nwant %s", err, want)
	}
	// The same factors as main effects are 298 columns: well within.
	f2, _ := ParseFormula("case ~ f + g + h")
	if _, err := Design(tab, f2, DesignOptions{}); errors.As(err, &se) {
		t.Errorf("main effects refused: %v", err)
	}
}

// TestDesignRefusesLevelPerRow: a factor with a distinct level in every
// row used cannot be estimated; the message says so instead of fitting.
// The same factor with one row of the data missing it (so fewer levels
// than rows present) is not refused by this rule.
func TestDesignRefusesLevelPerRow(t *testing.T) {
	n := 40
	tab := makeTable(t, "ids.csv", outcomeCol(n), levelsCol("f", n, n, func(i int) int { return i }))
	f, _ := ParseFormula("case ~ f")
	_, err := Design(tab, f, DesignOptions{})
	var se *DesignSizeError
	if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), "f has 40 distinct levels in the 40 rows used: a factor needs fewer levels than rows") {
		t.Fatalf("Design: %v", err)
	}
	tab2 := makeTable(t, "ids.csv", outcomeCol(n), levelsCol("f", n, n, func(i int) int { return min(i, n-2) }))
	if _, err := Design(tab2, f, DesignOptions{}); errors.As(err, &se) {
		t.Errorf("39 levels in 40 rows refused: %v", err)
	}
}

// TestIndicatorsRefusesAboveCellCap: clustering encodes every level, so
// 20000 rows and a factor of 10001 levels (plus one numeric column) is
// 2.0004e8 cells, just above MaxDesignCells; 9999 levels is below it.
func TestIndicatorsRefusesAboveCellCap(t *testing.T) {
	n := 20000
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	for _, tc := range []struct {
		k      int
		refuse bool
	}{{10001, true}, {9999, false}} {
		if !tc.refuse && testing.Short() {
			continue // builds a 1.6 GB matrix
		}
		tab := makeTable(t, "wide.csv", testCol{Name: "x", Num: x}, levelsCol("f", tc.k, n, func(i int) int { return i % tc.k }))
		_, err := Indicators(tab, []string{"x", "f"})
		var se *DesignSizeError
		if got := errors.As(err, &se); got != tc.refuse {
			t.Fatalf("%d levels: refused %v (%v), want %v", tc.k, got, err, tc.refuse)
		}
		if tc.refuse && err.Error() != "f has 10001 levels: the encoded matrix would be 20000 rows × 10002 columns (1.6 GB); ccstudy builds dense matrices up to 2e8 cells (1.6 GB) — collapse the levels or leave f out" {
			t.Errorf("message: %s", err)
		}
	}
}

func TestSci(t *testing.T) {
	for x, want := range map[float64]string{2e8: "2e8", 1.5e20: "1.5e20", 1e6: "1e6"} {
		if got := sci(x); got != want {
			t.Errorf("sci(%g) = %q, want %q", x, got, want)
		}
	}
}
