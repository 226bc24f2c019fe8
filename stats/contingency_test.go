package stats

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

func TestChiSquareAgainstR(t *testing.T) {
	ref := loadTests(t)
	if len(ref.Chisq) == 0 {
		t.Fatal("no chi-square cases")
	}
	for _, c := range ref.Chisq {
		r, err := ChiSquareTest(c.Table.Rows())
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		reftest.Rel(t, c.Name+" X2", r.Statistic, float64(c.Statistic), relTol)
		reftest.Rel(t, c.Name+" df", float64(r.DF), float64(c.DF), relTol)
		reftest.Rel(t, c.Name+" p", r.PValue, float64(c.PValue), relTol)
		reftest.Rel(t, c.Name+" min expected", r.MinExpected, float64(c.MinExpected), relTol)
		for i, row := range c.Expected {
			reftest.RelSlice(t, c.Name+" expected row "+ftoa(float64(i)), r.Expected[i], row, relTol)
		}
	}
}

func TestChiSquareErrors(t *testing.T) {
	_, err := ChiSquareTest([][]float64{{3, 4}})
	wantErr(t, "single row", err, "at least 2 rows")
	_, err = ChiSquareTest([][]float64{{3}, {4}})
	wantErr(t, "single column", err, "at least 2 columns")
	_, err = ChiSquareTest([][]float64{{3, 4}, {0, 0}, {1, 2}})
	wantErr(t, "empty row", err, "row 1 is empty")
	_, err = ChiSquareTest([][]float64{{3, 0}, {1, 0}})
	wantErr(t, "empty column", err, "column 1 is empty")
	_, err = ChiSquareTest([][]float64{{3, 4}, {1}})
	wantErr(t, "ragged", err, "columns")
	_, err = ChiSquareTest([][]float64{{3, -1}, {1, 2}})
	wantErr(t, "negative", err, "non-negative")
	_, err = ChiSquareTest([][]float64{{3, math.NaN()}, {1, 2}})
	wantErr(t, "NaN cell", err, "non-negative")
}

func TestFisherExactAgainstR(t *testing.T) {
	ref := loadTests(t)
	if len(ref.Fisher) == 0 {
		t.Fatal("no Fisher cases")
	}
	for _, c := range ref.Fisher {
		r, err := FisherExact(c.Table.Rows())
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		reftest.Rel(t, c.Name+" p", r.PValue, float64(c.PValue), relTol)
		if c.Estimate == nil {
			if r.HasOddsRatio {
				t.Errorf("%s: odds ratio reported for a table larger than 2x2", c.Name)
			}
			continue
		}
		if !r.HasOddsRatio {
			t.Errorf("%s: no odds ratio for a 2x2 table", c.Name)
			continue
		}
		// Full precision against the same equations solved tightly in R.
		reftest.Rel(t, c.Name+" OR", r.OddsRatio, float64(*c.EstimatePrecise), relTol)
		reftest.Rel(t, c.Name+" CI low", r.ConfLow, c.ConfIntPrecise[0], relTol)
		reftest.Rel(t, c.Name+" CI high", r.ConfHigh, c.ConfIntPrecise[1], relTol)
		// fisher.test's own output carries uniroot's absolute tolerance
		// eps^0.25 in the variable it solves for: the ratio itself when
		// below 1, its reciprocal when above.
		checkUniroot(t, c.Name+" OR (fisher.test)", r.OddsRatio, float64(*c.Estimate))
		checkUniroot(t, c.Name+" CI low (fisher.test)", r.ConfLow, c.ConfInt[0])
		checkUniroot(t, c.Name+" CI high (fisher.test)", r.ConfHigh, c.ConfInt[1])
	}
}

func TestFisherExactEdges(t *testing.T) {
	_, err := FisherExact([][]float64{{3, 4}})
	wantErr(t, "single row", err, "at least 2 rows")
	_, err = FisherExact([][]float64{{3, 4.5}, {1, 2}})
	wantErr(t, "non-integer", err, "integer")
	_, err = FisherExact([][]float64{{3, 4}, {0, 0}})
	wantErr(t, "2x2 empty row", err, "row 1 is empty")
	_, err = FisherExact([][]float64{{3, 0, 4}, {0, 0, 0}, {0, 0, 0}})
	wantErr(t, "one non-empty row", err, "at least 2 non-empty")
	// An empty row does not change the r×c p-value: compare with R's value
	// for the same table without it.
	ref := loadTests(t)
	for _, c := range ref.Fisher {
		if c.Name != "birthwt_race_low" {
			continue
		}
		tab := append(c.Table.Rows(), []float64{0, 0})
		r, err := FisherExact(tab)
		if err != nil {
			t.Fatal(err)
		}
		reftest.Rel(t, "with empty row", r.PValue, float64(c.PValue), relTol)
		// Transposed (2×c) must give the same p-value.
		rows := c.Table.Rows()
		tt := make([][]float64, 2)
		for j := range 2 {
			for i := range rows {
				tt[j] = append(tt[j], rows[i][j])
			}
		}
		r, err = FisherExact(tt)
		if err != nil {
			t.Fatal(err)
		}
		reftest.Rel(t, "transposed", r.PValue, float64(c.PValue), relTol)
		return
	}
	t.Fatal("birthwt_race_low missing from reference")
}

