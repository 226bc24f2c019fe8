package figures

import (
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// plotterFunc adapts a drawing function to plot.Plotter so that custom marks
// share the plot's data coordinates.
type plotterFunc func(c draw.Canvas, p *plot.Plot)

func (f plotterFunc) Plot(c draw.Canvas, p *plot.Plot) { f(c, p) }

// legendItem is one entry of a legend drawn outside a plot.
type legendItem struct {
	label string
	// swatch draws the key inside r.
	swatch func(c draw.Canvas, r vg.Rectangle)
}

const (
	swatchW = vg.Length(14)
	swatchH = vg.Length(9)
)

func legendStyle() draw.TextStyle {
	return textStyle(legendSize, false, draw.XLeft, draw.YCenter)
}

// legendSize returns the width and height of a vertical legend.
func legendExtent(items []legendItem) (w, h vg.Length) {
	sty := legendStyle()
	for _, it := range items {
		w = max(w, swatchW+vg.Points(5)+sty.Width(it.label))
	}
	return w, vg.Length(len(items)) * legendRowH()
}

func legendRowH() vg.Length {
	return vg.Points(legendSize * 1.6)
}

// drawLegend draws items one per row, the first row's top at (x, top).
func drawLegend(dc draw.Canvas, x, top vg.Length, items []legendItem) {
	sty := legendStyle()
	rh := legendRowH()
	for i, it := range items {
		yc := top - rh*vg.Length(i) - rh/2
		r := vg.Rectangle{Min: vg.Point{X: x, Y: yc - swatchH/2}, Max: vg.Point{X: x + swatchW, Y: yc + swatchH/2}}
		it.swatch(dc, r)
		dc.FillText(sty, vg.Point{X: x + swatchW + vg.Points(5), Y: yc}, it.label)
	}
}

func fillSwatch(clr color.Color) func(c draw.Canvas, r vg.Rectangle) {
	return func(c draw.Canvas, r vg.Rectangle) {
		c.SetColor(clr)
		c.Fill(r.Path())
	}
}

// lineSwatch draws a horizontal line (optionally dashed) with an optional
// glyph in the middle.
func lineSwatch(ls draw.LineStyle, g *draw.GlyphStyle) func(c draw.Canvas, r vg.Rectangle) {
	return func(c draw.Canvas, r vg.Rectangle) {
		y := (r.Min.Y + r.Max.Y) / 2
		c.StrokeLine2(ls, r.Min.X, y, r.Max.X, y)
		if g != nil {
			c.DrawGlyphNoClip(*g, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: y})
		}
	}
}

// niceStep returns the 1-2-5 step nearest to raw.
func niceStep(raw float64) float64 {
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / e; {
	case f < 1.5:
		return e
	case f < 3.5:
		return 2 * e
	case f < 7.5:
		return 5 * e
	default:
		return 10 * e
	}
}

// linearTicks returns major ticks every step from 0 (or the first multiple
// of step at or above lo) up to hi, labelled with prec decimals.
func linearTicks(lo, hi, step float64, prec int) []plot.Tick {
	var ts []plot.Tick
	start := math.Ceil(lo/step-1e-9) * step
	for i := 0; ; i++ {
		v := start + float64(i)*step
		if v > hi+step*1e-9 || i > 1000 {
			break
		}
		ts = append(ts, plot.Tick{Value: v, Label: fmtNum(v, prec)})
	}
	return ts
}

// decimalsFor returns how many decimals labels at multiples of step need.
func decimalsFor(step float64) int {
	if step >= 1 {
		return 0
	}
	return int(math.Ceil(-math.Log10(step) - 1e-9))
}

// horizontalGrid draws light horizontal lines at the Y axis' major ticks.
func horizontalGrid() plotterFunc {
	return func(c draw.Canvas, p *plot.Plot) {
		_, trY := p.Transforms(&c)
		ls := draw.LineStyle{Color: gridGrey, Width: vg.Points(0.5)}
		for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
			if t.IsMinor() || t.Value < p.Y.Min || t.Value > p.Y.Max {
				continue
			}
			y := trY(t.Value)
			c.StrokeLine2(ls, c.Min.X, y, c.Max.X, y)
		}
	}
}

// nominalX labels integer positions 0..n-1 with names, each label getting
// a slot of the given width. Labels too wide for their slot are first
// wrapped at spaces onto several lines; if a single word is still too wide
// (or there are too many lines), all labels are turned vertical, which
// never spills sideways onto a neighbour or off the figure.
func nominalX(p *plot.Plot, names []string, slot vg.Length) {
	sty := p.X.Tick.Label
	labels := make([]string, len(names))
	fits := true
	for i, n := range names {
		labels[i] = n
		if sty.Width(n) <= slot*0.92 {
			continue
		}
		w := wrapWords(n, func(s string) bool { return sty.Width(s) <= slot*0.92 })
		if w == "" || strings.Count(w, "\n") > 2 {
			fits = false
			break
		}
		labels[i] = w
	}
	if !fits {
		copy(labels, names)
		p.X.Tick.Label.Rotation = math.Pi / 2
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	// Vertical labels still collide when slots are thinner than a line:
	// label every step-th position then.
	step := 1
	if !fits {
		if lh := sty.Height("0"); lh > slot*0.95 && slot > 0 {
			step = int(math.Ceil(float64(lh / (slot * 0.95))))
		}
	}
	ts := make([]plot.Tick, len(labels))
	for i, l := range labels {
		ts[i] = plot.Tick{Value: float64(i)}
		if i%step == 0 {
			ts[i].Label = l
		}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ts)
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	p.X.Padding = 0
}

// wrapWords breaks s at spaces into lines that each satisfy fits, or
// returns "" when a single word does not fit.
func wrapWords(s string, fits func(string) bool) string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, w := range words {
		if !fits(w) {
			return ""
		}
		switch {
		case cur == "":
			cur = w
		case fits(cur + " " + w):
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return strings.Join(lines, "\n")
}
