package dataset

import (
	"fmt"
	"math"
	"strconv"
)

// MaxDesignCells bounds the dense matrices Design and Indicators build,
// rows × columns, checked before anything of that size is allocated.
// 2e8 float64 cells are 1.6 GB: the largest matrix that, with the copies a
// fit makes of it (weighted rows, the cluster subsamples), stays within the
// memory of an ordinary laptop, while every design of a registry-sized
// study fits (10^7 rows × 20 columns, 10^6 rows × 200). Above it the
// number of columns almost always comes from a factor with thousands of
// levels (an identifier or free text marked categorical), which no model
// of a case-control study can estimate either.
const MaxDesignCells = 2e8

// DesignSizeError says that a dense design would exceed MaxDesignCells,
// or that a factor has at least as many levels present as the rows used.
// It is a data problem (exit 1), found before the matrix is allocated.
type DesignSizeError struct{ msg string }

func (e *DesignSizeError) Error() string { return e.msg }

// sci writes x as "2e8" or "1.5e20" (Go's %e gives "2e+08").
func sci(x float64) string {
	e := int(math.Floor(math.Log10(x)))
	m := x / math.Pow(10, float64(e))
	return strconv.FormatFloat(m, 'g', 3, 64) + "e" + strconv.Itoa(e)
}

// gbytes formats a byte count as "80 GB" or "1.6 GB".
func gbytes(b float64) string {
	gb := b / 1e9
	if gb >= 10 {
		return fmt.Sprintf("%.0f GB", gb)
	}
	if gb >= 0.1 {
		return fmt.Sprintf("%.1f GB", gb)
	}
	return fmt.Sprintf("%.0f MB", b/1e6)
}

// checkDesignCells refuses a rows × cols dense matrix above
// MaxDesignCells. cols is a float64 so that a product of level counts
// cannot overflow before it is compared. widest names the variable with
// the most levels (nil when none is categorical) and what it is used for.
func checkDesignCells(rows int, cols float64, widest *Column, what string) error {
	cells := float64(rows) * cols
	if cells <= MaxDesignCells {
		return nil
	}
	limit := fmt.Sprintf("ccstudy builds dense matrices up to %s cells (%s)", sci(MaxDesignCells), gbytes(8*MaxDesignCells))
	size := fmt.Sprintf("the %s would be %d rows × %.0f columns (%s); %s", what, rows, cols, gbytes(8*cells), limit)
	if cols > 1e15 {
		size = fmt.Sprintf("the %s would be %d rows × %s columns; %s", what, rows, sci(cols), limit)
	}
	if widest != nil && len(widest.Field.Categories) > 2 {
		return &DesignSizeError{fmt.Sprintf("%s has %d levels: %s — collapse the levels or leave %s out",
			widest.Field.Name, len(widest.Field.Categories), size, widest.Field.Name)}
	}
	return &DesignSizeError{fmt.Sprintf("%s — use fewer rows or fewer terms", size)}
}

// checkLevelsVsRows refuses a factor that takes a distinct level in
// (nearly) every row used: with levels present ≥ rows, each level has at
// most one row, so no coefficient of it is estimable (every one would be
// infinite or NA) and the design would be square in n.
func checkLevelsVsRows(c *Column, rows []int) error {
	k := len(c.Field.Categories)
	// A two-level factor in two rows is a separation problem, which the
	// fit reports with its own words.
	if k < len(rows) || k <= 2 {
		return nil
	}
	seen := make([]bool, k)
	present := 0
	for _, i := range rows {
		if l := int(c.Num[i]); l >= 0 && l < k && !seen[l] {
			seen[l] = true
			present++
		}
	}
	if present < len(rows) {
		return nil
	}
	return &DesignSizeError{fmt.Sprintf("%s has %d distinct levels in the %d rows used: a factor needs fewer levels than rows (each level several rows) to be estimated — collapse the levels or leave %s out",
		c.Field.Name, present, len(rows), c.Field.Name)}
}

// termColumns is the number of design columns of one term: the product
// over its variables of 1 (numeric), k−1 (contrasts) or k (full coding).
func termColumns(levels []int, codes []int) float64 {
	n := 1.0
	for k, l := range levels {
		if l == 0 {
			continue
		}
		if codes[k] == codeFull {
			n *= float64(l)
		} else {
			n *= float64(l - 1)
		}
		if math.IsInf(n, 1) {
			return n
		}
	}
	return n
}
