package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads one sheet of an Excel workbook as records: the first
// non-empty row is the header, every row below it a data row (an empty
// row in between is reported as the loader reports one in a CSV).
//
// sheet is a sheet's name or its 1-based position; "" is the first sheet.
//
// Cells are read as their stored (raw) values, not as displayed: a
// number shows all its digits and no thousands separators, percent
// signs or currency whatever its number format (12% is 0.12); a formula
// gives its cached result; TRUE/FALSE give 1/0. The one exception is a
// number formatted as a date or time, which is written in ISO 8601
// (2024-03-14, 2024-03-14T09:30:00, or 09:30:00 for a time alone), as a
// schema's date fields expect, instead of Excel's day count.
func readXLSX(raw []byte, source, sheet string) (*recordFile, error) {
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable xlsx workbook: %v (expected an Excel .xlsx file; save .xls or .ods files as .xlsx)", source, err)
	}
	defer f.Close()
	name, err := pickSheet(f.GetSheetList(), sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	rawRows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%s:%s: reading the sheet: %v", source, name, err)
	}
	shown, err := f.GetRows(name)
	if err != nil {
		return nil, fmt.Errorf("%s:%s: reading the sheet: %v", source, name, err)
	}
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	dates := &dateStyles{f: f, sheet: name, known: map[int]bool{}}

	rec := &recordFile{}
	for r, row := range rawRows {
		if len(rec.rows) == 0 && blankRecord(row) {
			continue // rows above the header
		}
		out := make([]string, len(row))
		for c, v := range row {
			out[c] = v
			if r < len(shown) && c < len(shown[r]) && shown[r][c] != v {
				if iso, ok := dates.iso(c+1, r+1, v, date1904); ok {
					out[c] = iso
				}
			}
		}
		rec.rows = append(rec.rows, out)
		rec.rowNum = append(rec.rowNum, r+1)
	}
	if len(rec.rows) == 0 {
		return nil, fmt.Errorf("%s:%s: the sheet is empty (expected a header row with the schema's columns, then one row per unit)", source, name)
	}
	// Excel stores no trailing empty cells: pad every row to the header.
	width := len(rec.rows[0])
	for i, r := range rec.rows {
		for len(r) < width {
			r = append(r, "")
		}
		rec.rows[i] = r
	}
	quoted := name
	if strings.ContainsAny(name, " !:'") {
		quoted = "'" + strings.ReplaceAll(name, "'", "''") + "'"
	}
	rec.position = func(i, colIndex int, col string) string {
		switch {
		case i < 0 && colIndex > 0:
			return quoted + "!" + columnName(colIndex)
		case i < 0:
			return quoted
		case colIndex > 0:
			return quoted + "!" + columnName(colIndex) + strconv.Itoa(rec.rowNum[i])
		}
		return quoted + " row " + strconv.Itoa(rec.rowNum[i])
	}
	return rec, nil
}

// SheetNames lists the sheets of an xlsx workbook in order (nil when raw
// is not one), for completing --sheet.
func SheetNames(raw []byte) []string {
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		return nil
	}
	defer f.Close()
	return f.GetSheetList()
}

// pickSheet returns the sheet named, or at the 1-based position, sheet.
func pickSheet(sheets []string, sheet string) (string, error) {
	if len(sheets) == 0 {
		return "", errors.New("the workbook has no sheet")
	}
	if sheet == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == sheet {
			return s, nil
		}
	}
	if n, err := strconv.Atoi(sheet); err == nil {
		if n >= 1 && n <= len(sheets) {
			return sheets[n-1], nil
		}
		return "", fmt.Errorf("--sheet %d: the workbook has %d sheets (expected 1 to %d, or a name: %s)", n, len(sheets), len(sheets), strings.Join(sheets, ", "))
	}
	msg := fmt.Sprintf("no sheet %q (expected one of %s, or a position from 1)", sheet, strings.Join(sheets, ", "))
	if s := suggest(sheet, sheets); len(s) > 0 {
		msg += "; did you mean " + s[0] + "?"
	}
	return "", errors.New(msg)
}

// columnName is Excel's name of the 1-based column n (1 = A, 27 = AA).
func columnName(n int) string {
	s, err := excelize.ColumnNumberToName(n)
	if err != nil {
		return strconv.Itoa(n)
	}
	return s
}

// dateStyles tells which cells of a sheet have a date or time number
// format, caching the answer per style.
type dateStyles struct {
	f     *excelize.File
	sheet string
	known map[int]bool
}

// iso returns the ISO 8601 form of the raw value v of cell (col, row)
// when its number format is a date or time.
func (d *dateStyles) iso(col, row int, v string, date1904 bool) (string, bool) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return "", false
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return "", false
	}
	idx, err := d.f.GetCellStyle(d.sheet, cell)
	if err != nil {
		return "", false
	}
	isDate, ok := d.known[idx]
	if !ok {
		if st, err := d.f.GetStyle(idx); err == nil {
			custom := ""
			if st.CustomNumFmt != nil {
				custom = *st.CustomNumFmt
			}
			isDate = dateFormat(st.NumFmt, custom)
		}
		d.known[idx] = isDate
	}
	if !isDate {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(x, date1904)
	if err != nil {
		return "", false
	}
	switch day, frac := math.Modf(x); {
	case day == 0 && frac != 0:
		return t.Format("15:04:05"), true
	case frac == 0:
		return t.Format("2006-01-02"), true
	}
	return t.Format("2006-01-02T15:04:05"), true
}

// dateFormat reports whether a number format shows a date or a time:
// Excel's built-in formats 14–22 and 45–47 (and 27–36, 50–58 of East
// Asian locales), or a custom code with y, d, h or s outside quoted text
// and brackets ([Red], [$-409]).
func dateFormat(id int, custom string) bool {
	switch {
	case id >= 14 && id <= 22, id >= 45 && id <= 47, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return true
	case custom == "":
		return false
	}
	inQuote, inBracket := false, false
	for _, r := range strings.ToLower(custom) {
		switch {
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == '[':
			inBracket = true
		case r == ']':
			inBracket = false
		case inBracket:
		case strings.ContainsRune("ydhs", r):
			return true
		}
	}
	return false
}
