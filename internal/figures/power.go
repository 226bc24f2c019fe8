package figures

import (
	"errors"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PowerSeries is one line of a power curve: the power at each x, with
// Monte-Carlo SEs (nil for a closed form, drawn dashed without marks).
type PowerSeries struct {
	Label string
	Power []float64
	SE    []float64
}

// PowerCurve draws power against the number of cases, one line per
// series (simulated series with ±1.96 SE bars, closed forms dashed), and
// the target power as a dotted horizontal line (target ≤ 0: none).
// Non-finite powers break their line.
func PowerCurve(cases []int, series []PowerSeries, target float64, title string) (*Figure, error) {
	if len(cases) == 0 || len(series) == 0 {
		return nil, errors.New("figures: PowerCurve needs at least one design point and one series")
	}
	for i := 1; i < len(cases); i++ {
		if cases[i] <= cases[i-1] {
			return nil, fmt.Errorf("figures: PowerCurve: cases must increase strictly, got %d after %d", cases[i], cases[i-1])
		}
	}
	for _, s := range series {
		if len(s.Power) != len(cases) || (s.SE != nil && len(s.SE) != len(cases)) {
			return nil, fmt.Errorf("figures: PowerCurve: series %q has %d values for %d design points", s.Label, len(s.Power), len(cases))
		}
	}
	xs := make([]float64, len(cases))
	for i, c := range cases {
		xs[i] = float64(c)
	}
	style := func(i int, s PowerSeries) (draw.LineStyle, *draw.GlyphStyle) {
		clr := okabeIto[i%len(okabeIto)]
		ls := draw.LineStyle{Color: clr, Width: vg.Points(1.3)}
		if s.SE == nil {
			ls.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			return ls, nil
		}
		// Beyond the palette, shapes tell the lines apart.
		shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PlusGlyph{}, draw.CrossGlyph{}}
		return ls, &draw.GlyphStyle{Color: clr, Radius: vg.Points(2.6), Shape: shapes[(i/len(okabeIto))%len(shapes)]}
	}
	var items []legendItem
	for i, s := range series {
		ls, g := style(i, s)
		items = append(items, legendItem{label: s.Label, swatch: lineSwatch(ls, g)})
	}
	targetLine := draw.LineStyle{Color: midGrey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(1.5), vg.Points(2.5)}}
	if target > 0 {
		items = append(items, legendItem{label: fmt.Sprintf("target %s", fmtNum(target, 2)), swatch: lineSwatch(targetLine, nil)})
	}
	legendW, legendH := legendExtent(items)
	height := max(4.2*vg.Inch, legendH+titleHeight(title)+vg.Points(40))
	width := 6.5*vg.Inch + legendW
	paint := func(dc draw.Canvas) {
		dc = drawTitle(dc, title)
		plotArea := draw.Crop(dc, 0, -(legendW + vg.Points(16)), 0, 0)
		p := newPlot()
		p.X.Label.Text = "Cases"
		p.Y.Label.Text = "Power"
		pad := 0.5
		if len(xs) > 1 {
			pad = (xs[len(xs)-1] - xs[0]) * 0.04
		}
		p.X.Min, p.X.Max = xs[0]-pad, xs[len(xs)-1]+pad
		p.Y.Min, p.Y.Max = 0, 1.02
		p.Y.Tick.Marker = plot.ConstantTicks(linearTicks(0, 1, 0.2, 1))
		xstep := niceStep((p.X.Max - p.X.Min) / 6)
		if xstep < 1 {
			xstep = 1
		}
		p.X.Tick.Marker = plot.ConstantTicks(linearTicks(p.X.Min, p.X.Max, xstep, 0))
		p.Add(horizontalGrid())
		p.Add(plotterFunc(func(c draw.Canvas, p *plot.Plot) {
			trX, trY := p.Transforms(&c)
			if target > 0 {
				c.StrokeLine2(targetLine, c.Min.X, trY(target), c.Max.X, trY(target))
			}
			for i, s := range series {
				ls, g := style(i, s)
				var run []vg.Point
				flush := func() {
					if len(run) > 1 {
						c.StrokeLines(ls, run)
					}
					run = run[:0]
				}
				for k := range xs {
					if !finite(s.Power[k]) {
						flush()
						continue
					}
					run = append(run, vg.Point{X: trX(xs[k]), Y: trY(s.Power[k])})
				}
				flush()
				if g == nil {
					continue
				}
				bar := draw.LineStyle{Color: ls.Color, Width: vg.Points(0.9)}
				for k := range xs {
					if !finite(s.Power[k]) {
						continue
					}
					x, y := trX(xs[k]), trY(s.Power[k])
					if finite(s.SE[k]) && s.SE[k] > 0 {
						lo, hi := max(0, s.Power[k]-1.96*s.SE[k]), min(1, s.Power[k]+1.96*s.SE[k])
						c.StrokeLine2(bar, x, trY(lo), x, trY(hi))
					}
					c.DrawGlyph(*g, vg.Point{X: x, Y: y})
				}
			}
		}))
		p.Draw(plotArea)
		drawLegend(dc, dc.Max.X-legendW-vg.Points(4), dc.Max.Y-vg.Points(8), items)
	}
	return &Figure{width: width, height: height, paint: paint}, nil
}
