package dataset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// InferOptions tunes Infer.
type InferOptions struct {
	// Name is the schema's name (and draft title), usually the file's
	// base name.
	Name string
	// Outcome names the outcome field; "" lets Infer guess it from a
	// two-valued column named like an outcome.
	Outcome string
	// Encoding is the file's text encoding, as in LoadOptions.
	Encoding string
	// Sheet picks the sheet of an xlsx file, as in LoadOptions.
	Sheet string
	// MaxLevels is the most distinct values a text column may have to be
	// read as categorical (0 means DefaultMaxLevels).
	MaxLevels int
	// MaxCodes is the most distinct values an integer column may have to
	// be offered as categories (0 means DefaultMaxCodes; negative never).
	MaxCodes int
}

// Defaults of InferOptions.
const (
	DefaultMaxLevels = 20
	DefaultMaxCodes  = 10
)

// Inferred is a draft schema and what Infer guessed to make it.
type Inferred struct {
	Schema *Schema `json:"schema"`
	// Rows is the number of data rows read.
	Rows int `json:"rows"`
	// Outcome is the outcome field, "" when none was given or guessed;
	// OutcomeGuessed says it was guessed, not given.
	Outcome        string `json:"outcome,omitempty"`
	OutcomeGuessed bool   `json:"outcome_guessed,omitempty"`
	// Notes say what the user should check, one line each.
	Notes []string `json:"notes"`
}

// The missing-value markers Infer looks for. The first four mean
// "missing" wherever they appear; "." and "-" (SAS and Stata's missing,
// and a common placeholder) only in a column whose other values are
// numbers, dates or booleans, since in a text column they may be data.
var (
	alwaysMissing   = []string{"", "NA", "N/A", "NaN"}
	numericMissing  = []string{".", "-"}
	inferredMarkers = []string{"", "NA", "N/A", ".", "-", "NaN"}
)

// booleanWords are the pairs of words Infer reads as a boolean (compared
// without case); 0/1 stays an integer, as in Frictionless.
var booleanWords = [][2][]string{
	{{"true"}, {"false"}},
	{{"yes"}, {"no"}},
	{{"y"}, {"n"}},
	{{"t"}, {"f"}},
	{{"是"}, {"否"}},
}

// eventWords name the case level of a two-level outcome (lower case).
var eventWords = []string{"yes", "y", "true", "case", "cases", "positive", "pos", "event", "dead", "died", "death", "deceased", "disease", "diseased", "affected", "ill", "sick", "是", "有", "病例", "阳性", "死亡"}

// outcomeWords make a column name look like an outcome: the whole name,
// or one of its words ("case_status").
var outcomeWords = []string{"case", "cases", "outcome", "y", "status", "event", "response", "casecontrol", "cc", "病例", "结局", "状态"}

// idWords make a column name look like an identifier.
var idWords = []string{"id", "code", "key", "uid", "uuid", "编号", "序号", "编码"}

// strataWords make a column name look like the matched-set identifier.
var strataWords = []string{"stratum", "strata", "matchset", "matched", "set", "pair", "matchid"}

// Infer reads a CSV (as Load does: UTF-8 with or without a BOM, or the
// encoding in opts; ',' or ';'; cells trimmed) and drafts a Table Schema
// that loads it. It never fails on the values themselves, only on a file
// that is not CSV (see InferRecords for the rules).
func Infer(r io.Reader, source string, opts InferOptions) (*Inferred, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: reading: %w", source, err)
	}
	if format := DetectFormat(source, raw); format != formatCSV {
		return inferForeign(format, raw, source, opts) // xlsx, Parquet
	}
	ps := newProblems(source, DefaultMaxProblems)
	text, warning, err := decodeText(raw, opts.Encoding, ps)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if text == nil {
		return nil, ps.err()
	}
	if len(bytes.TrimSpace(text)) == 0 {
		ps.add(0, "", 0, "empty file (expected a header row with the column names)")
		return nil, ps.err()
	}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = sniffDelimiter(text)
	cr.FieldsPerRecord = -1
	lastLine := 1 + bytes.Count(bytes.TrimRight(text, "\r\n"), []byte("\n"))
	header, err := cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			csvProblem(ps, pe, lastLine)
		} else {
			ps.add(0, "", 0, "empty file (expected a header row with the column names)")
		}
		return nil, ps.err()
	}
	var rows [][]string
	var lines []int
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
			csvProblem(ps, pe, lastLine)
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) && !blankRecord(rec) {
			ps.add(line, "", 0, "%d values, but the header has %d columns (expected one value per column; a value containing %q must be in quotes)", len(rec), len(header), string(cr.Comma))
			continue
		}
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	inf, err := inferRecords(header, rows, lines, cr.Comma, source, opts)
	if err != nil {
		return nil, err
	}
	if warning != "" {
		inf.Notes = append([]string{warning}, inf.Notes...)
	}
	return inf, nil
}

