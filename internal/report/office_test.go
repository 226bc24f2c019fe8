package report

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/xuri/excelize/v2"
)

func realPNG(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 300, 150))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(data)
	}
	return out
}

// TestReportDocx: report.docx has the report's headings (one per step),
// a Word table per table of the steps that ran, the figure whose PNG
// decodes embedded, and says what could not be drawn or embedded and
// which step failed.
func TestReportDocx(t *testing.T) {
	var warned []string
	r := newReport(t, &warned,
		Figure{Name: "lead", Title: "Lead", Lead: true, Drawing: drawing{"<svg/>", realPNG(t)}},
		Figure{Name: "bad", Title: "Bad PNG", Drawing: drawing{"<svg/>", "not a png"}},
		Figure{Name: "none", Title: "None", Err: errors.New("no rows")})
	files, _, err := r.files()
	if err != nil {
		t.Fatal(err)
	}
	parts := unzip(t, files["report.docx"])
	doc := parts["word/document.xml"]
	if n := strings.Count(doc, `<w:pStyle w:val="Heading2"/>`); n != len(r.Sections) {
		t.Errorf("%d section headings, want %d", n, len(r.Sections))
	}
	if n := strings.Count(doc, `<w:pStyle w:val="Heading3"/>`); n != 2 {
		t.Errorf("%d table headings, want 2", n)
	}
	if n := strings.Count(doc, "<w:tbl>"); n != 2 {
		t.Errorf("%d tables, want 2 (the two steps that ran)", n)
	}
	if n := strings.Count(doc, "<wp:inline"); n != 1 || parts["word/media/image1.png"] != realPNG(t) {
		t.Errorf("%d inline figures (want 1, the PNG that decodes)", n)
	}
	// 300 px at 150 dpi is 2 in of 914400 EMU.
	if !strings.Contains(doc, `<wp:extent cx="1828800" cy="914400"/>`) {
		t.Error("the figure is not drawn at the PNG's resolution")
	}
	for _, want := range []string{"ccstudy report: a study", "NOTICE", "Data: d.csv.", "1. Title first", "table of first", "p &lt;0.001",
		"This step FAILED: no data", "Bad PNG (figures/bad.png)", `Figure &#34;None&#34; could not be drawn: no rows.`, "epi last"} {
		if !strings.Contains(doc, want) {
			t.Errorf("report.docx lacks %q", want)
		}
	}
	if strings.Index(doc, "<wp:inline") > strings.Index(doc, "table of first") {
		t.Error("the lead figure is not before the section's tables")
	}
}

// TestReportXLSX: tables.xlsx has a sheet per table named as its CSV,
// the data notice on top of each.
func TestReportXLSX(t *testing.T) {
	var warned []string
	r := newReport(t, &warned)
	files, _, err := r.files()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(files["tables.xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "first_t,last_t" {
		t.Fatalf("sheets %s, want first_t,last_t (as tables/first_t.csv, tables/last_t.csv)", got)
	}
	if _, ok := files["tables/first_t.csv"]; !ok {
		t.Error("sheet name no longer matches the CSV name")
	}
	rows, err := f.GetRows("first_t")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 5 || rows[0][0] != "NOTICE" || rows[2][0] != "1. Title first — table of first" || rows[3][0] != "label" || rows[4][0] != "p <0.001" {
		t.Errorf("first_t sheet: %q", rows)
	}
}

// encoding is a Drawing that renders to any format, naming the format
// and dpi in its bytes.
type encoding struct{}

func (encoding) SVG() ([]byte, error) { return []byte("<svg/>"), nil }
func (encoding) PNG() ([]byte, error) { return []byte("png"), nil }
func (encoding) Encode(format string, dpi int) ([]byte, error) {
	return fmt.Appendf(nil, "%s@%d", format, dpi), nil
}

// TestFigureFormats: each figure is written in the formats asked, PNG
// always, at the dpi asked; the manifest records them; a Drawing that
// cannot render a format fails the report rather than writing less.
func TestFigureFormats(t *testing.T) {
	var warned []string
	r := newReport(t, &warned, Figure{Name: "f", Title: "F", Drawing: encoding{}})
	r.Figures = FigureSettings{Formats: []string{"pdf", "tiff"}, DPI: map[string]int{"tiff": 600, "png": 300}}
	files, _, err := r.files()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"figures/f.pdf": "pdf@0", "figures/f.tiff": "tiff@600", "figures/f.png": "png@300"} {
		if string(files[name]) != want {
			t.Errorf("%s = %q, want %q", name, files[name], want)
		}
	}
	if _, ok := files["figures/f.svg"]; ok {
		t.Error("svg written though not asked for")
	}
	var man Manifest
	if err := json.Unmarshal(files["manifest.json"], &man); err != nil {
		t.Fatal(err)
	}
	if strings.Join(man.Figures.Formats, ",") != "pdf,tiff,png" || man.Figures.DPI["tiff"] != 600 {
		t.Errorf("manifest figures %+v", man.Figures)
	}
	// Without SVG, report.html inlines the PNG.
	if !strings.Contains(string(files["report.html"]), "data:image/png;base64,") {
		t.Error("report.html does not inline the PNG when no SVG is written")
	}

	r = newReport(t, &warned, Figure{Name: "g", Title: "G", Drawing: drawing{"<svg/>", "png"}})
	r.Figures = FigureSettings{Formats: []string{"pdf"}}
	if _, _, err := r.files(); err == nil || !strings.Contains(err.Error(), "figure g: cannot be drawn as pdf") {
		t.Errorf("a drawing without Encode asked for PDF: %v", err)
	}
}

// TestMarkdownForPandoc: report.md keeps a blank line around every
// heading and table (pandoc merged "## 2." into the paragraph before it
// when a section ended with a note), links PNG figures, and pandoc, when
// installed, makes every section heading an <h2>.
func TestMarkdownForPandoc(t *testing.T) {
	var warned []string
	// Without figures a section ends with its last note.
	plain, err := newReport(t, &warned).Markdown()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range render.MarkdownBlockProblems(string(plain)) {
		t.Error(p)
	}
	r := newReport(t, &warned, Figure{Name: "after", Title: "After", Drawing: drawing{}})
	md, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range render.MarkdownBlockProblems(string(md)) {
		t.Error(p)
	}
	if !strings.Contains(string(md), "![After](figures/after.png)") {
		t.Errorf("figure not linked as PNG:\n%s", md)
	}
	if _, err := exec.LookPath("pandoc"); err != nil {
		t.Skip("pandoc not installed")
	}
	cmd := exec.Command("pandoc", "-f", "markdown", "-t", "html")
	cmd.Stdin = bytes.NewReader(append(append(plain, '\n'), md...))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pandoc: %v\n%s", err, out)
	}
	html := string(out)
	for i, s := range r.Sections {
		h := fmt.Sprintf(">%d. %s</h2>", i+1, s.Title)
		if n := strings.Count(html, h); n != 2 {
			t.Errorf("pandoc's HTML has the heading %q %d times, want 2 (once per report):\n%s", h, n, html)
		}
	}
	if strings.Contains(html, ">epi last</h2>") {
		t.Error("the last note became a heading")
	}
	if !strings.Contains(html, `src="figures/after.png"`) {
		t.Errorf("pandoc's HTML lacks the figure")
	}
}
