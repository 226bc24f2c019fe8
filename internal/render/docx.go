package render

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/png" // DecodeConfig of embedded figures
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Docx builds a Word document (Office Open XML, ECMA-376) with the few
// parts a report needs: headings, paragraphs, small-print notes, journal
// tables (w:tbl with a repeated header row and three rules) and inline
// PNG figures. No Go docx library is kept for the project, and these parts
// are a few hundred lines of XML written with encoding/xml's escaping.
//
// The output is deterministic: parts are written in a fixed order with a
// fixed modification time.
type Docx struct {
	body   bytes.Buffer
	images [][]byte
	// landscape is the orientation of the current section: a table too
	// wide for a portrait page gets a landscape section of its own.
	landscape bool
	// TitleLevel is the heading level of table titles (1–3; 2 when 0),
	// so Word's navigation pane and pandoc list the tables.
	TitleLevel int
}

// NewDocx returns an empty document.
func NewDocx() *Docx { return &Docx{} }

// Text widths and type sizes of the document: A4 with 2 cm margins.
const (
	docxPageW    = 11906 // twentieths of a point
	docxPageH    = 16838
	docxMargin   = 1134
	emuPerInch   = 914400
	twipsPerInch = 1440
	// docxTextWidthEMU is the width figures are scaled down to.
	docxTextWidthEMU = (docxPageW - 2*docxMargin) * emuPerInch / twipsPerInch
)

// sectPr describes a section of A4 pages in portrait or landscape.
func sectPr(landscape bool) string {
	if landscape {
		return fmt.Sprintf(`<w:sectPr><w:pgSz w:w="%d" w:h="%d" w:orient="landscape"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>`,
			docxPageH, docxPageW, docxMargin, docxMargin, docxMargin, docxMargin)
	}
	return fmt.Sprintf(`<w:sectPr><w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>`,
		docxPageW, docxPageH, docxMargin, docxMargin, docxMargin, docxMargin)
}

// orient starts a new section when the orientation changes: in OOXML a
// section ends with a paragraph holding its sectPr, and the body's last
// sectPr describes the last section.
func (d *Docx) orient(landscape bool) {
	if d.landscape == landscape {
		return
	}
	if d.body.Len() > 0 {
		d.body.WriteString("<w:p><w:pPr>" + sectPr(d.landscape) + "</w:pPr></w:p>")
	}
	d.landscape = landscape
}

// textWidth is the width between the margins of the current section.
func (d *Docx) textWidth() int {
	if d.landscape {
		return docxPageH - 2*docxMargin
	}
	return docxPageW - 2*docxMargin
}

