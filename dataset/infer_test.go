package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// schemaRef is what testdata/reference/schema/schema_reference.R reads
// in each CSV with R.
type schemaRef struct {
	Rows    int `json:"rows"`
	Columns []struct {
		Name     string   `json:"name"`
		Missing  int      `json:"missing"`
		Distinct int      `json:"distinct"`
		Sum      *float64 `json:"sum"`
		Levels   []string `json:"levels"`
	} `json:"columns"`
	Outcome  string `json:"outcome"`
	Cases    int    `json:"cases"`
	Controls int    `json:"controls"`
}

func readSchemaRef(t *testing.T) map[string]schemaRef {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "reference", "schema", "schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string]schemaRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

func inferFile(t *testing.T, path string, opts InferOptions) (*Inferred, []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inf, err := Infer(bytes.NewReader(b), path, opts)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return inf, b
}

// TestInferLoadsItsOwnCSV drafts a schema for CSVs shaped as users'
// files and checks that it loads them, and that what ccstudy then reads
// agrees with what R reads: rows, missing cells per column, column sums
// (so decimal commas are read right), the category order (most frequent
// first, ties by first appearance) and the case/control counts.
func TestInferLoadsItsOwnCSV(t *testing.T) {
	ref := readSchemaRef(t)
	cases := []struct {
		file    string
		outcome string
		guessed string // the outcome Infer should guess, when not given
	}{
		{"schema/airquality.csv", "", ""},
		{"schema/pima.csv", "type", ""},
		{"schema/biopsy.csv", "class", ""},
		{"schema/mtcars2.csv", "", ""},
		{"schema/chinese.csv", "", "病例"},
		{"describe/birthwt.csv", "low", ""},
		{"logitcmd/infert.csv", "", "case"},
		{"clustercmd/USArrests.csv", "", ""},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "reference", c.file)
			inf, raw := inferFile(t, path, InferOptions{Name: "x", Outcome: c.outcome})
			tab, err := Load(bytes.NewReader(raw), path, inf.Schema, LoadOptions{})
			if err != nil {
				out, _ := MarshalSchema(inf.Schema)
				t.Fatalf("the draft does not load its own CSV: %v\n%s", err, out)
			}
			want := c.outcome
			if want == "" {
				want = c.guessed
			}
			if inf.Outcome != want || inf.Schema.Outcome() != want || inf.OutcomeGuessed != (c.guessed != "") {
				t.Errorf("outcome %q (guessed %v), want %q", inf.Outcome, inf.OutcomeGuessed, want)
			}
			r, ok := ref[strings.TrimSuffix(filepath.Base(c.file), ".csv")]
			if !ok {
				return // not in the R reference (its values are checked elsewhere)
			}
			if tab.NRows() != r.Rows || inf.Rows != r.Rows {
				t.Errorf("rows %d (inferred from %d), R reads %d", tab.NRows(), inf.Rows, r.Rows)
			}
			for _, rc := range r.Columns {
				col, ok := tab.Col(rc.Name)
				if !ok {
					t.Errorf("no field %s", rc.Name)
					continue
				}
				if got := col.CountMissing(); got != rc.Missing {
					t.Errorf("%s: %d missing, R says %d", rc.Name, got, rc.Missing)
				}
				if rc.Sum != nil {
					sum := 0.0
					for i := range col.Missing {
						if !col.Missing[i] {
							x, err := strconv.ParseFloat(col.Value(i), 64)
							if err != nil {
								t.Fatalf("%s: value %q: %v", rc.Name, col.Value(i), err)
							}
							sum += x
						}
					}
					if math.Abs(sum-*rc.Sum) > 1e-9*math.Abs(*rc.Sum) {
						t.Errorf("%s: sum %v, R says %v", rc.Name, sum, *rc.Sum)
					}
				}
				f := col.Field
				if f.IsCategorical() && f.Role != RoleOutcome && !slices.Equal(f.CategoryCodes(), rc.Levels) {
					t.Errorf("%s: categories %q, R orders the levels %q", rc.Name, f.CategoryCodes(), rc.Levels)
				}
			}
			if r.Outcome != "" {
				s := Summarize(tab)
				if s.Outcome != r.Outcome || *s.Cases != r.Cases || *s.Controls != r.Controls {
					t.Errorf("outcome %s: %d cases, %d controls; R counts %d and %d", s.Outcome, *s.Cases, *s.Controls, r.Cases, r.Controls)
				}
			}
		})
	}
}

