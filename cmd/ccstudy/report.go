package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/analysis"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/spf13/cobra"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/term"
)

// ReportOptions are the inputs of `ccstudy report`: an out-dir and the
// options of every step, passed through to describe, cluster, logit and
// subgroup.
type ReportOptions struct {
	*GlobalOptions
	OutDir   string
	Force    bool
	Describe analysis.DescribeOptions
	Logit    LogitOptions
	Cluster  ClusterOptions
	Subgroup analysis.SubgroupOptions
}

// NewCmdReport runs the whole study and writes or prints the report.
func NewCmdReport(g *GlobalOptions, runF func(*ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{GlobalOptions: g}
	opts.Logit.GlobalOptions = g
	opts.Cluster.GlobalOptions = g
	cmd := &cobra.Command{
		Use:   "report [--out-dir DIR]",
		Short: "The whole study in one command: Table 1, trend, clusters, Table 2, subgroups, with figures",
		Long: `Run describe, cluster, logit and subgroup with their defaults (or the
options below) and report every table and figure.

Without --out-dir the report is printed to standard output (--format table,
markdown or json), so it can be piped. With --out-dir DIR it writes:

  report.md       the narrative report (Markdown, figures linked)
  report.html     one self-contained page with the figures inline
  tables/*.csv    every table; tables/<step>.json the full results
  figures/*.svg   and *.png: products per year, forest plots, k selection,
                  cluster heat map, case share per cluster
  manifest.json   tool and Go version, data sha256, seed, command line,
                  settings and per-step timings

Everything is written to a temporary folder beside DIR and moved into place
at the end, so an interrupted run never leaves a half report. An existing,
non-empty DIR is refused unless --force, which replaces the report's own
files (report.md, report.html, manifest.json, tables/, figures/) and leaves
any other file alone. A step that fails is marked in the report; the other
steps are still written and the exit status is 1.`,
		Example: `  ccstudy report --out-dir results
  ccstudy report --format markdown > report.md
  ccstudy report --out-dir results --k 3 --gap-b 100 --method firth`,
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
	f.StringSliceVar(&opts.Describe.Nonnormal, "nonnormal", nil, "describe: extra nonnormal variables")
	// logit and subgroup share the model flags.
	addModelFlags(f, &opts.Logit.LogitOptions, &opts.Logit.modelFlags)
	f.StringArrayVar(&opts.Subgroup.By, "by", nil, "subgroup: SPEC (repeatable; default: the study's six)")
	f.StringArrayVar(&opts.Subgroup.Exposures, "exposure", nil, "subgroup: extra binary exposure VAR=LEVEL for Mantel-Haenszel")
	addClusterFlags(f, &opts.Cluster.ClusterOptions, &opts.Cluster.clusterFlags, "cluster-vars")
	return cmd
}

// check validates the pass-through options as the single commands do.
func (o *ReportOptions) check(cmd *cobra.Command) error {
	l := &o.Logit
	if err := l.modelFlags.check(&l.LogitOptions); err != nil {
		return err
	}
	l.Univariable = true
	if err := o.Cluster.clusterFlags.check(cmd, &o.Cluster.ClusterOptions, o.Seed); err != nil {
		return err
	}
	o.Subgroup.LogitOptions = l.LogitOptions
	if o.OutDir != "" {
		return checkOutDir(o.OutDir, o.Force)
	}
	return nil
}

// reportFiles are the names --force may replace in an existing out-dir.
var reportFiles = []string{"report.md", "report.html", "manifest.json", "tables", "figures"}

// checkOutDir refuses an out-dir that is a file, or a non-empty folder
// without --force, before any work is done.
func checkOutDir(dir string, force bool) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: cannot write the report there: %v (expected a folder path for --out-dir)", dir, unwrapPathErr(err))
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a folder (expected a folder for --out-dir)", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%s: %v", dir, unwrapPathErr(err))
	}
	if len(entries) > 0 && !force {
		return fmt.Errorf("%s exists and is not empty (use --force to replace its report files; other files are left alone)", dir)
	}
	return nil
}

