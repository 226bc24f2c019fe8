package figures

import (
	"bytes"
	"html"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot/vg"
)

// svgHasText reports whether the SVG draws s as one text element.
func svgHasText(svg []byte, s string) bool {
	return bytes.Contains(svg, []byte(">"+html.EscapeString(s)+"</text>"))
}

// render returns both encodings, failing the test on any error.
func render(t testing.TB, f *Figure) (svg, pngb []byte) {
	t.Helper()
	svg, err := f.SVG()
	if err != nil {
		t.Fatalf("SVG: %v", err)
	}
	pngb, err = f.PNG()
	if err != nil {
		t.Fatalf("PNG: %v", err)
	}
	if !bytes.HasPrefix(svg, []byte("<?xml")) || !bytes.Contains(svg, []byte("</svg>")) {
		t.Fatalf("SVG output is not a complete SVG document (%d bytes)", len(svg))
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(pngb))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	w, h := f.Size()
	if want := int(math.Ceil(w.Points() / 72 * PNGDPI)); absInt(cfg.Width-want) > 1 {
		t.Errorf("PNG width %d px, want %d (%.2f in at %d dpi)", cfg.Width, want, w.Points()/72, PNGDPI)
	}
	if want := int(math.Ceil(h.Points() / 72 * PNGDPI)); absInt(cfg.Height-want) > 1 {
		t.Errorf("PNG height %d px, want %d", cfg.Height, want)
	}
	return svg, pngb
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// expectedText lists strings each example figure must draw: its title and
// axis titles.
var expectedText = map[string][]string{
	"products":  {"Internationalised products per year by company type", "Overseas year", "Products (n)", "Biotech", "2023", "27"},
	"forest":    {"Adjusted odds ratios of running trials abroad", "Odds ratio (95% CI, log scale)", "OR (95% CI)", "Founder returnee", "0.1", "10", "not estimable", "Arrowheads: the interval continues beyond the axis (infinite, undefined or out of range)."},
	"forest2":   {"Crude and adjusted odds ratios", "Odds ratio (95% CI, log scale)", "Adjusted", "Crude"},
	"subgroup":  {"Odds ratio of log(R&D expenditure) within subgroups", "Odds ratio (95% CI, log scale)", "company_type", "interaction p = 0.21", "interaction p < 0.001", "interaction p not available", "listing_board = HKEX"},
	"kselect":   {"Choosing the number of clusters (chosen k = 3)", "Elbow", "Silhouette", "Gap statistic (± 1 SE)", "Number of clusters k", "Total within-cluster SS", "Average silhouette width", "Gap"},
	"heatmap28": {"Cluster profiles (standardized centres)", "Cluster", "Encoded variable", "overseas_staff", "Cluster 4 (n = 19)"},
	"heatmap8":  {"Cluster profiles (standardized centres)", "NA", "foreign_vc"},
	"caseshare": {"Share of cases per cluster", "Cluster", "Cases among members (%)", "73 % (n = 52)", "overall", "50 %"},
}

func TestExamplesRenderDeterministically(t *testing.T) {
	figs := exampleFigures()
	if len(figs) != len(expectedText) {
		t.Fatalf("%d example figures but expectations for %d", len(figs), len(expectedText))
	}
	for name, build := range figs {
		t.Run(name, func(t *testing.T) {
			f, err := build()
			if err != nil {
				t.Fatal(err)
			}
			svg1, png1 := render(t, f)
			svg2, png2 := render(t, f)
			if !bytes.Equal(svg1, svg2) {
				t.Error("second SVG render differs from the first")
			}
			if !bytes.Equal(png1, png2) {
				t.Error("second PNG render differs from the first")
			}
			// A figure rebuilt from the same inputs renders identically too.
			g, err := build()
			if err != nil {
				t.Fatal(err)
			}
			svg3, png3 := render(t, g)
			if !bytes.Equal(svg1, svg3) || !bytes.Equal(png1, png3) {
				t.Error("rebuilt figure renders differently")
			}
			if bytes.Contains(svg1, []byte("font-family:Liberation Sans;")) || !bytes.Contains(svg1, []byte(svgFontFamily)) {
				t.Error("SVG text lacks the sans-serif fallback font list")
			}
			want, ok := expectedText[name]
			if !ok {
				t.Fatalf("no expected text for %q", name)
			}
			for _, s := range want {
				if !svgHasText(svg1, s) {
					t.Errorf("SVG lacks text %q", s)
				}
			}
		})
	}
}

// TestGOMAXPROCSAndConcurrency renders every example with one OS thread,
// then all at once from goroutines, and requires the same bytes.
func TestGOMAXPROCSAndConcurrency(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every example twice more")
	}
	figs := exampleFigures()
	names := make([]string, 0, len(figs))
	for n := range figs {
		names = append(names, n)
	}
	type out struct{ svg, png []byte }
	renderAll := func() map[string]out {
		res := make(map[string]out, len(names))
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, n := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f, err := figs[n]()
				if err != nil {
					t.Error(err)
					return
				}
				s, err := f.SVG()
				if err != nil {
					t.Error(err)
					return
				}
				p, err := f.PNG()
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				res[n] = out{s, p}
				mu.Unlock()
			}()
		}
		wg.Wait()
		return res
	}
	prev := runtime.GOMAXPROCS(1)
	one := renderAll()
	runtime.GOMAXPROCS(max(prev, 4))
	many := renderAll()
	runtime.GOMAXPROCS(prev)
	for _, n := range names {
		if !bytes.Equal(one[n].svg, many[n].svg) || !bytes.Equal(one[n].png, many[n].png) {
			t.Errorf("%s: output depends on GOMAXPROCS or concurrent rendering", n)
		}
	}
}

