package stats

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

type descriptiveRef struct {
	Quantile []struct {
		Name  string      `json:"name"`
		X     reftest.Vec `json:"x"`
		Probs reftest.Vec `json:"probs"`
		Q     reftest.Vec `json:"q"`
	} `json:"quantile"`
	Summarize []struct {
		Name    string      `json:"name"`
		X       reftest.Vec `json:"x"`
		N       int         `json:"n"`
		Missing int         `json:"missing"`
		Mean    reftest.Num `json:"mean"`
		SD      reftest.Num `json:"sd"`
		Median  reftest.Num `json:"median"`
		Q1      reftest.Num `json:"q1"`
		Q3      reftest.Num `json:"q3"`
		Min     reftest.Num `json:"min"`
		Max     reftest.Num `json:"max"`
	} `json:"summarize"`
	SMDContinuous []struct {
		Name string      `json:"name"`
		X    reftest.Vec `json:"x"`
		Y    reftest.Vec `json:"y"`
		SMD  reftest.Num `json:"smd"`
	} `json:"smd_continuous"`
	SMDCategorical []struct {
		Name    string      `json:"name"`
		CountsX reftest.Vec `json:"counts_x"`
		CountsY reftest.Vec `json:"counts_y"`
		SMD     reftest.Num `json:"smd"`
	} `json:"smd_categorical"`
}

func loadDescriptive(t testing.TB) descriptiveRef {
	var r descriptiveRef
	reftest.Load(t, refDir+"descriptive.json", &r)
	return r
}

func TestQuantile7AgainstR(t *testing.T) {
	ref := loadDescriptive(t)
	if len(ref.Quantile) == 0 {
		t.Fatal("no quantile cases")
	}
	for _, c := range ref.Quantile {
		orig := slices.Clone([]float64(c.X))
		for i, p := range c.Probs {
			reftest.Rel(t, c.Name+" p="+ftoa(p), Quantile7(c.X, p), c.Q[i], relTol)
		}
		if !slices.Equal(orig, c.X) {
			t.Errorf("%s: Quantile7 modified its input", c.Name)
		}
	}
}

func TestQuantile7Edges(t *testing.T) {
	if !math.IsNaN(Quantile7(nil, 0.5)) {
		t.Error("empty input should give NaN")
	}
	if !math.IsNaN(Quantile7([]float64{1, 2}, 1.5)) {
		t.Error("p outside [0,1] should give NaN")
	}
	if got := Quantile7([]float64{math.NaN(), 4, 2}, 0.5); got != 3 {
		t.Errorf("NaN must be ignored: median of {2,4} = %v", got)
	}
}

func TestSummarizeAgainstR(t *testing.T) {
	ref := loadDescriptive(t)
	if len(ref.Summarize) == 0 {
		t.Fatal("no summary cases in the reference")
	}
	for _, c := range ref.Summarize {
		s := Summarize(c.X)
		if s.N != c.N || s.Missing != c.Missing {
			t.Errorf("%s: n/missing = %d/%d, R %d/%d", c.Name, s.N, s.Missing, c.N, c.Missing)
		}
		reftest.Rel(t, c.Name+" mean", s.Mean, float64(c.Mean), relTol)
		reftest.Rel(t, c.Name+" sd", s.SD, float64(c.SD), relTol)
		reftest.Rel(t, c.Name+" median", s.Median, float64(c.Median), relTol)
		reftest.Rel(t, c.Name+" q1", s.Q1, float64(c.Q1), relTol)
		reftest.Rel(t, c.Name+" q3", s.Q3, float64(c.Q3), relTol)
		reftest.Rel(t, c.Name+" min", s.Min, float64(c.Min), relTol)
		reftest.Rel(t, c.Name+" max", s.Max, float64(c.Max), relTol)
	}
}

func TestSummarizeEmptyAndJSON(t *testing.T) {
	s := Summarize([]float64{math.NaN(), math.NaN()})
	if s.N != 0 || s.Missing != 2 || !math.IsNaN(s.Mean) || !math.IsNaN(s.Median) {
		t.Errorf("all-missing summary: %+v", s)
	}
	b, err := json.Marshal(Summarize([]float64{3}))
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if !strings.Contains(string(b), `"sd":null`) || !strings.Contains(string(b), `"mean":3`) {
		t.Errorf("single-value summary JSON: %s", b)
	}
}

func TestSMDContinuousAgainstR(t *testing.T) {
	ref := loadDescriptive(t)
	if len(ref.SMDContinuous) == 0 {
		t.Fatal("no continuous SMD cases in the reference")
	}
	for _, c := range ref.SMDContinuous {
		reftest.Rel(t, c.Name, SMDContinuous(c.X, c.Y), float64(c.SMD), relTol)
		// tableone reports |SMD|: swapping the groups must not change it.
		reftest.Rel(t, c.Name+" swapped", SMDContinuous(c.Y, c.X), float64(c.SMD), relTol)
	}
	if !math.IsNaN(SMDContinuous([]float64{1}, []float64{1, 2})) {
		t.Error("a group with one value should give NaN")
	}
}

