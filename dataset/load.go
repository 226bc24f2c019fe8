package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// LoadOptions tunes Load.
type LoadOptions struct {
	// MaxProblems caps the problems reported (0 means DefaultMaxProblems,
	// a negative value means no cap); the rest are counted.
	MaxProblems int
	// MaxRepeats is how many times the same problem in the same column
	// (a non-number in "age", say) is shown before the remaining rows are
	// summarized in one line with their count (0 means DefaultMaxRepeats,
	// a negative value shows every one).
	MaxRepeats int
	// ExpectCases and ExpectControls, when positive, are the counts the
	// study design promises; a different count is a warning, not an error,
	// since a researcher's sample may legitimately differ.
	ExpectCases, ExpectControls int
	// Encoding is the text encoding of the file: "" or "utf-8" (the
	// default; a GBK file is then refused with a message saying how to
	// convert it), or "gbk"/"gb18030" (decoded with GB18030, a superset
	// of GBK, as Excel on Chinese Windows saves CSV; a file with a UTF-8
	// byte-order mark, or that is valid UTF-8, is read as UTF-8 with a
	// warning). CheckEncoding validates a user's value.
	Encoding string
	// HeaderHint, when set, is added to the message about columns of the
	// schema missing from the header: the caller's advice, for instance
	// that the file was read with a built-in schema and how to pass one.
	HeaderHint string
	// Sheet picks the sheet of an xlsx file: a name, or a 1-based
	// position; "" is the first sheet.
	Sheet string

	// chunkBytes is the size of the pieces the data rows are cut into
	// for parallel loading (0 means defaultChunkBytes; negative reads
	// serially). Only tests set it: the result never depends on it.
	chunkBytes int
	// parallel, when set, is told whether the rows were loaded in pieces.
	parallel *bool
	// csvForm is set when the text is the CSV form of an xlsx or Parquet
	// file (loadForeign): it is not dispatched by format again.
	csvForm bool
	// noFast reads every cell with loader.cell, never loader.fastCell.
	// Only tests set it, to show that the result does not depend on it.
	noFast bool
}

// defaultChunkBytes is the size of the pieces a large file is parsed in,
// in parallel: large enough that per-piece work is negligible, small
// enough that two to eight cores share a 10^6-row file evenly.
const defaultChunkBytes = 2 << 20

// Load reads a CSV file described by s into a Table, checking every cell
// against the schema.
//
// It accepts UTF-8 with or without a byte-order mark, CRLF, LF or
// CR-only line ends, and ',' or ';' as delimiter (';' only when the header line has no
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
	data, err := readAllString(r)
	if err != nil {
		return nil, fmt.Errorf("%s: reading: %w", source, err)
	}
	if format := DetectFormat(source, []byte(data[:min(len(data), 8)])); format != formatCSV && !opts.csvForm {
		return loadForeign(format, []byte(data), source, s, opts) // xlsx, Parquet: records, then the same checks
	}
	// The digest is only needed at the end: it is computed beside the
	// checks, on a core they leave idle until the rows are cut in pieces.
	sumc := make(chan string, 1)
	go func() { sumc <- sha256String(data) }()
	ps := newProblems(source, opts.MaxProblems)
	ps.repeats = opts.MaxRepeats

	text, ok, warning, err := decodeString(data, opts.Encoding, ps)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if !ok {
		return nil, ps.err()
	}
	if len(strings.TrimSpace(text)) == 0 {
		ps.add(0, "", 0, "empty file (expected a header row with columns %s)", strings.Join(s.FieldNames(), ", "))
		return nil, ps.err()
	}

	if t := strings.TrimSpace(text); (t[0] == '{' || t[0] == '[') && json.Valid([]byte(t)) {
		// A JSON file given as the data (the schema, a results file)
		// would otherwise be a header of odd column names.
		ps.add(0, "", 0, "this is a JSON file, not CSV data (expected the data file, one row per unit; is it the schema, given as the data?)")
		return nil, ps.err()
	}

	l := &loader{s: s, ps: ps, t: &Table{Source: source, Schema: s}, hint: opts.HeaderHint, noFast: opts.noFast, text: text}
	l.suggestLimit = opts.MaxRepeats
	if warning != "" {
		l.t.Warnings = append(l.t.Warnings, source+": "+warning)
	}
	cr := csv.NewReader(strings.NewReader(text))
	l.comma = sniffDelimiter(text)
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
	l.titleRow = titleAboveHeader(header, text[cr.InputOffset():], l.comma, s)
	if !l.readHeader(header, headerLine) {
		return nil, ps.err()
	}

	par := l.loadParallel(text, int(cr.InputOffset()), opts.chunkBytes)
	if opts.parallel != nil {
		*opts.parallel = par
	}
	if !par {
		if err := l.loadSerial(cr); err != nil {
			return nil, fmt.Errorf("%s: reading: %w", source, err)
		}
	}
	if !l.sawRows {
		ps.add(0, "", 0, "no data rows (the file has a header line but nothing under it)")
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	l.expectCounts(opts)
	l.t.SHA256 = <-sumc
	return l.t, nil
}

// readAllString is io.ReadAll into a string, in one buffer of the right
// size when the reader knows its length (the caller's bytes.Reader of a
// file, an *os.File): the loader's cells are substrings of it, so the
// file's bytes are held once, not once as read and again as text.
func readAllString(r io.Reader) (string, error) {
	size := -1
	switch x := r.(type) {
	case interface{ Len() int }:
		size = x.Len()
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := x.Stat(); err == nil && fi.Mode().IsRegular() {
			size = int(fi.Size())
		}
	}
	var b strings.Builder
	if size < 0 {
		// A pipe: io.ReadAll's buffer, then one copy (a builder grown by
		// doubling would allocate twice the file).
		raw, err := io.ReadAll(r)
		if err != nil {
			return "", err
		}
		b.Grow(len(raw))
		for len(raw) > 0 {
			n := min(len(raw), 256<<10)
			b.Write(raw[:n])
			raw = raw[n:]
		}
		return b.String(), nil
	}
	b.Grow(size)
	// Anything written after the length was taken is read too. The copy
	// goes through a buffer, not bytes.Reader.WriteTo's one memmove of
	// the whole file (nor the pipe case's one conversion): the garbage
	// collector cannot stop a goroutine inside a memmove to scan its
	// stack, and spins on a core while it waits.
	_, err := io.CopyBuffer(&b, struct{ io.Reader }{r}, make([]byte, 256<<10))
	return b.String(), err
}