// outcome of a degenerate-input case: an error, or a figure that renders.
type degenerate struct {
	name    string
	build   func() (*Figure, error)
	wantErr bool
	// text must appear in the SVG of a successful figure.
	text []string
}

func runDegenerate(t *testing.T, cases []degenerate) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var f *Figure
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panicked: %v", r)
					}
				}()
				f, err = c.build()
			}()
			if c.wantErr {
				if err == nil {
					t.Fatal("want an error, got a figure")
				}
				if !strings.HasPrefix(err.Error(), "figures: ") {
					t.Errorf("error %q does not say where it comes from", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			svg, pngb := render(t, f)
			writePreview(t, pngb)
			for _, s := range c.text {
				if !svgHasText(svg, s) {
					t.Errorf("SVG lacks text %q", s)
				}
			}
		})
	}
}

func TestProductsPerYearDegenerate(t *testing.T) {
	g := []string{"A"}
	many := make([]int, 80)
	manyCounts := make([]int, 80)
	for i := range many {
		many[i] = 1950 + i
		manyCounts[i] = 1000 + i
	}
	runDegenerate(t, []degenerate{
		{name: "no years", build: func() (*Figure, error) { return ProductsPerYear(nil, nil, nil, "t") }, wantErr: true},
		{name: "no groups", build: func() (*Figure, error) { return ProductsPerYear([]int{2020}, nil, nil, "t") }, wantErr: true},
		{name: "ragged", build: func() (*Figure, error) { return ProductsPerYear([]int{2020, 2021}, [][]int{{1}}, g, "t") }, wantErr: true},
		{name: "names mismatch", build: func() (*Figure, error) { return ProductsPerYear([]int{2020}, [][]int{{1}, {2}}, g, "t") }, wantErr: true},
		{name: "negative", build: func() (*Figure, error) { return ProductsPerYear([]int{2020}, [][]int{{-1}}, g, "t") }, wantErr: true},
		{name: "duplicate year", build: func() (*Figure, error) { return ProductsPerYear([]int{2020, 2020}, [][]int{{1, 2}}, g, "t") }, wantErr: true},
		{name: "nine groups", build: func() (*Figure, error) {
			c := make([][]int, 9)
			n := make([]string, 9)
			for i := range c {
				c[i], n[i] = []int{1}, string(rune('A'+i))
			}
			return ProductsPerYear([]int{2020}, c, n, "t")
		}, wantErr: true},
		{name: "single year", build: func() (*Figure, error) { return ProductsPerYear([]int{2020}, [][]int{{3}}, g, "One year") },
			text: []string{"One year", "2020", "3", "Products (n)", "Overseas year"}},
		{name: "all zero", build: func() (*Figure, error) {
			return ProductsPerYear([]int{2020, 2021}, [][]int{{0, 0}, {0, 0}}, []string{"A", "B"}, "Zeros")
		}, text: []string{"Zeros", "0"}},
		{name: "eighty years", build: func() (*Figure, error) { return ProductsPerYear(many, [][]int{manyCounts}, g, "Crowded") },
			text: []string{"Crowded"}},
	})
}

