package dataset

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// sameDesign reports how two Design results differ ("" when they do
// not): every float of X and Y by its bits, the names, assignment,
// groups, rows, exclusions, missing counts, the level cells, and the
// error's type and text (an AliasError field by field).
func sameDesign(a *DesignMatrix, aerr error, b *DesignMatrix, berr error) string {
	if (aerr == nil) != (berr == nil) {
		return fmt.Sprintf("error %v, want %v", aerr, berr)
	}
	if aerr != nil {
		if aerr.Error() != berr.Error() || reflect.TypeOf(aerr) != reflect.TypeOf(berr) {
			return fmt.Sprintf("error %T %q, want %T %q", aerr, aerr, berr, berr)
		}
		var x, y *AliasError
		if errors.As(aerr, &x) != errors.As(berr, &y) || (x != nil && !reflect.DeepEqual(x, y)) {
			return fmt.Sprintf("alias error %+v, want %+v", x, y)
		}
	}
	if (a == nil) != (b == nil) {
		return fmt.Sprintf("matrix %v, want %v", a != nil, b != nil)
	}
	if a == nil {
		return ""
	}
	ar, ac := a.X.Dims()
	br, bc := b.X.Dims()
	if ar != br || ac != bc {
		return fmt.Sprintf("X is %d×%d, want %d×%d", ar, ac, br, bc)
	}
	for i := 0; i < ar; i++ {
		for j := 0; j < ac; j++ {
			if x, y := a.X.At(i, j), b.X.At(i, j); math.Float64bits(x) != math.Float64bits(y) {
				return fmt.Sprintf("X[%d,%d] = %v, want %v", i, j, x, y)
			}
		}
	}
	if !slices.EqualFunc(a.Y, b.Y, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }) {
		return "Y differs"
	}
	switch {
	case !slices.Equal(a.Names, b.Names):
		return fmt.Sprintf("names %q, want %q", a.Names, b.Names)
	case !slices.Equal(a.Assign, b.Assign):
		return fmt.Sprintf("assign %v, want %v", a.Assign, b.Assign)
	case !slices.Equal(a.Groups, b.Groups):
		return fmt.Sprintf("groups %q, want %q", a.Groups, b.Groups)
	case !slices.Equal(a.Rows, b.Rows) || (a.Rows == nil) != (b.Rows == nil):
		return fmt.Sprintf("rows %v, want %v", a.Rows, b.Rows)
	case !slices.Equal(a.Excluded, b.Excluded) || (a.Excluded == nil) != (b.Excluded == nil):
		return fmt.Sprintf("excluded %v, want %v", a.Excluded, b.Excluded)
	case !slices.Equal(a.MissingByVar, b.MissingByVar) || (a.MissingByVar == nil) != (b.MissingByVar == nil):
		return fmt.Sprintf("missing by var %v, want %v", a.MissingByVar, b.MissingByVar)
	case a.Outcome != b.Outcome:
		return fmt.Sprintf("outcome %q, want %q", a.Outcome, b.Outcome)
	case !reflect.DeepEqual(a.cells, b.cells):
		return "cells differ"
	}
	return ""
}

