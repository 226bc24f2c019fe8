package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// LoadOptions tunes Load.
type LoadOptions struct {
	// MaxProblems caps the problems reported (0 means DefaultMaxProblems,
	// a negative value means no cap); the rest are counted.
	MaxProblems int
	// ExpectCases and ExpectControls, when positive, are the counts the
	// study design promises; a different count is a warning, not an error,
	// since a researcher's sample may legitimately differ.
	ExpectCases, ExpectControls int
}

// Load reads a CSV file described by s into a Table, checking every cell
// against the schema.
//
// It accepts UTF-8 with or without a byte-order mark, CRLF or LF line
// ends, and ',' or ';' as delimiter (';' only when the header line has no
// ',' outside quotes). Columns may come in any order; a schema field
// missing from the header is an error, a header column missing from the
// schema a warning. Cells are trimmed; a value listed in the schema's
// missingValues is missing.
//
// All problems are collected (up to opts.MaxProblems) and returned as a
// *ValidationError whose lines read `file:row:column: what is wrong
// (expected …)`, row being the line number in the file (header = 1). No
// row is ever dropped or changed: a file with any problem is not loaded.
func Load(r io.Reader, source string, s *Schema, opts LoadOptions) (*Table, error) {
	if s == nil {
		return nil, fmt.Errorf("%s: no schema to read the file with", source)
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: reading: %w", source, err)
	}
	sum := sha256.Sum256(raw)
	ps := newProblems(source, opts.MaxProblems)

	if msg := encodingProblem(raw); msg != "" {
		ps.add(0, "", 0, "%s", msg)
		return nil, ps.err()
	}
	text := bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))
	if len(bytes.TrimSpace(text)) == 0 {
		ps.add(0, "", 0, "empty file (expected a header row with columns %s)", strings.Join(s.FieldNames(), ", "))
		return nil, ps.err()
	}

	l := &loader{s: s, ps: ps, t: &Table{Source: source, SHA256: hex.EncodeToString(sum[:]), Schema: s}}
	cr := csv.NewReader(bytes.NewReader(text))
	l.comma = sniffDelimiter(text)
	l.lastLine = 1 + bytes.Count(bytes.TrimRight(text, "\r\n"), []byte("\n"))
	cr.Comma = l.comma
	cr.FieldsPerRecord = -1 // row lengths are checked here, with a clearer message

	header, err := cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			l.csvProblem(pe)
		} else {
			ps.add(0, "", 0, "empty file (expected a header row with columns %s)", strings.Join(s.FieldNames(), ", "))
		}
		return nil, ps.err()
	}
	headerLine, _ := cr.FieldPos(0)
	if !l.readHeader(header, headerLine) {
		return nil, ps.err()
	}

	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: reading: %w", source, err)
			}
			l.csvProblem(pe)
			l.sawRows = true
			continue
		}
		line, _ := cr.FieldPos(0)
		l.row(rec, line)
	}
	if !l.sawRows {
		ps.add(0, "", 0, "no data rows (the file has a header line but nothing under it)")
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	l.expectCounts(opts)
	return l.t, nil
}

// loader holds the state of one Load.
type loader struct {
	s      *Schema
	ps     *problems
	t      *Table
	header []string
	// colOf[k] is the position in the file of schema field k, or -1.
	colOf   []int
	sawRows bool
	comma   rune
	// lastLine is the number of the file's last line.
	lastLine int
	// unique values seen per field, and primary keys seen: value → line.
	seen   []map[string]int
	keys   map[string]int
	pk     []int // schema indices of the primary-key fields
	enums  []map[string]bool
	ranges []string
}

