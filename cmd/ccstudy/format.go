package main

import (
	"fmt"
	"math"
	"strconv"

	"github.com/ccstudy/ccstudy/internal/report"
)

// Number formatting for the text tables. JSON output keeps full
// precision; these are for people reading a terminal.

// fmtNum shows two decimals below 10 and one above, as journals print
// descriptive statistics, and four significant digits in scientific
// notation from 1e15 on, where fixed notation would print up to 309
// digits of which only 17 mean anything (R's format switches to
// scientific notation there too).
func fmtNum(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NA"
	case math.IsInf(x, 0):
		if x > 0 {
			return "Inf"
		}
		return "-Inf"
	case math.Abs(x) < 10:
		return strconv.FormatFloat(x, 'f', 2, 64)
	case math.Abs(x) >= 1e15:
		return strconv.FormatFloat(x, 'e', 3, 64)
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// fmtP prints a p-value as journals do: three decimals, "<0.001" below.
func fmtP(p *float64) string {
	if p == nil {
		return ""
	}
	return fmtPValue(*p)
}

func fmtPValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return "NA"
	case p < 0.001:
		return "<0.001"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

// fmtStat prints a test statistic with its degrees of freedom, if any.
func fmtStat(stat, df *float64) string {
	if stat == nil {
		return ""
	}
	s := strconv.FormatFloat(*stat, 'f', 3, 64)
	if df != nil {
		if *df == math.Trunc(*df) {
			s += fmt.Sprintf(" (df %d)", int(*df))
		} else {
			s += fmt.Sprintf(" (df %.1f)", *df)
		}
	}
	return s
}

// fmtOpt prints an optional number with a fixed number of decimals.
func fmtOpt(x *float64, decimals int) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', decimals, 64)
}

// sanitize keeps a name safe for every shell and file system, as the
// report names its files.
func sanitize(s string) string { return report.SafeName(s) }
