package dataset

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/internal/reftest"
)

func TestBuiltinSchemasParse(t *testing.T) {
	for _, name := range []string{"companies", "products"} {
		s, err := BuiltinSchema(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(s.Fields) == 0 {
			t.Fatalf("%s: no fields", name)
		}
		if !reflect.DeepEqual(s.MissingValues, []string{"", "NA"}) {
			t.Errorf("%s: missingValues = %q", name, s.MissingValues)
		}
		for _, f := range s.Fields {
			if !contains(supportedTypes, f.Type) {
				t.Errorf("%s: field %s has type %q", name, f.Name, f.Type)
			}
		}
	}
	c, _ := BuiltinSchema("companies")
	if c.Outcome() != "case" {
		t.Errorf("companies outcome = %q, want case", c.Outcome())
	}
	if f, _ := c.Field("novelty"); len(f.Categories) != 3 || f.Categories[0].Value != "me_too" {
		t.Errorf("novelty categories = %+v", f.Categories)
	}
	if f, _ := c.Field("rd_expenditure"); f.Constraints.ExclusiveMinimum == nil || *f.Constraints.ExclusiveMinimum != 0 {
		t.Errorf("rd_expenditure constraints = %+v", f.Constraints)
	}
	p, _ := BuiltinSchema("products")
	if len(p.ForeignKeys) != 1 || p.ForeignKeys[0].Reference.Resource != "companies" {
		t.Errorf("products foreign keys = %+v", p.ForeignKeys)
	}
}

func TestParseSchemaDefaults(t *testing.T) {
	s, err := ParseSchema([]byte(`{"fields": [{"name": "id"}, {"name": "y", "type": "integer", "role": "outcome"}]}`), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	if s.Fields[0].Type != TypeString {
		t.Errorf("missing type read as %q, want string", s.Fields[0].Type)
	}
	if !reflect.DeepEqual(s.MissingValues, []string{"", "NA"}) {
		t.Errorf("default missingValues = %q", s.MissingValues)
	}
	// An explicit empty list means no value is missing; it must not be
	// replaced by the default.
	s, err = ParseSchema([]byte(`{"missingValues": [], "fields": [{"name": "id"}]}`), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	if s.MissingValues == nil || len(s.MissingValues) != 0 {
		t.Errorf("explicit empty missingValues = %q", s.MissingValues)
	}
}

// schemaWith builds a schema document whose fields are the given JSON
// objects, padded with valid fields in front so indices are not all 0.
func schemaWith(extra string, fields ...string) string {
	all := append([]string{`{"name": "id", "type": "string", "role": "id"}`, `{"name": "case", "type": "integer", "role": "outcome", "constraints": {"enum": [0, 1]}}`, `{"name": "x", "type": "number"}`}, fields...)
	doc := `{"fields": [` + strings.Join(all, ",\n") + `]`
	if extra != "" {
		doc += ", " + extra
	}
	return doc + "}"
}

func TestParseSchemaInvalid(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		want []string // the exact lines of the error
	}{
		{"not JSON", "{\"fields\": [\n  {\"name\": \"a\",}\n]}",
			[]string{`s.json: not valid JSON at line 2, column 16: invalid character '}' looking for beginning of object key string`}},
		{"empty file", " \n", []string{`s.json: empty file (expected a Table Schema: a JSON object with a "fields" list)`}},
		{"cut short", "{\"fields\": [\n  {\"name\": \"a\"}", []string{`s.json: not valid JSON: the document ends at line 2, column 15 before it is complete (expected the rest of the schema, up to its closing })`}},
		{"nested too deep", `{"fields": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}",
			[]string{`s.json: not valid JSON at line 1, column 10011: lists or objects nested more than 10000 deep (expected a Table Schema: a JSON object with a "fields" list)`}},
		{"a CSV file", "\ufeffid,case,x\n1,0,2\n", []string{`s.json: not JSON: the file starts like CSV data (expected a Table Schema: a JSON object with a "fields" list; is it the data file, given as the schema?)`}},
		{"not an object", `[{"name": "a"}]`,
			[]string{`s.json: not a Table Schema: the document is a list (expected a JSON object with a "fields" list)`}},
		{"no fields", `{"name": "x"}`,
			[]string{`s.json: no "fields" (a Table Schema lists its columns in "fields": [{"name": "...", "type": "..."}, ...])`}},
		{"empty fields", `{"fields": []}`,
			[]string{`s.json: fields: empty list (expected at least one field)`}},
		{"empty categories", schemaWith("", `{"name": "g", "type": "string", "categories": []}`),
			[]string{`s.json: fields[3] ("g"): "categories" is an empty list (expected the field's levels, or no "categories" for a field that is not categorical)`}},
		{"fields not a list", `{"fields": {"name": "a"}}`,
			[]string{`s.json: fields: not a list (expected a list of field objects)`}},
		{"misspelled type", schemaWith("", `{"name": "novelty", "type": "strnig"}`),
			[]string{`s.json: fields[3] ("novelty"): type "strnig" is not a Table Schema type (expected integer, number, string, boolean, year, date); did you mean string?`}},
		{"unsupported type", schemaWith("", `{"name": "d", "type": "datetime"}`),
			[]string{`s.json: fields[3] ("d"): type "datetime" is a Table Schema type that ccstudy does not read (expected integer, number, string, boolean, year, date)`}},
		{"duplicate and missing names", schemaWith("", `{"name": "x", "type": "integer"}`, `{"type": "integer"}`),
			[]string{
				`s.json: fields[3] ("x"): name "x" is also used by fields[2] (expected each column name once)`,
				`s.json: fields[4]: no "name" (every field needs the name of its column)`,
			}},
		{"bad role", schemaWith("", `{"name": "z", "type": "number", "role": "covariat"}`),
			[]string{`s.json: fields[3] ("z"): role "covariat" is not a role (expected one of id, outcome, covariate, description, subgroup); did you mean covariate?`}},
		{"two outcomes", schemaWith("", `{"name": "y2", "type": "integer", "role": "outcome"}`),
			[]string{`s.json: 2 fields have role "outcome": fields[1] ("case"), fields[3] ("y2") (expected at most one)`}},
		{"string outcome", `{"fields": [{"name": "status", "type": "string", "role": "outcome"}]}`,
			[]string{`s.json: fields[0] ("status"): role "outcome" on type "string" without categories (expected an integer coded 1 = case and 0 = control, a boolean such as Yes/No with trueValues and falseValues, or two categories with the case level as "event")`}},
		{"outcome enum not 0/1", `{"fields": [{"name": "y", "type": "integer", "role": "outcome", "constraints": {"enum": [1, 2]}}]}`,
			[]string{`s.json: fields[0] ("y"): role "outcome" with constraints.enum allowing 2 (expected only 0 and 1: 1 = case, 0 = control; for other codes list them as two categories with the case level as "event")`}},
		{"bad categories", schemaWith("", `{"name": "c", "type": "string", "categories": ["a", "", "a"]}`),
			[]string{
				`s.json: fields[3] ("c").categories[1]: empty value (every category needs a value as it appears in the data)`,
				`s.json: fields[3] ("c").categories[2]: value "a" is also categories[0] (expected each category once)`,
			}},
		{"minimum above maximum", schemaWith("", `{"name": "yr", "type": "year", "constraints": {"minimum": 2025, "maximum": 1990}}`),
			[]string{`s.json: fields[3] ("yr"): constraints.minimum 2025 is greater than constraints.maximum 1990 (expected minimum <= maximum)`}},
		{"minimum on a string", schemaWith("", `{"name": "s", "type": "string", "constraints": {"minimum": 0}}`),
			[]string{`s.json: fields[3] ("s"): constraints.minimum on a string field (expected it only on integer, number or year fields)`}},
		{"minimum is text", schemaWith("", `{"name": "n", "type": "number", "constraints": {"minimum": "0"}}`),
			[]string{`s.json: fields[3] ("n"): constraints.minimum is a string (expected a number)`}},
		{"enum of the wrong type", schemaWith("", `{"name": "k", "type": "integer", "constraints": {"enum": [0, 0.5, "x"]}}`),
			[]string{
				`s.json: fields[3] ("k").constraints.enum[1]: 0.5 is not a whole number (expected enum values of the field's type, integer)`,
				`s.json: fields[3] ("k").constraints.enum[2]: "x" is not a whole number (expected enum values of the field's type, integer)`,
			}},
		{"enum outside categories", schemaWith("", `{"name": "c", "categories": ["a", "b"], "constraints": {"enum": ["a", "z"]}}`),
			[]string{`s.json: fields[3] ("c").constraints.enum[1]: "z" is not one of the categories (expected one of a, b)`}},
		{"unknown transform", schemaWith("", `{"name": "t", "type": "number", "transform": "sqrt"}`),
			[]string{`s.json: fields[3] ("t"): transform "sqrt" is not known (expected "log" or none)`}},
		{"keys naming no field", schemaWith(`"primaryKey": "ID", "foreignKeys": [{"fields": "cmpany", "reference": {"resource": "companies", "fields": "company_id"}}]`),
			[]string{
				`s.json: primaryKey: "ID" is not a field (expected one of id, case, x); did you mean id?`,
				`s.json: foreignKeys[0].fields: "cmpany" is not a field (expected one of id, case, x)`,
			}},
		{"missing marker that is a category", schemaWith(`"missingValues": ["", "other"]`, `{"name": "c", "categories": ["a", "other"]}`),
			[]string{`s.json: missingValues: "other" is also a category of fields[3] ("c"), which could then never be read (expected missing-value markers that are not data values)`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSchema([]byte(c.doc), "s.json")
			if err == nil {
				t.Fatalf("accepted: %+v", s)
			}
			var se *SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("error %T, want *SchemaError: %v", err, err)
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if len(se.Problems) != len(c.want) {
				t.Errorf("%d problems, want %d", len(se.Problems), len(c.want))
			}
		})
	}
}

// TestParseSchemaCollectsAll checks that problems in different fields and
// at the top level are all reported in one error.
func TestParseSchemaCollectsAll(t *testing.T) {
	doc := `{"primaryKey": "nope", "fields": [
		{"name": "a", "type": "strnig"},
		{"name": "b", "type": "integer", "role": "outcom"},
		{"name": "c", "type": "number", "constraints": {"minimum": 5, "maximum": 1}},
		"not a field"
	]}`
	_, err := ParseSchema([]byte(doc), "s.json")
	var se *SchemaError
	if !errors.As(err, &se) {
		t.Fatalf("error %v, want *SchemaError", err)
	}
	wantPaths := []string{`fields[0] ("a")`, `fields[1] ("b")`, `fields[2] ("c")`, `fields[3]`, `primaryKey`}
	var got []string
	for _, p := range se.Problems {
		got = append(got, p.Path)
	}
	if !reflect.DeepEqual(got, wantPaths) {
		t.Errorf("problem paths %q, want %q\n%v", got, wantPaths, err)
	}
}

// TestParseSchemaBOM: a schema saved with a UTF-8 byte-order mark (as
// Windows editors do) parses to the same schema as without it.
func TestParseSchemaBOM(t *testing.T) {
	b, err := BuiltinSchemaJSON("companies")
	if err != nil {
		t.Fatal(err)
	}
	want, err := ParseSchema(b, "s.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseSchema(append([]byte("\ufeff"), b...), "s.json")
	if err != nil {
		t.Fatalf("with a BOM: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("with a BOM the schema differs")
	}
	// Only one leading mark is the encoding's; a second is JSON's problem.
	if _, err := ParseSchema(append([]byte("\ufeff\ufeff"), b...), "s.json"); err == nil {
		t.Errorf("two BOMs accepted")
	}
}

// TestParseSchemaMessagesBounded: a 2 MB name, type, role or key and
// 10^5 bad categories give a bounded error: values are elided, problems
// past maxSchemaProblems are counted in one line, and the did-you-mean
// check skips texts far longer than any name (it took 13 s and 1.5 GB on
// a 10 MB value). Work is bounded by the bytes allocated: a 2 MB value
// now takes 3–10 times its size (JSON decoding), 10^5 categories about
// 275 times theirs.
func TestParseSchemaMessagesBounded(t *testing.T) {
	huge := strings.Repeat("ab", 1<<20)
	cats := make([]string, 100000)
	for i := range cats {
		cats[i] = `" "`
	}
	docs := map[string]string{
		"huge name":      schemaWith("", `{"name": " `+huge+`", "type": "strnig"}`),
		"huge type":      schemaWith("", `{"name": "t", "type": "`+huge+`"}`),
		"huge role":      schemaWith("", `{"name": "r", "type": "string", "role": "`+huge+`"}`),
		"huge key":       schemaWith("", `{"name": "k", "type": "string", "`+huge+`": 1}`),
		"huge pk":        schemaWith(`"primaryKey": "` + huge + `"`),
		"bad categories": schemaWith("", `{"name": "c", "type": "string", "categories": [`+strings.Join(cats, ",")+`]}`),
	}
	for name, doc := range docs {
		var err error
		alloc := reftest.AllocatedBytes(func() { _, err = ParseSchema([]byte(doc), "s.json") })
		most := uint64(32 * len(doc))
		if name == "bad categories" {
			most = uint64(1000 * len(doc))
		}
		if alloc > most {
			t.Errorf("%s: allocated %d bytes for a %d-byte schema", name, alloc, len(doc))
		}
		var se *SchemaError
		if !errors.As(err, &se) {
			t.Errorf("%s: want *SchemaError, got %.200v", name, err)
			continue
		}
		msg := err.Error()
		if len(msg) > (maxSchemaProblems+1)*2*maxMessageArg {
			t.Errorf("%s: message of %d bytes", name, len(msg))
		}
		for _, l := range strings.Split(msg, "\n") {
			if len(l) > 4*maxMessageArg {
				t.Errorf("%s: line of %d bytes: %.200q", name, len(l), l)
			}
		}
		if name == "bad categories" {
			want := fmt.Sprintf("s.json: … and %d more problems (the first %d are shown)", 100000-maxSchemaProblems, maxSchemaProblems)
			if len(se.Problems) != maxSchemaProblems+1 || !strings.HasSuffix(msg, want) {
				t.Errorf("%s: %d problems, ends %q; want %d and %q", name, len(se.Problems), msg[max(0, len(msg)-120):], maxSchemaProblems+1, want)
			}
		}
	}
}