// readHeader maps the header onto the schema. It returns false when no row
// could be checked meaningfully.
func (l *loader) readHeader(header []string, line int) bool {
	s := l.s
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	l.header = header
	l.colOf = make([]int, len(s.Fields))
	for k := range l.colOf {
		l.colOf[k] = -1
	}
	index := map[string]int{}
	for k, f := range s.Fields {
		index[f.Name] = k
	}
	var unknown []string
	for j, name := range header {
		k, ok := index[name]
		switch {
		case name == "":
			l.t.Warnings = append(l.t.Warnings, fmt.Sprintf("%s:%d: column %d has no name and is ignored", l.t.Source, line, j+1))
		case !ok:
			unknown = append(unknown, name)
			l.t.Warnings = append(l.t.Warnings, fmt.Sprintf("%s:%d: column %q (column %d) is not in the schema and is ignored", l.t.Source, line, name, j+1))
		case l.colOf[k] >= 0:
			l.ps.add(line, name, j+1, "column %q appears twice, as columns %d and %d (expected each column once)", name, l.colOf[k]+1, j+1)
		default:
			l.colOf[k] = j
		}
	}
	var missing, hints []string
	for k, f := range s.Fields {
		if l.colOf[k] < 0 {
			missing = append(missing, f.Name)
			for _, u := range unknown {
				if sg := suggest(u, []string{f.Name}); len(sg) > 0 {
					hints = append(hints, fmt.Sprintf("is %q meant to be %s?", u, f.Name))
				}
			}
		}
	}
	if len(missing) > 0 {
		noun := "column"
		if len(missing) > 1 {
			noun = "columns"
		}
		msg := fmt.Sprintf("missing %s %s (expected every column of the schema in the header)", noun, strings.Join(missing, ", "))
		if len(hints) > 0 {
			msg += "; " + strings.Join(hints, " ")
		}
		if len(header) == 1 && strings.Contains(header[0], "\t") {
			msg += "; the file looks tab-separated: save it as CSV with commas or semicolons"
		}
		l.ps.add(line, "", 0, "%s", msg)
	}
	if len(missing) == len(s.Fields) {
		return false
	}

	// Per-field state for the rows.
	l.seen = make([]map[string]int, len(s.Fields))
	l.enums = make([]map[string]bool, len(s.Fields))
	l.ranges = make([]string, len(s.Fields))
	for k, f := range s.Fields {
		if f.Constraints.Unique {
			l.seen[k] = map[string]int{}
		}
		if len(f.Constraints.EnumRaw) > 0 {
			l.enums[k] = map[string]bool{}
			for _, v := range f.Constraints.EnumRaw {
				l.enums[k][enumKey(f, v)] = true
			}
		}
		l.ranges[k] = rangeText(f.Constraints)
	}
	for _, name := range s.PrimaryKey {
		if k, ok := index[name]; ok {
			l.pk = append(l.pk, k)
		}
	}
	if len(l.pk) == 1 {
		l.seen[l.pk[0]] = nil // the key check reports duplicates once
	}
	l.keys = map[string]int{}
	for _, f := range s.Fields {
		col := &Column{Field: f}
		if f.IsCategorical() || f.IsNumeric() {
			col.Num = []float64{}
		} else {
			col.Str = []string{}
		}
		col.Missing = []bool{}
		l.t.Columns = append(l.t.Columns, col)
	}
	return true
}

// row checks and stores one data row.
func (l *loader) row(rec []string, line int) {
	l.sawRows = true
	allEmpty := true
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			allEmpty = false
			break
		}
	}
	if allEmpty {
		l.ps.add(line, "", 0, "empty row (every cell is empty; delete the row or fill it in)")
		return
	}
	if len(rec) != len(l.header) {
		l.ps.add(line, "", 0, "%d values, but the header has %d columns (expected one value per column; a value containing %q must be in quotes)", len(rec), len(l.header), string(l.comma))
		return
	}
	l.t.Lines = append(l.t.Lines, line)
	for k, f := range l.s.Fields {
		col := l.t.Columns[k]
		j := l.colOf[k]
		if j < 0 {
			l.store(col, nan, "", true)
			continue
		}
		l.cell(k, f, col, strings.TrimSpace(rec[j]), line, j+1)
	}
	if len(l.pk) > 0 {
		l.checkKey(line)
	}
}

func (l *loader) store(col *Column, v float64, s string, missing bool) {
	if col.Num != nil {
		col.Num = append(col.Num, v)
	}
	if col.Str != nil {
		col.Str = append(col.Str, s)
	}
	col.Missing = append(col.Missing, missing)
}

