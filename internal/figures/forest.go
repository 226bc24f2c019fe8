package figures

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ForestRow is one estimate of a forest plot: an odds ratio with the bounds
// of its confidence interval. Low = 0, High = +Inf and NaN bounds (a
// profile limit that does not exist, or separation) are drawn as an arrow to
// the edge of the axis; a NaN OR with NaN bounds is shown as "not
// estimable". Note is printed in a column to the right of the plot.
type ForestRow struct {
	Label         string
	OR, Low, High float64
	Note          string
}

// ForestOptions controls a forest plot. The zero value draws one series
// with the default title and axis.
type ForestOptions struct {
	// Title is printed above the figure; default "Odds ratios".
	Title string
	// XLabel replaces the default x-axis title.
	XLabel string
	// NoteHeader heads the note column, e.g. "OR (95% CI)".
	NoteHeader string
	// Second is an optional second series (e.g. crude ORs next to
	// adjusted ones), matched to the rows by Label and drawn just below
	// the first; rows absent from Second are drawn for the first series
	// only. Notes of Second are not shown.
	Second []ForestRow
	// SeriesName and SecondName label the two series in the legend
	// (defaults "Adjusted" and "Crude"); the legend appears only with a
	// second series.
	SeriesName, SecondName string
	// XMin and XMax fix the axis limits when both are positive; otherwise
	// the axis spans the data (and 1), at most 0.001 to 1000.
	XMin, XMax float64
}

// SubgroupPanel is one subgroup variable of a subgroup forest plot: the
// odds ratio of the term within each level of Variable, and the p-value of
// the term × Variable interaction (NaN when it was not computed). A panel
// with an empty Variable is drawn without a heading, e.g. an overall row.
type SubgroupPanel struct {
	Variable     string
	InteractionP float64
	Rows         []ForestRow
}

// forestLine is one row of the drawn forest: a heading or an estimate row
// holding up to one estimate per series.
type forestLine struct {
	label    string
	heading  bool
	headNote string
	indent   bool
	note     string
	est      []*ForestRow
}

type forestSpec struct {
	title, xlabel, noteHeader string
	series                    []string
	lines                     []forestLine
	xmin, xmax                float64
	// ticks are chosen together with the limits so that the axis ends on
	// ticks of the same 1-2-5 (or other) grid.
	ticks []float64
}

const (
	axisLimitLo = 1e-3
	axisLimitHi = 1e3
)

// Forest draws a horizontal forest plot of odds ratios with their
// confidence intervals on a log axis, a reference line at OR = 1, the row
// labels on the left (the margin is sized to the longest label) and the
// notes on the right.
func Forest(rows []ForestRow, opts ForestOptions) (*Figure, error) {
	if len(rows) == 0 {
		return nil, errors.New("figures: Forest needs at least one row")
	}
	spec := forestSpec{title: opts.Title, xlabel: opts.XLabel, noteHeader: opts.NoteHeader}
	if spec.title == "" {
		spec.title = "Odds ratios"
	}
	for i := range rows {
		if err := checkRow(rows[i]); err != nil {
			return nil, err
		}
	}
	var second map[string]*ForestRow
	if len(opts.Second) > 0 {
		second = make(map[string]*ForestRow, len(opts.Second))
		labels := make(map[string]bool, len(rows))
		for _, r := range rows {
			if labels[r.Label] {
				return nil, fmt.Errorf("figures: Forest: label %q appears twice, so a second series cannot be matched to it", r.Label)
			}
			labels[r.Label] = true
		}
		for i := range opts.Second {
			r := opts.Second[i]
			if err := checkRow(r); err != nil {
				return nil, err
			}
			if !labels[r.Label] {
				return nil, fmt.Errorf("figures: Forest: second-series row %q matches no row of the first series", r.Label)
			}
			if second[r.Label] != nil {
				return nil, fmt.Errorf("figures: Forest: second-series row %q appears twice", r.Label)
			}
			second[r.Label] = &r
		}
		spec.series = []string{defaultStr(opts.SeriesName, "Adjusted"), defaultStr(opts.SecondName, "Crude")}
	} else {
		spec.series = []string{defaultStr(opts.SeriesName, "Estimate")}
	}
	for i := range rows {
		r := rows[i]
		l := forestLine{label: r.Label, note: r.Note, est: []*ForestRow{&r}}
		if second != nil {
			l.est = append(l.est, second[r.Label])
		}
		spec.lines = append(spec.lines, l)
	}
	if err := setLimits(&spec, opts.XMin, opts.XMax); err != nil {
		return nil, err
	}
	return spec.figure(), nil
}

