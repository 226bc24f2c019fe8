package reftest

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// Below TinyBelow in magnitude an R value (typically a p-value such as
// 1e-17) is compared absolutely at TinyAbs by Rel: its leading digits come
// from the far tail of a distribution, where no two implementations agree
// to a relative 1e-6, while the statement "p < 1e-10" is what matters.
const (
	TinyBelow = 1e-10
	TinyAbs   = 1e-12
)

// maxReported bounds the element mismatches one slice or matrix check
// reports, so one wrong column does not bury the rest of the output.
const maxReported = 10

// Within reports whether got agrees with want to the absolute tolerance
// abs or the relative tolerance rel, as scalar.EqualWithinAbsOrRel
// (relative to the larger of |got| and |want|). NaN agrees only with NaN
// and an infinity only with the same infinity; a finite want never agrees
// with a non-finite got.
func Within(got, want, rel, abs float64) bool {
	switch {
	case math.IsNaN(want):
		return math.IsNaN(got)
	case math.IsInf(want, 0):
		return got == want
	case math.IsNaN(got) || math.IsInf(got, 0):
		return false
	}
	return scalar.EqualWithinAbsOrRel(got, want, abs, rel)
}

// WithinRel reports whether got agrees with R's want as the tests of this
// repository compare estimates, statistics and p-values: relative
// tolerance rel (scalar.EqualWithinRel), except that where |want| <
// TinyBelow the comparison is absolute at TinyAbs instead. Non-finite
// values are handled as in Within.
func WithinRel(got, want, rel float64) bool {
	if math.Abs(want) < TinyBelow {
		return Within(got, want, 0, TinyAbs)
	}
	return Within(got, want, rel, 0)
}

// Close checks got against want with Within and reports a mismatch
// through t.Errorf, naming the quantity; it returns whether they agree.
func Close(t testing.TB, name string, got, want, rel, abs float64) bool {
	t.Helper()
	if Within(got, want, rel, abs) {
		return true
	}
	t.Errorf("%s", mismatch(name, got, want, fmt.Sprintf("rel %g or abs %g", rel, abs)))
	return false
}

// Rel checks got against R's want with WithinRel and reports a mismatch
// through t.Errorf; it returns whether they agree.
func Rel(t testing.TB, name string, got, want, rel float64) bool {
	t.Helper()
	if WithinRel(got, want, rel) {
		return true
	}
	t.Errorf("%s", mismatch(name, got, want, relTol(want, rel)))
	return false
}

// CloseSlice checks got against want element by element with Within; a
// length mismatch or each differing element (the first few) is reported
// with its index. It returns whether all agree.
func CloseSlice(t testing.TB, name string, got, want []float64, rel, abs float64) bool {
	t.Helper()
	return checkSlice(t, name, got, want, func(g, w float64) (bool, string) {
		return Within(g, w, rel, abs), fmt.Sprintf("rel %g or abs %g", rel, abs)
	})
}

// RelSlice is CloseSlice with WithinRel.
func RelSlice(t testing.TB, name string, got, want []float64, rel float64) bool {
	t.Helper()
	return checkSlice(t, name, got, want, func(g, w float64) (bool, string) {
		return WithinRel(g, w, rel), relTol(w, rel)
	})
}

// CloseMatrix checks got against want (rows) element by element with
// Within; a shape mismatch or each differing element (the first few) is
// reported as name[i,j]. It returns whether all agree.
func CloseMatrix(t testing.TB, name string, got mat.Matrix, want [][]float64, rel, abs float64) bool {
	t.Helper()
	return checkMatrix(t, name, got, want, func(g, w float64) (bool, string) {
		return Within(g, w, rel, abs), fmt.Sprintf("rel %g or abs %g", rel, abs)
	})
}

// RelMatrix is CloseMatrix with WithinRel.
func RelMatrix(t testing.TB, name string, got mat.Matrix, want [][]float64, rel float64) bool {
	t.Helper()
	return checkMatrix(t, name, got, want, func(g, w float64) (bool, string) {
		return WithinRel(g, w, rel), relTol(w, rel)
	})
}

type elemCheck func(got, want float64) (ok bool, tol string)

func checkSlice(t testing.TB, name string, got, want []float64, ok elemCheck) bool {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: length %d, want %d", name, len(got), len(want))
		return false
	}
	bad := 0
	for i := range want {
		if good, tol := ok(got[i], want[i]); !good {
			if bad < maxReported {
				t.Errorf("%s", mismatch(fmt.Sprintf("%s[%d]", name, i), got[i], want[i], tol))
			}
			bad++
		}
	}
	if bad > maxReported {
		t.Errorf("%s: %d more elements differ", name, bad-maxReported)
	}
	return bad == 0
}

func checkMatrix(t testing.TB, name string, got mat.Matrix, want [][]float64, ok elemCheck) bool {
	t.Helper()
	r, c := got.Dims()
	if r != len(want) {
		t.Errorf("%s: %d×%d, want %d rows", name, r, c, len(want))
		return false
	}
	for i, row := range want {
		if len(row) != c {
			t.Errorf("%s: %d×%d, want %d columns in row %d", name, r, c, len(row), i)
			return false
		}
	}
	bad := 0
	for i, row := range want {
		for j, w := range row {
			g := got.At(i, j)
			if good, tol := ok(g, w); !good {
				if bad < maxReported {
					t.Errorf("%s", mismatch(fmt.Sprintf("%s[%d,%d]", name, i, j), g, w, tol))
				}
				bad++
			}
		}
	}
	if bad > maxReported {
		t.Errorf("%s: %d more elements differ", name, bad-maxReported)
	}
	return bad == 0
}

func relTol(want, rel float64) string {
	if math.Abs(want) < TinyBelow {
		return fmt.Sprintf("abs %g below %g", TinyAbs, TinyBelow)
	}
	return fmt.Sprintf("rel %g", rel)
}

func mismatch(name string, got, want float64, tol string) string {
	d := math.Abs(got - want)
	return fmt.Sprintf("%s = %.15g, want %.15g (abs diff %.3g, rel diff %.3g; tolerance %s)",
		name, got, want, d, d/math.Abs(want), tol)
}
