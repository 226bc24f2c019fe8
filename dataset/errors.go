package dataset

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultMaxProblems is how many problems a ValidationError keeps when the
// caller does not say: enough to fix a file in one pass, few enough to read.
const DefaultMaxProblems = 50

// DefaultMaxRepeats is how many times the same problem in the same
// column is shown before the rest are summarized with their count: a
// column of 200 unreadable cells needs three examples and a count, not
// 200 lines.
const DefaultMaxRepeats = 3

// Problem is one thing wrong with a data file, located by file, line
// (the header is line 1) and column.
type Problem struct {
	File string `json:"file"`
	// Row is the line number in the file; 0 when the problem concerns the
	// whole file (encoding, emptiness).
	Row int `json:"row,omitempty"`
	// Column is the column name; "" when the problem concerns a whole row.
	Column string `json:"column,omitempty"`
	// ColumnIndex is the 1-based position of the column in the file, so a
	// spreadsheet user can find it even when names are ambiguous.
	ColumnIndex int    `json:"column_index,omitempty"`
	Message     string `json:"message"`
	// MoreRows, when positive, makes this a summary line: that many more
	// rows had the same problem as the lines shown before it, and Row is
	// the last of them.
	MoreRows int `json:"more_rows,omitempty"`
	// Position, when set, replaces row and column in String: where the
	// cell is in a spreadsheet ("Sheet1!C14") or a Parquet file
	// ("row 14:column age").
	Position string `json:"position,omitempty"`
}

// String formats the problem as file:row:column: message, dropping the
// parts that do not apply.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Position != "" {
		b.WriteString(":" + p.Position)
	} else if p.MoreRows > 0 {
		if p.Column != "" {
			b.WriteString(":" + p.Column)
		}
	} else if p.Row > 0 {
		fmt.Fprintf(&b, ":%d", p.Row)
		if p.Column != "" {
			b.WriteString(":" + p.Column)
		}
	}
	b.WriteString(": " + p.Message)
	return b.String()
}

// ValidationError lists every problem found in a data file (up to a cap).
// Loading never stops at the first problem, so one run shows the
// researcher everything to fix.
type ValidationError struct {
	Problems []Problem `json:"problems"`
	// Omitted counts the problems beyond the cap that were not kept.
	Omitted int `json:"omitted,omitempty"`
}

// Error prints one problem per line.
func (e *ValidationError) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	for _, p := range e.Problems {
		lines = append(lines, p.String())
	}
	if e.Omitted > 0 {
		s := "s"
		if e.Omitted == 1 {
			s = ""
		}
		lines = append(lines, fmt.Sprintf("… and %d more problem%s", e.Omitted, s))
	}
	return strings.Join(lines, "\n")
}

// OptionError is a mistake in an option the caller passed on from its
// user (a reference level, a variable name) rather than in the data: a
// command reports it as wrong usage (exit 2), as analysis.OptionError
// one layer up.
type OptionError struct{ Err error }

