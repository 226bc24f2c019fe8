// Package report runs the steps of `ccstudy report` and writes what they
// produced: one document for standard output (any render format), or a
// folder with report.md, a self-contained report.html, report.docx,
// tables.xlsx, every table as CSV, every result as JSON, the figures and
// a manifest.
//
// It computes nothing: each step brings its result already rendered, and
// the caller names the study (title, data notice, summary line).
package report

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/internal/render"
)

// Step is one analysis of a report, run on the loaded study S.
type Step[S any] struct {
	// Name keys the step in file names, the JSON and the manifest; it is
	// unique within a report.
	Name string
	// Title heads the step's section.
	Title string
	// Settings are how the step was asked to run, recorded in the
	// manifest as settings.<Name>. They belong to the step rather than
	// to its Output so a failed step still states them.
	Settings any
	// Run runs the step. An error from Skip marks the step skipped with
	// its reason (nothing to do, which is not a failure); any other error
	// marks it failed.
	Run func(S) (Output, error)
}

// SkipError is a step that had nothing to do, and why.
type SkipError struct{ Reason string }

func (e *SkipError) Error() string { return "skipped: " + e.Reason }

// Skip is returned by a step's Run to mark it skipped with reason.
func Skip(reason string) error { return &SkipError{Reason: reason} }

// Output is what a step produced.
type Output struct {
	// Result is the step's JSON contract: tables/<step>.json, and the
	// step's key in the report's JSON.
	Result any
	// Doc renders Result, without the data notice (the report states it
	// once at the top). A step that succeeds always has one.
	Doc     *render.Document
	Figures []Figure
}

// Figure is a figure of a section with its file name and caption. Lead
// figures are shown before the section's tables, the others after.
type Figure struct {
	Name, Title string
	Lead        bool
	Drawing     Drawing
	// Err says why the figure could not be drawn; the report states it
	// where the figure would be (the tables still carry the numbers).
	Err error
}

// Drawing renders a figure; *figures.Figure is one.
type Drawing interface {
	SVG() ([]byte, error)
	PNG() ([]byte, error)
}

// Encoder is a Drawing that also renders to other formats (PDF, TIFF) and
// resolutions; *figures.Figure is one. A Drawing without it has SVG and
// PNG only.
type Encoder interface {
	Encode(format string, dpi int) ([]byte, error)
}

// FigureSettings say which files each figure is written as and at what
// resolution; the manifest records them as "figures".
type FigureSettings struct {
	// Formats are the file formats, in the order written; empty is svg
	// and png. PNG is always written: report.md links it and report.docx
	// embeds it.
	Formats []string `json:"formats"`
	// DPI is the resolution of each raster format (png, tiff); a format
	// missing is the Drawing's default.
	DPI map[string]int `json:"dpi"`
}

// formats returns the formats to write, with PNG added when missing.
func (f FigureSettings) formats() []string {
	out := f.Formats
	if len(out) == 0 {
		out = []string{"svg", "png"}
	}
	for _, x := range out {
		if x == "png" {
			return out
		}
	}
	return append(append([]string(nil), out...), "png")
}

// Step statuses.
const (
	statusOK      = "ok"
	statusFailed  = "failed"
	statusSkipped = "skipped"
)

// Section is a step that has run: its outcome, its timing (the manifest's
// steps) and its output.
type Section struct {
	Name     string  `json:"name"`
	Title    string  `json:"-"`
	Status   string  `json:"status"`
	Error    string  `json:"error,omitempty"`
	Reason   string  `json:"reason,omitempty"`
	Seconds  float64 `json:"seconds"`
	settings any
	out      Output
}

// Run runs the steps in order on study. A step that fails, by an error
// or a panic, is marked failed and warn is told at once; the next step
// still runs. prog shows which step runs.
func Run[S any](steps []Step[S], study S, prog *Progress, warn func(format string, a ...any)) []*Section {
	out := make([]*Section, len(steps))
	for i, st := range steps {
		prog.step(i, len(steps), st.Name)
		s := &Section{Name: st.Name, Title: st.Title, settings: st.Settings}
		start := time.Now()
		err := runStep(st, study, s)
		s.Seconds = time.Since(start).Seconds()
		var skip *SkipError
		switch {
		case errors.As(err, &skip):
			s.Status, s.Reason = statusSkipped, skip.Reason
		case err != nil:
			s.Status, s.Error = statusFailed, err.Error()
			warn("report step %s failed: %v", s.Name, err)
		default:
			s.Status = statusOK
		}
		out[i] = s
	}
	prog.done()
	return out
}

func runStep[S any](st Step[S], study S, s *Section) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	s.out, err = st.Run(study)
	return err
}

// Input is a data file of the report.
type Input struct {
	Role  string
	Table *dataset.Table
}