// cell checks one cell and appends it to col.
func (l *loader) cell(k int, f *Field, col *Column, cell string, line, colIndex int) {
	add := func(format string, args ...any) { l.ps.add(line, f.Name, colIndex, format, args...) }
	if contains(l.s.MissingValues, cell) {
		if f.Constraints.Required {
			if cell == "" {
				add("empty cell (expected a value: this column is required)")
			} else {
				add("%q marks a missing value, but this column is required (expected a value)", cell)
			}
		}
		l.store(col, nan, "", true)
		return
	}

	var v float64
	var key string
	switch {
	case f.IsCategorical():
		idx, ok := f.CategoryIndex(cell)
		if !ok {
			msg := fmt.Sprintf("%q is not one of %s", cell, strings.Join(categoryValues(f), ", "))
			if dym := didYouMean(cell, categoryCandidates(f)); dym != "" {
				msg += "; " + dym
			}
			add("%s", msg)
			l.store(col, nan, "", true)
			return
		}
		v, key = float64(idx), f.Categories[idx].Value
		l.store(col, v, "", false)
	case f.IsNumeric():
		var msg string
		v, msg = parseCell(f, cell)
		if msg != "" {
			add("%s", msg)
			l.store(col, nan, "", true)
			return
		}
		if l.enums[k] != nil || l.seen[k] != nil {
			key = formatNumber(v, f.Type)
		}
		l.store(col, v, "", false)
		if f.Role == RoleOutcome && v != 0 && v != 1 {
			add("%s is not a valid outcome (expected 1 for a case or 0 for a control)", cell)
			return
		}
		if msg := l.boundProblem(k, f, v, cell); msg != "" {
			add("%s", msg)
			return
		}
	default:
		key = cell
		l.store(col, nan, cell, false)
	}

	if e := l.enums[k]; e != nil && !e[key] {
		allowed := make([]string, len(f.Constraints.EnumRaw))
		for i, x := range f.Constraints.EnumRaw {
			allowed[i] = anyToString(x)
		}
		shown := strconv.Quote(cell)
		if f.IsNumeric() {
			shown = cell
		}
		add("%s is not allowed (expected %s)", shown, orList(allowed))
	}
	if seen := l.seen[k]; seen != nil {
		if first, dup := seen[key]; dup {
			add("duplicate value %q (first at row %d; values in this column must be unique)", cell, first)
		} else {
			seen[key] = line
		}
	}
}

// boundProblem checks the minimum/maximum constraints.
func (l *loader) boundProblem(k int, f *Field, v float64, cell string) string {
	c := f.Constraints
	what := "is below the minimum"
	low := (c.Minimum != nil && v < *c.Minimum) || (c.ExclusiveMinimum != nil && v <= *c.ExclusiveMinimum)
	high := (c.Maximum != nil && v > *c.Maximum) || (c.ExclusiveMaximum != nil && v >= *c.ExclusiveMaximum)
	switch {
	case !low && !high:
		return ""
	case f.Type == TypeYear:
		what = "is outside the allowed years"
	case low && c.ExclusiveMinimum != nil && v == *c.ExclusiveMinimum:
		what = "is not above the minimum"
	case high && c.ExclusiveMaximum != nil && v == *c.ExclusiveMaximum:
		what = "is not below the maximum"
	case high:
		what = "is above the maximum"
	}
	return fmt.Sprintf("%s %s (expected %s)", cell, what, l.ranges[k])
}

// checkKey reports a missing or repeated primary key on the row just stored.
func (l *loader) checkKey(line int) {
	i := len(l.t.Lines) - 1
	parts := make([]string, len(l.pk))
	for n, k := range l.pk {
		col := l.t.Columns[k]
		if col.Missing[i] {
			f := col.Field
			if !f.Constraints.Required && l.colOf[k] >= 0 {
				l.ps.add(line, f.Name, l.colOf[k]+1, "missing key (expected a value: %s is the primary key)", strings.Join(l.s.PrimaryKey, ", "))
			}
			return
		}
		parts[n] = col.Value(i)
	}
	key := strings.Join(parts, "\x00")
	first, dup := l.keys[key]
	if !dup {
		l.keys[key] = line
		return
	}
	k0 := l.pk[0]
	shown := make([]string, len(parts))
	for n, p := range parts {
		shown[n] = strconv.Quote(p)
	}
	l.ps.add(line, l.s.Fields[k0].Name, l.colOf[k0]+1, "duplicate key %s (first at row %d)", strings.Join(shown, ", "), first)
}

// csvProblem reports a quoting error found by encoding/csv.
func (l *loader) csvProblem(pe *csv.ParseError) {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		l.ps.add(pe.Line, "", 0, `a quote mark (") inside a value that does not start with one (expected the whole value in quotes, with "" for each quote mark inside it)`)
	case errors.Is(pe.Err, csv.ErrQuote):
		msg := `a quoted value is not closed, or has text after its closing quote (expected "..." around the whole value, with "" for each quote mark inside it)`
		switch {
		case pe.Line >= l.lastLine:
			msg += "; the quote runs on to the end of the file"
		case pe.Line != pe.StartLine:
			msg = fmt.Sprintf("%s; the quote runs on to line %d", msg, pe.Line)
		}
		l.ps.add(pe.StartLine, "", 0, "%s", msg)
	default:
		l.ps.add(pe.Line, "", 0, "cannot read this line as CSV: %v", pe.Err)
	}
}

