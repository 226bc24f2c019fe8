// Package stats holds the descriptive statistics and hypothesis tests of a
// case-control "Table 1" and of the subgroup analysis: R type-7 quantiles,
// summaries, standardized mean differences (as tableone), Pearson chi-square,
// Fisher's exact test, Welch's t-test, the Wilcoxon rank-sum test, the
// chi-square test for trend, Holm and Benjamini-Hochberg adjustment, Cochran's
// Q with I², and the Mantel-Haenszel analysis of stratified 2×2 tables.
//
// Every function is pure: slices in, a result struct (snake_case JSON tags)
// out. Each one is checked against R in the package tests, using the values
// in testdata/reference/stats produced by stats_reference.R. Inputs that make
// a statistic undefined (empty groups, zero variance, zero margins) return an
// error that says why instead of a NaN.
package stats
