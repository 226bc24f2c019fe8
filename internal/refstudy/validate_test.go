package refstudy

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ccstudy/ccstudy/dataset"
)

// The design checks run on the loader's 20-row fixture of the study.

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../dataset/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func schemaOf(t testing.TB, name string) *dataset.Schema {
	t.Helper()
	s, err := Schema(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func loadCompanies(t testing.TB, b []byte, opts dataset.LoadOptions) (*dataset.Table, error) {
	t.Helper()
	return dataset.Load(bytes.NewReader(b), "companies.csv", schemaOf(t, "companies"), opts)
}

func mustLoad(t *testing.T, b []byte) *dataset.Table {
	t.Helper()
	tab, err := loadCompanies(t, b, dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func loadProducts(t testing.TB, b []byte) *dataset.Table {
	t.Helper()
	tab, err := dataset.Load(bytes.NewReader(b), "products.csv", schemaOf(t, "products"), dataset.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func records(t testing.TB, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func writeRecords(t testing.TB, recs [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withCells returns the companies fixture with cells replaced: edits map
// "line:column" (line as in the file, header = 1) to the new text.
func withCells(t testing.TB, edits map[string]string) []byte {
	t.Helper()
	recs := records(t, readFixture(t, "companies.csv"))
	for at, v := range edits {
		var line int
		var col string
		if _, err := fmt.Sscanf(strings.Replace(at, ":", " ", 1), "%d %s", &line, &col); err != nil {
			t.Fatalf("bad edit %q", at)
		}
		j := slices.Index(recs[0], col)
		if j < 0 || line < 2 || line > len(recs) {
			t.Fatalf("edit %q is outside the fixture", at)
		}
		recs[line-1][j] = v
	}
	return writeRecords(t, recs)
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
	var ve *dataset.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T (%v), want *ValidationError", err, err)
	}
	if got := strings.Split(ve.Error(), "\n"); !reflect.DeepEqual(got, want) {
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
	s, err := dataset.ParseSchema([]byte(`{"fields": [{"name": "y", "type": "integer", "role": "outcome"}, {"name": "x", "type": "number"}]}`), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	own, err := dataset.Load(strings.NewReader("y,x\n1,2\n0,3\n"), "own.csv", s, dataset.LoadOptions{})
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
	s, _ := dataset.ParseSchema([]byte(`{"fields": [{"name": "a"}]}`), "s.json")
	other, err := dataset.Load(strings.NewReader("a\nx\n"), "other.csv", s, dataset.LoadOptions{})
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
	cb, err := os.ReadFile("../../testdata/companies.csv")
	if err != nil {
		t.Skip("no reference data:", err)
	}
	pb, err := os.ReadFile("../../testdata/products.csv")
	if err != nil {
		t.Skip("no reference data:", err)
	}
	companies, err := loadCompanies(t, cb, dataset.LoadOptions{ExpectCases: 90, ExpectControls: 90})
	if err != nil {
		t.Fatal(err)
	}
	if len(companies.Warnings) != 0 {
		t.Errorf("warnings: %q", companies.Warnings)
	}
	wantLines(t, CheckCompanies(companies))
	wantLines(t, CheckProducts(companies, loadProducts(t, pb)))
}