// reportStep is one analysis of the report.
type reportStep struct {
	Name    string  `json:"name"`
	Title   string  `json:"-"`
	Status  string  `json:"status"`
	Error   string  `json:"error,omitempty"`
	Seconds float64 `json:"seconds"`
	doc     *render.Document
	result  any
	figures []namedFigure
}

// ReportResult is the JSON of `ccstudy report` without --out-dir.
type ReportResult struct {
	Data      dataset.DataInfo  `json:"data"`
	Synthetic bool              `json:"synthetic"`
	Steps     []ReportStepState `json:"steps"`
	Describe  any               `json:"describe,omitempty"`
	Cluster   any               `json:"cluster,omitempty"`
	Logit     any               `json:"logit,omitempty"`
	Subgroup  any               `json:"subgroup,omitempty"`
}

// ReportStepState is the outcome of one step.
type ReportStepState struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

func reportRun(opts *ReportOptions) error {
	st, err := opts.LoadStudy()
	if err != nil {
		return err
	}
	steps := []*reportStep{
		{Name: "describe", Title: "Descriptive statistics"},
		{Name: "cluster", Title: "Cluster analysis (K-means typology)"},
		{Name: "logit", Title: "Multivariable logistic regression"},
		{Name: "subgroup", Title: "Heterogeneity across subgroups"},
	}
	prog := newProgress(opts.GlobalOptions, len(steps))
	for i, s := range steps {
		prog.step(i, s.Name)
		start := time.Now()
		err := runStep(s, st, opts)
		s.Seconds = time.Since(start).Seconds()
		if err != nil {
			s.Status, s.Error = "failed", err.Error()
			opts.warn("report step %s failed: %v", s.Name, err)
			continue
		}
		s.Status = "ok"
	}
	prog.done()
	if opts.OutDir == "" {
		if err := opts.Emit(reportDocument(st, steps, opts)); err != nil {
			return err
		}
	} else if err := writeReport(st, steps, opts); err != nil {
		return err
	}
	var failed []string
	for _, s := range steps {
		if s.Status != "ok" {
			failed = append(failed, s.Name)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("report: step(s) %s failed; the other steps were reported", strings.Join(failed, ", "))
	}
	return nil
}

// runStep runs one analysis and renders it (without the synthetic
// notice, which the report states once).
func runStep(s *reportStep, st *Study, opts *ReportOptions) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	switch s.Name {
	case "describe":
		res, err := analysis.Describe(st.Companies, st.Products, opts.Describe)
		if err != nil {
			return err
		}
		s.result, s.doc = res, describeDocument(res, false)
		s.figures = describeFigures(res)
	case "cluster":
		res, err := analysis.Cluster(st.Companies, opts.Cluster.ClusterOptions)
		if err != nil {
			return err
		}
		s.result, s.doc = res, clusterDocument(res, false)
		s.figures = clusterFigures(res)
	case "logit":
		res, err := analysis.Logit(st.Companies, opts.Logit.LogitOptions)
		if err != nil {
			return err
		}
		s.result, s.doc = res, logitDocument(res, &opts.Logit, false)
		s.figures = logitFigures(res, opts.Logit.Level)
	case "subgroup":
		res, err := analysis.Subgroup(st.Companies, opts.Subgroup)
		if err != nil {
			return err
		}
		s.result, s.doc = res, subgroupDocument(res, false)
		s.figures = subgroupFigures(res)
	}
	return nil
}

func reportPreamble(st *Study, opts *ReportOptions) []string {
	var lines []string
	if st.Embedded {
		lines = append(lines, SyntheticNotice)
	}
	info := dataset.NewDataInfo(st.Companies)
	sum := dataset.Summarize(st.Companies)
	line := fmt.Sprintf("Data: %s (sha256 %s…), %s", info.Path, info.SHA256[:12], strings.TrimPrefix(summaryLine("", sum), ": valid: "))
	if st.Products != nil {
		line += fmt.Sprintf(", %d products", st.Products.NRows())
	}
	lines = append(lines, line+fmt.Sprintf(". Seed %d. ccstudy %s.", opts.Seed, Version))
	return lines
}