func TestProductsPerYearTotalsOnlyWhenReadable(t *testing.T) {
	years := make([]int, 80)
	counts := make([]int, 80)
	for i := range years {
		years[i], counts[i] = 1950+i, 1000+i
	}
	f, err := ProductsPerYear(years, [][]int{counts}, []string{"A"}, "Crowded")
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := render(t, f)
	if svgHasText(svg, "1079") {
		t.Error("totals drawn on 80 bars, where they cannot be read")
	}
	y, c, g := exampleProducts()
	f, err = ProductsPerYear(y, c, g, "Roomy")
	if err != nil {
		t.Fatal(err)
	}
	svg, _ = render(t, f)
	for i := range y {
		total := 0
		for _, row := range c {
			total += row[i]
		}
		if !svgHasText(svg, itoa(total)) {
			t.Errorf("total %d of %d missing", total, y[i])
		}
	}
}

func itoa(v int) string { return strings.TrimSpace(fmtNum(float64(v), 0)) }

func TestCaseShareDegenerate(t *testing.T) {
	runDegenerate(t, []degenerate{
		{name: "empty", build: func() (*Figure, error) { return CaseShare(nil, nil, nil, 0.5, "t") }, wantErr: true},
		{name: "mismatch", build: func() (*Figure, error) { return CaseShare([]string{"a"}, []float64{0.5, 0.2}, []int{1}, 0.5, "t") }, wantErr: true},
		{name: "share above one", build: func() (*Figure, error) { return CaseShare([]string{"a"}, []float64{50}, []int{10}, 0.5, "t") }, wantErr: true},
		{name: "NaN share with members", build: func() (*Figure, error) { return CaseShare([]string{"a"}, []float64{math.NaN()}, []int{10}, 0.5, "t") }, wantErr: true},
		{name: "NaN overall", build: func() (*Figure, error) { return CaseShare([]string{"a"}, []float64{0.5}, []int{10}, math.NaN(), "t") }, wantErr: true},
		{name: "negative n", build: func() (*Figure, error) { return CaseShare([]string{"a"}, []float64{0.5}, []int{-1}, 0.5, "t") }, wantErr: true},
		{name: "single", build: func() (*Figure, error) { return CaseShare([]string{"Only"}, []float64{1}, []int{7}, 1, "One cluster") },
			text: []string{"One cluster", "Only", "100 % (n = 7)", "100 %"}},
		{name: "empty cluster", build: func() (*Figure, error) {
			return CaseShare([]string{"a", "b"}, []float64{math.NaN(), 0}, []int{0, 5}, 0, "Empty")
		}, text: []string{"n = 0", "0 % (n = 5)"}},
		{name: "long labels", build: func() (*Figure, error) {
			l := []string{"Large listed biotech with overseas founders", "Traditional pharma", "Small platform companies", "Other"}
			return CaseShare(l, []float64{0.8, 0.3, 0.5, 0.2}, []int{40, 60, 50, 30}, 0.5, "Long")
		}, text: []string{"Traditional pharma", "Other"}},
	})
}

func TestCaseShareWrapsLongLabels(t *testing.T) {
	long := "Large listed biotech with overseas founders"
	f, err := CaseShare([]string{long, "b", "c", "d"}, []float64{0.8, 0.3, 0.5, 0.2}, []int{40, 60, 50, 30}, 0.5, "Long")
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := render(t, f)
	if svgHasText(svg, long) {
		t.Error("a label wider than its bar slot was drawn on one line")
	}
	for _, w := range strings.Fields(long) {
		if !bytes.Contains(svg, []byte(w)) {
			t.Errorf("word %q of the wrapped label is missing", w)
		}
	}
}