// InferRecords drafts a Table Schema for a header and its rows (cells
// are trimmed, as Load reads them). Unlike Frictionless's infer, which
// samples 100 rows and takes a type when 90% of them fit, it reads every
// row and requires every value to fit, so the draft loads the data it
// came from. Beyond Frictionless it finds missing-value markers,
// categories, the id, the outcome and the roles:
//
//   - Missing values: "", NA, N/A and NaN where they appear; "." and "-"
//     only in columns whose other values are not text.
//   - Types, tried in Frictionless's order: date (YYYY-MM-DD, or
//     YYYY/M/D as "%Y/%m/%d"), integer (without leading zeros, which
//     codes keep), number (with decimalChar "," in a ';' file, or
//     groupChar "," when the values are written 1,234.5), boolean
//     (true/false, yes/no, y/n, t/f or 是/否 in any case, spelt out in
//     trueValues and falseValues unless they are Table Schema's
//     defaults), and string. 0/1 stays an integer with enum [0, 1].
//   - Categories: a text column with 2 to MaxLevels distinct values, each
//     seen twice on average, lists them all; an integer column with 3 to
//     MaxCodes distinct values is offered its codes as categories (delete
//     them to analyse it as a number). Levels are ordered most frequent
//     first, ties by first appearance, so the first — the reference level
//     of the analyses — is the most common.
//   - The id: the first column named like an id (id, …_id, …ID, code,
//     key, 编号, 序号) whose values are all present and distinct; it gets
//     role id, required and unique, and is the primaryKey. A column named
//     like an id whose values repeat is described, not analysed.
//   - The outcome: opts.Outcome, or else a guess: the first two-valued
//     column (0/1, boolean or two levels) whose name, or a word of it, is
//     case, outcome, y, status, event, response, 病例, 结局 or 状态,
//     preferring a whole-name match. The guess is said in the field's
//     description and in Notes. A two-level outcome gets "event": the
//     level named like a case (yes, case, positive, dead, 是, …), else
//     the less frequent one.
//   - Roles: covariate for numbers, booleans and categorical fields;
//     description for free text, dates, constant columns, unique text
//     (names, labels) and a column named like a matched set (stratum,
//     set, pair), which belongs in --strata rather than in the model.
//
// A column without a name (R's row names) is left out, as Load ignores
// it. Duplicate column names are an error.
func InferRecords(header []string, rows [][]string, source string, opts InferOptions) (*Inferred, error) {
	lines := make([]int, len(rows))
	for i := range lines {
		lines[i] = i + 2
	}
	return inferRecords(header, rows, lines, ',', source, opts)
}

// inferColumn collects what Infer needs about one column.
type inferColumn struct {
	name  string
	index int // position in the file
	// levels are the distinct non-missing values in order of first
	// appearance, counts their frequencies.
	levels []string
	counts map[string]int
	n      int // non-missing cells
	// markers counts the missing-value markers seen; numericMarkers
	// records that "." and "-" were taken as missing here.
	markers        map[string]int
	markerAsValue  map[string]bool
	field          *Field
	binary         string // "01", "boolean", "two" or ""
	idLike, unique bool
	notes          []string
}