func (e *OptionError) Error() string { return e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

// IsOptionError reports whether err comes from a bad option.
func IsOptionError(err error) bool {
	var oe *OptionError
	return errors.As(err, &oe)
}

// SchemaProblem is one thing wrong with a Table Schema. Path locates it
// in the JSON, e.g. `fields[3] ("novelty")`; it is "" for the whole file.
type SchemaProblem struct {
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// SchemaError lists every problem found in a Table Schema.
type SchemaError struct {
	Source   string          `json:"file"`
	Problems []SchemaProblem `json:"problems"`
}

// Error prints one problem per line as source: path: message.
func (e *SchemaError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		if p.Path == "" {
			lines[i] = e.Source + ": " + p.Message
		} else {
			lines[i] = e.Source + ": " + p.Path + ": " + p.Message
		}
	}
	return strings.Join(lines, "\n")
}

// problems collects Problems up to a cap and counts the rest. The same
// kind of problem in the same column is shown up to repeats times; the
// further rows are counted and summarized in one line.
type problems struct {
	file    string
	max     int // < 0: no cap
	repeats int // 0: DefaultMaxRepeats; < 0: no limit
	list    []Problem
	omitted int
	kinds   map[string]*repeatCount
	order   []string
	// record makes add and addKind only append to events, in call
	// order, for a parallel load to replay later (see loadParallel).
	record bool
	events []event
	// suggested counts the "did you mean" searches per column (suggestFor).
	suggested map[string]int
}

// event is one recorded call: a problem (evProblem), or a value of a
// unique column to check against the rows before it (evUnique).
type event struct {
	op            uint8
	row, colIndex int
	field         int
	kind, msg     string
	col           string
	key, cell     string
}

const (
	evProblem uint8 = iota
	evUnique
)

// repeatCount tracks one kind of problem in one column.
type repeatCount struct {
	shown, more int
	last        Problem // the last one shown
	lastRow     int     // the last row summarized
}

func newProblems(file string, max int) *problems {
	if max == 0 {
		max = DefaultMaxProblems
	}
	return &problems{file: file, max: max}
}

// add records a problem whose kind is its format: problems written with
// the same format in the same column are the same problem.
func (ps *problems) add(row int, col string, colIndex int, format string, args ...any) {
	ps.addKind(format, row, col, colIndex, fmt.Sprintf(format, args...))
}

// addKind records a problem of the given kind.
func (ps *problems) addKind(kind string, row int, col string, colIndex int, msg string) {
	if ps.record {
		ps.events = append(ps.events, event{op: evProblem, kind: kind, row: row, col: col, colIndex: colIndex, msg: msg})
		return
	}
	p := Problem{File: ps.file, Row: row, Column: col, ColumnIndex: colIndex, Message: msg}
	repeats := ps.repeats
	if repeats == 0 {
		repeats = DefaultMaxRepeats
	}
	var rc *repeatCount
	if row > 0 && repeats > 0 {
		key := col + "\x00" + strconv.Itoa(colIndex) + "\x00" + kind
		if ps.kinds == nil {
			ps.kinds = map[string]*repeatCount{}
		}
		if rc = ps.kinds[key]; rc == nil {
			rc = &repeatCount{}
			ps.kinds[key] = rc
			ps.order = append(ps.order, key)
		}
		if rc.shown >= repeats {
			rc.more++
			rc.lastRow = max(rc.lastRow, row)
			return
		}
	}
	if ps.max >= 0 && len(ps.list) >= ps.max {
		ps.omitted++
		return
	}
	if rc != nil {
		rc.shown++
		rc.last = p
	}
	ps.list = append(ps.list, p)
}

// suggestFor reports whether the next problem in column col may search
// for a suggestion: only the first limit of a column's problems of one
// kind are shown (limit as MaxRepeats: 0 is DefaultMaxRepeats, below 0
// no limit), and a search over 10^5 categories for each of 10^5 cells
// that will only be counted would take hours. A piece of a parallel load
// counts its own: the problems shown are the first of the file, and
// those are among the first of their pieces.
func (ps *problems) suggestFor(col string, limit int) bool {
	if limit == 0 {
		limit = DefaultMaxRepeats
	}
	if limit < 0 {
		return true
	}
	if ps.suggested == nil {
		ps.suggested = map[string]int{}
	}
	ps.suggested[col]++
	return ps.suggested[col] <= limit
}

func (ps *problems) count() int {
	n := len(ps.list) + ps.omitted
	for _, rc := range ps.kinds {
		n += rc.more
	}
	return n
}

// err returns the collected problems as a *ValidationError, or nil.
// Problems are ordered by row, then column, as a reader scans the file
// (checks that run after a row, like duplicate keys, come in place); a
// summary of repeats comes right after the last example it follows.
func (ps *problems) err() error {
	if ps.count() == 0 {
		return nil
	}
	for _, key := range ps.order {
		rc := ps.kinds[key]
		if rc.more == 0 {
			continue
		}
		rows := "rows"
		if rc.more == 1 {
			rows = "row"
		}
		sum := rc.last
		sum.MoreRows = rc.more
		sum.Message = fmt.Sprintf("… and %d more %s with the same problem (the last at row %d)", rc.more, rows, rc.lastRow)
		ps.list = append(ps.list, sum)
	}
	ps.order, ps.kinds = nil, nil
	sort.SliceStable(ps.list, func(i, j int) bool {
		a, b := ps.list[i], ps.list[j]
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		if a.ColumnIndex != b.ColumnIndex {
			return a.ColumnIndex < b.ColumnIndex
		}
		return a.MoreRows == 0 && b.MoreRows > 0
	})
	return &ValidationError{Problems: ps.list, Omitted: ps.omitted}
}

// editDistance is the optimal-string-alignment distance (Levenshtein plus
// adjacent transpositions, so "frist" is one edit from "first").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n, m := len(ra), len(rb)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[n][m]
}

// suggest returns the candidates closest to s within two edits (ignoring
// case), or nil. Ties are all returned, in candidate order. Short words
// need a closer match ("id" does not suggest "x").
func suggest(s string, candidates []string) []string {
	best, out := 3, []string(nil)
	ls := strings.ToLower(s)
	// A category's value and its label often differ only in case
	// (biotech, Biotech): suggest the first of them, not both.
	seen := map[string]bool{}
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if seen[lc] {
			continue
		}
		seen[lc] = true
		d := editDistance(ls, lc)
		if (d == 0 && c == s) || 2*d > max(utf8.RuneCountInString(s), utf8.RuneCountInString(c)) {
			continue
		}
		switch {
		case d < best:
			best, out = d, []string{c}
		case d == best:
			out = append(out, c)
		}
	}
	return out
}

// didYouMean formats suggest's result as " (did you mean x?)" or "".
func didYouMean(s string, candidates []string) string {
	sg := suggestBounded(s, candidates)
	if len(sg) == 0 {
		return ""
	}
	// Among 10^5 coded categories hundreds can be equally close; a few
	// of them help, the rest would make the message unbounded.
	if n := len(sg) - maxSuggestions; n > 0 {
		return fmt.Sprintf("did you mean %s (or one of %d others as close)?", strings.Join(elideItems(sg[:maxSuggestions]), ", "), n)
	}
	return "did you mean " + orList(elideItems(sg)) + "?"
}

// maxSuggestions is how many equally close names a did-you-mean shows.
const maxSuggestions = 5

func elideItems(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = elideValue(x)
	}
	return out
}

// orList joins "a", "a or b", "a, b or c".
func orList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// Suggest returns the candidates closest to s within two edits (ignoring
// case), for "did you mean …?" hints elsewhere (for example flag names).
func Suggest(s string, candidates []string) []string { return suggest(s, candidates) }
