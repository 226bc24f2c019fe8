package dataset

import (
	"bytes"
	"errors"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"
)

// xlsxOf writes records as a workbook's first sheet (named sheet),
// numbers as numbers and the rest as text, as Excel stores typed data.
func xlsxOf(t testing.TB, sheet string, recs [][]string, edit func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			t.Fatal(err)
		}
	}
	for r, rec := range recs {
		for c, v := range rec {
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				t.Fatal(err)
			}
			var val any = v
			if x, err := strconv.ParseFloat(v, 64); err == nil && r > 0 {
				val = x
			}
			if v == "" {
				continue
			}
			if err := f.SetCellValue(sheet, cell, val); err != nil {
				t.Fatal(err)
			}
		}
	}
	if edit != nil {
		edit(f)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// parquetOf writes records as a Parquet file with optional columns:
// int64 where every value of a column is an integer, double where every
// value is a number, else text; an empty cell is a null.
func parquetOf(t testing.TB, recs [][]string) []byte {
	t.Helper()
	header := recs[0]
	kinds := make([]string, len(header))
	group := parquet.Group{}
	for j, name := range header {
		kinds[j] = "int"
		for _, r := range recs[1:] {
			if r[j] == "" {
				continue
			}
			if _, err := strconv.ParseInt(r[j], 10, 64); err != nil {
				if _, err := strconv.ParseFloat(r[j], 64); err == nil && kinds[j] != "text" {
					kinds[j] = "double"
				} else {
					kinds[j] = "text"
				}
			}
		}
		switch kinds[j] {
		case "int":
			group[name] = parquet.Optional(parquet.Leaf(parquet.Int64Type))
		case "double":
			group[name] = parquet.Optional(parquet.Leaf(parquet.DoubleType))
		default:
			group[name] = parquet.Optional(parquet.String())
		}
	}
	schema := parquet.NewSchema("t", group)
	// The schema orders its columns by name.
	order := append([]string(nil), header...)
	sort.Strings(order)
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, schema)
	for _, r := range recs[1:] {
		row := make(parquet.Row, len(order))
		for k, name := range order {
			j := indexOf(header, name)
			var v parquet.Value
			switch {
			case r[j] == "":
				v = parquet.NullValue().Level(0, 0, k)
			case kinds[j] == "int":
				x, _ := strconv.ParseInt(r[j], 10, 64)
				v = parquet.ValueOf(x).Level(0, 1, k)
			case kinds[j] == "double":
				x, _ := strconv.ParseFloat(r[j], 64)
				v = parquet.ValueOf(x).Level(0, 1, k)
			default:
				v = parquet.ValueOf(r[j]).Level(0, 1, k)
			}
			row[k] = v
		}
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sameAsCSV compares what two loads of the same data hold.
func sameAsCSV(t *testing.T, what string, got, want *Table) {
	t.Helper()
	if got.NRows() != want.NRows() || len(got.Columns) != len(want.Columns) {
		t.Fatalf("%s: %d rows, %d columns; the CSV gives %d, %d", what, got.NRows(), len(got.Columns), want.NRows(), len(want.Columns))
	}
	for k, c := range want.Columns {
		g := got.Columns[k]
		if !reflect.DeepEqual(g.Str, c.Str) || !reflect.DeepEqual(g.Missing, c.Missing) || len(g.Num) != len(c.Num) {
			t.Errorf("%s: column %s differs from the CSV's", what, c.Field.Name)
			continue
		}
		for i := range c.Num {
			if g.Num[i] != c.Num[i] && !(g.Missing[i] && c.Missing[i]) {
				t.Errorf("%s: column %s row %d = %v, the CSV gives %v", what, c.Field.Name, i, g.Num[i], c.Num[i])
			}
		}
	}
}

// TestXLSXAndParquetLoadAsTheCSV: the companies fixture saved as xlsx
// (numbers as numbers) and as Parquet (typed, nulls for empty cells)
// loads into the same table as the CSV, with the sheet's row numbers as
// Lines and the original file's SHA-256.
func TestXLSXAndParquetLoadAsTheCSV(t *testing.T) {
	csvBytes := readFixture(t, "companies.csv")
	want, err := loadCompanies(t, csvBytes, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	recs := records(t, csvBytes)
	// Two empty rows above the header: the header is the first non-empty row.
	x := xlsxOf(t, "Data", append([][]string{{}, {}}, recs...), nil)
	got, err := Load(bytes.NewReader(x), "companies.xlsx", schemaOf(t, "companies"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameAsCSV(t, "xlsx", got, want)
	if got.Lines[0] != 4 || got.Lines[len(got.Lines)-1] != len(recs)+2 {
		t.Errorf("xlsx Lines = %v, want the sheet rows 4..%d", got.Lines, len(recs)+2)
	}
	if got.SHA256 == want.SHA256 || len(got.SHA256) != 64 {
		t.Errorf("xlsx SHA256 %q is not the workbook's", got.SHA256)
	}

	p := parquetOf(t, recs)
	got, err = Load(bytes.NewReader(p), "companies.parquet", schemaOf(t, "companies"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameAsCSV(t, "parquet", got, want)
	if got.Lines[0] != 1 || got.Lines[len(got.Lines)-1] != len(recs)-1 {
		t.Errorf("parquet Lines = %v, want data rows 1..%d", got.Lines, len(recs)-1)
	}
}

// TestXLSXAndParquetProblemsCarryPositions: a bad cell is reported at its
// spreadsheet cell (Sheet!C14) or Parquet row and column, with the same
// message the CSV gets; a missing column at the header.
func TestXLSXAndParquetProblemsCarryPositions(t *testing.T) {
	csvBytes := withCells(t, map[string]string{"5:company_type": "pharma", "7:dev_years": "many"})
	_, csvErr := loadCompanies(t, csvBytes, LoadOptions{})
	var cve *ValidationError
	if !errors.As(csvErr, &cve) || len(cve.Problems) != 2 {
		t.Fatalf("CSV: %v", csvErr)
	}
	recs := records(t, csvBytes)
	x := xlsxOf(t, "My data", recs, nil)
	_, err := Load(bytes.NewReader(x), "c.xlsx", schemaOf(t, "companies"), LoadOptions{})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("xlsx: %v", err)
	}
	// company_type is column C, dev_years column G; line 5 of the CSV is
	// row 5 of the sheet (header on row 1).
	for i, want := range []string{"c.xlsx:'My data'!C5: ", "c.xlsx:'My data'!G7: "} {
		got := ve.Problems[i].String()
		if !strings.HasPrefix(got, want) {
			t.Errorf("xlsx problem %d = %q, want it to start with %q", i, got, want)
		}
		if ve.Problems[i].Message != cve.Problems[i].Message {
			t.Errorf("xlsx message %q differs from the CSV's %q", ve.Problems[i].Message, cve.Problems[i].Message)
		}
	}

	p := parquetOf(t, recs)
	_, err = Load(bytes.NewReader(p), "c.parquet", schemaOf(t, "companies"), LoadOptions{})
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("parquet: %v", err)
	}
	for i, want := range []string{"c.parquet:row 4:column company_type: ", "c.parquet:row 6:column dev_years: "} {
		if got := ve.Problems[i].String(); !strings.HasPrefix(got, want) {
			t.Errorf("parquet problem %d = %q, want it to start with %q", i, got, want)
		}
	}

	// A column missing from the header.
	var cut [][]string
	for _, r := range records(t, readFixture(t, "companies.csv")) {
		cut = append(cut, r[:len(r)-1])
	}
	_, err = Load(bytes.NewReader(xlsxOf(t, "Sheet1", cut, nil)), "c.xlsx", schemaOf(t, "companies"), LoadOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "c.xlsx:Sheet1 row 1: missing column first_overseas_year") {
		t.Errorf("xlsx without a column: %v", err)
	}
	_, err = Load(bytes.NewReader(parquetOf(t, cut)), "c.parquet", schemaOf(t, "companies"), LoadOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "c.parquet: missing column first_overseas_year") {
		t.Errorf("parquet without a column: %v", err)
	}
}

// TestXLSXDuplicateKeyQuotesSheetRows: messages that quote another row
// ("first at row N") give the sheet's row, not the CSV form's line.
func TestXLSXDuplicateKeyQuotesSheetRows(t *testing.T) {
	recs := records(t, readFixture(t, "companies.csv"))
	recs[6][0] = recs[3][0] // sheet rows 5 and 8 below an empty first row
	x := xlsxOf(t, "Sheet1", append([][]string{{}}, recs...), nil)
	_, err := Load(bytes.NewReader(x), "c.xlsx", schemaOf(t, "companies"), LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "c.xlsx:Sheet1!A8: ") || !strings.Contains(err.Error(), "first at row 5") {
		t.Errorf("duplicate id: %v (want Sheet1!A8 ... first at row 5)", err)
	}
}

// TestXLSXCellValues: raw values, not as displayed: a percent is its
// fraction, a number keeps its digits whatever the format; a date cell
// is ISO 8601; TRUE is 1.
func TestXLSXCellValues(t *testing.T) {
	recs := [][]string{{"id", "share", "amount", "day", "flag"}, {"a", "0.125", "1234.5678", "", ""}}
	x := xlsxOf(t, "Sheet1", recs, func(f *excelize.File) {
		pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})  // 0.00%
		thou, _ := f.NewStyle(&excelize.Style{NumFmt: 3})  // #,##0
		date, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy
		custom := "yyyy\"年\"m\"月\"d\"日\""
		cdate, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
		_ = f.SetCellStyle("Sheet1", "B2", "B2", pct)
		_ = f.SetCellStyle("Sheet1", "C2", "C2", thou)
		_ = f.SetCellValue("Sheet1", "D2", 45365.0) // 2024-03-14 (45292 is 2024-01-01)
		_ = f.SetCellStyle("Sheet1", "D2", "D2", date)
		_ = f.SetCellValue("Sheet1", "E2", true)
		_ = f.SetCellValue("Sheet1", "A3", "b")
		_ = f.SetCellValue("Sheet1", "D3", 45366.5)
		_ = f.SetCellStyle("Sheet1", "D3", "D3", cdate)
	})
	rec, err := readXLSX(x, "v.xlsx", "")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{recs[0], {"a", "0.125", "1234.5678", "2024-03-14", "1"}, {"b", "", "", "2024-03-15T12:00:00", ""}}
	if !reflect.DeepEqual(rec.rows, want) {
		t.Errorf("cells = %q, want %q", rec.rows, want)
	}
}

// TestXLSXSheetChoice: --sheet by name or position; a wrong one names
// the sheets there are.
func TestXLSXSheetChoice(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetCellValue("Sheet1", "A1", "first")
	if _, err := f.NewSheet("Cases"); err != nil {
		t.Fatal(err)
	}
	_ = f.SetCellValue("Cases", "A1", "second")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	for sheet, want := range map[string]string{"": "first", "1": "first", "2": "second", "Cases": "second"} {
		rec, err := readXLSX(buf.Bytes(), "s.xlsx", sheet)
		if err != nil {
			t.Errorf("--sheet %q: %v", sheet, err)
			continue
		}
		if rec.rows[0][0] != want {
			t.Errorf("--sheet %q read %q, want %q", sheet, rec.rows[0][0], want)
		}
	}
	for sheet, want := range map[string]string{"3": "the workbook has 2 sheets", "Case": `no sheet "Case" (expected one of Sheet1, Cases`} {
		if _, err := readXLSX(buf.Bytes(), "s.xlsx", sheet); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--sheet %q: %v, want %q", sheet, err, want)
		}
	}
}

// TestDetectFormat: magic bytes first, then the extension.
func TestDetectFormat(t *testing.T) {
	for _, c := range []struct {
		name, head, want string
	}{
		{"a.csv", "id,case", formatCSV},
		{"a.xlsx", "id,case", formatXLSX},
		{"a.PARQUET", "id", formatParquet},
		{"data", "PK\x03\x04rest", formatXLSX},
		{"stdin", "PAR1rest", formatParquet},
	} {
		if got := DetectFormat(c.name, []byte(c.head)); got != c.want {
			t.Errorf("DetectFormat(%q, %q) = %q, want %q", c.name, c.head, got, c.want)
		}
	}
	if _, err := Load(strings.NewReader("id,case\n"), "a.xlsx", schemaOf(t, "companies"), LoadOptions{}); err == nil || !strings.Contains(err.Error(), "a.xlsx: not a readable xlsx workbook") {
		t.Errorf("a CSV named .xlsx: %v", err)
	}
}

// TestInferXLSXAndParquet: schema infer drafts the same fields from the
// xlsx and Parquet forms as from the CSV.
func TestInferXLSXAndParquet(t *testing.T) {
	csvBytes := readFixture(t, "companies.csv")
	want, err := Infer(bytes.NewReader(csvBytes), "c.csv", InferOptions{Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	recs := records(t, csvBytes)
	for name, b := range map[string][]byte{"c.xlsx": xlsxOf(t, "Sheet1", recs, nil), "c.parquet": parquetOf(t, recs)} {
		got, err := Infer(bytes.NewReader(b), name, InferOptions{Name: "c"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got.Schema.Fields) != len(want.Schema.Fields) {
			t.Fatalf("%s: %d fields, the CSV gives %d", name, len(got.Schema.Fields), len(want.Schema.Fields))
		}
		// Parquet orders the columns by name: fields are compared by name.
		types := map[string]string{}
		for _, f := range got.Schema.Fields {
			types[f.Name] = f.Type
		}
		for _, f := range want.Schema.Fields {
			if types[f.Name] != f.Type {
				t.Errorf("%s: field %s is %q, the CSV gives %q", name, f.Name, types[f.Name], f.Type)
			}
		}
	}
}