// SubgroupForest draws, for one term, its odds ratio within each level of
// each subgroup variable: a bold heading per variable with the interaction
// p-value beside it, then one indented row per level, on the same log axis
// as Forest. opts.Second is not supported here.
func SubgroupForest(term string, panels []SubgroupPanel, opts ForestOptions) (*Figure, error) {
	if len(panels) == 0 {
		return nil, errors.New("figures: SubgroupForest needs at least one subgroup panel")
	}
	if len(opts.Second) > 0 {
		return nil, errors.New("figures: SubgroupForest does not draw a second series")
	}
	spec := forestSpec{title: opts.Title, xlabel: opts.XLabel, noteHeader: opts.NoteHeader}
	if spec.title == "" {
		spec.title = "Odds ratio of " + term + " within subgroups"
		if term == "" {
			spec.title = "Odds ratios within subgroups"
		}
	}
	spec.series = []string{defaultStr(opts.SeriesName, "Estimate")}
	for _, pan := range panels {
		if len(pan.Rows) == 0 {
			return nil, fmt.Errorf("figures: SubgroupForest: subgroup %q has no rows", pan.Variable)
		}
		if pan.Variable != "" {
			note := "interaction p " + fmtP(pan.InteractionP)
			if fmtP(pan.InteractionP) == "n/a" {
				note = "interaction p not available"
			}
			spec.lines = append(spec.lines, forestLine{label: pan.Variable, heading: true, headNote: note})
		}
		for i := range pan.Rows {
			r := pan.Rows[i]
			if err := checkRow(r); err != nil {
				return nil, err
			}
			spec.lines = append(spec.lines, forestLine{label: r.Label, note: r.Note, indent: pan.Variable != "", est: []*ForestRow{&r}})
		}
	}
	if err := setLimits(&spec, opts.XMin, opts.XMax); err != nil {
		return nil, err
	}
	return spec.figure(), nil
}

func defaultStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkRow rejects estimates that cannot be odds ratios; NaN and infinite
// values are legitimate (they are drawn as clipped intervals).
func checkRow(r ForestRow) error {
	for _, v := range []float64{r.OR, r.Low, r.High} {
		if v < 0 {
			return fmt.Errorf("figures: row %q has a negative odds ratio or bound (%v)", r.Label, v)
		}
	}
	if r.Low > r.High {
		return fmt.Errorf("figures: row %q has Low %v above High %v", r.Label, r.Low, r.High)
	}
	if finite(r.OR) && (r.OR < r.Low*(1-1e-9) || r.OR > r.High*(1+1e-9)) {
		return fmt.Errorf("figures: row %q has OR %v outside its interval [%v, %v]", r.Label, r.OR, r.Low, r.High)
	}
	return nil
}

