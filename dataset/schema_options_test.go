package dataset

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// parseErrLines parses doc and returns the lines of its *SchemaError.
func parseErrLines(t *testing.T, doc string) []string {
	t.Helper()
	s, err := ParseSchema([]byte(doc), "s.json")
	if err == nil {
		t.Fatalf("accepted: %+v", s)
	}
	var se *SchemaError
	if !errors.As(err, &se) {
		t.Fatalf("error %T, want *SchemaError: %v", err, err)
	}
	return strings.Split(err.Error(), "\n")
}

func mustParse(t *testing.T, doc string) *Schema {
	t.Helper()
	s, err := ParseSchema([]byte(doc), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseSchemaUnknownKeys(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		want []string
	}{
		{"misspelt role", schemaWith("", `{"name": "z", "type": "number", "rol": "covariate"}`),
			[]string{`s.json: fields[3] ("z").rol: unknown key (did you mean "role"?)`}},
		{"key in the wrong case", schemaWith("", `{"name": "ok", "type": "boolean", "truevalues": ["Yes"]}`),
			[]string{`s.json: fields[3] ("ok").truevalues: unknown key (did you mean "trueValues"?)`}},
		{"top level", schemaWith(`"titel": "My study", "primarykey": "id"`),
			[]string{
				`s.json: primarykey: unknown key (did you mean "primaryKey"?)`,
				`s.json: titel: unknown key (did you mean "title"?)`,
			}},
		{"nothing close", schemaWith(`"colour": "red"`),
			[]string{`s.json: colour: unknown key (expected one of name, title, titles, description, missingValues, primaryKey, foreignKeys, fields)`}},
		{"constraints and categories", schemaWith("", `{"name": "c", "categories": [{"value": "a", "lable": "A"}, "b"], "constraints": {"requird": true}}`),
			[]string{
				`s.json: fields[3] ("c").constraints.requird: unknown key (did you mean "required"?)`,
				`s.json: fields[3] ("c").categories[0].lable: unknown key (did you mean "label"?)`,
			}},
		{"foreign key", schemaWith(`"foreignKeys": [{"fields": "id", "reference": {"resorce": "", "fields": "id"}}]`),
			[]string{`s.json: foreignKeys[0].reference.resorce: unknown key (did you mean "resource"?)`}},
		{"not applied", schemaWith(`"uniqueKeys": [["id"]]`),
			[]string{`s.json: uniqueKeys: a Table Schema key that ccstudy does not apply: ccstudy does not check uniqueKeys (use primaryKey, or constraints.unique on a field) (expected it removed)`}},
		{"a data resource", `{"name": "r", "path": "d.csv", "schema": {"fields": []}}`,
			[]string{`s.json: this is a data resource or package, not a Table Schema (expected the object under its "schema" key, saved as a file of its own)`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parseErrLines(t, c.doc); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
	// Documentation-only Table Schema keys are accepted.
	mustParse(t, `{"$schema": "https://datapackage.org/profiles/2.0/tableschema.json", "fields": [{"name": "a", "example": "x", "rdfType": "http://schema.org/name"}]}`)
}

func TestParseSchemaPropertyChecks(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		want []string
	}{
		{"trueValues on an integer", schemaWith("", `{"name": "k", "type": "integer", "trueValues": ["Yes"]}`),
			[]string{`s.json: fields[3] ("k"): trueValues/falseValues on a integer field (expected them only on boolean fields)`}},
		{"a spelling on both sides", schemaWith("", `{"name": "b", "type": "boolean", "trueValues": ["Y", "yes"], "falseValues": ["N", "yes"]}`),
			[]string{`s.json: fields[3] ("b"): "yes" is in both trueValues and falseValues (expected each spelling in one of them)`}},
		{"a boolean spelling that is a missing marker", schemaWith(`"missingValues": ["", "-"]`, `{"name": "b", "type": "boolean", "trueValues": ["+"], "falseValues": ["-"]}`),
			[]string{`s.json: missingValues: "-" is also a boolean value of fields[3] ("b") (trueValues/falseValues), which could then never be read (expected missing-value markers that are not data values)`}},
		{"decimalChar on an integer, groupChar equal to it", schemaWith("", `{"name": "k", "type": "integer", "decimalChar": ","}`, `{"name": "n", "type": "number", "decimalChar": ",", "groupChar": ","}`),
			[]string{
				`s.json: fields[3] ("k"): decimalChar on a integer field (expected it only on number fields)`,
				`s.json: fields[4] ("n"): groupChar "," is also the decimal mark (expected different marks, e.g. decimalChar "," with groupChar ".")`,
			}},
		{"bad marks", schemaWith("", `{"name": "n", "type": "number", "decimalChar": "", "groupChar": "ab"}`, `{"name": "m", "type": "number", "decimalChar": "5"}`),
			[]string{
				`s.json: fields[3] ("n"): groupChar "ab" (expected a single character)`,
				`s.json: fields[4] ("m"): decimalChar "5" (expected a mark that is not part of a number, such as "," or ".")`,
			}},
		{"numeric categories", schemaWith("", `{"name": "d", "type": "number", "categories": [0, 0.5, "0.50", "x"]}`),
			[]string{
				`s.json: fields[3] ("d").categories[2]: value "0.50" is the same number as categories[1] (expected each category once)`,
				`s.json: fields[3] ("d").categories[3]: value "x" is not a number (expected numbers in a number field)`,
			}},
		{"categories on a boolean", schemaWith("", `{"name": "b", "type": "boolean", "categories": [true, false]}`),
			[]string{`s.json: fields[3] ("b"): categories on a boolean field (expected categories only on string, integer or number fields)`}},
		{"event misused", schemaWith("", `{"name": "e", "categories": ["a", "b"], "event": "b"}`),
			[]string{`s.json: fields[3] ("e"): event "b" on a field whose role is not "outcome" (expected event only on the outcome)`}},
		{"event not a category", `{"fields": [{"name": "y", "role": "outcome", "categories": ["No", "Yes"], "event": "yes"}]}`,
			[]string{`s.json: fields[0] ("y"): event "yes" is not one of the categories (expected one of No, Yes)`}},
		{"event without categories", `{"fields": [{"name": "y", "type": "integer", "role": "outcome", "event": 1}]}`,
			[]string{`s.json: fields[0] ("y"): event "1" on an outcome without categories (expected it on a two-level categorical outcome; a 0/1 or boolean outcome needs none: 1 or true is the case)`}},
		{"three-level outcome", `{"fields": [{"name": "y", "role": "outcome", "categories": ["a", "b", "c"]}]}`,
			[]string{`s.json: fields[0] ("y"): role "outcome" on a field with 3 categories (expected 2: the control level and the case level, marked with "event")`}},
		{"date format", schemaWith("", `{"name": "d", "type": "date", "format": "%d/%q/%Y"}`, `{"name": "s", "format": "email"}`),
			[]string{
				`s.json: fields[3] ("d"): format "%d/%q/%Y": %q is not a directive ccstudy reads (expected %Y %y %m %d %b %B %H %M %S)`,
				`s.json: fields[4] ("s"): format "email" on a string field (ccstudy reads formats only on date fields; expected "default" or none)`,
			}},
		{"text constraints", schemaWith("", `{"name": "s", "constraints": {"minLength": 5, "maxLength": 2, "pattern": "[a-"}}`, `{"name": "k", "type": "integer", "constraints": {"pattern": "1+"}}`),
			[]string{
				`s.json: fields[3] ("s"): constraints.minLength 5 is greater than constraints.maxLength 2 (expected minLength <= maxLength)`,
				"s.json: fields[3] (\"s\"): constraints.pattern \"[a-\" is not a regular expression: missing closing ]: `[a-`",
				`s.json: fields[4] ("k"): constraints.minLength, maxLength or pattern on a integer field (expected them only on string fields without categories)`,
			}},
		{"titles and labels", schemaWith(`"titles": {"chinese": "研究"}`, `{"name": "sex", "titles": {"zh": ""}, "categories": [{"value": "m", "labels": {"zh": "男"}}, {"value": "f", "labels": {"zh": "男"}}]}`),
			[]string{
				`s.json: titles: "chinese" is not a language code (expected a code such as "en", "zh" or "zh-CN")`,
				`s.json: fields[3] ("sex").titles: the zh text is empty (expected a text, or no entry for zh)`,
				`s.json: fields[3] ("sex").categories[1]: labels.zh "男" is also the zh label of categories[0] (expected distinct labels)`,
			}},
		{"field missing marker that is a category", schemaWith("", `{"name": "c", "categories": ["a", "-"], "missingValues": ["", "-"]}`),
			[]string{`s.json: fields[3] ("c").missingValues: "-" is also a category of fields[3] ("c"), which could then never be read (expected missing-value markers that are not data values)`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parseErrLines(t, c.doc); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestOutcomeEventIsSecond checks that the event level is moved to
// second place, whichever place it was declared in, and that without an
// event the second category is the event.
func TestOutcomeEventIsSecond(t *testing.T) {
	for _, c := range []struct {
		doc        string
		wantValues []string
		wantEvent  string
	}{
		{`{"fields": [{"name": "y", "role": "outcome", "event": "Yes", "categories": [{"value": "Yes", "label": "有"}, {"value": "No", "label": "无"}]}]}`, []string{"No", "Yes"}, "Yes"},
		{`{"fields": [{"name": "y", "role": "outcome", "event": "有", "categories": [{"value": "Yes", "label": "有"}, {"value": "No", "label": "无"}]}]}`, []string{"No", "Yes"}, "Yes"},
		{`{"fields": [{"name": "y", "role": "outcome", "categories": ["control", "case"]}]}`, []string{"control", "case"}, "case"},
		{`{"fields": [{"name": "y", "type": "integer", "role": "outcome", "event": 1, "categories": [1, 2]}]}`, []string{"2", "1"}, "1"},
	} {
		s := mustParse(t, c.doc)
		f := s.Fields[0]
		if got := f.CategoryCodes(); !slices.Equal(got, c.wantValues) || f.Event != c.wantEvent {
			t.Errorf("%s: categories %q event %q, want %q and %q", c.doc, got, f.Event, c.wantValues, c.wantEvent)
		}
	}
	// Labels travel with their codes.
	s := mustParse(t, `{"fields": [{"name": "y", "role": "outcome", "event": "Yes", "categories": [{"value": "Yes", "label": "有"}, {"value": "No", "label": "无"}]}]}`)
	if got := s.Fields[0].CategoryLabels(""); !slices.Equal(got, []string{"无", "有"}) {
		t.Errorf("labels %q after reordering", got)
	}
}

func TestDisplayTitlesAndLabels(t *testing.T) {
	s := mustParse(t, `{"name": "study", "title": "A study", "titles": {"zh": "一项研究"}, "fields": [
		{"name": "sex", "title": "Sex", "titles": {"zh": "性别", "zh-TW": "性別"}, "categories": [
			{"value": "m", "label": "male", "labels": {"zh": "男性"}},
			{"value": "f"}]},
		{"name": "age"}]}`)
	sex, age := s.Fields[0], s.Fields[1]
	for _, c := range []struct{ got, want string }{
		{sex.DisplayTitle("zh"), "性别"},
		{sex.DisplayTitle("zh-TW"), "性別"},
		{sex.DisplayTitle("zh-CN"), "性别"}, // primary subtag
		{sex.DisplayTitle("en"), "Sex"},
		{sex.DisplayTitle(""), "Sex"},
		{age.DisplayTitle("zh"), "age"},
		{sex.Categories[0].DisplayLabel("zh"), "男性"},
		{sex.Categories[0].DisplayLabel("en"), "male"},
		{sex.Categories[1].DisplayLabel("zh"), "f"},
		{s.DisplayTitle("zh"), "一项研究"},
		{s.DisplayTitle("fr"), "A study"},
		{(&Schema{Name: "n"}).DisplayTitle("zh"), "n"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	// The code stays the key: a label finds its category, the code is
	// what Value and CategoryCodes give.
	if i, ok := sex.CategoryIndex("男性"); ok {
		t.Errorf("a label in another language matched category %d", i)
	}
	if i, _ := sex.CategoryIndex("male"); i != 0 || sex.CategoryCodes()[0] != "m" {
		t.Errorf("label lookup %d, codes %q", i, sex.CategoryCodes())
	}
}

// TestMarshalSchemaRoundTrip checks that MarshalSchema writes every
// property ParseSchema reads: the built-in schemas and one using the new
// properties parse back to the same schema.
func TestMarshalSchemaRoundTrip(t *testing.T) {
	docs := map[string][]byte{}
	for _, name := range []string{"companies", "products"} {
		b, err := BuiltinSchemaJSON(name)
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = b
	}
	docs["options"] = []byte(`{"name": "o", "titles": {"zh": "研究"}, "missingValues": ["", "NA", "."], "primaryKey": ["id"], "fields": [
		{"name": "id", "role": "id", "constraints": {"required": true, "unique": true, "pattern": "P[0-9]+", "maxLength": 6}},
		{"name": "y", "type": "integer", "role": "outcome", "event": 2, "categories": [{"value": 2, "label": "case", "labels": {"zh": "病例"}}, {"value": 1, "label": "control"}]},
		{"name": "ok", "type": "boolean", "trueValues": ["Yes"], "falseValues": ["No"], "title": "OK", "titles": {"zh": "好"}},
		{"name": "x", "type": "number", "decimalChar": ",", "groupChar": ".", "bareNumber": false, "missingValues": [""]},
		{"name": "d", "type": "date", "format": "%d/%m/%Y", "role": "description"},
		{"name": "dose", "type": "number", "categories": [0, 0.5, 1], "categoriesOrdered": true}]}`)
	for name, b := range docs {
		s1, err := ParseSchema(b, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := MarshalSchema(s1)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := ParseSchema(out, name+" again")
		if err != nil {
			t.Fatalf("%s: written schema does not parse: %v\n%s", name, err, out)
		}
		if !reflect.DeepEqual(s1, s2) {
			t.Errorf("%s: round trip differs\n%s", name, out)
		}
	}
	// Numbers stay numbers and Chinese stays readable.
	s := mustParse(t, string(docs["options"]))
	out, _ := MarshalSchema(s)
	for _, want := range []string{`"categories": [0, 0.5, 1]`, `{"value": 1, "label": "control"}`, `"labels": {"zh": "病例"}`, `"event": "2"`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("written schema lacks %s:\n%s", want, out)
		}
	}
}

// loadDoc parses a schema document and loads a CSV with it.
func loadDoc(t *testing.T, doc, csv string, opts LoadOptions) (*Table, error) {
	t.Helper()
	return Load(strings.NewReader(csv), "d.csv", mustParse(t, doc), opts)
}

func mustLoadDoc(t *testing.T, doc, csv string) *Table {
	t.Helper()
	tab, err := loadDoc(t, doc, csv, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func wantLoadProblems(t *testing.T, doc, csv string, opts LoadOptions, want ...string) {
	t.Helper()
	_, err := loadDoc(t, doc, csv, opts)
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadBooleanSpellings(t *testing.T) {
	doc := `{"fields": [{"name": "status", "type": "boolean", "role": "outcome", "trueValues": ["Yes", "yes"], "falseValues": ["No"]}, {"name": "smoker", "type": "boolean"}]}`
	tab := mustLoadDoc(t, doc, "status,smoker\nYes,TRUE\nNo,false\nyes,1\nNA,0\n")
	y, _ := tab.Col("status")
	if !slices.Equal(y.Num[:3], []float64{1, 0, 1}) || !y.Missing[3] {
		t.Errorf("status %v missing %v", y.Num, y.Missing)
	}
	if s := Summarize(tab); *s.Cases != 2 || *s.Controls != 1 {
		t.Errorf("cases %d controls %d", *s.Cases, *s.Controls)
	}
	sm, _ := tab.Col("smoker")
	if !slices.Equal(sm.Num, []float64{1, 0, 1, 0}) {
		t.Errorf("default spellings read as %v", sm.Num)
	}
	// With trueValues given, spellings are exact and the message lists them.
	wantLoadProblems(t, doc, "status,smoker\nYES,1\nmaybe,yes\n", LoadOptions{},
		`d.csv:2:status: "YES" is not one of the field's trueValues and falseValues (expected "Yes", "yes" or "No"); did you mean Yes?`,
		`d.csv:3:status: "maybe" is not one of the field's trueValues and falseValues (expected "Yes", "yes" or "No")`,
		`d.csv:3:smoker: "yes" is not a boolean (expected true, false, 1 or 0; for other spellings such as Yes/No declare trueValues and falseValues)`)
}

func TestLoadEventOutcome(t *testing.T) {
	doc := `{"fields": [{"name": "class", "role": "outcome", "event": "malignant", "categories": [{"value": "malignant", "label": "恶性"}, {"value": "benign", "label": "良性"}]}, {"name": "x", "type": "number"}]}`
	tab := mustLoadDoc(t, doc, "class,x\nbenign,1\nmalignant,2\nbenign,4\nmalignant,3\nbenign,5\n")
	y, _ := tab.Col("class")
	if !slices.Equal(y.Num, []float64{0, 1, 0, 1, 0}) || y.Value(1) != "malignant" || y.Level(1) != "malignant" || y.Field.Categories[int(y.Num[1])].DisplayLabel("") != "恶性" {
		t.Errorf("outcome codes %v, value %q, level %q (a code), label %q", y.Num, y.Value(1), y.Level(1), y.Field.Categories[int(y.Num[1])].DisplayLabel(""))
	}
	if s := Summarize(tab); *s.Cases != 2 || *s.Controls != 3 {
		t.Errorf("cases %d controls %d", *s.Cases, *s.Controls)
	}
	f, err := ParseFormula("~ x")
	if err != nil {
		t.Fatal(err)
	}
	dm, err := Design(tab, f, DesignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(dm.Y, []float64{0, 1, 0, 1, 0}) {
		t.Errorf("design outcome %v", dm.Y)
	}
}

func TestLoadNumericCategories(t *testing.T) {
	doc := `{"fields": [{"name": "dose", "type": "number", "categories": [0, 0.5, 1]}, {"name": "grade", "type": "integer", "categories": ["3", "1", "2"]}]}`
	tab := mustLoadDoc(t, doc, "dose,grade\n0.50,1\n1,3\n0,2\n.5,+2\n")
	d, _ := tab.Col("dose")
	g, _ := tab.Col("grade")
	if !slices.Equal(d.Num, []float64{1, 2, 0, 1}) || !slices.Equal(g.Num, []float64{1, 0, 2, 2}) || d.Value(0) != "0.5" {
		t.Errorf("dose %v (%q) grade %v", d.Num, d.Value(0), g.Num)
	}
	wantLoadProblems(t, doc, "dose,grade\n0.7,4\n", LoadOptions{},
		`d.csv:2:dose: "0.7" is not one of 0, 0.5, 1`,
		`d.csv:2:grade: "4" is not one of 3, 1, 2`)
}

func TestLoadDecimalAndGroupMarks(t *testing.T) {
	doc := `{"fields": [{"name": "w", "type": "number", "decimalChar": ","}, {"name": "n", "type": "integer", "groupChar": "."}, {"name": "p", "type": "number", "bareNumber": false}]}`
	tab := mustLoadDoc(t, doc, "w;n;p\n2,62;1.234;95%\n-0,5;12;$ 1.5\n3;7;-2 kg\n")
	w, _ := tab.Col("w")
	n, _ := tab.Col("n")
	p, _ := tab.Col("p")
	if !slices.Equal(w.Num, []float64{2.62, -0.5, 3}) || !slices.Equal(n.Num, []float64{1234, 12, 7}) || !slices.Equal(p.Num, []float64{95, 1.5, -2}) {
		t.Errorf("w %v n %v p %v", w.Num, n.Num, p.Num)
	}
	wantLoadProblems(t, doc, "w;n;p\n2.62;1,5;x\n", LoadOptions{},
		`d.csv:2:w: "2.62" is not a number (expected "," as the decimal mark, as the field's decimalChar says, such as 12,5)`,
		`d.csv:2:n: "1,5" is not an integer (expected a whole number such as 1.234)`,
		`d.csv:2:p: "x" is not a number (expected a number such as 12.5)`)
	// A ',' CSV with quoted grouped numbers.
	tab = mustLoadDoc(t, `{"fields": [{"name": "income", "type": "number", "groupChar": ","}]}`, "income\n\"1,234.5\"\n\"12,000\"\n7\n")
	if c, _ := tab.Col("income"); !slices.Equal(c.Num, []float64{1234.5, 12000, 7}) {
		t.Errorf("income %v", c.Num)
	}
}

func TestLoadDates(t *testing.T) {
	doc := `{"fields": [{"name": "iso", "type": "date"}, {"name": "eu", "type": "date", "format": "%d/%m/%Y"}, {"name": "free", "type": "date", "format": "any"}]}`
	tab := mustLoadDoc(t, doc, "iso,eu,free\n2020-01-31,31/1/2020,2020年1月31日\n2021-02-28,01/12/2021,31 Jan 2020\n")
	if c, _ := tab.Col("eu"); c.Str[1] != "01/12/2021" || c.Num != nil {
		t.Errorf("dates are kept as text: %q", c.Str)
	}
	wantLoadProblems(t, doc, "iso,eu,free\n2020-02-30,2020-01-31,31/01/2020\n", LoadOptions{},
		`d.csv:2:iso: "2020-02-30" is not a date (expected YYYY-MM-DD, such as 2020-01-31)`,
		`d.csv:2:eu: "2020-01-31" is not a date (expected a date as %d/%m/%Y, such as 31/1/2020)`,
		`d.csv:2:free: "31/01/2020" is not a date (expected a date with the year first, such as 2020-01-31 or 2020/1/31)`)
}

func TestLoadTextConstraintsAndFieldMissingValues(t *testing.T) {
	doc := `{"missingValues": ["", "NA", "-"], "fields": [
		{"name": "code", "constraints": {"pattern": "[A-Z][0-9]{2}", "minLength": 3, "maxLength": 3}},
		{"name": "note", "missingValues": ["NA"]},
		{"name": "x", "type": "integer"}]}`
	tab := mustLoadDoc(t, doc, "code,note,x\nA01,-,-\nB22,NA,3\n")
	note, _ := tab.Col("note")
	x, _ := tab.Col("x")
	if note.Str[0] != "-" || note.Missing[0] || !note.Missing[1] || !x.Missing[0] {
		t.Errorf("note %q %v, x missing %v", note.Str, note.Missing, x.Missing)
	}
	wantLoadProblems(t, doc, "code,note,x\na01,,1\nA0123,a,2\nAB,b,3\n", LoadOptions{},
		`d.csv:2:code: "a01" does not match the pattern [A-Z][0-9]{2} (expected a value such as the schema's constraints.pattern describes)`,
		`d.csv:3:code: "A0123" has 5 characters (expected at most 3)`,
		`d.csv:4:code: "AB" has 2 characters (expected at least 3)`)
}

func TestLoadGB18030(t *testing.T) {
	utf8Text, gbk := gbkCompanies(t)
	want, err := loadCompanies(t, utf8Text, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []string{"gbk", "GB18030", "gb-2312"} {
		got, err := Load(bytes.NewReader(gbk), "companies.csv", schemaOf(t, "companies"), LoadOptions{Encoding: enc})
		if err != nil {
			t.Fatalf("%s: %v", enc, err)
		}
		sameData(t, enc, got, want)
		if got.SHA256 == want.SHA256 {
			t.Errorf("%s: the digest is of the decoded text, not of the bytes read", enc)
		}
	}
	// UTF-8 declared as GBK: a BOM settles it; without one, a warning.
	bom := append([]byte("\xEF\xBB\xBF"), utf8Text...)
	got, err := Load(bytes.NewReader(bom), "companies.csv", schemaOf(t, "companies"), LoadOptions{Encoding: "gbk"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got.Warnings, "companies.csv: read as UTF-8, not GB18030: the file starts with a UTF-8 byte-order mark") {
		t.Errorf("BOM: %q", got.Warnings)
	}
	zh := "id,名称\n1,创新药业\n"
	tab, err := Load(strings.NewReader(zh), "zh.csv", mustParse(t, `{"fields": [{"name": "id"}, {"name": "名称"}]}`), LoadOptions{Encoding: "gb18030"})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := tab.Col("名称"); len(tab.Warnings) != 1 || tab.Warnings[0] != "zh.csv: read as UTF-8, not GB18030: the file is valid UTF-8 text" || c.Str[0] != "创新药业" {
		t.Errorf("UTF-8 declared GB18030: %q", tab.Warnings)
	}
	// Not GB18030 either.
	_, err = Load(bytes.NewReader([]byte("id\n1\n\x81\x20\n")), "bad.csv", mustParse(t, `{"fields": [{"name": "id"}]}`), LoadOptions{Encoding: "gbk"})
	if got := problemLines(t, err); len(got) != 1 || got[0] != "bad.csv: not GB18030/GBK text (the first bytes that are not are on line 3; check the file's encoding, or convert with iconv -f ENCODING -t UTF-8)" {
		t.Errorf("invalid GB18030: %q", got)
	}
	if _, err := Load(strings.NewReader("id\n1\n"), "x.csv", mustParse(t, `{"fields": [{"name": "id"}]}`), LoadOptions{Encoding: "latin1"}); err == nil || err.Error() != `x.csv: unknown encoding "latin1" (expected utf-8, gbk or gb18030)` {
		t.Errorf("unknown encoding: %v", err)
	}
	if CheckEncoding("UTF8") != nil || CheckEncoding("big5") == nil {
		t.Error("CheckEncoding")
	}
}

func TestLoadHeaderHints(t *testing.T) {
	doc := `{"fields": [{"name": "birth_weight", "type": "integer"}, {"name": "age", "type": "integer"}, {"name": "smoker", "type": "integer"}]}`
	wantLoadProblems(t, doc, "Birth Weight,Age,smoker\n1,2,3\n", LoadOptions{},
		`d.csv:1: missing columns birth_weight, age (expected every column of the schema in the header); column "Birth Weight" differs from birth_weight only in case or spaces (rename the column, or the field in the schema) column "Age" differs from age only in case or spaces (rename the column, or the field in the schema)`)
	// The caller's hint: added when a column is missing, leading when
	// most are.
	hint := LoadOptions{HeaderHint: "pass --schema"}
	wantLoadProblems(t, doc, "birth_weight,age,smokes\n1,2,3\n", hint,
		`d.csv:1: missing column smoker (expected every column of the schema in the header); is "smokes" meant to be smoker?; pass --schema`)
	wantLoadProblems(t, doc, "id,low,race\n1,2,3\n", hint,
		`d.csv:1: the header has 0 of the schema's 3 columns (missing birth_weight, age, smoker); pass --schema`)
}

func TestLoadRepeatedProblemsSummarized(t *testing.T) {
	doc := `{"fields": [{"name": "id"}, {"name": "age", "type": "integer"}, {"name": "sex", "categories": ["m", "f"]}]}`
	var b strings.Builder
	b.WriteString("id,age,sex\n")
	for i := 0; i < 200; i++ {
		sex := "m"
		if i >= 197 {
			sex = "x"
		}
		b.WriteString("P" + string(rune('a'+i%26)) + ",?," + sex + "\n")
	}
	b.WriteString("Q,12.5,f\n")
	wantLoadProblems(t, doc, b.String(), LoadOptions{},
		`d.csv:2:age: "?" is not an integer (expected a whole number, or "?" listed in the schema's missingValues to read it as missing)`,
		`d.csv:3:age: "?" is not an integer (expected a whole number, or "?" listed in the schema's missingValues to read it as missing)`,
		`d.csv:4:age: "?" is not an integer (expected a whole number, or "?" listed in the schema's missingValues to read it as missing)`,
		`d.csv:age: … and 197 more rows with the same problem (the last at row 201)`,
		`d.csv:199:sex: "x" is not one of m, f`,
		`d.csv:200:sex: "x" is not one of m, f`,
		`d.csv:201:sex: "x" is not one of m, f`,
		`d.csv:202:age: "12.5" is not a whole number (expected an integer such as 12)`)
	// One more than shown is "1 more row"; MaxRepeats -1 shows them all.
	csv := "id,age,sex\na,x,m\nb,x,m\nc,x,m\nd,x,m\n"
	_, err := loadDoc(t, doc, csv, LoadOptions{})
	lines := problemLines(t, err)
	if len(lines) != 4 || lines[3] != `d.csv:age: … and 1 more row with the same problem (the last at row 5)` {
		t.Errorf("one more: %q", lines)
	}
	var ve *ValidationError
	errors.As(err, &ve)
	if p := ve.Problems[3]; p.MoreRows != 1 || p.Row != 4 || p.Column != "age" {
		t.Errorf("summary problem %+v", p)
	}
	_, err = loadDoc(t, doc, csv, LoadOptions{MaxRepeats: -1})
	if lines := problemLines(t, err); len(lines) != 4 || strings.Contains(strings.Join(lines, "\n"), "more row") {
		t.Errorf("MaxRepeats -1: %q", lines)
	}
	_, err = loadDoc(t, doc, csv, LoadOptions{MaxRepeats: 1})
	if lines := problemLines(t, err); len(lines) != 2 || lines[1] != `d.csv:age: … and 3 more rows with the same problem (the last at row 5)` {
		t.Errorf("MaxRepeats 1: %q", lines)
	}
}

func TestGB18030TestDataIsGBK(t *testing.T) {
	// The fixture used above must really be GBK, or the decoding tests
	// prove nothing.
	_, gbk := gbkCompanies(t)
	if out, err := simplifiedchinese.GBK.NewDecoder().Bytes(gbk); err != nil || bytes.Equal(out, gbk) {
		t.Errorf("fixture is not GBK-encoded Chinese: %v", err)
	}
}
