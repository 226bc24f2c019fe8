package stats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// refDir holds the JSON written by testdata/reference/stats/stats_reference.R.
const refDir = "../testdata/reference/stats"

// num is a number as jsonlite writes it: a JSON number, or the strings
// "NA"/"NaN"/"Inf"/"-Inf", or null.
type num float64

func (n *num) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*n = num(math.NaN())
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NA", "NaN":
			*n = num(math.NaN())
		case "Inf":
			*n = num(math.Inf(1))
		case "-Inf":
			*n = num(math.Inf(-1))
		default:
			return fmt.Errorf("unexpected number string %q", s)
		}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = num(f)
	return nil
}

// vec is a numeric vector; jsonlite's auto_unbox writes length-1 vectors as
// scalars, so both forms are accepted.
type vec []float64

func (v *vec) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var ns []num
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
	var x num
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*v = []float64{float64(x)}
	return nil
}

// matrix is a row-major numeric matrix (jsonlite's default for matrices).
type matrix []vec

func (m matrix) rows() [][]float64 {
	out := make([][]float64, len(m))
	for i, r := range m {
		out[i] = []float64(r)
	}
	return out
}

func loadRef(t testing.TB, name string, dst any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(refDir, name))
	if err != nil {
		t.Fatalf("reading reference %s: %v", name, err)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		t.Fatalf("decoding reference %s: %v", name, err)
	}
}

// close reports whether got matches R's want at relative tolerance rel
// (absolute 1e-12 when |want| < 1e-10, as for tiny p-values). NaN matches
// NaN and infinities must match exactly.
func close(got, want, rel float64) bool {
	switch {
	case math.IsNaN(want):
		return math.IsNaN(got)
	case math.IsInf(want, 0):
		return got == want
	case math.Abs(want) < 1e-10:
		return math.Abs(got-want) <= 1e-12
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

const relTol = 1e-6

func check(t *testing.T, what string, got, want float64) {
	t.Helper()
	checkTol(t, what, got, want, relTol)
}

func checkTol(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if !close(got, want, rel) {
		t.Errorf("%s: got %.15g, R %.15g (rel tol %g)", what, got, want, rel)
	}
}

func checkVec(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, R %d", what, len(got), len(want))
	}
	for i := range got {
		check(t, fmt.Sprintf("%s[%d]", what, i), got[i], want[i])
	}
}

func wantErr(t *testing.T, what string, err error, substr string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: expected an error mentioning %q, got nil", what, substr)
		return
	}
	if !strings.Contains(err.Error(), substr) {
		t.Errorf("%s: error %q does not mention %q", what, err, substr)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
