package stats

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

// TestSMDCategoricalLevelCap: above SMDMaxLevels non-reference levels the
// multi-level SMD is NaN at once, without the (k−1)² covariance and its
// O(k³) SVD (at 10^5 levels that matrix alone was 80 GB).
func TestSMDCategoricalLevelCap(t *testing.T) {
	k := 100000
	x, y := make([]float64, k), make([]float64, k)
	for i := range x {
		x[i], y[i] = 1, float64(1+i%3)
	}
	var got float64
	if b := reftest.AllocatedBytes(func() { got = SMDCategorical(x, y) }); b > 1<<20 {
		t.Errorf("allocated %d bytes: the cap must come before any k-sized matrix", b)
	}
	if !math.IsNaN(got) {
		t.Errorf("SMDCategorical with %d levels = %v, want NaN", k, got)
	}
	// Just below the cap it is computed (two levels differ, so SMD > 0).
	small := func(k int) ([]float64, []float64) {
		a, b := make([]float64, k), make([]float64, k)
		for i := range a {
			a[i], b[i] = 2, 2
		}
		a[1], b[2] = 7, 9
		return a, b
	}
	if a, b := small(SMDMaxLevels + 2); !math.IsNaN(SMDCategorical(a, b)) {
		t.Errorf("%d levels: want NaN", SMDMaxLevels+2)
	}
	if a, b := small(50); !(SMDCategorical(a, b) > 0) {
		t.Errorf("50 levels: SMD %v, want > 0", SMDCategorical(a, b))
	}
}

// TestTableOneWideCategoricalNotesSMD: Table 1 of a variable with more
// than SMDMaxLevels+1 levels keeps its counts and test but reports no SMD,
// with a note that says why (both the two-group and the k-group table).
func TestTableOneWideCategoricalNotesSMD(t *testing.T) {
	k := SMDMaxLevels + 100
	v := Variable{Name: "f"}
	var group []int
	for l := 0; l < k; l++ {
		v.Levels = append(v.Levels, fmt.Sprintf("L%d", l))
		// 6 rows per level and group: expected counts ≥ 5, so chi-square.
		for r := 0; r < 12; r++ {
			v.Values = append(v.Values, float64(l))
			group = append(group, r%2)
		}
	}
	var rows []Table1Row
	var err error
	// A (k−1)² covariance alone would be 2.9 MB; the tables without it
	// take about 0.6 MB.
	const most = 2 << 20
	if b := reftest.AllocatedBytes(func() { rows, err = TableOne([]Variable{v}, group) }); b > most {
		t.Errorf("two groups: allocated %d bytes; the SMD must not be computed", b)
	}
	if err != nil {
		t.Fatal(err)
	}
	first := rows[0]
	if len(rows) != k || first.SMD != nil || first.PValue == nil || !strings.Contains(first.Note, SMDTooManyLevels(k)) {
		t.Errorf("two groups: %d rows, SMD %v, p %v, note %q", len(rows), first.SMD, first.PValue, first.Note)
	}
	var rowsK []Table1Row
	if b := reftest.AllocatedBytes(func() { rowsK, err = TableOneK([]Variable{v}, group, []string{"a", "b"}) }); b > most {
		t.Errorf("k groups: allocated %d bytes; the SMD must not be computed", b)
	}
	if err != nil {
		t.Fatal(err)
	}
	if f := rowsK[0]; f.SMD != nil || !strings.Contains(f.Note, "SMD not computed: 600 levels") {
		t.Errorf("k groups: SMD %v, note %q", f.SMD, f.Note)
	}
}
