package dataset

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ccstudy/ccstudy/internal/parallel"
	"gonum.org/v1/gonum/mat"
)

// Exclusion is a row left out of an analysis and why.
type Exclusion struct {
	// Row is the row's line number in the source file (t.Lines).
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// VarCount is the number of missing values of one variable.
type VarCount struct {
	Variable string `json:"variable"`
	Missing  int    `json:"missing"`
}

// Encoded is a table turned into numeric columns for clustering: every
// level of a categorical variable gets its own 0/1 column.
type Encoded struct {
	// X is rows × columns.
	X *mat.Dense `json:"-"`
	// Names are the column names: "dev_years", "log(rd_expenditure)",
	// "novelty[me_too]".
	Names []string `json:"names"`
	// Vars holds the source variable of each column ("novelty",
	// "log(rd_expenditure)"), so results can be grouped back by variable.
	Vars []string `json:"vars"`
	// Rows are the indices into the table of the rows in X.
	Rows []int `json:"rows"`
	// Excluded lists rows dropped for a missing value.
	Excluded []Exclusion `json:"excluded"`
}

// Indicators encodes the variables vars of t as numeric columns for
// clustering. A variable is a field name or "log(name)". Numeric and 0/1
// fields give one column as they are; a categorical field with k levels
// gives k indicator columns named "var[level]", one per level including
// the first, since distances need every level. Rows with a missing value
// in any of vars are excluded listwise.
func Indicators(t *Table, vars []string) (*Encoded, error) {
	if len(vars) == 0 {
		return nil, fmt.Errorf("no variables to encode (expected at least one)")
	}
	parsed := make([]Variable, len(vars))
	cols := make([]*Column, len(vars))
	for i, s := range vars {
		v, err := parseEncVariable(s)
		if err != nil {
			return nil, err
		}
		c, err := usableColumn(t, v, "")
		if err != nil {
			return nil, err
		}
		parsed[i], cols[i] = v, c
	}
	rows, excluded, _ := listwiseRows(t, cols)
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: all %d rows have a missing value in %s (no rows left to encode)", designSource(t), t.NRows(), strings.Join(vars, ", "))
	}
	for i, v := range parsed {
		if err := checkFinite(t, cols[i], rows); err != nil {
			return nil, err
		}
		if v.Log {
			if err := checkLogPositive(t, cols[i], rows); err != nil {
				return nil, err
			}
		}
	}
	// Bound the matrix by design before its names or cells are made.
	width := 0.0
	var widest *Column
	for _, c := range cols {
		if !c.Field.IsCategorical() {
			width++
			continue
		}
		width += float64(len(c.Field.Categories))
		if widest == nil || len(c.Field.Categories) > len(widest.Field.Categories) {
			widest = c
		}
	}
	if err := checkDesignCells(len(rows), width, widest, "encoded matrix"); err != nil {
		return nil, err
	}
	var names, srcs []string
	for i, v := range parsed {
		f := cols[i].Field
		if f.IsCategorical() {
			for _, l := range f.CategoryNames() {
				names = append(names, levelName(v.Name, l))
				srcs = append(srcs, v.String())
			}
			continue
		}
		names = append(names, v.String())
		srcs = append(srcs, v.String())
	}
	p := len(names)
	data := make([]float64, len(rows)*p)
	for r, i := range rows {
		row := data[r*p : (r+1)*p]
		j := 0
		for k, v := range parsed {
			c := cols[k]
			if c.Field.IsCategorical() {
				row[j+int(c.Num[i])] = 1
				j += len(c.Field.Categories)
				continue
			}
			row[j] = encValue(c, v, i)
			j++
		}
	}
	return &Encoded{X: mat.NewDense(len(rows), p, data), Names: names, Vars: srcs, Rows: rows, Excluded: excluded}, nil
}

// levelName is ccstudy's name for the indicator of one level:
// "novelty[first_in_class]".
func levelName(variable, level string) string { return variable + "[" + level + "]" }