// randomDesignTable is an n-row table meant to reach every branch of
// Design: a 0/1 outcome (now and then a 2, a missing value or a
// two-level factor), numeric columns with missing values, unflagged NaN
// and ±Inf, zeros and negatives (for log), a column that is twice
// another, a sum of two, a constant and an all-zero one, and factors
// with 2–4 levels of which some may be empty. Many values repeat
// (ties). It returns the table and the names usable in a formula.
func randomDesignTable(tb testing.TB, rng *rand.Rand, n int) (*Table, []string, []string) {
	p := func(x float64) bool { return rng.Float64() < x }
	missRate := []float64{0, 0, 0.01, 0.2}[rng.IntN(4)]
	num := func(name string, draw func() float64) testCol {
		c := testCol{Name: name, Role: RoleCovariate, Num: make([]float64, n)}
		for i := range c.Num {
			c.Num[i] = draw()
			if p(missRate) {
				c.Num[i] = math.NaN()
			}
		}
		return c
	}
	fac := func(name string, k int) testCol {
		levels := make([]string, k)
		for l := range levels {
			levels[l] = fmt.Sprintf("%s%d", name, l)
		}
		// Draw from a prefix of the levels now and then, so that some
		// levels are empty.
		used := k
		if p(0.3) {
			used = 1 + rng.IntN(k)
		}
		c := testCol{Name: name, Role: RoleCovariate, Levels: levels, Str: make([]string, n)}
		for i := range c.Str {
			c.Str[i] = levels[rng.IntN(used)]
			if p(missRate) {
				c.Str[i] = ""
			}
		}
		return c
	}
	var cols []testCol
	if p(0.1) {
		y := fac("y", 2)
		y.Role = RoleOutcome
		cols = append(cols, y)
	} else {
		y := testCol{Name: "y", Type: TypeInteger, Role: RoleOutcome, Num: make([]float64, n)}
		one := 0.1 + 0.8*rng.Float64()
		for i := range y.Num {
			if p(one) {
				y.Num[i] = 1
			}
			if p(missRate / 2) {
				y.Num[i] = math.NaN()
			}
		}
		if n > 0 && p(0.05) {
			y.Num[rng.IntN(n)] = 2
		}
		cols = append(cols, y)
	}
	ties := float64(1 + rng.IntN(5))
	a := num("a", func() float64 { return rng.NormFloat64() })
	b := num("b", func() float64 { return math.Round(ties*rng.NormFloat64()) / ties })
	pos := num("pos", func() float64 { return math.Exp(3 * rng.NormFloat64()) })
	if n > 0 && p(0.05) {
		pos.Num[rng.IntN(n)] = []float64{0, -1, math.Inf(1)}[rng.IntN(3)]
	}
	twice := testCol{Name: "twice", Role: RoleCovariate, Num: make([]float64, n)}
	sum := testCol{Name: "sum", Role: RoleCovariate, Num: make([]float64, n)}
	for i := range twice.Num {
		twice.Num[i] = 2 * a.Num[i]
		sum.Num[i] = a.Num[i] + b.Num[i]
	}
	cst := num("cst", func() float64 { return 3 })
	zero := num("zero", func() float64 { return 0 })
	cols = append(cols, a, b, pos, twice, sum, cst, zero,
		fac("f2", 2), fac("f3", 3), fac("f4", 4))
	tab := makeTable(tb, "rand.csv", cols...)
	// Unflagged NaN and ±Inf, which Design must reject.
	if n > 0 && p(0.05) {
		c := tab.Columns[1+rng.IntN(2)]
		i := rng.IntN(n)
		c.Num[i], c.Missing[i] = []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[rng.IntN(3)], false
	}
	return tab, []string{"a", "b", "pos", "twice", "sum", "cst", "zero", "f2", "f3", "f4"}, []string{"f2", "f3", "f4"}
}

// bitTrials is how many random designs a comparison with the old path
// checks: full, or fewer under -short and -race, where the full count
// takes seconds (tens of seconds under -race).
func bitTrials(full, fewer int) int {
	if testing.Short() || raceEnabled {
		return fewer
	}
	return full
}

// randomFormula draws a formula over vars: main effects, log(pos),
// two- and three-way interactions, a*b, and now and then no intercept.
func randomFormula(rng *rand.Rand, vars []string) string {
	k := 1 + rng.IntN(5)
	terms := make([]string, 0, k)
	for range k {
		v := func() string {
			s := vars[rng.IntN(len(vars))]
			if s == "pos" && rng.IntN(2) == 0 {
				return "log(pos)"
			}
			return s
		}
		switch rng.IntN(6) {
		case 0:
			terms = append(terms, v()+":"+v())
		case 1:
			terms = append(terms, v()+"*"+v())
		case 2:
			terms = append(terms, v()+":"+v()+":"+v())
		default:
			terms = append(terms, v())
		}
	}
	s := "y ~ " + strings.Join(terms, " + ")
	if rng.IntN(6) == 0 {
		s += " - 1"
	}
	return s
}

