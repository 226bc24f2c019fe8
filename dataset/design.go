package dataset

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ccstudy/ccstudy/internal/parallel"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// AliasTol is the relative tolerance below which a column counts as a
// linear combination of the columns before it: R's lm/glm default
// (qr tol = 1e-7) applied to the column's residual norm.
const AliasTol = 1e-7

// DesignOptions controls the encoding of a model matrix.
type DesignOptions struct {
	// Ref maps a categorical variable to the label or value of its
	// reference level, overriding the schema's first category (R's
	// relevel). Variables that the formula does not use are ignored.
	Ref map[string]string
}

// DesignMatrix is a model matrix encoded as R's model.matrix with
// treatment contrasts, with the rows it used and the rows it left out.
// It converts field for field to logit.Design.
type DesignMatrix struct {
	// X is n×p; with an intercept its first column is all ones.
	X *mat.Dense `json:"-"`
	// Y is the 0/1 outcome of each row of X.
	Y []float64 `json:"-"`
	// Names are the column names: "(Intercept)", "dev_years",
	// "log(rd_expenditure)", "novelty[first_in_class]",
	// "novelty[first_in_class]:company_type[traditional]".
	Names []string `json:"names"`
	// Assign maps each column to its term as R's attr(X, "assign"): 0 is
	// the intercept, k is Groups[k].
	Assign []int `json:"assign"`
	// Groups are "(Intercept)" followed by R's term labels. Index 0 is
	// "(Intercept)" even in a model without one, so that Assign always
	// indexes Groups.
	Groups []string `json:"groups"`
	// Rows are the indices into the table of the rows used.
	Rows []int `json:"rows"`
	// Excluded lists the rows left out for a missing value.
	Excluded []Exclusion `json:"excluded"`
	// MissingByVar counts the missing values of every variable the model
	// uses (outcome included), in schema order, over all rows of the table.
	MissingByVar []VarCount `json:"missing_by_var"`
	// Outcome is the outcome field.
	Outcome string `json:"outcome"`

	// cells holds, for each column, the categorical levels it indicates,
	// so an all-zero column can be explained by its levels.
	cells [][]levelCond
}

// levelCond is "variable = level" for one factor of a design column.
type levelCond struct {
	col   *Column
	cat   int // schema category index
	label string
}

// AliasedColumn is a design column that adds nothing to the columns
// before it.
type AliasedColumn struct {
	Name string `json:"name"`
	// Of lists the earlier columns it is a combination of (empty for a
	// column that is zero in every row used).
	Of []string `json:"of"`
	// Empty, for a column that is zero because no used row has its level
	// (or, in an interaction, its combination of levels), names those
	// levels: the column is not estimable and R's glm reports NA for it.
	// It is nil for a column that is a combination of other columns.
	Empty []VarLevel `json:"empty_levels,omitempty"`
	// Zero marks a column that is 0 in every row used: an empty level
	// (Empty), or a numeric variable that is 0 throughout the rows of its
	// level in a numeric × factor product (cigarettes per day × smoker =
	// no). R's glm reports NA for it whatever the column order, so unlike
	// a combination of other columns it can be dropped without choosing
	// which of several columns to lose.
	Zero   bool   `json:"zero,omitempty"`
	Reason string `json:"reason"`
}

// VarLevel is one level of a categorical variable.
type VarLevel struct {
	Variable string `json:"variable"`
	Level    string `json:"level"`
}

// EmptyLevelsOnly reports whether every aliased column is one whose
// levels no used row has (Empty), none a combination of other columns.
func (e *AliasError) EmptyLevelsOnly() bool {
	for _, c := range e.Columns {
		if len(c.Empty) == 0 {
			return false
		}
	}
	return len(e.Columns) > 0
}

// ZeroOnly reports whether every aliased column is 0 in every row used
// (Zero: an empty level, or a numeric × factor product whose numeric
// part is 0 throughout the level), none a combination of other columns:
// the columns R's glm reports as NA whatever their order.
func (e *AliasError) ZeroOnly() bool {
	for _, c := range e.Columns {
		if !c.Zero {
			return false
		}
	}
	return len(e.Columns) > 0
}

