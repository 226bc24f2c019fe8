package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// loadCase is one input of the serial/parallel comparison.
type loadCase struct {
	name   string
	data   []byte
	schema *Schema
	// parallel says whether the pieces must parse (a file without a
	// quoting error); files with one are read serially by design.
	parallel bool
}

// parallelCases are the inputs of the existing bad-input tests, the
// fixtures, and generated files with quoted newlines, CRLF, blank lines
// and problems spread over many pieces.
func parallelCases(t *testing.T) []loadCase {
	comp := schemaOf(t, "companies")
	wide := wideSchemaOf(t)
	plain := string(readFixture(t, "companies.csv"))
	lines := strings.Split(plain, "\n")
	shape := append([]string{}, lines...)
	shape[4] += ",extra"
	shape[6] = shape[6][:strings.LastIndex(shape[6], ",")]
	shape[8] = strings.Repeat(",", 14)
	var many strings.Builder
	many.WriteString(lines[0] + "\n")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&many, "C%03d,0,biotech,2010,business,overseas_mnc,10,-1,0,in_house,fast_follow,1,oncology,antibody,\n", i%45)
	}
	cases := []loadCase{
		{"companies", []byte(plain), comp, true},
		{"companies_bad", readFixture(t, "companies_bad.csv"), comp, true},
		{"companies_excel", readFixture(t, "companies_excel.csv"), comp, true},
		{"companies_reordered", readFixture(t, "companies_reordered.csv"), comp, true},
		{"products", readFixture(t, "products.csv"), schemaOf(t, "products"), true},
		{"row shape", []byte(strings.Join(shape, "\n")), comp, true},
		{"bare quote", []byte(strings.Replace(plain, "C004,", `C0"04,`, 1)), comp, false},
		{"extraneous quote", []byte(strings.Replace(plain, "C019,", `"C0"19,`, 1)), comp, false},
		{"open quote", []byte(strings.Replace(plain, "C019,", `"C019,`, 1)), comp, false},
		{"many problems, duplicate keys", []byte(many.String()), comp, true},
		{"cells", withCells(t, map[string]string{"3:novelty": "frist_in_class", "5:dev_years": "ten", "9:company_id": "C002", "12:case": "2", "15:rd_expenditure": "12,5"}), comp, true},
		{"crlf", []byte(strings.ReplaceAll(plain, "\n", "\r\n")), comp, true},
		{"blank lines and CR at the end", []byte(strings.Replace(strings.TrimRight(plain, "\n"), "\nC010", "\n\n\r\nC010", 1) + "\r"), comp, true},
	}
	// A generated file with quoted ids holding newlines, commas and
	// doubled quotes, and problems of every kind in many pieces.
	recs := records(t, wideCSV(3, 1500))
	for i := 1; i < len(recs); i++ {
		switch {
		case i%97 == 0:
			recs[i][0] = fmt.Sprintf("S\n%d, \"quoted\"\nid", i)
		case i%331 == 0:
			recs[i][0] = recs[i-200][0] // duplicate key, first many pieces back
		case i%53 == 0:
			recs[i][2] = "150" // above the maximum: repeats, then a summary
		case i%211 == 0:
			recs[i][4] = "femal"
		case i%401 == 0:
			recs[i] = recs[i][:5] // wrong number of values
		case i%149 == 0:
			recs[i][9] = "1,5"
		}
	}
	gen := writeRecords(t, recs)
	// A unique column besides the key: its duplicates are checked in the
	// replay, interleaved with the other problems of their rows.
	uniq, err := ParseSchema([]byte(strings.Replace(wideSchema, `{"name": "visits", "type": "integer", "role": "covariate", "constraints": {"minimum": 0}}`,
		`{"name": "visits", "type": "integer", "role": "covariate", "constraints": {"minimum": 0, "unique": true}}`, 1)), "unique.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := uniq.Field("visits"); !f.Constraints.Unique {
		t.Fatal("the unique variant of the schema did not take")
	}
	// Quote marks around fields, as R's write.csv puts them around every
	// text value: whole fields read without encoding/csv, then lines that
	// need it (doubled quote marks, quoted newlines) and quoting errors
	// after many plain quoted lines.
	quoteAll := func(recs [][]string, every int) []byte {
		var b strings.Builder
		for i, r := range recs {
			for j, c := range r {
				if j > 0 {
					b.WriteByte(',')
				}
				if (i+j)%every == 0 || strings.ContainsAny(c, "\",\n") {
					c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
				}
				b.WriteString(c)
			}
			b.WriteString("\n")
		}
		return []byte(b.String())
	}
	wideRecs := records(t, wideCSV(6, 2000))
	allQuoted := quoteAll(wideRecs, 1)
	someQuoted := quoteAll(wideRecs, 3)
	withProblems := quoteAll(recs, 2) // gen's records: quoted newlines, doubled quotes, problems
	emptyQuoted := strings.Replace(string(allQuoted), `"NA"`, `""`, -1)
	bare := strings.Replace(string(allQuoted), `"S1500"`, `"S15"00`, 1)
	bareInside := strings.Replace(string(allQuoted), `"S1500"`, `S15"00`, 1)
	open := strings.Replace(string(allQuoted), `"S1500"`, `"S1500`, 1)
	semi := strings.ReplaceAll(string(allQuoted), `","`, `";"`)
	cases = append(cases,
		loadCase{"wide, all fields quoted", allQuoted, wide, true},
		loadCase{"wide, a third of the fields quoted", someQuoted, wide, true},
		loadCase{"wide, quoted, with quoted newlines and problems", withProblems, wide, true},
		loadCase{"wide, quoted, crlf", bytes.ReplaceAll(someQuoted, []byte("\n"), []byte("\r\n")), wide, true},
		loadCase{"wide, quoted empty cells", []byte(emptyQuoted), wide, true},
		loadCase{"wide, quoted, text after a closing quote", []byte(bare), wide, false},
		loadCase{"wide, quoted, a quote inside an unquoted field", []byte(bareInside), wide, false},
		loadCase{"wide, quoted, a quote left open", []byte(open), wide, false},
		loadCase{"wide, quoted, semicolons", []byte(semi), wide, true},
	)
	cases = append(cases,
		loadCase{"wide with quoted newlines and problems", gen, wide, true},
		loadCase{"wide valid", wideCSV(4, 2000), wide, true},
		loadCase{"wide, unique visits", gen, uniq, true},
		loadCase{"wide quoted newlines, crlf", bytes.ReplaceAll(gen, []byte("\n"), []byte("\r\n")), wide, true},
	)
	return cases
}