// TestSMDContinuousNearMaxFloat: R's SMD of every reference case is
// also the SMD of the same data rescaled to near 1e308 (the SMD has no
// unit), where the sums and squares of the plain formula overflow; and
// tiny data keeps its SMD too.
func TestSMDContinuousNearMaxFloat(t *testing.T) {
	ref := loadDescriptive(t)
	for _, c := range ref.SMDContinuous {
		big := 0.0
		for _, v := range append(slices.Clone([]float64(c.X)), c.Y...) {
			if !math.IsNaN(v) {
				big = max(big, math.Abs(v))
			}
		}
		for _, target := range []float64{1e308, math.MaxFloat64, 1e-300} {
			f := target / big
			x, y := slices.Clone([]float64(c.X)), slices.Clone([]float64(c.Y))
			for i := range x {
				x[i] *= f
			}
			for i := range y {
				y[i] *= f
			}
			reftest.Rel(t, c.Name+" scaled", SMDContinuous(x, y), float64(c.SMD), relTol)
		}
	}
}

func TestSMDCategoricalAgainstR(t *testing.T) {
	ref := loadDescriptive(t)
	if len(ref.SMDCategorical) == 0 {
		t.Fatal("no categorical SMD cases in the reference")
	}
	for _, c := range ref.SMDCategorical {
		reftest.Rel(t, c.Name, SMDCategorical(c.CountsX, c.CountsY), float64(c.SMD), relTol)
	}
	if !math.IsNaN(SMDCategorical([]float64{1, 2}, []float64{0, 0})) {
		t.Error("empty group should give NaN")
	}
	if !math.IsNaN(SMDCategorical([]float64{1, 2}, []float64{1})) {
		t.Error("length mismatch should give NaN")
	}
}

func TestSMDCategoricalBinaryFormula(t *testing.T) {
	// The multi-level SMD must reduce to the binary formula; this compares two
	// code paths of ours, the R check is TestSMDCategoricalAgainstR.
	ref := loadDescriptive(t)
	for _, c := range ref.SMDCategorical {
		if c.Name != "birthwt_smoke_by_low" {
			continue
		}
		p := c.CountsX[1] / (c.CountsX[0] + c.CountsX[1])
		q := c.CountsY[1] / (c.CountsY[0] + c.CountsY[1])
		want := math.Abs(p-q) / math.Sqrt((p*(1-p)+q*(1-q))/2)
		reftest.Rel(t, "binary formula", SMDCategorical(c.CountsX, c.CountsY), want, relTol)
		return
	}
	t.Fatal("binary case missing from reference")
}

// TestSummarizeNearMaxFloat: the mean of finite values whose double sum
// overflows is finite, as R's mean() (long double) gives it, and sd is
// Inf or 0 where R's is (testdata/reference/stats/overflow.R).
func TestSummarizeNearMaxFloat(t *testing.T) {
	var ref struct {
		Summarize []struct {
			Name    string      `json:"name"`
			X       reftest.Vec `json:"x"`
			N       int         `json:"n"`
			Missing int         `json:"missing"`
			Mean    reftest.Num `json:"mean"`
			SD      reftest.Num `json:"sd"`
			Median  reftest.Num `json:"median"`
			Q1      reftest.Num `json:"q1"`
			Q3      reftest.Num `json:"q3"`
			Min     reftest.Num `json:"min"`
			Max     reftest.Num `json:"max"`
		} `json:"summarize"`
	}
	reftest.Load(t, refDir+"overflow.json", &ref)
	if len(ref.Summarize) == 0 {
		t.Fatal("no cases in overflow.json")
	}
	for _, c := range ref.Summarize {
		s := Summarize(c.X)
		if s.N != c.N || s.Missing != c.Missing {
			t.Errorf("%s: n/missing = %d/%d, R %d/%d", c.Name, s.N, s.Missing, c.N, c.Missing)
		}
		if math.IsInf(s.Mean, 0) {
			t.Errorf("%s: mean is %v, R %v", c.Name, s.Mean, float64(c.Mean))
		}
		reftest.Rel(t, c.Name+" mean", s.Mean, float64(c.Mean), relTol)
		reftest.Rel(t, c.Name+" sd", s.SD, float64(c.SD), relTol)
		reftest.Rel(t, c.Name+" median", s.Median, float64(c.Median), relTol)
		reftest.Rel(t, c.Name+" q1", s.Q1, float64(c.Q1), relTol)
		reftest.Rel(t, c.Name+" q3", s.Q3, float64(c.Q3), relTol)
		reftest.Rel(t, c.Name+" min", s.Min, float64(c.Min), relTol)
		reftest.Rel(t, c.Name+" max", s.Max, float64(c.Max), relTol)
	}
}
