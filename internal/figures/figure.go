// Package figures draws the report's figures with gonum/plot.
//
// The package is pure: every constructor takes plain Go values, validates
// them and returns a *Figure that renders itself to SVG, PNG, PDF or TIFF
// bytes on demand (Encode). Nothing here reads or writes files and nothing
// touches gonum/plot's package-level defaults (fpdf's, under the PDF
// output, are fixed once at init), so figures can be built concurrently
// and render to identical bytes for identical inputs.
package figures

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	xfnt "golang.org/x/image/font"
	"golang.org/x/image/tiff"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

var errNilFigure = errors.New("figures: nil figure")

// PNGDPI is the resolution of PNG output: sharp enough for a report page
// without making files large.
const PNGDPI = 150

// TIFFDPI is the default resolution of TIFF output: what journals ask of
// line art with grey fills at the least (300–600 dpi).
const TIFFDPI = 300

// Formats are the file formats a figure renders to (Encode).
var Formats = []string{"svg", "png", "pdf", "tiff"}

// FormatOf is the figure format a file name asks for by its extension
// (case-insensitive; ".tif" is TIFF too), or false when it names none of
// Formats.
func FormatOf(path string) (string, bool) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	if ext == "tif" {
		ext = "tiff"
	}
	if slices.Contains(Formats, ext) {
		return ext, true
	}
	return "", false
}

// DefaultDPI is the resolution Encode uses for format when none is given:
// PNGDPI for PNG, TIFFDPI for TIFF, 0 for the vector formats.
func DefaultDPI(format string) int {
	switch format {
	case "png":
		return PNGDPI
	case "tiff":
		return TIFFDPI
	}
	return 0
}

// Figure is a drawable figure of fixed size.
type Figure struct {
	width, height vg.Length
	// paint draws the whole figure onto a canvas of the figure's size. It
	// builds its plots afresh on every call, so rendering twice (SVG then
	// PNG) cannot be affected by state a previous Draw left in a plot.
	paint func(dc draw.Canvas)
}

// Captioned returns f with caption in small grey type, right-aligned in
// a strip added below the drawing (which keeps its size and layout), or
// f itself when caption is empty. The report and power --figure caption
// every figure of synthetic data with it, so that the label travels with
// a figure copied out of its report.
func (f *Figure) Captioned(caption string) *Figure {
	if f == nil || strings.TrimSpace(caption) == "" {
		return f
	}
	sty := textStyle(noteSize, false, draw.XRight, draw.YBottom)
	sty.Color = darkGrey
	pad := vg.Points(4)
	strip := sty.Height(caption) + 2*pad
	paint := f.paint
	return &Figure{width: f.width, height: f.height + strip, paint: func(dc draw.Canvas) {
		paint(draw.Crop(dc, 0, 0, strip, 0))
		dc.FillText(sty, vg.Point{X: dc.Max.X - 2*pad, Y: dc.Min.Y + pad}, caption)
	}}
}

// Size returns the width and height of the figure.
func (f *Figure) Size() (w, h vg.Length) { return f.width, f.height }

// svgFontFamily is the font-family every SVG text element gets.
const svgFontFamily = "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"

// SVG renders the figure as an SVG document. Fonts are referenced by name
// (Liberation Sans, then the metric-compatible Arial) rather than embedded,
// which keeps files small; the layout is computed with Liberation metrics.
func (f *Figure) SVG() ([]byte, error) {
	if f == nil || f.paint == nil {
		return nil, errNilFigure
	}
	c := vgsvg.New(f.width, f.height)
	if err := f.draw(draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("figures: writing SVG: %w", err)
	}
	// vgsvg names the family without a fallback, so a viewer without
	// Liberation fonts would fall back to its default serif face and the
	// label widths the layout was computed with would no longer hold.
	// Arial is metric-compatible with Liberation Sans.
	return bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"), []byte(svgFontFamily)), nil
}

// PNG renders the figure as a PNG image at PNGDPI dots per inch.
func (f *Figure) PNG() ([]byte, error) { return f.Encode("png", PNGDPI) }

