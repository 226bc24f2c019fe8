package render

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Excel's limits on sheet names: at most 31 characters, none of []:*?/\,
// unique without regard to case.
const maxSheetName = 31

var badSheetChars = regexp.MustCompile(`[\[\]:*?/\\]`)

// decimalNumber matches what a table shows as a plain number ("12",
// "-0.53", "1.2e-05"); "<0.001", "2.31 (1.10, 4.86)", "NA" and "Inf" stay
// text.
var decimalNumber = regexp.MustCompile(`^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$`)

// XLSXSheets returns the sheet name of each table of doc, in order: the
// table's name made legal for Excel and unique. The tidy sheet of a table
// with RawRows is its name with "_data" appended (see WriteXLSX).
func XLSXSheets(doc *Document) []string {
	s := newSheetNamer()
	out := make([]string, len(doc.Tables))
	for i, t := range doc.Tables {
		out[i] = s.name(t.Name, "")
	}
	return out
}

type sheetNamer struct{ used map[string]bool }

func newSheetNamer() *sheetNamer { return &sheetNamer{used: map[string]bool{}} }

// name returns base+suffix cleaned and cut to Excel's 31 characters, with
// "~2", "~3"… before the suffix when it is taken.
func (s *sheetNamer) name(base, suffix string) string {
	base = strings.Trim(badSheetChars.ReplaceAllString(base, "_"), "'")
	if base == "" {
		base = "table"
	}
	for n := 1; ; n++ {
		tail := suffix
		if n > 1 {
			tail = "~" + strconv.Itoa(n) + suffix
		}
		b := base
		for utf8.RuneCountInString(b)+utf8.RuneCountInString(tail) > maxSheetName {
			_, size := utf8.DecodeLastRuneInString(b)
			b = b[:len(b)-size]
		}
		cand := b + tail
		if key := strings.ToLower(cand); !s.used[key] {
			s.used[key] = true
			return cand
		}
	}
}

// WriteXLSX writes doc as an Excel workbook: one sheet per table as
// people read it (the preamble, such as the synthetic-data notice, on
// top, the title, a bold header row, bold variable rows and indented
// level rows, the notes below), numbers stored as numbers with the
// decimals shown; and, for a table with RawRows, a second sheet NAME_data
// with the tidy full-precision columns scripts read.
func WriteXLSX(w io.Writer, doc *Document) error {
	f, err := buildXLSX(doc)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Write(w)
}

func buildXLSX(doc *Document) (*excelize.File, error) {
	f := excelize.NewFile()
	st, err := newXLSXStyles(f)
	if err != nil {
		return nil, err
	}
	names := newSheetNamer()
	tables := doc.Tables
	if len(tables) == 0 {
		// A workbook needs a sheet; an empty document still says so.
		tables = []Table{{Name: "output"}}
	}
	first := true
	for _, t := range tables {
		sheet := names.name(t.Name, "")
		if first {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return nil, err
			}
			first = false
		} else if _, err := f.NewSheet(sheet); err != nil {
			return nil, err
		}
		if err := st.displaySheet(f, sheet, doc, t); err != nil {
			return nil, fmt.Errorf("xlsx sheet %s: %w", sheet, err)
		}
		if t.RawColumns != nil {
			data := names.name(t.Name, "_data")
			if _, err := f.NewSheet(data); err != nil {
				return nil, err
			}
			if err := st.tidySheet(f, data, t); err != nil {
				return nil, fmt.Errorf("xlsx sheet %s: %w", data, err)
			}
		}
	}
	f.SetActiveSheet(0)
	return f, nil
}

type xlsxStyles struct {
	f                      *excelize.File
	bold, title, note, ind int
	// num caches a number style by decimals shown, so "2.10" still
	// shows two decimals once stored as a number.
	num map[int]int
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	s := &xlsxStyles{f: f, num: map[int]int{}}
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	// The workbook's own font, named in every style so that a style
	// does not fall back to another family.
	const family = "Calibri"
	s.bold = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Family: family, Size: 11}})
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Family: family, Size: 12}})
	s.note = mk(&excelize.Style{Font: &excelize.Font{Italic: true, Family: family, Size: 9}})
	s.ind = mk(&excelize.Style{Alignment: &excelize.Alignment{Indent: 1}})
	return s, err
}

func (s *xlsxStyles) numStyle(decimals int) (int, error) {
	if id, ok := s.num[decimals]; ok {
		return id, nil
	}
	code := "0"
	if decimals > 0 {
		code += "." + strings.Repeat("0", decimals)
	}
	id, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &code})
	s.num[decimals] = id
	return id, err
}

// cellValue returns text as a number when a table shows a plain decimal
// number, with the number of decimals shown; otherwise the text.
func cellValue(text string) (v any, decimals int, isNum bool) {
	if !decimalNumber.MatchString(text) {
		return text, 0, false
	}
	x, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return text, 0, false
	}
	switch i := strings.IndexByte(text, '.'); {
	case strings.ContainsAny(text, "eE"):
		decimals = -1 // Excel's General format shows it
	case i >= 0:
		decimals = len(text) - i - 1
	}
	return x, decimals, true
}