// expectCounts warns when the case/control counts differ from the design.
func (l *loader) expectCounts(opts LoadOptions) {
	if opts.ExpectCases <= 0 && opts.ExpectControls <= 0 {
		return
	}
	oc, ok := l.t.Col(l.s.Outcome())
	if !ok {
		return
	}
	cases, controls := countOutcome(oc)
	if (opts.ExpectCases > 0 && cases != opts.ExpectCases) || (opts.ExpectControls > 0 && controls != opts.ExpectControls) {
		l.t.Warnings = append(l.t.Warnings, fmt.Sprintf("%s: %d cases and %d controls, but the design expects %d cases and %d controls",
			l.t.Source, cases, controls, opts.ExpectCases, opts.ExpectControls))
	}
}

func countOutcome(c *Column) (cases, controls int) {
	for i, v := range c.Num {
		if c.Missing[i] {
			continue
		}
		switch v {
		case 1:
			cases++
		case 0:
			controls++
		}
	}
	return cases, controls
}

func categoryCandidates(f *Field) []string {
	out := categoryValues(f)
	for _, c := range f.Categories {
		if c.Label != "" && c.Label != c.Value {
			out = append(out, c.Label)
		}
	}
	return out
}

// enumKey is the canonical text of an enum value, comparable with the key
// the loader computes for a cell.
func enumKey(f *Field, v any) string {
	if f.IsCategorical() {
		s := anyToString(v)
		if i, ok := f.CategoryIndex(s); ok {
			return f.Categories[i].Value
		}
		return s
	}
	if f.IsNumeric() {
		if x, ok := enumNumber(f, v); ok {
			return formatNumber(x, f.Type)
		}
	}
	return anyToString(v)
}

// rangeText describes the allowed range: "1900 to 2025", "> 0", ">= 0 and < 1".
func rangeText(c Constraints) string {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	if c.Minimum != nil && c.Maximum != nil && c.ExclusiveMinimum == nil && c.ExclusiveMaximum == nil {
		return num(*c.Minimum) + " to " + num(*c.Maximum)
	}
	var parts []string
	if c.Minimum != nil {
		parts = append(parts, ">= "+num(*c.Minimum))
	}
	if c.ExclusiveMinimum != nil {
		parts = append(parts, "> "+num(*c.ExclusiveMinimum))
	}
	if c.Maximum != nil {
		parts = append(parts, "<= "+num(*c.Maximum))
	}
	if c.ExclusiveMaximum != nil {
		parts = append(parts, "< "+num(*c.ExclusiveMaximum))
	}
	return strings.Join(parts, " and ")
}

var (
	decimalComma = regexp.MustCompile(`^[+-]?[0-9]+,[0-9]+$`)
	thousands    = regexp.MustCompile(`^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$`)
	nonFinite    = regexp.MustCompile(`(?i)^[+-]?(nan|inf|infinity)$`)
)

// isIntegerText reports whether s is an optional sign and digits.
func isIntegerText(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return s != "" && digits(s) == len(s)
}

// isDecimalText reports whether s is a plain decimal number with an
// optional exponent: what strconv.ParseFloat accepts minus NaN, Inf, hex
// and underscores, which are never meant in a data file.
func isDecimalText(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	n := digits(s)
	s = s[n:]
	if s != "" && s[0] == '.' {
		m := digits(s[1:])
		n += m
		s = s[1+m:]
	}
	if n == 0 {
		return false
	}
	if s != "" && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s != "" && (s[0] == '+' || s[0] == '-') {
			s = s[1:]
		}
		if m := digits(s); m == 0 {
			return false
		} else {
			s = s[m:]
		}
	}
	return s == ""
}

func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// maxExactInteger is the largest integer a float64 holds exactly.
const maxExactInteger = 1 << 53

