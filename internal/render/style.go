package render

import (
	"math"
	"strconv"
)

// The journal number style, one place for every table and format. It
// follows the AMA Manual of Style and NEJM's guidance for authors:
//   - p-values: "<0.001" below 0.001, three decimals below 0.01, two
//     decimals otherwise, except that a value which two decimals would
//     round to 0.05 keeps three (0.048 is not printed as 0.05), and
//     values above 0.99 print as ">0.99";
//   - ratios (odds ratios and their limits): two decimals, three
//     significant digits below 0.1 (0.0452), no decimals from 100 on
//     (2370), so that no limit reads as 0.00 or as a six-digit number;
//   - an estimate with its interval as "2.31 (1.10, 4.86)".
// JSON and tidy CSV keep full precision; these are for people.

// FormatP formats a p-value in the journal style; "NA" for NaN.
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "NA"
	case p < 0.001:
		return "<0.001"
	case p < 0.01:
		return strconv.FormatFloat(p, 'f', 3, 64)
	case p > 0.99:
		return ">0.99"
	}
	s := strconv.FormatFloat(p, 'f', 2, 64)
	if s == "0.05" {
		return strconv.FormatFloat(p, 'f', 3, 64)
	}
	return s
}

// FormatRatio formats an odds ratio or one of its limits in the journal
// style; "NA" for NaN, "Inf" for +Inf.
func FormatRatio(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NA"
	case math.IsInf(x, 1):
		return "Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	case x == 0:
		return "0"
	case math.Abs(x) < 0.1:
		return strconv.FormatFloat(x, 'g', 3, 64)
	case math.Abs(x) >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

// FormatRatioCI formats "estimate (lower, upper)" in the journal style.
func FormatRatioCI(est, lo, hi float64) string {
	return FormatRatio(est) + " (" + FormatRatio(lo) + ", " + FormatRatio(hi) + ")"
}

// RowKind says how a row of a journal table is typeset: a variable's
// header row carries its label (and its values when the variable takes
// one row); level rows sit indented beneath it.
type RowKind uint8

// The row kinds of Table.Kinds.
const (
	// RowData is an ordinary row.
	RowData RowKind = iota
	// RowHeader is a variable's header row, bold where the format allows.
	RowHeader
	// RowLevel is one level of the variable above it, indented.
	RowLevel
)

// FormatPRelation is a p-value for a sentence, with its relation: "=
// 0.02", "< 0.001", "> 0.99" (or "= NA"), so that "p %s" never reads
// "p = <0.001" or "p <0.001".
func FormatPRelation(p float64) string {
	s := FormatP(p)
	if s[0] == '<' || s[0] == '>' {
		return s[:1] + " " + s[1:]
	}
	return "= " + s
}