func inferRecords(header []string, rows [][]string, lines []int, comma rune, source string, opts InferOptions) (*Inferred, error) {
	if opts.MaxLevels == 0 {
		opts.MaxLevels = DefaultMaxLevels
	}
	if opts.MaxCodes == 0 {
		opts.MaxCodes = DefaultMaxCodes
	}
	inf := &Inferred{Notes: []string{}}
	ps := newProblems(source, DefaultMaxProblems)
	var cols []*inferColumn
	seen := map[string]int{}
	for j, h := range header {
		name := strings.TrimSpace(h)
		switch {
		case name == "":
			inf.Notes = append(inf.Notes, fmt.Sprintf("column %d has no name (R's row names?) and is left out, as the loader ignores it", j+1))
			continue
		case seen[name] > 0:
			ps.add(1, name, j+1, "column %q appears twice, as columns %d and %d (expected each column once: rename one)", name, seen[name], j+1)
			continue
		}
		seen[name] = j + 1
		cols = append(cols, &inferColumn{name: name, index: j, counts: map[string]int{}, markers: map[string]int{}, markerAsValue: map[string]bool{}})
	}
	for i, rec := range rows {
		if blankRecord(rec) {
			inf.Notes = append(inf.Notes, fmt.Sprintf("row %d is empty: the loader refuses empty rows, so delete it", lines[i]))
			continue
		}
		if len(rec) != len(header) {
			ps.add(lines[i], "", 0, "%d values, but the header has %d columns (expected one value per column)", len(rec), len(header))
			continue
		}
		inf.Rows++
		for _, c := range cols {
			c.add(strings.TrimSpace(rec[c.index]))
		}
	}
	if inf.Rows == 0 && ps.count() == 0 {
		ps.add(0, "", 0, "no data rows (the file has a header line but nothing under it, so there is nothing to infer types from)")
	}
	if len(cols) == 0 && ps.count() == 0 {
		ps.add(1, "", 0, "no named columns (expected a header row with the column names)")
	}
	if err := ps.err(); err != nil {
		return nil, err
	}

	for _, c := range cols {
		c.infer(comma, opts)
	}
	s := &Schema{Name: opts.Name, Title: opts.Name}
	s.Description = fmt.Sprintf("Draft inferred by ccstudy schema infer from %s (%d rows): check every field before use, since types and roles are guesses from the values. "+
		"Categories are listed most frequent first (ties by first appearance); the first is the reference level.", displaySource(source), inf.Rows)

	// The id: the first unique, complete column named like one.
	for _, c := range cols {
		if c.idLike && c.unique && (c.field.Type == TypeString || c.field.Type == TypeInteger) {
			f := c.field
			f.Categories, f.Constraints = nil, Constraints{Required: true, Unique: true}
			f.Role, f.Description = RoleID, "identifier (present and unique in every row)"
			s.PrimaryKey = StringOrList{f.Name}
			break
		}
	}

	if err := chooseOutcome(cols, opts.Outcome, inf); err != nil {
		return nil, err
	}

	// Missing values: the schema lists every marker taken as missing
	// somewhere; a text column where "." or "-" is a value gets its own
	// list without them.
	used := map[string]bool{"": true}
	for _, c := range cols {
		for m := range c.markers {
			used[m] = true
		}
	}
	for _, m := range inferredMarkers {
		if used[m] {
			s.MissingValues = append(s.MissingValues, m)
		}
	}
	for _, c := range cols {
		var own []string
		conflict := false
		for _, m := range s.MissingValues {
			if c.markerAsValue[m] {
				conflict = true
			} else {
				own = append(own, m)
			}
		}
		if conflict {
			c.field.MissingValues = own
		}
		s.Fields = append(s.Fields, c.field)
		inf.Notes = append(inf.Notes, c.notes...)
	}

	// The draft must read back as a schema: parsing it is the check.
	b, err := MarshalSchema(s)
	if err != nil {
		return nil, err
	}
	parsed, err := ParseSchema(b, "inferred schema")
	if err != nil {
		return nil, fmt.Errorf("internal error: the inferred schema does not parse: %w", err)
	}
	inf.Schema = parsed
	return inf, nil
}

func displaySource(source string) string {
	if source == "" || source == "-" {
		return "standard input"
	}
	return source
}

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// add counts one trimmed cell.
func (c *inferColumn) add(cell string) {
	if contains(alwaysMissing, cell) {
		c.markers[cell]++
		return
	}
	if c.counts[cell] == 0 {
		c.levels = append(c.levels, cell)
	}
	c.counts[cell]++
}