// AliasError reports perfectly collinear columns, which R's glm would
// estimate as NA. Design returns it together with the matrix, so callers
// may drop the columns as R does.
type AliasError struct {
	Columns []AliasedColumn `json:"columns"`
}

// Error lists every aliased column with its reason.
func (e *AliasError) Error() string {
	r := make([]string, len(e.Columns))
	for i, c := range e.Columns {
		r[i] = c.Reason
	}
	return "aliased terms: " + strings.Join(r, "; ") + " (R would report NA)"
}

// Design encodes the rows of t for the model f exactly as R's
// model.matrix does with treatment contrasts (contr.treatment):
//
//   - an intercept column "(Intercept)" of ones unless the formula drops it;
//   - a numeric or 0/1 field is one column named by the field, log(x)
//     one column named "log(x)";
//   - a categorical field with k levels in a term gets the k−1 indicators
//     of the non-reference levels, "var[level]", when the term without
//     that field is the empty term or is contained in an earlier term;
//     otherwise (an interaction whose margin is missing, or the first
//     factor of a model without intercept) all k indicators, as R's
//     terms "factors" code 2;
//   - an interaction is the product of its fields' columns, named by
//     joining with ":", the first field's columns varying fastest.
//
// The outcome is the formula's left-hand side, or the schema's outcome
// field when the formula has none; it must be 0/1 (a categorical outcome
// with two categories is 0 for the first and 1 for the second) and take
// both values. Rows with a missing value in any model variable are
// excluded listwise. When columns are aliased (a linear combination of
// earlier columns, or all zero), Design returns the matrix and an
// *AliasError naming them.
func Design(t *Table, f *Formula, opts DesignOptions) (*DesignMatrix, error) {
	dm, xt, err := buildDesign(t, f, opts)
	if err != nil {
		return nil, err
	}
	if aerr := checkAliased(dm, xt); aerr != nil {
		return dm, aerr
	}
	return dm, nil
}

// factorCoding says how a variable enters a term: as contrasts (k−1
// columns) or as full indicators (k columns), R's factors codes 1 and 2.
const (
	codeContrasts = 1
	codeFull      = 2
)

// termCodes reproduces R's TermCode (src/library/stats/src/model.c) and
// model.matrix's adjustment for a model without intercept: codes[j][k]
// is the coding of f.Terms[j].Vars[k].
func termCodes(f *Formula, isFactor func(Variable) bool) [][]int {
	codes := make([][]int, len(f.Terms))
	for j, term := range f.Terms {
		codes[j] = make([]int, len(term.Vars))
		for k := range term.Vars {
			rest := make(map[Variable]bool, len(term.Vars)-1)
			for m, v := range term.Vars {
				if m != k {
					rest[v] = true
				}
			}
			codes[j][k] = codeFull
			if len(rest) == 0 {
				codes[j][k] = codeContrasts
				continue
			}
			for _, prev := range f.Terms[:j] {
				in := make(map[Variable]bool, len(prev.Vars))
				for _, v := range prev.Vars {
					in[v] = true
				}
				sub := true
				for v := range rest {
					if !in[v] {
						sub = false
						break
					}
				}
				if sub {
					codes[j][k] = codeContrasts
					break
				}
			}
		}
	}
	if !f.Intercept {
		// R scans terms in order and, within a term, variables in order,
		// and gives the first factor it meets full indicator coding.
	scan:
		for j, term := range f.Terms {
			for k, v := range term.Vars {
				if isFactor(v) {
					codes[j][k] = codeFull
					break scan
				}
			}
		}
	}
	return codes
}

// varEncoding is how one formula variable is read row by row.
type varEncoding struct {
	v   Variable
	col *Column
	// levels is the level order with the reference level first (nil for
	// a numeric variable); pos maps a schema category index to its place
	// in levels.
	levels []string
	pos    []int
	// cat is the inverse of pos: the schema index of levels[l].
	cat []int
}

