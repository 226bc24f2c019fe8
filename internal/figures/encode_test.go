package figures

import (
	"bytes"
	"image/png"
	"math"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/image/tiff"
)

func encodeFigure(t *testing.T) *Figure {
	t.Helper()
	f, err := CaseShare([]string{"a", "b"}, []float64{0.8, 0.3}, []int{40, 60}, 0.5, "Share")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestEncodeRaster: PNG and TIFF have the figure's size at the dpi asked
// (points are 1/72 in), and the default dpi per format.
func TestEncodeRaster(t *testing.T) {
	f := encodeFigure(t)
	w, h := f.Size()
	for _, c := range []struct {
		format   string
		dpi, px  int
		wantDPI  int
		decodeFn func([]byte) (int, int, error)
	}{
		{"png", 0, 0, PNGDPI, decodePNG},
		{"png", 300, 0, 300, decodePNG},
		{"tiff", 0, 0, TIFFDPI, decodeTIFF},
		{"tiff", 600, 0, 600, decodeTIFF},
	} {
		b, err := f.Encode(c.format, c.dpi)
		if err != nil {
			t.Fatalf("%s at %d dpi: %v", c.format, c.dpi, err)
		}
		gw, gh, err := c.decodeFn(b)
		if err != nil {
			t.Fatalf("%s does not decode: %v", c.format, err)
		}
		ww := int(math.Ceil(w.Points() / 72 * float64(c.wantDPI)))
		wh := int(math.Ceil(h.Points() / 72 * float64(c.wantDPI)))
		if abs(gw-ww) > 1 || abs(gh-wh) > 1 {
			t.Errorf("%s at %d dpi: %d×%d px, want %d×%d", c.format, c.dpi, gw, gh, ww, wh)
		}
	}
	if _, err := f.Encode("png", 10); err == nil {
		t.Error("10 dpi accepted")
	}
	if _, err := f.Encode("eps", 0); err == nil || !strings.Contains(err.Error(), "svg, png, pdf, tiff") {
		t.Errorf("unknown format: %v", err)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func decodePNG(b []byte) (int, int, error) {
	c, err := png.DecodeConfig(bytes.NewReader(b))
	return c.Width, c.Height, err
}

func decodeTIFF(b []byte) (int, int, error) {
	img, err := tiff.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	return img.Bounds().Dx(), img.Bounds().Dy(), nil
}

// TestEncodePDF: a PDF with the fonts embedded and a fixed date, so two
// renderings are the same bytes.
func TestEncodePDF(t *testing.T) {
	f := encodeFigure(t)
	a, err := f.Encode("pdf", 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.Encode("pdf", 0)
	if !bytes.HasPrefix(a, []byte("%PDF-")) || !bytes.Contains(a, []byte("%%EOF")) {
		t.Fatalf("not a PDF: %.40q", a)
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20000101000000)")) || !bytes.Contains(a, []byte("/FontFile2")) {
		t.Error("PDF lacks the fixed date or the embedded font")
	}
	if !bytes.Equal(a, b) {
		t.Error("two PDF renderings differ")
	}
	svg, _ := f.Encode("svg", 0)
	if s, _ := f.SVG(); !bytes.Equal(svg, s) {
		t.Error(`Encode("svg") differs from SVG()`)
	}
}

// TestCaptioned: a caption adds a strip below the figure and is drawn as
// text (SVG) and in the PDF's code page (pdftotext, where installed,
// reads "—" back, not "â€”"); an empty caption changes nothing.
func TestCaptioned(t *testing.T) {
	const caption = "Synthetic reference data — not the study's findings"
	f := encodeFigure(t)
	if f.Captioned("") != f || f.Captioned("  ") != f {
		t.Error("an empty caption changed the figure")
	}
	c := f.Captioned(caption)
	w, h := f.Size()
	cw, ch := c.Size()
	if cw != w || ch <= h || ch > h+40 {
		t.Errorf("captioned size %vx%v, figure %vx%v: want the same width and a small strip more height", cw, ch, w, h)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := f.SVG()
	if !strings.Contains(string(svg), "Synthetic reference data — not the study&#39;s findings") || strings.Contains(string(plain), "Synthetic") {
		t.Errorf("the caption is not in the captioned SVG only")
	}
	pdf, err := c.Encode("pdf", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), caption) {
		t.Errorf("pdftotext reads %q, want the caption %q", out, caption)
	}
}