// sameTable compares two loads bit for bit (NaN included).
func sameTable(a, b *Table) error {
	if (a == nil) != (b == nil) {
		return fmt.Errorf("one table is nil")
	}
	if a == nil {
		return nil
	}
	if a.Source != b.Source || a.SHA256 != b.SHA256 || !reflect.DeepEqual(a.Lines, b.Lines) || !reflect.DeepEqual(a.Warnings, b.Warnings) {
		return fmt.Errorf("lines, source or warnings differ")
	}
	if len(a.Columns) != len(b.Columns) {
		return fmt.Errorf("%d and %d columns", len(a.Columns), len(b.Columns))
	}
	for k := range a.Columns {
		ca, cb := a.Columns[k], b.Columns[k]
		if ca.Field != cb.Field || !reflect.DeepEqual(ca.Str, cb.Str) || !reflect.DeepEqual(ca.Missing, cb.Missing) || len(ca.Num) != len(cb.Num) || (ca.Num == nil) != (cb.Num == nil) {
			return fmt.Errorf("column %s differs", ca.Field.Name)
		}
		for i := range ca.Num {
			if math.Float64bits(ca.Num[i]) != math.Float64bits(cb.Num[i]) {
				return fmt.Errorf("column %s row %d: %v and %v", ca.Field.Name, i, ca.Num[i], cb.Num[i])
			}
		}
	}
	return nil
}

