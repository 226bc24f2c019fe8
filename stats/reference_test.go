package stats

import (
	"strconv"
	"strings"
	"testing"
)

// refDir holds the JSON written by testdata/reference/stats/stats_reference.R.
const refDir = "testdata/reference/stats/"

// relTol is the relative tolerance against R (reftest.Rel compares values
// below 1e-10, i.e. tiny p-values, absolutely at 1e-12 instead).
const relTol = 1e-6

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