// designColumn is one column of X: for each variable of its term, the
// level it indicates (-1 for a numeric variable).
type designColumn struct {
	term  int
	level []int
}

// checkDesignSize refuses a design above MaxDesignCells and a factor
// with a level in every row used (checkLevelsVsRows).
func checkDesignSize(f *Formula, enc map[Variable]*varEncoding, codes [][]int, rows []int) error {
	cols := 0.0
	if f.Intercept {
		cols = 1
	}
	var widest *Column
	for j, term := range f.Terms {
		levels := make([]int, len(term.Vars))
		for k, v := range term.Vars {
			if e := enc[v]; e.levels != nil {
				levels[k] = len(e.levels)
				if widest == nil || len(e.levels) > len(widest.Field.Categories) {
					widest = e.col
				}
			}
		}
		cols += termColumns(levels, codes[j])
	}
	if err := checkDesignCells(len(rows), cols, widest, "design"); err != nil {
		return err
	}
	for _, v := range f.Vars {
		if e := enc[v]; e.levels != nil {
			if err := checkLevelsVsRows(e.col, rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// buildDesign does everything Design does except the alias check. It
// also returns X transposed (p×n, nil when n < p), which checkAliased
// factors: written block by block with X, it costs no second pass over
// the n×p matrix, where a transposed copy of X read it column by column.
func buildDesign(t *Table, f *Formula, opts DesignOptions) (*DesignMatrix, *mat.Dense, error) {
	if t == nil || f == nil {
		return nil, nil, fmt.Errorf("design: no table or no formula")
	}
	outcome := f.Response
	if outcome == "" && t.Schema != nil {
		outcome = t.Schema.Outcome()
	}
	if outcome == "" {
		return nil, nil, fmt.Errorf("formula %s has no outcome and the schema marks no field with role %q (write outcome ~ terms)", f, RoleOutcome)
	}
	ycol, ok := t.Col(outcome)
	if !ok {
		return nil, nil, unknownVariable(t, outcome, "as outcome")
	}
	if !ycol.Field.IsNumeric() && !ycol.Field.IsCategorical() {
		return nil, nil, fmt.Errorf("outcome %s is text without categories (expected a 0/1 field)", outcome)
	}
	if ycol.Field.IsCategorical() && len(ycol.Field.Categories) != 2 {
		return nil, nil, fmt.Errorf("outcome %s has %d categories (%s); expected 2 (the first coded 0, the second 1)", outcome, len(ycol.Field.Categories), strings.Join(ycol.Field.CategoryNames(), ", "))
	}

	enc := make(map[Variable]*varEncoding, len(f.Vars))
	cols := []*Column{ycol}
	for _, v := range f.Vars {
		if !v.Log && v.Name == outcome {
			return nil, nil, fmt.Errorf("outcome %s is also used as a term", outcome)
		}
		c, err := usableColumn(t, v, "in formula")
		if err != nil {
			return nil, nil, err
		}
		e := &varEncoding{v: v, col: c}
		if c.Field.IsCategorical() {
			names := c.Field.CategoryNames()
			ref := 0
			if lab, ok := opts.Ref[v.Name]; ok {
				r, ok := c.Field.CategoryIndex(lab)
				if !ok {
					return nil, nil, &OptionError{fmt.Errorf("reference level %q is not a level of %s (valid: %s)", elideValue(lab), v.Name, elideList(names, ", "))}
				}
				ref = r
			}
			e.pos = make([]int, len(names))
			e.levels = append(e.levels, names[ref])
			e.cat = append(e.cat, ref)
			e.pos[ref] = 0
			for i, n := range names {
				if i != ref {
					e.pos[i] = len(e.levels)
					e.levels = append(e.levels, n)
					e.cat = append(e.cat, i)
				}
			}
		}
		enc[v] = e
		cols = append(cols, c)
	}
	for name, lab := range opts.Ref {
		fld, ok := t.Col(name)
		if !ok {
			return nil, nil, &OptionError{unknownVariable(t, name, "in reference levels")}
		}
		used := false
		for _, v := range f.Vars {
			used = used || v.Name == name
		}
		if used && !fld.Field.IsCategorical() {
			return nil, nil, &OptionError{fmt.Errorf("reference level %q given for %s, which is not categorical", elideValue(lab), name)}
		}
	}

	rows, excluded, counts := listwiseRows(t, cols)
	if len(rows) == 0 {
		names := make([]string, len(counts))
		for i, c := range counts {
			names[i] = c.Variable
		}
		return nil, nil, fmt.Errorf("%s: all %d rows have a missing value in %s (no rows left for the model)", designSource(t), t.NRows(), strings.Join(names, ", "))
	}
	// The checks of the variables and of the outcome read different
	// columns, so they run in parallel on a large table; parallel.Map
	// returns the error of the lowest index, the one the sequential order
	// (each variable in formula order, finite before log, then the
	// outcome) meets first.
	y := make([]float64, len(rows))
	var seen [2]bool
	vars := f.Vars
	if err := parallel.Map(len(vars)+1, rowWorkers(len(rows)), func(k int) error {
		if k == len(vars) {
			return outcomeValues(t, ycol, rows, y, &seen)
		}
		c := enc[vars[k]].col
		if err := checkFinite(t, c, rows); err != nil {
			return err
		}
		if vars[k].Log {
			return checkLogPositive(t, c, rows)
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	if !seen[0] || !seen[1] {
		return nil, nil, fmt.Errorf("outcome %s has only one value (%s) in the %d rows used", outcome, ycol.Value(rows[0]), len(rows))
	}

	codes := termCodes(f, func(v Variable) bool { return enc[v].levels != nil })
	// Bound the matrix by design, before its names or cells are made:
	// the column count is a product of level counts and may be huge.
	if err := checkDesignSize(f, enc, codes, rows); err != nil {
		return nil, nil, err
	}
	dm := &DesignMatrix{Y: y, Rows: rows, Excluded: excluded, MissingByVar: counts, Outcome: outcome}
	dm.Groups = append([]string{"(Intercept)"}, f.Labels()...)
	var dcols []designColumn
	if f.Intercept {
		dm.Names = append(dm.Names, "(Intercept)")
		dm.Assign = append(dm.Assign, 0)
		dcols = append(dcols, designColumn{term: -1})
		dm.cells = append(dm.cells, nil)
	}
	for j, term := range f.Terms {
		// Enumerate the columns of the term with the first variable's
		// columns varying fastest, as R's model.matrix.
		ranges := make([][]int, len(term.Vars))
		labels := make([][]string, len(term.Vars))
		for k, v := range term.Vars {
			e := enc[v]
			if e.levels == nil {
				ranges[k], labels[k] = []int{-1}, []string{v.String()}
				continue
			}
			first := 1
			if codes[j][k] == codeFull {
				first = 0
			}
			for l := first; l < len(e.levels); l++ {
				ranges[k] = append(ranges[k], l)
				labels[k] = append(labels[k], levelName(v.String(), e.levels[l]))
			}
		}
		idx := make([]int, len(term.Vars))
		for {
			lv := make([]int, len(term.Vars))
			parts := make([]string, len(term.Vars))
			var conds []levelCond
			for k, v := range term.Vars {
				lv[k] = ranges[k][idx[k]]
				parts[k] = labels[k][idx[k]]
				if e := enc[v]; lv[k] >= 0 {
					conds = append(conds, levelCond{col: e.col, cat: e.cat[lv[k]], label: e.levels[lv[k]]})
				}
			}
			dm.cells = append(dm.cells, conds)
			dcols = append(dcols, designColumn{term: j, level: lv})
			dm.Names = append(dm.Names, strings.Join(parts, ":"))
			dm.Assign = append(dm.Assign, j+1)
			k := 0
			for ; k < len(idx); k++ {
				idx[k]++
				if idx[k] < len(ranges[k]) {
					break
				}
				idx[k] = 0
			}
			if k == len(idx) {
				break
			}
		}
	}

	p := len(dcols)
	if p == 0 {
		return nil, nil, fmt.Errorf("formula %s has no columns (no intercept and no terms)", f)
	}
	n := len(rows)
	data := make([]float64, n*p)
	var xt *mat.Dense
	var xtData []float64
	if n >= p {
		xt = mat.NewDense(p, n, nil)
		xtData = xt.RawMatrix().Data
	}
	fillDesign(data, xtData, rows, designSources(f, enc, dcols))
	dm.X = mat.NewDense(n, p, data)
	return dm, xt, nil
}

// parallelRows is the number of rows from which the passes over a
// table's columns run in parallel: below it, starting goroutines costs
// more than it saves.
const parallelRows = 1 << 15

// rowWorkers is the number of goroutines for parallel.Map over the
// columns of n rows: 1 (the calling goroutine) for a small table, else
// GOMAXPROCS (0).
func rowWorkers(n int) int {
	if n < parallelRows {
		return 1
	}
	return 0
}

// outcomeValues copies the outcome of the rows used into y and marks in
// seen the values it takes; a value other than 0 or 1 is an error that
// names its line.
func outcomeValues(t *Table, ycol *Column, rows []int, y []float64, seen *[2]bool) error {
	if allRows(ycol.Num, rows) {
		copy(y, ycol.Num)
	} else {
		for r, i := range rows {
			y[r] = ycol.Num[i]
		}
	}
	for r, yv := range y {
		switch yv {
		case 0:
			seen[0] = true
		case 1:
			seen[1] = true
		default:
			i := rows[r]
			return fmt.Errorf("%s:%d:%s: outcome is %s (expected 0 or 1)", designSource(t), designLine(t, i), ycol.Field.Name, strconv.FormatFloat(yv, 'g', -1, 64))
		}
	}
	return nil
}

// Kinds of design column, by how a row's value is computed.
const (
	srcOne     = iota // the intercept: 1
	srcNum            // a numeric variable: its value
	srcLog            // log(a numeric variable)
	srcLevel          // a factor's indicator: 1 in rows of the level, else 0
	srcProduct        // an interaction: the product of its variables' columns
)

// colSource is how one design column is computed from a row of the
// table, resolved once so that the fill does no map look-up and no
// per-row work for variables the column does not use.
type colSource struct {
	kind int
	// num is the variable's values (srcNum, srcLog, srcLevel).
	num []float64
	// cat is the schema category index srcLevel indicates.
	cat int
	// factors are the variables of a srcProduct column, in term order.
	factors []productFactor
}

// productFactor is one variable of an interaction column: a numeric
// value (log applied when log is set) or, when cat ≥ 0, the indicator of
// schema category cat.
type productFactor struct {
	num []float64
	log bool
	cat int
}

// designSources resolves how each design column is computed. A factor's
// level l is compared as its schema index e.cat[l]: e.pos and e.cat are
// inverse permutations, so pos[v] == l exactly when v == cat[l].
func designSources(f *Formula, enc map[Variable]*varEncoding, dcols []designColumn) []colSource {
	srcs := make([]colSource, len(dcols))
	for c, dc := range dcols {
		if dc.term < 0 {
			srcs[c] = colSource{kind: srcOne}
			continue
		}
		vars := f.Terms[dc.term].Vars
		factors := make([]productFactor, len(vars))
		for k, v := range vars {
			e := enc[v]
			factors[k] = productFactor{num: e.col.Num, log: v.Log, cat: -1}
			if l := dc.level[k]; l >= 0 {
				factors[k].cat = e.cat[l]
			}
		}
		switch fc := factors[0]; {
		case len(factors) > 1:
			srcs[c] = colSource{kind: srcProduct, factors: factors}
		case fc.cat >= 0:
			srcs[c] = colSource{kind: srcLevel, num: fc.num, cat: fc.cat}
		case fc.log:
			srcs[c] = colSource{kind: srcLog, num: fc.num}
		default:
			srcs[c] = colSource{kind: srcNum, num: fc.num}
		}
	}
	return srcs
}

// maxFillBlock is the most rows fillDesign fills at a time: each block
// of about 16384 cells, at least 64 rows, has its column buffer on the
// stack.
const maxFillBlock = 2048

// fillDesign writes row r of X (n×p, row-major, n = len(rows)) from
// table row rows[r], and, when xt is not nil, X transposed (p×n). Rows
// are filled in blocks: each column's values for the block go to a
// contiguous buffer, which is copied into xt and spread into X's block
// (in cache while its columns are written). The blocks are independent
// and run in parallel. Every cell is computed as the row-by-row loop
// this replaced (designOld in the tests) did: x = 1, then for each
// variable of the term in order, 0 and stop at a level the row does not
// have, else x *= value (1·v is v, bit for bit, so a one-variable column
// is the value itself). A cell depends on its row alone, so the bits do
// not depend on the blocking or on the number of goroutines.
func fillDesign(data, xt []float64, rows []int, srcs []colSource) {
	n, p := len(rows), len(srcs)
	// rows are increasing (listwiseRows), so n rows ending at n−1 are
	// all the rows: a column's values for a block are then a subslice.
	all := n > 0 && rows[n-1] == n-1
	block := min(maxFillBlock, max(64, 16384/p))
	nb := (n + block - 1) / block
	// The tasks cannot fail.
	_ = parallel.Map(nb, rowWorkers(n), func(b int) error {
		lo, hi := b*block, min(n, (b+1)*block)
		rb := rows[lo:hi]
		d := data[lo*p : hi*p]
		var stack [maxFillBlock]float64
		buf := stack[:len(rb)]
		for c, src := range srcs {
			vals := buf
			// The kind is decided once per column and block, not per cell.
			switch src.kind {
			case srcOne:
				for k := range vals {
					vals[k] = 1
				}
			case srcNum:
				if all {
					vals = src.num[lo:hi]
					break
				}
				for k, i := range rb {
					vals[k] = src.num[i]
				}
			case srcLog:
				for k, i := range rb {
					vals[k] = math.Log(src.num[i])
				}
			case srcLevel:
				for k, i := range rb {
					vals[k] = 0
					if int(src.num[i]) == src.cat {
						vals[k] = 1
					}
				}
			default:
				for k, i := range rb {
					vals[k] = productValue(src.factors, i)
				}
			}
			// Column c of the block: every p-th cell from c on.
			for k, j := 0, c; k < len(vals); k, j = k+1, j+p {
				d[j] = vals[k]
			}
			if xt != nil {
				copy(xt[c*n+lo:c*n+hi], vals)
			}
		}
		return nil
	})
}

// productValue is an interaction column's value in table row i.
func productValue(factors []productFactor, i int) float64 {
	x := 1.0
	for _, fc := range factors {
		switch {
		case fc.cat >= 0:
			if int(fc.num[i]) != fc.cat {
				return 0
			}
		case fc.log:
			x *= math.Log(fc.num[i])
		default:
			x *= fc.num[i]
		}
	}
	return x
}

// checkAliased finds the columns of X that are (numerically) linear
// combinations of the columns before them, the columns R's pivoting QR
// (dqrdc2, tol 1e-7) moves to the end and lm reports as NA. X is
// factored once by Householder reflections (X = QR, so the columns of R
// have the inner products of the columns of X, without squaring the
// condition number as X'X would); the greedy left-to-right check then
// works on the small p×p factor R. xt is X transposed when n ≥ p (nil:
// checkAliased copies it); it is overwritten.
func checkAliased(dm *DesignMatrix, xt *mat.Dense) *AliasError {
	n, p := dm.X.Dims()
	var work *mat.Dense
	if n >= p {
		// LQ of X' (its rows are X's columns, contiguous in memory) gives
		// X = QR with R = L': the same factor as a QR of X, several times
		// faster on a tall row-major matrix.
		// (mat.LQ would also form the n×n Q, hence LAPACK's dgelqf.)
		if xt == nil {
			xt = mat.DenseCopyOf(dm.X.T())
		}
		raw := xt.RawMatrix()
		tau := make([]float64, p)
		opt := []float64{0}
		lapack64.Gelqf(raw, tau, opt, -1)
		lwork := make([]float64, int(opt[0]))
		lapack64.Gelqf(raw, tau, lwork, len(lwork))
		work = mat.NewDense(p, p, nil)
		for i := 0; i < p; i++ {
			for j := 0; j <= i; j++ {
				work.Set(j, i, raw.Data[i*raw.Stride+j]) // R = L'
			}
		}
	} else {
		work = dm.X
	}
	m, _ := work.Dims()
	var aliased []AliasedColumn
	var kept []int
	col := func(j int) *mat.VecDense { return mat.VecDenseCopyOf(work.ColView(j)) }
	for j := 0; j < p; j++ {
		b := col(j)
		norm := mat.Norm(b, 2)
		if norm == 0 {
			aliased = append(aliased, zeroColumn(dm, j))
			continue
		}
		if len(kept) == 0 {
			kept = append(kept, j)
			continue
		}
		a := mat.NewDense(m, len(kept), nil)
		for k, kj := range kept {
			a.SetCol(k, mat.Col(nil, kj, work))
		}
		if len(kept) >= m {
			// The kept columns already span the whole space.
			aliased = append(aliased, aliasedOf(dm, j, kept, nil, nil))
			continue
		}
		var qr mat.QR
		qr.Factorize(a)
		var c mat.VecDense
		if err := qr.SolveVecTo(&c, false, b); err != nil {
			kept = append(kept, j)
			continue
		}
		var fit, res mat.VecDense
		fit.MulVec(a, &c)
		res.SubVec(b, &fit)
		if mat.Norm(&res, 2) < AliasTol*norm {
			norms := make([]float64, len(kept))
			for k := range kept {
				norms[k] = mat.Norm(a.ColView(k), 2)
			}
			aliased = append(aliased, aliasedOf(dm, j, kept, c.RawVector().Data, norms))
			continue
		}
		kept = append(kept, j)
	}
	if len(aliased) == 0 {
		return nil
	}
	return &AliasError{Columns: aliased}
}

// aliasedOf describes column j as a combination of the kept columns with
// a non-negligible coefficient.
func aliasedOf(dm *DesignMatrix, j int, kept []int, coef, norms []float64) AliasedColumn {
	normJ := mat.Norm(dm.X.ColView(j), 2)
	var of []string
	for k, kj := range kept {
		if coef == nil || math.Abs(coef[k])*norms[k] > 1e-6*normJ {
			of = append(of, dm.Names[kj])
		}
	}
	return AliasedColumn{Name: dm.Names[j], Of: of, Reason: fmt.Sprintf("%s is a linear combination of %s", dm.Names[j], strings.Join(of, ", "))}
}

// zeroColumn explains an all-zero column: usually a level (or a
// combination of levels) that no used row has, which it names in Empty.
func zeroColumn(dm *DesignMatrix, j int) AliasedColumn {
	name := dm.Names[j]
	if conds := dm.cells[j]; len(conds) > 0 {
		count := 0
		for _, i := range dm.Rows {
			all := true
			for _, c := range conds {
				all = all && int(c.col.Num[i]) == c.cat
			}
			if all {
				count++
			}
		}
		if count == 0 {
			parts := make([]string, len(conds))
			empty := make([]VarLevel, len(conds))
			for k, c := range conds {
				parts[k] = c.col.Field.Name + " = " + c.label
				empty[k] = VarLevel{Variable: c.col.Field.Name, Level: c.label}
			}
			return AliasedColumn{Name: name, Empty: empty, Zero: true, Reason: fmt.Sprintf("%s: no rows with %s among the rows used", name, strings.Join(parts, " and "))}
		}
		parts := make([]string, len(conds))
		for k, c := range conds {
			parts[k] = c.col.Field.Name + " = " + c.label
		}
		return AliasedColumn{Name: name, Zero: true, Reason: fmt.Sprintf("%s is 0 in all %d rows used with %s (its numeric part is 0 there)", name, count, strings.Join(parts, " and "))}
	}
	return AliasedColumn{Name: name, Zero: true, Reason: fmt.Sprintf("%s is 0 in all %d rows used", name, len(dm.Rows))}
}
