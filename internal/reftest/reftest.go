// Package reftest is what the tests of ccstudy share to compare the code
// with the R outputs committed under testdata/reference: a loader that
// finds those files from any package, the number types jsonlite writes,
// and tolerance checks built on gonum's floats/scalar that name the
// element that differs. It is imported only by _test.go files.
package reftest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the repository root: the nearest directory at or above the
// working directory that holds go.mod. go test runs each package in its
// own directory, so this finds the same root from any depth.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("reftest: working directory: %v", err)
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			t.Fatalf("reftest: no go.mod at or above %s", dir)
		}
		d = up
	}
}

// Path returns the absolute path of rel, a slash-separated path relative
// to the repository root (e.g. "testdata/reference/stats/tests.json").
func Path(t testing.TB, rel string) string {
	t.Helper()
	return filepath.Join(Root(t), filepath.FromSlash(rel))
}

// Read returns the contents of rel (relative to the repository root),
// failing the test if it cannot be read.
func Read(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(Path(t, rel))
	if err != nil {
		t.Fatalf("reading reference %s: %v (the R script beside it writes it; see testdata/reference/run_all.sh)", rel, err)
	}
	return b
}

// Load decodes the JSON file rel (relative to the repository root) into v,
// failing the test if it cannot be read or decoded.
func Load(t testing.TB, rel string, v any) {
	t.Helper()
	if err := json.Unmarshal(Read(t, rel), v); err != nil {
		t.Fatalf("decoding reference %s: %v", rel, err)
	}
}

// Num is a double as the R scripts write it: a JSON number, null (NA, as
// write_full and jsonlite's na = "null" write it), or one of jsonlite's
// strings "NA", "NaN", "Inf", "-Inf". NA and NaN decode to NaN.
type Num float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Num) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NA", "NaN":
			*n = Num(math.NaN())
		case "Inf":
			*n = Num(math.Inf(1))
		case "-Inf":
			*n = Num(math.Inf(-1))
		default:
			return fmt.Errorf("reftest: unexpected number string %q (expected a number, null, \"NA\", \"NaN\", \"Inf\" or \"-Inf\")", s)
		}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = Num(f)
	return nil
}

// Vec is a numeric vector whose elements decode as Num. jsonlite's
// auto_unbox writes a vector of length 1 as a scalar, so both forms are
// accepted.
type Vec []float64

// UnmarshalJSON implements json.Unmarshaler.
func (v *Vec) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var ns []Num
		if err := json.Unmarshal(b, &ns); err != nil {
			return err
		}
		out := make([]float64, len(ns))
		for i, x := range ns {
			out[i] = float64(x)
		}
		*v = out
		return nil
	}
	var x Num
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*v = []float64{float64(x)}
	return nil
}

// Matrix is a numeric matrix as jsonlite writes it by default: an array
// of rows.
type Matrix []Vec

// Rows returns the matrix as [][]float64 (sharing the row storage).
func (m Matrix) Rows() [][]float64 {
	out := make([][]float64, len(m))
	for i, r := range m {
		out[i] = []float64(r)
	}
	return out
}

// AllocatedBytes is the heap memory f allocates, in bytes. Tests bound
// work with it instead of with the wall clock: allocation is the same on
// a loaded CI machine and under -race, where a time limit is not.
func AllocatedBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