func TestForestDegenerate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	one := []ForestRow{{Label: "x", OR: 2, Low: 1, High: 4}}
	runDegenerate(t, []degenerate{
		{name: "empty", build: func() (*Figure, error) { return Forest(nil, ForestOptions{}) }, wantErr: true},
		{name: "negative", build: func() (*Figure, error) {
			return Forest([]ForestRow{{Label: "x", OR: -1, Low: -2, High: 1}}, ForestOptions{})
		}, wantErr: true},
		{name: "low above high", build: func() (*Figure, error) {
			return Forest([]ForestRow{{Label: "x", OR: 2, Low: 3, High: 1}}, ForestOptions{})
		}, wantErr: true},
		{name: "OR outside CI", build: func() (*Figure, error) {
			return Forest([]ForestRow{{Label: "x", OR: 9, Low: 1, High: 2}}, ForestOptions{})
		}, wantErr: true},
		{name: "unmatched second", build: func() (*Figure, error) {
			return Forest(one, ForestOptions{Second: []ForestRow{{Label: "y", OR: 1, Low: 0.5, High: 2}}})
		}, wantErr: true},
		{name: "duplicate labels with second", build: func() (*Figure, error) {
			return Forest(append(one, one...), ForestOptions{Second: one})
		}, wantErr: true},
		{name: "bad limits", build: func() (*Figure, error) { return Forest(one, ForestOptions{XMin: 5, XMax: 1}) }, wantErr: true},
		{name: "single row", build: func() (*Figure, error) { return Forest(one, ForestOptions{}) },
			text: []string{"Odds ratios", "x", "Odds ratio (95% CI, log scale)", "1"}},
		{name: "all NaN", build: func() (*Figure, error) {
			return Forest([]ForestRow{{Label: "a", OR: nan, Low: nan, High: nan}, {Label: "b", OR: nan, Low: nan, High: nan}}, ForestOptions{Title: "Nothing"})
		}, text: []string{"Nothing", "a", "b", "not estimable", "1"}},
		{name: "infinite bounds", build: func() (*Figure, error) {
			return Forest([]ForestRow{{Label: "sep", OR: inf, Low: 3, High: inf}, {Label: "zero", OR: 0, Low: 0, High: 0.5}, {Label: "open", OR: 1.2, Low: 0, High: inf}}, ForestOptions{})
		}, text: []string{"sep", "zero", "open", "Arrowheads: the interval continues beyond the axis (infinite, undefined or out of range)."}},
		{name: "NaN bounds only", build: func() (*Figure, error) {
			return Forest([]ForestRow{{Label: "no ci", OR: 2, Low: nan, High: nan}, {Label: "half", OR: 2, Low: 1.5, High: nan}}, ForestOptions{})
		}, text: []string{"no ci", "half", "Arrowheads: the interval continues beyond the axis (infinite, undefined or out of range)."}},
		{name: "all equal", build: func() (*Figure, error) {
			return Forest([]ForestRow{{Label: "a", OR: 1, Low: 1, High: 1}, {Label: "b", OR: 1, Low: 1, High: 1}}, ForestOptions{})
		}, text: []string{"a", "b", "1"}},
		{name: "extreme", build: func() (*Figure, error) {
			return Forest([]ForestRow{{Label: "huge", OR: 1e9, Low: 1e6, High: 1e12}, {Label: "tiny", OR: 1e-9, Low: 1e-12, High: 1e-6}}, ForestOptions{})
		}, text: []string{"huge", "tiny", "1000", "0.001", "Arrowheads: the interval continues beyond the axis (infinite, undefined or out of range)."}},
		{name: "fixed narrow limits", build: func() (*Figure, error) { return Forest(one, ForestOptions{XMin: 1.1, XMax: 1.3}) }},
		{name: "second all NaN", build: func() (*Figure, error) {
			return Forest(one, ForestOptions{Second: []ForestRow{{Label: "x", OR: nan, Low: nan, High: nan}}, SecondName: "Raw"})
		}, text: []string{"Raw: not estimable", "Adjusted", "Raw"}},
	})
}

