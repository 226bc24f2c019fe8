package stats

import (
	"math"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// TestWelchANOVAAndKruskalWallisMatchR checks both k-group tests against
// R's oneway.test(var.equal = FALSE) and kruskal.test on small groups
// with ties and a missing value (testdata/reference/describe/byk.R).
func TestWelchANOVAAndKruskalWallisMatchR(t *testing.T) {
	var ref struct {
		Tests struct {
			Groups []reftest.Vec `json:"groups"`
			Welch  struct {
				Statistic float64 `json:"statistic"`
				DF1       float64 `json:"df1"`
				DF2       float64 `json:"df2"`
				PValue    float64 `json:"p_value"`
			} `json:"welch"`
			Kruskal struct {
				Statistic float64 `json:"statistic"`
				DF        float64 `json:"df"`
				PValue    float64 `json:"p_value"`
			} `json:"kruskal"`
		} `json:"tests"`
	}
	reftest.Load(t, "testdata/reference/describe/byk.json", &ref)
	groups := make([][]float64, len(ref.Tests.Groups))
	for i, g := range ref.Tests.Groups {
		groups[i] = g
	}
	if !math.IsNaN(groups[0][4]) {
		t.Fatal("the reference's first group should carry an NA")
	}
	// An empty group is ignored, as R drops unused factor levels.
	withEmpty := append(append([][]float64{}, groups...), []float64{math.NaN()})
	for _, gs := range [][][]float64{groups, withEmpty} {
		w, err := WelchANOVA(gs)
		if err != nil {
			t.Fatal(err)
		}
		reftest.Rel(t, "Welch F", w.Statistic, ref.Tests.Welch.Statistic, 1e-6)
		reftest.Rel(t, "Welch df1", w.DF1, ref.Tests.Welch.DF1, 1e-6)
		reftest.Rel(t, "Welch df2", w.DF2, ref.Tests.Welch.DF2, 1e-6)
		reftest.Rel(t, "Welch p", w.PValue, ref.Tests.Welch.PValue, 1e-6)
		kw, err := KruskalWallis(gs)
		if err != nil {
			t.Fatal(err)
		}
		reftest.Rel(t, "Kruskal H", kw.Statistic, ref.Tests.Kruskal.Statistic, 1e-6)
		reftest.Rel(t, "Kruskal df", kw.DF, ref.Tests.Kruskal.DF, 1e-6)
		reftest.Rel(t, "Kruskal p", kw.PValue, ref.Tests.Kruskal.PValue, 1e-6)
	}
}

// TestKGroupTestsRefuseUndefined: the cases where R returns NaN or stops
// are errors that say why.
func TestKGroupTestsRefuseUndefined(t *testing.T) {
	cases := []struct {
		name   string
		f      func() error
		reason string
	}{
		{"welch one group", func() error { _, err := WelchANOVA([][]float64{{1, 2}, {}}); return err }, "two groups"},
		{"welch single value", func() error { _, err := WelchANOVA([][]float64{{1, 2}, {3}}); return err }, "two values"},
		{"welch zero variance", func() error { _, err := WelchANOVA([][]float64{{1, 2}, {3, 3}}); return err }, "zero variance"},
		{"kruskal one group", func() error { _, err := KruskalWallis([][]float64{{1, 2}, {math.NaN()}}); return err }, "two groups"},
		{"kruskal all tied", func() error { _, err := KruskalWallis([][]float64{{4, 4}, {4}}); return err }, "tied"},
	}
	for _, c := range cases {
		err := c.f()
		if err == nil || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: %v, want an error about %q", c.name, err, c.reason)
		}
	}
}

// TestSMDMeanPairwise: the mean over pairs, NaN pairs left out.
func TestSMDMeanPairwise(t *testing.T) {
	d := map[[2]int]float64{{0, 1}: 0.2, {0, 2}: math.NaN(), {1, 2}: 0.4}
	got := SMDMeanPairwise(3, func(i, j int) float64 { return d[[2]int{i, j}] })
	if math.Abs(got-0.3) > 1e-15 {
		t.Errorf("mean pairwise SMD %g, want 0.3", got)
	}
	if !math.IsNaN(SMDMeanPairwise(2, func(int, int) float64 { return math.NaN() })) {
		t.Error("no pair: want NaN")
	}
}
