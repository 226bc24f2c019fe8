package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/render"
)

// drawing is a figure whose SVG and PNG are fixed bytes.
type drawing struct{ svg, png string }

func (d drawing) SVG() ([]byte, error) { return []byte(d.svg), nil }
func (d drawing) PNG() ([]byte, error) { return []byte(d.png), nil }

// result stands for a step's JSON contract; Inf and "<" exercise
// render's fallback encoder for non-finite numbers, which the report's
// JSON must go through exactly as a declared struct does.
type result struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
}

func table(t *testing.T) *dataset.Table {
	t.Helper()
	s, err := dataset.ParseSchema([]byte(`{"fields":[{"name":"id","type":"string","role":"id"},{"name":"y","type":"integer","role":"outcome"}]}`), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := dataset.Load(strings.NewReader("id,y\na,0\nb,1\n"), "d.csv", s, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func okStep(name string, res result, figs ...Figure) Step[int] {
	return Step[int]{Name: name, Title: "Title " + name, Settings: map[string]any{"n": name}, Run: func(int) (Output, error) {
		doc := &render.Document{JSON: res, Preamble: []string{"pre " + name}, Epilogue: []string{"epi " + name},
			Tables: []render.Table{{Name: "t", Title: "table of " + name, Columns: []string{"label"}, Rows: [][]string{{res.Label}}}}}
		return Output{Result: res, Doc: doc, Figures: figs}, nil
	}}
}

// newReport runs three steps (ok, failing, panicking) and a fourth ok one.
func newReport(t *testing.T, warned *[]string, figs ...Figure) *Report {
	t.Helper()
	steps := []Step[int]{
		okStep("first", result{"p <0.001", math.Inf(1)}, figs...),
		{Name: "broken", Title: "Title broken", Run: func(int) (Output, error) { return Output{}, errors.New("no data") }},
		{Name: "panics", Title: "Title panics", Run: func(int) (Output, error) { panic("boom") }},
		okStep("last", result{"b", 2}),
	}
	warn := func(format string, a ...any) { *warned = append(*warned, fmt.Sprintf(format, a...)) }
	return &Report{Title: "a study", Notice: "NOTICE", Summary: "Data: d.csv.", Synthetic: true,
		Inputs: []Input{{Role: "companies", Table: table(t)}, {Role: "products"}}, Seed: 7,
		CommandLine: []string{"ccstudy", "report"}, Version: "v", GoVersion: "go", Sections: Run(steps, 0, nil, warn)}
}

// TestRunMarksFailures: an error or a panic marks its step failed, is
// warned about, and the other steps still run.
func TestRunMarksFailures(t *testing.T) {
	var warned []string
	r := newReport(t, &warned)
	want := []string{"report step broken failed: no data", "report step panics failed: internal error: boom"}
	if strings.Join(warned, "|") != strings.Join(want, "|") {
		t.Errorf("warnings %q, want %q", warned, want)
	}
	if got := strings.Join(r.Failed(), ","); got != "broken,panics" {
		t.Errorf("failed steps %q", got)
	}
	for _, s := range r.Sections {
		if (s.Status == statusOK) != (s.Error == "") || s.Seconds < 0 {
			t.Errorf("%s: status %q error %q seconds %g", s.Name, s.Status, s.Error, s.Seconds)
		}
	}
}

// TestJSONAsDeclaredStruct: the report's JSON, built from the steps,
// encodes byte for byte as a struct declared with one field per step
// (the shape `ccstudy report --format json` has always had).
func TestJSONAsDeclaredStruct(t *testing.T) {
	var warned []string
	r := newReport(t, &warned)
	declared := struct {
		Data      dataset.DataInfo `json:"data"`
		Synthetic bool             `json:"synthetic"`
		Steps     []StepState      `json:"steps"`
		First     any              `json:"first,omitempty"`
		Broken    any              `json:"broken,omitempty"`
		Panics    any              `json:"panics,omitempty"`
		Last      any              `json:"last,omitempty"`
	}{Data: dataset.NewDataInfo(r.Inputs[0].Table), Synthetic: true, First: result{"p <0.001", math.Inf(1)}, Last: result{"b", 2},
		Steps: []StepState{{"first", "ok", "", ""}, {"broken", "failed", "no data", ""}, {"panics", "failed", "internal error: boom", ""}, {"last", "ok", "", ""}}}
	var got, want bytes.Buffer
	if err := render.WriteJSON(&got, r.Document().JSON); err != nil {
		t.Fatal(err)
	}
	if err := render.WriteJSON(&want, declared); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("report JSON:\n%s\nwant:\n%s", got.String(), want.String())
	}
	if !strings.Contains(got.String(), `"value": "Inf"`) {
		t.Errorf("non-finite number not kept as jsonlite writes it:\n%s", got.String())
	}
}

// TestDocumentNumbersSections: the first table of each section carries
// its number and title, its notes end the section, a failed step is a
// table with its error.
func TestDocumentNumbersSections(t *testing.T) {
	var warned []string
	doc := newReport(t, &warned).Document()
	if strings.Join(doc.Preamble, "|") != "NOTICE|Data: d.csv." {
		t.Errorf("preamble %q", doc.Preamble)
	}
	var titles []string
	for _, tb := range doc.Tables {
		titles = append(titles, tb.Title)
	}
	want := []string{"1. Title first — table of first", "2. Title broken: FAILED", "3. Title panics: FAILED", "4. Title last — table of last"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("titles %q, want %q", titles, want)
	}
	if n := doc.Tables[0].Notes; strings.Join(n, "|") != "pre first|epi first" {
		t.Errorf("notes %q", n)
	}
	if doc.Tables[1].Rows[0][0] != "no data" {
		t.Errorf("failed step row %q", doc.Tables[1].Rows)
	}
}

// TestMarkdown: title and notice on top, figures before (lead) or after
// the tables, a figure that could not be drawn and a failed step said so.
func TestMarkdown(t *testing.T) {
	var warned []string
	r := newReport(t, &warned,
		Figure{Name: "after", Title: "After", Drawing: drawing{}},
		Figure{Name: "lead", Title: "Lead", Lead: true, Drawing: drawing{}},
		Figure{Name: "bad", Title: "Bad", Err: errors.New("no rows")})
	b, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	order := []string{"# ccstudy report: a study\n", "> **NOTICE**\n", "Data: d.csv.\n",
		"Contents: 1. Title first · 2. Title broken · 3. Title panics · 4. Title last\n", "## 1. Title first\n",
		"![Lead](figures/lead.png)", "pre first", "### table of first", "epi first", "![After](figures/after.png)",
		`*Figure "Bad" could not be drawn: no rows.*`, "## 2. Title broken\n\n**This step FAILED:** no data\n", "## 4. Title last"}
	at := 0
	for _, w := range order {
		i := strings.Index(md[at:], w)
		if i < 0 {
			t.Fatalf("report.md lacks %q after byte %d:\n%s", w, at, md)
		}
		at += i + len(w)
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestWriteFolder: a new out-dir gets every file, the manifest lists
// their digests and the steps' settings, and the page inlines the
// figures; writing again into it (as --force does) replaces the report's
// own entries whole and leaves other files alone.
func TestWriteFolder(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	var warned []string
	r := newReport(t, &warned, Figure{Name: "f1", Title: "F1", Drawing: drawing{"<svg>1</svg>", "png1"}})
	if _, err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	files := readDir(t, dir)
	for _, n := range []string{"report.md", "report.html", "manifest.json", "tables/first.json", "tables/first_t.csv", "tables/last.json", "figures/f1.svg", "figures/f1.png"} {
		if _, ok := files[n]; !ok {
			t.Errorf("%s not written", n)
		}
	}
	if _, ok := files["tables/broken.json"]; ok {
		t.Errorf("a failed step wrote its JSON")
	}
	if !strings.Contains(files["report.html"], "data:image/svg+xml;base64,"+base64.StdEncoding.EncodeToString([]byte("<svg>1</svg>"))) ||
		!strings.Contains(files["report.html"], "<style>\n"+css+"</style>") {
		t.Errorf("report.html does not inline the figure or lacks the style sheet")
	}
	var man Manifest
	if err := json.Unmarshal([]byte(files["manifest.json"]), &man); err != nil {
		t.Fatal(err)
	}
	if len(man.Files) != len(files)-1 {
		t.Errorf("manifest lists %d files, %d written besides it", len(man.Files), len(files)-1)
	}
	for _, f := range man.Files {
		sum := sha256.Sum256([]byte(files[f.Path]))
		if hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("manifest digest of %s is wrong", f.Path)
		}
	}
	if len(man.Data) != 1 || man.Data[0].Role != "companies" || man.Data[0].Rows != 2 || len(man.Settings) != 4 || man.Seed != 7 {
		t.Errorf("manifest data %+v settings %v seed %d", man.Data, man.Settings, man.Seed)
	}

	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckOutDir(dir, false); err == nil || !strings.Contains(err.Error(), "not empty (use --force") {
		t.Errorf("non-empty out-dir without force: %v", err)
	}
	if err := CheckOutDir(dir, true); err != nil {
		t.Errorf("non-empty out-dir with force: %v", err)
	}
	r = newReport(t, &warned, Figure{Name: "f2", Title: "F2", Drawing: drawing{"<svg>2</svg>", "png2"}})
	if _, err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	files = readDir(t, dir)
	if files["notes.txt"] != "keep" {
		t.Errorf("a user's file was touched: %q", files["notes.txt"])
	}
	if _, ok := files["figures/f1.svg"]; ok || files["figures/f2.svg"] != "<svg>2</svg>" {
		t.Errorf("figures/ not replaced whole: %v", files)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("temporary folders left beside the out-dir: %d entries", len(entries))
	}
	if err := CheckOutDir(filepath.Join(dir, "notes.txt"), true); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("out-dir that is a file: %v", err)
	}
	if err := CheckOutDir(filepath.Join(parent, "new"), false); err != nil {
		t.Errorf("new out-dir: %v", err)
	}
}

// skipReport runs an ok step and a step that skips itself.
func skipReport(t *testing.T, lang string, warned *[]string) *Report {
	t.Helper()
	steps := []Step[int]{
		okStep("first", result{"a", 1}),
		{Name: "sub", Title: "Title sub", Run: func(int) (Output, error) { return Output{}, Skip("nothing to split by") }},
	}
	warn := func(format string, a ...any) { *warned = append(*warned, fmt.Sprintf(format, a...)) }
	return &Report{Title: "a study", Lang: lang, Summary: "Data: d.csv.", Inputs: []Input{{Role: "data", Table: table(t)}},
		CommandLine: []string{"ccstudy", "report"}, Sections: Run(steps, 0, nil, warn)}
}

// TestSkippedStep: a step that skips itself is neither failed nor warned
// about; the report states its reason in every form and writes no result
// for it.
func TestSkippedStep(t *testing.T) {
	var warned []string
	r := skipReport(t, "", &warned)
	if len(warned) != 0 || len(r.Failed()) != 0 {
		t.Errorf("warned %q, failed %q: a skipped step is not a failure", warned, r.Failed())
	}
	s := r.Sections[1]
	if s.Status != "skipped" || s.Reason != "nothing to split by" || s.Error != "" {
		t.Errorf("section %+v", s)
	}
	doc := r.Document()
	if tb := doc.Tables[len(doc.Tables)-1]; tb.Title != "2. Title sub: skipped" || tb.Rows[0][0] != "nothing to split by" {
		t.Errorf("document table %q %q", tb.Title, tb.Rows)
	}
	var js bytes.Buffer
	if err := render.WriteJSON(&js, doc.JSON); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"status": "skipped",`) || !strings.Contains(js.String(), `"reason": "nothing to split by"`) || strings.Contains(js.String(), `"sub":`) {
		t.Errorf("report JSON:\n%s", js.String())
	}
	md, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "## 2. Title sub\n\n*This step was skipped: nothing to split by.*\n") {
		t.Errorf("report.md:\n%s", md)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	files := readDir(t, dir)
	if _, ok := files["tables/sub.json"]; ok {
		t.Error("a skipped step wrote its JSON")
	}
	var man Manifest
	if err := json.Unmarshal([]byte(files["manifest.json"]), &man); err != nil {
		t.Fatal(err)
	}
	if st := man.Steps[1]; st.Status != "skipped" || st.Reason != "nothing to split by" {
		t.Errorf("manifest step %+v", st)
	}
}

// TestChineseFixedWords: with Lang "zh" the report's own words (heading,
// contents, skipped note, footer, page language) are Chinese; the step
// titles and reasons are the caller's.
func TestChineseFixedWords(t *testing.T) {
	var warned []string
	r := skipReport(t, "zh-CN", &warned)
	md, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"# ccstudy 报告: a study\n", "目录: 1. Title first · 2. Title sub", "*此步骤已跳过： nothing to split by.*", "由 `ccstudy report` 生成"} {
		if !strings.Contains(string(md), w) {
			t.Errorf("report.md lacks %q:\n%s", w, md)
		}
	}
	for _, w := range []string{"Contents", "This step", "Generated by"} {
		if strings.Contains(string(md), w) {
			t.Errorf("report.md in Chinese still has %q", w)
		}
	}
	if tb := r.Document().Tables[1]; tb.Title != "2. Title sub: 已跳过" || tb.Columns[0] != "原因" {
		t.Errorf("document table %q %q", tb.Title, tb.Columns)
	}
	page, err := html(md, nil, nil, r.Lang)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<html lang="zh-CN"><head><meta charset="utf-8"><title>ccstudy 报告</title>`) {
		t.Errorf("report.html head:\n%.200s", page)
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{"log(rd_expenditure)": "log_rd_expenditure", "rd_expenditure@median": "rd_expenditure_median",
		"novelty[first in class]": "novelty_first_in_class", "a.b-c": "a.b-c"} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}
