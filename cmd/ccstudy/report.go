package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/figures"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/report"
	"github.com/spf13/cobra"
)

// ReportOptions are the inputs of `ccstudy report`: an out-dir and the
// options of every step, passed through to describe, cluster, logit and
// subgroup.
type ReportOptions struct {
	*GlobalOptions
	OutDir string
	Force  bool
	// FigureFormats are the figure files written (--figure-format), DPI
	// the resolution of the raster ones (--dpi; 0 for each format's
	// default).
	FigureFormats []string
	DPI           int
	Describe      analysis.DescribeOptions
	Logit         LogitOptions
	Cluster       ClusterOptions
	Subgroup      analysis.SubgroupOptions
}

// NewCmdReport runs the whole study and writes or prints the report.
func NewCmdReport(g *GlobalOptions, runF func(*ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{GlobalOptions: g}
	opts.Logit.GlobalOptions = g
	opts.Cluster.GlobalOptions = g
	cmd := &cobra.Command{
		Use:   "report [--out-dir DIR]",
		Short: "The whole study in one command: Table 1, clusters, Table 2, subgroups, with figures",
		Long: `Run describe, cluster, logit and subgroup with their defaults (or the
options below) and report every table and figure.

Without --out-dir the report is printed to standard output (--format table,
markdown, json, html or latex; docx and xlsx with -o FILE), so it can be
piped. With --out-dir DIR it writes:

  report.md       the narrative report (Markdown that pandoc converts,
                  PNG figures linked)
  report.html     one self-contained page with the figures inline (SVG)
  report.docx     the report as a Word document: headings, Word tables,
                  figures embedded
  tables.xlsx     every table as an Excel sheet (and a tidy NAME_data
                  sheet beside a formatted one)
  tables/*.csv    every table; tables/<step>.json the full results
  figures/*.svg   and *.png (--figure-format adds pdf and tiff): forest
                  plots, k selection, cluster heat map, case share per
                  cluster (and, for the reference study, products per year)
  manifest.json   tool and Go version, data sha256, seed, command line,
                  settings, figure formats and dpi, per-step timings

PNG is always written (report.md links it, report.docx embeds it), at 150
dpi unless --dpi; TIFF at 300 dpi unless --dpi; SVG and PDF are vector
(PDF with its fonts embedded, as journals ask).

DIR is checked before any analysis runs (a file, a dangling link or a
folder you cannot write in is refused at once). The report is written in
full into a hidden .ccstudy-report-* folder inside DIR (so DIR may be a
mount point or a link to another disk) and swapped in at the end as one
step: an interrupted or failed run leaves the old report or the new one,
never a mix, and no temporary folder. An existing, non-empty DIR is
refused unless --force, which replaces the previous report's own files
(those its manifest.json lists) and leaves every other file alone, inside
tables/ and figures/ too. The last line on standard error says what was
written where (not with --quiet).

The report is titled by the schema's "title" (in --lang when its "titles"
map has that language), the outcome named by its field's title. Subgroups
default to the fields with "role": "subgroup"; without any (and no --by)
the subgroup step is skipped with a note. A step that fails is marked in
the report, the other steps are still written, and the exit status is 1;
a skipped step does not change the exit status.`,
		Example: `  ccstudy report --out-dir results
  ccstudy report --format markdown > report.md
  ccstudy report --out-dir results --k 3 --gap-b 100 --method firth
  ccstudy report --out-dir results --figure-format pdf,tiff --dpi 600`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.check(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return reportRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.OutDir, "out-dir", "", "write report.md, report.html, tables/, figures/ and manifest.json to DIR")
	f.BoolVar(&opts.Force, "force", false, "replace the report files in a non-empty --out-dir")
	f.StringSliceVar(&opts.FigureFormats, "figure-format", []string{"svg", "png"}, "figure files to write: "+strings.Join(figures.Formats, ", ")+" (png is always written)")
	f.IntVar(&opts.DPI, "dpi", 0, "resolution of the PNG and TIFF figures (default 150 for PNG, 300 for TIFF)")
	f.StringSliceVar(&opts.Describe.Nonnormal, "nonnormal", nil, "describe: extra nonnormal variables")
	// logit and subgroup share the model flags.
	addModelFlags(f, &opts.Logit.LogitOptions, &opts.Logit.modelFlags)
	f.StringArrayVar(&opts.Subgroup.By, "by", nil, `subgroup: SPEC (repeatable; default: the fields with "role": "subgroup")`)
	f.StringArrayVar(&opts.Subgroup.Exposures, "exposure", nil, "subgroup: extra binary exposure VAR=LEVEL for Mantel-Haenszel")
	addClusterFlags(f, &opts.Cluster.ClusterOptions, &opts.Cluster.clusterFlags, "cluster-vars")
	return cmd
}

// check validates the pass-through options as the single commands do.
func (o *ReportOptions) check(cmd *cobra.Command) error {
	if o.Table != "" {
		// Silently writing every table anyway would look like a bug.
		return usagef("--table %s: report writes every table (tables/*.csv, tables.xlsx); select one table from a single command instead (expected e.g. 'ccstudy logit --table %s')", o.Table, o.Table)
	}
	l := &o.Logit
	if err := l.modelFlags.check(&l.LogitOptions); err != nil {
		return err
	}
	l.Univariable = true
	l.LogitOptions.Lang = o.Lang
	if err := o.Cluster.clusterFlags.check(cmd, &o.Cluster.ClusterOptions, o.Seed); err != nil {
		return err
	}
	o.Subgroup.LogitOptions = l.LogitOptions
	o.Describe.Lang, o.Cluster.ClusterOptions.Lang = o.Lang, o.Lang
	if err := checkFigureFormats(o.FigureFormats, o.DPI); err != nil {
		return err
	}
	if o.OutDir != "" {
		return report.CheckOutDir(o.OutDir, o.Force)
	}
	return nil
}

// reportSteps are the report's analyses in order; a new step is one more
// entry. Each renders without the synthetic notice, which the report
// states once. p is the study's profile, lang the language of the fixed
// words.
func reportSteps(o *ReportOptions, p profile, lang string) []report.Step[*Study] {
	T := func(s string) string { return i18n.T(lang, s) }
	steps := []report.Step[*Study]{
		{Name: "describe", Title: T("Descriptive statistics"), Settings: map[string]any{"nonnormal": o.Describe.Nonnormal},
			Run: func(st *Study) (report.Output, error) {
				res, err := analysis.Describe(st.Companies, o.Describe)
				if err != nil {
					return report.Output{}, err
				}
				doc := describeDocument(res, false)
				figs, err := p.productsSection(res, doc, lang)
				if err != nil {
					return report.Output{}, err
				}
				return report.Output{Result: doc.JSON, Doc: doc, Figures: figs}, nil
			}},
		{Name: "cluster", Title: T("Cluster analysis (K-means typology)"), Settings: o.Cluster.ClusterOptions,
			Run: func(st *Study) (report.Output, error) {
				res, err := analysis.Cluster(st.Companies, o.Cluster.ClusterOptions)
				if err != nil {
					return report.Output{}, err
				}
				return report.Output{Result: res, Doc: clusterDocument(res, false), Figures: clusterFigures(res, p, lang)}, nil
			}},
		{Name: "logit", Title: T("Multivariable logistic regression"), Settings: o.Logit.LogitOptions,
			Run: func(st *Study) (report.Output, error) {
				res, err := analysis.Logit(st.Companies, o.Logit.LogitOptions)
				if err != nil {
					return report.Output{}, err
				}
				return report.Output{Result: res, Doc: logitDocument(res, &o.Logit, false), Figures: logitFigures(res, o.Logit.Level, p, lang)}, nil
			}},
		{Name: "subgroup", Title: T("Heterogeneity across subgroups"), Settings: map[string]any{"by": o.Subgroup.By, "exposures": o.Subgroup.Exposures},
			Run: func(st *Study) (report.Output, error) {
				if len(o.Subgroup.By) == 0 {
					return report.Output{}, report.Skip(T(noSubgroupsNote))
				}
				res, err := analysis.Subgroup(st.Companies, o.Subgroup)
				if err != nil {
					return report.Output{}, err
				}
				return report.Output{Result: res, Doc: subgroupDocument(res, false), Figures: subgroupFigures(res, lang)}, nil
			}},
	}
	// Every figure of synthetic data says so inside the image, which may
	// be copied out of the report on its own.
	for i := range steps {
		run := steps[i].Run
		steps[i].Run = func(st *Study) (report.Output, error) {
			out, err := run(st)
			if st.Synthetic {
				out.Figures = captionSynthetic(out.Figures)
			}
			return out, err
		}
	}
	return steps
}

func reportRun(opts *ReportOptions) error {
	st, err := opts.LoadStudy()
	if err != nil {
		return err
	}
	p, lang := st.profile(), opts.Lang
	if len(opts.Subgroup.By) == 0 {
		// The defaults are resolved here so the manifest records them.
		opts.Subgroup.By = p.subgroups(st.Companies.Schema)
	}
	v := CurrentVersion()
	r := &report.Report{Title: p.title(lang), Lang: lang, Notice: p.notice(lang), Summary: reportSummary(st, opts), Synthetic: st.Synthetic,
		Inputs: []report.Input{{Role: p.inputRole(), Table: st.Companies}, {Role: "products", Table: st.Products}},
		Seed:   opts.Seed, CommandLine: append([]string{"ccstudy"}, opts.Args...),
		Version: v.Version, GoVersion: v.GoVersion, Revision: v.Revision,
		Figures: figureSettings(opts.FigureFormats, opts.DPI)}
	r.Sections = report.Run(reportSteps(opts, p, lang), st, report.NewProgress(opts.IO.ErrOut, opts.Quiet), opts.warn)
	switch {
	case opts.OutDir != "":
		written, err := r.Write(opts.OutDir)
		if err != nil {
			return err
		}
		opts.notice("%s", wroteReport(lang, opts.OutDir, written))
	case opts.Output != "":
		if err := opts.Emit(r.Document()); err != nil {
			return err
		}
		opts.notice("%s", i18n.Tf(lang, "wrote the report to %s", opts.Output))
	default:
		if err := opts.Emit(r.Document()); err != nil {
			return err
		}
	}
	if failed := r.Failed(); len(failed) > 0 {
		return fmt.Errorf("report: step(s) %s failed; the other steps were reported", strings.Join(failed, ", "))
	}
	return nil
}

// wroteReport is the one line `report --out-dir` ends with: where the
// report went and what it holds.
func wroteReport(lang, dir string, written []string) string {
	var tables, figures int
	for _, n := range written {
		switch {
		case strings.HasPrefix(n, "tables/"):
			tables++
		case strings.HasPrefix(n, "figures/"):
			figures++
		}
	}
	return i18n.Tf(lang, "wrote the report to %s: report.md, report.html, manifest.json, report.docx, tables.xlsx, %d files in tables/, %d in figures/", dir, tables, figures)
}

// reportSummary is the line on the data, seed and version under the
// report's notice.
func reportSummary(st *Study, opts *ReportOptions) string {
	lang := opts.Lang
	info := dataset.NewDataInfo(st.Companies)
	sum := dataset.Summarize(st.Companies)
	counts := strings.TrimPrefix(summaryLine("", sum, lang), ": "+i18n.T(lang, "valid")+": ")
	if st.Products != nil {
		counts += fmt.Sprintf(", %d %s", st.Products.NRows(), i18n.T(lang, "products"))
	}
	return i18n.Tf(lang, "Data: %s (sha256 %s…), %s. Seed %d. ccstudy %s.", info.Path, info.SHA256[:12], counts, opts.Seed, Version)
}

// checkFigureFormats refuses an unknown --figure-format or a --dpi
// outside what a raster figure can sensibly be drawn at (exit 2).
func checkFigureFormats(formats []string, dpi int) error {
	for _, f := range formats {
		if !slices.Contains(figures.Formats, f) {
			return usagef("--figure-format %q is not a figure format (expected a comma-separated list of %s)", f, strings.Join(figures.Formats, ", "))
		}
	}
	if dpi != 0 && (dpi < 72 || dpi > 1200) {
		return usagef("--dpi %d is out of range (expected 72 to 1200)", dpi)
	}
	return nil
}

// figureSettings resolves the figure formats (duplicates dropped, PNG
// added) and the resolution of each raster format, as the manifest
// records them.
func figureSettings(formats []string, dpi int) report.FigureSettings {
	var out report.FigureSettings
	for _, f := range append(append([]string(nil), formats...), "png") {
		if !slices.Contains(out.Formats, f) {
			out.Formats = append(out.Formats, f)
		}
	}
	out.DPI = map[string]int{}
	for _, f := range out.Formats {
		d := figures.DefaultDPI(f)
		if d > 0 && dpi > 0 {
			d = dpi
		}
		if d > 0 {
			out.DPI[f] = d
		}
	}
	return out
}
