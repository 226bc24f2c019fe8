package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

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

// Problems reported from outside the package are ordered and summarized
// as the loader's own: a message repeated on many rows is shown
// DefaultMaxRepeats times, then counted.
func TestProblemsSummarizeRepeats(t *testing.T) {
	ps := NewProblems("f.csv")
	if ps.Err() != nil {
		t.Fatal("an empty collection is not an error")
	}
	for row := 2; row <= 9; row++ {
		ps.Add(row, "x", "%d is odd (expected even)", row)
	}
	var ve *ValidationError
	if !errors.As(ps.Err(), &ve) {
		t.Fatalf("Err() = %T, want *ValidationError", ps.Err())
	}
	got := strings.Split(ve.Error(), "\n")
	if len(got) != DefaultMaxRepeats+1 || !strings.HasPrefix(got[0], "f.csv:") || !strings.Contains(got[len(got)-1], "5 more rows") {
		t.Errorf("got\n%s\nwant %d examples and a count of the 5 other rows", strings.Join(got, "\n"), DefaultMaxRepeats)
	}
}
