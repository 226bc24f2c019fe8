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

// KSelection draws the three usual aids for choosing the number of clusters
// side by side: the elbow (total within-cluster sum of squares), the average
// silhouette width and the gap statistic with ±1 SE bars, each against k,
// with the chosen k marked by a dashed line. NaN entries (a statistic not
// computed for some k, e.g. the silhouette at k = 1) are left out and break
// the connecting line; a nil slice means the statistic was not computed at
// all. chosen <= 0 marks no k.
func KSelection(k []int, withinSS, silhouette, gap, gapSE []float64, chosen int) (*Figure, error) {
	if len(k) == 0 {
		return nil, errors.New("figures: KSelection needs at least one k")
	}
	for i := 1; i < len(k); i++ {
		if k[i] <= k[i-1] {
			return nil, fmt.Errorf("figures: KSelection: k must increase strictly, got %d after %d", k[i], k[i-1])
		}
	}
	series := map[string][]float64{"withinSS": withinSS, "silhouette": silhouette, "gap": gap, "gapSE": gapSE}
	for _, name := range []string{"withinSS", "silhouette", "gap", "gapSE"} {
		if v := series[name]; v != nil && len(v) != len(k) {
			return nil, fmt.Errorf("figures: KSelection: %s has %d values for %d k", name, len(v), len(k))
		}
	}
	for i, s := range gapSE {
		if s < 0 {
			return nil, fmt.Errorf("figures: KSelection: negative gap SE %v at k = %d", s, k[i])
		}
	}
	if chosen > 0 {
		found := false
		for _, v := range k {
			found = found || v == chosen
		}
		if !found {
			return nil, fmt.Errorf("figures: KSelection: chosen k = %d is not among the k values", chosen)
		}
	}
	ks := make([]float64, len(k))
	for i, v := range k {
		ks[i] = float64(v)
	}
	own := func(v []float64) []float64 {
		out := make([]float64, len(k))
		for i := range out {
			out[i] = math.NaN()
			if v != nil {
				out[i] = v[i]
			}
		}
		return out
	}
	panels := []kPanel{
		{title: "Elbow", ylabel: "Total within-cluster SS", y: own(withinSS)},
		{title: "Silhouette", ylabel: "Average silhouette width", y: own(silhouette)},
		{title: "Gap statistic (± 1 SE)", ylabel: "Gap", y: own(gap), se: own(gapSE)},
	}
	title := "Choosing the number of clusters"
	if chosen > 0 {
		title += " (chosen k = " + strconv.Itoa(chosen) + ")"
	}
	paint := func(dc draw.Canvas) {
		dc = drawTitle(dc, title)
		plots := make([]*plot.Plot, len(panels))
		for i := range panels {
			plots[i] = panels[i].plot(ks, chosen)
		}
		// Panel titles are drawn by hand above the aligned data areas: a
		// plot's own title sits at the top of its tile, and plot.Align
		// stretches tiles unequally when tick labels need padding, which
		// left the titles at different heights.
		panelSty := textStyle(labelSize, true, draw.XCenter, draw.YBottom)
		titleH := panelSty.Height("Elbow") + vg.Points(10)
		tiles := draw.Tiles{Rows: 1, Cols: 3, PadX: vg.Points(14), PadLeft: vg.Points(4), PadRight: vg.Points(8), PadBottom: vg.Points(4), PadTop: titleH}
		cs := plot.Align([][]*plot.Plot{plots}, tiles, dc)
		for i, p := range plots {
			p.Draw(cs[0][i])
			da := p.DataCanvas(cs[0][i])
			dc.FillText(panelSty, vg.Point{X: (da.Min.X + da.Max.X) / 2, Y: da.Max.Y + vg.Points(8)}, panels[i].title)
			if panels[i].empty() {
				da := p.DataCanvas(cs[0][i])
				sty := textStyle(noteSize, false, draw.XCenter, draw.YCenter)
				sty.Font = sansFont(noteSize, false, true)
				sty.Color = darkGrey
				da.FillText(sty, da.Center(), "not computed")
			}
		}
	}
	return &Figure{width: 10 * vg.Inch, height: 3.8 * vg.Inch, paint: paint}, nil
}