// TestParallelLoadIsSerial: loading in pieces gives the serial loader's
// table, problems, messages, row numbers, caps and order, whatever the
// piece size and the number of cores.
func TestParallelLoadIsSerial(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	optsList := []LoadOptions{{}, {MaxProblems: -1, MaxRepeats: -1}, {MaxRepeats: -1}, {MaxProblems: 4}, {MaxRepeats: 1, ExpectCases: 3}}
	for _, c := range parallelCases(t) {
		for _, o := range optsList {
			so := o
			so.chunkBytes = -1
			want, wantErr := Load(bytes.NewReader(c.data), c.name+".csv", c.schema, so)
			for _, procs := range []int{1, 4} {
				runtime.GOMAXPROCS(procs)
				for _, size := range []int{1, 7, 100, 1000} {
					po := o
					po.chunkBytes = size
					var par bool
					po.parallel = &par
					got, gotErr := Load(bytes.NewReader(c.data), c.name+".csv", c.schema, po)
					what := fmt.Sprintf("%s, %+v, GOMAXPROCS %d, pieces of %d bytes", c.name, o, procs, size)
					if par != c.parallel && len(c.data) > 2*size {
						t.Errorf("%s: loaded in pieces %v, want %v", what, par, c.parallel)
					}
					if err := sameTable(got, want); err != nil {
						t.Errorf("%s: %v", what, err)
					}
					if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
						t.Errorf("%s: error\n%v\nwant\n%v", what, gotErr, wantErr)
					}
					if !reflect.DeepEqual(gotErr, wantErr) {
						t.Errorf("%s: validation errors differ in their fields", what)
					}
				}
			}
		}
	}
}

// TestCutPiecesAtRecordStarts: every piece of a file with quoted newlines
// starts where encoding/csv starts a record, and the pieces' line numbers
// are the file's.
func TestCutPiecesAtRecordStarts(t *testing.T) {
	recs := records(t, wideCSV(5, 500))
	for i := 1; i < len(recs); i += 7 {
		recs[i][0] = fmt.Sprintf("a\n\"b\",\n%d", i)
	}
	data := string(writeRecords(t, recs))
	starts := map[int]int{} // byte offset → line of each record start
	cr := csv.NewReader(strings.NewReader(data))
	for off := 0; ; {
		_, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		line, _ := cr.FieldPos(0)
		starts[off] = line
		off = int(cr.InputOffset())
	}
	for _, size := range []int{1, 50, 999} {
		pieces := cutPieces(data, size, 1)
		if len(pieces) < 2 {
			t.Fatalf("size %d: %d pieces", size, len(pieces))
		}
		off := 0
		for _, p := range pieces {
			line, ok := starts[off]
			if !ok || line != p.firstLine {
				t.Fatalf("size %d: a piece starts at byte %d, line %d (record start: %v, line %d)", size, off, p.firstLine, ok, line)
			}
			off += len(p.text)
		}
		if off != len(data) {
			t.Errorf("size %d: pieces cover %d of %d bytes", size, off, len(data))
		}
	}
}

// TestFastNumberParsingIsStrconv: the loader's fast paths give
// strconv's values bit for bit on decimals and integers of every length,
// with signs, leading zeros, points at every position and exponents.
func TestFastNumberParsingIsStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for n := 0; n < 200000; n++ {
		s := randomNumberText(rng)
		if isDecimalText(s) {
			want, werr := strconv.ParseFloat(s, 64)
			got, gerr := parseDecimal(s)
			if math.Float64bits(got) != math.Float64bits(want) || (gerr == nil) != (werr == nil) {
				t.Fatalf("parseDecimal(%q) = %v, %v; strconv %v, %v", s, got, gerr, want, werr)
			}
		}
		if isIntegerText(s) {
			want, werr := strconv.ParseInt(s, 10, 64)
			got, gerr := parseInteger(s)
			if got != want || (gerr == nil) != (werr == nil) {
				t.Fatalf("parseInteger(%q) = %v, %v; strconv %v, %v", s, got, gerr, want, werr)
			}
		}
	}
}

