package analysis

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"gonum.org/v1/gonum/mat"
)

// clLargeTable is n rows of three clusters in two numeric columns (a
// seeded sample) with a 0/1 outcome.
func clLargeTable(t *testing.T, n int) *dataset.Table {
	t.Helper()
	s, err := dataset.ParseSchema([]byte(`{"fields":[{"name":"id","type":"string","role":"id"},{"name":"y","type":"integer","role":"outcome"},
{"name":"a","type":"number","role":"covariate"},{"name":"b","type":"number","role":"covariate"}]}`), "large.json")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("id,y,a,b\n")
	for i := 0; i < n; i++ {
		c := float64(i % 3)
		fmt.Fprintf(&b, "r%d,%d,%.5f,%.5f\n", i, i%2, 4*c+rng.NormFloat64(), c*c+rng.NormFloat64())
	}
	tb, err := dataset.Load(strings.NewReader(b.String()), "large.csv", s, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// hwOptimal reports whether no single row can move to another cluster and
// lower the total within sum of squares — the optimum Hartigan–Wong
// guarantees: moving x from l (n_l rows) to m changes it by
// n_m/(n_m+1)·‖x − c_m‖² − n_l/(n_l−1)·‖x − c_l‖².
func hwOptimal(X *mat.Dense, cl []int, k int) (bool, string) {
	n, p := X.Dims()
	size := make([]float64, k)
	cen := make([][]float64, k)
	for c := range cen {
		cen[c] = make([]float64, p)
	}
	for i := 0; i < n; i++ {
		size[cl[i]-1]++
		for j := 0; j < p; j++ {
			cen[cl[i]-1][j] += X.At(i, j)
		}
	}
	for c := range cen {
		for j := range cen[c] {
			cen[c][j] /= size[c]
		}
	}
	d2 := func(i, c int) float64 {
		var s float64
		for j := 0; j < p; j++ {
			d := X.At(i, j) - cen[c][j]
			s += d * d
		}
		return s
	}
	for i := 0; i < n; i++ {
		l := cl[i] - 1
		if size[l] < 2 {
			continue
		}
		out := size[l] / (size[l] - 1) * d2(i, l)
		for m := 0; m < k; m++ {
			if m != l && size[m]/(size[m]+1)*d2(i, m) < out*(1-1e-9) {
				return false, fmt.Sprintf("row %d: moving it from cluster %d to %d lowers the within SS", i, l+1, m+1)
			}
		}
	}
	return true, ""
}

// TestClusterLargeN: above LargeRows rows the settings state the large-n
// regime (subsamples, reduced B, restarts per fit) and the cost; every
// reported partition is still a Hartigan–Wong optimum on all rows; the
// result is deterministic. At LargeRows rows nothing is reduced.
func TestClusterLargeN(t *testing.T) {
	if testing.Short() {
		t.Skip("6000 rows")
	}
	o := DefaultClusterOptions()
	o.KMax, o.NStart = 4, 20
	tb := clLargeTable(t, LargeRows+1000)
	res, err := Cluster(tb, o)
	if err != nil {
		t.Fatal(err)
	}
	l := res.Settings.LargeN
	want := LargeNSettings{Threshold: LargeRows, Rows: LargeRows + 1000, FitRows: LargeFitRows, FitNStart: 20, GapRows: LargeGapRows,
		GapB: LargeGapB, BootRows: LargeBootRows, BootB: LargeBootB, MCNStart: LargeMCNStart, GapBCapped: true, BootBCapped: true}
	if l == nil || *l != want {
		t.Fatalf("large_n %+v, want %+v", l, want)
	}
	if s := res.Settings; s.GapB != LargeGapB || s.BootB != LargeBootB || s.GapBootNStart != LargeMCNStart ||
		!strings.Contains(s.Cost, fmt.Sprintf("%d runs on %d rows", (LargeGapB+1)*4*LargeMCNStart, LargeGapRows)) {
		t.Errorf("settings gap_b %d boot_b %d gap_boot_nstart %d, cost %q", s.GapB, s.BootB, s.GapBootNStart, s.Cost)
	}
	for k, cl := range res.Partitions {
		if ok, why := hwOptimal(res.X, cl, k); !ok {
			t.Errorf("k = %d: %s", k, why)
		}
	}
	if res.K != 3 || len(res.Stability) != 3 {
		t.Errorf("k = %d (three clusters were drawn), stability %+v", res.K, res.Stability)
	}
	again, err := Cluster(tb, o)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(res)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Error("two runs with one seed differ")
	}
	// At the threshold (cheap settings: only the regime is checked).
	o.GapB, o.BootB, o.NStart, o.KMax = 3, 3, 2, 3
	small, err := Cluster(clLargeTable(t, LargeRows), o)
	if err != nil {
		t.Fatal(err)
	}
	if small.Settings.LargeN != nil || small.Settings.GapB != o.GapB || small.Settings.BootB != o.BootB {
		t.Errorf("at %d rows: large_n %+v, gap_b %d, boot_b %d", LargeRows, small.Settings.LargeN, small.Settings.GapB, small.Settings.BootB)
	}
}