// parseCell reads a non-missing, trimmed cell of a numeric or boolean
// field as the number stored in Column.Num. The message is "" on success.
func parseCell(f *Field, cell string) (float64, string) {
	switch f.Type {
	case TypeInteger, TypeYear:
		if !isIntegerText(cell) {
			if f.Type == TypeYear {
				return 0, fmt.Sprintf("%q is not a year (expected a whole number such as 2015)", cell)
			}
			if isDecimalText(cell) {
				return 0, fmt.Sprintf("%q is not a whole number (expected an integer such as 12)", cell)
			}
			return 0, fmt.Sprintf("%q is not an integer (expected a whole number such as 12)", cell)
		}
		n, err := strconv.ParseInt(cell, 10, 64)
		if err != nil || n > maxExactInteger || n < -maxExactInteger {
			return 0, fmt.Sprintf("%q is too large (expected an integer of at most 15 digits)", cell)
		}
		return float64(n), ""
	case TypeNumber:
		switch {
		case isDecimalText(cell):
		case nonFinite.MatchString(cell):
			return 0, fmt.Sprintf("%q is not a finite number (expected a number; leave the cell empty or write NA if the value is missing)", cell)
		case decimalComma.MatchString(cell) && thousands.MatchString(cell):
			return 0, fmt.Sprintf("%q is not a number (expected a decimal point and no thousands separator: %s or %s)", cell, strings.Replace(cell, ",", "", 1), strings.Replace(cell, ",", ".", 1))
		case decimalComma.MatchString(cell):
			return 0, fmt.Sprintf("%q is not a number (expected a decimal point, not a comma: %s)", cell, strings.Replace(cell, ",", ".", 1))
		case thousands.MatchString(cell):
			return 0, fmt.Sprintf("%q is not a number (expected no thousands separators: %s)", cell, strings.ReplaceAll(cell, ",", ""))
		default:
			return 0, fmt.Sprintf("%q is not a number (expected a number such as 12.5)", cell)
		}
		x, err := strconv.ParseFloat(cell, 64)
		if err != nil || math.IsInf(x, 0) {
			return 0, fmt.Sprintf("%q is too large to be a number here (expected a finite number)", cell)
		}
		return x, ""
	case TypeBoolean:
		switch strings.ToLower(cell) {
		case "true", "1":
			return 1, ""
		case "false", "0":
			return 0, ""
		}
		return 0, fmt.Sprintf("%q is not a boolean (expected true, false, 1 or 0)", cell)
	}
	return 0, fmt.Sprintf("%q: a %s field is not numeric", cell, f.Type)
}

// sniffDelimiter picks ';' only when the header line has no ',' outside
// quotes and has a ';' (the CSV that Excel writes where the decimal mark
// is a comma); otherwise ','.
func sniffDelimiter(text []byte) rune {
	inQuotes := false
	commas, semis := 0, 0
	for _, b := range text {
		switch {
		case b == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case b == '\n':
			goto done
		case b == ',':
			commas++
		case b == ';':
			semis++
		}
	}
done:
	if commas == 0 && semis > 0 {
		return ';'
	}
	return ','
}

// encodingProblem says why raw is not UTF-8 CSV text, or "".
func encodingProblem(raw []byte) string {
	const resave = `re-save as "CSV UTF-8"`
	switch {
	case bytes.HasPrefix(raw, []byte("PK\x03\x04")):
		return "this is an Excel workbook (.xlsx) or another zip file, not CSV text (expected a .csv file: in Excel use File > Save As > \"CSV UTF-8\")"
	case bytes.HasPrefix(raw, []byte("\xD0\xCF\x11\xE0")):
		return "this is an old Excel workbook (.xls), not CSV text (expected a .csv file: in Excel use File > Save As > \"CSV UTF-8\")"
	case bytes.HasPrefix(raw, []byte("\xFF\xFE")) || bytes.HasPrefix(raw, []byte("\xFE\xFF")):
		return "not UTF-8 text (it looks like UTF-16, as Excel's \"Unicode Text\" saves; " + resave + " or convert with iconv -f UTF-16 -t UTF-8)"
	case bytes.IndexByte(raw, 0) >= 0:
		return "not CSV text: it contains NUL bytes (it may be UTF-16 or a binary file; " + resave + ")"
	case utf8.Valid(raw):
		return ""
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw); err == nil && !bytes.ContainsRune(out, utf8.RuneError) {
		return "not UTF-8 text (it looks like GBK/GB18030, as Excel on Chinese Windows saves CSV; " + resave + " or convert with iconv -f GB18030 -t UTF-8)"
	}
	line := 1 + bytes.Count(raw[:firstInvalidUTF8(raw)], []byte("\n"))
	return fmt.Sprintf("not UTF-8 text (the first byte that is not UTF-8 is on line %d; %s or convert with iconv -f ENCODING -t UTF-8)", line, resave)
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}