// trickySchema has a field of every kind loader.fastFieldOf sorts, with
// the constraints that send a cell back to loader.cell.
const trickySchema = `{
  "name": "tricky",
  "missingValues": ["", "NA", "-", ".", " x"],
  "fields": [
    {"name": "id", "type": "string", "constraints": {"required": true}},
    {"name": "y", "type": "integer", "role": "outcome", "constraints": {"required": true}},
    {"name": "num", "type": "number", "constraints": {"minimum": -5, "exclusiveMaximum": 100}},
    {"name": "numenum", "type": "number", "constraints": {"enum": [0.5, 1, "2", -0.0]}},
    {"name": "int", "type": "integer", "constraints": {"exclusiveMinimum": -3, "maximum": 1000000000000000}},
    {"name": "yr", "type": "year", "constraints": {"minimum": 1990, "maximum": 2025}},
    {"name": "cat", "type": "string", "categories": [{"value": "a", "label": "Alpha"}, {"value": "b"}, {"value": "NA2"}]},
    {"name": "icat", "type": "integer", "categories": [{"value": 1}, {"value": 2}, {"value": 10}]},
    {"name": "pat", "type": "string", "constraints": {"pattern": "[a-z]+"}},
    {"name": "txt", "type": "string", "missingValues": ["n/a"]},
    {"name": "flag", "type": "boolean"},
    {"name": "comma", "type": "number", "decimalChar": ","}
  ]
}`

// trickyCells are cells for trickySchema's columns: valid values, near
// misses (spaces, signs, points at the ends, exponents, 16 digits, bounds
// met exactly, labels, markers) and plain errors.
var trickyCells = []string{"0", "1", "2", "-0", "+0", "-1", "0.5", ".5", "5.", "+.5", "-.5", ".", "+", "-", "", " ", "NA", " NA", "NA ", "na",
	"1e2", "1E-2", "1.5e", "99.99", "100", "-5", "-5.0001", "-3", "-2", "1000000000000000", "1000000000000001", "123456789012345", "1234567890123456",
	"0.1234567890123", "12345678901234.5", "1.23456789012345678", "1990", "2025", "2026", "1989", "a", "b", "Alpha", "alpha", "A", "NA2", "c", "10", "01", "1.0",
	"true", "FALSE", "yes", "1,5", "1,000", "0x1F", "50%", "inf", "NaN", "\t7\t", "7\u00a0", "\u00a07", "é", "x", " x", "n/a", "abc", "ABC", "1 2", "۳"}

