package figures

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// rdBu is ColorBrewer's RdBu diverging scheme (7 classes, reversed so that
// negative is blue), which stays distinguishable under the common forms of
// colour-vision deficiency.
var rdBu = []color.RGBA{
	{0x21, 0x66, 0xAC, 0xFF},
	{0x67, 0xA9, 0xCF, 0xFF},
	{0xD1, 0xE5, 0xF0, 0xFF},
	{0xF7, 0xF7, 0xF7, 0xFF},
	{0xFD, 0xDB, 0xC7, 0xFF},
	{0xEF, 0x8A, 0x62, 0xFF},
	{0xB2, 0x18, 0x2B, 0xFF},
}

// diverging maps t in [-1, 1] onto rdBu by piecewise-linear interpolation,
// white at 0.
func diverging(t float64) color.RGBA {
	t = clamp(t, -1, 1)
	pos := (t + 1) / 2 * float64(len(rdBu)-1)
	i := int(math.Floor(pos))
	if i >= len(rdBu)-1 {
		return rdBu[len(rdBu)-1]
	}
	f := pos - float64(i)
	a, b := rdBu[i], rdBu[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*f)) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xFF}
}

var naGrey = color.RGBA{0xC8, 0xC8, 0xC8, 0xFF}

// Heatmap draws a cluster profile: one row per cluster, one column per
// encoded variable, each cell coloured by its standardized centre on a
// diverging scale centred at 0 and symmetric about it (±max |value|), with
// a colour legend. Values are printed in the cells when they fit. NaN cells
// are grey; infinite values are an error.
func Heatmap(values [][]float64, rowLabels, colLabels []string, title string) (*Figure, error) {
	if len(values) == 0 || len(colLabels) == 0 {
		return nil, errors.New("figures: Heatmap needs at least one row and one column")
	}
	if len(rowLabels) != len(values) {
		return nil, fmt.Errorf("figures: Heatmap has %d rows and %d row labels", len(values), len(rowLabels))
	}
	nr, nc := len(values), len(colLabels)
	vals := make([][]float64, nr)
	limit := 0.0
	hasNA := false
	for i, row := range values {
		if len(row) != nc {
			return nil, fmt.Errorf("figures: Heatmap row %q has %d values for %d columns", rowLabels[i], len(row), nc)
		}
		for j, v := range row {
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("figures: Heatmap value at %q, %q is infinite", rowLabels[i], colLabels[j])
			}
			if math.IsNaN(v) {
				hasNA = true
				continue
			}
			limit = math.Max(limit, math.Abs(v))
		}
		vals[i] = append([]float64(nil), row...)
	}
	if limit == 0 {
		// All zero (or all NaN): any symmetric scale shows white cells.
		limit = 1
	}
	rows := append([]string(nil), rowLabels...)
	cols := append([]string(nil), colLabels...)

	rowSty := textStyle(tickSize, false, draw.XRight, draw.YCenter)
	colSty := textStyle(noteSize, false, draw.XRight, draw.YCenter)
	rot := math.Pi / 2
	if nc <= 10 {
		rot = math.Pi / 4
	}
	colSty.Rotation = rot
	axisSty := textStyle(labelSize, false, draw.XCenter, draw.YBottom)
	cellSty := textStyle(8, false, draw.XCenter, draw.YCenter)
	legSty := textStyle(noteSize, false, draw.XLeft, draw.YCenter)
	legTitleSty := textStyle(noteSize, true, draw.XLeft, draw.YBottom)
	legTitle := "Standardized\ncentre (SD)"

	var rowW, colLabW, colLabH vg.Length
	for _, r := range rows {
		rowW = max(rowW, rowSty.Width(r))
	}
	for _, c := range cols {
		colLabW = max(colLabW, colSty.Width(c))
	}
	lh := colSty.Height("M")
	sin, cos := vg.Length(math.Sin(rot)), vg.Length(math.Cos(rot))
	colLabH = colLabW*sin + lh*cos
	// At 45° the first labels reach left of the grid by up to their run.
	spill := colLabW*cos + lh*sin/2

	const pad = vg.Length(8)
	axisTitleH := axisSty.Height("Cluster") + pad
	legendW := max(legTitleSty.Width(legTitle), vg.Points(14)+vg.Points(4)+legSty.Width("-0.0")*1.5) + 2*pad
	leftW := axisTitleH + rowW + pad
	cw := clampLen((7*vg.Inch-leftW-legendW-2*pad)/vg.Length(nc), vg.Points(15), vg.Points(42))
	ch := clampLen(vg.Points(190)/vg.Length(nr), vg.Points(16), vg.Points(34))
	gridW, gridH := cw*vg.Length(nc), ch*vg.Length(nr)
	if rot < math.Pi/2 {
		leftW = max(leftW, spill-cw/2+pad)
	}
	// The legend (title above a colour bar) starts level with the grid's
	// top; the bar is as tall as the grid allows but never shorter than
	// 90 pt, so a one-row heat map still gets a readable scale.
	legTitleH := legTitleSty.Height(legTitle) + pad/2
	// The x-axis title is centred under the grid; when it is wider than
	// the grid it must clear both the row labels and the legend.
	xTitleW := axisSty.Width("Encoded variable")
	overhang := max(0, (xTitleW-gridW)/2+pad/2)
	leftW = max(leftW, overhang)
	legBarH := max(gridH-legTitleH, vg.Points(90))
	naH := vg.Length(0)
	if hasNA {
		naH = vg.Points(22)
	}
	bodyH := max(gridH, legTitleH+legBarH+naH)
	content := leftW + gridW + overhang + legendW + pad
	width := max(content, 5*vg.Inch)
	// The column labels and axis title hang below the grid, beside the
	// legend, which may reach lower than the grid.
	height := titleHeight(title) + max(gridH+vg.Points(8)+colLabH+axisTitleH, bodyH) + pad

	paint := func(dc draw.Canvas) {
		dc = drawTitle(dc, title)
		// Centre the composition when the figure is wider than it.
		x0 := dc.Min.X + leftW + (width-content)/2
		top := dc.Max.Y - pad/2
		cellAt := func(i, j int) vg.Rectangle {
			return vg.Rectangle{
				Min: vg.Point{X: x0 + cw*vg.Length(j), Y: top - ch*vg.Length(i+1)},
				Max: vg.Point{X: x0 + cw*vg.Length(j+1), Y: top - ch*vg.Length(i)},
			}
		}
		showValues := cw >= vg.Points(22) && ch >= vg.Points(14)
		sep := draw.LineStyle{Color: white, Width: vg.Points(0.8)}
		for i := range vals {
			for j, v := range vals[i] {
				r := cellAt(i, j)
				clr := naGrey
				if !math.IsNaN(v) {
					clr = diverging(v / limit)
				}
				dc.SetColor(clr)
				dc.Fill(r.Path())
				dc.StrokeLines(sep, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
				if showValues {
					s := "NA"
					sty := cellSty
					if !math.IsNaN(v) {
						s = fmtNum(v, 1)
						if math.Abs(v)/limit > 0.6 {
							sty.Color = white
						}
					}
					dc.FillText(sty, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, s)
				}
			}
		}
		for i, r := range rows {
			dc.FillText(rowSty, vg.Point{X: x0 - pad/2, Y: top - ch*(vg.Length(i)+0.5)}, r)
		}
		bottom := top - gridH
		for j, c := range cols {
			dc.FillText(colSty, vg.Point{X: x0 + cw*(vg.Length(j)+0.5), Y: bottom - vg.Points(4)}, c)
		}
		// Axis titles: rows are clusters, columns the encoded variables.
		ySty := axisSty
		ySty.Rotation = math.Pi / 2
		ySty.YAlign = draw.YTop
		dc.FillText(ySty, vg.Point{X: x0 - leftW + pad/2, Y: top - gridH/2}, "Cluster")
		xSty := axisSty
		xSty.YAlign = draw.YTop
		dc.FillText(xSty, vg.Point{X: x0 + gridW/2, Y: bottom - vg.Points(8) - colLabH}, "Encoded variable")

		// Colour legend: a bar of thin slices from -limit to +limit.
		lx := x0 + gridW + overhang + 1.5*pad
		ltop := top - legTitleH
		barH := legBarH
		dc.FillText(legTitleSty, vg.Point{X: lx, Y: ltop + pad/2}, legTitle)
		const slices = 64
		bw := vg.Points(14)
		for s := range slices {
			t0 := float64(s) / slices
			r := vg.Rectangle{
				Min: vg.Point{X: lx, Y: ltop - barH + barH*vg.Length(t0)},
				Max: vg.Point{X: lx + bw, Y: ltop - barH + barH*vg.Length(t0+1.0/slices) + vg.Points(0.3)},
			}
			dc.SetColor(diverging(2*(t0+0.5/slices) - 1))
			dc.Fill(r.Path())
		}
		step := niceStep(limit / 2)
		tick := draw.LineStyle{Color: black, Width: vg.Points(0.5)}
		for _, t := range linearTicks(-limit, limit, step, decimalsFor(step)) {
			y := ltop - barH + barH*vg.Length((t.Value/limit+1)/2)
			dc.StrokeLine2(tick, lx+bw, y, lx+bw+vg.Points(3), y)
			dc.FillText(legSty, vg.Point{X: lx + bw + vg.Points(5), Y: y}, t.Label)
		}
		if hasNA {
			y := ltop - barH - pad - vg.Points(5)
			dc.SetColor(naGrey)
			dc.Fill(vg.Rectangle{Min: vg.Point{X: lx, Y: y - vg.Points(5)}, Max: vg.Point{X: lx + bw, Y: y + vg.Points(5)}}.Path())
			dc.FillText(legSty, vg.Point{X: lx + bw + vg.Points(5), Y: y}, "NA")
		}
	}
	return &Figure{width: width, height: height, paint: paint}, nil
}

func clampLen(v, lo, hi vg.Length) vg.Length { return max(lo, min(hi, v)) }
