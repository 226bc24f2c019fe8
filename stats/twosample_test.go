package stats

import (
	"math"
	"testing"
)

type testsRef struct {
	Chisq []struct {
		Name        string `json:"name"`
		Table       matrix `json:"table"`
		Statistic   num    `json:"statistic"`
		DF          num    `json:"df"`
		PValue      num    `json:"p_value"`
		Expected    matrix `json:"expected"`
		MinExpected num    `json:"min_expected"`
	} `json:"chisq"`
	Fisher []struct {
		Name            string `json:"name"`
		Table           matrix `json:"table"`
		PValue          num    `json:"p_value"`
		Estimate        *num   `json:"estimate"`
		ConfInt         vec    `json:"conf_int"`
		EstimatePrecise *num   `json:"estimate_precise"`
		ConfIntPrecise  vec    `json:"conf_int_precise"`
	} `json:"fisher"`
	TTest []struct {
		Name      string `json:"name"`
		X         vec    `json:"x"`
		Y         vec    `json:"y"`
		Statistic num    `json:"statistic"`
		DF        num    `json:"df"`
		PValue    num    `json:"p_value"`
		MeanX     num    `json:"mean_x"`
		MeanY     num    `json:"mean_y"`
		ConfInt   vec    `json:"conf_int"`
		StdErr    num    `json:"std_err"`
	} `json:"ttest"`
	Wilcoxon []struct {
		Name      string `json:"name"`
		X         vec    `json:"x"`
		Y         vec    `json:"y"`
		Statistic num    `json:"statistic"`
		PValue    num    `json:"p_value"`
	} `json:"wilcoxon"`
	Trend []struct {
		Name      string `json:"name"`
		X         vec    `json:"x"`
		N         vec    `json:"n"`
		Score     vec    `json:"score"`
		Statistic num    `json:"statistic"`
		DF        num    `json:"df"`
		PValue    num    `json:"p_value"`
	} `json:"trend"`
}

func loadTests(t testing.TB) testsRef {
	var r testsRef
	loadRef(t, "tests.json", &r)
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
		check(t, c.Name+" t", r.Statistic, float64(c.Statistic))
		check(t, c.Name+" df", r.DF, float64(c.DF))
		check(t, c.Name+" p", r.PValue, float64(c.PValue))
		check(t, c.Name+" mean_x", r.MeanX, float64(c.MeanX))
		check(t, c.Name+" mean_y", r.MeanY, float64(c.MeanY))
		check(t, c.Name+" se", r.StdErr, float64(c.StdErr))
		check(t, c.Name+" ci low", r.ConfLow, c.ConfInt[0])
		check(t, c.Name+" ci high", r.ConfHigh, c.ConfInt[1])
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
	check(t, "t with NaN dropped", r.Statistic, float64(c.Statistic))
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
		check(t, c.Name+" W", r.Statistic, float64(c.Statistic))
		check(t, c.Name+" p", r.PValue, float64(c.PValue))
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