// setLimits chooses the axis range: fixed limits if given, otherwise the
// finite positive values of every estimate and bound plus 1, rounded out to
// the tick grid and capped to [axisLimitLo, axisLimitHi].
func setLimits(s *forestSpec, xmin, xmax float64) error {
	if xmin > 0 && xmax > 0 {
		if !(xmin < xmax) || !finite(xmax) {
			return fmt.Errorf("figures: forest axis limits [%v, %v] are not an increasing positive range", xmin, xmax)
		}
		s.xmin, s.xmax = xmin, xmax
		s.ticks = logTickValues(xmin, xmax)
		return nil
	}
	lo, hi := 1.0, 1.0
	openLo, openHi := false, false
	for _, l := range s.lines {
		for _, e := range l.est {
			if e == nil {
				continue
			}
			for _, v := range []float64{e.OR, e.Low, e.High} {
				if finite(v) && v > 0 {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
			if !math.IsNaN(e.OR) || !math.IsNaN(e.High) {
				openLo = openLo || !(e.Low > 0 && finite(e.Low))
			}
			if !math.IsNaN(e.OR) || !math.IsNaN(e.Low) {
				openHi = openHi || !finite(e.High)
			}
		}
	}
	// Breathing room so that points at the extremes do not sit on the
	// frame, more where an arrowhead will be drawn at the edge so that it
	// does not cover a point; then snap outwards to the tick grid.
	padLo, padHi := 1.08, 1.08
	if openLo {
		padLo = 1.5
	}
	if openHi {
		padHi = 1.5
	}
	lo, hi = math.Max(lo/padLo, axisLimitLo), math.Min(hi*padHi, axisLimitHi)
	ticks := logTickValues(lo, hi)
	s.xmin, s.xmax = lo, hi
	for _, t := range ticks {
		if t <= lo {
			s.xmin = t
		}
	}
	for i := len(ticks) - 1; i >= 0; i-- {
		if ticks[i] >= hi {
			s.xmax = ticks[i]
		}
	}
	s.ticks = ticks
	return nil
}

// logTickValues returns tick positions covering [lo, hi] (one beyond each
// end) from a mantissa set chosen by the span: 1-1.5-2-3-5-7 within about a
// decade, 1-2-5 up to three decades, powers of ten beyond.
func logTickValues(lo, hi float64) []float64 {
	span := math.Log10(hi / lo)
	var mant []float64
	switch {
	case span <= 1.1:
		mant = []float64{1, 1.5, 2, 3, 5, 7}
	case span <= 3.05:
		mant = []float64{1, 2, 5}
	default:
		mant = []float64{1}
	}
	var out []float64
	for e := math.Floor(math.Log10(lo)) - 1; e <= math.Ceil(math.Log10(hi))+1; e++ {
		for _, m := range mant {
			v := m * math.Pow(10, e)
			// Round away binary noise (0.30000000000000004) so labels and
			// comparisons are clean.
			v, _ = roundSig(v)
			out = append(out, v)
		}
	}
	// Keep one tick beyond each end so the caller can snap outwards.
	first, last := 0, len(out)-1
	for i, v := range out {
		if v <= lo {
			first = i
		}
	}
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] >= hi {
			last = i
		}
	}
	return out[first : last+1]
}

func roundSig(v float64) (float64, error) {
	var r float64
	_, err := fmt.Sscanf(fmt.Sprintf("%.6g", v), "%g", &r)
	return r, err
}

func (s *forestSpec) logTicks() []plot.Tick {
	var ts []plot.Tick
	for _, v := range s.ticks {
		if v < s.xmin*(1-1e-9) || v > s.xmax*(1+1e-9) {
			continue
		}
		ts = append(ts, plot.Tick{Value: v, Label: fmtNum(v, 4)})
	}
	if len(ts) < 2 {
		// A narrow fixed range: label its ends.
		ts = []plot.Tick{{Value: s.xmin, Label: fmtNum(s.xmin, 3)}, {Value: s.xmax, Label: fmtNum(s.xmax, 3)}}
	}
	return ts
}

var seriesGlyphs = []draw.GlyphDrawer{draw.BoxGlyph{}, draw.CircleGlyph{}}

// seriesColor: one series is drawn in near-black as is usual for forest
// plots; two use the palette's blue and vermillion.
func (s *forestSpec) seriesColor(i int) draw.LineStyle {
	c := darkGrey
	if len(s.series) > 1 {
		c = okabeIto[[]int{0, 3}[i]]
	}
	return draw.LineStyle{Color: c, Width: vg.Points(1.3)}
}

func (s *forestSpec) glyph(i int) draw.GlyphStyle {
	ls := s.seriesColor(i)
	return draw.GlyphStyle{Color: ls.Color, Radius: vg.Points(3.2), Shape: seriesGlyphs[i]}
}

