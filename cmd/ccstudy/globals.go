package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"github.com/ccstudy/ccstudy/internal/render"
	"github.com/ccstudy/ccstudy/internal/report"
	"github.com/spf13/cobra"
)

// IOStreams are the standard streams, swappable in tests.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// GlobalOptions are the persistent flags every command shares.
type GlobalOptions struct {
	IO *IOStreams
	// Args is the command line (without the program name), for manifests.
	Args     []string
	Data     string
	Products string
	Schema   string
	Format   string
	Output   string
	Seed     uint64
	Quiet    bool
	// Lang picks the language of titles and labels ("" or "en": the
	// schema's title/label; "zh": its "titles"/"labels" in Chinese and
	// the report's fixed words in Chinese).
	Lang string
	// Encoding is the text encoding of the CSV files (utf-8, gbk, gb18030).
	Encoding string
	// Sheet picks the sheet of an xlsx --data file (name or 1-based
	// position; "" is the first).
	Sheet string
	// ExpectCases and ExpectControls are the counts the design promises
	// (validate --expect-cases/--expect-controls); a different count is a
	// warning, not an error.
	ExpectCases, ExpectControls int
	// Table, when set (--table NAME), selects the one table of the
	// output with that name, in every format.
	Table string
	// hasOutDir is set when the command also takes --out-dir, which an
	// -o naming a folder most likely meant.
	hasOutDir bool
}

func (g *GlobalOptions) addFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.Data, "data", "", "CSV of the study, one row per unit (- for standard input; default: the embedded synthetic reference study)")
	f.StringVar(&g.Products, "products", "", "the reference study's products CSV (default: the embedded one when --data is not given)")
	f.StringVar(&g.Schema, "schema", "", "Table Schema JSON for --data (default: the reference study's built-in schema; draft one with 'ccstudy schema infer')")
	f.StringVar(&g.Format, "format", "table", "output format: table, csv, json, markdown, html, latex, docx or xlsx (docx and xlsx need -o FILE or a pipe)")
	f.StringVarP(&g.Output, "output", "o", "", "write the output to FILE instead of standard output (a regular file appears whole or not at all; a device or FIFO is written in place)")
	f.Uint64Var(&g.Seed, "seed", dataset.DefaultSeed, "random seed (same inputs and seed give identical output)")
	f.BoolVarP(&g.Quiet, "quiet", "q", false, "no progress or notices on standard error (warnings still appear)")
	f.StringVar(&g.Lang, "lang", "", "language of titles, labels and the report's fixed words: en (default) or zh; the schema's titles/labels maps supply the labels")
	f.StringVar(&g.Encoding, "encoding", "", "text encoding of the CSV files: utf-8 (default), gbk or gb18030")
	f.StringVar(&g.Table, "table", "", "output only the table named NAME (e.g. --table missing; an unknown NAME lists the command's tables); with --format csv one table that read.csv(comment.char = \"#\") reads")
	_ = root.RegisterFlagCompletionFunc("table", completeTableNames)
	f.StringVar(&g.Sheet, "sheet", "", "sheet of an xlsx --data file: its name or position (1 = the first, the default)")
}

func (g *GlobalOptions) check() error {
	if err := render.CheckFormat(g.Format); err != nil {
		return usageError{err}
	}
	if err := g.checkBinaryOut(); err != nil {
		return err
	}
	if err := dataset.CheckEncoding(g.Encoding); err != nil {
		return usageError{err}
	}
	if err := i18n.Check(g.Lang); err != nil {
		return usageError{err}
	}
	var stdin []string
	for _, in := range []struct{ flag, path string }{{"--data", g.Data}, {"--schema", g.Schema}, {"--products", g.Products}} {
		if in.path == "-" {
			stdin = append(stdin, in.flag)
		}
	}
	if len(stdin) > 1 {
		return usagef("%s cannot all read standard input (expected - for one of them at most)", strings.Join(stdin, " and "))
	}
	if err := g.checkOutputPath(); err != nil {
		return err
	}
	return g.checkOutputNotInput()
}