// TestInferReferenceDrafts pins the decisions a researcher sees in the
// drafts of the reference CSVs.
func TestInferReferenceDrafts(t *testing.T) {
	dir := filepath.Join("..", "testdata", "reference", "schema")
	field := func(inf *Inferred, name string) *Field {
		t.Helper()
		f, ok := inf.Schema.Field(name)
		if !ok {
			t.Fatalf("no field %s", name)
		}
		return f
	}

	air, _ := inferFile(t, filepath.Join(dir, "airquality.csv"), InferOptions{})
	if !slices.Equal(air.Schema.MissingValues, []string{"", "NA"}) || field(air, "Ozone").Type != TypeInteger || field(air, "Wind").Type != TypeNumber {
		t.Errorf("airquality: missing values %q, Ozone %s, Wind %s", air.Schema.MissingValues, field(air, "Ozone").Type, field(air, "Wind").Type)
	}
	if f := field(air, "Month"); !f.IsCategorical() || f.Role != RoleCovariate || field(air, "Day").IsCategorical() {
		t.Errorf("airquality: Month (5 codes) categorical %v, Day (31) categorical %v", f.IsCategorical(), field(air, "Day").IsCategorical())
	}

	pima, _ := inferFile(t, filepath.Join(dir, "pima.csv"), InferOptions{Outcome: "type"})
	if f := field(pima, "type"); f.Type != TypeBoolean || !slices.Equal(f.TrueValues, []string{"Yes"}) || !slices.Equal(f.FalseValues, []string{"No"}) || f.Role != RoleOutcome {
		t.Errorf("pima type: %+v", f)
	}

	bio, _ := inferFile(t, filepath.Join(dir, "biopsy.csv"), InferOptions{Outcome: "class"})
	if f := field(bio, "class"); f.Event != "malignant" || !slices.Equal(f.CategoryCodes(), []string{"benign", "malignant"}) {
		t.Errorf("biopsy class: event %q, categories %q", f.Event, f.CategoryCodes())
	}
	if f := field(bio, "ID"); f.Role != RoleDescription || len(bio.Schema.PrimaryKey) != 0 {
		t.Errorf("biopsy: the repeated ID has role %q, primary key %q", f.Role, bio.Schema.PrimaryKey)
	}

	mt, _ := inferFile(t, filepath.Join(dir, "mtcars2.csv"), InferOptions{})
	if f := field(mt, "mpg"); f.DecimalChar != "," || f.Type != TypeNumber {
		t.Errorf("mtcars2 mpg: %+v", f)
	}
	if len(mt.Schema.Fields) != 11 || !slices.Contains(mt.Notes, "column 1 has no name (R's row names?) and is left out, as the loader ignores it") {
		t.Errorf("mtcars2: %d fields, notes %q", len(mt.Schema.Fields), mt.Notes)
	}

	zh, raw := inferFile(t, filepath.Join(dir, "chinese.csv"), InferOptions{})
	if f := field(zh, "编号"); f.Role != RoleID || !slices.Equal(zh.Schema.PrimaryKey, []string{"编号"}) {
		t.Errorf("chinese id: %+v", f)
	}
	if f := field(zh, "病例"); f.Type != TypeBoolean || !slices.Equal(f.TrueValues, []string{"是"}) || !strings.HasPrefix(f.Description, "GUESSED outcome") {
		t.Errorf("chinese outcome: %+v", f)
	}
	if !slices.Equal(zh.Schema.MissingValues, []string{"", "NA", "."}) {
		t.Errorf("chinese missing values %q", zh.Schema.MissingValues)
	}
	if zh.Notes[0] != "guessed the outcome: 病例 (two-valued and named like an outcome); pass --outcome NAME to choose another" {
		t.Errorf("notes %q", zh.Notes)
	}
	// The same file saved as GBK gives the same draft.
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	zh2, err := Infer(bytes.NewReader(gbk), filepath.Join(dir, "chinese.csv"), InferOptions{Encoding: "gbk"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(zh2.Schema, zh.Schema) {
		t.Error("the GBK file gives another draft")
	}
	if _, err := Load(bytes.NewReader(gbk), "chinese.csv", zh2.Schema, LoadOptions{Encoding: "gbk"}); err != nil {
		t.Error(err)
	}
	if _, err := Infer(bytes.NewReader(gbk), "chinese.csv", InferOptions{}); err == nil || !strings.Contains(err.Error(), "looks like GBK") {
		t.Errorf("GBK read as UTF-8: %v", err)
	}
}

func inferText(t *testing.T, csv string, opts InferOptions) *Inferred {
	t.Helper()
	inf, err := Infer(strings.NewReader(csv), "d.csv", opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(strings.NewReader(csv), "d.csv", inf.Schema, LoadOptions{}); err != nil {
		out, _ := MarshalSchema(inf.Schema)
		t.Fatalf("the draft does not load its CSV: %v\n%s", err, out)
	}
	return inf
}

// fieldJSON is a field as the draft writes it, for exact comparisons.
func fieldJSON(t *testing.T, inf *Inferred, name string) string {
	t.Helper()
	f, ok := inf.Schema.Field(name)
	if !ok {
		t.Fatalf("no field %s", name)
	}
	b, err := compactJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInferRules(t *testing.T) {
	csv := strings.Join([]string{
		"PatientID,visit_id,outcome,grp,note,dose,score,born,zip,site,year,stratum,smoker,const",
		"P1,1,Yes,b,-,1.5,.,2001-02-03,001,A,2015,1,y,k",
		"P2,1,No,a,ok,2,3,2001-02-04,002,A,2016,1,n,k",
		"P3,2,No,a,fine,NaN,-,2001-02-05,003,B,2015,2,Y,k",
		"P4,2,Yes,b,-,2.5,4,2001-02-06,004,B,2017,2,N,k",
		"P5,3,No,c,good,N/A,NA,2001-02-07,005,C,2016,3,n,k",
		"P6,3,No,a,nice,3,5,2001-02-08,006,C,2018,3,y,k",
	}, "\n") + "\n"
	inf := inferText(t, csv, InferOptions{Name: "d"})
	for name, want := range map[string]string{
		// Unique and named like an id: the id and primary key.
		"PatientID": `{"name": "PatientID", "type": "string", "role": "id", "description": "identifier (present and unique in every row)", "constraints": {"required": true, "unique": true}}`,
		// Named like an id, but repeated.
		"visit_id": `{"name": "visit_id", "type": "integer", "role": "description", "description": "named like an id, but not present and unique in every row (3 distinct values in 6 rows): not analysed"}`,
		// Yes/No named outcome: a guessed boolean outcome.
		"outcome": `{"name": "outcome", "type": "boolean", "role": "outcome", "description": "GUESSED outcome (two-valued and named like one: check it): Yes = case, No = control", "trueValues": ["Yes"], "falseValues": ["No"]}`,
		// Most frequent first, ties (b and... none here) by appearance.
		"grp": `{"name": "grp", "type": "string", "role": "covariate", "description": "3 levels, most frequent first (reference: a)", "categories": ["a", "b", "c"]}`,
		// "-" is a value in a text column, so the column keeps it.
		"note": `{"name": "note", "type": "string", "role": "description", "description": "free text (5 distinct values): not analysed; list categories to analyse it", "missingValues": ["", "NA", "N/A", ".", "NaN"]}`,
		// NaN and N/A are missing in a number column.
		"dose": `{"name": "dose", "type": "number", "role": "covariate"}`,
		// "." and "-" are missing in an otherwise integer column.
		"score": `{"name": "score", "type": "integer", "role": "covariate"}`,
		"born":  `{"name": "born", "type": "date", "role": "description"}`,
		// Leading zeros keep a code as text.
		"zip": `{"name": "zip", "type": "string", "role": "description", "description": "every value is different (names or labels?): not analysed"}`,
		// Ties by first appearance: A, B, C each twice.
		"site": `{"name": "site", "type": "string", "role": "covariate", "description": "3 levels, most frequent first (reference: A)", "categories": ["A", "B", "C"]}`,
		// Years are not codes.
		"year":    `{"name": "year", "type": "year", "role": "covariate"}`,
		"stratum": `{"name": "stratum", "type": "integer", "role": "description", "description": "looks like the matched set: use it as --strata (conditional logistic regression), not as a covariate"}`,
		// y/n in any case, spellings as seen.
		"smoker": `{"name": "smoker", "type": "boolean", "role": "covariate", "trueValues": ["y", "Y"], "falseValues": ["n", "N"]}`,
		"const":  `{"name": "const", "type": "string", "role": "description", "description": "constant: every value is \"k\", so it cannot enter a model"}`,
	} {
		if got := fieldJSON(t, inf, name); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", name, got, want)
		}
	}
	if !slices.Equal(inf.Schema.MissingValues, []string{"", "NA", "N/A", ".", "-", "NaN"}) {
		t.Errorf("missing values %q", inf.Schema.MissingValues)
	}

	// Ties by first appearance, and the outcome's event.
	inf = inferText(t, "status,g\ncontrol,b\ncase,a\ncase,a\ncontrol,b\ncontrol,c\ncontrol,c\n", InferOptions{})
	if got := fieldJSON(t, inf, "g"); got != `{"name": "g", "type": "string", "role": "covariate", "description": "3 levels, most frequent first (reference: b)", "categories": ["b", "a", "c"]}` {
		t.Errorf("ties: %s", got)
	}
	if got := fieldJSON(t, inf, "status"); got != `{"name": "status", "type": "string", "role": "outcome", "description": "GUESSED outcome (two-valued and named like one: check it): \"case\" = case (the \"event\"), \"control\" = control", "event": "case", "categories": ["control", "case"]}` {
		t.Errorf("status: %s", got)
	}
	// Without a case-like word the less frequent level is the event; the
	// whole name beats a word of it.
	inf = inferText(t, "marital_status,y\nsingle,1\nmarried,1\nmarried,2\nmarried,1\n", InferOptions{})
	if inf.Outcome != "y" {
		t.Errorf("outcome %q, want y (a whole-name match)", inf.Outcome)
	}
	if got := fieldJSON(t, inf, "y"); got != `{"name": "y", "type": "integer", "role": "outcome", "description": "GUESSED outcome (two-valued and named like one: check it): \"2\" = case (the \"event\"), \"1\" = control", "event": "2", "categories": [1, 2]}` {
		t.Errorf("y: %s", got)
	}

	// Number notations: decimal comma in a ';' file, grouping in a ',' file.
	inf = inferText(t, "w;n\n2,5;1\n3;2\n", InferOptions{})
	if got := fieldJSON(t, inf, "w"); got != `{"name": "w", "type": "number", "role": "covariate", "decimalChar": ","}` {
		t.Errorf("decimal comma: %s", got)
	}
	inf = inferText(t, "income,n\n\"1,234.5\",1\n\"12,000\",2\n7,3\n", InferOptions{})
	if got := fieldJSON(t, inf, "income"); got != `{"name": "income", "type": "number", "role": "covariate", "groupChar": ","}` {
		t.Errorf("grouped: %s", got)
	}
	// Slashed dates, and no outcome at all.
	inf = inferText(t, "when,x\n2020/1/31,1\n2021/12/1,2\n", InferOptions{})
	if got := fieldJSON(t, inf, "when"); got != `{"name": "when", "type": "date", "format": "%Y/%m/%d", "role": "description"}` {
		t.Errorf("slashed date: %s", got)
	}
	if inf.Outcome != "" || !slices.ContainsFunc(inf.Notes, func(n string) bool { return strings.HasPrefix(n, "no outcome:") }) {
		t.Errorf("outcome %q, notes %q", inf.Outcome, inf.Notes)
	}
}

func TestInferOutcomeChoice(t *testing.T) {
	csv := "id,age,grp,low\n1,30,a,0\n2,41,b,1\n3,35,a,0\n"
	for _, c := range []struct{ outcome, want string }{
		{"lwo", `outcome "lwo" is not a column (did you mean low?) (columns: id, age, grp, low)`},
		{"age", `outcome age has 3 distinct values (30, 41, 35); expected two: 0/1, a boolean such as Yes/No, or two levels such as case/control`},
	} {
		_, err := Infer(strings.NewReader(csv), "d.csv", InferOptions{Outcome: c.outcome})
		var oe *OutcomeChoiceError
		if !errors.As(err, &oe) || err.Error() != c.want {
			t.Errorf("--outcome %s: %v, want %s", c.outcome, err, c.want)
		}
	}
	inf := inferText(t, csv, InferOptions{Outcome: "low"})
	if inf.OutcomeGuessed || fieldJSON(t, inf, "low") != `{"name": "low", "type": "integer", "role": "outcome", "description": "outcome: 1 = case, 0 = control", "constraints": {"enum": [0, 1]}}` {
		t.Errorf("low: %s", fieldJSON(t, inf, "low"))
	}
}

func TestInferErrors(t *testing.T) {
	for _, c := range []struct{ csv, want string }{
		{"", "d.csv: empty file (expected a header row with the column names)"},
		{"a,b\n", "d.csv: no data rows (the file has a header line but nothing under it, so there is nothing to infer types from)"},
		{"a,b,a\n1,2,3\n", `d.csv:1:a: column "a" appears twice, as columns 1 and 3 (expected each column once: rename one)`},
		{"a,b\n1,2\n3\n", `d.csv:3: 1 values, but the header has 2 columns (expected one value per column; a value containing "," must be in quotes)`},
		{"a,b\n1,\"2\n", `d.csv:2: a quoted value is not closed, or has text after its closing quote (expected "..." around the whole value, with "" for each quote mark inside it); the quote runs on to the end of the file`},
	} {
		_, err := Infer(strings.NewReader(c.csv), "d.csv", InferOptions{})
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %s", c.csv, err, c.want)
		}
	}
	// An empty row is noted, not fatal, and R's unnamed row-name column
	// is left out.
	inf := inferText(t, "\"\",a\n\"r1\",1\n\"r2\",2\n", InferOptions{})
	if len(inf.Schema.Fields) != 1 || inf.Notes[0] != "column 1 has no name (R's row names?) and is left out, as the loader ignores it" {
		t.Errorf("fields %d, notes %q", len(inf.Schema.Fields), inf.Notes)
	}
	inf, err := Infer(strings.NewReader("a,b\n1,2\n,\n3,4\n"), "d.csv", InferOptions{})
	if err != nil || inf.Rows != 2 || !slices.Contains(inf.Notes, "row 3 is empty: the loader refuses empty rows, so delete it") {
		t.Errorf("empty row: %v %+v", err, inf)
	}
}