// infer decides the column's type, categories and role (the id and the
// outcome are chosen afterwards, across columns).
func (c *inferColumn) infer(comma rune, opts InferOptions) {
	// "." and "-" are missing when the rest of the column is not text.
	var rest []string
	for _, l := range c.levels {
		if !contains(numericMissing, l) {
			rest = append(rest, l)
		}
	}
	f := &Field{Name: c.name, Role: RoleCovariate}
	c.field = f
	typ := TypeString
	if len(rest) > 0 {
		typ = detectType(f, rest, comma)
	}
	if typ != TypeString || len(rest) == 0 {
		for _, m := range numericMissing {
			if n := c.counts[m]; n > 0 {
				c.markers[m] += n
				delete(c.counts, m)
			}
		}
		c.levels = rest
	} else {
		for _, m := range numericMissing {
			if c.counts[m] > 0 {
				c.markerAsValue[m] = true
			}
		}
	}
	f.Type = typ
	for _, l := range c.levels {
		c.n += c.counts[l]
	}
	k := len(c.levels)
	c.unique = k == c.n && c.n >= 2 && len(c.markers) == 0
	c.idLike = idLikeName(c.name)
	ordered := c.byFrequency()

	switch {
	case k == 0:
		f.Role, f.Description = RoleDescription, "no values in the file (every cell is missing)"
		return
	case k == 1:
		f.Role, f.Description = RoleDescription, fmt.Sprintf("constant: every value is %q, so it cannot enter a model", c.levels[0])
		return
	}
	if typ == TypeInteger && looksLikeYears(c.name, c.levels) {
		typ, f.Type = TypeYear, TypeYear
	}
	switch {
	case typ == TypeInteger && k == 2 && c.counts["0"] > 0 && c.counts["1"] > 0:
		c.binary = "01"
		f.Constraints.EnumRaw = []any{0.0, 1.0}
	case typ == TypeBoolean:
		c.binary = "boolean"
	case k == 2 && (typ == TypeString || typ == TypeInteger):
		c.binary = "two"
	}
	looksStrata := nameHasWord(c.name, strataWords)

	switch typ {
	case TypeDate:
		f.Role = RoleDescription
	case TypeString:
		switch {
		case looksStrata:
		case k <= opts.MaxLevels && 2*k <= c.n:
			f.Categories = categoriesOf(ordered, false)
			f.Description = fmt.Sprintf("%d levels, most frequent first (reference: %s)", k, ordered[0])
		case c.unique:
			f.Role, f.Description = RoleDescription, "every value is different (names or labels?): not analysed"
		default:
			f.Role, f.Description = RoleDescription, fmt.Sprintf("free text (%d distinct values): not analysed; list categories to analyse it", k)
		}
	case TypeInteger:
		if c.binary == "" && !looksStrata && f.GroupChar == "" && opts.MaxCodes > 0 && k <= opts.MaxCodes && 2*k <= c.n {
			f.Categories = categoriesOf(ordered, true)
			f.Description = fmt.Sprintf("%d integer codes, most frequent first (reference: %s); delete \"categories\" to analyse it as a number", k, ordered[0])
		}
	}
	if c.idLike && !c.unique && c.binary == "" {
		f.Categories = nil
		f.Role, f.Description = RoleDescription, fmt.Sprintf("named like an id, but not present and unique in every row (%d distinct values in %d rows): not analysed", k, c.n)
	}
	if looksStrata {
		f.Categories = nil
		f.Role, f.Description = RoleDescription, "looks like the matched set: use it as --strata (conditional logistic regression), not as a covariate"
	}
	if c.binary == "two" && f.Categories == nil && !looksStrata {
		f.Categories = categoriesOf(ordered, typ == TypeInteger)
	}
	if typ == TypeInteger && c.binary == "" && f.IsCategorical() {
		c.notes = append(c.notes, fmt.Sprintf("%s: %d integer codes listed as categories; delete them to analyse %s as a number", c.name, k, c.name))
	}
}

// byFrequency orders the levels most frequent first, ties by first
// appearance (sort.SliceStable keeps the appearance order of ties).
func (c *inferColumn) byFrequency() []string {
	out := slices.Clone(c.levels)
	sort.SliceStable(out, func(i, j int) bool { return c.counts[out[i]] > c.counts[out[j]] })
	return out
}

// categoriesOf makes categories of the levels, written as JSON numbers
// when number is set and every level is a plain integer (a level such as
// "1,000" stays text, which the field's groupChar still reads).
func categoriesOf(levels []string, number bool) []Category {
	for _, l := range levels {
		number = number && jsonInteger.MatchString(l)
	}
	out := make([]Category, len(levels))
	for i, l := range levels {
		out[i] = Category{Value: l, number: number}
	}
	return out
}

var (
	isoDate      = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	slashDate    = regexp.MustCompile(`^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}$`)
	leadingZero  = regexp.MustCompile(`^[+-]?0[0-9]`)
	jsonInteger  = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	commaDecimal = regexp.MustCompile(`^[+-]?[0-9]+(,[0-9]+)?$`)
	groupedComma = regexp.MustCompile(`^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$`)
)