// checkOutputPath refuses, before any computation, an -o that cannot be
// written as a file: an existing folder, or a path whose folder does not
// exist. Found only at the end, either would waste the whole run.
func (g *GlobalOptions) checkOutputPath() error {
	if g.Output == "" {
		return nil
	}
	if fi, err := os.Stat(g.Output); err == nil && fi.IsDir() {
		if g.hasOutDir {
			return usagef("-o %s is a folder (expected a file path for the output; --out-dir %s writes the files into a folder)", g.Output, g.Output)
		}
		return usagef("-o %s is a folder (expected a file path for the output, e.g. -o %s)", g.Output, filepath.Join(g.Output, "table1.csv"))
	}
	dir := filepath.Dir(g.Output)
	if fi, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return usagef("-o %s: folder %s does not exist (expected an existing folder for the output file)", g.Output, dir)
	} else if err == nil && !fi.IsDir() {
		return usagef("-o %s: %s is not a folder (expected an existing folder for the output file)", g.Output, dir)
	}
	return nil
}

// Study is the loaded data of one run.
type Study struct {
	// Companies is the table the analyses run on (one row per unit; the
	// name is the reference study's).
	Companies *dataset.Table
	// Products is the reference study's products table; nil without one.
	Products *dataset.Table
	// Embedded is true for the synthetic reference study.
	Embedded bool
	// Synthetic is true for the embedded data and for data that are
	// synthetic although given with --data: the embedded file byte for
	// byte, or a file `ccstudy simulate` wrote (its SYNTHETIC.json marker
	// beside it names the file's hash). Every output then carries the
	// synthetic-data notice.
	Synthetic bool
	// Reference is true when the schema is the reference study's (the
	// embedded data, or --schema equal to the built-in one): the run
	// takes its title, notice and default subgroups from internal/refstudy.
	Reference bool
}

// SyntheticNotice is printed wherever the embedded data is analysed.
const SyntheticNotice = refstudy.Notice

// readInput returns the bytes of path ("-" = standard input) and the name
// used in messages. A missing file is described as a data file; use
// readInputKind for other inputs.
func (g *GlobalOptions) readInput(path string) ([]byte, string, error) {
	return g.readInputKind(path, "a CSV, xlsx or Parquet file")
}

// readInputKind is readInput for an input that is not a data file; kind
// says what it should be ("a Table Schema JSON file") when it is missing.
func (g *GlobalOptions) readInputKind(path, kind string) ([]byte, string, error) {
	r, name, err := g.openInputKind(path, kind)
	if err != nil {
		return nil, "", err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %v", name, err)
	}
	return b, name, nil
}

// openInputKind opens path ("-" = standard input) for reading, with the
// messages of readInputKind. The data file is loaded from the open file,
// not from a copy of its bytes: Load holds the text once, and a copy
// would be a second file's worth of memory (69 MB at 10^6 × 12).
func (g *GlobalOptions) openInputKind(path, kind string) (io.ReadCloser, string, error) {
	if path == "-" {
		return io.NopCloser(g.IO.In), "stdin", nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, "", fmt.Errorf("%s is a folder (expected %s)", path, kind)
	}
	f, err := os.Open(path)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, "", fmt.Errorf("%s: no such file (expected %s; use - for standard input)", path, kind)
		case errors.Is(err, fs.ErrPermission):
			return nil, "", fmt.Errorf("%s: permission denied", path)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, "", fmt.Errorf("%s: %v", path, pe.Err)
		}
		return nil, "", err
	}
	return f, path, nil
}

// studySchema returns the --schema file or the reference study's schema.
func (g *GlobalOptions) studySchema() (*dataset.Schema, error) {
	if g.Schema == "" {
		return refstudy.Schema("companies")
	}
	b, name, err := g.readInputKind(g.Schema, "a Table Schema JSON file")
	if err != nil {
		return nil, err
	}
	return dataset.ParseSchema(b, name)
}

