package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestOfficeFormats: every command writes docx, xlsx, LaTeX and HTML;
// binary formats go to a pipe or -o FILE.
func TestOfficeFormats(t *testing.T) {
	out, errOut, code := runCLI(t, "", "describe", "--format", "docx")
	if code != 0 || !strings.HasPrefix(out, "PK") {
		t.Fatalf("describe --format docx to a pipe: exit %d, %.20q: %s", code, out, errOut)
	}
	path := filepath.Join(t.TempDir(), "t2.xlsx")
	if _, errOut, code := runCLI(t, "", "logit", "--format", "xlsx", "-o", path); code != 0 {
		t.Fatalf("logit --format xlsx -o: exit %d: %s", code, errOut)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 || sheets[0] != "table2" {
		t.Errorf("logit workbook sheets %q (expected table2 first)", sheets)
	}
	if a1, _ := f.GetCellValue(sheets[0], "A1"); !strings.Contains(a1, "SYNTHETIC") {
		t.Errorf("the synthetic-data notice is not on top of the sheet: %q", a1)
	}
	latex, _, code := runCLI(t, "", "logit", "--format", "latex")
	if code != 0 || !strings.Contains(latex, "\\toprule") || !strings.Contains(latex, "SYNTHETIC") {
		t.Errorf("logit --format latex: exit %d\n%.300s", code, latex)
	}
	page, _, code := runCLI(t, "", "describe", "--format", "html")
	if code != 0 || !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, "<thead>") {
		t.Errorf("describe --format html: exit %d\n%.300s", code, page)
	}
	if _, errOut, code := runCLI(t, "", "describe", "--format", "pdf"); code != 2 || !strings.Contains(errOut, "docx, xlsx") {
		t.Errorf("unknown format: exit %d: %s", code, errOut)
	}
}

// TestBinaryOutToFile: checkBinaryOut lets a binary format through to
// anything but a terminal (a terminal is not available in tests; the
// refusal was checked by hand under script(1)).
func TestBinaryOutToFile(t *testing.T) {
	g := &GlobalOptions{IO: &IOStreams{Out: &bytes.Buffer{}}, Format: "docx"}
	if err := g.checkBinaryOut(); err != nil {
		t.Errorf("docx to a buffer: %v", err)
	}
}

// TestReportFigureFlags: --figure-format and --dpi are checked before
// anything runs (exit 2), and resolved as the manifest records them.
func TestReportFigureFlags(t *testing.T) {
	for _, args := range [][]string{{"--figure-format", "eps"}, {"--dpi", "10"}} {
		_, errOut, code := runCLI(t, "", append([]string{"report"}, args...)...)
		if code != 2 || !strings.Contains(errOut, args[0]) {
			t.Errorf("report %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
	}
	s := figureSettings([]string{"pdf", "tiff", "pdf"}, 600)
	if strings.Join(s.Formats, ",") != "pdf,tiff,png" || s.DPI["tiff"] != 600 || s.DPI["png"] != 600 || s.DPI["pdf"] != 0 {
		t.Errorf("settings %+v", s)
	}
	s = figureSettings([]string{"svg", "png"}, 0)
	if strings.Join(s.Formats, ",") != "svg,png" || s.DPI["png"] != 150 || len(s.DPI) != 1 {
		t.Errorf("default settings %+v", s)
	}
}