// trickyCSV writes n rows of cells drawn from trickyCells, most of them
// valid for their column so that problems stay a minority.
func trickyCSV(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	valid := [][]string{{"r1", "r2", "S 3"}, {"0", "1"}, {"1.25", "-4.5", "99.5", "0"}, {"0.5", "1", "2"}, {"-2", "7", "123456789012345"},
		{"1990", "2001", "2025"}, {"a", "b", "Alpha", "NA2"}, {"1", "2", "10"}, {"abc", "x1"}, {"free text", "é"}, {"true", "0"}, {"1,5", "2"}}
	var b strings.Builder
	b.WriteString("id,y,num,numenum,int,yr,cat,icat,pat,txt,flag,comma\n")
	for i := 0; i < n; i++ {
		for k, vs := range valid {
			if k > 0 {
				b.WriteByte(',')
			}
			c := vs[rng.IntN(len(vs))]
			if rng.IntN(8) == 0 {
				c = trickyCells[rng.IntN(len(trickyCells))]
			}
			if strings.ContainsAny(c, ",\"\n") {
				c = `"` + c + `"`
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// TestFastCellIsCell: reading plain cells with loader.fastCell gives the
// table, problems and messages of reading every cell with loader.cell,
// on the parallel-load inputs and on cells chosen to sit at every edge of
// what fastCell takes, serially and in pieces, with and without quotes.
func TestFastCellIsCell(t *testing.T) {
	tricky, err := ParseSchema([]byte(trickySchema), "tricky.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := parallelCases(t)
	cases = append(cases, loadCase{name: "tricky", data: trickyCSV(1, 3000), schema: tricky})
	// Every tricky cell alone in every column, so that each meets each
	// kind of field at least once.
	var each strings.Builder
	each.WriteString("id,y,num,numenum,int,yr,cat,icat,pat,txt,flag,comma\n")
	base := []string{"r", "1", "1", "1", "1", "2000", "a", "1", "abc", "t", "true", "1"}
	for k := range base {
		for _, c := range trickyCells {
			row := slices.Clone(base)
			row[k] = c
			for j, v := range row {
				if strings.ContainsAny(v, ",\"\n") {
					row[j] = `"` + v + `"`
				}
			}
			each.WriteString(strings.Join(row, ",") + "\n")
		}
	}
	cases = append(cases, loadCase{name: "each tricky cell", data: []byte(each.String()), schema: tricky})
	fastRows := 0
	for _, c := range cases {
		for _, size := range []int{-1, 500} {
			o := LoadOptions{MaxProblems: -1, MaxRepeats: -1, chunkBytes: size}
			want, wantErr := Load(bytes.NewReader(c.data), c.name+".csv", c.schema, LoadOptions{MaxProblems: -1, MaxRepeats: -1, chunkBytes: size, noFast: true})
			got, gotErr := Load(bytes.NewReader(c.data), c.name+".csv", c.schema, o)
			what := fmt.Sprintf("%s, pieces of %d bytes", c.name, size)
			if err := sameTable(got, want); err != nil {
				t.Errorf("%s: %v", what, err)
			}
			if !reflect.DeepEqual(gotErr, wantErr) {
				t.Errorf("%s: error\n%v\nwant\n%v", what, gotErr, wantErr)
			}
			if got != nil {
				fastRows += got.NRows()
			}
		}
	}
	if fastRows == 0 {
		t.Fatal("no case loaded: the comparison compared errors only")
	}
	// The tricky file must hold both valid rows and problems of many
	// kinds, or it tests little.
	_, err = Load(bytes.NewReader(trickyCSV(1, 3000)), "tricky.csv", tricky, LoadOptions{MaxProblems: -1, MaxRepeats: -1})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) < 100 {
		t.Fatalf("the tricky file has too few problems to test anything: %v", err)
	}
}

// checkScanNumbers: scanDecimal and scanInteger accept only text that
// readNumber's own tests accept (isDecimalText, isIntegerText) and give
// strconv's value bit for bit; and they accept every plain decimal or
// integer of at most 15 digits, so the fast path is not a dead one.
func checkScanNumbers(t *testing.T, s string) {
	t.Helper()
	digitsIn := strings.Count(s, "0") + strings.Count(s, "1") + strings.Count(s, "2") + strings.Count(s, "3") + strings.Count(s, "4") +
		strings.Count(s, "5") + strings.Count(s, "6") + strings.Count(s, "7") + strings.Count(s, "8") + strings.Count(s, "9")
	plain := !strings.ContainsAny(s, "eE") && digitsIn <= 15
	x, ok := scanDecimal(s)
	switch {
	case ok && !isDecimalText(s):
		t.Fatalf("scanDecimal(%q) accepted text isDecimalText refuses", s)
	case ok:
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(x) != math.Float64bits(want) {
			t.Fatalf("scanDecimal(%q) = %v; strconv %v, %v", s, x, want, err)
		}
	case isDecimalText(s) && plain:
		t.Fatalf("scanDecimal(%q) refused a plain decimal of %d digits", s, digitsIn)
	}
	y, ok := scanInteger(s)
	switch {
	case ok && !isIntegerText(s):
		t.Fatalf("scanInteger(%q) accepted text isIntegerText refuses", s)
	case ok:
		want, err := strconv.ParseInt(s, 10, 64)
		if err != nil || math.Float64bits(y) != math.Float64bits(float64(want)) {
			t.Fatalf("scanInteger(%q) = %v; strconv %v, %v", s, y, want, err)
		}
	case isIntegerText(s) && digitsIn <= 15:
		t.Fatalf("scanInteger(%q) refused an integer of %d digits", s, digitsIn)
	}
}

// TestScanNumbersAreStrconv runs checkScanNumbers on random decimals and
// integers of 0 to 20 digits, with signs, points anywhere and exponents,
// and on the tricky cells.
func TestScanNumbersAreStrconv(t *testing.T) {
	for _, c := range trickyCells {
		checkScanNumbers(t, c)
	}
	rng := rand.New(rand.NewPCG(21, 22))
	for n := 0; n < 200000; n++ {
		checkScanNumbers(t, randomNumberText(rng))
	}
}

// randomNumberText is a decimal or integer of 0 to 20 digits, with or
// without a sign, a point anywhere (or none, or at the end) and, one time
// in ten, an exponent: the texts the number tests compare with strconv.
func randomNumberText(rng *rand.Rand) string {
	var b strings.Builder
	switch rng.IntN(3) {
	case 0:
		b.WriteByte('-')
	case 1:
		b.WriteByte('+')
	}
	nd := rng.IntN(21)
	dot := rng.IntN(nd + 3)
	for i := 0; i < nd; i++ {
		if i == dot {
			b.WriteByte('.')
		}
		b.WriteByte(byte('0' + rng.IntN(10)))
	}
	if dot == nd {
		b.WriteByte('.')
	}
	if rng.IntN(10) == 0 {
		fmt.Fprintf(&b, "e%d", rng.IntN(40)-20)
	}
	return b.String()
}

// FuzzScanNumbers: checkScanNumbers holds for any text.
func FuzzScanNumbers(f *testing.F) {
	for _, c := range trickyCells {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkScanNumbers(t, s)
	})
}

// TestDecodeStringIsDecodeText: the string form of the decoding gives
// decodeText's text, warning, error and problems for UTF-8 with and
// without a byte-order mark, CR-only lines, NUL bytes, UTF-16, a
// workbook, GBK, invalid UTF-8 and empty input (as Load reads it: a
// non-nil empty slice), under each encoding name.
func TestDecodeStringIsDecodeText(t *testing.T) {
	gbk := []byte{0xc4, 0xea, 0xc1, 0xe4, ',', 'a', '\n', '1', ',', '2', '\n'} // 年龄,a in GBK
	inputs := [][]byte{[]byte(""), []byte("a,b\n1,2\n"), []byte("\xEF\xBB\xBFa,b\r\n1,2\r\n"), []byte("a,b\r1,2\r"), []byte("\xEF\xBB\xBFa\rb"),
		[]byte("a,b\n1,\x002\n"), []byte("\xFF\xFEa\x00,\x00"), []byte("PK\x03\x04rest"), []byte("\xD0\xCF\x11\xE0"), gbk,
		[]byte("a,b\n1,d\xe9vice\n"), []byte("年龄,b\n1,2\n"), []byte("a\rb\nc"), []byte("\r")}
	for _, in := range inputs {
		for _, enc := range []string{"", "utf-8", "gbk", "latin1"} {
			wps, gps := newProblems("f.csv", -1), newProblems("f.csv", -1)
			want, wantWarn, wantErr := decodeText(in, enc, wps)
			got, ok, gotWarn, gotErr := decodeString(string(in), enc, gps)
			if ok != (want != nil) || got != string(want) || gotWarn != wantWarn || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) ||
				fmt.Sprint(gps.err()) != fmt.Sprint(wps.err()) {
				t.Errorf("%q, encoding %q: decodeString = %q, %v, %q, %v, %v; decodeText %q, %q, %v, %v", in, enc, got, ok, gotWarn, gotErr, gps.err(), want, wantWarn, wantErr, wps.err())
			}
		}
	}
}

// TestHasNUL: the search a megabyte at a time finds a NUL byte wherever
// it is, the chunk boundaries included, and none where there is none.
func TestHasNUL(t *testing.T) {
	const mb = 1 << 20
	for _, n := range []int{0, 1, mb - 1, mb, mb + 1, 3*mb + 5} {
		s := strings.Repeat("a", n)
		if hasNUL(s) {
			t.Errorf("%d bytes without NUL: found one", n)
		}
		for _, at := range []int{0, n / 2, mb - 1, mb, n - 1} {
			if at < 0 || at >= n {
				continue
			}
			if !hasNUL(s[:at] + "\x00" + s[at+1:]) {
				t.Errorf("%d bytes, NUL at %d: not found", n, at)
			}
		}
	}
}

// TestSplitLineIsStringsSplit: the eight-bytes-at-a-time split gives
// strings.Split's cells for lines of every length up to 40 with the
// delimiter anywhere, next to bytes one away from it (+ and - around ','
// are the bytes a borrowing zero-byte test would misread), and for ';'.
func TestSplitLineIsStringsSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, comma := range []byte{',', ';'} {
		alphabet := []byte{comma, comma, comma - 1, comma + 1, 'a', '0', 0x80 | comma, 0xff, 0}
		for n := 0; n < 20000; n++ {
			b := make([]byte, rng.IntN(41))
			for i := range b {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
			ln := string(b)
			got := splitLine(nil, ln, comma)
			if want := strings.Split(ln, string(comma)); !slices.Equal(got, want) {
				t.Fatalf("splitLine(%q, %q) = %q, want %q", ln, comma, got, want)
			}
		}
	}
}

// TestReadAllString: the file's text comes out whole from a reader that
// knows its length, a regular file and a reader that knows nothing (a
// pipe), and a read error is passed on.
func TestReadAllString(t *testing.T) {
	want := string(wideCSV(9, 20000)) // about 1.5 MB: several copy buffers
	path := filepath.Join(t.TempDir(), "w.csv")
	if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	readers := map[string]io.Reader{
		"bytes.Reader": bytes.NewReader([]byte(want)),
		"file":         f,
		"pipe":         iotest.HalfReader(strings.NewReader(want)),
	}
	for name, r := range readers {
		got, err := readAllString(r)
		if err != nil || got != want {
			t.Errorf("%s: %d bytes, %v; want %d bytes", name, len(got), err, len(want))
		}
	}
	if _, err := readAllString(iotest.ErrReader(io.ErrUnexpectedEOF)); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a failing reader: error %v", err)
	}
}

// checkSplitQuoted: when splitQuoted takes a line (without its final
// CR, and not blank, as parse gives it), encoding/csv reads the same
// cells from the line and its newline, as one record, without error.
func checkSplitQuoted(t *testing.T, raw string, comma byte) {
	t.Helper()
	ln := strings.TrimSuffix(raw, "\r")
	if ln == "" {
		return
	}
	got, ok := splitQuoted(nil, ln, comma)
	if !ok {
		return
	}
	cr := csv.NewReader(strings.NewReader(raw + "\n"))
	cr.Comma = rune(comma)
	cr.FieldsPerRecord = -1
	want, err := cr.Read()
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("splitQuoted(%q, %q) = %q; encoding/csv %q, %v", ln, comma, got, want, err)
	}
	if _, err := cr.Read(); err != io.EOF {
		t.Fatalf("splitQuoted(%q, %q) took a line encoding/csv reads as more than one record", ln, comma)
	}
}