// LoadStudy reads and validates the data (and, for the reference study,
// its products file).
func (g *GlobalOptions) LoadStudy() (*Study, error) {
	s, err := g.studySchema()
	if err != nil {
		return nil, err
	}
	st := &Study{Reference: g.Schema == "" || refstudy.IsSchema(s)}
	var comp io.ReadCloser
	var compName string
	if g.Data == "" {
		comp, compName, st.Embedded = io.NopCloser(bytes.NewReader(refstudy.CompaniesCSV)), "embedded:companies.csv", true
	} else if comp, compName, err = g.openInputKind(g.Data, "a CSV, xlsx or Parquet file"); err != nil {
		return nil, err
	}
	defer comp.Close()
	opts := dataset.LoadOptions{ExpectCases: g.ExpectCases, ExpectControls: g.ExpectControls, Encoding: g.Encoding, Sheet: g.Sheet}
	if st.Embedded {
		opts.ExpectCases, opts.ExpectControls = refstudy.ExpectCases, refstudy.ExpectControls
	} else if g.Schema == "" {
		opts.HeaderHint = builtinSchemaHint(g.Data)
	}
	if st.Companies, err = dataset.Load(comp, compName, s, opts); err != nil {
		return nil, err
	}
	if st.Embedded {
		st.Companies.Source = "embedded"
	}
	st.Synthetic = st.Embedded || refstudy.IsSyntheticDigest(st.Companies.SHA256, g.simulateMarker())
	if st.Reference {
		if err := refstudy.CheckCompanies(st.Companies); err != nil {
			return nil, err
		}
	}
	if g.Products != "" && !st.Reference {
		return nil, usagef("--products is the reference study's products table and needs its schema (%s is another study's: leave --products out)", s.Name)
	}
	var prodBytes []byte
	var prodName string
	switch {
	case g.Products != "":
		if prodBytes, prodName, err = g.readInput(g.Products); err != nil {
			return nil, err
		}
	case g.Data == "":
		prodBytes, prodName = refstudy.ProductsCSV, "embedded:products.csv"
	default:
		return st, nil
	}
	ps, err := refstudy.Schema("products")
	if err != nil {
		return nil, err
	}
	if st.Products, err = dataset.Load(bytes.NewReader(prodBytes), prodName, ps, dataset.LoadOptions{Encoding: g.Encoding}); err != nil {
		return nil, err
	}
	if st.Embedded {
		st.Products.Source = "embedded"
	}
	if err := refstudy.CheckProducts(st.Companies, st.Products); err != nil {
		return nil, err
	}
	return st, nil
}

// simulateMarker is the SYNTHETIC.json beside --data, nil if none (or
// when the data come from standard input).
func (g *GlobalOptions) simulateMarker() []byte {
	if g.Data == "" || g.Data == "-" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(g.Data), refstudy.MarkerName))
	if err != nil || len(b) > 1<<16 {
		return nil
	}
	return b
}

// Emit renders doc in the chosen format to standard output or, with -o,
// to a file that appears only when the whole output was written.
func (g *GlobalOptions) Emit(doc *render.Document) error {
	doc, err := g.selectTable(doc)
	if err != nil {
		return err
	}
	g.csvBlocksNote(doc)
	if g.Output == "" {
		if g.Format == "table" {
			return render.WriteText(g.IO.Out, doc, textOptions(g.IO.Out, os.Getenv("COLUMNS")))
		}
		return render.Write(g.IO.Out, g.Format, doc)
	}
	return writeAtomic(g.Output, func(w io.Writer) error { return render.Write(w, g.Format, doc) })
}

// writeAtomic writes an output file as -o promises (report.WriteFile):
// a regular file appears whole or not at all, symbolic links are
// followed, devices and FIFOs are written in place, the mode honours the
// umask or the file's existing mode.
func writeAtomic(path string, write func(io.Writer) error) error {
	return report.WriteFile(path, write)
}

// checkOutputNotInput refuses -o naming one of the run's input files
// (the same file by os.SameFile, whatever the path): writing Table 1 over
// the data would destroy it. positional are the input files a command
// takes as arguments (schema infer FILE).
func (g *GlobalOptions) checkOutputNotInput(positional ...string) error {
	if g.Output == "" {
		return nil
	}
	out, err := os.Stat(g.Output)
	if err != nil || !out.Mode().IsRegular() {
		return nil // a new file, or a device written in place
	}
	inputs := []struct{ flag, path string }{{"--data", g.Data}, {"--schema", g.Schema}, {"--products", g.Products}}
	for _, p := range positional {
		inputs = append(inputs, struct{ flag, path string }{"", p})
	}
	for _, in := range inputs {
		if in.path == "" || in.path == "-" {
			continue
		}
		if fi, err := os.Stat(in.path); err == nil && os.SameFile(out, fi) {
			if in.flag == "" {
				return usagef("-o %s is the input file %s; ccstudy never writes over its input (expected another output path)", g.Output, in.path)
			}
			return usagef("-o %s is the input file of %s %s; ccstudy never writes over its input (expected another output path)", g.Output, in.flag, in.path)
		}
	}
	return nil
}

// notice writes a line to standard error unless --quiet.
func (g *GlobalOptions) notice(format string, a ...any) {
	if !g.Quiet {
		fmt.Fprintf(g.IO.ErrOut, format+"\n", a...)
	}
}

// warn writes a warning to standard error (even with --quiet).
func (g *GlobalOptions) warn(format string, a ...any) {
	fmt.Fprintf(g.IO.ErrOut, "warning: "+format+"\n", a...)
}