// estMarks says how an estimate is drawn.
type estMarks struct {
	notEstimable bool // no OR and no bound: a text instead of marks
	pointOnly    bool // an OR without any bound: no whisker
	// leftArrow and rightArrow mark an interval (or a bare point) that
	// continues beyond the axis: an infinite, zero, undefined or
	// out-of-range bound.
	leftArrow, rightArrow bool
}

func (s *forestSpec) marks(e *ForestRow) estMarks {
	var m estMarks
	if math.IsNaN(e.OR) && math.IsNaN(e.Low) && math.IsNaN(e.High) {
		m.notEstimable = true
		return m
	}
	if math.IsNaN(e.Low) && math.IsNaN(e.High) {
		m.pointOnly = true
		m.leftArrow = e.OR < s.xmin
		m.rightArrow = e.OR > s.xmax
		return m
	}
	m.leftArrow = !(finite(e.Low) && e.Low >= s.xmin) && !(e.Low > s.xmax)
	m.rightArrow = !(finite(e.High) && e.High <= s.xmax) && !(e.High < s.xmin)
	return m
}

func (s *forestSpec) clipped() bool {
	for _, l := range s.lines {
		for _, e := range l.est {
			if e == nil {
				continue
			}
			if m := s.marks(e); m.leftArrow || m.rightArrow {
				return true
			}
		}
	}
	return false
}

const (
	footSize  = 8.5
	indentW   = vg.Length(12)
	colPad    = vg.Length(8)
	plotWidth = 4.3 * vg.Inch
)