// reportDocument concatenates the steps for standard output.
func reportDocument(st *Study, steps []*reportStep, opts *ReportOptions) *render.Document {
	doc := &render.Document{Preamble: reportPreamble(st, opts)}
	res := ReportResult{Data: dataset.NewDataInfo(st.Companies), Synthetic: st.Embedded}
	for i, s := range steps {
		res.Steps = append(res.Steps, ReportStepState{Name: s.Name, Status: s.Status, Error: s.Error})
		if s.Status != "ok" {
			doc.Tables = append(doc.Tables, render.Table{Name: s.Name, Title: fmt.Sprintf("%d. %s: FAILED", i+1, s.Title),
				Columns: []string{"error"}, Rows: [][]string{{s.Error}}})
			continue
		}
		for j, t := range s.doc.Tables {
			if j == 0 {
				t.Title = fmt.Sprintf("%d. %s — %s", i+1, s.Title, t.Title)
			}
			doc.Tables = append(doc.Tables, t)
		}
		if n := len(doc.Tables); n > 0 {
			last := &doc.Tables[n-1]
			last.Notes = append(append(last.Notes, s.doc.Preamble...), s.doc.Epilogue...)
		}
		switch s.Name {
		case "describe":
			res.Describe = s.result
		case "cluster":
			res.Cluster = s.result
		case "logit":
			res.Logit = s.result
		case "subgroup":
			res.Subgroup = s.result
		}
	}
	doc.JSON = res
	return doc
}

// reportMarkdown is report.md: the narrative with every table and links
// to the figures.
func reportMarkdown(st *Study, steps []*reportStep, opts *ReportOptions) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# ccstudy report: case-control study of internationalisation through overseas clinical trials\n\n")
	for _, l := range reportPreamble(st, opts) {
		if l == SyntheticNotice {
			fmt.Fprintf(&b, "> **%s**\n\n", l)
			continue
		}
		b.WriteString(l + "\n\n")
	}
	b.WriteString("Contents: ")
	for i, s := range steps {
		if i > 0 {
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "%d. %s", i+1, s.Title)
	}
	b.WriteString("\n\n")
	for i, s := range steps {
		fmt.Fprintf(&b, "## %d. %s\n\n", i+1, s.Title)
		if s.Status != "ok" {
			fmt.Fprintf(&b, "**This step FAILED:** %s\n\n", s.Error)
			continue
		}
		writeFigureLinks(&b, s.figures, true)
		if err := render.Write(&b, "markdown", s.doc); err != nil {
			return nil, err
		}
		writeFigureLinks(&b, s.figures, false)
	}
	b.WriteString("---\n\nGenerated by `ccstudy report`; every number is reproducible from the data, the seed and the settings in manifest.json.\n")
	return b.Bytes(), nil
}

func writeFigureLinks(b *bytes.Buffer, figs []namedFigure, lead bool) {
	for _, f := range figs {
		switch {
		case f.lead != lead:
		case f.err != nil:
			fmt.Fprintf(b, "*Figure \"%s\" could not be drawn: %v.*\n\n", f.title, f.err)
		default:
			fmt.Fprintf(b, "![%s](figures/%s.svg)\n\n", f.title, f.name)
		}
	}
}

var imgTag = regexp.MustCompile(`<img src="figures/([A-Za-z0-9_.-]+)\.svg" alt="([^"]*)"\s*/?>`)