func TestForestLongLabelsWidenTheFigure(t *testing.T) {
	long := strings.Repeat("a very long covariate description ", 5)
	f, err := Forest([]ForestRow{{Label: long, OR: 2, Low: 1, High: 4}}, ForestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := f.Size()
	lw := textStyle(tickSize, false, 0, 0).Width(long)
	if w < lw+plotWidth {
		t.Errorf("figure %.0f pt wide cannot hold a %.0f pt label and a %.0f pt plot", w.Points(), lw.Points(), plotWidth.Points())
	}
	svg, _ := render(t, f)
	if !svgHasText(svg, long) {
		t.Error("long label missing")
	}
	short, _ := Forest([]ForestRow{{Label: "x", OR: 2, Low: 1, High: 4}}, ForestOptions{})
	if ws, _ := short.Size(); ws != 7*vg.Inch {
		t.Errorf("short labels: width %v, want the default 7 in", ws)
	}
}

func TestForestAxis(t *testing.T) {
	spec := forestSpec{lines: []forestLine{{est: []*ForestRow{
		{OR: 2.4, Low: 1.2, High: 4.9},
		{OR: 0.55, Low: 0.21, High: 1.44},
	}}}}
	if err := setLimits(&spec, 0, 0); err != nil {
		t.Fatal(err)
	}
	if spec.xmin > 0.21 || spec.xmax < 4.9 {
		t.Errorf("axis [%v, %v] does not cover the data [0.21, 4.9]", spec.xmin, spec.xmax)
	}
	onGrid := func(v float64) bool {
		m := v / math.Pow(10, math.Floor(math.Log10(v)+1e-12))
		for _, g := range []float64{1, 2, 5} {
			if math.Abs(m-g) < 1e-9 {
				return true
			}
		}
		return false
	}
	if !onGrid(spec.xmin) || !onGrid(spec.xmax) {
		t.Errorf("axis ends %v, %v are not on the 1-2-5 grid", spec.xmin, spec.xmax)
	}
	has1 := false
	for _, tk := range spec.logTicks() {
		if !onGrid(tk.Value) {
			t.Errorf("tick %v not on the 1-2-5 grid", tk.Value)
		}
		has1 = has1 || tk.Value == 1
		if tk.Value < spec.xmin || tk.Value > spec.xmax {
			t.Errorf("tick %v outside the axis", tk.Value)
		}
	}
	if !has1 {
		t.Error("no tick at OR = 1")
	}

	// Extreme estimates are capped so the axis stays readable.
	ext := forestSpec{lines: []forestLine{{est: []*ForestRow{{OR: 1e9, Low: 1e6, High: 1e12}, {OR: 1e-9, Low: 1e-12, High: 1e-8}}}}}
	if err := setLimits(&ext, 0, 0); err != nil {
		t.Fatal(err)
	}
	if ext.xmin < axisLimitLo/10 || ext.xmax > axisLimitHi*10 {
		t.Errorf("extreme axis [%v, %v] not capped near [%v, %v]", ext.xmin, ext.xmax, axisLimitLo, axisLimitHi)
	}
	if n := len(ext.logTicks()); n > 10 {
		t.Errorf("%d ticks on a capped axis: too many to read", n)
	}
	m := ext.marks(ext.lines[0].est[0])
	if !m.rightArrow || m.leftArrow {
		t.Errorf("estimate beyond the axis: marks %+v, want a right arrow only", m)
	}
}

func TestForestMarks(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	s := forestSpec{xmin: 0.1, xmax: 10}
	cases := []struct {
		row  ForestRow
		want estMarks
	}{
		{ForestRow{OR: 2, Low: 1, High: 4}, estMarks{}},
		{ForestRow{OR: 2, Low: 0, High: 4}, estMarks{leftArrow: true}},
		{ForestRow{OR: 2, Low: 1, High: inf}, estMarks{rightArrow: true}},
		{ForestRow{OR: 2, Low: nan, High: 4}, estMarks{leftArrow: true}},
		{ForestRow{OR: nan, Low: nan, High: nan}, estMarks{notEstimable: true}},
		{ForestRow{OR: 2, Low: nan, High: nan}, estMarks{pointOnly: true}},
		{ForestRow{OR: 50, Low: nan, High: nan}, estMarks{pointOnly: true, rightArrow: true}},
		{ForestRow{OR: 0.05, Low: 0.01, High: 0.08}, estMarks{leftArrow: true}},
		{ForestRow{OR: 20, Low: 12, High: 30}, estMarks{rightArrow: true}},
	}
	for _, c := range cases {
		if got := s.marks(&c.row); got != c.want {
			t.Errorf("%+v: marks %+v, want %+v", c.row, got, c.want)
		}
	}
}

func TestSubgroupForestDegenerate(t *testing.T) {
	nan := math.NaN()
	pan := []SubgroupPanel{{Variable: "v", InteractionP: 0.04, Rows: []ForestRow{{Label: "v = a", OR: 2, Low: 1, High: 4}}}}
	runDegenerate(t, []degenerate{
		{name: "no panels", build: func() (*Figure, error) { return SubgroupForest("x", nil, ForestOptions{}) }, wantErr: true},
		{name: "empty panel", build: func() (*Figure, error) {
			return SubgroupForest("x", []SubgroupPanel{{Variable: "v", InteractionP: 0.5}}, ForestOptions{})
		}, wantErr: true},
		{name: "second series", build: func() (*Figure, error) {
			return SubgroupForest("x", pan, ForestOptions{Second: []ForestRow{{Label: "v = a", OR: 1, Low: 1, High: 1}}})
		}, wantErr: true},
		{name: "bad row", build: func() (*Figure, error) {
			return SubgroupForest("x", []SubgroupPanel{{Variable: "v", Rows: []ForestRow{{Label: "a", OR: 5, Low: 1, High: 2}}}}, ForestOptions{})
		}, wantErr: true},
		{name: "one level", build: func() (*Figure, error) { return SubgroupForest("x", pan, ForestOptions{}) },
			text: []string{"Odds ratio of x within subgroups", "v", "interaction p = 0.04", "v = a", "Odds ratio (95% CI, log scale)"}},
		{name: "overall row without heading", build: func() (*Figure, error) {
			all := SubgroupPanel{Rows: []ForestRow{{Label: "All companies", OR: 1.5, Low: 1.1, High: 2}}}
			return SubgroupForest("x", append([]SubgroupPanel{all}, pan...), ForestOptions{Title: "With overall"})
		}, text: []string{"With overall", "All companies", "interaction p = 0.04"}},
		{name: "unestimable stratum", build: func() (*Figure, error) {
			return SubgroupForest("", []SubgroupPanel{{Variable: "v", InteractionP: nan, Rows: []ForestRow{{Label: "v = a", OR: nan, Low: nan, High: nan}}}}, ForestOptions{})
		}, text: []string{"Odds ratios within subgroups", "interaction p not available", "not estimable"}},
	})
}

func TestKSelectionDegenerate(t *testing.T) {
	nan := math.NaN()
	runDegenerate(t, []degenerate{
		{name: "empty", build: func() (*Figure, error) { return KSelection(nil, nil, nil, nil, nil, 0) }, wantErr: true},
		{name: "not increasing", build: func() (*Figure, error) { return KSelection([]int{2, 2}, []float64{1, 2}, nil, nil, nil, 2) }, wantErr: true},
		{name: "length mismatch", build: func() (*Figure, error) { return KSelection([]int{2, 3}, []float64{1}, nil, nil, nil, 2) }, wantErr: true},
		{name: "chosen missing", build: func() (*Figure, error) { return KSelection([]int{2, 3}, []float64{1, 2}, nil, nil, nil, 5) }, wantErr: true},
		{name: "negative SE", build: func() (*Figure, error) {
			return KSelection([]int{2, 3}, nil, nil, []float64{1, 2}, []float64{-1, 0}, 2)
		}, wantErr: true},
		{name: "single k", build: func() (*Figure, error) {
			return KSelection([]int{2}, []float64{10}, []float64{0.4}, []float64{0.5}, []float64{0.01}, 2)
		}, text: []string{"Choosing the number of clusters (chosen k = 2)", "2"}},
		{name: "nothing computed", build: func() (*Figure, error) { return KSelection([]int{1, 2, 3}, nil, nil, nil, nil, 0) },
			text: []string{"Choosing the number of clusters", "not computed"}},
		{name: "all NaN silhouette, all equal SS", build: func() (*Figure, error) {
			return KSelection([]int{1, 2, 3}, []float64{5, 5, 5}, []float64{nan, nan, nan}, []float64{0.1, nan, 0.3}, []float64{nan, nan, 0.01}, 1)
		}, text: []string{"not computed", "Elbow"}},
		{name: "many k", build: func() (*Figure, error) {
			k := make([]int, 30)
			w := make([]float64, 30)
			for i := range k {
				k[i], w[i] = i+1, 100/float64(i+1)
			}
			return KSelection(k, w, nil, nil, nil, 7)
		}, text: []string{"7", "Number of clusters k"}},
	})
}

func TestKPanelSkipsNaN(t *testing.T) {
	kp := kPanel{y: []float64{math.NaN(), 1, 2}, se: []float64{math.NaN(), 0.5, math.NaN()}}
	lo, hi := kp.yRange()
	if !(lo > 0.3 && lo < 0.5 && hi > 2 && hi < 2.2) {
		t.Errorf("y range [%v, %v]: NaN entries must not pull it to 0", lo, hi)
	}
	c := kPanel{y: []float64{3, 3}}
	if lo, hi := c.yRange(); !(lo < 3 && hi > 3) {
		t.Errorf("constant series: empty range [%v, %v]", lo, hi)
	}
}

func TestHeatmapDegenerate(t *testing.T) {
	nan := math.NaN()
	runDegenerate(t, []degenerate{
		{name: "empty", build: func() (*Figure, error) { return Heatmap(nil, nil, nil, "t") }, wantErr: true},
		{name: "no columns", build: func() (*Figure, error) { return Heatmap([][]float64{{}}, []string{"a"}, nil, "t") }, wantErr: true},
		{name: "ragged", build: func() (*Figure, error) {
			return Heatmap([][]float64{{1, 2}, {1}}, []string{"a", "b"}, []string{"x", "y"}, "t")
		}, wantErr: true},
		{name: "row labels", build: func() (*Figure, error) { return Heatmap([][]float64{{1}}, nil, []string{"x"}, "t") }, wantErr: true},
		{name: "infinite", build: func() (*Figure, error) { return Heatmap([][]float64{{math.Inf(1)}}, []string{"a"}, []string{"x"}, "t") }, wantErr: true},
		{name: "single cell", build: func() (*Figure, error) { return Heatmap([][]float64{{0.7}}, []string{"C1"}, []string{"x"}, "One") },
			text: []string{"One", "C1", "x", "0.7", "Cluster", "Encoded variable"}},
		{name: "all zero", build: func() (*Figure, error) {
			return Heatmap([][]float64{{0, 0}, {0, 0}}, []string{"a", "b"}, []string{"x", "y"}, "Flat")
		}, text: []string{"Flat", "0"}},
		{name: "all NaN", build: func() (*Figure, error) {
			return Heatmap([][]float64{{nan, nan}}, []string{"a"}, []string{"x", "y"}, "Missing")
		}, text: []string{"Missing", "NA"}},
	})
}

func TestDiverging(t *testing.T) {
	if c := diverging(0); c != rdBu[3] {
		t.Errorf("0 maps to %v, want the neutral %v", c, rdBu[3])
	}
	if c := diverging(-1); c != rdBu[0] {
		t.Errorf("-1 maps to %v, want %v", c, rdBu[0])
	}
	if c := diverging(1); c != rdBu[6] {
		t.Errorf("1 maps to %v, want %v", c, rdBu[6])
	}
	if c := diverging(5); c != rdBu[6] {
		t.Errorf("values beyond the limit must saturate, got %v", c)
	}
	lo, hi := diverging(-0.5), diverging(0.5)
	if !(lo.B > lo.R && hi.R > hi.B) {
		t.Errorf("negative %v should be blue and positive %v red", lo, hi)
	}
}

func TestFormatting(t *testing.T) {
	cases := []struct {
		p    float64
		want string
	}{{0.2143, "= 0.21"}, {0.004, "= 0.004"}, {0.0004, "< 0.001"}, {math.NaN(), "n/a"}, {1.5, "n/a"}}
	for _, c := range cases {
		if got := fmtP(c.p); got != c.want {
			t.Errorf("fmtP(%v) = %q, want %q", c.p, got, c.want)
		}
	}
	for v, want := range map[float64]string{0.1: "0.1", 2: "2", 0.30000000000000004: "0.3", -0.0001: "0"} {
		if got := fmtNum(v, 3); got != want {
			t.Errorf("fmtNum(%v) = %q, want %q", v, got, want)
		}
	}
	var f *Figure
	if _, err := f.SVG(); err == nil {
		t.Error("nil figure rendered to SVG without error")
	}
	if _, err := f.PNG(); err == nil {
		t.Error("nil figure rendered to PNG without error")
	}
}

// writePreview saves a degenerate case's PNG under $FIGURES_PREVIEW for a
// person to look at.
func writePreview(t *testing.T, pngb []byte) {
	dir := os.Getenv("FIGURES_PREVIEW")
	if dir == "" {
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".png"
	if err := os.WriteFile(filepath.Join(dir, name), pngb, 0o644); err != nil {
		t.Error(err)
	}
}