func xmlText(s string) string {
	var b strings.Builder
	// EscapeText also replaces characters XML forbids (control codes).
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// run is one w:r of text, in bold or italics when asked.
func run(text string, bold, italic bool) string {
	var rpr string
	if bold {
		rpr += "<w:b/>"
	}
	if italic {
		rpr += "<w:i/>"
	}
	if rpr != "" {
		rpr = "<w:rPr>" + rpr + "</w:rPr>"
	}
	return `<w:r>` + rpr + `<w:t xml:space="preserve">` + xmlText(text) + `</w:t></w:r>`
}

func (d *Docx) para(style, ppr, runs string) {
	d.body.WriteString("<w:p>")
	if style != "" || ppr != "" {
		d.body.WriteString("<w:pPr>")
		if style != "" {
			d.body.WriteString(`<w:pStyle w:val="` + style + `"/>`)
		}
		d.body.WriteString(ppr + "</w:pPr>")
	}
	d.body.WriteString(runs + "</w:p>")
}

// Heading adds a heading of level 1 to 3 (Word's Heading 1–3 styles, so
// pandoc and Word's navigation pane see them).
func (d *Docx) Heading(level int, text string) {
	d.orient(false)
	level = min(max(level, 1), 3)
	d.para(fmt.Sprintf("Heading%d", level), "", run(text, false, false))
}

// Paragraph adds a paragraph of body text.
func (d *Docx) Paragraph(text string) {
	d.orient(false)
	d.para("", "", run(text, false, false))
}

// Emphasis adds a paragraph in bold (a notice) or italics, in the
// current section's orientation.
func (d *Docx) Emphasis(text string, bold bool) {
	d.para("", "", run(text, bold, !bold))
}

// Note adds a paragraph in small print (a table's notes).
func (d *Docx) Note(text string) { d.para("Note", "", run(text, false, false)) }

// Table adds t: its title as a heading above (TitleLevel), a header row that
// repeats on every page, RowHeader labels in bold, RowLevel rows indented,
// its notes in small print below. A table too wide for a portrait page
// is set on landscape pages.
func (d *Docx) Table(t Table) {
	d.orient(wide(t))
	widths, _ := docxColumnWidths(t, d.textWidth())
	if t.Title != "" {
		level := d.TitleLevel
		if level == 0 {
			level = 2
		}
		d.para(fmt.Sprintf("Heading%d", min(max(level, 1), 3)), "", run(t.Title, false, false))
	}
	b := &d.body
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="JournalTable"/><w:tblW w:w="0" w:type="auto"/>` +
		`<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/></w:tblBorders>` +
		`<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	b.WriteString(`<w:tr><w:trPr><w:tblHeader/></w:trPr>`)
	for c, h := range t.Columns {
		fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:tcBorders>`, widths[c])
		b.WriteString(`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tcBorders></w:tcPr>`)
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>` + run(h, true, false) + `</w:p></w:tc>`)
	}
	b.WriteString(`</w:tr>`)
	for i, r := range t.Rows {
		kind := RowData
		if i < len(t.Kinds) {
			kind = t.Kinds[i]
		}
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for c := range t.Columns {
			text := ""
			if c < len(r) {
				text = r[c]
			}
			ppr := `<w:pStyle w:val="TableText"/>`
			if kind == RowLevel && c == 0 {
				ppr += `<w:ind w:left="284"/>`
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, widths[c])
			b.WriteString(`<w:p><w:pPr>` + ppr + `</w:pPr>` + run(text, kind == RowHeader && c == 0, false) + `</w:p></w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	for _, n := range t.Notes {
		d.Note(n)
	}
	if len(t.Notes) == 0 {
		d.para("Note", "", "") // space between consecutive tables
	}
}

// wide reports whether t needs a landscape page.
func wide(t Table) bool {
	_, need := docxColumnWidths(t, docxPageW-2*docxMargin)
	return need > docxPageW-2*docxMargin
}

// docxColumnWidths shares the text width (in twentieths of a point)
// among t's columns, so the grid Word and pandoc read has every column (a
// grid without widths loses the cells in pandoc). Each column first gets
// its longest word, so no word is broken inside (a "p-value" column
// stays legible), then what is left goes to the columns whose longest
// cell would wrap, in proportion to what they lack.
//
// need is the width at which no cell would wrap.
func docxColumnWidths(t Table, textWidth int) (widths []int, need int) {
	const (
		perChar = 118 // 9 pt text, an average character (DejaVu, the widest fallback)
		pad     = 2 * 85
	)
	n := len(t.Columns)
	word, cell := make([]int, n), make([]int, n)
	measure := func(c int, s string, extra int) {
		cell[c] = max(cell[c], utf8.RuneCountInString(s)+extra)
		for _, w := range strings.Fields(s) {
			word[c] = max(word[c], utf8.RuneCountInString(w)+extra)
		}
	}
	for c := range n {
		measure(c, t.Columns[c], 0)
		for i, r := range t.Rows {
			if c < len(r) {
				extra := 0
				if c == 0 && i < len(t.Kinds) && t.Kinds[i] == RowLevel {
					extra = 3
				}
				measure(c, r[c], extra)
			}
		}
	}
	out := make([]int, n)
	minSum, lack := 0, 0
	for c := range n {
		out[c] = max(word[c], 3)*perChar + pad
		minSum += out[c]
		full := max(cell[c], 3)*perChar + pad
		need += full
		lack += full - out[c]
	}
	switch {
	case need <= textWidth:
		for c := range n {
			out[c] = max(cell[c], 3)*perChar + pad
		}
	case minSum < textWidth && lack > 0:
		left := textWidth - minSum
		for c := range n {
			full := max(cell[c], 3)*perChar + pad
			out[c] += left * (full - out[c]) / lack
		}
	case minSum > textWidth:
		// Too many columns for the page even word by word: shrink them
		// all alike rather than run off the page.
		for c := range n {
			out[c] = out[c] * textWidth / minSum
		}
	}
	return out, need
}

// Image adds a PNG figure at dpi dots per inch (its size on the page),
// scaled down to the text width when wider, with caption below when not
// empty.
func (d *Docx) Image(png []byte, dpi float64, caption string) error {
	d.orient(false)
	cfg, format, err := image.DecodeConfig(bytes.NewReader(png))
	if err != nil {
		return fmt.Errorf("docx image: %w", err)
	}
	if format != "png" {
		return fmt.Errorf("docx image: %s (expected PNG)", format)
	}
	if dpi <= 0 {
		dpi = 96
	}
	cx := int64(float64(cfg.Width) / dpi * emuPerInch)
	cy := int64(float64(cfg.Height) / dpi * emuPerInch)
	if cx > docxTextWidthEMU {
		cy = cy * docxTextWidthEMU / cx
		cx = docxTextWidthEMU
	}
	d.images = append(d.images, png)
	n := len(d.images)
	rid := fmt.Sprintf("rIdImg%d", n)
	name := xmlText(caption)
	d.para("Figure", `<w:keepNext/>`, fmt.Sprintf(`<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">`+
		`<wp:extent cx="%[1]d" cy="%[2]d"/><wp:docPr id="%[3]d" name="Figure %[3]d" descr="%[4]s"/>`+
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
		`<pic:nvPicPr><pic:cNvPr id="%[3]d" name="image%[3]d.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="%[5]s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%[1]d" cy="%[2]d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`, cx, cy, n, name, rid))
	if caption != "" {
		d.para("Caption", "", run(caption, false, false))
	}
	return nil
}

// docxTime is every part's modification time, so identical documents
// are identical files.
var docxTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteTo writes the document as a .docx (zip) file.
func (d *Docx) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: docxTime})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	var rels strings.Builder
	rels.WriteString(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	for i := range d.images {
		fmt.Fprintf(&rels, `<Relationship Id="rIdImg%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image%d.png"/>`, i+1, i+1)
	}
	rels.WriteString(`</Relationships>`)
	doc := xml.Header + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
		`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
		`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
		`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>` +
		d.body.String() + sectPr(d.landscape) +
		`</w:body></w:document>`
	parts := []struct {
		name string
		data []byte
	}{
		{"[Content_Types].xml", []byte(docxContentTypes)},
		{"_rels/.rels", []byte(docxRootRels)},
		{"word/document.xml", []byte(doc)},
		{"word/styles.xml", []byte(docxStyles)},
		{"word/_rels/document.xml.rels", []byte(rels.String())},
	}
	for _, p := range parts {
		if err := add(p.name, p.data); err != nil {
			return 0, err
		}
	}
	for i, img := range d.images {
		// PNG is already compressed; deflating it again only costs time.
		f, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("word/media/image%d.png", i+1), Method: zip.Store, Modified: docxTime})
		if err != nil {
			return 0, err
		}
		if _, err := f.Write(img); err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.WriteTo(w)
}