// Encode renders the figure as format (one of Formats): SVG or PDF
// (vector; dpi is ignored), PNG or TIFF at dpi dots per inch (0 for
// DefaultDPI). The PDF embeds its fonts, as journals require, and carries
// a fixed creation date so identical figures are identical files; the
// TIFF is RGBA, deflate-compressed.
func (f *Figure) Encode(format string, dpi int) ([]byte, error) {
	if f == nil || f.paint == nil {
		return nil, errNilFigure
	}
	if dpi <= 0 {
		dpi = DefaultDPI(format)
	}
	switch format {
	case "svg":
		return f.SVG()
	case "pdf":
		return f.pdf()
	case "png", "tiff":
		if dpi < 36 || dpi > 2400 {
			return nil, fmt.Errorf("figures: %d dpi (expected 36 to 2400)", dpi)
		}
		c := vgimg.NewWith(vgimg.UseWH(f.width, f.height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
		if err := f.draw(draw.New(c)); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if format == "tiff" {
			if err := tiff.Encode(&buf, c.Image(), &tiff.Options{Compression: tiff.Deflate}); err != nil {
				return nil, fmt.Errorf("figures: writing TIFF: %w", err)
			}
			return buf.Bytes(), nil
		}
		// BestSpeed: two thirds of the default encoder's time went into
		// deflate for a file only modestly smaller, on flat-colour plots.
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, c.Image()); err != nil {
			return nil, fmt.Errorf("figures: writing PNG: %w", err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("figures: unknown format %q (expected one of %s)", format, strings.Join(Formats, ", "))
}

// fpdf (under vgpdf) writes fonts and images in map order and stamps
// the time of writing unless told otherwise per process; vgpdf does not
// expose its document, so the defaults are set once, before any figure
// can be drawn. They affect only PDF output, which no other package of
// ccstudy writes.
func init() {
	fpdf.SetDefaultCatalogSort(true)
	fpdf.SetDefaultCreationDate(pdfDate)
	fpdf.SetDefaultModificationDate(pdfDate)
}

// pdfDate is every PDF's creation and modification date.
var pdfDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// pdfCanvas works around vgpdf registering every font face under style
// "" but selecting bold and italic faces with style "B"/"I", which fpdf
// refuses ("undefined font: liberationsans-bold B"): each face is passed
// on as a regular-style font of its own variant name ("SansBold"), with
// its own glyphs and metrics unchanged.
type pdfCanvas struct{ *vgpdf.Canvas }

func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfnt.WeightNormal || f.Font.Style != xfnt.StyleNormal {
		fnt := f.Font
		fnt.Variant += font.Variant(strings.TrimPrefix(f.Font.Name(), string(f.Font.Typeface)+string(f.Font.Variant)+"-"))
		fnt.Weight, fnt.Style = xfnt.WeightNormal, xfnt.StyleNormal
		f.Font = fnt
	}
	c.Canvas.FillString(f, pt, cp1252(s))
}

// cp1252 encodes s in Windows-1252, the code page vgpdf builds its fonts
// with: vgpdf passes UTF-8 on as it is, so "—" printed as "â€”". A rune
// the code page lacks becomes "?". The width vgpdf measures from the
// bytes only sizes the left-aligned cell the text is drawn in.
func cp1252(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		ascii = ascii && s[i] < 0x80
	}
	if ascii {
		return s
	}
	out, err := encoding.ReplaceUnsupported(charmap.Windows1252.NewEncoder()).String(s)
	if err != nil {
		return s
	}
	return out
}

func (f *Figure) pdf() ([]byte, error) {
	c := vgpdf.New(f.width, f.height)
	if err := f.draw(draw.New(pdfCanvas{c})); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("figures: writing PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// draw turns a panic inside gonum/plot into an error: a figure that cannot
// be drawn must not bring down the report.
func (f *Figure) draw(dc draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("figures: drawing failed: %v", r)
		}
	}()
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	f.paint(dc)
	return nil
}

// okabeIto is the Okabe–Ito colour-blind-safe palette, ordered so that the
// first colours are the most distinct from each other (yellow, weak on
// white, comes late).
var okabeIto = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
	{0x00, 0x00, 0x00, 0xFF}, // black
}

var (
	black    = color.RGBA{0, 0, 0, 0xFF}
	darkGrey = color.RGBA{0x40, 0x40, 0x40, 0xFF}
	midGrey  = color.RGBA{0x80, 0x80, 0x80, 0xFF}
	gridGrey = color.RGBA{0xDD, 0xDD, 0xDD, 0xFF}
	white    = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

// Type sizes in points.
const (
	titleSize  = 13
	labelSize  = 11
	tickSize   = 10
	legendSize = 10
	noteSize   = 9
)

func sansFont(size vg.Length, bold, italic bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = xfnt.WeightBold
	}
	if italic {
		f.Style = xfnt.StyleItalic
	}
	return f
}

// textStyle returns a Liberation Sans text style. The handler is always the
// plain one over font.DefaultCache, which gonum/plot fills with the
// Liberation collection at init.
func textStyle(size vg.Length, bold bool, xa draw.XAlignment, ya draw.YAlignment) draw.TextStyle {
	return draw.TextStyle{
		Color:   black,
		Font:    sansFont(size, bold, false),
		XAlign:  xa,
		YAlign:  ya,
		Handler: text.Plain{Fonts: font.DefaultCache},
	}
}

// newPlot returns a plot whose every text uses Liberation Sans at the
// package's type sizes (gonum/plot defaults to Serif).
func newPlot() *plot.Plot {
	p := plot.New()
	h := text.Plain{Fonts: font.DefaultCache}
	p.TextHandler = h
	p.Title.TextStyle.Font = sansFont(titleSize, true, false)
	p.Title.TextStyle.Handler = h
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sansFont(labelSize, false, false)
		a.Label.TextStyle.Handler = h
		a.Tick.Label.Font = sansFont(tickSize, false, false)
		a.Tick.Label.Handler = h
		a.Label.Padding = vg.Points(4)
		a.Tick.Length = vg.Points(4)
	}
	p.Legend.TextStyle.Font = sansFont(legendSize, false, false)
	p.Legend.TextStyle.Handler = h
	p.Legend.ThumbnailWidth = vg.Points(14)
	return p
}