// parseVariable reads "name" or "log(name)".
func parseEncVariable(s string) (Variable, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "log(") && strings.HasSuffix(s, ")") {
		inner := strings.TrimSpace(s[4 : len(s)-1])
		if inner == "" {
			return Variable{}, fmt.Errorf("variable %q: log() needs a field name (expected log(name))", s)
		}
		return Variable{Name: unquoteRName(inner), Log: true}, nil
	}
	if s == "" {
		return Variable{}, fmt.Errorf("empty variable name (expected a field name or log(name))")
	}
	return Variable{Name: unquoteRName(s)}, nil
}

// unquoteRName undoes the backtick quoting of quoteRName, escapes included.
func unquoteRName(s string) string { return unquoteBacktickName(s) }

// value is the numeric value of v in row i (log applied).
func encValue(c *Column, v Variable, i int) float64 {
	if v.Log {
		return math.Log(c.Num[i])
	}
	return c.Num[i]
}

// usableColumn finds the column of v and checks that it can enter a
// model or a clustering: it must exist, be numeric or categorical, not be
// the id field, and log() needs a numeric field. context names where
// the variable was written ("in formula") for the unknown-variable
// message.
func usableColumn(t *Table, v Variable, context string) (*Column, error) {
	c, ok := t.Col(v.Name)
	if !ok {
		return nil, unknownVariable(t, v.Name, context)
	}
	f := c.Field
	switch {
	case f.Role == RoleID:
		return nil, fmt.Errorf("variable %s is the id field and cannot be used (expected a number or a categorical field)", v.Name)
	case !f.IsCategorical() && !f.IsNumeric():
		return nil, fmt.Errorf("variable %s is text without categories and cannot be used (expected a number or a categorical field)", v.Name)
	case f.IsCategorical() && v.Log:
		return nil, fmt.Errorf("log(%s): %s is categorical (log() needs a numeric field)", v.Name, v.Name)
	case f.IsCategorical() && len(f.Categories) < 2:
		return nil, fmt.Errorf("variable %s has only one category (%s); a categorical variable needs at least 2", v.Name, strings.Join(f.CategoryNames(), ""))
	case f.IsCategorical() && c.Num == nil, f.IsNumeric() && c.Num == nil:
		return nil, fmt.Errorf("variable %s has no numeric values in the table (internal: column not decoded)", v.Name)
	}
	return c, nil
}

// unknownVariable lists the usable fields and suggests the closest one.
func unknownVariable(t *Table, name, context string) error {
	var valid []string
	best, bestD := "", math.MaxInt
	for _, c := range t.Columns {
		f := c.Field
		if f.Role == RoleID || (!f.IsCategorical() && !f.IsNumeric()) {
			continue
		}
		valid = append(valid, f.Name)
		// A name far longer than any field name is no misspelling of one,
		// and its edit distance would cost len(name)·len(field).
		if utf8.RuneCountInString(name) > maxSuggestRunes || utf8.RuneCountInString(f.Name) > maxSuggestRunes {
			continue
		}
		if d := editDistance(strings.ToLower(name), strings.ToLower(f.Name)); d < bestD {
			best, bestD = f.Name, d
		}
	}
	where := ""
	if context != "" {
		where = " " + context
	}
	msg := fmt.Sprintf("unknown variable %q%s (valid: %s", elideValue(name), where, elideList(valid, ", "))
	if best != "" && (bestD <= 2 || bestD*3 <= len(name)) {
		msg += "; did you mean " + best + "?"
	}
	// The name comes from a flag (--formula, --covariates, --vars, --ref):
	// the data has its fields, so naming another is a usage error (exit 2).
	return &OptionError{fmt.Errorf("%s)", msg)}
}