// TestDesignBitsMatchOld compares Design with designOld (the code before
// issue 14) on random tables and formulas, tiny to medium, and on one
// 10^6-row table: the same matrix bits, rows, exclusions, counts and
// errors.
func TestDesignBitsMatchOld(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 6))
	sizes := []int{0, 1, 2, 3, 4, 5, 8, 13, 40, 200, 1000, 5000}
	kinds := map[string]int{}
	trials := bitTrials(5000, 1000)
	for trial := range trials {
		n := sizes[rng.IntN(len(sizes))]
		tab, vars, factors := randomDesignTable(t, rng, n)
		fs := randomFormula(rng, vars)
		f, err := ParseFormula(fs)
		if err != nil {
			continue
		}
		var opts DesignOptions
		if rng.IntN(4) == 0 {
			fv := factors[rng.IntN(len(factors))]
			c, _ := tab.Col(fv)
			opts.Ref = map[string]string{fv: c.Field.CategoryNames()[rng.IntN(len(c.Field.Categories))]}
			if rng.IntN(10) == 0 {
				opts.Ref = map[string]string{"a": "1"}
			}
		}
		got, gerr := Design(tab, f, opts)
		want, werr := designOld(tab, f, opts)
		if d := sameDesign(got, gerr, want, werr); d != "" {
			t.Fatalf("trial %d, n = %d, %s, ref %v: %s", trial, n, fs, opts.Ref, d)
		}
		kind := "ok"
		var aerr *AliasError
		switch {
		case errors.As(werr, &aerr):
			kind = "aliased"
		case werr != nil:
			kind = "error"
		}
		kinds[kind]++
	}
	// The draws must reach each outcome often, or the test proves little.
	for _, k := range []string{"ok", "aliased", "error"} {
		if kinds[k] < trials/50 {
			t.Errorf("only %d of the trials gave %s: %v", kinds[k], k, kinds)
		}
	}
	t.Logf("outcomes: %v", kinds)
}

// TestDesignBitsMatchOldParallel is TestDesignBitsMatchOld on tables
// large enough for the checks and the fill to run in parallel, and with
// more rare values (unflagged NaN and ±Inf, log of 0, an outcome of 2),
// so that the error of the first failing check is compared.
func TestDesignBitsMatchOldParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 8))
	kinds := map[string]int{}
	trials := bitTrials(80, 24)
	for trial := range trials {
		n := parallelRows + rng.IntN(5000)
		tab, vars, _ := randomDesignTable(t, rng, n)
		for range rng.IntN(3) {
			// A numeric column: a factor's codes are valid levels as loaded.
			c := tab.Columns[rng.IntN(7)]
			i := rng.IntN(n)
			c.Num[i], c.Missing[i] = []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, -1, 2}[rng.IntN(6)], false
		}
		fs := randomFormula(rng, vars)
		f, err := ParseFormula(fs)
		if err != nil {
			continue
		}
		got, gerr := Design(tab, f, DesignOptions{})
		want, werr := designOld(tab, f, DesignOptions{})
		if d := sameDesign(got, gerr, want, werr); d != "" {
			t.Fatalf("trial %d, n = %d, %s: %s", trial, n, fs, d)
		}
		var aerr *AliasError
		switch {
		case werr == nil:
			kinds["ok"]++
		case errors.As(werr, &aerr):
			kinds["aliased"]++
		default:
			kinds["error"]++
		}
	}
	for _, k := range []string{"ok", "aliased", "error"} {
		if kinds[k] < trials/16 {
			t.Errorf("only %d of the trials gave %s: %v", kinds[k], k, kinds)
		}
	}
	t.Logf("outcomes: %v", kinds)
}

