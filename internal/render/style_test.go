package render

import (
	"math"
	"strings"
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

// Markdown keeps a journal table's structure: leading spaces collapse
// there, so level rows are indented by no-break spaces and each
// variable's header row is bold.
func TestMarkdownLevelRows(t *testing.T) {
	doc := &Document{Tables: []Table{{Name: "t", Columns: []string{"Characteristic", "n"},
		Rows:  [][]string{{"novelty", ""}, {"me_too", "61"}, {"dev_years", "9.1"}},
		Kinds: []RowKind{RowHeader, RowLevel, RowData}}}}
	var b strings.Builder
	if err := Write(&b, "markdown", doc); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"| **novelty**", "| \u00a0\u00a0\u00a0\u00a0me_too", "| dev_years"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

// In a sentence the relation is part of the value: never "p = <0.001"
// (seen in cluster's note) or "p <0.001" (logit's fit table).
func TestFormatPRelation(t *testing.T) {
	for _, c := range []struct {
		p    float64
		want string
	}{{0.0004, "< 0.001"}, {0.018, "= 0.02"}, {0.0049, "= 0.005"}, {0.995, "> 0.99"}, {math.NaN(), "= NA"}} {
		if got := FormatPRelation(c.p); got != c.want {
			t.Errorf("FormatPRelation(%g) = %q, want %q", c.p, got, c.want)
		}
	}
}