// TestSplitQuotedIsCSV runs checkSplitQuoted on random lines of quote
// marks, delimiters, spaces, CRs and letters, and checks that lines whose
// quotes only wrap whole fields are taken (or the fast path is dead).
func TestSplitQuotedIsCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, comma := range []byte{',', ';'} {
		alphabet := []byte{comma, '"', '"', 'a', ' ', '\r', ',', 'é'}
		for n := 0; n < 50000; n++ {
			b := make([]byte, 1+rng.IntN(16))
			for i := range b {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
			checkSplitQuoted(t, string(b), comma)
		}
		for n := 0; n < 5000; n++ {
			cells := make([]string, 1+rng.IntN(6))
			for i := range cells {
				v := strings.Repeat("x", rng.IntN(3)) + strings.Repeat(string(rune(comma)), rng.IntN(2)) + strings.Repeat(" ", rng.IntN(2))
				if rng.IntN(2) == 0 || strings.IndexByte(v, comma) >= 0 {
					v = `"` + v + `"`
				}
				cells[i] = v
			}
			ln := strings.Join(cells, string(rune(comma)))
			if _, ok := splitQuoted(nil, ln, comma); !ok {
				t.Fatalf("splitQuoted(%q, %q) refused a line of plain quoted fields", ln, comma)
			}
			checkSplitQuoted(t, ln, comma)
		}
	}
}

