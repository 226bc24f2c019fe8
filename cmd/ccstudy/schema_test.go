package main

import (
	"encoding/json"
	"github.com/ccstudy/ccstudy/internal/refstudy"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
)

// validateCounts runs validate --format json and returns its summary.
func validateCounts(t *testing.T, args ...string) dataset.Summary {
	t.Helper()
	var res ValidateResult
	runJSON(t, &res, append([]string{"validate"}, args...)...)
	return res.Summary
}

func TestSchemaInferDraftLoadsItsCSV(t *testing.T) {
	dir := t.TempDir()
	csv := testdataPath("reference/describe/birthwt.csv")
	draft := filepath.Join(dir, "birthwt.schema.json")
	out, errOut, code := runCLI(t, "", "schema", "infer", csv, "--outcome", "low", "-o", draft)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "ptl: 4 integer codes listed as categories") {
		t.Errorf("notes on standard error: %q", errOut)
	}
	// Standard output gets the same bytes as -o.
	stdout, _, code := runCLI(t, "", "schema", "infer", csv, "--outcome", "low", "-q")
	written, err := os.ReadFile(draft)
	if err != nil || code != 0 || stdout != string(written) {
		t.Fatalf("stdout and -o differ (exit %d, %v)", code, err)
	}
	if _, err := dataset.ParseSchema(written, "draft"); err != nil {
		t.Fatal(err)
	}
	// The draft reads the file as the hand-written schema does.
	got := validateCounts(t, "--data", csv, "--schema", draft)
	want := validateCounts(t, "--data", csv, "--schema", testdataPath("reference/describe/birthwt.schema.json"))
	if got.Rows != want.Rows || *got.Cases != *want.Cases || *got.Controls != *want.Controls || got.Outcome != "low" {
		t.Errorf("draft: %d rows, %d cases, %d controls; hand-written schema: %d, %d, %d", got.Rows, *got.Cases, *got.Controls, want.Rows, *want.Cases, *want.Controls)
	}
}

// TestSchemaInferYesNoOutcome drafts a schema for MASS::Pima.tr, whose
// outcome is Yes/No, and checks the case count against R's.
func TestSchemaInferYesNoOutcome(t *testing.T) {
	var ref map[string]struct {
		Cases    int `json:"cases"`
		Controls int `json:"controls"`
	}
	readReference(t, "schema/schema.json", &ref)
	csv := testdataPath("reference/schema/pima.csv")
	draft := filepath.Join(t.TempDir(), "pima.schema.json")
	if _, errOut, code := runCLI(t, "", "schema", "infer", csv, "--outcome", "type", "-o", draft); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	s := validateCounts(t, "--data", csv, "--schema", draft)
	if *s.Cases != ref["pima"].Cases || *s.Controls != ref["pima"].Controls {
		t.Errorf("%d cases, %d controls; R counts %d and %d", *s.Cases, *s.Controls, ref["pima"].Cases, ref["pima"].Controls)
	}
}

func TestSchemaInferFormatsAndInput(t *testing.T) {
	csv := "id,case,sex\n1,1,m\n2,0,f\n3,0,m\n4,1,f\n"
	out, errOut, code := runCLI(t, csv, "schema", "infer", "-", "--format", "table")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Draft Table Schema for stdin (4 rows)", "outcome: case (GUESSED: check it, or pass --outcome NAME)", `missing values: ""`, "m | f"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "guessed the outcome: case") {
		t.Errorf("the guess is not on standard error: %q", errOut)
	}
	// --data works as the file too, and JSON is the default.
	path := filepath.Join(t.TempDir(), "my study.csv")
	if err := writeFile(path, csv); err != nil {
		t.Fatal(err)
	}
	out, _, code = runCLI(t, "", "schema", "infer", "--data", path, "-q")
	var doc map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || doc["name"] != "my study" {
		t.Errorf("exit %d, name %v:\n%s", code, doc["name"], out)
	}
}

func TestSchemaUsageAndHints(t *testing.T) {
	csv := testdataPath("reference/describe/birthwt.csv")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file", []string{"schema", "infer"}, 2, "schema infer needs the CSV file to read: ccstudy schema infer FILE"},
		{"two files", []string{"schema", "infer", "a.csv", "b.csv"}, 2, "schema infer takes one CSV file, got 2"},
		{"unknown outcome", []string{"schema", "infer", csv, "--outcome", "lwo"}, 2, `--outcome: outcome "lwo" is not a column (did you mean low or lwt?)`},
		{"not two-valued", []string{"schema", "infer", csv, "--outcome", "age"}, 2, "--outcome: outcome age has 24 distinct values"},
		{"no such file", []string{"schema", "infer", "nope.csv"}, 1, "nope.csv: no such file"},
		{"a CSV as schema name", []string{"schema", csv}, 2, "is not a built-in schema (companies or products); to draft a schema from this CSV, run: ccstudy schema infer " + csv},
		{"schema with --data", []string{"schema", "--data", csv}, 2, "schema prints a built-in schema and does not read --data; to draft a schema from " + csv + ", run: ccstudy schema infer " + csv},
		{"data without --schema", []string{"validate", "--data", csv}, 1, "describe your own CSV with a Table Schema: draft one with 'ccstudy schema infer " + csv + " > birthwt.schema.json', edit it, and pass --schema birthwt.schema.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, "", c.args...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", code, c.code, errOut, c.want)
			}
		})
	}
}

func TestValidateStrictSchema(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(dir, "s.json")
	if err := writeFile(schema, `{"fields": [{"name": "id", "role": "id"}, {"name": "y", "type": "integer", "role": "outcome"}, {"name": "x", "type": "number", "rol": "covariate"}]}`); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "d.csv")
	if err := writeFile(data, "id,y,x\n1,0,1.5\n2,1,2.5\n"); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "", "validate", "--data", data, "--schema", schema)
	if want := `s.json: fields[2] ("x").rol: unknown key (did you mean "role"?)`; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr %q, want %q", code, errOut, want)
	}
}

// TestSchemaBuiltinUnchanged checks that `ccstudy schema` still prints
// the embedded schema byte for byte in its JSON form.
func TestSchemaBuiltinUnchanged(t *testing.T) {
	for _, name := range []string{"companies", "products"} {
		args := []string{"schema"}
		if name == "products" {
			args = append(args, name)
		}
		out, errOut, code := runCLI(t, "", args...)
		raw, err := refstudy.SchemaJSON(name)
		if err != nil || code != 0 {
			t.Fatalf("exit %d: %s %v", code, errOut, err)
		}
		var got, want any
		if json.Unmarshal([]byte(out), &got) != nil || json.Unmarshal(raw, &want) != nil {
			t.Fatalf("%s: not JSON", name)
		}
		if !jsonEqual(got, want) {
			t.Errorf("%s: printed schema differs from the embedded one", name)
		}
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