// detectType returns the first type every value fits, trying date,
// integer, number, boolean, then string (Frictionless's order for the
// types ccstudy reads), and sets the field's format, marks or boolean
// spellings.
func detectType(f *Field, values []string, comma rune) string {
	all := func(ok func(string) bool) bool {
		for _, v := range values {
			if !ok(v) {
				return false
			}
		}
		return true
	}
	some := func(ok func(string) bool) bool { return slices.ContainsFunc(values, ok) }
	parses := func(layout string) func(string) bool {
		return func(v string) bool { _, err := time.Parse(layout, v); return err == nil }
	}
	hasComma := func(v string) bool { return strings.Contains(v, ",") }
	integer := func(v string) bool {
		if !isIntegerText(v) || leadingZero.MatchString(v) {
			return false
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n <= maxExactInteger && n >= -maxExactInteger
	}
	switch {
	case all(func(v string) bool { return isoDate.MatchString(v) && parses("2006-01-02")(v) }):
		return TypeDate
	case all(func(v string) bool { return slashDate.MatchString(v) && parses("2006/1/2")(v) }):
		f.Format = "%Y/%m/%d"
		return TypeDate
	case all(integer):
		return TypeInteger
	case all(func(v string) bool { return isDecimalText(v) && !leadingZero.MatchString(v) }):
		return TypeNumber
	case comma == ';' && some(hasComma) && all(commaDecimal.MatchString):
		f.DecimalChar = ","
		return TypeNumber
	case comma == ',' && some(hasComma) && all(groupedComma.MatchString):
		f.GroupChar = ","
		if all(func(v string) bool { return integer(strings.ReplaceAll(v, ",", "")) }) {
			return TypeInteger
		}
		return TypeNumber
	}
	for _, pair := range booleanWords {
		var trues, falses []string
		ok := all(func(v string) bool {
			lv := strings.ToLower(v)
			switch {
			case contains(pair[0], lv):
				trues = append(trues, v)
			case contains(pair[1], lv):
				falses = append(falses, v)
			default:
				return false
			}
			return true
		})
		if !ok || len(trues) == 0 || len(falses) == 0 {
			continue
		}
		if !all(func(v string) bool { return contains(defaultTrueValues, v) || contains(defaultFalseValues, v) }) {
			f.TrueValues, f.FalseValues = trues, falses
		}
		return TypeBoolean
	}
	return TypeString
}

// looksLikeYears reports whether an integer column holds calendar years:
// its name says year and every value is between 1000 and 2999. Such a
// column is a year, not a set of codes.
func looksLikeYears(name string, levels []string) bool {
	if !strings.Contains(strings.ToLower(name), "year") && !nameHasWord(name, []string{"yr", "yyyy"}) && !strings.Contains(name, "年") {
		return false
	}
	for _, l := range levels {
		if n, err := strconv.Atoi(l); err != nil || n < 1000 || n > 2999 {
			return false
		}
	}
	return true
}

// idLikeName reports whether a column name reads as an identifier: id,
// ID, patient_id, PatientID, subject.id, code, key.
func idLikeName(name string) bool {
	if nameHasWord(name, idWords) {
		return true
	}
	// camelCase: "PatientID", "patientId".
	for _, suf := range []string{"ID", "Id"} {
		if s, ok := strings.CutSuffix(name, suf); ok && s != "" {
			r := []rune(s)
			if unicode.IsLower(r[len(r)-1]) {
				return true
			}
		}
	}
	return false
}

// nameWords splits a column name into lower-case words at anything that
// is not a letter or digit.
func nameWords(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func nameHasWord(name string, words []string) bool {
	for _, w := range nameWords(name) {
		if contains(words, w) {
			return true
		}
	}
	return false
}

// outcomeScore is 2 when the whole name is an outcome word, 1 when one
// of its words is, else 0.
func outcomeScore(name string) int {
	whole := strings.Join(nameWords(name), "")
	switch {
	case contains(outcomeWords, whole):
		return 2
	case nameHasWord(name, outcomeWords):
		return 1
	}
	return 0
}

// OutcomeChoiceError says why the outcome named in InferOptions cannot
// be the outcome (it is not a column, or not two-valued).
type OutcomeChoiceError struct{ Msg string }

func (e *OutcomeChoiceError) Error() string { return e.Msg }

// chooseOutcome marks the outcome: the one named, or the best guess.
func chooseOutcome(cols []*inferColumn, name string, inf *Inferred) error {
	var pick *inferColumn
	if name != "" {
		var names []string
		for _, c := range cols {
			names = append(names, c.name)
			if c.name == name {
				pick = c
			}
		}
		if pick == nil {
			msg := fmt.Sprintf("outcome %q is not a column", name)
			if dym := didYouMean(name, names); dym != "" {
				msg += " (" + dym + ")"
			}
			return &OutcomeChoiceError{fmt.Sprintf("%s (columns: %s)", msg, strings.Join(names, ", "))}
		}
		if pick.binary == "" {
			shown := pick.byFrequency()
			if len(shown) > 6 {
				shown = append(shown[:6], "…")
			}
			return &OutcomeChoiceError{fmt.Sprintf("outcome %s has %d distinct values (%s); expected two: 0/1, a boolean such as Yes/No, or two levels such as case/control", name, len(pick.levels), strings.Join(shown, ", "))}
		}
	} else {
		best := 0
		for _, c := range cols {
			if c.binary == "" || c.field.Role == RoleID {
				continue
			}
			if sc := outcomeScore(c.name); sc > best {
				best, pick = sc, c
			}
		}
		if pick == nil {
			inf.Notes = append(inf.Notes, "no outcome: no two-valued column is named like one (case, outcome, y, status, event, 病例); pass --outcome NAME or set \"role\": \"outcome\" on it")
			return nil
		}
		inf.OutcomeGuessed = true
	}
	f := pick.field
	f.Role = RoleOutcome
	inf.Outcome = f.Name
	what := "outcome"
	if inf.OutcomeGuessed {
		what = "GUESSED outcome (two-valued and named like one: check it)"
	}
	switch pick.binary {
	case "01":
		f.Description = what + ": 1 = case, 0 = control"
	case "boolean":
		tv, fv := "true", "false"
		if f.TrueValues != nil {
			tv, fv = strings.Join(f.TrueValues, "/"), strings.Join(f.FalseValues, "/")
		}
		f.Description = fmt.Sprintf("%s: %s = case, %s = control", what, tv, fv)
	case "two":
		ev := 1 // the less frequent level, by the order of the categories
		for i, c := range f.Categories {
			if contains(eventWords, strings.ToLower(c.Value)) {
				ev = i
				break
			}
		}
		f.Event = f.Categories[ev].Value
		other := f.Categories[1-ev].Value
		f.Categories = []Category{f.Categories[1-ev], f.Categories[ev]}
		f.Description = fmt.Sprintf("%s: %q = case (the \"event\"), %q = control", what, f.Event, other)
		inf.Notes = append(inf.Notes, fmt.Sprintf("outcome %s: %q taken as the case level (\"event\"); change \"event\" if the cases are %q", f.Name, f.Event, other))
	}
	if inf.OutcomeGuessed {
		inf.Notes = append([]string{fmt.Sprintf("guessed the outcome: %s (two-valued and named like an outcome); pass --outcome NAME to choose another", f.Name)}, inf.Notes...)
	}
	return nil
}

// MarshalSchema writes s as ccstudy's built-in schemas are written: one
// property per line at the top and one field per line, so a draft is
// easy to read and edit. Non-ASCII text (Chinese labels) is kept as is.
func MarshalSchema(s *Schema) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	top := []struct {
		key  string
		v    any
		skip bool
	}{
		{"name", s.Name, s.Name == ""},
		{"title", s.Title, s.Title == ""},
		{"titles", s.Titles, len(s.Titles) == 0},
		{"description", s.Description, s.Description == ""},
		{"missingValues", s.MissingValues, s.MissingValues == nil},
		{"primaryKey", s.PrimaryKey, len(s.PrimaryKey) == 0},
		{"foreignKeys", s.ForeignKeys, len(s.ForeignKeys) == 0},
	}
	for _, p := range top {
		if p.skip {
			continue
		}
		v, err := compactJSON(p.v)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "  %q: %s,\n", p.key, v)
	}
	b.WriteString("  \"fields\": [\n")
	for i, f := range s.Fields {
		v, err := compactJSON(f)
		if err != nil {
			return nil, err
		}
		b.WriteString("    ")
		b.Write(v)
		if i < len(s.Fields)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("  ]\n}\n")
	return b.Bytes(), nil
}

// compactJSON encodes v on one line with a space after each ':' and ','
// outside strings, and without HTML escaping.
func compactJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	raw := bytes.TrimRight(buf.Bytes(), "\n")
	out := make([]byte, 0, len(raw)+len(raw)/8)
	inString, escaped := false, false
	for _, c := range raw {
		out = append(out, c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ':' || c == ','):
			out = append(out, ' ')
		}
	}
	return out, nil
}
