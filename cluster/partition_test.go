package cluster

import (
	"math"
	"slices"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// TestWithinSSMatchesR: the sums of squares of R's own k-means partitions
// (fixed starts) equal R's withinss, totss, betweenss and centres.
func TestWithinSSMatchesR(t *testing.T) {
	var ref kmRef
	reftest.Load(t, refDir+"kmeans.json", &ref)
	for _, c := range ref.Fixed {
		X := denseOf(ref.Data[c.Dataset])
		s, err := WithinSS(X, c.Cluster, c.K)
		if err != nil {
			t.Fatalf("%s k=%d: %v", c.Dataset, c.K, err)
		}
		for l := range c.K {
			if !scalar.EqualWithinRel(s.Withinss[l], c.Withinss[l], 1e-9) {
				t.Errorf("%s k=%d: withinss[%d] = %.17g, R %.17g", c.Dataset, c.K, l, s.Withinss[l], c.Withinss[l])
			}
			for j, v := range c.Centers[l] {
				if math.Abs(s.Centers[l][j]-v) > 1e-12*math.Max(1, math.Abs(v)) {
					t.Errorf("%s k=%d: centre[%d][%d] = %.17g, R %.17g", c.Dataset, c.K, l, j, s.Centers[l][j], v)
				}
			}
		}
		for _, q := range []struct {
			name      string
			got, want float64
		}{{"tot_withinss", s.TotWithinss, c.TotWithinss}, {"totss", s.Totss, c.Totss}, {"betweenss", s.Betweenss, c.Betweenss}} {
			if !scalar.EqualWithinRel(q.got, q.want, 1e-9) {
				t.Errorf("%s k=%d: %s = %.17g, R %.17g", c.Dataset, c.K, q.name, q.got, q.want)
			}
		}
		if got := Relabel(c.Cluster, c.K); !slices.Equal(got, canon(c.Cluster)) {
			t.Errorf("%s k=%d: Relabel %v, want %v", c.Dataset, c.K, got, canon(c.Cluster))
		}
	}
	if _, err := WithinSS(mat.NewDense(2, 1, []float64{1, 2}), []int{1, 3}, 2); err == nil {
		t.Error("label outside 1..k accepted")
	}
	if _, err := WithinSS(mat.NewDense(2, 1, []float64{1, 2}), []int{1, 1}, 2); err == nil {
		t.Error("empty cluster accepted")
	}
}

// TestRelabelTies: equal sizes are ordered by the earliest row.
func TestRelabelTies(t *testing.T) {
	got := Relabel([]int{3, 1, 1, 2, 2, 3, 3, 1}, 3)
	// Old clusters 1 and 3 both have 3 rows; 3 holds row 1, so it becomes 1.
	want := []int{1, 2, 2, 3, 3, 1, 1, 2}
	if !slices.Equal(got, want) {
		t.Errorf("Relabel = %v, want %v", got, want)
	}
}

// TestDistinctRows: −0 and +0 are one point, as in R's unique().
func TestDistinctRows(t *testing.T) {
	X := mat.NewDense(4, 2, []float64{0, 1, math.Copysign(0, -1), 1, 2, 3, 2, 3})
	if got := DistinctRows(X); got != 2 {
		t.Errorf("DistinctRows = %d, want 2", got)
	}
}