// plainUTF8 reports whether s is valid UTF-8 without NUL bytes. A large
// s is checked in parts on all cores, cut just before an ASCII byte: an
// ASCII byte is never inside a UTF-8 sequence, so s is valid exactly when
// every part is.
func plainUTF8(s string) bool {
	parts := min(runtime.GOMAXPROCS(0), len(s)/(4<<20))
	if parts < 2 {
		return !hasNUL(s) && utf8.ValidString(s)
	}
	var bad atomic.Bool
	var wg sync.WaitGroup
	for from := 0; from < len(s); {
		to := len(s)
		if parts > 1 {
			to = from + (len(s)-from)/parts
			for to < len(s) && s[to] >= utf8.RuneSelf {
				to++
			}
			parts--
		}
		part := s[from:to]
		wg.Go(func() {
			if hasNUL(part) || !utf8.ValidString(part) {
				bad.Store(true)
			}
		})
		from = to
	}
	wg.Wait()
	return !bad.Load()
}

// hasNUL is strings.IndexByte(s, 0) >= 0, searched a megabyte at a time
// for the same reason as readAllString's buffer.
func hasNUL(s string) bool {
	for len(s) > 0 {
		n := min(len(s), 1<<20)
		if strings.IndexByte(s[:n], 0) >= 0 {
			return true
		}
		s = s[n:]
	}
	return false
}

// sha256String is the hex SHA-256 of s, hashed through a small buffer
// rather than a copy of s as one []byte.
func sha256String(s string) string {
	h := sha256.New()
	buf := make([]byte, 64<<10)
	for len(s) > 0 {
		n := copy(buf, s)
		h.Write(buf[:n])
		s = s[n:]
	}
	return hex.EncodeToString(h.Sum(nil))
}

// decodeString is decodeText for text held as a string: a UTF-8 file
// (the usual case) is checked and used as it is, without a copy; any
// other goes through decodeText. ok is false when the bytes cannot be
// read (the problem is in ps).
func decodeString(data, encoding string, ps *problems) (text string, ok bool, warning string, err error) {
	if normalEncoding(encoding) == "utf-8" && binaryProblem([]byte(data[:min(len(data), 8)])) == "" &&
		plainUTF8(data) {
		// What decodeText does when binaryProblem and utf8Problem find
		// nothing.
		text = strings.TrimPrefix(data, "\xEF\xBB\xBF")
		if strings.IndexByte(text, '\n') < 0 && strings.IndexByte(text, '\r') >= 0 {
			text = strings.ReplaceAll(text, "\r", "\n")
		}
		return text, true, "", nil
	}
	b, warning, err := decodeText([]byte(data), encoding, ps)
	return string(b), b != nil, warning, err
}

// titleAboveHeader returns the title when the header row looks like a
// title merged above the real header, as spreadsheets exported with a
// heading row are: one non-empty cell that names no field, and the next
// row holding at least half of the schema's field names. Otherwise "".
func titleAboveHeader(header []string, rest string, comma rune, s *Schema) string {
	title := ""
	for _, h := range header {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		if _, ok := s.Field(h); ok || title != "" {
			return ""
		}
		title = h
	}
	if title == "" {
		return ""
	}
	cr := csv.NewReader(strings.NewReader(rest))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	next, err := cr.Read()
	if err != nil {
		return ""
	}
	found := 0
	for _, h := range next {
		if _, ok := s.Field(strings.TrimSpace(h)); ok {
			found++
		}
	}
	if 2*found < len(s.Fields) {
		return ""
	}
	return title
}