// WriteDocx writes doc as a Word document: the preamble (the
// synthetic-data notice) in bold, each table under its title with its
// notes, the epilogue.
func WriteDocx(w io.Writer, doc *Document) error {
	d := NewDocx()
	d.Document(doc)
	_, err := d.WriteTo(w)
	return err
}

// Document adds doc's preamble, tables and epilogue.
func (d *Docx) Document(doc *Document) {
	if len(doc.Tables) > 0 {
		// The notice goes on the first table's page, not on a page of
		// its own before a landscape section.
		d.orient(wide(doc.Tables[0]))
	}
	for _, l := range doc.Preamble {
		d.Emphasis(l, true)
	}
	for _, t := range doc.Tables {
		d.Table(t)
	}
	for _, l := range doc.Epilogue {
		d.Paragraph(l)
	}
}

const docxContentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Default Extension="png" ContentType="image/png"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`</Types>`

const docxRootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`</Relationships>`

// docxStyles: Normal 11 pt, headings, a caption, 9 pt notes, 10 pt table
// text with no spacing, and a table style with no inner borders (the
// rules come from the table itself).
const docxStyles = xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="SimSun" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="280" w:after="100"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="80"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="120" w:after="60"/></w:pPr><w:rPr><w:b/><w:sz w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Note"><w:name w:val="Table Note"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:before="120" w:after="0"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="table" w:styleId="JournalTable"><w:name w:val="Journal Table"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:insideH w:val="nil"/><w:insideV w:val="nil"/><w:left w:val="nil"/><w:right w:val="nil"/></w:tblBorders></w:tblPr></w:style>` +
	`</w:styles>`
