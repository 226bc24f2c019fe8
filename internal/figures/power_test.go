package figures

import (
	"bytes"
	"math"
	"testing"
)

func TestPowerCurveRendersDeterministically(t *testing.T) {
	series := []PowerSeries{
		{Label: "exposure (simulated)", Power: []float64{0.2, 0.5, math.NaN(), 0.9}, SE: []float64{0.01, 0.02, math.NaN(), 0.01}},
		{Label: "closed form", Power: []float64{0.22, 0.52, 0.75, 0.91}},
	}
	f, err := PowerCurve([]int{50, 100, 150, 200}, series, 0.8, "Power curve")
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.SVG()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.SVG()
	if !bytes.Equal(a, b) || !bytes.Contains(a, []byte("closed form")) {
		t.Error("SVG not deterministic or legend missing")
	}
	if _, err := f.PNG(); err != nil {
		t.Fatal(err)
	}
	_, err = PowerCurve([]int{90}, series[:1:1], 0, "")
	if err == nil {
		t.Fatal("a 4-value series on 1 point accepted")
	}
	one, err := PowerCurve([]int{90}, []PowerSeries{{Label: "x", Power: []float64{0.4}, SE: []float64{0.01}}}, 0, "")
	if err != nil || one == nil {
		t.Fatal(err)
	}
	if _, err := one.SVG(); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][]int{nil, {100, 50}} {
		if _, err := PowerCurve(c, series, 0.8, ""); err == nil {
			t.Errorf("cases %v accepted", c)
		}
	}
}