func (s *forestSpec) figure() *Figure {
	labSty := textStyle(tickSize, false, draw.XLeft, draw.YCenter)
	headSty := textStyle(tickSize, true, draw.XLeft, draw.YCenter)
	headNoteSty := labSty
	headNoteSty.Font = sansFont(noteSize, false, true)
	headNoteSty.Color = darkGrey
	noteSty := textStyle(noteSize, false, draw.XLeft, draw.YCenter)
	noteHeadSty := textStyle(noteSize, true, draw.XLeft, draw.YCenter)

	var labelW, noteW vg.Length
	for _, l := range s.lines {
		w := labSty.Width(l.label)
		if l.heading {
			w = headSty.Width(l.label) + vg.Points(8) + headNoteSty.Width(l.headNote)
		}
		if l.indent {
			w += indentW
		}
		labelW = max(labelW, w)
		if l.note != "" {
			noteW = max(noteW, noteSty.Width(l.note))
		}
	}
	if s.noteHeader != "" {
		noteW = max(noteW, noteHeadSty.Width(s.noteHeader))
	}
	labelW += 2 * colPad
	if noteW > 0 {
		noteW += 2 * colPad
	} else {
		noteW = colPad * 2
	}

	n := len(s.lines)
	rowH := vg.Points(20)
	if len(s.series) > 1 {
		rowH = vg.Points(28)
	}
	legendH := vg.Length(0)
	if len(s.series) > 1 {
		legendH = legendRowH() + vg.Points(4)
	}
	headerH := vg.Length(0)
	if s.noteHeader != "" {
		headerH = vg.Points(16)
	}
	clipped := s.clipped()
	footH := vg.Length(0)
	footText := "Arrowheads: the interval continues beyond the axis (infinite, undefined or out of range)."
	footSty := textStyle(footSize, false, draw.XLeft, draw.YBottom)
	footSty.Font = sansFont(footSize, false, true)
	if clipped {
		footH = vg.Points(16)
	}
	const axisH = 46 // x tick labels and axis title
	width := max(7*vg.Inch, labelW+plotWidth+noteW, footSty.Width(footText)+vg.Points(20))
	height := titleHeight(s.title) + legendH + headerH + rowH*vg.Length(n) + vg.Points(axisH) + footH
	height = max(height, 3*vg.Inch)

	paint := func(dc draw.Canvas) {
		dc = drawTitle(dc, s.title)
		if len(s.series) > 1 {
			items := make([]legendItem, len(s.series))
			for i, name := range s.series {
				g := s.glyph(i)
				items[i] = legendItem{label: name, swatch: lineSwatch(s.seriesColor(i), &g)}
			}
			drawLegendRow(dc, dc.Max.Y, items)
			dc = draw.Crop(dc, 0, 0, 0, -legendH)
		}
		if clipped {
			dc.FillText(footSty, vg.Point{X: dc.Min.X + colPad, Y: dc.Min.Y + vg.Points(4)}, footText)
			dc = draw.Crop(dc, 0, 0, footH, 0)
		}
		plotC := draw.Crop(dc, labelW, -noteW, 0, -headerH)

		p := newPlot()
		p.BackgroundColor = nil
		p.HideY()
		p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
		p.X.Scale = plot.LogScale{}
		p.X.Min, p.X.Max = s.xmin, s.xmax
		p.X.Tick.Marker = plot.ConstantTicks(s.logTicks())
		// The axis title is drawn by hand: gonum/plot places it (and pads
		// the data area for it) at the arithmetic midpoint of the range,
		// which on a log axis is far right and squeezes the plot.
		xTitle := defaultStr(s.xlabel, "Odds ratio (95% CI, log scale)")
		xTitleSty := textStyle(labelSize, false, draw.XCenter, draw.YBottom)
		xTitleH := xTitleSty.Height(xTitle) + vg.Points(4)
		plotC = draw.Crop(plotC, 0, 0, xTitleH, 0)
		p.X.Padding = vg.Points(2)

		da := p.DataCanvas(plotC)
		trX, trY := p.Transforms(&da)
		yOf := func(i int) float64 { return float64(n - 1 - i) }

		// Zebra bands across label, plot and note columns guide the eye
		// from a label to its interval and note.
		band := lighten(midGrey, 0.88)
		stripe := 0
		for i, l := range s.lines {
			if l.heading {
				stripe = 0
				continue
			}
			if stripe%2 == 0 {
				y := trY(yOf(i))
				r := vg.Rectangle{Min: vg.Point{X: dc.Min.X + colPad/2, Y: y - rowH/2}, Max: vg.Point{X: dc.Max.X - colPad/2, Y: y + rowH/2}}
				dc.SetColor(band)
				dc.Fill(r.Path())
			}
			stripe++
		}

		p.Add(plotterFunc(func(c draw.Canvas, p *plot.Plot) {
			ls := draw.LineStyle{Color: gridGrey, Width: vg.Points(0.5)}
			for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
				x := trX(t.Value)
				c.StrokeLine2(ls, x, c.Min.Y, x, c.Max.Y)
			}
			if s.xmin <= 1 && 1 <= s.xmax {
				x := trX(1)
				c.StrokeLine2(draw.LineStyle{Color: black, Width: vg.Points(0.8)}, x, c.Min.Y, x, c.Max.Y)
			}
		}))
		p.Add(plotterFunc(func(c draw.Canvas, p *plot.Plot) {
			off := []float64{0}
			if len(s.series) > 1 {
				off = []float64{0.17, -0.17}
			}
			for i, l := range s.lines {
				if l.heading {
					continue
				}
				// A row estimable in no series says so once, centred.
				none := true
				for _, e := range l.est {
					none = none && (e == nil || s.marks(e).notEstimable)
				}
				if none {
					s.notEstimable(c, trY(yOf(i)), "not estimable")
					continue
				}
				for si, e := range l.est {
					if e == nil {
						continue
					}
					s.drawEstimate(c, trX, trY(yOf(i)+off[si]), e, si)
				}
			}
		}))
		p.Draw(plotC)
		dc.FillText(xTitleSty, vg.Point{X: (da.Min.X + da.Max.X) / 2, Y: plotC.Min.Y - xTitleH + vg.Points(2)}, xTitle)

		for i, l := range s.lines {
			y := trY(yOf(i))
			x := dc.Min.X + colPad
			if l.indent {
				x += indentW
			}
			if l.heading {
				if i > 0 {
					top := y + rowH/2
					dc.StrokeLine2(draw.LineStyle{Color: midGrey, Width: vg.Points(0.5)}, dc.Min.X+colPad/2, top, dc.Max.X-colPad/2, top)
				}
				dc.FillText(headSty, vg.Point{X: x, Y: y}, l.label)
				dc.FillText(headNoteSty, vg.Point{X: x + headSty.Width(l.label) + vg.Points(8), Y: y}, l.headNote)
				continue
			}
			dc.FillText(labSty, vg.Point{X: x, Y: y}, l.label)
			if l.note != "" {
				dc.FillText(noteSty, vg.Point{X: plotC.Max.X + colPad, Y: y}, l.note)
			}
		}
		if s.noteHeader != "" {
			dc.FillText(noteHeadSty, vg.Point{X: plotC.Max.X + colPad, Y: trY(float64(n)-0.5) + headerH/2}, s.noteHeader)
		}
	}
	return &Figure{width: width, height: height, paint: paint}
}