func (s *xlsxStyles) displaySheet(f *excelize.File, sheet string, doc *Document, t Table) error {
	row := 1
	for _, l := range doc.Preamble {
		if err := setCell(f, sheet, 1, row, l, s.note); err != nil {
			return err
		}
		row++
	}
	if len(doc.Preamble) > 0 {
		row++
	}
	if t.Title != "" {
		if err := setCell(f, sheet, 1, row, t.Title, s.title); err != nil {
			return err
		}
		row++
	}
	widths := make([]int, len(t.Columns))
	for c, h := range t.Columns {
		if err := setCell(f, sheet, c+1, row, h, s.bold); err != nil {
			return err
		}
		widths[c] = utf8.RuneCountInString(h)
	}
	row++
	numeric := numericColumns(t)
	for i, r := range t.Rows {
		kind := RowData
		if i < len(t.Kinds) {
			kind = t.Kinds[i]
		}
		for c, text := range r {
			if c < len(widths) {
				widths[c] = max(widths[c], utf8.RuneCountInString(text)+2*btoi(kind == RowLevel && c == 0))
			}
			var v any = text
			dec, isNum := 0, false
			if c < len(numeric) && numeric[c] {
				v, dec, isNum = cellValue(text)
			}
			style := 0
			switch {
			case isNum && dec >= 0:
				id, err := s.numStyle(dec)
				if err != nil {
					return err
				}
				style = id
			case kind == RowHeader && c == 0:
				// Only the label: a one-row variable's OR and p stay roman.
				style = s.bold
			case kind == RowLevel && c == 0:
				style = s.ind
			}
			if err := setCell(f, sheet, c+1, row, v, style); err != nil {
				return err
			}
		}
		row++
	}
	if len(t.Notes) > 0 {
		row++
	}
	for _, n := range t.Notes {
		if err := setCell(f, sheet, 1, row, n, s.note); err != nil {
			return err
		}
		row++
	}
	if len(doc.Epilogue) > 0 {
		row++
	}
	for _, l := range doc.Epilogue {
		if err := setCell(f, sheet, 1, row, l, s.note); err != nil {
			return err
		}
		row++
	}
	if err := setWidths(f, sheet, widths); err != nil {
		return err
	}
	return printLayout(f, sheet)
}

// printLayout prints a display sheet on landscape pages, where a journal
// table's columns fit. (Fit-to-width would shrink the table to the width
// of its longest note, which runs on across the empty cells.)
func printLayout(f *excelize.File, sheet string) error {
	landscape := "landscape"
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape})
}

// numericColumns marks the columns whose numbers are stored as numbers:
// not the first (labels), and only where most filled cells are numbers,
// so a level column with "0" and "1" among words stays text while a
// p-value column keeps "<0.001" as text among its numbers.
func numericColumns(t Table) []bool {
	out := make([]bool, len(t.Columns))
	for c := 1; c < len(out); c++ {
		var nums, filled int
		for _, r := range t.Rows {
			if c >= len(r) || r[c] == "" {
				continue
			}
			filled++
			if decimalNumber.MatchString(r[c]) {
				nums++
			}
		}
		out[c] = filled > 0 && 2*nums > filled
	}
	return out
}

// tidySheet writes RawColumns/RawRows with no title or notes: row 1 is
// the header, so the sheet reads into a data frame as it is
// (readxl::read_excel(path, sheet = "NAME_data")).
func (s *xlsxStyles) tidySheet(f *excelize.File, sheet string, t Table) error {
	widths := make([]int, len(t.RawColumns))
	for c, h := range t.RawColumns {
		if err := setCell(f, sheet, c+1, 1, h, s.bold); err != nil {
			return err
		}
		widths[c] = utf8.RuneCountInString(h)
	}
	for i, r := range t.RawRows {
		for c, text := range r {
			var v any = text
			// Full precision: stored as the float it is, shown as Excel's
			// General format shows it.
			if decimalNumber.MatchString(text) {
				if x, err := strconv.ParseFloat(text, 64); err == nil {
					v = x
				}
			}
			if c < len(widths) {
				widths[c] = max(widths[c], min(utf8.RuneCountInString(text), 12))
			}
			if err := setCell(f, sheet, c+1, i+2, v, 0); err != nil {
				return err
			}
		}
	}
	return setWidths(f, sheet, widths)
}

func setCell(f *excelize.File, sheet string, col, row int, v any, style int) error {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		return err
	}
	if style != 0 {
		return f.SetCellStyle(sheet, cell, cell, style)
	}
	return nil
}

// setWidths sizes each column to its longest cell (capped), as people
// would drag them.
func setWidths(f *excelize.File, sheet string, widths []int) error {
	for c, w := range widths {
		name, err := excelize.ColumnNumberToName(c + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, name, name, float64(min(max(w, 6), 60))+1); err != nil {
			return err
		}
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