// FuzzSplitQuoted: checkSplitQuoted holds for any line.
func FuzzSplitQuoted(f *testing.F) {
	for _, s := range []string{`"a",b`, `"a""b",c`, `a,"b`, `"a"b,c`, `a"b,c`, `"",`, `,""`, `"a,b";c`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ln string) {
		if strings.ContainsAny(ln, "\n") {
			return // a line, as parse cuts it
		}
		checkSplitQuoted(t, ln, ',')
		checkSplitQuoted(t, ln, ';')
	})
}

// FuzzLoadFastIsSerial: any bytes loaded with trickySchema in pieces of
// 16 bytes, with fastCell and the loader's own line splitting, give what
// the serial encoding/csv load with loader.cell alone gives: the same
// table, or the same problems in the same words.
func FuzzLoadFastIsSerial(f *testing.F) {
	s, err := ParseSchema([]byte(trickySchema), "tricky.schema.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(trickyCSV(2, 30))
	f.Add([]byte(strings.ReplaceAll(string(trickyCSV(3, 30)), ",", `","`)))
	f.Add([]byte("id,y,num,numenum,int,yr,cat,icat,pat,txt,flag,comma\n\"r\",1,\"2\",1,3,2000,\"a\",1,abc,\"t\"\"u\",true,\"1,5\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog("Load")()
		want, wantErr := Load(bytes.NewReader(b), "f.csv", s, LoadOptions{MaxProblems: -1, MaxRepeats: -1, chunkBytes: -1, noFast: true})
		got, gotErr := Load(bytes.NewReader(b), "f.csv", s, LoadOptions{MaxProblems: -1, MaxRepeats: -1, chunkBytes: 16})
		if err := sameTable(got, want); err != nil {
			t.Fatalf("tables differ: %v", err)
		}
		if !reflect.DeepEqual(gotErr, wantErr) {
			t.Fatalf("error\n%v\nwant\n%v", gotErr, wantErr)
		}
	})
}

// TestPlainUTF8: the check in parts agrees with utf8.ValidString and a
// NUL search on text of many-byte characters cut anywhere, with a bad
// byte, a NUL or a truncated character placed at the ends, next to the
// cut points and in between, on 2 and 5 cores.
func TestPlainUTF8(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	unit := "a€𝄞b,é\n中" // 1-, 2-, 3- and 4-byte characters
	base := strings.Repeat(unit, (9<<20)/len(unit))
	n := len(base)
	var at []int
	for _, q := range []int{1, 2, 5} {
		for _, d := range []int{-1, 0, 1, 3} {
			if p := q*n/5 + d; p >= 0 && p < n {
				at = append(at, p)
			}
		}
	}
	at = append(at, 0, n/3+1, n-1)
	for _, procs := range []int{2, 5} {
		runtime.GOMAXPROCS(procs)
		check := func(s, what string) {
			want := strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
			if got := plainUTF8(s); got != want {
				t.Errorf("GOMAXPROCS %d, %s: plainUTF8 = %v, want %v", procs, what, got, want)
			}
		}
		check(base, "valid text")
		check(base[:n-1], "a truncated last character")
		for _, p := range at {
			for _, b := range []string{"\xff", "\x00", "\xe2\x82"} {
				check(base[:p]+b+base[p+1:], fmt.Sprintf("%q at %d", b, p))
			}
		}
	}
}
