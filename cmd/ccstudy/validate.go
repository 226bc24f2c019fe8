package main

import (
	"strconv"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/spf13/cobra"
)

// ValidateOptions are the inputs of `ccstudy validate`.
type ValidateOptions struct {
	*GlobalOptions
}

// ValidateResult is the JSON contract of `ccstudy validate`.
type ValidateResult struct {
	Data     dataset.DataInfo  `json:"data"`
	Summary  dataset.Summary   `json:"summary"`
	Products *dataset.DataInfo `json:"products,omitempty"`
}

// NewCmdValidate checks the data against its schema.
func NewCmdValidate(g *GlobalOptions, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check a CSV against its Table Schema and report every problem",
		Long: `Check the data (and, for the reference study, its products file) against the Table Schema.

Every problem is reported as FILE:ROW:COLUMN: what is wrong (expected ...),
all at once (up to 50), with exit status 1; the same problem in one column
is shown three times, then counted ("... and 197 more rows with the same
problem"). A schema is checked first: an unknown key is an error with the
closest known one ("rol": did you mean "role"?). Valid data gets a one-line
summary and a table of missing cells per column. With --expect-cases and
--expect-controls, a different case/control count is a warning (on
standard error and in the JSON), not an error.

Without --schema the file is read with the built-in schema of the
reference study; for your own CSV, draft a schema with
'ccstudy schema infer FILE', edit it, and pass it with --schema.`,
		Example: `  ccstudy validate
  ccstudy schema infer my_study.csv > my_study.schema.json
  ccstudy validate --data my_study.csv --schema my_study.schema.json
  cat my_study.csv | ccstudy validate --data - --schema my_study.schema.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			if opts.ExpectCases < 0 || opts.ExpectControls < 0 {
				return usagef("--expect-cases and --expect-controls must not be negative")
			}
			return validateRun(opts)
		},
	}
	cmd.Flags().IntVar(&g.ExpectCases, "expect-cases", 0, "number of cases the design promises (a different count is a warning)")
	cmd.Flags().IntVar(&g.ExpectControls, "expect-controls", 0, "number of controls the design promises (a different count is a warning)")
	return cmd
}

func validateRun(opts *ValidateOptions) error {
	st, err := opts.LoadStudy()
	if err != nil {
		return err
	}
	for _, w := range st.Companies.Warnings {
		opts.warn("%s", w)
	}
	sum := dataset.Summarize(st.Companies)
	res := ValidateResult{Data: dataset.NewDataInfo(st.Companies), Summary: sum}
	doc := &render.Document{JSON: res}
	lang := opts.Lang
	if n := st.profile().notice(lang); n != "" {
		doc.Preamble, doc.Synthetic = []string{n}, n
	}
	line := summaryLine(st.Companies.Source, sum, lang)
	if st.Products != nil {
		pi := dataset.NewDataInfo(st.Products)
		res.Products = &pi
		doc.JSON = res
		line += ", " + strconv.Itoa(st.Products.NRows()) + " " + i18n.T(lang, "products")
	}
	doc.Preamble = append(doc.Preamble, line)
	// The CSV's headers are the same in every --lang.
	t := render.Table{Name: "missing", Title: i18n.T(lang, "Missing cells per column"), Columns: []string{i18n.T(lang, "column"), i18n.T(lang, "missing")},
		RawColumns: []string{"column", "n_missing"}}
	for _, m := range sum.Missing {
		t.Rows = append(t.Rows, []string{m.Column, strconv.Itoa(m.Missing)})
	}
	t.RawRows = t.Rows
	doc.Tables = []render.Table{t}
	return opts.Emit(doc)
}

// summaryLine is "SOURCE: valid: N rows, C cases, K controls" in lang.
func summaryLine(source string, s dataset.Summary, lang string) string {
	line := source + ": " + i18n.T(lang, "valid") + ": " + strconv.Itoa(s.Rows) + " " + i18n.T(lang, "rows")
	if s.Cases != nil && s.Controls != nil {
		line += ", " + strconv.Itoa(*s.Cases) + " " + i18n.T(lang, "cases") + ", " + strconv.Itoa(*s.Controls) + " " + i18n.T(lang, "controls")
	}
	return line
}
