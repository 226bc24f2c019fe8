package render

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// journalDoc is a small journal table with every row kind, characters
// each format must escape and sheet names Excel would refuse.
func journalDoc() *Document {
	return &Document{
		Preamble: []string{"NOTE: SYNTHETIC data"},
		Tables: []Table{{
			Name: "table2", Title: "Table 2. Odds ratios & 95% CI",
			Columns: []string{"variable", "OR (95% CI)", "p-value", "n"},
			Rows: [][]string{
				{"company type", "", "0.048", ""},
				{"biotech", "1 (reference)", "", "129"},
				{"traditional", "1.27 (0.40, 3.96)", "<0.001", "51"},
				{"R&D_spend {log} 50% $ #1 ~x^2 \\", "2.10", "0.870", "180"},
			},
			Kinds:      []RowKind{RowHeader, RowLevel, RowLevel, RowData},
			Notes:      []string{"Adjusted for <everything> --crude-sample"},
			RawColumns: []string{"term", "estimate", "p_value"},
			RawRows:    [][]string{{"company_type[traditional]", "1.2712345678901", "0.00012"}},
		}, {
			Name: "a/very:long*name?with[bad]chars\\and more than thirty-one", Title: "Second",
			Columns: []string{"x"}, Rows: [][]string{{"1"}},
		}, {
			Name: "A/VERY:LONG*NAME?WITH[BAD]CHARS\\AND MORE THAN THIRTY-ONE", Columns: []string{"y"}, Rows: [][]string{{"2"}},
		}},
		Epilogue: []string{"the end"},
	}
}

