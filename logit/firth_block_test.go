package logit

import (
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
	"gonum.org/v1/gonum/mat"
)

type blockCase struct {
	Name      string      `json:"name"`
	Names     []string    `json:"names"`
	X         [][]float64 `json:"x"`
	Y         []float64   `json:"y"`
	Columns   []int       `json:"columns"`
	Statistic float64     `json:"statistic"`
	DF        int         `json:"df"`
	PValue    float64     `json:"p_value"`
}

func (c *blockCase) design() *Design {
	x := mat.NewDense(len(c.X), len(c.Names), nil)
	for i, row := range c.X {
		x.SetRow(i, row)
	}
	return &Design{X: x, Y: append([]float64(nil), c.Y...), Names: c.Names}
}

// TestFirthBlockTestAgainstR: the penalized LR statistic of a block
// (logistftest, computed in R from the penalized likelihood) on birthwt,
// the separated endometrial data and the reference study; with the
// estimate given and fitted inside.
func TestFirthBlockTestAgainstR(t *testing.T) {
	var cs []blockCase
	reftest.Load(t, "testdata/reference/logit/firth/block_test.json", &cs)
	if len(cs) < 4 {
		t.Fatalf("%d reference cases", len(cs))
	}
	for _, c := range cs {
		t.Run(c.Name, func(t *testing.T) {
			d := c.design()
			bt, err := FirthBlockTest(d, c.Columns, nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			reftest.Close(t, "statistic", bt.Statistic, c.Statistic, 1e-6, 1e-9)
			reftest.Close(t, "p_value", bt.PValue, c.PValue, 1e-6, 1e-12)
			if bt.DF != c.DF || len(bt.Columns) != c.DF {
				t.Errorf("df %d (columns %v), R %d", bt.DF, bt.Columns, c.DF)
			}
			m, err := FitFirth(d, Options{CI: CIWald})
			if err != nil {
				t.Fatal(err)
			}
			bt2, err := FirthBlockTest(d, c.Columns, m.Coef, Options{})
			if err != nil {
				t.Fatal(err)
			}
			reftest.Close(t, "statistic from FitFirth's estimate", bt2.Statistic, c.Statistic, 1e-6, 1e-9)
		})
	}
}

// A one-column block is FitFirth's per-coefficient penalized LR test.
func TestFirthBlockTestOneColumnIsTermLR(t *testing.T) {
	var cs []blockCase
	reftest.Load(t, "testdata/reference/logit/firth/block_test.json", &cs)
	d := cs[2].design() // endometrial: separated
	m, err := FitFirth(d, Options{CI: CIWald})
	if err != nil {
		t.Fatal(err)
	}
	for j := 1; j < len(d.Names); j++ {
		bt, err := FirthBlockTest(d, []int{j}, m.Coef, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if m.Terms[j].LRStatistic == nil {
			t.Fatalf("%s: FitFirth has no LR statistic", d.Names[j])
		}
		reftest.Close(t, d.Names[j], bt.Statistic, *m.Terms[j].LRStatistic, 1e-8, 1e-10)
	}
}

func TestFirthBlockTestRefusesBadColumns(t *testing.T) {
	var cs []blockCase
	reftest.Load(t, "testdata/reference/logit/firth/block_test.json", &cs)
	d := cs[0].design()
	for _, cols := range [][]int{nil, {99}, {-1}, {1, 1}} {
		if _, err := FirthBlockTest(d, cols, nil, Options{}); err == nil {
			t.Errorf("columns %v accepted", cols)
		}
	}
}
