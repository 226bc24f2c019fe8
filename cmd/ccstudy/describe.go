package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/spf13/cobra"
)

// DescribeOptions are the inputs of `ccstudy describe`.
type DescribeOptions struct {
	*GlobalOptions
	analysis.DescribeOptions
	// MembersFile is the cluster membership CSV of --by cluster.
	MembersFile string
}

// NewCmdDescribe prints Table 1.
func NewCmdDescribe(g *GlobalOptions, runF func(*DescribeOptions) error) *cobra.Command {
	opts := &DescribeOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "describe",
		Short: "Table 1: every variable among cases, controls and overall, with tests and SMDs",
		Long: `Print Table 1: every variable overall and among cases and controls, or
among the groups of --by: another binary field, a categorical field with
any number of levels, or the clusters of a membership file (--by cluster
--members FILE, the file ccstudy cluster --members FILE writes).

Categorical variables show n (%) per level (a 0/1 variable on one row,
its "1" level) and are tested by Pearson's chi-square on the levels ×
groups table, or Fisher's exact test when any expected count is below 5.
Continuous variables show mean (SD), or median [Q1, Q3] for --nonnormal
variables (default: the fields the schema analyses on the log scale).
With two groups they are tested by Welch's t-test (nonnormal: Wilcoxon
rank-sum); with three or more by Welch's one-way ANOVA, R's
oneway.test(var.equal = FALSE), chosen over the classical ANOVA because
it does not assume equal variances, as Welch's t-test for two groups
(nonnormal: Kruskal–Wallis, R's kruskal.test). Each variable has its
standardized mean difference (SMD); with k groups the mean of the
pairwise SMDs, as tableone prints it. Missing values are counted on a
"Missing" row. Rows whose group is missing, or that have no cluster in
the membership file, are excluded and counted in a note. A variable
whose test cannot be computed (one level observed, no values in a
group, ...) is marked with the reason; the rest of the table is printed
as usual.

The table is laid out as journals print Table 1: a row per variable
with its title, indented level rows, the Overall column and each group
with its N, p-values in the journal style with a footnote letter naming
the test. CSV is tidy: one row per variable, level and group (overall
included), with n, pct, mean, sd, median, q1, q3, missing, test,
statistic, df, df2, p_value and smd in numeric columns. Tables show the
schema's field titles and category labels (--lang picks the language);
JSON and CSV keep the codes, with the labels beside them.

` + describeByGroupsJSON,
		Example: `  ccstudy describe
  ccstudy describe --data birthwt.csv --schema birthwt.schema.json
  ccstudy describe --data birthwt.csv --schema birthwt.schema.json --vars age,lwt,race --nonnormal lwt --format markdown
  ccstudy describe --data birthwt.csv --schema birthwt.schema.json --by smoke
  ccstudy describe --data birthwt.csv --schema birthwt.schema.json --by race
  ccstudy cluster --k 3 --members members.csv && ccstudy describe --by cluster --members members.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DescribeOptions.Lang = g.Lang
			if runF != nil {
				return runF(opts)
			}
			return describeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.By, "by", "", "grouping variable: binary or categorical with any number of levels, or \"cluster\" with --members (default: the schema's outcome)")
	cmd.Flags().StringVar(&opts.MembersFile, "members", "", "with --by cluster: the cluster membership CSV (id,cluster) that ccstudy cluster --members writes")
	cmd.Flags().StringSliceVar(&opts.Vars, "vars", nil, "variables to describe, comma-separated (default: all but the id and the grouping variable)")
	cmd.Flags().StringVar(&opts.Strata, "strata", "", "matched-set variable of a matched design: Table 1 notes that its tests ignore the matching")
	cmd.Flags().StringSliceVar(&opts.Nonnormal, "nonnormal", nil, "continuous variables to show as median [Q1, Q3] (Wilcoxon or Kruskal–Wallis test), in addition to the schema's log-scale fields")
	return cmd
}

func describeRun(opts *DescribeOptions) error {
	if opts.MembersFile != "" && opts.By != analysis.ClusterBy {
		return usageError{fmt.Errorf("--members groups Table 1 by cluster: use it with --by %s", analysis.ClusterBy)}
	}
	if opts.MembersFile != "" && opts.Output != "" {
		// -o over the membership file would destroy an input, as over --data.
		if out, err := os.Stat(opts.Output); err == nil && out.Mode().IsRegular() {
			if in, err := os.Stat(opts.MembersFile); err == nil && os.SameFile(out, in) {
				return usagef("-o %s is the input file of --members %s; ccstudy never writes over its input (expected another output path)", opts.Output, opts.MembersFile)
			}
		}
	}
	st, err := opts.LoadStudy()
	if err != nil {
		return err
	}
	if opts.MembersFile != "" {
		f, err := os.Open(opts.MembersFile)
		if err != nil {
			return err
		}
		m, err := analysis.ReadMembers(f, opts.MembersFile)
		f.Close()
		if err != nil {
			return err
		}
		opts.DescribeOptions.Members = m
	}
	res, err := analysis.Describe(st.Companies, opts.DescribeOptions)
	if analysis.IsOptionError(err) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	doc := describeDocument(res, st.Synthetic)
	if _, err := st.profile().productsSection(res, doc, opts.GlobalOptions.Lang); err != nil {
		return err
	}
	return opts.Emit(doc)
}

// describeDocument renders a describe result (also used by report).
func describeDocument(res *analysis.DescribeResult, embedded bool) *render.Document {
	doc := &render.Document{JSON: res}
	if embedded {
		markSynthetic(doc, res.Lang)
	}
	doc.Tables = append(doc.Tables, table1Table(res))
	// The notes of JSON name variables by code; people read the titles.
	for _, r := range res.Table1 {
		if r.Note != "" {
			doc.Epilogue = append(doc.Epilogue, fmt.Sprintf("%s: %s", r.VariableLabel, i18n.T(res.Lang, r.Note)))
		}
	}
	return doc
}

func countPct(n int, pct *float64) string {
	if pct == nil {
		return strconv.Itoa(n)
	}
	return fmt.Sprintf("%d (%.1f%%)", n, *pct)
}

func meanSD(m, sd *float64) string {
	if m == nil {
		return "–"
	}
	if sd == nil {
		return fmtNum(*m)
	}
	return fmt.Sprintf("%s (%s)", fmtNum(*m), fmtNum(*sd))
}

func medianIQR(m, q1, q3 *float64) string {
	if m == nil {
		return "–"
	}
	return fmt.Sprintf("%s [%s, %s]", fmtNum(*m), fmtNum(*q1), fmtNum(*q3))
}
