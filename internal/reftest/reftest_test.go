package reftest

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// fakeTB records what a check reports instead of failing the real test.
// Fatalf ends the calling goroutine as testing.T's does, so the code after
// it is not run; call helpers that may be fatal through run.
type fakeTB struct {
	testing.TB
	errors []string
	fatal  []string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = append(f.fatal, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

// run calls fn with a fresh fake on its own goroutine, so that a Fatalf
// inside ends only that goroutine.
func run(t *testing.T, fn func(tb *fakeTB)) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func TestWithin(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		got, want, rel, abs float64
		ok                  bool
	}{
		{1, 1, 0, 0, true},
		{1 + 1e-7, 1, 1e-6, 0, true},
		{1 + 1e-5, 1, 1e-6, 0, false},
		{-1 - 1e-5, -1, 1e-6, 0, false},
		{1e-13, 0, 0, 1e-12, true},
		{1e-11, 0, 1e-6, 1e-12, false},
		{2e-8, 1e-8, 1e-6, 0, false},
		{nan, nan, 0, 0, true},
		{1, nan, 1, 1, false},
		{nan, 1, 1, 1, false},
		{inf, inf, 0, 0, true},
		{-inf, -inf, 0, 0, true},
		{-inf, inf, 1, 1, false},
		{1e300, inf, 1, 1, false},
		{inf, 1e300, 1, 1, false},
		{nan, inf, 1, 1, false},
	}
	for _, c := range cases {
		if got := Within(c.got, c.want, c.rel, c.abs); got != c.ok {
			t.Errorf("Within(%g, %g, rel %g, abs %g) = %v, want %v", c.got, c.want, c.rel, c.abs, got, c.ok)
		}
	}
}

// WithinRel is relative, with the absolute 1e-12 only below 1e-10: a
// value of 1e-8 gets no absolute slack.
func TestWithinRel(t *testing.T) {
	cases := []struct {
		got, want, rel float64
		ok             bool
	}{
		{1 + 5e-7, 1, 1e-6, true},
		{1 + 2e-6, 1, 1e-6, false},
		{3e-17, 2e-17, 1e-6, true},  // tiny: absolute 1e-12
		{2e-12, 1e-17, 1e-6, false}, // tiny but off by more than 1e-12
		{-5e-13, 0, 1e-6, true},
		{1e-8 + 5e-13, 1e-8, 1e-6, false}, // not tiny: 5e-5 relative
		{1e-8 * (1 + 5e-7), 1e-8, 1e-6, true},
		{math.NaN(), math.NaN(), 1e-6, true},
		{0, math.NaN(), 1e-6, false},
		{math.Inf(-1), math.Inf(-1), 1e-6, true},
		{-1e308, math.Inf(-1), 1e-6, false},
	}
	for _, c := range cases {
		if got := WithinRel(c.got, c.want, c.rel); got != c.ok {
			t.Errorf("WithinRel(%g, %g, %g) = %v, want %v", c.got, c.want, c.rel, got, c.ok)
		}
	}
}

func TestCloseReportsMismatch(t *testing.T) {
	f := run(t, func(tb *fakeTB) {
		if !Close(tb, "agree", 1, 1+1e-12, 1e-9, 0) {
			tb.Errorf("unexpected: agree returned false")
		}
		if Close(tb, "beta", 2, 1, 1e-6, 1e-9) {
			tb.Errorf("unexpected: beta returned true")
		}
		if Rel(tb, "p", 0.5, 0.4, 1e-6) {
			tb.Errorf("unexpected: p returned true")
		}
		Rel(tb, "tiny p", 1e-11, 1e-20, 1e-6)
	})
	if len(f.errors) != 3 {
		t.Fatalf("%d errors reported, want 3: %q", len(f.errors), f.errors)
	}
	for i, want := range []string{"beta = 2, want 1 ", "p = 0.5, want 0.4 ", "tiny p = 1e-11, want 1e-20 "} {
		if !strings.HasPrefix(f.errors[i], want) {
			t.Errorf("error %d is %q, want it to start with %q", i, f.errors[i], want)
		}
	}
	if !strings.Contains(f.errors[0], "tolerance rel 1e-06 or abs 1e-09") ||
		!strings.Contains(f.errors[1], "tolerance rel 1e-06") ||
		!strings.Contains(f.errors[2], "tolerance abs 1e-12 below 1e-10") {
		t.Errorf("tolerances not stated: %q", f.errors)
	}
}

func TestSliceChecksNameTheIndex(t *testing.T) {
	f := run(t, func(tb *fakeTB) {
		if !RelSlice(tb, "se", []float64{1, 2, math.NaN()}, []float64{1, 2, math.NaN()}, 1e-6) {
			tb.Errorf("unexpected: equal slices reported different")
		}
		RelSlice(tb, "coef", []float64{1, 2.5, 3}, []float64{1, 2, 3}, 1e-6)
		CloseSlice(tb, "short", []float64{1}, []float64{1, 2}, 1, 1)
	})
	if len(f.errors) != 2 || !strings.HasPrefix(f.errors[0], "coef[1] = 2.5, want 2 ") || f.errors[1] != "short: length 1, want 2" {
		t.Errorf("errors %q", f.errors)
	}
	// Many differing elements: the first few are named, then a count.
	f = run(t, func(tb *fakeTB) {
		got, want := make([]float64, 25), make([]float64, 25)
		for i := range got {
			got[i] = 1
		}
		CloseSlice(tb, "v", got, want, 0, 0.5)
	})
	if len(f.errors) != maxReported+1 || !strings.HasPrefix(f.errors[maxReported-1], fmt.Sprintf("v[%d] = 1, want 0 ", maxReported-1)) ||
		f.errors[maxReported] != fmt.Sprintf("v: %d more elements differ", 25-maxReported) {
		t.Errorf("errors %q", f.errors)
	}
}

func TestMatrixChecksNameTheElement(t *testing.T) {
	got := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	f := run(t, func(tb *fakeTB) {
		if !CloseMatrix(tb, "X", got, [][]float64{{1, 2}, {3, 4}}, 0, 0) {
			tb.Errorf("unexpected: equal matrices reported different")
		}
		RelMatrix(tb, "vcov", got, [][]float64{{1, 2}, {3, 4.5}}, 1e-6)
		CloseMatrix(tb, "rows", got, [][]float64{{1, 2}}, 0, 0)
		CloseMatrix(tb, "ragged", got, [][]float64{{1, 2}, {3}}, 0, 0)
	})
	if len(f.errors) != 3 || !strings.HasPrefix(f.errors[0], "vcov[1,1] = 4, want 4.5 ") ||
		f.errors[1] != "rows: 2×2, want 1 rows" || f.errors[2] != "ragged: 2×2, want 1 columns in row 1" {
		t.Errorf("errors %q", f.errors)
	}
}

func TestNumAndVecDecodeJSONLite(t *testing.T) {
	var v struct {
		A, B, C, D, E, F Num
		S, L             Vec
		M                Matrix
	}
	in := `{"A": 1.5, "B": null, "C": "NA", "D": "Inf", "E": "-Inf", "F": "NaN",
		"S": 3, "L": [1, null, "Inf"], "M": [[1, 2], [3, "-Inf"]]}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != 1.5 || !math.IsNaN(float64(v.B)) || !math.IsNaN(float64(v.C)) || !math.IsInf(float64(v.D), 1) ||
		!math.IsInf(float64(v.E), -1) || !math.IsNaN(float64(v.F)) {
		t.Errorf("numbers: %+v", v)
	}
	if len(v.S) != 1 || v.S[0] != 3 {
		t.Errorf("auto-unboxed scalar: %v", v.S)
	}
	if len(v.L) != 3 || v.L[0] != 1 || !math.IsNaN(v.L[1]) || !math.IsInf(v.L[2], 1) {
		t.Errorf("vector: %v", v.L)
	}
	rows := v.M.Rows()
	if len(rows) != 2 || rows[0][1] != 2 || !math.IsInf(rows[1][1], -1) {
		t.Errorf("matrix: %v", rows)
	}
	var n Num
	if err := json.Unmarshal([]byte(`"Infinity"`), &n); err == nil {
		t.Error(`"Infinity" accepted`)
	}
}

func TestRootAndLoad(t *testing.T) {
	root := Root(t)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("Root %s has no go.mod: %v", root, err)
	}
	if wd, _ := os.Getwd(); filepath.Join(root, "internal", "reftest") != wd {
		t.Errorf("Root %s is not two levels above the package directory %s", root, wd)
	}
	var ref struct {
		Cases []struct {
			Dataset string `json:"dataset"`
		} `json:"cases"`
	}
	Load(t, "testdata/reference/cluster/gap.json", &ref)
	if len(ref.Cases) == 0 || ref.Cases[0].Dataset == "" {
		t.Errorf("gap.json decoded to %+v", ref)
	}
	f := run(t, func(tb *fakeTB) {
		var v any
		Load(tb, "testdata/reference/no/such.json", &v)
		tb.Errorf("Load returned after a missing file")
	})
	if len(f.fatal) != 1 || !strings.Contains(f.fatal[0], "testdata/reference/no/such.json") || len(f.errors) != 0 {
		t.Errorf("missing file: fatal %q, errors %q", f.fatal, f.errors)
	}
	f = run(t, func(tb *fakeTB) {
		var v []int
		Load(tb, "go.mod", &v)
	})
	if len(f.fatal) != 1 || !strings.HasPrefix(f.fatal[0], "decoding reference go.mod") {
		t.Errorf("bad JSON: fatal %q", f.fatal)
	}
}