// reportHTML turns report.md into one self-contained page: the figures
// are inlined as data URIs so it reads offline.
func reportHTML(md []byte, svgs map[string][]byte) ([]byte, error) {
	var body bytes.Buffer
	conv := goldmark.New(goldmark.WithExtensions(extension.GFM))
	if err := conv.Convert(md, &body); err != nil {
		return nil, err
	}
	html := imgTag.ReplaceAllFunc(body.Bytes(), func(m []byte) []byte {
		sub := imgTag.FindSubmatch(m)
		svg, ok := svgs[string(sub[1])]
		if !ok {
			return m
		}
		return []byte(`<figure><img src="data:image/svg+xml;base64,` + base64.StdEncoding.EncodeToString(svg) + `" alt="` + string(sub[2]) + `"></figure>`)
	})
	var out bytes.Buffer
	out.WriteString(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ccstudy report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"Liberation Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:0.5em 0 1em;font-size:0.85em;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;white-space:nowrap}
th{background:#f2f2f2}
blockquote{border-left:4px solid #d55e00;margin:1em 0;padding:0.3em 1em;background:#fff4ec}
figure{margin:1em 0}
figure img{max-width:100%;height:auto}
h2{border-bottom:1px solid #ddd;padding-bottom:0.2em;margin-top:2em}
</style></head><body>
`)
	out.Write(html)
	out.WriteString("</body></html>\n")
	return out.Bytes(), nil
}

// Manifest records how a report was made.
type Manifest struct {
	Tool        string            `json:"tool"`
	Version     string            `json:"version"`
	GoVersion   string            `json:"go_version"`
	Revision    string            `json:"revision,omitempty"`
	Synthetic   bool              `json:"synthetic_data"`
	Data        []ManifestData    `json:"data"`
	Seed        uint64            `json:"seed"`
	CommandLine []string          `json:"command_line"`
	Settings    map[string]any    `json:"settings"`
	Steps       []*reportStep     `json:"steps"`
	Files       []ManifestFile    `json:"files"`
	Notes       map[string]string `json:"notes"`
}

// ManifestData identifies an input file.
type ManifestData struct {
	Role   string `json:"role"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// ManifestFile is one written file and its digest.
type ManifestFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// writeReport writes every file into a temporary folder and moves it
// into place at the end.
func writeReport(st *Study, steps []*reportStep, opts *ReportOptions) error {
	parent := filepath.Dir(filepath.Clean(opts.OutDir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("%s: cannot create folder: %v", parent, unwrapPathErr(err))
	}
	tmp, err := os.MkdirTemp(parent, ".ccstudy-report-*")
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", parent, unwrapPathErr(err))
	}
	defer os.RemoveAll(tmp) // empty after a successful move
	files := map[string][]byte{}
	svgs := map[string][]byte{}
	var figs []namedFigure
	for _, s := range steps {
		if s.Status != "ok" {
			continue
		}
		var js bytes.Buffer
		if err := render.WriteJSON(&js, s.result); err != nil {
			return err
		}
		files["tables/"+s.Name+".json"] = js.Bytes()
		for _, t := range s.doc.Tables {
			var b bytes.Buffer
			if err := render.WriteTableCSV(&b, t, false, false); err != nil {
				return err
			}
			files["tables/"+sanitize(s.Name+"_"+t.Name)+".csv"] = b.Bytes()
		}
		for _, f := range s.figures {
			if f.err == nil {
				figs = append(figs, f)
			}
		}
	}
	rendered, err := renderFigures(figs)
	if err != nil {
		return err
	}
	for i, f := range figs {
		files["figures/"+f.name+".svg"], files["figures/"+f.name+".png"] = rendered[i][0], rendered[i][1]
		svgs[f.name] = rendered[i][0]
	}
	md, err := reportMarkdown(st, steps, opts)
	if err != nil {
		return err
	}
	files["report.md"] = md
	if files["report.html"], err = reportHTML(md, svgs); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	man := newManifest(st, steps, opts)
	for _, n := range names {
		sum := sha256.Sum256(files[n])
		man.Files = append(man.Files, ManifestFile{Path: n, SHA256: hex.EncodeToString(sum[:])})
	}
	var mj bytes.Buffer
	if err := render.WriteJSON(&mj, man); err != nil {
		return err
	}
	files["manifest.json"] = mj.Bytes()
	names = append(names, "manifest.json")
	for _, n := range names {
		p := filepath.Join(tmp, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("%s: %v", tmp, unwrapPathErr(err))
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return fmt.Errorf("%s: cannot write: %v", p, unwrapPathErr(err))
		}
	}
	return moveIntoPlace(tmp, opts.OutDir)
}

// renderFigures encodes every figure as SVG and PNG on all cores (PNG
// encoding is most of a report's time); results keep the figures' order,
// so the output does not depend on scheduling.
func renderFigures(figs []namedFigure) ([][2][]byte, error) {
	out := make([][2][]byte, len(figs))
	errs := make([]error, len(figs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				svg, err := figs[i].fig.SVG()
				if err == nil {
					out[i][1], err = figs[i].fig.PNG()
				}
				out[i][0], errs[i] = svg, err
			}
		}()
	}
	for i := range figs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("figure %s: %w", figs[i].name, err)
		}
	}
	return out, nil
}

// moveIntoPlace renames the finished report folder to dir, or, when dir
// already exists (empty, or --force), replaces the report's own entries
// in it one by one and leaves any other file alone.
func moveIntoPlace(tmp, dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Chmod(tmp, 0o755); err != nil {
			return err
		}
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("%s: cannot write: %v", dir, unwrapPathErr(err))
		}
		return nil
	}
	old := filepath.Join(tmp, ".previous")
	if err := os.Mkdir(old, 0o755); err != nil {
		return err
	}
	for _, name := range reportFiles {
		src, dst := filepath.Join(tmp, name), filepath.Join(dir, name)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		if _, err := os.Stat(dst); err == nil {
			if err := os.Rename(dst, filepath.Join(old, name)); err != nil {
				return fmt.Errorf("%s: cannot replace: %v", dst, unwrapPathErr(err))
			}
		}
		if err := os.Rename(src, dst); err != nil {
			return fmt.Errorf("%s: cannot write: %v", dst, unwrapPathErr(err))
		}
	}
	return nil
}