type kPanel struct {
	title, ylabel string
	y, se         []float64
}

func (kp kPanel) empty() bool {
	for _, v := range kp.y {
		if finite(v) {
			return false
		}
	}
	return true
}

// yRange spans the finite values (with their SE bars), padded by 8 %; a
// constant series gets a small symmetric range around its value.
func (kp kPanel) yRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, v := range kp.y {
		if !finite(v) {
			continue
		}
		d := 0.0
		if kp.se != nil && finite(kp.se[i]) {
			d = kp.se[i]
		}
		lo, hi = math.Min(lo, v-d), math.Max(hi, v+d)
	}
	if lo > hi {
		return 0, 1
	}
	if hi-lo < 1e-12*math.Max(1, math.Abs(hi)) {
		d := math.Max(math.Abs(hi)*0.1, 0.1)
		return lo - d, hi + d
	}
	pad := (hi - lo) * 0.08
	return lo - pad, hi + pad
}

func (kp kPanel) plot(ks []float64, chosen int) *plot.Plot {
	p := newPlot()
	p.X.Label.Text = "Number of clusters k"
	p.Y.Label.Text = kp.ylabel
	p.X.Min, p.X.Max = ks[0]-0.5, ks[len(ks)-1]+0.5
	p.Y.Min, p.Y.Max = kp.yRange()
	every := 1
	if len(ks) > 10 {
		every = (len(ks) + 9) / 10
	}
	var ts []plot.Tick
	for i, v := range ks {
		lab := ""
		if i%every == 0 || int(v) == chosen {
			lab = strconv.Itoa(int(v))
		}
		ts = append(ts, plot.Tick{Value: v, Label: lab})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ts)
	step := niceStep((p.Y.Max - p.Y.Min) / 5)
	p.Y.Tick.Marker = plot.ConstantTicks(linearTicks(p.Y.Min, p.Y.Max, step, decimalsFor(step)))
	p.Add(horizontalGrid())
	line := draw.LineStyle{Color: okabeIto[0], Width: vg.Points(1.3)}
	mark := draw.GlyphStyle{Color: okabeIto[0], Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}
	chosenMark := draw.GlyphStyle{Color: okabeIto[3], Radius: vg.Points(3.8), Shape: draw.CircleGlyph{}}
	chosenLine := draw.LineStyle{Color: okabeIto[3], Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	y, se := kp.y, kp.se
	p.Add(plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		if chosen > 0 {
			x := trX(float64(chosen))
			c.StrokeLine2(chosenLine, x, c.Min.Y, x, c.Max.Y)
		}
		// Connect consecutive finite points only: a missing k breaks
		// the line instead of being bridged or drawn as 0.
		var run []vg.Point
		flush := func() {
			if len(run) > 1 {
				c.StrokeLines(line, run)
			}
			run = run[:0]
		}
		for i := range ks {
			if !finite(y[i]) {
				flush()
				continue
			}
			run = append(run, vg.Point{X: trX(ks[i]), Y: trY(y[i])})
		}
		flush()
		cap := vg.Points(3)
		for i := range ks {
			if !finite(y[i]) {
				continue
			}
			x := trX(ks[i])
			if se != nil && finite(se[i]) && se[i] > 0 {
				lo, hi := trY(y[i]-se[i]), trY(y[i]+se[i])
				bar := draw.LineStyle{Color: okabeIto[0], Width: vg.Points(1)}
				c.StrokeLine2(bar, x, lo, x, hi)
				c.StrokeLine2(bar, x-cap, lo, x+cap, lo)
				c.StrokeLine2(bar, x-cap, hi, x+cap, hi)
			}
			if int(ks[i]) == chosen {
				c.DrawGlyphNoClip(chosenMark, vg.Point{X: x, Y: trY(y[i])})
			} else {
				c.DrawGlyphNoClip(mark, vg.Point{X: x, Y: trY(y[i])})
			}
		}
	}))
	return p
}