func write(t *testing.T, format string, doc *Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, doc); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestXLSXReadBack(t *testing.T) {
	b := write(t, "xlsx", journalDoc())
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 4 || sheets[0] != "table2" || sheets[1] != "table2_data" {
		t.Fatalf("sheets %q (expected table2, table2_data and two more)", sheets)
	}
	for _, s := range sheets {
		if len([]rune(s)) > 31 || strings.ContainsAny(s, `[]:*?/\`) {
			t.Errorf("sheet name %q is not legal in Excel", s)
		}
	}
	if strings.EqualFold(sheets[2], sheets[3]) {
		t.Errorf("sheet names %q and %q differ only in case", sheets[2], sheets[3])
	}
	rows, err := f.GetRows("table2")
	if err != nil {
		t.Fatal(err)
	}
	// notice, blank, title, header, 4 rows, blank, note, blank, epilogue
	want := [][]string{{"NOTE: SYNTHETIC data"}, nil, {"Table 2. Odds ratios & 95% CI"},
		{"variable", "OR (95% CI)", "p-value", "n"}, {"company type", "", "0.048"}, {"biotech", "1 (reference)", "", "129"},
		{"traditional", "1.27 (0.40, 3.96)", "<0.001", "51"}, {"R&D_spend {log} 50% $ #1 ~x^2 \\", "2.10", "0.870", "180"},
		nil, {"Adjusted for <everything> --crude-sample"}, nil, {"the end"}}
	if len(rows) != len(want) {
		t.Fatalf("display sheet rows:\n%q\nwant\n%q", rows, want)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i+1, rows[i], want[i])
		}
	}
	// "0.870" is the number 0.87 shown with three decimals (GetRows gave
	// it back as shown); "<0.001" is text; "2.10" stays text in a column
	// of words, as do the labels of column A.
	raw, _ := f.GetCellValue("table2", "C8", excelize.Options{RawCellValue: true})
	if raw != "0.87" {
		t.Errorf("C8 stored as %q, want the number 0.87", raw)
	}
	for cell, wantNum := range map[string]bool{"C8": true, "C5": true, "D6": true, "C7": false, "B7": false, "B8": false} {
		typ, err := f.GetCellType("table2", cell)
		if err != nil {
			t.Fatal(err)
		}
		isNum := typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset
		if isNum != wantNum {
			t.Errorf("%s: cell type %v, want number=%v", cell, typ, wantNum)
		}
	}
	bold := func(cell string) bool {
		id, err := f.GetCellStyle("table2", cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st.Font != nil && st.Font.Bold
	}
	// A variable row bolds its label only: its p (C5) stays roman.
	if !bold("A4") || !bold("D4") || !bold("A5") || bold("C5") || bold("A6") || bold("A8") {
		t.Errorf("bold: header A4 %v D4 %v, variable row A5 %v and its p C5 %v, level A6 %v, data A8 %v",
			bold("A4"), bold("D4"), bold("A5"), bold("C5"), bold("A6"), bold("A8"))
	}
	id, _ := f.GetCellStyle("table2", "A6")
	if st, _ := f.GetStyle(id); st.Alignment == nil || st.Alignment.Indent == 0 {
		t.Errorf("level row A6 is not indented")
	}
	tidy, err := f.GetRows("table2_data")
	if err != nil {
		t.Fatal(err)
	}
	if len(tidy) != 2 || strings.Join(tidy[0], ",") != "term,estimate,p_value" || tidy[1][0] != "company_type[traditional]" {
		t.Errorf("tidy sheet: %q", tidy)
	}
	if raw, _ := f.GetCellValue("table2_data", "B2", excelize.Options{RawCellValue: true}); raw != "1.2712345678901" {
		t.Errorf("tidy estimate stored as %q, want full precision", raw)
	}
}

func TestSheetNamer(t *testing.T) {
	s := newSheetNamer()
	long := strings.Repeat("x", 40)
	got := []string{s.name(long, ""), s.name(long, ""), s.name(long, "_data"), s.name("", ""), s.name("'q'", "")}
	want := []string{strings.Repeat("x", 31), strings.Repeat("x", 29) + "~2", strings.Repeat("x", 26) + "_data", "table", "q"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("name %d: %q, want %q", i, got[i], want[i])
		}
	}
}

// docxParts unzips a .docx.
func docxParts(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// docxCell is a table cell read back from document.xml.
type docxCell struct {
	text         string
	bold, indent bool
}

// docxTables parses document.xml and returns each table's rows of cells
// and whether its first row repeats as a header.
func docxTables(t *testing.T, docXML []byte) (tables [][][]docxCell, headers []bool, paras []string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(docXML))
	var (
		depth    int // inside w:tbl
		cell     *docxCell
		para     strings.Builder
		inPara   bool
		rowBold  bool
		inText   bool
		indented bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "tbl":
				depth++
				tables = append(tables, nil)
				headers = append(headers, false)
			case "tr":
				tables[len(tables)-1] = append(tables[len(tables)-1], nil)
			case "tblHeader":
				headers[len(headers)-1] = true
			case "tc":
				cell = &docxCell{}
				rowBold, indented = false, false
			case "b":
				rowBold = true
			case "ind":
				indented = true
			case "p":
				inPara = depth == 0
				para.Reset()
			case "t":
				inText = true
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "tbl":
				depth--
			case "tc":
				cell.bold, cell.indent = rowBold, indented
				tb := tables[len(tables)-1]
				tb[len(tb)-1] = append(tb[len(tb)-1], *cell)
				cell = nil
			case "p":
				if inPara && para.Len() > 0 {
					paras = append(paras, para.String())
				}
				inPara = false
			case "t":
				inText = false
			}
		case xml.CharData:
			if !inText {
				continue
			}
			if cell != nil {
				cell.text += string(el)
			} else if inPara {
				para.Write(el)
			}
		}
	}
	return tables, headers, paras
}

func TestDocxReadBack(t *testing.T) {
	doc := journalDoc()
	parts := docxParts(t, write(t, "docx", doc))
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels"} {
		if _, ok := parts[p]; !ok {
			t.Errorf("no %s in the docx", p)
		}
		if err := xml.Unmarshal(parts[p], new(struct{})); err != nil {
			t.Errorf("%s is not well-formed: %v", p, err)
		}
	}
	tables, headers, paras := docxTables(t, parts["word/document.xml"])
	if len(tables) != len(doc.Tables) {
		t.Fatalf("%d tables, want %d", len(tables), len(doc.Tables))
	}
	for i, tb := range tables {
		src := doc.Tables[i]
		if !headers[i] {
			t.Errorf("table %d: header row does not repeat (no w:tblHeader)", i)
		}
		if len(tb) != len(src.Rows)+1 {
			t.Fatalf("table %d: %d rows, want %d", i, len(tb), len(src.Rows)+1)
		}
		for c, h := range src.Columns {
			if tb[0][c].text != h || !tb[0][c].bold {
				t.Errorf("table %d header %d: %+v, want bold %q", i, c, tb[0][c], h)
			}
		}
		for r, row := range src.Rows {
			for c, want := range row {
				if tb[r+1][c].text != want {
					t.Errorf("table %d cell (%d,%d): %q, want %q", i, r+1, c, tb[r+1][c].text, want)
				}
			}
		}
	}
	tb := tables[0]
	if !tb[1][0].bold || tb[1][2].bold || tb[2][0].bold || !tb[2][0].indent || !tb[3][0].indent || tb[4][0].indent || tb[4][0].bold {
		t.Errorf("row kinds: header %+v (its p %+v), levels %+v %+v, data %+v", tb[1][0], tb[1][2], tb[2][0], tb[3][0], tb[4][0])
	}
	text := strings.Join(paras, "\n")
	for _, want := range []string{"NOTE: SYNTHETIC data", "Table 2. Odds ratios & 95% CI", "Adjusted for <everything> --crude-sample", "the end"} {
		if !strings.Contains(text, want) {
			t.Errorf("paragraphs lack %q:\n%s", want, text)
		}
	}
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range w {
		img.Set(i, i*h/w, color.Black)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDocxImage: a PNG is stored as a media part, related from the
// document and drawn inline at its size in EMU (914400 per inch), scaled
// to the text width when wider.
func TestDocxImage(t *testing.T) {
	d := NewDocx()
	d.Heading(1, "Figures")
	if err := d.Image(testPNG(t, 300, 150), 150, "Small"); err != nil {
		t.Fatal(err)
	}
	if err := d.Image(testPNG(t, 3000, 1000), 150, "Wide"); err != nil {
		t.Fatal(err)
	}
	if err := d.Image([]byte("GIF89a"), 150, "bad"); err == nil {
		t.Error("a non-PNG image was accepted")
	}
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, buf.Bytes())
	if len(parts["word/media/image1.png"]) == 0 || len(parts["word/media/image2.png"]) == 0 {
		t.Fatal("images not stored under word/media")
	}
	rels := string(parts["word/_rels/document.xml.rels"])
	for _, want := range []string{`Id="rIdImg1"`, `Target="media/image2.png"`} {
		if !strings.Contains(rels, want) {
			t.Errorf("relationships lack %s:\n%s", want, rels)
		}
	}
	doc := string(parts["word/document.xml"])
	// 300×150 px at 150 dpi is 2×1 in.
	if !strings.Contains(doc, `<wp:extent cx="1828800" cy="914400"/>`) || !strings.Contains(doc, `r:embed="rIdImg1"`) {
		t.Errorf("first image not inline at 2×1 in:\n%s", doc)
	}
	// 20 in wide is scaled to the text width, keeping the aspect ratio 3:1.
	ext := regexp.MustCompile(`<wp:extent cx="(\d+)" cy="(\d+)"/>`).FindAllStringSubmatch(doc, -1)
	// A4 is 11906 twips wide, less two 1134-twip (2 cm) margins; 1440
	// twips and 914400 EMU are an inch.
	textW := (11906 - 2*1134) * 914400 / 1440
	if len(ext) != 2 || ext[1][1] != strconv.Itoa(textW) || ext[1][2] != strconv.Itoa(textW/3) {
		t.Errorf("wide image extents %v, want the text width %d EMU by a third of it", ext, textW)
	}
	if !strings.Contains(string(parts["[Content_Types].xml"]), `Extension="png"`) {
		t.Error("content types lack png")
	}
}

// TestBinaryFormatsDeterministic: the same document gives the same bytes.
func TestBinaryFormatsDeterministic(t *testing.T) {
	for _, f := range []string{"docx", "xlsx"} {
		a, b := write(t, f, journalDoc()), write(t, f, journalDoc())
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two identical runs", f)
		}
	}
}

// TestDocxPandoc opens the docx with pandoc, when installed, and finds
// every cell and the notes.
func TestDocxPandoc(t *testing.T) {
	if _, err := exec.LookPath("pandoc"); err != nil {
		t.Skip("pandoc not installed")
	}
	path := filepath.Join(t.TempDir(), "t.docx")
	if err := os.WriteFile(path, write(t, "docx", journalDoc()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pandoc", "-f", "docx", "-t", "html", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pandoc: %v\n%s", err, out)
	}
	html := string(out)
	if n := strings.Count(html, "<table"); n != 3 {
		t.Errorf("pandoc sees %d tables, want 3:\n%s", n, html)
	}
	if n := strings.Count(html, "<h2"); n != 2 {
		t.Errorf("pandoc sees %d table headings, want 2 (the titled tables)", n)
	}
	for _, want := range []string{"<td>1.27 (0.40, 3.96)</td>", "<td>&lt;0.001</td>", "R&amp;D_spend {log} 50% $ #1 ~x^2 \\", "Adjusted for &lt;everything&gt;", "NOTE: SYNTHETIC data"} {
		if !strings.Contains(html, want) {
			t.Errorf("pandoc's HTML lacks %q:\n%s", want, html)
		}
	}
}

// TestDocxLibreOffice converts the docx to text with LibreOffice, when
// installed: the file opens in an office suite, not only in pandoc.
func TestDocxLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice not installed")
	}
	if testing.Short() {
		t.Skip("LibreOffice takes seconds to start")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "t.docx")
	if err := os.WriteFile(path, write(t, "docx", journalDoc()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "txt:Text", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	txt, err := os.ReadFile(filepath.Join(dir, "t.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1.27 (0.40, 3.96)", "1 (reference)", "NOTE: SYNTHETIC data", "Adjusted for <everything>"} {
		if !strings.Contains(string(txt), want) {
			t.Errorf("LibreOffice's text lacks %q:\n%s", want, txt)
		}
	}
}

func TestLatex(t *testing.T) {
	out := string(write(t, "latex", journalDoc()))
	for _, want := range []string{
		"\\usepackage{booktabs}",
		"\\caption{Odds ratios \\& 95\\% CI}", // LaTeX numbers it
		"\\toprule\nvariable & OR (95\\% CI) & p-value & n \\\\\n\\midrule\n",
		"\\textbf{company type} &  & 0.048 &  \\\\\n", // the label bold, not the p
		"\\small\\setlength{\\tabcolsep}{4pt}\n\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%\n\\begin{tabular}{@{}llll@{}}\n",
		"\\end{tabular}}\n",
		"\\quad biotech & 1 (reference) &  & 129 \\\\\n",
		"R\\&D\\_spend \\{log\\} 50\\% \\$ \\#1 \\textasciitilde{}x\\textasciicircum{}2 \\textbackslash{} & 2.10",
		"& \\textless{}0.001 &",
		"\\bottomrule\n\\end{tabular}}\n\\par\\smallskip\\raggedright\\footnotesize\nAdjusted for \\textless{}everything\\textgreater{} -{}-crude-sample\\par\nNOTE: SYNTHETIC data\\par\n\\end{table}",
		"the end\\par\n\\end{table}\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("LaTeX lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ctex") {
		t.Error("English tables are told to use ctex")
	}
	zh := journalDoc()
	zh.Tables[0].Rows[1][0] = "生物科技公司"
	if out := string(write(t, "latex", zh)); !strings.Contains(out, "% the tables hold Chinese text: compile with xelatex and \\usepackage{ctex}") {
		t.Errorf("Chinese tables without the xelatex/ctex note:\n%s", out)
	}
	if n := strings.Count(out, "\\begin{table}"); n != 3 {
		t.Errorf("%d table environments, want 3", n)
	}
	// Outside the escapes every special character is gone from the text
	// (the lines that open a tabular are markup only).
	out = regexp.MustCompile(`(?m)^\\(resizebox|begin\{tabular\}).*$`).ReplaceAllString(out, "")
	body := regexp.MustCompile(`\\[a-zA-Z]+(\{[^}]*\})?|\\[&%$#_{}]|[{}]|&|\\\\`).ReplaceAllString(out, "")
	body = regexp.MustCompile(`(?m)^%.*$`).ReplaceAllString(body, "")
	if strings.ContainsAny(body, "&%$#_^~") {
		t.Errorf("unescaped special characters remain:\n%s", body)
	}
}

func TestHTML(t *testing.T) {
	doc := journalDoc()
	doc.Tables[0].Rows[3][0] = `<script>alert("x")</script> & more`
	out := string(write(t, "html", doc))
	for _, want := range []string{
		"<!DOCTYPE html>", "<p class=\"notice\">NOTE: SYNTHETIC data</p>",
		"<caption>Table 2. Odds ratios &amp; 95% CI</caption>",
		"<thead><tr><th scope=\"col\">variable</th><th scope=\"col\">OR (95% CI)</th>",
		"<tr class=\"header\"><td class=\"variable\">company type</td><td></td><td>0.048</td>",
		"<td class=\"level\">biotech</td>",
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more",
		"<td>&lt;0.001</td>",
		"<p class=\"note\">Adjusted for &lt;everything&gt; --crude-sample</p>",
		"<p>the end</p>", "</html>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<script>") {
		t.Error("HTML is not escaped")
	}
	if n := strings.Count(out, "<table"); n != 3 {
		t.Errorf("%d tables, want 3", n)
	}
}

// TestMarkdownBlocks: every heading, table and paragraph is a block with
// blank lines around it, as pandoc needs; and pandoc, when installed,
// sees every heading and table.
func TestMarkdownBlocks(t *testing.T) {
	doc := journalDoc()
	doc.Tables[0].Notes = append(doc.Tables[0].Notes, "second note")
	md := string(write(t, "markdown", doc))
	if !strings.HasSuffix(md, "\n\n") {
		// The report puts its next heading right after a section.
		t.Errorf("markdown does not end with a blank line:\n%s", md)
	}
	for _, p := range MarkdownBlockProblems(md) {
		t.Error(p)
	}
	if _, err := exec.LookPath("pandoc"); err != nil {
		return
	}
	cmd := exec.Command("pandoc", "-f", "markdown", "-t", "html")
	cmd.Stdin = strings.NewReader(md)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pandoc: %v\n%s", err, out)
	}
	html := string(out)
	if n := strings.Count(html, "<h3"); n != 2 {
		t.Errorf("pandoc sees %d headings, want 2:\n%s", n, html)
	}
	if n := strings.Count(html, "<table"); n != 3 {
		t.Errorf("pandoc sees %d tables, want 3:\n%s", n, html)
	}
	for _, want := range []string{"<p>NOTE: SYNTHETIC data</p>", "<p>second note</p>", "<p>the end</p>"} {
		if !strings.Contains(html, want) {
			t.Errorf("pandoc's HTML lacks %q (merged into another block?):\n%s", want, html)
		}
	}
}

// TestLatexCompiles runs pdflatex, when installed, on the tables with
// every symbol the escaper knows in a cell, and a table of twelve wide
// columns that must be scaled to the text width (no overfull box).
func TestLatexCompiles(t *testing.T) {
	if _, err := exec.LookPath("pdflatex"); err != nil {
		t.Skip("pdflatex not installed")
	}
	doc := journalDoc()
	doc.Tables[1].Rows = append(doc.Tables[1].Rows, []string{"− ≥ ≤ ≠ ≈ ≡ → √ ∞ Xᵀ α β γ η κ μ σ φ χ² Δ Σ × ± · – — … x−−y 0.87ᵃ 0.31ᵇ 0.18ᶜ 0.75ᵈ ⁿ⁹"})
	wideCols, wideRow := make([]string, 12), make([]string, 12)
	for i := range wideCols {
		wideCols[i], wideRow[i] = "or_conf_high_column", "-1234.5678 (-1234.5678, 1234.5678)"
	}
	doc.Tables = append(doc.Tables, Table{Name: "wide", Title: "Wide", Columns: wideCols, Rows: [][]string{wideRow}})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tables.tex"), write(t, "latex", doc), 0o644); err != nil {
		t.Fatal(err)
	}
	main := "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n\\usepackage{graphicx}\n\\begin{document}\n\\input{tables}\n\\end{document}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tex"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "main.tex")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdflatex: %v\n%s", err, out)
	}
	log, err := os.ReadFile(filepath.Join(dir, "main.log"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(log), "Overfull \\hbox") {
		t.Errorf("a table overflows the text width:\n%s", log)
	}
}

// TestEmptyDocument: a document without tables still gives a valid
// workbook (Excel needs a sheet) and a valid Word file, with the notice.
func TestEmptyDocument(t *testing.T) {
	doc := &Document{Preamble: []string{"NOTICE"}}
	f, err := excelize.OpenReader(bytes.NewReader(write(t, "xlsx", doc)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if a1, _ := f.GetCellValue(f.GetSheetList()[0], "A1"); a1 != "NOTICE" {
		t.Errorf("empty workbook A1 = %q", a1)
	}
	parts := docxParts(t, write(t, "docx", doc))
	if _, _, paras := docxTables(t, parts["word/document.xml"]); len(paras) != 1 || paras[0] != "NOTICE" {
		t.Errorf("empty docx paragraphs %q", paras)
	}
}