// loadSerial reads the data rows one after another with encoding/csv:
// the reference behaviour, which loadParallel reproduces exactly.
func (l *loader) loadSerial(cr *csv.Reader) error {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
			l.csvProblem(pe)
			l.sawRows = true
			continue
		}
		line, _ := cr.FieldPos(0)
		l.row(rec, line)
	}
	return nil
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
	// text is the file's text; lastLine the number of its last line,
	// counted when a message first needs it (0 until then).
	text     string
	lastLine int
	// unique values seen per field, and primary keys seen: value → line.
	seen   []map[string]int
	keys   map[string]int
	pk     []int // schema indices of the primary-key fields
	enums  []map[string]bool
	ranges []string
	// missing[k] are the missing-value markers of field k; patterns[k]
	// its compiled constraints.pattern; dates[k] its date layouts.
	missing  [][]string
	patterns []*regexp.Regexp
	dates    [][]string
	hint     string
	// titleRow is the text of a title row found above the real header
	// (titleAboveHeader), or "".
	titleRow string
	// suggestLimit is LoadOptions.MaxRepeats: a column's category misses
	// after that many get no "did you mean" search, as their messages
	// are only counted (the search costs one edit distance per category).
	suggestLimit int
	// deferred is set on the loader of one piece of a parallel load:
	// checks across rows (unique values, primary keys) and problems are
	// recorded, to be replayed in file order by the main loader.
	deferred bool
	keyRecs  []keyRec
	seed     maphash.Seed
	// fast[k] says how fastCell reads field k's cells; noFast turns it off.
	fast   []fastField
	noFast bool
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
			// A file of 10^5 extra columns gets a few lines and a count,
			// not a warning per column.
			if len(unknown) <= maxIgnoredColumnWarnings {
				l.t.Warnings = append(l.t.Warnings, fmt.Sprintf("%s:%d: column %q (column %d) is not in the schema and is ignored", l.t.Source, line, elideValue(name), j+1))
			}
		case l.colOf[k] >= 0:
			l.ps.add(line, elideValue(name), j+1, "column %q appears twice, as columns %d and %d (expected each column once)", elideValue(name), l.colOf[k]+1, j+1)
		default:
			l.colOf[k] = j
		}
	}
	if n := len(unknown) - maxIgnoredColumnWarnings; n > 0 {
		l.t.Warnings = append(l.t.Warnings, fmt.Sprintf("%s:%d: … and %d more columns not in the schema are ignored (the last is column %d, %q)", l.t.Source, line, n, len(header), elideValue(header[len(header)-1])))
	}
	var missing, hints []string
	for k, f := range s.Fields {
		if l.colOf[k] < 0 {
			missing = append(missing, f.Name)
			for _, u := range unknown {
				switch {
				case len(hints) >= maxMessageList:
				case sameNameLoosely(u, f.Name):
					hints = append(hints, fmt.Sprintf("column %q differs from %s only in case or spaces (rename the column, or the field in the schema)", elideValue(u), f.Name))
				case len(suggestBounded(u, []string{f.Name})) > 0:
					hints = append(hints, fmt.Sprintf("is %q meant to be %s?", elideValue(u), f.Name))
				}
			}
		}
	}
	if len(missing) > 0 {
		noun := "column"
		if len(missing) > 1 {
			noun = "columns"
		}
		msg := fmt.Sprintf("missing %s %s (expected every column of the schema in the header)", noun, elideList(missing, ", "))
		tsv := len(header) == 1 && strings.Contains(header[0], "\t")
		if l.hint != "" && !tsv && 2*len(missing) > len(s.Fields) {
			// Not this schema's file at all: the caller's advice matters,
			// the list of absent columns and near-miss names do not.
			shown := missing
			if len(shown) > 5 {
				shown = append(slices.Clone(shown[:5]), "…")
			}
			msg = fmt.Sprintf("the header has %d of the schema's %d columns (missing %s); %s", len(s.Fields)-len(missing), len(s.Fields), strings.Join(shown, ", "), l.hint)
			hints = nil
		}
		if len(hints) > 0 {
			msg += "; " + strings.Join(hints, " ")
		}
		if tsv {
			msg += "; the file looks tab-separated: save it as CSV with commas or semicolons"
		}
		if l.hint != "" && !strings.Contains(msg, l.hint) {
			msg += "; " + l.hint
		}
		if l.titleRow != "" {
			// The list of missing columns would mislead: they are all
			// there, one row down.
			msg = fmt.Sprintf("row %d looks like a title (%q), not the header: the schema's columns are in row %d (expected the header in the first row: delete the title row)", line, elideValue(l.titleRow), line+1)
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
	l.missing = make([][]string, len(s.Fields))
	l.patterns = make([]*regexp.Regexp, len(s.Fields))
	l.dates = make([][]string, len(s.Fields))
	for k, f := range s.Fields {
		l.missing[k] = s.MissingValues
		if f.MissingValues != nil {
			l.missing[k] = f.MissingValues
		}
		if p := f.Constraints.Pattern; p != "" {
			re, err := compilePattern(p)
			if err != nil {
				l.ps.add(0, "", 0, "field %s: constraints.pattern %q is not a regular expression: %v", f.Name, p, err)
				return false
			}
			l.patterns[k] = re
		}
		if f.Type == TypeDate {
			layouts, err := dateLayout(f.Format)
			if err != nil {
				l.ps.add(0, "", 0, "field %s: format %q: %v", f.Name, f.Format, err)
				return false
			}
			l.dates[k] = layouts
		}
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
	l.fast = make([]fastField, len(s.Fields))
	for k, f := range s.Fields {
		if !l.noFast {
			l.fast[k] = l.fastFieldOf(k, f)
		}
		l.fast[k].pos = l.colOf[k]
	}
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
		if c != "" && c[0] > ' ' && c[0] < utf8.RuneSelf || strings.TrimSpace(c) != "" {
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
	cols := l.t.Columns[:len(l.fast)]
	for k := range l.fast {
		ff, col := &l.fast[k], cols[k]
		j := ff.pos
		if j < 0 {
			l.store(col, nan, "", true)
			continue
		}
		c := rec[j]
		// strings.TrimSpace, without the call for a cell that starts and
		// ends with a printable ASCII byte (a space, ASCII or not, cannot
		// be its first or last byte).
		if n := len(c); n == 0 || c[0] <= ' ' || c[0] >= utf8.RuneSelf || c[n-1] <= ' ' || c[n-1] >= utf8.RuneSelf {
			c = strings.TrimSpace(c)
		}
		if ff.kind != fastNone && l.fastCell(ff, col, c) {
			continue
		}
		l.cell(k, l.s.Fields[k], col, c, line, j+1)
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
	addKind := func(kind, msg string) { l.ps.addKind(kind, line, f.Name, colIndex, msg) }
	if contains(l.missing[k], cell) {
		if f.Constraints.Required {
			if cell == "" {
				add("empty cell (expected a value: this column is required)")
			} else {
				add("%q marks a missing value, but this column is required (expected a value)", elideValue(cell))
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
			msg := fmt.Sprintf("%q is not one of %s", elideValue(cell), elideCategoryValues(f))
			// A near spelling is a likely fix for a text code, not for a
			// number (0.7 is not a typo of 0.5).
			if f.Type == TypeString && l.ps.suggestFor(f.Name, l.suggestLimit) {
				if dym := didYouMean(cell, categoryCandidates(f)); dym != "" {
					msg += "; " + dym
				}
			}
			if looksMissing(cell) {
				msg += fmt.Sprintf(" (expected one of them, or %q listed in the schema's missingValues to read it as missing)", elideValue(cell))
			}
			addKind("category", msg)
			l.store(col, nan, "", true)
			return
		}
		v, key = float64(idx), f.Categories[idx].Value
		l.store(col, v, "", false)
	case f.IsNumeric():
		var msg, kind string
		v, msg, kind = readNumber(f, cell)
		if msg != "" && f.Role == RoleOutcome && (f.Type == TypeInteger || f.Type == TypeNumber) && !looksMissing(cell) {
			// "expected a whole number such as 12" misleads for the
			// outcome, which takes two values only.
			msg = fmt.Sprintf("%q is not a valid outcome (expected 1 for a case or 0 for a control)", elideValue(cell))
		}
		if msg != "" {
			addKind(kind, msg)
			l.store(col, nan, "", true)
			return
		}
		if l.enums[k] != nil || l.seen[k] != nil {
			key = formatNumber(v, f.Type)
		}
		l.store(col, v, "", false)
		if f.Role == RoleOutcome && v != 0 && v != 1 {
			add("%s is not a valid outcome (expected 1 for a case or 0 for a control)", elideValue(cell))
			return
		}
		if msg := l.boundProblem(k, f, v, cell); msg != "" {
			addKind("bound", msg)
			return
		}
	default:
		key = cell
		if msg, kind := l.textProblem(k, f, cell); msg != "" {
			addKind(kind, msg)
			l.store(col, nan, "", true)
			return
		}
		l.store(col, nan, cell, false)
	}

	if e := l.enums[k]; e != nil && !e[key] {
		allowed := make([]string, len(f.Constraints.EnumRaw))
		for i, x := range f.Constraints.EnumRaw {
			allowed[i] = anyToString(x)
		}
		shown := strconv.Quote(elideValue(cell))
		if f.IsNumeric() {
			shown = elideValue(cell)
		}
		add("%s is not allowed (expected %s)", shown, orListBounded(allowed))
	}
	if seen := l.seen[k]; seen != nil {
		if l.deferred {
			l.ps.events = append(l.ps.events, event{op: evUnique, field: k, key: key, cell: cell, row: line, col: f.Name, colIndex: colIndex})
			return
		}
		l.checkUnique(seen, key, cell, line, f.Name, colIndex)
	}
}

// fastKind is how fastCell reads the cells of a field.
type fastKind uint8

const (
	fastNone     fastKind = iota // every cell goes to cell
	fastNumber                   // a number field in the default notation
	fastInteger                  // an integer or year field in the default notation
	fastCategory                 // a categorical field of a few categories
	fastString                   // a text field without constraints on the text
)

// fastField is what fastCell needs to know of one field, worked out once
// per load (readHeader).
type fastField struct {
	kind fastKind
	// pos is the field's column in the file (loader.colOf), or -1.
	pos  int
	cons *Constraints
	// missFirst has bit b set when a missing-value marker starts with
	// byte b: a cell starting with one may be missing and goes to cell.
	missFirst [4]uint64
	outcome   bool
	// enum, when the field has an enum, holds the bits of its values as
	// numbers: a value among them is allowed (its key is theirs).
	enum     []uint64
	hasEnum  bool
	cats     []string // category values, in schema order
	hasRange bool
}

// fastFieldOf decides how fastCell reads field k. Fields it cannot read
// exactly as cell does (unique values, patterns, dates, booleans, long
// category lists, custom number notations) get fastNone.
func (l *loader) fastFieldOf(k int, f *Field) fastField {
	ff := fastField{outcome: f.Role == RoleOutcome, cons: &f.Constraints}
	for _, m := range l.missing[k] {
		if m != "" {
			ff.missFirst[m[0]>>6] |= 1 << (m[0] & 63)
		}
	}
	c := f.Constraints
	ff.hasRange = c.Minimum != nil || c.Maximum != nil || c.ExclusiveMinimum != nil || c.ExclusiveMaximum != nil
	if l.seen[k] != nil {
		return fastField{}
	}
	custom := f.DecimalChar != "" && f.DecimalChar != "." || f.GroupChar != "" || f.BareNumber != nil && !*f.BareNumber
	switch {
	case f.IsCategorical():
		if len(f.Categories) > smallCategoryList || l.enums[k] != nil {
			return fastField{}
		}
		ff.kind = fastCategory
		ff.cats = categoryValues(f)
	case f.IsNumeric() && !custom && (f.Type == TypeNumber || f.Type == TypeInteger || f.Type == TypeYear):
		ff.kind = fastInteger
		if f.Type == TypeNumber {
			ff.kind = fastNumber
		}
		if l.enums[k] != nil {
			ff.hasEnum = true
			for _, v := range c.EnumRaw {
				if x, ok := enumNumber(f, v); ok {
					ff.enum = append(ff.enum, math.Float64bits(x))
				}
			}
		}
	case f.Type == TypeString && l.patterns[k] == nil && l.dates[k] == nil && c.MinLength == nil && c.MaxLength == nil && l.enums[k] == nil:
		ff.kind = fastString
	default:
		return fastField{}
	}
	return ff
}

// fastCell stores a cell that is valid as it stands, with exactly the
// effect cell would have, and reports true; it reports false, having
// changed nothing, for anything else (a possible missing value, a
// problem, a value needing a check it does not make), which then goes to
// cell. Most cells of a large file are plain values: this reads them in
// one pass, where cell would test, parse and look them up in turn.
func (l *loader) fastCell(ff *fastField, col *Column, c string) bool {
	if c == "" || ff.missFirst[c[0]>>6]&(1<<(c[0]&63)) != 0 {
		return false
	}
	switch ff.kind {
	case fastNumber, fastInteger:
		var v float64
		var ok bool
		if ff.kind == fastNumber {
			v, ok = scanDecimal(c)
		} else {
			v, ok = scanInteger(c)
		}
		if !ok || ff.outcome && v != 0 && v != 1 || ff.hasRange && !inRange(ff.cons, v) {
			return false
		}
		if ff.hasEnum && !slices.Contains(ff.enum, math.Float64bits(v)) {
			return false
		}
		l.store(col, v, "", false)
	case fastCategory:
		i := slices.Index(ff.cats, c)
		if i < 0 {
			return false
		}
		l.store(col, float64(i), "", false)
	case fastString:
		l.store(col, nan, c, false)
	}
	return true
}

// inRange is the negation of boundProblem's test.
func inRange(c *Constraints, v float64) bool {
	low := (c.Minimum != nil && v < *c.Minimum) || (c.ExclusiveMinimum != nil && v <= *c.ExclusiveMinimum)
	high := (c.Maximum != nil && v > *c.Maximum) || (c.ExclusiveMaximum != nil && v >= *c.ExclusiveMaximum)
	return !low && !high
}

// checkUnique reports a value seen before in a unique column, or notes
// where it was first seen.
func (l *loader) checkUnique(seen map[string]int, key, cell string, line int, col string, colIndex int) {
	if first, dup := seen[key]; dup {
		l.ps.add(line, col, colIndex, "duplicate value %q (first at row %d; values in this column must be unique)", elideValue(cell), first)
	} else {
		seen[key] = line
	}
}

// textProblem checks a text or date cell against the field's format and
// its minLength, maxLength and pattern constraints. It returns the
// message and the kind of problem, or "".
func (l *loader) textProblem(k int, f *Field, cell string) (msg, kind string) {
	if layouts := l.dates[k]; layouts != nil && !parsesAsDate(cell, layouts) {
		return fmt.Sprintf("%q is not a date (expected %s)", elideValue(cell), dateExpectation(f.Format, layouts)), "date"
	}
	c := f.Constraints
	n := utf8.RuneCountInString(cell)
	switch {
	case c.MinLength != nil && n < *c.MinLength:
		return fmt.Sprintf("%q has %d characters (expected at least %d)", elideValue(cell), n, *c.MinLength), "minLength"
	case c.MaxLength != nil && n > *c.MaxLength:
		return fmt.Sprintf("%q has %d characters (expected at most %d)", elideValue(cell), n, *c.MaxLength), "maxLength"
	case l.patterns[k] != nil && !l.patterns[k].MatchString(cell):
		return fmt.Sprintf("%q does not match the pattern %s (expected a value such as the schema's constraints.pattern describes)", elideValue(cell), elideValue(c.Pattern)), "pattern"
	}
	return "", ""
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
	return fmt.Sprintf("%s %s (expected %s)", elideValue(cell), what, l.ranges[k])
}

// checkKey reports a missing or repeated primary key on the row just stored.
func (l *loader) checkKey(line int) {
	i := len(l.t.Lines) - 1
	var key string
	if len(l.pk) == 1 {
		// The common case needs no slice and no join.
		col := l.t.Columns[l.pk[0]]
		if col.Missing[i] {
			l.missingKey(col.Field, l.pk[0], line)
			return
		}
		key = col.Value(i)
	} else {
		parts := make([]string, len(l.pk))
		for n, k := range l.pk {
			col := l.t.Columns[k]
			if col.Missing[i] {
				l.missingKey(col.Field, k, line)
				return
			}
			parts[n] = col.Value(i)
		}
		key = strings.Join(parts, "\x00")
	}
	if l.deferred {
		l.keyRecs = append(l.keyRecs, keyRec{line: line, key: key, hash: maphash.String(l.seed, key)})
		return
	}
	first, dup := l.keys[key]
	if !dup {
		l.keys[key] = line
		return
	}
	l.duplicateKey(key, line, first)
}

func (l *loader) missingKey(f *Field, k, line int) {
	if !f.Constraints.Required && l.colOf[k] >= 0 {
		l.ps.add(line, f.Name, l.colOf[k]+1, "missing key (expected a value: %s is the primary key)", strings.Join(l.s.PrimaryKey, ", "))
	}
}

// duplicateKey reports key (its parts joined by NUL, which a loaded file
// never contains) at line, first seen at line first.
func (l *loader) duplicateKey(key string, line, first int) {
	parts := strings.Split(key, "\x00")
	k0 := l.pk[0]
	shown := make([]string, len(parts))
	for n, p := range parts {
		shown[n] = strconv.Quote(elideValue(p))
	}
	l.ps.add(line, l.s.Fields[k0].Name, l.colOf[k0]+1, "duplicate key %s (first at row %d)", strings.Join(shown, ", "), first)
}

// csvProblem reports a quoting error found by encoding/csv.
func (l *loader) csvProblem(pe *csv.ParseError) {
	if l.lastLine == 0 {
		l.lastLine = 1 + strings.Count(strings.TrimRight(l.text, "\r\n"), "\n")
	}
	csvProblem(l.ps, pe, l.lastLine)
}

// csvProblem reports a quoting error found by encoding/csv; lastLine is
// the number of the file's last line.
func csvProblem(ps *problems, pe *csv.ParseError, lastLine int) {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		ps.add(pe.Line, "", 0, `a quote mark (") inside a value that does not start with one (expected the whole value in quotes, with "" for each quote mark inside it)`)
	case errors.Is(pe.Err, csv.ErrQuote):
		msg := `a quoted value is not closed, or has text after its closing quote (expected "..." around the whole value, with "" for each quote mark inside it)`
		switch {
		case pe.Line >= lastLine:
			msg += "; the quote runs on to the end of the file"
		case pe.Line != pe.StartLine:
			msg = fmt.Sprintf("%s; the quote runs on to line %d", msg, pe.Line)
		}
		ps.addKind("quote", pe.StartLine, "", 0, msg)
	default:
		ps.add(pe.Line, "", 0, "cannot read this line as CSV: %v", pe.Err)
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
	hexNumber    = regexp.MustCompile(`^[+-]?0[xX][0-9a-fA-F]+$`)
	percent      = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]*)?%$`)
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

// parseInteger is strconv.ParseInt(s, 10, 64) for text isIntegerText
// accepted, without its generality where the digits cannot overflow.
func parseInteger(s string) (int64, error) {
	if len(s) > 18 {
		return strconv.ParseInt(s, 10, 64)
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = 10*n + int64(s[i]-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseDecimal is strconv.ParseFloat(s, 64) for text isDecimalText
// accepted. A plain decimal of at most 15 digits is an integer m below
// 2^53 over 10^k with k ≤ 22, both exact in a float64, and one IEEE
// division rounds m / 10^k correctly, so the result is ParseFloat's
// (Clinger's fast path); anything else goes to ParseFloat.
func parseDecimal(s string) (float64, error) {
	if x, ok := scanDecimal(s); ok {
		return x, nil
	}
	return strconv.ParseFloat(s, 64) // an exponent, or more than 15 digits
}

// scanDecimal is readNumber for a number field in the default notation
// where the text is a plain decimal of at most 15 digits ([+-]d.d, either
// side of the point may be empty): it tests and parses in one pass and
// computes what parseDecimal computes, so the value is strconv's. ok is
// false for any other text, which readNumber then reads or reports.
func scanDecimal(s string) (x float64, ok bool) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg, i = s[0] == '-', 1
	}
	var m uint64
	nd, frac, dot := 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			m = 10*m + uint64(c-'0')
			nd++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if nd == 0 || nd > 15 {
		return 0, false
	}
	x = float64(m) / pow10[frac]
	if neg {
		x = -x
	}
	return x, true
}

// scanInteger is readNumber for an integer or year field in the default
// notation where the text is a sign and at most 15 digits (below 2^53,
// so exact); ok is false for any other text.
func scanInteger(s string) (x float64, ok bool) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg, i = s[0] == '-', 1
	}
	if n := len(s) - i; n == 0 || n > 15 {
		return 0, false
	}
	var n int64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = 10*n + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return float64(n), true
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
	v, msg, _ := readNumber(f, cell)
	return v, msg
}

// Default boolean spellings (Table Schema). Without trueValues and
// falseValues ccstudy also accepts them in any case ("tRUE").
var (
	defaultTrueValues  = []string{"true", "True", "TRUE", "1"}
	defaultFalseValues = []string{"false", "False", "FALSE", "0"}
)

// decimalMark is the decimal mark of a number field ("." by default).
func decimalMark(f *Field) string {
	if f.DecimalChar != "" {
		return f.DecimalChar
	}
	return "."
}

// numberText undoes the field's number notation: it drops the text
// around the number when bareNumber is false, removes groupChar and
// turns decimalChar into ".". ok is false when a "." appears in a field
// whose decimal mark is something else, which would otherwise be misread.
func numberText(f *Field, cell string) (text string, ok bool) {
	text = cell
	if f.BareNumber != nil && !*f.BareNumber {
		text = strings.TrimFunc(text, func(r rune) bool { return !unicode.IsDigit(r) && r != '-' && r != '+' && string(r) != decimalMark(f) })
		text = strings.TrimRightFunc(text, func(r rune) bool { return !unicode.IsDigit(r) })
	}
	if f.GroupChar != "" {
		text = strings.ReplaceAll(text, f.GroupChar, "")
	}
	if dm := decimalMark(f); dm != "." && f.Type == TypeNumber {
		if strings.Contains(text, ".") {
			return text, false
		}
		text = strings.Replace(text, dm, ".", 1)
	}
	return text, true
}

// numberExample writes 1234.5 in the field's notation.
func numberExample(f *Field) string {
	if f.GroupChar != "" {
		return "1" + f.GroupChar + "234" + decimalMark(f) + "5"
	}
	return "12" + decimalMark(f) + "5"
}

// missingSpellings are the markers spreadsheets and statistics packages
// write for a missing value (Excel's #N/A, SPSS's ".", SAS's "."); a cell
// holding one that the schema does not list gets that fix suggested.
var missingSpellings = []string{"na", "n/a", "n.a.", "#n/a", "null", "nil", "none", "missing", "unknown", "-", "--", ".", "?"}

func looksMissing(cell string) bool { return slices.Contains(missingSpellings, strings.ToLower(cell)) }

// readNumber reads a non-missing, trimmed cell of a numeric or boolean
// field. On failure it returns a message and the kind of problem (so the
// same problem on many rows can be summarized).
func readNumber(f *Field, cell string) (v float64, msg, kind string) {
	custom := f.DecimalChar != "" && f.DecimalChar != "." || f.GroupChar != "" || f.BareNumber != nil && !*f.BareNumber
	switch f.Type {
	case TypeInteger, TypeYear:
		text := cell
		if f.Type == TypeInteger {
			text, _ = numberText(f, cell)
		}
		if !isIntegerText(text) {
			switch {
			case f.Type == TypeYear:
				return 0, fmt.Sprintf("%q is not a year (expected a whole number such as 2015)", elideValue(cell)), "year"
			case isDecimalText(text):
				return 0, fmt.Sprintf("%q is not a whole number (expected an integer such as 12)", elideValue(cell)), "whole"
			case custom:
				return 0, fmt.Sprintf("%q is not an integer (expected a whole number such as 1%s234)", elideValue(cell), f.GroupChar), "integer"
			case looksMissing(cell):
				return 0, fmt.Sprintf("%q is not an integer (expected a whole number, or %q listed in the schema's missingValues to read it as missing)", elideValue(cell), elideValue(cell)), "integer"
			case thousands.MatchString(cell):
				return 0, fmt.Sprintf("%q is not an integer (expected no thousands separators: %s)", elideValue(cell), elideValue(strings.ReplaceAll(cell, ",", ""))), "thousands"
			}
			return 0, fmt.Sprintf("%q is not an integer (expected a whole number such as 12)", elideValue(cell)), "integer"
		}
		n, err := parseInteger(text)
		if err != nil || n > maxExactInteger || n < -maxExactInteger {
			return 0, fmt.Sprintf("%q is too large (expected an integer of at most 15 digits)", elideValue(cell)), "large"
		}
		return float64(n), "", ""
	case TypeNumber:
		text, ok := numberText(f, cell)
		switch {
		case !ok:
			return 0, fmt.Sprintf("%q is not a number (expected %q as the decimal mark, as the field's decimalChar says, such as %s)", elideValue(cell), decimalMark(f), numberExample(f)), "mark"
		case isDecimalText(text):
		case nonFinite.MatchString(text):
			return 0, fmt.Sprintf("%q is not a finite number (expected a number; leave the cell empty or write NA if the value is missing)", elideValue(cell)), "finite"
		case custom:
			return 0, fmt.Sprintf("%q is not a number (expected a number such as %s)", elideValue(cell), numberExample(f)), "number"
		case decimalComma.MatchString(cell) && thousands.MatchString(cell):
			return 0, fmt.Sprintf("%q is not a number (expected a decimal point and no thousands separator: %s or %s; or declare \"decimalChar\" or \"groupChar\" in the schema)", elideValue(cell), elideValue(strings.Replace(cell, ",", "", 1)), elideValue(elideValue(strings.Replace(cell, ",", ".", 1)))), "comma"
		case decimalComma.MatchString(cell):
			return 0, fmt.Sprintf("%q is not a number (expected a decimal point, not a comma: %s)", elideValue(cell), elideValue(strings.Replace(cell, ",", ".", 1))), "comma"
		case thousands.MatchString(cell):
			return 0, fmt.Sprintf("%q is not a number (expected no thousands separators: %s)", elideValue(cell), elideValue(strings.ReplaceAll(cell, ",", ""))), "thousands"
		case looksMissing(cell):
			return 0, fmt.Sprintf("%q is not a number (expected a number, or %q listed in the schema's missingValues to read it as missing)", elideValue(cell), elideValue(cell)), "number"
		case hexNumber.MatchString(cell):
			// R's type.convert would read 0x1F as 31; a hexadecimal cell
			// in a study's data is far likelier an ID or a typo.
			return 0, fmt.Sprintf("%q is not a number (expected a decimal number such as 12.5, not hexadecimal)", elideValue(cell)), "number"
		case percent.MatchString(cell):
			return 0, fmt.Sprintf("%q is not a number (expected the number without %%: %s, or the proportion)", elideValue(cell), elideValue(strings.TrimSuffix(cell, "%"))), "number"
		default:
			return 0, fmt.Sprintf("%q is not a number (expected a number such as 12.5)", elideValue(cell)), "number"
		}
		x, err := parseDecimal(text)
		if err != nil || math.IsInf(x, 0) {
			return 0, fmt.Sprintf("%q is too large to be a number here (expected a finite number)", elideValue(cell)), "large"
		}
		return x, "", ""
	case TypeBoolean:
		if f.TrueValues == nil && f.FalseValues == nil {
			switch strings.ToLower(cell) {
			case "true", "1":
				return 1, "", ""
			case "false", "0":
				return 0, "", ""
			}
			return 0, fmt.Sprintf("%q is not a boolean (expected true, false, 1 or 0; for other spellings such as Yes/No declare trueValues and falseValues)", elideValue(cell)), "boolean"
		}
		trues, falses := f.TrueValues, f.FalseValues
		if trues == nil {
			trues = defaultTrueValues
		}
		if falses == nil {
			falses = defaultFalseValues
		}
		switch {
		case contains(trues, cell):
			return 1, "", ""
		case contains(falses, cell):
			return 0, "", ""
		}
		all := make([]string, 0, len(trues)+len(falses))
		for _, v := range append(append([]string{}, trues...), falses...) {
			all = append(all, strconv.Quote(v))
		}
		msg := fmt.Sprintf("%q is not one of the field's trueValues and falseValues (expected %s)", elideValue(cell), orListBounded(all))
		if sg := suggestBounded(cell, append(append([]string{}, trues...), falses...)); len(sg) > 0 {
			msg += "; did you mean " + orList(sg) + "?"
		}
		return 0, msg, "boolean"
	}
	return 0, fmt.Sprintf("%q: a %s field is not numeric", elideValue(cell), f.Type), "type"
}

// dateLayout turns a Table Schema date format into Go time layouts:
// "default" (or none) is ISO 8601 YYYY-MM-DD; "any" also takes
// YYYY/M/D, YYYY.M.D, YYYYMMDD, "2 Jan 2006", "Jan 2, 2006" and
// 2006年1月2日 (never D/M/Y or M/D/Y, which cannot be told apart); a
// pattern uses strftime directives (%Y %y %m %d %b %B %H %M %S %%).
func dateLayout(format string) ([]string, error) {
	switch format {
	case "", "default":
		return []string{"2006-01-02"}, nil
	case "any":
		return []string{"2006-01-02", "2006-1-2", "2006/1/2", "2006.1.2", "20060102", "2 Jan 2006", "2 January 2006", "Jan 2, 2006", "January 2, 2006", "2006年1月2日"}, nil
	}
	var b strings.Builder
	directives := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c >= '0' && c <= '9' {
			return nil, fmt.Errorf("a digit in the pattern (expected strftime directives such as %%Y-%%m-%%d and separators)")
		}
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(format) {
			return nil, fmt.Errorf("the pattern ends with %% (expected a directive after it, such as %%Y)")
		}
		i++
		layout, ok := map[byte]string{'Y': "2006", 'y': "06", 'm': "1", 'd': "2", 'b': "Jan", 'B': "January", 'H': "15", 'M': "4", 'S': "5", '%': "%"}[format[i]]
		if !ok {
			return nil, fmt.Errorf("%%%c is not a directive ccstudy reads (expected %%Y %%y %%m %%d %%b %%B %%H %%M %%S)", format[i])
		}
		if format[i] != '%' {
			directives++
		}
		b.WriteString(layout)
	}
	if directives == 0 {
		return nil, fmt.Errorf(`no strftime directive (expected "default", "any" or a pattern such as "%%d/%%m/%%Y")`)
	}
	return []string{b.String()}, nil
}

func parsesAsDate(cell string, layouts []string) bool {
	for _, l := range layouts {
		if _, err := time.Parse(l, cell); err == nil {
			return true
		}
	}
	return false
}

// dateExpectation describes the accepted dates with an example.
func dateExpectation(format string, layouts []string) string {
	ex := time.Date(2020, 1, 31, 0, 0, 0, 0, time.UTC)
	switch format {
	case "", "default":
		return "YYYY-MM-DD, such as 2020-01-31"
	case "any":
		return "a date with the year first, such as 2020-01-31 or 2020/1/31"
	}
	return fmt.Sprintf("a date as %s, such as %s", format, ex.Format(layouts[0]))
}

// sameNameLoosely reports whether two column names differ only in case,
// spaces, underscores, hyphens or dots ("Birth Weight", "birth_weight").
func sameNameLoosely(a, b string) bool {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '_' || r == '-' || r == '.' {
				return -1
			}
			return unicode.ToLower(r)
		}, s)
	}
	return a != b && norm(a) != "" && norm(a) == norm(b)
}

// Encodings are the names LoadOptions.Encoding accepts, as a flag's help
// would list them.
var Encodings = []string{"utf-8", "gbk", "gb18030"}

// normalEncoding maps an encoding name to "utf-8" or "gb18030", or "".
func normalEncoding(name string) string {
	n := strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(name)))
	switch n {
	case "", "utf8":
		return "utf-8"
	case "gbk", "gb18030", "gb2312", "cp936":
		return "gb18030"
	}
	return ""
}

// CheckEncoding reports whether Load reads the encoding name.
func CheckEncoding(name string) error {
	if normalEncoding(name) == "" {
		return fmt.Errorf("unknown encoding %q (expected %s)", name, orList(Encodings))
	}
	return nil
}

// decodeText turns the raw bytes into UTF-8 text without a byte-order
// mark. It returns nil text when the bytes cannot be read (the problem
// is in ps), a warning worth passing on, and an error for an unknown
// encoding name.
func decodeText(raw []byte, encoding string, ps *problems) (text []byte, warning string, err error) {
	enc := normalEncoding(encoding)
	if enc == "" {
		return nil, "", CheckEncoding(encoding)
	}
	if msg := binaryProblem(raw); msg != "" {
		ps.add(0, "", 0, "%s", msg)
		return nil, "", nil
	}
	bom := []byte("\xEF\xBB\xBF")
	switch {
	case enc != "gb18030":
	case bytes.HasPrefix(raw, bom):
		enc, warning = "utf-8", "read as UTF-8, not GB18030: the file starts with a UTF-8 byte-order mark"
	case utf8.Valid(raw) && bytes.ContainsFunc(raw, func(r rune) bool { return r >= utf8.RuneSelf }):
		// Chinese text in GBK is almost never valid UTF-8 by chance, so
		// this file is UTF-8 whatever was declared.
		enc, warning = "utf-8", "read as UTF-8, not GB18030: the file is valid UTF-8 text"
	}
	if enc == "utf-8" {
		if msg := utf8Problem(raw); msg != "" {
			ps.add(0, "", 0, "%s", msg)
			return nil, "", nil
		}
		return crOnlyToLF(bytes.TrimPrefix(raw, bom)), warning, nil
	}
	dec := simplifiedchinese.GB18030.NewDecoder()
	line := 1
	var out bytes.Buffer
	for rest := raw; len(rest) > 0; line++ {
		l, after, _ := bytes.Cut(rest, []byte("\n"))
		d, err := dec.Bytes(l)
		if err != nil || bytes.ContainsRune(d, utf8.RuneError) {
			ps.add(0, "", 0, "not GB18030/GBK text (the first bytes that are not are on line %d; check the file's encoding, or convert with iconv -f ENCODING -t UTF-8)", line)
			return nil, "", nil
		}
		out.Write(d)
		if len(after) > 0 || bytes.HasSuffix(rest, []byte("\n")) {
			out.WriteByte('\n')
		}
		rest = after
	}
	return crOnlyToLF(out.Bytes()), warning, nil
}

// crOnlyToLF reads a file whose lines end in a bare CR (classic Mac OS,
// and Excel for Mac's "CSV (Macintosh)") as R's read.csv does: each CR
// ends a line. encoding/csv would take the whole file for one header
// line. A file with any LF is left alone, its CRs being CRLF ends or data.
func crOnlyToLF(text []byte) []byte {
	if bytes.IndexByte(text, '\n') >= 0 || bytes.IndexByte(text, '\r') < 0 {
		return text
	}
	return bytes.ReplaceAll(text, []byte("\r"), []byte("\n"))
}

// sniffDelimiter picks ';' only when the header line has no ',' outside
// quotes and has a ';' (the CSV that Excel writes where the decimal mark
// is a comma); otherwise ','.
func sniffDelimiter[T string | []byte](text T) rune {
	inQuotes := false
	commas, semis := 0, 0
	for i := 0; i < len(text); i++ {
		b := text[i]
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

// binaryProblem says why raw is not text at all (a workbook, UTF-16,
// NUL bytes), or "".
func binaryProblem(raw []byte) string {
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
	}
	return ""
}

// utf8Problem says why raw is not UTF-8 text, or "".
func utf8Problem(raw []byte) string {
	const resave = `re-save as "CSV UTF-8"`
	if utf8.Valid(raw) {
		return ""
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw); err == nil && !bytes.ContainsRune(out, utf8.RuneError) && pairedHighBytes(raw) {
		return "not UTF-8 text (it looks like GBK/GB18030, as Excel on Chinese Windows saves CSV; " + resave + " or convert with iconv -f GB18030 -t UTF-8)"
	}
	line := 1 + bytes.Count(raw[:firstInvalidUTF8(raw)], []byte("\n"))
	return fmt.Sprintf("not UTF-8 text (the first byte that is not UTF-8 is on line %d; %s or convert with iconv -f ENCODING -t UTF-8)", line, resave)
}

// pairedHighBytes reports whether every run of non-ASCII bytes in raw has
// an even length, as GB2312 Chinese text has (two bytes from 0xA1 up per
// character). GB18030 decodes almost any bytes, Latin-1 "d\xe9vice"
// included (as "d関ice"), so decoding alone cannot tell GBK from a
// Western encoding; a lone é between ASCII letters can.
func pairedHighBytes(raw []byte) bool {
	run := 0
	for _, b := range raw {
		if b >= 0x80 {
			run++
			continue
		}
		if run%2 != 0 {
			return false
		}
		run = 0
	}
	return run%2 == 0
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
