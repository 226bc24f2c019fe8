package dataset

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

func loadProducts(t testing.TB, b []byte) *Table {
	t.Helper()
	tab, err := Load(bytes.NewReader(b), "products.csv", schemaOf(t, "products"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func wantLines(t *testing.T, err error, want ...string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("unexpected error:\n%v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want\n%s", strings.Join(want, "\n"))
	}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckCompanies(t *testing.T) {
	wantLines(t, CheckCompanies(mustLoad(t, readFixture(t, "companies.csv"))))

	// C001 (line 2) is a control, C002 (line 3) a case founded in 1986.
	tab := mustLoad(t, withCells(t, map[string]string{
		"2:first_overseas_year": "2019",
		"3:first_overseas_year": "",
		"4:first_overseas_year": "2007", // C003 was founded in 2008
	}))
	wantLines(t, CheckCompanies(tab),
		`companies.csv:2:first_overseas_year: 2019 given for a control (expected an empty cell, since case = 0)`,
		`companies.csv:3:first_overseas_year: empty for a case (expected the year of the company's first overseas clinical trial, since case = 1)`,
		`companies.csv:4:first_overseas_year: 2007 is before the company was founded in 2008 (expected founded_year <= first_overseas_year)`)

	// A schema without these study fields is not held to the study's rules.
	s, err := ParseSchema([]byte(`{"fields": [{"name": "y", "type": "integer", "role": "outcome"}, {"name": "x", "type": "number"}]}`), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	own, err := Load(strings.NewReader("y,x\n1,2\n0,3\n"), "own.csv", s, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, CheckCompanies(own))
}

func TestCheckProducts(t *testing.T) {
	companies := mustLoad(t, readFixture(t, "companies.csv"))
	products := readFixture(t, "products.csv")
	wantLines(t, CheckProducts(companies, loadProducts(t, products)))

	recs := records(t, products)
	recs[2][1] = "C999" // line 3: unknown
	recs[3][1] = "C004" // line 4: a control (companies.csv line 5)
	recs[5][2] = "2015" // line 6: P046 of C003, whose first overseas trial is 2016
	wantLines(t, CheckProducts(companies, loadProducts(t, writeRecords(t, recs))),
		`products.csv:3:company_id: unknown company "C999" (not in companies.csv)`,
		`products.csv:4:company_id: company "C004" is a control (case = 0 at companies.csv:5), but only cases have products abroad (expected a company with case = 1)`,
		`products.csv:6:overseas_year: 2015 is before the first overseas trial of company "C003" (first_overseas_year 2016 at companies.csv:4; expected 2016 or later)`)

	// Tables without the linking column are a plain error, not a panic.
	s, _ := ParseSchema([]byte(`{"fields": [{"name": "a"}]}`), "s.json")
	other, err := Load(strings.NewReader("a\nx\n"), "other.csv", s, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckProducts(companies, other); err == nil || err.Error() != "other.csv: no company_id column to link products to companies" {
		t.Errorf("products without company_id: %v", err)
	}
	if err := CheckProducts(other, loadProducts(t, products)); err == nil || err.Error() != "other.csv: no company_id column to link products to companies" {
		t.Errorf("companies without company_id: %v", err)
	}
}

// The committed reference data must pass every check of the study design.
func TestReferenceDataValidates(t *testing.T) {
	cb, err := os.ReadFile("../testdata/companies.csv")
	if err != nil {
		t.Skip("no reference data:", err)
	}
	pb, err := os.ReadFile("../testdata/products.csv")
	if err != nil {
		t.Skip("no reference data:", err)
	}
	companies, err := loadCompanies(t, cb, LoadOptions{ExpectCases: 90, ExpectControls: 90})
	if err != nil {
		t.Fatal(err)
	}
	if len(companies.Warnings) != 0 {
		t.Errorf("warnings: %q", companies.Warnings)
	}
	wantLines(t, CheckCompanies(companies))
	wantLines(t, CheckProducts(companies, loadProducts(t, pb)))
}

func TestSummarize(t *testing.T) {
	b := readFixture(t, "companies.csv")
	// A user's variant of the study schema where two fields may be missing.
	s := schemaOf(t, "companies")
	for _, name := range []string{"dev_years", "founded_year"} {
		f, _ := s.Field(name)
		f.Constraints.Required = false
	}
	tab, err := Load(bytes.NewReader(withCells(t, map[string]string{"5:dev_years": "NA", "6:dev_years": "", "7:founded_year": ""})), "companies.csv", s, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sum := Summarize(tab)
	// Count from the text, independently of the loader.
	recs := records(t, b)
	cases, controls := 0, 0
	for _, r := range recs[1:] {
		switch r[1] {
		case "1":
			cases++
		case "0":
			controls++
		}
	}
	if sum.Rows != len(recs)-1 || sum.Outcome != "case" || *sum.Cases != cases || *sum.Controls != controls {
		t.Errorf("summary %+v, want %d rows, %d cases, %d controls", sum, len(recs)-1, cases, controls)
	}
	if len(sum.Missing) != len(recs[0]) {
		t.Fatalf("%d missing counts, want %d", len(sum.Missing), len(recs[0]))
	}
	for j, name := range recs[0] { // the fixture's columns are in schema order
		want := 0
		for _, r := range recs[1:] {
			if r[j] == "" {
				want++
			}
		}
		switch name {
		case "dev_years":
			want = 2
		case "founded_year":
			want = 1
		}
		if sum.Missing[j] != (MissingCount{Column: name, Missing: want}) {
			t.Errorf("missing[%d] = %+v, want %s %d", j, sum.Missing[j], name, want)
		}
	}

	js, _ := json.Marshal(sum)
	for _, key := range []string{`"rows":20`, `"cases":10`, `"controls":10`, `"missing":[{"column":"company_id","missing":0}`} {
		if !bytes.Contains(js, []byte(key)) {
			t.Errorf("JSON %s lacks %s", js, key)
		}
	}

	// Without an outcome the case/control counts are omitted.
	s, _ = ParseSchema([]byte(`{"fields": [{"name": "x", "type": "number"}]}`), "s.json")
	own, err := Load(strings.NewReader("x\n1\nNA\n"), "own.csv", s, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	js, _ = json.Marshal(Summarize(own))
	if string(js) != `{"rows":2,"missing":[{"column":"x","missing":1}]}` {
		t.Errorf("summary JSON %s", js)
	}
}

func TestDataInfo(t *testing.T) {
	tab := mustLoad(t, readFixture(t, "companies.csv"))
	d := NewDataInfo(tab)
	js, _ := json.Marshal(d)
	want := `{"path":"companies.csv","sha256":"` + tab.SHA256 + `","rows_read":20,"rows_used":20,"excluded":[]}`
	if string(js) != want {
		t.Errorf("JSON %s, want %s", js, want)
	}
	d.Exclude(7, "missing dev_years")
	if d.RowsUsed != 19 || d.Excluded[0] != (Exclusion{Row: 7, Reason: "missing dev_years"}) {
		t.Errorf("after Exclude: %+v", d)
	}
	tab.Source = ""
	if NewDataInfo(tab).Path != "embedded" {
		t.Error("empty source not shown as embedded")
	}
}

func TestProblemFormat(t *testing.T) {
	cases := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.csv", Message: "empty file"}, "a.csv: empty file"},
		{Problem{File: "a.csv", Row: 3, Message: "empty row"}, "a.csv:3: empty row"},
		{Problem{File: "a.csv", Row: 3, Column: "x", ColumnIndex: 2, Message: "bad"}, "a.csv:3:x: bad"},
	}
	for _, c := range cases {
		if got := c.p.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
	js, _ := json.Marshal(&ValidationError{Problems: []Problem{cases[2].p}, Omitted: 4})
	if string(js) != `{"problems":[{"file":"a.csv","row":3,"column":"x","column_index":2,"message":"bad"}],"omitted":4}` {
		t.Errorf("JSON %s", js)
	}
}