// Report is a finished run of the steps and what describes it.
type Report struct {
	// Title names the study in report.md's heading ("ccstudy report: Title").
	Title string
	// Lang is the language of the report's fixed words (i18n.T).
	Lang string
	// Notice is stated once at the top (in report.md as a bold quote);
	// empty for none.
	Notice string
	// Summary is the line on the data, seed and version under the notice.
	Summary string
	// Synthetic records that the data is the synthetic reference study.
	Synthetic bool
	// Inputs are the data files the manifest lists (nil tables are left
	// out); the first is the table the steps analyse, the JSON's "data".
	Inputs []Input
	Seed   uint64
	// CommandLine is the command that made the report, program first.
	CommandLine []string
	// Version, GoVersion and Revision identify the ccstudy binary.
	Version, GoVersion, Revision string
	Sections                     []*Section
	// Figures are the formats and resolutions of the figure files.
	Figures FigureSettings
	// FS is the file system Write uses; nil is the operating system's.
	FS FS `json:"-"`
}

// Failed returns the names of the steps that failed (a skipped step did
// not fail).
func (r *Report) Failed() []string {
	var out []string
	for _, s := range r.Sections {
		if s.Status == statusFailed {
			out = append(out, s.Name)
		}
	}
	return out
}

func (r *Report) preamble() []string {
	var lines []string
	if r.Notice != "" {
		lines = append(lines, r.Notice)
	}
	return append(lines, r.Summary)
}

// syntheticNotice is the notice a synthetic report's JSON carries, ""
// for a user's data.
func (r *Report) syntheticNotice() string {
	if !r.Synthetic {
		return ""
	}
	return r.Notice
}

// Document is the report for standard output: the sections' tables one
// after another, each section's first table titled with its number and
// title, a failed step as a table holding its error, a skipped one as a
// table holding its reason.
func (r *Report) Document() *render.Document {
	doc := &render.Document{Preamble: r.preamble(), JSON: r.json(), Synthetic: r.syntheticNotice()}
	for i, s := range r.Sections {
		switch s.Status {
		case statusFailed:
			doc.Tables = append(doc.Tables, render.Table{Name: s.Name, Title: fmt.Sprintf("%d. %s: %s", i+1, s.Title, i18n.T(r.Lang, "FAILED")),
				Columns: []string{i18n.T(r.Lang, "error")}, Rows: [][]string{{s.Error}}})
			continue
		case statusSkipped:
			doc.Tables = append(doc.Tables, render.Table{Name: s.Name, Title: fmt.Sprintf("%d. %s: %s", i+1, s.Title, i18n.T(r.Lang, "skipped")),
				Columns: []string{i18n.T(r.Lang, "reason")}, Rows: [][]string{{s.Reason}}})
			continue
		}
		for j, t := range s.out.Doc.Tables {
			if j == 0 {
				t.Title = fmt.Sprintf("%d. %s — %s", i+1, s.Title, t.Title)
			}
			doc.Tables = append(doc.Tables, t)
		}
		if n := len(doc.Tables); n > 0 {
			last := &doc.Tables[n-1]
			last.Notes = append(append(last.Notes, s.out.Doc.Preamble...), s.out.Doc.Epilogue...)
		}
	}
	return doc
}

// StepState is the outcome of one step in the report's JSON.
type StepState struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// json is the report's JSON: data, synthetic and steps, then one key per
// step holding its result, omitted for a failed or skipped step. The struct type is
// built from the sections, so a step needs no field of its own, and it
// encodes exactly as the equivalent declared struct would (field order,
// omitempty, and render's handling of non-finite numbers).
func (r *Report) json() any {
	fields := []reflect.StructField{
		{Name: "Data", Type: reflect.TypeFor[dataset.DataInfo](), Tag: `json:"data"`},
		{Name: "Synthetic", Type: reflect.TypeFor[bool](), Tag: `json:"synthetic"`},
		{Name: "Steps", Type: reflect.TypeFor[[]StepState](), Tag: `json:"steps"`},
	}
	const fixed = 3
	var states []StepState
	for i, s := range r.Sections {
		states = append(states, StepState{Name: s.Name, Status: s.Status, Error: s.Error, Reason: s.Reason})
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("Step%d", i), Type: reflect.TypeFor[any](),
			Tag: reflect.StructTag(`json:"` + s.Name + `,omitempty"`)})
	}
	v := reflect.New(reflect.StructOf(fields)).Elem()
	v.Field(0).Set(reflect.ValueOf(dataset.NewDataInfo(r.Inputs[0].Table)))
	v.Field(1).SetBool(r.Synthetic)
	v.Field(2).Set(reflect.ValueOf(states))
	for i, s := range r.Sections {
		if s.Status == statusOK && s.out.Result != nil {
			v.Field(fixed + i).Set(reflect.ValueOf(s.out.Result))
		}
	}
	return v.Interface()
}
