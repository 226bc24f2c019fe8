package render

import (
	"math"
	"testing"
)

func TestFormatP(t *testing.T) {
	for _, c := range []struct {
		p    float64
		want string
	}{
		{0.0004, "<0.001"}, {0.001, "0.001"}, {0.0093, "0.009"},
		{0.012, "0.01"}, {0.048, "0.048"}, {0.0549, "0.055"}, {0.056, "0.06"},
		{0.5, "0.50"}, {0.994, ">0.99"}, {math.NaN(), "NA"},
	} {
		if got := FormatP(c.p); got != c.want {
			t.Errorf("FormatP(%v) = %q, want %q", c.p, got, c.want)
		}
	}
}

func TestFormatRatio(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{2.3149, "2.31"}, {0.04516, "0.0452"}, {2370.1, "2370"}, {99.994, "99.99"},
		{0.1, "0.10"}, {math.Inf(1), "Inf"}, {math.NaN(), "NA"}, {0, "0"},
	} {
		if got := FormatRatio(c.x); got != c.want {
			t.Errorf("FormatRatio(%v) = %q, want %q", c.x, got, c.want)
		}
	}
	if got := FormatRatioCI(38.6, 2.22, 2370.1); got != "38.60 (2.22, 2370)" {
		t.Errorf("FormatRatioCI = %q", got)
	}
}