// listwise keeps the rows with no missing value in any of cols (which may
// repeat). Reasons and counts name the variables in schema order.
func listwiseRows(t *Table, cols []*Column) (rows []int, excluded []Exclusion, counts []VarCount) {
	var used []*Column
	for _, c := range t.Columns {
		for _, u := range cols {
			if u == c {
				used = append(used, c)
				break
			}
		}
	}
	counts = make([]VarCount, len(used))
	// Each count is a pass over one column: in parallel on a large table.
	_ = parallel.Map(len(used), rowWorkers(t.NRows()), func(k int) error {
		counts[k] = VarCount{Variable: used[k].Field.Name, Missing: used[k].CountMissing()}
		return nil // a count cannot fail
	})
	// Only a column with a missing value can exclude a row: the others
	// are left out of the pass over the rows, and with none (the usual
	// case) every row is used without one.
	var gaps []*Column
	for k, c := range used {
		if counts[k].Missing > 0 {
			gaps = append(gaps, c)
		}
	}
	if len(gaps) == 0 {
		rows = make([]int, t.NRows())
		for i := range rows {
			rows[i] = i
		}
		return rows, nil, counts
	}
	rows = make([]int, 0, t.NRows())
	var miss []string
	for i := 0; i < t.NRows(); i++ {
		miss = miss[:0]
		for _, c := range gaps {
			if c.Missing[i] {
				miss = append(miss, c.Field.Name)
			}
		}
		if len(miss) == 0 {
			rows = append(rows, i)
			continue
		}
		excluded = append(excluded, Exclusion{Row: designLine(t, i), Reason: "missing " + strings.Join(miss, ", ")})
	}
	return rows, excluded, counts
}

// lineOf is the file line of row i.
func designLine(t *Table, i int) int {
	if i < len(t.Lines) {
		return t.Lines[i]
	}
	return i + 2
}

func designSource(t *Table) string {
	if t.Source == "" {
		return "data"
	}
	return t.Source
}

// checkPositive reports the first used row where log() is undefined.
// rows are increasing, as listwiseRows gives them.
func checkLogPositive(t *Table, c *Column, rows []int) error {
	// !(x > 0) is also true for NaN; x > MaxFloat64 is +Inf.
	bad := -1
	if allRows(c.Num, rows) {
		for i, x := range c.Num {
			if !(x > 0) || x > math.MaxFloat64 {
				bad = i
				break
			}
		}
	} else {
		for _, i := range rows {
			if x := c.Num[i]; !(x > 0) || x > math.MaxFloat64 {
				bad = i
				break
			}
		}
	}
	if bad < 0 {
		return nil
	}
	return fmt.Errorf("%s:%d:%s: log() of %s (expected a positive number)", designSource(t), designLine(t, bad), c.Field.Name, strconv.FormatFloat(c.Num[bad], 'g', -1, 64))
}

// checkFinite rejects a NaN or infinite number that is not flagged
// missing, so it cannot reach a model silently. rows are increasing, as
// listwiseRows gives them.
func checkFinite(t *Table, c *Column, rows []int) error {
	if c.Field.IsCategorical() {
		return nil
	}
	// x−x is 0 for a finite x and NaN for ±Inf and NaN: one test for
	// math.IsNaN(x) || math.IsInf(x, 0).
	bad := -1
	if allRows(c.Num, rows) {
		for i, x := range c.Num {
			if x-x != 0 {
				bad = i
				break
			}
		}
	} else {
		for _, i := range rows {
			if x := c.Num[i]; x-x != 0 {
				bad = i
				break
			}
		}
	}
	if bad < 0 {
		return nil
	}
	return fmt.Errorf("%s:%d:%s: value %v is not a finite number", designSource(t), designLine(t, bad), c.Field.Name, c.Num[bad])
}

// allRows reports whether rows (increasing) are every row of num: 0, 1,
// …, len(num)−1, the usual case, where a check reads num in order
// without going through rows.
func allRows(num []float64, rows []int) bool {
	n := len(rows)
	return n > 0 && n == len(num) && rows[0] == 0 && rows[n-1] == n-1
}
