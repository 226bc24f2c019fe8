package dataset

// The design path as it was before issue 14 (commit 764d56f), kept to
// prove that the faster one gives the same bits: designOld is Design,
// and the others are the functions it called that have changed since.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// designOld is Design as it was.
func designOld(t *Table, f *Formula, opts DesignOptions) (*DesignMatrix, error) {
	dm, err := buildDesignOld(t, f, opts)
	if err != nil {
		return nil, err
	}
	if aerr := checkAliasedOld(dm); aerr != nil {
		return dm, aerr
	}
	return dm, nil
}

// buildDesignOld (buildDesign as it was) does everything Design does except the alias check.
func buildDesignOld(t *Table, f *Formula, opts DesignOptions) (*DesignMatrix, error) {
	if t == nil || f == nil {
		return nil, fmt.Errorf("design: no table or no formula")
	}
	outcome := f.Response
	if outcome == "" && t.Schema != nil {
		outcome = t.Schema.Outcome()
	}
	if outcome == "" {
		return nil, fmt.Errorf("formula %s has no outcome and the schema marks no field with role %q (write outcome ~ terms)", f, RoleOutcome)
	}
	ycol, ok := t.Col(outcome)
	if !ok {
		return nil, unknownVariable(t, outcome, "as outcome")
	}
	if !ycol.Field.IsNumeric() && !ycol.Field.IsCategorical() {
		return nil, fmt.Errorf("outcome %s is text without categories (expected a 0/1 field)", outcome)
	}
	if ycol.Field.IsCategorical() && len(ycol.Field.Categories) != 2 {
		return nil, fmt.Errorf("outcome %s has %d categories (%s); expected 2 (the first coded 0, the second 1)", outcome, len(ycol.Field.Categories), strings.Join(ycol.Field.CategoryNames(), ", "))
	}

	enc := make(map[Variable]*varEncoding, len(f.Vars))
	cols := []*Column{ycol}
	for _, v := range f.Vars {
		if !v.Log && v.Name == outcome {
			return nil, fmt.Errorf("outcome %s is also used as a term", outcome)
		}
		c, err := usableColumn(t, v, "in formula")
		if err != nil {
			return nil, err
		}
		e := &varEncoding{v: v, col: c}
		if c.Field.IsCategorical() {
			names := c.Field.CategoryNames()
			ref := 0
			if lab, ok := opts.Ref[v.Name]; ok {
				r, ok := c.Field.CategoryIndex(lab)
				if !ok {
					return nil, &OptionError{fmt.Errorf("reference level %q is not a level of %s (valid: %s)", elideValue(lab), v.Name, elideList(names, ", "))}
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
			return nil, &OptionError{unknownVariable(t, name, "in reference levels")}
		}
		used := false
		for _, v := range f.Vars {
			used = used || v.Name == name
		}
		if used && !fld.Field.IsCategorical() {
			return nil, &OptionError{fmt.Errorf("reference level %q given for %s, which is not categorical", elideValue(lab), name)}
		}
	}

	rows, excluded, counts := listwiseRowsOld(t, cols)
	if len(rows) == 0 {
		names := make([]string, len(counts))
		for i, c := range counts {
			names[i] = c.Variable
		}
		return nil, fmt.Errorf("%s: all %d rows have a missing value in %s (no rows left for the model)", designSource(t), t.NRows(), strings.Join(names, ", "))
	}
	for _, v := range f.Vars {
		if err := checkFiniteOld(t, enc[v].col, rows); err != nil {
			return nil, err
		}
		if v.Log {
			if err := checkLogPositiveOld(t, enc[v].col, rows); err != nil {
				return nil, err
			}
		}
	}

	y := make([]float64, len(rows))
	var seen [2]bool
	for r, i := range rows {
		yv := ycol.Num[i]
		if yv != 0 && yv != 1 {
			return nil, fmt.Errorf("%s:%d:%s: outcome is %s (expected 0 or 1)", designSource(t), designLine(t, i), outcome, strconv.FormatFloat(yv, 'g', -1, 64))
		}
		y[r] = yv
		seen[int(yv)] = true
	}
	if !seen[0] || !seen[1] {
		return nil, fmt.Errorf("outcome %s has only one value (%s) in the %d rows used", outcome, ycol.Value(rows[0]), len(rows))
	}

	codes := termCodes(f, func(v Variable) bool { return enc[v].levels != nil })
	// Bound the matrix by design, before its names or cells are made:
	// the column count is a product of level counts and may be huge.
	if err := checkDesignSize(f, enc, codes, rows); err != nil {
		return nil, err
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
		return nil, fmt.Errorf("formula %s has no columns (no intercept and no terms)", f)
	}
	data := make([]float64, len(rows)*p)
	vals := make([]float64, len(f.Vars))
	lvls := make([]int, len(f.Vars))
	vindex := make(map[Variable]int, len(f.Vars))
	for k, v := range f.Vars {
		vindex[v] = k
	}
	termVars := make([][]int, len(f.Terms))
	for j, term := range f.Terms {
		for _, v := range term.Vars {
			termVars[j] = append(termVars[j], vindex[v])
		}
	}
	encs := make([]*varEncoding, len(f.Vars))
	for k, v := range f.Vars {
		encs[k] = enc[v]
	}
	for r, i := range rows {
		for k, e := range encs {
			if e.levels != nil {
				lvls[k] = e.pos[int(e.col.Num[i])]
			} else {
				vals[k] = encValue(e.col, e.v, i)
			}
		}
		row := data[r*p : (r+1)*p]
		for c, dc := range dcols {
			if dc.term < 0 {
				row[c] = 1
				continue
			}
			x := 1.0
			for k, vi := range termVars[dc.term] {
				if l := dc.level[k]; l >= 0 {
					if lvls[vi] != l {
						x = 0
						break
					}
				} else {
					x *= vals[vi]
				}
			}
			row[c] = x
		}
	}
	dm.X = mat.NewDense(len(rows), p, data)
	return dm, nil
}

// checkAliasedOld (checkAliased as it was) finds the columns of X that are (numerically) linear
// combinations of the columns before them, the columns R's pivoting QR
// (dqrdc2, tol 1e-7) moves to the end and lm reports as NA. X is
// factored once by Householder reflections (X = QR, so the columns of R
// have the inner products of the columns of X, without squaring the
// condition number as X'X would); the greedy left-to-right check then
// works on the small p×p factor R.
func checkAliasedOld(dm *DesignMatrix) *AliasError {
	n, p := dm.X.Dims()
	var work *mat.Dense
	if n >= p {
		// LQ of X' (its rows are X's columns, contiguous in memory) gives
		// X = QR with R = L': the same factor as a QR of X, several times
		// faster on a tall row-major matrix.
		// (mat.LQ would also form the n×n Q, hence LAPACK's dgelqf.)
		xt := mat.DenseCopyOf(dm.X.T())
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

// listwiseRowsOld (listwiseRows as it was) keeps the rows with no missing value in any of cols (which may
// repeat). Reasons and counts name the variables in schema order.
func listwiseRowsOld(t *Table, cols []*Column) (rows []int, excluded []Exclusion, counts []VarCount) {
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
	for k, c := range used {
		counts[k] = VarCount{Variable: c.Field.Name, Missing: c.CountMissing()}
	}
	rows = make([]int, 0, t.NRows())
	var miss []string
	for i := 0; i < t.NRows(); i++ {
		miss = miss[:0]
		for _, c := range used {
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

// checkLogPositiveOld (checkLogPositive as it was) reports the first used row where log() is undefined.
func checkLogPositiveOld(t *Table, c *Column, rows []int) error {
	for _, i := range rows {
		if x := c.Num[i]; !(x > 0) || math.IsInf(x, 1) {
			return fmt.Errorf("%s:%d:%s: log() of %s (expected a positive number)", designSource(t), designLine(t, i), c.Field.Name, strconv.FormatFloat(x, 'g', -1, 64))
		}
	}
	return nil
}

// checkFiniteOld (checkFinite as it was) rejects a NaN or infinite number that is not flagged
// missing, so it cannot reach a model silently.
func checkFiniteOld(t *Table, c *Column, rows []int) error {
	if c.Field.IsCategorical() {
		return nil
	}
	for _, i := range rows {
		if x := c.Num[i]; math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s:%d:%s: value %v is not a finite number", designSource(t), designLine(t, i), c.Field.Name, x)
		}
	}
	return nil
}