// drawEstimate draws one interval and point at height y, clipping to the
// axis with an arrowhead wherever a bound is infinite, undefined or outside
// the axis.
func (s *forestSpec) drawEstimate(c draw.Canvas, trX func(float64) vg.Length, y vg.Length, e *ForestRow, si int) {
	ls := s.seriesColor(si)
	m := s.marks(e)
	if m.notEstimable {
		s.notEstimable(c, y, s.series[si]+": not estimable")
		return
	}
	xl, xr := c.Min.X, c.Max.X
	// pos maps a value onto the axis, pinning anything beyond it (0, +Inf,
	// NaN on the given side) to the edge.
	pos := func(v float64, edge vg.Length) vg.Length {
		if !finite(v) || v <= 0 {
			return edge
		}
		return trX(clamp(v, s.xmin, s.xmax))
	}
	if !m.pointOnly {
		c.StrokeLine2(ls, pos(e.Low, xl), y, pos(e.High, xr), y)
	}
	ah := vg.Points(4.5)
	if m.leftArrow {
		c.FillPolygon(ls.Color, []vg.Point{{X: xl, Y: y}, {X: xl + ah*1.4, Y: y + ah}, {X: xl + ah*1.4, Y: y - ah}})
	}
	if m.rightArrow {
		c.FillPolygon(ls.Color, []vg.Point{{X: xr, Y: y}, {X: xr - ah*1.4, Y: y + ah}, {X: xr - ah*1.4, Y: y - ah}})
	}
	// An OR beyond the axis (0, +Inf or just outside) gets no point: a
	// point pinned to the edge would read as a value there. Its interval
	// then reaches past the same edge (Low <= OR <= High), so an arrowhead
	// already marks it, and the note column can give the number.
	if math.IsNaN(e.OR) || e.OR < s.xmin || e.OR > s.xmax {
		return
	}
	c.DrawGlyphNoClip(s.glyph(si), vg.Point{X: trX(e.OR), Y: y})
}

func (s *forestSpec) notEstimable(c draw.Canvas, y vg.Length, msg string) {
	sty := textStyle(noteSize, false, draw.XCenter, draw.YCenter)
	sty.Font = sansFont(noteSize, false, true)
	sty.Color = darkGrey
	pt := vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: y}
	halo(c, sty, pt, msg)
	c.FillText(sty, pt, msg)
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// drawLegendRow draws legend items side by side, centred, their top at top.
func drawLegendRow(dc draw.Canvas, top vg.Length, items []legendItem) {
	sty := legendStyle()
	gap := vg.Points(18)
	var total vg.Length
	for i, it := range items {
		total += swatchW + vg.Points(5) + sty.Width(it.label)
		if i > 0 {
			total += gap
		}
	}
	x := (dc.Min.X+dc.Max.X)/2 - total/2
	for _, it := range items {
		drawLegend(dc, x, top, []legendItem{it})
		x += swatchW + vg.Points(5) + sty.Width(it.label) + gap
	}
}