// drawTitle writes title centred at the top of dc and returns the canvas
// left below it.
func drawTitle(dc draw.Canvas, title string) draw.Canvas {
	const pad = 6
	if strings.TrimSpace(title) == "" {
		return draw.Crop(dc, 0, 0, 0, -vg.Points(pad))
	}
	sty := textStyle(titleSize, true, draw.XCenter, draw.YTop)
	dc.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y - vg.Points(pad)}, title)
	h := sty.Height(title)
	return draw.Crop(dc, 0, 0, 0, -(h + vg.Points(2*pad)))
}

// titleHeight is the vertical space drawTitle uses.
func titleHeight(title string) vg.Length {
	sty := textStyle(titleSize, true, draw.XCenter, draw.YTop)
	return sty.Height(title) + vg.Points(12)
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// fmtNum formats v with at most prec decimals and no trailing zeros, so that
// tick labels read "0.1", "2", "10" rather than "0.100", "2.000".
func fmtNum(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// fmtP formats a p-value the way the report's tables do.
func fmtP(p float64) string {
	switch {
	case !finite(p) || p < 0 || p > 1:
		return "n/a"
	case p < 0.001:
		return "< 0.001"
	case p < 0.01:
		return "= " + strconv.FormatFloat(p, 'f', 3, 64)
	default:
		return "= " + strconv.FormatFloat(p, 'f', 2, 64)
	}
}

// lighten mixes c with white; t = 0 keeps c, t = 1 gives white.
func lighten(c color.RGBA, t float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) + (255-float64(v))*t)) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xFF}
}