func newManifest(st *Study, steps []*reportStep, opts *ReportOptions) *Manifest {
	v := CurrentVersion()
	m := &Manifest{Tool: "ccstudy", Version: v.Version, GoVersion: v.GoVersion, Revision: v.Revision, Synthetic: st.Embedded,
		Seed: opts.Seed, CommandLine: append([]string{"ccstudy"}, opts.Args...), Steps: steps,
		Settings: map[string]any{
			"describe": map[string]any{"nonnormal": opts.Describe.Nonnormal},
			"logit":    opts.Logit.LogitOptions,
			"cluster":  opts.Cluster.ClusterOptions,
			"subgroup": map[string]any{"by": opts.Subgroup.By, "exposures": opts.Subgroup.Exposures},
		},
		Notes: map[string]string{"timings": "steps[].seconds are wall-clock times and the only part of a report that differs between identical runs"},
	}
	for _, t := range []struct {
		role string
		tab  *dataset.Table
	}{{"companies", st.Companies}, {"products", st.Products}} {
		if t.tab == nil {
			continue
		}
		info := dataset.NewDataInfo(t.tab)
		m.Data = append(m.Data, ManifestData{Role: t.role, Path: info.Path, SHA256: info.SHA256, Rows: info.RowsRead})
	}
	return m
}

// progress shows which step runs, on standard error, only when it is a
// terminal and not --quiet: pipes and CI logs stay clean.
type progress struct {
	w     io.Writer
	total int
	on    bool
}

func newProgress(g *GlobalOptions, total int) *progress {
	p := &progress{w: g.IO.ErrOut, total: total}
	if f, ok := g.IO.ErrOut.(*os.File); ok && !g.Quiet && term.IsTerminal(int(f.Fd())) {
		p.on = true
	}
	return p
}

func (p *progress) step(i int, name string) {
	if !p.on {
		return
	}
	bar := strings.Repeat("█", i) + strings.Repeat("░", p.total-i)
	fmt.Fprintf(p.w, "\r\033[K%s %d/%d %s…", bar, i, p.total, name)
}

func (p *progress) done() {
	if p.on {
		fmt.Fprintf(p.w, "\r\033[K")
	}
}
