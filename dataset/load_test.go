package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func schemaOf(t testing.TB, name string) *Schema {
	t.Helper()
	s, err := BuiltinSchema(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func loadCompanies(t testing.TB, b []byte, opts LoadOptions) (*Table, error) {
	t.Helper()
	return Load(bytes.NewReader(b), "companies.csv", schemaOf(t, "companies"), opts)
}

// records parses CSV text with encoding/csv, for tests that edit a fixture.
func records(t testing.TB, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func writeRecords(t testing.TB, recs [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withCells returns the companies fixture with cells replaced: edits map
// "line:column" (line as in the file, header = 1) to the new text.
func withCells(t testing.TB, edits map[string]string) []byte {
	t.Helper()
	recs := records(t, readFixture(t, "companies.csv"))
	for at, v := range edits {
		var line int
		var col string
		if _, err := fmt.Sscanf(strings.Replace(at, ":", " ", 1), "%d %s", &line, &col); err != nil {
			t.Fatalf("bad edit %q", at)
		}
		j := indexOf(recs[0], col)
		if j < 0 || line < 2 || line > len(recs) {
			t.Fatalf("edit %q is outside the fixture", at)
		}
		recs[line-1][j] = v
	}
	return writeRecords(t, recs)
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// problemLines returns the lines of a *ValidationError, failing the test
// for any other error.
func problemLines(t testing.TB, err error) []string {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T (%v), want *ValidationError", err, err)
	}
	return strings.Split(ve.Error(), "\n")
}

// wantProblems checks that loading b fails with exactly the given lines.
func wantProblems(t *testing.T, b []byte, want ...string) {
	t.Helper()
	tab, err := loadCompanies(t, b, LoadOptions{})
	if err == nil {
		t.Fatalf("loaded %d rows, want an error", tab.NRows())
	}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadFixture(t *testing.T) {
	b := readFixture(t, "companies.csv")
	tab, err := loadCompanies(t, b, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	recs := records(t, b)
	if tab.NRows() != len(recs)-1 {
		t.Fatalf("%d rows, want %d", tab.NRows(), len(recs)-1)
	}
	sum := sha256.Sum256(b)
	if tab.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 %s, want %x", tab.SHA256, sum)
	}
	if tab.Source != "companies.csv" || len(tab.Warnings) != 0 {
		t.Errorf("source %q, warnings %q", tab.Source, tab.Warnings)
	}
	// Every cell round-trips to its text, so nothing was changed on the way.
	for i := range tab.Lines {
		if tab.Lines[i] != i+2 {
			t.Errorf("row %d has line %d, want %d", i, tab.Lines[i], i+2)
		}
		for j, name := range recs[0] {
			c, ok := tab.Col(name)
			if !ok {
				t.Fatalf("no column %s", name)
			}
			text := recs[i+1][j]
			if c.Field.Type == TypeNumber && text != "" {
				// "12.0" is stored as 12: compare the number.
				if x, _ := strconv.ParseFloat(text, 64); c.Num[i] != x {
					t.Errorf("line %d %s = %v, want %s", i+2, name, c.Num[i], text)
				}
			} else if got := c.Value(i); got != text {
				t.Errorf("line %d %s = %q, want %q", i+2, name, got, text)
			}
			if c.Missing[i] != (recs[i+1][j] == "") {
				t.Errorf("line %d %s missing = %v", i+2, name, c.Missing[i])
			}
		}
	}
	// Categorical columns store the 0-based category index.
	nov, _ := tab.Col("novelty")
	for i := range tab.Lines {
		if want, _ := nov.Field.CategoryIndex(recs[i+1][indexOf(recs[0], "novelty")]); nov.Num[i] != float64(want) {
			t.Errorf("line %d novelty index %v, want %d", i+2, nov.Num[i], want)
		}
	}
	// Plain strings go to Str, years and numbers to Num.
	id, _ := tab.Col("company_id")
	fo, _ := tab.Col("first_overseas_year")
	if id.Str == nil || id.Num != nil || fo.Num == nil || fo.Str != nil {
		t.Errorf("storage: company_id Str=%v Num=%v, first_overseas_year Num=%v Str=%v", id.Str != nil, id.Num != nil, fo.Num != nil, fo.Str != nil)
	}
}

// sameData compares everything but the source and digest.
func sameData(t *testing.T, what string, got, want *Table) {
	t.Helper()
	if !reflect.DeepEqual(got.Lines, want.Lines) {
		t.Errorf("%s: lines %v, want %v", what, got.Lines, want.Lines)
	}
	if len(got.Columns) != len(want.Columns) {
		t.Fatalf("%s: %d columns, want %d", what, len(got.Columns), len(want.Columns))
	}
	for k := range want.Columns {
		g, w := got.Columns[k], want.Columns[k]
		if g.Field.Name != w.Field.Name {
			t.Errorf("%s: column %d is %s, want %s", what, k, g.Field.Name, w.Field.Name)
		}
		if !reflect.DeepEqual(g.Missing, w.Missing) || !reflect.DeepEqual(g.Str, w.Str) || !sameNums(g.Num, w.Num) {
			t.Errorf("%s: column %s differs", what, w.Field.Name)
		}
	}
}

func sameNums(a, b []float64) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && (a[i] == a[i] || b[i] == b[i]) { // NaN equals NaN here
			return false
		}
	}
	return true
}

func TestLoadVariantsLoadIdentically(t *testing.T) {
	s := schemaOf(t, "companies")
	plain := readFixture(t, "companies.csv")
	want, err := Load(bytes.NewReader(plain), "companies.csv", s, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	crlf := bytes.ReplaceAll(plain, []byte("\n"), []byte("\r\n"))
	variants := map[string][]byte{
		// committed: BOM, CRLF, ';', a quoted column, padded cells
		"excel fixture": readFixture(t, "companies_excel.csv"),
		// committed: columns in reverse order
		"reordered fixture": readFixture(t, "companies_reordered.csv"),
		"BOM":               append([]byte("\xEF\xBB\xBF"), plain...),
		"CRLF":              crlf,
		"BOM+CRLF+;":        append([]byte("\xEF\xBB\xBF"), bytes.ReplaceAll(crlf, []byte(","), []byte(";"))...),
		"no final newline":  bytes.TrimSuffix(plain, []byte("\n")),
		"blank lines":       bytes.ReplaceAll(plain, []byte("\nC010"), []byte("\n\nC010")),
		// classic Mac OS line ends, which R's read.csv reads too
		"CR only": bytes.ReplaceAll(plain, []byte("\n"), []byte("\r")),
	}
	for name, b := range variants {
		got, err := Load(bytes.NewReader(b), name, s, LoadOptions{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if name == "blank lines" {
			// A blank line is skipped but still counted, so later rows keep
			// their true line numbers.
			if got.Lines[9] != 12 {
				t.Errorf("blank lines: C010 at line %d, want 12", got.Lines[9])
			}
			got.Lines = want.Lines
		}
		sameData(t, name, got, want)
		if got.SHA256 == want.SHA256 {
			t.Errorf("%s: same SHA256 as the plain file for different bytes", name)
		}
	}
}

func TestSniffDelimiter(t *testing.T) {
	cases := map[string]rune{
		"a,b,c\n1;2,3\n":         ',',
		"a;b;c\n1,5;2;3\n":       ';',
		"\"a,b\";c\n1;2\n":       ';', // the comma is quoted
		"a;b,c\n":                ',', // any comma outside quotes wins
		"single\n1\n":            ',',
		"a;b\r\n1;2\r\n":         ';',
		"x\"y;z\"\n":             ',', // ';' only inside quotes
		"first;line\nsecond,x\n": ';', // only the header line counts
	}
	for in, want := range cases {
		if got := sniffDelimiter([]byte(in)); got != want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadEmptyFile(t *testing.T) {
	want := "companies.csv: empty file (expected a header row with columns company_id, case, company_type, founded_year, founder_background, rd_leader_background, dev_years, rd_expenditure, listed, product_source, novelty, orphan_drug, main_indication, main_modality, first_overseas_year)"
	for _, in := range []string{"", "\n\n", "\xEF\xBB\xBF", "  \r\n"} {
		wantProblems(t, []byte(in), want)
	}
}

func TestLoadHeaderOnly(t *testing.T) {
	header, _, _ := bytes.Cut(readFixture(t, "companies.csv"), []byte("\n"))
	for _, in := range [][]byte{header, append(header, '\n'), append(header, "\n\n"...)} {
		wantProblems(t, in, "companies.csv: no data rows (the file has a header line but nothing under it)")
	}
}

func TestLoadDuplicateColumn(t *testing.T) {
	recs := records(t, readFixture(t, "companies.csv"))
	for i := range recs {
		recs[i] = append(recs[i], recs[i][1])
	}
	wantProblems(t, writeRecords(t, recs),
		`companies.csv:1:case: column "case" appears twice, as columns 2 and 16 (expected each column once)`)
}

func TestLoadTitleRowAboveHeader(t *testing.T) {
	plain := readFixture(t, "companies.csv")
	want := `companies.csv:1: row 1 looks like a title ("Companies, 2021 survey"), not the header: the schema's columns are in row 2 (expected the header in the first row: delete the title row)`
	for _, title := range []string{"\"Companies, 2021 survey\"\n", "\"Companies, 2021 survey\",,,,\n"} {
		wantProblems(t, append([]byte(title), plain...), want)
	}
	// One stray name in row 1 above unrelated text is no title row: the
	// usual missing-columns message stays.
	_, err := loadCompanies(t, append([]byte("notes\na,b\n"), plain...), LoadOptions{})
	if lines := problemLines(t, err); len(lines) == 0 || !strings.HasPrefix(lines[0], "companies.csv:1: missing columns company_id, case,") {
		t.Errorf("no title row: got %q", lines)
	}
}

func TestLoadMissingColumns(t *testing.T) {
	recs := records(t, readFixture(t, "companies.csv"))
	nov := indexOf(recs[0], "novelty")
	for i := range recs {
		recs[i] = append(recs[i][:nov], recs[i][nov+1:]...)
	}
	recs[0][indexOf(recs[0], "listed")] = "Listd"
	wantProblems(t, writeRecords(t, recs),
		`companies.csv:1: missing columns listed, novelty (expected every column of the schema in the header); is "Listd" meant to be listed?`)

	// A tab-separated file has a single column; say so.
	tsv := bytes.ReplaceAll(readFixture(t, "companies.csv"), []byte(","), []byte("\t"))
	_, err := loadCompanies(t, tsv, LoadOptions{})
	lines := problemLines(t, err)
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "companies.csv:1: missing columns company_id, case,") ||
		!strings.HasSuffix(lines[0], "; the file looks tab-separated: save it as CSV with commas or semicolons") {
		t.Errorf("tab-separated file: %q", lines)
	}
}

func TestLoadExtraColumnIsAWarning(t *testing.T) {
	recs := records(t, readFixture(t, "companies.csv"))
	recs[0] = append(recs[0], "notes", "")
	for i := 1; i < len(recs); i++ {
		recs[i] = append(recs[i], "free text, with a comma", "")
	}
	tab, err := loadCompanies(t, writeRecords(t, recs), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`companies.csv:1: column "notes" (column 16) is not in the schema and is ignored`,
		`companies.csv:1: column 17 has no name and is ignored`,
	}
	if !reflect.DeepEqual(tab.Warnings, want) {
		t.Errorf("warnings %q, want %q", tab.Warnings, want)
	}
	sameData(t, "extra column", tab, mustLoad(t, readFixture(t, "companies.csv")))
}

func mustLoad(t *testing.T, b []byte) *Table {
	t.Helper()
	tab, err := loadCompanies(t, b, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestLoadUnknownCategory(t *testing.T) {
	wantProblems(t, withCells(t, map[string]string{"17:novelty": "frist_in_class"}),
		`companies.csv:17:novelty: "frist_in_class" is not one of me_too, fast_follow, first_in_class; did you mean first_in_class?`)
	// Case matters, but the suggestion shows the fix.
	wantProblems(t, withCells(t, map[string]string{"3:company_type": "BIOTECH"}),
		`companies.csv:3:company_type: "BIOTECH" is not one of biotech, traditional; did you mean biotech?`)
	// Nothing close: no suggestion.
	wantProblems(t, withCells(t, map[string]string{"3:main_modality": "vaccine"}),
		`companies.csv:3:main_modality: "vaccine" is not one of small_molecule, antibody, adc, cell_therapy, other`)
}

func TestLoadNotANumber(t *testing.T) {
	cases := map[string]string{
		"abc":     `"abc" is not a number (expected a number such as 12.5)`,
		"12,5":    `"12,5" is not a number (expected a decimal point, not a comma: 12.5)`,
		"1,234.5": `"1,234.5" is not a number (expected no thousands separators: 1234.5)`,
		"Inf":     `"Inf" is not a finite number (expected a number; leave the cell empty or write NA if the value is missing)`,
		"nan":     `"nan" is not a finite number (expected a number; leave the cell empty or write NA if the value is missing)`,
		"0x1p4":   `"0x1p4" is not a number (expected a number such as 12.5)`,
		"0x1F":    `"0x1F" is not a number (expected a decimal number such as 12.5, not hexadecimal)`,
		"44.5%":   `"44.5%" is not a number (expected the number without %: 44.5, or the proportion)`,
		"1e400":   `"1e400" is too large to be a number here (expected a finite number)`,
		"12 5":    `"12 5" is not a number (expected a number such as 12.5)`,
		"1,234":   `"1,234" is not a number (expected a decimal point and no thousands separator: 1234 or 1.234; or declare "decimalChar" or "groupChar" in the schema)`,
	}
	for in, msg := range cases {
		wantProblems(t, withCells(t, map[string]string{"5:rd_expenditure": in}), "companies.csv:5:rd_expenditure: "+msg)
	}
	// Valid spellings are accepted.
	for _, in := range []string{"1e2", "+3.5", ".5", "7.", " 12.25 "} {
		if _, err := loadCompanies(t, withCells(t, map[string]string{"5:rd_expenditure": in}), LoadOptions{}); err != nil {
			t.Errorf("%q rejected: %v", in, err)
		}
	}
}

func TestLoadIntegersAndYears(t *testing.T) {
	cases := map[string]string{
		"6:dev_years:10.5":                `companies.csv:6:dev_years: "10.5" is not a whole number (expected an integer such as 12)`,
		"6:dev_years:ten":                 `companies.csv:6:dev_years: "ten" is not an integer (expected a whole number such as 12)`,
		"6:dev_years:101":                 `companies.csv:6:dev_years: 101 is above the maximum (expected 0 to 100)`,
		"6:dev_years:99999999999999999":   `companies.csv:6:dev_years: "99999999999999999" is too large (expected an integer of at most 15 digits)`,
		"6:founded_year:1850":             `companies.csv:6:founded_year: 1850 is outside the allowed years (expected 1900 to 2025)`,
		"6:founded_year:20x5":             `companies.csv:6:founded_year: "20x5" is not a year (expected a whole number such as 2015)`,
		"3:first_overseas_year:2031":      `companies.csv:3:first_overseas_year: 2031 is outside the allowed years (expected 1990 to 2025)`,
		"3:first_overseas_year:2008-01-1": `companies.csv:3:first_overseas_year: "2008-01-1" is not a year (expected a whole number such as 2015)`,
	}
	for edit, want := range cases {
		at, v, _ := strings.Cut(edit[strings.Index(edit, ":")+1:], ":")
		line := edit[:strings.Index(edit, ":")]
		wantProblems(t, withCells(t, map[string]string{line + ":" + at: v}), want)
	}
}

func TestLoadNegativeRD(t *testing.T) {
	wantProblems(t, withCells(t, map[string]string{"17:rd_expenditure": "-3"}),
		`companies.csv:17:rd_expenditure: -3 is below the minimum (expected > 0)`)
	wantProblems(t, withCells(t, map[string]string{"17:rd_expenditure": "0"}),
		`companies.csv:17:rd_expenditure: 0 is not above the minimum (expected > 0)`)
}

func TestLoadDuplicateKey(t *testing.T) {
	wantProblems(t, withCells(t, map[string]string{"20:company_id": "C012"}),
		`companies.csv:20:company_id: duplicate key "C012" (first at row 13)`)
	// Every repeat is reported against the first occurrence.
	wantProblems(t, withCells(t, map[string]string{"20:company_id": "C012", "21:company_id": "C012"}),
		`companies.csv:20:company_id: duplicate key "C012" (first at row 13)`,
		`companies.csv:21:company_id: duplicate key "C012" (first at row 13)`)
}

func TestLoadCaseNotZeroOne(t *testing.T) {
	wantProblems(t, withCells(t, map[string]string{"4:case": "2"}),
		`companies.csv:4:case: 2 is not a valid outcome (expected 1 for a case or 0 for a control)`)
	wantProblems(t, withCells(t, map[string]string{"4:case": "yes"}),
		`companies.csv:4:case: "yes" is not a valid outcome (expected 1 for a case or 0 for a control)`)
	wantProblems(t, withCells(t, map[string]string{"4:case": "NA"}),
		`companies.csv:4:case: "NA" marks a missing value, but this column is required (expected a value)`)
	// An enum on another integer field.
	wantProblems(t, withCells(t, map[string]string{"4:listed": "3"}),
		`companies.csv:4:listed: 3 is not allowed (expected 0 or 1)`)
}

// A user's schema may mark an outcome without constraining it; the 0/1
// rule still holds.
func TestLoadOutcomeWithoutEnum(t *testing.T) {
	s, err := ParseSchema([]byte(`{"fields": [{"name": "id"}, {"name": "y", "type": "number", "role": "outcome"}, {"name": "ok", "type": "boolean"}]}`), "my.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(strings.NewReader("id,y,ok\na,1,TRUE\nb,0.5,false\nc,0,1\nd,3,0\ne,,yes\n"), "my.csv", s, LoadOptions{})
	got := problemLines(t, err)
	want := []string{
		`my.csv:3:y: 0.5 is not a valid outcome (expected 1 for a case or 0 for a control)`,
		`my.csv:5:y: 3 is not a valid outcome (expected 1 for a case or 0 for a control)`,
		`my.csv:6:ok: "yes" is not a boolean (expected true, false, 1 or 0; for other spellings such as Yes/No declare trueValues and falseValues)`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	tab, err := Load(strings.NewReader("id,y,ok\na,1,TRUE\nb,0,false\nc,,0\n"), "my.csv", s, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	y, _ := tab.Col("y")
	ok, _ := tab.Col("ok")
	if !sameNums(y.Num, []float64{1, 0, nan}) || !reflect.DeepEqual(y.Missing, []bool{false, false, true}) || !sameNums(ok.Num, []float64{1, 0, 0}) {
		t.Errorf("y = %v %v, ok = %v", y.Num, y.Missing, ok.Num)
	}
}

func TestLoadUniqueEnumAndMissingValues(t *testing.T) {
	s, err := ParseSchema([]byte(`{"missingValues": ["-"], "fields": [
		{"name": "code", "constraints": {"unique": true, "enum": ["a", "b", "c"]}},
		{"name": "n", "type": "integer", "constraints": {"required": true}},
		{"name": "x", "type": "number"}]}`), "u.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(strings.NewReader("code,n,x\na,1,NA\nb,-,1\na,2,-\nz,3,2\n"), "u.csv", s, LoadOptions{})
	got := problemLines(t, err)
	want := []string{
		// "NA" is not a missing-value marker in this schema.
		`u.csv:2:x: "NA" is not a number (expected a number, or "NA" listed in the schema's missingValues to read it as missing)`,
		`u.csv:3:n: "-" marks a missing value, but this column is required (expected a value)`,
		`u.csv:4:code: duplicate value "a" (first at row 2; values in this column must be unique)`,
		`u.csv:5:code: "z" is not allowed (expected a, b or c)`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadRowShape(t *testing.T) {
	plain := readFixture(t, "companies.csv")
	lines := strings.Split(string(plain), "\n")
	lines[4] += ",extra"                                   // line 5
	lines[6] = lines[6][:strings.LastIndex(lines[6], ",")] // line 7
	lines[8] = strings.Repeat(",", 14)                     // line 9
	wantProblems(t, []byte(strings.Join(lines, "\n")),
		`companies.csv:5: 16 values, but the header has 15 columns (expected one value per column; a value containing "," must be in quotes)`,
		`companies.csv:7: 14 values, but the header has 15 columns (expected one value per column; a value containing "," must be in quotes)`,
		`companies.csv:9: empty row (every cell is empty; delete the row or fill it in)`)
}

func TestLoadQuoteErrors(t *testing.T) {
	plain := string(readFixture(t, "companies.csv"))
	bare := strings.Replace(plain, "C004,", `C0"04,`, 1)
	wantProblems(t, []byte(bare),
		`companies.csv:5: a quote mark (") inside a value that does not start with one (expected the whole value in quotes, with "" for each quote mark inside it)`)
	extraneous := strings.Replace(plain, "C019,", `"C0"19,`, 1)
	wantProblems(t, []byte(extraneous),
		`companies.csv:20: a quoted value is not closed, or has text after its closing quote (expected "..." around the whole value, with "" for each quote mark inside it)`)
	open := strings.Replace(plain, "C019,", `"C019,`, 1)
	wantProblems(t, []byte(open),
		`companies.csv:20: a quoted value is not closed, or has text after its closing quote (expected "..." around the whole value, with "" for each quote mark inside it); the quote runs on to the end of the file`)
}

// gbkCompanies is the companies fixture with Chinese company names, saved
// as GBK the way Excel on Chinese Windows saves "CSV".
func gbkCompanies(t testing.TB) (utf8Text, gbk []byte) {
	t.Helper()
	recs := records(t, readFixture(t, "companies.csv"))
	recs[0] = append(recs[0], "company_name")
	for i := 1; i < len(recs); i++ {
		recs[i] = append(recs[i], fmt.Sprintf("创新药业%d号", i))
	}
	utf8Text = writeRecords(t, recs)
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(utf8Text)
	if err != nil {
		t.Fatal(err)
	}
	return utf8Text, gbk
}

func TestLoadEncodings(t *testing.T) {
	utf8Text, gbk := gbkCompanies(t)
	tab, err := loadCompanies(t, utf8Text, LoadOptions{})
	if err != nil {
		t.Fatalf("the same file in UTF-8: %v", err)
	}
	if len(tab.Warnings) != 1 || !strings.Contains(tab.Warnings[0], `"company_name"`) {
		t.Errorf("warnings %q", tab.Warnings)
	}
	wantProblems(t, gbk,
		`companies.csv: not UTF-8 text (it looks like GBK/GB18030, as Excel on Chinese Windows saves CSV; re-save as "CSV UTF-8" or convert with iconv -f GB18030 -t UTF-8)`)

	// Latin-1 "é" before a comma is not valid GBK either.
	latin1 := bytes.Replace(readFixture(t, "companies.csv"), []byte("C006,"), []byte("C006\xe9,"), 1)
	wantProblems(t, latin1,
		`companies.csv: not UTF-8 text (the first byte that is not UTF-8 is on line 7; re-save as "CSV UTF-8" or convert with iconv -f ENCODING -t UTF-8)`)

	wantProblems(t, []byte("\xFF\xFEc\x00o\x00"),
		`companies.csv: not UTF-8 text (it looks like UTF-16, as Excel's "Unicode Text" saves; re-save as "CSV UTF-8" or convert with iconv -f UTF-16 -t UTF-8)`)
	wantProblems(t, []byte("PK\x03\x04\x14\x00"),
		`companies.csv: this is an Excel workbook (.xlsx) or another zip file, not CSV text (expected a .csv file: in Excel use File > Save As > "CSV UTF-8")`)
}

func TestLoadReportsEveryProblem(t *testing.T) {
	b := readFixture(t, "companies_bad.csv")
	all := []string{
		`companies_bad.csv:3:novelty: "frist_in_class" is not one of me_too, fast_follow, first_in_class; did you mean first_in_class?`,
		`companies_bad.csv:4:rd_expenditure: -3 is below the minimum (expected > 0)`,
		`companies_bad.csv:5:founded_year: 1850 is outside the allowed years (expected 1900 to 2025)`,
		`companies_bad.csv:6:dev_years: "ten" is not an integer (expected a whole number such as 12)`,
		`companies_bad.csv:7:company_id: duplicate key "C003" (first at row 4)`,
		`companies_bad.csv:8:case: 2 is not a valid outcome (expected 1 for a case or 0 for a control)`,
		`companies_bad.csv:9:rd_expenditure: "12,5" is not a number (expected a decimal point, not a comma: 12.5)`,
		`companies_bad.csv:10:listed: empty cell (expected a value: this column is required)`,
		`companies_bad.csv:11: 14 values, but the header has 15 columns (expected one value per column; a value containing "," must be in quotes)`,
		`companies_bad.csv:12:company_type: "BIOTECH" is not one of biotech, traditional; did you mean biotech?`,
		`companies_bad.csv:13:rd_expenditure: "NaN" is not a finite number (expected a number; leave the cell empty or write NA if the value is missing)`,
		`companies_bad.csv:14:orphan_drug: 3 is not allowed (expected 0 or 1)`,
		`companies_bad.csv:14:first_overseas_year: 2031 is outside the allowed years (expected 1990 to 2025)`,
	}
	load := func(max int) error {
		_, err := Load(bytes.NewReader(b), "companies_bad.csv", schemaOf(t, "companies"), LoadOptions{MaxProblems: max})
		return err
	}
	for _, max := range []int{0, -1, len(all)} {
		if got := problemLines(t, load(max)); !reflect.DeepEqual(got, all) {
			t.Errorf("MaxProblems %d: got\n%s\nwant\n%s", max, strings.Join(got, "\n"), strings.Join(all, "\n"))
		}
	}
	// The cap keeps the first problems and counts the rest.
	err := load(4)
	var ve *ValidationError
	errors.As(err, &ve)
	if len(ve.Problems) != 4 || ve.Omitted != len(all)-4 {
		t.Errorf("cap 4: %d problems, %d omitted", len(ve.Problems), ve.Omitted)
	}
	want := append(append([]string{}, all[:4]...), fmt.Sprintf("… and %d more problems", len(all)-4))
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("cap 4: got\n%s", strings.Join(got, "\n"))
	}
	if got := problemLines(t, load(len(all)-1)); got[len(got)-1] != "… and 1 more problem" {
		t.Errorf("cap %d: last line %q", len(all)-1, got[len(got)-1])
	}
	// The default cap is 50 (with repeats shown in full).
	var many strings.Builder
	many.WriteString(strings.SplitN(string(readFixture(t, "companies.csv")), "\n", 2)[0] + "\n")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&many, "C%03d,0,biotech,2010,business,overseas_mnc,10,-1,0,in_house,fast_follow,1,oncology,antibody,\n", i)
	}
	_, err = loadCompanies(t, []byte(many.String()), LoadOptions{MaxRepeats: -1})
	errors.As(err, &ve)
	if len(ve.Problems) != DefaultMaxProblems || ve.Omitted != 10 || ve.Problems[49].Row != 51 {
		t.Errorf("default cap: %d problems, %d omitted, last at row %d", len(ve.Problems), ve.Omitted, ve.Problems[49].Row)
	}
	// Problems carry the column position too.
	if p := ve.Problems[0]; p.Column != "rd_expenditure" || p.ColumnIndex != 8 || p.File != "companies.csv" || p.Row != 2 {
		t.Errorf("problem fields %+v", p)
	}
}

func TestLoadExpectCounts(t *testing.T) {
	b := readFixture(t, "companies.csv")
	tab, err := loadCompanies(t, b, LoadOptions{ExpectCases: 10, ExpectControls: 10})
	if err != nil || len(tab.Warnings) != 0 {
		t.Fatalf("matching counts: %v %q", err, tab.Warnings)
	}
	tab, err = loadCompanies(t, b, LoadOptions{ExpectCases: 90, ExpectControls: 90})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"companies.csv: 10 cases and 10 controls, but the design expects 90 cases and 90 controls"}
	if !reflect.DeepEqual(tab.Warnings, want) {
		t.Errorf("warnings %q, want %q", tab.Warnings, want)
	}
}

func TestLoadNilSchema(t *testing.T) {
	if _, err := Load(strings.NewReader("a\n1\n"), "x.csv", nil, LoadOptions{}); err == nil {
		t.Error("nil schema accepted")
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"me_too", "fast_follow", "first_in_class", "x", "id"}
	cases := map[string][]string{
		"frist_in_class": {"first_in_class"},
		"ME_TOO":         {"me_too"},
		"me_too":         nil, // exact: nothing to suggest
		"y":              nil, // one letter off a one-letter name is no evidence
		"ID":             {"id"},
		"iq":             {"id"},
		"vaccine":        nil,
	}
	for in, want := range cases {
		if got := suggest(in, cands); !reflect.DeepEqual(got, want) {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		d    int
	}{{"frist", "first", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"same", "same", 0}, {"创新", "创心", 1}}
	for _, c := range cases {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func BenchmarkLoadReference(b *testing.B) {
	data, err := os.ReadFile("../testdata/companies.csv")
	if err != nil {
		b.Skip(err)
	}
	s := schemaOf(b, "companies")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(bytes.NewReader(data), "companies.csv", s, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSchema(b *testing.B) {
	raw, _ := BuiltinSchemaJSON("companies")
	for b.Loop() {
		if _, err := ParseSchema(raw, "companies"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNumberText(t *testing.T) {
	yes := []string{"0", "12", "-3", "+4", "1.5", ".5", "7.", "1e5", "1E-5", "-2.5e+3"}
	no := []string{"", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", "NaN", "Inf", "0x10", "1_000", " 1", "1 ", "١٢"}
	for _, s := range yes {
		if !isDecimalText(s) {
			t.Errorf("isDecimalText(%q) = false", s)
		}
	}
	for _, s := range no {
		if isDecimalText(s) {
			t.Errorf("isDecimalText(%q) = true", s)
		}
	}
	for s, want := range map[string]bool{"12": true, "-3": true, "+0": true, "": false, "-": false, "1.0": false, "1e3": false, "١٢": false} {
		if isIntegerText(s) != want {
			t.Errorf("isIntegerText(%q) = %v", s, !want)
		}
	}
}

// TestLoadMessageHints: a cell that is a common missing-value marker the
// schema does not list, or an integer with thousands separators, is told
// the fix; a Latin-1 file is not called GBK.
func TestLoadMessageHints(t *testing.T) {
	doc := `{"fields": [{"name": "id"}, {"name": "n", "type": "integer"}, {"name": "x", "type": "number"}, {"name": "g", "categories": ["a", "b"]}]}`
	wantLoadProblems(t, doc, "id,n,x,g\n1,\"1,234\",N/A,#N/A\n2,-,1,a\n", LoadOptions{},
		`d.csv:2:n: "1,234" is not an integer (expected no thousands separators: 1234)`,
		`d.csv:2:x: "N/A" is not a number (expected a number, or "N/A" listed in the schema's missingValues to read it as missing)`,
		`d.csv:2:g: "#N/A" is not one of a, b (expected one of them, or "#N/A" listed in the schema's missingValues to read it as missing)`,
		`d.csv:3:n: "-" is not an integer (expected a whole number, or "-" listed in the schema's missingValues to read it as missing)`)

	s, err := ParseSchema([]byte(doc), "d.json")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"id,n,x,g\n1,2,3,a\n2,2,3,d\xe9j\xe0\n": `d.csv: not UTF-8 text (the first byte that is not UTF-8 is on line 3; re-save as "CSV UTF-8" or convert with iconv -f ENCODING -t UTF-8)`,
		"id,n,x,g\n1,2,3,\xc9\xfa\xce\xef\n":    `d.csv: not UTF-8 text (it looks like GBK/GB18030, as Excel on Chinese Windows saves CSV; re-save as "CSV UTF-8" or convert with iconv -f GB18030 -t UTF-8)`,
	} {
		_, err := Load(strings.NewReader(in), "d.csv", s, LoadOptions{})
		if got := problemLines(t, err); len(got) != 1 || got[0] != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// TestLoadDidYouMeanBounded: among 10^5 coded categories hundreds are
// equally close to a miss; the message names a few and counts the rest.
func TestLoadDidYouMeanBounded(t *testing.T) {
	cats := make([]string, 100000)
	for i := range cats {
		cats[i] = fmt.Sprintf("%q", fmt.Sprintf("c%05d", i))
	}
	doc := `{"fields": [{"name": "g", "categories": [` + strings.Join(cats, ",") + `]}]}`
	_, err := loadDoc(t, doc, "g\nzz100\n", LoadOptions{})
	want := `d.csv:2:g: "zz100" is not one of c00000, c00001, c00002, c00003, c00004, c00005, c00006, c00007, c00008, c00009, c00010, c00011, c00012, c00013, c00014, c00015, c00016, c00017, c00018, c00019, … and 99980 more; did you mean c00100, c01000, c01001, c01002, c01003 (or one of 365 others as close)?`
	if got := problemLines(t, err); len(got) != 1 || got[0] != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestLoadJSONGivenAsData: the schema given as --data is named as what it
// is, not as a header missing every column.
func TestLoadJSONGivenAsData(t *testing.T) {
	for _, in := range []string{`{"fields": [{"name": "company_id"}]}`, "\n[1, 2]\n"} {
		wantProblems(t, []byte(in), "companies.csv: this is a JSON file, not CSV data (expected the data file, one row per unit; is it the schema, given as the data?)")
	}
}
