package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy"
)

func TestValidateEmbedded(t *testing.T) {
	out, errOut, code := runCLI(t, "", "validate")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"SYNTHETIC", "180 rows, 90 cases, 90 controls, 172 products"} {
		if !strings.Contains(out, want) {
			t.Errorf("validate output lacks %q:\n%s", want, out)
		}
	}
	var res ValidateResult
	runJSON(t, &res, "validate")
	if res.Data.Path != "embedded" || res.Data.RowsRead != 180 || res.Data.RowsUsed != 180 || len(res.Data.SHA256) != 64 || res.Data.Excluded == nil {
		t.Errorf("data object %+v", res.Data)
	}
}

func TestExitCodesAndMessages(t *testing.T) {
	dir := t.TempDir()
	gbk := filepath.Join(dir, "gbk.csv")
	// "公司" in GBK: bytes that are not valid UTF-8.
	if err := os.WriteFile(gbk, []byte("company_id,case\n\xb9\xab\xcb\xbe,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.csv")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	badSchema := filepath.Join(dir, "bad.schema.json")
	if err := os.WriteFile(badSchema, []byte(`{"fields":[{"name":"a","type":"strnig"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		args  []string
		code  int
		msgs  []string
		stdin string
	}{
		{"unknown command", []string{"validat"}, 2, []string{`unknown command "validat"`, "validate"}, ""},
		{"unknown flag", []string{"validate", "--formt", "json"}, 2, []string{"unknown flag: --formt; did you mean --format?"}, ""},
		{"unknown local flag", []string{"logit", "--methd", "firth"}, 2, []string{"did you mean --method?"}, ""},
		{"bad format", []string{"validate", "--format", "xml"}, 2, []string{`unknown format "xml"`, "table, csv, json, markdown"}, ""},
		{"extra argument", []string{"validate", "x.csv"}, 2, []string{"takes no arguments"}, ""},
		{"missing file", []string{"validate", "--data", filepath.Join(dir, "nope.csv")}, 1, []string{"nope.csv: no such file"}, ""},
		{"empty file", []string{"validate", "--data", empty}, 1, []string{"empty.csv: empty file"}, ""},
		{"not utf-8", []string{"validate", "--data", gbk}, 1, []string{"gbk.csv", "not UTF-8"}, ""},
		{"invalid schema", []string{"validate", "--schema", badSchema}, 1, []string{"bad.schema.json", "strnig"}, ""},
		{"unknown category", []string{"validate", "--data", "-"}, 1, []string{"stdin:2:novelty: ", `"frist_in_class" is not one of me_too, fast_follow, first_in_class`}, strings.Replace(string(ccstudy.CompaniesCSV), ",fast_follow,", ",frist_in_class,", 1)},
		{"schema name", []string{"schema", "drugs"}, 2, []string{`unknown schema "drugs"`}, ""},
		{"simulate without out-dir", []string{"simulate"}, 2, []string{"--out-dir"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, c.stdin, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, c.code, errOut)
			}
			for _, m := range c.msgs {
				if !strings.Contains(errOut, m) {
					t.Errorf("stderr lacks %q:\n%s", m, errOut)
				}
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace shown to the user:\n%s", errOut)
			}
		})
	}
}

// TestSimulateReproducesEmbeddedData: the CLI writes exactly the embedded files.
func TestSimulateReproducesEmbeddedData(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := runCLI(t, "", "simulate", "--seed", "20211", "--out-dir", dir, "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for name, want := range map[string][]byte{"companies.csv": ccstudy.CompaniesCSV, "products.csv": ccstudy.ProductsCSV} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the embedded data", name)
		}
	}
	if _, errOut, code := runCLI(t, "", "simulate", "--out-dir", dir); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("overwriting without --force: exit %d, %q", code, errOut)
	}
}

// TestOutputFileIsAtomic: -o writes the whole output, and a failing run
// leaves neither the file nor a temporary behind.
func TestOutputFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v.json")
	if _, errOut, code := runCLI(t, "", "validate", "--format", "json", "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res ValidateResult
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil || res.Summary.Rows != 180 {
		t.Errorf("output file not the full result: %v %+v", err, res.Summary)
	}
	failed := filepath.Join(dir, "failed.json")
	if _, _, code := runCLI(t, "", "validate", "--data", filepath.Join(dir, "nope.csv"), "-o", failed); code != 1 {
		t.Errorf("exit %d", code)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only v.json", names)
	}
}

func TestSchemaCommand(t *testing.T) {
	out, _, code := runCLI(t, "", "schema")
	if code != 0 {
		t.Fatal(code)
	}
	var s struct {
		Fields []struct{ Name string } `json:"fields"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || len(s.Fields) != 15 {
		t.Errorf("schema JSON: %v, %d fields", err, len(s.Fields))
	}
	out, _, _ = runCLI(t, "", "schema", "products", "--format", "table")
	if !strings.Contains(out, "overseas_year") || !strings.Contains(out, "small_molecule | antibody") {
		t.Errorf("products schema table:\n%s", out)
	}
}

// TestEveryFormatRenders: each command output renders in every format.
func TestEveryFormatRenders(t *testing.T) {
	for _, format := range []string{"table", "csv", "json", "markdown"} {
		out, errOut, code := runCLI(t, "", "describe", "--format", format)
		if code != 0 || len(out) == 0 {
			t.Errorf("describe --format %s: exit %d %s", format, code, errOut)
		}
		if strings.Contains(out, "NaN") {
			t.Errorf("describe --format %s shows NaN", format)
		}
	}
}

// TestValidateExpectedCounts: a case/control count other than the one the
// user expects is only a warning.
func TestValidateExpectedCounts(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "c.csv")
	if err := os.WriteFile(data, ccstudy.CompaniesCSV, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "validate", "--data", data, "--expect-cases", "100", "--expect-controls", "80")
	if code != 0 || !strings.Contains(errOut, "warning:") || !strings.Contains(errOut, "100") || !strings.Contains(out, "90 cases") {
		t.Errorf("exit %d\nstderr %s\nstdout %s", code, errOut, out)
	}
}

// TestReportOutDirNotWritable: a folder that cannot be created is a clear
// error (exit 1) and nothing is left behind.
func TestReportOutDirNotWritable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "", append([]string{"report", "--out-dir", filepath.Join(file, "results")}, fastReport...)...)
	if code != 1 || !strings.Contains(errOut, "cannot") {
		t.Errorf("exit %d %q", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left %d entries behind", len(entries))
	}
}