// TestFisherExactTooLarge: a table whose network would take too long is
// refused once the enumeration bound is reached.
func TestFisherExactTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("reaching the enumeration bound takes seconds")
	}
	_, err := FisherExactOpts([][]float64{{300, 200, 250, 100}, {200, 300, 100, 250}, {250, 100, 300, 200}, {100, 250, 200, 300}}, FisherOptions{ExactOnly: true})
	wantErr(t, "too large", err, "too large")
}

func TestFisherExactReducedTo2x2(t *testing.T) {
	// A 3×2 table whose extra row is empty goes through the r×c network and
	// must give R's 2×2 p-value (no odds ratio: the table given was not 2×2).
	ref := loadTests(t)
	for _, c := range ref.Fisher {
		if c.Name != "birthwt_smoke_low" {
			continue
		}
		tab := append(c.Table.Rows(), []float64{0, 0})
		r, err := FisherExact(tab)
		if err != nil {
			t.Fatal(err)
		}
		reftest.Rel(t, "2x2 via network", r.PValue, float64(c.PValue), relTol)
		if r.HasOddsRatio {
			t.Error("odds ratio reported for a 3x2 input")
		}
		return
	}
	t.Fatal("birthwt_smoke_low missing from reference")
}

func TestFisherResultJSON(t *testing.T) {
	r, err := FisherExact([][]float64{{6, 4}, {0, 9}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("marshal with infinite OR: %v", err)
	}
	if !strings.Contains(string(b), `"odds_ratio":"Inf"`) {
		t.Errorf("JSON: %s", b)
	}
	r, _ = FisherExact([][]float64{{1, 2}, {3, 4}, {5, 1}})
	b, _ = json.Marshal(r)
	if strings.Contains(string(b), `"odds_ratio"`) {
		t.Errorf("r×2 JSON should not have an odds ratio: %s", b)
	}
}

func TestTrendTestAgainstR(t *testing.T) {
	ref := loadTests(t)
	if len(ref.Trend) == 0 {
		t.Fatal("no trend cases")
	}
	for _, c := range ref.Trend {
		r, err := TrendTest(c.X, c.N, c.Score)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		reftest.Rel(t, c.Name+" X2", r.Statistic, float64(c.Statistic), relTol)
		reftest.Rel(t, c.Name+" p", r.PValue, float64(c.PValue), relTol)
		if r.DF != 1 {
			t.Errorf("%s: df %d", c.Name, r.DF)
		}
	}
	// nil score = 1..k, as R's default.
	c := ref.Trend[0]
	r, err := TrendTest(c.X, c.N, nil)
	if err != nil {
		t.Fatal(err)
	}
	reftest.Rel(t, "default score", r.Statistic, float64(c.Statistic), relTol)
}

func TestTrendTestErrors(t *testing.T) {
	_, err := TrendTest([]float64{1}, []float64{3}, nil)
	wantErr(t, "one group", err, "at least 2 groups")
	_, err = TrendTest([]float64{0, 0}, []float64{3, 4}, nil)
	wantErr(t, "no events", err, "0 or 1")
	_, err = TrendTest([]float64{1, 2}, []float64{3, 4}, []float64{2, 2})
	wantErr(t, "constant scores", err, "scores are equal")
	_, err = TrendTest([]float64{1, 0}, []float64{3, 0}, nil)
	wantErr(t, "empty group", err, "group 1")
}

// checkUniroot compares with fisher.test's own output, which carries
// uniroot's absolute tolerance eps^0.25 in the variable it solves for: the
// ratio itself when below 1, its reciprocal when above (0 and Inf exact).
func checkUniroot(t *testing.T, what string, got, want float64) {
	t.Helper()
	tol := math.Pow(0x1p-52, 0.25)
	switch {
	case math.IsInf(want, 0) || want == 0:
		reftest.Close(t, what, got, want, 0, 0)
	case want > 1:
		reftest.Close(t, what+" (reciprocal)", 1/got, 1/want, 0, tol)
	default:
		reftest.Close(t, what, got, want, 0, tol)
	}
}
