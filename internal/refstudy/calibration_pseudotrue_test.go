package refstudy_test

import (
	"math"
	"testing"

	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// pseudoTrueR is testdata/reference/calibration/pseudotrue.R's output: glm
// on one 300,000-row case-control sample of the DGP.
type pseudoTrueR struct {
	Seed       uint64 `json:"seed"`
	Population int    `json:"population"`
	Cases      int    `json:"cases"`
	Controls   int    `json:"controls"`
	Rows       int    `json:"rows"`
	Slopes     []struct {
		Term     string  `json:"term"`
		LogOR    float64 `json:"log_or"`
		Estimate float64 `json:"estimate"`
		SE       float64 `json:"se"`
	} `json:"slopes"`
	Vcov  reftest.Matrix `json:"vcov"`
	Joint struct {
		Chisq float64 `json:"chisq"`
		DF    int     `json:"df"`
	} `json:"joint"`
}

// TestPseudoTrueSlopes guards the truth the calibration scores intervals
// against: testdata/calibration.md counts a 95% interval as covering when
// it contains refstudy.TrueCoefficients, which is right only if those are
// the slopes a logistic fit to a case-control sample of the DGP estimates
// (case-control sampling moving only the intercept, and nothing in how
// covariates are drawn, capped or rounded making the sample's model
// differ). R's fit to a very large sample must agree with them within its
// sampling error: each slope within 4 SEs and the joint Wald test of all
// 16 not rejected at 0.001. The committed file must also have been made
// with today's TrueCoefficients, or a changed DGP would be checked against
// a stale fit.
func TestPseudoTrueSlopes(t *testing.T) {
	var ref pseudoTrueR
	reftest.Load(t, "testdata/reference/calibration/pseudotrue.json", &ref)
	truth := refstudy.TrueCoefficients()
	if len(ref.Slopes) != len(truth) || len(ref.Vcov) != len(truth) {
		t.Fatalf("pseudotrue.json has %d slopes and a %d-row vcov, TrueCoefficients %d (rerun pseudotrue.R)", len(ref.Slopes), len(ref.Vcov), len(truth))
	}
	if ref.Rows != ref.Cases+ref.Controls || ref.Rows < 100000 {
		t.Fatalf("pseudotrue.json fits %d rows of %d cases and %d controls (expected one study of at least 100000 rows)", ref.Rows, ref.Cases, ref.Controls)
	}
	diff := make([]float64, len(truth))
	for j, c := range truth {
		s := ref.Slopes[j]
		// jsonlite writes 15 significant digits.
		if s.Term != rName(c.Term) || !reftest.Within(s.LogOR, c.LogOR, 1e-13, 1e-15) {
			t.Fatalf("slope %d: pseudotrue.json has %s = %v, TrueCoefficients %s = %v (rerun pseudotrue.R)", j, s.Term, s.LogOR, rName(c.Term), c.LogOR)
		}
		diff[j] = s.Estimate - c.LogOR
		if z := diff[j] / s.SE; math.Abs(z) > 4 || !(s.SE > 0) {
			t.Errorf("%s: the large-sample fit gives %.5f (SE %.5f), the calibration's truth is %.5f (z %.1f): the sample's slope is not TrueCoefficients",
				c.Term, s.Estimate, s.SE, c.LogOR, z)
		}
	}
	// Joint Wald statistic d' V⁻¹ d, recomputed from the committed vcov
	// and checked against R's, then its chi-square p.
	k := len(truth)
	v := mat.NewSymDense(k, nil)
	for i, row := range ref.Vcov {
		if len(row) != k {
			t.Fatalf("vcov row %d has %d entries (expected %d)", i, len(row), k)
		}
		for j := i; j < k; j++ {
			v.SetSym(i, j, row[j])
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(v) {
		t.Fatal("pseudotrue.json's vcov is not positive definite")
	}
	d := mat.NewVecDense(k, diff)
	var x mat.VecDense
	if err := ch.SolveVecTo(&x, d); err != nil {
		t.Fatal(err)
	}
	chisq := mat.Dot(d, &x)
	reftest.Close(t, "joint Wald chi-square", chisq, ref.Joint.Chisq, 1e-6, 1e-9)
	if ref.Joint.DF != k {
		t.Errorf("joint test df %d, want %d", ref.Joint.DF, k)
	}
	if p := (distuv.ChiSquared{K: float64(k)}).Survival(chisq); p < 0.001 {
		t.Errorf("joint Wald test that all %d slopes are TrueCoefficients: chi-square %.1f, p %.2g", k, chisq, p)
	}
}
