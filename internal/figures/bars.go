package figures

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

const (
	defaultW = 7 * vg.Inch
	defaultH = 4.5 * vg.Inch
	// maxBarW keeps one or two bars from turning into slabs.
	maxBarW = vg.Length(60)
)

// ProductsPerYear draws stacked bars of event counts per year, one colour
// per group. counts[g][i] is the number of events of group g in years[i].
// The total is printed above each bar when the bars are wide enough for
// it. The axes are labelled for the reference study's products file (the
// only caller, internal/refstudy).
func ProductsPerYear(years []int, counts [][]int, groupNames []string, title string) (*Figure, error) {
	if len(years) == 0 {
		return nil, errors.New("figures: ProductsPerYear needs at least one year")
	}
	if len(groupNames) == 0 || len(counts) != len(groupNames) {
		return nil, fmt.Errorf("figures: ProductsPerYear has %d count rows for %d group names (need equal, at least one)", len(counts), len(groupNames))
	}
	if len(groupNames) > len(okabeIto) {
		return nil, fmt.Errorf("figures: ProductsPerYear draws at most %d groups with distinguishable colours, got %d", len(okabeIto), len(groupNames))
	}
	seen := make(map[int]bool, len(years))
	for _, y := range years {
		if seen[y] {
			return nil, fmt.Errorf("figures: ProductsPerYear: year %d appears twice", y)
		}
		seen[y] = true
	}
	cs := make([][]int, len(counts))
	totals := make([]int, len(years))
	for g, row := range counts {
		if len(row) != len(years) {
			return nil, fmt.Errorf("figures: ProductsPerYear: group %q has %d counts for %d years", groupNames[g], len(row), len(years))
		}
		for i, v := range row {
			if v < 0 {
				return nil, fmt.Errorf("figures: ProductsPerYear: negative count %d (group %q, year %d)", v, groupNames[g], years[i])
			}
			totals[i] += v
		}
		cs[g] = append([]int(nil), row...)
	}
	yrs := append([]int(nil), years...)
	names := append([]string(nil), groupNames...)
	maxTotal := 0
	for _, t := range totals {
		maxTotal = max(maxTotal, t)
	}

	// Legend lists the top of the stack first, as the eye reads the bars.
	var items []legendItem
	for g := len(names) - 1; g >= 0; g-- {
		items = append(items, legendItem{label: names[g], swatch: fillSwatch(okabeIto[g])})
	}
	legW, _ := legendExtent(items)
	rightW := legW + vg.Points(16)

	paint := func(dc draw.Canvas) {
		dc = drawTitle(dc, title)
		p := newPlot()
		p.X.Label.Text = "Overseas year"
		p.Y.Label.Text = "Products (n)"
		labels := make([]string, len(yrs))
		for i, y := range yrs {
			labels[i] = strconv.Itoa(y)
		}
		plotC := draw.Crop(dc, 0, -rightW, 0, 0)
		approxSlot := (plotC.Max.X - plotC.Min.X - vg.Points(50)) / vg.Length(len(yrs))
		nominalX(p, labels, approxSlot)
		p.X.Tick.Length = 0
		top := float64(max(maxTotal, 1))
		step := niceStep(top / 6)
		if step < 1 {
			step = 1
		}
		p.Y.Min, p.Y.Max = 0, top*1.1
		p.Y.Tick.Marker = plot.ConstantTicks(linearTicks(0, p.Y.Max, step, 0))
		p.Y.Padding = 0

		totalSty := textStyle(noteSize, false, draw.XCenter, draw.YBottom)
		p.Add(horizontalGrid())
		p.Add(plotterFunc(func(c draw.Canvas, p *plot.Plot) {
			trX, trY := p.Transforms(&c)
			slot := trX(1) - trX(0)
			bw := min(slot*0.7, maxBarW)
			showTotals := false
			widest := totalSty.Width(strconv.Itoa(maxTotal))
			if widest < slot*0.95 && totalSty.Height("0") < (c.Max.Y-c.Min.Y)*0.06 {
				showTotals = true
			}
			for i := range yrs {
				x := trX(float64(i))
				base := 0
				for g := range cs {
					v := cs[g][i]
					if v == 0 {
						continue
					}
					r := vg.Rectangle{
						Min: vg.Point{X: x - bw/2, Y: trY(float64(base))},
						Max: vg.Point{X: x + bw/2, Y: trY(float64(base + v))},
					}
					c.SetColor(okabeIto[g])
					c.Fill(r.Path())
					// A thin white edge separates stacked segments of
					// similar lightness.
					c.StrokeLines(draw.LineStyle{Color: white, Width: vg.Points(0.5)},
						[]vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
					base += v
				}
				if showTotals {
					c.FillText(totalSty, vg.Point{X: x, Y: trY(float64(base)) + vg.Points(2)}, strconv.Itoa(base))
				}
			}
		}))
		p.Draw(plotC)
		da := p.DataCanvas(plotC)
		drawLegend(dc, plotC.Max.X+vg.Points(10), da.Max.Y, items)
	}
	return &Figure{width: defaultW, height: defaultH, paint: paint}, nil
}

// CaseShare draws, per cluster, the percentage of cases among its members
// as a bar, the cluster size above the bar, and a dashed line at the overall
// share of cases. share and overall are proportions in [0, 1]; a cluster
// with n = 0 (share NaN) gets no bar.
func CaseShare(labels []string, share []float64, n []int, overall float64, title string) (*Figure, error) {
	if len(labels) == 0 {
		return nil, errors.New("figures: CaseShare needs at least one cluster")
	}
	if len(share) != len(labels) || len(n) != len(labels) {
		return nil, fmt.Errorf("figures: CaseShare has %d labels, %d shares and %d sizes (need equal)", len(labels), len(share), len(n))
	}
	for i, s := range share {
		if n[i] < 0 {
			return nil, fmt.Errorf("figures: CaseShare: negative size %d for %q", n[i], labels[i])
		}
		if math.IsNaN(s) && n[i] == 0 {
			continue
		}
		if !(s >= 0 && s <= 1) {
			return nil, fmt.Errorf("figures: CaseShare: share %v for %q is not a proportion in [0, 1]", s, labels[i])
		}
	}
	if !(overall >= 0 && overall <= 1) {
		return nil, fmt.Errorf("figures: CaseShare: overall share %v is not a proportion in [0, 1]", overall)
	}
	labs := append([]string(nil), labels...)
	sh := append([]float64(nil), share...)
	ns := append([]int(nil), n...)
	refText := []string{"overall", fmtNum(100*overall, 1) + " %"}
	refSty := textStyle(noteSize, false, draw.XLeft, draw.YCenter)
	rightW := max(refSty.Width(refText[0]), refSty.Width(refText[1])) + vg.Points(14)

	paint := func(dc draw.Canvas) {
		dc = drawTitle(dc, title)
		p := newPlot()
		p.X.Label.Text = "Cluster"
		p.Y.Label.Text = "Cases among members (%)"
		plotC := draw.Crop(dc, 0, -rightW, 0, 0)
		nominalX(p, labs, (plotC.Max.X-plotC.Min.X-vg.Points(50))/vg.Length(len(labs)))
		p.X.Tick.Length = 0
		p.Y.Min, p.Y.Max = 0, 110
		p.Y.Tick.Marker = plot.ConstantTicks(linearTicks(0, 100, 20, 0))
		p.Y.Padding = 0
		nSty := textStyle(noteSize, false, draw.XCenter, draw.YBottom)
		refLine := draw.LineStyle{Color: darkGrey, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
		p.Add(horizontalGrid())
		p.Add(plotterFunc(func(c draw.Canvas, p *plot.Plot) {
			trX, trY := p.Transforms(&c)
			bw := min((trX(1)-trX(0))*0.6, maxBarW)
			// The reference line goes behind the bars and labels so that
			// a cluster sitting at the overall share stays legible.
			y := trY(100 * overall)
			c.StrokeLine2(refLine, c.Min.X, y, c.Max.X, y)
			for i := range labs {
				x := trX(float64(i))
				top := trY(0)
				if finite(sh[i]) {
					top = trY(100 * sh[i])
					r := vg.Rectangle{Min: vg.Point{X: x - bw/2, Y: trY(0)}, Max: vg.Point{X: x + bw/2, Y: top}}
					c.SetColor(okabeIto[0])
					c.Fill(r.Path())
				}
				lab := "n = " + strconv.Itoa(ns[i])
				if finite(sh[i]) {
					lab = fmtNum(100*sh[i], 0) + " % (" + lab + ")"
				}
				// Lift the label so its halo clears the bar top.
				pt := vg.Point{X: x, Y: top - nSty.Rectangle(lab).Min.Y + vg.Points(3)}
				halo(c, nSty, pt, lab)
				c.FillText(nSty, pt, lab)
			}
		}))
		p.Draw(plotC)
		da := p.DataCanvas(plotC)
		_, trY := p.Transforms(&da)
		y := trY(100 * overall)
		lh := refSty.Height("0")
		dc.FillText(refSty, vg.Point{X: da.Max.X + vg.Points(6), Y: y + lh/2}, refText[0])
		dc.FillText(refSty, vg.Point{X: da.Max.X + vg.Points(6), Y: y - lh/2}, refText[1])
	}
	return &Figure{width: defaultW, height: defaultH, paint: paint}, nil
}

// halo paints a white box under a label so lines behind it do not cross
// the glyphs.
func halo(c draw.Canvas, sty draw.TextStyle, pt vg.Point, s string) {
	r := sty.Rectangle(s)
	pad := vg.Points(1.5)
	r.Min.X += pt.X - pad
	r.Max.X += pt.X + pad
	r.Min.Y += pt.Y - pad
	r.Max.Y += pt.Y + pad
	c.SetColor(white)
	c.Fill(r.Path())
}