// TestDesignBitsMatchOld1e6 compares Design with designOld on 10^6 rows:
// the benchmark's full and crude models, and a table with missing values,
// factors, interactions and log().
func TestDesignBitsMatchOld1e6(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("10^6 rows, old and new: seconds, and far more under -race (TestDesignBitsMatchOldParallel runs the parallel paths)")
	}
	const n = 1_000_000
	tab := normalTable(t, n, 9, 3)
	for _, fs := range []string{"y ~ X1 + X2 + X3 + X4 + X5 + X6 + X7 + X8 + X9", "y ~ X1", "y ~ X9 - 1"} {
		f, err := ParseFormula(fs)
		if err != nil {
			t.Fatal(err)
		}
		got, gerr := Design(tab, f, DesignOptions{})
		want, werr := designOld(tab, f, DesignOptions{})
		if d := sameDesign(got, gerr, want, werr); d != "" {
			t.Fatalf("%s: %s", fs, d)
		}
	}
	rng := rand.New(rand.NewPCG(1e6, 14))
	var mixed *Table
	for {
		var vars []string
		mixed, vars, _ = randomDesignTable(t, rng, n)
		if vars != nil && mixed.Columns[1].CountMissing() > 0 {
			break
		}
	}
	for _, fs := range []string{"y ~ a + b + log(pos) + f3 + f4", "y ~ a*f3 + f2:f4 + b:log(pos)", "y ~ a + twice + f2"} {
		f, err := ParseFormula(fs)
		if err != nil {
			t.Fatal(err)
		}
		got, gerr := Design(mixed, f, DesignOptions{})
		want, werr := designOld(mixed, f, DesignOptions{})
		if d := sameDesign(got, gerr, want, werr); d != "" {
			t.Fatalf("%s: %s", fs, d)
		}
		if want == nil {
			t.Errorf("%s: no matrix to compare (%v)", fs, werr)
			continue
		}
		t.Logf("%s: %d rows used, %d excluded, error %v", fs, len(want.Rows), len(want.Excluded), werr)
	}
}

// TestDesignChecksMatchOld compares listwiseRows, checkFinite and
// checkLogPositive with their old versions on columns of awkward values
// (±0, ±1, ±MaxFloat64, the smallest subnormal, NaN and ±Inf flagged
// missing or not): the same rows, exclusions, counts and error texts,
// with every row used and with some left out.
func TestDesignChecksMatchOld(t *testing.T) {
	awkward := []float64{0, math.Copysign(0, -1), 1, -1, math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1), math.Inf(-1), 2.5}
	rng := rand.New(rand.NewPCG(14, 7))
	for trial := range 3000 {
		n := rng.IntN(30)
		k := 1 + rng.IntN(4)
		cols := make([]testCol, k)
		for j := range cols {
			c := testCol{Name: fmt.Sprintf("v%d", j), Num: make([]float64, n)}
			rare := rng.IntN(3) == 0 // mostly finite positive values
			for i := range c.Num {
				c.Num[i] = 1 + rng.Float64()
				if !rare || rng.IntN(4) == 0 {
					c.Num[i] = awkward[rng.IntN(len(awkward))]
				}
			}
			cols[j] = c
		}
		tab := makeTable(t, "c.csv", cols...)
		// Unflag some NaN, which the checks must then catch.
		for _, c := range tab.Columns {
			for i := range c.Missing {
				if c.Missing[i] && rng.IntN(2) == 0 {
					c.Missing[i] = false
				}
			}
		}
		use := []*Column{tab.Columns[rng.IntN(k)], tab.Columns[rng.IntN(k)]}
		rows, excl, counts := listwiseRows(tab, use)
		orows, oexcl, ocounts := listwiseRowsOld(tab, use)
		if !slices.Equal(rows, orows) || !slices.Equal(excl, oexcl) || (excl == nil) != (oexcl == nil) || !slices.Equal(counts, ocounts) {
			t.Fatalf("trial %d: listwiseRows = %v %v %v, want %v %v %v", trial, rows, excl, counts, orows, oexcl, ocounts)
		}
		for _, c := range tab.Columns {
			for _, r := range [][]int{rows, orows[:len(orows)/2]} {
				e1, e2 := fmt.Sprint(checkFinite(tab, c, r)), fmt.Sprint(checkFiniteOld(tab, c, r))
				if e1 != e2 {
					t.Fatalf("trial %d: checkFinite %q, want %q", trial, e1, e2)
				}
				e1, e2 = fmt.Sprint(checkLogPositive(tab, c, r)), fmt.Sprint(checkLogPositiveOld(tab, c, r))
				if e1 != e2 {
					t.Fatalf("trial %d: checkLogPositive %q, want %q", trial, e1, e2)
				}
			}
		}
	}
}
