package stats

import (
	"math"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

type testsRef struct {
	Chisq []struct {
		Name        string         `json:"name"`
		Table       reftest.Matrix `json:"table"`
		Statistic   reftest.Num    `json:"statistic"`
		DF          reftest.Num    `json:"df"`
		PValue      reftest.Num    `json:"p_value"`
		Expected    reftest.Matrix `json:"expected"`
		MinExpected reftest.Num    `json:"min_expected"`
	} `json:"chisq"`
	Fisher []struct {
		Name            string         `json:"name"`
		Table           reftest.Matrix `json:"table"`
		PValue          reftest.Num    `json:"p_value"`
		Estimate        *reftest.Num   `json:"estimate"`
		ConfInt         reftest.Vec    `json:"conf_int"`
		EstimatePrecise *reftest.Num   `json:"estimate_precise"`
		ConfIntPrecise  reftest.Vec    `json:"conf_int_precise"`
	} `json:"fisher"`
	TTest []struct {
		Name      string      `json:"name"`
		X         reftest.Vec `json:"x"`
		Y         reftest.Vec `json:"y"`
		Statistic reftest.Num `json:"statistic"`
		DF        reftest.Num `json:"df"`
		PValue    reftest.Num `json:"p_value"`
		MeanX     reftest.Num `json:"mean_x"`
		MeanY     reftest.Num `json:"mean_y"`
		ConfInt   reftest.Vec `json:"conf_int"`
		StdErr    reftest.Num `json:"std_err"`
	} `json:"ttest"`
	Wilcoxon []struct {
		Name      string      `json:"name"`
		X         reftest.Vec `json:"x"`
		Y         reftest.Vec `json:"y"`
		Statistic reftest.Num `json:"statistic"`
		PValue    reftest.Num `json:"p_value"`
	} `json:"wilcoxon"`
	Trend []struct {
		Name      string      `json:"name"`
		X         reftest.Vec `json:"x"`
		N         reftest.Vec `json:"n"`
		Score     reftest.Vec `json:"score"`
		Statistic reftest.Num `json:"statistic"`
		DF        reftest.Num `json:"df"`
		PValue    reftest.Num `json:"p_value"`
	} `json:"trend"`
}

func loadTests(t testing.TB) testsRef {
	var r testsRef
	reftest.Load(t, refDir+"tests.json", &r)
	return r
}

func TestWelchTTestAgainstR(t *testing.T) {
	ref := loadTests(t)
	if len(ref.TTest) == 0 {
		t.Fatal("no t-test cases")
	}
	for _, c := range ref.TTest {
		r, err := WelchTTest(c.X, c.Y)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		reftest.Rel(t, c.Name+" t", r.Statistic, float64(c.Statistic), relTol)
		reftest.Rel(t, c.Name+" df", r.DF, float64(c.DF), relTol)
		reftest.Rel(t, c.Name+" p", r.PValue, float64(c.PValue), relTol)
		reftest.Rel(t, c.Name+" mean_x", r.MeanX, float64(c.MeanX), relTol)
		reftest.Rel(t, c.Name+" mean_y", r.MeanY, float64(c.MeanY), relTol)
		reftest.Rel(t, c.Name+" se", r.StdErr, float64(c.StdErr), relTol)
		reftest.Rel(t, c.Name+" ci low", r.ConfLow, c.ConfInt[0], relTol)
		reftest.Rel(t, c.Name+" ci high", r.ConfHigh, c.ConfInt[1], relTol)
	}
}

func TestWelchTTestErrors(t *testing.T) {
	_, err := WelchTTest([]float64{2, 2, 2}, []float64{5, 5})
	wantErr(t, "zero variance", err, "zero variance")
	_, err = WelchTTest([]float64{1}, []float64{5, 6})
	wantErr(t, "single value", err, "at least 2")
	_, err = WelchTTest(nil, []float64{5, 6})
	wantErr(t, "empty group", err, "at least 2")
	_, err = WelchTTest([]float64{math.NaN(), 1}, []float64{5, 6})
	wantErr(t, "NaN leaves one value", err, "at least 2")
	// NaN entries are dropped, not propagated.
	ref := loadTests(t)
	c := ref.TTest[0]
	x := append([]float64{math.NaN()}, c.X...)
	r, err := WelchTTest(x, c.Y)
	if err != nil {
		t.Fatal(err)
	}
	reftest.Rel(t, "t with NaN dropped", r.Statistic, float64(c.Statistic), relTol)
	if r.NX != len(c.X) {
		t.Errorf("n_x = %d, want %d", r.NX, len(c.X))
	}
}

func TestWilcoxonRankSumAgainstR(t *testing.T) {
	ref := loadTests(t)
	if len(ref.Wilcoxon) == 0 {
		t.Fatal("no wilcoxon cases")
	}
	for _, c := range ref.Wilcoxon {
		r, err := WilcoxonRankSum(c.X, c.Y)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		reftest.Rel(t, c.Name+" W", r.Statistic, float64(c.Statistic), relTol)
		reftest.Rel(t, c.Name+" p", r.PValue, float64(c.PValue), relTol)
	}
}

func TestWilcoxonRankSumErrors(t *testing.T) {
	_, err := WilcoxonRankSum([]float64{3, 3}, []float64{3, 3, 3})
	wantErr(t, "all tied", err, "tied")
	_, err = WilcoxonRankSum(nil, []float64{1, 2})
	wantErr(t, "empty group", err, "both groups")
	_, err = WilcoxonRankSum([]float64{math.NaN()}, []float64{1, 2})
	wantErr(t, "only NaN", err, "both groups")
}
