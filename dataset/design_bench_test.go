package dataset

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// normalTable is an n-row table like bench/logit1e6.schema.json's: a 0/1
// outcome y and k standard-normal covariates X1..Xk, drawn from a seeded
// PCG. It is built in Go so that a benchmark measures the design alone,
// not the loader.
func normalTable(tb testing.TB, n, k int, seed uint64) *Table {
	rng := rand.New(rand.NewPCG(seed, 2))
	cols := make([]testCol, k+1)
	cols[0] = testCol{Name: "y", Type: TypeInteger, Role: RoleOutcome, Num: make([]float64, n)}
	for i := range cols[0].Num {
		cols[0].Num[i] = float64(rng.IntN(2))
	}
	for j := 1; j <= k; j++ {
		c := testCol{Name: fmt.Sprintf("X%d", j), Role: RoleCovariate, Num: make([]float64, n)}
		for i := range c.Num {
			c.Num[i] = rng.NormFloat64()
		}
		cols[j] = c
	}
	return makeTable(tb, "normal.csv", cols...)
}

// BenchmarkDesign1e6 builds the two kinds of design that `ccstudy logit
// --ci wald` builds on the 10^6-row benchmark file: the adjusted model
// (intercept and 9 covariates) and a crude model (intercept and one).
func BenchmarkDesign1e6(b *testing.B) {
	tab := normalTable(b, 1_000_000, 9, 1)
	for _, bc := range []struct{ name, formula string }{
		{"full", "y ~ X1 + X2 + X3 + X4 + X5 + X6 + X7 + X8 + X9"},
		{"crude", "y ~ X1"},
	} {
		f, err := ParseFormula(bc.formula)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Design(tab, f, DesignOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDesignAllocations bounds what Design allocates on a table with no
// missing value: X and its transpose for the alias check (n×p each), the
// rows and the outcome (n each), and a little for names and the small
// factor (1 MB allowed, for the race detector's own): nothing per row or
// per block (one float a row would be 3.2 MB more).
func TestDesignAllocations(t *testing.T) {
	const n = 400_000
	tab := normalTable(t, n, 9, 5)
	for _, fs := range []string{"y ~ X1 + X2 + X3 + X4 + X5 + X6 + X7 + X8 + X9", "y ~ X1"} {
		f, err := ParseFormula(fs)
		if err != nil {
			t.Fatal(err)
		}
		p := len(f.Terms) + 1
		var derr error
		got := reftest.AllocatedBytes(func() { _, derr = Design(tab, f, DesignOptions{}) })
		if derr != nil {
			t.Fatal(derr)
		}
		if most := uint64(8*(2*n*p+2*n) + 1<<20); got > most {
			t.Errorf("%s: Design allocated %d bytes, want at most %d", fs, got, most)
		}
	}
}
